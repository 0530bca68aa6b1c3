//! Worst-case interdiction: the `k` segments whose joint closure cuts the maximum flow most.
//!
//! Exact search is a depth-first branch and bound over sets in lexicographic order, with a
//! budget of max-flow evaluations; if the budget runs out, the mixed-integer program of
//! `interdiction_mip.rs` gives the exact answer on networks of at most
//! [`MIP_MAX_CLASSES`] candidate classes, seeded with the value of a greedy heuristic with
//! 1-swap local search. Only beyond that size (or if the solver fails) does the heuristic
//! stand, and it says so (`exact: false`).

use super::flow::Weighted;
use super::interdiction_mip::MIP_MAX_CLASSES;
use super::{Conditions, Network};
use crate::scenario::SegmentId;

/// Work allowed to the exact search of one [`Network::interdiction`] call, in max-flow
/// evaluations times graph edges (segments + sources + depots). On the Mali network
/// (44 edges, about 7 µs per max flow in a release build) that is about 57,000 max flows,
/// some 0.4 s at worst; on a 200-segment network (about 30 µs each) about 12,000, a
/// similar time. Pruning keeps most searches far below it: k = 3 on Mali takes well
/// under a millisecond.
pub const EXACT_WORK_LIMIT: u64 = 2_500_000;

/// The worst joint closure of `k` segments.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstClosure {
    /// The budget: how many segments may be closed.
    pub k: usize,
    /// The segments closed, sorted. Fewer than `k` when the network has fewer candidate
    /// classes than `k` (see [`Network::interdiction`]).
    pub segments: Vec<SegmentId>,
    /// Maximum flow with them closed, trucks per day.
    pub remaining_trucks_per_day: f64,
    /// Whether the set is proven optimal (the exact search finished) rather than found by
    /// the heuristic.
    pub exact: bool,
}

impl Network {
    /// For each budget `k = 1..=budget`, the set of `k` segments whose joint closure leaves
    /// the least maximum flow under `c`.
    ///
    /// Candidates are the open segments of positive capacity on some path from a source
    /// with supply to a depot; closing any other segment changes no flow. Segments in
    /// series (joined by a waypoint with exactly one candidate segment in and one out) are
    /// one class: closing any of them has the same effect as closing all, so each class is
    /// represented by its lowest-indexed segment and a set never holds two segments of one
    /// class. When `k` exceeds the number of classes, the entry closes every class and holds
    /// fewer than `k` segments.
    ///
    /// Ties are broken towards the lexicographically smallest set of class representatives
    /// (sorted segment indices). The search is exact (`exact: true`): a depth-first
    /// enumeration in lexicographic order, pruned by the bound "closing a set `R` after `P`
    /// leaves at least `flow(P) - sum of the flows on R` in any maximum flow of `P`", by
    /// stopping a branch whose flow is already 0, and by not re-solving a last pick that
    /// carries no flow. All budgets `k` share [`EXACT_WORK_LIMIT`] / (number of graph
    /// edges) max-flow evaluations. When they run out, that `k` and the larger ones use a
    /// heuristic: greedy (each step closes the class that leaves the least flow, building
    /// on the `k - 1` greedy set), then 1-swap local search (replace one member by an
    /// outside class while that strictly lowers the flow), keeping the better of that and
    /// the best set the interrupted exact search had found. With at most
    /// [`MIP_MAX_CLASSES`] classes, Wood's mixed-integer program then proves that set
    /// optimal or finds a better one (`exact: true`; among equally good sets the solver's
    /// or the heuristic's, whichever is lexicographically smaller, not necessarily the
    /// smallest of all); otherwise the entry is `exact: false`.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// Exact: at most **sum over j <= k of C(n, j)** max flows of **O(|V|²|E|)** each, for
    /// **n** candidate classes, capped by the work limit. Heuristic: **O(k x n)** max flows
    /// for greedy and per round of local search.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// use blockade::network::{Conditions, Network};
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// let net = Network::build(&s);
    /// let worst = net.interdiction(&Conditions::baseline(&s), 2);
    /// // One closure: Dakar–Tambacounda, the only way out of the port.
    /// assert_eq!(worst[0].segments, vec![s.segment_by_id("DKR-TMB").unwrap()]);
    /// assert_eq!(worst[0].remaining_trucks_per_day, 0.0);
    /// assert!(worst[1].exact);
    /// ```
    pub fn interdiction(&self, c: &Conditions, budget: usize) -> Vec<WorstClosure> {
        let edges = self.graph.edge_count().max(1) as u64;
        self.interdiction_with_limit(c, budget, (EXACT_WORK_LIMIT / edges).max(1))
    }

