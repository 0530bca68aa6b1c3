//! What a run with uncertain inputs adds to its outputs (docs/outputs.md, "Uncertain
//! inputs"): `inputs.csv` (each replication's values), `input-importance.csv` (the
//! first-order indices and their Monte Carlo errors), the `uncertain_inputs` object of
//! `summary.json`, the lines of the terminal headline and the report's section.
//!
//! Every index is quoted rounded to its Monte Carlo error ([`index_rounded`]) and the same
//! rounded number appears in the terminal, both CSVs, the JSON, the chart and the report.

use std::fmt::Write as _;

use serde::Serialize;

use super::measures::{day_text_in, error_step, litres_mc_in, pct_mc_in, round_to_error};
use super::{Lang, Msg, csv_text, csv_writer, num, thousands};
use crate::ensemble::{
    FirstOrder, Importance, InputSource, InputTable, Summary, dist_text, index_day, value_text,
};
use crate::scenario::Scenario;

/// The uncertain inputs of a run and what they did: the values, the ranking, and the
/// ensemble with every input at its median (same seed and replications).
#[derive(Debug, Clone)]
pub struct InputsInfo {
    /// Each replication's values.
    pub table: InputTable,
    /// The ranking by first-order index (`None` for fewer than 20 replications).
    pub importance: Option<Importance>,
    /// The ensemble without input uncertainty.
    pub at_medians: Summary,
    /// With `--inputs FILE`: the same runs with every input drawn from its range (the
    /// prior, before calibration), for `stock-calibrated.png`.
    pub prior: Option<Summary>,
}

/// An index and its Monte Carlo error as quoted: the error to one significant digit, the
/// index rounded to the error's decimal place. An error that could not be estimated
/// leaves the index at two decimals and the error `NaN`.
pub fn index_rounded(f: &FirstOrder) -> (f64, f64) {
    if f.se.is_finite() && f.se > 0.0 {
        let se = round_to_error(f.se, f.se);
        (round_to_error(f.value, se), se)
    } else if f.se == 0.0 {
        ((f.value * 100.0).round() / 100.0, 0.0)
    } else {
        ((f.value * 100.0).round() / 100.0, f64::NAN)
    }
}

/// Decimals of an index quoted with error `se`.
fn index_decimals(se: f64) -> usize {
    let step = error_step(se);
    if step > 0.0 && step < 1.0 {
        (-step.log10()).round() as usize
    } else {
        2
    }
}

/// "0.42 ± 0.05" (or "0.42" when the error is unknown); "—" for no index.
pub fn index_text(f: Option<&FirstOrder>) -> String {
    match f {
        None => "—".into(),
        Some(f) => {
            let (v, se) = index_rounded(f);
            let d = index_decimals(se);
            if se.is_finite() {
                format!("{v:.d$} ± {se:.d$}")
            } else {
                format!("{v:.d$}")
            }
        }
    }
}

/// Where an input's values came from, for tables: "drawn" or "calibrated" (data: the JSON
/// and CSV words).
pub fn source_text(s: InputSource) -> &'static str {
    match s {
        InputSource::Drawn => "drawn",
        InputSource::Calibrated(_) => "calibrated",
    }
}

/// [`source_text`] in words of `l`, for the report and the terminal.
pub fn source_words(s: InputSource, l: Lang) -> &'static str {
    l.t(match s {
        InputSource::Drawn => Msg::InSourceDrawn,
        InputSource::Calibrated(_) => Msg::InSourceCalibrated,
    })
}

/// A headline measure the index splits, by its key (`dry_by_day_90`, `unmet_total`,
/// `first_rationing_day`), in words of `l`; an unknown key as it is.
pub fn measure_words(key: &str, l: Lang) -> String {
    match key {
        "unmet_total" => l.t(Msg::InMeasureUnmetTotal).to_string(),
        "first_rationing_day" => l.t(Msg::InMeasureFirstRationing).to_string(),
        k => match k.strip_prefix("dry_by_day_") {
            Some(d) => crate::tr!(l, InMeasureDryBy, d = d),
            None => k.to_string(),
        },
    }
}

/// An input's median as a reader takes it in: whole numbers from 1,000 up with their
/// thousands grouped, others to four significant digits, in `l` ("24,211,103",
/// "0.4127"; "24 211 103", "0,4127"). Data files keep the full value.
pub fn median_text(x: f64, l: Lang) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x.abs() >= 1000.0 {
        return l.digits(&thousands(x.round()));
    }
    let t = if x == 0.0 {
        "0".to_string()
    } else {
        let d = (3 - x.abs().log10().floor() as i32).max(0) as usize;
        let t = format!("{x:.d$}");
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t
        }
    };
    l.digits(&t)
}

