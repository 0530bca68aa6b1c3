//! Outputs: CSV tables, the JSON summary, charts and the report page.
//!
//! This is the only module that writes files. Every file is written to a temporary name
//! in the same folder and renamed into place, so a reader never sees half a file and a
//! failed run leaves no partial output. Numbers are printed with fixed precision, so the
//! same summary always gives the same bytes.

mod charts;
mod excel;
mod geojson;
mod html;
mod manifest;
mod network;
mod study;
mod tables;
mod xlsx;

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::ensemble::Summary;
use crate::scenario::Scenario;

pub use charts::{
    ChartOptions, ChartSize, attack_risk_on, compare_charts, network_map, reserve_chart, risk_map,
    run_facts, sweep_chart, tornado_chart, worst_day, write_charts,
};
pub use excel::{CsvLocale, UTF8_BOM, localize_csv, write_csv};
pub use geojson::{GeoFlow, network_geojson};
pub use html::write_report;
pub use manifest::{Clears, MANIFEST, read_manifest, record_outputs};
pub use network::{network_json, network_segments_csv, network_text};
pub use study::{
    compare_csv, compare_text, reserve_json, reserve_text, sweep_csv, sweep_text, tornado_csv,
    tornado_text,
};
pub use tables::{daily_csv, replications_csv, segments_csv, summary_json};
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

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename.
///
/// # Errors
/// [`ReportError::Io`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let io_err = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(io_err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(e)
    })
}

/// Facts about a run that belong in every output.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// `--set` overrides applied, as written (`fleet.trucks=800`).
    pub overrides: Vec<String>,
    /// Fingerprint of the resolved scenario.
    pub scenario_hash: String,
    /// Separator and decimal mark of the CSV files.
    pub csv_locale: CsvLocale,
}

/// Writes the tables of a run (`daily.csv`, `replications.csv`, `segments.csv` in
/// `info.csv_locale`, `summary.json`, all of them as sheets of `results.xlsx`, and
/// `network.geojson` with the baseline flow analysis and the run's per-segment results)
/// into `dir`. Returns the files written.
///
/// # Errors
/// [`ReportError`] for the first file that cannot be written.
pub fn write_tables(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
) -> Result<Vec<PathBuf>, ReportError> {
    let tables = [
        ("daily", daily_csv(s, sum)),
        ("replications", replications_csv(s, sum)),
        ("segments", segments_csv(s, Some(sum))),
    ];
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
    let sheets: Vec<(&str, &str)> = tables.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let created = s.start_date.map(|d| d.to_string());
    let bytes = workbook(&summary, &sheets, created.as_deref()).map_err(|message| {
        ReportError::Workbook {
            path: p.clone(),
            message,
        }
    })?;
    write_atomic(&p, &bytes)?;
    out.push(p);
    let (mf, crit) = charts::baseline_analysis(s);
    let geo = GeoFlow {
        max_flow: &mf,
        criticality: &crit,
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

/// A CSV writer into memory with Excel-friendly CRLF line ends.
pub(crate) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The text written by a [`csv_writer`] (writing to memory cannot fail).
pub(crate) fn csv_text(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Formats `v` with `digits` decimals; non-finite values as empty cells.
pub(crate) fn num(v: f64, digits: usize) -> String {
    if v.is_finite() {
        let s = format!("{v:.digits$}");
        // "-0.0" reads as a sign error in a spreadsheet.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        String::new()
    }
}

/// The headline of a run, as printed on the terminal and written in the report.
pub fn headline(s: &Scenario, sum: &Summary) -> String {
    let mut out = String::new();
    let h = s.horizon_days as usize;
    let day = |d: f64| format!("day {d:.0} ({})", s.day_label(d.round() as i64));
    let _ = writeln!(
        out,
        "{} — {} replications, seed {}",
        s.name, sum.replications, sum.seed
    );
    match sum.first_stockout_percentile(0.5) {
        Some(m) => {
            let p10 = sum.first_stockout_percentile(0.1).map_or("-".into(), day);
            let p90 = sum
                .first_stockout_percentile(0.9)
                .map_or(format!("after day {h}"), day);
            let _ = writeln!(
                out,
                "  first stockout   median {}; P10 {p10}, P90 {p90}",
                day(m)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  first stockout   median: none within the {h}-day horizon"
            );
        }
    }
    let mut marks: Vec<usize> = [30, 60, 90].into_iter().filter(|d| *d < h).collect();
    marks.push(h);
    let probs: Vec<String> = marks
        .iter()
        .map(|d| format!("day {d}: {:.1}%", 100.0 * sum.p_stockout_by_day(d - 1)))
        .collect();
    let _ = writeln!(out, "  P(stockout by)   {}", probs.join(", "));
    for (i, (dep, c)) in sum.layout.classes.iter().enumerate() {
        let depot = s.depot(sum.layout.depots[*dep]);
        if depot.is_some_and(|d| d.demand[*c].priority == 1) {
            let demand: f64 = sum.demand[i].iter().sum();
            let unmet = sum.mean_unmet(i);
            let share = if demand > 0.0 {
                100.0 * unmet / demand
            } else {
                0.0
            };
            let _ = writeln!(
                out,
                "  unmet {:<10} {} L on average ({share:.1}% of its demand)",
                sum.layout.class_name(s, i),
                thousands(unmet)
            );
        }
    }
    let lost = sum.mean_of(|r| r.trucks_lost);
    let burned = sum.mean_of(|r| r.fuel_destroyed);
    let seized = sum.mean_of(|r| r.fuel_seized);
    let _ = writeln!(
        out,
        "  tankers lost     {lost:.1} on average ({} L burned, {} L seized)",
        thousands(burned),
        thousands(seized)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
