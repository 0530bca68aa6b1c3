//! Per-replication inputs (docs/model.md §7c): an ensemble whose uncertain inputs take a
//! new value in every replication.
//!
//! Replication `r` of an ensemble with uncertain inputs runs the scenario
//! `template.with(sets ++ values(r))`, where `values(r)` gives each uncertain input either
//! its draw from its own stream ([`UncertainInput::draw`]`(seed, r)`) or, with a
//! calibrated-inputs file, the value of point `r % K` of the file (inputs the file does not
//! list are still drawn). The dynamics keep their streams ([`crate::model::segment_rng`]),
//! so common random numbers pair replication `r` across study points as before.
//!
//! **Cost and caching.** A replication's scenario is built (`Template::with`, checked) and
//! its network analysed once per distinct set of values. Replications that share their
//! values (a calibrated file with fewer points than replications, inputs that are whole
//! numbers or choices) share the built scenario and, on a thread, its plan cache; a
//! replication with values of its own pays for one build and starts with an empty plan
//! cache. Records are folded in replication order, as in [`super::run`], so the outputs do
//! not depend on the thread count.
//!
//! **Determinism.** The values of replication `r` depend only on the seed, `r`, the paths
//! and the distributions (or the file), never on the order of work.
//!
//! Just over 600 lines with its 55 lines of tests; the ensemble with uncertain inputs and
//! its table of values are one piece.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{Aggregate, Options, StudyError, Summary, chunk_size};
use crate::model::{self, Layout, PlanCache, RunRecord};
use crate::network::Network;
use crate::scenario::{CalibratedInputs, Dist, Override, Scenario, Template, UncertainInput};

/// The uncertain inputs of a scenario (with any `--set` applied), in file order: the one
/// place the ensemble reads the list (`Scenario.uncertain`).
pub fn scenario_inputs(s: &Scenario) -> Vec<UncertainInput> {
    s.uncertain.clone()
}

/// Where a replication's value of an uncertain input comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputSource {
    /// Drawn from the input's distribution, on its own stream.
    Drawn,
    /// Taken from column `usize` of the calibrated-inputs file.
    Calibrated(usize),
}

/// How the uncertain inputs of an ensemble take their values, replication by replication.
#[derive(Debug, Clone, Default)]
pub struct InputPlan {
    /// The uncertain inputs, in the scenario's order.
    pub inputs: Vec<UncertainInput>,
    /// Per input, where its values come from (same length as `inputs`).
    pub sources: Vec<InputSource>,
    /// The calibrated points, if a file was given.
    pub calibrated: Option<CalibratedInputs>,
}

/// Why an input plan cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InputsError {
    /// A path of the calibrated-inputs file is not an uncertain input of the scenario.
    #[error(
        "{file}: input `{path}` is not an uncertain input of the scenario{}",
        if known.is_empty() { " (it has none)".to_string() } else { format!("; its uncertain inputs: {}", known.join(", ")) }
    )]
    UnknownPath {
        /// The file.
        file: String,
        /// The offending path.
        path: String,
        /// The scenario's uncertain inputs.
        known: Vec<String>,
    },
}

/// A number as `--set` text that reads back to the same `f64` (Rust's shortest round-trip
/// form; whole numbers without a decimal point).
pub fn value_text(x: f64) -> String {
    let s = format!("{x}");
    if s == "-0" { "0".into() } else { s }
}

/// A distribution as it is written in a scenario: `Uniform(0.02, 0.08)`.
pub fn dist_text(d: &Dist) -> String {
    let v = value_text;
    match d {
        Dist::Uniform { lo, hi } => format!("Uniform({}, {})", v(*lo), v(*hi)),
        Dist::Triangular { lo, mode, hi } => {
            format!("Triangular({}, {}, {})", v(*lo), v(*mode), v(*hi))
        }
        Dist::LogNormal { median, sigma } => {
            format!("LogNormal({}, {})", v(*median), v(*sigma))
        }
        Dist::Choice(xs) => format!(
            "Choice([{}])",
            xs.iter().map(|x| v(*x)).collect::<Vec<_>>().join(", ")
        ),
    }
}

