//! Where the nodes go: by latitude and longitude, projected (x east, y north), with
//! nodes that have no coordinates placed from their neighbours, or a schematic without any.

use super::*;

/// Where nodes go, in projected degrees (x east, y north); `None` for nodes left out.
#[derive(Debug, Clone)]
pub(super) struct NodePlaces {
    pub(super) pos: Vec<Option<(f64, f64)>>,
    /// Placed by geography (else a schematic).
    pub(super) geo: bool,
    /// Nodes placed from their neighbours.
    pub(super) guessed: Vec<usize>,
    /// Horizontal scale of projected degrees (cos of the mean latitude).
    pub(super) kx: f64,
}

pub(super) fn place_nodes(s: &Scenario) -> NodePlaces {
    let n = s.nodes.len();
    let known: Vec<Option<(f64, f64)>> = s
        .nodes
        .iter()
        .map(|nd| match (nd.lon, nd.lat) {
            (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => Some((lon, lat)),
            _ => None,
        })
        .collect();
    let placed: Vec<(f64, f64)> = known.iter().flatten().copied().collect();
    let spread = placed.iter().any(|p| *p != placed[0]);
    if placed.len() >= 2 && spread {
        let mean_lat = placed.iter().map(|p| p.1).sum::<f64>() / placed.len() as f64;
        let kx = mean_lat.to_radians().cos().clamp(0.2, 1.0);
        let (xmin, xmax) = minmax(placed.iter().map(|p| p.0));
        let (ymin, ymax) = minmax(placed.iter().map(|p| p.1));
        let step = 0.04 * (xmax - xmin).max(ymax - ymin);
        let mut pos = known.clone();
        let mut guessed = Vec::new();
        // Neighbours of each node, in segment order (the order the sums below add them).
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for g in &s.segments {
            let (a, b) = (g.from.index(), g.to.index());
            adj[a].push(b);
            if b != a {
                adj[b].push(a);
            }
        }
        // Fill nodes without coordinates from their placed neighbours, in node order, until
        // nothing changes.
        loop {
            let mut changed = false;
            for i in 0..n {
                if pos[i].is_some() {
                    continue;
                }
                let nb: Vec<(f64, f64)> = adj[i].iter().filter_map(|&j| pos[j]).collect();
                if nb.is_empty() {
                    continue;
                }
                let k = nb.len() as f64;
                let (mut x, mut y) = (
                    nb.iter().map(|p| p.0).sum::<f64>() / k,
                    nb.iter().map(|p| p.1).sum::<f64>() / k,
                );
                // Never on top of a neighbour or another guessed node.
                let mut tries = 0;
                while tries < 8
                    && pos
                        .iter()
                        .flatten()
                        .any(|p| (p.0 - x).abs() < step / 4.0 && (p.1 - y).abs() < step / 4.0)
                {
                    x += step;
                    y -= step / 2.0;
                    tries += 1;
                }
                pos[i] = Some((x, y));
                guessed.push(i);
                changed = true;
            }
            if !changed {
                break;
            }
        }
        let pos = pos
            .into_iter()
            .map(|p| p.map(|(x, y)| (x * kx, y)))
            .collect();
        return NodePlaces {
            pos,
            geo: true,
            guessed,
            kx,
        };
    }
    // A schematic: columns by the number of segments from a source, rows in node order.
    let mut depth: Vec<Option<usize>> = s
        .nodes
        .iter()
        .map(|nd| matches!(nd.kind, NodeKind::Source { .. }).then_some(0))
        .collect();
    if depth.iter().all(Option::is_none) && n > 0 {
        depth[0] = Some(0);
    }
    for _ in 0..n {
        let mut changed = false;
        for g in &s.segments {
            if let Some(d) = depth[g.from.index()]
                && depth[g.to.index()].is_none_or(|t| t > d + 1)
            {
                depth[g.to.index()] = Some(d + 1);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let max_d = depth.iter().flatten().copied().max().unwrap_or(0);
    let depth: Vec<usize> = depth.into_iter().map(|d| d.unwrap_or(max_d + 1)).collect();
    let mut count = vec![0usize; max_d + 2];
    let mut col_size = vec![0usize; max_d + 2];
    for d in &depth {
        col_size[*d] += 1;
    }
    let mut pos = vec![None; n];
    for i in 0..n {
        let d = depth[i];
        let col_n = col_size[d] as f64;
        pos[i] = Some((d as f64, -(count[d] as f64) + (col_n - 1.0) / 2.0));
        count[d] += 1;
    }
    NodePlaces {
        pos,
        geo: false,
        guessed: Vec::new(),
        kx: 1.0,
    }
}

pub(super) fn minmax(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

/// The map's projection to pixels: projected degrees centred in the map rectangle
/// `(left, top, right, bottom)`, one scale for both axes, `pad` pixels clear of its edges.
/// A single node (or nodes on one line) sits in the middle along the missing extent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Projection {
    /// Extent of the placed nodes, projected degrees.
    pub(super) xmin: f64,
    /// See `xmin`.
    pub(super) xmax: f64,
    /// See `xmin`.
    pub(super) ymin: f64,
    /// See `xmin`.
    pub(super) ymax: f64,
    /// Pixels per projected degree.
    pub(super) scale: f64,
    /// The middle of the map rectangle, pixels.
    pub(super) cx: f64,
    /// See `cx`.
    pub(super) cy: f64,
    /// The middle of the nodes' extent, projected degrees.
    pub(super) mx: f64,
    /// See `mx`.
    pub(super) my: f64,
}

impl Projection {
    /// The projection of the `placed` nodes into `map`.
    pub(super) fn new(placed: &[(f64, f64)], map: (i32, i32, i32, i32), pad: f64) -> Projection {
        let (xmin, xmax) = minmax(placed.iter().map(|p| p.0));
        let (ymin, ymax) = minmax(placed.iter().map(|p| p.1));
        let (xspan, yspan) = ((xmax - xmin).max(1e-9), (ymax - ymin).max(1e-9));
        let (mw, mh) = (
            f64::from(map.2 - map.0) - 2.0 * pad,
            f64::from(map.3 - map.1) - 2.0 * pad,
        );
        let scale = if placed.len() < 2 {
            1.0
        } else {
            let sx = if xmax > xmin {
                mw / xspan
            } else {
                f64::INFINITY
            };
            let sy = if ymax > ymin {
                mh / yspan
            } else {
                f64::INFINITY
            };
            let sc = sx.min(sy);
            if sc.is_finite() { sc } else { 1.0 }
        };
        let cx = f64::from(map.0 + map.2) / 2.0;
        let cy = f64::from(map.1 + map.3) / 2.0;
        let (mx, my) = ((xmin + xmax) / 2.0, (ymin + ymax) / 2.0);
        Projection {
            xmin,
            xmax,
            ymin,
            ymax,
            scale,
            cx,
            cy,
            mx,
            my,
        }
    }

    /// A point in projected degrees as pixels.
    pub(super) fn px(&self, p: (f64, f64)) -> (i32, i32) {
        let Projection {
            xmin,
            xmax,
            ymin,
            ymax,
            scale,
            cx,
            cy,
            mx,
            my,
        } = *self;
        let x = if xmax > xmin {
            cx + (p.0 - mx) * scale
        } else {
            cx
        };
        let y = if ymax > ymin {
            cy - (p.1 - my) * scale
        } else {
            cy
        };
        (x.round() as i32, y.round() as i32)
    }
}
