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
#[derive(Debug, Clone)]
pub(crate) struct Panel {
    /// The x axis title.
    pub title: String,
    /// The value of each row, in shown units.
    pub values: Vec<f64>,
    /// Its standard error (0 for none).
    pub errors: Vec<f64>,
    /// Clear of Monte Carlo noise: drawn solid, else pale.
    pub clear: Vec<bool>,
    /// The bars' colour.
    pub color: RGBColor,
    /// The label at the end of each bar.
    pub labels: Vec<String>,
}

/// What the corridor chart says, computed before any drawing: the rows' names in rank
/// order, the three panels' values and labels, the header and the note.
#[derive(Debug, Clone)]
pub(crate) struct CorridorData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// Each row's rank and tag, "1. kayes_axis", and its size, "3 segments", in rank order.
    pub names: Vec<(String, String)>,
    /// Rise in unmet essential demand, rise in unmet demand of all classes, static max
    /// flow lost: one panel each.
    pub panels: [Panel; 3],
}

impl CorridorData {
    /// The data of the study `c` on `s`, in words of `l`; `facts` ends the subtitle.
    pub(crate) fn new(s: &Scenario, c: &CorridorStudy, facts: &str, l: Lang) -> CorridorData {
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
        let short = match unit {
            "million litres" => "M L",
            "thousand litres" => "k L",
            _ => "L",
        };
        let header = Header {
            title: tr!(l, CorTitle, name = s.name),
            subtitle: tr!(
                l,
                CorSubtitle,
                action = crate::report::study::corridor_action_words(&c.action, l),
                runs = runs_in(l, c.replications),
                seed = c.seed,
                facts = facts_tail(facts)
            ),
            legend: vec![
                Legend::new(Swatch::Fill(VERMILLION, 1.0), l.t(Msg::CorLegendEssential)),
                Legend::new(Swatch::Fill(BLUE, 1.0), l.t(Msg::CorLegendTotal)),
                Legend::new(Swatch::Fill(GREY, 0.3), l.t(Msg::CorLegendPale)),
                Legend::new(Swatch::ErrorBar(INK), l.t(Msg::CorLegendWhiskers)),
            ],
        };
        let note = tr!(
            l,
            CorNote,
            p = format!("{} {short}", l.digits(&sig3(c.base_protected.value / div))),
            t = format!("{} {short}", l.digits(&sig3(c.base_total.value / div))),
            f = l.num(c.base_max_flow_trucks_per_day, 1)
        );
        let names: Vec<(String, String)> = c
            .rows
            .iter()
            .enumerate()
            .map(|(j, r)| {
                let n = r.segments.len();
                (
                    format!("{}. {}", j + 1, r.tag),
                    tr!(l, CorSegments, n = n, s = l.plural(n as u64)),
                )
            })
            .collect();
        let litres = |v: f64| {
            let t = sig3(v);
            let sign = if v > 0.0 && !t.starts_with('-') {
                "+"
            } else {
                ""
            };
            format!("{sign}{} {short}", l.digits(&t))
        };
        let rows = &c.rows;
        let n = rows.len();
        let pick = |f: &dyn Fn(&PairedChange) -> f64, total: bool| -> Vec<f64> {
            rows.iter()
                .map(|r| f(if total { &r.total } else { &r.protected }))
                .collect()
        };
        let change = |title: String, total: bool, color: RGBColor| {
            let values = pick(&|p| p.difference / div, total);
            Panel {
                title,
                labels: values.iter().map(|v| litres(*v)).collect(),
                values,
                errors: pick(&|p| p.se / div, total),
                clear: rows
                    .iter()
                    .map(|r| if total { &r.total } else { &r.protected }.is_clear())
                    .collect(),
                color,
            }
        };
        let lost: Vec<f64> = rows.iter().map(|r| 100.0 * r.max_flow_drop_share).collect();
        CorridorData {
            header,
            note,
            names,
            panels: [
                change(tr!(l, CorPanelEssential, unit = short), false, VERMILLION),
                change(tr!(l, CorPanelTotal, unit = short), true, BLUE),
                Panel {
                    title: tr!(l, CorPanelFlowLost),
                    labels: lost.iter().map(|v| l.percent(&format!("{v:.0}"))).collect(),
                    values: lost,
                    errors: vec![0.0; n],
                    clear: vec![true; n],
                    color: GREY,
                },
            ],
        }
    }
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
        let wmax = p.labels.iter().map(|t| cv.width(t, ef)).max().unwrap_or(0) + st.px(16.0);
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
            let text = &p.labels[j];
            let reach = if e > 0.0 { z.max(xv) } else { xv };
            if *v >= 0.0 {
                cv.text(
                    text,
                    (reach.max(x0) + st.px(8.0), cy),
                    ef,
                    Align::Left,
                    VAlign::Middle,
                )?;
            } else {
                let reach = if e > 0.0 { a.min(xv) } else { xv };
                cv.text(
                    text,
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
        let d = CorridorData::new(self.s, self.c, self.facts, cv.st.lang);
        let st = cv.st;
        let m = cv.margin();
        let top = header(cv, &d.header)? + st.px(10.0);
        let bottom = notes(cv, std::slice::from_ref(&d.note))? - x_axis_height(cv, true);
        if d.names.is_empty() {
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
            return empty_message(cv, &ax, st.lang.t(Msg::CorNoTag));
        }
        let lf = Font::new(size::TICK, INK);
        let label_w = d
            .names
            .iter()
            .map(|(a, b)| cv.width(&format!("{a}  ({b})"), lf))
            .max()
            .unwrap_or(0)
            .min(st.w * 26 / 100);
        let l = m + label_w + st.px(16.0);
        let width = st.w - m - l;
        let gap = st.px(40.0);
        let w1 = (f64::from(width - 2 * gap) * 0.37) as i32;
        let w3 = width - 2 * gap - 2 * w1;
        let n = d.names.len();
        let row_h = f64::from(bottom - top) / n as f64;
        // Row stripes and names.
        for (j, (rank, segs)) in d.names.iter().enumerate() {
            let y0 = top + (row_h * j as f64).round() as i32;
            let y1 = top + (row_h * (j + 1) as f64).round() as i32;
            if j % 2 == 0 {
                cv.rect((m, y0), (st.w - m, y1), GRID.mix(0.45), true)?;
            }
            let cy = (y0 + y1) / 2;
            let text = format!("{rank}  ({segs})");
            let text = if cv.width(&text, lf) <= label_w {
                text
            } else {
                cv.fit(rank, lf, label_w)
            };
            cv.text(
                &text,
                (l - st.px(12.0), cy),
                lf,
                Align::Right,
                VAlign::Middle,
            )?;
        }
        let [p1, p2, p3] = &d.panels;
        self.panel(cv, p1, (l, l + w1, top, bottom))?;
        self.panel(cv, p2, (l + w1 + gap, l + 2 * w1 + gap, top, bottom))?;
        self.panel(
            cv,
            p3,
            (l + 2 * w1 + 2 * gap, l + 2 * w1 + 2 * gap + w3, top, bottom),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::{CorridorAction, CorridorRow};

    fn est(value: f64) -> Estimate {
        Estimate::point(value, 0.0)
    }

    fn change(difference: f64, se: f64) -> PairedChange {
        PairedChange {
            value: est(0.0),
            difference,
            se,
        }
    }

    fn row(
        tag: &str,
        segments: usize,
        protected: PairedChange,
        total: PairedChange,
    ) -> CorridorRow {
        CorridorRow {
            tag: tag.into(),
            segments: (0..segments).map(|i| format!("S{i}")).collect(),
            protected,
            total,
            max_flow_drop_trucks_per_day: 10.0,
            max_flow_drop_share: 0.25,
        }
    }

    /// Closing two tags of the tutorial: "north" (2 segments; protected +2 M L, total
    /// `north_total`) and "south" (1 segment; protected -50,000 L, total unchanged).
    fn closures(north_total: PairedChange) -> CorridorStudy {
        CorridorStudy {
            action: CorridorAction::Close,
            base_protected: est(1_500_000.0),
            base_total: est(4_000_000.0),
            base_max_flow_trucks_per_day: 190.0,
            rows: vec![
                row("north", 2, change(2_000_000.0, 100_000.0), north_total),
                row("south", 1, change(-50_000.0, 10_000.0), change(0.0, 0.0)),
            ],
            replications: 20,
            seed: 1,
        }
    }

    #[test]
    fn the_corridor_data_speaks_french_with_french_numbers() {
        let s = crate::report::charts::kit::bundled_scenario("tutorial.ron");
        let c = closures(change(0.0, 0.0));
        let d = CorridorData::new(&s, &c, "", Lang::Fr);
        assert_eq!(d.names[0].1, "2 tronçons");
        assert_eq!(d.names[1].1, "1 tronçon");
        let [p1, _, p3] = &d.panels;
        assert_eq!(p1.labels, ["+2,00 M L", "-0,0500 M L"]);
        assert_eq!(p1.title, "écart par simul., essentiel (M L)");
        assert_eq!(p3.labels[0], "25\u{202F}%");
        assert!(d.header.title.ends_with("quel corridor compte le plus"));
        assert!(d.header.subtitle.contains("fermée dès le jour 0"));
        assert!(d.note.contains("190,0 camions/jour"), "{}", d.note);
    }

    #[test]
    fn the_corridor_data_ranks_rows_and_labels_each_bar() {
        let s = crate::report::charts::kit::bundled_scenario("tutorial.ron");
        let c = closures(change(3_000_000.0, 2_000_000.0));
        let d = CorridorData::new(&s, &c, "", Lang::En);
        assert_eq!(
            d.names,
            [
                ("1. north".to_string(), "2 segments".to_string()),
                ("2. south".to_string(), "1 segment".to_string())
            ]
        );
        // Millions of litres (the largest end, 3 M L + 2 SE, sets the unit).
        let [p1, p2, p3] = &d.panels;
        assert_eq!(p1.values, [2.0, -0.05]);
        assert_eq!(p1.labels, ["+2.00 M L", "-0.0500 M L"]);
        assert_eq!(p1.errors, [0.1, 0.01]);
        assert_eq!(p1.clear, [true, true]);
        // 3 M L ± 2 × 2 M L is within noise: pale; no change at all is never clear.
        assert_eq!(p2.clear, [false, false]);
        assert_eq!(p2.labels, ["+3.00 M L", "0 M L"]);
        assert_eq!(p3.values, [25.0, 25.0]);
        assert_eq!(p3.labels, ["25 %", "25 %"]);
        assert!(p1.title.ends_with("(M L)"));
        assert!(
            d.note
                .contains("(1.50 M L essential, 4.00 M L all classes)"),
            "{}",
            d.note
        );
        assert!(d.note.contains("(190.0 trucks/day"));
    }
}