impl InputPlan {
    /// Every input drawn from its distribution.
    pub fn drawn(inputs: Vec<UncertainInput>) -> InputPlan {
        let sources = vec![InputSource::Drawn; inputs.len()];
        InputPlan {
            inputs,
            sources,
            calibrated: None,
        }
    }

    /// With a calibrated-inputs file, the same inputs all drawn from their ranges: the
    /// prior that calibration started from, for the fan before calibration. `None`
    /// without a file.
    pub fn prior(&self) -> Option<InputPlan> {
        self.calibrated
            .as_ref()
            .map(|_| InputPlan::drawn(self.inputs.clone()))
    }

    /// The inputs listed in `file` take the file's points (replication r: point r % K); the
    /// others are drawn.
    ///
    /// # Errors
    /// [`InputsError::UnknownPath`] for the first path of the file that is not one of
    /// `inputs`.
    pub fn calibrated(
        inputs: Vec<UncertainInput>,
        file: CalibratedInputs,
    ) -> Result<InputPlan, InputsError> {
        let mut sources = vec![InputSource::Drawn; inputs.len()];
        for (col, p) in file.inputs.iter().enumerate() {
            match inputs.iter().position(|i| &i.path == p) {
                Some(i) => sources[i] = InputSource::Calibrated(col),
                None => {
                    return Err(InputsError::UnknownPath {
                        file: file.path.display().to_string(),
                        path: p.clone(),
                        known: inputs.iter().map(|i| i.path.clone()).collect(),
                    });
                }
            }
        }
        Ok(InputPlan {
            inputs,
            sources,
            calibrated: Some(file),
        })
    }

    /// No uncertain input: the ensemble runs as [`super::run`].
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The plan without the inputs that `sets` fix: a `--set` or swept value that is a
    /// number (a value written `Uncertain(...)` re-ranges the input and keeps it).
    pub fn without(&self, sets: &[Override]) -> InputPlan {
        let fixes = |path: &str| {
            sets.iter()
                .rev()
                .find(|o| o.path == path)
                .is_some_and(|o| !o.value.trim_start().starts_with("Uncertain"))
        };
        let keep: Vec<usize> = (0..self.inputs.len())
            .filter(|i| !fixes(&self.inputs[*i].path))
            .collect();
        InputPlan {
            inputs: keep.iter().map(|i| self.inputs[*i].clone()).collect(),
            sources: keep.iter().map(|i| self.sources[*i]).collect(),
            calibrated: self.calibrated.clone(),
        }
    }

    /// The point of the calibrated file replication `r` takes, if a file was given.
    pub fn point_of(&self, r: u64) -> Option<usize> {
        self.calibrated.as_ref().map(|c| c.point_of(r))
    }

    /// Each input's value in replication `r` of an ensemble with `seed`.
    pub fn values(&self, seed: u64, r: u64) -> Vec<f64> {
        self.inputs
            .iter()
            .zip(&self.sources)
            .map(|(i, src)| match (src, &self.calibrated) {
                (InputSource::Calibrated(col), Some(c)) => c.points[c.point_of(r)][*col],
                _ => i.draw(seed, r),
            })
            .collect()
    }

    /// Each input's "median": its distribution's median when drawn, the median of its
    /// column of the calibrated points (rounded for a whole-number input) otherwise.
    pub fn medians(&self) -> Vec<f64> {
        self.inputs
            .iter()
            .zip(&self.sources)
            .map(|(i, src)| match (src, &self.calibrated) {
                (InputSource::Calibrated(col), Some(c)) => {
                    let mut v: Vec<f64> = c.points.iter().map(|p| p[*col]).collect();
                    v.sort_by(f64::total_cmp);
                    let m = super::percentile_sorted(&v, 0.5);
                    if i.integer { m.round() } else { m }
                }
                _ => i.median(),
            })
            .collect()
    }

    /// The overrides that give the inputs `values`.
    pub fn overrides(&self, values: &[f64]) -> Vec<Override> {
        self.inputs
            .iter()
            .zip(values)
            .map(|(i, v)| Override {
                path: i.path.clone(),
                value: value_text(*v),
            })
            .collect()
    }
}

