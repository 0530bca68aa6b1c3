//! The dispatch plan: min-cost max flow by successive shortest paths, decomposed into
//! routes with quotas (docs/model.md §5 "Dispatch plan", §9 "Plan cost").

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::DiGraph;
use petgraph::visit::EdgeRef;

use super::{Conditions, Network};
use crate::scenario::{NodeId, SegmentId};

/// Units of loss cost per unit of `-ln(survival)`: costs are rounded to 1e-12.
const LOSS_SCALE: f64 = 1e12;
/// Units of transit cost per day: transit is rounded to a microday (0.09 s).
const TRANSIT_SCALE: f64 = 1e6;

/// A cost: loss first, transit second, compared lexicographically, in integer units so
/// that sums are exact and equal losses are truly equal.
type Cost = (i64, i64);
const ZERO: Cost = (0, 0);
const UNREACHED: Cost = (i64::MAX, i64::MAX);

fn add(a: Cost, b: Cost) -> Cost {
    (a.0 + b.0, a.1 + b.1)
}

fn sub(a: Cost, b: Cost) -> Cost {
    (a.0 - b.0, a.1 - b.1)
}

/// Unescorted probability that a convoy entering a segment is attacked.
///
/// `p = 1 - exp(-h)` with hazard `h = -ln(1 - risk) x multiplier`, so multiplier 1 gives
/// back `risk` exactly, large multipliers never exceed 1, multiplier 0 gives 0 (even for
/// `risk = 1`) and `risk = 1` with a positive multiplier gives 1.
///
/// # Example
/// ```
/// use blockade::network::attack_probability;
/// assert!((attack_probability(0.05, 1.0) - 0.05).abs() < 1e-15);
/// assert!((attack_probability(0.05, 2.0) - (1.0 - 0.95f64 * 0.95)).abs() < 1e-15);
/// assert_eq!(attack_probability(1.0, 0.0), 0.0);
/// assert_eq!(attack_probability(1.0, 0.5), 1.0);
/// ```
pub fn attack_probability(risk: f64, multiplier: f64) -> f64 {
    if multiplier <= 0.0 || risk <= 0.0 {
        return 0.0;
    }
    if risk >= 1.0 {
        return 1.0;
    }
    let h = -(-risk).ln_1p() * multiplier;
    -(-h).exp_m1()
}

/// The plan cost of a segment: `-ln(1 - p x loss_fraction)`, with `p` from
/// [`attack_probability`]. Additive along a route: `exp(-sum)` is the route's expected
/// share of trucks that arrive. Infinite when every truck is lost (`p x loss_fraction = 1`).
///
/// # Example
/// ```
/// use blockade::network::loss_cost;
/// let c = loss_cost(0.1, 1.0, 0.5) + loss_cost(0.2, 1.0, 0.5);
/// assert!(((-c).exp() - 0.95 * 0.9).abs() < 1e-15);
/// assert_eq!(loss_cost(1.0, 1.0, 1.0), f64::INFINITY);
/// ```
pub fn loss_cost(risk: f64, multiplier: f64, loss_fraction: f64) -> f64 {
    let q = attack_probability(risk, multiplier) * loss_fraction;
    if q >= 1.0 {
        f64::INFINITY
    } else {
        -(-q).ln_1p()
    }
}

/// A dispatch plan: routes with quotas, a min-cost maximum flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Routes in decomposition order (by source, then by lowest segment index).
    pub routes: Vec<Route>,
    /// Sum of the quotas, trucks per day: the maximum flow over the usable segments.
    pub total_trucks_per_day: f64,
}

impl Plan {
    /// Expected loaded trucks per day that arrive (quota x survival, summed): the
    /// risk-adjusted throughput of docs/model.md §4, for unescorted convoys.
    pub fn expected_arrivals_trucks_per_day(&self) -> f64 {
        self.routes
            .iter()
            .map(|r| r.trucks_per_day * r.survival)
            .sum()
    }
}

