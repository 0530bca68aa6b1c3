//! Outputs: CSV tables, the JSON summary, charts and the report page.
//!
//! This is the only module that writes files. Every file is written to a temporary name
//! in the same folder and renamed into place, so a reader never sees half a file and a
//! failed run leaves no partial output. Numbers are printed with fixed precision, so the
//! same summary always gives the same bytes.

mod calibration;
mod cells;
mod charts;
mod excel;
mod files;
mod geojson;
mod headline;
mod html;
mod inputs;
mod lang;
mod manifest;
mod measures;
mod network;
pub mod replications;
mod study;
mod tables;
mod xlsx;

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::ensemble::Summary;
use crate::network::{Conditions, Criticality, MaxFlow, Network};
use crate::scenario::Scenario;
use crate::tr;

/// The flow analysis a run's outputs show (`network.geojson`, the network and losses maps,
/// the report's network section): maximum flow and criticality under baseline conditions
/// (every road open, events ignored). The caller computes it once per run and hands it to
/// [`write_tables`], [`write_charts`] and [`write_report`].
#[derive(Debug, Clone)]
pub struct FlowBaseline {
    /// Maximum flow from the sources to the demand nodes.
    pub max_flow: MaxFlow,
    /// Each segment's criticality.
    pub criticality: Vec<Criticality>,
}

impl FlowBaseline {
    /// The analysis of `net` (built from `s`) under baseline conditions.
    pub fn new(net: &Network, s: &Scenario) -> FlowBaseline {
        let c = Conditions::baseline(s);
        FlowBaseline {
            max_flow: net.max_flow(&c),
            criticality: net.criticality(&c),
        }
    }
}

pub use calibration::{
    calibration_inputs_csv, calibration_observed_csv, calibration_points_csv, calibration_text,
    calibration_waves_csv,
};
pub(crate) use cells::*;
pub use charts::{
    ChartOptions, ChartSize, DrawnChart, RunCharts, attack_risk_on, calibration_charts,
    compare_charts, corridors_chart, network_map, reserve_chart, risk_map, run_facts, sweep_chart,
    tornado_chart, worst_day, write_charts,
};
pub use excel::{CsvLocale, UTF8_BOM, localize_csv, write_csv};
pub use files::*;
pub use geojson::{GeoFlow, network_geojson};
pub use headline::*;
pub use html::write_report;
pub use inputs::{
    InputsInfo, importance_csv, index_rounded, index_text, inputs_csv, inputs_text, method_text,
};
pub use lang::{Lang, Msg, NNBSP, fill, input_words, kpi_label};
pub use manifest::{Clears, MANIFEST, read_manifest, record_outputs};
pub use measures::{Measures, key_days, round_to_error};
pub use network::{network_json, network_segments_csv, network_text, network_text_in};
pub use study::{
    compare_csv, compare_text, corridors_csv, corridors_text, reserve_json, reserve_text,
    sweep_csv, sweep_text, tornado_csv, tornado_text,
};
pub use tables::{
    daily_csv, headline_csv, replications_csv, routes_csv, segments_csv, summary_json,
};
pub use xlsx::{unit_of, workbook};

/// A report could not be written.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A file or folder could not be created or written.
    #[error("cannot write {}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: io::Error,
    },
    /// A chart could not be drawn.
    #[error("cannot draw chart {name}: {message}")]
    Chart {
        /// Chart file name.
        name: String,
        /// What the drawing library said.
        message: String,
    },
    /// The Excel workbook could not be built.
    #[error("cannot build workbook {}: {message}", path.display())]
    Workbook {
        /// The workbook file.
        path: PathBuf,
        /// What the spreadsheet library said.
        message: String,
    },
}

/// Facts about a run that belong in every output.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// `--set` overrides applied, as written (`fleet.trucks=800`).
    pub overrides: Vec<String>,
    /// Fingerprint of the resolved scenario.
    pub scenario_hash: String,
    /// The issue date given with `--as-of`, written in the report and `summary.json`;
    /// `None` writes none, so the same command gives the same bytes.
    pub as_of: Option<String>,
    /// The built-in sensitivity ("what would change it"), unless skipped.
    pub sensitivity: Option<crate::ensemble::Sensitivity>,
    /// Separator and decimal mark of the CSV files.
    pub csv_locale: CsvLocale,
    /// The uncertain inputs, their values per replication, their ranking and the ensemble
    /// at their medians; `None` for a run without uncertain inputs (its outputs are then
    /// exactly those of a run before uncertain inputs existed).
    pub inputs: Option<Box<InputsInfo>>,
    /// Language of the headline, the charts and the report (CSV and JSON stay English).
    pub lang: Lang,
}

