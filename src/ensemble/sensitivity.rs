//! The small one-at-a-time sensitivity that `blockade run` puts on its report's first
//! screen: "what would change it".
//!
//! Each input of the scenario that a planner would argue about (every risk multiplier
//! event, the escort units, the fleet, each depot's initial stock, the sources' supply and
//! every supply factor event) is set to 50 % and 150 % of its value, one at a time, and the
//! ensemble is run again on common random numbers (the same seed, so replication `r` of
//! every variant meets the same dice). The measure is the mean unmet demand of the
//! protected classes, which moves one way when conditions worsen (docs/model.md section 7).
//! Inputs are ranked by swing, `|KPI(high) - KPI(low)|`, each with the standard error of
//! its paired difference.
//!
//! A scenario that states uncertain inputs (docs/model.md §7c) says itself what is in
//! doubt: the sensitivity then moves each uncertain input from the 10th to the 90th
//! percentile of its stated range while the others stay at their medians
//! ([`SensitivityDesign::Percentiles`]), and its base case is the ensemble with every
//! input at its median, run beside the variants on the same seed.
//!
//! Variants are built with the same [`Template`] and `--set` paths as `blockade tornado`,
//! so every bar can be reproduced by hand: [`SensitivityInput::sets`] are the overrides.
//! The base case is the first replications of the run itself (replication `r` is the same
//! alone or in a batch), so it costs nothing. The variants run side by side on the thread
//! pool, each ensemble whole; results are gathered in input order, so they do not depend
//! on the thread count.
//!
//! Long (over 600 lines, 40 of tests) because it holds both designs (levers at ±50 %,
//! uncertain inputs at their percentiles), which share the variants' runs and assembly.

use super::kpi::Kpi;
use super::study::{StudyError, paired_se};
use super::{Options, Summary};
use crate::model::PlanStore;
use crate::network::Network;
use crate::scenario::{Effect, Override, Scenario, Template, UncertainInput};
use std::sync::Arc;

/// How far each input is moved, as a fraction of its value (50 %: from x0.5 to x1.5).
pub const SENSITIVITY_STEP: f64 = 0.5;

/// The low and high probabilities at which an uncertain input is set (its 10th and 90th
/// percentiles).
pub const UNCERTAIN_QUANTILES: (f64, f64) = (0.1, 0.9);

/// How the inputs of a [`Sensitivity`] were moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SensitivityDesign {
    /// The scenario's levers ([`default_inputs`]) at `1 ± SENSITIVITY_STEP` times their
    /// value; the base case is the run's first replications.
    Scaled,
    /// The scenario's uncertain inputs, each at the percentiles [`UNCERTAIN_QUANTILES`] of
    /// its range with the others at their medians; the base case is every input at its
    /// median, run with the variants.
    Percentiles,
}

impl SensitivityDesign {
    /// The design that moves `inputs` (percentiles when they are uncertain inputs).
    pub fn of(inputs: &[SensitivityInput]) -> SensitivityDesign {
        if inputs
            .iter()
            .any(|i| matches!(i.kind, InputKind::Uncertain(_)))
        {
            SensitivityDesign::Percentiles
        } else {
            SensitivityDesign::Scaled
        }
    }
}

/// Replications per variant unless asked otherwise (common random numbers make the
/// differences precise long before the levels are).
pub const SENSITIVITY_REPLICATIONS: u64 = 20;

/// Which built-in input a [`SensitivityInput`] moves. Its words, in any language, are the
/// report's (`report::input_words`): the ensemble names no input in words.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputKind {
    /// The factor of a risk multiplier event (its label).
    RiskMultiplier(String),
    /// The escort units, initial and added by events, together.
    EscortUnits,
    /// The fleet.
    Fleet,
    /// A depot's initial stock (the depot's name).
    InitialStock(String),
    /// The supply of every source together.
    SupplyAll,
    /// The factor of a supply factor event (its label).
    SupplyFactor(String),
    /// An uncertain input of the scenario (its `--set` path), moved between the 10th and
    /// 90th percentiles of its range while the others stay at their medians.
    Uncertain(String),
}