/// A route of the plan, from a source to a depot, with its quota.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// Where trucks load.
    pub source: NodeId,
    /// Where they unload.
    pub depot: NodeId,
    /// Segments in travel order.
    pub segments: Vec<SegmentId>,
    /// Quota in loaded trucks per day.
    pub trucks_per_day: f64,
    /// Unescorted probability that a convoy is attacked at least once: `1 - prod(1 - p_i)`.
    pub attack_probability: f64,
    /// Expected share of trucks that arrive, unescorted: `prod(1 - p_i x loss_fraction_i)`.
    pub survival: f64,
    /// Sum of the segments' mean transit times, days.
    pub mean_transit_days: f64,
}

/// The residual graph's arcs: arc `2e` is edge `e` forward, `2e + 1` backward.
#[derive(Debug, Clone)]
pub(super) struct Arcs {
    /// Head node of each arc.
    head: Vec<u32>,
    /// `adj[start[v]..start[v + 1]]` are the arcs leaving node `v`, by arc index.
    start: Vec<u32>,
    adj: Vec<u32>,
}

impl Arcs {
    pub(super) fn new(g: &DiGraph<(), f64>) -> Arcs {
        let n = g.node_count();
        let mut head = vec![0u32; 2 * g.edge_count()];
        let mut tail = vec![0u32; 2 * g.edge_count()];
        for e in g.edge_references() {
            let i = e.id().index();
            head[2 * i] = e.target().index() as u32;
            tail[2 * i] = e.source().index() as u32;
            head[2 * i + 1] = e.source().index() as u32;
            tail[2 * i + 1] = e.target().index() as u32;
        }
        let mut start = vec![0u32; n + 1];
        for &t in &tail {
            start[t as usize + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; tail.len()];
        for (a, &t) in tail.iter().enumerate() {
            adj[fill[t as usize] as usize] = a as u32;
            fill[t as usize] += 1;
        }
        Arcs { head, start, adj }
    }

    fn out(&self, v: usize) -> &[u32] {
        &self.adj[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

impl Network {
    /// Solves the dispatch plan under `c`: the maximum flow from sources to depots that,
    /// among all maximum flows, loses the fewest trucks in expectation, then takes the
    /// least transit time; decomposed into routes with quotas.
    ///
    /// Segment cost is [`loss_cost`] (current multipliers, unescorted), so a route's summed
    /// cost is `-ln(survival)`. Costs are compared lexicographically as (loss, transit):
    /// loss is rounded to 1e-12 per segment, so two routes whose `-ln(survival)` differ by
    /// more than 1e-12 x their length are ordered by loss whatever their transit times,
    /// and routes of equal loss (the same risks in another order, or no risk) are ordered
    /// by the sum of mean transit times ([`crate::scenario::Transit::mean`]). Closed
    /// segments and segments where an attack is certain and kills every truck
    /// (`p x loss_fraction = 1`) are not used, so the total can be below
    /// [`Network::max_flow`] when such segments carry flow there. Fleet, escorts and demand
    /// are not in the plan (docs/model.md §9).
    ///
    /// The flow is decomposed from the super-source: take the lowest-indexed source with
    /// flow left, follow at each node the lowest-indexed segment with flow left (ending at
    /// a depot as soon as the depot itself receives flow), take the bottleneck as the
    /// route's quota, subtract, repeat. Flow cycles (possible only through segments of zero
    /// risk and zero transit) are cancelled on the way.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// Successive shortest paths with Dijkstra on reduced costs: **O(A x |E| log |V|)**,
    /// where **A** is the number of augmentations (at most the number of distinct routes
    /// plus re-routings; a handful on road networks). Decomposition **O(R x |V| x deg)**
    /// for **R** routes.
    ///
    /// # Example
    /// Two roads from a port to a city; the safe one takes 10 trucks/day, the risky one the
    /// other 20:
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// let ron = r#"Scenario(name: "two", fleet: (trucks: 1, truck_litres: 1000),
    ///   nodes: [
    ///     Source(id: "P", name: "Port", supply_litres_per_day: 30_000),
    ///     Depot(id: "C", name: "City", capacity_litres: 1, initial_stock_litres: 0,
    ///           demand: [(name: "all", litres_per_day: 1, priority: 1)]),
    ///   ],
    ///   segments: [
    ///     (id: "risky", from: "P", to: "C", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 100, risk: 0.2),
    ///     (id: "safe", from: "P", to: "C", km: 1, transit_days: Fixed(3), capacity_trucks_per_day: 10, risk: 0.0),
    ///   ],
    /// )"#;
    /// let s = blockade::scenario::load_str(ron, Path::new("two.ron")).unwrap().scenario;
    /// let plan = Network::build(&s).plan(&Conditions::baseline(&s));
    /// assert_eq!(plan.total_trucks_per_day, 30.0);
    /// let quota = |id: &str| plan.routes.iter()
    ///     .find(|r| s.segment(r.segments[0]).id == id).unwrap().trucks_per_day;
    /// assert_eq!((quota("safe"), quota("risky")), (10.0, 20.0));
    /// ```
    pub fn plan(&self, c: &Conditions) -> Plan {
        self.check(c);
        let grid = self.grid(c);
        let m = self.segments.len();
        let edges = self.graph.edge_count();
        let mut cap = vec![0.0f64; edges];
        let mut cost = vec![ZERO; edges];
        let mut attack = vec![0.0f64; m];
        for (i, seg) in self.segments.iter().enumerate() {
            let p = attack_probability(seg.risk, c.risk_multiplier[i]);
            attack[i] = p;
            let q = p * seg.loss_fraction;
            if q < 1.0 {
                cap[i] = self.segment_capacity(c, &grid, i);
                let loss = -(-q).ln_1p();
                cost[i] = (
                    (loss * LOSS_SCALE).round() as i64,
                    (seg.transit_mean * TRANSIT_SCALE).round() as i64,
                );
            }
        }
        for j in 0..self.sources.len() {
            cap[self.supply_edge(j)] = self.supply_capacity(c, &grid, j);
        }
        for j in 0..self.depots.len() {
            cap[self.sink_edge(j)] = grid.unbounded;
        }
        let flow = self.min_cost_flow(&cap, &cost);
        let routes = self.decompose(flow, &attack);
        let total = routes.iter().map(|r| r.trucks_per_day).sum();
        Plan {
            routes,
            total_trucks_per_day: total,
        }
    }

    /// Successive shortest paths from the super-source to the super-sink with Dijkstra on
    /// reduced costs (all edge costs are >= 0, so zero potentials start it). Returns the flow
    /// of each graph edge. Arithmetic on `cap` is exact (grid values).
    fn min_cost_flow(&self, cap: &[f64], cost: &[Cost]) -> Vec<f64> {
        let n = self.graph.node_count();
        let (s, t) = (self.super_source.index(), self.super_sink.index());
        let arcs = &self.arcs;
        let mut flow = vec![0.0f64; cap.len()];
        let mut pot = vec![ZERO; n];
        let mut dist = vec![UNREACHED; n];
        let mut prev = vec![u32::MAX; n];
        let mut heap = BinaryHeap::with_capacity(n);
        let residual = |flow: &[f64], a: usize| {
            let e = a / 2;
            if a.is_multiple_of(2) {
                cap[e] - flow[e]
            } else {
                flow[e]
            }
        };
        loop {
            dist.fill(UNREACHED);
            dist[s] = ZERO;
            heap.clear();
            heap.push(Reverse((ZERO, s as u32)));
            while let Some(Reverse((d, v))) = heap.pop() {
                let v = v as usize;
                if d > dist[v] {
                    continue;
                }
                for &a in arcs.out(v) {
                    let a = a as usize;
                    if residual(&flow, a) <= 0.0 {
                        continue;
                    }
                    let u = arcs.head[a] as usize;
                    let c = if a.is_multiple_of(2) {
                        cost[a / 2]
                    } else {
                        sub(ZERO, cost[a / 2])
                    };
                    let nd = add(d, sub(add(c, pot[v]), pot[u]));
                    if nd < dist[u] {
                        dist[u] = nd;
                        prev[u] = a as u32;
                        heap.push(Reverse((nd, u as u32)));
                    }
                }
            }
            if dist[t] == UNREACHED {
                return flow;
            }
            for v in 0..n {
                if dist[v] != UNREACHED {
                    pot[v] = add(pot[v], dist[v]);
                }
            }
            let mut delta = f64::INFINITY;
            let mut v = t;
            while v != s {
                let a = prev[v] as usize;
                delta = delta.min(residual(&flow, a));
                v = arcs.head[a ^ 1] as usize;
            }
            let mut v = t;
            while v != s {
                let a = prev[v] as usize;
                if a.is_multiple_of(2) {
                    flow[a / 2] += delta;
                } else {
                    flow[a / 2] -= delta;
                }
                v = arcs.head[a ^ 1] as usize;
            }
        }
    }

    /// Decomposes an edge flow into routes (see [`Network::plan`]).
    fn decompose(&self, mut flow: Vec<f64>, attack: &[f64]) -> Vec<Route> {
        let arcs = &self.arcs;
        let (s, t) = (self.super_source.index(), self.super_sink.index());
        let n = self.graph.node_count();
        let m = self.segments.len();
        let mut routes = Vec::new();
        let mut on_path = vec![usize::MAX; n];
        let mut path: Vec<usize> = Vec::with_capacity(n);
        let next_edge = |flow: &[f64], v: usize| -> Option<usize> {
            if v < self.nodes
                && let Some(j) = self.depot_slot[v]
                && flow[self.sink_edge(j)] > 0.0
            {
                return Some(self.sink_edge(j));
            }
            arcs.out(v)
                .iter()
                .map(|&a| a as usize)
                .filter(|a| a % 2 == 0)
                .map(|a| a / 2)
                .find(|&e| flow[e] > 0.0)
        };
        loop {
            path.clear();
            on_path.fill(usize::MAX);
            on_path[s] = 0;
            let mut v = s;
            while v != t {
                let Some(e) = next_edge(&flow, v) else {
                    // Unreachable for a conserved flow; stop rather than loop.
                    debug_assert!(v == s, "flow not conserved at node {v}");
                    return routes;
                };
                let u = arcs.head[2 * e] as usize;
                if on_path[u] != usize::MAX {
                    // A cycle: cancel it and walk on from `u`.
                    let from = on_path[u];
                    let delta = path[from..]
                        .iter()
                        .chain(std::iter::once(&e))
                        .map(|&x| flow[x])
                        .fold(f64::INFINITY, f64::min);
                    for &x in path[from..].iter().chain(std::iter::once(&e)) {
                        flow[x] -= delta;
                    }
                    for &x in &path[from..] {
                        on_path[arcs.head[2 * x] as usize] = usize::MAX;
                    }
                    on_path[u] = from;
                    path.truncate(from);
                    v = u;
                    continue;
                }
                path.push(e);
                on_path[u] = path.len();
                v = u;
            }
            let delta = path.iter().map(|&e| flow[e]).fold(f64::INFINITY, f64::min);
            for &e in &path {
                flow[e] -= delta;
            }
            let source = NodeId(arcs.head[2 * path[0]]);
            let depot = NodeId(arcs.head[2 * path[path.len() - 1] + 1]);
            let segments: Vec<SegmentId> = path[1..path.len() - 1]
                .iter()
                .map(|&e| {
                    debug_assert!(e < m);
                    SegmentId(e as u32)
                })
                .collect();
            let mut free = 1.0;
            let mut survival = 1.0;
            let mut transit = 0.0;
            for g in &segments {
                let seg = &self.segments[g.index()];
                let p = attack[g.index()];
                free *= 1.0 - p;
                survival *= 1.0 - p * seg.loss_fraction;
                transit += seg.transit_mean;
            }
            routes.push(Route {
                source,
                depot,
                segments,
                trucks_per_day: delta,
                attack_probability: 1.0 - free,
                survival,
                mean_transit_days: transit,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_probability_matches_hazard_formula() {
        assert_eq!(attack_probability(0.0, 5.0), 0.0);
        assert_eq!(attack_probability(0.3, 0.0), 0.0);
        assert!((attack_probability(0.3, 1.0) - 0.3).abs() < 1e-15);
        // Multiplier 3 on risk 0.1: 1 - 0.9^3.
        assert!((attack_probability(0.1, 3.0) - 0.271).abs() < 1e-15);
        assert!(attack_probability(0.5, 1e9) <= 1.0);
        assert_eq!(attack_probability(1.0, 1.0), 1.0);
    }

    #[test]
    fn loss_cost_is_log_survival() {
        assert_eq!(loss_cost(0.0, 1.0, 0.3), 0.0);
        let c = loss_cost(0.05, 6.0, 0.3);
        let p = 1.0 - 0.95f64.powi(6);
        assert!(((-c).exp() - (1.0 - 0.3 * p)).abs() < 1e-15);
        assert_eq!(loss_cost(1.0, 2.0, 1.0), f64::INFINITY);
        assert!(loss_cost(1.0, 2.0, 0.5).is_finite());
    }

    #[test]
    fn decomposition_cancels_cycles() {
        use std::path::Path;
        // P -> A -> D with a cycle A -> B -> A carrying 2 on top of the 3 that go through.
        let ron = r#"Scenario(name: "c", fleet: (trucks: 1, truck_litres: 1000),
          nodes: [
            Source(id: "P", name: "P", supply_litres_per_day: 3000),
            Waypoint(id: "A", name: "A"), Waypoint(id: "B", name: "B"),
            Depot(id: "D", name: "D", capacity_litres: 1, initial_stock_litres: 0,
                  demand: [(name: "all", litres_per_day: 1, priority: 1)]),
          ],
          segments: [
            (from: "A", to: "B", km: 1, transit_days: Fixed(0), capacity_trucks_per_day: 9, risk: 0),
            (from: "B", to: "A", km: 1, transit_days: Fixed(0), capacity_trucks_per_day: 9, risk: 0),
            (from: "P", to: "A", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "A", to: "D", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
          ],
        )"#;
        let s = crate::scenario::load_str(ron, Path::new("c.ron"))
            .unwrap()
            .scenario;
        let net = Network::build(&s);
        // Edges: 4 segments, supply edge 4, sink edge 5.
        let flow = vec![2.0, 2.0, 3.0, 3.0, 3.0, 3.0];
        let routes = net.decompose(flow, &[0.0; 4]);
        assert_eq!(routes.len(), 1);
        assert_eq!(routes[0].segments, vec![SegmentId(2), SegmentId(3)]);
        assert_eq!(routes[0].trucks_per_day, 3.0);
        // The planner itself never sends flow round the zero-cost cycle.
        let plan = net.plan(&Conditions::baseline(&s));
        assert_eq!(plan.routes, routes);
    }

    #[test]
    fn lexicographic_cost_puts_loss_first() {
        // A tiny loss difference beats any transit difference.
        let a: Cost = (1, 1_000_000_000);
        let b: Cost = (2, 0);
        assert!(a < b);
        assert!(add(a, b) == (3, 1_000_000_000));
        assert_eq!(sub(a, a), ZERO);
    }
}
