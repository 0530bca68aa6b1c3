//! The histogram of the first dry day across runs, with the median.

use plotters::prelude::*;

use super::Ctx;
use super::draw::{
    Axes, Canvas, Chart, Font, Header, INK, Legend, Res, Swatch, VAlign, VERMILLION, frame, header,
    nice_top, notes, size, value_ticks, x_axis, x_axis_height, y_axis, y_axis_width,
};
use super::kit::{empty_message, label_side};
use crate::report::measures::pct_mc_in;
use crate::report::{Lang, Msg};
use crate::tr;

/// Histogram of the first dry day across runs, with the median.
pub(crate) struct FirstDryChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// What the first-dry chart says, computed before any drawing: the bins, each one's
/// share of all runs, the median and the words.
#[derive(Debug, Clone)]
pub(crate) struct FirstDryData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// The horizon, days (at least 1): the x axis.
    pub days: usize,
    /// Days per bin: 1 up to 60 days, 7 up to 400, else 30.
    pub width: usize,
    /// Per bin (days `[b * width, (b + 1) * width)`, the last one cut at the horizon), the
    /// share of all runs whose first dry day falls in it, %.
    pub share: Vec<f64>,
    /// Top of the y axis, %.
    pub y1: f64,
    /// The median first dry day and its label ("median: 3 Oct 2025 (day 32)"), if more
    /// than half the runs ran dry.
    pub median: Option<(f64, String)>,
    /// No run ran dry: the message on the empty plot.
    pub empty: Option<String>,
}

impl FirstDryData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: Lang) -> FirstDryData {
        let (s, sum, time) = (ctx.s, ctx.sum, ctx.time);
        let pct_mc = |p: f64, n: u64| pct_mc_in(l, p, n);
        let n = sum.rows.len().max(1) as f64;
        let dry = sum.first_dry_days();
        let days = sum.layout.days.max(1);
        let width = if days <= 60 {
            1
        } else if days <= 400 {
            7
        } else {
            30
        };
        let bins = days.div_ceil(width);
        let mut counts = vec![0usize; bins];
        for d in &dry {
            let b = ((*d as usize) / width).min(bins - 1);
            counts[b] += 1;
        }
        let share: Vec<f64> = counts.iter().map(|c| 100.0 * *c as f64 / n).collect();
        let dry_pct = 100.0 * dry.len() as f64 / n;
        let median = sum.first_dry_percentile(0.5);
        let bin = match width {
            1 => Msg::ChBinDay,
            7 => Msg::ChBinWeek,
            _ => Msg::ChBin30Days,
        };
        let mut legend = vec![Legend::new(Swatch::Fill(VERMILLION, 0.85), l.t(bin))];
        if median.is_some() {
            legend.push(Legend::new(
                Swatch::Line(INK, 3.0, true),
                l.t(Msg::ChMedianFirstDry),
            ));
        }
        let header = Header {
            title: tr!(l, ChFirstDryTitle, name = s.name),
            subtitle: tr!(
                l,
                ChFirstDrySubtitle,
                dry = pct_mc(dry_pct / 100.0, sum.replications),
                days = days,
                none = pct_mc(1.0 - dry_pct / 100.0, sum.replications),
                facts = ctx.facts
            ),
            legend,
        };
        let note = match median {
            Some(_) => tr!(
                l,
                ChFirstDryNote,
                runs = l.thousands(sum.rows.len() as f64),
                dry = pct_mc(dry_pct / 100.0, sum.replications)
            ),
            None => tr!(
                l,
                ChFirstDryNoMedian,
                runs = l.thousands(sum.rows.len() as f64),
                days = days
            ),
        };
        let median = median.map(|md| {
            let day = tr!(l, DayN, d = format!("{md:.0}"));
            let text = match s.start_date {
                Some(_) => tr!(
                    l,
                    ChMedianLabel,
                    day = tr!(l, DateDay, date = time.label(md), day = day)
                ),
                None => tr!(l, ChMedianLabel, day = day),
            };
            (md, text)
        });
        FirstDryData {
            header,
            note,
            days,
            width,
            y1: nice_top(share.iter().copied().fold(0.0, f64::max), 5),
            share,
            median,
            empty: dry.is_empty().then(|| tr!(l, ChNoRunDry, days = days)),
        }
    }
}