/// One input of the sensitivity and the overrides that move it.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityInput {
    /// Which input it is.
    pub kind: InputKind,
    /// Its value in the scenario, as text ("×12.34", "1000"; several values, such as the
    /// escort units of day 0 and of each event, separated by commas).
    pub base: String,
    /// The low value, as text.
    pub low: String,
    /// The high value, as text.
    pub high: String,
    /// The `--set` overrides of the low end.
    pub sets_low: Vec<Override>,
    /// The `--set` overrides of the high end.
    pub sets_high: Vec<Override>,
}

/// The result for one input.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityRow {
    /// The input.
    pub input: SensitivityInput,
    /// Mean unmet demand of the protected classes at the low value, litres.
    pub at_low: f64,
    /// The same at the high value.
    pub at_high: f64,
    /// Standard error of the paired difference `at_high - at_low`.
    pub swing_se: f64,
}

impl SensitivityRow {
    /// `|at_high - at_low|`.
    pub fn swing(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }

    /// Standard error of the swing (paired by replication).
    pub fn swing_se(&self) -> f64 {
        self.swing_se
    }

    /// Whether moving the input moves the measure beyond Monte Carlo noise: a swing of more
    /// than two standard errors (and not zero, which no noise explains).
    pub fn moves(&self) -> bool {
        self.swing() > 0.0 && self.swing() > 2.0 * self.swing_se
    }
}

/// The built-in sensitivity of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// Mean unmet demand of the protected classes in the base case (the run's first
    /// `replications` replications), litres.
    pub base: f64,
    /// Replications per variant.
    pub replications: u64,
    /// The seed (the run's).
    pub seed: u64,
    /// Inputs, largest swing first (ties: input order).
    pub rows: Vec<SensitivityRow>,
    /// Inputs left out because a moved value made the scenario invalid.
    pub skipped: Vec<InputKind>,
    /// How the inputs were moved.
    pub design: SensitivityDesign,
}

impl Sensitivity {
    /// The inputs that "matter most": at most `k`, largest swing first, and only those whose
    /// swing is clear of noise ([`SensitivityRow::moves`]). Empty when no input moves the
    /// measure: the answer is then "none of them", not a list of inputs that do nothing.
    pub fn top(&self, k: usize) -> Vec<&SensitivityRow> {
        self.rows.iter().filter(|r| r.moves()).take(k).collect()
    }

    /// How it was computed, in one sentence for the report.
    pub fn method(&self) -> String {
        if self.design == SensitivityDesign::Percentiles {
            return format!(
                "One at a time, each of the scenario's {} uncertain inputs set to the {:.0}th and {:.0}th percentiles of its stated range while the others stay at their medians, {} replications each on the run's seed (common random numbers); ranked by the change in mean unmet demand of the protected classes between the two; the base case is every input at its median",
                self.rows.len(),
                100.0 * UNCERTAIN_QUANTILES.0,
                100.0 * UNCERTAIN_QUANTILES.1,
                self.replications
            );
        }
        format!(
            "One at a time, each of {} inputs (risk multiplier events, escort units, fleet, initial stock, source supply and supply factor events) set to {:.0} % and {:.0} % of its value, {} replications each on the run's seed (common random numbers); ranked by the change in mean unmet demand of the protected classes between the two",
            self.rows.len(),
            100.0 * (1.0 - SENSITIVITY_STEP),
            100.0 * (1.0 + SENSITIVITY_STEP),
            self.replications
        )
    }
}

/// A number as short text without float noise.
fn short(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    format!("{r}")
}

/// The first `--set` path of `t` under `prefix` that ends with `suffix`.
fn path_under(t: &Template, prefix: &str, suffix: &str) -> Option<String> {
    t.paths()
        .iter()
        .find(|p| p.starts_with(prefix) && p.ends_with(suffix))
        .cloned()
}

fn set(path: &str, v: String) -> Override {
    Override {
        path: path.to_string(),
        value: v,
    }
}

