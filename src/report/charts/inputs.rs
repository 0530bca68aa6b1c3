//! The stock fan of a run with uncertain inputs, with and without input uncertainty side
//! by side on one scale (`stock-inputs.png`); with `--inputs FILE`, before and after
//! calibration (`stock-calibrated.png`).

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, Header, INK, Res, SKY, TimeAxis, VAlign, VERMILLION,
    frame, header, nice_top, notes, size, value_ticks, x_axis, x_axis_height, y_axis, y_axis_width,
};
use super::kit::{at_times, fan, fan_legend};
use crate::ensemble::{Summary, index_day};
use crate::report::inputs::InputsInfo;
use crate::report::lang::fill;
use crate::report::measures::{day_text_in, pct_mc_in};
use crate::report::{Lang, Msg};
use crate::scenario::Scenario;

/// Days of supply of depot `depot` at times 0..=days: five percentiles per time (litres
/// when the depot has no demand), and whether they are days.
pub(crate) fn supply_days(s: &Scenario, sum: &Summary, depot: usize) -> (Vec<[f64; 5]>, bool) {
    let id = sum.layout.depots[depot];
    let init = s.depot(id).map_or(0.0, |d| d.initial_stock_litres);
    let litres = at_times(init, &sum.stock_pct[depot]);
    let demand = &sum.depot_demand[depot];
    let dem: Vec<f64> = (0..litres.len())
        .map(|j| demand.get(j.saturating_sub(1)).copied().unwrap_or(0.0))
        .collect();
    if dem.iter().all(|d| *d <= 0.0) {
        return (litres.iter().map(|p| p.map(|v| v / 1e6)).collect(), false);
    }
    let v = litres
        .iter()
        .zip(&dem)
        .map(|(p, d)| p.map(|v| if *d > 0.0 { v / d } else { 0.0 }))
        .collect();
    (v, true)
}

/// The fan with and without input uncertainty of the first depot; with `calibrated`, the
/// fan before calibration (inputs drawn from their ranges) and on the calibrated points.
pub(crate) struct InputsFanChart<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The run with input uncertainty.
    pub sum: &'a Summary,
    /// The inputs and the run at their medians.
    pub inputs: &'a InputsInfo,
    /// Run facts for the subtitle.
    pub facts: String,
    /// Prior against calibrated (`stock-calibrated.png`) rather than with against without
    /// input uncertainty (`stock-inputs.png`).
    pub calibrated: bool,
}

/// One panel of the inputs fan: its title, colour and the fan it shows.
#[derive(Debug, Clone)]
pub(crate) struct FanPane {
    /// "With input uncertainty", in the chart's language.
    pub title: String,
    /// The fan's colour.
    pub color: RGBColor,
    /// Days of supply (or million litres) at times 0..=days, five percentiles each.
    pub fan: Vec<[f64; 5]>,
}

/// What the inputs fan says, computed before any drawing: the two panels, their shared
/// scale, the rationing trigger and the words.
#[derive(Debug, Clone)]
pub(crate) struct InputsFanData {
    /// Title, subtitle and legend.
    pub header: Header,
    /// The note: P(dry by the index day) in each panel.
    pub note: String,
    /// Left, then right.
    pub panes: [FanPane; 2],
    /// The y axis title: "days of supply", or "million litres" for a depot without demand.
    pub unit: String,
    /// The rationing trigger, days of supply, when the fans are in days.
    pub trigger: Option<f64>,
    /// Top of the shared y axis.
    pub y1: f64,
    /// The horizon on the x axis, days (at least 1).
    pub days: f64,
}

impl InputsFanData {
    /// The data of `chart`, in words of `l`.
    pub(crate) fn new(chart: &InputsFanChart, l: Lang) -> InputsFanData {
        let s = chart.s;
        // Left and right panels: (summary, title, colour).
        let (pane_a, pane_b) = match (&chart.inputs.prior, chart.calibrated) {
            (Some(prior), true) => (
                (prior, l.t(Msg::InFanPanePrior), SKY),
                (chart.sum, l.t(Msg::InFanPaneCalibrated), BLUE),
            ),
            _ => (
                (chart.sum, l.t(Msg::InFanPaneWith), BLUE),
                (&chart.inputs.at_medians, l.t(Msg::InFanPaneMedians), SKY),
            ),
        };
        let (sum, at) = (pane_a.0, pane_b.0);
        let depot = 0;
        let name = s.node(sum.layout.depots[depot]).name.clone();
        let (with, is_days) = supply_days(s, sum, depot);
        let (without, _) = supply_days(s, at, depot);
        let trigger = s
            .depot(sum.layout.depots[depot])
            .map(|d| d.rationing.trigger_days)
            .filter(|_| is_days);
        let legend = fan_legend(l, trigger);
        let (title, subtitle) = if chart.calibrated {
            (Msg::InFanCalTitle, Msg::InFanCalSubtitle)
        } else {
            (Msg::InFanTitle, Msg::InFanSubtitle)
        };
        let header = Header {
            title: fill(l.t(title), &[("scenario", &s.name), ("name", &name)]),
            subtitle: fill(l.t(subtitle), &[("facts", &chart.facts)]),
            legend,
        };
        let d = index_day(s.horizon_days);
        let note = fill(
            l.t(if chart.calibrated {
                Msg::InFanCalNote
            } else {
                Msg::InFanNote
            }),
            &[
                ("day", &day_text_in(l, s, f64::from(d))),
                ("with", &pct_mc_in(l, sum.p_dry_by_day(d), sum.replications)),
                (
                    "without",
                    &pct_mc_in(l, at.p_dry_by_day(d), at.replications),
                ),
            ],
        );
        let top_raw = with
            .iter()
            .chain(&without)
            .map(|p| p[4])
            .filter(|x| x.is_finite())
            .fold(trigger.unwrap_or(0.0) * 1.25, f64::max);
        InputsFanData {
            header,
            note,
            panes: [
                FanPane {
                    title: pane_a.1.to_string(),
                    color: pane_a.2,
                    fan: with,
                },
                FanPane {
                    title: pane_b.1.to_string(),
                    color: pane_b.2,
                    fan: without,
                },
            ],
            unit: l
                .t(if is_days {
                    Msg::ChDaysOfSupply
                } else {
                    Msg::UnitMillionLitres
                })
                .to_string(),
            trigger,
            y1: nice_top(top_raw.max(1e-9), 5),
            days: sum.layout.days.max(1) as f64,
        }
    }
}

