//! The charts of `blockade compare`: the stock of the first depot of each scenario
//! overlaid (median and P25–P75), and the chance of a dry day by date, one curve each.

use plotters::prelude::*;

use super::draw::{
    Align, Axes, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, Res, Swatch, TimeAxis,
    VAlign, VERMILLION, frame, header, nice_top, notes, size, value_ticks, x_axis, x_axis_height,
    y_axis, y_axis_width,
};
use super::kit::{LINES, at_times, pct_band, pct_line, runs_in, sig3, step_line, volume_unit};
use crate::ensemble::Summary;
use crate::report::{Lang, Msg};
use crate::scenario::Scenario;
use crate::tr;

/// Opacity of each scenario's P25–P75 band.
const BAND: f64 = 0.18;

/// Width of scenario `i`'s line of `n`: earlier lines wider, so that a scenario drawn
/// over another (identical results) leaves it showing at the edges.
fn line_width(i: usize, n: usize) -> f64 {
    3.5 + 2.5 * (n.saturating_sub(1 + i).min(3) as f64)
}

/// What both compare charts share.
pub(crate) struct Compared<'a> {
    /// The scenarios, first is the reference.
    pub scenarios: &'a [Scenario],
    /// Their ensembles, same seed and replications.
    pub sums: &'a [Summary],
    /// Overrides and other facts for the subtitle.
    pub facts: &'a str,
    /// The language of the charts' words, numbers and dates.
    pub lang: Lang,
}

impl Compared<'_> {
    /// Names for the legend, made unique ("tutorial", "tutorial (2)").
    fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.scenarios {
            let mut n = s.name.clone();
            let mut k = 2;
            while out.contains(&n) {
                n = format!("{} ({k})", s.name);
                k += 1;
            }
            out.push(n);
        }
        out
    }

    /// The time axis: dates when every scenario starts on the same date.
    fn time(&self) -> TimeAxis {
        let start = self.scenarios.first().and_then(|s| s.start_date);
        let same = self.scenarios.iter().all(|s| s.start_date == start);
        let days = self
            .sums
            .iter()
            .map(|m| m.layout.days)
            .max()
            .unwrap_or(1)
            .max(1);
        TimeAxis {
            start: if same { start } else { None },
            days: days as f64,
            lang: self.lang,
        }
    }

    /// "300 runs each · seed 7 · same seeds in every scenario (common random numbers)".
    fn facts_line(&self) -> String {
        let reps = self.sums.first().map_or(0, |m| m.replications);
        let seed = self.sums.first().map_or(0, |m| m.seed);
        let mut out = tr!(
            self.lang,
            CmpFacts,
            runs = runs_in(self.lang, reps),
            seed = seed
        );
        if !self.facts.is_empty() {
            out.push_str(" · ");
            out.push_str(self.facts);
        }
        out
    }

    /// A note when the start dates differ (the axis then counts days).
    fn date_note(&self) -> Option<String> {
        let start = self.scenarios.first().and_then(|s| s.start_date);
        (!self.scenarios.iter().all(|s| s.start_date == start)).then(|| tr!(self.lang, CmpDateNote))
    }

    /// Pairs of scenarios whose curves are the same (drawn on top of each other).
    fn identical(&self, curves: &[Vec<f64>]) -> Vec<String> {
        let names = self.names();
        let mut out = Vec::new();
        for i in 0..curves.len() {
            for j in (i + 1)..curves.len() {
                if curves[i] == curves[j] {
                    out.push(tr!(self.lang, CmpAnd, a = names[i], b = names[j]));
                }
            }
        }
        out
    }
}

/// The stock of each scenario's first depot: median and P25–P75.
pub(crate) struct CompareStockChart<'a> {
    /// The comparison.
    pub c: &'a Compared<'a>,
}

