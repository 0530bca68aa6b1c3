//! The observations of a calibration on their dates, over what they observe.

use super::*;
use crate::scenario::observations::{Observation, Observed};

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
/// corridor", "Bamako"), else the first id; then the unit in words of `l`.
pub(super) fn group_name(c: &Calibration, g: &[usize], l: Lang) -> String {
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
    format!(
        "{name} · {}",
        crate::report::calibration::quantity_words(&c.observations[g[0]].quantity, l)
    )
}

/// One observation on a timeline panel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimelineMark {
    /// Its period on the time axis: the start of its first day to the end of its last.
    pub days: (f64, f64),
    /// Its range or value ± 2 sd (an infinite end: a bound); shaded, from at least 0,
    /// when both ends are finite.
    pub bar: (f64, f64),
    /// Its value or bound: the line across its period.
    pub value: f64,
    /// Lowest, median and highest simulated mean over the retained points.
    pub retained: Option<(f64, f64, f64)>,
    /// The median simulated mean over the first wave's points.
    pub prior_median: Option<f64>,
    /// Its id above its line, "≥ " before a lower bound and "≤ " before an upper one.
    pub id: String,
}

impl TimelineMark {
    /// Observation `o` with the simulated means of the first wave's points and of the
    /// retained ones.
    pub(crate) fn new(o: &Observation, prior: Vec<f64>, kept: Vec<f64>) -> TimelineMark {
        let mark = match o.value {
            Observed::AtLeast { .. } => "≥ ",
            Observed::AtMost { .. } => "≤ ",
            _ => "",
        };
        TimelineMark {
            days: (f64::from(o.from), f64::from(o.to) + 1.0),
            bar: o.value.bar(),
            value: o.value.centre(),
            retained: spread(kept),
            prior_median: spread(prior).map(|p| p.1),
            id: format!("{mark}{}", o.id),
        }
    }
}

/// One panel of the timeline: a thing observed, its observations and its scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TimelinePanel {
    /// "Dakar corridor · trucks".
    pub name: String,
    /// The y axis ticks, from 0.
    pub ticks: Vec<(f64, String)>,
    /// Top of the y axis: over every value, bound and simulated mean drawn.
    pub y1: f64,
    /// The observations, in the calibration's order.
    pub marks: Vec<TimelineMark>,
}

impl TimelinePanel {
    /// The panel `name` of `marks`, on a scale from 0 over all of them, its ticks in `l`.
    pub(crate) fn new(name: String, marks: Vec<TimelineMark>, l: Lang) -> TimelinePanel {
        let mut hi: f64 = 0.0;
        for o in &marks {
            let (a, b) = o.bar;
            for v in [a, b, o.value] {
                if v.is_finite() {
                    hi = hi.max(v);
                }
            }
            if let Some(md) = o.prior_median {
                hi = hi.max(md);
            }
            if let Some((_, _, z)) = o.retained {
                hi = hi.max(z);
            }
        }
        let ticks: Vec<(f64, String)> = value_ticks(0.0, nice_top(hi.max(1e-9) * 1.1, 4), 4, "")
            .into_iter()
            .map(|(v, t)| (v, l.digits(&t)))
            .collect();
        TimelinePanel {
            name,
            y1: ticks.last().map_or(hi, |t| t.0.max(hi)),
            ticks,
            marks,
        }
    }
}

/// What the timeline says, computed before any drawing.
#[derive(Debug, Clone)]
pub(crate) struct TimelineData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the panels.
    pub note: String,
    /// One panel per thing observed ([`groups`]).
    pub panels: Vec<TimelinePanel>,
}

impl TimelineData {
    /// The data of calibration `c` on scenario `s`, in words of `l`.
    pub(crate) fn new(c: &Calibration, s: &Scenario, l: Lang) -> TimelineData {
        let kept = c.retained();
        let first = &c.waves[0].points;
        let panels = groups(c)
            .iter()
            .map(|g| {
                let marks = g
                    .iter()
                    .map(|&i| {
                        TimelineMark::new(
                            &c.observations[i],
                            first.iter().map(|p| p.mean[i]).collect(),
                            kept.iter().map(|p| p.mean[i]).collect(),
                        )
                    })
                    .collect();
                TimelinePanel::new(group_name(c, g, l), marks, l)
            })
            .collect();
        TimelineData {
            header: Header {
                title: tr!(l, CalTTitle, name = s.name),
                subtitle: tr!(l, CalTSubtitle),
                legend: vec![
                    Legend::new(Swatch::Fill(INK, 0.18), l.t(Msg::CalTLegendRange)),
                    Legend::new(Swatch::Line(INK, 2.5, false), l.t(Msg::CalTLegendValue)),
                    Legend::new(Swatch::Line(GREY, 2.5, true), l.t(Msg::CalTLegendPrior)),
                    Legend::new(
                        Swatch::LineOnFill(BLUE, 0.22),
                        l.t(Msg::CalTLegendCalibrated),
                    ),
                ],
            },
            note: tr!(l, CalTNote),
            panels,
        }
    }
}

