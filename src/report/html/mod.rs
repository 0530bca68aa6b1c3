//! The report page of a run: `report.html`, one self-contained file (inline CSS, charts
//! embedded as base64 data URIs, no script, nothing fetched) that a planner can email, and
//! `report.md`, the same content with the charts linked as `charts/*.png`, for pasting
//! into other documents.
//!
//! Both are rendered from one list of [`Block`]s, so they cannot drift apart. Nothing in
//! them depends on the clock or the machine: the same run gives the same bytes. A chart is
//! shown only if its PNG exists in `charts/` when the report is written.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::charts::{CALIBRATED_FAN, INPUT_IMPORTANCE, INPUTS_FAN};
use super::charts::{ChartFile, ChartKind, baseline_analysis, chart_files};
use super::inputs::{InputsInfo, compare_sentence, ranked, source_text};
use super::lang::{Lang, Msg, input_value};
use super::measures::{
    Measures, count_mc_in as count_mc, day_text_in as day_text, litres_mc_in as litres_mc,
    pct_mc_in as pct_mc, pct_plain_in as pct_plain,
};
use super::{ReportError, RunInfo, write_atomic};
use super::{index_text, method_text};
use crate::ensemble::Summary;
use crate::ensemble::{dist_text, value_text};
use crate::scenario::{Effect, EscortPolicy, Scenario, SegmentId, Targets};
use crate::tr;

/// One piece of the report.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    /// The page title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A sub-heading.
    Sub(String),
    /// A paragraph of plain text.
    Para(String),
    /// A table: header, rows, and how each column is set.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        cols: Vec<Col>,
    },
    /// A chart: path relative to the report, title, one sentence.
    Figure {
        file: String,
        title: String,
        caption: String,
    },
    /// Small print.
    Note(String),
    /// A large figure with its words: "6.0 days of fuel now".
    Lead(String),
    /// Two columns side by side (one after the other in Markdown and on narrow screens).
    Columns(Vec<Block>, Vec<Block>),
}

/// How a table column is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    /// Text, wrapped, left.
    Text,
    /// A number: right-aligned, never wrapped.
    Num,
    /// A date: left-aligned, never wrapped.
    Date,
}

/// Writes `report.html` and `report.md` into `dir` and returns them. Charts are taken from
/// `dir/charts/` (write them first with [`super::write_charts`]); a chart whose PNG is
/// missing is left out of both files.
///
/// # Errors
/// [`ReportError::Io`] if a chart cannot be read or a file cannot be written.
pub fn write_report(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
) -> Result<Vec<PathBuf>, ReportError> {
    let blocks = blocks(dir, s, sum, info);
    let html = to_html(dir, info.lang, &s.name, &blocks)?;
    let md = to_markdown(&blocks);
    let h = dir.join("report.html");
    let m = dir.join("report.md");
    write_atomic(&h, html.as_bytes())?;
    write_atomic(&m, md.as_bytes())?;
    Ok(vec![h, m])
}

/// The section of a run with uncertain inputs: which inputs, the fan with and without them,
/// and their ranking by first-order index.
fn inputs_blocks(b: &mut Vec<Block>, dir: &Path, s: &Scenario, sum: &Summary, x: &InputsInfo) {
    let t = &x.table;
    b.push(Block::Heading("Uncertain inputs".into()));
    b.push(Block::Para(format!(
        "{} input{} of this scenario {} not known exactly: each run draws {} once from {} own range{}, so the bands below include what we do not know as well as chance. {}",
        t.inputs.len(),
        if t.inputs.len() == 1 { "" } else { "s" },
        if t.inputs.len() == 1 { "is" } else { "are" },
        if t.inputs.len() == 1 { "it" } else { "them" },
        if t.inputs.len() == 1 { "its" } else { "their" },
        t.file.as_ref().map_or(String::new(), |f| format!(
            " (the inputs marked calibrated take, in turn, the points retained by calibration in {f})"
        )),
        compare_sentence(s, sum, x)
    )));
    let charts = dir.join("charts");
    if charts.join(INPUTS_FAN).is_file() {
        b.push(Block::Figure {
            file: format!("charts/{INPUTS_FAN}"),
            title: "With and without input uncertainty".into(),
            caption: "Days of supply at the depot. Left: each run draws its own inputs. Right: every input fixed at its median, on the same random numbers otherwise. The difference is what the uncertain inputs add.".into(),
        });
    }
    if charts.join(CALIBRATED_FAN).is_file() {
        b.push(Block::Figure {
            file: format!("charts/{CALIBRATED_FAN}"),
            title: "Before and after calibration".into(),
            caption: "Days of supply at the depot. Left: each run draws its inputs from their ranges. Right: each run takes, in turn, a point that calibration retained, on the same random numbers otherwise. The difference is what the observations taught.".into(),
        });
    }
    let imp = x.importance.as_ref();
    let mut head = vec!["Input".to_string(), "Range".into(), "Median".into()];
    if let Some(m) = imp {
        head.extend(
            m.measures
                .iter()
                .map(|me| format!("Share of spread: {}", me.label)),
        );
    }
    let rows: Vec<Vec<String>> = ranked(x)
        .into_iter()
        .map(|i| {
            let input = &t.inputs[i];
            let mut row = vec![
                format!("{} ({})", input.path, source_text(t.sources[i])),
                dist_text(&input.dist),
                value_text(t.medians[i]),
            ];
            if let Some(m) = imp {
                let r = m.rows.iter().find(|r| r.input == i);
                row.extend(
                    (0..m.measures.len())
                        .map(|j| index_text(r.and_then(|r| r.indices[j].as_ref()))),
                );
            }
            row
        })
        .collect();
    // One cell per column of the head: the median has its own (it was written in the
    // range's cell, which shifted every index one column left).
    let mut cols = vec![Col::Text, Col::Text, Col::Num];
    cols.extend(imp.map_or(Vec::new(), |m| vec![Col::Num; m.measures.len()]));
    b.push(Block::Table { head, rows, cols });
    if charts.join(INPUT_IMPORTANCE).is_file() {
        b.push(Block::Figure {
            file: format!("charts/{INPUT_IMPORTANCE}"),
            title: "Which input explains the spread".into(),
            caption: "First-order index of each input: the share of the spread across runs that knowing the input alone would remove, with ±2 Monte Carlo errors.".into(),
        });
    }
    b.push(Block::Note(format!(
        "Method: {}. An index is the share of the variance across runs of a measure (dry by the day shown: 0 or 1; total unmet demand; first day of rationing, the horizon when none) explained by one input on its own; the rest is chance in the convoys and interactions. Each index is rounded to its Monte Carlo error, given after ±. Each run's values: inputs.csv.",
        method_text(imp)
    )));
}

