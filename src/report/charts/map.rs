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
    /// Anchor point and alignment of the text.
    at: (i32, i32),
    align: Align,
    bold: bool,
    /// Leader line from the node, for labels set further out.
    leader: Option<((i32, i32), (i32, i32))>,
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
        // Labels left out are only known after placement; reserve a line for them.
        let reserve = cv.cap(Font::new(size::NOTE, MUTED)) + st.px(12.0);
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
        let width_of = |cap: f64| -> f64 {
            let f = if max_cap > 0.0 && cap.is_finite() {
                (cap.max(0.0) / max_cap).sqrt()
            } else {
                0.0
            };
            2.5 + 13.0 * f
        };
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
            }
        }
        let is_closed = |i: usize| self.closed.iter().any(|c| c.index() == i);
        for &i in &order {
            if let Some((a, b)) = ends(i) {
                if is_closed(i) {
                    // A white casing, so the dashes read as a road that is not there today.
                    cv.line(vec![a, b], WHITE.mix(0.9), 9.0)?;
                    cv.dashed(a, b, CLOSED.to_rgba(), 4.0)?;
                } else {
                    let w = width_of(s.segments[i].capacity_trucks_per_day);
                    cv.line(vec![a, b], palette[class[i]].to_rgba(), w)?;
                }
            }
        }
        for &i in &order {
            if let (true, Some((a, b))) = (is_closed(i), ends(i)) {
                let mid = ((a.0 + b.0) / 2, (a.1 + b.1) / 2);
                let r = st.px(9.0);
                cv.circle(mid, r + st.px(4.0), WHITE.to_rgba(), true)?;
                cv.cross(mid, r, CLOSED.to_rgba(), 4.0)?;
            }
        }
        for &i in &order {
            if let (true, Some((a, b))) = (in_cut(i), ends(i)) {
                cut_mark(cv, a, b, width_of(s.segments[i].capacity_trucks_per_day))?;
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
            }
        }

        // Labels: depots and sources first, then by number of segments.
        let mut degrees = vec![0usize; s.nodes.len()];
        for g in &s.segments {
            degrees[g.from.index()] += 1;
            if g.to != g.from {
                degrees[g.to.index()] += 1;
            }
        }
        let degree = |i: usize| degrees[i];
        let rank = |i: usize| match s.nodes[i].kind {
            NodeKind::Depot(_) => 0,
            NodeKind::Source { .. } => 1,
            NodeKind::Waypoint => 2,
        };
        let mut lorder: Vec<usize> = (0..s.nodes.len()).filter(|i| px[*i].is_some()).collect();
        lorder.sort_by_key(|i| (rank(*i), std::cmp::Reverse(degree(*i)), *i));
        let seg_lines: Vec<((f64, f64), (f64, f64))> = (0..s.segments.len())
            .filter_map(|i| {
                ends(i).map(|(a, b)| {
                    (
                        (f64::from(a.0), f64::from(a.1)),
                        (f64::from(b.0), f64::from(b.1)),
                    )
                })
            })
            .collect();
        let mut taken: Vec<Rect> = px
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                p.map(|(x, y)| {
                    let r = node_r(i) + st.px(2.0);
                    (x - r, y - r, x + r, y + r)
                })
            })
            .collect();
        let node_boxes = taken.clone();
        // Labels are tested only against the boxes and segments near them: all pairs took
        // minutes on a network of thousands of nodes.
        let cell = st.px(48.0).max(8);
        let mut taken_near = Buckets::new(cell);
        for (j, t) in taken.iter().enumerate() {
            taken_near.insert_rect(j, *t);
        }
        let mut lines_near = Buckets::new(cell);
        for (j, (a, b)) in seg_lines.iter().enumerate() {
            lines_near.insert_line(j, *a, *b);
        }
        // The box of each node, looked up rather than searched for.
        let mut first_box: std::collections::HashMap<Rect, usize> =
            std::collections::HashMap::new();
        for (j, b) in node_boxes.iter().enumerate() {
            first_box.entry(*b).or_insert(j);
        }
        let bounds = (map.0, map.1, map.2 + st.px(10.0), map.3);
        let mut labels: Vec<Label> = Vec::new();
        let mut unlabelled: Vec<String> = Vec::new();
        for &i in &lorder {
            let Some((x, y)) = px[i] else { continue };
            let bold = rank(i) < 2;
            let f = if bold {
                Font::bold(size::LABEL, INK)
            } else {
                Font::new(size::LABEL * 0.93, INK)
            };
            let (full, short) = map_names(&s.nodes[i].name);
            let r = node_r(i);
            let g = st.px(5.0);
            let cap = cv.cap(f);
            let padding = st.px(3.0);
            let own = first_box
                .get(&(
                    x - r - st.px(2.0),
                    y - r - st.px(2.0),
                    x + r + st.px(2.0),
                    y + r + st.px(2.0),
                ))
                .copied();
            let mut best: Option<(f64, Label, Rect)> = None;
            let mut texts = vec![full.clone()];
            if short != full {
                texts.push(short.clone());
            }
            'texts: for (ti, text) in texts.iter().enumerate() {
                let w = cv.width(text, f);
                // (anchor x, anchor y (top of caps), alignment, leader, preference)
                let mut cands: Vec<(i32, i32, Align, bool)> = Vec::new();
                for far in [1, 3, 5] {
                    let d = (r + g) * far + if far > 1 { st.px(6.0) } else { 0 };
                    let dd = (f64::from(d) * 0.75) as i32;
                    cands.extend([
                        (x + d, y - cap / 2, Align::Left, far > 1),
                        (x - d, y - cap / 2, Align::Right, far > 1),
                        (x + dd, y - dd - cap, Align::Left, far > 1),
                        (x + dd, y + dd, Align::Left, far > 1),
                        (x - dd, y - dd - cap, Align::Right, far > 1),
                        (x - dd, y + dd, Align::Right, far > 1),
                        (x, y - d - cap, Align::Center, far > 1),
                        (x, y + d, Align::Center, far > 1),
                    ]);
                }
                for (k, (ax, ay, al, leader)) in cands.into_iter().enumerate() {
                    let x0 = match al {
                        Align::Left => ax,
                        Align::Right => ax - w,
                        Align::Center => ax - w / 2,
                    };
                    let rect = (
                        x0 - padding,
                        ay - padding,
                        x0 + w + padding,
                        ay + cap + padding,
                    );
                    if rect.0 < bounds.0
                        || rect.1 < bounds.1
                        || rect.2 > bounds.2
                        || rect.3 > bounds.3
                    {
                        continue;
                    }
                    let mut blocked = false;
                    taken_near.near(rect, |j| {
                        blocked |= Some(j) != own && overlaps(taken[j], rect);
                    });
                    if blocked {
                        continue;
                    }
                    let rf = (
                        f64::from(rect.0),
                        f64::from(rect.1),
                        f64::from(rect.2),
                        f64::from(rect.3),
                    );
                    let mut hits = 0usize;
                    lines_near.near(rect, |j| {
                        hits += usize::from(crosses(seg_lines[j].0, seg_lines[j].1, rf));
                    });
                    let cost = hits as f64 * 6.0 + k as f64 + ti as f64 * 12.0;
                    if best.as_ref().is_none_or(|(c, _, _)| cost < *c) {
                        let lead = leader.then(|| {
                            let tx = match al {
                                Align::Left => x0,
                                Align::Right => x0 + w,
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
                        best = Some((
                            cost,
                            Label {
                                text: text.clone(),
                                at: (ax, ay),
                                align: al,
                                bold,
                                leader: lead,
                            },
                            rect,
                        ));
                    }
                }
                if best
                    .as_ref()
                    .is_some_and(|(c, _, _)| *c < 6.0 + 12.0 * ti as f64)
                {
                    break 'texts;
                }
            }
            match best {
                Some((_, l, rect)) => {
                    taken_near.insert_rect(taken.len(), rect);
                    taken.push(rect);
                    labels.push(l);
                }
                None => unlabelled.push(full),
            }
        }
        for l in &labels {
            if let Some((a, b)) = l.leader {
                cv.line(vec![a, b], MUTED.mix(0.8), 1.5)?;
            }
        }
        for l in &labels {
            let f = if l.bold {
                Font::bold(size::LABEL, INK)
            } else {
                Font::new(size::LABEL * 0.93, INK)
            };
            let w = cv.width(&l.text, f);
            let x0 = match l.align {
                Align::Left => l.at.0,
                Align::Right => l.at.0 - w,
                Align::Center => l.at.0 - w / 2,
            };
            let p = st.px(3.0);
            cv.rect(
                (x0 - p, l.at.1 - p),
                (x0 + w + p, l.at.1 + cv.cap(f) + p),
                WHITE.mix(0.78),
                true,
            )?;
            cv.text(&l.text, l.at, f, l.align, VAlign::Top)?;
        }
        // Country names, then capitals that are not network nodes (a small square and the
        // name), each placed only where it covers no marker, no label and no road.
        if geo_map {
            let nf = Font::new(size::LABEL * 1.05, COUNTRY);
            for c in &basemap::west_africa().countries {
                let Some(at) = c.label else { continue };
                let (x, y) = to_px((at.0 * lay.kx, at.1));
                let text = crate::report::lang::country(l, &c.name).to_uppercase();
                let w = cv.width(&text, nf);
                let h = cv.cap(nf);
                // The label point, or a little above or below it: never under a network
                // marker, label or road, inside the frame.
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
                    let rf = (
                        f64::from(rect.0),
                        f64::from(rect.1),
                        f64::from(rect.2),
                        f64::from(rect.3),
                    );
                    let clear = !px.iter().flatten().any(|p| {
                        p.0 > rect.0 - st.px(12.0)
                            && p.0 < rect.2 + st.px(12.0)
                            && p.1 > rect.1 - st.px(12.0)
                            && p.1 < rect.3 + st.px(12.0)
                    }) && !seg_lines.iter().any(|(a, b)| crosses(*a, *b, rf))
                        && !taken.iter().any(|t| overlaps(*t, rect));
                    if inside && clear {
                        cv.text(&text, (x, top), nf, Align::Center, VAlign::Top)?;
                        taken.push(rect);
                        break;
                    }
                }
            }

            let kf = Font::new(size::LABEL * 0.85, CAPITAL);
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
                let w = cv.width(&k.name, kf);
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
                    let rf = (
                        f64::from(rect.0),
                        f64::from(rect.1),
                        f64::from(rect.2),
                        f64::from(rect.3),
                    );
                    if fits
                        && !taken.iter().any(|t| overlaps(*t, rect))
                        && !seg_lines.iter().any(|(a, b)| crosses(*a, *b, rf))
                    {
                        cv.text(&k.name, (x0, y0), kf, Align::Left, VAlign::Top)?;
                        taken.push(rect);
                        break;
                    }
                }
            }
        }
        if !unlabelled.is_empty() {
            cv.text(
                &cv.fit(
                    &tr!(l, MapNotLabelled, names = unlabelled.join(", ")),
                    Font::new(size::NOTE, MUTED),
                    st.w - 2 * m,
                ),
                (m, bottom_notes - reserve + st.px(4.0)),
                Font::new(size::NOTE, MUTED),
                Align::Left,
                VAlign::Top,
            )?;
        }

        let km_per_px = (lay.geo && placed.len() >= 2 && scale.is_finite() && scale > 0.0)
            .then(|| 111.32 / scale);
        // The most critical segments by name: a short road (Kati–Bamako) can hide under
        // its end markers.
        let short_label = |i: SegmentId| {
            let g = s.segment(i);
            format!(
                "{}–{}",
                map_names(&s.node(g.from).name).0,
                map_names(&s.node(g.to).name).0
            )
        };
        let top_crit: Vec<(String, f64)> = match self.risk {
            None => self
                .crit
                .iter()
                .filter(|c| c.drop_trucks_per_day > 0.0 && total > 0.0)
                .take(3)
                .map(|c| (short_label(c.segment), c.drop_trucks_per_day / total))
                .collect(),
            Some(risk) => {
                let mut by: Vec<usize> = (0..s.segments.len().min(risk.len()))
                    .filter(|i| risk[*i] > 0.0)
                    .collect();
                by.sort_by(|a, b| risk[*b].total_cmp(&risk[*a]).then(a.cmp(b)));
                by.into_iter()
                    .take(3)
                    .map(|i| (short_label(SegmentId(i as u32)), risk[i]))
                    .collect()
            }
        };
        legend_panel(
            cv,
            (st.w - m - panel_w, top + st.px(6.0)),
            panel_w,
            &Panel {
                max_cap,
                width_of: &width_of,
                has_cut: self.risk.is_none() && !self.mf.min_cut.is_empty(),
                mode: self.mode,
                has_closed: !self.closed.is_empty(),
                km_per_px,
                top_crit,
            },
        )
    }
}