/// `inputs.csv`: one row per replication, its calibrated point (with `--inputs`) and the
/// value of every uncertain input, at full precision.
pub fn inputs_csv(t: &InputTable) -> String {
    let mut w = csv_writer();
    let mut head = vec!["replication".to_string()];
    if t.file.is_some() {
        head.push("calibrated_point".into());
    }
    head.extend(t.inputs.iter().map(|i| i.path.clone()));
    let _ = w.write_record(&head);
    for (r, v) in t.values.iter().enumerate() {
        let mut row = vec![r.to_string()];
        if t.file.is_some() {
            row.push(
                t.points
                    .get(r)
                    .copied()
                    .flatten()
                    .map(|p| (p + 1).to_string())
                    .unwrap_or_default(),
            );
        }
        row.extend(v.iter().map(|x| value_text(*x)));
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// `input-importance.csv`: per input (most influential first) and measure, the first-order
/// index and its Monte Carlo error, both rounded as quoted.
pub fn importance_csv(t: &InputTable, imp: &Importance) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "rank",
        "input",
        "distribution",
        "source",
        "measure",
        "first_order_index",
        "mc_error",
    ]);
    for (rank, row) in imp.rows.iter().enumerate() {
        let input = &t.inputs[row.input];
        for (m, f) in imp.measures.iter().zip(&row.indices) {
            let (v, se) = f.as_ref().map_or((f64::NAN, f64::NAN), index_rounded);
            let d = index_decimals(se);
            let _ = w.write_record([
                (rank + 1).to_string(),
                input.path.clone(),
                dist_text(&input.dist),
                source_text(t.sources[row.input]).to_string(),
                m.key.clone(),
                num(v, d),
                num(se, d),
            ]);
        }
    }
    csv_text(w)
}

/// The `uncertain_inputs` object of `summary.json`.
#[derive(Debug, Serialize)]
pub(crate) struct InputsJson {
    file: Option<String>,
    inputs: Vec<InputJson>,
    method: String,
    bins: Option<usize>,
    bootstrap_resamples: Option<usize>,
    with_input_uncertainty: Compared,
    inputs_at_medians: Compared,
}

#[derive(Debug, Serialize)]
struct InputJson {
    rank: Option<usize>,
    path: String,
    distribution: String,
    source: &'static str,
    median: f64,
    first_order: Vec<IndexJson>,
}

#[derive(Debug, Serialize)]
struct IndexJson {
    measure: String,
    index: Option<f64>,
    mc_error: Option<f64>,
}

/// The headline measures the index splits, for the two ensembles.
#[derive(Debug, Serialize)]
struct Compared {
    p_dry_by_day: f64,
    day: u32,
    unmet_total_mean_litres: f64,
    first_rationing_day_median: Option<f64>,
}

fn compared(s: &Scenario, sum: &Summary) -> Compared {
    let d = index_day(s.horizon_days);
    Compared {
        p_dry_by_day: (sum.p_dry_by_day(d) * 1e4).round() / 1e4,
        day: d,
        unmet_total_mean_litres: sum.mean_of(|r| r.unmet.iter().sum()).round(),
        first_rationing_day_median: sum.first_rationing_percentile(0.5),
    }
}

/// The method in one line, for JSON and CSV readers (English, as data).
pub fn method_text(imp: Option<&Importance>) -> String {
    method_text_in(imp, Lang::En)
}

/// The method in one line, in `l`, for the report.
pub fn method_text_in(imp: Option<&Importance>, l: Lang) -> String {
    match imp {
        Some(i) => crate::tr!(
            l,
            InMethod,
            bins = i.bins,
            runs = i.replications,
            resamples = i.resamples
        ),
        None => l.t(Msg::InMethodNone).to_string(),
    }
}

pub(crate) fn inputs_json(s: &Scenario, sum: &Summary, x: &InputsInfo) -> InputsJson {
    let t = &x.table;
    let imp = x.importance.as_ref();
    InputsJson {
        file: t.file.clone(),
        inputs: t
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let row = imp.and_then(|m| {
                    m.rows
                        .iter()
                        .position(|r| r.input == i)
                        .map(|k| (k, &m.rows[k]))
                });
                InputJson {
                    rank: row.map(|(k, _)| k + 1),
                    path: input.path.clone(),
                    distribution: dist_text(&input.dist),
                    source: source_text(t.sources[i]),
                    median: t.medians[i],
                    first_order: match (imp, row) {
                        (Some(m), Some((_, row))) => m
                            .measures
                            .iter()
                            .zip(&row.indices)
                            .map(|(me, f)| {
                                let r = f.as_ref().map(index_rounded);
                                IndexJson {
                                    measure: me.key.clone(),
                                    index: r.map(|r| r.0),
                                    mc_error: r.map(|r| r.1).filter(|e| e.is_finite()),
                                }
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                }
            })
            .collect(),
        method: method_text(imp),
        bins: imp.map(|i| i.bins),
        bootstrap_resamples: imp.map(|i| i.resamples),
        with_input_uncertainty: compared(s, sum),
        inputs_at_medians: compared(s, &x.at_medians),
    }
}

/// The inputs in ranking order (all inputs in table order when there is no ranking).
pub(crate) fn ranked(x: &InputsInfo) -> Vec<usize> {
    match &x.importance {
        Some(m) => m.rows.iter().map(|r| r.input).collect(),
        None => (0..x.table.inputs.len()).collect(),
    }
}

/// The sentence comparing the two ensembles, in `l`: "P(dry by 1 Dec 2025 (day 90)): 64 %
/// with input uncertainty, 58 % with every input at its median; …".
pub fn compare_sentence(l: Lang, s: &Scenario, sum: &Summary, x: &InputsInfo) -> String {
    let d = index_day(s.horizon_days);
    crate::tr!(
        l,
        InCompare,
        day = day_text_in(l, s, f64::from(d)),
        with = pct_mc_in(l, sum.p_dry_by_day(d), sum.replications),
        without = pct_mc_in(l, x.at_medians.p_dry_by_day(d), x.at_medians.replications),
        unmet_with = litres_mc_in(
            l,
            sum.mean_of(|r| r.unmet.iter().sum()),
            se_of(sum, |r| r.unmet.iter().sum())
        ),
        unmet_without = litres_mc_in(
            l,
            x.at_medians.mean_of(|r| r.unmet.iter().sum()),
            se_of(&x.at_medians, |r| r.unmet.iter().sum())
        )
    )
}

/// Standard error of the mean of a per-replication quantity.
fn se_of(sum: &Summary, f: impl Fn(&crate::ensemble::ReplicationRow) -> f64) -> f64 {
    let n = sum.rows.len();
    if n < 2 {
        return 0.0;
    }
    let v: Vec<f64> = sum.rows.iter().map(f).collect();
    let m = v.iter().sum::<f64>() / n as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64 / n as f64).sqrt()
}

