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

use super::charts::{ChartFile, ChartKind, baseline_analysis, chart_files, short_date};
use super::charts::{INPUT_IMPORTANCE, INPUTS_FAN};
use super::inputs::{InputsInfo, compare_sentence, ranked, source_text};
use super::measures::{Measures, count_mc, day_text, litres_mc, pct_mc, pct_plain};
use super::{ReportError, RunInfo, index_text, method_text, num, thousands, write_atomic};
use crate::ensemble::Summary;
use crate::ensemble::{dist_text, value_text};
use crate::scenario::{Effect, EscortPolicy, Scenario, SegmentId, Targets};

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
    let html = to_html(dir, &s.name, &blocks)?;
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
                format!("{} ({})", dist_text(&input.dist), value_text(t.medians[i])),
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
    let mut cols = vec![Col::Text, Col::Text];
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
fn when(s: &Scenario, day: f64) -> String {
    let d = if (day - day.round()).abs() < 1e-9 {
        format!("day {day:.0}")
    } else {
        format!("day {day}")
    };
    match s.start_date {
        Some(start) => format!(
            "{} ({d})",
            short_date(start.plus_days(day.floor() as i64), true)
        ),
        None => d,
    }
}

/// A percentage with one decimal.
fn pct(v: f64) -> String {
    format!("{} %", num(100.0 * v, 1))
}

/// Litres with thousands separators.
fn litres(v: f64) -> String {
    format!("{} L", thousands(v))
}

/// The segments an event names: the ones written, and the tags.
fn targets_text(s: &Scenario, t: &Targets) -> String {
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
        parts.push(format!(
            "roads tagged {tag} ({n} segment{})",
            if n == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        "no segment".into()
    } else {
        parts.join(", ")
    }
}

/// What an event does, in words.
fn effect_text(s: &Scenario, e: &Effect) -> String {
    let name = |id: crate::scenario::NodeId| s.node(id).name.clone();
    match e {
        Effect::RiskMultiplier { targets, factor } => {
            format!("attack risk × {factor} on {}", targets_text(s, targets))
        }
        Effect::Close { targets } => format!("closed: {}", targets_text(s, targets)),
        Effect::SupplyFactor { source, factor } => {
            format!("supply at {} × {factor}", name(*source))
        }
        Effect::EscortUnits(n) => format!(
            "{n} escort unit{} available",
            if *n == 1 { "" } else { "s" }
        ),
        Effect::DemandFactor { depot, factor } => format!(
            "demand × {factor} at {}",
            depot.map_or_else(|| "every depot".to_string(), name)
        ),
        Effect::Airlift {
            depot,
            litres_per_day,
        } => format!(
            "airlift of {}/day into {}",
            litres(*litres_per_day),
            name(*depot)
        ),
        Effect::Delivery { depot, litres: l } => {
            format!("one-off delivery of {} to {}", litres(*l), name(*depot))
        }
        Effect::Attack {
            segment,
            trucks_lost,
        } => format!(
            "attack on record: {trucks_lost} tankers lost on {}",
            s.segment_label(*segment)
        ),
        Effect::ProtectedReserve { depot, litres: l } => format!(
            "{} set aside at {} for the protected classes",
            litres(*l),
            name(*depot)
        ),
    }
}

/// The headline measures as table rows, with their Monte Carlo standard errors where
/// they have one: the content of [`super::headline`] and `headline.csv`.
fn headline_rows(s: &Scenario, m: &Measures) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let n = m.n;
    rows.push(vec![
        "Days of fuel now (stock at day 0 / day-0 demand)".into(),
        format!(
            "{} days ({})",
            num(m.days_now, 1),
            litres_mc(m.stock_now, 0.0)
        ),
    ]);
    for k in &m.key_days {
        rows.push(vec![
            format!("P(rationing by {})", day_text(s, k.day as f64)),
            pct_mc(k.p_rationing, n),
        ]);
    }
    rows.push(vec![
        "First rationing day".into(),
        m.first_day_text(s, &m.first_rationing),
    ]);
    rows.push(vec![
        "Runs that never rationed".into(),
        pct_mc(m.share_never_rationed, n),
    ]);
    rows.push(vec!["Days under rationing".into(), m.days_rationed_text()]);
    for k in &m.key_days {
        rows.push(vec![
            format!("P(dry by {})", day_text(s, k.day as f64)),
            pct_mc(k.p_dry, n),
        ]);
    }
    rows.push(vec![
        "First dry day".into(),
        m.first_day_text(s, &m.first_dry),
    ]);
    rows.push(vec![
        "Runs never dry within the horizon".into(),
        pct_mc(m.share_never_dry, n),
    ]);
    rows.push(vec![
        format!(
            "Unmet demand of the protected classes ({}), mean per run",
            if m.protected_names.is_empty() {
                "none".to_string()
            } else {
                m.protected_names.join(", ")
            }
        ),
        format!(
            "{} (standard error {})",
            litres_mc(m.unmet_protected.0, m.unmet_protected.1),
            litres_mc(m.unmet_protected.1, m.unmet_protected.1 / 10.0)
        ),
    ]);
    let (lost, burned, seized, attacks) = m.losses;
    let (lost_se, burned_se, seized_se, attacks_se) = m.losses_se;
    rows.push(vec![
        "Tankers lost, mean per run".into(),
        format!(
            "{} ({} burned, {} seized)",
            count_mc(lost, lost_se),
            litres_mc(burned, burned_se),
            litres_mc(seized, seized_se)
        ),
    ]);
    rows.push(vec![
        "Convoys attacked, mean per run".into(),
        count_mc(attacks, attacks_se),
    ]);
    rows
}

