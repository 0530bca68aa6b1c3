//! The fuel model: convoys, escorts, depots, demand and rationing, interdiction, the events
//! timeline and the ledger (docs/model.md section 5), driven by the generic [`crate::engine`].
//!
//! One call to [`simulate`] is one replication: it builds a [`World`] from a `&Scenario`
//! and a `&Network`, runs it to the horizon with the replication's RNG and returns a
//! [`RunRecord`]. The moving entities are convoys, not trucks: a convoy's losses in an
//! attack are one binomial draw, so the number of events grows with convoys, not fleet size.
//!
//! Invariants: no I/O; every random draw comes from the RNG passed in; the conservation
//! ledger is checked at the end of every replication ([`Ledger::check`]). Where docs/model.md
//! leaves room, section 9 decides; the remaining choices are listed in
//! `docs/model-notes.md`.

pub mod hazard;
pub mod ledger;
mod world;

use std::collections::HashMap;
use std::sync::Arc;

use crate::network::{Conditions, Network, Plan};
use crate::scenario::{NodeId, NodeKind, Scenario};

pub use ledger::{ConservationError, Ledger};
pub use world::{World, segment_rng};

/// Fixed indexing of depots, sources and demand classes, shared by the model, the
/// ensemble and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Depot node ids, in file order.
    pub depots: Vec<NodeId>,
    /// Source node ids, in file order.
    pub sources: Vec<NodeId>,
    /// Demand classes as `(depot index, class index within the depot)`, depot by depot,
    /// each depot's classes in priority order.
    pub classes: Vec<(usize, usize)>,
    /// Days simulated.
    pub days: usize,
    /// Number of segments.
    pub segments: usize,
}

impl Layout {
    /// The layout of scenario `s`.
    pub fn new(s: &Scenario) -> Layout {
        let depots: Vec<NodeId> = s.depots().map(|(n, _)| n).collect();
        let classes = s
            .depots()
            .enumerate()
            .flat_map(|(d, (_, dep))| (0..dep.demand.len()).map(move |c| (d, c)))
            .collect();
        Layout {
            depots,
            sources: s.sources().map(|(n, _)| n).collect(),
            classes,
            days: s.horizon_days as usize,
            segments: s.segments.len(),
        }
    }

    /// Display name of class `i`: `essential` with one depot, `BKO/essential` with several.
    pub fn class_name(&self, s: &Scenario, i: usize) -> String {
        let (d, c) = self.classes[i];
        let depot = &s.node(self.depots[d]);
        let class = match &depot.kind {
            NodeKind::Depot(dep) => dep.demand[c].name.as_str(),
            _ => "?",
        };
        if self.depots.len() == 1 {
            class.to_string()
        } else {
            format!("{}/{class}", depot.id)
        }
    }
}

/// Per-segment totals over one replication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SegmentStats {
    /// Loaded convoys that entered the segment.
    pub convoys: f64,
    /// Loaded trucks that entered the segment.
    pub trucks: f64,
    /// Attacks on convoys (loaded or empty) on this segment.
    pub attacks: f64,
    /// Trucks lost on this segment.
    pub trucks_lost: f64,
    /// Litres lost on this segment (destroyed + seized).
    pub fuel_lost: f64,
    /// Litres seized on this segment.
    pub fuel_seized: f64,
}

impl SegmentStats {
    /// Adds `other`'s totals to these (for averaging over replications).
    pub fn add(&mut self, other: &SegmentStats) {
        self.convoys += other.convoys;
        self.trucks += other.trucks;
        self.attacks += other.attacks;
        self.trucks_lost += other.trucks_lost;
        self.fuel_lost += other.fuel_lost;
        self.fuel_seized += other.fuel_seized;
    }

    /// Every total divided by `n`.
    pub fn divided_by(&self, n: f64) -> SegmentStats {
        SegmentStats {
            convoys: self.convoys / n,
            trucks: self.trucks / n,
            attacks: self.attacks / n,
            trucks_lost: self.trucks_lost / n,
            fuel_lost: self.fuel_lost / n,
            fuel_seized: self.fuel_seized / n,
        }
    }
}

