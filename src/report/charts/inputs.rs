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

impl Chart for InputsFanChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let s = self.s;
        // Left and right panels: (summary, title, colour).
        let (pane_a, pane_b) = match (&self.inputs.prior, self.calibrated) {
            (Some(prior), true) => (
                (
                    prior,
                    "Before calibration: inputs drawn from their ranges",
                    SKY,
                ),
                (
                    self.sum,
                    "Calibrated: inputs from the retained points",
                    BLUE,
                ),
            ),
            _ => (
                (self.sum, "With input uncertainty", BLUE),
                (&self.inputs.at_medians, "Inputs at their medians", SKY),
            ),
        };
        let (sum, at) = (pane_a.0, pane_b.0);
        let st = cv.st;
        let m = cv.margin();
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
        let h = if self.calibrated {
            Header {
                title: format!("{} — before and after calibration, stock at {name}", s.name),
                subtitle: format!(
                    "Left: each run draws its inputs from their ranges. Right: each run takes a point retained by calibration, same runs otherwise. {}",
                    self.facts
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
                    self.facts
                ),
                legend,
            }
        };
        let y = header(cv, &h)?;
        let d = index_day(s.horizon_days);
        let (a_words, b_words) = if self.calibrated {
            ("before calibration", "on the calibrated inputs")
        } else {
            ("with input uncertainty", "with inputs at their medians")
        };
        let note = vec![format!(
            "P(dry by {}): {} {a_words}, {} {b_words}.",
            day_text(s, f64::from(d)),
            pct_mc(sum.p_dry_by_day(d), sum.replications),
            pct_mc(at.p_dry_by_day(d), at.replications)
        )];
        let bottom = notes(cv, &note)? - x_axis_height(cv, true);
        let top_raw = with
            .iter()
            .chain(&without)
            .map(|p| p[4])
            .filter(|x| x.is_finite())
            .fold(trigger.unwrap_or(0.0) * 1.25, f64::max);
        let y_top = nice_top(top_raw.max(1e-9), 5);
        let ticks = value_ticks(0.0, y_top, 5, "");
        let left = m + y_axis_width(cv, &ticks);
        let gap = st.px(40.0);
        let panel_w = (st.w - m - left - gap) / 2;
        let time = TimeAxis {
            start: s.start_date,
            days: sum.layout.days.max(1) as f64,
            lang: st.lang,
        };
        let tf = Font::bold(size::AXIS, INK);
        let title_h = cv.cap(tf) + st.px(16.0);
        for (k, (v, title, color)) in [(&with, pane_a.1, pane_a.2), (&without, pane_b.1, pane_b.2)]
            .into_iter()
            .enumerate()
        {
            let l = left + k as i32 * (panel_w + gap);
            let ax = Axes {
                l,
                t: y + title_h,
                r: l + panel_w,
                b: bottom,
                x0: 0.0,
                x1: time.days,
                y0: 0.0,
                y1: y_top,
            };
            cv.text(title, (l, y), tf, Align::Left, VAlign::Top)?;
            let unit = if is_days {
                "days of supply"
            } else {
                "million litres"
            };
            y_axis(cv, &ax, &ticks, if k == 0 { unit } else { "" }, false)?;
            x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
            fan(cv, &ax, v, color)?;
            if let Some(t) = trigger {
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

impl Chart for ImportanceChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let imp = self.imp;
        let st = cv.st;
        let m = cv.margin();
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
        let h = Header {
            title: format!(
                "{} — which uncertain input explains the spread",
                self.s.name
            ),
            subtitle: format!(
                "Share of the spread across runs each input explains on its own (0 = none, 1 = all) · {}",
                self.facts
            ),
            legend,
        };
        let y = header(cv, &h)?;
        let mut note = vec![format!(
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
            note.push(format!(
                "No spread, no index: {} (the same in every run).",
                silent.join(", ")
            ));
        }
        let rows_shown = &imp.rows[..imp.rows.len().min(MAX_ROWS)];
        if imp.rows.len() > MAX_ROWS {
            note.push(format!(
                "{} more inputs, each explaining less than those shown on the ranking measure: input-importance.csv and the report's table.",
                imp.rows.len() - MAX_ROWS
            ));
        }
        let bottom = notes(cv, &note)? - x_axis_height(cv, true);
        let lf = Font::new(size::LABEL, INK);
        // Named as a planner reads them (an event by its label, a road by its name), as in
        // the study charts; the CSV and the report's table give the `--set` paths.
        let names: Vec<String> = rows_shown
            .iter()
            .map(|r| path_name(self.s, &r.path).label)
            .collect();
        let label_w = names
            .iter()
            .map(|n| cv.width(n, lf))
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
        let rows = rows_shown.len().max(1);
        let row_h = f64::from(ax.b - ax.t) / rows as f64;
        let nb = shown.len().max(1);
        let bar_h = ((row_h * 0.8) / nb as f64).min(f64::from(st.px(44.0)));
        let labelled = bar_h >= f64::from(cv.cap(lf) + st.px(6.0));
        for (i, row) in rows_shown.iter().enumerate() {
            let top = ax.t as f64 + i as f64 * row_h + (row_h - bar_h * nb as f64) / 2.0;
            let mid = (ax.t as f64 + (i as f64 + 0.5) * row_h) as i32;
            let label = cv.fit(&names[i], lf, label_w);
            cv.text(
                &label,
                (ax.l - st.px(12.0), mid),
                lf,
                Align::Right,
                VAlign::Middle,
            )?;
            for (k, j) in shown.iter().enumerate() {
                let y0 = (top + k as f64 * bar_h) as i32;
                let y1 = (top + (k + 1) as f64 * bar_h) as i32 - st.px(3.0);
                let yc = (y0 + y1) / 2;
                match &row.indices[*j] {
                    Some(f) => {
                        let (v, se) = crate::report::index_rounded(f);
                        cv.rect(
                            (ax.x(0.0), y0),
                            (ax.x(v).max(ax.x(0.0) + 1), y1),
                            MEASURE_COLORS[*j % 3].mix(0.85),
                            true,
                        )?;
                        if se.is_finite() && se > 0.0 {
                            let lo = (f.value - 2.0 * f.se).max(0.0);
                            let hi = (f.value + 2.0 * f.se).min(1.0);
                            cv.error_bar_h(yc, ax.x(lo), ax.x(hi), INK)?;
                        }
                        if labelled {
                            let t = index_text(Some(f));
                            let x = ax.x((f.value + 2.0 * f.se.max(0.0)).min(1.0)) + st.px(16.0);
                            cv.text(
                                &t,
                                (x, yc),
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
