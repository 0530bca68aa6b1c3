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

/// The best open path between `here` and the target: for [`Toward::AnyDepot`] the
/// segments from `here` to the nearest depot; for [`Toward::Source`] the segments from the
/// source to `here` (driven backwards). `None` if every way is closed. Ties go to the
/// lower segment index.
///
/// # Complexity
/// Dijkstra: **O(|E| log |V|)**.
pub(super) fn best_open_path(
    s: &Scenario,
    c: &Conditions,
    here: NodeId,
    toward: Toward,
) -> Option<Vec<SegmentId>> {
    let n = s.nodes.len();
    type Cost = (OrderedFloat<f64>, OrderedFloat<f64>);
    let mut dist: Vec<Option<Cost>> = vec![None; n];
    let mut via: Vec<Option<usize>> = vec![None; n];
    let mut heap = BinaryHeap::new();
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
    let mut v = reached?;
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
