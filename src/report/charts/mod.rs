//! The charts of a run, drawn with plotters: a PNG for each (1600 x 900 unless asked
//! otherwise), and the same chart as SVG on request. Each chart names the scenario in its
//! title and the run (replications, seed, overrides) in its subtitle. `docs/outputs.md`
//! describes every chart.
//!
//! | file | what it shows |
//! |---|---|
//! | `stock.png` (`stock-<DEPOT>.png` with several depots) | stock in days of supply and million litres: P5–P95 and P25–P75 bands, median, rationing trigger, events |
//! | `dry-and-rationing.png` | share of runs in which rationing has started, and which have run dry, by each date; 50 % and 90 % crossings |
//! | `demand-served.png` | mean litres served and not served per day, stacked by priority class |
//! | `fleet.png` | where the fleet is: mean tankers per state (on the road, waiting for an escort, at a gate or closure, unloading, returning, idle) |
//! | `deliveries.png` | mean litres arriving per day by loading source, stacked, against demand |
//! | `losses.png` | tankers lost per run by segment (fuel burned, seized, empty) |
//! | `first-dry.png` | histogram of the first dry day, median marked |
//! | `network.png` | the road network on a map: capacity, criticality, minimum cut ([`network_map`]) |
//! | `risk.png` | the roads coloured by attack risk on the scenario's most dangerous day ([`risk_map`]) |
//! | `losses-map.png` | the roads coloured by tankers lost on them, mean per run ([`losses_map`]) |
//! | `stock-inputs.png` | with uncertain inputs: the first depot's fan with input uncertainty and with every input at its median, side by side on one scale |
//! | `stock-calibrated.png` | with `--inputs FILE`: the first depot's fan with the inputs drawn from their ranges (before calibration) and on the calibrated points, side by side on one scale |
//! | `input-importance.png` | with uncertain inputs: each input's first-order index on the headline measures, ±2 Monte Carlo errors |
//!
//! The studies draw theirs next to their tables:
//!
//! | file | drawn by | what it shows |
//! |---|---|---|
//! | `sweep-<kpi>.png` | [`sweep_chart`] | a KPI against the varied value, its 90 % band and ±2 SE bars, one line per value of a second path |
//! | `tornado.png` | [`tornado_chart`] | the KPI at each path's low and high value around the base case, sorted by swing |
//! | `compare-stock.png`, `compare-dry.png` | [`compare_charts`] | each scenario's stock (median, P25–P75) and P(dry by date) |
//! | `reserve.png` | [`reserve_chart`] | the chance of full service against the lever at every value tried, the target, the answer and its Monte Carlo interval |
//!
//! Invariants: no system font is read (DejaVu Sans is compiled in, see `draw.rs`), no
//! clock, no hash order: the same summary gives the same bytes. Degenerate summaries (one
//! replication, one day, all zeros, never or always dry) draw readable charts and never
//! panic.
//!
//! Over 600 lines: about 30 are the tests, and the list of every chart a command draws
//! is kept in one place.

mod bars;
mod calibration;
mod compare;
mod draw;
mod dry;
mod first_dry;
mod importance;
mod inputs;
mod kit;
mod map;
mod options;
mod series;
mod stock;
mod studies;

use std::path::{Path, PathBuf};

use super::{Lang, ReportError, RunInfo};
use crate::ensemble::{ReserveQuery, ReserveResult, Summary, SweepResult, Tornado};
use crate::network::{Conditions, Network};
use crate::scenario::{Scenario, SegmentId};
use crate::tr;

pub use draw::DrawnChart;
pub(crate) use kit::path_name;
pub use map::{attack_risk_on, losses_map, network_map, risk_map, worst_day};
pub use options::{ChartOptions, ChartSize};

/// The facts of a run for chart subtitles: "1,000 runs · seed 42 · overrides: a=1, b=2".
pub fn run_facts(sum: &Summary, info: &RunInfo) -> String {
    let l = info.lang;
    let mut out = tr!(
        l,
        FactsRuns,
        n = l.thousands(sum.replications as f64),
        s = l.plural(sum.replications),
        seed = sum.seed
    );
    out.push_str(&overrides_fact(info));
    out
}

