//! Maximum flow (petgraph's Dinic), the minimum cut read from the residual graph, and
//! single-segment criticality.

use petgraph::Direction;
use petgraph::algo::dinics;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{Conditions, Criticality, Grid, MaxFlow, Network};
use crate::scenario::{NodeId, SegmentId};

/// The graph of a network weighted for one query.
#[derive(Debug, Clone)]
pub(super) struct Weighted {
    pub(super) graph: DiGraph<(), f64>,
    pub(super) grid: Grid,
}

impl Weighted {
    /// Sets the capacity of graph edge `e`.
    pub(super) fn set(&mut self, e: usize, w: f64) {
        self.graph[EdgeIndex::new(e)] = w;
    }

    /// The capacity of graph edge `e`.
    pub(super) fn get(&self, e: usize) -> f64 {
        self.graph[EdgeIndex::new(e)]
    }
}

impl Network {
    /// The grid of a query, sized by what can actually flow: the smaller of the total
    /// supply and the total road capacity (either bounds every flow). Sized by the supply
    /// alone, a source of 1e15 trucks/day made the grid step 2^-0 and a road of 0.4
    /// trucks/day carried nothing. The road total counts every segment, open or not, so
    /// that queries on one network that close different segments share one grid.
    pub(super) fn grid(&self, c: &Conditions) -> Grid {
        let positive = |x: &f64| x.is_finite() && *x > 0.0;
        let supply: f64 = self
            .sources
            .iter()
            .map(|s| c.supply_trucks_per_day[s.index()])
            .filter(positive)
            .sum();
        let roads: f64 = self
            .segments
            .iter()
            .map(|s| s.capacity)
            .filter(positive)
            .sum();
        Grid::for_total(supply.min(roads))
    }

    /// Capacity of segment `i` under `c`, on `grid`: 0 if closed; never above
    /// `grid.unbounded` (more than any flow, so clamping changes no flow and no cut).
    pub(super) fn segment_capacity(&self, c: &Conditions, grid: &Grid, i: usize) -> f64 {
        if c.open[i] {
            grid.round(self.segments[i].capacity.min(grid.unbounded))
        } else {
            0.0
        }
    }

    /// Supply of the `j`-th source under `c`, on `grid`; never above `grid.unbounded` (a
    /// supply larger than the roads can carry is never the limit, and clamped it keeps
    /// every residual exact on the grid).
    pub(super) fn supply_capacity(&self, c: &Conditions, grid: &Grid, j: usize) -> f64 {
        grid.round(c.supply_trucks_per_day[self.sources[j].index()].min(grid.unbounded))
    }

    /// The graph weighted by `c`.
    ///
    /// # Panics
    /// If `c` does not match this network's sizes.
    pub(super) fn weighted(&self, c: &Conditions) -> Weighted {
        self.check(c);
        let grid = self.grid(c);
        let mut w = Weighted {
            graph: self.graph.clone(),
            grid,
        };
        for i in 0..self.segments.len() {
            let cap = self.segment_capacity(c, &grid, i);
            w.set(i, cap);
        }
        for j in 0..self.sources.len() {
            let cap = self.supply_capacity(c, &grid, j);
            w.set(self.supply_edge(j), cap);
        }
        for j in 0..self.depots.len() {
            w.set(self.sink_edge(j), grid.unbounded);
        }
        w
    }

    /// Max flow on a weighted graph: value and per-edge flows.
    pub(super) fn solve(&self, g: &DiGraph<(), f64>) -> (f64, Vec<f64>) {
        dinics(g, self.super_source, self.super_sink)
    }

