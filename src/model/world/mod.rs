//! The state of one replication and its event handlers.
//!
//! A convoy moves one segment per event: [`SimEvent::Move`] means "the convoy stands at the
//! entry of its next segment (or at the end of its trip)". Entering a segment checks the
//! closure, the capacity gate (loaded trucks only), draws the attack, and schedules the
//! next `Move` after the sampled transit time.
//!
//! This file owns the state (the [`World`] struct and its small record types), its
//! construction, the event loop ([`World::run`]) and the dispatch of each event to its
//! handler. The convoy slab is in `convoys` ([`ConvoyId`]); the handlers live beside it,
//! one file per part of the model: `timeline` (scenario events, closures), `dispatch`
//! (plans, departures, warm start), `escorts`, `movement` (segment entry: closure, gate,
//! attack, reroute), `depots` (arrival and unloading), `settle` (the daily settle and
//! census) and `replacement` (lost trucks).

mod convoys;
mod depots;
mod dispatch;
mod escorts;
mod movement;
mod replacement;
mod settle;
mod timeline;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use self::convoys::{Convoy, Convoys, Leg};
pub(crate) use self::convoys::{ConvoyId, WaitNumber};
use self::depots::Depot;
use self::escorts::EscortPool;
use super::hazard::normal_from;
use super::{Layout, PlanCache, RunRecord};
use crate::engine::{Calendar, Class, SimTime};
use crate::network::{Conditions, Network, Plan};
use crate::scenario::{DepotId, Scenario, SegmentId, SourceId, Transit};

/// The closed set of events of the fuel model. Named `SimEvent` (not `Event`) to keep it
/// apart from [`crate::scenario::Event`], the scenario's planned happenings, which
/// `Start`/`End` refer to by [`EventIndex`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SimEvent {
    /// The daily settle at `t = day + 1`.
    Settle(u32),
    /// The n-th convoy departures from every source, at `n x convoy_interval_days`.
    Tick(u32),
    /// The n-th routine replan, at `n x replan_days`.
    RoutineReplan(u32),
    /// A replan because a segment opened or closed.
    Replan,
    /// Convoy (slot) stands at the entry of its next segment.
    Move(ConvoyId),
    /// A segment's suspension may end.
    Reopen(SegmentId),
    /// Scenario event `i` starts.
    Start(EventIndex),
    /// Scenario event `i` ends.
    End(EventIndex),
    /// An escort unit is free again.
    EscortFree,
    /// Put the first plan's loaded pipeline on the road (`dispatch.warm_start`).
    WarmStart,
    /// Convoy (slot) has waited `reroute_after_days` at a closure, if its wait number
    /// (second field) is still current: it takes another open route if there is one.
    Reroute(ConvoyId, WaitNumber),
}

/// The index of an event in the scenario's list of events ([`Scenario::events`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventIndex(u32);

impl EventIndex {
    /// The index into [`Scenario::events`].
    #[inline]
    fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone)]
