//! The inputs of a run with uncertain inputs ranked by the share of the spread of the
//! headline measures each explains on its own (`input-importance.png`).

use plotters::prelude::*;

use super::draw::{
    Align, Axes, BLUE, Canvas, Chart, Font, GREY, Header, INK, Legend, MUTED, ORANGE, Res, Swatch,
    VAlign, VERMILLION, frame, header, notes, size, value_ticks, x_axis, x_axis_height,
};
use super::kit::path_name;
use crate::ensemble::Importance;
use crate::report::inputs::index_text;
use crate::report::inputs::measure_words;
use crate::report::{Lang, Msg, thousands};
use crate::scenario::Scenario;
use crate::tr;

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
    /// The data of `chart`, the inputs named in `l`.
    pub(crate) fn new(chart: &ImportanceChart, l: Lang) -> ImportanceData {
        let imp = chart.imp;
        let shown: Vec<usize> = (0..imp.measures.len())
            .filter(|j| imp.measures[*j].variance > 0.0)
            .collect();
        let legend = shown
            .iter()
            .map(|j| {
                Legend::new(
                    Swatch::Fill(MEASURE_COLORS[*j % 3], 0.85),
                    measure_words(&imp.measures[*j].key, l),
                )
            })
            .chain([Legend::new(Swatch::ErrorBar(INK), l.t(Msg::InChErrors))])
            .collect();
        let header = Header {
            title: tr!(l, InChTitle, name = chart.s.name),
            subtitle: tr!(l, InChSubtitle, facts = chart.facts),
            legend,
        };
        let mut notes = vec![tr!(
            l,
            InChNoteMethod,
            runs = l.digits(&thousands(imp.replications as f64)),
            bins = imp.bins,
            resamples = imp.resamples,
            by = imp
                .rank_by
                .map_or(l.t(Msg::InChInputOrder).to_string(), |j| {
                    measure_words(&imp.measures[j].key, l)
                })
        )];
        let silent: Vec<String> = imp
            .measures
            .iter()
            .filter(|me| me.variance <= 0.0)
            .map(|me| measure_words(&me.key, l))
            .collect();
        if !silent.is_empty() {
            notes.push(tr!(l, InChNoSpread, measures = silent.join(", ")));
        }
        if imp.rows.len() > MAX_ROWS {
            notes.push(tr!(l, InChMore, n = imp.rows.len() - MAX_ROWS));
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
                                text: l.digits(&index_text(Some(f))),
                            }
                        })
                    })
                    .collect();
                (path_name(chart.s, &r.path, l).label, bars)
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
        let d = ImportanceData::new(self, cv.st.lang);
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
        x_axis(cv, &ax, &ticks, Some(st.lang.t(Msg::InChAxis)), true)?;
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
    use crate::ensemble::{FirstOrder, IndexMeasure, InputIndex};
    use crate::report::charts::kit::TestRun;

    #[test]
    fn the_importance_bars_show_the_measures_with_spread_and_clip_their_errors() {
        let run = TestRun::tutorial(4);
        let measure = |key: &str, variance| IndexMeasure {
            key: key.into(),
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
        let d = ImportanceData::new(&chart, Lang::En);
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