    /// Computes the maximum flow from all sources to all depots under `c`, and the minimum
    /// cut nearest the sources.
    ///
    /// Each source is capped at its supply, a closed segment has capacity 0, depots are
    /// uncapped sinks and may be passed through. The cut is read from the residual graph of
    /// the flow: the nodes reachable from the super-source through unsaturated edges are on
    /// one side, and the cut is every edge that leaves that side (all are saturated). Its
    /// capacity equals the flow: segments in [`MaxFlow::min_cut`], supplies in
    /// [`MaxFlow::source_limited`].
    ///
    /// # Arguments
    /// * `c` — conditions with one entry per segment and per node.
    ///
    /// # Returns
    /// The flow value, the flow of each segment, the cut's segments and limiting sources.
    ///
    /// # Panics
    /// If `c` does not have one entry per segment (`open`, `risk_multiplier`) and per node
    /// (`supply_trucks_per_day`).
    ///
    /// # Complexity
    /// * Time complexity: **O(|V|²|E|)** (Dinic, [`petgraph::algo::dinics`]), plus
    ///   **O(|V| + |E|)** for the cut.
    /// * Auxiliary space: **O(|V| + |E|)**.
    ///
    /// where **|V|** is the number of nodes and **|E|** the number of segments.
    ///
    /// # Example
    /// The network of CLRS (figure 26.1), with `s` a source of 100 trucks/day and `t` a depot:
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// use blockade::scenario::load_str;
    ///
    /// let ron = r#"Scenario(name: "clrs", fleet: (trucks: 1, truck_litres: 1000),
    ///   nodes: [
    ///     Source(id: "s", name: "s", supply_litres_per_day: 100_000),
    ///     Waypoint(id: "v1", name: "v1"), Waypoint(id: "v2", name: "v2"),
    ///     Waypoint(id: "v3", name: "v3"), Waypoint(id: "v4", name: "v4"),
    ///     Depot(id: "t", name: "t", capacity_litres: 1, initial_stock_litres: 0,
    ///           demand: [(name: "all", litres_per_day: 1, priority: 1)]),
    ///   ],
    ///   segments: [
    ///     (from: "s", to: "v1", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 16, risk: 0),
    ///     (from: "s", to: "v2", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 13, risk: 0),
    ///     (from: "v1", to: "v2", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 10, risk: 0),
    ///     (from: "v2", to: "v1", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 4, risk: 0),
    ///     (from: "v1", to: "v3", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 12, risk: 0),
    ///     (from: "v3", to: "v2", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
    ///     (from: "v2", to: "v4", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 14, risk: 0),
    ///     (from: "v4", to: "v3", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 7, risk: 0),
    ///     (from: "v3", to: "t", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 20, risk: 0),
    ///     (from: "v4", to: "t", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 4, risk: 0),
    ///   ],
    /// )"#;
    /// let s = load_str(ron, Path::new("clrs.ron")).unwrap().scenario;
    /// let net = Network::build(&s);
    /// let f = net.max_flow(&Conditions::baseline(&s));
    /// assert_eq!(23.0, f.trucks_per_day);
    /// // The cut {s, v1, v2, v4} | {v3, t}: v1->v3 (12) + v4->v3 (7) + v4->t (4) = 23.
    /// let cut: Vec<&str> = f.min_cut.iter().map(|&i| s.segment(i).id.as_str()).collect();
    /// assert_eq!(cut, ["v1-v3", "v4-v3", "v4-t"]);
    /// assert!(f.source_limited.is_empty());
    /// ```
    pub fn max_flow(&self, c: &Conditions) -> MaxFlow {
        let w = self.weighted(c);
        let (value, flows) = self.solve(&w.graph);
        let reach = self.residual_reach(&w.graph, &flows);
        let cut = |e: usize| {
            let (a, b) = w.graph.edge_endpoints(EdgeIndex::new(e)).expect("edge");
            reach[a.index()] && !reach[b.index()] && w.get(e) > 0.0
        };
        let min_cut = (0..self.segments.len())
            .filter(|&i| cut(i))
            .map(|i| SegmentId(i as u32))
            .collect();
        let source_limited = (0..self.sources.len())
            .filter(|&j| cut(self.supply_edge(j)))
            .map(|j| self.sources[j])
            .collect();
        MaxFlow {
            trucks_per_day: value,
            segment_flow: flows[..self.segments.len()].to_vec(),
            min_cut,
            source_limited,
        }
    }