/// What the compare stock chart says, computed before any drawing.
#[derive(Debug, Clone)]
pub(crate) struct CompareStockData {
    /// Per scenario, the first depot's stock at times 0..=days: P5, P25, P50, P75, P95,
    /// in days of supply or litres (empty for a scenario without a depot).
    pub values: Vec<Vec<[f64; 5]>>,
    /// Divisor of the values into the axis unit.
    pub div: f64,
    /// The axis unit: "days of supply" or a volume.
    pub unit: &'static str,
    /// The rationing trigger, drawn when every scenario shares it and stock is in days.
    pub trigger: Option<f64>,
    /// Title, subtitle and legend.
    pub header: Header,
    /// The notes under the chart.
    pub notes: Vec<String>,
    /// Top of the y axis (it starts at 0).
    pub y1: f64,
    /// The time axis.
    pub time: TimeAxis,
}

impl CompareStockData {
    /// The data of the comparison `c`.
    pub(crate) fn new(c: &Compared) -> CompareStockData {
        let l = c.lang;
        let names = c.names();
        let time = c.time();
        // Per scenario: depot name, percentiles at times 0..=days (litres), demand.
        struct Series {
            depot: String,
            litres: Vec<[f64; 5]>,
            demand: Vec<f64>,
            trigger: Option<f64>,
        }
        let series: Vec<Option<Series>> = c
            .scenarios
            .iter()
            .zip(c.sums)
            .map(|(s, sum)| {
                let id = *sum.layout.depots.first()?;
                let dep = s.depot(id);
                let init = dep.map_or(0.0, |d| d.initial_stock_litres);
                let litres = at_times(init, sum.stock_pct.first()?);
                let dem = sum.depot_demand.first()?;
                let days = sum.layout.days;
                let demand: Vec<f64> = (0..=days)
                    .map(|j| dem.get(j.saturating_sub(1)).copied().unwrap_or(0.0))
                    .collect();
                Some(Series {
                    depot: s.node(id).name.clone(),
                    litres,
                    demand,
                    trigger: dep.map(|d| d.rationing.trigger_days),
                })
            })
            .collect();
        // Days of supply, unless some depot has no demand on some day.
        let dos = series
            .iter()
            .flatten()
            .all(|x| x.demand.iter().all(|d| *d > 0.0));
        let values: Vec<Vec<[f64; 5]>> = series
            .iter()
            .map(|x| match x {
                Some(x) if dos => x
                    .litres
                    .iter()
                    .zip(&x.demand)
                    .map(|(p, d)| p.map(|v| v / d))
                    .collect(),
                Some(x) => x.litres.clone(),
                None => Vec::new(),
            })
            .collect();
        let top_raw = values
            .iter()
            .flatten()
            .map(|p| p[3])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let (div, unit) = if dos {
            (1.0, l.t(Msg::ChDaysOfSupply))
        } else {
            let (div, unit) = volume_unit(top_raw);
            (div, crate::report::lang::volume_unit_name(l, unit))
        };
        let depots: Vec<&str> = series.iter().flatten().map(|x| x.depot.as_str()).collect();
        let same_depot = depots.windows(2).all(|w| w[0] == w[1]);
        let where_ = match (same_depot, depots.first()) {
            (true, Some(d)) => tr!(l, CmpAtDepot, d = d),
            _ => tr!(l, CmpAtFirstDepot),
        };
        let triggers: Vec<f64> = series.iter().flatten().filter_map(|x| x.trigger).collect();
        let trigger = (dos && !triggers.is_empty() && triggers.windows(2).all(|w| w[0] == w[1]))
            .then(|| triggers[0]);
        let mut legend: Vec<Legend> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = if same_depot {
                    n.clone()
                } else {
                    format!(
                        "{n} ({})",
                        series[i]
                            .as_ref()
                            .map_or(l.t(Msg::CmpNoDepot), |x| &x.depot)
                    )
                };
                Legend::new(
                    Swatch::LineOnFill(LINES[i % LINES.len()], BAND * 1.5),
                    label,
                )
            })
            .collect();
        if let Some(t) = trigger {
            legend.push(Legend::new(
                Swatch::Line(VERMILLION, 3.0, true),
                tr!(
                    l,
                    ChTrigger,
                    days = if t == t.round() {
                        format!("{t:.0}")
                    } else {
                        l.digits(&sig3(t))
                    }
                ),
            ));
        }
        let header = Header {
            title: tr!(
                l,
                CmpStockTitle,
                names = names.join(" vs "),
                where_ = where_
            ),
            subtitle: tr!(
                l,
                CmpStockSubtitle,
                unit = unit,
                dos = if dos { l.t(Msg::CmpDosNote) } else { "" },
                facts = c.facts_line()
            ),
            legend,
        };
        let mut note_lines: Vec<String> = Vec::new();
        if dos {
            let dem: Vec<String> = names
                .iter()
                .zip(&series)
                .filter_map(|(n, x)| {
                    x.as_ref()
                        .and_then(|x| x.demand.get(1))
                        .map(|d| tr!(l, CmpDemandItem, n = n, x = l.digits(&sig3(d / 1e6))))
                })
                .collect();
            note_lines.push(tr!(l, CmpDemandNote, list = dem.join(", ")));
        }
        let medians: Vec<Vec<f64>> = values
            .iter()
            .map(|v| v.iter().map(|p| p[2]).collect())
            .collect();
        let same = c.identical(&medians);
        if !same.is_empty() {
            note_lines.push(tr!(l, CmpIdentical, list = same.join("; ")));
        }
        if let Some(n) = c.date_note() {
            note_lines.push(n);
        }
        let y1 = nice_top(top_raw.max(trigger.unwrap_or(0.0) * 1.25) * 1.04 / div, 5);
        CompareStockData {
            values,
            div,
            unit,
            trigger,
            header,
            notes: note_lines,
            y1,
            time,
        }
    }
}

