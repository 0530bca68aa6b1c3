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

mod class;
pub mod hazard;
pub mod ledger;
mod plans;
mod reroute;
pub mod series;
mod world;

use crate::network::Network;
use crate::scenario::{DepotId, NodeId, NodeKind, Scenario, SegmentId};

pub use class::{ByClass, ClassId};
pub use ledger::{ConservationError, Ledger};
use plans::FxBuild;
pub use plans::{PlanCache, PlanStats, PlanStore};
pub use series::{Line, Per, Series};
pub use world::{World, segment_rng};

/// Fixed indexing of depots, sources and demand classes, shared by the model, the
/// ensemble and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Depot node ids, in file order.
    pub depots: Vec<NodeId>,
    /// Source node ids, in file order.
    pub sources: Vec<NodeId>,
    /// Demand classes as `(depot, class index within the depot)`, depot by depot, each
    /// depot's classes in priority order; a [`ClassId`] is a place in this list.
    pub classes: ByClass<(DepotId, usize)>,
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
            .flat_map(|(d, (_, dep))| (0..dep.demand.len()).map(move |c| (DepotId(d as u32), c)))
            .collect();
        Layout {
            depots,
            sources: s.sources().map(|(n, _)| n).collect(),
            classes,
            days: s.horizon_days as usize,
            segments: s.segments.len(),
        }
    }

    /// Every demand class, in order.
    pub fn class_ids(&self) -> impl Iterator<Item = ClassId> + use<> {
        self.classes.ids()
    }

    /// Display name of class `i`: `essential` with one depot, `BKO/essential` with several.
    pub fn class_name(&self, s: &Scenario, i: ClassId) -> String {
        let (d, c) = self.classes[i];
        let depot = &s.node(self.depots[d.index()]);
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

/// One attack on a convoy: when, where, and what it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttackEntry {
    /// The day of the attack (`floor(t)`, at most the last day).
    pub day: u32,
    /// The segment attacked.
    pub segment: SegmentId,
    /// Trucks lost (destroyed or seized) in the attack; 0 when none was.
    pub trucks_lost: u32,
    /// Whether the convoy was loaded.
    pub loaded: bool,
}

/// What one route of the dispatch plan was asked for and what it got, over a replication.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteStat {
    /// The route's segments, source to depot.
    pub segments: Vec<SegmentId>,
    /// Trucks the plan's quotas asked of it (the sum of quota x interval over departures).
    pub planned_trucks: f64,
    /// Loaded trucks dispatched on it (trucks that joined a convoy of the route).
    pub dispatched_trucks: f64,
}

/// Where a truck of the fleet is, counted by the census at each settle (docs/model.md section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TruckState {
    /// Loaded and moving (towards the depot, or back to its source after an attack).
    LoadedOnRoad = 0,
    /// Loaded, in the queue for an escort.
    WaitingForEscort = 1,
    /// Held at a capacity gate or in front of a closed segment (loaded or empty).
    WaitingAtGateOrClosure = 2,
    /// Arrived at a full depot, waiting for room to unload.
    WaitingToUnload = 3,
    /// Empty, driving back to its source.
    ReturningEmpty = 4,
    /// At its source, empty or loaded, not assigned to a convoy.
    IdleAtSource = 5,
}

impl TruckState {
    /// Every state, in census order.
    pub const ALL: [TruckState; 6] = [
        TruckState::LoadedOnRoad,
        TruckState::WaitingForEscort,
        TruckState::WaitingAtGateOrClosure,
        TruckState::WaitingToUnload,
        TruckState::ReturningEmpty,
        TruckState::IdleAtSource,
    ];

    /// Column-friendly name: `loaded_on_road`.
    pub fn key(self) -> &'static str {
        match self {
            TruckState::LoadedOnRoad => "loaded_on_road",
            TruckState::WaitingForEscort => "waiting_for_escort",
            TruckState::WaitingAtGateOrClosure => "waiting_at_gate_or_closure",
            TruckState::WaitingToUnload => "waiting_to_unload",
            TruckState::ReturningEmpty => "returning_empty",
            TruckState::IdleAtSource => "idle_at_source",
        }
    }

    /// Words for a chart legend: "loaded, on the road".
    pub fn label(self) -> &'static str {
        match self {
            TruckState::LoadedOnRoad => "loaded, on the road",
            TruckState::WaitingForEscort => "waiting for an escort",
            TruckState::WaitingAtGateOrClosure => "waiting at a gate or a closure",
            TruckState::WaitingToUnload => "waiting to unload",
            TruckState::ReturningEmpty => "returning empty",
            TruckState::IdleAtSource => "idle at a source",
        }
    }
}

