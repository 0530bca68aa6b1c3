//! `blockade calibrate SCENARIO --observed OBS.ron`: history matching of the scenario's
//! uncertain inputs against observations (docs/calibration.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args as ClapArgs;

use blockade::calibrate::{self, CalibrationError, Settings};
use blockade::report;
use blockade::scenario::observations::{self, ObservationsError};
use blockade::scenario::{Dist, Template, UncertainInput};

use super::{
    ChartFlags, EXIT_FAILURE, EXIT_INVALID, EXIT_OK, MAX_THREADS, Progress, bounded_usize,
    folder_name, note_write, parse_bytes, print_diagnostics, print_written, record, template,
    within_budget, write_file,
};

/// Flags of `blockade calibrate`.
#[derive(Debug, ClapArgs)]
pub struct CalibrateArgs {
    /// The scenario file, with uncertain inputs.
    pub file: PathBuf,
    /// The observations file (RON).
    #[arg(long, value_name = "OBS.ron")]
    pub observed: PathBuf,
    /// Most replications in all, over every wave.
    #[arg(long, default_value_t = 20_000)]
    pub budget: u64,
    /// Points per wave (a Latin hypercube).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(4..=100_000))]
    pub points: u64,
    /// Replications at each point (the same replication numbers at every point: common
    /// random numbers).
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    pub replications_per_point: u64,
    /// Replications per unit of work (a point × a block of replications).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub block: u64,
    /// Most waves.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub waves: u64,
    /// Model discrepancy: a standard deviation, as a share of each observed value, for what
    /// the model leaves out.
    #[arg(long, default_value_t = calibrate::DEFAULT_DISCREPANCY)]
    pub discrepancy: f64,
    /// Leave the observation with this id out of the calibration (repeatable); the
    /// terminal names what was left out. Every id must be one of the file's.
    #[arg(long, value_name = "ID")]
    pub exclude: Vec<String>,
    /// Leave the variance of one replication out of the implausibility: for observations
    /// that are averages of many worlds, or whose stated uncertainty already includes the
    /// world-to-world variability.
    #[arg(long)]
    pub no_ensemble_variance: bool,
    /// Implausibility cut-off.
    #[arg(long, default_value_t = calibrate::DEFAULT_CUTOFF)]
    pub cutoff: f64,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = bounded_usize::<MAX_THREADS>)]
    pub threads: Option<usize>,
    /// Refuse to start if one point's replications are estimated to need more memory than
    /// this (`512M`, `8G`; default: half of the machine's memory).
    #[arg(long, value_name = "SIZE", value_parser = parse_bytes)]
    pub max_memory: Option<u64>,
    /// An uncertain input given on the command line, in addition to the scenario's own
    /// `Uncertain(...)` values (or replacing the one at the same path): `PATH=Uniform(a,b)`, `PATH=Triangular(a,mode,b)`, `PATH=LogNormal(median,sigma)`,
    /// `PATH=Choice(v1,v2,...)`. Repeatable.
    #[arg(long, value_name = "PATH=DIST")]
    pub prior: Vec<String>,
    /// Output folder (default: outputs/<scenario name>/calibration/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors; no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// CSV style: `en` or `fr`.
    #[arg(long, value_name = "en|fr", default_value_t = report::CsvLocale::En)]
    pub csv_locale: report::CsvLocale,
    /// Charts.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// The scenario's own uncertain inputs, in file order: the prior of the calibration.
fn scenario_prior(t: &Template) -> Vec<UncertainInput> {
    t.uncertain().to_vec()
}

/// Parses `PATH=Dist(...)`; an input is a whole number when every number of its
/// distribution is and the scenario's current value is written without a decimal point.
fn parse_prior(t: &Template, spec: &str) -> Result<UncertainInput, String> {
    let (path, dist) = spec
        .split_once('=')
        .ok_or_else(|| format!("`{spec}` is not of the form PATH=Uniform(a,b)"))?;
    let (path, dist) = (path.trim(), dist.trim());
    let current = t
        .value_at(path)
        .ok_or_else(|| format!("unknown path `{path}`"))?;
    let (name, args) = dist
        .strip_suffix(')')
        .and_then(|d| d.split_once('('))
        .ok_or_else(|| format!("`{dist}` is not a distribution like Uniform(0.02, 0.08)"))?;
    let nums = args
        .split(',')
        .map(|x| x.trim().replace('_', "").parse::<f64>())
        .collect::<Result<Vec<f64>, _>>()
        .map_err(|_| format!("`{args}` must be numbers separated by commas"))?;
    if nums.iter().any(|x| !x.is_finite()) {
        return Err(format!("`{dist}`: every number must be finite"));
    }
    let d = match (name.trim(), nums.as_slice()) {
        ("Uniform", [lo, hi]) if lo < hi => Dist::Uniform { lo: *lo, hi: *hi },
        ("Triangular", [lo, mode, hi]) if lo <= mode && mode <= hi && lo < hi => Dist::Triangular {
            lo: *lo,
            mode: *mode,
            hi: *hi,
        },
        ("LogNormal", [median, sigma]) if *median > 0.0 && *sigma > 0.0 => Dist::LogNormal {
            median: *median,
            sigma: *sigma,
        },
        ("Choice", v) if !v.is_empty() => Dist::choice(v.to_vec()),
        _ => {
            return Err(format!(
                "`{dist}` is not Uniform(lo, hi) with lo < hi, Triangular(lo, mode, hi), LogNormal(median > 0, sigma > 0) or Choice(v1, ...)"
            ));
        }
    };
    let integer = !current.contains(['.', 'e', 'E'])
        && current.parse::<i64>().is_ok()
        && nums.iter().all(|x| x.fract() == 0.0);
    Ok(UncertainInput {
        path: path.to_string(),
        dist: d,
        integer,
    })
}

