//! The state of the network at an instant.

use crate::scenario::{Effect, NodeKind, Scenario};

/// The state of the network at an instant: what is open, risk multipliers, supply.
///
/// Built from the scenario's events by [`Conditions::at_day`], or by the simulation, which
/// also closes segments after attacks. Indexed by `SegmentId` and `NodeId`.
#[derive(Debug, Clone, PartialEq)]
pub struct Conditions {
    /// Per segment: open (`false` means capacity 0).
    pub open: Vec<bool>,
    /// Per segment: the product of the factors of active `RiskMultiplier` events (1.0 at
    /// baseline, >= 0).
    pub risk_multiplier: Vec<f64>,
    /// Per node: loaded trucks per day available at a source (`supply_litres_per_day` x
    /// active supply factors / `truck_litres`); 0 for other nodes.
    pub supply_trucks_per_day: Vec<f64>,
}

impl Conditions {
    /// Everything open, multipliers 1, each source at its baseline supply. Events are
    /// ignored, even those active at day 0.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::Conditions;
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let c = Conditions::baseline(&s);
    /// assert!(c.open.iter().all(|&o| o));
    /// assert_eq!(c.supply_trucks_per_day[0], 2_500_000.0 / 46_000.0);
    /// ```
    pub fn baseline(s: &Scenario) -> Conditions {
        let supply = s
            .nodes
            .iter()
            .map(|n| match n.kind {
                NodeKind::Source {
                    supply_litres_per_day,
                } => supply_litres_per_day / s.fleet.truck_litres,
                _ => 0.0,
            })
            .collect();
        Conditions {
            open: vec![true; s.segments.len()],
            risk_multiplier: vec![1.0; s.segments.len()],
            supply_trucks_per_day: supply,
        }
    }

    /// The baseline with every event active at `day` applied (`day <= t < until`):
    /// `Close` closes its targets, `RiskMultiplier` multiplies theirs, `SupplyFactor`
    /// multiplies a source's supply. Other effects do not concern the network.
    ///
    /// # Complexity
    /// **O(|events| x |targets| + |V| + |E|)**.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::Conditions;
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// // The tutorial declares a blockade of the northern road (x6) on day 2.
    /// let north = s.segment_by_id("KAY-BKO").unwrap();
    /// assert_eq!(Conditions::at_day(&s, 1.0).risk_multiplier[north.index()], 1.0);
    /// assert_eq!(Conditions::at_day(&s, 2.0).risk_multiplier[north.index()], 6.0);
    /// ```
    pub fn at_day(s: &Scenario, day: f64) -> Conditions {
        let mut c = Conditions::baseline(s);
        for e in s.events.iter().filter(|e| e.active_at(day)) {
            match &e.effect {
                Effect::Close { targets } => {
                    for t in &targets.resolved {
                        c.open[t.index()] = false;
                    }
                }
                Effect::RiskMultiplier { targets, factor } => {
                    for t in &targets.resolved {
                        c.risk_multiplier[t.index()] *= factor;
                    }
                }
                Effect::SupplyFactor { source, factor } => {
                    c.supply_trucks_per_day[source.index()] *= factor;
                }
                Effect::EscortUnits(_)
                | Effect::DemandFactor { .. }
                | Effect::Airlift { .. }
                | Effect::Delivery { .. }
                | Effect::ProtectedReserve { .. } => {}
            }
        }
        c
    }
}