/// Everything one replication produced. The daily series ([`Series`]) are indexed by
/// series, `rec[Series::Served]`, each stored series-major: the value of line `i` (a depot,
/// class, source or truck state, see [`Series::per`]) on day `k` is at `i * days + k`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    /// Days simulated.
    pub days: usize,
    /// The daily series, in [`Series::ALL`] order (read through `rec[series]`).
    daily: [Vec<f64>; Series::COUNT],
    /// Per depot per day: whether the depot rationed (days of supply under the trigger).
    pub rationing_day: Vec<bool>,
    /// Per depot per day: whether the stock ran out before every request was met.
    pub dry_day: Vec<bool>,
    /// The first day on which some depot was dry, if any.
    pub first_dry: Option<u32>,
    /// The first day on which some depot rationed, if any.
    pub first_rationing: Option<u32>,
    /// Every route the plan used, in order of first use: planned and dispatched trucks.
    pub routes: Vec<RouteStat>,
    /// Totals per segment.
    pub segments: Vec<SegmentStats>,
    /// Every attack of the replication, in calendar order (sparse: one entry per attack),
    /// so that losses can be counted per segment and period (observations, calibration).
    pub attack_log: Vec<AttackEntry>,
    /// Litres unloaded per depot per day (series-major, like the daily series; not a
    /// [`Series`]: counted for observations, not an output of its own).
    pub depot_delivered: Vec<f64>,
    /// Loaded convoys that reached each depot per day (series-major).
    pub depot_convoys: Vec<f64>,
    /// The fuel ledger.
    pub ledger: Ledger,
    /// Number of engine events run.
    pub events: u64,
    /// Number of dispatch plans made (the first at t = 0 included).
    pub replans: u64,
}

impl RunRecord {
    /// An all-zero record shaped by `layout`.
    pub fn new(layout: &Layout) -> RunRecord {
        let d = layout.days;
        RunRecord {
            days: d,
            daily: Series::ALL.map(|s| vec![0.0; s.values_in(layout)]),
            rationing_day: vec![false; layout.depots.len() * d],
            dry_day: vec![false; layout.depots.len() * d],
            first_dry: None,
            first_rationing: None,
            routes: Vec::new(),
            segments: vec![SegmentStats::default(); layout.segments],
            attack_log: Vec::new(),
            depot_delivered: vec![0.0; layout.depots.len() * d],
            depot_convoys: vec![0.0; layout.depots.len() * d],
            ledger: Ledger::default(),
            events: 0,
            replans: 0,
        }
    }

    /// Bytes this record takes: its own size and every vector it owns, at their capacities.
    /// Each field is named, so a field added to the record fails to compile here until it
    /// is counted; [`RunRecord::bytes_for`] is the estimate made before a run.
    pub fn allocated_bytes(&self) -> u64 {
        use std::mem::size_of;
        fn heap<T>(v: &Vec<T>) -> u64 {
            (v.capacity() * size_of::<T>()) as u64
        }
        let RunRecord {
            days: _,
            daily,
            rationing_day,
            dry_day,
            first_dry: _,
            first_rationing: _,
            routes,
            segments,
            attack_log,
            depot_delivered,
            depot_convoys,
            ledger: _,
            events: _,
            replans: _,
        } = self;
        size_of::<RunRecord>() as u64
            + daily.iter().map(heap).sum::<u64>()
            + heap(rationing_day)
            + heap(dry_day)
            + heap(routes)
            + routes.iter().map(|r| heap(&r.segments)).sum::<u64>()
            + heap(segments)
            + heap(attack_log)
            + heap(depot_delivered)
            + heap(depot_convoys)
    }

