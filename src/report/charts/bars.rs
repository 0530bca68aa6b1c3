//! Bars: tankers lost by segment.

use plotters::prelude::*;

use super::Ctx;
use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, Header, INK, Legend, MUTED, Res, Swatch, VAlign,
    VERMILLION, frame, header, nice_top, notes, size, value_ticks, x_axis, x_axis_height,
};
use super::kit::{empty_message, volume_unit};
use crate::report::Msg;
use crate::scenario::SegmentId;
use crate::tr;

/// Light grey for empty trucks.
const EMPTY: RGBColor = RGBColor(175, 175, 175);

/// Tankers lost per run by segment, split into fuel burned, fuel seized and empty trucks.
pub(crate) struct LossesChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// One bar: a segment's mean losses per run, in tankers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The segment, "Kayes → Diéma".
    pub label: String,
    /// Loaded tankers whose fuel burned.
    pub burned: f64,
    /// Loaded tankers whose fuel was seized.
    pub seized: f64,
    /// Empty tankers lost on the way back.
    pub empty: f64,
    /// Fuel lost, litres.
    pub litres: f64,
    /// "1.2 · 0.05 M L": tankers and fuel lost, at the end of the bar.
    pub value: String,
}

impl Row {
    /// Tankers lost in all.
    pub fn total(&self) -> f64 {
        self.burned + self.seized + self.empty
    }
}

/// What the losses chart says, computed before any drawing: the segments that lost
/// tankers, most first, and the words around them.
#[derive(Debug, Clone)]
pub(crate) struct LossesData {
    /// One row per segment with losses, largest total first (ties in segment order).
    pub rows: Vec<Row>,
    /// Title, subtitle and legend.
    pub header: Header,
    /// The first note (what a bar is).
    pub note: String,
    /// The x axis title.
    pub axis_title: String,
    /// Top of the x axis, tankers per run (it starts at 0).
    pub x1: f64,
    /// The language, for the note on rows left out.
    lang: crate::report::Lang,
}

impl LossesData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: crate::report::Lang) -> LossesData {
        let (s, sum) = (ctx.s, ctx.sum);
        let tl = s.fleet.truck_litres.max(1e-9);
        let mut idx: Vec<usize> = (0..sum.segments.len().min(s.segments.len()))
            .filter(|i| sum.segments[*i].trucks_lost > 0.0)
            .collect();
        idx.sort_by(|a, b| {
            sum.segments[*b]
                .trucks_lost
                .total_cmp(&sum.segments[*a].trucks_lost)
                .then(a.cmp(b))
        });
        let max_litres = idx
            .iter()
            .map(|&i| sum.segments[i].fuel_lost)
            .fold(0.0, f64::max);
        let (div, unit) = volume_unit(max_litres);
        let unit_short = match unit {
            "million litres" => "M L",
            "thousand litres" => "k L",
            _ => "L",
        };
        let rows: Vec<Row> = idx
            .iter()
            .map(|&i| {
                let g = sum.segments[i];
                let loaded = (g.fuel_lost / tl).min(g.trucks_lost);
                let seized = (g.fuel_seized / tl).min(loaded);
                let mut r = Row {
                    label: s.segment_label(SegmentId(i as u32)),
                    burned: loaded - seized,
                    seized,
                    empty: (g.trucks_lost - loaded).max(0.0),
                    litres: g.fuel_lost,
                    value: String::new(),
                };
                r.value = l.digits(&format!(
                    "{:.1} · {:.2} {unit_short}",
                    r.total(),
                    r.litres / div
                ));
                r
            })
            .collect();
        let header = Header {
            title: tr!(l, ChLossesTitle, name = s.name),
            subtitle: tr!(l, ChLossesSubtitle, facts = ctx.facts),
            legend: vec![
                Legend::new(Swatch::Fill(VERMILLION, 1.0), l.t(Msg::ChLoadedBurned)),
                Legend::new(Swatch::Fill(BLUE, 1.0), l.t(Msg::ChLoadedSeized)),
                Legend::new(Swatch::Fill(EMPTY, 1.0), l.t(Msg::ChEmptyBack)),
            ],
        };
        let runs = l.thousands(sum.replications as f64);
        LossesData {
            x1: nice_top(rows.first().map_or(1.0, Row::total), 6),
            rows,
            header,
            note: tr!(l, ChLossesNote, runs = runs),
            axis_title: tr!(l, ChLossesAxis, runs = runs),
            lang: l,
        }
    }

    /// The note on the rows after the first `shown`, summed, if any are left out.
    pub(crate) fn rest_note(&self, shown: usize) -> Option<String> {
        let l = self.lang;
        let rest = self.rows.get(shown..).filter(|r| !r.is_empty())?;
        Some(tr!(
            l,
            ChLossesMore,
            n = rest.len(),
            s = l.plural(rest.len() as u64),
            total = l.digits(&format!("{:.1}", rest.iter().map(Row::total).sum::<f64>()))
        ))
    }
}