/// Unmet demand by class, split rationed / dry, as table rows.
fn class_rows(m: &Measures) -> Vec<Vec<String>> {
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
                    if c.protected { ", protected" } else { "" }
                ),
                format!("{} ({})", litres_mc(c.unmet, c.unmet_se), pct_plain(share)),
                litres_mc(c.rationed, c.rationed_se),
                litres_mc(c.dry, c.dry_se),
            ]
        })
        .collect()
}

/// When escorts or the fleet bind, a sentence saying so (else `None`): escorts bind on a
/// day when, on average, every unit was busy and convoys waited for one; the fleet binds
/// on a day when fewer than 5 % of the tankers were idle at a source.
pub(crate) fn binding_sentence(s: &Scenario, sum: &Summary) -> Option<String> {
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
        parts.push(format!(
            "Escorts bind: on {} of the {days} days, the first on {}, every escort unit was busy on average and convoys waited for one, with {} tankers waiting on such a day on average; more escort units would move more fuel.",
            escort_days.len(),
            day_text(s, *first as f64),
            num(mean_wait, 0)
        ));
    }
    if let Some(first) = fleet_days.first() {
        parts.push(format!(
            "The fleet binds: on {} of the {days} days, the first on {}, fewer than 5 % of the tankers were idle at a source; more tankers would move more fuel where roads and supply allow.",
            fleet_days.len(),
            day_text(s, *first as f64)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The title and one-sentence caption of a chart.
fn caption(s: &Scenario, sum: &Summary, kind: ChartKind) -> (String, String) {
    let h = s.horizon_days as usize;
    match kind {
        ChartKind::Stock(d) => {
            let id = sum.layout.depots[d];
            let dep = s.depot(id);
            let trig = dep.map_or(String::new(), |d| {
                format!(
                    "; below the dashed line ({} days of supply) rationing starts",
                    num(d.rationing.trigger_days, 1).trim_end_matches(".0")
                )
            });
            (
                format!("Fuel stock at {}", s.node(id).name),
                format!(
                    "Stock at {} in days of supply (top) and litres (bottom): the line is the median run, the dark band holds the middle half of the runs and the light band 90 % of them{trig}.",
                    s.node(id).name
                ),
            )
        }
        ChartKind::Dry => {
            let last = sum.p_dry_by.last().copied().unwrap_or(0.0);
            let last_r = sum.p_rationing_by.last().copied().unwrap_or(0.0);
            let last_day = h.saturating_sub(1) as f64;
            let half = super::charts::crossing_day(&sum.p_dry_by, 0.5)
                .map_or("never reaches 50 % within the horizon".to_string(), |k| {
                    format!("passes 50 % on {}", when(s, k as f64))
                });
            (
                "Chance of rationing and of running dry, by date".into(),
                format!(
                    "The share of runs in which rationing has started (blue) and in which a depot has run dry (red) on or before each date, the daily.csv columns p_rationing_by_day and p_dry_by_day: {} and {} by {}; the dry curve {half}.",
                    pct_mc(last_r, sum.replications),
                    pct_mc(last, sum.replications),
                    when(s, last_day)
                ),
            )
        }
        ChartKind::Fleet => {
            let bind = binding_sentence(s, sum).unwrap_or_else(|| {
                "Neither the escorts nor the fleet bind: on no day were all escorts busy with convoys waiting, nor fewer than 5 % of the tankers idle.".into()
            });
            (
                "Where the fleet is".into(),
                format!(
                    "Mean tankers in each state at the end of each day (daily.csv columns trucks_*_mean): loaded on the road, waiting for an escort, held at a gate or a closure, waiting to unload, returning empty, idle at a source. {bind}"
                ),
            )
        }
        ChartKind::Served => (
            "Expected fuel served, by priority class".into(),
            "Mean litres served each day per priority class (solid) and demand not served (pale): the pale area is what rationing and dry days cost each class.".into(),
        ),
        ChartKind::Deliveries => (
            "Expected deliveries by corridor".into(),
            "Mean litres arriving each day by the port or depot where the tankers loaded, stacked, against demand (black line).".into(),
        ),
        ChartKind::Losses => {
            let top = (0..sum.segments.len().min(s.segments.len()))
                .filter(|i| sum.segments[*i].trucks_lost > 0.0)
                .max_by(|a, b| {
                    sum.segments[*a]
                        .trucks_lost
                        .total_cmp(&sum.segments[*b].trucks_lost)
                        .then(b.cmp(a))
                });
            let most = top.map_or(" No tanker was lost in any run.".to_string(), |i| {
                format!(
                    " {} loses most: {} tankers per run.",
                    s.segment_label(SegmentId(i as u32)),
                    num(sum.segments[i].trucks_lost, 1)
                )
            });
            (
                "Tankers lost by road segment".into(),
                format!(
                    "Mean tankers lost per run on each road segment, split into fuel burned, fuel seized and empty trucks.{most}"
                ),
            )
        }
        ChartKind::FirstDry => {
            let dry = 1.0 - sum.share_never_dry();
            let median = sum
                .first_dry_percentile(0.5)
                .map_or("there is no median: most runs have no dry day within the horizon".to_string(), |m| {
                    format!("the median is {}", when(s, m.round()))
                });
            (
                "When the pumps first run dry".into(),
                format!(
                    "The first dry day of each run (the stock ran out before every request was met): {} of runs had one within {h} days and {} none; {median}.",
                    pct_mc(dry, sum.replications),
                    pct_mc(1.0 - dry, sum.replications)
                ),
            )
        }
        ChartKind::Network => (
            "Road network: capacity and critical segments".into(),
            "The roads on a map: line width is capacity, colour is how much the maximum flow drops if that road alone is closed, and black-outlined roads form the minimum cut.".into(),
        ),
    }
}

/// Builds the report.
fn blocks(dir: &Path, s: &Scenario, sum: &Summary, info: &RunInfo) -> Vec<Block> {
    let mut b = Vec::new();
    let m = Measures::new(s, sum);
    let h = s.horizon_days;
    let span = match s.start_date {
        Some(d) => format!(
            "{h} days from {} to {}",
            short_date(d, true),
            short_date(d.plus_days(i64::from(h)), true)
        ),
        None => format!("{h} days"),
    };
    b.push(Block::Title(format!(
        "{}: fuel supply under blockade",
        s.name
    )));
    b.push(Block::Para(format!(
        "{}{} simulated runs of {span}, seed {}. Dates are percentiles across runs; litres are means per run, rounded to what the Monte Carlo error supports.",
        info.as_of
            .as_deref()
            .map_or(String::new(), |d| format!("As of {d}. ")),
        thousands(sum.replications as f64),
        sum.seed
    )));

    // The first screen: how many days, how sure, what would change it.
    let mut left = vec![
        Block::Lead(format!("{} days of fuel now", num(m.days_now, 1))),
        Block::Para(format!(
            "{} in stock on day 0 against {}/day of demand; rationing starts below {} days of supply.",
            litres_mc(m.stock_now, 0.0),
            litres_mc(
                sum.depot_demand
                    .iter()
                    .map(|d| d.first().copied().unwrap_or(0.0))
                    .sum(),
                0.0
            ),
            num(m.trigger_days, 1).trim_end_matches(".0")
        )),
        Block::Sub("How sure".into()),
        Block::Para(m.paragraph(s, info.as_of.as_deref())),
        Block::Table {
            head: vec![
                "By (on or before)".into(),
                "P(rationing)".into(),
                "P(dry)".into(),
            ],
            rows: m
                .key_days
                .iter()
                .map(|k| {
                    vec![
                        day_text(s, k.day as f64),
                        pct_mc(k.p_rationing, m.n),
                        pct_mc(k.p_dry, m.n),
                    ]
                })
                .collect(),
            cols: vec![Col::Date, Col::Num, Col::Num],
        },
    ];
    left.push(Block::Sub("What would change it".into()));
    match &info.sensitivity {
        Some(sens) if !sens.rows.is_empty() => {
            left.push(Block::Table {
                head: vec![
                    "Input".into(),
                    "Value: low / base / high".into(),
                    "Unmet protected demand: low → high".into(),
                ],
                rows: sens
                    .rows
                    .iter()
                    .take(3)
                    .enumerate()
                    .map(|(i, r)| {
                        vec![
                            format!("{}. {}", i + 1, r.input.label),
                            format!("{} / {} / {}", r.input.low, r.input.base, r.input.high),
                            format!(
                                "{} → {}",
                                litres_mc(r.at_low, r.swing_se),
                                litres_mc(r.at_high, r.swing_se)
                            ),
                        ]
                    })
                    .collect(),
                cols: vec![Col::Text, Col::Text, Col::Num],
            });
            left.push(Block::Note(format!(
                "The {} inputs that move the unmet demand of the protected classes most when each is set to 50 % and 150 % of its value, one at a time ({} runs each, common random numbers). Method and full ranking: section \"What would change it\" below.",
                sens.rows.len().min(3),
                sens.replications
            )));
        }
        Some(_) => left.push(Block::Para(
            "The scenario has no input that the built-in sensitivity moves.".into(),
        )),
        None => left.push(Block::Para(
            "The built-in sensitivity was skipped (--no-sensitivity).".into(),
        )),
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
            title: "Days of supply".into(),
            caption: "Days of supply at the depot: median run (line), middle half and 90 % of runs (bands), the rationing trigger (dashed).".into(),
        });
    }
    right.push(Block::Sub("Unmet demand by class, mean per run".into()));
    right.push(Block::Table {
        head: vec![
            "Class (priority)".into(),
            "Unmet (share of demand)".into(),
            "Rationed".into(),
            "Dry".into(),
        ],
        rows: class_rows(&m),
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num],
    });
    if let Some(t) = binding_sentence(s, sum) {
        right.push(Block::Sub("Why".into()));
        right.push(Block::Para(t));
    }
    b.push(Block::Columns(left, right));

    if let Some(x) = &info.inputs {
        inputs_blocks(&mut b, dir, s, sum, x);
    }

    b.push(Block::Heading("Headline".into()));
    b.push(Block::Table {
        head: vec!["Measure".into(), "Value".into()],
        rows: headline_rows(s, &m),
        cols: vec![Col::Text, Col::Text],
    });
    b.push(Block::Sub("Who went without".into()));
    b.push(Block::Table {
        head: vec![
            "Class (priority)".into(),
            "Baseline demand over the run".into(),
            "Unmet, mean per run".into(),
            "Rationed".into(),
            "Dry".into(),
            "Runs in which it went short (a dry day of its own)".into(),
        ],
        rows: m
            .classes
            .iter()
            .zip(class_rows(&m))
            .map(|(c, r)| {
                vec![
                    r[0].clone(),
                    litres_mc(c.baseline, 0.0),
                    r[1].clone(),
                    r[2].clone(),
                    r[3].clone(),
                    pct_mc(c.p_dry, m.n),
                ]
            })
            .collect(),
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num, Col::Num, Col::Num],
    });
    routes_table(&mut b, s, sum);
    b.push(Block::Para(
        "A rationing day: days of supply fell below the trigger, so the unprotected classes asked for part of their demand only. A dry day: the stock ran out before every class got what it asked for. \"By\" a date means on or before it: the daily.csv row of that date. Unmet demand is demand not served, split into rationed (withheld by rationing) and dry (asked for but not there).".into(),
    ));
    if !s.description.trim().is_empty() {
        b.push(Block::Para(s.description.trim().to_string()));
    }

    b.push(Block::Heading("Run".into()));
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
        head: vec!["Item".into(), "Value".into()],
        rows: vec![
            vec!["Scenario".into(), s.name.clone()],
            vec!["Scenario files".into(), files.join(", ")],
            vec!["Scenario hash".into(), info.scenario_hash.clone()],
            vec!["blockade version".into(), env!("CARGO_PKG_VERSION").into()],
            vec!["Replications".into(), thousands(sum.replications as f64)],
            vec!["Seed".into(), sum.seed.to_string()],
            vec!["Horizon".into(), span.clone()],
            vec![
                "Overrides (--set)".into(),
                if info.overrides.is_empty() {
                    "none".into()
                } else {
                    info.overrides.join(", ")
                },
            ],
        ],
        cols: vec![Col::Text, Col::Text],
    });

    assumptions(&mut b, s);

    b.push(Block::Heading("Charts".into()));
    let mut any = false;
    for ChartFile { kind, file } in chart_list {
        if fan.as_ref() == Some(&file) {
            any = true;
            continue;
        }
        if dir.join("charts").join(&file).is_file() {
            let (title, caption) = caption(s, sum, kind);
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
            title: format!(
                "Road network: chance a convoy is attacked on {}",
                s.day_label(i64::from(day))
            ),
            caption: format!(
                "The roads coloured by the chance that an unescorted convoy entering them is attacked, under the risks and closures of day {day}, the scenario's most dangerous day (the highest chance summed over the roads). Escorts lower it; line width is capacity."
            ),
        });
        any = true;
    }
    if dir.join("charts").join("losses-map.png").is_file() {
        b.push(Block::Figure {
            file: "charts/losses-map.png".into(),
            title: "Road network: tankers lost per road".into(),
            caption: "The roads coloured by the tankers lost on them, mean per run over the whole horizon (burned or seized, loaded or empty); line width is capacity.".into(),
        });
        any = true;
    }
    if !any {
        b.push(Block::Para("No charts were drawn for this run.".into()));
    }

    sensitivity_section(&mut b, info);

    network(&mut b, s);

    b.push(Block::Note(format!(
        "Written by blockade {} for scenario hash {}. The report records no date or time: the same scenario, seed and replications give the same file.",
        env!("CARGO_PKG_VERSION"),
        info.scenario_hash
    )));
    b
}