struct RouteInfo {
    segments: Vec<SegmentId>,
    source: SourceId,
    depot: DepotId,
    /// Trucks the plan's quotas asked of this route so far (quota x interval per tick).
    planned: f64,
    /// Loaded trucks dispatched on it so far.
    dispatched: f64,
    /// The time of the route's last escorted departure (`None` before the first).
    escort_clock: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct Active {
    route: u32,
    quota: f64,
    credit: f64,
    attack_probability: f64,
    /// Days between escorted departures (0 for routes without escorts).
    escort_period: f64,
    /// Earliest time of the next escorted departure.
    next_escorted: f64,
    /// Loaded trucks waiting at the source for the route's next escorted departure.
    staged: u32,
}

#[derive(Debug, Clone, Default)]
struct SegState {
    closed_by_events: bool,
    suspended_until: f64,
    gate_day: i64,
    gate_used: f64,
    waiting: Vec<ConvoyId>,
}

/// The plan sees each source's fleet in steps of this share of its fleet at day 0.
const FLEET_STEP: f64 = 0.1;

/// One replication's world: fleet, convoys, depots, escorts, and what is recorded.
pub struct World<'a> {
    s: &'a Scenario,
    net: &'a Network,
    layout: &'a Layout,
    tl: f64,
    horizon: f64,
    depot_of_node: Vec<Option<DepotId>>,
    source_of_node: Vec<Option<SourceId>>,
    // Dynamic state.
    /// Per depot (as [`Layout::depots`]): stock, capacity, unloading queue.
    depots: Vec<Depot>,
    empty_at_source: Vec<u32>,
    loaded_at_source: Vec<u32>,
    supply_credit: Vec<f64>,
    convoys: Convoys,
    routes: Vec<RouteInfo>,
    route_index: HashMap<Vec<SegmentId>, u32, super::FxBuild>,
    active: Vec<Active>,
    previous_active: Vec<Active>,
    seg: Vec<SegState>,
    escorts: EscortPool,
    event_active: Vec<bool>,
    /// The effects of the active events, recomputed in place at each start and end.
    effects: crate::scenario::Effects,
    /// Each convoy slot's state at the last census (a buffer kept between censuses).
    census_state: Vec<Option<super::TruckState>>,
    supply_factor: Vec<f64>,
    demand_factor: Vec<f64>,
    airlift_rate: Vec<f64>,
    /// Litres per depot set aside for the protected classes (`ProtectedReserve` events),
    /// held apart from the depots' stock: drawn only once the ordinary stock is exhausted.
    reserve: Vec<f64>,
    cond: Conditions,
    replan_pending: bool,
    fleet: u32,
    /// Per source: trucks based there now, at day 0, and as the last plan saw them.
    fleet_by_source: Vec<u32>,
    fleet_at_start: Vec<u32>,
    fleet_planned: Vec<u32>,
    /// Per source: replacement trucks accrued but not yet whole.
    replacement_credit: Vec<f64>,
    /// Per segment: documented attacks (trucks lost) waiting for the first loaded convoy.
    pending_attacks: Vec<VecDeque<u32>>,
    /// The plan in force.
    plan: Option<Arc<Plan>>,
    /// Waits at closures so far (numbers each wait, for `SimEvent::Reroute`).
    waits: WaitNumber,
    // Today's accumulators and the record.
    rec: RunRecord,
    done: bool,
    /// One random stream per segment (see [`segment_rng`]).
    rngs: Vec<ChaCha8Rng>,
    /// Per segment and kind of passage (loaded, loaded under escort, empty or turned
    /// back): the last multiplier an attack probability was computed for, and that
    /// probability. The multipliers change only with events, so most passages find theirs
    /// here instead of computing `exp` again; the numbers are the same, bit for bit.
    attack_memo: Vec<[(u64, f64); 3]>,
    /// The segments at each node, for reroutes: made at the first one.
    adjacency: Option<super::reroute::Adjacency>,
    /// The reroute search's memory, kept between reroutes.
    search: super::reroute::Search,
}

thread_local! {
    /// Each thread's calendar, kept between replications (see [`World::run`]).
    static SPARE_CALENDAR: std::cell::Cell<Calendar<SimEvent>> =
        const { std::cell::Cell::new(Calendar::new()) };
}

