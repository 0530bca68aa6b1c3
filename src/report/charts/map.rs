//! The network map: nodes placed by latitude and longitude over the country borders,
//! names and capitals of West Africa ([`super::basemap`]), segments drawn with width by
//! capacity and colour by criticality, the minimum cut marked, names placed so that they do
//! not overlap, a legend and a scale bar.

use std::path::Path;

use plotters::prelude::*;

use super::ChartOptions;
use super::basemap;
use super::draw::{
    Align, BLUE, Canvas, Chart, Font, GREEN, GRID, Header, INK, MUTED, Res, VAlign, header,
    nice_ticks, notes, render, size, tick_label,
};
use crate::network::{Criticality, MaxFlow};
use crate::report::{Msg, ReportError};
use crate::scenario::{NodeKind, Scenario, SegmentId};
use crate::tr;

/// Colours of criticality classes: not critical, then up to 10 %, 25 %, 50 %, more.
const CRIT: [RGBColor; 5] = [
    RGBColor(196, 196, 196),
    RGBColor(253, 174, 107),
    RGBColor(241, 105, 19),
    RGBColor(217, 72, 1),
    RGBColor(127, 39, 4),
];
/// Labels of the criticality classes.
const CRIT_LABELS: [Msg; 5] = [
    Msg::MapNoDrop,
    Msg::MapUpTo10,
    Msg::Map10To25,
    Msg::Map25To50,
    Msg::MapOver50,
];

/// The class of `x` among upper bounds `bounds` (ascending, inclusive): 0 for NaN or up to
/// `bounds[0]`, `bounds.len()` above the last.
fn class_of(x: f64, bounds: &[f64]) -> usize {
    if x.is_nan() {
        return 0;
    }
    bounds.iter().position(|b| x <= *b).unwrap_or(bounds.len())
}

/// Criticality class of a drop that is `share` of the maximum flow.
fn crit_class(share: f64) -> usize {
    class_of(share, &[1e-9, 0.10, 0.25, 0.50])
}

/// Draws the network of `s` as a map into `path` (a PNG; with `opts.svg`, also the same
/// name with `.svg`). Segment width shows capacity, colour how much the maximum flow `mf`
/// drops when the segment alone is closed (`crit`, from [`crate::network::Network::criticality`]
/// under the same conditions), and the segments of `mf.min_cut` are outlined in black.
///
/// Segments in `opts.closed` (closed under the conditions analysed) are drawn as dashed
/// dark grey lines with a cross at their middle, and the legend says "closed on that day".
///
/// The subtitle gives the maximum flow against demand, then `opts.facts`, which should say
/// under which conditions `mf` and `crit` were computed ("baseline: all roads open, events
/// ignored", "on 2025-10-01") and any overrides.
///
/// Nodes are placed by latitude and longitude (equirectangular, scaled by the cosine of the
/// mean latitude). A node without coordinates is placed at the mean of its placed
/// neighbours; one with none is left out and named in a note. With fewer than two placed
/// nodes the map becomes a schematic: columns by distance from the sources, no scale bar.
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub fn network_map(
    s: &Scenario,
    mf: &MaxFlow,
    crit: &[Criticality],
    path: &Path,
    opts: &ChartOptions,
) -> Result<(), ReportError> {
    let chart = MapChart {
        s,
        mf,
        crit,
        facts: &opts.facts,
        closed: &opts.closed,
        risk: None,
        mode: Mode::Criticality,
        record: None,
    };
    render(&chart, path, opts).map(|_| ())
}

/// Draws the network of `s` like [`network_map`], but with each road coloured by the
/// chance that an unescorted convoy is attacked on it, `risk[i]` for segment `i` (from
/// [`crate::network::attack_probability`] under the conditions shown: say which in
/// `opts.facts`). Width still shows capacity; the legend lists the most dangerous roads.
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub fn risk_map(
    s: &Scenario,
    mf: &MaxFlow,
    crit: &[Criticality],
    risk: &[f64],
    path: &Path,
    opts: &ChartOptions,
) -> Result<(), ReportError> {
    let chart = MapChart {
        s,
        mf,
        crit,
        facts: &opts.facts,
        closed: &opts.closed,
        risk: Some(risk),
        mode: Mode::Risk,
        record: None,
    };
    render(&chart, path, opts).map(|_| ())
}

/// Draws the network of `s` like [`network_map`], with each road coloured by the mean
/// number of tankers lost on it per run, `lost[i]` for segment `i` (from
/// [`crate::ensemble::Summary`]'s segment statistics). Width still shows capacity; the
/// legend lists the roads that lost most.
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub fn losses_map(
    s: &Scenario,
    mf: &MaxFlow,
    crit: &[Criticality],
    lost: &[f64],
    path: &Path,
    opts: &ChartOptions,
) -> Result<(), ReportError> {
    let chart = MapChart {
        s,
        mf,
        crit,
        facts: &opts.facts,
        closed: &opts.closed,
        risk: Some(lost),
        mode: Mode::Losses,
        record: None,
    };
    render(&chart, path, opts).map(|_| ())
}

/// What the road colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// How much the maximum flow drops if the road alone is closed.
    Criticality,
    /// The chance a convoy is attacked on it.
    Risk,
    /// Tankers lost on it, mean per run.
    Losses,
}

/// Labels of the loss classes (tankers per run): none, up to 1, 1–5, 5–20, more.
const LOSS_LABELS: [Msg; 5] = [
    Msg::MapLossNone,
    Msg::MapLossUnder1,
    Msg::MapLoss1To5,
    Msg::MapLoss5To20,
    Msg::MapLossOver20,
];

/// Loss class of `v` tankers lost per run.
fn loss_class(v: f64) -> usize {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v < 1.0 {
        1
    } else if v <= 5.0 {
        2
    } else if v <= 20.0 {
        3
    } else {
        4
    }
}

/// The chance, per segment, that an unescorted convoy entering it at `day` is attacked:
/// the scenario's risk under that day's multipliers; 0 for a closed segment.
pub fn attack_risk_on(s: &Scenario, day: f64) -> Vec<f64> {
    let c = crate::network::Conditions::at_day(s, day);
    s.segments
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if c.open[i] {
                crate::network::attack_probability(g.risk, c.risk_multiplier[i])
            } else {
                0.0
            }
        })
        .collect()
}

/// The day of the horizon (whole days) on which the sum over segments of
/// [`attack_risk_on`] is highest: the scenario's most dangerous day; the earliest if tied.
pub fn worst_day(s: &Scenario) -> u32 {
    let mut best = (0u32, f64::NEG_INFINITY);
    for d in 0..s.horizon_days.max(1) {
        let total: f64 = attack_risk_on(s, f64::from(d)).iter().sum();
        if total > best.1 + 1e-12 {
            best = (d, total);
        }
    }
    best.0
}

struct MapChart<'a> {
    s: &'a Scenario,
    mf: &'a MaxFlow,
    crit: &'a [Criticality],
    facts: &'a str,
    closed: &'a [SegmentId],
    /// Colour roads by these per-segment values (attack probability or tankers lost, as
    /// `mode` says) instead of criticality.
    risk: Option<&'a [f64]>,
    /// What the colours show.
    mode: Mode,
    /// Where to leave the geometry drawn (markers, roads, labels, leaders in pixels), for
    /// the placement test.
    record: Option<&'a std::cell::RefCell<Geometry>>,
}

/// A pixel point.
type Pt = (i32, i32);

/// A road line in pixels: segment, ends, a width (stroke, or half width plus clearance).
type RoadLine = (usize, (f64, f64), (f64, f64), f64);

/// What a label on the map names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// A node (its marker).
    Node(usize),
    /// A road (a segment): its line and the markers of its two ends.
    Road(usize),
    /// A place of the basemap (country, capital): nothing of the network.
    Place,
}

/// What a map draws that a label could hide or cross, in pixels, as drawn.
#[derive(Debug, Default, Clone)]
struct Geometry {
    /// Markers, outline included.
    markers: Vec<Marker>,
    /// Roads and the marks on them: segment, ends, stroke width (a disc of that diameter
    /// when both ends are the same point).
    roads: Vec<RoadLine>,
    /// Labels: what each names, its text and its box (the white box under the text).
    labels: Vec<(Names, String, Rect)>,
    /// Leader lines: what the label at their end names, from, to.
    leaders: Vec<(Names, Pt, Pt)>,
}