/// The assumptions: depots and demand, sources, fleet and escorts, events.
fn assumptions(b: &mut Vec<Block>, s: &Scenario) {
    b.push(Block::Heading("Assumptions".into()));
    b.push(Block::Sub("Depots and demand".into()));
    let mut rows = Vec::new();
    for (id, d) in s.depots() {
        let dem = d.demand_litres_per_day();
        let dos = if dem > 0.0 {
            format!("{} days", num(d.initial_stock_litres / dem, 1))
        } else {
            "no demand".into()
        };
        rows.push(vec![
            s.node(id).name.clone(),
            litres(d.initial_stock_litres),
            dos,
            litres(d.capacity_litres),
            format!(
                "below {} days of supply, priority > {} gets {} of its demand",
                num(d.rationing.trigger_days, 1).trim_end_matches(".0"),
                d.rationing.protected_priority,
                pct(d.rationing.ration_fraction)
            ),
        ]);
    }
    b.push(Block::Table {
        head: vec![
            "Depot".into(),
            "Initial stock".into(),
            "Days of supply at day 0".into(),
            "Capacity".into(),
            "Rationing".into(),
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
                format!("{}/day", litres(c.litres_per_day)),
                if c.priority <= d.rationing.protected_priority {
                    "protected".into()
                } else {
                    "rationed".into()
                },
            ]);
        }
    }
    b.push(Block::Table {
        head: vec![
            "Depot".into(),
            "Demand class".into(),
            "Priority".into(),
            "Baseline demand".into(),
            "Under rationing".into(),
        ],
        rows,
        cols: vec![Col::Text, Col::Text, Col::Num, Col::Num, Col::Text],
    });

    b.push(Block::Sub("Sources".into()));
    let tl = s.fleet.truck_litres;
    let rows: Vec<Vec<String>> = s
        .sources()
        .map(|(id, supply)| {
            vec![
                s.node(id).name.clone(),
                format!("{}/day", litres(supply)),
                num(supply / tl, 1),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            "Source".into(),
            "Supply".into(),
            "Truckloads per day".into(),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num],
    });

    b.push(Block::Sub("Fleet, convoys and escorts".into()));
    let e = &s.escorts;
    let policy = match e.policy {
        EscortPolicy::Required => "convoys wait for an escort",
        EscortPolicy::IfFree => "convoys take an escort if one is free, else leave alone",
    };
    b.push(Block::Table {
        head: vec!["Item".into(), "Value".into()],
        rows: vec![
            vec![
                "Fleet".into(),
                format!(
                    "{} tankers of {}",
                    thousands(f64::from(s.fleet.trucks)),
                    litres(tl)
                ),
            ],
            vec![
                "Convoys".into(),
                format!(
                    "one every {} days per source, at most {} tankers, replanned every {} days",
                    num(s.dispatch.convoy_interval_days, 1).trim_end_matches(".0"),
                    s.dispatch.max_convoy,
                    num(s.dispatch.replan_days, 1).trim_end_matches(".0")
                ),
            ],
            vec![
                "Escorts".into(),
                format!(
                    "{} unit{} at day 0, for routes with attack probability above {}; {policy}",
                    e.units,
                    if e.units == 1 { "" } else { "s" },
                    pct(e.threshold)
                ),
            ],
            vec![
                "Escort effect".into(),
                format!(
                    "attack hazard × {}, tankers lost in an attack × {}",
                    e.risk_factor, e.loss_factor
                ),
            ],
        ],
        cols: vec![Col::Text, Col::Text],
    });

    b.push(Block::Sub("Events".into()));
    if s.events.is_empty() {
        b.push(Block::Para(
            "No events: the baseline holds for the whole run.".into(),
        ));
    } else {
        let mut evs: Vec<&crate::scenario::Event> = s.events.iter().collect();
        evs.sort_by(|a, b| a.day.total_cmp(&b.day));
        let rows = evs
            .iter()
            .map(|e| {
                vec![
                    when(s, e.day),
                    e.until.map_or("—".into(), |u| when(s, u)),
                    e.display_label(),
                    effect_text(s, &e.effect),
                ]
            })
            .collect();
        b.push(Block::Table {
            head: vec![
                "Starts".into(),
                "Until".into(),
                "Label".into(),
                "What happens".into(),
            ],
            rows,
            cols: vec![Col::Date, Col::Date, Col::Text, Col::Text],
        });
    }
}

