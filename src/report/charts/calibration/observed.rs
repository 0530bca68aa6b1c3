//! Observed against simulated, every observation of a calibration.

use super::*;
use crate::scenario::observations::Observation;

/// Observed against simulated: one panel per observation, the observation's range (or
/// value ± 2 sd, or its bound), the spread of the simulated means over the first wave's
/// points (the prior) and over the retained points.
pub(crate) struct ObservedChart<'a> {
    /// The calibration.
    pub c: &'a Calibration,
    /// The scenario (its name, and the dates of the periods).
    pub s: &'a Scenario,
}

/// One observation's panel: its words, the observed bar and the two spreads of simulated
/// means, on the panel's own scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObservedPanel {
    /// The observation's label (wrapped on up to two lines when drawn).
    pub label: String,
    /// Its period and unit: "1–30 Sep 2025 · trucks lost".
    pub sub: String,
    /// The observed bar, lower and upper end (infinite: open on that side).
    pub bar: (f64, f64),
    /// The observed value, the line across the bar.
    pub centre: f64,
    /// Lowest, median and highest simulated mean over the first wave's points.
    pub prior: Option<(f64, f64, f64)>,
    /// The same over the retained points.
    pub retained: Option<(f64, f64, f64)>,
    /// The y axis ticks.
    pub ticks: Vec<(f64, String)>,
    /// Bottom and top of the y axis: from 0 (or below) over every finite end and mean.
    pub y: (f64, f64),
}

impl ObservedPanel {
    /// The panel of observation `o` of scenario `s`, with the simulated means of the first
    /// wave's points and of the retained ones, its words and numbers in `l`.
    pub(crate) fn new(
        o: &Observation,
        s: &Scenario,
        prior: Vec<f64>,
        kept: Vec<f64>,
        l: Lang,
    ) -> Self {
        let prior = spread(prior);
        let post = spread(kept);
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
        let ticks: Vec<(f64, String)> = value_ticks(lo, hi * 1.05, 3, "")
            .into_iter()
            .map(|(v, t)| (v, l.digits(&t)))
            .collect();
        // Headroom over the highest simulated mean, so that a spread ending there does not
        // run into the frame like an observed bound open to the top.
        let y1 = ticks.last().map_or(hi, |t| t.0).max(hi + 0.08 * (hi - lo));
        ObservedPanel {
            label: o.label.clone(),
            sub: format!(
                "{} · {}",
                crate::report::calibration::period_short(o, s, l),
                crate::report::calibration::quantity_words(&o.quantity, l)
            ),
            bar: (blo, bhi),
            centre: o.value.centre(),
            prior,
            retained: post,
            ticks,
            y: (lo, y1),
        }
    }
}

/// What the observed chart says, computed before any drawing: one panel per observation.
#[derive(Debug, Clone)]
pub(crate) struct ObservedData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the panels.
    pub note: String,
    /// One panel per observation, in the calibration's order.
    pub panels: Vec<ObservedPanel>,
}

impl ObservedData {
    /// The data of calibration `c` on scenario `s`, in words of `l`.
    pub(crate) fn new(c: &Calibration, s: &Scenario, l: Lang) -> ObservedData {
        let kept = c.retained();
        ObservedData {
            header: Header {
                title: tr!(l, CalOTitle, name = s.name),
                subtitle: tr!(l, CalOSubtitle),
                legend: vec![
                    Legend::new(Swatch::Fill(INK, 0.25), l.t(Msg::CalOLegendObserved)),
                    Legend::new(Swatch::Marker(GREY), l.t(Msg::CalOLegendPrior)),
                    Legend::new(Swatch::Marker(BLUE), l.t(Msg::CalOLegendCalibrated)),
                ],
            },
            note: tr!(l, CalONote),
            panels: c
                .observations
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    ObservedPanel::new(
                        o,
                        s,
                        c.waves[0].points.iter().map(|p| p.mean[i]).collect(),
                        kept.iter().map(|p| p.mean[i]).collect(),
                        l,
                    )
                })
                .collect(),
        }
    }
}

