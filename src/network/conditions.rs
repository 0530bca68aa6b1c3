//! The state of the network at an instant.

use crate::scenario::{NodeKind, Scenario};

/// The state of the network at an instant: what is open, risk multipliers, supply, and the
/// scarce resources the dispatch plan must respect (the fleet at each source, escort units).
///
/// Built from the scenario's events by [`Conditions::at_day`], or by the simulation, which
/// also closes segments after attacks and counts the trucks it has left. Indexed by
/// `SegmentId` and `NodeId`.
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
    /// Per node: tankers based at a source (0 for other nodes).
    pub fleet_trucks: Vec<f64>,
    /// Escort units available.
    pub escort_units: f64,
}

impl Conditions {
    /// Everything open, multipliers 1, each source at its baseline supply with its share of
    /// the fleet, `escorts.units` escorts. Events are ignored, even those active at day 0.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::Conditions;
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let c = Conditions::baseline(&s);
    /// assert!(c.open.iter().all(|&o| o));
    /// assert_eq!(c.supply_trucks_per_day[0], 2_500_000.0 / 46_000.0);
    /// assert_eq!(c.fleet_trucks[0], 400.0);
    /// ```
    pub fn baseline(s: &Scenario) -> Conditions {
        let supply = s
            .nodes
            .iter()
            .map(|n| match n.kind {
                NodeKind::Source {
                    supply_litres_per_day,
                    ..
                } => supply_litres_per_day / s.fleet.truck_litres,
                _ => 0.0,
            })
            .collect();
        let mut fleet = vec![0.0; s.nodes.len()];
        for ((id, _), n) in s.sources().zip(s.fleet_by_source()) {
            fleet[id.index()] = f64::from(n);
        }
        Conditions {
            open: vec![true; s.segments.len()],
            risk_multiplier: vec![1.0; s.segments.len()],
            supply_trucks_per_day: supply,
            fleet_trucks: fleet,
            escort_units: f64::from(s.escorts.units),
        }
    }

    /// The baseline with every event active at `day` applied (`day <= t < until`), as
    /// [`Scenario::effects`] defines them: closures, risk multipliers, supply factors and
    /// escort units. The fleet is the baseline fleet (no losses).
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
        c.apply(&s.effects(|i| s.events[i].active_at(day)));
        c
    }

    /// Sets multipliers, closures, supply and escort units from `e` (on top of the
    /// baseline supply, which `self` must hold).
    fn apply(&mut self, e: &crate::scenario::Effects) {
        for (i, open) in self.open.iter_mut().enumerate() {
            *open = !e.closed[i];
        }
        self.risk_multiplier.clone_from(&e.risk_multiplier);
        for (sup, f) in self.supply_trucks_per_day.iter_mut().zip(&e.supply_factor) {
            *sup *= f;
        }
        self.escort_units = f64::from(e.escort_units);
    }
}
