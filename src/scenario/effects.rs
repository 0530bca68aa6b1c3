//! What the scenario's events do while they are active: the one meaning of every
//! [`Effect`], shared by the simulation (`model`), the network analysis at a day
//! (`network::Conditions::at_day`) and the report.
//!
//! A new effect is added here once; every reader goes through [`Scenario::effects`], so
//! `network --at-day` and the simulation cannot disagree on what an event means.
//! One-off effects (`Delivery`, `Attack`, `ProtectedReserve`) happen at their start and
//! change no state here.

use super::{Effect, Scenario};

/// The combined state of a set of active events. Indexed by segment (`SegmentId`) and by
/// node (`NodeId`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    /// Per segment: product of the factors of active `RiskMultiplier` events (1 if none).
    pub risk_multiplier: Vec<f64>,
    /// Per segment: closed by an active `Close` event.
    pub closed: Vec<bool>,
    /// Per node: product of the active `SupplyFactor`s of a source (1 if none).
    pub supply_factor: Vec<f64>,
    /// Per node: product of the active `DemandFactor`s that reach a depot (1 if none).
    pub demand_factor: Vec<f64>,
    /// Per node: litres per day flown into a depot by active `Airlift`s.
    pub airlift_litres_per_day: Vec<f64>,
    /// Escort units: those of the active `EscortUnits` event that started last (latest
    /// day, then latest in the file), else `escorts.units`.
    pub escort_units: u32,
}

impl Scenario {
    /// The effects of the events for which `active(i)` holds (`i` indexes `self.events`).
    ///
    /// # Complexity
    /// **O(|events| x |targets| + |V| + |E|)**.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let north = s.segment_by_id("KAY-BKO").unwrap();
    /// let on_day = |t: f64| s.effects(|i| s.events[i].active_at(t));
    /// assert_eq!(on_day(1.0).risk_multiplier[north.index()], 1.0);
    /// assert_eq!(on_day(2.0).risk_multiplier[north.index()], 6.0);
    /// assert_eq!(on_day(10.0).escort_units, 4);
    /// ```
    pub fn effects(&self, active: impl Fn(usize) -> bool) -> Effects {
        let mut out = Effects::default();
        self.effects_into(active, &mut out);
        out
    }

    /// [`Scenario::effects`] written into `out`, whatever it held, reusing its vectors (the
    /// simulation recomputes the effects at every start and end of an event).
    pub fn effects_into(&self, active: impl Fn(usize) -> bool, out: &mut Effects) {
        let reset = |v: &mut Vec<f64>, n: usize, x: f64| {
            v.clear();
            v.resize(n, x);
        };
        reset(&mut out.risk_multiplier, self.segments.len(), 1.0);
        out.closed.clear();
        out.closed.resize(self.segments.len(), false);
        reset(&mut out.supply_factor, self.nodes.len(), 1.0);
        reset(&mut out.demand_factor, self.nodes.len(), 1.0);
        reset(&mut out.airlift_litres_per_day, self.nodes.len(), 0.0);
        out.escort_units = self.escorts.units;
        let mut escorts_from: Option<(f64, usize)> = None;
        for (i, e) in self.events.iter().enumerate() {
            if !active(i) {
                continue;
            }
            match &e.effect {
                Effect::RiskMultiplier { targets, factor } => {
                    for t in &targets.resolved {
                        out.risk_multiplier[t.index()] *= factor;
                    }
                }
                Effect::Close { targets } => {
                    for t in &targets.resolved {
                        out.closed[t.index()] = true;
                    }
                }
                Effect::SupplyFactor { source, factor } => {
                    out.supply_factor[source.index()] *= factor;
                }
                Effect::EscortUnits(n) => {
                    if escorts_from.is_none_or(|(d, _)| e.day >= d) {
                        escorts_from = Some((e.day, i));
                        out.escort_units = *n;
                    }
                }
                Effect::DemandFactor { depot, factor } => match depot {
                    Some(d) => out.demand_factor[d.index()] *= factor,
                    None => {
                        for (id, _) in self.depots() {
                            out.demand_factor[id.index()] *= factor;
                        }
                    }
                },
                Effect::Airlift {
                    depot,
                    litres_per_day,
                } => out.airlift_litres_per_day[depot.index()] += litres_per_day,
                Effect::Delivery { .. }
                | Effect::Attack { .. }
                | Effect::ProtectedReserve { .. } => {}
            }
        }
    }
}