/// Colours of attack-risk classes (per passage): up to 0.2 %, 1 %, 3 %, 10 %, more.
const RISK: [RGBColor; 5] = [
    RGBColor(196, 196, 196),
    RGBColor(252, 187, 161),
    RGBColor(251, 106, 74),
    RGBColor(203, 24, 29),
    RGBColor(103, 0, 13),
];
/// Labels of the attack-risk classes.
const RISK_LABELS: [Msg; 5] = [
    Msg::MapRiskUpTo02,
    Msg::MapRisk02To1,
    Msg::MapRisk1To3,
    Msg::MapRisk3To10,
    Msg::MapRiskOver10,
];

/// Attack-risk class of probability `p`.
fn risk_class(p: f64) -> usize {
    class_of(p, &[0.002, 0.01, 0.03, 0.10])
}

/// Line widths of the four capacity classes (before scaling): each half again as wide
/// as the one below at least, so that they are told apart at a glance.
const CAP_WIDTHS: [f64; 4] = [2.5, 6.0, 10.5, 16.0];

/// The upper bounds of the three lower capacity classes (trucks per day) for a network
/// whose widest road carries `max_cap`: a round step `u` near a twelfth of it, and `u`,
/// `3u`, `7u` (so 25, 75, 175 for 300).
fn capacity_bounds(max_cap: f64) -> [f64; 3] {
    let target = (max_cap / 12.0).max(1e-9);
    let mag = 10f64.powf(target.log10().floor());
    let u = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .min_by(|a, b| (a - target).abs().total_cmp(&(b - target).abs()))
        .unwrap_or(mag)
        .max(1.0);
    [u, 3.0 * u, 7.0 * u]
}

/// The capacity class (0 to 3) of `cap` trucks per day among `bounds` (upper bounds,
/// inclusive); 0 for a capacity that is not a number.
fn capacity_class(cap: f64, bounds: &[f64; 3]) -> usize {
    class_of(cap, bounds)
}

/// Dark grey of closed roads.
const CLOSED: RGBColor = RGBColor(70, 70, 70);
/// Sea, land, borders, country names and capitals of the basemap.
const SEA: RGBColor = RGBColor(228, 238, 246);
const LAND: RGBColor = RGBColor(247, 245, 239);
const BORDER: RGBColor = RGBColor(178, 168, 158);
const COUNTRY: RGBColor = RGBColor(160, 150, 140);
const CAPITAL: RGBColor = RGBColor(95, 95, 95);

/// Where nodes go, in projected degrees (x east, y north); `None` for nodes left out.
#[derive(Debug, Clone)]
struct Layout {
    pos: Vec<Option<(f64, f64)>>,
    /// Placed by geography (else a schematic).
    geo: bool,
    /// Nodes placed from their neighbours.
    guessed: Vec<usize>,
    /// Horizontal scale of projected degrees (cos of the mean latitude).
    kx: f64,
}

