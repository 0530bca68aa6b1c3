//! Outputs: CSV tables, the JSON summary, charts and the report page.
//!
//! This is the only module that writes files. Every file is written to a temporary name
//! in the same folder and renamed into place, so a reader never sees half a file and a
//! failed run leaves no partial output. Numbers are printed with fixed precision, so the
//! same summary always gives the same bytes.

mod calibration;
mod charts;
mod excel;
mod geojson;
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
use crate::scenario::Scenario;
use crate::tr;

pub use calibration::{
    calibration_inputs_csv, calibration_observed_csv, calibration_points_csv, calibration_text,
    calibration_waves_csv,
};
pub use charts::{
    ChartOptions, ChartSize, attack_risk_on, calibration_charts, compare_charts, corridors_chart,
    network_map, reserve_chart, risk_map, run_facts, sweep_chart, tornado_chart, worst_day,
    write_charts,
};
pub use excel::{CsvLocale, UTF8_BOM, localize_csv, write_csv};
pub use geojson::{GeoFlow, network_geojson};
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
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // A named temporary file in the same folder (so the rename is atomic), removed when
    // dropped: a failed write (a full disk) leaves no `.tmp` file behind.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".blockade-").suffix(".tmp");
    // Readable by all, as `std::fs::write` would make it (tempfile's default is 0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(io_err)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// Name of the file that marks a folder as a blockade output set and lists its files.
pub const RUN_MANIFEST: &str = "manifest.json";

/// An output folder written as a whole: files go to a hidden staging folder next to it,
/// which [`Staging::commit`] renames into place, so that an interrupted run leaves the
/// previous complete set (or nothing), never a mix of two runs.
///
/// A folder that holds a [`RUN_MANIFEST`] belongs to blockade and is replaced whole; a folder
/// without one (the user's own) is never deleted: the new files are moved into it one by
/// one. Staging folders left by a killed run are removed by the next run into the same
/// folder.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
}

