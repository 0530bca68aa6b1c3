//! History matching (docs/calibration.md): which values of the uncertain inputs make the
//! observations plausible.
//!
//! A wave samples points of the input space by a Latin hypercube in u-space (each input's
//! value is `UncertainInput::value_at(u)`, so a uniform u is a draw from the prior), runs
//! replications at each point on common random numbers (the same seed and replication
//! numbers at every point), and computes for each observation the implausibility
//! `|observed - simulated mean| / sqrt(observation variance + Monte Carlo variance of the
//! mean + model discrepancy variance)`. A point is retained when its largest implausibility
//! is at most the cut-off (3). The next wave samples the bounding box of the retained
//! points (grown by one Latin-hypercube stratum on each side, kept inside the previous
//! box); waves stop when the estimated non-implausible share of the prior stops shrinking,
//! when a wave retains nothing, or when the budget of replications is spent.
//!
//! **Units of work** are a point × a block of replications: independent of each other,
//! folded in (point, block, replication) order, so the result is the same for a seed on
//! any number of threads, and a later sharded run can hand blocks to other machines.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use thiserror::Error;

use crate::model::{self, ConservationError, Layout, PlanCache, RunRecord};
use crate::network::Network;
use crate::scenario::observations::{Observation, Quantity};
use crate::scenario::{Diagnostic, Override, ScenarioError, Template, UncertainInput};

/// Why a calibration could not be carried out.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CalibrationError {
    /// No uncertain inputs to calibrate.
    #[error("the scenario has no uncertain inputs to calibrate")]
    NoInputs,
    /// No observations.
    #[error("there are no observations to calibrate against")]
    NoObservations,
    /// The budget does not pay for one wave of the smallest size.
    #[error("a budget of {budget} replications is too small: one wave needs at least {needed}")]
    BudgetTooSmall {
        /// The budget.
        budget: u64,
        /// What the smallest wave needs.
        needed: u64,
    },
    /// A point of the input space gives an invalid scenario.
    #[error(
        "the inputs at point {point} ({values}) give an invalid scenario: {}",
        first_error(diagnostics)
    )]
    InvalidPoint {
        /// The point, as `path=value` pairs.
        values: String,
        /// Its number in the wave.
        point: usize,
        /// What is wrong.
        diagnostics: Vec<Diagnostic>,
    },
    /// A replication broke the conservation ledger (a bug, never a result).
    #[error(transparent)]
    Ledger(#[from] ConservationError),
}

fn first_error(d: &[Diagnostic]) -> String {
    d.iter()
        .find(|d| d.is_error())
        .map_or_else(|| "unknown problem".into(), Diagnostic::headline)
}

/// How to calibrate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The seed of the replications (common random numbers at every point) and of the
    /// Latin hypercubes.
    pub seed: u64,
    /// Points per wave.
    pub points: usize,
    /// Replications at each point.
    pub replications: u64,
    /// Replications per unit of work (a point × a block).
    pub block: u64,
    /// Most replications in all.
    pub budget: u64,
    /// Most waves.
    pub max_waves: usize,
    /// The implausibility cut-off (3: Pukelsheim's three-sigma rule).
    pub cutoff: f64,
    /// Model discrepancy, as a standard deviation relative to the observed value (0.1:
    /// the model is taken to be within about 10 % of the truth it represents).
    pub discrepancy: f64,
    /// Whether the variance of one replication (the world-to-world variability of the
    /// simulator at the point) joins the denominator: the observed history is one
    /// realisation of the stochastic simulator ("ensemble variability", Andrianakis et al.
    /// 2015). Off when the observations are averages over many worlds, or when their
    /// stated variance already includes that variability.
    pub ensemble_variance: bool,
    /// A wave that keeps more than this share of the previous wave's non-implausible mass
    /// has stopped shrinking, and is the last.
    pub stop_ratio: f64,
    /// Worker threads; `None`: one per core.
    pub threads: Option<usize>,
}

/// The default model discrepancy (relative standard deviation).
pub const DEFAULT_DISCREPANCY: f64 = 0.1;
/// The default cut-off.
pub const DEFAULT_CUTOFF: f64 = 3.0;

impl Settings {
    /// Defaults for `seed`: 40 points a wave, 25 replications a point (blocks of 5), at most
    /// 5 waves, a budget of 5,000 replications, cut-off 3, discrepancy 10 %.
    pub fn new(seed: u64) -> Settings {
        Settings {
            seed,
            points: 40,
            replications: 25,
            block: 5,
            budget: 5_000,
            max_waves: 5,
            cutoff: DEFAULT_CUTOFF,
            discrepancy: DEFAULT_DISCREPANCY,
            ensemble_variance: true,
            stop_ratio: 0.9,
            threads: None,
        }
    }
}

