//! Studies built on ensembles (docs/model.md section 8): sweeps of a parameter, one-at-a-time
//! sensitivity (tornado), scenario comparison, and the search for the smallest reserve.
//!
//! Every study runs its ensembles with the same seed, so replication `r` of every point
//! draws the same random numbers (common random numbers): differences between points are
//! differences of the model, not of the dice.

use thiserror::Error;

use super::kpi::{Estimate, Kpi};
use super::{Options, Summary, run};
use crate::model::ConservationError;
use crate::network::Network;
use crate::scenario::{
    Effect, Event, NodeId, NodeKind, Override, Scenario, ScenarioError, Template,
};

/// Why a study could not be completed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum StudyError {
    /// A `--vary` specification is malformed.
    #[error("{0}")]
    Spec(String),
    /// A varied scenario is invalid (e.g. a risk above 1 in a range).
    #[error("{context}")]
    Scenario {
        /// Which point or scenario.
        context: String,
        /// The diagnostics.
        #[source]
        source: ScenarioError,
    },
    /// The fuel ledger did not balance: a bug.
    #[error(transparent)]
    Conservation(#[from] ConservationError),
    /// An ensemble could not be had from where the study takes them (a shard file that
    /// cannot be written or read back).
    #[error("{0}")]
    Source(String),
}

/// Where a study takes its ensembles from: given the template, the overrides of the
/// ensemble (the study's own and the point's), its scenario and options, the
/// [`Summary`]. [`study_ensemble`] runs it; `blockade` also reads it back from shard
/// files, or runs only a shard's block of replications. Called in the study's fixed order
/// (the order a study's shard file stores its ensembles in).
pub type Ensembles<'a> =
    &'a mut dyn FnMut(&Template, &[Override], &Scenario, &Options) -> Result<Summary, StudyError>;

/// Most values one `--vary` takes.
pub const MAX_VARY_VALUES: usize = 1000;
/// Most points (ensembles) in a sweep's grid.
pub const MAX_GRID_POINTS: usize = 10_000;

/// One varied parameter: a path and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The `--set` path.
    pub path: String,
    /// The values, as text.
    pub values: Vec<String>,
}

impl Vary {
    /// Parses `PATH=V1,V2,...` or `PATH=START..END:STEP` (END included when it falls on a
    /// step).
    ///
    /// # Errors
    /// [`StudyError::Spec`] with what is wrong.
    pub fn parse(s: &str) -> Result<Vary, StudyError> {
        let spec = |m: String| StudyError::Spec(format!("--vary `{s}`: {m}"));
        let (path, rhs) = s
            .split_once('=')
            .ok_or_else(|| spec("expected PATH=V1,V2,... or PATH=START..END:STEP".into()))?;
        let (path, rhs) = (path.trim(), rhs.trim());
        if path.is_empty() || rhs.is_empty() {
            return Err(spec(
                "expected PATH=V1,V2,... or PATH=START..END:STEP".into(),
            ));
        }
        let values: Vec<String> =
            if let Some((range, step)) = rhs.split_once(':').filter(|(r, _)| r.contains("..")) {
                let (a, b) = range.split_once("..").unwrap_or((range, range));
                let num = |t: &str| t.trim().parse::<f64>().ok().filter(|x| x.is_finite());
                let (Some(a), Some(b), Some(step)) = (num(a), num(b), num(step)) else {
                    return Err(spec("START, END and STEP must be numbers".into()));
                };
                if step <= 0.0 || b < a {
                    return Err(spec("STEP must be > 0 and END >= START".into()));
                }
                let n = ((b - a) / step + 1e-9).floor() + 1.0;
                if n.is_nan() || n > MAX_VARY_VALUES as f64 {
                    return Err(spec(format!(
                        "{} points; at most {MAX_VARY_VALUES}",
                        fmt_value(n)
                    )));
                }
                let n = n as usize;
                (0..n).map(|i| fmt_value(a + step * i as f64)).collect()
            } else {
                rhs.split(',')
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            };
        if values.is_empty() {
            return Err(spec("no values".into()));
        }
        if values.len() > MAX_VARY_VALUES {
            return Err(spec(format!(
                "{} values; at most {MAX_VARY_VALUES}",
                values.len()
            )));
        }
        Ok(Vary {
            path: path.to_string(),
            values,
        })
    }
}

/// A number as short text without float noise (0.1 + 0.2 -> "0.3").
fn fmt_value(x: f64) -> String {
    let r = (x * 1e9).round() / 1e9;
    let s = format!("{r}");
    if s == "-0" { "0".into() } else { s }
}

/// Whether sweep points share their random numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeds {
    /// Every point uses the same seed (common random numbers); the default.
    Common,
    /// Point i uses seed + i: only for showing what common random numbers buy.
    Independent,
}

/// One point of a sweep.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// The value of each varied path at this point.
    pub values: Vec<String>,
    /// Each KPI's estimate, in the order of [`SweepResult::kpis`].
    pub estimates: Vec<Estimate>,
    /// Per-replication KPI values (where the KPI is a mean), for paired differences.
    pub per_replication: Vec<Option<Vec<f64>>>,
}

