//! Escorts: the [`EscortPool`] of units (a SimPy-style resource with a FIFO queue), and
//! the model's escort rule: a convoy that wants an escort takes a free unit or queues for
//! one; a unit is free again once it has driven back.

use std::collections::VecDeque;

use super::{ConvoyId, SimEvent, World, schedule};
use crate::engine::{Calendar, Class};
use crate::scenario::EscortPolicy;

/// The escort units: how many exist now (events change it), how many are busy, and the
/// convoys waiting for one, first come first served. Units in use may exceed the units
/// when an event takes units away; none is taken until enough are back.
#[derive(Debug)]
pub(super) struct EscortPool {
    units: i64,
    in_use: i64,
    queue: VecDeque<ConvoyId>,
}

impl EscortPool {
    /// `units` units, all free, nobody waiting.
    pub(super) fn new(units: u32) -> EscortPool {
        EscortPool {
            units: i64::from(units),
            in_use: 0,
            queue: VecDeque::new(),
        }
    }

    /// Sets the number of units; returns whether it changed.
    pub(super) fn set_units(&mut self, units: u32) -> bool {
        let before = self.units;
        self.units = i64::from(units);
        self.units != before
    }

    /// Takes a unit if one is free; returns whether it did.
    #[inline]
    pub(super) fn take(&mut self) -> bool {
        if self.units - self.in_use > 0 {
            self.in_use += 1;
            true
        } else {
            false
        }
    }

    /// A unit is back.
    #[inline]
    pub(super) fn release(&mut self) {
        self.in_use -= 1;
    }

    /// Convoy `c` waits for a unit, behind those already waiting.
    pub(super) fn wait(&mut self, c: ConvoyId) {
        self.queue.push_back(c);
    }

    /// The first waiting convoy, with a unit taken for it, if a unit is free.
    #[inline]
    pub(super) fn next_waiting(&mut self) -> Option<ConvoyId> {
        if self.units - self.in_use > 0 {
            let c = self.queue.pop_front()?;
            self.in_use += 1;
            Some(c)
        } else {
            None
        }
    }

    /// The units that exist now.
    pub(super) fn units(&self) -> i64 {
        self.units
    }

    /// The units busy (escorting, or driving back).
    pub(super) fn in_use(&self) -> i64 {
        self.in_use
    }

    /// The convoys waiting for a unit, first first.
    pub(super) fn queue(&self) -> impl Iterator<Item = ConvoyId> + '_ {
        self.queue.iter().copied()
    }

    /// How many convoys wait for a unit.
    pub(super) fn queued(&self) -> usize {
        self.queue.len()
    }
}

impl World<'_> {
    /// Sends convoy `c` on at time `t` (moving at `at`, which may be later), applying the
    /// escort rule: a convoy that wants an escort takes a free one; if none is free it waits
    /// in the FIFO escort queue when escorts are required, else it goes alone.
    pub(super) fn send_off(&mut self, c: ConvoyId, t: f64, at: f64, cal: &mut Calendar<SimEvent>) {
        let cv = self.convoys[c];
        if cv.wants_escort && !cv.escorted {
            if self.escorts.take() {
                self.join_escort(c, t);
            } else if self.s.escorts.policy == EscortPolicy::Required {
                self.escorts.wait(c);
                return;
            }
        }
        schedule(cal, at.max(t), Class::Normal, SimEvent::Move(c));
    }

    /// A unit taken for convoy `c` joins it at `t`.
    fn join_escort(&mut self, c: ConvoyId, t: f64) {
        let cv = &mut self.convoys[c];
        cv.escorted = true;
        cv.departed = t;
    }

    /// The escort of convoy `c` has finished its loaded leg at `t` (arrival, turn-back or
    /// the loss of the convoy). It is free again after driving back alone, as long as the
    /// leg's driving took (waits at gates and closures excluded); with `turnaround_days`
    /// set, at `departure + turnaround_days` or now, whichever is later: an escort never
    /// protects two convoys at once.
    pub(super) fn release_escort(&mut self, c: ConvoyId, t: f64, cal: &mut Calendar<SimEvent>) {
        let cv = &mut self.convoys[c];
        if !cv.escorted {
            return;
        }
        cv.escorted = false;
        let free_at = match self.s.escorts.turnaround_days {
            Some(d) => (cv.departed + d).max(t),
            None => t + cv.driven,
        };
        schedule(cal, free_at, Class::Normal, SimEvent::EscortFree);
    }

    /// Free units go to the waiting convoys, first come first served; each leaves now.
    pub(super) fn serve_escort_queue(&mut self, t: f64, cal: &mut Calendar<SimEvent>) {
        while let Some(c) = self.escorts.next_waiting() {
            self.join_escort(c, t);
            cal.schedule_in(0.0, SimEvent::Move(c));
        }
    }
}
