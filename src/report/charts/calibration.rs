//! The charts of `blockade calibrate`: marginal histograms of the retained inputs against
//! the prior, a pairs plot, and observed against simulated for every observation.

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

/// A number short enough for a small cell: `17M`, `250k`, `0.05`.
fn compact(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{}M", sig3(v / 1e6))
    } else if v.abs() >= 1e4 {
        format!("{}k", sig3(v / 1e3))
    } else {
        sig3(v)
    }
}

/// Most inputs in the pairs plot.
const MAX_PAIRS: usize = 6;

/// Pairs plot: every pair of inputs (at most [`MAX_PAIRS`], those narrowed most), the first wave's points (grey) and the retained ones
/// (blue), each axis over the prior's range; the input's name on the diagonal.
pub(crate) struct PairsChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the names of its inputs).
    pub s: &'a Scenario,
}

impl Chart for PairsChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let c = self.c;
        let kept = c.retained();
        // At most MAX_PAIRS inputs, those the observations narrow most (smallest retained
        // share of the prior's range), in file order: more cells than that cannot be read.
        let ranges = c.ranges();
        let mut shown: Vec<usize> = (0..c.inputs.len()).collect();
        shown.sort_by(|x, y| {
            ranges[*x]
                .share()
                .total_cmp(&ranges[*y].share())
                .then(x.cmp(y))
        });
        shown.truncate(MAX_PAIRS);
        shown.sort_unstable();
        let which = if shown.len() < c.inputs.len() {
            format!(
                "the {} of {} inputs narrowed most (all: calibration-points.csv); ",
                shown.len(),
                c.inputs.len()
            )
        } else {
            String::new()
        };
        let top = header(
            cv,
            &Header {
                title: format!("{}: retained inputs, two at a time", self.s.name),
                subtitle: format!(
                    "{which}{} retained points over the first wave's {}; axes span the priors",
                    kept.len(),
                    c.waves[0].points.len()
                ),
                legend: vec![
                    Legend::new(
                        Swatch::Fill(PRIOR, 1.0),
                        "first wave (a Latin hypercube over the prior)",
                    ),
                    Legend::new(Swatch::Fill(BLUE, 0.85), "retained"),
                ],
            },
        )?;
        let m = cv.margin();
        let k = shown.len();
        let side = ((cv.st.w - 2 * m).min(cv.st.h - top - m)) / k.max(1) as i32;
        let x_start = m + ((cv.st.w - 2 * m) - side * k as i32) / 2;
        let f = Font::new(size::LABEL * 0.85, INK);
        for (ia, &a) in shown.iter().enumerate() {
            for (ib, &b) in shown.iter().enumerate() {
                let (x0, y0) = (x_start + ib as i32 * side, top + ia as i32 * side);
                let pad = cv.st.px(6.0);
                let ax = Axes {
                    l: x0 + pad,
                    t: y0 + pad,
                    r: x0 + side - pad,
                    b: y0 + side - pad,
                    x0: c.inputs[b].dist.plot_range().0,
                    x1: c.inputs[b].dist.plot_range().1,
                    y0: c.inputs[a].dist.plot_range().0,
                    y1: c.inputs[a].dist.plot_range().1,
                };
                cv.rect((ax.l, ax.t), (ax.r, ax.b), GREY.to_rgba(), false)?;
                if a == b {
                    let (lo, hi) = c.inputs[a].dist.plot_range();
                    // The input's name on up to three lines, then its prior range.
                    let mut lines = wrap(
                        cv,
                        &input_name(self.s, &c.inputs[a].path),
                        f,
                        side - 4 * pad,
                        3,
                    );
                    let pf = Font::new(size::LABEL * 0.8, MUTED);
                    lines.push(cv.fit(
                        &format!("{}–{}", compact(lo), compact(hi)),
                        pf,
                        side - 2 * pad,
                    ));
                    let n = lines.len() as i32;
                    for (i, l) in lines.iter().enumerate() {
                        cv.text(
                            l,
                            (
                                (ax.l + ax.r) / 2,
                                (ax.t + ax.b) / 2 + (2 * i as i32 - (n - 1)) * cv.cap(f),
                            ),
                            if i + 1 < lines.len() { f } else { pf },
                            Align::Center,
                            VAlign::Middle,
                        )?;
                    }
                    continue;
                }
                let r = cv.st.px(3.5).max(2);
                for p in &c.waves[0].points {
                    cv.circle(ax.p(p.values[b], p.values[a]), r, PRIOR.to_rgba(), true)?;
                }
                for p in &kept {
                    cv.circle(ax.p(p.values[b], p.values[a]), r, BLUE.mix(0.85), true)?;
                }
            }
        }
        Ok(())
    }
}

