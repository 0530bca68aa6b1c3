//! Flow analysis of the road network: maximum flow, minimum cut, criticality, worst-case
//! interdiction and the dispatch plan (docs/model.md §4, §5 "Dispatch plan", §9).
//!
//! This module owns the capacitated graph built from a [`Scenario`]: every node of the
//! scenario, plus a super-source feeding every source (capped at its supply) and a
//! super-sink fed by every depot (uncapped). Edge `i < segments.len()` of the graph is
//! segment `i`, so per-edge results index straight into `SegmentId`s.
//!
//! Code map:
//! - [`Conditions`] (`conditions.rs`): what is open, risk multipliers and supply at an
//!   instant, from the scenario's events or set by the simulation.
//! - `flow.rs`: [`Network::max_flow`], [`Network::max_flow_to`], [`Network::criticality`],
//!   on [`petgraph::algo::dinics`], and the minimum cut read from the residual graph.
//! - `interdiction.rs`: [`Network::interdiction`], exact branch and bound, then
//!   `interdiction_mip.rs` (Wood's mixed-integer program) when it runs out of work, with a
//!   labelled heuristic beyond a size limit.
//! - `plan.rs`: [`Network::plan`], the dispatch plan: a lexicographic linear programme over
//!   candidate routes that respects road capacity, supply, the fleet and escort units.
//!
//! Invariants:
//! - No I/O, no randomness, no dependence on `engine`. Every result is a deterministic
//!   function of `(Scenario, Conditions)`: ties are broken by index, never by hash order.
//! - Flow arithmetic is exact. Capacities and supplies are rounded to a power-of-two grid
//!   fine enough that every capacity sum fits the 53-bit mantissa (the grid is
//!   `2^(ceil(log2 total) - 50)` trucks/day, where `total` is what can flow: the smaller of
//!   the total supply and the total road capacity; for a network of a few thousand
//!   trucks/day, about 1e-12 trucks/day). Every sum
//!   and difference of flows is then exact in `f64`, so "saturated" means equal, the max
//!   flow equals the min-cut capacity to the last bit of the grid, and no tolerance is needed.
//! - Once a `Network` exists, no call panics for conditions built by
//!   [`Conditions::baseline`] or [`Conditions::at_day`] of the same scenario.
//!
//! ```
//! use std::path::Path;
//! use blockade::network::{Conditions, Network};
//!
//! let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
//! let net = Network::build(&s);
//! let c = Conditions::baseline(&s);
//! // Dakar loads 2,500,000 L/day = 54.3 trucks; the roads could take 190 trucks/day.
//! let f = net.max_flow(&c);
//! assert!((f.trucks_per_day - 2_500_000.0 / 46_000.0).abs() < 1e-9);
//! assert_eq!(f.source_limited, vec![s.node_by_id("DKR").unwrap()]);
//! ```

mod analysis;
mod conditions;
mod flow;
mod interdiction;
mod interdiction_mip;
mod lp;
mod plan;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::scenario::{EscortPolicy, NodeId, NodeKind, Scenario, SegmentId};

pub use analysis::{DepotFlow, FlowReport, depot_demand_at};
pub use conditions::Conditions;
pub use interdiction::{EXACT_WORK_LIMIT, WorstClosure};
pub use interdiction_mip::MIP_MAX_CLASSES;
pub use plan::{
    MAX_ROUTES_PER_SOURCE, Plan, PlanStart, Route, attack_probability, attack_probability_at_rate,
    hazard_rate, loss_cost,
};

/// The capacitated graph of a scenario, built once and queried under varying
/// [`Conditions`].
///
/// Nodes: the scenario's nodes (graph node `i` is `NodeId(i)`), then a super-source and a
/// super-sink. Edges, in this order: one per segment (edge `i` is `SegmentId(i)`), one from
/// the super-source to each source (in node order), one from each depot to the super-sink
/// (in node order). Capacities are filled per query from the conditions.
#[derive(Debug, Clone)]
pub struct Network {
    /// The graph with all weights 0; cloned and weighted per query.
    graph: DiGraph<(), f64>,
    super_source: NodeIndex,
    super_sink: NodeIndex,
    nodes: usize,
    segments: Vec<SegmentData>,
    /// Source nodes, in node order; supply edge of `sources[j]` is `segments.len() + j`.
    sources: Vec<NodeId>,
    /// Depot nodes, in node order; sink edge of `depots[j]` is `segments.len() + sources.len() + j`.
    depots: Vec<NodeId>,
    /// Per node: the index into `depots`, if it is a depot.
    depot_slot: Vec<Option<usize>>,
    /// Per depot (in `depots` order): the baseline demand of its protected classes, in
    /// truckloads a day, which the plan first covers by routes that need no escort.
    protected_trucks_per_day: Vec<f64>,
    /// What the dispatch plan takes from the scenario besides the graph.
    plan_params: plan::PlanParams,
    /// The plan's candidate routes: every simple source-to-depot path, as
    /// `(source slot, segment indices)` (see `plan::simple_paths`).
    paths: Vec<(usize, Vec<usize>)>,
    /// Whether a source had more simple paths than `MAX_ROUTES_PER_SOURCE`.
    paths_capped: bool,
}