/// The terminal lines of a run with uncertain inputs, in `l` (paths as `--set` writes them).
pub fn inputs_text(l: Lang, s: &Scenario, sum: &Summary, x: &InputsInfo) -> String {
    let mut out = String::new();
    let t = &x.table;
    let _ = writeln!(
        out,
        "{}",
        crate::tr!(
            l,
            InTermHead,
            n = t.inputs.len(),
            how = l.t(match (&x.importance, &t.file) {
                (Some(_), _) => Msg::InTermRanked,
                (None, Some(_)) => Msg::InTermCalibrated,
                (None, None) => Msg::InTermTooFew,
            }),
            file = t
                .file
                .as_ref()
                .map_or(String::new(), |f| crate::tr!(l, InTermFile, file = f))
        )
    );
    let imp = x.importance.as_ref();
    let j = imp.and_then(|m| m.rank_by);
    let width = t
        .inputs
        .iter()
        .map(|i| i.path.chars().count())
        .max()
        .unwrap_or(0);
    for i in ranked(x) {
        let input = &t.inputs[i];
        let idx = match (imp, j) {
            (Some(m), Some(j)) => {
                let row = m.rows.iter().find(|r| r.input == i);
                crate::tr!(
                    l,
                    InTermExplains,
                    index = l.digits(&index_text(row.and_then(|r| r.indices[j].as_ref()))),
                    measure = measure_words(&m.measures[j].key, l)
                )
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "    {:<width$} {} ({}){idx}",
            input.path,
            dist_text(&input.dist),
            source_words(t.sources[i], l)
        );
    }
    let _ = writeln!(
        out,
        "{}",
        crate::tr!(l, InTermWithout, compare = compare_sentence(l, s, sum, x))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Medians are rounded for reading (the JSON keeps them whole), in each language's
    /// number style; the index's measures are named in the reader's language.
    #[test]
    fn medians_and_measures_read_in_each_language() {
        assert_eq!(median_text(0.412_701_665_379_258_34, Lang::En), "0.4127");
        assert_eq!(median_text(0.412_701_665_379_258_34, Lang::Fr), "0,4127");
        assert_eq!(median_text(24_211_102.550_927_978, Lang::En), "24,211,103");
        assert_eq!(
            median_text(24_211_102.550_927_978, Lang::Fr),
            format!("24{NNBSP}211{NNBSP}103", NNBSP = crate::report::NNBSP)
        );
        assert_eq!(median_text(25.31, Lang::En), "25.31");
        assert_eq!(median_text(0.275, Lang::En), "0.275");
        assert_eq!(median_text(150.0, Lang::En), "150");
        assert_eq!(median_text(1382.4, Lang::En), "1,382");
        assert_eq!(median_text(0.0, Lang::Fr), "0");
        assert_eq!(measure_words("dry_by_day_90", Lang::En), "dry by day 90");
        assert_eq!(
            measure_words("dry_by_day_90", Lang::Fr),
            "à sec d'ici le jour 90"
        );
        assert_eq!(
            measure_words("first_rationing_day", Lang::Fr),
            "premier jour de rationnement"
        );
        assert_eq!(measure_words("unmet_total", Lang::En), "total unmet demand");
    }

    #[test]
    fn indices_round_to_their_error() {
        let f = FirstOrder {
            value: 0.4237,
            se: 0.048,
        };
        assert_eq!(index_rounded(&f), (0.42, 0.05));
        assert_eq!(index_text(Some(&f)), "0.42 ± 0.05");
        let g = FirstOrder {
            value: 0.4237,
            se: 0.0031,
        };
        assert_eq!(index_text(Some(&g)), "0.424 ± 0.003");
        assert_eq!(index_text(None), "—");
    }
}