    /// Nodes reachable from the super-source in the residual graph of `flows`.
    fn residual_reach(&self, g: &DiGraph<(), f64>, flows: &[f64]) -> Vec<bool> {
        let mut seen = vec![false; g.node_count()];
        let mut stack = vec![self.super_source];
        seen[self.super_source.index()] = true;
        while let Some(v) = stack.pop() {
            let fwd = g
                .edges_directed(v, Direction::Outgoing)
                .filter(|e| *e.weight() - flows[e.id().index()] > 0.0)
                .map(|e| e.target());
            let back = g
                .edges_directed(v, Direction::Incoming)
                .filter(|e| flows[e.id().index()] > 0.0)
                .map(|e| e.source());
            for u in fwd.chain(back).collect::<Vec<NodeIndex>>() {
                if !seen[u.index()] {
                    seen[u.index()] = true;
                    stack.push(u);
                }
            }
        }
        seen
    }

    /// Computes the maximum flow from all sources to one node, in trucks per day: the
    /// node is the only sink (other depots may still be passed through).
    ///
    /// Meant for a depot, but any node works (the flow that could reach it).
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]), or `depot` is not a
    /// node of it.
    ///
    /// # Complexity
    /// **O(|V|²|E|)**.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let net = Network::build(&s);
    /// let c = Conditions::baseline(&s);
    /// let kita = s.node_by_id("KIT").unwrap();
    /// assert_eq!(net.max_flow_to(&c, kita), 40.0); // the southern road's capacity
    /// ```
    pub fn max_flow_to(&self, c: &Conditions, depot: NodeId) -> f64 {
        assert!(depot.index() < self.nodes, "max_flow_to: no node {depot:?}");
        let mut w = self.weighted(c);
        for j in 0..self.depots.len() {
            if self.depots[j] != depot {
                w.set(self.sink_edge(j), 0.0);
            }
        }
        if self.depot_slot[depot.index()].is_none() {
            w.graph.add_edge(
                NodeIndex::new(depot.index()),
                self.super_sink,
                w.grid.unbounded,
            );
        }
        self.solve(&w.graph).0
    }

    /// Ranks every segment by how much the maximum flow drops when it alone is closed.
    ///
    /// Sorted by drop, largest first; equal drops by segment index. A segment that is
    /// closed, or carries nothing in the maximum flow, has drop 0 (the same flow remains
    /// feasible without it), so only loaded segments are re-solved.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// **O(|E| x |V|²|E|)**: one max flow per loaded segment.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let net = Network::build(&s);
    /// let ranked = net.criticality(&Conditions::baseline(&s));
    /// // Dakar–Tambacounda carries everything: closing it stops all supply.
    /// assert_eq!(s.segment(ranked[0].segment).id, "DKR-TMB");
    /// assert_eq!(ranked[0].remaining_trucks_per_day, 0.0);
    /// ```
    pub fn criticality(&self, c: &Conditions) -> Vec<Criticality> {
        let mut w = self.weighted(c);
        let (total, flows) = self.solve(&w.graph);
        let mut out: Vec<Criticality> = (0..self.segments.len())
            .map(|i| {
                let remaining = if flows[i] > 0.0 {
                    let cap = w.get(i);
                    w.set(i, 0.0);
                    let r = self.solve(&w.graph).0;
                    w.set(i, cap);
                    r
                } else {
                    total
                };
                Criticality {
                    segment: SegmentId(i as u32),
                    drop_trucks_per_day: total - remaining,
                    remaining_trucks_per_day: remaining,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.drop_trucks_per_day
                .total_cmp(&a.drop_trucks_per_day)
                .then(a.segment.cmp(&b.segment))
        });
        out
    }
}