impl Chart for CompareStockChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = CompareStockData::new(self.c);
        let (values, div, time) = (&d.values, d.div, &d.time);
        let st = cv.st;
        let m = cv.margin();
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, &d.notes)?;
        let y1 = d.y1;
        let yt = value_ticks(0.0, y1, 5, "");
        let ax = Axes {
            l: m + y_axis_width(cv, &yt),
            t: top + st.px(10.0),
            r: st.w - m,
            b: bottom - x_axis_height(cv, true),
            x0: 0.0,
            x1: time.days,
            y0: 0.0,
            y1,
        };
        y_axis(cv, &ax, &yt, d.unit, false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        for (i, v) in values.iter().enumerate() {
            let col = LINES[i % LINES.len()];
            cv.poly(pct_band(&ax, v, 1, 3, div), col.mix(BAND))?;
        }
        if let Some(t) = d.trigger {
            let y = ax.y(t);
            cv.dashed((ax.l, y), (ax.r, y), VERMILLION.to_rgba(), 3.0)?;
        }
        let n = values.len();
        for (i, v) in values.iter().enumerate() {
            let col = LINES[i % LINES.len()];
            cv.line(pct_line(&ax, v, 2, div), col.to_rgba(), line_width(i, n))?;
        }
        frame(cv, &ax)?;
        cv.line(
            vec![(ax.l, ax.y(0.0)), (ax.r, ax.y(0.0))],
            INK.to_rgba(),
            2.0,
        )
    }
}

/// The chance of a dry day by date, one curve per scenario.
pub(crate) struct CompareDryChart<'a> {
    /// The comparison.
    pub c: &'a Compared<'a>,
}

/// What the compare dry chart says, computed before any drawing.
#[derive(Debug, Clone)]
pub(crate) struct CompareDryData {
    /// Per scenario, the share of runs dry by each day, %.
    pub curves: Vec<Vec<f64>>,
    /// Title, subtitle and legend (each scenario's share at its end).
    pub header: Header,
    /// The notes under the chart.
    pub notes: Vec<String>,
    /// Top of the y axis, %: 100 when a curve comes near it.
    pub y1: f64,
    /// The reference levels drawn (50 % and 90 %, those under `y1`).
    pub levels: Vec<f64>,
    /// Some run of some scenario ran dry (else the chart says none did).
    pub any_dry: bool,
    /// The time axis.
    pub time: TimeAxis,
}