/// "3 Sep 2025 (day 2)", or "day 2" without a start date; fractional days are kept.
fn when(l: Lang, s: &Scenario, day: f64) -> String {
    let d = if (day - day.round()).abs() < 1e-9 {
        tr!(l, DayN, d = format!("{day:.0}"))
    } else {
        tr!(l, DayN, d = l.digits(&format!("{day}")))
    };
    match s.start_date {
        Some(start) => tr!(
            l,
            DateDay,
            date = l.date(start.plus_days(day.floor() as i64), true),
            day = d
        ),
        None => d,
    }
}

/// A percentage with one decimal.
fn pct(l: Lang, v: f64) -> String {
    l.percent(&super::num(100.0 * v, 1))
}

/// Litres with thousands separators.
fn litres(l: Lang, v: f64) -> String {
    tr!(l, Litres, x = l.thousands(v))
}

/// The segments an event names: the ones written, and the tags.
fn targets_text(l: Lang, s: &Scenario, t: &Targets) -> String {
    let mut parts: Vec<String> = t
        .segments
        .iter()
        .map(|id| {
            s.segment_by_id(id)
                .map_or_else(|| id.clone(), |i| s.segment_label(i))
        })
        .collect();
    for tag in &t.tags {
        let n = s.tags().get(tag.as_str()).map_or(0, Vec::len);
        parts.push(tr!(
            l,
            RoadsTagged,
            tag = tag,
            n = n,
            s = l.plural(n as u64)
        ));
    }
    if parts.is_empty() {
        tr!(l, NoSegment)
    } else {
        parts.join(", ")
    }
}

/// What an event does, in words.
fn effect_text(l: Lang, s: &Scenario, e: &Effect) -> String {
    let name = |id: crate::scenario::NodeId| s.node(id).name.clone();
    let f = |x: &f64| l.digits(&x.to_string());
    match e {
        Effect::RiskMultiplier { targets, factor } => {
            tr!(l, EffRisk, f = f(factor), on = targets_text(l, s, targets))
        }
        Effect::Close { targets } => tr!(l, EffClosed, on = targets_text(l, s, targets)),
        Effect::SupplyFactor { source, factor } => {
            tr!(l, EffSupply, at = name(*source), f = f(factor))
        }
        Effect::EscortUnits(n) => tr!(l, EffEscorts, n = n, s = l.plural(u64::from(*n))),
        Effect::DemandFactor { depot, factor } => tr!(
            l,
            EffDemand,
            f = f(factor),
            at = depot.map_or_else(|| tr!(l, EveryDepot), name)
        ),
        Effect::Airlift {
            depot,
            litres_per_day,
        } => tr!(
            l,
            EffAirlift,
            x = tr!(l, PerDay, x = litres(l, *litres_per_day)),
            to = name(*depot)
        ),
        Effect::Delivery { depot, litres: x } => {
            tr!(l, EffDelivery, x = litres(l, *x), to = name(*depot))
        }
        Effect::Attack {
            segment,
            trucks_lost,
        } => tr!(
            l,
            EffAttack,
            n = trucks_lost,
            on = s.segment_label(*segment)
        ),
        Effect::ProtectedReserve { depot, litres: x } => {
            tr!(l, EffReserve, x = litres(l, *x), at = name(*depot))
        }
    }
}

/// The headline measures as table rows, with their Monte Carlo standard errors where
/// they have one: the content of [`super::headline`] and `headline.csv`.
fn headline_rows(l: Lang, s: &Scenario, m: &Measures) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let n = m.n;
    rows.push(vec![
        tr!(l, RowDaysNow),
        tr!(
            l,
            DaysAndLitres,
            days = l.num(m.days_now, 1),
            litres = litres_mc(l, m.stock_now, 0.0)
        ),
    ]);
    for k in &m.key_days {
        rows.push(vec![
            tr!(l, RowPRationingBy, day = day_text(l, s, k.day as f64)),
            pct_mc(l, k.p_rationing, n),
        ]);
    }
    rows.push(vec![
        tr!(l, RowFirstRationing),
        m.first_day_text_in(l, s, &m.first_rationing),
    ]);
    rows.push(vec![
        tr!(l, RowNeverRationed),
        pct_mc(l, m.share_never_rationed, n),
    ]);
    rows.push(vec![tr!(l, RowDaysRationed), m.days_rationed_text_in(l)]);
    for k in &m.key_days {
        rows.push(vec![
            tr!(l, RowPDryBy, day = day_text(l, s, k.day as f64)),
            pct_mc(l, k.p_dry, n),
        ]);
    }
    rows.push(vec![
        tr!(l, RowFirstDry),
        m.first_day_text_in(l, s, &m.first_dry),
    ]);
    rows.push(vec![tr!(l, RowNeverDry), pct_mc(l, m.share_never_dry, n)]);
    rows.push(vec![
        tr!(
            l,
            RowUnmetProtected,
            names = if m.protected_names.is_empty() {
                tr!(l, NoneWord)
            } else {
                m.protected_names.join(", ")
            }
        ),
        tr!(
            l,
            WithStandardError,
            x = litres_mc(l, m.unmet_protected.0, m.unmet_protected.1),
            se = litres_mc(l, m.unmet_protected.1, m.unmet_protected.1 / 10.0)
        ),
    ]);
    let (lost, burned, seized, attacks) = m.losses;
    let (lost_se, burned_se, seized_se, attacks_se) = m.losses_se;
    rows.push(vec![
        tr!(l, RowTankersLost),
        tr!(
            l,
            LostBurnedSeized,
            lost = count_mc(l, lost, lost_se),
            burned = litres_mc(l, burned, burned_se),
            seized = litres_mc(l, seized, seized_se)
        ),
    ]);
    rows.push(vec![
        tr!(l, RowConvoysAttacked),
        count_mc(l, attacks, attacks_se),
    ]);
    rows
}