/// The inputs of the built-in sensitivity of scenario `s` (the template `t` with the run's
/// overrides applied): its uncertain inputs when it states any ([`uncertain_inputs`]),
/// otherwise its levers ([`lever_inputs`]).
pub fn default_inputs(t: &Template, s: &Scenario) -> Vec<SensitivityInput> {
    if s.uncertain.is_empty() {
        lever_inputs(t, s)
    } else {
        uncertain_inputs(&s.uncertain)
    }
}

/// How many ensembles the sensitivity of `inputs` runs: the low and high ends of each
/// input, and with [`SensitivityDesign::Percentiles`] the base case at the medians last.
pub fn sensitivity_variants(inputs: &[SensitivityInput]) -> usize {
    2 * inputs.len() + usize::from(SensitivityDesign::of(inputs) == SensitivityDesign::Percentiles)
}

/// Three significant figures without float noise, for the value columns.
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return short(x);
    }
    let digits = 2 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits);
    short((x * f).round() / f)
}

/// One input per uncertain input of the scenario with a range (an input whose 10th and
/// 90th percentiles are equal is left out): its low end sets it to its 10th percentile and
/// its high end to its 90th, and both first set every uncertain input to its median, so
/// each variant is a scenario with no uncertain input left. The overrides are exact
/// (`--set` text that reads back to the same number); the value columns show three
/// significant figures.
pub fn uncertain_inputs(inputs: &[UncertainInput]) -> Vec<SensitivityInput> {
    let medians: Vec<Override> = inputs
        .iter()
        .map(|i| set(&i.path, super::value_text(i.median())))
        .collect();
    let (ql, qh) = UNCERTAIN_QUANTILES;
    inputs
        .iter()
        .filter_map(|i| {
            let (lo, hi, mid) = (i.value_at(ql), i.value_at(qh), i.median());
            if lo == hi {
                return None;
            }
            let at = |v: f64| {
                let mut sets = medians.clone();
                sets.push(set(&i.path, super::value_text(v)));
                sets
            };
            let kind = InputKind::Uncertain(i.path.clone());
            // Volumes read as the levers' do ("25 M L", "800000 L/day").
            let text = |x: f64| {
                if i.path.ends_with("litres_per_day") {
                    format!("{}/day", litres(x))
                } else if i.path.ends_with("litres") {
                    litres(x)
                } else {
                    sig3(x)
                }
            };
            Some(SensitivityInput {
                kind,
                base: text(mid),
                low: text(lo),
                high: text(hi),
                sets_low: at(lo),
                sets_high: at(hi),
            })
        })
        .collect()
}

/// The overrides of the base case of a [`SensitivityDesign::Percentiles`] sensitivity:
/// every uncertain input at its median (the first input's low end without its last,
/// moving, override).
fn median_sets(inputs: &[SensitivityInput]) -> Option<Vec<Override>> {
    let first = inputs.first()?;
    let (_, medians) = first.sets_low.split_last()?;
    Some(medians.to_vec())
}

