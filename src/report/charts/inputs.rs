//! The charts of a run with uncertain inputs: the stock fan with and without input
//! uncertainty side by side on one scale (`stock-inputs.png`), and the inputs ranked by
//! the share of the spread of the headline measures each explains
//! (`input-importance.png`).

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, ORANGE, Res, SKY,
    Swatch, TimeAxis, VAlign, VERMILLION, frame, header, nice_top, notes, size, value_ticks,
    x_axis, x_axis_height, y_axis, y_axis_width,
};
use super::kit::{INNER, OUTER, at_times, fan, path_name};
use crate::ensemble::{Importance, Summary, index_day};
use crate::report::inputs::{InputsInfo, index_text};
use crate::report::measures::{day_text, pct_mc};
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
    /// "With input uncertainty".
    pub title: &'static str,
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
    pub unit: &'static str,
    /// The rationing trigger, days of supply, when the fans are in days.
    pub trigger: Option<f64>,
    /// Top of the shared y axis.
    pub y1: f64,
    /// The horizon on the x axis, days (at least 1).
    pub days: f64,
}

impl InputsFanData {
    /// The data of `chart`.
    pub(crate) fn new(chart: &InputsFanChart) -> InputsFanData {
        let s = chart.s;
        // Left and right panels: (summary, title, colour).
        let (pane_a, pane_b) = match (&chart.inputs.prior, chart.calibrated) {
            (Some(prior), true) => (
                (
                    prior,
                    "Before calibration: inputs drawn from their ranges",
                    SKY,
                ),
                (
                    chart.sum,
                    "Calibrated: inputs from the retained points",
                    BLUE,
                ),
            ),
            _ => (
                (chart.sum, "With input uncertainty", BLUE),
                (&chart.inputs.at_medians, "Inputs at their medians", SKY),
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
        let mut legend = vec![
            Legend::new(Swatch::Fill(BLUE, OUTER), "P5–P95 (90 % of runs)"),
            Legend::new(Swatch::Fill(BLUE, OUTER + INNER * (1.0 - OUTER)), "P25–P75"),
            Legend::new(Swatch::Line(BLUE, 3.5, false), "median"),
        ];
        if trigger.is_some() {
            legend.push(Legend::new(
                Swatch::Line(VERMILLION, 3.0, true),
                "rationing trigger",
            ));
        }
        let header = if chart.calibrated {
            Header {
                title: format!("{} — before and after calibration, stock at {name}", s.name),
                subtitle: format!(
                    "Left: each run draws its inputs from their ranges. Right: each run takes a point retained by calibration, same runs otherwise. {}",
                    chart.facts
                ),
                legend,
            }
        } else {
            Header {
                title: format!(
                    "{} — what the uncertain inputs add, stock at {name}",
                    s.name
                ),
                subtitle: format!(
                    "Left: each run draws its own inputs. Right: every input at its median, same runs otherwise. {}",
                    chart.facts
                ),
                legend,
            }
        };
        let d = index_day(s.horizon_days);
        let (a_words, b_words) = if chart.calibrated {
            ("before calibration", "on the calibrated inputs")
        } else {
            ("with input uncertainty", "with inputs at their medians")
        };
        let note = format!(
            "P(dry by {}): {} {a_words}, {} {b_words}.",
            day_text(s, f64::from(d)),
            pct_mc(sum.p_dry_by_day(d), sum.replications),
            pct_mc(at.p_dry_by_day(d), at.replications)
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
                    title: pane_a.1,
                    color: pane_a.2,
                    fan: with,
                },
                FanPane {
                    title: pane_b.1,
                    color: pane_b.2,
                    fan: without,
                },
            ],
            unit: if is_days {
                "days of supply"
            } else {
                "million litres"
            },
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
        let d = InputsFanData::new(self);
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
            cv.text(pane.title, (l, y), tf, Align::Left, VAlign::Top)?;
            y_axis(cv, &ax, &ticks, if k == 0 { d.unit } else { "" }, false)?;
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

/// The inputs ranked by first-order index, one bar per measure with spread.
pub(crate) struct ImportanceChart<'a> {
    /// The scenario.
    pub s: &'a Scenario,
    /// The ranking.
    pub imp: &'a Importance,
    /// Run facts for the subtitle.
    pub facts: String,
}

/// Most inputs drawn; the others are in the CSV and the report's table.
const MAX_ROWS: usize = 10;

/// Colours of the measures' bars.
const MEASURE_COLORS: [RGBColor; 3] = [VERMILLION, BLUE, ORANGE];

/// One measure's bar of an input in the importance chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexBar {
    /// The index as quoted (rounded to its error), the bar's length.
    pub value: f64,
    /// The ±2 Monte Carlo error bar, clipped to [0, 1], if the error is known and not 0.
    pub error: Option<(f64, f64)>,
    /// Where the value's text starts: the bar's end plus two errors, at most 1.
    pub text_at: f64,
    /// "0.42 ± 0.05".
    pub text: String,
}

/// What the importance chart says, computed before any drawing: the measures with
/// spread, the inputs shown (most influential first) and their bars, the words.
#[derive(Debug, Clone)]
pub(crate) struct ImportanceData {
    /// Title, subtitle and legend (one entry per measure with spread, then the error bar).
    pub header: Header,
    /// The notes under the chart: the estimator, measures without spread, inputs left out.
    pub notes: Vec<String>,
    /// Indices (into `Importance::measures`) of the measures with spread, one bar each.
    pub shown: Vec<usize>,
    /// The inputs shown, at most [`MAX_ROWS`]: the name a planner reads, and per measure
    /// in `shown` its bar (`None`: no index, a dash).
    pub rows: Vec<(String, Vec<Option<IndexBar>>)>,
}

impl ImportanceData {
    /// The data of `chart`.
    pub(crate) fn new(chart: &ImportanceChart) -> ImportanceData {
        let imp = chart.imp;
        let shown: Vec<usize> = (0..imp.measures.len())
            .filter(|j| imp.measures[*j].variance > 0.0)
            .collect();
        let legend = shown
            .iter()
            .map(|j| {
                Legend::new(
                    Swatch::Fill(MEASURE_COLORS[*j % 3], 0.85),
                    imp.measures[*j].label.clone(),
                )
            })
            .chain([Legend::new(Swatch::ErrorBar(INK), "±2 Monte Carlo errors")])
            .collect();
        let header = Header {
            title: format!(
                "{} — which uncertain input explains the spread",
                chart.s.name
            ),
            subtitle: format!(
                "Share of the spread across runs each input explains on its own (0 = none, 1 = all) · {}",
                chart.facts
            ),
            legend,
        };
        let mut notes = vec![format!(
            "Given-data estimator over {} runs, up to {} bins per input, errors from {} bootstrap resamples. Ranked by {}.",
            imp.replications,
            imp.bins,
            imp.resamples,
            imp.rank_by
                .map_or("input order (no measure has spread)".to_string(), |j| imp
                    .measures[j]
                    .label
                    .clone())
        )];
        let silent: Vec<&str> = imp
            .measures
            .iter()
            .filter(|me| me.variance <= 0.0)
            .map(|me| me.label.as_str())
            .collect();
        if !silent.is_empty() {
            notes.push(format!(
                "No spread, no index: {} (the same in every run).",
                silent.join(", ")
            ));
        }
        if imp.rows.len() > MAX_ROWS {
            notes.push(format!(
                "{} more inputs, each explaining less than those shown on the ranking measure: input-importance.csv and the report's table.",
                imp.rows.len() - MAX_ROWS
            ));
        }
        // Named as a planner reads them (an event by its label, a road by its name), as in
        // the study charts; the CSV and the report's table give the `--set` paths.
        let rows = imp.rows[..imp.rows.len().min(MAX_ROWS)]
            .iter()
            .map(|r| {
                let bars = shown
                    .iter()
                    .map(|j| {
                        r.indices[*j].as_ref().map(|f| {
                            let (v, se) = crate::report::index_rounded(f);
                            IndexBar {
                                value: v,
                                error: (se.is_finite() && se > 0.0).then(|| {
                                    (
                                        (f.value - 2.0 * f.se).max(0.0),
                                        (f.value + 2.0 * f.se).min(1.0),
                                    )
                                }),
                                text_at: (f.value + 2.0 * f.se.max(0.0)).min(1.0),
                                text: index_text(Some(f)),
                            }
                        })
                    })
                    .collect();
                (path_name(chart.s, &r.path).label, bars)
            })
            .collect();
        ImportanceData {
            header,
            notes,
            shown,
            rows,
        }
    }
}

impl Chart for ImportanceChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let st = cv.st;
        let m = cv.margin();
        let d = ImportanceData::new(self);
        let y = header(cv, &d.header)?;
        let bottom = notes(cv, &d.notes)? - x_axis_height(cv, true);
        let lf = Font::new(size::LABEL, INK);
        let label_w = d
            .rows
            .iter()
            .map(|(n, _)| cv.width(n, lf))
            .max()
            .unwrap_or(0)
            .min(st.w / 3);
        let value_w = cv.width("0.000 ± 0.000", lf) + st.px(12.0);
        let ax = Axes {
            l: m + label_w + st.px(16.0),
            t: y,
            r: st.w - m - value_w,
            b: bottom,
            x0: 0.0,
            x1: 1.0,
            y0: 0.0,
            y1: 1.0,
        };
        let ticks = value_ticks(0.0, 1.0, 5, "");
        x_axis(
            cv,
            &ax,
            &ticks,
            Some("first-order index (share of the spread across runs)"),
            true,
        )?;
        let rows = d.rows.len().max(1);
        let row_h = f64::from(ax.b - ax.t) / rows as f64;
        let nb = d.shown.len().max(1);
        let bar_h = ((row_h * 0.8) / nb as f64).min(f64::from(st.px(44.0)));
        let labelled = bar_h >= f64::from(cv.cap(lf) + st.px(6.0));
        for (i, (name, bars)) in d.rows.iter().enumerate() {
            let top = ax.t as f64 + i as f64 * row_h + (row_h - bar_h * nb as f64) / 2.0;
            let mid = (ax.t as f64 + (i as f64 + 0.5) * row_h) as i32;
            let label = cv.fit(name, lf, label_w);
            cv.text(
                &label,
                (ax.l - st.px(12.0), mid),
                lf,
                Align::Right,
                VAlign::Middle,
            )?;
            for (k, (j, bar)) in d.shown.iter().zip(bars).enumerate() {
                let y0 = (top + k as f64 * bar_h) as i32;
                let y1 = (top + (k + 1) as f64 * bar_h) as i32 - st.px(3.0);
                let yc = (y0 + y1) / 2;
                match bar {
                    Some(b) => {
                        cv.rect(
                            (ax.x(0.0), y0),
                            (ax.x(b.value).max(ax.x(0.0) + 1), y1),
                            MEASURE_COLORS[*j % 3].mix(0.85),
                            true,
                        )?;
                        if let Some((lo, hi)) = b.error {
                            cv.error_bar_h(yc, ax.x(lo), ax.x(hi), INK)?;
                        }
                        if labelled {
                            cv.text(
                                &b.text,
                                (ax.x(b.text_at) + st.px(16.0), yc),
                                Font::new(size::LABEL, MUTED),
                                Align::Left,
                                VAlign::Middle,
                            )?;
                        }
                    }
                    None if labelled => {
                        cv.text(
                            "—",
                            (ax.x(0.0) + st.px(6.0), yc),
                            Font::new(size::LABEL, GREY),
                            Align::Left,
                            VAlign::Middle,
                        )?;
                    }
                    None => {}
                }
            }
        }
        frame(cv, &ax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::{FirstOrder, IndexMeasure, InputIndex, InputTable};
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
        let d = InputsFanData::new(&chart(false));
        assert_eq!(d.panes[0].title, "With input uncertainty");
        assert_eq!(d.panes[0].fan, supply_days(s, sum, 0).0);
        assert_eq!(d.panes[1].fan, supply_days(s, &inputs.at_medians, 0).0);
        // The tutorial's depot has demand: days of supply, its trigger of 5 days drawn.
        assert_eq!((d.unit, d.trigger), ("days of supply", Some(5.0)));
        let top = d
            .panes
            .iter()
            .flat_map(|p| p.fan.iter().map(|q| q[4]))
            .fold(0.0, f64::max);
        assert!(d.y1 >= top && d.y1 >= 5.0 * 1.25, "{} {top}", d.y1);
        assert!(d.note.starts_with("P(dry by "), "{}", d.note);
        // Before against after calibration: the prior left, the run right.
        let c = InputsFanData::new(&chart(true));
        assert!(c.panes[0].title.starts_with("Before calibration"));
        assert_eq!(
            c.panes[0].fan,
            supply_days(s, inputs.prior.as_ref().expect("prior"), 0).0
        );
        assert_eq!(c.panes[1].fan, supply_days(s, sum, 0).0);
        assert!(c.header.title.contains("before and after calibration"));
        assert!(c.y1 > d.y1, "the prior's fan is twice as high");
    }