/// Runs `blockade calibrate`.
///
/// # Errors
/// Failures to write the outputs.
pub fn calibrate_command(a: &CalibrateArgs) -> anyhow::Result<ExitCode> {
    let Some(t) = template(&a.file)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let s = t.base().scenario.clone();
    let mut prior = scenario_prior(&t);
    let mut ok = true;
    for spec in &a.prior {
        match parse_prior(&t, spec) {
            Ok(p) => {
                prior.retain(|q| q.path != p.path);
                prior.push(p);
            }
            Err(e) => {
                eprintln!("error: --prior {e}");
                ok = false;
            }
        }
    }
    let obs = match observations::load(&a.observed, &s) {
        Ok(o) => Some(o),
        Err(ObservationsError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            eprintln!("error: {}: invalid observations", a.observed.display());
            None
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let (Some(mut obs), true) = (obs, ok) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let unknown: Vec<&String> = a
        .exclude
        .iter()
        .filter(|id| !obs.iter().any(|o| &o.id == *id))
        .collect();
    if !unknown.is_empty() {
        for id in unknown {
            eprintln!(
                "error: --exclude {id}: {} has no observation with this id",
                a.observed.display()
            );
        }
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    obs.retain(|o| !a.exclude.contains(&o.id));
    if obs.is_empty() {
        eprintln!("error: --exclude left no observations to calibrate against");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    if prior.is_empty() {
        eprintln!(
            "error: {} has no uncertain inputs to calibrate; give some with --prior PATH=Uniform(a,b)",
            a.file.display()
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let valid =
        a.discrepancy.is_finite() && a.discrepancy >= 0.0 && a.cutoff.is_finite() && a.cutoff > 0.0;
    if !valid {
        eprintln!("error: --discrepancy must be >= 0 and --cutoff > 0");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    within_budget(
        &s,
        a.block.min(a.replications_per_point),
        a.threads,
        a.max_memory,
    )?;
    let settings = Settings {
        seed: a.seed.unwrap_or(s.seed),
        points: a.points as usize,
        replications: a.replications_per_point,
        block: a.block,
        budget: a.budget,
        max_waves: a.waves as usize,
        cutoff: a.cutoff,
        discrepancy: a.discrepancy,
        ensemble_variance: !a.no_ensemble_variance,
        stop_ratio: 0.9,
        threads: a.threads,
    };
    let progress = Progress::new(a.budget, a.quiet);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{bar:40}] {pos}/{len} replications of the budget ({eta} left)",
    ) {
        progress.bar.set_style(style.progress_chars("=> "));
    }
    let done_before = std::sync::Mutex::new((0usize, 0u64, 0u64));
    let started = std::time::Instant::now();
    let result = calibrate::calibrate(&t, &prior, &obs, &settings, &|wave, done, total| {
        let mut g = done_before.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 != wave {
            // A new wave: the replications of the previous ones are spent.
            g.1 += g.2;
            g.0 = wave;
        }
        g.2 = total;
        progress.bar.set_message(format!("wave {}", wave + 1));
        progress.update(g.1 + done);
    });
    progress.finish();
    let elapsed = started.elapsed().as_secs_f64();
    let c = match result {
        Ok(c) => c,
        Err(CalibrationError::InvalidPoint {
            diagnostics,
            values,
            point,
        }) => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "error: the inputs at point {point} ({values}) give an invalid scenario; narrow the prior"
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(
            e @ (CalibrationError::BudgetTooSmall { .. }
            | CalibrationError::NoInputs
            | CalibrationError::NoObservations),
        ) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(e) => return Err(e.into()),
    };
    let text = report::calibration_text(&c, &s);
    if c.all_rejected() {
        eprintln!("{text}");
        eprintln!("error: every point was implausible; no calibrated inputs were written");
        return Ok(ExitCode::from(EXIT_FAILURE));
    }
    let dir = a.out.clone().unwrap_or_else(|| {
        Path::new("outputs")
            .join(folder_name(&s.name))
            .join("calibration")
    });
    let fingerprint = blockade::scenario::export::fingerprint(&s);
    let mut files = vec![
        write_file(
            &dir,
            "calibrated-inputs.ron",
            &calibrate::calibrated_inputs_ron(&c, &s.name, &fingerprint),
            a.csv_locale,
        )?,
        write_file(
            &dir,
            "calibration-waves.csv",
            &report::calibration_waves_csv(&c),
            a.csv_locale,
        )?,
        write_file(
            &dir,
            "calibration-inputs.csv",
            &report::calibration_inputs_csv(&c),
            a.csv_locale,
        )?,
        write_file(
            &dir,
            "calibration-observed.csv",
            &report::calibration_observed_csv(&c, &s),
            a.csv_locale,
        )?,
        write_file(
            &dir,
            "calibration-points.csv",
            &report::calibration_points_csv(&c),
            a.csv_locale,
        )?,
    ];
    let opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
    files.extend(
        report::calibration_charts(&dir, &s, &c, &opts)
            .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "calibrate", &files, report::Clears::OwnFiles)?;
    if !a.quiet {
        say_raw!("{text}");
        if !a.exclude.is_empty() {
            say!("  left out (--exclude): {}", a.exclude.join(", "));
        }
        say!(
            "  {} replications in {:.1} s ({:.0} replications/s)",
            c.replications,
            elapsed,
            c.replications as f64 / elapsed.max(1e-9)
        );
        print_written(&files);
    }
    Ok(ExitCode::from(EXIT_OK))
}
