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
//!
//! Just over 600 lines, about half of them unit tests of the whole calibration.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use thiserror::Error;

use crate::model::{self, ConservationError, Layout, PlanCache, RunRecord};
use crate::network::Network;
use crate::scenario::observations::{Observation, Quantity};
use crate::scenario::{DepotId, Diagnostic, Override, ScenarioError, Template, UncertainInput};

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

mod design;
mod inputs_file;
mod waves;

pub use design::*;
pub use inputs_file::*;
pub use waves::*;

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
