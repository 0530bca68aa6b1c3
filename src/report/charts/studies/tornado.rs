//! The tornado chart of a one-at-a-time sensitivity.

use super::sweep::estimate_words;
use super::*;

/// The tornado chart of a one-at-a-time sensitivity.
pub(crate) struct TornadoChart<'a> {
    /// The base scenario.
    pub s: &'a Scenario,
    /// The analysis.
    pub t: &'a Tornado,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// Colour of the KPI at a path's low value.
const LOW: RGBColor = SKY;
/// Colour of the KPI at a path's high value.
const HIGH: RGBColor = ORANGE;

impl Chart for TornadoChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, t) = (self.s, self.t);
        let st = cv.st;
        let m = cv.margin();
        let k = t.kpi;
        let mut all: Vec<f64> = vec![t.base.value];
        for b in &t.bars {
            all.extend([b.at_low.value, b.at_high.value]);
            all.extend([
                b.at_low.value - 2.0 * b.at_low.se,
                b.at_low.value + 2.0 * b.at_low.se,
                b.at_high.value - 2.0 * b.at_high.se,
                b.at_high.value + 2.0 * b.at_high.se,
            ]);
        }
        all.retain(|v| v.is_finite());
        let raw_max = all.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        let ks = KpiScale::new(s, k, raw_max);
        let h = Header {
            title: format!("{} — what moves {} most", s.name, ks.name),
            subtitle: format!(
                "Each assumption set to its low and high value, one at a time · {} each · seed {} · same seeds everywhere (common random numbers){}",
                runs(t.replications),
                t.seed,
                facts_tail(self.facts)
            ),
            legend: vec![
                Legend::new(Swatch::Fill(LOW, 1.0), "at the low value"),
                Legend::new(Swatch::Fill(HIGH, 1.0), "at the high value"),
                Legend::new(
                    Swatch::Line(INK, 3.0, true),
                    "base case (every assumption as in the scenario)",
                ),
                Legend::new(Swatch::ErrorBar(INK), "±2 standard errors"),
            ],
        };
        let top = header(cv, &h)? + st.px(34.0);
        let note = format!(
            "Sorted by swing (|{} at high − at low|), largest on top; each end gives the value tried and the {} it gave. Whiskers: ±2 standard errors of each end; on common random numbers the swing itself is known more precisely.",
            ks.name,
            estimate_words(k).replace(" over runs", "")
        );
        let bottom = notes(cv, &[note])? - x_axis_height(cv, true);
        let lf = Font::new(size::TICK, INK);
        let pf = Font::new(size::TICK * 0.82, MUTED);
        let ef = Font::new(size::LABEL, INK);
        let names: Vec<(String, String)> = t
            .bars
            .iter()
            .map(|b| (path_name(s, &b.path).label, b.path.clone()))
            .collect();
        let label_w = names
            .iter()
            .map(|(a, b)| cv.width(a, lf).max(cv.width(b, pf)))
            .max()
            .unwrap_or(0)
            .min(st.w * 30 / 100);
        let end_text = |value: &str, b: &TornadoBar, e: &Estimate| -> String {
            let big = [&b.low, &b.high]
                .iter()
                .filter_map(|v| v.trim().parse::<f64>().ok())
                .fold(0.0f64, |a, v| a.max(v.abs()));
            let sc = ValueScale::new(s, &b.path, big);
            format!("{} → {}", sc.show(value), ks.show(e.value))
        };
        let plot_l = m + label_w + st.px(20.0);
        let plot_r = st.w - m;
        // Data range, then room for the end labels on each side.
        let (dmin, dmax) = all
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v * ks.mul), b.max(*v * ks.mul))
            });
        let (dmin, dmax) = if dmin.is_finite() && dmax > dmin {
            (dmin, dmax)
        } else {
            let c = if dmin.is_finite() { dmin } else { 0.0 };
            let half = if c != 0.0 { 0.1 * c.abs() } else { 1.0 };
            (c - half, c + half)
        };
        let base = t.base.value * ks.mul;
        let gap = st.px(10.0);
        let mut pad_l = 0;
        let mut pad_r = 0;
        for b in &t.bars {
            for (v, e) in [(&b.low, &b.at_low), (&b.high, &b.at_high)] {
                let w = cv.width(&end_text(v, b, e), ef) + gap + st.px(14.0);
                if e.value * ks.mul < base {
                    pad_l = pad_l.max(w);
                } else {
                    pad_r = pad_r.max(w);
                }
            }
        }
        let inner = (plot_r - plot_l - pad_l - pad_r).max(st.px(120.0));
        let per_px = (dmax - dmin) / f64::from(inner);
        let x0 = dmin - f64::from(pad_l) * per_px;
        let x1 = dmax + f64::from(pad_r) * per_px;
        let ax = Axes {
            l: plot_l,
            t: top,
            r: plot_r,
            b: bottom,
            x0,
            x1,
            y0: 0.0,
            y1: 1.0,
        };
        let ticks: Vec<Tick> = ks
            .ticks(dmin, dmax, 8)
            .into_iter()
            .filter(|(v, _)| *v >= x0 && *v <= x1)
            .collect();
        x_axis(cv, &ax, &ticks, Some(&ks.title), true)?;
        if t.bars.is_empty() {
            frame(cv, &ax)?;
            return empty_message(cv, &ax, "Nothing was varied");
        }
        let n = t.bars.len();
        let row_h = f64::from(ax.b - ax.t) / n as f64;
        let rows_b = ax.b;
        let bar_h = ((row_h * 0.62).round() as i32).min(st.px(72.0));
        let bx = ax.x(base);
        for (j, b) in t.bars.iter().enumerate() {
            let cy = ax.t + (row_h * (j as f64 + 0.5)).round() as i32;
            let (lo, hi) = (b.at_low.value * ks.mul, b.at_high.value * ks.mul);
            let (xl, xh) = (ax.x(lo), ax.x(hi));
            // Same side of the base: two half bars, so neither hides the other.
            let same_side = (lo - base) * (hi - base) > 0.0;
            let parts: [(i32, i32, i32, RGBColor, &String, &Estimate); 2] = if same_side {
                [
                    (xl, cy - bar_h / 2, cy, LOW, &b.low, &b.at_low),
                    (xh, cy, cy + bar_h / 2, HIGH, &b.high, &b.at_high),
                ]
            } else {
                [
                    (xl, cy - bar_h / 2, cy + bar_h / 2, LOW, &b.low, &b.at_low),
                    (
                        xh,
                        cy - bar_h / 2,
                        cy + bar_h / 2,
                        HIGH,
                        &b.high,
                        &b.at_high,
                    ),
                ]
            };
            for (x, y0, y1, c, _, _) in parts {
                if x != bx {
                    cv.rect((bx.min(x), y0), (bx.max(x), y1), c.to_rgba(), true)?;
                }
            }
            let unchanged = b.swing() == 0.0 && b.at_low.value == t.base.value;
            if unchanged {
                cv.line(
                    vec![(bx, cy - bar_h / 2), (bx, cy + bar_h / 2)],
                    GREY.to_rgba(),
                    4.0,
                )?;
            }
            for (x, y0, y1, _, v, e) in parts {
                let ym = (y0 + y1) / 2;
                if unchanged {
                    continue;
                }
                if e.se > 0.0 && e.se.is_finite() {
                    let a = ax.x((e.value - 2.0 * e.se) * ks.mul);
                    let z = ax.x((e.value + 2.0 * e.se) * ks.mul);
                    if z - a >= 2 {
                        cv.error_bar_h(ym, a, z, INK)?;
                    }
                }
                if unchanged {
                    continue;
                }
                let text = end_text(v, b, e);
                let left = e.value * ks.mul < base;
                let off = gap
                    + if e.se.is_finite() {
                        (ax.x((e.value + 2.0 * e.se) * ks.mul) - x).abs()
                    } else {
                        0
                    };
                if left {
                    cv.text(&text, (x - off, ym), ef, Align::Right, VAlign::Middle)?;
                } else {
                    cv.text(&text, (x + off, ym), ef, Align::Left, VAlign::Middle)?;
                }
            }
            if unchanged {
                let big = [&b.low, &b.high]
                    .iter()
                    .filter_map(|v| v.trim().parse::<f64>().ok())
                    .fold(0.0f64, |a, v| a.max(v.abs()));
                let sc = ValueScale::new(s, &b.path, big);
                let text = format!(
                    "no change: {} at both {} and {}",
                    ks.show(b.at_low.value),
                    sc.show(&b.low),
                    sc.show(&b.high)
                );
                cv.text(
                    &text,
                    (bx + st.px(14.0), cy),
                    Font::new(size::LABEL, MUTED),
                    Align::Left,
                    VAlign::Middle,
                )?;
            }
            // The path's name on the left, the raw path under it when they differ.
            let (name, raw) = &names[j];
            let lx = ax.l - st.px(14.0);
            if raw.contains('[') && row_h >= f64::from(cv.cap(lf) + cv.cap(pf) + st.px(18.0)) {
                let gap2 = st.px(8.0);
                let total = cv.cap(lf) + gap2 + cv.cap(pf);
                let y = cy - total / 2;
                cv.text(
                    &cv.fit(name, lf, label_w),
                    (lx, y),
                    lf,
                    Align::Right,
                    VAlign::Top,
                )?;
                cv.text(
                    &cv.fit(raw, pf, label_w),
                    (lx, y + cv.cap(lf) + gap2),
                    pf,
                    Align::Right,
                    VAlign::Top,
                )?;
            } else {
                cv.text(
                    &cv.fit(name, lf, label_w),
                    (lx, cy),
                    lf,
                    Align::Right,
                    VAlign::Middle,
                )?;
            }
        }
        cv.dashed((bx, ax.t - st.px(26.0)), (bx, rows_b), INK.to_rgba(), 3.0)?;
        cv.text(
            &format!("base case {}", ks.show(t.base.value)),
            (bx, ax.t - st.px(30.0)),
            Font::bold(size::LABEL, INK),
            Align::Center,
            VAlign::Baseline,
        )?;
        cv.line(vec![(ax.l, ax.b), (ax.r, ax.b)], GREY.to_rgba(), 1.5)
    }
}
