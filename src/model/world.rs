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

use super::hazard::{attack_probability, binomial_inverse, normal_from};
use super::{Layout, PlanCache, RunRecord};
use crate::engine::{Calendar, Class, SimTime};
use crate::network::{Conditions, Network, Plan};
use crate::scenario::{Effect, EscortPolicy, OnAttack, Scenario, SegmentId, Transit};

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
    departed: f64,
}

#[derive(Debug, Clone)]
struct RouteInfo {
    segments: Vec<SegmentId>,
    source: usize,
    depot: usize,
}

#[derive(Debug, Clone, Copy)]
struct Active {
    route: u32,
    quota: f64,
    credit: f64,
    attack_probability: f64,
}

#[derive(Debug, Clone, Default)]
struct SegState {
    closed_by_events: bool,
    suspended_until: f64,
    gate_day: i64,
    gate_used: f64,
    waiting: Vec<u32>,
}

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
    route_index: HashMap<Vec<SegmentId>, u32>,
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
    // Today's accumulators and the record.
    rec: RunRecord,
    done: bool,
    /// One random stream per segment (see [`segment_rng`]).
    rngs: Vec<ChaCha8Rng>,
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
        let supplies: Vec<f64> = s.sources().map(|(_, v)| v).collect();
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
            empty_at_source: split_fleet(s.fleet.trucks, &supplies),
            loaded_at_source: vec![0; layout.sources.len()],
            supply_credit: vec![0.0; layout.sources.len()],
            convoys: Vec::new(),
            free_slots: Vec::new(),
            routes: Vec::new(),
            route_index: HashMap::new(),
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
            rec,
            done: false,
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
        let at_source: u64 = self.loaded_at_source.iter().map(|n| u64::from(*n)).sum();
        self.rec.ledger.in_trucks = (on_road + at_source) as f64 * tl;
        self.rec.ledger.final_stock =
            self.stock.iter().sum::<f64>() + self.reserve.iter().sum::<f64>();
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
                    self.replan(cache);
                }
                self.tick(t, cal);
                // Times are n x interval, not repeated sums, so they do not drift.
                let next = f64::from(n + 1) * self.s.dispatch.convoy_interval_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, Event::Tick(n + 1));
                }
            }
            Event::RoutineReplan(n) => {
                self.replan(cache);
                let next = f64::from(n + 1) * self.s.dispatch.replan_days;
                if next < self.horizon {
                    schedule(cal, next, Class::Normal, Event::RoutineReplan(n + 1));
                }
            }
            Event::Replan => {
                if self.replan_pending {
                    self.replan(cache);
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
        self.recompute_factors();
        // Closures may have flipped.
        for seg in 0..self.seg.len() {
            self.refresh_open(seg, t, cal);
        }
        self.serve_escort_queue(t, cal);
    }

    /// Recomputes every event-driven quantity from the set of active events.
    fn recompute_factors(&mut self) {
        let s = self.s;
        self.cond.risk_multiplier.iter_mut().for_each(|m| *m = 1.0);
        self.supply_factor.iter_mut().for_each(|f| *f = 1.0);
        self.demand_factor.iter_mut().for_each(|f| *f = 1.0);
        self.airlift_rate.iter_mut().for_each(|f| *f = 0.0);
        self.seg.iter_mut().for_each(|g| g.closed_by_events = false);
        let mut escorts = i64::from(s.escorts.units);
        for (i, e) in s.events.iter().enumerate() {
            if !self.event_active[i] {
                continue;
            }
            match &e.effect {
                Effect::RiskMultiplier { targets, factor } => {
                    for id in &targets.resolved {
                        self.cond.risk_multiplier[id.index()] *= factor;
                    }
                }
                Effect::Close { targets } => {
                    for id in &targets.resolved {
                        self.seg[id.index()].closed_by_events = true;
                    }
                }
                Effect::SupplyFactor { source, factor } => {
                    if let Some(k) = self.source_of_node[source.index()] {
                        self.supply_factor[k] *= factor;
                    }
                }
                // Resolved below: the latest-starting active one wins.
                Effect::EscortUnits(_) => {}
                Effect::DemandFactor { depot, factor } => {
                    match depot.and_then(|d| self.depot_of_node[d.index()]) {
                        Some(d) => self.demand_factor[d] *= factor,
                        None => self.demand_factor.iter_mut().for_each(|f| *f *= factor),
                    }
                }
                Effect::Airlift {
                    depot,
                    litres_per_day,
                } => {
                    if let Some(d) = self.depot_of_node[depot.index()] {
                        self.airlift_rate[d] += litres_per_day;
                    }
                }
                Effect::Delivery { .. } | Effect::ProtectedReserve { .. } => {}
            }
        }
        // EscortUnits: the active one that started last.
        if let Some((_, n)) = s
            .events
            .iter()
            .enumerate()
            .filter(|(i, _)| self.event_active[*i])
            .filter_map(|(i, e)| match e.effect {
                Effect::EscortUnits(n) => Some(((e.day, i), n)),
                _ => None,
            })
            .max_by(|a, b| a.0.0.total_cmp(&b.0.0).then(a.0.1.cmp(&b.0.1)))
        {
            escorts = i64::from(n);
        }
        self.escorts_total = escorts;
        for (k, (_, supply)) in s.sources().enumerate() {
            self.cond.supply_trucks_per_day[self.layout.sources[k].index()] =
                supply * self.supply_factor[k] / self.tl;
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
        if !self.replan_pending {
            self.replan_pending = true;
            cal.schedule_in(0.0, Event::Replan);
        }
    }

    // ---- planning and departures -------------------------------------------------

    fn replan(&mut self, cache: &mut PlanCache) {
        self.replan_pending = false;
        let plan: Arc<Plan> = cache.plan(self.net, &self.cond);
        // The previous routes move to a scratch buffer (kept between replans, so no
        // allocation once warm); a route that stays keeps its credit.
        std::mem::swap(&mut self.active, &mut self.previous_active);
        self.active.clear();
        for r in &plan.routes {
            let id = self.intern(&r.segments, r.source, r.depot);
            let credit = self
                .previous_active
                .iter()
                .find(|a| a.route == id)
                .map_or(0.0, |a| a.credit);
            self.active.push(Active {
                route: id,
                quota: r.trucks_per_day,
                credit,
                attack_probability: r.attack_probability,
            });
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
            } = self.active[a];
            let credit = credit + quota * interval;
            let want = credit.floor();
            self.active[a].credit = credit - want;
            let want = (want as u64).min(u64::from(self.s.dispatch.max_convoy)) as u32;
            if want == 0 {
                continue;
            }
            let src = self.routes[route as usize].source;
            let from_loaded = want.min(self.loaded_at_source[src]);
            self.loaded_at_source[src] -= from_loaded;
            let loadable = (self.supply_credit[src] / self.tl).floor().max(0.0) as u64;
            let fresh = (want - from_loaded)
                .min(self.empty_at_source[src])
                .min(loadable.min(u64::from(u32::MAX)) as u32);
            self.empty_at_source[src] -= fresh;
            self.supply_credit[src] -= f64::from(fresh) * self.tl;
            self.rec.ledger.loaded += f64::from(fresh) * self.tl;
            let trucks = from_loaded + fresh;
            if trucks == 0 {
                continue;
            }
            let wants_escort = attack_probability > self.s.escorts.threshold;
            let c = self.new_convoy(Convoy {
                route,
                trucks,
                leg: Leg::Out,
                next: 0,
                escorted: false,
                wants_escort,
                gate_passed: 0,
                departed: t,
            });
            self.send_off(c, t, t, cal);
        }
    }

    /// Places the loaded convoys the first plan would have on the road at day 0: on each
    /// route, one convoy per departure interval over the last mean loaded-trip time, each
    /// on the segment it would have reached (mean transit times), with the quota's trucks.
    /// Their fuel was loaded before day 0 and is booked as loaded. Trucks come from the
    /// route's source and run out there; no randomness is used.
    fn warm_start(&mut self, cal: &mut Calendar<Event>) {
        let interval = self.s.dispatch.convoy_interval_days;
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
                    departed: -elapsed,
                });
                cal.schedule_in(ends[k] - elapsed, Event::Move(c));
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
    /// the loss of the convoy). It is free again after driving back alone, as long again as
    /// it rode with the convoy; with `turnaround_days` set, at `departure + turnaround_days`
    /// or now, whichever is later: an escort never protects two convoys at once.
    fn release_escort(&mut self, c: u32, t: f64, cal: &mut Calendar<Event>) {
        let cv = &mut self.convoys[c as usize];
        if !cv.escorted {
            return;
        }
        cv.escorted = false;
        let free_at = match self.s.escorts.turnaround_days {
            Some(d) => (cv.departed + d).max(t),
            None => t + (t - cv.departed).max(0.0),
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

    fn step(&mut self, c: u32, t: f64, cal: &mut Calendar<Event>) {
        let cv = self.convoys[c as usize];
        let route_len = self.routes[cv.route as usize].segments.len() as u32;
        // Arrived?
        match cv.leg {
            Leg::Out if cv.next >= route_len => return self.arrive_at_depot(c, t, cal),
            Leg::Back | Leg::TurnBack if cv.next == 0 => return self.arrive_at_source(c),
            _ => {}
        }
        let seg_id = match cv.leg {
            Leg::Out => self.routes[cv.route as usize].segments[cv.next as usize],
            _ => self.routes[cv.route as usize].segments[cv.next as usize - 1],
        };
        let si = seg_id.index();
        if !self.cond.open[si] {
            self.seg[si].waiting.push(c);
            return;
        }
        let mut trucks = cv.trucks;
        if cv.leg == Leg::Out {
            // The capacity gate: at most `capacity` loaded trucks enter per calendar day.
            let day = t.floor() as i64;
            let cap = self.s.segments[si].capacity_trucks_per_day;
            let g = &mut self.seg[si];
            if g.gate_day != day {
                g.gate_day = day;
                g.gate_used = 0.0;
            }
            let allowance =
                (((day + 1) as f64 * cap).floor() - (day as f64 * cap).floor() - g.gate_used)
                    .max(0.0);
            let need = trucks - cv.gate_passed;
            let next_day = (day + 1) as f64;
            if allowance < f64::from(need) && cv.escorted {
                // An escorted convoy stays together: today's allowance passes, the convoy
                // waits with its escort until the last truck is through.
                g.gate_used += allowance;
                self.convoys[c as usize].gate_passed += allowance as u32;
                schedule(cal, next_day, Class::Normal, Event::Move(c));
                return;
            }
            if allowance < f64::from(need) {
                let enter = allowance as u32;
                if enter == 0 {
                    schedule(cal, next_day, Class::Normal, Event::Move(c));
                    return;
                }
                // An unescorted convoy splits: the rest waits for the next day and keeps
                // its claim to an escort.
                let rest = self.new_convoy(Convoy {
                    trucks: trucks - enter,
                    gate_passed: 0,
                    ..cv
                });
                self.send_off(rest, t, next_day, cal);
                self.convoys[c as usize].trucks = enter;
                trucks = enter;
                self.seg[si].gate_used += f64::from(enter);
            } else {
                self.seg[si].gate_used += f64::from(need);
            }
            self.convoys[c as usize].gate_passed = 0;
            let st = &mut self.rec.segments[si];
            st.convoys += 1.0;
            st.trucks += f64::from(trucks);
        }
        // Interdiction at entry: four draws from the segment's stream, always.
        let rng = &mut self.rngs[si];
        let u: [f64; 4] = [rng.random(), rng.random(), rng.random(), rng.random()];
        let segment = &self.s.segments[si];
        let escorted = self.convoys[c as usize].escorted && cv.leg == Leg::Out;
        let factor = match cv.leg {
            Leg::Out if escorted => self.s.escorts.risk_factor,
            Leg::Out => 1.0,
            _ => segment.attack.return_risk_factor,
        };
        let p = attack_probability(segment.risk, self.cond.risk_multiplier[si], factor);
        if u[0] < p {
            let loss_p = segment.attack.loss_fraction
                * if escorted {
                    self.s.escorts.loss_factor
                } else {
                    1.0
                };
            let lost = binomial_inverse(trucks, loss_p.min(1.0), u[1]);
            self.attack(si, lost, cv.leg != Leg::Back, t, cal);
            let survivors = trucks - lost;
            self.convoys[c as usize].trucks = survivors;
            if survivors == 0 {
                self.release_escort(c, t, cal);
                self.free_convoy(c);
                return;
            }
            if cv.leg == Leg::Out && segment.attack.on_attack == OnAttack::TurnBack {
                self.release_escort(c, t, cal);
                let cvm = &mut self.convoys[c as usize];
                cvm.leg = Leg::TurnBack;
                // Back over the segments already crossed: next-1 .. 0 (not this one).
                cal.schedule_in(0.0, Event::Move(c));
                return;
            }
        }
        let dt = sample_transit(segment.transit, u[2], u[3]);
        let cvm = &mut self.convoys[c as usize];
        match cvm.leg {
            Leg::Out => cvm.next += 1,
            _ => cvm.next -= 1,
        }
        cal.schedule_in(dt, Event::Move(c));
    }

    /// Books an attack on segment `si` that cost `lost` trucks (with fuel if `loaded`), and
    /// suspends the segment.
    fn attack(&mut self, si: usize, lost: u32, loaded: bool, t: f64, cal: &mut Calendar<Event>) {
        let day = (t.floor() as usize).min(self.layout.days - 1);
        let seg = &self.s.segments[si];
        self.rec.attacks[day] += 1.0;
        self.rec.trucks_lost[day] += f64::from(lost);
        self.fleet -= lost;
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
        let mut stockout = false;
        for d in 0..self.stock.len() {
            let Some(depot) = self.s.depot(self.layout.depots[d]) else {
                continue;
            };
            // 1. The day's airlift, capped by free space.
            let air = self.airlift_rate[d].min(self.free_space(d));
            self.stock[d] += air;
            self.rec.ledger.airlifted += air;
            self.rec.airlifted[k] += air;
            // 2. Days of supply against today's demand.
            let factor = self.demand_factor[d];
            let total: f64 = depot.demand_litres_per_day() * factor;
            let dos = if total > 0.0 {
                self.stock[d] / total
            } else {
                f64::INFINITY
            };
            let rationing = dos < depot.rationing.trigger_days;
            // 3. Hand out in priority order.
            let mut remaining = self.stock[d];
            let first_class = self
                .layout
                .classes
                .iter()
                .position(|(dd, _)| *dd == d)
                .unwrap_or(0);
            for (j, class) in depot.demand.iter().enumerate() {
                let i = first_class + j;
                let dem = class.litres_per_day * factor;
                let req = if rationing && class.priority > depot.rationing.protected_priority {
                    dem * depot.rationing.ration_fraction
                } else {
                    dem
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
                self.rec.demand[i * days + k] = dem;
                self.rec.served[i * days + k] = served;
                self.rec.rationed[i * days + k] = dem - req;
                let short = req - served;
                self.rec.stockout[i * days + k] = short;
                if short > 1e-9 * req.max(1.0) {
                    stockout = true;
                }
                self.rec.ledger.served += served;
            }
            self.stock[d] = remaining;
            // 4. Trucks waiting for room unload, first come first served, booked to day k.
            while let Some(&c) = self.depot_queue[d].front() {
                self.unload(c, d, k, cal);
                if self.convoys[c as usize].leg == Leg::Out && self.convoys[c as usize].trucks > 0 {
                    break;
                }
                self.depot_queue[d].pop_front();
            }
            self.rec.stock[d * days + k] = self.stock[d];
        }
        self.rec.stockout_day[k] = stockout;
        if stockout && self.rec.first_stockout.is_none() {
            self.rec.first_stockout = Some(day);
        }
        self.rec.fleet[k] = f64::from(self.fleet);
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

/// Splits `trucks` across sources in proportion to `supply` (largest remainder; ties to
/// the earlier source). With no supply anywhere, all trucks go to the first source.
fn split_fleet(trucks: u32, supply: &[f64]) -> Vec<u32> {
    let total: f64 = supply.iter().sum();
    if supply.is_empty() {
        return Vec::new();
    }
    if total <= 0.0 {
        let mut v = vec![0; supply.len()];
        v[0] = trucks;
        return v;
    }
    let exact: Vec<f64> = supply
        .iter()
        .map(|s| f64::from(trucks) * s / total)
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut left = trucks - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..supply.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor())
            .total_cmp(&(exact[*a] - exact[*a].floor()))
            .then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_fleet;

    #[test]
    fn fleet_split_is_proportional_with_largest_remainder() {
        assert_eq!(split_fleet(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(split_fleet(100, &[3.0, 1.0]), [75, 25]);
        assert_eq!(split_fleet(5, &[0.0, 0.0]), [5, 0]);
        assert_eq!(split_fleet(7, &[2.0, 0.0, 5.0]), [2, 0, 5]);
        assert_eq!(split_fleet(0, &[1.0]), [0]);
    }
}
