//! The timeline: scenario events starting and ending, the quantities they drive
//! (risk, closures, supply, demand, airlift, escort units), and segments opening and
//! closing.

use super::{SimEvent, World, floor};
use crate::engine::Calendar;
use crate::model::Series;
use crate::scenario::Effect;

impl World<'_> {
    pub(super) fn toggle(&mut self, i: usize, on: bool, t: f64, cal: &mut Calendar<SimEvent>) {
        self.event_active[i] = on;
        let e = &self.s.events[i];
        if let (true, Effect::Delivery { depot, litres }) = (on, &e.effect) {
            if let Some(d) = self.depot_of_node[depot.index()] {
                let day = (floor(t) as usize).min(self.layout.days - 1);
                let accepted = self.depots[d.index()].put_capped(*litres);
                self.rec.ledger.airlifted += accepted;
                self.rec[Series::Airlifted][day] += accepted;
            }
            return;
        }
        if let (true, Effect::ProtectedReserve { depot, litres }) = (on, &e.effect) {
            // Held apart from the working stock: not capped by free space.
            if let Some(d) = self.depot_of_node[depot.index()] {
                let day = (floor(t) as usize).min(self.layout.days - 1);
                self.reserve[d.index()] += litres;
                self.rec.ledger.airlifted += litres;
                self.rec[Series::Airlifted][day] += litres;
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
        if self.recompute_factors() {
            self.request_replan(cal);
        }
        // Closures may have flipped.
        for seg in 0..self.seg.len() {
            self.refresh_open(seg, t, cal);
        }
        self.serve_escort_queue(t, cal);
    }

    /// Recomputes every event-driven quantity from the set of active events, as
    /// [`crate::scenario::Scenario::effects`] defines them. Returns whether the number of
    /// escort units changed.
    pub(super) fn recompute_factors(&mut self) -> bool {
        let s = self.s;
        let mut fx = std::mem::take(&mut self.effects);
        s.effects_into(|i| self.event_active[i], &mut fx);
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
        self.cond.escort_units = f64::from(fx.escort_units);
        for (k, (_, supply)) in s.sources().enumerate() {
            self.cond.supply_trucks_per_day[self.layout.sources[k].index()] =
                supply * self.supply_factor[k] / self.tl;
        }
        let changed = self.escorts.set_units(fx.escort_units);
        self.effects = fx;
        changed
    }

    /// Schedules a replan at this instant unless one is already pending.
    pub(super) fn request_replan(&mut self, cal: &mut Calendar<SimEvent>) {
        if !self.replan_pending {
            self.replan_pending = true;
            cal.schedule_in(0.0, SimEvent::Replan);
        }
    }

    /// Sets a segment's open state from closures and suspension; on a flip, schedules a
    /// replan and releases waiting convoys.
    #[inline]
    pub(super) fn refresh_open(&mut self, seg: usize, t: f64, cal: &mut Calendar<SimEvent>) {
        let st = &self.seg[seg];
        let open = !st.closed_by_events && t >= st.suspended_until;
        if open != self.cond.open[seg] {
            self.flip_open(seg, open, cal);
        }
    }

    /// [`World::refresh_open`] when the segment's open state changes to `open`.
    #[inline(never)]
    fn flip_open(&mut self, seg: usize, open: bool, cal: &mut Calendar<SimEvent>) {
        let st = &mut self.seg[seg];
        self.cond.open[seg] = open;
        if open {
            for c in st.waiting.drain(..) {
                cal.schedule_in(0.0, SimEvent::Move(c));
            }
        }
        self.request_replan(cal);
    }
}