/// The result of a sweep.
#[derive(Debug, Clone)]
pub struct SweepResult {
    /// The varied paths.
    pub paths: Vec<String>,
    /// The KPIs.
    pub kpis: Vec<Kpi>,
    /// Points, the first path varying slowest.
    pub points: Vec<SweepPoint>,
    /// Seed handling.
    pub seeds: Seeds,
    /// Replications per point.
    pub replications: u64,
    /// Seed of the first point.
    pub seed: u64,
    /// Each path's value in the base case (the scenario with the study's `--set`
    /// overrides), as text; `None` where it has none.
    pub base_values: Vec<Option<String>>,
}

/// The value of `path` in the base case: the last `--set` of that path, else the
/// scenario's.
fn base_value(t: &Template, base: &[Override], path: &str) -> Option<String> {
    base.iter()
        .rev()
        .find(|o| o.path == path)
        .map(|o| o.value.clone())
        .or_else(|| t.value_at(path))
}

fn variant(
    t: &Template,
    base: &[Override],
    extra: Vec<Override>,
    context: String,
) -> Result<Scenario, StudyError> {
    let mut sets = base.to_vec();
    sets.extend(extra);
    t.with(&sets)
        .map(|l| l.scenario)
        .map_err(|source| StudyError::Scenario { context, source })
}

fn ensemble_of(s: &Scenario, opts: &Options) -> Result<Summary, StudyError> {
    let net = Network::build(s);
    Ok(run(s, &net, opts, &|_| {})?)
}

/// The ensemble of a study: the scenario `s` made from `t` with `sets`, its uncertain inputs of
/// `plan` drawn per replication (those `sets` fix are left out); without any left, the
/// plain ensemble of `s`, byte for byte as before uncertain inputs existed.
pub fn study_ensemble(
    t: &Template,
    sets: &[Override],
    s: &Scenario,
    plan: &super::InputPlan,
    opts: &Options,
) -> Result<Summary, StudyError> {
    let p = plan.without(sets);
    if p.is_empty() {
        ensemble_of(s, opts)
    } else {
        Ok(super::run_with_inputs(t, sets, &p, opts, &|x| x, &|_| {})?.summary)
    }
}

/// The uncertain inputs of the base case (`t` with `base`), all drawn: the plan the study
/// functions without `_on` use.
fn base_plan(t: &Template, base: &[Override]) -> Result<super::InputPlan, StudyError> {
    let s = variant(t, base, Vec::new(), "base case".into())?;
    Ok(super::InputPlan::drawn(super::scenario_inputs(&s)))
}

/// Runs the ensemble at every point of the grid spanned by `varies` and estimates `kpis`.
/// `progress(done, total)` is called after each point.
///
/// # Errors
/// [`StudyError::Scenario`] naming the first point whose scenario is invalid;
/// [`StudyError::Conservation`] on a ledger failure.
pub fn sweep(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    let plan = base_plan(t, base)?;
    sweep_on(t, base, varies, kpis, opts, seeds, &plan, progress)
}

/// [`sweep`] with the uncertain inputs of `plan` (drawn, or calibrated points): every point
/// draws them per replication on top of its values; a varied path that is uncertain is
/// fixed at the point's value.
///
/// # Errors
/// As [`sweep`].
#[allow(clippy::too_many_arguments)]
pub fn sweep_on(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    plan: &super::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    sweep_with(
        t,
        base,
        varies,
        kpis,
        opts,
        seeds,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`sweep`] with its ensembles from `ens`, one per grid point in grid order.
///
/// # Errors
/// As [`sweep`], and those of `ens`.
#[allow(clippy::too_many_arguments)]
pub fn sweep_with(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    let size = varies
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
        .filter(|n| *n <= MAX_GRID_POINTS);
    if size.is_none() {
        let dims: Vec<String> = varies.iter().map(|v| v.values.len().to_string()).collect();
        return Err(StudyError::Spec(format!(
            "the --vary grid has {} points; at most {MAX_GRID_POINTS}",
            dims.join(" x ")
        )));
    }
    let mut grid: Vec<Vec<String>> = vec![Vec::new()];
    for v in varies {
        grid = grid
            .into_iter()
            .flat_map(|p| {
                v.values
                    .iter()
                    .map(move |x| [p.clone(), vec![x.clone()]].concat())
            })
            .collect();
    }
    let mut points = Vec::with_capacity(grid.len());
    for (i, values) in grid.iter().enumerate() {
        let sets: Vec<Override> = varies
            .iter()
            .zip(values)
            .map(|(v, x)| Override {
                path: v.path.clone(),
                value: x.clone(),
            })
            .collect();
        let context = format!(
            "sweep point {}",
            sets.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        );
        let all = [base, sets.as_slice()].concat();
        let s = variant(t, base, sets, context)?;
        let seed = match seeds {
            Seeds::Common => opts.seed,
            Seeds::Independent => opts.seed.wrapping_add(i as u64),
        };
        let sum = ens(t, &all, &s, &Options { seed, ..*opts })?;
        let (estimates, per_replication) = kpis.iter().map(|k| k.evaluate(&s, &sum)).unzip();
        points.push(SweepPoint {
            values: values.clone(),
            estimates,
            per_replication,
        });
        progress(i + 1, grid.len());
    }
    Ok(SweepResult {
        paths: varies.iter().map(|v| v.path.clone()).collect(),
        kpis: kpis.to_vec(),
        points,
        seeds,
        replications: opts.replications,
        seed: opts.seed,
        base_values: varies
            .iter()
            .map(|v| base_value(t, base, &v.path))
            .collect(),
    })
}

/// One bar of a tornado chart.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The varied path.
    pub path: String,
    /// Its low and high values.
    pub low: String,
    /// High value.
    pub high: String,
    /// KPI at the low value.
    pub at_low: Estimate,
    /// KPI at the high value.
    pub at_high: Estimate,
    /// The path's value in the base case, as text, if it has one.
    pub base_value: Option<String>,
}