/// What the analyses need of a segment.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SegmentData {
    from: NodeId,
    to: NodeId,
    capacity: f64,
    risk: f64,
    /// `plan::hazard_rate(risk)`, computed once.
    rate: f64,
    loss_fraction: f64,
    return_risk_factor: f64,
    transit_mean: f64,
    /// The plan's attack probabilities at risk multiplier 1 (the usual case), computed
    /// once: the plan needs them at every solve.
    at_one: plan::Hazards,
}

/// Maximum flow from all sources to all depots, with a minimum cut.
#[derive(Debug, Clone, PartialEq)]
pub struct MaxFlow {
    /// The maximum flow in loaded trucks per day.
    pub trucks_per_day: f64,
    /// Flow on each segment in one maximum flow, indexed by `SegmentId`.
    pub segment_flow: Vec<f64>,
    /// Segments of the minimum cut nearest the sources, sorted. Closed (zero-capacity)
    /// segments are left out: they carry nothing and add nothing to the cut's capacity.
    pub min_cut: Vec<SegmentId>,
    /// Sources whose supply edge is in that cut (supply, not road, is the limit), sorted.
    /// Sources with zero supply are left out, as closed segments are.
    pub source_limited: Vec<NodeId>,
}

/// How much the maximum flow drops when one segment alone is closed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criticality {
    /// The segment.
    pub segment: SegmentId,
    /// Maximum flow without it minus maximum flow with it, trucks per day (>= 0).
    pub drop_trucks_per_day: f64,
    /// Maximum flow with the segment closed, trucks per day.
    pub remaining_trucks_per_day: f64,
}

impl Network {
    /// The attack rate of segment `i`, `-ln(1 - risk)` ([`hazard_rate`]), computed once
    /// when the network is built.
    pub fn hazard_rate(&self, i: usize) -> f64 {
        self.segments[i].rate
    }

    /// Builds the graph of `s`: one node per scenario node, a super-source and a
    /// super-sink, one edge per segment, supply edges and depot edges.
    ///
    /// # Complexity
    /// **O(|V| + |E|)**.
    pub fn build(s: &Scenario) -> Network {
        let nodes = s.nodes.len();
        let mut graph = DiGraph::with_capacity(nodes + 2, s.segments.len() + nodes);
        for _ in 0..nodes {
            graph.add_node(());
        }
        let super_source = graph.add_node(());
        let super_sink = graph.add_node(());
        let plan_params = plan::PlanParams {
            convoy_interval_days: s.dispatch.convoy_interval_days,
            attrition_horizon_days: s.dispatch.attrition_horizon_days,
            escorts_required: s.escorts.policy == EscortPolicy::Required,
            escort_threshold: s.escorts.threshold,
            escort_risk_factor: s.escorts.risk_factor,
            escort_loss_factor: s.escorts.loss_factor,
            escort_max_convoy: s.escorts.max_convoy,
            turnaround_days: s.escorts.turnaround_days,
        };
        let mut segments: Vec<SegmentData> = s
            .segments
            .iter()
            .map(|g| SegmentData {
                from: g.from,
                to: g.to,
                capacity: g.capacity_trucks_per_day,
                risk: g.risk,
                rate: plan::hazard_rate(g.risk),
                loss_fraction: g.attack.loss_fraction,
                return_risk_factor: g.attack.return_risk_factor,
                transit_mean: g.transit.mean(),
                at_one: plan::Hazards::default(),
            })
            .collect();
        // The plan's attack probabilities at multiplier 1 need the rest of the segment.
        for g in &mut segments {
            g.at_one = plan::Hazards::of(g, 1.0, &plan_params);
        }
        for g in &segments {
            graph.add_edge(
                NodeIndex::new(g.from.index()),
                NodeIndex::new(g.to.index()),
                0.0,
            );
        }
        let sources: Vec<NodeId> = s.sources().map(|(id, _)| id).collect();
        let depots: Vec<NodeId> = s.depots().map(|(id, _)| id).collect();
        for &src in &sources {
            graph.add_edge(super_source, NodeIndex::new(src.index()), 0.0);
        }
        let mut depot_slot = vec![None; nodes];
        for (j, &d) in depots.iter().enumerate() {
            graph.add_edge(NodeIndex::new(d.index()), super_sink, 0.0);
            depot_slot[d.index()] = Some(j);
        }
        debug_assert!(
            s.nodes
                .iter()
                .enumerate()
                .all(|(i, n)| matches!(n.kind, NodeKind::Depot(_)) == depot_slot[i].is_some())
        );
        let (paths, paths_capped) = plan::simple_paths(nodes, &segments, &sources, &depot_slot);
        let protected_trucks_per_day = s
            .depots()
            .map(|(_, d)| d.protected_litres_per_day() / s.fleet.truck_litres)
            .collect();
        Network {
            protected_trucks_per_day,
            paths,
            paths_capped,
            graph,
            super_source,
            super_sink,
            nodes,
            segments,
            sources,
            depots,
            depot_slot,
            plan_params,
        }
    }

