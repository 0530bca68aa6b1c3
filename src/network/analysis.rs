//! The static analysis of docs/model.md section 4 in one value: what `blockade network` prints
//! and what the report's network section shows.

use super::{Conditions, Criticality, MaxFlow, Network, Plan, WorstClosure};
use crate::scenario::{NodeId, Scenario, SegmentId};

/// Maximum flow into one depot against its demand.
#[derive(Debug, Clone, PartialEq)]
pub struct DepotFlow {
    /// The depot.
    pub depot: NodeId,
    /// Maximum flow into this depot alone, trucks per day.
    pub trucks_per_day: f64,
    /// The same in litres per day.
    pub litres_per_day: f64,
    /// Demand of its classes on that day (with demand factors), litres per day.
    pub demand_litres_per_day: f64,
}

/// Everything the static analysis finds, under one set of conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowReport {
    /// The day whose events were applied, if any.
    pub at_day: Option<f64>,
    /// Litres per truck, to convert.
    pub truck_litres: f64,
    /// Maximum flow from all sources to all depots, trucks per day.
    pub max_flow_trucks_per_day: f64,
    /// Per depot.
    pub depots: Vec<DepotFlow>,
    /// Total demand on that day, litres per day.
    pub demand_litres_per_day: f64,
    /// Segments of the minimum cut, sorted.
    pub min_cut: Vec<SegmentId>,
    /// Sources whose supply limit is part of the minimum cut.
    pub source_limited: Vec<NodeId>,
    /// Flow per segment in one maximum flow, trucks per day.
    pub segment_flow: Vec<f64>,
    /// Every segment's criticality, most critical first.
    pub criticality: Vec<Criticality>,
    /// Worst-case interdiction for k = 1..=budget.
    pub interdiction: Vec<WorstClosure>,
    /// The dispatch plan: the exact optimum of the plan's linear programme
    /// ([`Network::plan`](crate::network::Network::plan)).
    pub plan: Plan,
    /// Expected litres per day arriving under the plan (each route keeps its survival share).
    pub risk_adjusted_litres_per_day: f64,
    /// Which segments are closed under these conditions.
    pub closed: Vec<SegmentId>,
}

impl FlowReport {
    /// Maximum flow in litres per day.
    pub fn max_flow_litres_per_day(&self) -> f64 {
        self.max_flow_trucks_per_day * self.truck_litres
    }

    /// Maximum flow minus demand, litres per day.
    pub fn margin_litres_per_day(&self) -> f64 {
        self.max_flow_litres_per_day() - self.demand_litres_per_day
    }

    /// The maximum flow part of the report.
    pub fn max_flow(&self) -> MaxFlow {
        MaxFlow {
            trucks_per_day: self.max_flow_trucks_per_day,
            segment_flow: self.segment_flow.clone(),
            min_cut: self.min_cut.clone(),
            source_limited: self.source_limited.clone(),
        }
    }

    /// Maximum flow as a share of demand (infinite with no demand).
    pub fn coverage(&self) -> f64 {
        if self.demand_litres_per_day > 0.0 {
            self.max_flow_litres_per_day() / self.demand_litres_per_day
        } else {
            f64::INFINITY
        }
    }
}

/// Total demand of depot `d` on day `day` (baseline times active demand factors, as
/// [`Scenario::effects`] defines them).
pub fn depot_demand_at(s: &Scenario, depot: NodeId, day: Option<f64>) -> f64 {
    let Some(d) = s.depot(depot) else { return 0.0 };
    let factor = match day {
        Some(t) => s.effects(|i| s.events[i].active_at(t)).demand_factor[depot.index()],
        None => 1.0,
    };
    d.demand_litres_per_day() * factor
}

impl Network {
    /// Runs the whole static analysis of `s` under conditions `c` (those of `at_day` if
    /// given), with worst-case interdiction up to `budget` segments.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// Dominated by [`Network::interdiction`] (bounded by its work limit) and
    /// [`Network::criticality`] (one max flow per segment).
    pub fn analyse(
        &self,
        s: &Scenario,
        c: &Conditions,
        budget: usize,
        at_day: Option<f64>,
    ) -> FlowReport {
        let mf = self.max_flow(c);
        let tl = s.fleet.truck_litres;
        let depots: Vec<DepotFlow> = s
            .depots()
            .map(|(id, _)| {
                let t = self.max_flow_to(c, id);
                DepotFlow {
                    depot: id,
                    trucks_per_day: t,
                    litres_per_day: t * tl,
                    demand_litres_per_day: depot_demand_at(s, id, at_day),
                }
            })
            .collect();
        let plan = self.plan(c);
        let risk_adjusted = plan.expected_arrivals_trucks_per_day() * tl;
        FlowReport {
            at_day,
            truck_litres: tl,
            max_flow_trucks_per_day: mf.trucks_per_day,
            demand_litres_per_day: depots.iter().map(|d| d.demand_litres_per_day).sum(),
            depots,
            min_cut: mf.min_cut,
            source_limited: mf.source_limited,
            segment_flow: mf.segment_flow,
            criticality: self.criticality(c),
            interdiction: if budget > 0 {
                self.interdiction(c, budget)
            } else {
                Vec::new()
            },
            plan,
            risk_adjusted_litres_per_day: risk_adjusted,
            closed: c
                .open
                .iter()
                .enumerate()
                .filter(|(_, o)| !**o)
                .map(|(i, _)| SegmentId(i as u32))
                .collect(),
        }
    }
}