/// The levers of scenario `s` (the template `t` with the run's overrides applied):
/// every risk multiplier event, the escort units (the initial units and every
/// `EscortUnits` event together), the fleet, each depot's initial stock (its capacity
/// raised when the high value does not fit), every source's supply together, and every
/// supply factor event. Inputs whose value is 0 are left out (50 % of nothing is nothing).
pub fn lever_inputs(t: &Template, s: &Scenario) -> Vec<SensitivityInput> {
    let (lo, hi) = (1.0 - SENSITIVITY_STEP, 1.0 + SENSITIVITY_STEP);
    let mut out = Vec::new();
    let scaled = |x: f64| (short(x * lo), short(x * hi));
    let whole = |n: u32| {
        (
            (f64::from(n) * lo).round() as u32,
            (f64::from(n) * hi).round() as u32,
        )
    };
    for (i, e) in s.events.iter().enumerate() {
        if let Effect::RiskMultiplier { factor, .. } = e.effect
            && factor > 0.0
            && let Some(p) = path_under(t, &format!("events[{}].effect", i + 1), ".factor")
        {
            let (l, h) = scaled(factor);
            out.push(SensitivityInput {
                kind: InputKind::RiskMultiplier(e.display_label().to_string()),
                base: format!("×{}", short(factor)),
                low: format!("×{l}"),
                high: format!("×{h}"),
                sets_low: vec![set(&p, l)],
                sets_high: vec![set(&p, h)],
            });
        }
    }
    // Escort units: the initial units and every EscortUnits event move together.
    let mut escort_paths: Vec<(String, u32)> = Vec::new();
    if s.escorts.units > 0 {
        escort_paths.push(("escorts.units".into(), s.escorts.units));
    }
    for (i, e) in s.events.iter().enumerate() {
        if let Effect::EscortUnits(n) = e.effect
            && n > 0
            && let Some(p) = path_under(t, &format!("events[{}].effect", i + 1), "")
        {
            escort_paths.push((p, n));
        }
    }
    if !escort_paths.is_empty() {
        let values: Vec<String> = escort_paths.iter().map(|(_, n)| n.to_string()).collect();
        let lows: Vec<String> = escort_paths
            .iter()
            .map(|(_, n)| whole(*n).0.to_string())
            .collect();
        let highs: Vec<String> = escort_paths
            .iter()
            .map(|(_, n)| whole(*n).1.to_string())
            .collect();
        out.push(SensitivityInput {
            kind: InputKind::EscortUnits,
            base: values.join(", "),
            low: lows.join(", "),
            high: highs.join(", "),
            sets_low: escort_paths
                .iter()
                .map(|(p, n)| set(p, whole(*n).0.to_string()))
                .collect(),
            sets_high: escort_paths
                .iter()
                .map(|(p, n)| set(p, whole(*n).1.to_string()))
                .collect(),
        });
    }
    if s.fleet.trucks > 0 {
        let (l, h) = whole(s.fleet.trucks);
        out.push(SensitivityInput {
            kind: InputKind::Fleet,
            base: s.fleet.trucks.to_string(),
            low: l.to_string(),
            high: h.to_string(),
            sets_low: vec![set("fleet.trucks", l.to_string())],
            sets_high: vec![set("fleet.trucks", h.to_string())],
        });
    }
    for (id, dep) in s.depots() {
        let node = &s.node(id).id;
        let x = dep.initial_stock_litres;
        let Some(p) = path_under(t, &format!("nodes[{node}]."), "initial_stock_litres") else {
            continue;
        };
        if x <= 0.0 {
            continue;
        }
        let (l, h) = (x * lo, x * hi);
        let mut sets_high = vec![set(&p, short(h))];
        if h > dep.capacity_litres
            && let Some(c) = path_under(t, &format!("nodes[{node}]."), "capacity_litres")
        {
            sets_high.push(set(&c, short(h)));
        }
        out.push(SensitivityInput {
            kind: InputKind::InitialStock(s.node(id).name.clone()),
            base: litres(x),
            low: litres(l),
            high: litres(h),
            sets_low: vec![set(&p, short(l))],
            sets_high,
        });
    }
    let supply: Vec<(String, f64)> = s
        .sources()
        .filter(|(_, v)| *v > 0.0)
        .filter_map(|(id, v)| {
            path_under(t, &format!("nodes[{}].", s.node(id).id), "per_day").map(|p| (p, v))
        })
        .collect();
    if !supply.is_empty() {
        let total: f64 = supply.iter().map(|(_, v)| v).sum();
        out.push(SensitivityInput {
            kind: InputKind::SupplyAll,
            base: format!("{}/day", litres(total)),
            low: format!("{}/day", litres(total * lo)),
            high: format!("{}/day", litres(total * hi)),
            sets_low: supply.iter().map(|(p, v)| set(p, short(v * lo))).collect(),
            sets_high: supply.iter().map(|(p, v)| set(p, short(v * hi))).collect(),
        });
    }
    for (i, e) in s.events.iter().enumerate() {
        if let Effect::SupplyFactor { factor, .. } = e.effect
            && factor > 0.0
            && let Some(p) = path_under(t, &format!("events[{}].effect", i + 1), ".factor")
        {
            let (l, h) = scaled(factor);
            out.push(SensitivityInput {
                kind: InputKind::SupplyFactor(e.display_label().to_string()),
                base: format!("×{}", short(factor)),
                low: format!("×{l}"),
                high: format!("×{h}"),
                sets_low: vec![set(&p, l)],
                sets_high: vec![set(&p, h)],
            });
        }
    }
    out
}

