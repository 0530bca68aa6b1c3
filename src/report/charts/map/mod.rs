//! The network map: nodes placed by latitude and longitude over the country borders,
//! names and capitals of West Africa ([`basemap`]), segments drawn with width by
//! capacity and colour by criticality, the minimum cut marked, names placed so that they do
//! not overlap, a legend and a scale bar.

mod basemap;
mod chart;
mod data;
mod labels;
mod legend;
mod paint;
mod projection;
#[cfg(test)]
mod tests;

use std::path::Path;

use plotters::prelude::*;

use super::ChartOptions;
use super::draw::{
    Align, BLUE, Canvas, Chart, DrawnChart, Font, GREEN, GRID, Header, INK, MUTED, Res, VAlign,
    header, nice_ticks, notes, render_drawn, size, tick_label,
};
use crate::network::{Criticality, MaxFlow};
use crate::report::{Msg, ReportError};
use crate::scenario::{NodeKind, Scenario, SegmentId};
use crate::tr;
use data::*;
use labels::*;
// Our `Rect` (a pixel box), not the one of the plotters prelude.
use labels::Rect;
use legend::*;
use paint::*;
use projection::*;

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
/// Returns what it drew, the PNG's bytes included.
///
/// # Errors
/// [`ReportError::Chart`] if drawing fails, [`ReportError::Io`] if a file cannot be written.
pub fn network_map(
    s: &Scenario,
    mf: &MaxFlow,
    crit: &[Criticality],
    path: &Path,
    opts: &ChartOptions,
) -> Result<DrawnChart, ReportError> {
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
    render_drawn(&chart, path, opts)
}

/// Draws the network of `s` like [`network_map`], but with each road coloured by the
/// chance that an unescorted convoy is attacked on it, `risk[i]` for segment `i` (from
/// [`crate::network::attack_probability`] under the conditions shown: say which in
/// `opts.facts`). Width still shows capacity; the legend lists the most dangerous roads.
///
/// Returns what it drew, the PNG's bytes included.
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
) -> Result<DrawnChart, ReportError> {
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
    render_drawn(&chart, path, opts)
}

/// Draws the network of `s` like [`network_map`], with each road coloured by the mean
/// number of tankers lost on it per run, `lost[i]` for segment `i` (from
/// [`crate::ensemble::Summary`]'s segment statistics). Width still shows capacity; the
/// legend lists the roads that lost most.
///
/// Returns what it drew, the PNG's bytes included.
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
) -> Result<DrawnChart, ReportError> {
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
    render_drawn(&chart, path, opts)
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