impl CompareDryData {
    /// The data of the comparison `c`.
    pub(crate) fn new(c: &Compared) -> CompareDryData {
        let l = c.lang;
        let names = c.names();
        let time = c.time();
        let curves: Vec<Vec<f64>> = c
            .sums
            .iter()
            .map(|s| s.p_dry_by.iter().map(|p| 100.0 * p).collect())
            .collect();
        let mut legend: Vec<Legend> = names
            .iter()
            .zip(&curves)
            .zip(c.scenarios)
            .enumerate()
            .map(|(i, ((n, v), s))| {
                let last = v.last().copied().unwrap_or(0.0);
                let end = v.len() as f64;
                let when = match (time.start, s.start_date) {
                    (Some(_), Some(_)) => time.label(end),
                    _ => tr!(l, DayN, d = format!("{end:.0}")),
                };
                Legend::new(
                    Swatch::Line(LINES[i % LINES.len()], 3.5, false),
                    tr!(
                        l,
                        CmpDryLegend,
                        n = n,
                        p = l.digits(&format!("{last:.1}")),
                        when = when
                    ),
                )
            })
            .collect();
        // The axis reaches 100 % only when a curve comes near it.
        let highest = curves.iter().flatten().copied().fold(0.0, f64::max);
        let y1 = if highest > 45.0 {
            100.0
        } else {
            nice_top((highest * 1.25).max(5.0), 5)
        };
        let levels: Vec<f64> = [50.0, 90.0].into_iter().filter(|l| *l <= y1).collect();
        if !levels.is_empty() {
            legend.push(Legend::new(
                Swatch::Line(GREY, 2.0, true),
                l.t(if levels.len() == 2 {
                    Msg::Cmp50And90
                } else {
                    Msg::Cmp50
                }),
            ));
        }
        let header = Header {
            title: tr!(l, CmpDryTitle, names = names.join(" vs ")),
            subtitle: tr!(l, CmpDrySubtitle, facts = c.facts_line()),
            legend,
        };
        let mut note_lines = Vec::new();
        let same = c.identical(&curves);
        if !same.is_empty() {
            note_lines.push(tr!(l, CmpIdentical, list = same.join("; ")));
        }
        if let Some(n) = c.date_note() {
            note_lines.push(n);
        }
        let any_dry = curves.iter().any(|v| v.iter().any(|p| *p > 0.0));
        CompareDryData {
            curves,
            header,
            notes: note_lines,
            y1,
            levels,
            any_dry,
            time,
        }
    }
}