    /// [`Network::interdiction`] with another budget for the exact search, in max-flow
    /// evaluations shared by all `k`: `0` always runs the heuristic alone (no program),
    /// `u64::MAX` always finishes the branch and bound.
    ///
    /// # Panics
    /// If `c` does not match the network (see [`Network::max_flow`]).
    ///
    /// # Complexity
    /// As [`Network::interdiction`].
    pub fn interdiction_with_limit(
        &self,
        c: &Conditions,
        budget: usize,
        max_evaluations: u64,
    ) -> Vec<WorstClosure> {
        let w = self.weighted(c);
        let classes = self.candidate_classes(&w);
        let mut search = Search {
            net: self,
            w,
            classes,
            chosen: Vec::new(),
            best: None,
            evaluations: 0,
            limit: max_evaluations,
            out_of_budget: max_evaluations == 0,
        };
        let (total, flows) = search.solve();
        let n = search.classes.len();
        let mut greedy: Vec<usize> = Vec::new();
        let mut greedy_value = total;
        let mut out = Vec::with_capacity(budget);
        for k in 1..=budget {
            let (set, value, exact) = if k >= n {
                let all: Vec<usize> = (0..n).collect();
                let v = search.value_of(&all);
                (all, v, true)
            } else {
                search.best = None;
                search.chosen.clear();
                if !search.out_of_budget {
                    search.branch(0, k, total, &flows);
                }
                if !search.out_of_budget {
                    let (v, set) = search.best.take().expect("k < n: some set is searched");
                    (set, v, true)
                } else {
                    let incumbent = search.best.take();
                    while greedy.len() < k {
                        let (v, add) = search.greedy_step(&greedy, greedy_value);
                        greedy.push(add);
                        greedy_value = v;
                    }
                    let (mut set, mut v) = search.local_search(greedy.clone(), greedy_value);
                    if let Some((iv, iset)) = incumbent
                        && (iv < v || (iv == v && iset < set))
                    {
                        (set, v) = (iset, iv);
                    }
                    // A limit of 0 asks for the heuristic alone.
                    let mip = (max_evaluations > 0)
                        .then(|| search.exact_by_mip(k, v))
                        .flatten();
                    match mip {
                        Some((mset, mv)) if mv < v || (mv == v && mset < set) => (mset, mv, true),
                        // The heuristic's set is as good: proven optimal by the program.
                        Some(_) => (set, v, true),
                        None => (set, v, false),
                    }
                }
            };
            let mut segments: Vec<SegmentId> = set
                .iter()
                .map(|&x| SegmentId(search.classes[x] as u32))
                .collect();
            segments.sort();
            out.push(WorstClosure {
                k,
                segments,
                remaining_trucks_per_day: value,
                exact,
            });
        }
        out
    }