/// The routes the plan used most: trucks per day asked for and dispatched.
fn routes_table(b: &mut Vec<Block>, s: &Scenario, sum: &Summary) {
    if sum.routes.is_empty() {
        return;
    }
    let days = sum.layout.days.max(1) as f64;
    b.push(Block::Sub(
        "Routes: what the plan asked for and what left".into(),
    ));
    b.push(Block::Para(format!(
        "Trucks per day that the dispatch plan's quotas asked of each route and that were dispatched on it (joined one of its convoys; a convoy waiting for an escort has been dispatched but has not left), means over runs and the {} days; the {} routes used most, of {} (all in routes.csv).",
        sum.layout.days,
        sum.routes.len().min(8),
        sum.routes.len()
    )));
    let rows = sum
        .routes
        .iter()
        .take(8)
        .map(|r| {
            vec![
                super::tables::route_names(s, &r.segments).0,
                num(r.planned_trucks / days, 1),
                num(r.dispatched_trucks / days, 1),
                if r.planned_trucks > 0.0 {
                    pct_plain(r.dispatched_trucks / r.planned_trucks)
                } else {
                    "—".into()
                },
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            "Route".into(),
            "Planned, trucks/day".into(),
            "Dispatched, trucks/day".into(),
            "Share".into(),
        ],
        rows,
        cols: vec![Col::Text, Col::Num, Col::Num, Col::Num],
    });
}

