//! Studies built on ensembles (docs/model.md section 8): sweeps of a parameter, one-at-a-time
//! sensitivity (tornado), scenario comparison, and the search for the smallest reserve.
//!
//! Every study runs its ensembles with the same seed, so replication `r` of every point
//! draws the same random numbers (common random numbers): differences between points are
//! differences of the model, not of the dice.

use thiserror::Error;

use crate::ensemble::kpi::{Estimate, Kpi};
use crate::ensemble::{Options, Summary, run};
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
    plan: &crate::ensemble::InputPlan,
    opts: &Options,
) -> Result<Summary, StudyError> {
    let p = plan.without(sets);
    if p.is_empty() {
        ensemble_of(s, opts)
    } else {
        Ok(crate::ensemble::run_with_inputs(t, sets, &p, opts, &|x| x, &|_| {})?.summary)
    }
}

/// The uncertain inputs of the base case (`t` with `base`), all drawn: the plan the study
/// functions without `_on` use.
fn base_plan(t: &Template, base: &[Override]) -> Result<crate::ensemble::InputPlan, StudyError> {
    let s = variant(t, base, Vec::new(), "base case".into())?;
    Ok(crate::ensemble::InputPlan::drawn(
        crate::ensemble::scenario_inputs(&s),
    ))
}

mod compare;
mod corridors;
mod reserve;
mod sweep;
mod tornado;

pub use compare::*;
pub use corridors::*;
pub use reserve::*;
pub use sweep::*;
pub use tornado::*;

/// Standard error of the mean of paired differences `b - a`.
pub fn paired_se(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (var / n).sqrt()
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