    #[test]
    fn the_importance_bars_show_the_measures_with_spread_and_clip_their_errors() {
        let run = TestRun::tutorial(4);
        let measure = |label: &str, variance| IndexMeasure {
            key: label.into(),
            label: label.into(),
            variance,
        };
        let fo = |value, se| Some(FirstOrder { value, se });
        let rows = (0..12)
            .map(|i| InputIndex {
                input: i,
                path: "fleet.trucks".into(),
                indices: if i == 0 {
                    vec![fo(0.9, 0.1), None, fo(0.02, 0.0)]
                } else {
                    vec![fo(0.1, 0.01), None, None]
                },
            })
            .collect();
        let imp = Importance {
            measures: vec![measure("A", 1.0), measure("B", 0.0), measure("C", 2.0)],
            rows,
            rank_by: Some(0),
            bins: 5,
            resamples: 100,
            replications: 40,
        };
        let chart = ImportanceChart {
            s: &run.s,
            imp: &imp,
            facts: String::new(),
        };
        let d = ImportanceData::new(&chart);
        // B has no spread: no bar, named in a note; two inputs left out, counted.
        assert_eq!(d.shown, [0, 2]);
        assert_eq!(d.header.legend.len(), 3);
        assert!(
            d.notes
                .iter()
                .any(|n| n.starts_with("No spread, no index: B ")),
            "{:?}",
            d.notes
        );
        assert!(
            d.notes.iter().any(|n| n.starts_with("2 more inputs")),
            "{:?}",
            d.notes
        );
        assert!(d.notes[0].ends_with("Ranked by A."), "{}", d.notes[0]);
        assert_eq!(d.rows.len(), MAX_ROWS);
        let (_, bars) = &d.rows[0];
        assert_eq!(bars.len(), 2);
        let a = bars[0].as_ref().expect("an index");
        assert_eq!(a.value, 0.9);
        // 0.9 ± 2 × 0.1 is cut at 1; so is where its text starts.
        assert_eq!(a.error, Some((0.7, 1.0)));
        assert_eq!(a.text_at, 1.0);
        assert_eq!(a.text, "0.9 ± 0.1");
        // An error of 0: no error bar.
        assert_eq!(bars[1].as_ref().expect("an index").error, None);
        // No index on a measure shown: a dash, not a bar.
        assert_eq!(d.rows[1].1[1], None);
    }
}
