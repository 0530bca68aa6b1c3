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
use super::{ReportError, RunInfo, num, thousands, write_atomic};
use crate::ensemble::Summary;
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
    }
}

/// The headline numbers as table rows: the content of [`super::headline`], and every
/// demand class rather than only priority 1.
fn headline_rows(s: &Scenario, sum: &Summary) -> Vec<Vec<String>> {
    let h = s.horizon_days as usize;
    let mut rows = Vec::new();
    let day = |d: f64| when(s, d.round());
    match sum.first_stockout_percentile(0.5) {
        Some(m) => {
            rows.push(vec!["First stockout, median".into(), day(m)]);
            rows.push(vec![
                "First stockout, P10 (1 run in 10 is earlier)".into(),
                sum.first_stockout_percentile(0.1).map_or("-".into(), day),
            ]);
            rows.push(vec![
                "First stockout, P90 (1 run in 10 is later)".into(),
                sum.first_stockout_percentile(0.9)
                    .map_or(format!("after day {h}"), day),
            ]);
        }
        None => rows.push(vec![
            "First stockout, median".into(),
            format!("none within the {h}-day horizon"),
        ]),
    }
    let mut marks: Vec<usize> = [30, 60, 90].into_iter().filter(|d| *d < h).collect();
    marks.push(h);
    for d in marks {
        rows.push(vec![
            format!("Chance of a stockout by {}", when(s, d as f64)),
            pct(sum.p_stockout_by_day(d - 1)),
        ]);
    }
    let never = sum
        .rows
        .iter()
        .filter(|r| r.first_stockout.is_none())
        .count() as f64
        / sum.rows.len().max(1) as f64;
    rows.push(vec!["Runs that never ran dry".into(), pct(never)]);
    for i in 0..sum.layout.classes.len() {
        let (dep, c) = sum.layout.classes[i];
        let prio = s
            .depot(sum.layout.depots[dep])
            .and_then(|d| d.demand.get(c))
            .map_or(0, |c| c.priority);
        let demand: f64 = sum.demand[i].iter().sum();
        let unmet = sum.mean_unmet(i);
        let share = if demand > 0.0 { unmet / demand } else { 0.0 };
        rows.push(vec![
            format!(
                "Unmet demand, {} (priority {prio}), mean per run",
                sum.layout.class_name(s, i)
            ),
            format!("{} ({} of its demand)", litres(unmet), pct(share)),
        ]);
    }
    rows.push(vec![
        "Tankers lost, mean per run".into(),
        format!(
            "{} ({} burned, {} seized)",
            num(sum.mean_of(|r| r.trucks_lost), 1),
            litres(sum.mean_of(|r| r.fuel_destroyed)),
            litres(sum.mean_of(|r| r.fuel_seized))
        ),
    ]);
    rows.push(vec![
        "Convoys attacked, mean per run".into(),
        num(sum.mean_of(|r| r.attacks), 1),
    ]);
    rows
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
        ChartKind::Stockout => {
            let last = sum.p_stockout_by.last().copied().unwrap_or(0.0);
            let half = sum
                .p_stockout_by
                .iter()
                .position(|p| *p >= 0.5)
                .map_or("never reaches 50 % within the horizon".to_string(), |k| {
                    format!("passes 50 % on {}", when(s, k as f64))
                });
            (
                "Chance of a stockout by date".into(),
                format!(
                    "The share of runs in which a depot has run dry by each date: {} by day {h}; it {half}.",
                    pct(last)
                ),
            )
        }
        ChartKind::Served => (
            "Expected fuel served, by priority class".into(),
            "Mean litres served each day per priority class (solid) and demand not served (pale): the pale area is what rationing and stockouts cost each class.".into(),
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
        ChartKind::FirstStockout => {
            let dry = sum.rows.iter().filter(|r| r.first_stockout.is_some()).count() as f64
                / sum.rows.len().max(1) as f64;
            let median = sum
                .first_stockout_percentile(0.5)
                .map_or("there is no median, as most runs never ran dry".to_string(), |m| {
                    format!("the median is {}", when(s, m.round()))
                });
            (
                "When the first stockout happens".into(),
                format!(
                    "When each run first ran dry: {} of runs did within {h} days and {} never did; {median}.",
                    pct(dry),
                    pct(1.0 - dry)
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
    if !s.description.trim().is_empty() {
        b.push(Block::Para(s.description.trim().to_string()));
    }
    b.push(Block::Para(format!(
        "{} simulated runs of {span}. Stocks and dates are percentiles across runs (P50 is the median run); daily flows (fuel served, delivered) are expected values, the mean across runs, because means add up across classes and corridors and medians do not.",
        thousands(sum.replications as f64)
    )));

    b.push(Block::Heading("Headline".into()));
    b.push(Block::Table {
        head: vec!["Measure".into(), "Value".into()],
        rows: headline_rows(s, sum),
        cols: vec![Col::Text, Col::Text],
    });

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
    for ChartFile { kind, file } in chart_files(s, sum) {
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

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#191919;max-width:1100px;margin:2em auto;padding:0 1.2em;line-height:1.45}\
h1{font-size:1.9em;margin-bottom:.3em}h2{margin-top:1.8em;border-bottom:2px solid #ddd;padding-bottom:.2em}h3{margin-top:1.3em}\
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.95em;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #ccc;padding:.35em .6em;vertical-align:top;text-align:left}\
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}figure{margin:1.2em 0 2em}figure img{width:100%;height:auto;border:1px solid #ddd}\
figcaption{color:#444;margin-top:.4em}p.note{color:#666;font-size:.85em;margin-top:3em}\
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
    }
    o.push_str("</body>\n</html>\n");
    Ok(o)
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
            Block::Table { head, rows, cols } => {
                let cells =
                    |r: &[String]| r.iter().map(|c| md_esc(c)).collect::<Vec<_>>().join(" | ");
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
    o
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
