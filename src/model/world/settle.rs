//! The daily settle (airlift, rationing, hand-out in priority order, queued unloads)
//! and the census of where every truck is.

use super::{Leg, SimEvent, World, schedule};
use crate::engine::{Calendar, Class};
use crate::model::{ClassId, Series};
use crate::scenario::DepotId;

impl World<'_> {
    pub(super) fn settle(&mut self, day: u32, cal: &mut Calendar<SimEvent>) {
        let k = day as usize;
        let days = self.layout.days;
        let (mut any_dry, mut any_rationing) = (false, false);
        for d in 0..self.depots.len() {
            let Some(depot) = self.s.depot(self.layout.depots[d]) else {
                continue;
            };
            // 1. The day's airlift, capped by free space.
            let air = self.depots[d].put_capped(self.airlift_rate[d]);
            self.rec.ledger.airlifted += air;
            self.rec[Series::Airlifted][k] += air;
            // 2. Days of supply against today's baseline.
            let factor = self.demand_factor[d];
            let total: f64 = depot.demand_litres_per_day() * factor;
            let dos = if total > 0.0 {
                self.depots[d].stock / total
            } else {
                f64::INFINITY
            };
            let rationing = dos < depot.rationing.trigger_days;
            // 3. Hand out in priority order; a class short of its request makes a dry day.
            let mut remaining = self.depots[d].stock;
            let mut dry = false;
            let first_class = self
                .layout
                .classes
                .iter()
                .position(|(dd, _)| dd.index() == d)
                .unwrap_or(0);
            for (j, class) in depot.demand.iter().enumerate() {
                let i = ClassId((first_class + j) as u32);
                let baseline = class.litres_per_day * factor;
                let req = if rationing && !depot.is_protected(class) {
                    baseline * depot.rationing.ration_fraction
                } else {
                    baseline
                };
                let mut served = req.min(remaining);
                remaining -= served;
                // The protected reserve: only protected classes, only once the ordinary
                // stock is exhausted.
                if served < req && depot.is_protected(class) {
                    let extra = (req - served).min(self.reserve[d]);
                    self.reserve[d] -= extra;
                    served += extra;
                }
                *self.rec.at_mut(Series::Demand, i, k) = baseline;
                *self.rec.at_mut(Series::Requested, i, k) = req;
                *self.rec.at_mut(Series::Served, i, k) = served;
                // 4. Unmet = baseline - served = rationed + dry.
                *self.rec.at_mut(Series::Rationed, i, k) = baseline - req;
                let short = req - served;
                *self.rec.at_mut(Series::Dry, i, k) = short;
                if short > crate::model::DRY_TOLERANCE * req.max(1.0) {
                    dry = true;
                }
                self.rec.ledger.served += served;
            }
            self.depots[d].stock = remaining;
            self.rec.rationing_day[d * days + k] = rationing;
            self.rec.dry_day[d * days + k] = dry;
            any_dry |= dry;
            any_rationing |= rationing;
            // 5. Trucks waiting for room unload, first come first served, booked to day k.
            self.unload_queue(DepotId(d as u32), k, cal);
            *self.rec.at_mut(Series::Stock, DepotId(d as u32), k) = self.depots[d].stock;
        }
        if any_dry && self.rec.first_dry.is_none() {
            self.rec.first_dry = Some(day);
        }
        if any_rationing && self.rec.first_rationing.is_none() {
            self.rec.first_rationing = Some(day);
        }
        self.replace_trucks();
        self.rec[Series::Fleet][k] = f64::from(self.fleet);
        self.census(k);
        if k + 1 >= days {
            self.done = true;
        } else {
            schedule(
                cal,
                f64::from(day + 2),
                Class::Settle,
                SimEvent::Settle(day + 1),
            );
        }
    }

    /// Counts, at the settle of day `k`, where every truck of the fleet is
    /// ([`TruckState`]), the escort units busy and in service, and the convoys queued for
    /// an escort. Trucks gathered at the source for an escorted departure wait for an
    /// escort too. A convoy's state is decided in this order: in the escort queue, held in
    /// front of a closure, in a depot's unloading queue, held at a capacity gate, else
    /// moving (loaded or empty by its leg). The counts add up to the fleet.
    pub(super) fn census(&mut self, k: usize) {
        use crate::model::TruckState as T;
        // Free convoy slots hold no truck (`free_convoy` empties them), so they count 0.
        // The states are written in the world's buffer, kept from one census to the next.
        let mut state = std::mem::take(&mut self.census_state);
        state.clear();
        state.extend(
            self.convoys
                .all()
                .map(|cv| cv.held_at_gate.then_some(T::WaitingAtGateOrClosure)),
        );
        for depot in &self.depots {
            for c in depot.queue() {
                state[c.index()] = Some(T::WaitingToUnload);
            }
        }
        for g in &self.seg {
            for c in &g.waiting {
                state[c.index()] = Some(T::WaitingAtGateOrClosure);
            }
        }
        for c in self.escorts.queue() {
            state[c.index()] = Some(T::WaitingForEscort);
        }
        let mut counts = [0u64; 6];
        for (c, cv) in self.convoys.all().enumerate() {
            let st = state[c].unwrap_or(match cv.leg {
                Leg::Back => T::ReturningEmpty,
                Leg::Out | Leg::TurnBack => T::LoadedOnRoad,
            });
            counts[st as usize] += u64::from(cv.trucks);
        }
        self.census_state = state;
        // Trucks loaded and gathered at the source for a route's next escorted departure.
        counts[T::WaitingForEscort as usize] +=
            self.active.iter().map(|a| u64::from(a.staged)).sum::<u64>();
        counts[T::IdleAtSource as usize] += self
            .empty_at_source
            .iter()
            .chain(&self.loaded_at_source)
            .map(|x| u64::from(*x))
            .sum::<u64>();
        for (st, v) in T::ALL.into_iter().zip(counts) {
            *self.rec.at_mut(Series::FleetState, st, k) = v as f64;
        }
        self.rec[Series::EscortsInUse][k] = self.escorts.in_use() as f64;
        self.rec[Series::EscortUnits][k] = self.escorts.units() as f64;
        self.rec[Series::ConvoysWaitingForEscort][k] = self.escorts.queued() as f64;
    }
}