/// Observed against simulated: one panel per observation, the observation's range (or
/// value ± 2 sd, or its bound), the spread of the simulated means over the first wave's
/// points (the prior) and over the retained points.
pub(crate) struct ObservedChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the dates of the periods).
    pub s: &'a Scenario,
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

impl Chart for ObservedChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let c = self.c;
        let kept = c.retained();
        let top = header(
            cv,
            &Header {
                title: format!("{}: observed against simulated", self.s.name),
                subtitle:
                    "bars: lowest to highest simulated mean over the points; dot: their median"
                        .into(),
                legend: vec![
                    Legend::new(Swatch::Fill(INK, 0.25), "observed (range, ±2 sd, or bound)"),
                    Legend::new(Swatch::Marker(GREY), "prior (first wave)"),
                    Legend::new(Swatch::Marker(BLUE), "calibrated (retained points)"),
                ],
            },
        )?;
        let bottom = notes(
            cv,
            &[
                "An open-ended bar is a bound (\"at least 130\"). Each panel has its own scale."
                    .to_string(),
            ],
        )?;
        let m = cv.margin();
        let n = c.observations.len();
        let (cols, rows) = grid(n, cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(10.0)) / rows as i32,
        );
        let tf = Font::bold(size::LABEL * 0.85, INK);
        let sf = Font::new(size::LABEL * 0.75, MUTED);
        for (i, o) in c.observations.iter().enumerate() {
            let (col, row) = ((i % cols) as i32, (i / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            // The label on up to two lines, then the period and the unit (the source is in
            // calibration-observed.csv).
            let line_h = cv.cap(tf) + cv.st.px(6.0);
            for (k, l) in wrap(cv, &o.label, tf, pw - cv.st.px(16.0), 2)
                .iter()
                .enumerate()
            {
                cv.text(
                    l,
                    (x0 + cv.st.px(8.0), y0 + k as i32 * line_h),
                    tf,
                    Align::Left,
                    VAlign::Top,
                )?;
            }
            let sub = format!("{} · {}", o.period(self.s), o.quantity.unit());
            cv.text(
                &cv.fit(&sub, sf, pw - cv.st.px(16.0)),
                (x0 + cv.st.px(8.0), y0 + 2 * line_h + cv.st.px(2.0)),
                sf,
                Align::Left,
                VAlign::Top,
            )?;
            let prior = spread(c.waves[0].points.iter().map(|p| p.mean[i]).collect());
            let post = spread(kept.iter().map(|p| p.mean[i]).collect());
            let (blo, bhi) = o.value.bar();
            // The scale covers the observation's finite ends and every simulated mean.
            let mut lo = o.value.centre();
            let mut hi = o.value.centre();
            for v in [blo, bhi].into_iter().filter(|v| v.is_finite()) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
            for (a, _, z) in [prior, post].into_iter().flatten() {
                lo = lo.min(a);
                hi = hi.max(z);
            }
            lo = lo.min(0.0);
            if !lo.is_finite() {
                lo = 0.0;
            }
            if !hi.is_finite() || hi <= lo {
                hi = lo + 1.0;
            }
            let ticks = value_ticks(lo, hi * 1.05, 3, "");
            let tkf = Font::new(size::TICK * 0.7, INK);
            let yw = ticks
                .iter()
                .map(|(_, l)| cv.width(l, tkf))
                .max()
                .unwrap_or(0);
            let ax = Axes {
                l: x0 + yw + cv.st.px(16.0),
                t: y0 + 2 * cv.cap(tf) + cv.cap(sf) + cv.st.px(32.0),
                r: x0 + pw - cv.st.px(16.0),
                b: y0 + ph - cv.st.px(18.0),
                x0: 0.0,
                x1: 3.0,
                y0: lo,
                y1: ticks.last().map_or(hi, |t| t.0.max(hi)),
            };
            for (v, l) in &ticks {
                let y = ax.y(*v);
                cv.line(vec![(ax.l, y), (ax.r, y)], GRID.to_rgba(), 1.0)?;
                cv.text(
                    l,
                    (ax.l - cv.st.px(6.0), y),
                    tkf,
                    Align::Right,
                    VAlign::Middle,
                )?;
            }
            // Observed: a shaded band, open to the top for a lower bound.
            let (ylo, yhi) = (
                if blo.is_finite() {
                    ax.y(blo.max(ax.y0))
                } else {
                    ax.b
                },
                if bhi.is_finite() { ax.y(bhi) } else { ax.t },
            );
            cv.rect((ax.x(0.15), yhi), (ax.x(0.85), ylo), INK.mix(0.25), true)?;
            cv.line(
                vec![
                    (ax.x(0.15), ax.y(o.value.centre())),
                    (ax.x(0.85), ax.y(o.value.centre())),
                ],
                INK.to_rgba(),
                2.0,
            )?;
            for (k, (sp, color)) in [(prior, GREY), (post, BLUE)].into_iter().enumerate() {
                if let Some((a, med, z)) = sp {
                    let x = ax.x(1.5 + k as f64);
                    cv.line(vec![(x, ax.y(a)), (x, ax.y(z))], color.to_rgba(), 4.0)?;
                    cv.circle((x, ax.y(med)), cv.st.px(6.0), color.to_rgba(), true)?;
                }
            }
            frame(cv, &ax)?;
        }
        Ok(())
    }
}

