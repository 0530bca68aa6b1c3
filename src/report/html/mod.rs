//! The report page of a run: `report.html`, one self-contained file (inline CSS, charts
//! embedded as base64 data URIs, no script, nothing fetched) that a planner can email, and
//! `report.md`, the same content with the charts linked as `charts/*.png`, for pasting
//! into other documents.
//!
//! Both are rendered from one list of [`Block`]s, so they cannot drift apart. Nothing in
//! them depends on the clock or the machine: the same run gives the same bytes. A chart is
//! shown only if [`super::write_charts`] drew it, and the page embeds the PNG bytes that
//! call returned: nothing is read back from disk.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::charts::RunCharts;

use super::charts::{CALIBRATED_FAN, INPUT_IMPORTANCE, INPUTS_FAN};
use super::charts::{ChartFile, ChartKind, chart_files};
use super::index_text;
use super::inputs::{
    InputsInfo, compare_sentence, measure_words, median_text, method_text_in, ranked, source_words,
};
use super::lang::{Lang, Msg, fill, input_value};
use super::measures::{
    Measures, count_mc_in as count_mc, day_text_in as day_text, litres_mc_in as litres_mc,
    pct_mc_in as pct_mc, pct_plain_in as pct_plain,
};
use super::{FlowBaseline, ReportError, RunInfo, write_atomic};
use crate::ensemble::dist_text;
use crate::ensemble::{SensitivityDesign, Summary};
use crate::scenario::{Effect, EscortPolicy, Scenario, SegmentId, Targets};
use crate::tr;

mod render;
mod sections;
mod text;

use render::*;
use sections::*;
use text::*;

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

/// Writes `report.html` and `report.md` into `dir` and returns them. `charts` are what
/// [`super::write_charts`] returned ([`RunCharts::none`] for a report without charts): a
/// chart it did not draw is left out of both files, and the page embeds the PNG bytes it
/// holds. `flow` is the run's baseline analysis, the one the tables and maps show.
///
/// # Errors
/// [`ReportError::Io`] if a file cannot be written.
pub fn write_report(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
    flow: &FlowBaseline,
    charts: &RunCharts,
) -> Result<Vec<PathBuf>, ReportError> {
    let blocks = blocks(&Drawn(charts), s, sum, info, flow);
    // French punctuation keeps to its word at a line break (`Lang::typeset`).
    let html = info
        .lang
        .typeset(&to_html(charts, info.lang, &s.name, &blocks)?);
    let md = info.lang.typeset(&to_markdown(&blocks));
    let h = dir.join("report.html");
    let m = dir.join("report.md");
    write_atomic(&h, html.as_bytes())?;
    write_atomic(&m, md.as_bytes())?;
    Ok(vec![h, m])
}

/// The charts [`super::write_charts`] drew, by file name under `charts/`.
struct Drawn<'a>(&'a RunCharts);

impl Drawn<'_> {
    /// Whether `charts/<file>` was drawn.
    fn has(&self, file: &str) -> bool {
        self.0.png(&format!("charts/{file}")).is_some()
    }
}

/// Builds the report.
fn blocks(
    drawn: &Drawn,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
    flow: &FlowBaseline,
) -> Vec<Block> {
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
                        day_text(l, s, f64::from(k.day)),
                        pct_mc(l, k.p_rationing, m.n),
                        pct_mc(l, k.p_dry, m.n),
                    ]
                })
                .collect(),
            cols: vec![Col::Date, Col::Num, Col::Num],
        },
    ];
    left.push(Block::Sub(tr!(l, SubWhatWouldChange)));
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
                            format!("{}. {}", i + 1, super::input_label(l, s, &r.input.kind)),
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
            let w = sections::DesignWords::of(l, sens.design);
            left.push(Block::Note(fill(
                w.note_top.text(l),
                &[
                    ("low", &w.low),
                    ("high", &w.high),
                    ("runs", &sens.replications),
                    ("section", &l.t(Msg::SubWhatWouldChange)),
                ],
            )));
        }
        Some(sens) if !sens.rows.is_empty() => {
            let w = sections::DesignWords::of(l, sens.design);
            left.push(Block::Para(fill(
                w.none_moves.text(l),
                &[
                    ("n", &sens.rows.len()),
                    ("low", &w.low),
                    ("high", &w.high),
                    ("runs", &sens.replications),
                    ("section", &l.t(Msg::SubWhatWouldChange)),
                ],
            )));
        }
        Some(_) => left.push(Block::Para(tr!(l, ParaNoSensInput))),
        None => left.push(Block::Para(tr!(l, ParaSensSkipped))),
    }
    let mut right = Vec::new();
    let chart_list = chart_files(s, sum);
    let fan: Option<String> = chart_list
        .iter()
        .find(|f| matches!(f.kind, ChartKind::Stock(0)))
        .filter(|f| drawn.has(&f.file))
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
        inputs_blocks(l, &mut b, drawn, s, sum, x);
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
    let risk_map = drawn.has("risk.png");
    for ChartFile { kind, file } in chart_list {
        if fan.as_ref() == Some(&file) {
            any = true;
            continue;
        }
        if risk_map && matches!(kind, ChartKind::Network) {
            continue;
        }
        if drawn.has(&file) {
            let (title, caption) = caption(l, s, sum, kind);
            b.push(Block::Figure {
                file: format!("charts/{file}"),
                title,
                caption,
            });
            any = true;
        }
    }
    if risk_map {
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
    if drawn.has("losses-map.png") {
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

    sensitivity_section(l, s, &mut b, info);

    network(l, &mut b, s, flow);

    b.push(Block::Note(tr!(
        l,
        NoteWrittenBy,
        version = env!("CARGO_PKG_VERSION"),
        hash = info.scenario_hash
    )));
    b
}