/// The built-in sensitivity: how it was computed and every input, largest swing first.
fn sensitivity_section(b: &mut Vec<Block>, info: &RunInfo) {
    let Some(sens) = &info.sensitivity else {
        return;
    };
    b.push(Block::Heading("What would change it".into()));
    b.push(Block::Para(format!(
        "{}. The base case is the run's first {} replications: {} of unmet protected demand on average. Each row can be reproduced with blockade tornado --kpi unmet_protected and its overrides (summary.json lists them).",
        sens.method(),
        sens.replications,
        litres_mc(sens.base, sens.rows.first().map_or(0.0, |r| r.swing_se))
    )));
    if !sens.skipped.is_empty() {
        b.push(Block::Para(format!(
            "Left out because a moved value made the scenario invalid: {}.",
            sens.skipped.join(", ")
        )));
    }
    let rows = sens
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.input.label.clone(),
                r.input.low.clone(),
                r.input.base.clone(),
                r.input.high.clone(),
                litres_mc(r.at_low, r.swing_se),
                litres_mc(r.at_high, r.swing_se),
                format!(
                    "{} ± {}",
                    litres_mc(r.swing(), r.swing_se),
                    litres_mc(r.swing_se, r.swing_se / 10.0)
                ),
            ]
        })
        .collect();
    b.push(Block::Table {
        head: vec![
            "Rank".into(),
            "Input".into(),
            "Low".into(),
            "Base".into(),
            "High".into(),
            "Unmet protected at low".into(),
            "At high".into(),
            "Swing ± standard error".into(),
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
fn network(b: &mut Vec<Block>, s: &Scenario) {
    let (mf, crit) = baseline_analysis(s);
    let tl = s.fleet.truck_litres;
    let demand = s.total_demand_litres_per_day();
    b.push(Block::Heading("Network analysis (baseline)".into()));
    let ratio = if demand > 0.0 {
        format!(
            ", {} of demand ({}/day)",
            pct(mf.trucks_per_day * tl / demand),
            litres(demand)
        )
    } else {
        String::new()
    };
    b.push(Block::Para(format!(
        "With every road open and no event applied, the network can bring at most {} loaded trucks a day to the depots: {}/day{ratio}.",
        num(mf.trucks_per_day, 1),
        litres(mf.trucks_per_day * tl)
    )));
    if !mf.source_limited.is_empty() {
        let names: Vec<String> = mf
            .source_limited
            .iter()
            .map(|id| s.node(*id).name.clone())
            .collect();
        b.push(Block::Para(format!(
            "Supply, not road capacity, is the limit at: {}.",
            names.join(", ")
        )));
    }
    b.push(Block::Sub("Minimum cut".into()));
    if mf.min_cut.is_empty() {
        b.push(Block::Para(
            "No road segment is in the minimum cut: the sources' supply is what limits the flow."
                .into(),
        ));
    } else {
        let rows = mf
            .min_cut
            .iter()
            .map(|id| {
                let g = s.segment(*id);
                vec![
                    s.segment_label(*id),
                    g.id.clone(),
                    num(g.capacity_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(
            "These roads together cap the maximum flow: adding capacity anywhere else cannot raise it."
                .into(),
        ));
        b.push(Block::Table {
            head: vec!["Segment".into(), "Id".into(), "Capacity, trucks/day".into()],
            rows,
            cols: vec![Col::Text, Col::Text, Col::Num],
        });
    }
    b.push(Block::Sub("Most critical segments".into()));
    let top: Vec<_> = crit
        .iter()
        .filter(|c| c.drop_trucks_per_day > 0.0)
        .take(5)
        .collect();
    if top.is_empty() {
        b.push(Block::Para(
            "Closing any one road segment alone does not reduce the maximum flow.".into(),
        ));
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
                    num(c.drop_trucks_per_day, 1),
                    pct(share),
                    num(c.remaining_trucks_per_day, 1),
                ]
            })
            .collect();
        b.push(Block::Para(
            "How much the maximum flow drops when one segment alone is closed, largest first."
                .into(),
        ));
        b.push(Block::Table {
            head: vec![
                "Rank".into(),
                "Segment".into(),
                "Drop, trucks/day".into(),
                "Share of max flow".into(),
                "Max flow without it".into(),
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
fn to_html(dir: &Path, name: &str, blocks: &[Block]) -> Result<String, ReportError> {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — blockade report</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(name)
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
