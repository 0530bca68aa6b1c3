//! Names on the map: short forms of node names, and the `Placer` that puts each label
//! in the first free place near what it names (no overlap with markers, labels, leader
//! lines or roads), with its geometry helpers.

use super::*;

/// A name for the map: without parenthetical notes ("Yamoussoukro (GESTOCI depot)" ->
/// "Yamoussoukro"), and a shorter fallback: the last part of "A / B".
pub(super) fn map_names(name: &str) -> (String, String) {
    let mut full = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => full.push(c),
            _ => {}
        }
    }
    let full = full.split_whitespace().collect::<Vec<_>>().join(" ");
    let full = if full.is_empty() {
        name.to_string()
    } else {
        full
    };
    let short = full
        .rsplit(" / ")
        .next()
        .map_or_else(|| full.clone(), |x| x.trim().to_string());
    (full, short)
}

/// Whether the segment `a`–`b` crosses the rectangle (Liang–Barsky).
pub(super) fn crosses(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - r.0),
        (dx, r.2 - a.0),
        (-dy, a.1 - r.1),
        (dy, r.3 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// A pixel rectangle: left, top, right, bottom.
pub(super) type Rect = (i32, i32, i32, i32);

pub(super) fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Items filed by the cells of a grid of square pixel cells they touch, for "what is near
/// this rectangle" in time proportional to what is near it.
pub(super) struct Buckets {
    pub(super) cell: i32,
    pub(super) cells: std::collections::HashMap<(i32, i32), Vec<usize>>,
    /// Per item, the query that last returned it (each item once per query).
    pub(super) stamp: Vec<u32>,
    pub(super) query: u32,
}

impl Buckets {
    pub(super) fn new(cell: i32) -> Buckets {
        Buckets {
            cell: cell.max(1),
            cells: std::collections::HashMap::new(),
            stamp: Vec::new(),
            query: 0,
        }
    }

    pub(super) fn file(&mut self, i: usize, k: (i32, i32)) {
        self.cells.entry(k).or_default().push(i);
        if self.stamp.len() <= i {
            self.stamp.resize(i + 1, 0);
        }
    }

    /// Files item `i` under every cell of the rectangle `r` (edges included).
    pub(super) fn insert_rect(&mut self, i: usize, r: Rect) {
        let c = self.cell;
        for x in r.0.min(r.2).div_euclid(c)..=r.0.max(r.2).div_euclid(c) {
            for y in r.1.min(r.3).div_euclid(c)..=r.1.max(r.3).div_euclid(c) {
                self.file(i, (x, y));
            }
        }
    }

    /// Files the line `a`–`b` under every cell it passes through (and a pixel around it):
    /// column by column, the rows between its heights at the column's edges.
    pub(super) fn insert_line(&mut self, i: usize, a: (f64, f64), b: (f64, f64)) {
        let c = f64::from(self.cell);
        let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        let y_at = |x: f64| {
            if b.0 > a.0 {
                a.1 + (b.1 - a.1) * ((x - a.0) / (b.0 - a.0)).clamp(0.0, 1.0)
            } else {
                a.1
            }
        };
        let (c0, c1) = ((a.0 / c).floor() as i32, (b.0 / c).floor() as i32);
        for col in c0..=c1 {
            let x0 = (f64::from(col) * c).max(a.0);
            let x1 = (f64::from(col + 1) * c).min(b.0);
            let (mut y0, mut y1) = (y_at(x0), y_at(x1));
            if b.0 == a.0 {
                (y0, y1) = (a.1, b.1);
            }
            let (lo, hi) = (y0.min(y1) - 1.0, y0.max(y1) + 1.0);
            for row in (lo / c).floor() as i32..=(hi / c).floor() as i32 {
                self.file(i, (col, row));
            }
        }
    }

    /// Calls `f` once for every item filed under a cell of `r` (edges included): a
    /// superset of the items whose box or line shares a point with `r`.
    pub(super) fn near(&mut self, r: Rect, mut f: impl FnMut(usize)) {
        self.query += 1;
        let c = self.cell;
        for x in r.0.min(r.2).div_euclid(c)..=r.0.max(r.2).div_euclid(c) {
            for y in r.1.min(r.3).div_euclid(c)..=r.1.max(r.3).div_euclid(c) {
                for &i in self.cells.get(&(x, y)).into_iter().flatten() {
                    if self.stamp[i] != self.query {
                        self.stamp[i] = self.query;
                        f(i);
                    }
                }
            }
        }
    }
}

/// A placed label.
pub(super) struct Label {
    pub(super) text: String,
    /// Top left of the text.
    pub(super) at: (i32, i32),
    pub(super) font: Font,
    /// Leader line from what it names, for labels set further out.
    pub(super) leader: Option<((i32, i32), (i32, i32))>,
    /// What it names.
    pub(super) names: Names,
    /// The colour of the road it names (a road's label is framed in it).
    pub(super) road: Option<RGBColor>,
}

/// A marker as drawn: a disc, or a square of half side `r`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Marker {
    /// The node it marks; `None` for a capital of the basemap.
    pub(super) node: Option<usize>,
    pub(super) at: (i32, i32),
    /// Radius of the disc, or half the side of the square, outline included.
    pub(super) r: f64,
    pub(super) square: bool,
}