/// One evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Where it is in u-space, one coordinate per input.
    pub u: Vec<f64>,
    /// The input values, `value_at(u)`.
    pub values: Vec<f64>,
    /// Simulated mean of each observation.
    pub mean: Vec<f64>,
    /// Sample variance over replications of each observation.
    pub variance: Vec<f64>,
    /// Replications run.
    pub replications: u64,
    /// Implausibility of each observation.
    pub implausibility: Vec<f64>,
}

impl Point {
    /// The largest implausibility.
    pub fn max_implausibility(&self) -> f64 {
        self.implausibility.iter().copied().fold(0.0, f64::max)
    }
}

/// One wave.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    /// The box sampled, u-space: lower and upper corner.
    pub box_lo: Vec<f64>,
    /// Upper corner.
    pub box_hi: Vec<f64>,
    /// The points evaluated.
    pub points: Vec<Point>,
    /// Indices of the retained (non-implausible) points.
    pub retained: Vec<usize>,
}

impl Wave {
    /// Share of this wave's points retained.
    pub fn fraction(&self) -> f64 {
        self.retained.len() as f64 / self.points.len().max(1) as f64
    }

    /// Prior probability of the box (its volume in u-space).
    pub fn box_mass(&self) -> f64 {
        self.box_lo
            .iter()
            .zip(&self.box_hi)
            .map(|(a, b)| b - a)
            .product()
    }

    /// The estimated non-implausible share of the prior: box mass × retained fraction.
    pub fn mass(&self) -> f64 {
        self.box_mass() * self.fraction()
    }
}

/// Why the waves stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The first wave retained nothing: no point of the prior is plausible.
    AllRejected,
    /// A later wave retained nothing (the previous wave's points are kept).
    WaveRejected,
    /// The non-implausible share stopped shrinking.
    Converged,
    /// The budget was spent.
    Budget,
    /// The most waves were run.
    MaxWaves,
}

impl Stop {
    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            Stop::AllRejected => "every point of the first wave was implausible",
            Stop::WaveRejected => {
                "the last wave retained no point; the previous wave's points are kept"
            }
            Stop::Converged => "the non-implausible share stopped shrinking",
            Stop::Budget => "the replication budget was spent",
            Stop::MaxWaves => "the most waves were run",
        }
    }
}

/// What calibration found about one input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRange {
    /// The input's path.
    pub path: String,
    /// The prior's plotted range (`Dist::plot_range`).
    pub prior: (f64, f64),
    /// Smallest and largest retained value.
    pub retained: (f64, f64),
    /// Retained points the range is taken over.
    pub points: usize,
    /// Number of inputs calibrated: fewer retained points than this plus one cannot tell
    /// a narrow region from a lucky point.
    pub inputs: usize,
}

impl InputRange {
    /// Retained range over prior range.
    pub fn share(&self) -> f64 {
        let w = self.prior.1 - self.prior.0;
        if w > 0.0 {
            (self.retained.1 - self.retained.0) / w
        } else {
            0.0
        }
    }

    /// Whether there are enough retained points (more than the inputs) to judge a range.
    pub fn enough_points(&self) -> bool {
        self.points > self.inputs
    }

    /// Whether the observations narrowed the input to at most half its prior range, judged
    /// on enough retained points.
    pub fn identified(&self) -> bool {
        self.enough_points() && self.share() <= 0.5
    }
}

/// The result of a calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The inputs calibrated (the prior).
    pub inputs: Vec<UncertainInput>,
    /// The observations.
    pub observations: Vec<Observation>,
    /// The settings used.
    pub settings: Settings,
    /// Every wave.
    pub waves: Vec<Wave>,
    /// Why the waves stopped.
    pub stop: Stop,
    /// Replications run in all.
    pub replications: u64,
}

impl Calibration {
    /// Whether every point was implausible.
    pub fn all_rejected(&self) -> bool {
        self.stop == Stop::AllRejected
    }

    /// The wave whose retained points are the result: the last that retained any.
    pub fn final_wave(&self) -> Option<&Wave> {
        self.waves.iter().rev().find(|w| !w.retained.is_empty())
    }

    /// The retained points (of [`Calibration::final_wave`]).
    pub fn retained(&self) -> Vec<&Point> {
        self.final_wave()
            .map(|w| w.retained.iter().map(|i| &w.points[*i]).collect())
            .unwrap_or_default()
    }

    /// For observation `i`, over every point of every wave: how many points it finds
    /// implausible (implausibility above the cut-off), and at how many of those it is the
    /// only observation that does. The diagnosis of which observations rule points out.
    pub fn ruled_out(&self, i: usize) -> (usize, usize) {
        let cut = self.settings.cutoff;
        let mut by = 0;
        let mut alone = 0;
        for p in self.waves.iter().flat_map(|w| &w.points) {
            if p.implausibility[i] > cut {
                by += 1;
                if p.implausibility
                    .iter()
                    .enumerate()
                    .all(|(j, x)| j == i || *x <= cut)
                {
                    alone += 1;
                }
            }
        }
        (by, alone)
    }