/// Each replication's values of the uncertain inputs: what `inputs.csv` lists and the
/// variance-based index reads.
#[derive(Debug, Clone, PartialEq)]
pub struct InputTable {
    /// The inputs.
    pub inputs: Vec<UncertainInput>,
    /// Where each input's values came from.
    pub sources: Vec<InputSource>,
    /// The calibrated file's path, if one was given.
    pub file: Option<String>,
    /// Per replication (in order), each input's value.
    pub values: Vec<Vec<f64>>,
    /// Per replication, the calibrated point used (0-based), if a file was given.
    pub points: Vec<Option<usize>>,
    /// Each input's "median" ([`InputPlan::medians`]): the values of the ensemble without
    /// input uncertainty.
    pub medians: Vec<f64>,
    /// Distinct scenarios built (replications that share their values share one).
    pub scenarios_built: u64,
}

impl InputTable {
    /// Input `i`'s value in every replication, in order.
    pub fn column(&self, i: usize) -> Vec<f64> {
        self.values.iter().map(|v| v[i]).collect()
    }
}

/// An ensemble run with uncertain inputs: the usual summary and the values each
/// replication took.
#[derive(Debug, Clone)]
pub struct InputRun {
    /// The ensemble, folded exactly as [`super::run`] folds one.
    pub summary: Summary,
    /// The inputs of each replication.
    pub table: InputTable,
}

/// One built scenario and its network, shared by the replications with its values.
struct Built {
    /// Sequence number (unique in the run): a thread's plan cache belongs to one.
    id: u64,
    scenario: Scenario,
    net: Network,
}

/// Most built scenarios kept between chunks; the map is emptied when it grows past this.
const MAX_BUILT: usize = 1024;

