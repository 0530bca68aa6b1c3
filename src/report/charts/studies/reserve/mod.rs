//! The reserve search chart: the paint step; what it shows is in `data.rs`.

mod data;

use super::*;
use data::ReserveData;

/// The reserve search: probability against the lever, the target, the answer.
pub(crate) struct ReserveChart<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The question.
    pub q: &'a ReserveQuery,
    /// The answer.
    pub r: &'a ReserveResult,
    /// Replications per ensemble.
    pub replications: u64,
    /// Seed.
    pub seed: u64,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// Everything one panel of the reserve chart draws.
struct ReservePanel<'a> {
    /// Points tried, sorted by value: (value, probability).
    pts: &'a [(f64, f64)],
    /// Divisor of the lever's unit.
    div: f64,
    /// Target, %.
    conf: f64,
    /// The lever as text with its unit.
    show: &'a dyn Fn(f64) -> String,
    /// Label the answer.
    label_answer: bool,
    /// The answer rounded to what the Monte Carlo noise supports.
    round_answer: f64,
    /// Label the scenario's value.
    label_current: bool,
}

impl ReserveChart<'_> {
    fn panel<DB: DrawingBackend>(&self, cv: &Canvas<DB>, ax: &Axes, p: &ReservePanel) -> Res {
        let r = self.r;
        let st = cv.st;
        let div = p.div;
        let inside = |x: f64| x / div >= ax.x0 && x / div <= ax.x1;
        if r.reachable && r.answer > 0.0 {
            let (a, b) = r.mc_interval;
            if a.is_finite() {
                let xa = ax.x(a / div);
                let xb = if b.is_finite() { ax.x(b / div) } else { ax.r };
                let (xa, xb) = (xa.min(xb - st.px(4.0)), xb.max(xa + st.px(4.0)));
                cv.rect((xa, ax.t), (xb, ax.b), SKY.mix(0.35), true)?;
            }
            let (a, b) = r.bracket;
            if a.is_finite() && b.is_finite() && b > a {
                let (xa, xb) = (ax.x(a / div), ax.x(b / div));
                if xb - xa >= st.px(3.0) {
                    cv.rect((xa, ax.t), (xb, ax.b), BLUE.mix(0.22), true)?;
                }
            }
        }
        let ty = ax.y(p.conf);
        cv.dashed((ax.l, ty), (ax.r, ty), VERMILLION.to_rgba(), 3.0)?;
        let xc = ax.x(r.current / div);
        if inside(r.current) {
            cv.dashed((xc, ax.t), (xc, ax.b), GREY.to_rgba(), 2.5)?;
        }
        // The depot's capacity, for the levers counted in litres.
        if self.q.lever != Lever::Airlift && inside(r.capacity) {
            let xk = ax.x(r.capacity / div);
            cv.dashed((xk, ax.t), (xk, ax.b), ORANGE.to_rgba(), 3.0)?;
            let text = tr!(st.lang, ResDepotCapacity, v = (p.show)(r.capacity));
            let f = Font::bold(size::LABEL, ORANGE);
            let w = cv.width(&text, f);
            let (x, al) = if xk + st.px(8.0) + w <= ax.r {
                (xk + st.px(8.0), Align::Left)
            } else {
                (xk - st.px(8.0), Align::Right)
            };
            cv.text(&text, (x, ax.b - st.px(10.0)), f, al, VAlign::Baseline)?;
        }
        let lf = Font::bold(size::LABEL, INK);
        let mut taken: Option<(i32, i32)> = None;
        if r.reachable && r.answer.is_finite() && inside(r.answer) {
            let xa = ax.x(r.answer / div);
            cv.line(
                vec![(xa, ax.t - st.px(8.0)), (xa, ax.b)],
                INK.to_rgba(),
                3.0,
            )?;
            if p.label_answer {
                let text = if r.answer == 0.0 {
                    tr!(st.lang, ResAnswerZero)
                } else {
                    tr!(st.lang, ResAnswerMark, v = (p.show)(p.round_answer))
                };
                let w = cv.width(&text, lf);
                let (tx, al, span) = if xa + st.px(8.0) + w < ax.r {
                    (xa + st.px(8.0), Align::Left, (xa, xa + st.px(8.0) + w))
                } else {
                    (xa - st.px(8.0), Align::Right, (xa - st.px(8.0) - w, xa))
                };
                cv.text(&text, (tx, ax.t - st.px(12.0)), lf, al, VAlign::Baseline)?;
                taken = Some(span);
            }
        }
        // The curve through the values tried.
        let shown: Vec<(f64, f64)> = p.pts.iter().copied().filter(|(x, _)| inside(*x)).collect();
        // Carry the line to the panel's edges from the nearest points outside.
        let mut line_pts: Vec<(f64, f64)> = Vec::new();
        if let Some(before) = p.pts.iter().rev().find(|(x, _)| x / div < ax.x0) {
            line_pts.push(*before);
        }
        line_pts.extend(shown.iter().copied());
        if let Some(after) = p.pts.iter().find(|(x, _)| x / div > ax.x1) {
            line_pts.push(*after);
        }
        let clip = |(x, pr): (f64, f64)| -> (i32, i32) {
            (ax.x((x / div).clamp(ax.x0, ax.x1)), ax.y(100.0 * pr))
        };
        // Interpolate where the line leaves the panel, so it does not bend at the edge.
        let mut pts_px: Vec<(i32, i32)> = Vec::new();
        for w in line_pts.windows(2) {
            let ((x0, p0), (x1, p1)) = (w[0], w[1]);
            let at = |x: f64| {
                if x1 > x0 {
                    p0 + (p1 - p0) * (x - x0) / (x1 - x0)
                } else {
                    p0
                }
            };
            let a = (x0 / div).max(ax.x0) * div;
            let b = (x1 / div).min(ax.x1) * div;
            if b < a {
                continue;
            }
            pts_px.push(clip((a, at(a))));
            pts_px.push(clip((b, at(b))));
        }
        if line_pts.len() == 1 {
            pts_px.push(clip(line_pts[0]));
        }
        // What labels must not cover: the curve, sampled every few pixels, and the points.
        let mut ink: Vec<(i32, i32)> = Vec::new();
        for w in pts_px.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..=n {
                ink.push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
            }
        }
        cv.line(pts_px, BLUE.mix(0.8), 3.0)?;
        let mark = st.px(7.0);
        for (x, pr) in &shown {
            let c = ax.p(x / div, 100.0 * pr);
            for dx in [-mark, 0, mark] {
                for dy in [-mark, 0, mark] {
                    ink.push((c.0 + dx, c.1 + dy));
                }
            }
            cv.circle(c, st.px(6.5), BLUE.to_rgba(), true)?;
            cv.circle(c, st.px(6.5), WHITE.to_rgba(), false)?;
        }
        frame(cv, ax)?;
        let pad = st.px(4.0);
        let hits = |r: (i32, i32, i32, i32)| {
            ink.iter()
                .filter(|(x, y)| {
                    *x >= r.0 - pad && *x <= r.2 + pad && *y >= r.1 - pad && *y <= r.3 + pad
                })
                .count()
        };
        // The target's label: at either end, above or below its line, where it is clear.
        let tf = Font::bold(size::LABEL, VERMILLION);
        let ttext = tr!(
            st.lang,
            ResTargetMark,
            conf = st.lang.digits(&format!("{:.0}", p.conf))
        );
        let (tw, th) = (cv.width(&ttext, tf), cv.cap(tf));
        let gap = st.px(8.0);
        let cands = [
            (ax.l + st.px(10.0), ty + gap, Align::Left),
            (ax.l + st.px(10.0), ty - gap - th, Align::Left),
            (ax.r - st.px(10.0), ty + gap, Align::Right),
            (ax.r - st.px(10.0), ty - gap - th, Align::Right),
        ];
        let rect_of = |x: i32, y: i32, w: i32, h: i32, al: Align| match al {
            Align::Left => (x, y, x + w, y + h),
            Align::Right => (x - w, y, x, y + h),
            Align::Center => (x - w / 2, y, x + w / 2, y + h),
        };
        let best = cands
            .iter()
            .filter(|(_, y, _)| *y >= ax.t && *y + th <= ax.b)
            .min_by_key(|(x, y, al)| hits(rect_of(*x, *y, tw, th, *al)))
            .copied()
            .unwrap_or(cands[0]);
        cv.text(&ttext, (best.0, best.1), tf, best.2, VAlign::Top)?;
        if p.label_current && inside(r.current) {
            let cf = Font::new(size::LABEL, MUTED);
            let text = tr!(st.lang, ResInScenario, v = (p.show)(r.current));
            let (w, h) = (cv.width(&text, cf), cv.cap(cf));
            let (tx, al) = if xc + gap + w < ax.r {
                (xc + gap, Align::Left)
            } else {
                (xc - gap, Align::Right)
            };
            let above = ax.t - st.px(12.0) - h;
            let mut cands = Vec::new();
            let r_above = rect_of(tx, above, w, h, al);
            let clash = taken
                .is_some_and(|(a, b)| r_above.0 < b + st.px(10.0) && a < r_above.2 + st.px(10.0));
            if !clash {
                cands.push(above);
            }
            cands.push(ax.t + st.px(10.0));
            cands.push(ax.b - st.px(10.0) - h);
            let y = cands
                .iter()
                .copied()
                .min_by_key(|y| {
                    if *y < ax.t {
                        0
                    } else {
                        hits(rect_of(tx, *y, w, h, al)) + 1
                    }
                })
                .unwrap_or(above);
            let bg = rect_of(tx, y, w, h, al);
            if y >= ax.t {
                cv.rect(
                    (bg.0 - pad, bg.1 - pad),
                    (bg.2 + pad, bg.3 + pad),
                    WHITE.mix(0.8),
                    true,
                )?;
            }
            cv.text(&text, (tx, y), cf, al, VAlign::Top)?;
        }
        Ok(())
    }
}

