//! The state of one replication and its event handlers.
//!
//! A convoy moves one segment per event: [`Event::Move`] means "the convoy stands at the
//! entry of its next segment (or at the end of its trip)". Entering a segment checks the
//! closure, the capacity gate (loaded trucks only), draws the attack, and schedules the
//! next `Move` after the sampled transit time.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::hazard::{binomial_inverse, normal_from};
use super::reroute;
use super::{Layout, PlanCache, RunRecord};
use crate::engine::{Calendar, Class, SimTime};
use crate::network::{Conditions, Network, Plan};
use crate::scenario::{Effect, EscortPolicy, NodeId, OnAttack, Scenario, SegmentId, Transit};

/// The closed set of events of the fuel model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// The daily settle at `t = day + 1`.
    Settle(u32),
    /// The n-th convoy departures from every source, at `n x convoy_interval_days`.
    Tick(u32),
    /// The n-th routine replan, at `n x replan_days`.
    RoutineReplan(u32),
    /// A replan because a segment opened or closed.
    Replan,
    /// Convoy (slot) stands at the entry of its next segment.
    Move(u32),
    /// A segment's suspension may end.
    Reopen(u32),
    /// Scenario event `i` starts.
    Start(u32),
    /// Scenario event `i` ends.
    End(u32),
    /// An escort unit is free again.
    EscortFree,
    /// Put the first plan's loaded pipeline on the road (`dispatch.warm_start`).
    WarmStart,
    /// Convoy (slot) has waited `reroute_after_days` at a closure, if its wait number
    /// (second field) is still current: it takes another open route if there is one.
    Reroute(u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leg {
    /// Loaded, towards the depot.
    Out,
    /// Empty, back to the source.
    Back,
    /// Loaded, turned back after an attack.
    TurnBack,
}

#[derive(Debug, Clone, Copy)]
struct Convoy {
    route: u32,
    trucks: u32,
    leg: Leg,
    /// Out: index of the next segment to enter. Back/TurnBack: one past the next segment.
    next: u32,
    escorted: bool,
    /// Whether the route's attack probability called for an escort at departure.
    wants_escort: bool,
    /// Trucks of an escorted convoy already through the current segment's gate.
    gate_passed: u32,
    /// Held at a capacity gate until the next day (for the census only).
    held_at_gate: bool,
    /// When its escort joined it (escorted convoys).
    departed: f64,
    /// Days driven on the loaded leg so far (waits excluded): the escort's drive back.
    driven: f64,
    /// Counts the convoy's waits at closures; a `Reroute` for an older wait is stale.
    wait: u32,
}

#[derive(Debug, Clone)]
struct RouteInfo {
    segments: Vec<SegmentId>,
    source: usize,
    depot: usize,
    /// Trucks the plan's quotas asked of this route so far (quota x interval per tick).
    planned: f64,
    /// Loaded trucks dispatched on it so far.
    dispatched: f64,
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
    waiting: Vec<u32>,
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
    depot_of_node: Vec<Option<usize>>,
    source_of_node: Vec<Option<usize>>,
    // Dynamic state.
    stock: Vec<f64>,
    empty_at_source: Vec<u32>,
    loaded_at_source: Vec<u32>,
    supply_credit: Vec<f64>,
    convoys: Vec<Convoy>,
    free_slots: Vec<u32>,
    routes: Vec<RouteInfo>,
    route_index: HashMap<Vec<SegmentId>, u32, super::FxBuild>,
    active: Vec<Active>,
    previous_active: Vec<Active>,
    seg: Vec<SegState>,
    depot_queue: Vec<VecDeque<u32>>,
    escorts_total: i64,
    escorts_in_use: i64,
    escort_queue: VecDeque<u32>,
    event_active: Vec<bool>,
    supply_factor: Vec<f64>,
    demand_factor: Vec<f64>,
    airlift_rate: Vec<f64>,
    /// Litres per depot set aside for the protected classes (`ProtectedReserve` events),
    /// held apart from `stock`: drawn only once the ordinary stock is exhausted.
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
    /// Waits at closures so far (numbers each wait, for `Event::Reroute`).
    waits: u32,
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
            depot_of_node[d.index()] = Some(i);
        }
        let mut source_of_node = vec![None; n];
        for (i, d) in layout.sources.iter().enumerate() {
            source_of_node[d.index()] = Some(i);
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
            stock,
            empty_at_source: fleet_by_source.clone(),
            loaded_at_source: vec![0; layout.sources.len()],
            supply_credit: vec![0.0; layout.sources.len()],
            convoys: Vec::new(),
            free_slots: Vec::new(),
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
            depot_queue: vec![VecDeque::new(); layout.depots.len()],
            escorts_total: i64::from(s.escorts.units),
            escorts_in_use: 0,
            escort_queue: VecDeque::new(),
            event_active: vec![false; s.events.len()],
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
            waits: 0,
            rec,
            done: false,
            attack_memo: vec![[(u64::MAX, 0.0); 3]; s.segments.len()],
            rngs: (0..s.segments.len())
                .map(|i| segment_rng(seed, i, replication))
                .collect(),
        }
    }

    /// Runs the replication to the horizon (the settle at `t = H` is the last event).
    pub fn run(&mut self, cache: &mut PlanCache) {
        let mut cal: Calendar<Event> = Calendar::new();
        // Order at t = 0: scenario events first (so day-0 closures shape the first plan),
        // then the first plan, then the first departures.
        let mut order: Vec<usize> = (0..self.s.events.len()).collect();
        order.sort_by(|a, b| self.s.events[*a].day.total_cmp(&self.s.events[*b].day));
        for i in order {
            let e = &self.s.events[i];
            schedule(&mut cal, e.day, Class::Normal, Event::Start(i as u32));
            if let Some(u) = e.until.filter(|u| *u < self.horizon) {
                schedule(&mut cal, u, Class::Normal, Event::End(i as u32));
            }
        }
        self.replan_pending = true;
        schedule(&mut cal, 0.0, Class::Normal, Event::Replan);
        if self.s.dispatch.warm_start {
            schedule(&mut cal, 0.0, Class::Normal, Event::WarmStart);
        }
        schedule(&mut cal, 0.0, Class::Normal, Event::Tick(0));
        if self.s.dispatch.replan_days < self.horizon {
            schedule(
                &mut cal,
                self.s.dispatch.replan_days,
                Class::Normal,
                Event::RoutineReplan(1),
            );
        }
        schedule(&mut cal, 1.0, Class::Settle, Event::Settle(0));
        while let Some((t, ev)) = cal.pop() {
            self.handle(t.0, ev, &mut cal, cache);
            if self.done {
                break;
            }
        }
        self.rec.events = cal.events_run();
    }

    /// Closes the books and returns the record.
    pub fn into_record(mut self) -> RunRecord {
        let tl = self.tl;
        let on_road: u64 = self
            .live_convoys()
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
            self.stock.iter().sum::<f64>() + self.reserve.iter().sum::<f64>();
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

    fn live_convoys(&self) -> impl Iterator<Item = &Convoy> {
        let mut free = vec![false; self.convoys.len()];
        for f in &self.free_slots {
            free[*f as usize] = true;
        }
        self.convoys
            .iter()
            .enumerate()
            .filter(move |(i, _)| !free[*i])
            .map(|(_, c)| c)
    }

    fn handle(&mut self, t: f64, ev: Event, cal: &mut Calendar<Event>, cache: &mut PlanCache) {
        match ev {
            Event::Settle(day) => self.settle(day, cal),
            Event::Tick(n) => {
                // A segment that opened or closed at this very instant must shape these
                // departures: replan first if one is pending.
                if self.replan_pending {
                    self.replan(t, cache);
                }
                self.tick(t, cal);
                // Times are n x interval, not repeated sums, so they do not drift.
                let next = f64::from(n + 1) * self.s.dispatch.convoy_interval_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, Event::Tick(n + 1));
                }
            }
            Event::RoutineReplan(n) => {
                self.replan(t, cache);
                let next = f64::from(n + 1) * self.s.dispatch.replan_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, Event::RoutineReplan(n + 1));
                }
            }
            Event::Replan => {
                if self.replan_pending {
                    self.replan(t, cache);
                }
            }
            Event::Move(c) => self.step(c, t, cal),
            Event::Reopen(seg) => {
                let st = &self.seg[seg as usize];
                if t >= st.suspended_until {
                    self.refresh_open(seg as usize, t, cal);
                }
            }
            Event::Start(i) => self.toggle(i as usize, true, t, cal),
            Event::End(i) => self.toggle(i as usize, false, t, cal),
            Event::EscortFree => {
                self.escorts_in_use -= 1;
                self.serve_escort_queue(t, cal);
            }
            Event::WarmStart => self.warm_start(cal),
            Event::Reroute(c, wait) => self.reroute(c, wait, t, cal),
        }
    }

    // ---- the timeline -------------------------------------------------------------

    fn toggle(&mut self, i: usize, on: bool, t: f64, cal: &mut Calendar<Event>) {
        self.event_active[i] = on;
        let e = &self.s.events[i];
        if let (true, Effect::Delivery { depot, litres }) = (on, &e.effect) {
            if let Some(d) = self.depot_of_node[depot.index()] {
                let day = (t.floor() as usize).min(self.layout.days - 1);
                let accepted = litres.min(self.free_space(d));
                self.stock[d] += accepted;
                self.rec.ledger.airlifted += accepted;
                self.rec.airlifted[day] += accepted;
            }
            return;
        }
        if let (true, Effect::ProtectedReserve { depot, litres }) = (on, &e.effect) {
            // Held apart from the working stock: not capped by free space.
            if let Some(d) = self.depot_of_node[depot.index()] {
                let day = (t.floor() as usize).min(self.layout.days - 1);
                self.reserve[d] += litres;
                self.rec.ledger.airlifted += litres;
                self.rec.airlifted[day] += litres;
            }
            return;
        }
        if let (
            true,
            Effect::Attack {
                segment,
                trucks_lost,
            },
        ) = (on, &e.effect)
        {
            self.pending_attacks[segment.index()].push_back(*trucks_lost);
            return;
        }
        let escorts_before = self.escorts_total;
        self.recompute_factors();
        if self.escorts_total != escorts_before {
            self.request_replan(cal);
        }
        // Closures may have flipped.
        for seg in 0..self.seg.len() {
            self.refresh_open(seg, t, cal);
        }
        self.serve_escort_queue(t, cal);
    }

    /// Recomputes every event-driven quantity from the set of active events, as
    /// [`Scenario::effects`] defines them.
    fn recompute_factors(&mut self) {
        let s = self.s;
        let fx = s.effects(|i| self.event_active[i]);
        self.cond.risk_multiplier.clone_from(&fx.risk_multiplier);
        for (g, closed) in self.seg.iter_mut().zip(&fx.closed) {
            g.closed_by_events = *closed;
        }
        for (k, id) in self.layout.sources.iter().enumerate() {
            self.supply_factor[k] = fx.supply_factor[id.index()];
        }
        for (d, id) in self.layout.depots.iter().enumerate() {
            self.demand_factor[d] = fx.demand_factor[id.index()];
            self.airlift_rate[d] = fx.airlift_litres_per_day[id.index()];
        }
        self.escorts_total = i64::from(fx.escort_units);
        self.cond.escort_units = f64::from(fx.escort_units);
        for (k, (_, supply)) in s.sources().enumerate() {
            self.cond.supply_trucks_per_day[self.layout.sources[k].index()] =
                supply * self.supply_factor[k] / self.tl;
        }
    }

    /// Schedules a replan at this instant unless one is already pending.
    fn request_replan(&mut self, cal: &mut Calendar<Event>) {
        if !self.replan_pending {
            self.replan_pending = true;
            cal.schedule_in(0.0, Event::Replan);
        }
    }

    /// Sets a segment's open state from closures and suspension; on a flip, schedules a
    /// replan and releases waiting convoys.
    fn refresh_open(&mut self, seg: usize, t: f64, cal: &mut Calendar<Event>) {
        let st = &mut self.seg[seg];
        let open = !st.closed_by_events && t >= st.suspended_until;
        if open == self.cond.open[seg] {
            return;
        }
        self.cond.open[seg] = open;
        if open {
            for c in st.waiting.drain(..) {
                cal.schedule_in(0.0, Event::Move(c));
            }
        }
        self.request_replan(cal);
    }

    // ---- planning and departures -------------------------------------------------

    fn replan(&mut self, t: f64, cache: &mut PlanCache) {
        self.replan_pending = false;
        self.rec.replans += 1;
        // The plan sees each source's fleet in steps of `FLEET_STEP` of its fleet at day 0, rounded
        // down, so that plans repeat across replications and the cache serves them.
        for (k, id) in self.layout.sources.iter().enumerate() {
            let step = (FLEET_STEP * f64::from(self.fleet_at_start[k]))
                .ceil()
                .max(1.0);
            let have = f64::from(self.fleet_by_source[k]);
            self.cond.fleet_trucks[id.index()] = (have / step).floor() * step;
        }
        self.fleet_planned.clone_from(&self.fleet_by_source);
        let plan: Arc<Plan> = cache.plan(self.net, &self.cond);
        // The previous routes move to a scratch buffer (kept between replans, so no
        // allocation once warm); a route that stays keeps its credit and its escorted
        // departure time.
        std::mem::swap(&mut self.active, &mut self.previous_active);
        self.active.clear();
        for r in &plan.routes {
            let id = self.intern(&r.segments, r.source, r.depot);
            let before = self.previous_active.iter().find(|a| a.route == id);
            let escort_period = if r.escorted && r.escorted_convoys_per_day > 0.0 {
                1.0 / r.escorted_convoys_per_day
            } else {
                0.0
            };
            self.active.push(Active {
                route: id,
                quota: r.trucks_per_day,
                credit: before.map_or(0.0, |a| a.credit),
                attack_probability: r.attack_probability,
                escort_period,
                next_escorted: before.map_or(t, |a| a.next_escorted.min(t + escort_period)),
                staged: if escort_period > 0.0 {
                    before.map_or(0, |a| a.staged)
                } else {
                    0
                },
            });
        }
        // Trucks staged for an escorted departure that the new plan no longer makes wait
        // at the source, loaded: they are the first to leave next time.
        for a in &self.previous_active {
            let kept = self
                .active
                .iter()
                .any(|b| b.route == a.route && b.escort_period > 0.0);
            if a.staged > 0 && !kept {
                let src = self.routes[a.route as usize].source;
                self.loaded_at_source[src] += a.staged;
            }
        }
        self.plan = Some(plan);
    }

    /// A source's fleet has shrunk by more than 10 % since the last plan: replan.
    fn check_fleet(&mut self, src: usize, cal: &mut Calendar<Event>) {
        if f64::from(self.fleet_by_source[src]) < 0.9 * f64::from(self.fleet_planned[src]) {
            self.request_replan(cal);
        }
    }

    fn intern(
        &mut self,
        segments: &[SegmentId],
        source: crate::scenario::NodeId,
        depot: crate::scenario::NodeId,
    ) -> u32 {
        if let Some(id) = self.route_index.get(segments) {
            return *id;
        }
        let id = self.routes.len() as u32;
        self.routes.push(RouteInfo {
            segments: segments.to_vec(),
            source: self.source_of_node[source.index()].unwrap_or(0),
            depot: self.depot_of_node[depot.index()].unwrap_or(0),
            planned: 0.0,
            dispatched: 0.0,
        });
        self.route_index.insert(segments.to_vec(), id);
        id
    }

    fn tick(&mut self, t: f64, cal: &mut Calendar<Event>) {
        let interval = self.s.dispatch.convoy_interval_days;
        for k in 0..self.supply_credit.len() {
            let rate = self.cond.supply_trucks_per_day[self.layout.sources[k].index()] * self.tl;
            // Supply accrues per interval; a fraction of a truckload carries over, no more.
            self.supply_credit[k] =
                (self.supply_credit[k] + rate * interval).min(rate * interval + self.tl);
        }
        for a in 0..self.active.len() {
            let Active {
                route,
                quota,
                credit,
                attack_probability,
                escort_period,
                next_escorted,
                staged,
            } = self.active[a];
            self.routes[route as usize].planned += quota * interval;
            let credit = credit + quota * interval;
            // Quotas come from a floating-point solve: 4.9999999999 trucks is 5.
            let want = (credit + 1e-9).floor();
            self.active[a].credit = credit - want;
            let src = self.routes[route as usize].source;
            let wants_escort = attack_probability > self.s.escorts.threshold;
            let trucks = if escort_period > 0.0 {
                // An escorted route: trucks load as the quota accrues and wait, loaded, for
                // the route's next escorted departure (every `escort_period` days).
                let room = self.s.escorts.max_convoy.saturating_sub(staged);
                let want = (want as u64).min(u64::from(room)) as u32;
                let loaded = self.load_trucks(src, want);
                self.active[a].staged += loaded;
                if t + 1e-9 < next_escorted || self.active[a].staged == 0 {
                    continue;
                }
                let next = next_escorted + escort_period;
                self.active[a].next_escorted = if next < t { t + escort_period } else { next };
                std::mem::take(&mut self.active[a].staged)
            } else {
                let want = (want as u64).min(u64::from(self.s.dispatch.max_convoy)) as u32;
                self.load_trucks(src, want)
            };
            if trucks == 0 {
                continue;
            }
            self.routes[route as usize].dispatched += f64::from(trucks);
            let c = self.new_convoy(Convoy {
                route,
                trucks,
                leg: Leg::Out,
                next: 0,
                escorted: false,
                wants_escort,
                gate_passed: 0,
                held_at_gate: false,
                departed: t,
                driven: 0.0,
                wait: 0,
            });
            self.send_off(c, t, t, cal);
        }
    }

    /// Takes up to `want` loaded trucks at source `src`: those already loaded first, then
    /// empty ones loaded from the supply accrued. Returns how many.
    fn load_trucks(&mut self, src: usize, want: u32) -> u32 {
        if want == 0 {
            return 0;
        }
        let from_loaded = want.min(self.loaded_at_source[src]);
        self.loaded_at_source[src] -= from_loaded;
        let loadable = (self.supply_credit[src] / self.tl).floor().max(0.0) as u64;
        let fresh = (want - from_loaded)
            .min(self.empty_at_source[src])
            .min(loadable.min(u64::from(u32::MAX)) as u32);
        self.empty_at_source[src] -= fresh;
        self.supply_credit[src] -= f64::from(fresh) * self.tl;
        self.rec.ledger.loaded += f64::from(fresh) * self.tl;
        from_loaded + fresh
    }

    /// Places the loaded convoys the first plan would have on the road at day 0: on each
    /// route, one convoy per departure interval over the last mean loaded-trip time, each
    /// on the segment it would have reached (mean transit times), with the quota's trucks.
    /// Their fuel was loaded before day 0 and is booked as loaded. Trucks come from the
    /// route's source and run out there.
    fn warm_start(&mut self, cal: &mut Calendar<Event>) {
        let interval = self.s.dispatch.convoy_interval_days;
        let mut placed: Vec<(u32, usize, f64)> = Vec::new();
        for a in 0..self.active.len() {
            let Active { route, quota, .. } = self.active[a];
            let info = &self.routes[route as usize];
            let src = info.source;
            let ends: Vec<f64> = info
                .segments
                .iter()
                .scan(0.0, |cum, s| {
                    *cum += self.s.segments[s.index()].transit.mean();
                    Some(*cum)
                })
                .collect();
            let trip = ends.last().copied().unwrap_or(0.0);
            let mut credit = 0.0;
            let mut j = 1.0;
            while j * interval < trip {
                let elapsed = j * interval;
                j += 1.0;
                credit += quota * interval;
                let want = credit.floor();
                credit -= want;
                let n = (want.min(f64::from(self.s.dispatch.max_convoy)) as u32)
                    .min(self.empty_at_source[src]);
                if n == 0 {
                    continue;
                }
                // The segment it is on: the first whose end is after `elapsed`.
                let k = ends
                    .iter()
                    .position(|e| *e > elapsed)
                    .unwrap_or(ends.len() - 1);
                self.empty_at_source[src] -= n;
                self.rec.ledger.loaded += f64::from(n) * self.tl;
                let c = self.new_convoy(Convoy {
                    route,
                    trucks: n,
                    leg: Leg::Out,
                    next: k as u32 + 1,
                    escorted: false,
                    wants_escort: false,
                    gate_passed: 0,
                    held_at_gate: false,
                    departed: -elapsed,
                    driven: 0.0,
                    wait: 0,
                });
                placed.push((c, k, ends[k] - elapsed));
            }
        }
        // Each placed convoy faces the hazard of the rest of the segment it is on (the
        // share of the segment's mean transit still to drive), drawn from that segment's
        // stream like an entry; the blockade's first days burn tankers already on the road.
        for (c, k, left) in placed {
            let route = self.convoys[c as usize].route as usize;
            let si = self.routes[route].segments[k].index();
            let mean = self.s.segments[si].transit.mean();
            let exposure = if mean > 0.0 {
                (left / mean).min(1.0)
            } else {
                0.0
            };
            let rng = &mut self.rngs[si];
            let u: [f64; 4] = [rng.random(), rng.random(), rng.random(), rng.random()];
            if self.interdict(c, si, exposure, u, 0.0, cal) {
                cal.schedule_in(left, Event::Move(c));
            }
        }
    }

    /// Sends convoy `c` on at time `t` (moving at `at`, which may be later), applying the
    /// escort rule: a convoy that wants an escort takes a free one; if none is free it waits
    /// in the FIFO escort queue when escorts are required, else it goes alone.
    fn send_off(&mut self, c: u32, t: f64, at: f64, cal: &mut Calendar<Event>) {
        let cv = self.convoys[c as usize];
        if cv.wants_escort && !cv.escorted {
            if self.escorts_total - self.escorts_in_use > 0 {
                self.take_escort(c, t);
            } else if self.s.escorts.policy == EscortPolicy::Required {
                self.escort_queue.push_back(c);
                return;
            }
        }
        schedule(cal, at.max(t), Class::Normal, Event::Move(c));
    }

    fn take_escort(&mut self, c: u32, t: f64) {
        self.escorts_in_use += 1;
        let cv = &mut self.convoys[c as usize];
        cv.escorted = true;
        cv.departed = t;
    }

    /// The escort of convoy `c` has finished its loaded leg at `t` (arrival, turn-back or
    /// the loss of the convoy). It is free again after driving back alone, as long as the
    /// leg's driving took (waits at gates and closures excluded); with `turnaround_days` set, at `departure + turnaround_days`
    /// or now, whichever is later: an escort never protects two convoys at once.
    fn release_escort(&mut self, c: u32, t: f64, cal: &mut Calendar<Event>) {
        let cv = &mut self.convoys[c as usize];
        if !cv.escorted {
            return;
        }
        cv.escorted = false;
        let free_at = match self.s.escorts.turnaround_days {
            Some(d) => (cv.departed + d).max(t),
            None => t + cv.driven,
        };
        schedule(cal, free_at, Class::Normal, Event::EscortFree);
    }

    fn serve_escort_queue(&mut self, t: f64, cal: &mut Calendar<Event>) {
        while self.escorts_total - self.escorts_in_use > 0 {
            let Some(c) = self.escort_queue.pop_front() else {
                break;
            };
            self.take_escort(c, t);
            cal.schedule_in(0.0, Event::Move(c));
        }
    }

    fn new_convoy(&mut self, c: Convoy) -> u32 {
        match self.free_slots.pop() {
            Some(i) => {
                self.convoys[i as usize] = c;
                i
            }
            None => {
                self.convoys.push(c);
                (self.convoys.len() - 1) as u32
            }
        }
    }

    fn free_convoy(&mut self, c: u32) {
        self.convoys[c as usize].trucks = 0;
        self.free_slots.push(c);
    }

    // ---- movement ---------------------------------------------------------------

    /// Convoy `c` stands at the entry of its next segment (or at the end of its trip):
    /// arrived? → closed? → the capacity gate → the attack → on to the segment's end.
    fn step(&mut self, c: u32, t: f64, cal: &mut Calendar<Event>) {
        self.convoys[c as usize].held_at_gate = false;
        let cv = self.convoys[c as usize];
        let route_len = self.routes[cv.route as usize].segments.len() as u32;
        match cv.leg {
            Leg::Out if cv.next >= route_len => return self.arrive_at_depot(c, t, cal),
            Leg::Back | Leg::TurnBack if cv.next == 0 => return self.arrive_at_source(c),
            _ => {}
        }
        let si = self.next_segment(&cv).index();
        if !self.cond.open[si] {
            return self.wait_at_closure(c, si, t, cal);
        }
        if cv.leg == Leg::Out && !self.gate(c, si, t, cal) {
            return;
        }
        // Interdiction at entry: four draws from the segment's stream, always.
        let rng = &mut self.rngs[si];
        let u: [f64; 4] = [rng.random(), rng.random(), rng.random(), rng.random()];
        if !self.interdict(c, si, 1.0, u, t, cal) {
            return;
        }
        let dt = sample_transit(self.s.segments[si].transit, u[2], u[3]);
        let cvm = &mut self.convoys[c as usize];
        match cvm.leg {
            Leg::Out => {
                cvm.next += 1;
                cvm.driven += dt;
            }
            _ => cvm.next -= 1,
        }
        cal.schedule_in(dt, Event::Move(c));
    }

    /// The segment convoy `cv` enters next.
    fn next_segment(&self, cv: &Convoy) -> SegmentId {
        let segs = &self.routes[cv.route as usize].segments;
        match cv.leg {
            Leg::Out => segs[cv.next as usize],
            _ => segs[cv.next as usize - 1],
        }
    }

    /// The node where convoy `cv` stands (the entry of its next segment).
    fn node_of(&self, cv: &Convoy) -> NodeId {
        let g = &self.s.segments[self.next_segment(cv).index()];
        match cv.leg {
            Leg::Out => g.from,
            _ => g.to,
        }
    }

    /// Convoy `c` waits at closed segment `si` until it reopens, and asks to reroute after
    /// `dispatch.reroute_after_days`.
    fn wait_at_closure(&mut self, c: u32, si: usize, t: f64, cal: &mut Calendar<Event>) {
        self.seg[si].waiting.push(c);
        self.waits += 1;
        self.convoys[c as usize].wait = self.waits;
        let at = t + self.s.dispatch.reroute_after_days;
        if at < self.horizon {
            schedule(cal, at, Class::Normal, Event::Reroute(c, self.waits));
        }
    }

    /// Convoy `c` has waited at a closure since its wait number `wait`: it takes the best
    /// open route from where it stands — loaded to a depot, empty (or turned back) to its
    /// source — or waits on, asking again after another `reroute_after_days`.
    fn reroute(&mut self, c: u32, wait: u32, t: f64, cal: &mut Calendar<Event>) {
        let cv = self.convoys[c as usize];
        let len = self.routes[cv.route as usize].segments.len() as u32;
        let at_end = match cv.leg {
            Leg::Out => cv.next >= len,
            _ => cv.next == 0,
        };
        if cv.trucks == 0 || cv.wait != wait || at_end {
            return;
        }
        let si = self.next_segment(&cv).index();
        let Some(pos) = self.seg[si].waiting.iter().position(|&w| w == c) else {
            return;
        };
        let here = self.node_of(&cv);
        let info = &self.routes[cv.route as usize];
        let source_node = self.layout.sources[info.source];
        let found = match cv.leg {
            Leg::Out => self.plan_suffix_from(here).or_else(|| {
                reroute::best_open_path(self.s, &self.cond, here, reroute::Toward::AnyDepot)
            }),
            _ => reroute::best_open_path(
                self.s,
                &self.cond,
                here,
                reroute::Toward::Source(source_node),
            ),
        };
        let Some(path) = found else {
            self.waits += 1;
            self.convoys[c as usize].wait = self.waits;
            let at = t + self.s.dispatch.reroute_after_days;
            if at < self.horizon {
                schedule(cal, at, Class::Normal, Event::Reroute(c, self.waits));
            }
            return;
        };
        self.seg[si].waiting.swap_remove(pos);
        let (segments, next, depot) = match cv.leg {
            Leg::Out => {
                let mut segs = info.segments[..cv.next as usize].to_vec();
                segs.extend_from_slice(&path);
                let depot = self.s.segments[path.last().map_or(si, |g| g.index())].to;
                (segs, cv.next, depot)
            }
            // `path` runs from the source to here; the convoy drives it backwards.
            _ => {
                let depot = self.layout.depots[info.depot];
                let n = path.len() as u32;
                (path, n, depot)
            }
        };
        let id = self.intern(&segments, source_node, depot);
        let cvm = &mut self.convoys[c as usize];
        cvm.route = id;
        cvm.next = next;
        cal.schedule_in(0.0, Event::Move(c));
    }

    /// The open rest, from `here`, of the plan route with the best survival (then least
    /// transit) that passes through `here`.
    fn plan_suffix_from(&self, here: NodeId) -> Option<Vec<SegmentId>> {
        let plan = self.plan.as_ref()?;
        let mut best: Option<(f64, f64, &[SegmentId])> = None;
        for r in &plan.routes {
            let Some(k) = r
                .segments
                .iter()
                .position(|g| self.s.segments[g.index()].from == here)
            else {
                continue;
            };
            let rest = &r.segments[k..];
            if !rest.iter().all(|g| self.cond.open[g.index()]) {
                continue;
            }
            let (survival, transit) = reroute::survival_and_transit(self.s, &self.cond, rest);
            if best.is_none_or(|(bs, bt, _)| survival > bs || (survival == bs && transit < bt)) {
                best = Some((survival, transit, rest));
            }
        }
        best.map(|(_, _, rest)| rest.to_vec())
    }

    /// The capacity gate of segment `si` for loaded convoy `c`: at most `capacity` loaded
    /// trucks enter per calendar day. Returns whether the convoy (or the part of it that
    /// fits) enters now; otherwise it has been rescheduled for the next day.
    fn gate(&mut self, c: u32, si: usize, t: f64, cal: &mut Calendar<Event>) -> bool {
        let cv = self.convoys[c as usize];
        let trucks = cv.trucks;
        let day = t.floor() as i64;
        let cap = self.s.segments[si].capacity_trucks_per_day;
        let g = &mut self.seg[si];
        if g.gate_day != day {
            g.gate_day = day;
            g.gate_used = 0.0;
        }
        let allowance =
            (((day + 1) as f64 * cap).floor() - (day as f64 * cap).floor() - g.gate_used).max(0.0);
        let need = trucks - cv.gate_passed;
        let next_day = (day + 1) as f64;
        let mut entering = trucks;
        if allowance < f64::from(need) && cv.escorted {
            // An escorted convoy stays together: today's allowance passes, the convoy
            // waits with its escort until the last truck is through.
            g.gate_used += allowance;
            self.convoys[c as usize].gate_passed += allowance as u32;
            self.convoys[c as usize].held_at_gate = true;
            schedule(cal, next_day, Class::Normal, Event::Move(c));
            return false;
        }
        if allowance < f64::from(need) {
            let enter = allowance as u32;
            if enter == 0 {
                self.convoys[c as usize].held_at_gate = true;
                schedule(cal, next_day, Class::Normal, Event::Move(c));
                return false;
            }
            // An unescorted convoy splits: the rest waits for the next day and keeps
            // its claim to an escort.
            let rest = self.new_convoy(Convoy {
                trucks: trucks - enter,
                gate_passed: 0,
                held_at_gate: true,
                ..cv
            });
            self.send_off(rest, t, next_day, cal);
            self.convoys[c as usize].trucks = enter;
            entering = enter;
            self.seg[si].gate_used += f64::from(enter);
        } else {
            self.seg[si].gate_used += f64::from(need);
        }
        self.convoys[c as usize].gate_passed = 0;
        let st = &mut self.rec.segments[si];
        st.convoys += 1.0;
        st.trucks += f64::from(entering);
        true
    }

    /// Convoy `c` enters segment `si` (for the share `exposure` of its length): draws the
    /// random attack from `u`, then applies a documented attack waiting for the first
    /// loaded convoy. Returns whether the convoy drives on along the segment; if not, it
    /// is gone or turned back (and has been dealt with).
    fn interdict(
        &mut self,
        c: u32,
        si: usize,
        exposure: f64,
        u: [f64; 4],
        t: f64,
        cal: &mut Calendar<Event>,
    ) -> bool {
        let cv = self.convoys[c as usize];
        let segment = &self.s.segments[si];
        let escorted = cv.escorted && cv.leg == Leg::Out;
        let (factor, kind) = match cv.leg {
            Leg::Out if escorted => (self.s.escorts.risk_factor, 1),
            Leg::Out => (1.0, 0),
            _ => (segment.attack.return_risk_factor, 2),
        };
        // `hazard::attack_probability(risk, multiplier, factor x exposure)`, with the
        // segment's rate computed once and the last result per kind of passage kept.
        let multiplier = self.cond.risk_multiplier[si] * (factor * exposure);
        let memo = &mut self.attack_memo[si][kind];
        let p = if memo.0 == multiplier.to_bits() {
            memo.1
        } else {
            let p = crate::network::attack_probability_at_rate(
                segment.risk,
                self.net.hazard_rate(si),
                multiplier,
            );
            *memo = (multiplier.to_bits(), p);
            p
        };
        let src = self.routes[cv.route as usize].source;
        let mut survivors = cv.trucks;
        let mut attacked = false;
        if u[0] < p {
            let loss_p = segment.attack.loss_fraction
                * if escorted {
                    self.s.escorts.loss_factor
                } else {
                    1.0
                };
            let lost = binomial_inverse(survivors, loss_p.min(1.0), u[1]);
            self.attack(si, lost, cv.leg != Leg::Back, src, t, cal);
            survivors -= lost;
            attacked = true;
        }
        if cv.leg == Leg::Out
            && survivors > 0
            && let Some(n) = self.pending_attacks[si].pop_front()
        {
            let lost = n.min(survivors);
            self.attack(si, lost, true, src, t, cal);
            survivors -= lost;
            attacked = true;
        }
        if !attacked {
            return true;
        }
        self.convoys[c as usize].trucks = survivors;
        if survivors == 0 {
            self.release_escort(c, t, cal);
            self.free_convoy(c);
            return false;
        }
        if cv.leg == Leg::Out && segment.attack.on_attack == OnAttack::TurnBack {
            self.release_escort(c, t, cal);
            // Back over the segments already crossed: next-1 .. 0 (not this one).
            self.convoys[c as usize].leg = Leg::TurnBack;
            cal.schedule_in(0.0, Event::Move(c));
            return false;
        }
        true
    }

    /// Books an attack on segment `si` that cost `lost` trucks based at source `src` (with
    /// fuel if `loaded`), and suspends the segment.
    fn attack(
        &mut self,
        si: usize,
        lost: u32,
        loaded: bool,
        src: usize,
        t: f64,
        cal: &mut Calendar<Event>,
    ) {
        let day = (t.floor() as usize).min(self.layout.days - 1);
        let seg = &self.s.segments[si];
        self.rec.attacks[day] += 1.0;
        self.rec.trucks_lost[day] += f64::from(lost);
        self.fleet -= lost;
        self.fleet_by_source[src] -= lost;
        self.check_fleet(src, cal);
        self.rec.attack_log.push(super::AttackEntry {
            day: day as u32,
            segment: SegmentId(si as u32),
            trucks_lost: lost,
            loaded,
        });
        let st = &mut self.rec.segments[si];
        st.attacks += 1.0;
        st.trucks_lost += f64::from(lost);
        if loaded && lost > 0 {
            let fuel = f64::from(lost) * self.tl;
            let seized = fuel * seg.attack.seized_share;
            let destroyed = fuel - seized;
            self.rec.ledger.seized += seized;
            self.rec.ledger.destroyed += destroyed;
            self.rec.fuel_seized[day] += seized;
            self.rec.fuel_destroyed[day] += destroyed;
            st.fuel_lost += fuel;
            st.fuel_seized += seized;
        }
        let until = t + seg.attack.suspend_days;
        if seg.attack.suspend_days > 0.0 && until > self.seg[si].suspended_until {
            self.seg[si].suspended_until = until;
            if until < self.horizon {
                schedule(cal, until, Class::Normal, Event::Reopen(si as u32));
            }
            self.refresh_open(si, t, cal);
        }
    }

    fn free_space(&self, d: usize) -> f64 {
        let cap = self
            .s
            .depot(self.layout.depots[d])
            .map_or(0.0, |x| x.capacity_litres);
        (cap - self.stock[d]).max(0.0)
    }

    fn arrive_at_depot(&mut self, c: u32, t: f64, cal: &mut Calendar<Event>) {
        self.release_escort(c, t, cal);
        let d = self.routes[self.convoys[c as usize].route as usize].depot;
        if self.convoys[c as usize].leg == Leg::Out && self.convoys[c as usize].trucks > 0 {
            let day = (t.floor() as usize).min(self.layout.days - 1);
            self.rec.depot_convoys[d * self.layout.days + day] += 1.0;
        }
        if self.depot_queue[d].is_empty() {
            self.unload(c, d, t.floor() as usize, cal);
            if self.convoys[c as usize].leg == Leg::Out && self.convoys[c as usize].trucks > 0 {
                self.depot_queue[d].push_back(c);
            }
        } else {
            self.depot_queue[d].push_back(c);
        }
    }

    /// Unloads as many whole trucks of convoy `c` as depot `d` has room for; the unloaded
    /// trucks start back empty. Leaves the convoy with the trucks still loaded.
    /// `day` is the day the delivery is booked to: that of `t`, or during the settle at
    /// `t = k + 1`, the day `k` being settled.
    fn unload(&mut self, c: u32, d: usize, day: usize, cal: &mut Calendar<Event>) {
        let cv = self.convoys[c as usize];
        let room = (self.free_space(d) / self.tl).floor().max(0.0);
        let n = (f64::from(cv.trucks)).min(room) as u32;
        if n == 0 {
            return;
        }
        let litres = f64::from(n) * self.tl;
        self.stock[d] += litres;
        let day = day.min(self.layout.days - 1);
        let src = self.routes[cv.route as usize].source;
        self.rec.delivered[src * self.layout.days + day] += litres;
        self.rec.depot_delivered[d * self.layout.days + day] += litres;
        let back = Convoy {
            trucks: n,
            leg: Leg::Back,
            escorted: false,
            ..cv
        };
        let b = if n == cv.trucks {
            self.convoys[c as usize] = back;
            c
        } else {
            self.convoys[c as usize].trucks -= n;
            self.new_convoy(back)
        };
        cal.schedule_in(0.0, Event::Move(b));
    }

    fn arrive_at_source(&mut self, c: u32) {
        let cv = self.convoys[c as usize];
        let src = self.routes[cv.route as usize].source;
        match cv.leg {
            Leg::TurnBack => self.loaded_at_source[src] += cv.trucks,
            _ => self.empty_at_source[src] += cv.trucks,
        }
        self.free_convoy(c);
    }

    // ---- the daily settle -------------------------------------------------------

    fn settle(&mut self, day: u32, cal: &mut Calendar<Event>) {
        let k = day as usize;
        let days = self.layout.days;
        let (mut any_dry, mut any_rationing) = (false, false);
        for d in 0..self.stock.len() {
            let Some(depot) = self.s.depot(self.layout.depots[d]) else {
                continue;
            };
            // 1. The day's airlift, capped by free space.
            let air = self.airlift_rate[d].min(self.free_space(d));
            self.stock[d] += air;
            self.rec.ledger.airlifted += air;
            self.rec.airlifted[k] += air;
            // 2. Days of supply against today's baseline.
            let factor = self.demand_factor[d];
            let total: f64 = depot.demand_litres_per_day() * factor;
            let dos = if total > 0.0 {
                self.stock[d] / total
            } else {
                f64::INFINITY
            };
            let rationing = dos < depot.rationing.trigger_days;
            // 3. Hand out in priority order; a class short of its request makes a dry day.
            let mut remaining = self.stock[d];
            let mut dry = false;
            let first_class = self
                .layout
                .classes
                .iter()
                .position(|(dd, _)| *dd == d)
                .unwrap_or(0);
            for (j, class) in depot.demand.iter().enumerate() {
                let i = first_class + j;
                let baseline = class.litres_per_day * factor;
                let req = if rationing && class.priority > depot.rationing.protected_priority {
                    baseline * depot.rationing.ration_fraction
                } else {
                    baseline
                };
                let mut served = req.min(remaining);
                remaining -= served;
                // The protected reserve: only protected classes, only once the ordinary
                // stock is exhausted.
                if served < req && class.priority <= depot.rationing.protected_priority {
                    let extra = (req - served).min(self.reserve[d]);
                    self.reserve[d] -= extra;
                    served += extra;
                }
                self.rec.demand[i * days + k] = baseline;
                self.rec.requested[i * days + k] = req;
                self.rec.served[i * days + k] = served;
                // 4. Unmet = baseline - served = rationed + dry.
                self.rec.rationed[i * days + k] = baseline - req;
                let short = req - served;
                self.rec.dry[i * days + k] = short;
                if short > super::DRY_TOLERANCE * req.max(1.0) {
                    dry = true;
                }
                self.rec.ledger.served += served;
            }
            self.stock[d] = remaining;
            self.rec.rationing_day[d * days + k] = rationing;
            self.rec.dry_day[d * days + k] = dry;
            any_dry |= dry;
            any_rationing |= rationing;
            // 5. Trucks waiting for room unload, first come first served, booked to day k.
            while let Some(&c) = self.depot_queue[d].front() {
                self.unload(c, d, k, cal);
                if self.convoys[c as usize].leg == Leg::Out && self.convoys[c as usize].trucks > 0 {
                    break;
                }
                self.depot_queue[d].pop_front();
            }
            self.rec.stock[d * days + k] = self.stock[d];
        }
        if any_dry && self.rec.first_dry.is_none() {
            self.rec.first_dry = Some(day);
        }
        if any_rationing && self.rec.first_rationing.is_none() {
            self.rec.first_rationing = Some(day);
        }
        self.replace_trucks();
        self.rec.fleet[k] = f64::from(self.fleet);
        self.census(k);
        if k + 1 >= days {
            self.done = true;
        } else {
            schedule(
                cal,
                f64::from(day + 2),
                Class::Settle,
                Event::Settle(day + 1),
            );
        }
    }

    /// Counts, at the settle of day `k`, where every truck of the fleet is
    /// ([`TruckState`]), the escort units busy and in service, and the convoys queued for
    /// an escort. Trucks gathered at the source for an escorted departure wait for an
    /// escort too. A convoy's state is decided in this order: in the escort queue, held in
    /// front of a closure, in a depot's unloading queue, held at a capacity gate, else
    /// moving (loaded or empty by its leg). The counts add up to the fleet.
    fn census(&mut self, k: usize) {
        use super::TruckState as T;
        let days = self.layout.days;
        // Free convoy slots hold no truck (`free_convoy` empties them), so they count 0.
        let mut state: Vec<Option<T>> = self
            .convoys
            .iter()
            .map(|cv| cv.held_at_gate.then_some(T::WaitingAtGateOrClosure))
            .collect();
        for q in &self.depot_queue {
            for c in q {
                state[*c as usize] = Some(T::WaitingToUnload);
            }
        }
        for g in &self.seg {
            for c in &g.waiting {
                state[*c as usize] = Some(T::WaitingAtGateOrClosure);
            }
        }
        for c in &self.escort_queue {
            state[*c as usize] = Some(T::WaitingForEscort);
        }
        let mut counts = [0u64; 6];
        for (c, cv) in self.convoys.iter().enumerate() {
            let st = state[c].unwrap_or(match cv.leg {
                Leg::Back => T::ReturningEmpty,
                Leg::Out | Leg::TurnBack => T::LoadedOnRoad,
            });
            counts[st as usize] += u64::from(cv.trucks);
        }
        // Trucks loaded and gathered at the source for a route's next escorted departure.
        counts[T::WaitingForEscort as usize] +=
            self.active.iter().map(|a| u64::from(a.staged)).sum::<u64>();
        counts[T::IdleAtSource as usize] += self
            .empty_at_source
            .iter()
            .chain(&self.loaded_at_source)
            .map(|x| u64::from(*x))
            .sum::<u64>();
        for (i, v) in counts.iter().enumerate() {
            self.rec.fleet_state[i * days + k] = *v as f64;
        }
        self.rec.escorts_in_use[k] = self.escorts_in_use as f64;
        self.rec.escort_units[k] = self.escorts_total as f64;
        self.rec.convoys_waiting_for_escort[k] = self.escort_queue.len() as f64;
    }
}

impl World<'_> {
    /// Operators replace lost tankers at `fleet.replacement_per_day` a day per source, never
    /// above the source's fleet at day 0; new trucks start empty at the source.
    fn replace_trucks(&mut self) {
        let rate = self.s.fleet.replacement_per_day;
        if rate <= 0.0 {
            return;
        }
        for k in 0..self.fleet_by_source.len() {
            let missing = self.fleet_at_start[k] - self.fleet_by_source[k];
            if missing == 0 {
                self.replacement_credit[k] = 0.0;
                continue;
            }
            self.replacement_credit[k] += rate;
            let whole = (self.replacement_credit[k].floor() as u64).min(u64::from(missing)) as u32;
            self.replacement_credit[k] -= f64::from(whole);
            self.fleet_by_source[k] += whole;
            self.empty_at_source[k] += whole;
            self.fleet += whole;
        }
    }
}

/// Schedules `ev` at `t`. The model only ever schedules at or after the current time and at
/// finite times; anything else is a bug in the model, and stops the run loudly rather
/// than losing an event (an escort never freed, a closure that never ends).
fn schedule(cal: &mut Calendar<Event>, t: f64, class: Class, ev: Event) {
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