impl Chart for FirstDryChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let time = self.ctx.time;
        let st = cv.st;
        let l = st.lang;
        let m = cv.margin();
        let d = FirstDryData::new(self.ctx, l);
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let ticks = value_ticks(0.0, d.y1, 5, "");
        let ax = Axes {
            l: m + y_axis_width(cv, &ticks),
            t: top + st.px(10.0),
            r: st.w - m,
            b: bottom - x_axis_height(cv, true),
            x0: 0.0,
            x1: d.days as f64,
            y0: 0.0,
            y1: d.y1,
        };
        y_axis(cv, &ax, &ticks, l.t(Msg::ChShareAllRunsPct), false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        for (b, v) in d.share.iter().enumerate() {
            if *v > 0.0 {
                let x0 = ax.x((b * d.width) as f64);
                let x1 = ax.x((((b + 1) * d.width).min(d.days)) as f64);
                let inset = if x1 - x0 > st.px(6.0) { 1 } else { 0 };
                cv.rect(
                    (x0 + inset, ax.y(*v)),
                    (x1 - inset, ax.b),
                    VERMILLION.mix(0.85),
                    true,
                )?;
            }
        }
        frame(cv, &ax)?;
        if let Some(text) = &d.empty {
            return empty_message(cv, &ax, text);
        }
        if let Some((md, text)) = &d.median {
            let x = ax.x(md + 0.5);
            cv.dashed((x, ax.t), (x, ax.b), INK.to_rgba(), 3.0)?;
            let f = Font::bold(size::LABEL, INK);
            let w = cv.width(text, f);
            let y = ax.t + st.px(6.0);
            let (tx, al) = label_side(x, w, st.px(10.0), ax.r);
            let bx = if al == super::draw::Align::Left {
                tx
            } else {
                tx - w
            };
            cv.rect(
                (bx - st.px(4.0), y - st.px(4.0)),
                (bx + w + st.px(4.0), y + cv.cap(f) + st.px(6.0)),
                WHITE.mix(0.85),
                true,
            )?;
            cv.text(text, (tx, y), f, al, VAlign::Top)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::kit::TestRun;

    /// The tutorial's run with its first dry days set to `first`, one per run.
    fn with_first_dry(first: &[Option<u32>]) -> TestRun {
        let mut run = TestRun::tutorial(first.len() as u64);
        run.s.start_date = None;
        for (row, f) in run.sum.rows.iter_mut().zip(first) {
            row.first_dry = *f;
        }
        run
    }

    #[test]
    fn the_first_dry_bins_are_shares_of_all_runs_and_the_median_names_its_day() {
        // 5 runs: three first dry on day 3, one on day 10, one never.
        let run = with_first_dry(&[Some(3), None, Some(10), Some(3), Some(3)]);
        let d = FirstDryData::new(&run.ctx(), Lang::En);
        // The tutorial's 90 days are binned by week.
        assert_eq!((d.days, d.width), (90, 7));
        assert_eq!(d.share.len(), 13);
        assert_eq!(d.share[0], 60.0);
        assert_eq!(d.share[1], 20.0);
        assert!(d.share[2..].iter().all(|v| *v == 0.0), "{:?}", d.share);
        assert!(d.y1 >= 60.0);
        let (md, text) = d.median.as_ref().expect("most runs ran dry");
        assert_eq!(*md, 3.0);
        assert_eq!(text, "median: day 3");
        assert!(d.empty.is_none());
        assert_eq!(d.header.legend.len(), 2);
    }

    #[test]
    fn without_a_dry_majority_there_is_no_median_and_without_a_dry_run_the_plot_says_so() {
        let d = FirstDryData::new(&with_first_dry(&[Some(40), None, None]).ctx(), Lang::En);
        assert!(d.median.is_none());
        assert!(d.note.starts_with("No median"), "{}", d.note);
        assert_eq!(d.header.legend.len(), 1);
        let d = FirstDryData::new(&with_first_dry(&[None, None]).ctx(), Lang::En);
        assert_eq!(
            d.empty.as_deref(),
            Some("No run ran dry within the 90-day horizon")
        );
        assert!(d.share.iter().all(|v| *v == 0.0));
    }
}