impl TornadoBar {
    /// `|KPI(high) - KPI(low)|`.
    pub fn swing(&self) -> f64 {
        (self.at_high.value - self.at_low.value).abs()
    }
}

/// A one-at-a-time sensitivity analysis around the base case.
#[derive(Debug, Clone)]
pub struct Tornado {
    /// The KPI.
    pub kpi: Kpi,
    /// The KPI of the base case.
    pub base: Estimate,
    /// Bars, largest swing first (ties: input order).
    pub bars: Vec<TornadoBar>,
    /// Replications per run.
    pub replications: u64,
    /// Seed.
    pub seed: u64,
}

/// Varies each path to its low and high value, one at a time, and sorts by swing.
///
/// # Errors
/// [`StudyError::Spec`] if a `--vary` has other than two values; the errors of [`sweep`].
pub fn tornado(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    let plan = base_plan(t, base)?;
    tornado_on(t, base, varies, kpi, opts, &plan, progress)
}

/// [`tornado`] with the uncertain inputs of `plan`; a varied path that is uncertain is
/// fixed at each end's value.
///
/// # Errors
/// As [`tornado`].
pub fn tornado_on(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    plan: &super::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    tornado_with(
        t,
        base,
        varies,
        kpi,
        opts,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`tornado`] with its ensembles from `ens`: the base case, then each `--vary`'s low and
/// high end in order.
///
/// # Errors
/// As [`tornado`], and those of `ens`.
pub fn tornado_with(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    for v in varies {
        if v.values.len() != 2 {
            return Err(StudyError::Spec(format!(
                "tornado: --vary {} needs exactly two values, LOW,HIGH",
                v.path
            )));
        }
    }
    let total = 1 + 2 * varies.len();
    let base_s = variant(t, base, Vec::new(), "base case".into())?;
    let base_est = kpi.estimate(&base_s, &ens(t, base, &base_s, opts)?);
    progress(1, total);
    let mut bars = Vec::new();
    for (i, v) in varies.iter().enumerate() {
        let mut ends = Vec::new();
        for (j, x) in v.values.iter().enumerate() {
            let o = Override {
                path: v.path.clone(),
                value: x.clone(),
            };
            let s = variant(t, base, vec![o.clone()], format!("tornado --vary {o}"))?;
            let all = [base, std::slice::from_ref(&o)].concat();
            ends.push(kpi.estimate(&s, &ens(t, &all, &s, opts)?));
            progress(2 + 2 * i + j, total);
        }
        bars.push(TornadoBar {
            path: v.path.clone(),
            low: v.values[0].clone(),
            high: v.values[1].clone(),
            at_low: ends[0],
            at_high: ends[1],
            base_value: base_value(t, base, &v.path),
        });
    }
    bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(Tornado {
        kpi,
        base: base_est,
        bars,
        replications: opts.replications,
        seed: opts.seed,
    })
}

/// A KPI compared between scenarios.
#[derive(Debug, Clone)]
pub struct KpiComparison {
    /// The KPI.
    pub kpi: Kpi,
    /// Its estimate in each scenario.
    pub estimates: Vec<Estimate>,
    /// For scenarios after the first: the difference from the first and its standard
    /// error (paired by replication where the KPI is a mean); both NaN where either value is
    /// censored ("none within the horizon" is not a day to subtract).
    pub differences: Vec<(f64, f64)>,
}

impl KpiComparison {
    /// Whether the difference of scenario `i` (>= 1) from the first is clear of Monte Carlo
    /// noise: more than two standard errors.
    pub fn is_clear(&self, i: usize) -> bool {
        self.differences
            .get(i - 1)
            .is_some_and(|(d, se)| d.abs() > 2.0 * se && *d != 0.0)
    }
}

/// Compares the KPIs of scenarios run with the same seed and replications.
pub fn compare(scenarios: &[Scenario], sums: &[Summary], kpis: &[Kpi]) -> Vec<KpiComparison> {
    kpis.iter()
        .map(|k| {
            let (estimates, per): (Vec<Estimate>, Vec<Option<Vec<f64>>>) = scenarios
                .iter()
                .zip(sums)
                .map(|(s, m)| k.evaluate(s, m))
                .unzip();
            let differences = (1..scenarios.len())
                .map(|i| {
                    // "None within the horizon" is not a day: no difference can be taken.
                    if estimates[i].is_censored() || estimates[0].is_censored() {
                        return (f64::NAN, f64::NAN);
                    }
                    let d = estimates[i].value - estimates[0].value;
                    let se = match (&per[0], &per[i]) {
                        (Some(a), Some(b)) if a.len() == b.len() && a.len() > 1 => paired_se(a, b),
                        _ => (estimates[0].se.powi(2) + estimates[i].se.powi(2)).sqrt(),
                    };
                    (d, se)
                })
                .collect();
            KpiComparison {
                kpi: *k,
                estimates,
                differences,
            }
        })
        .collect()
}

/// Standard error of the mean of paired differences `b - a`.
pub fn paired_se(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (var / n).sqrt()
}

/// What the reserve search may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lever {
    /// Litres in the depot: its initial stock when the lever starts on day 0 (the capacity
    /// is raised with it when needed, and the answer says so), else a one-off delivery on
    /// the start day, capped by the depot's free room that day.
    InitialStock,
    /// A constant airlift into the depot from the start day to the target day, litres per
    /// day (capped each day by free room, as every airlift).
    Airlift,
    /// A `ProtectedReserve` set aside on the start day: litres only the protected classes
    /// draw on, once the ordinary stock is exhausted (held apart from the working stock).
    ProtectedReserve,
}