impl Marker {
    /// Whether point `p` is within `margin` pixels of the marker.
    pub(super) fn covers(&self, p: (f64, f64), margin: f64) -> bool {
        let (dx, dy) = (p.0 - f64::from(self.at.0), p.1 - f64::from(self.at.1));
        if self.square {
            dx.abs() <= self.r + margin && dy.abs() <= self.r + margin
        } else {
            dx.hypot(dy) <= self.r + margin
        }
    }

    /// Whether the marker meets the rectangle `q`.
    pub(super) fn meets(&self, q: Rect) -> bool {
        let c = pf(self.at);
        let dx = (f64::from(q.0) - c.0).max(c.0 - f64::from(q.2)).max(0.0);
        let dy = (f64::from(q.1) - c.1).max(c.1 - f64::from(q.3)).max(0.0);
        if self.square {
            dx <= self.r && dy <= self.r
        } else {
            dx.hypot(dy) <= self.r
        }
    }

    /// The bounding box of the marker.
    pub(super) fn bbox(&self) -> Rect {
        let r = self.r.ceil() as i32;
        (self.at.0 - r, self.at.1 - r, self.at.0 + r, self.at.1 + r)
    }
}

/// Distance from point `p` to the segment `a`–`b`.
pub(super) fn point_seg(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// Distance between the segments `a`–`b` and `c`–`d` (0 if they cross).
pub(super) fn seg_seg(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> f64 {
    let orient = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return 0.0;
    }
    point_seg(a, c, d)
        .min(point_seg(b, c, d))
        .min(point_seg(c, a, b))
        .min(point_seg(d, a, b))
}

/// Distance from the segment `a`–`b` to the rectangle `r` (0 if they meet).
pub(super) fn seg_rect_dist(a: (f64, f64), b: (f64, f64), r: Rect) -> f64 {
    let rf = (
        f64::from(r.0),
        f64::from(r.1),
        f64::from(r.2),
        f64::from(r.3),
    );
    if crosses(a, b, rf) {
        return 0.0;
    }
    let edges = [
        ((rf.0, rf.1), (rf.2, rf.1)),
        ((rf.2, rf.1), (rf.2, rf.3)),
        ((rf.2, rf.3), (rf.0, rf.3)),
        ((rf.0, rf.3), (rf.0, rf.1)),
    ];
    edges
        .iter()
        .map(|(p, q)| seg_seg(a, b, *p, *q))
        .fold(f64::INFINITY, f64::min)
}

/// The free room for labels on a map: markers, roads (with half their width and a
/// clearance), label boxes and leader lines taken so far, each filed by grid cell.
pub(super) struct Placer {
    pub(super) bounds: Rect,
    pub(super) markers: Vec<Marker>,
    pub(super) marker_near: Buckets,
    pub(super) boxes: Vec<Rect>,
    pub(super) box_near: Buckets,
    /// Segment, ends, half width plus clearance.
    pub(super) roads: Vec<RoadLine>,
    pub(super) road_near: Buckets,
    /// The widest half width plus clearance, rounded up.
    pub(super) reach: i32,
    /// The two end nodes of each segment.
    pub(super) seg_nodes: Vec<(usize, usize)>,
    pub(super) leaders: Vec<((f64, f64), (f64, f64))>,
    pub(super) leader_near: Buckets,
}

/// `r` grown by `d` on every side.
pub(super) fn grow(r: Rect, d: i32) -> Rect {
    (r.0 - d, r.1 - d, r.2 + d, r.3 + d)
}

/// The bounding box of the segment `a`–`b`.
pub(super) fn seg_box(a: (f64, f64), b: (f64, f64)) -> Rect {
    (
        a.0.min(b.0).floor() as i32,
        a.1.min(b.1).floor() as i32,
        a.0.max(b.0).ceil() as i32,
        a.1.max(b.1).ceil() as i32,
    )
}

impl Placer {
    /// The room inside `bounds` left by what `g` holds, with `clear` pixels kept from
    /// every road; grid cells of `cell` pixels.
    pub(super) fn new(
        cell: i32,
        bounds: Rect,
        g: &Geometry,
        clear: f64,
        seg_nodes: Vec<(usize, usize)>,
    ) -> Placer {
        let mut p = Placer {
            bounds,
            markers: Vec::new(),
            marker_near: Buckets::new(cell),
            boxes: Vec::new(),
            box_near: Buckets::new(cell),
            roads: Vec::new(),
            road_near: Buckets::new(cell),
            reach: 0,
            seg_nodes,
            leaders: Vec::new(),
            leader_near: Buckets::new(cell),
        };
        for m in &g.markers {
            p.marker_near.insert_rect(p.markers.len(), m.bbox());
            p.markers.push(*m);
        }
        for (j, a, b, w) in &g.roads {
            let hw = w / 2.0 + clear;
            p.reach = p.reach.max(hw.ceil() as i32);
            p.road_near.insert_line(p.roads.len(), *a, *b);
            p.roads.push((*j, *a, *b, hw));
        }
        for (_, _, r) in &g.labels {
            p.take_box(*r);
        }
        p
    }

    /// Whether the label box `r` is inside the bounds and meets no marker, box, leader
    /// line or road but the road `except` (the one it names).
    pub(super) fn box_free(&mut self, r: Rect, except: Option<usize>) -> bool {
        let b = self.bounds;
        if r.0 < b.0 || r.1 < b.1 || r.2 > b.2 || r.3 > b.3 {
            return false;
        }
        let mut free = true;
        let (markers, boxes, roads, leaders) =
            (&self.markers, &self.boxes, &self.roads, &self.leaders);
        self.marker_near.near(r, |i| free &= !markers[i].meets(r));
        self.box_near.near(r, |i| free &= !overlaps(boxes[i], r));
        let rf = (
            f64::from(r.0),
            f64::from(r.1),
            f64::from(r.2),
            f64::from(r.3),
        );
        self.leader_near
            .near(r, |i| free &= !crosses(leaders[i].0, leaders[i].1, rf));
        self.road_near.near(grow(r, self.reach), |i| {
            let (j, a, b, hw) = roads[i];
            free &= Some(j) == except || seg_rect_dist(a, b, r) > hw;
        });
        free
    }

    /// Whether a leader line from `a` to `b` (the label box `own_box` at `b`) crosses no
    /// marker, box, road or leader but those of what it names: the markers of `own_nodes`
    /// and the road `own_road`. Returns where the leader leaves the markers it starts in.
    pub(super) fn leader_free(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        own_nodes: &[usize],
        own_road: Option<usize>,
        own_box: Rect,
    ) -> Option<(i32, i32)> {
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len < 1.0 {
            return None;
        }
        let own: Vec<Marker> = self
            .markers
            .iter()
            .filter(|m| m.node.is_some_and(|n| own_nodes.contains(&n)))
            .copied()
            .collect();
        // Step out of the markers of what it names (by half pixels).
        let mut t = 0.0;
        let at = |t: f64| (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
        while t < len && own.iter().any(|m| m.covers(at(t), 1.5)) {
            t += 0.5;
        }
        if t >= len {
            return None;
        }
        let a0 = a;
        let a = at(t);
        // Where the roads of what it names meet at a marker, the leader leaves the marker
        // over them: those roads are tested from the edge of their junction on.
        let junction = |n: usize, hw: f64| -> Option<(f64, f64)> {
            let m = own.iter().find(|m| m.node == Some(n))?;
            let c = pf(m.at);
            let rad =
                m.r * if m.square {
                    std::f64::consts::SQRT_2
                } else {
                    1.0
                } + hw
                    + 1.0;
            let mut t = t;
            let at = |t: f64| (a0.0 + (b.0 - a0.0) * t / len, a0.1 + (b.1 - a0.1) * t / len);
            while t < len && (at(t).0 - c.0).hypot(at(t).1 - c.1) <= rad {
                t += 0.5;
            }
            Some(at(t))
        };
        let q = grow(seg_box(a, b), self.reach + 1);
        let mut free = true;
        let (markers, boxes, roads, leaders) =
            (&self.markers, &self.boxes, &self.roads, &self.leaders);
        self.marker_near.near(q, |i| {
            let m = markers[i];
            if !m.node.is_some_and(|n| own_nodes.contains(&n)) {
                let c = pf(m.at);
                free &= if m.square {
                    seg_rect_dist(a, b, m.bbox()) > 0.0
                } else {
                    point_seg(c, a, b) > m.r
                };
            }
        });
        self.box_near.near(q, |i| {
            if boxes[i] != own_box {
                let r = boxes[i];
                free &= !crosses(
                    a,
                    b,
                    (
                        f64::from(r.0),
                        f64::from(r.1),
                        f64::from(r.2),
                        f64::from(r.3),
                    ),
                );
            }
        });
        self.leader_near.near(q, |i| {
            free &= seg_seg(a, b, leaders[i].0, leaders[i].1) > 2.0
        });
        let seg_nodes = &self.seg_nodes;
        self.road_near.near(q, |i| {
            let (j, ra, rb, hw) = roads[i];
            if Some(j) != own_road {
                let (f, t) = seg_nodes[j];
                let from = [f, t]
                    .iter()
                    .filter(|n| own_nodes.contains(n))
                    .filter_map(|n| junction(*n, hw))
                    .max_by(|p, q| {
                        let d = |x: (f64, f64)| (x.0 - a.0).hypot(x.1 - a.1);
                        d(*p).total_cmp(&d(*q))
                    })
                    .unwrap_or(a);
                free &= seg_seg(from, b, ra, rb) > hw;
            }
        });
        free.then_some((a.0.round() as i32, a.1.round() as i32))
    }

    /// Takes the label box `r`.
    pub(super) fn take_box(&mut self, r: Rect) {
        self.box_near.insert_rect(self.boxes.len(), r);
        self.boxes.push(r);
    }

    /// Takes the leader line `a`–`b`.
    pub(super) fn take_leader(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.leader_near
            .insert_rect(self.leaders.len(), seg_box(a, b));
        self.leaders.push((a, b));
    }
}