/// Builds the scenario of `sets` followed by the inputs' `values`, then `adjust`s it.
fn build(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    values: &[f64],
    r: u64,
    adjust: &(dyn Fn(Scenario) -> Scenario + Sync),
) -> Result<(Scenario, Network), StudyError> {
    // The study's overrides first, then the inputs' values (inputs a set fixes are not in
    // the plan; a set that re-ranges an input is applied, then the draw fixes it).
    let mut all = sets.to_vec();
    all.extend(plan.overrides(values));
    let l = t.with(&all).map_err(|source| StudyError::Scenario {
        context: format!(
            "replication {r} with uncertain inputs {}",
            plan.overrides(values)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        source,
    })?;
    let s = adjust(l.scenario);
    let net = Network::build(&s);
    Ok((s, net))
}

/// Runs `opts.replications` replications of `t` with `sets`, each with its own values of
/// the uncertain inputs of `plan` (inputs whose path `sets` fixes are left out), and
/// aggregates them. `adjust` changes each built scenario before it runs (the reserve
/// search's lever; the identity otherwise). A plan with no input left runs [`super::run`]
/// on the scenario of `sets`.
///
/// # Errors
/// [`StudyError::Scenario`] for the first replication whose values make the scenario
/// invalid (or whose scenario changes the days simulated, the depots or the demand
/// classes); [`StudyError::Conservation`] on a ledger failure.
pub fn run_with_inputs(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    opts: &Options,
    adjust: &(dyn Fn(Scenario) -> Scenario + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<InputRun, StudyError> {
    run_range_with_inputs(
        t,
        sets,
        plan,
        opts,
        0..opts.replications,
        adjust,
        progress,
        &mut |_, _| {},
    )
}

/// [`run_with_inputs`] over the replications `range` only (a shard's block): the same
/// replications, with the same inputs and seeds, as in the run of all of them; each record
/// is shown to `observe` in replication order. The summary and the table are the block's.
///
/// # Errors
/// As [`run_with_inputs`].
#[allow(clippy::too_many_arguments)]
pub fn run_range_with_inputs(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    opts: &Options,
    range: std::ops::Range<u64>,
    adjust: &(dyn Fn(Scenario) -> Scenario + Sync),
    progress: &(dyn Fn(u64) + Sync),
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<InputRun, StudyError> {
    let plan = plan.without(sets);
    super::on_threads(opts.threads, || {
        run_in_pool(t, sets, &plan, opts, range, adjust, progress, observe)
    })
}

/// The table of inputs of the whole run of `plan` (with `sets` fixing some) under `opts`,
/// as [`run_with_inputs`] gives it, without simulating: what `blockade merge` rebuilds.
/// `scenarios_built` counts the distinct value sets (what the run builds, unless it had to
/// forget built scenarios to bound its memory).
pub fn input_table(plan: &InputPlan, sets: &[Override], opts: &Options) -> InputTable {
    let plan = plan.without(sets);
    let values: Vec<Vec<f64>> = (0..opts.replications)
        .map(|r| plan.values(opts.seed, r))
        .collect();
    let distinct: std::collections::HashSet<Vec<u64>> = values
        .iter()
        .map(|v| v.iter().map(|x| x.to_bits()).collect())
        .collect();
    InputTable {
        inputs: plan.inputs.clone(),
        sources: plan.sources.clone(),
        file: plan
            .calibrated
            .as_ref()
            .map(|c| c.path.display().to_string()),
        points: (0..opts.replications).map(|r| plan.point_of(r)).collect(),
        values,
        medians: plan.medians(),
        scenarios_built: distinct.len() as u64,
    }
}

#[allow(clippy::too_many_arguments)]
fn run_in_pool(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    opts: &Options,
    range: std::ops::Range<u64>,
    adjust: &(dyn Fn(Scenario) -> Scenario + Sync),
    progress: &(dyn Fn(u64) + Sync),
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<InputRun, StudyError> {
    let base = t.with(sets).map_err(|source| StudyError::Scenario {
        context: "the base case".into(),
        source,
    })?;
    let base_s = adjust(base.scenario);
    let layout = Layout::new(&base_s);
    let mut table = InputTable {
        inputs: plan.inputs.clone(),
        sources: plan.sources.clone(),
        file: plan
            .calibrated
            .as_ref()
            .map(|c| c.path.display().to_string()),
        values: Vec::with_capacity((range.end - range.start).min(1 << 20) as usize),
        points: Vec::with_capacity((range.end - range.start).min(1 << 20) as usize),
        medians: plan.medians(),
        scenarios_built: 0,
    };
    let mut agg = Aggregate::new(&layout, range.end - range.start);
    let caches: Vec<Mutex<(u64, PlanCache)>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new((u64::MAX, PlanCache::new())))
        .collect();
    let mut built: HashMap<Vec<u64>, Arc<Built>> = HashMap::new();
    let mut next_id = 0u64;
    let chunk = chunk_size(&layout, rayon::current_num_threads());
    let mut start = range.start;
    while start < range.end {
        let end = (start + chunk).min(range.end);
        let values: Vec<Vec<f64>> = (start..end).map(|r| plan.values(opts.seed, r)).collect();
        let keys: Vec<Vec<u64>> = values
            .iter()
            .map(|v| v.iter().map(|x| x.to_bits()).collect())
            .collect();
        // The distinct new value sets of this chunk, in order of first replication.
        let mut fresh: Vec<(usize, u64)> = Vec::new();
        let mut fresh_keys: HashMap<&[u64], ()> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if !built.contains_key(k) && fresh_keys.insert(k.as_slice(), ()).is_none() {
                fresh.push((i, start + i as u64));
            }
        }
        let made: Vec<Result<(Scenario, Network), StudyError>> = fresh
            .par_iter()
            .map(|(i, r)| build(t, sets, plan, &values[*i], *r, adjust))
            .collect();
        for ((i, r), m) in fresh.iter().zip(made) {
            let (scenario, net) = m?;
            if Layout::new(&scenario) != layout {
                return Err(StudyError::Spec(format!(
                    "replication {r}: the uncertain inputs {} change the days simulated, the \
                     depots or the demand classes; an uncertain input cannot change the shape \
                     of the run",
                    plan.overrides(&values[*i])
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                )));
            }
            built.insert(
                keys[*i].clone(),
                Arc::new(Built {
                    id: next_id,
                    scenario,
                    net,
                }),
            );
            next_id += 1;
        }
        table.scenarios_built += fresh.len() as u64;
        let jobs: Vec<Arc<Built>> = keys.iter().map(|k| Arc::clone(&built[k])).collect();
        let records: Vec<Result<RunRecord, model::ConservationError>> = jobs
            .par_iter()
            .enumerate()
            .map(|(i, b)| {
                let slot = rayon::current_thread_index()
                    .map_or(caches.len() - 1, |x| x.min(caches.len() - 1));
                let mut guard = caches[slot].lock().unwrap_or_else(|p| p.into_inner());
                // A plan cache is keyed by the network state only: it belongs to one scenario.
                if guard.0 != b.id {
                    *guard = (b.id, PlanCache::new());
                }
                model::simulate(
                    &b.scenario,
                    &b.net,
                    &layout,
                    opts.seed,
                    start + i as u64,
                    &mut guard.1,
                )
            })
            .collect();
        for (i, rec) in records.into_iter().enumerate() {
            let r = start + i as u64;
            let rec = rec?;
            observe(r, &rec);
            agg.push(r, &rec);
            table.points.push(plan.point_of(r));
        }
        table.values.extend(values);
        drop(jobs);
        if built.len() > MAX_BUILT {
            built.clear();
        }
        start = end;
        progress(start - range.start);
    }
    Ok(InputRun {
        summary: agg.finish(opts.seed),
        table,
    })
}

/// The ensemble without input uncertainty: every input of `plan` fixed at its "median"
/// ([`InputPlan::medians`]), the same seed and replications. With `sets` on top (a set
/// path stays as set).
///
/// # Errors
/// As [`run_with_inputs`].
pub fn run_at_medians(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, StudyError> {
    let plan = plan.without(sets);
    let mut all = sets.to_vec();
    all.extend(plan.overrides(&plan.medians()));
    let l = t.with(&all).map_err(|source| StudyError::Scenario {
        context: "the inputs at their medians".into(),
        source,
    })?;
    let net = Network::build(&l.scenario);
    Ok(super::run(&l.scenario, &net, opts, progress)?)
}

/// [`run_at_medians`] over the replications `range` only (a shard's block), each record
/// shown to `observe` in replication order.
///
/// # Errors
/// As [`run_at_medians`].
pub fn run_range_at_medians(
    t: &Template,
    sets: &[Override],
    plan: &InputPlan,
    opts: &Options,
    range: std::ops::Range<u64>,
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<Summary, StudyError> {
    let plan = plan.without(sets);
    let mut all = sets.to_vec();
    all.extend(plan.overrides(&plan.medians()));
    let l = t.with(&all).map_err(|source| StudyError::Scenario {
        context: "the inputs at their medians".into(),
        source,
    })?;
    let net = Network::build(&l.scenario);
    Ok(super::run_range(
        &l.scenario,
        &net,
        opts,
        range,
        &|_| {},
        observe,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, dist: Dist, integer: bool) -> UncertainInput {
        UncertainInput {
            path: path.into(),
            dist,
            integer,
        }
    }

    #[test]
    fn values_text_reads_back() {
        for x in [0.1, 0.052, 12.0, 1e-7, 123_456.789, -0.0] {
            assert_eq!(value_text(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(value_text(12.0), "12");
    }

    #[test]
    fn calibrated_points_cycle_and_others_are_drawn() {
        let inputs = vec![
            input(
                "fleet.trucks",
                Dist::Uniform {
                    lo: 300.0,
                    hi: 500.0,
                },
                true,
            ),
            input("escorts.units", Dist::choice(vec![4.0, 8.0]), true),
        ];
        let file = CalibratedInputs {
            path: "c.ron".into(),
            scenario: "t".into(),
            fingerprint: String::new(),
            seed: None,
            inputs: vec!["escorts.units".into()],
            points: vec![vec![5.0], vec![6.0], vec![7.0]],
        };
        let plan = InputPlan::calibrated(inputs.clone(), file.clone()).unwrap();
        for r in 0..7 {
            let v = plan.values(3, r);
            assert_eq!(v[1], [5.0, 6.0, 7.0][(r % 3) as usize]);
            assert_eq!(v[0], inputs[0].draw(3, r));
        }
        assert_eq!(plan.medians(), vec![400.0, 6.0]);
        let bad = CalibratedInputs {
            inputs: vec!["fleet.truck".into()],
            ..file
        };
        let e = InputPlan::calibrated(inputs, bad).unwrap_err().to_string();
        assert!(e.contains("`fleet.truck` is not an uncertain input"), "{e}");
    }
}