    /// Points evaluated over every wave.
    pub fn points_evaluated(&self) -> usize {
        self.waves.iter().map(|w| w.points.len()).sum()
    }

    /// Each input's prior range and retained range.
    pub fn ranges(&self) -> Vec<InputRange> {
        let kept = self.retained();
        self.inputs
            .iter()
            .enumerate()
            .map(|(j, inp)| {
                let (lo, hi) = kept
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
                        (a.0.min(p.values[j]), a.1.max(p.values[j]))
                    });
                InputRange {
                    path: inp.path.clone(),
                    prior: inp.dist.plot_range(),
                    retained: (lo, hi),
                    points: kept.len(),
                    inputs: self.inputs.len(),
                }
            })
            .collect()
    }
}

/// What `progress` is told: the wave (from 0), replications done in it, and its total.
pub type Progress<'a> = &'a (dyn Fn(usize, u64, u64) + Sync);

/// The simulated counterpart of observation `o` in one replication's record; `truck_litres`
/// converts litres to truckloads.
pub fn simulated(o: &Observation, rec: &RunRecord, truck_litres: f64) -> f64 {
    let (a, b) = (o.from as usize, o.to as usize);
    let days = rec.days;
    let window = |v: &[f64], i: usize| -> f64 {
        RunRecord::series(v, days, i)[a.min(days)..(b + 1).min(days)]
            .iter()
            .sum()
    };
    let in_period = |d: u32| d >= o.from && d <= o.to;
    match &o.quantity {
        Quantity::TrucksLost(mask) => rec
            .attack_log
            .iter()
            .filter(|e| in_period(e.day) && mask[e.segment.index()])
            .map(|e| f64::from(e.trucks_lost))
            .sum(),
        Quantity::Attacks(mask) => rec
            .attack_log
            .iter()
            .filter(|e| in_period(e.day) && mask[e.segment.index()])
            .count() as f64,
        Quantity::LitresDelivered(d) => window(&rec.depot_delivered, *d),
        Quantity::TrucksDelivered(d) => window(&rec.depot_delivered, *d) / truck_litres,
        Quantity::ConvoysArrived(d) => window(&rec.depot_convoys, *d),
        Quantity::Stock(d) => RunRecord::series(&rec.stock, days, *d)[b.min(days - 1)],
        Quantity::DryDays(d) => rec.dry_day[d * days..(d + 1) * days]
            [a.min(days)..(b + 1).min(days)]
            .iter()
            .filter(|x| **x)
            .count() as f64,
    }
}

/// The implausibility of observation `o` at a simulated `mean` whose replications have
/// sample variance `variance` over `n` replications, with relative model discrepancy
/// `discrepancy` (unless the observation states its own, in its unit); with `ensemble`, the variance of one replication is added (the observed
/// world is one realisation).
pub fn implausibility(
    o: &Observation,
    mean: f64,
    variance: f64,
    n: u64,
    discrepancy: f64,
    ensemble: bool,
) -> f64 {
    let miss = o.value.miss(mean);
    let md = o
        .discrepancy
        .unwrap_or(discrepancy * o.value.centre().abs());
    let vs = if ensemble { variance } else { 0.0 };
    let var = o.value.variance() + vs + variance / n.max(1) as f64 + md * md;
    if miss == 0.0 {
        0.0
    } else if var > 0.0 {
        miss.abs() / var.sqrt()
    } else {
        f64::INFINITY
    }
}

/// A Latin hypercube of `n` points in the box `[lo, hi]` (u-space): in each dimension one
/// point per stratum, at a uniform place inside it, strata paired at random.
pub fn latin_hypercube(n: usize, lo: &[f64], hi: &[f64], rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let k = lo.len();
    let mut pts = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let s = rng.random_range(0..=i);
            perm.swap(i, s);
        }
        for (i, p) in pts.iter_mut().enumerate() {
            let jitter: f64 = rng.random();
            let f = (perm[i] as f64 + jitter) / n as f64;
            p[j] = lo[j] + f * (hi[j] - lo[j]);
        }
    }
    pts
}

/// The overrides that fix every input of `inputs` at `values`.
pub fn overrides(inputs: &[UncertainInput], values: &[f64]) -> Vec<Override> {
    inputs
        .iter()
        .zip(values)
        .map(|(i, v)| Override {
            path: i.path.clone(),
            value: format_value(*v, i.integer),
        })
        .collect()
}

/// A value as `--set` and the calibrated-inputs file write it: a whole number for an
/// integer input, else the shortest text that reads back as the same number.
pub fn format_value(v: f64, integer: bool) -> String {
    if integer {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:?}")
    }
}