impl Chart for InputsFanChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let st = cv.st;
        let m = cv.margin();
        let d = InputsFanData::new(self, st.lang);
        let y = header(cv, &d.header)?;
        let bottom = notes(cv, std::slice::from_ref(&d.note))? - x_axis_height(cv, true);
        let ticks = value_ticks(0.0, d.y1, 5, "");
        let left = m + y_axis_width(cv, &ticks);
        let gap = st.px(40.0);
        let panel_w = (st.w - m - left - gap) / 2;
        let time = TimeAxis {
            start: self.s.start_date,
            days: d.days,
            lang: st.lang,
        };
        let tf = Font::bold(size::AXIS, INK);
        let title_h = cv.cap(tf) + st.px(16.0);
        for (k, pane) in d.panes.iter().enumerate() {
            let l = left + k as i32 * (panel_w + gap);
            let ax = Axes {
                l,
                t: y + title_h,
                r: l + panel_w,
                b: bottom,
                x0: 0.0,
                x1: time.days,
                y0: 0.0,
                y1: d.y1,
            };
            cv.text(&pane.title, (l, y), tf, Align::Left, VAlign::Top)?;
            y_axis(cv, &ax, &ticks, if k == 0 { &d.unit } else { "" }, false)?;
            x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
            fan(cv, &ax, &pane.fan, pane.color)?;
            if let Some(t) = d.trigger {
                cv.dashed((ax.l, ax.y(t)), (ax.r, ax.y(t)), VERMILLION.to_rgba(), 3.0)?;
            }
            frame(cv, &ax)?;
            cv.line(
                vec![(ax.l, ax.y(0.0)), (ax.r, ax.y(0.0))],
                INK.to_rgba(),
                2.0,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::InputTable;
    use crate::report::charts::kit::TestRun;

    /// The run's summary with every stock percentile times `f`.
    fn scaled(sum: &Summary, f: f64) -> Summary {
        let mut out = sum.clone();
        for depot in &mut out.stock_pct {
            for p in depot.iter_mut() {
                *p = p.map(|v| v * f);
            }
        }
        out
    }

    fn info(at_medians: Summary, prior: Option<Summary>) -> InputsInfo {
        InputsInfo {
            table: InputTable {
                inputs: vec![],
                sources: vec![],
                file: None,
                values: vec![],
                points: vec![],
                medians: vec![],
                scenarios_built: 0,
            },
            importance: None,
            at_medians,
            prior,
        }
    }

    #[test]
    fn the_inputs_fan_puts_each_run_in_its_panel_on_one_scale() {
        let run = TestRun::tutorial(4);
        let (s, sum) = (&run.s, &run.sum);
        let inputs = info(scaled(sum, 0.5), Some(scaled(sum, 2.0)));
        let chart = |calibrated| InputsFanChart {
            s,
            sum,
            inputs: &inputs,
            facts: String::new(),
            calibrated,
        };
        // With against without input uncertainty: the run left, the medians right.
        let d = InputsFanData::new(&chart(false), Lang::En);
        assert_eq!(d.panes[0].title, "With input uncertainty");
        assert_eq!(d.panes[0].fan, supply_days(s, sum, 0).0);
        assert_eq!(d.panes[1].fan, supply_days(s, &inputs.at_medians, 0).0);
        // The tutorial's depot has demand: days of supply, its trigger of 5 days drawn.
        assert_eq!((d.unit.as_str(), d.trigger), ("days of supply", Some(5.0)));
        let top = d
            .panes
            .iter()
            .flat_map(|p| p.fan.iter().map(|q| q[4]))
            .fold(0.0, f64::max);
        assert!(d.y1 >= top && d.y1 >= 5.0 * 1.25, "{} {top}", d.y1);
        assert!(d.note.starts_with("P(dry by "), "{}", d.note);
        // Before against after calibration: the prior left, the run right.
        let c = InputsFanData::new(&chart(true), Lang::En);
        assert!(c.panes[0].title.starts_with("Before calibration"));
        assert_eq!(
            c.panes[0].fan,
            supply_days(s, inputs.prior.as_ref().expect("prior"), 0).0
        );
        assert_eq!(c.panes[1].fan, supply_days(s, sum, 0).0);
        assert!(c.header.title.contains("before and after calibration"));
        assert!(c.y1 > d.y1, "the prior's fan is twice as high");
    }
}
