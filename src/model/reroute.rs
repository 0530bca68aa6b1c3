//! Where a convoy goes when it has waited too long at a closure (docs/model.md §9 "Closures"):
//! the best open path from where it stands, by the plan's cost order — least expected
//! loss (`-ln(1 - p x loss_fraction)` summed, current multipliers), then least mean
//! transit time. Pure functions of the scenario and the network's state.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use ordered_float::OrderedFloat;

use crate::network::{Conditions, loss_cost};
use crate::scenario::{NodeId, NodeKind, Scenario, SegmentId};

/// Where a rerouted convoy is headed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Toward {
    /// A loaded convoy: any depot.
    AnyDepot,
    /// An empty (or turned-back) convoy: its own source.
    Source(NodeId),
}

/// The segments leaving and entering each node, each list in increasing segment index (the
/// order in which [`best_open_path`] looks at them, so that ties go to the lower index).
#[derive(Debug)]
pub(super) struct Adjacency {
    out: Vec<Vec<usize>>,
    into: Vec<Vec<usize>>,
}

impl Adjacency {
    /// The adjacency of scenario `s`'s segments.
    pub(super) fn new(s: &Scenario) -> Adjacency {
        let n = s.nodes.len();
        let (mut out, mut into) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (i, g) in s.segments.iter().enumerate() {
            out[g.from.index()].push(i);
            into[g.to.index()].push(i);
        }
        Adjacency { out, into }
    }
}

/// The working memory of [`best_open_path`], kept between searches.
#[derive(Debug, Default)]
pub(super) struct Search {
    dist: Vec<Option<Cost>>,
    via: Vec<Option<usize>>,
    heap: BinaryHeap<Reverse<(Cost, usize)>>,
}

/// A path's cost: expected loss, then mean transit time.
type Cost = (OrderedFloat<f64>, OrderedFloat<f64>);

/// The best open path between `here` and the target: for [`Toward::AnyDepot`] the
/// segments from `here` to the nearest depot; for [`Toward::Source`] the segments from the
/// source to `here` (driven backwards). `None` if every way is closed. Ties go to the
/// lower segment index. `adjacency` is [`Adjacency::new`] of `s`; `search` only lends its
/// memory.
///
/// # Complexity
/// Dijkstra: **O(|E| log |V|)**.
pub(super) fn best_open_path(
    s: &Scenario,
    c: &Conditions,
    adjacency: &Adjacency,
    search: &mut Search,
    here: NodeId,
    toward: Toward,
) -> Option<Vec<SegmentId>> {
    let n = s.nodes.len();
    let Search { dist, via, heap } = search;
    dist.clear();
    dist.resize(n, None);
    via.clear();
    via.resize(n, None);
    heap.clear();
    let zero = (OrderedFloat(0.0), OrderedFloat(0.0));
    dist[here.index()] = Some(zero);
    heap.push(Reverse((zero, here.index())));
    let is_target = |v: usize| match toward {
        Toward::AnyDepot => matches!(s.nodes[v].kind, NodeKind::Depot(_)),
        Toward::Source(src) => v == src.index(),
    };
    let mut reached = None;
    while let Some(Reverse((d, v))) = heap.pop() {
        if dist[v].is_some_and(|x| x < d) {
            continue;
        }
        if is_target(v) && v != here.index() {
            reached = Some(v);
            break;
        }
        // The segments with `v` at their tail (in the direction of travel), by index.
        let tails = match toward {
            Toward::AnyDepot => &adjacency.out[v],
            Toward::Source(_) => &adjacency.into[v],
        };
        for &i in tails {
            let g = &s.segments[i];
            let head = match toward {
                Toward::AnyDepot => g.to.index(),
                Toward::Source(_) => g.from.index(),
            };
            if !c.open[i] || g.capacity_trucks_per_day <= 0.0 {
                continue;
            }
            let loss = loss_cost(g.risk, c.risk_multiplier[i], g.attack.loss_fraction);
            if !loss.is_finite() {
                continue;
            }
            let nd = (
                OrderedFloat(d.0.0 + loss),
                OrderedFloat(d.1.0 + g.transit.mean()),
            );
            if dist[head].is_none_or(|x| nd < x) {
                dist[head] = Some(nd);
                via[head] = Some(i);
                heap.push(Reverse((nd, head)));
            }
        }
    }
    walk_back(s, via, reached?, here, toward)
}