/// " · overrides: a=1, b=2", or nothing.
fn overrides_fact(info: &RunInfo) -> String {
    if info.overrides.is_empty() {
        String::new()
    } else {
        tr!(info.lang, FactsOverrides, list = info.overrides.join(", "))
    }
}

/// The fan with and without input uncertainty (runs with uncertain inputs only).
pub(crate) const INPUTS_FAN: &str = "stock-inputs.png";
/// The fan before and after calibration (runs with `--inputs FILE` only).
pub(crate) const CALIBRATED_FAN: &str = "stock-calibrated.png";
/// The uncertain inputs ranked by first-order index (runs with uncertain inputs only).
pub(crate) const INPUT_IMPORTANCE: &str = "input-importance.png";

/// Which chart a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartKind {
    /// Fan chart of depot `i` (index into `Layout::depots`).
    Stock(usize),
    /// Chances of rationing and of a dry day by date.
    Dry,
    /// Where the fleet is.
    Fleet,
    /// Demand served by class.
    Served,
    /// Deliveries by corridor.
    Deliveries,
    /// Losses by segment.
    Losses,
    /// Histogram of the first dry day.
    FirstDry,
    /// The network map.
    Network,
}

/// A chart of a run and its PNG file name under `charts/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChartFile {
    /// What it shows.
    pub kind: ChartKind,
    /// File name, `stock.png`.
    pub file: String,
}

/// The charts [`write_charts`] draws for `sum`, in report order.
pub(crate) fn chart_files(s: &Scenario, sum: &Summary) -> Vec<ChartFile> {
    let mut out = Vec::new();
    let depots = sum.layout.depots.len();
    for (i, id) in sum.layout.depots.iter().enumerate() {
        let file = if depots == 1 {
            "stock.png".to_string()
        } else {
            format!("stock-{}.png", file_safe(&s.node(*id).id))
        };
        out.push(ChartFile {
            kind: ChartKind::Stock(i),
            file,
        });
    }
    for (kind, file) in [
        (ChartKind::Dry, "dry-and-rationing.png"),
        (ChartKind::Served, "demand-served.png"),
        (ChartKind::Fleet, "fleet.png"),
        (ChartKind::Deliveries, "deliveries.png"),
        (ChartKind::Losses, "losses.png"),
        (ChartKind::FirstDry, "first-dry.png"),
        (ChartKind::Network, "network.png"),
    ] {
        out.push(ChartFile {
            kind,
            file: file.to_string(),
        });
    }
    out
}

/// The first day on which a cumulative share `p` (in [0, 1]) reaches `level`, if any:
/// the day a chart and the report call "passes 50 %".
pub(crate) fn crossing_day(p: &[f64], level: f64) -> Option<usize> {
    p.iter().position(|x| *x >= level)
}

/// A node id made safe for a file name.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The charts of a run that [`write_charts`] drew, in its order: the files written and each
/// PNG's bytes, which [`super::write_report`] embeds in the page without reading them back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunCharts {
    drawn: Vec<DrawnChart>,
}

impl RunCharts {
    /// No charts: the report says none were drawn.
    pub fn none() -> RunCharts {
        RunCharts::default()
    }

    /// Every file written, in drawing order: each PNG, then its SVG if any.
    pub fn files(&self) -> Vec<PathBuf> {
        self.drawn.iter().flat_map(DrawnChart::files).collect()
    }

    /// The charts drawn, in drawing order.
    pub fn drawn(&self) -> &[DrawnChart] {
        &self.drawn
    }

    /// The bytes of the PNG at `rel`, a path relative to the run's folder
    /// (`charts/stock.png`), if it was drawn.
    pub fn png(&self, rel: &str) -> Option<&[u8]> {
        self.drawn
            .iter()
            .find(|d| d.png.ends_with(rel))
            .map(|d| d.png_bytes.as_slice())
    }
}