/// A short black bar across the segment's middle: this segment is in the minimum cut.
fn cut_mark<DB: DrawingBackend>(cv: &Canvas<DB>, a: (i32, i32), b: (i32, i32), w: f64) -> Res {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = dx.hypot(dy);
    if len < 1.0 {
        return Ok(());
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
    cv.line(vec![p(-half), p(half)], INK.to_rgba(), 6.0)
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
struct Panel<'a> {
    /// Largest segment capacity, trucks per day.
    max_cap: f64,
    /// Line width of a capacity, before scaling.
    width_of: &'a dyn Fn(f64) -> f64,
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
    let mut samples: Vec<f64> = Vec::new();
    if p.max_cap > 0.0 {
        let (_, step) = nice_ticks(0.0, p.max_cap, 2);
        let top = (p.max_cap / step).floor() * step;
        for v in [top, top / 4.0, top / 16.0] {
            let v = if v >= 10.0 {
                (v / 5.0).round() * 5.0
            } else {
                v.round().max(1.0)
            };
            if v > 0.0 && !samples.contains(&v) {
                samples.push(v);
            }
        }
    }
    for v in samples {
        let mid = y + cv.cap(f) / 2;
        cv.line(
            vec![(x, mid), (x + sw, mid)],
            CRIT[0].to_rgba(),
            (p.width_of)(v),
        )?;
        cv.text(
            &l.digits(&tick_label(v, 1.0)),
            (tx, y),
            f,
            Align::Left,
            VAlign::Top,
        )?;
        y += line_h;
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

    #[test]
    fn criticality_classes() {
        assert_eq!(crit_class(0.0), 0);
        assert_eq!(crit_class(f64::NAN), 0);
        assert_eq!(crit_class(0.05), 1);
        assert_eq!(crit_class(0.3), 3);
        assert_eq!(crit_class(1.0), 4);
    }
}