impl Chart for LossesChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let st = cv.st;
        let l = st.lang;
        let m = cv.margin();
        let d = LossesData::new(self.ctx, l);
        let rows = &d.rows;
        let top = header(cv, &d.header)? + st.px(30.0);
        let tick_f = Font::new(size::TICK, INK);
        let row_min = cv.cap(tick_f) + st.px(16.0);
        // Rows that fit; the rest are summed in a note.
        let avail = (st.h - m - top - x_axis_height(cv, true) - 2 * (cv.cap(tick_f) + st.px(12.0)))
            .max(row_min);
        let fit = ((avail / row_min) as usize).max(1);
        let shown = rows.len().min(fit).min(25);
        let mut note_lines = vec![d.note.clone()];
        note_lines.extend(d.rest_note(shown));
        let bottom = notes(cv, &note_lines)? - x_axis_height(cv, true);
        let label_w = rows[..shown]
            .iter()
            .map(|r| cv.width(&r.label, tick_f))
            .max()
            .unwrap_or(0)
            .min(st.w * 38 / 100);
        // The column header goes where the longest bar ends, like its value: room for
        // whichever is wider, so that neither is cut at the right edge.
        let hf = Font::bold(size::TICK, MUTED);
        let value_w = rows[..shown]
            .iter()
            .map(|r| cv.width(&r.value, tick_f))
            .max()
            .unwrap_or(0)
            .max(cv.width(l.t(Msg::ChTankersFuelLost), hf));
        let x1 = d.x1;
        let ticks = value_ticks(0.0, x1, 6, "");
        let ax = Axes {
            l: m + label_w + st.px(14.0),
            t: top,
            r: st.w - m - value_w - st.px(12.0),
            b: bottom,
            x0: 0.0,
            x1,
            y0: 0.0,
            y1: 1.0,
        };
        x_axis(cv, &ax, &ticks, Some(&d.axis_title), true)?;
        if rows.is_empty() {
            frame(cv, &ax)?;
            return empty_message(cv, &ax, l.t(Msg::ChNoTankerLost));
        }
        cv.text(
            l.t(Msg::ChTankersFuelLost),
            (ax.x(rows[0].total()) + st.px(8.0), ax.t - st.px(8.0)),
            hf,
            Align::Left,
            VAlign::Baseline,
        )?;
        let row_h = (f64::from(ax.b - ax.t) / shown as f64).min(f64::from(st.px(70.0)));
        let bar_h = (row_h * 0.62).round() as i32;
        for (j, r) in rows[..shown].iter().enumerate() {
            let cy = ax.t + (row_h * (j as f64 + 0.5)).round() as i32;
            let (y0, y1) = (cy - bar_h / 2, cy + bar_h / 2);
            let mut x = 0.0;
            for (v, c) in [(r.burned, VERMILLION), (r.seized, BLUE), (r.empty, EMPTY)] {
                if v > 0.0 {
                    let (a, b) = (ax.x(x), ax.x(x + v));
                    if b > a {
                        cv.rect((a, y0), (b, y1), c.to_rgba(), true)?;
                    }
                    x += v;
                }
            }
            let label = cv.fit(&r.label, tick_f, label_w);
            cv.text(
                &label,
                (ax.l - st.px(12.0), cy),
                tick_f,
                Align::Right,
                VAlign::Middle,
            )?;
            cv.text(
                &r.value,
                (ax.x(r.total()) + st.px(8.0), cy),
                Font::new(size::TICK, MUTED),
                Align::Left,
                VAlign::Middle,
            )?;
        }
        frame(cv, &ax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Lang;

    #[test]
    fn the_losses_data_orders_segments_by_tankers_lost_and_splits_each_bar() {
        let run = crate::report::charts::kit::TestRun::tutorial(20);
        let (s, sum) = (&run.s, &run.sum);
        let ctx = run.ctx();
        let d = LossesData::new(&ctx, Lang::En);
        let lost: Vec<usize> = (0..s.segments.len())
            .filter(|i| sum.segments[*i].trucks_lost > 0.0)
            .collect();
        assert!(!lost.is_empty(), "the tutorial's roads are attacked");
        assert_eq!(d.rows.len(), lost.len());
        // Largest first; each bar's three parts add up to the tankers lost on its segment.
        for w in d.rows.windows(2) {
            assert!(w[0].total() >= w[1].total());
        }
        for r in &d.rows {
            let i = lost
                .iter()
                .copied()
                .find(|i| s.segment_label(SegmentId(*i as u32)) == r.label)
                .expect("a segment with losses");
            let g = sum.segments[i];
            assert!((r.total() - g.trucks_lost).abs() < 1e-9 * g.trucks_lost.max(1.0));
            assert!(r.burned >= 0.0 && r.seized >= 0.0 && r.empty >= 0.0);
            assert_eq!(r.litres, g.fuel_lost);
            assert!(
                r.value.starts_with(&format!("{:.1} · ", r.total())),
                "{}",
                r.value
            );
        }
        assert!(d.x1 >= d.rows[0].total());
        // Rows left out are counted and summed; none left out, no note.
        assert!(d.rest_note(d.rows.len()).is_none());
        let all = d.rest_note(0).expect("every row left out");
        let total: f64 = d.rows.iter().map(Row::total).sum();
        assert!(all.contains(&format!("{total:.1}")), "{all}");
        assert!(all.contains(&d.rows.len().to_string()), "{all}");
    }
}