impl Chart for ObservedChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = ObservedData::new(self.c, self.s, cv.st.lang);
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let m = cv.margin();
        let n = d.panels.len();
        let (cols, rows) = grid(n, cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(10.0)) / rows as i32,
        );
        let tf = Font::bold(size::LABEL * 0.85, INK);
        let sf = Font::new(size::LABEL * 0.75, MUTED);
        for (i, p) in d.panels.iter().enumerate() {
            let (col, row) = ((i % cols) as i32, (i / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            // The label on up to two lines, then the period and the unit (the source is in
            // calibration-observed.csv).
            let line_h = cv.cap(tf) + cv.st.px(6.0);
            for (k, l) in wrap(cv, &p.label, tf, pw - cv.st.px(16.0), 2)
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
            cv.text(
                &cv.fit(&p.sub, sf, pw - cv.st.px(16.0)),
                (x0 + cv.st.px(8.0), y0 + 2 * line_h + cv.st.px(2.0)),
                sf,
                Align::Left,
                VAlign::Top,
            )?;
            let tkf = Font::new(size::TICK * 0.7, INK);
            let yw = p
                .ticks
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
                y0: p.y.0,
                y1: p.y.1,
            };
            for (v, l) in &p.ticks {
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
            let (blo, bhi) = p.bar;
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
                vec![(ax.x(0.15), ax.y(p.centre)), (ax.x(0.85), ax.y(p.centre))],
                INK.to_rgba(),
                2.0,
            )?;
            for (k, (sp, color)) in [(p.prior, GREY), (p.retained, BLUE)]
                .into_iter()
                .enumerate()
            {
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

#[cfg(test)]
mod tests {
    use super::super::tests::observation;
    use super::*;
    use crate::scenario::observations::Observed;

    #[test]
    fn an_observed_panel_spans_the_bound_and_every_simulated_mean() {
        let s = crate::report::charts::kit::TestRun::tutorial(1).s;
        let o = observation(
            "losses",
            0,
            29,
            Observed::AtLeast {
                value: 130.0,
                sd: 0.0,
            },
        );
        let p = ObservedPanel::new(
            &o,
            &s,
            vec![10.0, 300.0, 50.0],
            vec![120.0, 140.0, f64::NAN],
            Lang::En,
        );
        // A lower bound: open above.
        assert_eq!(p.bar.0, 130.0);
        assert!(p.bar.1.is_infinite());
        assert_eq!(p.centre, 130.0);
        // Lowest, median, highest; a mean that is not a number is left out.
        assert_eq!(p.prior, Some((10.0, 50.0, 300.0)));
        assert_eq!(p.retained, Some((120.0, 130.0, 140.0)));
        assert_eq!(p.y.0, 0.0);
        // Headroom above the highest mean: its bar ends below the frame.
        assert!(p.y.1 >= 300.0 * 1.08, "{:?}", p.y);
        assert_eq!(p.sub, "1–30 Sep 2025 · trucks lost");
        // No retained point: no blue bar.
        let p = ObservedPanel::new(&o, &s, vec![10.0], vec![], Lang::En);
        assert_eq!(p.retained, None);
    }

    /// A panel's period line writes the month and the year once where both ends share
    /// them, so that it fits a panel a fifth of the chart wide.
    #[test]
    fn a_panels_period_is_short() {
        let s = crate::report::charts::kit::TestRun::tutorial(1).s;
        let value = Observed::AtLeast {
            value: 1.0,
            sd: 0.0,
        };
        let period = |from, to, l| {
            let o = observation("x", from, to, value);
            crate::report::calibration::period_short(&o, &s, l)
        };
        assert_eq!(period(105, 105, Lang::En), "15 Dec 2025");
        assert_eq!(period(30, 39, Lang::En), "1–10 Oct 2025");
        assert_eq!(period(0, 46, Lang::En), "1 Sep – 17 Oct 2025");
        assert_eq!(period(0, 152, Lang::En), "1 Sep 2025 – 31 Jan 2026");
        assert_eq!(period(30, 39, Lang::Fr), "1–10 oct. 2025");
        assert_eq!(period(0, 152, Lang::Fr), "1 sept. 2025 – 31 janv. 2026");
    }
}