/// The fuel payload of one aircraft rotation assumed by default, litres: a C-130-class
/// transport fitted with bladder tanks. A C-130H lifts about 19 t; diesel weighs about
/// 0.84 kg/L, so the weight limit alone is about 22,000 L; tanks, pumps and hoses on board
/// leave roughly 18,000 L of fuel. An assumption, to be replaced by the operator's figure
/// (`--payload-litres`).
pub const DEFAULT_PAYLOAD_LITRES: f64 = 18_000.0;

/// A reserve question: the smallest lever value for which the chosen classes get all
/// their demand through `days` with probability at least `confidence`.
#[derive(Debug, Clone)]
pub struct ReserveQuery {
    /// Days that must be covered (days 0 to `days - 1`).
    pub days: u32,
    /// Required probability, in (0, 1).
    pub confidence: f64,
    /// Class names that must be served in full; empty means every priority-1 class.
    pub classes: Vec<String>,
    /// What is searched.
    pub lever: Lever,
    /// The depot; `None` means the first depot.
    pub depot: Option<NodeId>,
    /// Day the lever acts from (the stock injected, the airlift started, the reserve set
    /// aside); must be before `days`.
    pub from: u32,
    /// Litres one aircraft rotation carries, to turn an airlift rate into rotations per day.
    pub payload_litres: f64,
}

/// The answer to a [`ReserveQuery`].
#[derive(Debug, Clone)]
pub struct ReserveResult {
    /// The smallest value found that meets the confidence (litres, or litres/day).
    pub answer: f64,
    /// The final bisection bracket `(fails, meets)`.
    pub bracket: (f64, f64),
    /// Estimated probability at each end of the bracket.
    pub p_bracket: (f64, f64),
    /// Monte Carlo standard error of the probability at the answer.
    pub se: f64,
    /// Values at which the estimated probability crosses `confidence -+ 1.645 x its
    /// standard error`: the Monte Carlo uncertainty of the answer (90 %).
    pub mc_interval: (f64, f64),
    /// Whether the confidence could be reached at all (within 2^20 x the first guess).
    pub reachable: bool,
    /// Ensembles run.
    pub evaluations: usize,
    /// Bisection tolerance used.
    pub tolerance: f64,
    /// The classes checked, by name.
    pub classes: Vec<String>,
    /// The lever's value in the scenario as given.
    pub current: f64,
    /// Every ensemble run by the search, in evaluation order: the lever value and the
    /// estimated probability that the classes were served in full. Sort by value to draw.
    pub evaluations_log: Vec<(f64, f64)>,
    /// The depot's capacity, litres.
    pub capacity: f64,
    /// For the litre levers (stock, reserve): the answer exceeds the depot's capacity.
    pub exceeds_capacity: bool,
    /// The capacity-limited alternative when the answer exceeds the capacity (or cannot be
    /// reached): the lever at the depot's capacity and the probability it gives.
    pub at_capacity: Option<(f64, f64)>,
    /// Share of runs in which a checked class already went short before the lever's
    /// start day: nothing started that day can help those runs.
    pub short_before_from: f64,
}

impl ReserveResult {
    /// Aircraft rotations per day for an airlift answer at `payload` litres per rotation.
    pub fn rotations_per_day(&self, payload: f64) -> f64 {
        if payload > 0.0 {
            self.answer / payload
        } else {
            f64::NAN
        }
    }
}

/// Finds the smallest reserve (initial stock or airlift rate) that meets `q`, by bisection
/// on common random numbers.
///
/// # Errors
/// [`StudyError::Spec`] for an unknown class, a scenario without depot, a confidence
/// outside (0, 1) or days outside 1..=horizon; [`StudyError::Conservation`] on a ledger
/// failure.
pub fn reserve(
    s: &Scenario,
    q: &ReserveQuery,
    opts: &Options,
    progress: &dyn Fn(usize),
) -> Result<ReserveResult, StudyError> {
    reserve_on(s, q, opts, None, progress)
}

/// The template, `--set` overrides and uncertain inputs a reserve search draws per
/// replication ([`reserve_on`]).
pub type ReserveInputs<'a> = (&'a Template, &'a [Override], &'a super::InputPlan);