/// Evaluates the points `us` (u-space) of `prior` on `template`: `settings.replications`
/// replications at each, seed `settings.seed`, in units of a point × a block.
///
/// # Errors
/// [`CalibrationError::InvalidPoint`] if a point gives an invalid scenario,
/// [`CalibrationError::Ledger`] if a replication does not balance.
pub fn evaluate(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    us: &[Vec<f64>],
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Point>, CalibrationError> {
    let values = point_values(prior, us);
    let all = 0..unit_count(us.len(), settings);
    let sums = evaluate_units(
        template,
        prior,
        observations,
        &values,
        settings,
        all,
        progress,
    )?;
    Ok(assemble_points(us, values, observations, settings, sums))
}

/// The input values of the points `us` (u-space): `value_at(u)` of each input.
pub fn point_values(prior: &[UncertainInput], us: &[Vec<f64>]) -> Vec<Vec<f64>> {
    us.iter()
        .map(|u| prior.iter().zip(u).map(|(i, x)| i.value_at(*x)).collect())
        .collect()
}

/// The blocks of replications at each point.
fn blocks_per_point(settings: &Settings) -> u64 {
    let n = settings.replications.max(1);
    n.div_ceil(settings.block.clamp(1, n))
}

/// The units of work of a wave of `points` points: a point × a block of replications,
/// numbered `point × blocks + block` (the order they are folded in).
pub fn unit_count(points: usize, settings: &Settings) -> u64 {
    points as u64 * blocks_per_point(settings)
}

/// What one unit of work gives: per observation, the sum and the sum of squares of its
/// simulated value over the unit's replications.
pub type UnitSums = Vec<(f64, f64)>;

/// Runs the units `units` (numbered as in [`unit_count`]) of the points with input values
/// `values`; their sums in unit order. Only the points those units touch are built.
///
/// # Errors
/// As [`evaluate`], for the points touched.
pub fn evaluate_units(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    values: &[Vec<f64>],
    settings: &Settings,
    units: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<UnitSums>, CalibrationError> {
    let n = settings.replications.max(1);
    let block = settings.block.clamp(1, n);
    let blocks = n.div_ceil(block);
    let touched = if units.is_empty() {
        0..0
    } else {
        (units.start / blocks) as usize..((units.end - 1) / blocks) as usize + 1
    };
    let worlds: Vec<_> = values[touched.clone()]
        .par_iter()
        .enumerate()
        .map(|(i, v)| {
            let p = touched.start + i;
            let sets = overrides(prior, v);
            match template.with(&sets) {
                Ok(l) => {
                    let net = Network::build(&l.scenario);
                    let layout = Layout::new(&l.scenario);
                    Ok((l.scenario, net, layout))
                }
                Err(e) => Err(CalibrationError::InvalidPoint {
                    values: sets
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    point: p,
                    diagnostics: match e {
                        ScenarioError::Invalid { diagnostics } => diagnostics,
                        other => vec![Diagnostic::error("", other.to_string())],
                    },
                }),
            }
        })
        .collect();
    let worlds = worlds.into_iter().collect::<Result<Vec<_>, _>>()?;
    let units: Vec<(usize, u64)> = units
        .map(|u| ((u / blocks) as usize - touched.start, u % blocks))
        .collect();
    let done = AtomicU64::new(0);
    let caches: Vec<Mutex<Option<(usize, PlanCache)>>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new(None))
        .collect();
    let k = observations.len();
    let sums: Vec<Result<UnitSums, ConservationError>> = units
        .par_iter()
        .map(|(p, b)| {
            let (s, net, layout) = &worlds[*p];
            let slot =
                rayon::current_thread_index().map_or(caches.len() - 1, |i| i.min(caches.len() - 1));
            let mut guard = caches[slot].lock().unwrap_or_else(|e| e.into_inner());
            // A plan cache serves one scenario: a new point starts a new cache.
            if guard.as_ref().is_some_and(|(q, _)| q != p) {
                *guard = None;
            }
            let (_, cache) = guard.get_or_insert_with(|| (*p, PlanCache::new()));
            let mut acc = vec![(0.0, 0.0); k];
            for r in b * block..((b + 1) * block).min(n) {
                let rec = model::simulate(s, net, layout, settings.seed, r, cache)?;
                for (a, o) in acc.iter_mut().zip(observations) {
                    let x = simulated(o, &rec, s.fleet.truck_litres);
                    a.0 += x;
                    a.1 += x * x;
                }
            }
            let m = ((b + 1) * block).min(n) - b * block;
            progress(done.fetch_add(m, Ordering::Relaxed) + m);
            Ok(acc)
        })
        .collect();
    Ok(sums.into_iter().collect::<Result<Vec<_>, _>>()?)
}

/// The points `us` (with input values `values`) from the sums of every unit of their
/// wave, in unit order: each point's units are added in block order, so the points are
/// the same whichever machine ran which unit.
///
/// # Panics
/// If `sums` does not hold one entry per unit (a bug of the caller).
pub fn assemble_points(
    us: &[Vec<f64>],
    values: Vec<Vec<f64>>,
    observations: &[Observation],
    settings: &Settings,
    sums: Vec<UnitSums>,
) -> Vec<Point> {
    let n = settings.replications.max(1);
    let blocks = blocks_per_point(settings);
    let k = observations.len();
    assert_eq!(sums.len() as u64, unit_count(us.len(), settings));
    let mut points = Vec::with_capacity(us.len());
    let mut it = sums.into_iter();
    for (p, u) in us.iter().enumerate() {
        let mut tot = vec![(0.0, 0.0); k];
        for _ in 0..blocks {
            let acc = it.next().expect("one result per unit");
            for (t, a) in tot.iter_mut().zip(acc) {
                t.0 += a.0;
                t.1 += a.1;
            }
        }
        let nf = n as f64;
        let mean: Vec<f64> = tot.iter().map(|t| t.0 / nf).collect();
        let variance: Vec<f64> = tot
            .iter()
            .zip(&mean)
            .map(|(t, m)| {
                if n > 1 {
                    ((t.1 - nf * m * m) / (nf - 1.0)).max(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        let implausibility = observations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                implausibility(
                    o,
                    mean[i],
                    variance[i],
                    n,
                    settings.discrepancy,
                    settings.ensemble_variance,
                )
            })
            .collect();
        points.push(Point {
            u: u.clone(),
            values: values[p].clone(),
            mean,
            variance,
            replications: n,
            implausibility,
        });
    }
    points
}

/// Smallest number of points a wave may have.
pub const MIN_POINTS: usize = 4;

/// History matching of `prior` on `template` against `observations`.
///
/// # Errors
/// [`CalibrationError`]: no inputs or observations, a budget too small for one wave, an
/// invalid point, a ledger failure.
pub fn calibrate(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    progress: Progress<'_>,
) -> Result<Calibration, CalibrationError> {
    let outcome = calibrate_with(prior, observations, settings, &mut |w, us, values| {
        let all = 0..unit_count(us.len(), settings);
        let p = |d| progress(w, d, us.len() as u64 * settings.replications.max(1));
        evaluate_units(template, prior, observations, values, settings, all, &p).map(Some)
    })?;
    match outcome {
        Outcome::Finished(c) => Ok(c),
        Outcome::Waiting { .. } => unreachable!("every wave's units are computed"),
    }
}

/// Where [`calibrate_with`] takes each wave's units from: given the wave (from 0), its
/// points (u-space) and their input values, the sums of every unit of the wave in unit
/// order ([`unit_count`]), or `None` when they are not available yet.
pub type WaveUnits<'a> = &'a mut (
            dyn FnMut(
    usize,
    &[Vec<f64>],
    &[Vec<f64>],
) -> Result<Option<Vec<UnitSums>>, CalibrationError>
                + Send
        );

/// How far [`calibrate_with`] got.
#[derive(Debug)]
pub enum Outcome {
    /// The waves stopped: the calibration.
    Finished(Calibration),
    /// Wave `wave`'s units were not available: the calibration stops there, to go on
    /// once they are (a sharded calibration computes one wave per round).
    Waiting {
        /// The wave (from 0).
        wave: usize,
        /// Its points (u-space).
        us: Vec<Vec<f64>>,
        /// Their input values.
        values: Vec<Vec<f64>>,
    },
}

/// [`calibrate`] with each wave's units from `units`: the waves, their boxes and the stop
/// rule are the same; only where the unit sums come from differs (computed here, or on
/// other machines and read back). Equal unit sums give an equal calibration.
///
/// # Errors
/// As [`calibrate`], and those of `units`.
pub fn calibrate_with(
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    units: WaveUnits<'_>,
) -> Result<Outcome, CalibrationError> {
    if prior.is_empty() {
        return Err(CalibrationError::NoInputs);
    }
    if observations.is_empty() {
        return Err(CalibrationError::NoObservations);
    }
    let per_point = settings.replications.max(1);
    let needed = per_point * MIN_POINTS as u64;
    if settings.budget < needed {
        return Err(CalibrationError::BudgetTooSmall {
            budget: settings.budget,
            needed,
        });
    }
    crate::ensemble::on_threads(settings.threads, || {
        calibrate_in_pool(prior, observations, settings, units)
    })
}

fn calibrate_in_pool(
    prior: &[UncertainInput],
    observations: &[Observation],
    settings: &Settings,
    units: WaveUnits<'_>,
) -> Result<Outcome, CalibrationError> {
    let k = prior.len();
    let per_point = settings.replications.max(1);
    let (mut lo, mut hi) = (vec![0.0; k], vec![1.0; k]);
    let mut waves: Vec<Wave> = Vec::new();
    let mut used = 0u64;
    let mut stop = Stop::MaxWaves;
    // Whether the last wave shrank the box the next one samples.
    let mut shrunk_last = false;
    for w in 0..settings.max_waves.max(1) {
        let affordable = ((settings.budget - used) / per_point) as usize;
        let n = settings.points.max(MIN_POINTS).min(affordable);
        if n < MIN_POINTS {
            stop = Stop::Budget;
            break;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed ^ 0x6c68_735f_7761_7665);
        rng.set_stream(w as u64);
        let us = latin_hypercube(n, &lo, &hi, &mut rng);
        let total = n as u64 * per_point;
        let values = point_values(prior, &us);
        let Some(sums) = units(w, &us, &values)? else {
            return Ok(Outcome::Waiting {
                wave: w,
                us,
                values,
            });
        };
        let points = assemble_points(&us, values, observations, settings, sums);
        used += total;
        let retained: Vec<usize> = points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.max_implausibility() <= settings.cutoff)
            .map(|(i, _)| i)
            .collect();
        let wave = Wave {
            box_lo: lo.clone(),
            box_hi: hi.clone(),
            points,
            retained,
        };
        let prev_mass = waves.last().map(Wave::mass);
        let mass = wave.mass();
        let empty = wave.retained.is_empty();
        // The next box: the retained points' bounding box, grown on each side by one stratum
        // or a tenth of this box's width, whichever is more, inside this box. Fewer than
        // k + 1 retained points cannot bound a region of k inputs: the box is kept, and the
        // next wave samples it again.
        let shrink = wave.retained.len() > k;
        if shrink {
            for j in 0..k {
                let margin = ((hi[j] - lo[j]) / n as f64).max(0.1 * (hi[j] - lo[j]));
                let (a, b) = wave
                    .retained
                    .iter()
                    .map(|i| wave.points[*i].u[j])
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |acc, x| {
                        (acc.0.min(x), acc.1.max(x))
                    });
                if a.is_finite() {
                    let (nlo, nhi) = ((a - margin).max(lo[j]), (b + margin).min(hi[j]));
                    lo[j] = nlo;
                    hi[j] = nhi;
                }
            }
        }
        waves.push(wave);
        let shrunk_before = std::mem::replace(&mut shrunk_last, shrink);
        if empty {
            stop = if w == 0 {
                Stop::AllRejected
            } else {
                Stop::WaveRejected
            };
            break;
        }
        // Convergence is judged only on a wave whose box the previous wave shrank.
        if let Some(pm) = prev_mass
            && shrunk_before
            && mass > settings.stop_ratio * pm
        {
            stop = Stop::Converged;
            break;
        }
        if w + 1 == settings.max_waves.max(1) {
            stop = Stop::MaxWaves;
        }
    }
    if waves.is_empty() {
        return Err(CalibrationError::BudgetTooSmall {
            budget: settings.budget,
            needed: per_point * MIN_POINTS as u64,
        });
    }
    Ok(Outcome::Finished(Calibration {
        inputs: prior.to_vec(),
        observations: observations.to_vec(),
        settings: *settings,
        waves,
        stop,
        replications: used,
    }))
}

/// The calibrated-inputs file (RON), as `run --inputs FILE` reads it: the scenario's name
/// and fingerprint, the seed, the input paths and the retained points.
pub fn calibrated_inputs_ron(c: &Calibration, scenario: &str, fingerprint: &str) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from(
        "// Written by `blockade calibrate`: the retained (non-implausible) points.\n",
    );
    out.push_str("CalibratedInputs(\n");
    out.push_str(&format!("    scenario: \"{}\",\n", esc(scenario)));
    out.push_str(&format!("    fingerprint: \"{}\",\n", esc(fingerprint)));
    out.push_str(&format!("    seed: {},\n", c.settings.seed));
    let paths: Vec<String> = c
        .inputs
        .iter()
        .map(|i| format!("\"{}\"", esc(&i.path)))
        .collect();
    out.push_str(&format!("    inputs: [{}],\n", paths.join(", ")));
    out.push_str("    points: [\n");
    for p in c.retained() {
        let v: Vec<String> = p
            .values
            .iter()
            .zip(&c.inputs)
            .map(|(v, i)| {
                let s = format_value(*v, i.integer);
                if s.contains(['.', 'e', 'E']) || s.contains("inf") || s.contains("NaN") {
                    s
                } else {
                    format!("{s}.0")
                }
            })
            .collect();
        out.push_str(&format!("        [{}],\n", v.join(", ")));
    }
    out.push_str("    ],\n)\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scenario::Dist;
    use crate::scenario::observations::Observed;

    fn uniform(path: &str, lo: f64, hi: f64) -> UncertainInput {
        UncertainInput {
            path: path.into(),
            dist: Dist::Uniform { lo, hi },
            integer: false,
        }
    }

    /// The tutorial with three uncertain inputs: two road risks, over the range where the
    /// dispatch plan keeps using both roads (above about 0.15 the plan abandons the northern
    /// road and its losses fall again), and the share of lost fuel that is seized, which no
    /// observation below depends on.
    fn prior() -> Vec<UncertainInput> {
        vec![
            uniform("segments[KAY-BKO].risk", 0.0, 0.12),
            uniform("segments[KIT-BKO].risk", 0.0, 0.06),
            uniform("interdiction.seized_share", 0.0, 0.6),
        ]
    }

    const TRUTH: [f64; 3] = [0.05, 0.02, 0.2];

    fn truth_u() -> Vec<f64> {
        prior()
            .iter()
            .zip(TRUTH)
            .map(|(i, v)| match i.dist {
                Dist::Uniform { lo, hi } => (v - lo) / (hi - lo),
                _ => unreachable!(),
            })
            .collect()
    }

    fn tutorial() -> Template {
        Template::load(std::path::Path::new("networks/tutorial.ron")).expect("loads")
    }

    fn observation(id: String, from: u32, to: u32, quantity: Quantity) -> Observation {
        Observation {
            id,
            label: String::new(),
            source: "synthetic".into(),
            from,
            to,
            quantity,
            value: Observed::About {
                value: 0.0,
                sd: 0.0,
            },
            discrepancy: None,
        }
    }

    /// Trucks lost and attacks on the two roads in `periods`, and truckloads delivered.
    fn quantities(t: &Template, periods: &[(u32, u32)]) -> Vec<Observation> {
        let s = &t.base().scenario;
        let seg = |id: &str| {
            let mut m = vec![false; s.segments.len()];
            m[s.segment_by_id(id).expect("segment").index()] = true;
            m
        };
        let mut obs = Vec::new();
        for id in ["KAY-BKO", "KIT-BKO"] {
            for (from, to) in periods {
                obs.push(observation(
                    format!("lost {id} {from}-{to}"),
                    *from,
                    *to,
                    Quantity::TrucksLost(seg(id)),
                ));
                obs.push(observation(
                    format!("attacks {id} {from}-{to}"),
                    *from,
                    *to,
                    Quantity::Attacks(seg(id)),
                ));
            }
        }
        obs.push(observation(
            "delivered".into(),
            0,
            89,
            Quantity::TrucksDelivered(0),
        ));
        obs
    }

    /// 200 worlds at the truth (another seed): their means and standard deviations, and
    /// the values of world 0.
    fn worlds(t: &Template, obs: &[Observation]) -> (Point, Point) {
        let mut world = Settings::new(999);
        world.replications = 200;
        let many = evaluate(t, &prior(), obs, &[truth_u()], &world, &|_| {}).expect("runs");
        world.replications = 1;
        let one = evaluate(t, &prior(), obs, &[truth_u()], &world, &|_| {}).expect("runs");
        (many[0].clone(), one[0].clone())
    }

    /// Precise observations: the expected counts at the truth over the whole run, each
    /// with the standard error of the mean of 200 worlds.
    fn precise(t: &Template) -> Vec<Observation> {
        let mut obs = quantities(t, &[(0, 89)]);
        let (many, _) = worlds(t, &obs);
        for (i, o) in obs.iter_mut().enumerate() {
            o.value = Observed::About {
                value: many.mean[i],
                sd: (many.variance[i] / 200.0).sqrt(),
            };
        }
        obs
    }

    /// One world at the truth, month by month and in all, each count with the standard
    /// deviation of a world (the right observation variance for one world seen once).
    fn one_world(t: &Template) -> Vec<Observation> {
        let mut obs = quantities(t, &[(0, 29), (30, 59), (60, 89), (0, 89)]);
        let (many, one) = worlds(t, &obs);
        for (i, o) in obs.iter_mut().enumerate() {
            o.value = Observed::About {
                value: one.mean[i],
                sd: many.variance[i].sqrt(),
            };
        }
        obs
    }

    fn settings() -> Settings {
        let mut st = Settings::new(7);
        st.points = 24;
        st.replications = 20;
        st.block = 5;
        st.max_waves = 3;
        st.budget = 1_440;
        st.discrepancy = 0.05;
        // The observations below state their own variance: the standard error of 200
        // worlds, or the variance of one world.
        st.ensemble_variance = false;
        st
    }

    #[test]
    fn recovers_a_known_truth_and_says_what_it_cannot_identify() {
        let t = tutorial();
        let obs = precise(&t);
        let prior = prior();
        let st = settings();
        let c = calibrate(&t, &prior, &obs, &st, &|_, _, _| {}).expect("calibrates");
        assert!(!c.all_rejected(), "{:?}", c.stop);
        assert!(c.replications <= st.budget);
        assert!(
            c.waves.len() >= 2,
            "{} waves, stop {:?}",
            c.waves.len(),
            c.stop
        );
        // The truth is inside every wave's box and is not implausible.
        let truth_u = truth_u();
        for (w, wave) in c.waves.iter().enumerate() {
            for (j, u) in truth_u.iter().enumerate() {
                assert!(
                    wave.box_lo[j] <= *u && *u <= wave.box_hi[j],
                    "wave {w}: input {j} truth {u} outside [{}, {}]",
                    wave.box_lo[j],
                    wave.box_hi[j]
                );
            }
        }
        let at_truth = evaluate(&t, &prior, &obs, &[truth_u], &st, &|_| {}).expect("runs");
        assert!(
            at_truth[0].max_implausibility() <= st.cutoff,
            "truth implausible: {:?}",
            at_truth[0].implausibility
        );
        // The two risks are identified to at most half their prior range; the seized share
        // is not, and calibration says so.
        let ranges = c.ranges();
        for (r, truth) in ranges.iter().zip(TRUTH) {
            assert!(
                r.retained.0 <= truth && truth <= r.retained.1 + 1e-12 || r.path.contains("seized"),
                "{r:?} does not cover the truth {truth}"
            );
        }
        assert!(
            ranges[0].identified(),
            "{:?} share {}",
            ranges[0],
            ranges[0].share()
        );
        assert!(
            ranges[1].identified(),
            "{:?} share {}",
            ranges[1],
            ranges[1].share()
        );
        assert!(!ranges[2].identified(), "{:?}", ranges[2]);
        assert!(ranges[2].share() > 0.7, "{:?}", ranges[2]);
        // Deterministic at any thread count.
        let mut one = st;
        one.threads = Some(1);
        let c1 = calibrate(&t, &prior, &obs, &one, &|_, _, _| {}).expect("calibrates");
        assert_eq!(c1.waves, c.waves);
    }

    #[test]
    fn an_understated_observation_variance_rejects_everything() {
        let t = tutorial();
        let right = one_world(&t);
        let st = settings();
        // With the right variance, the truth is not implausible ...
        let at_truth = evaluate(&t, &prior(), &right, &[truth_u()], &st, &|_| {}).expect("runs");
        assert!(
            at_truth[0].max_implausibility() <= st.cutoff,
            "{:?}",
            at_truth[0].implausibility
        );
        // ... with every variance divided by 100, no point is.
        let wrong: Vec<Observation> = right
            .into_iter()
            .map(|mut o| {
                o.value = o.value.scaled_variance(0.01);
                o
            })
            .collect();
        let c = calibrate(&t, &prior(), &wrong, &st, &|_, _, _| {}).expect("runs");
        assert!(
            c.all_rejected(),
            "{:?}: {} retained",
            c.stop,
            c.retained().len()
        );
        assert!(c.retained().is_empty());
        assert_eq!(c.waves.len(), 1);
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_each_stratum() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let pts = latin_hypercube(10, &[0.0, 0.5], &[1.0, 0.7], &mut rng);
        for j in 0..2 {
            let (lo, w) = if j == 0 { (0.0, 1.0) } else { (0.5, 0.2) };
            let mut strata: Vec<usize> = pts
                .iter()
                .map(|p| (((p[j] - lo) / w) * 10.0).floor() as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_stated_discrepancy_replaces_the_default_share() {
        let mut o = observation("x".into(), 0, 9, Quantity::Attacks(vec![true]));
        o.value = Observed::About {
            value: 50.0,
            sd: 3.0,
        };
        // Default: 10 % of 50 = 5; sqrt(9 + 25) for a miss of 20.
        let i = implausibility(&o, 30.0, 0.0, 10, 0.1, true);
        assert!((i - 20.0 / 34f64.sqrt()).abs() < 1e-12, "{i}");
        // Stated: 4 trucks, whatever the default share.
        o.discrepancy = Some(4.0);
        let i = implausibility(&o, 30.0, 0.0, 10, 0.1, true);
        assert!((i - 20.0 / 25f64.sqrt()).abs() < 1e-12, "{i}");
        let i = implausibility(&o, 30.0, 0.0, 10, 0.9, true);
        assert!((i - 4.0).abs() < 1e-12, "{i}");
    }

    #[test]
    fn values_print_back_as_the_same_number() {
        assert_eq!(
            format_value(0.1 + 0.2, false).parse::<f64>().ok(),
            Some(0.1 + 0.2)
        );
        assert_eq!(format_value(11.6, true), "12");
    }
}