/// Unmet demand by class, split rationed / dry, as table rows.
fn class_rows(l: Lang, m: &Measures) -> Vec<Vec<String>> {
    m.classes
        .iter()
        .map(|c| {
            let share = if c.baseline > 0.0 {
                c.unmet / c.baseline
            } else {
                0.0
            };
            vec![
                format!(
                    "{} ({}{})",
                    c.name,
                    c.priority,
                    if c.protected {
                        l.t(Msg::CommaProtected)
                    } else {
                        ""
                    }
                ),
                format!(
                    "{} ({})",
                    litres_mc(l, c.unmet, c.unmet_se),
                    pct_plain(l, share)
                ),
                litres_mc(l, c.rationed, c.rationed_se),
                litres_mc(l, c.dry, c.dry_se),
            ]
        })
        .collect()
}

/// When escorts or the fleet bind, a sentence saying so (else `None`): escorts bind on a
/// day when, on average, every unit was busy and convoys waited for one; the fleet binds
/// on a day when fewer than 5 % of the tankers were idle at a source.
pub(crate) fn binding_sentence(l: Lang, s: &Scenario, sum: &Summary) -> Option<String> {
    use crate::model::TruckState;
    let days = sum.layout.days;
    let escort_days: Vec<usize> = (0..days)
        .filter(|k| {
            sum.escort_units[*k] > 0.0
                && sum.escorts_in_use[*k] >= 0.95 * sum.escort_units[*k]
                && sum.convoys_waiting_for_escort[*k] >= 0.5
        })
        .collect();
    let waiting = &sum.fleet_state[TruckState::WaitingForEscort as usize];
    let idle = &sum.fleet_state[TruckState::IdleAtSource as usize];
    let fleet_days: Vec<usize> = (0..days)
        .filter(|k| sum.fleet[*k] > 0.0 && idle[*k] < 0.05 * sum.fleet[*k])
        .collect();
    let mut parts = Vec::new();
    if let Some(first) = escort_days.first() {
        let mean_wait: f64 =
            escort_days.iter().map(|k| waiting[*k]).sum::<f64>() / escort_days.len() as f64;
        parts.push(tr!(
            l,
            EscortsBind,
            n = escort_days.len(),
            days = days,
            first = day_text(l, s, *first as f64),
            wait = l.num(mean_wait, 0)
        ));
    }
    if let Some(first) = fleet_days.first() {
        parts.push(tr!(
            l,
            FleetBinds,
            n = fleet_days.len(),
            days = days,
            first = day_text(l, s, *first as f64),
            five = l.percent("5")
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The title and one-sentence caption of a chart.
fn caption(l: Lang, s: &Scenario, sum: &Summary, kind: ChartKind) -> (String, String) {
    let h = s.horizon_days as usize;
    match kind {
        ChartKind::Stock(d) => {
            let id = sum.layout.depots[d];
            let dep = s.depot(id);
            let trig = dep.map_or(String::new(), |d| {
                tr!(
                    l,
                    CapStockTrigger,
                    days = l.num_short(d.rationing.trigger_days)
                )
            });
            (
                tr!(l, TitleStockAt, name = s.node(id).name),
                tr!(
                    l,
                    CapStock,
                    name = s.node(id).name,
                    ninety = l.percent("90"),
                    trig = trig
                ),
            )
        }
        ChartKind::Dry => {
            let last = sum.p_dry_by.last().copied().unwrap_or(0.0);
            let last_r = sum.p_rationing_by.last().copied().unwrap_or(0.0);
            let last_day = h.saturating_sub(1) as f64;
            let half = super::charts::crossing_day(&sum.p_dry_by, 0.5).map_or(
                tr!(l, CapNever50, fifty = l.percent("50")),
                |k| {
                    tr!(
                        l,
                        CapPasses50,
                        fifty = l.percent("50"),
                        day = when(l, s, k as f64)
                    )
                },
            );
            (
                tr!(l, TitleDry),
                tr!(
                    l,
                    CapDry,
                    r = pct_mc(l, last_r, sum.replications),
                    d = pct_mc(l, last, sum.replications),
                    day = when(l, s, last_day),
                    half = half
                ),
            )
        }
        ChartKind::Fleet => {
            let bind = binding_sentence(l, s, sum)
                .unwrap_or_else(|| tr!(l, CapNeitherBinds, five = l.percent("5")));
            (tr!(l, TitleFleet), tr!(l, CapFleet, bind = bind))
        }
        ChartKind::Served => (tr!(l, TitleServed), tr!(l, CapServed)),
        ChartKind::Deliveries => (tr!(l, TitleDeliveries), tr!(l, CapDeliveries)),
        ChartKind::Losses => {
            let top = (0..sum.segments.len().min(s.segments.len()))
                .filter(|i| sum.segments[*i].trucks_lost > 0.0)
                .max_by(|a, b| {
                    sum.segments[*a]
                        .trucks_lost
                        .total_cmp(&sum.segments[*b].trucks_lost)
                        .then(b.cmp(a))
                });
            let most = top.map_or(tr!(l, CapNoTankerLost), |i| {
                tr!(
                    l,
                    CapLosesMost,
                    road = s.segment_label(SegmentId(i as u32)),
                    n = l.num(sum.segments[i].trucks_lost, 1)
                )
            });
            (tr!(l, TitleLosses), tr!(l, CapLosses, most = most))
        }
        ChartKind::FirstDry => {
            let dry = 1.0 - sum.share_never_dry();
            let median = sum
                .first_dry_percentile(0.5)
                .map_or(tr!(l, CapNoMedian), |m| {
                    tr!(l, CapMedianIs, day = when(l, s, m.round()))
                });
            (
                tr!(l, TitleFirstDry),
                tr!(
                    l,
                    CapFirstDry,
                    dry = pct_mc(l, dry, sum.replications),
                    h = h,
                    none = pct_mc(l, 1.0 - dry, sum.replications),
                    median = median
                ),
            )
        }
        ChartKind::Network => (tr!(l, TitleNetwork), tr!(l, CapNetwork)),
    }
}

/// Builds the report.
fn blocks(dir: &Path, s: &Scenario, sum: &Summary, info: &RunInfo) -> Vec<Block> {
    let l = info.lang;
    let mut b = Vec::new();
    let m = Measures::new(s, sum);
    let h = s.horizon_days;
    let span = match s.start_date {
        Some(d) => tr!(
            l,
            SpanDates,
            h = h,
            from = l.date(d, true),
            to = l.date(d.plus_days(i64::from(h)), true)
        ),
        None => tr!(l, SpanDays, h = h),
    };
    b.push(Block::Title(tr!(l, ReportTitle, name = s.name)));
    b.push(Block::Para(tr!(
        l,
        ReportIntro,
        as_of = info
            .as_of
            .as_deref()
            .map_or(String::new(), |d| tr!(l, AsOfSentence, d = d)),
        n = l.thousands(sum.replications as f64),
        span = span,
        seed = sum.seed
    )));

    // The first screen: how many days, how sure, what would change it.
    let mut left = vec![
        Block::Lead(tr!(l, LeadDaysNow, n = l.num(m.days_now, 1))),
        Block::Para(tr!(
            l,
            LeadStock,
            stock = litres_mc(l, m.stock_now, 0.0),
            demand = tr!(
                l,
                PerDay,
                x = litres_mc(
                    l,
                    sum.depot_demand
                        .iter()
                        .map(|d| d.first().copied().unwrap_or(0.0))
                        .sum(),
                    0.0
                )
            ),
            trigger = l.num_short(m.trigger_days)
        )),
        Block::Sub(tr!(l, SubHowSure)),
        Block::Para(m.paragraph_in(l, s, info.as_of.as_deref())),
        Block::Table {
            head: vec![
                tr!(l, ColByOnOrBefore),
                tr!(l, ColPRationing),
                tr!(l, ColPDry),
            ],
            rows: m
                .key_days
                .iter()
                .map(|k| {
                    vec![
                        day_text(l, s, k.day as f64),
                        pct_mc(l, k.p_rationing, m.n),
                        pct_mc(l, k.p_dry, m.n),
                    ]
                })
                .collect(),
            cols: vec![Col::Date, Col::Num, Col::Num],
        },
    ];
    left.push(Block::Sub(tr!(l, SubWhatWouldChange)));
    let (fifty, one_fifty) = (l.percent("50"), l.percent("150"));
    match &info.sensitivity {
        Some(sens) if !sens.top(3).is_empty() => {
            left.push(Block::Table {
                head: vec![
                    tr!(l, ColInput),
                    tr!(l, ColValueLowBaseHigh),
                    tr!(l, ColUnmetLowHigh),
                ],
                rows: sens
                    .top(3)
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        vec![
                            format!("{}. {}", i + 1, r.input.kind.label(l)),
                            format!(
                                "{} / {} / {}",
                                input_value(l, &r.input.low),
                                input_value(l, &r.input.base),
                                input_value(l, &r.input.high)
                            ),
                            format!(
                                "{} → {}",
                                litres_mc(l, r.at_low, r.swing_se),
                                litres_mc(l, r.at_high, r.swing_se)
                            ),
                        ]
                    })
                    .collect(),
                cols: vec![Col::Text, Col::Text, Col::Num],
            });
            left.push(Block::Note(tr!(
                l,
                NoteTopInputs,
                n = sens.top(3).len(),
                fifty = fifty,
                one_fifty = one_fifty,
                runs = sens.replications,
                section = l.t(Msg::SubWhatWouldChange)
            )));
        }
        Some(sens) if !sens.rows.is_empty() => left.push(Block::Para(tr!(
            l,
            ParaNoInputMoves,
            n = sens.rows.len(),
            fifty = fifty,
            one_fifty = one_fifty,
            runs = sens.replications,
            section = l.t(Msg::SubWhatWouldChange)
        ))),
        Some(_) => left.push(Block::Para(tr!(l, ParaNoSensInput))),
        None => left.push(Block::Para(tr!(l, ParaSensSkipped))),
    }
    let mut right = Vec::new();
    let chart_list = chart_files(s, sum);
    let fan: Option<String> = chart_list
        .iter()
        .find(|f| matches!(f.kind, ChartKind::Stock(0)))
        .filter(|f| dir.join("charts").join(&f.file).is_file())
        .map(|f| f.file.clone());
    if let Some(f) = &fan {
        right.push(Block::Figure {
            file: format!("charts/{f}"),
            title: tr!(l, FigDaysOfSupply),
            caption: tr!(l, FigDaysOfSupplyCaption, ninety = l.percent("90")),
        });
    }
    right.push(Block::Sub(tr!(l, SubUnmetByClass)));
    right.push(Block::Table {
        head: vec![
            tr!(l, ColClassPriority),
            tr!(l, ColUnmetShare),
            tr!(l, ColRationed),
            tr!(l, ColDry),
        ],
        rows: class_rows(l, &m),
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num],
    });
    if let Some(t) = binding_sentence(l, s, sum) {
        right.push(Block::Sub(tr!(l, SubWhy)));
        right.push(Block::Para(t));
    }
    b.push(Block::Columns(left, right));

    if let Some(x) = &info.inputs {
        inputs_blocks(&mut b, dir, s, sum, x);
    }

    b.push(Block::Heading(tr!(l, HeadHeadline)));
    b.push(Block::Table {
        head: vec![tr!(l, ColMeasure), tr!(l, ColValue)],
        rows: headline_rows(l, s, &m),
        cols: vec![Col::Text, Col::Text],
    });
    b.push(Block::Sub(tr!(l, SubWhoWentWithout)));
    b.push(Block::Table {
        head: vec![
            tr!(l, ColClassPriority),
            tr!(l, ColBaselineDemand),
            tr!(l, ColUnmetMean),
            tr!(l, ColRationed),
            tr!(l, ColDry),
            tr!(l, ColRunsShort),
        ],
        rows: m
            .classes
            .iter()
            .zip(class_rows(l, &m))
            .map(|(c, r)| {
                vec![
                    r[0].clone(),
                    litres_mc(l, c.baseline, 0.0),
                    r[1].clone(),
                    r[2].clone(),
                    r[3].clone(),
                    pct_mc(l, c.p_dry, m.n),
                ]
            })
            .collect(),
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num, Col::Num, Col::Num],
    });
    routes_table(l, &mut b, s, sum);
    b.push(Block::Para(tr!(l, ParaDefinitions)));
    if !s.description.trim().is_empty() {
        b.push(Block::Para(s.description.trim().to_string()));
    }

    b.push(Block::Heading(tr!(l, HeadRun)));
    let files: Vec<String> = s
        .files
        .iter()
        .map(|f| {
            f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    b.push(Block::Table {
        head: vec![tr!(l, ColItem), tr!(l, ColValue)],
        rows: vec![
            vec![tr!(l, RunScenario), s.name.clone()],
            vec![tr!(l, RunScenarioFiles), files.join(", ")],
            vec![tr!(l, RunScenarioHash), info.scenario_hash.clone()],
            vec![tr!(l, RunVersion), env!("CARGO_PKG_VERSION").into()],
            vec![
                tr!(l, RunReplications),
                l.thousands(sum.replications as f64),
            ],
            vec![tr!(l, RunSeed), sum.seed.to_string()],
            vec![tr!(l, RunHorizon), span.clone()],
            vec![
                tr!(l, RunOverrides),
                if info.overrides.is_empty() {
                    tr!(l, NoneWord)
                } else {
                    info.overrides.join(", ")
                },
            ],
        ],
        cols: vec![Col::Text, Col::Text],
    });

    assumptions(l, &mut b, s);

    b.push(Block::Heading(tr!(l, HeadCharts)));
    let mut any = false;
    // The run's map is the one under the blockade's conditions (`risk.png`, below), not
    // the all-open baseline of `network.png`, which stays in the folder for reference.
    let risk_map = dir.join("charts").join("risk.png").is_file();
    for ChartFile { kind, file } in chart_list {
        if fan.as_ref() == Some(&file) {
            any = true;
            continue;
        }
        if risk_map && matches!(kind, ChartKind::Network) {
            continue;
        }
        if dir.join("charts").join(&file).is_file() {
            let (title, caption) = caption(l, s, sum, kind);
            b.push(Block::Figure {
                file: format!("charts/{file}"),
                title,
                caption,
            });
            any = true;
        }
    }
    if dir.join("charts").join("risk.png").is_file() {
        let day = crate::report::worst_day(s);
        b.push(Block::Figure {
            file: "charts/risk.png".into(),
            title: tr!(
                l,
                FigRisk,
                day = match (l, s.start_date) {
                    (Lang::En, _) => s.day_label(i64::from(day)),
                    (_, Some(d)) => l.date(d.plus_days(i64::from(day)), true),
                    (_, None) => tr!(l, DayN, d = day),
                }
            ),
            caption: tr!(l, FigRiskCaption, day = day),
        });
        any = true;
    }
    if dir.join("charts").join("losses-map.png").is_file() {
        b.push(Block::Figure {
            file: "charts/losses-map.png".into(),
            title: tr!(l, FigLossesMap),
            caption: tr!(l, FigLossesMapCaption),
        });
        any = true;
    }
    if !any {
        b.push(Block::Para(tr!(l, ParaNoCharts)));
    }

    sensitivity_section(l, &mut b, info);

    network(l, &mut b, s);

    b.push(Block::Note(tr!(
        l,
        NoteWrittenBy,
        version = env!("CARGO_PKG_VERSION"),
        hash = info.scenario_hash
    )));
    b
}

/// The assumptions: depots and demand, sources, fleet and escorts, events.
fn assumptions(l: Lang, b: &mut Vec<Block>, s: &Scenario) {
    b.push(Block::Heading(tr!(l, HeadAssumptions)));
    b.push(Block::Sub(tr!(l, SubDepotsDemand)));
    let mut rows = Vec::new();
    for (id, d) in s.depots() {
        let dem = d.demand_litres_per_day();
        let dos = if dem > 0.0 {
            tr!(l, SpanDays, h = l.num(d.initial_stock_litres / dem, 1))
        } else {
            tr!(l, NoDemand)
        };
        rows.push(vec![
            s.node(id).name.clone(),
            litres(l, d.initial_stock_litres),
            dos,
            litres(l, d.capacity_litres),
            tr!(
                l,
                RationingRule,
                days = l.num_short(d.rationing.trigger_days),
                p = d.rationing.protected_priority,
                share = pct(l, d.rationing.ration_fraction)
            ),
        ]);
    }
    b.push(Block::Table {
        head: vec![
            tr!(l, ColDepot),
            tr!(l, ColInitialStock),
            tr!(l, ColDaysOfSupplyDay0),
            tr!(l, ColCapacity),
            tr!(l, ColRationing),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num, Col::Text],
    });
    let mut rows = Vec::new();
    for (id, d) in s.depots() {
        for c in &d.demand {
            rows.push(vec![
                s.node(id).name.clone(),
                c.name.clone(),
                c.priority.to_string(),
                tr!(l, PerDay, x = litres(l, c.litres_per_day)),
                if c.priority <= d.rationing.protected_priority {
                    tr!(l, WordProtected)
                } else {
                    tr!(l, WordRationed)
                },
            ]);
        }
    }
    b.push(Block::Table {
        head: vec![
            tr!(l, ColDepot),
            tr!(l, ColDemandClass),
            tr!(l, ColPriority),
            tr!(l, ColBaselineDemandShort),
            tr!(l, ColUnderRationing),
        ],
        rows,
        cols: vec![Col::Text, Col::Text, Col::Num, Col::Num, Col::Text],
    });

    b.push(Block::Sub(tr!(l, SubSources)));
    let tl = s.fleet.truck_litres;
    let rows: Vec<Vec<String>> = s
        .sources()
        .map(|(id, supply)| {
            vec![
                s.node(id).name.clone(),
                tr!(l, PerDay, x = litres(l, supply)),
                l.num(supply / tl, 1),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColSource),
            tr!(l, ColSupply),
            tr!(l, ColTruckloadsPerDay),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num],
    });

    b.push(Block::Sub(tr!(l, SubFleet)));
    let e = &s.escorts;
    let policy = match e.policy {
        EscortPolicy::Required => tr!(l, PolicyRequired),
        EscortPolicy::IfFree => tr!(l, PolicyIfFree),
    };
    b.push(Block::Table {
        head: vec![tr!(l, ColItem), tr!(l, ColValue)],
        rows: vec![
            vec![
                tr!(l, RowFleet),
                tr!(
                    l,
                    FleetValue,
                    n = l.thousands(f64::from(s.fleet.trucks)),
                    litres = litres(l, tl)
                ),
            ],
            vec![
                tr!(l, RowConvoys),
                tr!(
                    l,
                    ConvoysValue,
                    every = l.num_short(s.dispatch.convoy_interval_days),
                    max = s.dispatch.max_convoy,
                    replan = l.num_short(s.dispatch.replan_days)
                ),
            ],
            vec![
                tr!(l, RowEscorts),
                tr!(
                    l,
                    EscortsValue,
                    n = e.units,
                    s = l.plural(u64::from(e.units)),
                    above = pct(l, e.threshold),
                    policy = policy
                ),
            ],
            vec![
                tr!(l, RowEscortEffect),
                tr!(
                    l,
                    EscortEffectValue,
                    risk = l.digits(&e.risk_factor.to_string()),
                    loss = l.digits(&e.loss_factor.to_string())
                ),
            ],
        ],
        cols: vec![Col::Text, Col::Text],
    });

    b.push(Block::Sub(tr!(l, SubEvents)));
    if s.events.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoEvents)));
    } else {
        let mut evs: Vec<&crate::scenario::Event> = s.events.iter().collect();
        evs.sort_by(|a, b| a.day.total_cmp(&b.day));
        let rows = evs
            .iter()
            .map(|e| {
                vec![
                    when(l, s, e.day),
                    e.until.map_or("—".into(), |u| when(l, s, u)),
                    e.display_label(),
                    effect_text(l, s, &e.effect),
                ]
            })
            .collect();
        b.push(Block::Table {
            head: vec![
                tr!(l, ColStarts),
                tr!(l, ColUntil),
                tr!(l, ColLabel),
                tr!(l, ColWhatHappens),
            ],
            rows,
            cols: vec![Col::Date, Col::Date, Col::Text, Col::Text],
        });
    }
}