/// Writes the tables of a run (`daily.csv`, `headline.csv`, `replications.csv`,
/// `segments.csv`, `routes.csv` in `info.csv_locale`, `summary.json`, all of them as
/// sheets of `results.xlsx`, and `network.geojson` with the baseline flow analysis and the
/// run's per-segment results) into `dir`. Returns the files written. `flow` is the run's
/// baseline analysis ([`FlowBaseline::new`]).
///
/// # Errors
/// [`ReportError`] for the first file that cannot be written.
pub fn write_tables(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
    flow: &FlowBaseline,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut tables = vec![
        ("daily", daily_csv(s, sum)),
        ("headline", headline_csv(s, sum, info)),
        ("replications", replications_csv(s, sum)),
        ("segments", segments_csv(s, Some(sum))),
        ("routes", routes_csv(s, sum)),
    ];
    if let Some(x) = &info.inputs {
        tables.push(("inputs", inputs_csv(&x.table)));
        if let Some(imp) = &x.importance {
            tables.push(("input-importance", importance_csv(&x.table, imp)));
        }
    }
    let summary = summary_json(s, sum, info);
    let mut out = Vec::new();
    for (name, text) in &tables {
        let p = dir.join(format!("{name}.csv"));
        write_csv(&p, text, info.csv_locale)?;
        out.push(p);
    }
    let p = dir.join("summary.json");
    write_atomic(&p, summary.as_bytes())?;
    out.push(p);
    let p = dir.join("results.xlsx");
    // The workbook's `headline` sheet comes from `summary.json`; the other tables are
    // sheets of their own.
    let sheets: Vec<(&str, &str)> = tables
        .iter()
        .filter(|(n, _)| *n != "headline")
        .map(|(n, t)| (*n, t.as_str()))
        .collect();
    let created = s.start_date.map(|d| d.to_string());
    let bytes = workbook(&summary, &sheets, created.as_deref()).map_err(|message| {
        ReportError::Workbook {
            path: p.clone(),
            message,
        }
    })?;
    write_atomic(&p, &bytes)?;
    out.push(p);
    let geo = GeoFlow {
        max_flow: &flow.max_flow,
        criticality: &flow.criticality,
        closed: &[],
        conditions: "baseline: all roads open, events ignored",
    };
    let p = dir.join("network.geojson");
    write_atomic(&p, network_geojson(s, &geo, Some(sum)).as_bytes())?;
    out.push(p);
    Ok(out)
}

/// Groups digits by thousands: 1234567.8 -> "1,234,568".
pub fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let n = v.round() as i128;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Writes the network analysis files (`network.json`, `segments.csv`, `network.geojson`,
/// the map `network.png` and the attack-risk map `network-risk.png`) into `dir`.
///
/// # Errors
/// [`ReportError`] for the first file that cannot be written.
pub fn write_network(
    dir: &Path,
    s: &Scenario,
    r: &crate::network::FlowReport,
    opts: &ChartOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut out = Vec::new();
    let p = dir.join("network.json");
    write_atomic(&p, network_json(s, r).as_bytes())?;
    out.push(p);
    let p = dir.join("segments.csv");
    write_csv(&p, &network_segments_csv(s, r), opts.csv_locale)?;
    out.push(p);
    let mf = r.max_flow();
    let conditions = match r.at_day {
        Some(d) => format!("on day {d}: that day's closures, risks and supply applied"),
        None => "baseline: all roads open, events ignored".into(),
    };
    let geo = GeoFlow {
        max_flow: &mf,
        criticality: &r.criticality,
        closed: &r.closed,
        conditions: &conditions,
    };
    let p = dir.join("network.geojson");
    write_atomic(&p, network_geojson(s, &geo, None).as_bytes())?;
    out.push(p);
    let map = dir.join("network.png");
    let opts = &ChartOptions {
        closed: r.closed.clone(),
        ..opts.clone()
    };
    network_map(s, &r.max_flow(), &r.criticality, &map, opts)?;
    out.push(map);
    if opts.svg {
        out.push(dir.join("network.svg"));
    }
    let risk = dir.join("network-risk.png");
    let risk_on = attack_risk_on(s, r.at_day.unwrap_or(0.0).max(0.0));
    let risk_on = if r.at_day.is_some() {
        risk_on
    } else {
        // Baseline: every road open, no multiplier.
        s.segments
            .iter()
            .map(|g| crate::network::attack_probability(g.risk, 1.0))
            .collect()
    };
    risk_map(s, &r.max_flow(), &r.criticality, &risk_on, &risk, opts)?;
    out.push(risk);
    if opts.svg {
        out.push(dir.join("network-risk.svg"));
    }
    Ok(out)
}

/// How a built-in sensitivity input is named to a reader in `l`: an uncertain input by
/// what its path points at (as the study and input-importance charts name it: an event by
/// its label), the others by their catalogue words. Data files keep `--set` paths.
pub(crate) fn input_label(l: Lang, s: &Scenario, k: &crate::ensemble::InputKind) -> String {
    match k {
        crate::ensemble::InputKind::Uncertain(path) => charts::path_name(s, path, l).label,
        other => lang::input_words(other, l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_cells_cannot_be_formulas() {
        let mut w = csv_writer();
        w.write_record([
            "=HYPERLINK(\"x\")",
            "-3.5",
            "+cmd",
            "@SUM(A1)",
            "-",
            "BKO",
            "1e3",
        ])
        .unwrap();
        assert_eq!(
            csv_text(w),
            "\"'=HYPERLINK(\"\"x\"\")\",-3.5,'+cmd,'@SUM(A1),'-,BKO,1e3\r\n"
        );
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-46_000.0), "-46,000");
        assert_eq!(thousands(0.0), "0");
    }

    #[test]
    fn numbers_have_fixed_precision_and_no_negative_zero() {
        assert_eq!(num(1.0 / 3.0, 2), "0.33");
        assert_eq!(num(-0.0001, 2), "0.00");
        assert_eq!(num(f64::NAN, 2), "");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("blockade-atomic-{}", std::process::id()));
        let p = dir.join("a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"x,y\n");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
