//! The chances of rationing and of a dry day by each date, with the days the dry curve
//! passes 50 % and 90 %.

use plotters::prelude::*;

use super::draw::{
    Align, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, Res, SKY, Swatch, VAlign,
    VERMILLION, frame, header, notes, size, value_ticks, x_axis, y_axis,
};
use super::kit::{label_side, step_band, step_line, time_axes};
use super::{Ctx, crossing_day};
use crate::report::measures::pct_mc_in;
use crate::report::{Lang, Msg};
use crate::tr;

/// The chances of rationing and of a dry day by each date: the share of runs whose
/// first rationing (or dry) day is on or before the date, the `daily.csv` columns
/// `p_rationing_by_day` and `p_dry_by_day` of that day's row.
pub(crate) struct DryChart<'a> {
    /// The run.
    pub ctx: &'a Ctx<'a>,
}

/// The levels whose crossing the chart marks, % of runs.
pub(crate) const LEVELS: [f64; 2] = [50.0, 90.0];

/// Where the dry curve first reaches a level, and what the chart says about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Crossing {
    /// The level, % of runs.
    pub level: f64,
    /// The first day on which the share of runs dry reaches it; `None`: not within the
    /// horizon.
    pub day: Option<usize>,
    /// "dry: 50 % by 3 Oct 2025 (day 32)", or "dry: 90 % not reached by 30 Nov 2025".
    pub text: String,
}

/// What the dry-and-rationing chart says, computed before any drawing: the two curves,
/// the final share of runs dry and the crossings of 50 % and 90 %.
#[derive(Debug, Clone)]
pub(crate) struct DryData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note under the chart.
    pub note: String,
    /// Share of runs with rationing started by each day, %.
    pub rationing: Vec<f64>,
    /// Share of runs dry on some day up to each day, %.
    pub dry: Vec<f64>,
    /// The final share of runs dry, %: where the end label stands.
    pub end_level: f64,
    /// The end label: "dry: 62 % by 30 Nov 2025".
    pub end_text: String,
    /// The crossings of [`LEVELS`], in that order.
    pub crossings: Vec<Crossing>,
}

impl DryData {
    /// The data of the run in `ctx`, in words of `l`.
    pub(crate) fn new(ctx: &Ctx, l: Lang) -> DryData {
        let (s, sum, time) = (ctx.s, ctx.sum, ctx.time);
        let pct_mc = |p: f64, n: u64| pct_mc_in(l, p, n);
        let dry: Vec<f64> = sum.p_dry_by.iter().map(|p| 100.0 * p).collect();
        let rationing: Vec<f64> = sum.p_rationing_by.iter().map(|p| 100.0 * p).collect();
        let last_day = (dry.len().max(1) - 1) as f64;
        let last = dry.last().copied().unwrap_or(0.0);
        let last_r = rationing.last().copied().unwrap_or(0.0);
        let header = Header {
            title: tr!(l, ChDryTitle, name = s.name),
            subtitle: tr!(
                l,
                ChDrySubtitle,
                r = pct_mc(last_r / 100.0, sum.replications),
                day = time.label(last_day),
                d = pct_mc(last / 100.0, sum.replications),
                facts = ctx.facts
            ),
            legend: vec![
                Legend::new(Swatch::Line(SKY, 3.5, false), l.t(Msg::ChDryLegRationing)),
                Legend::new(Swatch::Line(VERMILLION, 3.5, false), l.t(Msg::ChDryLegDry)),
                Legend::new(
                    Swatch::Line(GREY, 2.0, true),
                    tr!(l, ChDryLegLevels, a = l.percent("50"), b = l.percent("90")),
                ),
            ],
        };
        let end_text = tr!(
            l,
            ChDryBy,
            p = pct_mc(last / 100.0, sum.replications),
            day = time.label(last_day)
        );
        let crossings = LEVELS
            .iter()
            .map(|&level| {
                let p = l.percent(&format!("{level:.0}"));
                let day = crossing_day(&dry, level);
                let text = match day {
                    Some(k) => match s.start_date {
                        Some(_) => tr!(
                            l,
                            ChDryBy,
                            p = p,
                            day = tr!(
                                l,
                                DateDay,
                                date = time.label(k as f64),
                                day = tr!(l, DayN, d = k)
                            )
                        ),
                        None => tr!(l, ChDryBy, p = p, day = tr!(l, DayN, d = k)),
                    },
                    None => tr!(l, ChDryNotReached, p = p, day = time.label(last_day)),
                };
                Crossing { level, day, text }
            })
            .collect();
        DryData {
            header,
            note: tr!(l, ChDryNote),
            rationing,
            dry,
            end_level: last,
            end_text,
            crossings,
        }
    }
}

