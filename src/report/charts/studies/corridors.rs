//! The corridor study chart: for each tag, the rise in unmet demand (protected classes,
//! all classes) when it is closed or its risk multiplied, beside its static max-flow
//! criticality.

use super::*;
use crate::ensemble::{CorridorStudy, PairedChange};

/// The corridor study: one row per tag, three panels.
pub(crate) struct CorridorChart<'a> {
    /// The base scenario.
    pub s: &'a Scenario,
    /// The study.
    pub c: &'a CorridorStudy,
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
}

/// One panel: a value per row with an optional error (shown units), a title, a colour.
struct Panel {
    title: String,
    values: Vec<f64>,
    errors: Vec<f64>,
    clear: Vec<bool>,
    color: RGBColor,
    label: Box<dyn Fn(f64) -> String>,
}

impl CorridorChart<'_> {
    fn panel<DB: DrawingBackend>(
        &self,
        cv: &Canvas<DB>,
        p: &Panel,
        (l, r, t, b): (i32, i32, i32, i32),
    ) -> Res {
        let st = cv.st;
        let ef = Font::new(size::LABEL, INK);
        let n = p.values.len().max(1);
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for (v, e) in p.values.iter().zip(&p.errors) {
            lo = lo.min(v - 2.0 * e);
            hi = hi.max(v + 2.0 * e);
        }
        if hi - lo <= 0.0 {
            hi = 1.0;
        }
        // Room for the end labels: the widest label beside the longest bar.
        let wmax = p
            .values
            .iter()
            .map(|v| cv.width(&(p.label)(*v), ef))
            .max()
            .unwrap_or(0)
            + st.px(16.0);
        let inner = (r - l - 2 * wmax).max(st.px(60.0));
        let per_px = (hi - lo) / f64::from(inner);
        let pad_l = if lo < 0.0 {
            f64::from(wmax) * per_px
        } else {
            0.0
        };
        let pad_r = f64::from(wmax) * per_px;
        let ax = Axes {
            l,
            t,
            r,
            b,
            x0: lo - pad_l,
            x1: hi + pad_r,
            y0: 0.0,
            y1: 1.0,
        };
        let ticks: Vec<Tick> = value_ticks(lo, hi, 4, "");
        x_axis(cv, &ax, &ticks, Some(&p.title), true)?;
        let row_h = f64::from(b - t) / n as f64;
        let bar_h = ((row_h * 0.6).round() as i32).clamp(2, st.px(40.0));
        let x0 = ax.x(0.0);
        for (j, v) in p.values.iter().enumerate() {
            let cy = t + (row_h * (j as f64 + 0.5)).round() as i32;
            let xv = ax.x(*v);
            let solid = p.clear[j];
            let fill = if solid {
                p.color.to_rgba()
            } else {
                p.color.mix(0.3)
            };
            if xv != x0 {
                cv.rect(
                    (x0.min(xv), cy - bar_h / 2),
                    (x0.max(xv), cy + bar_h / 2),
                    fill,
                    true,
                )?;
                if !solid {
                    cv.rect(
                        (x0.min(xv), cy - bar_h / 2),
                        (x0.max(xv), cy + bar_h / 2),
                        p.color.to_rgba(),
                        false,
                    )?;
                }
            }
            let e = p.errors[j];
            let (a, z) = (ax.x(v - 2.0 * e), ax.x(v + 2.0 * e));
            if e > 0.0 && z - a >= 2 {
                cv.error_bar_h(cy, a, z, INK)?;
            }
            let text = (p.label)(*v);
            let reach = if e > 0.0 { z.max(xv) } else { xv };
            if *v >= 0.0 {
                cv.text(
                    &text,
                    (reach.max(x0) + st.px(8.0), cy),
                    ef,
                    Align::Left,
                    VAlign::Middle,
                )?;
            } else {
                let reach = if e > 0.0 { a.min(xv) } else { xv };
                cv.text(
                    &text,
                    (reach - st.px(8.0), cy),
                    ef,
                    Align::Right,
                    VAlign::Middle,
                )?;
            }
        }
        cv.line(vec![(x0, t), (x0, b)], INK.to_rgba(), 2.0)
    }
}

