//! Every default value of the scenario format, in one place.
//!
//! `docs/scenario-format.md` lists the same values; a test checks that each constant
//! named here appears there with its value.

/// `horizon_days`.
pub const HORIZON_DAYS: u32 = 180;
/// `seed`.
pub const SEED: u64 = 1;
/// `replications`.
pub const REPLICATIONS: u32 = 1000;
/// `fleet.truck_litres`: litres per tanker (official volume / tanker count, 2026).
pub const TRUCK_LITRES: f64 = 46_000.0;
/// `dispatch.replan_days`.
pub const REPLAN_DAYS: f64 = 7.0;
/// `dispatch.convoy_interval_days`.
pub const CONVOY_INTERVAL_DAYS: f64 = 1.0;
/// `dispatch.max_convoy`.
pub const MAX_CONVOY: u32 = 100;
/// `dispatch.warm_start`.
pub const WARM_START: bool = true;
/// `dispatch.reroute_after_days`.
pub const REROUTE_AFTER_DAYS: f64 = 2.0;
/// Default of `dispatch.attrition_horizon_days` when lost tankers are replaced
/// (`fleet.replacement_per_day` stated and not 0). Without replacement the default is half
/// of `horizon_days`: see [`attrition_horizon_days`].
pub const ATTRITION_HORIZON_DAYS: f64 = 30.0;

/// The default of `dispatch.attrition_horizon_days`: how long the plan counts a lost tanker
/// as missing. Operators who replace lost tankers (`fleet.replacement_per_day` stated, not
/// 0) have it back within weeks: [`ATTRITION_HORIZON_DAYS`]. Without replacement it is
/// missing for the rest of the run, which for a tanker lost at a uniformly random moment of
/// a run of `horizon_days` is half of it on average.
pub fn attrition_horizon_days(horizon_days: u32, replaced: bool) -> f64 {
    if replaced {
        ATTRITION_HORIZON_DAYS
    } else {
        f64::from(horizon_days) / 2.0
    }
}
/// `fleet.replacement_per_day`.
pub const REPLACEMENT_PER_DAY: f64 = 0.0;
/// `escorts.units`.
pub const ESCORT_UNITS: u32 = 0;
/// `escorts.threshold`.
pub const ESCORT_THRESHOLD: f64 = 0.05;
/// `escorts.require_escort`.
pub const REQUIRE_ESCORT: bool = false;
/// `escorts.risk_factor`.
pub const ESCORT_RISK_FACTOR: f64 = 0.5;
/// `escorts.loss_factor`.
pub const ESCORT_LOSS_FACTOR: f64 = 0.5;
/// `interdiction.loss_fraction`.
pub const LOSS_FRACTION: f64 = 0.3;
/// `interdiction.seized_share`.
pub const SEIZED_SHARE: f64 = 0.2;
/// `interdiction.suspend_days`.
pub const SUSPEND_DAYS: f64 = 2.0;
/// `interdiction.return_risk_factor`.
pub const RETURN_RISK_FACTOR: f64 = 0.25;
/// `rationing.trigger_days`.
pub const TRIGGER_DAYS: f64 = 5.0;
/// `rationing.protected_priority`.
pub const PROTECTED_PRIORITY: u32 = 1;
/// `rationing.ration_fraction`.
pub const RATION_FRACTION: f64 = 0.5;

/// Largest litre quantity accepted anywhere (1e15 L, a thousand years of world demand);
/// larger values are rejected so that sums stay finite.
pub const MAX_LITRES: f64 = 1e15;
/// Largest count or rate in trucks accepted (trucks, trucks/day).
pub const MAX_TRUCKS: f64 = 1e7;
/// Largest horizon, in days (100 years).
pub const MAX_HORIZON_DAYS: u32 = 36_500;
/// Largest number of replications in one run.
pub const MAX_REPLICATIONS: u32 = 10_000_000;
/// Largest duration accepted for a transit time, suspension or interval, in days.
pub const MAX_DAYS: f64 = 36_500.0;
/// Largest multiplier accepted on a risk, supply or demand.
pub const MAX_FACTOR: f64 = 1e6;
/// Shortest `dispatch.replan_days` accepted (a quarter of an hour): a replication replans
/// `horizon / replan_days` times, so the bound keeps a run's cost (and its replan counter)
/// finite.
pub const MIN_REPLAN_DAYS: f64 = 0.01;
/// Shortest `dispatch.convoy_interval_days` accepted (under a minute and a half).
pub const MIN_CONVOY_INTERVAL_DAYS: f64 = 1e-3;
/// Most nodes in one scenario.
pub const MAX_NODES: usize = 10_000;
/// Most segments in one scenario.
pub const MAX_SEGMENTS: usize = 50_000;
/// Most events in one scenario.
pub const MAX_EVENTS: usize = 100_000;
/// Most demand classes over all depots.
pub const MAX_CLASSES: usize = 10_000;