impl Staging {
    /// Prepares to write the output set `target`: removes stale staging folders of it and
    /// creates a fresh one.
    ///
    /// # Errors
    /// [`ReportError::Io`] if the staging folder cannot be created.
    pub fn new(target: &Path) -> Result<Staging, ReportError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "outputs".into());
        let prefix = format!(".{name}.staging-");
        std::fs::create_dir_all(&parent).map_err(|source| ReportError::Io {
            path: parent.clone(),
            source,
        })?;
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                // Another run's staging folder is stale once its process is gone.
                let pid = n.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok());
                if pid.is_some_and(|pid| !process_alive(pid)) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let staging = parent.join(format!("{prefix}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(|source| ReportError::Io {
            path: staging.clone(),
            source,
        })?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Where to write the files now.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Writes the manifest (the files, relative to the folder) and moves the set into
    /// place. Returns the final paths of `files` (written under [`Staging::dir`]) and of
    /// the manifest.
    ///
    /// # Errors
    /// [`ReportError::Io`] for a file or folder that cannot be written or renamed.
    pub fn commit(self, files: &[PathBuf]) -> Result<Vec<PathBuf>, ReportError> {
        let rel: Vec<PathBuf> = files
            .iter()
            .map(|f| f.strip_prefix(&self.staging).unwrap_or(f).to_path_buf())
            .collect();
        let listed: Vec<String> = rel.iter().map(|r| r.display().to_string()).collect();
        let manifest = serde_json::json!({ "written_by": "blockade", "files": listed });
        let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
        write_atomic(&self.staging.join(RUN_MANIFEST), text.as_bytes())?;
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ReportError::Io { path, source }
        };
        let ours = self.target.join(RUN_MANIFEST).is_file();
        if !self.target.exists() {
            std::fs::rename(&self.staging, &self.target).map_err(io(&self.target))?;
        } else if ours {
            // Files in the old folder that blockade did not write (listed in neither
            // manifest) are the user's: they move into the new set, never away.
            carry_over_foreign_files(&self.target, &self.staging).map_err(io(&self.target))?;
            // Swap: the old set moves aside, the new one takes its name, the old goes.
            let old = self.staging.with_extension("old");
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(&self.target, &old).map_err(io(&self.target))?;
            if let Err(e) = std::fs::rename(&self.staging, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(io(&self.target)(e));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            // Not ours: never delete; move each new file in (each rename is atomic).
            for r in rel
                .iter()
                .chain(std::iter::once(&PathBuf::from(RUN_MANIFEST)))
            {
                let to = self.target.join(r);
                if let Some(d) = to.parent() {
                    std::fs::create_dir_all(d).map_err(io(d))?;
                }
                std::fs::rename(self.staging.join(r), &to).map_err(io(&to))?;
            }
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        Ok(rel
            .iter()
            .chain(std::iter::once(&PathBuf::from(RUN_MANIFEST)))
            .map(|r| self.target.join(r))
            .collect())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A run that failed before committing leaves nothing behind.
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Whether process `pid` is running (Linux: `/proc/<pid>` exists; elsewhere assumed so).
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
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
/// run's per-segment results) into `dir`. Returns the files written.
///
/// # Errors
/// [`ReportError`] for the first file that cannot be written.
pub fn write_tables(
    dir: &Path,
    s: &Scenario,
    sum: &Summary,
    info: &RunInfo,
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

/// Moves every file under `old` that neither manifest of `old` lists (nor a manifest
/// itself) to the same place under `new`, unless `new` has a file there.
fn carry_over_foreign_files(old: &Path, new: &Path) -> io::Result<()> {
    let mut owned: std::collections::BTreeSet<PathBuf> =
        read_manifest(old).into_iter().map(|(_, p)| p).collect();
    if let Ok(text) = std::fs::read_to_string(old.join(RUN_MANIFEST))
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&text)
    {
        for f in v["files"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str() {
                owned.insert(PathBuf::from(f));
            }
        }
    }
    owned.insert(PathBuf::from(RUN_MANIFEST));
    owned.insert(PathBuf::from(MANIFEST));
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(old.join(&rel))? {
            let entry = entry?;
            let r = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(r);
            } else if !owned.contains(&r) && !new.join(&r).exists() {
                if let Some(parent) = new.join(&r).parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(old.join(&r), new.join(&r))?;
            }
        }
    }
    Ok(())
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

/// A CSV writer into memory with Excel-friendly CRLF line ends, whose text cells cannot be
/// read as formulas (see [`csv_cell`]).
pub(crate) struct CsvOut(csv::Writer<Vec<u8>>);

impl CsvOut {
    /// Writes one record, each cell through [`csv_cell`].
    pub(crate) fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        for c in record {
            self.0.write_field(csv_cell(c.as_ref()))?;
        }
        // An empty record ends the one whose fields were just written.
        self.0.write_record(None::<&[u8]>)
    }
}