impl Chart for CorridorChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let (s, c) = (self.s, self.c);
        let st = cv.st;
        let m = cv.margin();
        let big = c
            .rows
            .iter()
            .flat_map(|r| {
                [
                    r.protected.difference.abs() + 2.0 * r.protected.se,
                    r.total.difference.abs() + 2.0 * r.total.se,
                ]
            })
            .fold(0.0, f64::max);
        let (div, unit) = volume_unit(big);
        let _ = unit;
        let short = match unit {
            "million litres" => "M L",
            "thousand litres" => "k L",
            _ => "L",
        };
        let h = Header {
            title: format!("{} — which corridor matters most", s.name),
            subtitle: format!(
                "Each tag {} in turn, everything else as in the scenario · {} each · seed {} · the same seeds everywhere (common random numbers){}",
                c.action.describe(),
                runs(c.replications),
                c.seed,
                facts_tail(self.facts)
            ),
            legend: vec![
                Legend::new(
                    Swatch::Fill(VERMILLION, 1.0),
                    "rise in unmet essential demand",
                ),
                Legend::new(Swatch::Fill(BLUE, 1.0), "rise in unmet demand, all classes"),
                Legend::new(Swatch::Fill(GREY, 0.3), "pale: within Monte Carlo noise"),
                Legend::new(
                    Swatch::ErrorBar(INK),
                    "±2 standard errors of the paired difference",
                ),
            ],
        };
        let top = header(cv, &h)? + st.px(10.0);
        let note = format!(
            "Ranked by the rise in unmet essential demand per run against the base case ({} essential, {} all classes); solid bars are clear of noise (more than two standard errors of the paired difference). Static max flow lost: the share of the roads' capacity ({:.1} trucks/day, events of day 0) lost with the tag closed, attacks ignored.",
            format_args!("{} {short}", sig3(c.base_protected.value / div)),
            format_args!("{} {short}", sig3(c.base_total.value / div)),
            c.base_max_flow_trucks_per_day
        );
        let bottom = notes(cv, &[note])? - x_axis_height(cv, true);
        if c.rows.is_empty() {
            let ax = Axes {
                l: m,
                t: top,
                r: st.w - m,
                b: bottom,
                x0: 0.0,
                x1: 1.0,
                y0: 0.0,
                y1: 1.0,
            };
            frame(cv, &ax)?;
            return empty_message(cv, &ax, "No tag to act on");
        }
        let lf = Font::new(size::TICK, INK);
        let names: Vec<(String, String)> = c
            .rows
            .iter()
            .map(|r| {
                let n = r.segments.len();
                (
                    r.tag.clone(),
                    format!("{n} segment{}", if n == 1 { "" } else { "s" }),
                )
            })
            .collect();
        let label_w = names
            .iter()
            .enumerate()
            .map(|(j, (a, b))| cv.width(&format!("{}. {a}  ({b})", j + 1), lf))
            .max()
            .unwrap_or(0)
            .min(st.w * 26 / 100);
        let l = m + label_w + st.px(16.0);
        let width = st.w - m - l;
        let gap = st.px(40.0);
        let w1 = (f64::from(width - 2 * gap) * 0.37) as i32;
        let w3 = width - 2 * gap - 2 * w1;
        let n = c.rows.len();
        let row_h = f64::from(bottom - top) / n as f64;
        // Row stripes and names.
        for (j, (name, segs)) in names.iter().enumerate() {
            let y0 = top + (row_h * j as f64).round() as i32;
            let y1 = top + (row_h * (j + 1) as f64).round() as i32;
            if j % 2 == 0 {
                cv.rect((m, y0), (st.w - m, y1), GRID.mix(0.45), true)?;
            }
            let cy = (y0 + y1) / 2;
            let rank = format!("{}. {name}", j + 1);
            let text = format!("{rank}  ({segs})");
            let text = if cv.width(&text, lf) <= label_w {
                text
            } else {
                cv.fit(&rank, lf, label_w)
            };
            cv.text(
                &text,
                (l - st.px(12.0), cy),
                lf,
                Align::Right,
                VAlign::Middle,
            )?;
        }
        let litres = move |v: f64| {
            let t = sig3(v);
            let sign = if v > 0.0 && !t.starts_with('-') {
                "+"
            } else {
                ""
            };
            format!("{sign}{t} {short}")
        };
        let rows = &c.rows;
        let pick = |f: &dyn Fn(&PairedChange) -> f64, total: bool| -> Vec<f64> {
            rows.iter()
                .map(|r| f(if total { &r.total } else { &r.protected }))
                .collect()
        };
        let p1 = Panel {
            title: format!("unmet essential: change per run ({short})"),
            values: pick(&|p| p.difference / div, false),
            errors: pick(&|p| p.se / div, false),
            clear: rows.iter().map(|r| r.protected.is_clear()).collect(),
            color: VERMILLION,
            label: Box::new(litres),
        };
        let p2 = Panel {
            title: format!("unmet, all classes: change per run ({short})"),
            values: pick(&|p| p.difference / div, true),
            errors: pick(&|p| p.se / div, true),
            clear: rows.iter().map(|r| r.total.is_clear()).collect(),
            color: BLUE,
            label: Box::new(litres),
        };
        let p3 = Panel {
            title: "static max flow lost (%)".into(),
            values: rows.iter().map(|r| 100.0 * r.max_flow_drop_share).collect(),
            errors: vec![0.0; n],
            clear: vec![true; n],
            color: GREY,
            label: Box::new(|v: f64| format!("{v:.0} %")),
        };
        self.panel(cv, &p1, (l, l + w1, top, bottom))?;
        self.panel(cv, &p2, (l + w1 + gap, l + 2 * w1 + gap, top, bottom))?;
        self.panel(
            cv,
            &p3,
            (l + 2 * w1 + 2 * gap, l + 2 * w1 + 2 * gap + w3, top, bottom),
        )?;
        Ok(())
    }
}