    /// Candidate segments grouped into series classes; returns each class's lowest segment
    /// index, sorted.
    fn candidate_classes(&self, w: &Weighted) -> Vec<usize> {
        let m = self.segments.len();
        let usable = |i: usize| w.get(i) > 0.0;
        // Forward from sources with supply, backward from depots, over usable segments.
        let mut from_source = vec![false; self.nodes];
        for (j, s) in self.sources.iter().enumerate() {
            if w.get(self.supply_edge(j)) > 0.0 {
                from_source[s.index()] = true;
            }
        }
        let mut to_depot = vec![false; self.nodes];
        for d in &self.depots {
            to_depot[d.index()] = true;
        }
        // Fixed-point sweeps: the networks are small and this stays allocation-free.
        let mut changed = true;
        while changed {
            changed = false;
            for (i, s) in self.segments.iter().enumerate() {
                if !usable(i) {
                    continue;
                }
                if from_source[s.from.index()] && !from_source[s.to.index()] {
                    from_source[s.to.index()] = true;
                    changed = true;
                }
                if to_depot[s.to.index()] && !to_depot[s.from.index()] {
                    to_depot[s.from.index()] = true;
                    changed = true;
                }
            }
        }
        let candidate: Vec<bool> = (0..m)
            .map(|i| {
                let s = &self.segments[i];
                usable(i) && from_source[s.from.index()] && to_depot[s.to.index()]
            })
            .collect();
        // Series classes: union the in and out segment of each waypoint of degree (1, 1).
        let mut parent: Vec<usize> = (0..m).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut into = vec![(0usize, usize::MAX); self.nodes];
        let mut out_of = vec![(0usize, usize::MAX); self.nodes];
        for (i, s) in self.segments.iter().enumerate() {
            if candidate[i] {
                into[s.to.index()].0 += 1;
                into[s.to.index()].1 = i;
                out_of[s.from.index()].0 += 1;
                out_of[s.from.index()].1 = i;
            }
        }
        let is_source: Vec<bool> = {
            let mut v = vec![false; self.nodes];
            for s in &self.sources {
                v[s.index()] = true;
            }
            v
        };
        for v in 0..self.nodes {
            if is_source[v] || self.depot_slot[v].is_some() {
                continue;
            }
            if into[v].0 == 1 && out_of[v].0 == 1 {
                let (a, b) = (find(&mut parent, into[v].1), find(&mut parent, out_of[v].1));
                let (lo, hi) = (a.min(b), a.max(b));
                parent[hi] = lo;
            }
        }
        (0..m)
            .filter(|&i| candidate[i] && find(&mut parent, i) == i)
            .collect()
    }
}

/// State of one interdiction query: the weighted graph (classes are closed by setting
/// their representative's capacity to 0 and restored after), the classes, the best set.
struct Search<'a> {
    net: &'a Network,
    w: Weighted,
    /// Representative segment of each class, sorted.
    classes: Vec<usize>,
    /// Positions in `classes` of the current partial set, increasing.
    chosen: Vec<usize>,
    /// Best (value, set of positions) so far.
    best: Option<(f64, Vec<usize>)>,
    /// Max flows solved by the exact search so far.
    evaluations: u64,
    /// Budget of `evaluations` for the exact search.
    limit: u64,
    /// Set when the exact search ran out of budget (and stopped).
    out_of_budget: bool,
}

