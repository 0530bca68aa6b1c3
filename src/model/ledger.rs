//! The fuel ledger: the conservation law of docs/model.md section 6, checked in every
//! replication.
//!
//! `initial stock + loaded at sources + airlifted = final stock + served + destroyed +
//! seized + fuel in trucks at the horizon`. Airlifted includes one-off deliveries, counting
//! only what the depot could take.

use thiserror::Error;

/// Running totals of fuel, in litres.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ledger {
    /// Depot stock at day 0.
    pub initial_stock: f64,
    /// Loaded into tankers at sources.
    pub loaded: f64,
    /// Flown or delivered into depots (accepted part only).
    pub airlifted: f64,
    /// Depot stock at the horizon.
    pub final_stock: f64,
    /// Handed out to demand classes.
    pub served: f64,
    /// Burned with lost tankers.
    pub destroyed: f64,
    /// Captured with lost tankers.
    pub seized: f64,
    /// Still in tankers at the horizon (on the road, waiting, or turned back).
    pub in_trucks: f64,
}

/// The ledger does not balance: a bug in the model, never a result.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[error(
    "fuel is not conserved in replication {replication}: inflow {inflow:.3} L, outflow and stocks {outflow:.3} L, \
     imbalance {imbalance:.6} L; this is a bug in blockade, please report it with the scenario"
)]
pub struct ConservationError {
    /// Replication index.
    pub replication: u64,
    /// `initial + loaded + airlifted`.
    pub inflow: f64,
    /// `final + served + destroyed + seized + in_trucks`.
    pub outflow: f64,
    /// `inflow - outflow`.
    pub imbalance: f64,
}

impl Ledger {
    /// `initial + loaded + airlifted`.
    pub fn inflow(&self) -> f64 {
        self.initial_stock + self.loaded + self.airlifted
    }

    /// `final + served + destroyed + seized + in_trucks`.
    pub fn outflow(&self) -> f64 {
        self.final_stock + self.served + self.destroyed + self.seized + self.in_trucks
    }

    /// Adds `other`'s totals to these (for averaging ledgers).
    pub fn add(&mut self, other: &Ledger) {
        self.initial_stock += other.initial_stock;
        self.loaded += other.loaded;
        self.airlifted += other.airlifted;
        self.final_stock += other.final_stock;
        self.served += other.served;
        self.destroyed += other.destroyed;
        self.seized += other.seized;
        self.in_trucks += other.in_trucks;
    }

    /// Every total divided by `n`.
    pub fn divided_by(&self, n: f64) -> Ledger {
        Ledger {
            initial_stock: self.initial_stock / n,
            loaded: self.loaded / n,
            airlifted: self.airlifted / n,
            final_stock: self.final_stock / n,
            served: self.served / n,
            destroyed: self.destroyed / n,
            seized: self.seized / n,
            in_trucks: self.in_trucks / n,
        }
    }

    /// Checks the balance to `1e-9` relative (of the larger side, at least 1 L).
    ///
    /// # Errors
    /// [`ConservationError`] naming the replication and the imbalance.
    pub fn check(&self, replication: u64) -> Result<(), ConservationError> {
        let (inflow, outflow) = (self.inflow(), self.outflow());
        let imbalance = inflow - outflow;
        let ok = imbalance.abs() <= 1e-9 * inflow.abs().max(outflow.abs()).max(1.0);
        if ok {
            Ok(())
        } else {
            Err(ConservationError {
                replication,
                inflow,
                outflow,
                imbalance,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balanced_books_pass_and_a_missing_litre_fails() {
        let mut l = Ledger {
            initial_stock: 100.0,
            loaded: 50.0,
            airlifted: 10.0,
            final_stock: 60.0,
            served: 70.0,
            destroyed: 15.0,
            seized: 5.0,
            in_trucks: 10.0,
        };
        assert!(l.check(0).is_ok());
        l.served -= 1.0;
        let e = l.check(7).unwrap_err();
        assert_eq!(e.replication, 7);
        assert!((e.imbalance - 1.0).abs() < 1e-12);
        assert!(e.to_string().contains("replication 7"));
    }
}