/// [`reserve`] with uncertain inputs: `s` is `t` with `sets`, and every value tried runs
/// replications whose inputs are drawn (or calibrated) as in `run`, the lever applied on
/// top of each replication's scenario.
///
/// # Errors
/// As [`reserve`], and [`StudyError::Scenario`] for a replication whose values make the
/// scenario invalid.
pub fn reserve_on(
    s: &Scenario,
    q: &ReserveQuery,
    opts: &Options,
    inputs: Option<ReserveInputs<'_>>,
    progress: &dyn Fn(usize),
) -> Result<ReserveResult, StudyError> {
    if !(q.confidence > 0.0 && q.confidence < 1.0) {
        return Err(StudyError::Spec(format!(
            "--confidence must be between 0 and 1 (exclusive), got {}",
            q.confidence
        )));
    }
    let depot = match q.depot {
        Some(d) => d,
        None => s
            .depots()
            .next()
            .map(|(d, _)| d)
            .ok_or_else(|| StudyError::Spec("the scenario has no depot".into()))?,
    };
    let Some(dep) = s.depot(depot) else {
        return Err(StudyError::Spec("--depot is not a depot".into()));
    };
    if q.days == 0 || q.days > s.horizon_days {
        return Err(StudyError::Spec(format!(
            "--days {} is outside the scenario's horizon of {} days (1 to {}); to look further, lengthen the run with --set horizon_days={}",
            q.days,
            s.horizon_days,
            s.horizon_days,
            q.days.max(1)
        )));
    }
    if q.from >= q.days {
        return Err(StudyError::Spec(format!(
            "--from day {} is not before the end of the {} days to cover",
            q.from, q.days
        )));
    }
    if q.lever == Lever::Airlift && !(q.payload_litres > 0.0 && q.payload_litres.is_finite()) {
        return Err(StudyError::Spec(format!(
            "--payload-litres must be a positive number, got {}",
            q.payload_litres
        )));
    }
    let layout = crate::model::Layout::new(s);
    let d_index = layout.depots.iter().position(|x| *x == depot).unwrap_or(0);
    let mut classes: Vec<usize> = Vec::new();
    let mut names = Vec::new();
    for (i, (d, c)) in layout.classes.iter().enumerate() {
        let class = &dep.demand[*c];
        let wanted = if q.classes.is_empty() {
            class.priority == 1
        } else {
            q.classes.contains(&class.name)
        };
        if *d == d_index && wanted {
            classes.push(i);
            names.push(class.name.clone());
        }
    }
    for n in &q.classes {
        if !dep.demand.iter().any(|c| c.name == *n) {
            let known: Vec<&str> = dep.demand.iter().map(|c| c.name.as_str()).collect();
            return Err(StudyError::Spec(format!(
                "unknown class `{n}` at depot `{}`; classes: {}",
                s.node(depot).id,
                known.join(", ")
            )));
        }
    }
    if classes.is_empty() {
        return Err(StudyError::Spec(
            "no class to protect: name one with --class".into(),
        ));
    }
    if q.lever == Lever::ProtectedReserve {
        let p = dep.rationing.protected_priority;
        let open: Vec<&str> = classes
            .iter()
            .map(|i| &dep.demand[layout.classes[*i].1])
            .filter(|c| c.priority > p)
            .map(|c| c.name.as_str())
            .collect();
        if !open.is_empty() {
            return Err(StudyError::Spec(format!(
                "a protected reserve serves only the protected classes (priority <= {p}); {} {} not protected",
                open.join(", "),
                if open.len() == 1 { "is" } else { "are" }
            )));
        }
    }
    let days = q.days;
    let current = match q.lever {
        Lever::InitialStock if q.from == 0 => dep.initial_stock_litres,
        Lever::InitialStock | Lever::Airlift | Lever::ProtectedReserve => 0.0,
    };
    let capacity = dep.capacity_litres;
    let mut short_before_from = 0.0;
    let class_demand: f64 = classes
        .iter()
        .map(|i| dep.demand[layout.classes[*i].1].litres_per_day)
        .sum();
    let total_demand = dep.demand_litres_per_day().max(1.0);
    let mut evaluations = 0usize;
    let mut memo: Vec<(f64, f64)> = Vec::new();
    let mut p_of = |x: f64| -> Result<f64, StudyError> {
        if let Some((_, p)) = memo.iter().find(|(y, _)| *y == x) {
            return Ok(*p);
        }
        let sum = match inputs.map(|(t, sets, plan)| (t, sets, plan.without(sets))) {
            Some((t, sets, plan)) if !plan.is_empty() => {
                super::run_with_inputs(
                    t,
                    sets,
                    &plan,
                    opts,
                    &|sc| with_lever(&sc, depot, q.lever, x, q.from, days),
                    &|_| {},
                )?
                .summary
            }
            _ => ensemble_of(&with_lever(s, depot, q.lever, x, q.from, days), opts)?,
        };
        evaluations += 1;
        progress(evaluations);
        // Before the start day every value gives the same runs (common random numbers).
        short_before_from = sum
            .rows
            .iter()
            .filter(|r| {
                classes
                    .iter()
                    .any(|i| r.first_unmet[*i].is_some_and(|f| f < q.from))
            })
            .count() as f64
            / sum.rows.len().max(1) as f64;
        let ok = sum
            .rows
            .iter()
            .filter(|r| {
                classes
                    .iter()
                    .all(|i| r.first_unmet[*i].is_none_or(|f| f >= days))
            })
            .count();
        let p = ok as f64 / sum.rows.len().max(1) as f64;
        memo.push((x, p));
        Ok(p)
    };
    let tolerance = match q.lever {
        Lever::InitialStock | Lever::ProtectedReserve => s
            .fleet
            .truck_litres
            .min(0.001 * class_demand * f64::from(days))
            .max(1.0),
        Lever::Airlift => (0.001 * total_demand).max(1.0),
    };
    // Bracket: 0 fails (else the answer is 0), then double a first guess until it meets.
    let first = match q.lever {
        Lever::InitialStock => (class_demand * f64::from(days))
            .max(dep.initial_stock_litres)
            .max(tolerance),
        Lever::ProtectedReserve => (class_demand * f64::from(days - q.from)).max(tolerance),
        Lever::Airlift => total_demand,
    };
    let litre_lever = q.lever != Lever::Airlift;
    let n = opts.replications as f64;
    let se_at = |p: f64| (p * (1.0 - p) / n).sqrt();
    if p_of(0.0)? >= q.confidence {
        let p0 = p_of(0.0)?;
        return Ok(ReserveResult {
            answer: 0.0,
            bracket: (0.0, 0.0),
            p_bracket: (p0, p0),
            se: se_at(p0),
            mc_interval: (0.0, 0.0),
            reachable: true,
            evaluations,
            tolerance,
            classes: names,
            current,
            evaluations_log: memo,
            capacity,
            exceeds_capacity: false,
            at_capacity: None,
            short_before_from,
        });
    }
    let mut hi = first;
    let mut reachable = false;
    for _ in 0..20 {
        if p_of(hi)? >= q.confidence {
            reachable = true;
            break;
        }
        hi *= 2.0;
    }
    if !reachable {
        let p = p_of(hi)?;
        let at_capacity = if litre_lever {
            Some((capacity, p_of(capacity)?))
        } else {
            None
        };
        return Ok(ReserveResult {
            answer: f64::NAN,
            bracket: (hi, f64::NAN),
            p_bracket: (p, f64::NAN),
            se: se_at(p),
            mc_interval: (f64::NAN, f64::NAN),
            reachable: false,
            evaluations,
            tolerance,
            classes: names,
            current,
            evaluations_log: memo,
            capacity,
            exceeds_capacity: false,
            at_capacity,
            short_before_from,
        });
    }
    // Bisection for a target probability, starting from what is already known; when
    // nothing known meets the target yet, the bracket is widened by doubling (at most 20
    // times). `None` for the upper end means "not reached".
    let limit = first * f64::from(1u32 << 20);
    let bisect = |target: f64,
                  memo_p: &mut dyn FnMut(f64) -> Result<f64, StudyError>,
                  known: &[(f64, f64)]| {
        let mut lo = known
            .iter()
            .filter(|(_, p)| *p < target)
            .map(|(x, _)| *x)
            .fold(0.0, f64::max);
        let mut hi = known
            .iter()
            .filter(|(_, p)| *p >= target)
            .map(|(x, _)| *x)
            .fold(f64::INFINITY, f64::min);
        let mut x = lo.max(first);
        while hi.is_infinite() && x <= limit {
            if memo_p(x)? >= target {
                hi = x;
            } else {
                lo = x;
                x *= 2.0;
            }
        }
        if hi.is_infinite() {
            return Ok::<(f64, Option<f64>), StudyError>((lo, None));
        }
        while hi - lo > tolerance {
            let mid = 0.5 * (lo + hi);
            if memo_p(mid)? >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok((lo, Some(hi)))
    };
    let known = vec![(0.0, 0.0), (hi, q.confidence)];
    let (lo, hi) = bisect(q.confidence, &mut p_of, &known)?;
    let hi = hi.unwrap_or(f64::NAN);
    let p_hi = p_of(hi)?;
    let p_lo = p_of(lo)?;
    let half = 1.645 * se_at(q.confidence);
    let known2 = vec![(0.0, 0.0), (lo, p_lo), (hi, p_hi)];
    let lower_target = (q.confidence - half).max(1e-9);
    let upper_target = (q.confidence + half).min(1.0);
    let mc_lo = bisect(lower_target, &mut p_of, &known2)?.1.unwrap_or(hi);
    let mc_hi = bisect(upper_target, &mut p_of, &known2)?
        .1
        .unwrap_or(f64::INFINITY);
    let exceeds_capacity = litre_lever && hi > capacity;
    let at_capacity = if exceeds_capacity {
        Some((capacity, p_of(capacity)?))
    } else {
        None
    };
    Ok(ReserveResult {
        answer: hi,
        bracket: (lo, hi),
        p_bracket: (p_lo, p_hi),
        se: se_at(p_hi),
        mc_interval: (mc_lo.min(hi), mc_hi.max(hi)),
        // (an infinite upper end: the raised target was not reached within the search range)
        reachable: true,
        evaluations,
        tolerance,
        classes: names,
        current,
        evaluations_log: memo,
        capacity,
        exceeds_capacity,
        at_capacity,
        short_before_from,
    })
}

/// The scenario with the lever at `x`, acting from day `from`. Values stay valid by
/// construction: a day-0 stock above capacity raises the capacity (the answer flags it), a
/// later injection is a one-off `Delivery`, an airlift runs from `from` to `days`, a
/// protected reserve is a `ProtectedReserve` event on day `from`.
fn with_lever(s: &Scenario, depot: NodeId, lever: Lever, x: f64, from: u32, days: u32) -> Scenario {
    let mut v = s.clone();
    let event = |effect, until: Option<f64>| Event {
        day: f64::from(from),
        until,
        label: Some("reserve search".into()),
        effect,
    };
    match lever {
        Lever::InitialStock if from == 0 => {
            if let NodeKind::Depot(d) = &mut v.nodes[depot.index()].kind {
                d.initial_stock_litres = x;
                d.capacity_litres = d.capacity_litres.max(x);
            }
        }
        Lever::InitialStock => v
            .events
            .push(event(Effect::Delivery { depot, litres: x }, None)),
        Lever::Airlift => v.events.push(event(
            Effect::Airlift {
                depot,
                litres_per_day: x,
            },
            (days < s.horizon_days).then_some(f64::from(days)),
        )),
        Lever::ProtectedReserve => v
            .events
            .push(event(Effect::ProtectedReserve { depot, litres: x }, None)),
    }
    v
}

/// What a corridor study does to each tag in turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CorridorAction {
    /// Close every segment with the tag from day 0 (`tags[TAG].closed=true`).
    Close,
    /// Multiply the hazard of every segment with the tag by this factor from day 0
    /// (`tags[TAG].risk_multiplier=F`), on top of the scenario's own multipliers.
    RiskMultiplier(f64),
}