/// Everything one replication produced. Series are stored series-major: value of series
/// `i` on day `k` is at `i * days + k`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Days simulated.
    pub days: usize,
    /// End-of-day stock per depot, litres.
    pub stock: Vec<f64>,
    /// Demand per class per day (baseline x active demand factors), litres.
    pub demand: Vec<f64>,
    /// Served per class per day, litres.
    pub served: Vec<f64>,
    /// Withheld by rationing per class per day, litres.
    pub rationed: Vec<f64>,
    /// Requested but not available, per class per day, litres.
    pub stockout: Vec<f64>,
    /// Litres unloaded at depots per day, by the source where they were loaded.
    pub delivered: Vec<f64>,
    /// Litres airlifted or delivered by events per day (accepted part).
    pub airlifted: Vec<f64>,
    /// Trucks in the fleet at the end of each day.
    pub fleet: Vec<f64>,
    /// Trucks lost each day.
    pub trucks_lost: Vec<f64>,
    /// Litres burned each day.
    pub fuel_destroyed: Vec<f64>,
    /// Litres seized each day.
    pub fuel_seized: Vec<f64>,
    /// Convoys attacked each day.
    pub attacks: Vec<f64>,
    /// Whether day `k` was a stockout day (some class got less than it requested).
    pub stockout_day: Vec<bool>,
    /// The first stockout day, if any.
    pub first_stockout: Option<u32>,
    /// Totals per segment.
    pub segments: Vec<SegmentStats>,
    /// The fuel ledger.
    pub ledger: Ledger,
    /// Number of engine events run.
    pub events: u64,
}

impl RunRecord {
    /// An all-zero record shaped by `layout`.
    pub fn new(layout: &Layout) -> RunRecord {
        let d = layout.days;
        RunRecord {
            days: d,
            stock: vec![0.0; layout.depots.len() * d],
            demand: vec![0.0; layout.classes.len() * d],
            served: vec![0.0; layout.classes.len() * d],
            rationed: vec![0.0; layout.classes.len() * d],
            stockout: vec![0.0; layout.classes.len() * d],
            delivered: vec![0.0; layout.sources.len() * d],
            airlifted: vec![0.0; d],
            fleet: vec![0.0; d],
            trucks_lost: vec![0.0; d],
            fuel_destroyed: vec![0.0; d],
            fuel_seized: vec![0.0; d],
            attacks: vec![0.0; d],
            stockout_day: vec![false; d],
            first_stockout: None,
            segments: vec![SegmentStats::default(); layout.segments],
            ledger: Ledger::default(),
            events: 0,
        }
    }

    /// Series `i` of a series-major vector, as a day slice.
    pub fn series(v: &[f64], days: usize, i: usize) -> &[f64] {
        &v[i * days..(i + 1) * days]
    }

    /// Total unmet demand (rationed + stockout) of class `i` over the run, litres.
    pub fn unmet_total(&self, i: usize) -> f64 {
        let d = self.days;
        Self::series(&self.rationed, d, i)
            .iter()
            .chain(Self::series(&self.stockout, d, i))
            .sum()
    }
}

/// Dispatch plans already solved, by network state. A plan is a pure function of the
/// conditions, so sharing a cache between replications changes no result, only speed.
#[derive(Default)]
pub struct PlanCache {
    map: HashMap<Vec<u64>, Arc<Plan>>,
    key: Vec<u64>,
    /// Plans served from the cache.
    pub hits: u64,
    /// Plans solved.
    pub misses: u64,
}

impl PlanCache {
    /// Most plans kept; the cache is emptied when it grows past this.
    const MAX_ENTRIES: usize = 4096;

    /// An empty cache.
    pub fn new() -> PlanCache {
        PlanCache::default()
    }

    /// The plan for conditions `c`, solved on a miss.
    pub fn plan(&mut self, net: &Network, c: &Conditions) -> Arc<Plan> {
        self.key.clear();
        let mut bits = 0u64;
        for (i, open) in c.open.iter().enumerate() {
            bits |= u64::from(*open) << (i % 64);
            if i % 64 == 63 {
                self.key.push(bits);
                bits = 0;
            }
        }
        self.key.push(bits);
        self.key
            .extend(c.risk_multiplier.iter().map(|m| m.to_bits()));
        self.key
            .extend(c.supply_trucks_per_day.iter().map(|m| m.to_bits()));
        if let Some(p) = self.map.get(self.key.as_slice()) {
            self.hits += 1;
            return Arc::clone(p);
        }
        self.misses += 1;
        if self.map.len() >= Self::MAX_ENTRIES {
            self.map.clear();
        }
        let plan = Arc::new(net.plan(c));
        self.map.insert(self.key.clone(), Arc::clone(&plan));
        plan
    }
}

/// Runs replication `replication` of `s` on `net` under `seed` (random streams from
/// [`segment_rng`]), reusing `cache` for dispatch plans.
///
/// # Errors
/// [`ConservationError`] if the fuel ledger does not balance (a bug, never a result).
pub fn simulate(
    s: &Scenario,
    net: &Network,
    layout: &Layout,
    seed: u64,
    replication: u64,
    cache: &mut PlanCache,
) -> Result<RunRecord, ConservationError> {
    let mut world = World::new(s, net, layout, seed, replication);
    world.run(cache);
    let rec = world.into_record();
    rec.ledger.check(replication)?;
    Ok(rec)
}