fn layout(s: &Scenario) -> Layout {
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
        return Layout {
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
    Layout {
        pos,
        geo: false,
        guessed: Vec::new(),
        kx: 1.0,
    }
}

fn minmax(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

/// A name for the map: without parenthetical notes ("Yamoussoukro (GESTOCI depot)" ->
/// "Yamoussoukro"), and a shorter fallback: the last part of "A / B".
fn map_names(name: &str) -> (String, String) {
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
fn crosses(a: (f64, f64), b: (f64, f64), r: (f64, f64, f64, f64)) -> bool {
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
type Rect = (i32, i32, i32, i32);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Items filed by the cells of a grid of square pixel cells they touch, for "what is near
/// this rectangle" in time proportional to what is near it.
struct Buckets {
    cell: i32,
    cells: std::collections::HashMap<(i32, i32), Vec<usize>>,
    /// Per item, the query that last returned it (each item once per query).
    stamp: Vec<u32>,
    query: u32,
}

impl Buckets {
    fn new(cell: i32) -> Buckets {
        Buckets {
            cell: cell.max(1),
            cells: std::collections::HashMap::new(),
            stamp: Vec::new(),
            query: 0,
        }
    }

    fn file(&mut self, i: usize, k: (i32, i32)) {
        self.cells.entry(k).or_default().push(i);
        if self.stamp.len() <= i {
            self.stamp.resize(i + 1, 0);
        }
    }

    /// Files item `i` under every cell of the rectangle `r` (edges included).
    fn insert_rect(&mut self, i: usize, r: Rect) {
        let c = self.cell;
        for x in r.0.min(r.2).div_euclid(c)..=r.0.max(r.2).div_euclid(c) {
            for y in r.1.min(r.3).div_euclid(c)..=r.1.max(r.3).div_euclid(c) {
                self.file(i, (x, y));
            }
        }
    }

    /// Files the line `a`–`b` under every cell it passes through (and a pixel around it):
    /// column by column, the rows between its heights at the column's edges.
    fn insert_line(&mut self, i: usize, a: (f64, f64), b: (f64, f64)) {
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
    fn near(&mut self, r: Rect, mut f: impl FnMut(usize)) {
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
struct Label {
    text: String,
    /// Top left of the text.
    at: (i32, i32),
    font: Font,
    /// Leader line from what it names, for labels set further out.
    leader: Option<((i32, i32), (i32, i32))>,
    /// What it names.
    names: Names,
    /// The colour of the road it names (a road's label is framed in it).
    road: Option<RGBColor>,
}

/// A marker as drawn: a disc, or a square of half side `r`.
#[derive(Debug, Clone, Copy)]
struct Marker {
    /// The node it marks; `None` for a capital of the basemap.
    node: Option<usize>,
    at: (i32, i32),
    /// Radius of the disc, or half the side of the square, outline included.
    r: f64,
    square: bool,
}

impl Marker {
    /// Whether point `p` is within `margin` pixels of the marker.
    fn covers(&self, p: (f64, f64), margin: f64) -> bool {
        let (dx, dy) = (p.0 - f64::from(self.at.0), p.1 - f64::from(self.at.1));
        if self.square {
            dx.abs() <= self.r + margin && dy.abs() <= self.r + margin
        } else {
            dx.hypot(dy) <= self.r + margin
        }
    }

    /// Whether the marker meets the rectangle `q`.
    fn meets(&self, q: Rect) -> bool {
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
    fn bbox(&self) -> Rect {
        let r = self.r.ceil() as i32;
        (self.at.0 - r, self.at.1 - r, self.at.0 + r, self.at.1 + r)
    }
}

/// Distance from point `p` to the segment `a`–`b`.
fn point_seg(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
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
fn seg_seg(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> f64 {
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
fn seg_rect_dist(a: (f64, f64), b: (f64, f64), r: Rect) -> f64 {
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
struct Placer {
    bounds: Rect,
    markers: Vec<Marker>,
    marker_near: Buckets,
    boxes: Vec<Rect>,
    box_near: Buckets,
    /// Segment, ends, half width plus clearance.
    roads: Vec<RoadLine>,
    road_near: Buckets,
    /// The widest half width plus clearance, rounded up.
    reach: i32,
    /// The two end nodes of each segment.
    seg_nodes: Vec<(usize, usize)>,
    leaders: Vec<((f64, f64), (f64, f64))>,
    leader_near: Buckets,
}

/// `r` grown by `d` on every side.
fn grow(r: Rect, d: i32) -> Rect {
    (r.0 - d, r.1 - d, r.2 + d, r.3 + d)
}

/// The bounding box of the segment `a`–`b`.
fn seg_box(a: (f64, f64), b: (f64, f64)) -> Rect {
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
    fn new(
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
    fn box_free(&mut self, r: Rect, except: Option<usize>) -> bool {
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
    fn leader_free(
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
    fn take_box(&mut self, r: Rect) {
        self.box_near.insert_rect(self.boxes.len(), r);
        self.boxes.push(r);
    }

    /// Takes the leader line `a`–`b`.
    fn take_leader(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.leader_near
            .insert_rect(self.leaders.len(), seg_box(a, b));
        self.leaders.push((a, b));
    }
}

impl Chart for MapChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let s = self.s;
        let st = cv.st;
        let l = st.lang;
        let m = cv.margin();
        let tl = s.fleet.truck_litres;
        let demand = s.total_demand_litres_per_day();
        let (div, unit) = if demand.max(self.mf.trucks_per_day * tl) >= 1e5 {
            (1e6, "M L")
        } else {
            (1.0, "L")
        };
        let fmt_l = |v: f64| {
            if div > 1.0 && v / div < 10.0 {
                l.digits(&format!("{:.2} {unit}", v / div))
            } else if div > 1.0 {
                l.digits(&format!("{:.1} {unit}", v / div))
            } else {
                format!("{} {unit}", l.thousands(v))
            }
        };
        let mut subtitle = tr!(
            l,
            MapSubtitle,
            n = l.digits(&tick_label(self.mf.trucks_per_day, 0.1)),
            flow = fmt_l(self.mf.trucks_per_day * tl),
            demand = fmt_l(demand)
        );
        if !self.facts.is_empty() {
            subtitle.push_str(" · ");
            subtitle.push_str(self.facts);
        }
        let h = Header {
            title: match self.mode {
                Mode::Risk => tr!(l, MapTitleRisk, name = s.name),
                Mode::Losses => tr!(l, MapTitleLosses, name = s.name),
                Mode::Criticality => tr!(l, MapTitleCrit, name = s.name),
            },
            subtitle,
            legend: Vec::new(),
        };
        let top = header(cv, &h)? + st.px(4.0);
        let lay = layout(s);
        let mut geo = Geometry::default();

        let mut note_lines: Vec<String> = Vec::new();
        let missing: Vec<&str> = s
            .nodes
            .iter()
            .zip(&lay.pos)
            .filter(|(_, p)| p.is_none())
            .map(|(nd, _)| nd.name.as_str())
            .collect();
        if !missing.is_empty() {
            note_lines.push(tr!(l, MapNotShown, names = missing.join(", ")));
        }
        if !lay.guessed.is_empty() {
            let names: Vec<&str> = lay
                .guessed
                .iter()
                .map(|i| s.nodes[*i].name.as_str())
                .collect();
            note_lines.push(tr!(l, MapPlacedBetween, names = names.join(", ")));
        }
        if !lay.geo {
            note_lines.push(tr!(l, MapNoCoordinates));
        }
        if !self.closed.is_empty() {
            let names: Vec<String> = self
                .closed
                .iter()
                .filter(|c| c.index() < s.segments.len())
                .map(|c| {
                    let g = s.segment(*c);
                    format!(
                        "{}–{}",
                        map_names(&s.node(g.from).name).0,
                        map_names(&s.node(g.to).name).0
                    )
                })
                .collect();
            note_lines.push(tr!(l, MapClosedThatDay, names = names.join(", ")));
        }
        if !self.mf.source_limited.is_empty() {
            let names: Vec<String> = self
                .mf
                .source_limited
                .iter()
                .map(|id| map_names(&s.node(*id).name).0)
                .collect();
            note_lines.push(tr!(l, MapSupplyLimits, names = names.join(", ")));
        }
        // Labels shortened or left out are only known after placement; reserve a line for
        // each.
        let note_h = cv.cap(Font::new(size::NOTE, MUTED)) + st.px(12.0);
        let reserve = 2 * note_h;
        let bottom_notes = notes(cv, &note_lines)?;
        let bottom = bottom_notes - reserve;

        // The legend panel on the right, the map on the left.
        let panel_w = st.px(400.0);
        let map = (m, top, st.w - m - panel_w - st.px(20.0), bottom);
        let pad = st.px(50.0) as f64;
        let placed: Vec<(f64, f64)> = lay.pos.iter().flatten().copied().collect();
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
        let to_px = |p: (f64, f64)| -> (i32, i32) {
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
        };
        let px: Vec<Option<(i32, i32)>> = lay.pos.iter().map(|p| p.map(to_px)).collect();
        let geo_map = lay.geo && placed.len() >= 2;
        let near_node = |q: (i32, i32), r: i32| {
            px.iter()
                .flatten()
                .any(|p| (p.0 - q.0).abs() <= r && (p.1 - q.1).abs() <= r)
        };

        // Geography: sea, land, borders and country names (Natural Earth), under everything.
        if geo_map {
            let base = basemap::west_africa();
            let frame = (
                f64::from(map.0),
                f64::from(map.1),
                f64::from(map.2),
                f64::from(map.3),
            );
            cv.rect((map.0, map.1), (map.2, map.3), SEA.to_rgba(), true)?;
            let proj = |(lon, lat): (f64, f64)| -> (f64, f64) {
                let (x, y) = to_px((lon * lay.kx, lat));
                (f64::from(x), f64::from(y))
            };
            let rings: Vec<Vec<(i32, i32)>> = base
                .countries
                .iter()
                .flat_map(|c| c.rings.iter())
                .map(|r| {
                    let pts: Vec<(f64, f64)> = r.iter().map(|p| proj(*p)).collect();
                    basemap::clip(&pts, frame)
                        .into_iter()
                        .map(|(x, y)| (x.round() as i32, y.round() as i32))
                        .collect()
                })
                .filter(|r: &Vec<(i32, i32)>| r.len() >= 3)
                .collect();
            for r in &rings {
                cv.poly(r.clone(), LAND.to_rgba())?;
            }
            for r in &rings {
                let mut closed = r.clone();
                closed.push(r[0]);
                cv.line(closed, BORDER.to_rgba(), 1.4)?;
            }
        }

        // Graticule.
        if lay.geo && placed.len() >= 2 {
            let lon_lo = (mx - f64::from(map.2 - map.0) / 2.0 / scale) / lay.kx;
            let lon_hi = (mx + f64::from(map.2 - map.0) / 2.0 / scale) / lay.kx;
            let lat_lo = my - f64::from(map.3 - map.1) / 2.0 / scale;
            let lat_hi = my + f64::from(map.3 - map.1) / 2.0 / scale;
            let gf = Font::new(size::NOTE * 0.85, RGBColor(150, 150, 150));
            let (lons, _) = nice_ticks(lon_lo, lon_hi, 6);
            for lon in lons {
                let x = to_px((lon * lay.kx, my)).0;
                if x > map.0 && x < map.2 {
                    cv.line(vec![(x, map.1), (x, map.3)], GRID.to_rgba(), 1.0)?;
                    let t = format!("{}°{}", lon.abs(), if lon < 0.0 { "W" } else { "E" });
                    let t = if lon == 0.0 { "0°".into() } else { t };
                    cv.text(
                        &t,
                        (x + st.px(4.0), map.3 - st.px(4.0)),
                        gf,
                        Align::Left,
                        VAlign::Baseline,
                    )?;
                }
            }
            let (lats, _) = nice_ticks(lat_lo, lat_hi, 5);
            for lat in lats {
                let y = to_px((mx, lat)).1;
                if y > map.1 && y < map.3 {
                    cv.line(vec![(map.0, y), (map.2, y)], GRID.to_rgba(), 1.0)?;
                    let t = format!("{}°{}", lat.abs(), if lat < 0.0 { "S" } else { "N" });
                    let t = if lat == 0.0 { "0°".into() } else { t };
                    cv.text(
                        &t,
                        (map.0 + st.px(4.0), y - st.px(4.0)),
                        gf,
                        Align::Left,
                        VAlign::Baseline,
                    )?;
                }
            }
        }

        // Segments.
        let max_cap = s
            .segments
            .iter()
            .map(|g| g.capacity_trucks_per_day)
            .filter(|c| c.is_finite())
            .fold(0.0, f64::max);
        let cap_bounds = capacity_bounds(max_cap);
        let width_of = |cap: f64| -> f64 { CAP_WIDTHS[capacity_class(cap, &cap_bounds)] };
        let total = self.mf.trucks_per_day;
        let mut class = vec![0usize; s.segments.len()];
        for c in self.crit {
            if let Some(slot) = class.get_mut(c.segment.index()) {
                *slot = if total > 0.0 {
                    crit_class(c.drop_trucks_per_day / total)
                } else {
                    0
                };
            }
        }
        if let Some(risk) = self.risk {
            for (i, slot) in class.iter_mut().enumerate() {
                let v = risk.get(i).copied().unwrap_or(0.0);
                *slot = if self.mode == Mode::Losses {
                    loss_class(v)
                } else {
                    risk_class(v)
                };
            }
        }
        let palette = if self.risk.is_some() { &RISK } else { &CRIT };
        let in_cut =
            |i: usize| self.risk.is_none() && self.mf.min_cut.iter().any(|c| c.index() == i);
        let ends = |i: usize| -> Option<((i32, i32), (i32, i32))> {
            let g = &s.segments[i];
            Some((px[g.from.index()]?, px[g.to.index()]?))
        };
        let mut order: Vec<usize> = (0..s.segments.len()).collect();
        order.sort_by_key(|i| (class[*i], *i));
        for &i in &order {
            if let (true, Some((a, b))) = (in_cut(i), ends(i)) {
                let w = width_of(s.segments[i].capacity_trucks_per_day) + 7.0;
                cv.line(vec![a, b], INK.to_rgba(), w)?;
                geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(w))));
            }
        }
        let is_closed = |i: usize| self.closed.iter().any(|c| c.index() == i);
        for &i in &order {
            if let Some((a, b)) = ends(i) {
                if is_closed(i) {
                    // A white casing, so the dashes read as a road that is not there today.
                    cv.line(vec![a, b], WHITE.mix(0.9), 9.0)?;
                    cv.dashed(a, b, CLOSED.to_rgba(), 4.0)?;
                    geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(9.0))));
                } else {
                    let w = width_of(s.segments[i].capacity_trucks_per_day);
                    cv.line(vec![a, b], palette[class[i]].to_rgba(), w)?;
                    geo.roads.push((i, pf(a), pf(b), f64::from(cv.stroke(w))));
                }
            }
        }
        for &i in &order {
            if let (true, Some((a, b))) = (is_closed(i), ends(i)) {
                let mid = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
                let r = st.px(9.0);
                cv.circle(mid, r + st.px(4.0), WHITE.to_rgba(), true)?;
                cv.cross(mid, r, CLOSED.to_rgba(), 4.0)?;
                geo.roads
                    .push((i, pf(mid), pf(mid), f64::from(2 * (r + st.px(4.0)))));
            }
        }
        for &i in &order {
            if let (true, Some((a, b))) = (in_cut(i), ends(i)) {
                let w = width_of(s.segments[i].capacity_trucks_per_day);
                cut_mark(cv, a, b, w)?;
                if let Some((p, q)) = cut_bar(cv, a, b, w) {
                    geo.roads.push((i, pf(p), pf(q), f64::from(cv.stroke(6.0))));
                }
            }
        }

        // Nodes.
        let node_r = |i: usize| -> i32 {
            match s.nodes[i].kind {
                NodeKind::Depot(_) => st.px(13.0),
                NodeKind::Source { .. } => st.px(10.0),
                NodeKind::Waypoint => st.px(5.5),
            }
        };
        for (i, p) in px.iter().enumerate() {
            if let Some(p) = *p {
                node_marker(cv, &s.nodes[i].kind, p)?;
                let (r, square) = marker_size(cv, &s.nodes[i].kind);
                geo.markers.push(Marker {
                    node: Some(i),
                    at: p,
                    r,
                    square,
                });
            }
        }

        // The roads the legend lists by name (the most critical, or the most dangerous):
        // each gets a label on the map too, since a short road (Kati–Bamako) can hide under
        // its end markers.
        let road_name = |i: SegmentId, short: bool| {
            let g = s.segment(i);
            let pick = |n: &str| {
                let (full, sh) = map_names(n);
                if short { sh } else { full }
            };
            format!(
                "{}–{}",
                pick(&s.node(g.from).name),
                pick(&s.node(g.to).name)
            )
        };
        let listed: Vec<(SegmentId, f64)> = match self.risk {
            None => self
                .crit
                .iter()
                .filter(|c| c.drop_trucks_per_day > 0.0 && total > 0.0)
                .take(3)
                .map(|c| (c.segment, c.drop_trucks_per_day / total))
                .collect(),
            Some(risk) => {
                let mut by: Vec<usize> = (0..s.segments.len().min(risk.len()))
                    .filter(|i| risk[*i] > 0.0)
                    .collect();
                by.sort_by(|a, b| risk[*b].total_cmp(&risk[*a]).then(a.cmp(b)));
                by.into_iter()
                    .take(3)
                    .map(|i| (SegmentId(i as u32), risk[i]))
                    .collect()
            }
        };

        // Capitals of the basemap that are not network nodes: a small square, drawn before
        // any label is placed so that none covers it; their names come last.
        let mut capitals: Vec<(&str, (i32, i32))> = Vec::new();
        if geo_map {
            for k in &basemap::west_africa().capitals {
                let (x, y) = to_px((k.at.0 * lay.kx, k.at.1));
                let r = st.px(4.0);
                if x - r < map.0 || x + r > map.2 || y - r < map.1 || y + r > map.3 {
                    continue;
                }
                if near_node((x, y), st.px(14.0)) {
                    continue; // the network node is the capital (Bamako, Dakar, ...)
                }
                cv.rect((x - r, y - r), (x + r, y + r), CAPITAL.to_rgba(), true)?;
                geo.markers.push(Marker {
                    node: None,
                    at: (x, y),
                    r: f64::from(r),
                    square: true,
                });
                capitals.push((&k.name, (x, y)));
            }
        }

        // Labels: depots and sources, then the roads the legend lists, then towns by
        // number of segments. Each takes the first free place among candidates near what
        // it names: free means inside the map, over no marker, label or leader line, and
        // clear of every road; further out, a leader line that crosses nothing but what
        // the label names. The full name first, then a short form (said in a note); a
        // label with no free place is left out (said in a note).
        let mut degrees = vec![0usize; s.nodes.len()];
        for g in &s.segments {
            degrees[g.from.index()] += 1;
            if g.to != g.from {
                degrees[g.to.index()] += 1;
            }
        }
        let rank = |i: usize| match s.nodes[i].kind {
            NodeKind::Depot(_) => 0,
            NodeKind::Source { .. } => 1,
            NodeKind::Waypoint => 3,
        };
        enum Item {
            Node(usize),
            Road(SegmentId),
        }
        let mut items: Vec<(usize, usize, usize, Item)> = (0..s.nodes.len())
            .filter(|i| px[*i].is_some())
            .map(|i| (rank(i), usize::MAX - degrees[i], i, Item::Node(i)))
            .collect();
        for (k, (seg, _)) in listed.iter().enumerate() {
            if ends(seg.index()).is_some() {
                items.push((2, k, seg.index(), Item::Road(*seg)));
            }
        }
        items.sort_by_key(|(a, b, c, _)| (*a, *b, *c));
        let mut placer = Placer::new(
            st.px(48.0).max(8),
            (map.0, map.1, map.2 + st.px(10.0), map.3),
            &geo,
            f64::from(st.px(2.0)),
            s.segments
                .iter()
                .map(|g| (g.from.index(), g.to.index()))
                .collect(),
        );
        let mut labels: Vec<Label> = Vec::new();
        let mut unlabelled: Vec<String> = Vec::new();
        let mut shortened: Vec<String> = Vec::new();
        let padding = st.px(3.0);
        let road_font = Font::bold(size::LABEL * 0.9, INK);
        for (_, _, _, item) in &items {
            let (names, texts, f, number) = match item {
                Item::Node(i) => {
                    let bold = rank(*i) < 2;
                    let f = if bold {
                        Font::bold(size::LABEL, INK)
                    } else {
                        Font::new(size::LABEL * 0.85, INK)
                    };
                    let (full, short) = map_names(&s.nodes[*i].name);
                    (Names::Node(*i), (full, short), f, None)
                }
                Item::Road(seg) => (
                    Names::Road(seg.index()),
                    (road_name(*seg, false), road_name(*seg, true)),
                    road_font,
                    listed.iter().position(|(g, _)| g == seg),
                ),
            };
            let mut texts_to_try = vec![texts.0.clone()];
            if texts.1 != texts.0 {
                texts_to_try.push(texts.1.clone());
            }
            // Last, a road's number in the legend's list.
            if let Some(k) = number {
                texts_to_try.push((k + 1).to_string());
            }
            let cap = cv.cap(f);
            let mut found: Option<Label> = None;
            for text in &texts_to_try {
                let w = cv.width(text, f);
                // The label box for a text whose top-left corner is at (x0, y0).
                let rect_at = |x0: i32, y0: i32| {
                    (
                        x0 - padding,
                        y0 - padding,
                        x0 + w + padding,
                        y0 + cap + padding,
                    )
                };
                // (top-left of the text, leader from, leader to)
                let mut cands: Vec<(Pt, Option<(Pt, Pt)>)> = Vec::new();
                match item {
                    Item::Node(i) => {
                        let (x, y) = px[*i].unwrap_or_default();
                        let r = node_r(*i);
                        let g = st.px(5.0);
                        for far in [1.0, 2.0, 3.0, 4.5, 6.5, 9.0] {
                            let d = (f64::from(r + g) * far) as i32
                                + if far > 1.0 { st.px(6.0) } else { 0 };
                            let dd = (f64::from(d) * 0.75) as i32;
                            let (hx, hy) =
                                ((f64::from(d) * 0.87) as i32, (f64::from(d) * 0.5) as i32);
                            for (ax, ay, al) in [
                                (x + d, y - cap / 2, Align::Left),
                                (x - d, y - cap / 2, Align::Right),
                                (x + dd, y - dd - cap, Align::Left),
                                (x + dd, y + dd, Align::Left),
                                (x - dd, y - dd - cap, Align::Right),
                                (x - dd, y + dd, Align::Right),
                                (x, y - d - cap, Align::Center),
                                (x, y + d, Align::Center),
                                (x + hx, y - hy - cap, Align::Left),
                                (x + hx, y + hy, Align::Left),
                                (x - hx, y - hy - cap, Align::Right),
                                (x - hx, y + hy, Align::Right),
                            ] {
                                let x0 = match al {
                                    Align::Left => ax,
                                    Align::Right => ax - w,
                                    Align::Center => ax - w / 2,
                                };
                                let lead = (far > 1.0).then(|| {
                                    let tx = match al {
                                        Align::Left => x0 - padding,
                                        Align::Right => x0 + w + padding,
                                        Align::Center => x0 + w / 2,
                                    };
                                    let ty = if ay + cap < y {
                                        ay + cap + padding
                                    } else if ay > y {
                                        ay - padding
                                    } else {
                                        ay + cap / 2
                                    };
                                    ((x, y), (tx, ty))
                                });
                                cands.push(((x0, ay), lead));
                            }
                        }
                    }
                    Item::Road(seg) => {
                        let (a, b) = ends(seg.index()).unwrap_or_default();
                        let (a, b) = (pf(a), pf(b));
                        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                        let len = dx.hypot(dy);
                        let hw = geo
                            .roads
                            .iter()
                            .filter(|r| r.0 == seg.index())
                            .map(|r| r.3 / 2.0)
                            .fold(0.0, f64::max);
                        let (ex, ey) = (
                            f64::from(w + 2 * padding) / 2.0,
                            f64::from(cap + 2 * padding) / 2.0,
                        );
                        let box_at = |c: (f64, f64)| {
                            (
                                (c.0 - ex).round() as i32 + padding,
                                (c.1 - ey).round() as i32 + padding,
                            )
                        };
                        // Beside the road, along it, on either side.
                        if len >= 1.0 {
                            let (nx, ny) = (-dy / len, dx / len);
                            let support = nx.abs() * ex + ny.abs() * ey;
                            let off = hw + f64::from(st.px(5.0)) + support;
                            for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
                                // Either side, then on the road itself (the one it names).
                                for side in [1.0, -1.0, 0.0] {
                                    let c = (
                                        a.0 + t * dx + side * nx * off,
                                        a.1 + t * dy + side * ny * off,
                                    );
                                    cands.push((box_at(c), None));
                                }
                            }
                        }
                        // Further out, with a leader line to the road's middle.
                        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                        for dist in [40.0, 70.0, 100.0, 140.0, 190.0, 250.0] {
                            let dist = dist * st.k;
                            for k in [0, 8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15] {
                                let angle = f64::from(k) * std::f64::consts::PI / 8.0;
                                let (ux, uy) = (angle.cos(), -angle.sin());
                                let support = f64::abs(ux) * ex + f64::abs(uy) * ey;
                                let c =
                                    (mid.0 + ux * (dist + support), mid.1 + uy * (dist + support));
                                let at = box_at(c);
                                let m = (mid.0.round() as i32, mid.1.round() as i32);
                                // The leader ends at the box's point nearest the road.
                                let r = rect_at(at.0, at.1);
                                let tip = (m.0.clamp(r.0, r.2), m.1.clamp(r.1, r.3));
                                cands.push((at, Some((m, tip))));
                            }
                        }
                    }
                }
                let (own_nodes, own_road) = match names {
                    Names::Node(i) => (vec![i], None),
                    Names::Road(j) => (
                        vec![s.segments[j].from.index(), s.segments[j].to.index()],
                        Some(j),
                    ),
                    Names::Place => (Vec::new(), None),
                };
                for (at, lead) in cands {
                    let rect = rect_at(at.0, at.1);
                    if !placer.box_free(rect, own_road) {
                        continue;
                    }
                    let lead = match lead {
                        Some((p, q)) => {
                            match placer.leader_free(pf(p), pf(q), &own_nodes, own_road, rect) {
                                Some(start) => {
                                    Some((if own_road.is_some() { p } else { start }, q))
                                }
                                None => continue,
                            }
                        }
                        None => None,
                    };
                    placer.take_box(rect);
                    if let Some((p, q)) = lead {
                        placer.take_leader(pf(p), pf(q));
                    }
                    found = Some(Label {
                        text: text.clone(),
                        at,
                        font: f,
                        leader: lead,
                        names,
                        road: own_road.map(|j| palette[class[j]]),
                    });
                    break;
                }
                if found.is_some() {
                    if *text != texts.0 {
                        shortened.push(format!("{} ({})", text, texts.0));
                    }
                    break;
                }
            }
            match found {
                Some(l) => labels.push(l),
                None => unlabelled.push(texts.0.clone()),
            }
        }
        for l in &labels {
            if let Some((a, b)) = l.leader {
                cv.line(vec![a, b], MUTED.mix(0.9), 1.5)?;
                if l.road.is_some() {
                    cv.circle(a, st.px(4.0), INK.to_rgba(), true)?;
                }
                geo.leaders.push((l.names, a, b));
            }
        }
        for l in &labels {
            let w = cv.width(&l.text, l.font);
            let (x0, y0) = l.at;
            let p = padding;
            let rect = (x0 - p, y0 - p, x0 + w + p, y0 + cv.cap(l.font) + p);
            cv.rect((rect.0, rect.1), (rect.2, rect.3), WHITE.mix(0.85), true)?;
            if let Some(c) = l.road {
                // A road's name is framed in the road's colour.
                cv.rect((rect.0, rect.1), (rect.2, rect.3), c.to_rgba(), false)?;
            }
            cv.text(&l.text, l.at, l.font, Align::Left, VAlign::Top)?;
            geo.labels.push((l.names, l.text.clone(), rect));
        }
        // Country names, then the names of the capitals drawn above, each placed only where
        // it covers no marker, no label and no road.
        if geo_map {
            let nf = Font::new(size::LABEL * 1.05, COUNTRY);
            for c in &basemap::west_africa().countries {
                let Some(at) = c.label else { continue };
                let (x, y) = to_px((at.0 * lay.kx, at.1));
                let text = crate::report::lang::country(l, &c.name).to_uppercase();
                let w = cv.width(&text, nf);
                let h = cv.cap(nf);
                // The label point, or a little above or below it: never near a network
                // marker, inside the frame.
                for dy in [0, -2, 2, -4, 4] {
                    let top = y - h / 2 + dy * h;
                    let rect = (
                        x - w / 2 - st.px(4.0),
                        top - st.px(4.0),
                        x + w / 2 + st.px(4.0),
                        top + h + st.px(4.0),
                    );
                    let inside =
                        rect.0 > map.0 && rect.2 < map.2 && rect.1 > map.1 && rect.3 < map.3;
                    let clear = !px.iter().flatten().any(|p| {
                        p.0 > rect.0 - st.px(12.0)
                            && p.0 < rect.2 + st.px(12.0)
                            && p.1 > rect.1 - st.px(12.0)
                            && p.1 < rect.3 + st.px(12.0)
                    });
                    if inside && clear && placer.box_free(rect, None) {
                        cv.text(&text, (x, top), nf, Align::Center, VAlign::Top)?;
                        geo.labels.push((
                            Names::Place,
                            text.clone(),
                            (x - w / 2, top, x - w / 2 + w, top + h),
                        ));
                        placer.take_box(rect);
                        break;
                    }
                }
            }

            let kf = Font::new(size::LABEL * 0.85, CAPITAL);
            for (name, (x, y)) in &capitals {
                let (x, y) = (*x, *y);
                let r = st.px(4.0);
                let w = cv.width(name, kf);
                let cap = cv.cap(kf);
                let g = st.px(6.0);
                let cands = [
                    (x + r + g, y - cap / 2),
                    (x - r - g - w, y - cap / 2),
                    (x - w / 2, y - r - g - cap),
                    (x - w / 2, y + r + g),
                ];
                for (x0, y0) in cands {
                    let rect = (
                        x0 - st.px(2.0),
                        y0 - st.px(2.0),
                        x0 + w + st.px(2.0),
                        y0 + cap + st.px(2.0),
                    );
                    let fits =
                        rect.0 >= map.0 && rect.1 >= map.1 && rect.2 <= map.2 && rect.3 <= map.3;
                    if fits && placer.box_free(rect, None) {
                        cv.text(name, (x0, y0), kf, Align::Left, VAlign::Top)?;
                        geo.labels.push((
                            Names::Place,
                            name.to_string(),
                            (x0, y0, x0 + w, y0 + cap),
                        ));
                        placer.take_box(rect);
                        break;
                    }
                }
            }
        }
        let mut left_out: Vec<String> = Vec::new();
        if !shortened.is_empty() {
            left_out.push(tr!(l, MapShortened, names = shortened.join(", ")));
        }
        if !unlabelled.is_empty() {
            left_out.push(tr!(l, MapNotLabelled, names = unlabelled.join(", ")));
        }
        for (k, line) in left_out.iter().enumerate() {
            cv.text(
                &cv.fit(line, Font::new(size::NOTE, MUTED), st.w - 2 * m),
                (m, bottom_notes - reserve + st.px(4.0) + k as i32 * note_h),
                Font::new(size::NOTE, MUTED),
                Align::Left,
                VAlign::Top,
            )?;
        }

        let km_per_px = (lay.geo && placed.len() >= 2 && scale.is_finite() && scale > 0.0)
            .then(|| 111.32 / scale);
        let top_crit: Vec<(String, f64)> = listed
            .iter()
            .map(|(seg, v)| (road_name(*seg, false), *v))
            .collect();
        if let Some(r) = self.record {
            *r.borrow_mut() = geo;
        }
        legend_panel(
            cv,
            (st.w - m - panel_w, top + st.px(6.0)),
            panel_w,
            &Panel {
                max_cap,
                cap_bounds,
                has_cut: self.risk.is_none() && !self.mf.min_cut.is_empty(),
                mode: self.mode,
                has_closed: !self.closed.is_empty(),
                km_per_px,
                top_crit,
            },
        )
    }
}

/// A pixel point as floats.
fn pf(p: (i32, i32)) -> (f64, f64) {
    (f64::from(p.0), f64::from(p.1))
}

/// The size of the marker of a node of `kind`, outline included: radius of its disc, or
/// half the side of its square (`true`).
fn marker_size<DB: DrawingBackend>(cv: &Canvas<DB>, kind: &NodeKind) -> (f64, bool) {
    let st = cv.st;
    match kind {
        NodeKind::Depot(_) => (
            f64::from(st.px(13.0)) + f64::from(st.px(2.0).max(1)) / 2.0,
            false,
        ),
        NodeKind::Source { .. } => (
            f64::from(st.px(10.0)) + f64::from(st.px(1.5).max(1)) / 2.0,
            true,
        ),
        NodeKind::Waypoint => (
            f64::from(st.px(5.5)) + f64::from(st.px(2.0).max(1)) / 2.0,
            false,
        ),
    }
}

/// The ends of the bar [`cut_mark`] draws across the segment `a`–`b` of width `w`; `None`
/// for a segment too short to have a direction.
fn cut_bar<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    a: (i32, i32),
    b: (i32, i32),
    w: f64,
) -> Option<((i32, i32), (i32, i32))> {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 1.0 {
        return None;
    }
    let (nx, ny) = (-dy / len, dx / len);
    let mid = (f64::from(a.0 + b.0) / 2.0, f64::from(a.1 + b.1) / 2.0);
    let half = (w + 24.0) * cv.st.k / 2.0;
    let p = |s: f64| {
        (
            (mid.0 + nx * s).round() as i32,
            (mid.1 + ny * s).round() as i32,
        )
    };
    Some((p(-half), p(half)))
}

/// A short black bar across the segment's middle: this segment is in the minimum cut.
fn cut_mark<DB: DrawingBackend>(cv: &Canvas<DB>, a: (i32, i32), b: (i32, i32), w: f64) -> Res {
    match cut_bar(cv, a, b, w) {
        Some((p, q)) => cv.line(vec![p, q], INK.to_rgba(), 6.0),
        None => Ok(()),
    }
}

/// Draws the marker of a node of `kind` at `p`.
fn node_marker<DB: DrawingBackend>(cv: &Canvas<DB>, kind: &NodeKind, p: (i32, i32)) -> Res {
    let st = cv.st;
    match kind {
        NodeKind::Depot(_) => {
            let r = st.px(13.0);
            cv.circle(p, r, GREEN.to_rgba(), true)?;
            cv.circle(p, r, INK.to_rgba(), false)
        }
        NodeKind::Source { .. } => {
            let r = st.px(10.0);
            cv.rect((p.0 - r, p.1 - r), (p.0 + r, p.1 + r), BLUE.to_rgba(), true)?;
            cv.rect((p.0 - r, p.1 - r), (p.0 + r, p.1 + r), INK.to_rgba(), false)
        }
        NodeKind::Waypoint => {
            let r = st.px(5.5);
            cv.circle(p, r, WHITE.to_rgba(), true)?;
            cv.circle(p, r, INK.to_rgba(), false)
        }
    }
}

/// What the legend on the right of the map shows.
struct Panel {
    /// Largest segment capacity, trucks per day.
    max_cap: f64,
    /// Line width of a capacity, before scaling.
    cap_bounds: [f64; 3],
    /// Whether any segment is in the minimum cut.
    has_cut: bool,
    /// Whether any segment is closed under the conditions shown.
    has_closed: bool,
    /// Kilometres per pixel, for the scale bar (geographic maps only).
    km_per_px: Option<f64>,
    /// The most critical segments: short name and share of the max flow lost (or, in
    /// risk mode, the most dangerous: short name and attack probability).
    top_crit: Vec<(String, f64)>,
    /// What the road colours show.
    mode: Mode,
}

/// The legend on the right of the map.
fn legend_panel<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    (x, mut y): (i32, i32),
    w: i32,
    p: &Panel,
) -> Res {
    let st = cv.st;
    let hf = Font::bold(size::LEGEND, INK);
    let f = Font::new(size::LEGEND * 0.95, INK);
    let line_h = cv.cap(f) + st.px(17.0);
    let sw = st.px(54.0);
    let tx = x + sw + st.px(14.0);
    let fit = |t: &str| cv.fit(t, f, w - sw - st.px(14.0));
    let heading = |y: &mut i32, t: &str| -> Res {
        cv.text(&cv.fit(t, hf, w), (x, *y), hf, Align::Left, VAlign::Top)?;
        *y += cv.cap(hf) + st.px(16.0);
        Ok(())
    };
    let l = st.lang;
    heading(&mut y, l.t(Msg::MapPlaces))?;
    for (kind, label) in [
        (
            NodeKind::Source {
                supply_litres_per_day: 0.0,
            },
            l.t(Msg::MapLoadingPoint),
        ),
        (
            NodeKind::Depot(crate::scenario::Depot {
                capacity_litres: 0.0,
                initial_stock_litres: 0.0,
                demand: Vec::new(),
                rationing: crate::scenario::Rationing {
                    trigger_days: 0.0,
                    protected_priority: 0,
                    ration_fraction: 0.0,
                },
            }),
            l.t(Msg::MapDepot),
        ),
        (NodeKind::Waypoint, l.t(Msg::MapTown)),
    ] {
        node_marker(cv, &kind, (x + sw / 2, y + cv.cap(f) / 2))?;
        cv.text(&fit(label), (tx, y), f, Align::Left, VAlign::Top)?;
        y += line_h;
    }
    y += st.px(10.0);
    heading(&mut y, l.t(Msg::MapCapacity))?;
    // One line per width class, widest first, with its range of capacities.
    let b = p.cap_bounds;
    let num = |v: f64| l.digits(&tick_label(v, 1.0));
    let classes = [
        (3, tr!(l, MapCapOver, x = num(b[2]))),
        (2, format!("{}–{}", num(b[1]), num(b[2]))),
        (1, format!("{}–{}", num(b[0]), num(b[1]))),
        (0, tr!(l, MapCapUpTo, x = num(b[0]))),
    ];
    if p.max_cap > 0.0 {
        for (k, label) in classes {
            let mid = y + cv.cap(f) / 2;
            cv.line(
                vec![(x, mid), (x + sw, mid)],
                CRIT[0].to_rgba(),
                CAP_WIDTHS[k],
            )?;
            cv.text(&fit(&label), (tx, y), f, Align::Left, VAlign::Top)?;
            y += line_h;
        }
    }
    y += st.px(10.0);
    let (palette, labels, title) = match p.mode {
        Mode::Risk => (&RISK, &RISK_LABELS, Msg::MapLegendRisk),
        Mode::Losses => (&RISK, &LOSS_LABELS, Msg::MapLegendLosses),
        Mode::Criticality => (&CRIT, &CRIT_LABELS, Msg::MapLegendCrit),
    };
    heading(&mut y, l.t(title))?;
    for (c, label) in palette.iter().zip(labels.iter()) {
        let mid = y + cv.cap(f) / 2;
        cv.line(vec![(x, mid), (x + sw, mid)], c.to_rgba(), 9.0)?;
        cv.text(&fit(l.t(*label)), (tx, y), f, Align::Left, VAlign::Top)?;
        y += line_h;
    }
    if p.has_cut {
        y += st.px(10.0);
        let mid = y + cv.cap(f) / 2;
        cv.line(vec![(x, mid), (x + sw, mid)], INK.to_rgba(), 16.0)?;
        cv.line(vec![(x, mid), (x + sw, mid)], CRIT[0].to_rgba(), 9.0)?;
        cut_mark(cv, (x, mid), (x + sw, mid), 9.0)?;
        cv.text(
            &fit(l.t(Msg::MapCut1)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += cv.cap(f) + st.px(10.0);
        cv.text(
            &fit(l.t(Msg::MapCut2)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += line_h;
    }
    if p.has_closed {
        y += st.px(10.0);
        let mid = y + cv.cap(f) / 2;
        cv.dashed((x, mid), (x + sw, mid), CLOSED.to_rgba(), 4.0)?;
        let c = (x + sw / 2, mid);
        cv.circle(c, st.px(13.0), WHITE.to_rgba(), true)?;
        cv.cross(c, st.px(9.0), CLOSED.to_rgba(), 4.0)?;
        cv.text(
            &fit(l.t(Msg::MapClosedLegend)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += line_h;
    }
    if let Some(kpp) = p.km_per_px {
        y += st.px(10.0);
        heading(&mut y, l.t(Msg::MapScale))?;
        // A round length of about half the panel.
        let want = kpp * f64::from(w) * 0.5;
        let (_, step) = nice_ticks(0.0, want, 1);
        let km = [1.0, 0.5, 0.25, 0.2, 0.1]
            .iter()
            .map(|f| step * f)
            .find(|k| *k <= want)
            .unwrap_or(step)
            .max(1.0);
        let len = (km / kpp).round() as i32;
        let bh = st.px(9.0);
        cv.rect((x, y), (x + len / 2, y + bh), INK.to_rgba(), true)?;
        cv.rect((x + len / 2, y), (x + len, y + bh), WHITE.to_rgba(), true)?;
        cv.rect((x, y), (x + len, y + bh), INK.to_rgba(), false)?;
        cv.text(
            &format!("{} km", l.digits(&tick_label(km, km))),
            (x + len + st.px(12.0), y + bh / 2),
            f,
            Align::Left,
            VAlign::Middle,
        )?;
        y += bh + st.px(16.0);
    }
    if !p.top_crit.is_empty() {
        y += st.px(10.0);
        heading(
            &mut y,
            l.t(match p.mode {
                Mode::Risk => Msg::MapTopRisk,
                Mode::Losses => Msg::MapTopLosses,
                Mode::Criticality => Msg::MapTopCrit,
            }),
        )?;
        let pf = Font::new(size::LEGEND * 0.95, INK);
        for (k, (name, share)) in p.top_crit.iter().enumerate() {
            let share = match p.mode {
                Mode::Risk => l.percent(&format!("{:.1}", 100.0 * share)),
                Mode::Losses => l.digits(&tick_label(*share, 0.1)),
                Mode::Criticality => format!("−{}", l.percent(&format!("{:.0}", 100.0 * share))),
            };
            let sw_ = cv.width(&share, pf);
            cv.text(&share, (x + w, y), pf, Align::Right, VAlign::Top)?;
            let text = cv.fit(&format!("{}. {name}", k + 1), pf, w - sw_ - st.px(12.0));
            cv.text(&text, (x, y), pf, Align::Left, VAlign::Top)?;
            y += line_h;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance from point `p` to the segment `a`–`b`.
    fn point_seg(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l2 = dx * dx + dy * dy;
        let t = if l2 == 0.0 {
            0.0
        } else {
            (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
        };
        (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
    }

    /// Distance from point `p` to the rectangle `r` (0 inside).
    fn point_rect(p: (f64, f64), r: Rect) -> f64 {
        let dx = (f64::from(r.0) - p.0).max(p.0 - f64::from(r.2)).max(0.0);
        let dy = (f64::from(r.1) - p.1).max(p.1 - f64::from(r.3)).max(0.0);
        dx.hypot(dy)
    }

    /// Distance from the segment `a`–`b` to the rectangle `r`: 0 if they meet, else the
    /// least of its ends to the rectangle and the rectangle's corners to it.
    fn seg_rect(a: (f64, f64), b: (f64, f64), r: Rect) -> f64 {
        let rf = (
            f64::from(r.0),
            f64::from(r.1),
            f64::from(r.2),
            f64::from(r.3),
        );
        if crosses(a, b, rf) {
            return 0.0;
        }
        let corners = [(rf.0, rf.1), (rf.2, rf.1), (rf.2, rf.3), (rf.0, rf.3)];
        corners
            .iter()
            .map(|c| point_seg(*c, a, b))
            .chain([point_rect(a, r), point_rect(b, r)])
            .fold(f64::INFINITY, f64::min)
    }

    /// The geometry of the map of `file` as drawn at 1600 x 900, in `mode`, under the
    /// conditions of `at_day` (baseline if `None`), and the three most critical segments.
    fn drawn(file: &str, mode: Mode, at_day: Option<f64>) -> (Scenario, Geometry, Vec<usize>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let s = crate::scenario::load(&path)
            .expect("bundled scenario")
            .scenario;
        let net = crate::network::Network::build(&s);
        let c = match at_day {
            Some(d) => crate::network::Conditions::at_day(&s, d),
            None => crate::network::Conditions::baseline(&s),
        };
        let mf = net.max_flow(&c);
        let crit = net.criticality(&c);
        let closed: Vec<SegmentId> = (0..s.segments.len())
            .filter(|i| !c.open[*i])
            .map(|i| SegmentId(i as u32))
            .collect();
        let risk = attack_risk_on(&s, at_day.unwrap_or(0.0));
        let record = std::cell::RefCell::new(Geometry::default());
        let chart = MapChart {
            s: &s,
            mf: &mf,
            crit: &crit,
            facts: "",
            closed: &closed,
            risk: (mode != Mode::Criticality).then_some(risk.as_slice()),
            mode,
            record: Some(&record),
        };
        super::super::draw::register_fonts().expect("fonts");
        let (w, h) = (1600u32, 900u32);
        let mut buf = vec![0u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            chart
                .draw(&Canvas {
                    root: &root,
                    st: super::super::draw::Style::new(w, h, false),
                })
                .expect("drawn");
        }
        // The roads the legend lists: the three most critical, or the most dangerous.
        let mut by: Vec<(usize, f64)> = match mode {
            Mode::Criticality => crit
                .iter()
                .map(|c| (c.segment.index(), c.drop_trucks_per_day))
                .collect(),
            _ => risk.iter().copied().enumerate().collect(),
        };
        by.retain(|(_, v)| *v > 0.0);
        by.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = by.iter().take(3).map(|(i, _)| *i).collect();
        (s, record.into_inner(), top)
    }

    /// Every problem of a map's labels: a label box over a marker, over a road it does not
    /// name or over another label; a leader line over a marker, road or label it does
    /// not name; a road of `top` (the most critical) without a label of its own.
    fn label_problems(s: &Scenario, g: &Geometry, top: &[usize]) -> Vec<String> {
        let mut out = Vec::new();
        let named_nodes = |n: Names| -> Vec<usize> {
            match n {
                Names::Node(i) => vec![i],
                Names::Road(j) => vec![s.segments[j].from.index(), s.segments[j].to.index()],
                Names::Place => Vec::new(),
            }
        };
        let names_road = |n: Names, j: usize| n == Names::Road(j);
        let node_name =
            |m: Option<usize>| m.map_or("a capital".to_string(), |i| s.nodes[i].id.clone());
        // Whether point `p` is on the marker `m` (its disc or square).
        let on = |m: &Marker, p: (f64, f64), margin: f64| {
            let (dx, dy) = (p.0 - f64::from(m.at.0), p.1 - f64::from(m.at.1));
            if m.square {
                dx.abs() <= m.r + margin && dy.abs() <= m.r + margin
            } else {
                dx.hypot(dy) <= m.r + margin
            }
        };
        for (k, (n, text, r)) in g.labels.iter().enumerate() {
            for mk in &g.markers {
                let c = pf(mk.at);
                let hit = if mk.square {
                    let sq = (
                        (c.0 - mk.r).floor() as i32,
                        (c.1 - mk.r).floor() as i32,
                        (c.0 + mk.r).ceil() as i32,
                        (c.1 + mk.r).ceil() as i32,
                    );
                    overlaps(sq, *r)
                } else {
                    point_rect(c, *r) <= mk.r
                };
                if hit {
                    out.push(format!(
                        "label `{text}` over the marker of {}",
                        node_name(mk.node)
                    ));
                }
            }
            for (j, a, b, w) in &g.roads {
                if !names_road(*n, *j) && seg_rect(*a, *b, *r) <= w / 2.0 {
                    out.push(format!("label `{text}` over road {}", s.segments[*j].id));
                }
            }
            for (m, t2, r2) in g.labels.iter().skip(k + 1) {
                let _ = m;
                if overlaps(*r, *r2) {
                    out.push(format!("label `{text}` over label `{t2}`"));
                }
            }
        }
        for (n, a, b) in &g.leaders {
            let own = named_nodes(*n);
            let (a, b) = (pf(*a), pf(*b));
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            let steps = len.ceil().max(1.0) as usize;
            let mut seen: Vec<String> = Vec::new();
            for k in 0..=steps {
                let t = k as f64 / steps as f64;
                let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                // Inside the markers of what it names, a leader points at them.
                if g.markers
                    .iter()
                    .any(|mk| mk.node.is_some_and(|i| own.contains(&i)) && on(mk, p, 1.0))
                {
                    continue;
                }
                for mk in &g.markers {
                    if on(mk, p, 0.0) {
                        seen.push(format!("the marker of {}", node_name(mk.node)));
                    }
                }
                for (j, ra, rb, w) in &g.roads {
                    // Where a named node's roads meet at its marker, a leader leaving the
                    // marker passes over them: not a crossing.
                    let seg = &s.segments[*j];
                    let at_junction = g.markers.iter().any(|mk| {
                        mk.node.is_some_and(|i| {
                            own.contains(&i) && (seg.from.index() == i || seg.to.index() == i)
                        }) && {
                            let k = if mk.square {
                                std::f64::consts::SQRT_2
                            } else {
                                1.0
                            };
                            let c = pf(mk.at);
                            (p.0 - c.0).hypot(p.1 - c.1) <= mk.r * k + w / 2.0 + 3.0
                        }
                    });
                    if !names_road(*n, *j) && !at_junction && point_seg(p, *ra, *rb) <= w / 2.0 {
                        seen.push(format!("road {}", seg.id));
                    }
                }
                for (m, text, r) in &g.labels {
                    if m != n && point_rect(p, *r) == 0.0 {
                        seen.push(format!("label `{text}`"));
                    }
                }
            }
            seen.dedup();
            for x in seen {
                out.push(format!("leader of {n:?} over {x}"));
            }
        }
        for j in top {
            if !g.labels.iter().any(|(n, _, _)| *n == Names::Road(*j)) {
                out.push(format!(
                    "critical road {} has no label of its own",
                    s.segments[*j].id
                ));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// No label sits over a marker, crosses a road it does not name or another label, and
    /// no leader line does, on the bundled networks, on the baseline map and on the risk
    /// map of the most dangerous day (with its closures); the three most critical roads
    /// are each labelled.
    #[test]
    fn labels_hide_nothing_and_cross_no_other_road() {
        let mut all = Vec::new();
        for file in ["networks/mali.ron", "networks/bamako-2025.ron"] {
            for (mode, day) in [(Mode::Criticality, None), (Mode::Risk, Some(-1.0))] {
                let day = day.map(|_| {
                    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
                    let s = crate::scenario::load(&path).expect("bundled").scenario;
                    f64::from(worst_day(&s))
                });
                let (s, g, top) = drawn(file, mode, day);
                assert!(!g.labels.is_empty() && !g.roads.is_empty() && !g.markers.is_empty());
                for p in label_problems(&s, &g, &top) {
                    all.push(format!("{file} {mode:?}: {p}"));
                }
            }
        }
        assert!(
            all.is_empty(),
            "{} problems:\n{}",
            all.len(),
            all.join("\n")
        );
    }

    #[test]
    fn names_drop_notes_and_keep_a_short_form() {
        assert_eq!(
            map_names("Yamoussoukro (GESTOCI depot)"),
            ("Yamoussoukro".to_string(), "Yamoussoukro".to_string())
        );
        assert_eq!(
            map_names("Kidira / Diboli"),
            ("Kidira / Diboli".to_string(), "Diboli".to_string())
        );
        assert_eq!(map_names("Lomé (also Tema / Cotonou)").0, "Lomé");
    }

    /// The buckets find every box that overlaps and every line that crosses, as the
    /// all-pairs test did (deterministic pseudo-random shapes, some touching edges).
    #[test]
    fn buckets_miss_nothing() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: i32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m as u64) as i32
        };
        let rects: Vec<Rect> = (0..300)
            .map(|_| {
                let (a, b) = (next(1000) - 50, next(700) - 50);
                (a, b, a + next(120), b + next(60))
            })
            .collect();
        let lines: Vec<((f64, f64), (f64, f64))> = (0..300)
            .map(|i| {
                let a = (f64::from(next(1000)), f64::from(next(700)));
                let b = match i % 3 {
                    0 => (a.0, f64::from(next(700))),  // vertical
                    1 => (f64::from(next(1000)), a.1), // horizontal
                    _ => (f64::from(next(1000)), f64::from(next(700))),
                };
                (a, b)
            })
            .collect();
        for cell in [7, 48, 500] {
            let mut boxes = Buckets::new(cell);
            for (j, r) in rects.iter().enumerate() {
                boxes.insert_rect(j, *r);
            }
            let mut segs = Buckets::new(cell);
            for (j, (a, b)) in lines.iter().enumerate() {
                segs.insert_line(j, *a, *b);
            }
            for q in rects.iter().step_by(3) {
                let qf = (
                    f64::from(q.0),
                    f64::from(q.1),
                    f64::from(q.2),
                    f64::from(q.3),
                );
                let mut got = Vec::new();
                boxes.near(*q, |j| got.push(j));
                let (mut want_boxes, mut found_boxes) = (Vec::new(), Vec::new());
                for (j, r) in rects.iter().enumerate() {
                    if overlaps(*r, *q) {
                        want_boxes.push(j);
                        if got.contains(&j) {
                            found_boxes.push(j);
                        }
                    }
                }
                assert_eq!(want_boxes, found_boxes, "cell {cell}");
                let mut got = Vec::new();
                segs.near(*q, |j| got.push(j));
                let mut unique = got.clone();
                unique.sort_unstable();
                unique.dedup();
                assert_eq!(unique.len(), got.len(), "each line once");
                for (j, (a, b)) in lines.iter().enumerate() {
                    if crosses(*a, *b, qf) {
                        assert!(got.contains(&j), "cell {cell}: line {j} missed");
                    }
                }
            }
        }
    }

    #[test]
    fn crossing_test() {
        let r = (0.0, 0.0, 10.0, 10.0);
        assert!(crosses((-5.0, 5.0), (15.0, 5.0), r));
        assert!(!crosses((-5.0, 15.0), (15.0, 15.0), r));
        assert!(crosses((5.0, 5.0), (6.0, 6.0), r));
        assert!(!crosses((11.0, -1.0), (20.0, 5.0), r));
    }

    /// 200, 50 and 15 trucks a day (the bundled network's roads) fall in three different
    /// width classes, and each class is half again as wide as the one below at least.
    #[test]
    fn capacity_widths_tell_200_50_and_15_apart() {
        let b = capacity_bounds(300.0);
        assert_eq!(b, [25.0, 75.0, 175.0]);
        let classes: Vec<usize> = [200.0, 50.0, 15.0]
            .iter()
            .map(|c| capacity_class(*c, &b))
            .collect();
        assert_eq!(classes, [3, 1, 0]);
        for w in CAP_WIDTHS.windows(2) {
            assert!(w[1] >= 1.5 * w[0], "{w:?}");
        }
        // Round bounds for other networks, and every capacity in some class.
        assert_eq!(capacity_bounds(150.0), [10.0, 30.0, 70.0]);
        assert_eq!(capacity_class(f64::NAN, &b), 0);
        assert_eq!(capacity_class(1e9, &b), 3);
    }

    #[test]
    fn criticality_classes() {
        assert_eq!(crit_class(0.0), 0);
        assert_eq!(crit_class(f64::NAN), 0);
        assert_eq!(crit_class(0.05), 1);
        assert_eq!(crit_class(0.3), 3);
        assert_eq!(crit_class(1.0), 4);
    }
}
