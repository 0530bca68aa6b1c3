//! Movement: a convoy stands at the entry of its next segment; closed? -> wait (and
//! reroute after a while); the capacity gate; the attack; on to the segment's end.

use rand::RngExt;

use super::{Convoy, ConvoyId, Leg, SimEvent, WaitNumber, World, floor, sample_transit, schedule};
use crate::engine::{Calendar, Class};
use crate::model::Series;
use crate::model::hazard::binomial_inverse;
use crate::model::reroute;
use crate::scenario::{NodeId, OnAttack, SegmentId, SourceId};

impl World<'_> {
    /// Convoy `c` stands at the entry of its next segment (or at the end of its trip):
    /// arrived? → closed? → the capacity gate → the attack → on to the segment's end.
    pub(super) fn step(&mut self, c: ConvoyId, t: f64, cal: &mut Calendar<SimEvent>) {
        self.convoys[c].held_at_gate = false;
        if self.at_trip_end(&self.convoys[c]) {
            return self.arrive(c, t, cal);
        }
        let si = self.next_segment(&self.convoys[c]).index();
        if !self.cond.open[si] {
            return self.wait_at_closure(c, si, t, cal);
        }
        if self.convoys[c].leg == Leg::Out && !self.gate(c, si, t, cal) {
            return;
        }
        let u = self.entry_draws(si);
        if !self.interdict(c, si, 1.0, u, t, cal) {
            return;
        }
        self.advance(c, si, u, cal);
    }

    /// Whether convoy `cv` is at the end of its trip: loaded at its depot, or empty (or
    /// turned back) at its source.
    #[inline]
    fn at_trip_end(&self, cv: &Convoy) -> bool {
        match cv.leg {
            Leg::Out => cv.next as usize >= self.routes[cv.route as usize].segments.len(),
            Leg::Back | Leg::TurnBack => cv.next == 0,
        }
    }

    /// Convoy `c` has reached the end of its trip (see [`World::at_trip_end`]).
    fn arrive(&mut self, c: ConvoyId, t: f64, cal: &mut Calendar<SimEvent>) {
        match self.convoys[c].leg {
            Leg::Out => self.arrive_at_depot(c, t, cal),
            Leg::Back | Leg::TurnBack => self.arrive_at_source(c),
        }
    }

    /// The four numbers every entry into segment `si` takes from the segment's stream,
    /// attacked or not: attack, losses, transit time, and a spare for log-normal times.
    #[inline]
    pub(super) fn entry_draws(&mut self, si: usize) -> [f64; 4] {
        let rng = &mut self.rngs[si];
        [rng.random(), rng.random(), rng.random(), rng.random()]
    }

    /// Convoy `c`, through the entry of segment `si`, drives along it (transit time drawn
    /// from `u`) and stands at the next entry when it is done.
    #[inline]
    fn advance(&mut self, c: ConvoyId, si: usize, u: [f64; 4], cal: &mut Calendar<SimEvent>) {
        let dt = sample_transit(self.s.segments[si].transit, u[2], u[3]);
        let cv = &mut self.convoys[c];
        match cv.leg {
            Leg::Out => {
                cv.next += 1;
                cv.driven += dt;
            }
            Leg::Back | Leg::TurnBack => cv.next -= 1,
        }
        cal.schedule_in(dt, SimEvent::Move(c));
    }

    /// The segment convoy `cv` enters next.
    pub(super) fn next_segment(&self, cv: &Convoy) -> SegmentId {
        let segs = &self.routes[cv.route as usize].segments;
        match cv.leg {
            Leg::Out => segs[cv.next as usize],
            _ => segs[cv.next as usize - 1],
        }
    }

    /// The node where convoy `cv` stands (the entry of its next segment).
    pub(super) fn node_of(&self, cv: &Convoy) -> NodeId {
        let g = &self.s.segments[self.next_segment(cv).index()];
        match cv.leg {
            Leg::Out => g.from,
            _ => g.to,
        }
    }

    /// Convoy `c` waits at closed segment `si` until it reopens, and asks to reroute after
    /// `dispatch.reroute_after_days`.
    pub(super) fn wait_at_closure(
        &mut self,
        c: ConvoyId,
        si: usize,
        t: f64,
        cal: &mut Calendar<SimEvent>,
    ) {
        self.seg[si].waiting.push(c);
        self.waits = self.waits.next();
        self.convoys[c].wait = self.waits;
        let at = t + self.s.dispatch.reroute_after_days;
        if at < self.horizon {
            schedule(cal, at, Class::Normal, SimEvent::Reroute(c, self.waits));
        }
    }

    /// Convoy `c` has waited at a closure since its wait number `wait`: it takes the best
    /// open route from where it stands — loaded to a depot, empty (or turned back) to its
    /// source — or waits on, asking again after another `reroute_after_days`.
    pub(super) fn reroute(
        &mut self,
        c: ConvoyId,
        wait: WaitNumber,
        t: f64,
        cal: &mut Calendar<SimEvent>,
    ) {
        let cv = self.convoys[c];
        if cv.trucks == 0 || cv.wait != wait || self.at_trip_end(&cv) {
            return;
        }
        let si = self.next_segment(&cv).index();
        let Some(pos) = self.seg[si].waiting.iter().position(|&w| w == c) else {
            return;
        };
        let here = self.node_of(&cv);
        let info = &self.routes[cv.route as usize];
        let source_node = self.layout.sources[info.source.index()];
        let toward = match cv.leg {
            Leg::Out => reroute::Toward::AnyDepot,
            _ => reroute::Toward::Source(source_node),
        };
        let found = match cv.leg {
            Leg::Out => self.plan_suffix_from(here),
            _ => None,
        }
        .or_else(|| {
            let s = self.s;
            let adjacency = self
                .adjacency
                .get_or_insert_with(|| reroute::Adjacency::new(s));
            reroute::best_open_path(s, &self.cond, adjacency, &mut self.search, here, toward)
        });
        let Some(path) = found else {
            self.waits = self.waits.next();
            self.convoys[c].wait = self.waits;
            let at = t + self.s.dispatch.reroute_after_days;
            if at < self.horizon {
                schedule(cal, at, Class::Normal, SimEvent::Reroute(c, self.waits));
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
                let depot = self.layout.depots[info.depot.index()];
                let n = path.len() as u32;
                (path, n, depot)
            }
        };
        let id = self.intern(&segments, source_node, depot);
        let cvm = &mut self.convoys[c];
        cvm.route = id;
        cvm.next = next;
        cal.schedule_in(0.0, SimEvent::Move(c));
    }

    /// The open rest, from `here`, of the plan route with the best survival (then least
    /// transit) that passes through `here`.
    pub(super) fn plan_suffix_from(&self, here: NodeId) -> Option<Vec<SegmentId>> {
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
    pub(super) fn gate(
        &mut self,
        c: ConvoyId,
        si: usize,
        t: f64,
        cal: &mut Calendar<SimEvent>,
    ) -> bool {
        let cv = self.convoys[c];
        let trucks = cv.trucks;
        let day = floor(t) as i64;
        let cap = self.s.segments[si].capacity_trucks_per_day;
        let g = &mut self.seg[si];
        if g.gate_day != day {
            g.gate_day = day;
            g.gate_used = 0.0;
        }
        let allowance =
            (floor((day + 1) as f64 * cap) - floor(day as f64 * cap) - g.gate_used).max(0.0);
        let need = trucks - cv.gate_passed;
        let next_day = (day + 1) as f64;
        let mut entering = trucks;
        if allowance < f64::from(need) && cv.escorted {
            // An escorted convoy stays together: today's allowance passes, the convoy
            // waits with its escort until the last truck is through.
            g.gate_used += allowance;
            self.convoys[c].gate_passed += allowance as u32;
            self.convoys[c].held_at_gate = true;
            schedule(cal, next_day, Class::Normal, SimEvent::Move(c));
            return false;
        }
        if allowance < f64::from(need) {
            let enter = allowance as u32;
            if enter == 0 {
                self.convoys[c].held_at_gate = true;
                schedule(cal, next_day, Class::Normal, SimEvent::Move(c));
                return false;
            }
            // An unescorted convoy splits: the rest waits for the next day and keeps
            // its claim to an escort.
            let rest = self.convoys.alloc(Convoy {
                trucks: trucks - enter,
                gate_passed: 0,
                held_at_gate: true,
                ..cv
            });
            self.send_off(rest, t, next_day, cal);
            self.convoys[c].trucks = enter;
            entering = enter;
            self.seg[si].gate_used += f64::from(enter);
        } else {
            self.seg[si].gate_used += f64::from(need);
        }
        self.convoys[c].gate_passed = 0;
        let st = &mut self.rec.segments[si];
        st.convoys += 1.0;
        st.trucks += f64::from(entering);
        true
    }

    /// Convoy `c` enters segment `si` (for the share `exposure` of its length): draws the
    /// random attack from `u`, then applies a documented attack waiting for the first
    /// loaded convoy. Returns whether the convoy drives on along the segment; if not, it
    /// is gone or turned back (and has been dealt with).
    pub(super) fn interdict(
        &mut self,
        c: ConvoyId,
        si: usize,
        exposure: f64,
        u: [f64; 4],
        t: f64,
        cal: &mut Calendar<SimEvent>,
    ) -> bool {
        let cv = self.convoys[c];
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
        self.convoys[c].trucks = survivors;
        if survivors == 0 {
            self.release_escort(c, t, cal);
            self.convoys.free(c);
            return false;
        }
        if cv.leg == Leg::Out && segment.attack.on_attack == OnAttack::TurnBack {
            self.release_escort(c, t, cal);
            // Back over the segments already crossed: next-1 .. 0 (not this one).
            self.convoys[c].leg = Leg::TurnBack;
            cal.schedule_in(0.0, SimEvent::Move(c));
            return false;
        }
        true
    }

    /// Books an attack on segment `si` that cost `lost` trucks based at source `src` (with
    /// fuel if `loaded`), and suspends the segment.
    pub(super) fn attack(
        &mut self,
        si: usize,
        lost: u32,
        loaded: bool,
        src: SourceId,
        t: f64,
        cal: &mut Calendar<SimEvent>,
    ) {
        let day = (floor(t) as usize).min(self.layout.days - 1);
        let seg = &self.s.segments[si];
        self.rec[Series::Attacks][day] += 1.0;
        self.rec[Series::TrucksLost][day] += f64::from(lost);
        self.fleet -= lost;
        self.fleet_by_source[src.index()] -= lost;
        self.check_fleet(src, cal);
        self.rec.attack_log.push(crate::model::AttackEntry {
            day: day as u32,
            segment: SegmentId(si as u32),
            trucks_lost: lost,
            loaded,
        });
        let fuel = self.litres_of(lost);
        let st = &mut self.rec.segments[si];
        st.attacks += 1.0;
        st.trucks_lost += f64::from(lost);
        if loaded && lost > 0 {
            let seized = fuel * seg.attack.seized_share;
            let destroyed = fuel - seized;
            self.rec.ledger.seized += seized;
            self.rec.ledger.destroyed += destroyed;
            st.fuel_lost += fuel;
            st.fuel_seized += seized;
            self.rec[Series::FuelSeized][day] += seized;
            self.rec[Series::FuelDestroyed][day] += destroyed;
        }
        let until = t + seg.attack.suspend_days;
        if seg.attack.suspend_days > 0.0 && until > self.seg[si].suspended_until {
            self.seg[si].suspended_until = until;
            if until < self.horizon {
                schedule(
                    cal,
                    until,
                    Class::Normal,
                    SimEvent::Reopen(SegmentId(si as u32)),
                );
            }
            self.refresh_open(si, t, cal);
        }
    }
}
