//! Escorts: a convoy that wants one takes a free unit or queues for one; a unit is free
//! again once it has driven back.

use super::{ConvoyId, SimEvent, World, schedule};
use crate::engine::{Calendar, Class};
use crate::scenario::EscortPolicy;

impl World<'_> {
    /// escort rule: a convoy that wants an escort takes a free one; if none is free it waits
    /// in the FIFO escort queue when escorts are required, else it goes alone.
    pub(super) fn send_off(&mut self, c: ConvoyId, t: f64, at: f64, cal: &mut Calendar<SimEvent>) {
        let cv = self.convoys[c];
        if cv.wants_escort && !cv.escorted {
            if self.escorts_total - self.escorts_in_use > 0 {
                self.take_escort(c, t);
            } else if self.s.escorts.policy == EscortPolicy::Required {
                self.escort_queue.push_back(c);
                return;
            }
        }
        schedule(cal, at.max(t), Class::Normal, SimEvent::Move(c));
    }

    pub(super) fn take_escort(&mut self, c: ConvoyId, t: f64) {
        self.escorts_in_use += 1;
        let cv = &mut self.convoys[c];
        cv.escorted = true;
        cv.departed = t;
    }

    /// The escort of convoy `c` has finished its loaded leg at `t` (arrival, turn-back or
    /// the loss of the convoy). It is free again after driving back alone, as long as the
    /// leg's driving took (waits at gates and closures excluded); with `turnaround_days` set, at `departure + turnaround_days`
    /// or now, whichever is later: an escort never protects two convoys at once.
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

    pub(super) fn serve_escort_queue(&mut self, t: f64, cal: &mut Calendar<SimEvent>) {
        while self.escorts_total - self.escorts_in_use > 0 {
            let Some(c) = self.escort_queue.pop_front() else {
                break;
            };
            self.take_escort(c, t);
            cal.schedule_in(0.0, SimEvent::Move(c));
        }
    }
}
