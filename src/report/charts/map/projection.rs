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