/// Observations on the time line of what they observe: one panel per thing observed (the
/// same roads, or the same depot and quantity), each observation over its period at its
/// value (shaded: its range or value ± 2 sd; a bound as a line marked "≥" or "≤"), and the
/// simulated mean over the same period: the median over the prior's points (grey, dashed)
/// and over the retained points (blue), with the retained points' lowest to highest (pale
/// blue).
pub(crate) struct TimelineChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, start date and horizon).
    pub s: &'a Scenario,
}

/// The observations grouped by what they observe (equal quantities: the same roads, or
/// the same depot and measure), in order of first appearance.
fn groups(c: &Calibration) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, o) in c.observations.iter().enumerate() {
        match out
            .iter_mut()
            .find(|g| c.observations[g[0]].quantity == o.quantity)
        {
            Some(g) => g.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// A panel's name: what the group's labels share before their first comma ("Dakar
/// corridor", "Bamako"), else the first id; then the unit.
fn group_name(c: &Calibration, g: &[usize]) -> String {
    let head = |i: usize| {
        let l = &c.observations[i].label;
        l.split(',').next().unwrap_or(l).trim().to_string()
    };
    let first = head(g[0]);
    let name = if g.iter().all(|i| head(*i) == first) && !first.is_empty() {
        first
    } else {
        c.observations[g[0]].id.clone()
    };
    format!("{name} · {}", c.observations[g[0]].quantity.unit())
}

impl Chart for TimelineChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (c, s) = (self.c, self.s);
        let kept = c.retained();
        let first: Vec<&crate::calibrate::Point> = c.waves[0].points.iter().collect();
        let top = header(
            cv,
            &Header {
                title: format!("{}: the observations on their dates", s.name),
                subtitle: "each observation across its period, at its value, beside the simulated mean over the same period; one panel per thing observed, each with its own scale".into(),
                legend: vec![
                    Legend::new(Swatch::Fill(INK, 0.18), "observed (range or ±2 sd)"),
                    Legend::new(Swatch::Line(INK, 2.5, false), "observed value or bound"),
                    Legend::new(Swatch::Line(GREY, 2.5, true), "prior (median over points)"),
                    Legend::new(
                        Swatch::LineOnFill(BLUE, 0.22),
                        "calibrated (median, lowest–highest)",
                    ),
                ],
            },
        )?;
        let time = TimeAxis {
            start: s.start_date,
            days: f64::from(s.horizon_days),
            lang: cv.st.lang,
        };
        let bottom = notes(
            cv,
            &["A count over a period is drawn across that period: a month's losses across the month, a running total across its whole span. \"≥\": at least this many (other events may have gone unreported). Ids as in calibration-observed.csv.".to_string()],
        )?;
        let gs = groups(c);
        let m = cv.margin();
        let (cols, rows) = grid(gs.len(), cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(6.0)) / rows as i32,
        );
        let tf = Font::bold(size::LABEL * 0.9, INK);
        let idf = Font::new(size::LABEL * 0.72, INK);
        let tkf = Font::new(size::TICK * 0.75, INK);
        let med = |pts: &[&crate::calibrate::Point], i: usize| {
            spread(pts.iter().map(|p| p.mean[i]).collect())
        };
        for (k, g) in gs.iter().enumerate() {
            let (col, row) = ((k % cols) as i32, (k / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            cv.text(
                &cv.fit(&group_name(c, g), tf, pw - cv.st.px(16.0)),
                (x0 + cv.st.px(8.0), y0),
                tf,
                Align::Left,
                VAlign::Top,
            )?;
            let mut hi: f64 = 0.0;
            for &i in g {
                let o = &c.observations[i];
                let (a, b) = o.value.bar();
                for v in [a, b, o.value.centre()] {
                    if v.is_finite() {
                        hi = hi.max(v);
                    }
                }
                if let Some((_, md, _)) = med(&first, i) {
                    hi = hi.max(md);
                }
                if let Some((_, _, z)) = med(&kept, i) {
                    hi = hi.max(z);
                }
            }
            let ticks = value_ticks(0.0, nice_top(hi.max(1e-9) * 1.1, 4), 4, "");
            let y1 = ticks.last().map_or(hi, |t| t.0.max(hi));
            let yw = ticks
                .iter()
                .map(|(_, l)| cv.width(l, tkf))
                .max()
                .unwrap_or(0);
            let ax = Axes {
                l: x0 + yw + cv.st.px(16.0),
                t: y0 + cv.cap(tf) + cv.st.px(18.0),
                r: x0 + pw - cv.st.px(22.0),
                b: y0 + ph - cv.cap(tkf) - cv.st.px(30.0),
                x0: 0.0,
                x1: time.days,
                y0: 0.0,
                y1,
            };
            for (v, l) in &ticks {
                let y = ax.y(*v);
                cv.line(vec![(ax.l, y), (ax.r, y)], GRID.to_rgba(), 1.0)?;
                cv.text(
                    l,
                    (ax.l - cv.st.px(6.0), y),
                    tkf,
                    Align::Right,
                    VAlign::Middle,
                )?;
            }
            // Month ticks, labelled without the year where they would crowd.
            let mut last = i32::MIN;
            for (v, l) in time.ticks() {
                let x = ax.x(v);
                cv.line(vec![(x, ax.t), (x, ax.b)], GRID.to_rgba(), 1.0)?;
                let l = l.split(' ').take(2).collect::<Vec<_>>().join(" ");
                let w = cv.width(&l, tkf);
                if x - w / 2 > last + cv.st.px(6.0) && x + w / 2 <= ax.r + cv.st.px(20.0) {
                    cv.text(
                        &l,
                        (x, ax.b + cv.st.px(8.0)),
                        tkf,
                        Align::Center,
                        VAlign::Top,
                    )?;
                    last = x + w / 2;
                }
            }
            let mut placed: Vec<(i32, i32, i32)> = Vec::new();
            for &i in g {
                let o = &c.observations[i];
                let (xa, xb) = (ax.x(f64::from(o.from)), ax.x(f64::from(o.to) + 1.0));
                let (blo, bhi) = o.value.bar();
                if blo.is_finite() && bhi.is_finite() {
                    cv.rect(
                        (xa, ax.y(bhi)),
                        (xb, ax.y(blo.max(0.0))),
                        INK.mix(0.18),
                        true,
                    )?;
                }
                if let Some((lo, md, z)) = med(&kept, i) {
                    cv.rect((xa, ax.y(z)), (xb, ax.y(lo)), BLUE.mix(0.22), true)?;
                    cv.line(vec![(xa, ax.y(md)), (xb, ax.y(md))], BLUE.to_rgba(), 3.0)?;
                }
                if let Some((_, md, _)) = med(&first, i) {
                    cv.dashed((xa, ax.y(md)), (xb, ax.y(md)), GREY.to_rgba(), 2.5)?;
                }
                let yv = ax.y(o.value.centre());
                cv.line(vec![(xa, yv), (xb, yv)], INK.to_rgba(), 2.5)?;
                let mark = match o.value {
                    crate::scenario::observations::Observed::AtLeast { .. } => "≥ ",
                    crate::scenario::observations::Observed::AtMost { .. } => "≤ ",
                    _ => "",
                };
                // The id above its line, moved up past any label already placed there.
                let id = cv.fit(
                    &format!("{mark}{}", o.id),
                    idf,
                    (ax.r - xa).max(cv.st.px(40.0)),
                );
                let (w, h) = (cv.width(&id, idf), cv.cap(idf) + cv.st.px(4.0));
                let mut base = yv - cv.st.px(4.0);
                for _ in 0..placed.len() {
                    let hit = placed.iter().any(|(l, r, y): &(i32, i32, i32)| {
                        xa < *r && *l < xa + w && (base - y).abs() < h
                    });
                    if !hit {
                        break;
                    }
                    base -= h;
                }
                placed.push((xa, xa + w, base));
                cv.text(
                    &id,
                    (xa + cv.st.px(3.0), base),
                    idf,
                    Align::Left,
                    VAlign::Baseline,
                )?;
            }
            frame(cv, &ax)?;
        }
        Ok(())
    }
}