/// What every chart of a run needs.
pub(crate) struct Ctx<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The ensemble summary.
    pub sum: &'a Summary,
    /// Run facts for subtitles.
    pub facts: String,
    /// The time axis.
    pub time: draw::TimeAxis,
}

/// Draws every chart of a run into `dir/charts/` (see the module documentation for the
/// list) and returns what it drew: the files written, PNGs and, with `opts.svg`, SVGs, and
/// the PNGs' bytes for [`super::write_report`]. The network and losses maps show `flow`.
///
/// # Errors
/// [`ReportError`] for the first chart that cannot be drawn or written.
pub fn write_charts(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
    flow: &super::FlowBaseline,
    opts: &ChartOptions,
) -> Result<RunCharts, ReportError> {
    let ctx = Ctx {
        s,
        sum,
        facts: run_facts(sum, info),
        time: draw::TimeAxis {
            start: s.start_date,
            days: sum.layout.days.max(1) as f64,
            lang: opts.lang,
        },
    };
    let charts = dir.join("charts");
    // Each chart is a job; the jobs run in parallel (charts are independent and each
    // writes its own files) and their results are gathered in this order, so the list of
    // files and the first error reported do not depend on the threads.
    type Job<'j> = Box<dyn Fn() -> Result<DrawnChart, ReportError> + Send + Sync + 'j>;
    let mut jobs: Vec<Job> = Vec::new();
    for cf in chart_files(s, sum) {
        let path = charts.join(&cf.file);
        let ctx = &ctx;
        jobs.push(match cf.kind {
            ChartKind::Stock(depot) => {
                Box::new(move || draw::render_drawn(&stock::StockChart { ctx, depot }, &path, opts))
            }
            ChartKind::Dry => {
                Box::new(move || draw::render_drawn(&dry::DryChart { ctx }, &path, opts))
            }
            ChartKind::Fleet => {
                Box::new(move || draw::render_drawn(&series::FleetChart { ctx }, &path, opts))
            }
            ChartKind::Served => {
                Box::new(move || draw::render_drawn(&series::ServedChart { ctx }, &path, opts))
            }
            ChartKind::Deliveries => {
                Box::new(move || draw::render_drawn(&series::DeliveriesChart { ctx }, &path, opts))
            }
            ChartKind::Losses => {
                Box::new(move || draw::render_drawn(&bars::LossesChart { ctx }, &path, opts))
            }
            ChartKind::FirstDry => {
                Box::new(move || draw::render_drawn(&first_dry::FirstDryChart { ctx }, &path, opts))
            }
            ChartKind::Network => Box::new(move || {
                let map_opts = ChartOptions {
                    facts: tr!(info.lang, FactsBaseline, overrides = overrides_fact(info)),
                    closed: Vec::new(),
                    ..opts.clone()
                };
                network_map(s, &flow.max_flow, &flow.criticality, &path, &map_opts)
            }),
        });
    }
    if let Some(x) = &info.inputs {
        let (facts, path) = (ctx.facts.clone(), charts.join(INPUTS_FAN));
        jobs.push(Box::new(move || {
            draw::render_drawn(
                &inputs::InputsFanChart {
                    s,
                    sum,
                    inputs: x,
                    facts: facts.clone(),
                    calibrated: false,
                },
                &path,
                opts,
            )
        }));
        if x.prior.is_some() {
            let (facts, path) = (ctx.facts.clone(), charts.join(CALIBRATED_FAN));
            jobs.push(Box::new(move || {
                draw::render_drawn(
                    &inputs::InputsFanChart {
                        s,
                        sum,
                        inputs: x,
                        facts: facts.clone(),
                        calibrated: true,
                    },
                    &path,
                    opts,
                )
            }));
        }
        if let Some(imp) = &x.importance {
            let (facts, path) = (ctx.facts.clone(), charts.join(INPUT_IMPORTANCE));
            jobs.push(Box::new(move || {
                draw::render_drawn(
                    &importance::ImportanceChart {
                        s,
                        imp,
                        facts: facts.clone(),
                    },
                    &path,
                    opts,
                )
            }));
        }
    }
    jobs.push(Box::new(|| write_risk_map(dir, s, info, opts)));
    jobs.push(Box::new(|| {
        let lost: Vec<f64> = sum.segments.iter().map(|g| g.trucks_lost).collect();
        let path = dir.join("charts").join("losses-map.png");
        let map_opts = ChartOptions {
            facts: run_facts(sum, info),
            closed: Vec::new(),
            ..opts.clone()
        };
        losses_map(
            s,
            &flow.max_flow,
            &flow.criticality,
            &lost,
            &path,
            &map_opts,
        )
    }));
    let results: Vec<_> = {
        use rayon::prelude::*;
        jobs.par_iter().map(|job| job()).collect()
    };
    let mut drawn = Vec::new();
    for r in results {
        drawn.push(r?);
    }
    Ok(RunCharts { drawn })
}