/// The path a search found, from the node it `reached` back to `here` along `via` (the
/// segment each node was reached by), in the order [`best_open_path`] returns it.
fn walk_back(
    s: &Scenario,
    via: &[Option<usize>],
    reached: usize,
    here: NodeId,
    toward: Toward,
) -> Option<Vec<SegmentId>> {
    let mut v = reached;
    let mut path = Vec::new();
    while v != here.index() {
        let i = via[v]?;
        path.push(SegmentId(i as u32));
        let g = &s.segments[i];
        v = match toward {
            Toward::AnyDepot => g.from.index(),
            Toward::Source(_) => g.to.index(),
        };
    }
    // Built from the target back to `here`: forward order for a depot; for a source the
    // walk went from `here` towards the source, so the collected order is source → here.
    if toward == Toward::AnyDepot {
        path.reverse();
    }
    Some(path)
}

/// Expected survival (unescorted) and mean transit of a run of segments under `c`.
pub(super) fn survival_and_transit(s: &Scenario, c: &Conditions, segs: &[SegmentId]) -> (f64, f64) {
    segs.iter().fold((1.0, 0.0), |(sv, tr), g| {
        let seg = &s.segments[g.index()];
        let loss = loss_cost(
            seg.risk,
            c.risk_multiplier[g.index()],
            seg.attack.loss_fraction,
        );
        (sv * (-loss).exp(), tr + seg.transit.mean())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`best_open_path`] as it was before the adjacency lists: every segment scanned for
    /// each node taken from the heap. The reference the faster search must equal.
    fn by_scanning(
        s: &Scenario,
        c: &Conditions,
        here: NodeId,
        toward: Toward,
    ) -> Option<Vec<SegmentId>> {
        let n = s.nodes.len();
        let mut dist: Vec<Option<Cost>> = vec![None; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        let mut heap = BinaryHeap::new();
        let zero = (OrderedFloat(0.0), OrderedFloat(0.0));
        dist[here.index()] = Some(zero);
        heap.push(Reverse((zero, here.index())));
        let mut reached = None;
        while let Some(Reverse((d, v))) = heap.pop() {
            if dist[v].is_some_and(|x| x < d) {
                continue;
            }
            let target = match toward {
                Toward::AnyDepot => matches!(s.nodes[v].kind, NodeKind::Depot(_)),
                Toward::Source(src) => v == src.index(),
            };
            if target && v != here.index() {
                reached = Some(v);
                break;
            }
            for (i, g) in s.segments.iter().enumerate() {
                let (tail, head) = match toward {
                    Toward::AnyDepot => (g.from.index(), g.to.index()),
                    Toward::Source(_) => (g.to.index(), g.from.index()),
                };
                if tail != v || !c.open[i] || g.capacity_trucks_per_day <= 0.0 {
                    continue;
                }
                let loss = loss_cost(g.risk, c.risk_multiplier[i], g.attack.loss_fraction);
                if !loss.is_finite() {
                    continue;
                }
                let nd = (
                    OrderedFloat(d.0.0 + loss),
                    OrderedFloat(d.1.0 + g.transit.mean()),
                );
                if dist[head].is_none_or(|x| nd < x) {
                    dist[head] = Some(nd);
                    via[head] = Some(i);
                    heap.push(Reverse((nd, head)));
                }
            }
        }
        walk_back(s, &via, reached?, here, toward)
    }

    #[test]
    fn the_adjacency_search_finds_the_scanning_search_path() {
        // Every node of the bundled networks, towards a depot and towards every source,
        // with all roads open and then under many patterns of closures and multipliers.
        for file in ["bamako-2025.ron", "mali.ron", "tutorial.ron"] {
            let s = crate::scenario::bundled(file);
            let adjacency = Adjacency::new(&s);
            let mut search = Search::default();
            let sources: Vec<NodeId> = s.sources().map(|(n, _)| n).collect();
            let mut c = Conditions::baseline(&s);
            let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
            let (mut compared, mut found) = (0, 0);
            for round in 0..40 {
                if round > 0 {
                    for i in 0..s.segments.len() {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        c.open[i] = !x.is_multiple_of(4);
                        c.risk_multiplier[i] = [0.5, 1.0, 1.0, 3.0][(x >> 8) as usize % 4];
                    }
                }
                for v in 0..s.nodes.len() {
                    let here = NodeId(v as u32);
                    let towards = std::iter::once(Toward::AnyDepot)
                        .chain(sources.iter().map(|&n| Toward::Source(n)));
                    for toward in towards {
                        let want = by_scanning(&s, &c, here, toward);
                        let got = best_open_path(&s, &c, &adjacency, &mut search, here, toward);
                        assert_eq!(got, want, "{file} round {round} from {v} {toward:?}");
                        compared += 1;
                        found += usize::from(want.is_some());
                    }
                }
            }
            assert!(
                found >= 100 && found < compared,
                "{file}: {found} of {compared}"
            );
        }
    }
}