impl Chart for TimelineChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let s = self.s;
        let d = TimelineData::new(self.c, s, cv.st.lang);
        let top = header(cv, &d.header)?;
        let time = TimeAxis {
            start: s.start_date,
            days: f64::from(s.horizon_days),
            lang: cv.st.lang,
        };
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let m = cv.margin();
        let (cols, rows) = grid(d.panels.len(), cv.st.w - 2 * m, bottom - top);
        let (pw, ph) = (
            (cv.st.w - 2 * m) / cols as i32,
            (bottom - top - cv.st.px(6.0)) / rows as i32,
        );
        let tf = Font::bold(size::LABEL * 0.9, INK);
        let idf = Font::new(size::LABEL * 0.72, INK);
        let tkf = Font::new(size::TICK * 0.75, INK);
        for (k, p) in d.panels.iter().enumerate() {
            let (col, row) = ((k % cols) as i32, (k / cols) as i32);
            let (x0, y0) = (m + col * pw, top + row * ph);
            cv.text(
                &cv.fit(&p.name, tf, pw - cv.st.px(16.0)),
                (x0 + cv.st.px(8.0), y0),
                tf,
                Align::Left,
                VAlign::Top,
            )?;
            let yw = p
                .ticks
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
                y1: p.y1,
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
            for o in &p.marks {
                let (xa, xb) = (ax.x(o.days.0), ax.x(o.days.1));
                let (blo, bhi) = o.bar;
                if blo.is_finite() && bhi.is_finite() {
                    cv.rect(
                        (xa, ax.y(bhi)),
                        (xb, ax.y(blo.max(0.0))),
                        INK.mix(0.18),
                        true,
                    )?;
                }
                if let Some((lo, md, z)) = o.retained {
                    cv.rect((xa, ax.y(z)), (xb, ax.y(lo)), BLUE.mix(0.22), true)?;
                    cv.line(vec![(xa, ax.y(md)), (xb, ax.y(md))], BLUE.to_rgba(), 3.0)?;
                }
                if let Some(md) = o.prior_median {
                    cv.dashed((xa, ax.y(md)), (xb, ax.y(md)), GREY.to_rgba(), 2.5)?;
                }
                let yv = ax.y(o.value);
                cv.line(vec![(xa, yv), (xb, yv)], INK.to_rgba(), 2.5)?;
                // The id above its line, moved up past any label already placed there.
                let id = cv.fit(&o.id, idf, (ax.r - xa).max(cv.st.px(40.0)));
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

#[cfg(test)]
mod tests {
    use super::super::tests::observation;
    use super::*;

    #[test]
    fn a_timeline_mark_spans_its_days_and_names_its_bound() {
        let o = observation(
            "sep",
            0,
            29,
            Observed::AtLeast {
                value: 130.0,
                sd: 0.0,
            },
        );
        let m = TimelineMark::new(&o, vec![10.0, 20.0, 400.0], vec![140.0, 150.0, 160.0]);
        // Days 0 to 29 inclusive: from the start of day 0 to the end of day 29.
        assert_eq!(m.days, (0.0, 30.0));
        assert_eq!(m.id, "≥ sep");
        assert_eq!(m.value, 130.0);
        assert!(m.bar.1.is_infinite(), "a lower bound is open above");
        assert_eq!(m.prior_median, Some(20.0));
        assert_eq!(m.retained, Some((140.0, 150.0, 160.0)));
        let r = observation("oct", 30, 30, Observed::Range { lo: 40.0, hi: 60.0 });
        let n = TimelineMark::new(&r, vec![], vec![]);
        assert_eq!(
            (n.days, n.id.as_str(), n.bar),
            ((30.0, 31.0), "oct", (40.0, 60.0))
        );
        assert_eq!((n.prior_median, n.retained), (None, None));
        // The panel's scale holds the highest retained mean, not the prior's highest
        // (only its median is drawn), nor the infinite end of the bound.
        let p = TimelinePanel::new("x".into(), vec![m, n], Lang::En);
        assert!(p.y1 >= 160.0 && p.y1 < 400.0, "{}", p.y1);
        assert_eq!(p.ticks[0].0, 0.0);
    }
}