impl Chart for CompareDryChart<'_> {
    fn draw<DB: DrawingBackend>(&self, cv: &Canvas<DB>) -> Res {
        let d = CompareDryData::new(self.c);
        let (curves, time, y1, any_dry) = (&d.curves, &d.time, d.y1, d.any_dry);
        let st = cv.st;
        let m = cv.margin();
        let top = header(cv, &d.header)?;
        let bottom = notes(cv, &d.notes)?;
        let yt = value_ticks(0.0, y1, 5, "");
        let ax = Axes {
            l: m + y_axis_width(cv, &yt),
            t: top + st.px(10.0),
            r: st.w - m,
            b: bottom - x_axis_height(cv, true),
            x0: 0.0,
            x1: time.days,
            y0: 0.0,
            y1,
        };
        y_axis(cv, &ax, &yt, st.lang.t(Msg::CmpDryAxis), false)?;
        x_axis(cv, &ax, &time.ticks(), Some(&time.title()), true)?;
        for level in &d.levels {
            let y = ax.y(*level);
            cv.dashed((ax.l, y), (ax.r, y), GREY.to_rgba(), 2.0)?;
        }
        // Later scenarios first, so the reference is drawn on top.
        for (i, v) in curves.iter().enumerate().rev() {
            cv.line(step_line(&ax, v), LINES[i % LINES.len()].to_rgba(), 3.5)?;
        }
        frame(cv, &ax)?;
        // The end value of each curve at its end, where they do not collide.
        let f = Font::bold(size::LABEL, INK);
        let mut used: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (i, v) in curves.iter().enumerate() {
            let Some(last) = v.last().copied().filter(|_| any_dry) else {
                continue;
            };
            let text = st.lang.percent(&format!("{last:.1}"));
            let w = cv.width(&text, f);
            let x = ax.x(v.len() as f64) - st.px(10.0);
            let above = ax.y(last) - st.px(10.0);
            let y = if above - cv.cap(f) < ax.t {
                ax.y(last) + st.px(10.0) + cv.cap(f)
            } else {
                above
            };
            let rect = (x - w, y - cv.cap(f), x, y);
            let pad = st.px(6.0);
            if used.iter().any(|u| {
                rect.0 < u.2 + pad && u.0 < rect.2 + pad && rect.1 < u.3 + pad && u.1 < rect.3 + pad
            }) {
                continue;
            }
            used.push(rect);
            cv.text(
                &text,
                (x, y),
                Font::bold(size::LABEL, LINES[i % LINES.len()]),
                Align::Right,
                VAlign::Baseline,
            )?;
        }
        if !any_dry {
            let f = Font::bold(size::AXIS, MUTED);
            cv.text(
                st.lang.t(Msg::CmpNoDry),
                ((ax.l + ax.r) / 2, (ax.t + ax.b) / 2),
                f,
                Align::Center,
                VAlign::Middle,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tutorial and a copy with twice the fleet, 4 runs each on the same seed.
    fn pair() -> (Vec<Scenario>, Vec<Summary>) {
        let a = crate::report::charts::kit::bundled_scenario("tutorial.ron");
        let mut b = a.clone();
        b.fleet.trucks *= 2;
        let opts = crate::ensemble::Options {
            replications: 4,
            seed: 7,
            threads: Some(1),
        };
        let run = |s: &Scenario| {
            let net = crate::network::Network::build(s);
            crate::ensemble::run(s, &net, &opts, &|_| {}).expect("ledger balances")
        };
        let sums = vec![run(&a), run(&a), run(&b)];
        (vec![a.clone(), a, b], sums)
    }

    #[test]
    fn the_compare_data_names_each_scenario_and_spots_identical_results() {
        let (scenarios, sums) = pair();
        let c = Compared {
            scenarios: &scenarios,
            sums: &sums,
            facts: "",
            lang: Lang::En,
        };
        let d = CompareStockData::new(&c);
        // The tutorial's depot has demand every day: stock in days of supply, one series
        // per scenario from day 0, the shared rationing trigger drawn, the axis above the
        // highest P75 and the trigger.
        assert_eq!(d.unit, "days of supply");
        assert_eq!(d.values.len(), 3);
        assert_eq!(d.values[0].len(), sums[0].layout.days + 1);
        let dep = scenarios[0]
            .depot(sums[0].layout.depots[0])
            .expect("a depot");
        assert_eq!(d.trigger, Some(dep.rationing.trigger_days));
        let p75 = d.values.iter().flatten().map(|p| p[3]).fold(0.0, f64::max);
        assert!(d.y1 >= p75 && d.y1 >= 1.25 * dep.rationing.trigger_days);
        // Same name twice: made unique; the first two ensembles are the same run.
        let name = &scenarios[0].name;
        assert_eq!(d.header.legend[0].label, *name);
        assert_eq!(d.header.legend[1].label, format!("{name} (2)"));
        assert!(
            d.notes.iter().any(|n| n
                == &format!(
                    "Identical results, drawn on top of each other: {name} and {name} (2)."
                )),
            "{:?}",
            d.notes
        );
        let d = CompareDryData::new(&c);
        assert_eq!(d.curves.len(), 3);
        assert_eq!(d.curves[0], d.curves[1]);
        for (v, sum) in d.curves.iter().zip(&sums) {
            assert_eq!(v.len(), sum.p_dry_by.len());
            let last = 100.0 * sum.p_dry_by.last().copied().unwrap_or(0.0);
            assert_eq!(v.last().copied().unwrap_or(0.0), last);
        }
        // Every curve fits under the axis; the reference levels drawn are under its top.
        let highest = d.curves.iter().flatten().copied().fold(0.0, f64::max);
        assert!(d.y1 >= highest);
        assert!(d.levels.iter().all(|l| *l <= d.y1));
        assert_eq!(d.any_dry, highest > 0.0);
        assert!(
            d.header.legend[2]
                .label
                .starts_with(&format!("{name} (3): "))
        );
    }
}
