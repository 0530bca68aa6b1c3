//! Planning and departures: the replan (and the plan it puts in force), the convoy
//! departures of each tick, the loading of trucks at the sources, and the warm start.

use std::sync::Arc;

use super::{
    Active, Convoy, ConvoyId, FLEET_STEP, Leg, RouteInfo, SimEvent, WaitNumber, World, floor,
};
use crate::engine::Calendar;
use crate::model::PlanCache;
use crate::network::Plan;
use crate::scenario::{DepotId, NodeId, SegmentId, SourceId};

impl World<'_> {
    pub(super) fn replan(&mut self, t: f64, cache: &mut PlanCache) {
        self.replan_pending = false;
        self.rec.replans += 1;
        // The plan sees each source's fleet in steps of `FLEET_STEP` of its fleet at day 0, rounded
        // down, so that plans repeat across replications and the cache serves them.
        for (k, id) in self.layout.sources.iter().enumerate() {
            let step = (FLEET_STEP * f64::from(self.fleet_at_start[k]))
                .ceil()
                .max(1.0);
            let have = f64::from(self.fleet_by_source[k]);
            self.cond.fleet_trucks[id.index()] = floor(have / step) * step;
        }
        self.fleet_planned.clone_from(&self.fleet_by_source);
        let plan: Arc<Plan> = cache.plan(self.net, &self.cond);
        // The previous routes move to a scratch buffer (kept between replans, so no
        // allocation once warm); a route that stays keeps its credit and its escorted
        // departure time; a route new to the plan keeps the rhythm of its last escorted
        // departure (`first_escorted`).
        std::mem::swap(&mut self.active, &mut self.previous_active);
        self.active.clear();
        // The routes of the plan in force (`previous_active` is in their order) have their
        // ids already: a route found among them is not looked up again.
        let in_force = self.plan.take();
        for r in &plan.routes {
            let known = in_force.as_deref().and_then(|p| {
                let j = p.routes.iter().position(|q| q.segments == r.segments)?;
                Some(self.previous_active[j].route)
            });
            let id = match known {
                Some(id) => id,
                None => self.intern(&r.segments, r.source, r.depot),
            };
            debug_assert_eq!(self.route_index.get(&r.segments[..]), Some(&id));
            let before = self.previous_active.iter().find(|a| a.route == id).copied();
            let escort_period = if r.escorted && r.escorted_convoys_per_day > 0.0 {
                1.0 / r.escorted_convoys_per_day
            } else {
                0.0
            };
            let next_escorted = match before {
                Some(a) => a.next_escorted.min(t + escort_period),
                None => self.first_escorted(id, t, escort_period),
            };
            self.active.push(Active {
                route: id,
                quota: r.trucks_per_day,
                credit: before.map_or(0.0, |a| a.credit),
                attack_probability: r.attack_probability,
                escort_period,
                next_escorted,
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
                self.loaded_at_source[src.index()] += a.staged;
            }
        }
        self.plan = Some(plan);
    }

    /// When route `route`, (re)entering the plan at `t` with escorted convoys every
    /// `period` days, sends its next one: a period after its last escorted departure, not
    /// before `t`; from `t` if it never sent one, once its first convoy is gathered
    /// ([`World::first_convoy_ready`]). A corridor keeps its convoy rhythm when a
    /// replan drops it and takes it back (a closure, a suspension after an attack), so
    /// the escorts the plan budgets for are the escorts its convoys use.
    fn first_escorted(&self, route: u32, t: f64, period: f64) -> f64 {
        match self.routes[route as usize].escort_clock {
            Some(last) if period > 0.0 => (last + period).max(t),
            _ => t,
        }
    }

    /// Whether active route `a` may send an escorted convoy at `t` as far as its first
    /// convoy goes: a route that never sent one waits until it has gathered one period's
    /// trucks (`quota x period`, at most `escorts.max_convoy`) or, at the latest, until a
    /// period after it entered the plan. Every escorted convoy then carries the trucks
    /// accumulated for it over a period, as the plan's escort budget assumes; otherwise a
    /// small route's first convoy leaves with its first truck and holds an escort for a
    /// whole cycle (docs/model-notes.md, "The dispatch plan"). Later convoys leave every
    /// period with what they have.
    fn first_convoy_ready(&self, a: usize, t: f64) -> bool {
        let act = &self.active[a];
        if self.routes[act.route as usize].escort_clock.is_some() {
            return true;
        }
        let size = (act.quota * act.escort_period + 1e-9)
            .floor()
            .clamp(1.0, f64::from(self.s.escorts.max_convoy));
        // Until its first departure a route's `next_escorted` is the time it entered.
        f64::from(act.staged) >= size || t + 1e-9 >= act.next_escorted + act.escort_period
    }

    /// A source's fleet has shrunk by more than 10 % since the last plan: replan.
    pub(super) fn check_fleet(&mut self, src: SourceId, cal: &mut Calendar<SimEvent>) {
        let k = src.index();
        if f64::from(self.fleet_by_source[k]) < 0.9 * f64::from(self.fleet_planned[k]) {
            self.request_replan(cal);
        }
    }

    pub(super) fn intern(&mut self, segments: &[SegmentId], source: NodeId, depot: NodeId) -> u32 {
        if let Some(id) = self.route_index.get(segments) {
            return *id;
        }
        let id = self.routes.len() as u32;
        self.routes.push(RouteInfo {
            segments: segments.to_vec(),
            source: self.source_of_node[source.index()].unwrap_or(SourceId(0)),
            depot: self.depot_of_node[depot.index()].unwrap_or(DepotId(0)),
            planned: 0.0,
            dispatched: 0.0,
            escort_clock: None,
        });
        self.route_index.insert(segments.to_vec(), id);
        id
    }

    pub(super) fn tick(&mut self, t: f64, cal: &mut Calendar<SimEvent>) {
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
            let want = floor(credit + 1e-9);
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
                // An escorted convoy leaves at the departure tick nearest its due time
                // (the earlier on a tie). Waiting for the first tick at or after it would
                // turn a period just over the tick interval into two intervals.
                if t + 1e-9 + 0.5 * interval < next_escorted
                    || self.active[a].staged == 0
                    || !self.first_convoy_ready(a, t)
                {
                    continue;
                }
                // The rhythm runs from the first convoy's departure, which may be later than
                // the route's entry into the plan (`first_convoy_ready`).
                let next = match self.routes[route as usize].escort_clock {
                    Some(_) => next_escorted + escort_period,
                    None => t + escort_period,
                };
                self.active[a].next_escorted = if next < t { t + escort_period } else { next };
                self.routes[route as usize].escort_clock = Some(t);
                std::mem::take(&mut self.active[a].staged)
            } else {
                let want = (want as u64).min(u64::from(self.s.dispatch.max_convoy)) as u32;
                self.load_trucks(src, want)
            };
            if trucks == 0 {
                continue;
            }
            self.routes[route as usize].dispatched += f64::from(trucks);
            let c = self.convoys.alloc(Convoy {
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
                wait: WaitNumber::NONE,
            });
            self.send_off(c, t, t, cal);
        }
    }

    /// Takes up to `want` loaded trucks at source `src`: those already loaded first, then
    /// empty ones loaded from the supply accrued. Returns how many.
    pub(super) fn load_trucks(&mut self, src: SourceId, want: u32) -> u32 {
        let src = src.index();
        if want == 0 {
            return 0;
        }
        let from_loaded = want.min(self.loaded_at_source[src]);
        self.loaded_at_source[src] -= from_loaded;
        let loadable = self.whole_truckloads(self.supply_credit[src]) as u64;
        let fresh = (want - from_loaded)
            .min(self.empty_at_source[src])
            .min(loadable.min(u64::from(u32::MAX)) as u32);
        self.empty_at_source[src] -= fresh;
        self.supply_credit[src] -= self.litres_of(fresh);
        self.rec.ledger.loaded += self.litres_of(fresh);
        from_loaded + fresh
    }

    /// Places the loaded convoys the first plan would have on the road at day 0: on each
    /// route, one convoy per departure interval over the last mean loaded-trip time, each
    /// on the segment it would have reached (mean transit times), with the quota's trucks.
    /// Their fuel was loaded before day 0 and is booked as loaded. Trucks come from the
    /// route's source and run out there.
    pub(super) fn warm_start(&mut self, cal: &mut Calendar<SimEvent>) {
        let interval = self.s.dispatch.convoy_interval_days;
        let mut placed: Vec<(ConvoyId, usize, f64)> = Vec::new();
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
                let want = floor(credit);
                credit -= want;
                let n = (want.min(f64::from(self.s.dispatch.max_convoy)) as u32)
                    .min(self.empty_at_source[src.index()]);
                if n == 0 {
                    continue;
                }
                // The segment it is on: the first whose end is after `elapsed`.
                let k = ends
                    .iter()
                    .position(|e| *e > elapsed)
                    .unwrap_or(ends.len() - 1);
                self.empty_at_source[src.index()] -= n;
                self.rec.ledger.loaded += self.litres_of(n);
                let c = self.convoys.alloc(Convoy {
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
                    wait: WaitNumber::NONE,
                });
                placed.push((c, k, ends[k] - elapsed));
            }
        }
        // Each placed convoy faces the hazard of the rest of the segment it is on (the
        // share of the segment's mean transit still to drive), drawn from that segment's
        // stream like an entry; the blockade's first days burn tankers already on the road.
        for (c, k, left) in placed {
            let route = self.convoys[c].route as usize;
            let si = self.routes[route].segments[k].index();
            let mean = self.s.segments[si].transit.mean();
            let exposure = if mean > 0.0 {
                (left / mean).min(1.0)
            } else {
                0.0
            };
            let u = self.entry_draws(si);
            if self.interdict(c, si, exposure, u, 0.0, cal) {
                cal.schedule_in(left, SimEvent::Move(c));
            }
        }
    }
}