/// The routes the plan used most: trucks per day asked for and dispatched.
fn routes_table(l: Lang, b: &mut Vec<Block>, s: &Scenario, sum: &Summary) {
    if sum.routes.is_empty() {
        return;
    }
    let days = sum.layout.days.max(1) as f64;
    b.push(Block::Sub(tr!(l, SubRoutes)));
    b.push(Block::Para(tr!(
        l,
        ParaRoutes,
        days = sum.layout.days,
        n = sum.routes.len().min(8),
        of = sum.routes.len()
    )));
    let rows = sum
        .routes
        .iter()
        .take(8)
        .map(|r| {
            vec![
                super::tables::route_names(s, &r.segments).0,
                l.num(r.planned_trucks / days, 1),
                l.num(r.dispatched_trucks / days, 1),
                if r.planned_trucks > 0.0 {
                    pct_plain(l, r.dispatched_trucks / r.planned_trucks)
                } else {
                    "—".into()
                },
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColRoute),
            tr!(l, ColPlanned),
            tr!(l, ColDispatched),
            tr!(l, ColShare),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num],
    });
}

/// The built-in sensitivity: how it was computed and every input, largest swing first.
fn sensitivity_section(l: Lang, b: &mut Vec<Block>, info: &RunInfo) {
    let Some(sens) = &info.sensitivity else {
        return;
    };
    b.push(Block::Heading(tr!(l, SubWhatWouldChange)));
    let method = tr!(
        l,
        SensMethod,
        n = sens.rows.len(),
        low = l.percent(&format!(
            "{:.0}",
            100.0 * (1.0 - crate::ensemble::SENSITIVITY_STEP)
        )),
        high = l.percent(&format!(
            "{:.0}",
            100.0 * (1.0 + crate::ensemble::SENSITIVITY_STEP)
        )),
        runs = sens.replications
    );
    b.push(Block::Para(tr!(
        l,
        ParaSensBase,
        method = method,
        runs = sens.replications,
        base = litres_mc(l, sens.base, sens.rows.first().map_or(0.0, |r| r.swing_se))
    )));
    if !sens.skipped.is_empty() {
        b.push(Block::Para(tr!(
            l,
            ParaSensSkippedInputs,
            list = sens
                .skipped
                .iter()
                .map(|x| x.label(l))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let rows = sens
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.input.kind.label(l),
                input_value(l, &r.input.low),
                input_value(l, &r.input.base),
                input_value(l, &r.input.high),
                litres_mc(l, r.at_low, r.swing_se),
                litres_mc(l, r.at_high, r.swing_se),
                format!(
                    "{} ± {}",
                    litres_mc(l, r.swing(), r.swing_se),
                    litres_mc(l, r.swing_se, r.swing_se / 10.0)
                ),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            tr!(l, ColRank),
            tr!(l, ColInput),
            tr!(l, ColLow),
            tr!(l, ColBase),
            tr!(l, ColHigh),
            tr!(l, ColUnmetAtLow),
            tr!(l, ColAtHigh),
            tr!(l, ColSwing),
        ],
        rows,
        cols: vec![
            Col::Num,
            Col::Text,
            Col::Text,
            Col::Text,
            Col::Text,
            Col::Num,
            Col::Num,
            Col::Num,
        ],
    });
}

/// The flow analysis under baseline conditions.
fn network(l: Lang, b: &mut Vec<Block>, s: &Scenario) {
    let (mf, crit) = baseline_analysis(s);
    let tl = s.fleet.truck_litres;
    let demand = s.total_demand_litres_per_day();
    b.push(Block::Heading(tr!(l, HeadNetwork)));
    let ratio = if demand > 0.0 {
        tr!(
            l,
            NetRatio,
            share = pct(l, mf.trucks_per_day * tl / demand),
            demand = tr!(l, PerDay, x = litres(l, demand))
        )
    } else {
        String::new()
    };
    b.push(Block::Para(tr!(
        l,
        ParaMaxFlow,
        n = l.num(mf.trucks_per_day, 1),
        litres = tr!(l, PerDay, x = litres(l, mf.trucks_per_day * tl)),
        ratio = ratio
    )));
    if !mf.source_limited.is_empty() {
        let names: Vec<String> = mf
            .source_limited
            .iter()
            .map(|id| s.node(*id).name.clone())
            .collect();
        b.push(Block::Para(tr!(
            l,
            ParaSupplyLimit,
            names = names.join(", ")
        )));
    }
    b.push(Block::Sub(tr!(l, SubMinCut)));
    if mf.min_cut.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoMinCut)));
    } else {
        let rows = mf
            .min_cut
            .iter()
            .map(|id| {
                let g = s.segment(*id);
                vec![
                    s.segment_label(*id),
                    g.id.clone(),
                    l.num(g.capacity_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(tr!(l, ParaMinCut)));
        b.push(Block::Table {
            head: vec![tr!(l, ColSegment), tr!(l, ColId), tr!(l, ColCapacityTrucks)],
            rows,
            cols: vec![Col::Text, Col::Text, Col::Num],
        });
    }
    b.push(Block::Sub(tr!(l, SubMostCritical)));
    let top: Vec<_> = crit
        .iter()
        .filter(|c| c.drop_trucks_per_day > 0.0)
        .take(5)
        .collect();
    if top.is_empty() {
        b.push(Block::Para(tr!(l, ParaNoCritical)));
    } else {
        let rows = top
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let share = if mf.trucks_per_day > 0.0 {
                    c.drop_trucks_per_day / mf.trucks_per_day
                } else {
                    0.0
                };
                vec![
                    (k + 1).to_string(),
                    s.segment_label(c.segment),
                    l.num(c.drop_trucks_per_day, 1),
                    pct(l, share),
                    l.num(c.remaining_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(tr!(l, ParaCritical)));
        b.push(Block::Table {
            head: vec![
                tr!(l, ColRank),
                tr!(l, ColSegment),
                tr!(l, ColDrop),
                tr!(l, ColShareMaxFlow),
                tr!(l, ColMaxFlowWithout),
            ],
            rows,
            cols: vec![Col::Num, Col::Text, Col::Num, Col::Num, Col::Num],
        });
    }
}

/// Escapes text for HTML.
fn esc(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for ch in bytes.chunks(3) {
        let n = (u32::from(ch[0]) << 16)
            | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
            | u32::from(*ch.get(2).unwrap_or(&0));
        o.push(A[(n >> 18) as usize & 63] as char);
        o.push(A[(n >> 12) as usize & 63] as char);
        o.push(if ch.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        o.push(if ch.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    o
}

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#191919;max-width:1340px;margin:.8em auto;padding:0 1.2em;line-height:1.4}\
h1{font-size:1.6em;margin:.2em 0}.cols{display:flex;gap:1.6em;align-items:flex-start}.col{flex:1 1 0;min-width:0}.cols h3{margin:.6em 0 .3em}.cols p,.cols table{font-size:.9em;margin:.3em 0 .5em}.cols figure{margin:.2em 0 .4em}.cols figure h3,.cols figcaption{display:none}\
p.lead{font-size:1.7em;font-weight:bold;margin:.2em 0}@media (max-width:800px){.cols{display:block}}\
h2{margin-top:1.8em;border-bottom:2px solid #ddd;padding-bottom:.2em}h3{margin-top:1.3em}\
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.95em;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #ccc;padding:.35em .6em;vertical-align:top;text-align:left}\
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}figure{margin:1.2em 0 2em}figure img{width:100%;height:auto;border:1px solid #ddd}\
figcaption{color:#444;margin-top:.4em}p.note{color:#666;font-size:.85em;margin-top:1em}.cols p.note{margin-top:.3em}\
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}}";

/// The HTML page; charts are read from `dir` and embedded.
fn to_html(dir: &Path, l: Lang, name: &str, blocks: &[Block]) -> Result<String, ReportError> {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        l.code(),
        esc(&tr!(l, HtmlTitle, name = name))
    );
    for b in blocks {
        html_block(&mut o, dir, b)?;
    }
    o.push_str("</body>\n</html>\n");
    Ok(o)
}

/// Appends one block to the HTML page.
fn html_block(o: &mut String, dir: &Path, b: &Block) -> Result<(), ReportError> {
    match b {
        Block::Title(t) => {
            let _ = writeln!(o, "<h1>{}</h1>", esc(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(o, "<h2>{}</h2>", esc(t));
        }
        Block::Sub(t) => {
            let _ = writeln!(o, "<h3>{}</h3>", esc(t));
        }
        Block::Para(t) => {
            let _ = writeln!(o, "<p>{}</p>", esc(t));
        }
        Block::Note(t) => {
            let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t));
        }
        Block::Lead(t) => {
            let _ = writeln!(o, "<p class=\"lead\">{}</p>", esc(t));
        }
        Block::Columns(left, right) => {
            o.push_str("<div class=\"cols\">\n<div class=\"col\">\n");
            for x in left {
                html_block(o, dir, x)?;
            }
            o.push_str("</div>\n<div class=\"col\">\n");
            for x in right {
                html_block(o, dir, x)?;
            }
            o.push_str("</div>\n</div>\n");
        }
        Block::Table { head, rows, cols } => {
            o.push_str("<table>\n<thead><tr>");
            for h in head {
                let _ = write!(o, "<th>{}</th>", esc(h));
            }
            o.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                o.push_str("<tr>");
                for (i, c) in r.iter().enumerate() {
                    match cols.get(i).copied().unwrap_or(Col::Text) {
                        Col::Text => {
                            let _ = write!(o, "<td>{}</td>", esc(c));
                        }
                        Col::Num => {
                            let _ = write!(o, "<td class=\"n\">{}</td>", esc(c));
                        }
                        Col::Date => {
                            let _ = write!(o, "<td class=\"d\">{}</td>", esc(c));
                        }
                    }
                }
                o.push_str("</tr>\n");
            }
            o.push_str("</tbody>\n</table>\n");
        }
        Block::Figure {
            file,
            title,
            caption,
        } => {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(|source| ReportError::Io {
                path: path.clone(),
                source,
            })?;
            let _ = writeln!(
                o,
                "<figure>\n<h3>{}</h3>\n<img alt=\"{}\" src=\"data:image/png;base64,{}\">\n<figcaption>{}</figcaption>\n</figure>",
                esc(title),
                esc(title),
                base64(&bytes),
                esc(caption)
            );
        }
    }
    Ok(())
}

/// Escapes text for Markdown (paragraphs and table cells): inline markup everywhere, and
/// block markup (`#`, `>`) at the start. An underscore inside a word (`mali_side`) is left
/// alone: it cannot start or end emphasis there, and a backslash would show when the text
/// is pasted somewhere that does not read Markdown.
fn md_esc(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut o = String::with_capacity(t.len());
    for (i, &c) in chars.iter().enumerate() {
        let intraword_underscore = c == '_'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if (matches!(c, '\\' | '*' | '_' | '`' | '|' | '[' | ']' | '<') && !intraword_underscore)
            || (i == 0 && matches!(c, '#' | '>'))
        {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// The Markdown version, with relative image links.
fn to_markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        md_block(&mut o, b);
    }
    o
}

/// Appends one block to the Markdown version; columns come one after the other.
fn md_block(o: &mut String, b: &Block) {
    match b {
        Block::Title(t) => {
            let _ = writeln!(o, "# {}\n", md_esc(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(o, "## {}\n", md_esc(t));
        }
        Block::Sub(t) => {
            let _ = writeln!(o, "### {}\n", md_esc(t));
        }
        Block::Para(t) => {
            let _ = writeln!(o, "{}\n", md_esc(t));
        }
        Block::Note(t) => {
            let _ = writeln!(o, "*{}*\n", md_esc(t));
        }
        Block::Lead(t) => {
            let _ = writeln!(o, "**{}**\n", md_esc(t));
        }
        Block::Columns(left, right) => {
            for x in left.iter().chain(right) {
                md_block(o, x);
            }
        }
        Block::Table { head, rows, cols } => {
            let cells = |r: &[String]| r.iter().map(|c| md_esc(c)).collect::<Vec<_>>().join(" | ");
            let _ = writeln!(o, "| {} |", cells(head));
            let rule: Vec<&str> = (0..head.len())
                .map(|i| {
                    if cols.get(i) == Some(&Col::Num) {
                        "---:"
                    } else {
                        "---"
                    }
                })
                .collect();
            let _ = writeln!(o, "| {} |", rule.join(" | "));
            for r in rows {
                let _ = writeln!(o, "| {} |", cells(r));
            }
            o.push('\n');
        }
        Block::Figure {
            file,
            title,
            caption,
        } => {
            let _ = writeln!(
                o,
                "### {}\n\n![{}]({file})\n\n{}\n",
                md_esc(title),
                md_esc(title),
                md_esc(caption)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            md_esc("segments[KAY-DIE].risk=0.3 | x_y"),
            "segments\\[KAY-DIE\\].risk=0.3 \\| x_y"
        );
        // Underscores that could open or close emphasis are still escaped.
        assert_eq!(md_esc("_a_ mali_side b_ _"), "\\_a\\_ mali_side b\\_ \\_");
    }

    #[test]
    fn markdown_tables_align_numbers_right() {
        let md = to_markdown(&[Block::Table {
            head: vec!["a".into(), "b".into()],
            rows: vec![vec!["x".into(), "1".into()]],
            cols: vec![Col::Text, Col::Num],
        }]);
        assert_eq!(md, "| a | b |\n| --- | ---: |\n| x | 1 |\n\n");
    }
}