    /// Bytes a record for `layout` takes, estimated before a run: exactly what
    /// [`RunRecord::new`] allocates (every [`Series`] of [`Series::ALL`], the per-depot
    /// flags and deliveries, the segments), plus [`RunRecord::GROWTH_BYTES`] for what
    /// grows while it runs (routes, the attack log).
    pub fn bytes_for(layout: &Layout) -> u64 {
        use std::mem::size_of;
        let days = layout.days as u64;
        let values: u64 = Series::ALL.iter().map(|s| s.values_in(layout) as u64).sum();
        let depot_days = layout.depots.len() as u64 * days;
        size_of::<RunRecord>() as u64
            + (size_of::<f64>() as u64) * values
            + 2 * (size_of::<bool>() as u64) * depot_days
            + 2 * (size_of::<f64>() as u64) * depot_days
            + (size_of::<SegmentStats>() * layout.segments) as u64
            + Self::GROWTH_BYTES
    }

    /// What [`RunRecord::bytes_for`] allows for the routes and the attack log, which grow
    /// while a replication runs: 4 KiB.
    pub const GROWTH_BYTES: u64 = 4096;

    /// Series `i` of a series-major vector, as a day slice.
    pub fn series(v: &[f64], days: usize, i: usize) -> &[f64] {
        &v[i * days..(i + 1) * days]
    }

    /// Line `line` of series `s` (a [`DepotId`], [`ClassId`], `SourceId` or
    /// [`TruckState`], or [`Line::One`]), one value per day.
    ///
    /// # Panics
    /// If `line` is not of the series' shape ([`Series::per`]).
    pub fn daily(&self, s: Series, line: impl Into<Line>) -> &[f64] {
        Self::series(&self[s], self.days, line.into().of(s))
    }

    /// The value of line `line` of series `s` on day `day`, to write.
    pub fn at_mut(&mut self, s: Series, line: impl Into<Line>, day: usize) -> &mut f64 {
        let line = line.into();
        debug_assert_eq!(line.per(), s.per(), "{line:?} is not a line of {s:?}");
        let days = self.days;
        &mut self[s][line.index() * days + day]
    }

    /// Total unmet demand (rationed + dry) of class `i` over the run, litres.
    pub fn unmet_total(&self, i: ClassId) -> f64 {
        self.unmet_rationed(i) + self.unmet_dry(i)
    }

    /// Unmet demand of class `i` withheld by rationing over the run, litres.
    pub fn unmet_rationed(&self, i: ClassId) -> f64 {
        self.daily(Series::Rationed, i).iter().sum()
    }

    /// Unmet demand of class `i` because the stock ran out, over the run, litres.
    pub fn unmet_dry(&self, i: ClassId) -> f64 {
        self.daily(Series::Dry, i).iter().sum()
    }

    /// Whether some depot was dry on day `k`.
    pub fn any_dry(&self, k: usize) -> bool {
        self.dry_day
            .iter()
            .skip(k)
            .step_by(self.days.max(1))
            .any(|x| *x)
    }

    /// Whether some depot rationed on day `k`.
    pub fn any_rationing(&self, k: usize) -> bool {
        self.rationing_day
            .iter()
            .skip(k)
            .step_by(self.days.max(1))
            .any(|x| *x)
    }

    /// Days on which some depot rationed.
    pub fn days_rationed(&self) -> u32 {
        (0..self.days).filter(|k| self.any_rationing(*k)).count() as u32
    }

    /// The first day class `i` got less than it requested (its dry day), if any.
    pub fn first_dry_of_class(&self, i: ClassId) -> Option<u32> {
        let (req, dry) = (self.daily(Series::Requested, i), self.daily(Series::Dry, i));
        (0..self.days)
            .find(|k| dry[*k] > DRY_TOLERANCE * req[*k].max(1.0))
            .map(|k| k as u32)
    }
}

impl std::ops::Index<Series> for RunRecord {
    type Output = [f64];
    /// Every line of series `s`, series-major.
    fn index(&self, s: Series) -> &[f64] {
        &self.daily[s.index()]
    }
}

impl std::ops::IndexMut<Series> for RunRecord {
    fn index_mut(&mut self, s: Series) -> &mut [f64] {
        &mut self.daily[s.index()]
    }
}

/// A class is short when it got less than `1 - DRY_TOLERANCE` of its request (floating
/// point noise is not a dry day).
pub const DRY_TOLERANCE: f64 = 1e-9;

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
