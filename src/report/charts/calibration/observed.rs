//! Observed against simulated, every observation of a calibration.

use super::*;

/// Observed against simulated: one panel per observation, the observation's range (or
/// value ± 2 sd, or its bound), the spread of the simulated means over the first wave's
/// points (the prior) and over the retained points.
pub(crate) struct ObservedChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the dates of the periods).
    pub s: &'a Scenario,
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