/// The random stream of segment `segment` in replication `replication` under `seed`:
/// ChaCha8 keyed by `seed` mixed with the segment index, stream = replication.
///
/// Every convoy entering a segment takes exactly four numbers from that segment's stream
/// (attack, losses, transit time, and a spare for log-normal times), whether or not it is
/// attacked. Two scenarios run with the same seed therefore give the same draws to the
/// same convoys on the same segments, even when they differ elsewhere: this is what makes
/// common random numbers effective in sweeps.
pub fn segment_rng(seed: u64, segment: usize, replication: u64) -> ChaCha8Rng {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (segment as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.set_stream(replication);
    rng
}

impl<'a> World<'a> {
    /// A world at t = 0: stocks at their initial levels, trucks based at sources in
    /// proportion to supply (largest remainder), no convoy on the road.
    pub fn new(
        s: &'a Scenario,
        net: &'a Network,
        layout: &'a Layout,
        seed: u64,
        replication: u64,
    ) -> World<'a> {
        let n = s.nodes.len();
        let mut depot_of_node = vec![None; n];
        for (i, d) in layout.depots.iter().enumerate() {
            depot_of_node[d.index()] = Some(DepotId(i as u32));
        }
        let mut source_of_node = vec![None; n];
        for (i, d) in layout.sources.iter().enumerate() {
            source_of_node[d.index()] = Some(SourceId(i as u32));
        }
        let stock: Vec<f64> = layout
            .depots
            .iter()
            .map(|d| s.depot(*d).map_or(0.0, |d| d.initial_stock_litres))
            .collect();
        let fleet_by_source = s.fleet_by_source();
        let mut rec = RunRecord::new(layout);
        rec.ledger.initial_stock = stock.iter().sum();
        World {
            s,
            net,
            layout,
            tl: s.fleet.truck_litres,
            horizon: f64::from(s.horizon_days),
            depot_of_node,
            source_of_node,
            depots: layout
                .depots
                .iter()
                .zip(&stock)
                .map(|(d, stock)| {
                    Depot::new(s.depot(*d).map_or(0.0, |x| x.capacity_litres), *stock)
                })
                .collect(),
            empty_at_source: fleet_by_source.clone(),
            loaded_at_source: vec![0; layout.sources.len()],
            supply_credit: vec![0.0; layout.sources.len()],
            convoys: Convoys::default(),
            routes: Vec::new(),
            route_index: HashMap::default(),
            active: Vec::new(),
            previous_active: Vec::new(),
            seg: vec![
                SegState {
                    gate_day: -1,
                    ..SegState::default()
                };
                s.segments.len()
            ],
            escorts: EscortPool::new(s.escorts.units),
            event_active: vec![false; s.events.len()],
            effects: crate::scenario::Effects::default(),
            census_state: Vec::new(),
            supply_factor: vec![1.0; layout.sources.len()],
            demand_factor: vec![1.0; layout.depots.len()],
            airlift_rate: vec![0.0; layout.depots.len()],
            reserve: vec![0.0; layout.depots.len()],
            cond: Conditions::baseline(s),
            replan_pending: false,
            fleet: s.fleet.trucks,
            fleet_at_start: fleet_by_source.clone(),
            fleet_planned: fleet_by_source.clone(),
            fleet_by_source,
            replacement_credit: vec![0.0; layout.sources.len()],
            pending_attacks: vec![VecDeque::new(); s.segments.len()],
            plan: None,
            waits: WaitNumber::NONE,
            rec,
            done: false,
            attack_memo: vec![[(u64::MAX, 0.0); 3]; s.segments.len()],
            adjacency: None,
            search: super::reroute::Search::default(),
            rngs: (0..s.segments.len())
                .map(|i| segment_rng(seed, i, replication))
                .collect(),
        }
    }

    /// Runs the replication to the horizon (the settle at `t = H` is the last event).
    pub fn run(&mut self, cache: &mut PlanCache) {
        // The thread's calendar from its last replication, emptied: its buckets keep their
        // memory, so a replication allocates none for its events. (Taken out and put back,
        // so that a nested run, were there one, would only get a fresh calendar.)
        let mut cal: Calendar<SimEvent> = SPARE_CALENDAR.with(std::cell::Cell::take);
        cal.reset();
        // Order at t = 0: scenario events first (so day-0 closures shape the first plan),
        // then the first plan, then the first departures.
        let mut order: Vec<usize> = (0..self.s.events.len()).collect();
        order.sort_by(|a, b| self.s.events[*a].day.total_cmp(&self.s.events[*b].day));
        for i in order {
            let e = &self.s.events[i];
            schedule(
                &mut cal,
                e.day,
                Class::Normal,
                SimEvent::Start(EventIndex(i as u32)),
            );
            if let Some(u) = e.until.filter(|u| *u < self.horizon) {
                schedule(
                    &mut cal,
                    u,
                    Class::Normal,
                    SimEvent::End(EventIndex(i as u32)),
                );
            }
        }
        self.replan_pending = true;
        schedule(&mut cal, 0.0, Class::Normal, SimEvent::Replan);
        if self.s.dispatch.warm_start {
            schedule(&mut cal, 0.0, Class::Normal, SimEvent::WarmStart);
        }
        schedule(&mut cal, 0.0, Class::Normal, SimEvent::Tick(0));
        if self.s.dispatch.replan_days < self.horizon {
            schedule(
                &mut cal,
                self.s.dispatch.replan_days,
                Class::Normal,
                SimEvent::RoutineReplan(1),
            );
        }
        schedule(&mut cal, 1.0, Class::Settle, SimEvent::Settle(0));
        while let Some((t, ev)) = cal.pop() {
            self.handle(t.0, ev, &mut cal, cache);
            if self.done {
                break;
            }
        }
        self.rec.events = cal.events_run();
        SPARE_CALENDAR.with(|c| c.set(cal));
    }

    /// The litres `trucks` full tankers carry (the one truckloads-to-litres conversion).
    #[inline]
    fn litres_of(&self, trucks: u32) -> f64 {
        f64::from(trucks) * self.tl
    }

    /// The whole truckloads in `litres` (0 for none or less), as a whole number.
    #[inline]
    fn whole_truckloads(&self, litres: f64) -> f64 {
        floor(litres / self.tl).max(0.0)
    }

    /// Closes the books and returns the record.
    pub fn into_record(mut self) -> RunRecord {
        let tl = self.tl;
        let on_road: u64 = self
            .convoys
            .live()
            .filter(|c| c.leg != Leg::Back)
            .map(|c| u64::from(c.trucks))
            .sum();
        let at_source: u64 = self
            .loaded_at_source
            .iter()
            .map(|n| u64::from(*n))
            .sum::<u64>()
            + self.active.iter().map(|a| u64::from(a.staged)).sum::<u64>();
        self.rec.ledger.in_trucks = (on_road + at_source) as f64 * tl;
        self.rec.ledger.final_stock =
            self.depots.iter().map(|d| d.stock).sum::<f64>() + self.reserve.iter().sum::<f64>();
        self.rec.routes = self
            .routes
            .iter()
            .map(|r| super::RouteStat {
                segments: r.segments.clone(),
                planned_trucks: r.planned,
                dispatched_trucks: r.dispatched,
            })
            .collect();
        self.rec
    }

    fn handle(
        &mut self,
        t: f64,
        ev: SimEvent,
        cal: &mut Calendar<SimEvent>,
        cache: &mut PlanCache,
    ) {
        match ev {
            SimEvent::Settle(day) => self.settle(day, cal),
            SimEvent::Tick(n) => {
                // A segment that opened or closed at this very instant must shape these
                // departures: replan first if one is pending.
                if self.replan_pending {
                    self.replan(t, cache);
                }
                self.tick(t, cal);
                // Times are n x interval, not repeated sums, so they do not drift.
                let next = f64::from(n + 1) * self.s.dispatch.convoy_interval_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, SimEvent::Tick(n + 1));
                }
            }
            SimEvent::RoutineReplan(n) => {
                self.replan(t, cache);
                let next = f64::from(n + 1) * self.s.dispatch.replan_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, SimEvent::RoutineReplan(n + 1));
                }
            }
            SimEvent::Replan => {
                if self.replan_pending {
                    self.replan(t, cache);
                }
            }
            SimEvent::Move(c) => self.step(c, t, cal),
            SimEvent::Reopen(seg) => {
                let st = &self.seg[seg.index()];
                if t >= st.suspended_until {
                    self.refresh_open(seg.index(), t, cal);
                }
            }
            SimEvent::Start(i) => self.toggle(i.index(), true, t, cal),
            SimEvent::End(i) => self.toggle(i.index(), false, t, cal),
            SimEvent::EscortFree => {
                self.escorts.release();
                self.serve_escort_queue(t, cal);
            }
            SimEvent::WarmStart => self.warm_start(cal),
            SimEvent::Reroute(c, wait) => self.reroute(c, wait, t, cal),
        }
    }
}