impl CorridorAction {
    /// Parses `close` or `risk-multiplier=F` (F a finite number >= 0).
    ///
    /// # Errors
    /// [`StudyError::Spec`] saying what is accepted.
    pub fn parse(text: &str) -> Result<CorridorAction, StudyError> {
        let t = text.trim();
        if t == "close" {
            return Ok(CorridorAction::Close);
        }
        let f = t
            .strip_prefix("risk-multiplier=")
            .or_else(|| t.strip_prefix("risk_multiplier="))
            .and_then(|f| f.trim().parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f >= 0.0);
        f.map(CorridorAction::RiskMultiplier).ok_or_else(|| {
            StudyError::Spec(format!(
                "--action `{t}`: expected `close` or `risk-multiplier=F` with F >= 0"
            ))
        })
    }

    /// The override that applies the action to `tag`.
    pub fn override_for(&self, tag: &str) -> Override {
        match self {
            CorridorAction::Close => Override {
                path: format!("tags[{tag}].closed"),
                value: "true".into(),
            },
            CorridorAction::RiskMultiplier(f) => Override {
                path: format!("tags[{tag}].risk_multiplier"),
                value: fmt_value(*f),
            },
        }
    }

    /// The action in words: "closed", "risk x 2".
    pub fn describe(&self) -> String {
        match self {
            CorridorAction::Close => "closed from day 0".into(),
            CorridorAction::RiskMultiplier(f) => {
                format!("attack risk multiplied by {} from day 0", fmt_value(*f))
            }
        }
    }
}