    /// Number of scenario nodes.
    pub fn node_count(&self) -> usize {
        self.nodes
    }

    /// Number of segments.
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// Graph edge index of the supply edge of the `j`-th source.
    fn supply_edge(&self, j: usize) -> usize {
        self.segments.len() + j
    }

    /// Graph edge index of the sink edge of the `j`-th depot.
    fn sink_edge(&self, j: usize) -> usize {
        self.segments.len() + self.sources.len() + j
    }

    /// Checks that `c` has one entry per segment and per node.
    ///
    /// # Panics
    /// If the lengths do not match this network.
    /// Whether `self` and `other` make the same dispatch plan under the same conditions:
    /// every input of the plan other than the [`Conditions`] (segments, sources, depots,
    /// candidate paths and plan parameters) is equal, bit for bit. Two such networks may
    /// share solved plans ([`crate::model::PlanStore`]).
    pub fn plans_like(&self, other: &Network) -> bool {
        self.nodes == other.nodes
            && self.segments == other.segments
            && self.sources == other.sources
            && self.depots == other.depots
            && self.depot_slot == other.depot_slot
            && self.protected_trucks_per_day == other.protected_trucks_per_day
            && self.plan_params == other.plan_params
            && self.paths == other.paths
            && self.paths_capped == other.paths_capped
    }

    fn check(&self, c: &Conditions) {
        assert_eq!(
            c.open.len(),
            self.segments.len(),
            "conditions: `open` needs one entry per segment"
        );
        assert_eq!(
            c.risk_multiplier.len(),
            self.segments.len(),
            "conditions: `risk_multiplier` needs one entry per segment"
        );
        assert_eq!(
            c.supply_trucks_per_day.len(),
            self.nodes,
            "conditions: `supply_trucks_per_day` needs one entry per node"
        );
    }
}

/// A power-of-two grid on which all flow arithmetic of one query is exact.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Grid {
    step: f64,
    /// A capacity larger than any flow (twice the smallest power of two above the total).
    unbounded: f64,
}

impl Grid {
    /// The grid for capacities summing to `total` (finite, >= 0).
    fn for_total(total: f64) -> Grid {
        let e = total.max(1.0).log2().ceil() as i32;
        Grid {
            step: 2f64.powi(e - 50),
            unbounded: 2f64.powi(e + 1),
        }
    }

    /// `x` rounded to the grid. Non-finite or negative values give 0.
    fn round(&self, x: f64) -> f64 {
        if x.is_finite() && x > 0.0 {
            (x / self.step).round() * self.step
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_sums_are_exact() {
        let g = Grid::for_total(0.1 + 0.2 + 0.3);
        let (a, b, c) = (g.round(0.1), g.round(0.2), g.round(0.3));
        assert_eq!(a + b - b, a);
        assert_eq!(c - (c - a), a);
        assert!((a - 0.1).abs() < 1e-14);
        assert!(g.unbounded > 0.6);
    }

    #[test]
    fn grid_rejects_bad_values() {
        let g = Grid::for_total(10.0);
        assert_eq!(g.round(-1.0), 0.0);
        assert_eq!(g.round(f64::NAN), 0.0);
        assert_eq!(g.round(f64::INFINITY), 0.0);
        assert_eq!(g.round(3.0), 3.0);
    }
}