impl Chart for ReserveChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = ReserveData::new(
            self.s,
            self.q,
            self.r,
            (self.replications, self.seed),
            self.facts,
            cv.st.lang,
        );
        let r = self.r;
        let st = cv.st;
        let m = cv.margin();
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, &d.notes)?;
        let x1 = d.x1;
        let yt = value_ticks(d.y0, 100.0, 5, "");
        let l = m + y_axis_width(cv, &yt);
        let t = top + st.px(40.0);
        let b = bottom - x_axis_height(cv, true);
        let show = |v: f64| d.show(v);
        let panel = |label_answer, label_current| ReservePanel {
            pts: &d.pts,
            div: d.div,
            conf: d.conf,
            show: &show,
            label_answer,
            label_current,
            round_answer: d.round_up(r.answer),
        };
        let Some(zoom) = d.zoom else {
            let ax = Axes {
                l,
                t,
                r: st.w - m,
                b,
                x0: 0.0,
                x1,
                y0: d.y0,
                y1: 100.0,
            };
            y_axis(cv, &ax, &yt, &d.y_title, false)?;
            x_axis(
                cv,
                &ax,
                &value_ticks(0.0, x1, 8, ""),
                Some(&d.x_title),
                true,
            )?;
            self.panel(cv, &ax, &panel(true, true))?;
            if d.pts.is_empty() {
                empty_message(cv, &ax, st.lang.t(Msg::ResNoEnsemble))?;
            }
            return Ok(());
        };
        let (za, zb, zy0) = (zoom.x0, zoom.x1, zoom.y0);
        // Two panels: the whole search, and the neighbourhood of the answer.
        let total = st.w - m - l;
        let left = Axes {
            l,
            t,
            r: l + (f64::from(total) * 0.46) as i32,
            b,
            x0: 0.0,
            x1,
            y0: d.y0,
            y1: 100.0,
        };
        let zt = value_ticks(zy0, 100.0, 5, "");
        let right = Axes {
            l: left.r + st.px(70.0) + y_axis_width(cv, &zt),
            t,
            r: st.w - m,
            b,
            x0: za,
            x1: zb,
            y0: zy0,
            y1: 100.0,
        };
        y_axis(cv, &left, &yt, &d.y_title, false)?;
        x_axis(
            cv,
            &left,
            &value_ticks(0.0, x1, 5, ""),
            Some(&d.x_title),
            true,
        )?;
        self.panel(cv, &left, &panel(false, true))?;
        // Where the zoom is, on the whole search.
        let (ra, rb) = (left.x(za), left.x(zb).max(left.x(za) + st.px(6.0)));
        cv.rect(
            (ra - st.px(3.0), left.y(100.0) - st.px(3.0)),
            (rb + st.px(3.0), left.y(zy0) + st.px(3.0)),
            INK.mix(0.8),
            false,
        )?;
        y_axis(cv, &right, &zt, "% of runs", false)?;
        x_axis(
            cv,
            &right,
            &value_ticks(za, zb, 5, ""),
            Some(&d.zoom_x_title),
            true,
        )?;
        self.panel(cv, &right, &panel(true, false))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tutorial() -> Scenario {
        crate::report::charts::kit::bundled_scenario("tutorial.ron")
    }

    fn query() -> ReserveQuery {
        ReserveQuery {
            days: 60,
            confidence: 0.9,
            classes: vec!["essential".into()],
            lever: Lever::InitialStock,
            depot: None,
            from: 0,
            payload_litres: 20_000.0,
        }
    }

    /// A search that found 2,743,210 L between 2.5 M L (88 %) and 2.75 M L (90 %).
    fn found() -> ReserveResult {
        ReserveResult {
            answer: 2_743_210.0,
            bracket: (2_500_000.0, 2_750_000.0),
            p_bracket: (0.88, 0.9),
            se: 0.01,
            mc_interval: (2_600_000.0, 2_900_000.0),
            reachable: true,
            evaluations: 6,
            tolerance: 50_000.0,
            classes: vec!["essential".into()],
            current: 1_000_000.0,
            evaluations_log: vec![
                (0.0, 0.2),
                (4_000_000.0, 0.97),
                (2_000_000.0, 0.6),
                (f64::NAN, 0.5),
                (3_000_000.0, 0.92),
                (2_500_000.0, 0.88),
                (2_750_000.0, 0.9),
            ],
            capacity: 10_000_000.0,
            exceeds_capacity: false,
            at_capacity: None,
            short_before_from: 0.0,
        }
    }

    #[test]
    fn the_reserve_data_quotes_the_answer_rounded_up_and_zooms_on_it() {
        let s = tutorial();
        let d = ReserveData::new(&s, &query(), &found(), (40, 7), "", Lang::En);
        // The values tried, sorted, the one without a value left out.
        let xs: Vec<f64> = d.pts.iter().map(|p| p.0).collect();
        assert_eq!(xs, [0.0, 2e6, 2.5e6, 2.75e6, 3e6, 4e6]);
        // The answer is rounded up to the step (a tenth of the interval's order of
        // magnitude: 10,000 L), so the quoted value still meets the target.
        assert_eq!(d.step, 10_000.0);
        assert_eq!(d.round_up(2_743_210.0), 2_750_000.0);
        assert!(
            d.notes[0].starts_with("Answer 2.75 M L (rounded up"),
            "{}",
            d.notes[0]
        );
        assert!(d.notes[1].contains("anywhere in 2.60 M L – 2.90 M L (90 %)"));
        assert!(d.header.legend.iter().any(
            |l| l.label == "Monte Carlo uncertainty of the answer (90 %): 2.60 M L – 2.90 M L"
        ));
        let depot = s.node(s.depots().next().unwrap().0).name.clone();
        assert_eq!(
            d.x_title,
            format!("initial stock at {depot} (million litres)")
        );
        // The whole search fits the x axis; the y axis starts under the lowest chance.
        assert!(d.x1 >= 4.0);
        assert_eq!(d.y0, 10.0);
        // The zoom holds the answer, the final bracket and the Monte Carlo interval, and
        // starts under the chances it shows (88 %) and under the target.
        let z = d
            .zoom
            .expect("the answer's neighbourhood is a sliver of 0–4 M L");
        for v in [2.5, 2.6, 2.743_21, 2.75, 2.9] {
            assert!(z.x0 <= v && v <= z.x1, "{v} outside {z:?}");
        }
        assert!(z.x1 - z.x0 < 0.25 * d.x1);
        assert_eq!(z.y0, 80.0);
    }

    #[test]
    fn the_reserve_data_speaks_french_with_french_numbers() {
        let s = tutorial();
        let d = ReserveData::new(&s, &query(), &found(), (40, 7), "", Lang::Fr);
        assert!(
            d.notes[0].starts_with("Réponse 2,75 M L (arrondie au-dessus"),
            "{}",
            d.notes[0]
        );
        assert!(d.notes[1].contains("entre 2,60 M L et 2,90 M L (90\u{202F}%)"));
        let depot = s.node(s.depots().next().unwrap().0).name.clone();
        assert_eq!(
            d.x_title,
            format!("stock initial à {depot} (millions de litres)")
        );
        assert!(d.header.title.contains("confiance de 90\u{202F}%"));
        assert!(
            d.header
                .subtitle
                .contains("jusqu'au 30 oct. 2025 (jour 59)"),
            "{}",
            d.header.subtitle
        );
    }

    #[test]
    fn no_reserve_needed_and_out_of_reach_are_said_and_not_zoomed() {
        let s = tutorial();
        let none = ReserveResult {
            answer: 0.0,
            bracket: (0.0, 0.0),
            p_bracket: (0.95, 0.95),
            evaluations_log: vec![(0.0, 0.95)],
            ..found()
        };
        let d = ReserveData::new(&s, &query(), &none, (40, 7), "", Lang::En);
        assert!(d.zoom.is_none());
        assert_eq!(
            d.notes,
            ["No reserve needed: with none at all the chance is already 95.0 % (target 90 %)."]
        );
        assert!(
            !d.header
                .legend
                .iter()
                .any(|l| l.label.contains("Monte Carlo"))
        );
        // Nothing in the scenario and nothing needed: the axis spans the depot's capacity
        // (10 M L), with the capacity line inside it, not the demand of the whole period.
        let nothing = ReserveResult {
            current: 0.0,
            mc_interval: (0.0, 0.0),
            ..none.clone()
        };
        let d = ReserveData::new(&s, &query(), &nothing, (40, 7), "", Lang::En);
        assert!((10.0..=15.0).contains(&d.x1), "{}", d.x1);
        let out = ReserveResult {
            reachable: false,
            bracket: (4_000_000.0, f64::INFINITY),
            p_bracket: (0.7, f64::NAN),
            evaluations_log: vec![(0.0, 0.2), (4_000_000.0, 0.7)],
            ..found()
        };
        let d = ReserveData::new(&s, &query(), &out, (40, 7), "", Lang::En);
        assert!(d.zoom.is_none());
        assert!(
            d.notes[0].starts_with("Not reachable: even 4 M L gives a chance of 70.0 %"),
            "{}",
            d.notes[0]
        );
        assert!(!d.header.legend.iter().any(|l| l.label == "answer"));
    }
}