/// `charts/risk.png`: the roads coloured by the chance a convoy is attacked on the
/// scenario's most dangerous day ([`worst_day`]), with that day's closures.
fn write_risk_map(
    dir: &Path,
    s: &Scenario,
    info: &RunInfo,
    opts: &ChartOptions,
) -> Result<DrawnChart, ReportError> {
    let day = worst_day(s);
    let d = f64::from(day);
    let net = Network::build(s);
    let c = Conditions::at_day(s, d);
    let path = dir.join("charts").join("risk.png");
    let map_opts = ChartOptions {
        facts: tr!(
            info.lang,
            FactsWorstDay,
            date = match (info.lang, s.start_date) {
                (Lang::En, _) => s.day_label(i64::from(day)),
                (l, Some(d)) => l.date(d.plus_days(i64::from(day)), true),
                (l, None) => tr!(l, DayN, d = day),
            },
            day = day,
            overrides = overrides_fact(info)
        ),
        closed: (0..s.segments.len())
            .filter(|i| !c.open[*i])
            .map(|i| SegmentId(i as u32))
            .collect(),
        ..opts.clone()
    };
    risk_map(
        s,
        &net.max_flow(&c),
        &net.criticality(&c),
        &attack_risk_on(s, d),
        &path,
        &map_opts,
    )
}

/// Draws one chart per KPI of a sweep into `dir`: `sweep-<kpi key>.png` (and `.svg` with
/// `opts.svg`). Each shows the KPI against the first varied path's values (a numeric axis
/// when they are numbers, categories otherwise), the 90 % interval as a band (the spread
/// across runs, or the confidence interval of a probability: [`crate::ensemble::Kpi::interval_is_spread`]),
/// ±2 standard errors as bars, and one line per value of the other paths. `opts.facts`
/// (the `--set` overrides) ends the subtitle. Returns the files written.
///
/// # Errors
/// [`ReportError`] for the first chart that cannot be drawn or written.
pub fn sweep_chart(
    s: &Scenario,
    r: &SweepResult,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut out = Vec::new();
    for (i, k) in r.kpis.iter().enumerate() {
        let chart = studies::SweepChart {
            s,
            r,
            kpi: i,
            facts: &opts.facts,
        };
        let path = dir.join(format!("sweep-{}.png", file_safe(&k.key())));
        out.extend(draw::render(&chart, &path, opts)?);
    }
    Ok(out)
}

/// Draws the tornado chart of `t` into `dir/tornado.png` (and `.svg`): for each varied
/// path, largest swing on top, a bar from the base case to the KPI at its low value and
/// one to the KPI at its high value, each end labelled with the value tried and the KPI it
/// gave. Returns the files written.
///
/// # Errors
/// [`ReportError`] if the chart cannot be drawn or written.
pub fn tornado_chart(
    s: &Scenario,
    t: &Tornado,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let chart = studies::TornadoChart {
        s,
        t,
        facts: &opts.facts,
    };
    draw::render(&chart, &dir.join("tornado.png"), opts)
}