/// A KPI's change when a corridor is acted on, paired by replication.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedChange {
    /// The KPI with the action.
    pub value: Estimate,
    /// Value with the action minus the base value.
    pub difference: f64,
    /// Standard error of the paired difference.
    pub se: f64,
}

impl PairedChange {
    /// More than two standard errors of the paired difference, and not zero.
    pub fn is_clear(&self) -> bool {
        self.difference != 0.0 && self.difference.abs() > 2.0 * self.se
    }
}

/// One corridor (tag) of a corridor study.
#[derive(Debug, Clone)]
pub struct CorridorRow {
    /// The tag.
    pub tag: String,
    /// Ids of the segments that carry it, in file order.
    pub segments: Vec<String>,
    /// Unmet demand of the essential (protected) classes: [`Kpi::UnmetProtected`].
    pub protected: PairedChange,
    /// Unmet demand of every class: [`Kpi::UnmetTotal`].
    pub total: PairedChange,
    /// Static criticality: how much the maximum flow (trucks per day, under the events
    /// active on day 0) drops with every segment of the tag closed.
    pub max_flow_drop_trucks_per_day: f64,
    /// That drop as a share of the maximum flow (0 when the maximum flow is 0).
    pub max_flow_drop_share: f64,
}

/// A corridor study: each tag acted on in turn, on common random numbers.
#[derive(Debug, Clone)]
pub struct CorridorStudy {
    /// What was done to each tag.
    pub action: CorridorAction,
    /// The base case's protected unmet demand.
    pub base_protected: Estimate,
    /// The base case's total unmet demand.
    pub base_total: Estimate,
    /// The base case's maximum flow, trucks per day (events active on day 0).
    pub base_max_flow_trucks_per_day: f64,
    /// Tags, the largest rise in protected unmet demand first (ties: total, then tag).
    pub rows: Vec<CorridorRow>,
    /// Replications per ensemble.
    pub replications: u64,
    /// Seed of every ensemble.
    pub seed: u64,
}

/// Acts on every tag of the scenario in turn (closes it, or multiplies its risk), runs the
/// ensemble on the same seed as the base case, and ranks the tags by the rise in unmet
/// demand of the protected classes, then of all classes; each with the static max-flow
/// criticality of the same tag. `progress(done, total)` after each ensemble.
///
/// # Errors
/// [`StudyError::Spec`] if the scenario has no tags; the errors of [`sweep`].
pub fn corridors(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    let plan = base_plan(t, base)?;
    corridors_on(t, base, action, opts, &plan, progress)
}