/// Schedules `ev` at `t`. The model only ever schedules at or after the current time and at
/// finite times; anything else is a bug in the model, and stops the run loudly rather
/// than losing an event (an escort never freed, a closure that never ends).
/// `x.floor()`, bit for bit for every input, without the library call in the usual case
/// of a positive number below 2^31, where converting to an integer is the floor. The
/// simulation floors instants and truck credits millions of times per ensemble, and
/// the baseline x86-64 target has no floor instruction (the call was 2 % of a Bamako
/// ensemble's instructions).
#[inline(always)]
fn floor(x: f64) -> f64 {
    if x > 0.0 && x < 2_147_483_648.0 {
        f64::from(x as i32)
    } else {
        x.floor()
    }
}

fn schedule(cal: &mut Calendar<SimEvent>, t: f64, class: Class, ev: SimEvent) {
    if let Err(e) = cal.schedule(SimTime(t), class, ev) {
        panic!("bug in the fuel model: {e} (event {ev:?})");
    }
}

/// A travel time from uniform `u` (inverse transform); log-normal times take their normal
/// draw from `u` and the spare `u2` (Box–Muller).
fn sample_transit(t: Transit, u: f64, u2: f64) -> f64 {
    match t {
        Transit::LogNormal { .. } => t.sample(0.5, normal_from(1.0 - u, u2)),
        _ => t.sample(u, 0.0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn floor_is_f64_floor_bit_for_bit() {
        let big = 2_147_483_648.0; // 2^31
        let mut xs = vec![
            0.0,
            -0.0,
            1e-300,
            0.5,
            0.999_999_999_999_999_9,
            1.0,
            2.5,
            179.999_999_999,
            big - 0.5,
            big,
            big + 1.0,
            1e300,
            -0.5,
            -1.0,
            -2.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        xs.extend((0..1000).map(|i| f64::from(i) * 0.37));
        for x in xs {
            assert_eq!(super::floor(x).to_bits(), x.floor().to_bits(), "{x}");
        }
    }
}