impl Chart for DryChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let time = self.ctx.time;
        let st = cv.st;
        let l = st.lang;
        let d = DryData::new(self.ctx, l);
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))?;
        let ticks = value_ticks(0.0, 100.0, 5, "");
        let ax = time_axes(cv, top, bottom, &ticks, time.days, 100.0);
        y_axis(cv, &ax, &ticks, l.t(Msg::ChShareOfRunsPct), false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        let zeros = vec![0.0; d.dry.len()];
        cv.poly(step_band(&ax, &zeros, &d.dry), VERMILLION.mix(0.12))?;
        for level in LEVELS {
            cv.dashed(
                (ax.l, ax.y(level)),
                (ax.r, ax.y(level)),
                GREY.to_rgba(),
                2.0,
            )?;
        }
        cv.line(step_line(&ax, &d.rationing), SKY.to_rgba(), 3.5)?;
        cv.line(step_line(&ax, &d.dry), VERMILLION.to_rgba(), 3.5)?;
        frame(cv, &ax)?;
        // The final share of running dry, at the end of its curve; below it when a
        // level's line is close above.
        let ef = Font::bold(size::LABEL, VERMILLION);
        let ey = ax.y(d.end_level) - st.px(10.0);
        let near = LEVELS
            .iter()
            .any(|level| (ey - ax.y(*level)).abs() < st.px(30.0));
        let ey = if near {
            ax.y(d.end_level) + st.px(12.0) + cv.cap(ef)
        } else {
            ey
        };
        cv.text(
            &d.end_text,
            (ax.r - st.px(10.0), ey),
            ef,
            Align::Right,
            VAlign::Baseline,
        )?;
        // The crossings of the dry curve.
        let f = Font::bold(size::LABEL, INK);
        let gap = st.px(10.0);
        for c in &d.crossings {
            let y = ax.y(c.level);
            match c.day {
                Some(k) => {
                    let x = ax.x(k as f64);
                    cv.dashed((x, y), (x, ax.b), INK.mix(0.7), 2.0)?;
                    cv.circle((x, y), st.px(7.0), INK.to_rgba(), true)?;
                    let (tx, al) = label_side(x, cv.width(&c.text, f), gap, ax.r);
                    cv.text(&c.text, (tx, y - gap), f, al, VAlign::Baseline)?;
                }
                None => {
                    cv.text(
                        &c.text,
                        (ax.r - gap, y - gap),
                        Font::new(size::LABEL, MUTED),
                        Align::Right,
                        VAlign::Baseline,
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::kit::TestRun;

    #[test]
    fn the_dry_data_marks_the_day_each_level_is_first_reached() {
        let mut run = TestRun::tutorial(4);
        run.s.start_date = None;
        let days = run.sum.layout.days;
        assert!(days > 12, "{days}");
        // A known curve: 20 % dry by day 3, 50 % from day 5 on, never 90 %.
        run.sum.p_dry_by = (0..days)
            .map(|k| match k {
                0..3 => 0.0,
                3..5 => 0.2,
                _ => 0.5 + 0.3 * (k as f64 / days as f64),
            })
            .collect();
        let d = DryData::new(&run.ctx(), Lang::En);
        assert_eq!(d.crossings.len(), 2);
        let half = &d.crossings[0];
        assert_eq!((half.level, half.day), (50.0, Some(5)));
        assert_eq!(half.text, "dry: 50 % by day 5");
        let ninety = &d.crossings[1];
        assert_eq!((ninety.level, ninety.day), (90.0, None));
        assert_eq!(
            ninety.text,
            format!("dry: 90 % not reached by day {}", days - 1)
        );
        // The curve is in %, and the end label stands at its last value.
        assert_eq!(d.dry[3], 20.0);
        assert_eq!(d.end_level, *d.dry.last().expect("days"));
        assert!(d.end_level > 50.0 && d.end_level < 90.0);
    }

    #[test]
    fn with_a_start_date_the_crossing_names_the_date_and_the_day() {
        let mut run = TestRun::tutorial(4);
        let days = run.sum.layout.days;
        run.sum.p_dry_by = (0..days).map(|k| if k >= 2 { 1.0 } else { 0.0 }).collect();
        let d = DryData::new(&run.ctx(), Lang::En);
        // The tutorial starts on 1 Sep 2025: day 2 is 3 Sep.
        assert_eq!(d.crossings[0].day, Some(2));
        assert_eq!(d.crossings[1].day, Some(2));
        assert_eq!(d.crossings[0].text, "dry: 50 % by 3 Sep 2025 (day 2)");
    }
}
