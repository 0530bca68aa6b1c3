//! The charts of `blockade calibrate`: marginal histograms of the retained inputs against
//! the prior, a pairs plot, and observed against simulated for every observation.

mod observed;
mod pairs;
mod timeline;

pub(crate) use observed::ObservedChart;
pub(crate) use pairs::PairsChart;
pub(crate) use timeline::TimelineChart;

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, GRID, Header, INK, Legend, MUTED, Res, Swatch,
    TimeAxis, VAlign, frame, header, nice_top, notes, size, value_ticks, wrap,
};
use super::kit::{path_name, sig3};
use crate::calibrate::Calibration;
use crate::scenario::Scenario;

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
/// field by the event's label), with its unit when the values are not litres.
fn input_name(s: &Scenario, path: &str) -> String {
    let n = path_name(s, path);
    match n.other_unit {
        Some(u) => format!("{} ({u})", n.label),
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

/// Marginal histograms: one panel per input, the prior sample of the first wave (grey) and
/// the retained points (blue), over the prior's range.
pub(crate) struct MarginalsChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the names of its inputs).
    pub s: &'a Scenario,
}

impl Chart for MarginalsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let c = self.c;
        let kept = c.retained();
        let ranges = c.ranges();
        let top = header(
            cv,
            &Header {
                title: format!(
                    "{}: what the observations leave of each uncertain input",
                    self.s.name
                ),
                subtitle: format!(
                    "history matching, {} waves, {} replications; {} retained of the last wave's {}",
                    c.waves.len(),
                    c.replications,
                    match kept.len() {
                        1 => "1 point".to_string(),
                        k => format!("{k} points"),
                    },
                    c.final_wave().map_or(0, |w| w.points.len())
                ),
                legend: vec![
                    Legend::new(Swatch::Fill(PRIOR, 1.0), "prior (first wave's points)"),
                    Legend::new(Swatch::Fill(BLUE, 0.85), "retained (not implausible)"),
                ],
            },
        )?;
        let bottom = notes(
            cv,
            &["Each panel spans the prior's range. Bars are shares of each set, so the two shapes compare. \"Not identified\": the retained range is over half the prior's: these observations cannot narrow it.".to_string()],
        )?;
        let m = cv.margin();
        let (cols, rows) = grid(c.inputs.len(), cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(10.0)) / rows as i32,
        );
        let first = &c.waves[0].points;
        let bins = 12usize;
        for (j, input) in c.inputs.iter().enumerate() {
            let (col, row) = ((j % cols) as i32, (j / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            let tf = Font::bold(size::LABEL, INK);
            let verdict = if !ranges[j].enough_points() {
                format!(
                    "too few retained points ({}) to judge a range",
                    ranges[j].points
                )
            } else if ranges[j].identified() {
                format!(
                    "retained {}–{}",
                    sig3(ranges[j].retained.0),
                    sig3(ranges[j].retained.1)
                )
            } else {
                "not identified".to_string()
            };
            // The input's name on up to two lines, then the verdict.
            let line_h = cv.cap(tf) + cv.st.px(6.0);
            let lines = wrap(
                cv,
                &input_name(self.s, &input.path),
                tf,
                pw - cv.st.px(20.0),
                2,
            );
            for (i, l) in lines.iter().enumerate() {
                cv.text(
                    l,
                    (x0 + cv.st.px(10.0), y0 + i as i32 * line_h),
                    tf,
                    Align::Left,
                    VAlign::Top,
                )?;
            }
            let vf = Font::new(size::LABEL * 0.9, MUTED);
            cv.text(
                &short(cv, &verdict, vf, pw - cv.st.px(20.0)),
                (x0 + cv.st.px(10.0), y0 + 2 * line_h + cv.st.px(4.0)),
                vf,
                Align::Left,
                VAlign::Top,
            )?;
            let (lo, hi) = input.dist.plot_range();
            let hi = if hi > lo { hi } else { lo + 1.0 };
            let share = |vals: &[f64]| -> Vec<f64> {
                let mut h = vec![0.0; bins];
                for v in vals {
                    let b = (((v - lo) / (hi - lo)) * bins as f64).floor();
                    h[(b.max(0.0) as usize).min(bins - 1)] += 1.0;
                }
                let n = vals.len().max(1) as f64;
                h.iter().map(|x| x / n).collect()
            };
            let prior = share(&first.iter().map(|p| p.values[j]).collect::<Vec<_>>());
            let post = share(&kept.iter().map(|p| p.values[j]).collect::<Vec<_>>());
            let ymax = prior
                .iter()
                .chain(&post)
                .copied()
                .fold(0.0, f64::max)
                .max(1e-9)
                * 1.1;
            let ax = Axes {
                l: x0 + cv.st.px(14.0),
                t: y0 + 3 * cv.cap(tf) + cv.st.px(34.0),
                r: x0 + pw - cv.st.px(24.0),
                b: y0 + ph - cv.st.px(44.0),
                x0: lo,
                x1: hi,
                y0: 0.0,
                y1: ymax,
            };
            ticks_x(cv, &ax, lo, hi, true)?;
            let bw = (hi - lo) / bins as f64;
            for b in 0..bins {
                let (a, z) = (lo + b as f64 * bw, lo + (b + 1) as f64 * bw);
                let gap = cv.st.px(1.0);
                if prior[b] > 0.0 {
                    cv.rect(
                        (ax.x(a) + gap, ax.y(prior[b])),
                        (ax.x(z) - gap, ax.b),
                        PRIOR.to_rgba(),
                        true,
                    )?;
                }
                if post[b] > 0.0 {
                    let mid = (ax.x(a) + ax.x(z)) / 2;
                    let q = (ax.x(z) - ax.x(a)) / 4;
                    cv.rect(
                        (mid - q, ax.y(post[b])),
                        (mid + q, ax.b),
                        BLUE.mix(0.85),
                        true,
                    )?;
                }
            }
            frame(cv, &ax)?;
        }
        Ok(())
    }
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
