//! The charts of `blockade calibrate`, one file each: marginal histograms of the retained
//! inputs against the prior (`marginals.rs`), a pairs plot, observed against simulated for
//! every observation, and the observations' timeline. This module holds what they share:
//! the panel grid, fitted names, x ticks under a panel, the prior's grey.

mod marginals;
mod observed;
mod pairs;
mod timeline;

pub(crate) use marginals::MarginalsChart;
pub(crate) use observed::ObservedChart;
pub(crate) use pairs::PairsChart;
pub(crate) use timeline::TimelineChart;

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, GRID, Header, INK, Legend, MUTED, Res, Swatch,
    TimeAxis, VAlign, frame, header, nice_top, notes, size, value_ticks, wrap,
};
use super::kit::{other_unit_words, path_name, sig3};
use crate::calibrate::Calibration;
use crate::report::{Lang, Msg};
use crate::scenario::Scenario;
use crate::tr;

/// Pale grey for the prior.
const PRIOR: RGBColor = RGBColor(190, 190, 190);

/// A grid of `n` panels in the rectangle `(l, t)`–`(r, b)`: `(cols, rows)`.
fn grid(n: usize, w: i32, h: i32) -> (usize, usize) {
    let mut best = (n.max(1), 1);
    let mut best_score = f64::INFINITY;
    for cols in 1..=n.max(1) {
        let rows = n.max(1).div_ceil(cols);
        let (pw, ph) = (f64::from(w) / cols as f64, f64::from(h) / rows as f64);
        // Panels near 16:10, few empty cells.
        let score = (pw / ph / 1.6).ln().abs() + 0.3 * (cols * rows - n.max(1)) as f64;
        if score < best_score {
            best_score = score;
            best = (cols, rows);
        }
    }
    best
}

/// A short name for an input path: `segments[KAY-DIE].risk` stays, long ones are fitted.
fn short(cv: &Canvas<impl DrawingBackend>, text: &str, f: Font, w: i32) -> String {
    cv.fit(text, f, w)
}

/// An input's name as the study charts give it ("attack risk, Kayes–Diéma"; an event's
/// field by the event's label), with its unit in `l` when the values are not litres.
fn input_name(s: &Scenario, path: &str, l: Lang) -> String {
    let n = path_name(s, path, l);
    match n.other_unit {
        Some(u) => format!("{} ({})", n.label, other_unit_words(u, l)),
        None => n.label,
    }
}

/// Draws x ticks under a panel (no grid title).
fn ticks_x<DB: DrawingBackend>(cv: &Canvas<DB>, ax: &Axes, lo: f64, hi: f64, labels: bool) -> Res {
    let f = Font::new(size::TICK * 0.8, INK);
    let ticks = value_ticks(lo, hi, 4, "");
    let mut last = i32::MIN;
    for (v, label) in ticks {
        if v < lo - 1e-12 || v > hi + 1e-12 {
            continue;
        }
        let label = cv.st.lang.digits(&label);
        let x = ax.x(v);
        cv.line(vec![(x, ax.t), (x, ax.b)], GRID.to_rgba(), 1.0)?;
        if labels {
            let w = cv.width(&label, f);
            // A label stays over its own panel (a few pixels of slack at each end), so a
            // wide number such as 30,000,000 never runs into the next panel's.
            let inside = x - w / 2 >= ax.l - cv.st.px(8.0) && x + w / 2 <= ax.r + cv.st.px(8.0);
            if inside && x - w / 2 > last + cv.st.px(6.0) {
                cv.text(
                    &label,
                    (x, ax.b + cv.st.px(6.0)),
                    f,
                    Align::Center,
                    VAlign::Top,
                )?;
                last = x + w / 2;
            }
        }
    }
    Ok(())
}

/// The smallest and largest of `v`, and its median.
fn spread(mut v: Vec<f64>) -> Option<(f64, f64, f64)> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some((
        v[0],
        crate::ensemble::percentile_sorted(&v, 0.5),
        v[v.len() - 1],
    ))
}

#[cfg(test)]
pub(super) mod tests {
    use crate::scenario::observations::{Observation, Observed, Quantity};

    /// An observation of trucks lost on the first segment over days `from..=to`, for the
    /// calibration charts' tests.
    pub(in crate::report::charts::calibration) fn observation(
        id: &str,
        from: u32,
        to: u32,
        value: Observed,
    ) -> Observation {
        Observation {
            id: id.into(),
            label: format!("{id}, trucks lost"),
            source: String::new(),
            from,
            to,
            quantity: Quantity::TrucksLost(vec![true]),
            value,
            discrepancy: None,
        }
    }
}