/// A cell as written: a text cell that a spreadsheet would take for a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, the usual
/// defence against formula injection through names. Numbers (`-12.5`) are left alone.
pub(crate) fn csv_cell(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let risky = matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let number = || {
        std::str::from_utf8(cell)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(f64::is_finite)
    };
    if risky && !number() {
        let mut v = Vec::with_capacity(cell.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(cell);
        std::borrow::Cow::Owned(v)
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A [`CsvOut`] into memory.
pub(crate) fn csv_writer() -> CsvOut {
    CsvOut(
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new()),
    )
}

/// The text written by a [`csv_writer`] (writing to memory cannot fail).
pub(crate) fn csv_text(w: CsvOut) -> String {
    String::from_utf8(w.0.into_inner().unwrap_or_default()).unwrap_or_default()
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

/// The headline of a run, as printed on the terminal: the same measures, rounded the
/// same way, as the report's first screen and `headline.csv`.
pub fn headline(s: &Scenario, sum: &Summary, info: &RunInfo) -> String {
    use measures::{count_mc_in, day_text_in, litres_mc_in, pct_mc_in, pct_plain_in};
    let l = info.lang;
    let m = Measures::new(s, sum);
    let mut out = String::new();
    // "  label             value": labels padded to 17 characters.
    let row = |out: &mut String, label: Msg, value: String| {
        let _ = writeln!(out, "  {:<17} {value}", l.t(label));
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(
            l,
            HlTitle,
            name = s.name,
            n = l.thousands(sum.replications as f64),
            seed = sum.seed,
            as_of = info
                .as_of
                .as_deref()
                .map_or(String::new(), |d| tr!(l, HlAsOf, d = d))
        )
    );
    row(
        &mut out,
        Msg::HlFuelNow,
        tr!(
            l,
            HlFuelNowValue,
            stock = litres_mc_in(l, m.stock_now, 0.0),
            days = l.digits(&format!("{:.1}", m.days_now)),
            trigger = l.num_short(m.trigger_days)
        ),
    );
    let by = |f: fn(&measures::KeyDay) -> f64| -> String {
        m.key_days
            .iter()
            .map(|k| {
                tr!(
                    l,
                    HlKeyDay,
                    day = day_text_in(l, s, k.day as f64),
                    p = pct_mc_in(l, f(k), m.n)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    row(&mut out, Msg::HlPRationingBy, by(|k| k.p_rationing));
    row(
        &mut out,
        Msg::HlFirstRationing,
        m.first_day_text_in(l, s, &m.first_rationing),
    );
    row(&mut out, Msg::HlDaysRationed, m.days_rationed_text_in(l));
    row(&mut out, Msg::HlPDryBy, by(|k| k.p_dry));
    row(
        &mut out,
        Msg::HlFirstDryDay,
        tr!(
            l,
            HlFirstDryValue,
            first = m.first_day_text_in(l, s, &m.first_dry),
            never = pct_mc_in(l, m.share_never_dry, m.n)
        ),
    );
    row(
        &mut out,
        Msg::HlUnmetProtected,
        tr!(
            l,
            HlUnmetProtectedValue,
            unmet = litres_mc_in(l, m.unmet_protected.0, m.unmet_protected.1),
            names = if m.protected_names.is_empty() {
                tr!(l, HlNoProtectedClass)
            } else {
                m.protected_names.join(", ")
            }
        ),
    );
    row(&mut out, Msg::HlUnmetByClass, tr!(l, HlUnmetByClassValue));
    for c in &m.classes {
        let share = if c.baseline > 0.0 {
            c.unmet / c.baseline
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "    {:<15} {}",
            c.name,
            tr!(
                l,
                HlClassValue,
                unmet = litres_mc_in(l, c.unmet, c.unmet_se),
                share = pct_plain_in(l, share),
                rationed = litres_mc_in(l, c.rationed, c.rationed_se),
                dry = litres_mc_in(l, c.dry, c.dry_se)
            )
        );
    }
    let (lost, burned, seized, _) = m.losses;
    let (lost_se, burned_se, seized_se, _) = m.losses_se;
    row(
        &mut out,
        Msg::HlTankersLost,
        tr!(
            l,
            HlTankersLostValue,
            lost = count_mc_in(l, lost, lost_se),
            burned = litres_mc_in(l, burned, burned_se),
            seized = litres_mc_in(l, seized, seized_se)
        ),
    );
    if let Some(x) = &info.inputs {
        out.push_str(&inputs_text(s, sum, x));
    }
    if let Some(sens) = &info.sensitivity {
        if sens.top(3).is_empty() && !sens.rows.is_empty() {
            row(
                &mut out,
                Msg::HlMattersMost,
                tr!(l, HlMattersNone, n = sens.rows.len()),
            );
        }
        for (i, r) in sens.top(3).into_iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:<17} {}",
                if i == 0 { l.t(Msg::HlMattersMost) } else { "" },
                tr!(
                    l,
                    HlMattersRow,
                    i = i + 1,
                    label = input_label(l, s, &r.input.kind),
                    low = lang::input_value(l, &r.input.low),
                    high = lang::input_value(l, &r.input.high),
                    at_low = litres_mc_in(l, r.at_low, r.swing_se),
                    at_high = litres_mc_in(l, r.at_high, r.swing_se)
                )
            );
        }
    }
    out
}

/// How a built-in sensitivity input is named to a reader in `l`: an uncertain input by
/// what its path points at (as the study and input-importance charts name it: an event by
/// its label), the others by their catalogue words. Data files keep `--set` paths.
pub(crate) fn input_label(l: Lang, s: &Scenario, k: &crate::ensemble::InputKind) -> String {
    match k {
        crate::ensemble::InputKind::Uncertain(path) => charts::path_name(s, path).label,
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