/// Litres in millions for labels: "25 M L".
fn litres(x: f64) -> String {
    if x >= 1e6 {
        format!("{} M L", short((x / 1e5).round() / 10.0))
    } else {
        format!("{} L", short(x.round()))
    }
}

/// Runs the sensitivity: for each input, the ensemble at its low and high values with
/// `base_sets` (the run's own overrides) applied first, on `opts.replications`
/// replications and `opts.seed`. `run_summary` is the run itself; its first
/// `opts.replications` replications are the base case (they must have been run with the
/// same seed). `progress(done, total)` is called after each ensemble.
///
/// # Errors
/// [`StudyError::Conservation`] on a ledger failure (a bug). A variant that is invalid is
/// skipped and named in [`Sensitivity::skipped`], never an error.
pub fn sensitivity(
    t: &Template,
    base_sets: &[Override],
    run_summary: &Summary,
    inputs: &[SensitivityInput],
    opts: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Sensitivity, StudyError> {
    let n = sensitivity_replications(opts.replications, run_summary.replications);
    let values = sensitivity_values(t, base_sets, inputs, opts, 0..n, progress)?;
    assemble_sensitivity(base_sets, t, run_summary, inputs, values, n, opts.seed)
}

/// Replications per variant of a sensitivity asked for `asked` replications after a run of
/// `run` replications: at most the run's, at least one.
pub fn sensitivity_replications(asked: u64, run: u64) -> u64 {
    asked.min(run).max(1)
}

/// The per-replication values (mean unmet demand of the protected classes) of every
/// variant of the sensitivity, low and high of each input in input order (`None`: the
/// variant is invalid), for replications `range` only: what a shard of `run` computes.
/// Concatenated in replication order, the blocks of all shards are the values of the whole
/// sensitivity.
///
/// # Errors
/// [`StudyError::Conservation`] on a ledger failure (a bug).
pub fn sensitivity_values(
    t: &Template,
    base_sets: &[Override],
    inputs: &[SensitivityInput],
    opts: &Options,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Option<Vec<f64>>>, StudyError> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Every variant, built in order (with percentiles, the base case at the medians
    // last); an invalid one is `None`.
    let base_case = match SensitivityDesign::of(inputs) {
        SensitivityDesign::Percentiles => median_sets(inputs),
        SensitivityDesign::Scaled => None,
    };
    let variants: Vec<Option<Scenario>> = inputs
        .iter()
        .flat_map(|input| [&input.sets_low, &input.sets_high])
        .chain(base_case.as_ref())
        .map(|sets| {
            let mut all = base_sets.to_vec();
            all.extend(sets.iter().cloned());
            t.with(&all).ok().map(|l| l.scenario)
        })
        .collect();
    // The variants run side by side, each ensemble on its own (a few dozen replications
    // each: fewer synchronisation points than splitting every small ensemble); results are
    // collected in variant order, and each ensemble is the same on any thread, so the
    // outputs do not depend on the thread count.
    let total = variants.len();
    let done = AtomicUsize::new(0);
    // Most variants change only the conditions a plan is solved under (multipliers,
    // escorts, fleet, supply), not the network it is solved on: those share one store of
    // solved plans, and a plan one variant solved serves every other that meets the same
    // conditions (most of the horizon, outside the varied input's window). Only speed
    // depends on it.
    let nets: Vec<Option<Network>> = variants
        .iter()
        .map(|v| v.as_ref().map(Network::build))
        .collect();
    let mut stores: Vec<(usize, Arc<PlanStore>)> = Vec::new();
    let store_of: Vec<Option<Arc<PlanStore>>> = nets
        .iter()
        .enumerate()
        .map(|(i, net)| {
            let net = net.as_ref()?;
            let shared = stores
                .iter()
                .find(|(j, _)| nets[*j].as_ref().is_some_and(|other| other.plans_like(net)));
            Some(match shared {
                Some((_, store)) => Arc::clone(store),
                None => {
                    let store = PlanStore::new();
                    stores.push((i, Arc::clone(&store)));
                    store
                }
            })
        })
        .collect();
    let job = || -> Vec<Result<Option<Vec<f64>>, StudyError>> {
        variants
            .par_iter()
            .zip(&nets)
            .zip(&store_of)
            .map(|((v, net), store)| {
                let (Some(s), Some(net), Some(store)) = (v, net, store) else {
                    return Ok(None);
                };
                let sum = super::range_with_plans(
                    s,
                    net,
                    opts,
                    range.clone(),
                    store,
                    &|_| {},
                    &mut |_, _| {},
                )?;
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                Ok(Some(
                    Kpi::UnmetProtected
                        .per_replication(s, &sum)
                        .unwrap_or_default(),
                ))
            })
            .collect()
    };
    super::on_threads(opts.threads, job).into_iter().collect()
}

/// The sensitivity from the values of all its `n` replications per variant
/// ([`sensitivity_values`] over `0..n`, or the shards' blocks joined in order) and the run
/// (`run_summary`, whose first `n` replications are the base case).
///
/// # Errors
/// [`StudyError::Scenario`] if the run's overrides make the scenario invalid.
pub fn assemble_sensitivity(
    base_sets: &[Override],
    t: &Template,
    run_summary: &Summary,
    inputs: &[SensitivityInput],
    values: Vec<Option<Vec<f64>>>,
    n: u64,
    seed: u64,
) -> Result<Sensitivity, StudyError> {
    let design = SensitivityDesign::of(inputs);
    let mut values = values;
    let base = match design {
        SensitivityDesign::Scaled => {
            let base_s = &t.with(base_sets).map_err(|source| StudyError::Scenario {
                context: "sensitivity base case".into(),
                source,
            })?;
            let v = &run_summary.unmet_protected(&base_s.scenario)[..n as usize];
            v.iter().sum::<f64>() / n as f64
        }
        // The base case at the medians is the last ensemble.
        SensitivityDesign::Percentiles => match values.pop() {
            Some(Some(v)) => v.iter().sum::<f64>() / v.len().max(1) as f64,
            _ => f64::NAN,
        },
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut results = values.into_iter();
    for input in inputs {
        let (Some(Some(low)), Some(Some(high))) = (results.next(), results.next()) else {
            skipped.push(input.kind.clone());
            continue;
        };
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        rows.push(SensitivityRow {
            input: input.clone(),
            at_low: mean(&low),
            at_high: mean(&high),
            swing_se: if n > 1 { paired_se(&low, &high) } else { 0.0 },
        });
    }
    rows.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(Sensitivity {
        base,
        replications: n,
        seed,
        rows,
        skipped,
        design,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, at_low: f64, at_high: f64, swing_se: f64) -> SensitivityRow {
        SensitivityRow {
            input: SensitivityInput {
                kind: InputKind::InitialStock(label.into()),
                base: "1".into(),
                low: "0.5".into(),
                high: "1.5".into(),
                sets_low: Vec::new(),
                sets_high: Vec::new(),
            },
            at_low,
            at_high,
            swing_se,
        }
    }

    #[test]
    fn only_inputs_that_move_the_measure_beyond_noise_matter_most() {
        let sens = Sensitivity {
            base: 0.0,
            replications: 40,
            seed: 1,
            rows: vec![
                row("fleet", 2.5e6, 0.0, 1e5),
                row("noise", 100.0, 0.0, 80.0),
                row("nothing", 0.0, 0.0, 0.0),
            ],
            skipped: Vec::new(),
            design: SensitivityDesign::Scaled,
        };
        let top: Vec<&InputKind> = sens.top(3).iter().map(|r| &r.input.kind).collect();
        assert_eq!(top, [&InputKind::InitialStock("fleet".into())]);
        let none = Sensitivity {
            rows: vec![row("nothing", 0.0, 0.0, 0.0)],
            ..sens
        };
        assert!(none.top(3).is_empty());
    }
}