/// [`corridors`] with the uncertain inputs of `plan`, drawn per replication in the base
/// case and with each tag acted on.
///
/// # Errors
/// As [`corridors`].
pub fn corridors_on(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    plan: &super::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    corridors_with(
        t,
        base,
        action,
        opts,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`corridors`] with its ensembles from `ens`: the base case, then each tag in tag
/// order.
///
/// # Errors
/// As [`corridors`], and those of `ens`.
pub fn corridors_with(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    let base_s = variant(t, base, Vec::new(), "base case".into())?;
    let tags: Vec<(String, Vec<String>)> = base_s
        .tags()
        .into_iter()
        .map(|(tag, segs)| {
            (
                tag.to_string(),
                segs.iter().map(|g| base_s.segment(*g).id.clone()).collect(),
            )
        })
        .collect();
    if tags.is_empty() {
        return Err(StudyError::Spec(
            "the scenario has no tags: give segments `tags` to name corridors".into(),
        ));
    }
    let total_steps = 1 + tags.len();
    let kpis = [Kpi::UnmetProtected, Kpi::UnmetTotal];
    let base_sum = ens(t, base, &base_s, opts)?;
    let base_eval: Vec<(Estimate, Option<Vec<f64>>)> = kpis
        .iter()
        .map(|k| k.evaluate(&base_s, &base_sum))
        .collect();
    drop(base_sum);
    progress(1, total_steps);
    let net = Network::build(&base_s);
    let cond = crate::network::Conditions::at_day(&base_s, 0.0);
    let base_flow = net.max_flow(&cond).trucks_per_day;
    let mut rows = Vec::with_capacity(tags.len());
    for (i, (tag, segments)) in tags.into_iter().enumerate() {
        let o = action.override_for(&tag);
        let s = variant(t, base, vec![o.clone()], format!("corridors --set {o}"))?;
        let all = [base, std::slice::from_ref(&o)].concat();
        let sum = ens(t, &all, &s, opts)?;
        let change = |j: usize| {
            let (e, per) = kpis[j].evaluate(&s, &sum);
            let (b, bper) = &base_eval[j];
            let se = match (bper, &per) {
                (Some(a), Some(x)) if a.len() == x.len() && a.len() > 1 => paired_se(a, x),
                _ => (b.se.powi(2) + e.se.powi(2)).sqrt(),
            };
            PairedChange {
                value: e,
                difference: e.value - b.value,
                se,
            }
        };
        let mut c = cond.clone();
        for id in &segments {
            if let Some(g) = base_s.segment_by_id(id) {
                c.open[g.index()] = false;
            }
        }
        let flow = net.max_flow(&c).trucks_per_day;
        let drop = (base_flow - flow).max(0.0);
        rows.push(CorridorRow {
            tag,
            segments,
            protected: change(0),
            total: change(1),
            max_flow_drop_trucks_per_day: drop,
            max_flow_drop_share: if base_flow > 0.0 {
                drop / base_flow
            } else {
                0.0
            },
        });
        progress(i + 2, total_steps);
    }
    rows.sort_by(|a, b| {
        b.protected
            .difference
            .total_cmp(&a.protected.difference)
            .then(b.total.difference.total_cmp(&a.total.difference))
            .then(a.tag.cmp(&b.tag))
    });
    Ok(CorridorStudy {
        action,
        base_protected: base_eval[0].0,
        base_total: base_eval[1].0,
        base_max_flow_trucks_per_day: base_flow,
        rows,
        replications: opts.replications,
        seed: opts.seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vary_specs_parse() {
        assert_eq!(
            Vary::parse("fleet.trucks=100,200").unwrap().values,
            ["100", "200"]
        );
        assert_eq!(
            Vary::parse("x=0..0.3:0.1").unwrap().values,
            ["0", "0.1", "0.2", "0.3"]
        );
        assert_eq!(
            Vary::parse("x=1..2:0.4").unwrap().values,
            ["1", "1.4", "1.8"]
        );
        assert!(Vary::parse("x=2..1:0.1").is_err());
        assert!(Vary::parse("x=0..1:0").is_err());
        assert!(Vary::parse("x").is_err());
        assert!(Vary::parse("x=").is_err());
        // Huge ranges are refused, not expanded (the count overflowed usize before).
        assert!(Vary::parse("x=0..1e300:1e-300").is_err());
        assert!(Vary::parse("x=0..1000:1").is_err());
        let many = format!("x={}", vec!["1"; 1001].join(","));
        assert!(Vary::parse(&many).is_err());
    }

    #[test]
    fn grids_are_bounded() {
        // Five axes of 1000 values are 1e15 points: refused before anything is built.
        let axis = Vary::parse("x=1..1000:1").unwrap();
        let varies = vec![axis; 5];
        let mut f = tempfile::Builder::new().suffix(".ron").tempfile().unwrap();
        std::io::Write::write_all(
            &mut f,
            br#"Scenario(name: "t", fleet: (trucks: 1),
                nodes: [Source(id: "S", supply_litres_per_day: 1),
                        Depot(id: "D", capacity_litres: 1, initial_stock_litres: 0)],
                segments: [(from: "S", to: "D", km: 1, transit_days: Fixed(1),
                            capacity_trucks_per_day: 1, risk: 0)])"#,
        )
        .unwrap();
        let t = Template::load(f.path()).unwrap();
        let opts = Options {
            replications: 1,
            seed: 1,
            threads: Some(1),
        };
        let r = sweep(&t, &[], &varies, &[], &opts, Seeds::Common, &|_, _| {});
        match r {
            Err(StudyError::Spec(m)) => assert!(m.contains("at most 10000"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn corridor_actions_parse() {
        assert_eq!(
            CorridorAction::parse("close").unwrap(),
            CorridorAction::Close
        );
        assert_eq!(
            CorridorAction::parse("risk-multiplier=2.5").unwrap(),
            CorridorAction::RiskMultiplier(2.5)
        );
        assert!(CorridorAction::parse("risk-multiplier=-1").is_err());
        assert!(CorridorAction::parse("open").is_err());
        assert_eq!(
            CorridorAction::RiskMultiplier(2.0)
                .override_for("north")
                .to_string(),
            "tags[north].risk_multiplier=2"
        );
    }
}