/// Draws the charts of a comparison into `dir`: `compare-stock.png` (the first depot of
/// each scenario: median stock in days of supply, or litres when a depot has no demand,
/// with its P25–P75 band, one colour per scenario) and `compare-dry.png` (the chance of a
/// dry day by date, one curve per scenario). `sums[i]` is the ensemble of
/// `scenarios[i]`, all with the same seed and replications. Returns the files written.
///
/// # Errors
/// [`ReportError`] for the first chart that cannot be drawn or written.
pub fn compare_charts(
    scenarios: &[Scenario],
    sums: &[Summary],
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let n = scenarios.len().min(sums.len());
    let c = compare::Compared {
        scenarios: &scenarios[..n],
        sums: &sums[..n],
        facts: &opts.facts,
        lang: opts.lang,
    };
    let mut out = draw::render(
        &compare::CompareStockChart { c: &c },
        &dir.join("compare-stock.png"),
        opts,
    )?;
    out.extend(draw::render(
        &compare::CompareDryChart { c: &c },
        &dir.join("compare-dry.png"),
        opts,
    )?);
    Ok(out)
}

/// Draws the reserve search into `dir/reserve.png` (and `.svg`): the estimated chance that
/// the classes are served in full at every value the search tried
/// ([`ReserveResult::evaluations_log`]), the confidence target, the answer, the final
/// bracket and the Monte Carlo interval of the answer, and the value in the scenario.
/// Returns the files written.
///
/// # Errors
/// [`ReportError`] if the chart cannot be drawn or written.
pub fn reserve_chart(
    s: &Scenario,
    q: &ReserveQuery,
    r: &ReserveResult,
    replications: u64,
    seed: u64,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let chart = studies::ReserveChart {
        s,
        q,
        r,
        replications,
        seed,
        facts: &opts.facts,
    };
    draw::render(&chart, &dir.join("reserve.png"), opts)
}

/// Draws a corridor study into `dir/corridors.png` (and `.svg`): one row per tag in rank
/// order, the rise in unmet demand of the essential classes and of all classes with ±2
/// standard errors of the paired difference (pale when within noise), and the static
/// max-flow criticality of the tag. Returns the files written.
///
/// # Errors
/// [`ReportError`] if the chart cannot be drawn or written.
pub fn corridors_chart(
    s: &Scenario,
    c: &crate::ensemble::CorridorStudy,
    dir: &Path,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let chart = studies::CorridorChart {
        s,
        c,
        facts: &opts.facts,
    };
    draw::render(&chart, &dir.join("corridors.png"), opts)
}

/// Draws the charts of a calibration into `dir`: `calibration-marginals.png` (each input's
/// retained values against the prior), `calibration-pairs.png` (every pair of inputs) and
/// `calibration-observed.png` (observed against simulated, every observation),
/// `calibration-timeline.png` (the observations on their dates, over what they observe), with the
/// inputs and periods named from the scenario `s`. Returns the files written.
///
/// # Errors
/// [`ReportError`] if a chart cannot be drawn or written.
pub fn calibration_charts(
    dir: &Path,
    s: &Scenario,
    c: &crate::calibrate::Calibration,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut out = Vec::new();
    if !c.retained().is_empty() {
        out.extend(draw::render(
            &calibration::MarginalsChart { c, s },
            &dir.join("calibration-marginals.png"),
            opts,
        )?);
        out.extend(draw::render(
            &calibration::PairsChart { c, s },
            &dir.join("calibration-pairs.png"),
            opts,
        )?);
    }
    out.extend(draw::render(
        &calibration::ObservedChart { c, s },
        &dir.join("calibration-observed.png"),
        opts,
    )?);
    out.extend(draw::render(
        &calibration::TimelineChart { c, s },
        &dir.join("calibration-timeline.png"),
        opts,
    )?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_are_bounded() {
        assert_eq!(
            "800X450".parse::<ChartSize>(),
            Ok(ChartSize {
                width: 800,
                height: 450
            })
        );
        assert_eq!(ChartSize::default().to_string(), "1600x900");
        for bad in [
            "",
            "x",
            "1600x",
            "ax900",
            "1600x900x2",
            "100x100",
            "9000x900",
        ] {
            assert!(bad.parse::<ChartSize>().is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_safe("BKO"), "BKO");
        assert_eq!(file_safe("a/b c"), "a_b_c");
    }
}
