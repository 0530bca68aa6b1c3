//! Lines and shapes the charts share: step lines and bands over days, percentile fans,
//! the message of an empty plot, the colours of a series of lines.

use plotters::prelude::*;

use super::super::draw::{
    Align, Axes, BLUE, Canvas, Font, Legend, MUTED, Res, SERIES, Swatch, VAlign, VERMILLION, size,
};
use crate::report::{Lang, Msg};
use crate::tr;

/// Opacity of the outer (P5–P95) band of a fan.
pub(crate) const OUTER: f64 = 0.17;
/// Opacity of the inner (P25–P75) band of a fan, drawn over the outer one.
pub(crate) const INNER: f64 = 0.32;

/// The legend of a fan of days of supply in `l`: the P5–P95 and P25–P75 bands and the
/// median, then the rationing trigger of `trigger` days when there is one.
pub(crate) fn fan_legend(l: Lang, trigger: Option<f64>) -> Vec<Legend> {
    let mut legend = vec![
        Legend::new(
            Swatch::Fill(BLUE, OUTER),
            tr!(l, ChP5P95, ninety = l.percent("90")),
        ),
        Legend::new(
            Swatch::Fill(BLUE, OUTER + INNER * (1.0 - OUTER)),
            l.t(Msg::ChP25P75),
        ),
        Legend::new(Swatch::Line(BLUE, 3.5, false), l.t(Msg::ChMedian)),
    ];
    legend.extend(trigger.map(|t| trigger_legend(l, t)));
    legend
}

/// The legend entry of the rationing trigger, `days` days of supply, in `l`.
pub(crate) fn trigger_legend(l: Lang, days: f64) -> Legend {
    Legend::new(
        Swatch::Line(VERMILLION, 3.0, true),
        tr!(l, ChTrigger, days = l.num_short(days)),
    )
}

/// Colours for series of lines (yellow is too light for a line on white).
pub(crate) const LINES: [RGBColor; 6] = [
    SERIES[0], SERIES[1], SERIES[2], SERIES[3], SERIES[4], SERIES[5],
];

/// Points of a step line: value `v[k]` held over day `[k, k + 1]`.
pub(crate) fn step_line(ax: &Axes, v: &[f64]) -> Vec<(i32, i32)> {
    let mut pts = Vec::with_capacity(2 * v.len());
    for (k, y) in v.iter().enumerate() {
        pts.push(ax.p(k as f64, *y));
        pts.push(ax.p(k as f64 + 1.0, *y));
    }
    pts
}

/// The polygon between two step lines.
pub(crate) fn step_band(ax: &Axes, lower: &[f64], upper: &[f64]) -> Vec<(i32, i32)> {
    let mut pts = step_line(ax, upper);
    let mut low = step_line(ax, lower);
    low.reverse();
    pts.extend(low);
    pts
}

/// Points of a line through `v[k]` at the middle of each day, held flat to the edges.
pub(crate) fn mid_line(ax: &Axes, v: &[f64]) -> Vec<(i32, i32)> {
    let mut pts = Vec::with_capacity(v.len() + 2);
    if let Some(first) = v.first() {
        pts.push(ax.p(0.0, *first));
    }
    for (k, y) in v.iter().enumerate() {
        pts.push(ax.p(k as f64 + 0.5, *y));
    }
    if let Some(last) = v.last() {
        pts.push(ax.p(v.len() as f64, *last));
    }
    pts
}

/// A message in the middle of an empty plot.
pub(crate) fn empty_message<DB: DrawingBackend>(cv: &Canvas<DB>, ax: &Axes, text: &str) -> Res {
    let f = Font::bold(size::AXIS, MUTED);
    cv.text(
        &cv.fit(text, f, ax.r - ax.l - cv.st.px(40.0)),
        ((ax.l + ax.r) / 2, (ax.t + ax.b) / 2),
        f,
        Align::Center,
        VAlign::Middle,
    )
}

/// Values at the times 0..=days: day 0 at time 0 is the initial stock, end of day k at
/// time k + 1.
pub(crate) fn at_times(init: f64, pct: &[[f64; 5]]) -> Vec<[f64; 5]> {
    std::iter::once([init; 5])
        .chain(pct.iter().copied())
        .collect()
}

/// The polygon between percentiles `lo` and `hi` of `v` (five percentiles per time, time
/// `j` at x = `j`), each value divided by `div`.
pub(crate) fn pct_band(
    ax: &Axes,
    v: &[[f64; 5]],
    lo: usize,
    hi: usize,
    div: f64,
) -> Vec<(i32, i32)> {
    let mut pts: Vec<(i32, i32)> = v
        .iter()
        .enumerate()
        .map(|(j, p)| ax.p(j as f64, p[hi] / div))
        .collect();
    pts.extend(
        v.iter()
            .enumerate()
            .rev()
            .map(|(j, p)| ax.p(j as f64, p[lo] / div)),
    );
    pts
}

/// The line through percentile `k` of `v` (time `j` at x = `j`), each value divided by `div`.
pub(crate) fn pct_line(ax: &Axes, v: &[[f64; 5]], k: usize, div: f64) -> Vec<(i32, i32)> {
    v.iter()
        .enumerate()
        .map(|(j, p)| ax.p(j as f64, p[k] / div))
        .collect()
}

/// Draws the bands and the median of `v` (five percentiles per time) on `ax`, in `color`.
pub(crate) fn fan<DB: DrawingBackend>(
    cv: &Canvas<DB>,
    ax: &Axes,
    v: &[[f64; 5]],
    color: RGBColor,
) -> Res {
    cv.poly(pct_band(ax, v, 0, 4, 1.0), color.mix(OUTER))?;
    cv.poly(pct_band(ax, v, 1, 3, 1.0), color.mix(INNER))?;
    cv.line(pct_line(ax, v, 2, 1.0), color.to_rgba(), 3.5)
}
