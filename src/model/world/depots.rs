//! Depots: arrivals, unloading into free space (the rest queues until the settle makes
//! room), and the empty trucks' return to their source.

use super::{Convoy, ConvoyId, Leg, SimEvent, World};
use crate::engine::Calendar;

impl World<'_> {
    pub(super) fn free_space(&self, d: usize) -> f64 {
        let cap = self
            .s
            .depot(self.layout.depots[d])
            .map_or(0.0, |x| x.capacity_litres);
        (cap - self.stock[d]).max(0.0)
    }

    pub(super) fn arrive_at_depot(&mut self, c: ConvoyId, t: f64, cal: &mut Calendar<SimEvent>) {
        self.release_escort(c, t, cal);
        let d = self.routes[self.convoys[c].route as usize].depot;
        if self.convoys[c].leg == Leg::Out && self.convoys[c].trucks > 0 {
            let day = (t.floor() as usize).min(self.layout.days - 1);
            self.rec.depot_convoys[d * self.layout.days + day] += 1.0;
        }
        if self.depot_queue[d].is_empty() {
            self.unload(c, d, t.floor() as usize, cal);
            if self.convoys[c].leg == Leg::Out && self.convoys[c].trucks > 0 {
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
    pub(super) fn unload(
        &mut self,
        c: ConvoyId,
        d: usize,
        day: usize,
        cal: &mut Calendar<SimEvent>,
    ) {
        let cv = self.convoys[c];
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
            self.convoys[c] = back;
            c
        } else {
            self.convoys[c].trucks -= n;
            self.convoys.alloc(back)
        };
        cal.schedule_in(0.0, SimEvent::Move(b));
    }

    pub(super) fn arrive_at_source(&mut self, c: ConvoyId) {
        let cv = self.convoys[c];
        let src = self.routes[cv.route as usize].source;
        match cv.leg {
            Leg::TurnBack => self.loaded_at_source[src] += cv.trucks,
            _ => self.empty_at_source[src] += cv.trucks,
        }
        self.convoys.free(c);
    }
}
