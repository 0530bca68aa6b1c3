//! Depots: the [`Depot`] state (stock, free space, and the convoys queued to unload: a
//! SimPy-style container with a FIFO queue), arrivals, unloading into free space (the
//! rest queues until the settle makes room), and the empty trucks' return to their source.

use std::collections::VecDeque;

use super::{Convoy, ConvoyId, Leg, SimEvent, World, floor};
use crate::engine::Calendar;
use crate::model::Series;
use crate::scenario::DepotId;

/// One depot's state: its stock against its capacity, and the convoys waiting to unload
/// (first come first served).
#[derive(Debug, Clone)]
pub(super) struct Depot {
    capacity: f64,
    /// Litres in the working stock (the protected reserve is held apart).
    pub(super) stock: f64,
    queue: VecDeque<ConvoyId>,
}

impl Depot {
    /// A depot of `capacity` litres holding `stock`, nobody waiting.
    pub(super) fn new(capacity: f64, stock: f64) -> Depot {
        Depot {
            capacity,
            stock,
            queue: VecDeque::new(),
        }
    }

    /// Litres of room left (0 when over capacity).
    #[inline]
    pub(super) fn free_space(&self) -> f64 {
        (self.capacity - self.stock).max(0.0)
    }

    /// Puts in as much of `litres` as there is room for; returns how much went in.
    pub(super) fn put_capped(&mut self, litres: f64) -> f64 {
        let accepted = litres.min(self.free_space());
        self.stock += accepted;
        accepted
    }

    /// Convoy `c` waits to unload, behind those already waiting.
    pub(super) fn wait(&mut self, c: ConvoyId) {
        self.queue.push_back(c);
    }

    /// The convoys waiting to unload, first first.
    pub(super) fn queue(&self) -> impl Iterator<Item = ConvoyId> + '_ {
        self.queue.iter().copied()
    }
}

impl World<'_> {
    pub(super) fn arrive_at_depot(&mut self, c: ConvoyId, t: f64, cal: &mut Calendar<SimEvent>) {
        self.release_escort(c, t, cal);
        let d = self.routes[self.convoys[c].route as usize].depot;
        if self.convoys[c].leg == Leg::Out && self.convoys[c].trucks > 0 {
            let day = (floor(t) as usize).min(self.layout.days - 1);
            self.rec.depot_convoys[d.index() * self.layout.days + day] += 1.0;
        }
        if self.depots[d.index()].queue.is_empty() {
            self.unload(c, d, floor(t) as usize, cal);
            if self.convoys[c].leg == Leg::Out && self.convoys[c].trucks > 0 {
                self.depots[d.index()].wait(c);
            }
        } else {
            self.depots[d.index()].wait(c);
        }
    }

    /// The convoys waiting at depot `d` unload, first come first served, as long as there
    /// is room; the deliveries are booked to day `day`.
    pub(super) fn unload_queue(&mut self, d: DepotId, day: usize, cal: &mut Calendar<SimEvent>) {
        while let Some(&c) = self.depots[d.index()].queue.front() {
            self.unload(c, d, day, cal);
            if self.convoys[c].leg == Leg::Out && self.convoys[c].trucks > 0 {
                break;
            }
            self.depots[d.index()].queue.pop_front();
        }
    }

    /// Unloads as many whole trucks of convoy `c` as depot `d` has room for; the unloaded
    /// trucks start back empty. Leaves the convoy with the trucks still loaded.
    /// `day` is the day the delivery is booked to: that of `t`, or during the settle at
    /// `t = k + 1`, the day `k` being settled.
    pub(super) fn unload(
        &mut self,
        c: ConvoyId,
        d: DepotId,
        day: usize,
        cal: &mut Calendar<SimEvent>,
    ) {
        let d = d.index();
        let cv = self.convoys[c];
        let room = self.whole_truckloads(self.depots[d].free_space());
        let n = (f64::from(cv.trucks)).min(room) as u32;
        if n == 0 {
            return;
        }
        let litres = self.litres_of(n);
        self.depots[d].stock += litres;
        let day = day.min(self.layout.days - 1);
        let src = self.routes[cv.route as usize].source;
        *self.rec.at_mut(Series::Delivered, src, day) += litres;
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
            Leg::TurnBack => self.loaded_at_source[src.index()] += cv.trucks,
            _ => self.empty_at_source[src.index()] += cv.trucks,
        }
        self.convoys.free(c);
    }
}
