//! The observations of a calibration on their dates, over what they observe.

use super::*;

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
pub(super) fn groups(c: &Calibration) -> Vec<Vec<usize>> {
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
pub(super) fn group_name(c: &Calibration, g: &[usize]) -> String {
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