impl Search<'_> {
    fn solve(&self) -> (f64, Vec<f64>) {
        self.net.solve(&self.w.graph)
    }

    /// Max flow with the classes at `set` closed.
    fn value_of(&mut self, set: &[usize]) -> f64 {
        let saved: Vec<f64> = set.iter().map(|&x| self.w.get(self.classes[x])).collect();
        for &x in set {
            self.w.set(self.classes[x], 0.0);
        }
        let v = self.solve().0;
        for (&x, &cap) in set.iter().zip(&saved) {
            self.w.set(self.classes[x], cap);
        }
        v
    }

    /// Records `chosen + tail` with `value` if strictly better than the best so far.
    fn consider(&mut self, value: f64, tail: &[usize]) {
        if self.best.as_ref().is_none_or(|(b, _)| value < *b) {
            let mut set = self.chosen.clone();
            set.extend_from_slice(tail);
            self.best = Some((value, set));
        }
    }

    /// Explores every set `chosen + (r classes at positions >= start)`, in lexicographic
    /// order; `value` and `flows` are a max flow with `chosen` closed.
    fn branch(&mut self, start: usize, r: usize, value: f64, flows: &[f64]) {
        let n = self.classes.len();
        if n - start < r || self.best.as_ref().is_some_and(|(b, _)| *b == 0.0) {
            return;
        }
        if value == 0.0 {
            // Nothing left to cut: the smallest completion is the best of this branch.
            let tail: Vec<usize> = (start..start + r).collect();
            self.consider(0.0, &tail);
            return;
        }
        // rest[idx - start]: sum of the r - 1 largest flows among classes after idx,
        // capped at `value` (a bound; the cap keeps every sum exact on the grid).
        let mut rest = vec![0.0; n - start];
        let mut top: Vec<f64> = Vec::with_capacity(r);
        for idx in (start..n).rev() {
            rest[idx - start] = top.iter().sum::<f64>().min(value);
            if r > 1 {
                let f = flows[self.classes[idx]];
                let at = top.partition_point(|&x| x >= f);
                top.insert(at, f);
                top.truncate(r - 1);
            }
        }
        for idx in start..=n - r {
            let e = self.classes[idx];
            let fe = flows[e];
            let bound = value - fe - rest[idx - start];
            if self.best.as_ref().is_some_and(|(b, _)| bound >= *b) {
                continue;
            }
            if r == 1 && fe == 0.0 {
                self.consider(value, &[idx]);
                continue;
            }
            if self.evaluations >= self.limit {
                self.out_of_budget = true;
                return;
            }
            self.evaluations += 1;
            let cap = self.w.get(e);
            self.w.set(e, 0.0);
            if r == 1 {
                let v = self.solve().0;
                self.consider(v, &[idx]);
            } else {
                let (v, f) = self.solve();
                self.chosen.push(idx);
                self.branch(idx + 1, r - 1, v, &f);
                self.chosen.pop();
            }
            self.w.set(e, cap);
            if self.out_of_budget {
                return;
            }
        }
    }

    /// The exact answer for budget `k` by the mixed-integer program, for networks of at
    /// most [`MIP_MAX_CLASSES`] classes, with the heuristic's `upper` as a starting bound:
    /// a set of `k` classes (completed by the lowest positions when fewer suffice) and its
    /// max flow, solved exactly. `None` when the program is not built, fails, or disagrees
    /// with the exact max flow of its own set.
    fn exact_by_mip(&mut self, k: usize, upper: f64) -> Option<(Vec<usize>, f64)> {
        if self.classes.len() > MIP_MAX_CLASSES {
            return None;
        }
        let (mut set, objective) = self
            .net
            .interdiction_mip(&self.w, &self.classes, k, upper)?;
        for x in 0..self.classes.len() {
            if set.len() >= k {
                break;
            }
            if !set.contains(&x) {
                set.push(x);
            }
        }
        set.sort_unstable();
        let v = self.value_of(&set);
        // The solver works in floating point with its own tolerances; its value and the
        // exact max flow of its set agree to far better than this on every test network.
        let tolerance = 1e-6 * v.abs().max(1.0);
        ((v - objective).abs() <= tolerance && v <= upper).then_some((set, v))
    }

    /// Max flow (value and edge flows) with the classes at `set` closed.
    fn flow_of(&mut self, set: &[usize]) -> (f64, Vec<f64>) {
        let saved: Vec<f64> = set.iter().map(|&x| self.w.get(self.classes[x])).collect();
        for &x in set {
            self.w.set(self.classes[x], 0.0);
        }
        let out = self.solve();
        for (&x, &cap) in set.iter().zip(&saved) {
            self.w.set(self.classes[x], cap);
        }
        out
    }

    /// The best class to close in addition to `set` (whose max flow is `value` with edge
    /// flows `flows`), other than `skip`: the one that leaves the least flow (ties to the
    /// lowest position). Classes are tried by decreasing flow, and one is solved only if
    /// the bound `value - its flow` could beat the best so far; a class that carries no
    /// flow leaves `value`. Returns (flow, position), or `None` if no class is left.
    fn best_addition(
        &mut self,
        set: &[usize],
        skip: Option<usize>,
        value: f64,
        flows: &[f64],
    ) -> Option<(f64, usize)> {
        let mut order: Vec<usize> = (0..self.classes.len())
            .filter(|x| !set.contains(x) && skip != Some(*x))
            .collect();
        let class_flow: Vec<f64> = self.classes.iter().map(|&e| flows[e]).collect();
        let flow = |x: usize| class_flow[x];
        order.sort_by(|&a, &b| flow(b).total_cmp(&flow(a)).then(a.cmp(&b)));
        let mut best: Option<(f64, usize)> = None;
        let mut trial = set.to_vec();
        for x in order {
            let bound = value - flow(x);
            if best.is_some_and(|(b, bx)| bound > b || (bound == b && x > bx)) {
                continue;
            }
            let v = if flow(x) > 0.0 {
                trial.push(x);
                let v = self.value_of(&trial);
                trial.pop();
                v
            } else {
                value
            };
            if best.is_none_or(|(b, bx)| v < b || (v == b && x < bx)) {
                best = Some((v, x));
            }
        }
        best
    }

    /// Greedy step: `set` (flow `value`) plus its [`Search::best_addition`].
    fn greedy_step(&mut self, set: &[usize], value: f64) -> (f64, usize) {
        let (v, flows) = self.flow_of(set);
        debug_assert_eq!(v, value);
        self.best_addition(set, None, value, &flows)
            .expect("greedy runs only while k < number of classes")
    }

    /// 1-swap local search from `set` (flow `value`): apply the best strictly improving
    /// swap (ties to the first found) until none improves. A swap of member `i` for `x`
    /// can only improve if `x` carries flow once `i` is reopened, so only those are solved.
    /// Returns the sorted set and flow.
    fn local_search(&mut self, mut set: Vec<usize>, mut value: f64) -> (Vec<usize>, f64) {
        const MAX_ROUNDS: usize = 100;
        for _ in 0..MAX_ROUNDS {
            if value == 0.0 {
                break;
            }
            let mut best: Option<(f64, usize, usize)> = None;
            for i in 0..set.len() {
                let mut rest = set.clone();
                rest.remove(i);
                let (rv, flows) = self.flow_of(&rest);
                if let Some((v, x)) = self.best_addition(&rest, Some(set[i]), rv, &flows)
                    && v < value
                    && best.is_none_or(|(b, _, _)| v < b)
                {
                    best = Some((v, i, x));
                }
            }
            match best {
                Some((v, i, x)) => {
                    set[i] = x;
                    value = v;
                }
                None => break,
            }
        }
        set.sort_unstable();
        (set, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn series_classes_count_only_candidate_segments() {
        // Chain P -> W1 -> W2 -> D with a dead end W2 -> X, plus P -> D and a closed P -> W2.
        let ron = r#"Scenario(name: "c", fleet: (trucks: 1, truck_litres: 1000),
          nodes: [
            Source(id: "P", name: "P", supply_litres_per_day: 50000),
            Waypoint(id: "W1", name: "W1"), Waypoint(id: "W2", name: "W2"),
            Waypoint(id: "X", name: "X"),
            Depot(id: "D", name: "D", capacity_litres: 1, initial_stock_litres: 0,
                  demand: [(name: "all", litres_per_day: 1, priority: 1)]),
          ],
          segments: [
            (from: "P", to: "W1", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "W1", to: "W2", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "W2", to: "X", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "W2", to: "D", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "P", to: "D", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
            (from: "P", to: "W2", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 9, risk: 0),
          ],
        )"#;
        let s = crate::scenario::load_str(ron, Path::new("c.ron"))
            .unwrap()
            .scenario;
        let net = Network::build(&s);
        let mut c = Conditions::baseline(&s);
        // W2-X leads nowhere and is no candidate. W1 links P-W1 and W1-W2 into one class;
        // with P-W2 open, W2 has two ways in and links nothing.
        let w = net.weighted(&c);
        assert_eq!(net.candidate_classes(&w), vec![0, 3, 4, 5]);
        // P-W2 closed: P-W1, W1-W2, W2-D are one class, represented by P-W1.
        c.open[5] = false;
        let w = net.weighted(&c);
        assert_eq!(net.candidate_classes(&w), vec![0, 4]);
    }
}
