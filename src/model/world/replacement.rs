//! The replacement of lost trucks at their source.

use super::{World, floor};

impl World<'_> {
    /// Operators replace lost tankers at `fleet.replacement_per_day` a day per source, never
    /// above the source's fleet at day 0; new trucks start empty at the source.
    pub(super) fn replace_trucks(&mut self) {
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
            let whole = (floor(self.replacement_credit[k]) as u64).min(u64::from(missing)) as u32;
            self.replacement_credit[k] -= f64::from(whole);
            self.fleet_by_source[k] += whole;
            self.empty_at_source[k] += whole;
            self.fleet += whole;
        }
    }
}
