//! `blockade calibrate SCENARIO --observed OBS.ron`: history matching of the scenario's
//! uncertain inputs against observations (docs/calibration.md).

mod waves;

pub use waves::*;

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args as ClapArgs;

use blockade::calibrate::{self, CalibrationError, Settings, UnitSums};
use blockade::report;
use blockade::scenario::observations::{self, ObservationsError};
use blockade::scenario::{Dist, Template, UncertainInput};

use serde::{Deserialize, Serialize};

use super::merge::Part;
use super::{
    ChartFlags, MAX_THREADS, Progress, Reported, Source, bounded_usize, folder_name, note_write,
    parse_bytes, print_diagnostics, print_written, record, shard, template, within_budget,
    write_file,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: super::LangFlag,
    /// Compute only shard I of N (I from 0 to N-1) of the next wave: its units (a point ×
    /// a block of replications) [floor(I·U/N), floor((I+1)·U/N)) of the wave's U, written
    /// to DIR/calibrate-shard-I-of-N.arrow (DIR: --out, default
    /// outputs/<name>/calibration/shards/). `blockade merge` joins the N files: after the
    /// last wave it writes the outputs of the calibration without --shard; before, the
    /// state for `--continue`.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// With --shard: go on from the waves already merged, read from the state file that
    /// `blockade merge` wrote next to the shard files (calibration-state.json).
    #[arg(long = "continue", value_name = "STATE", requires = "shard")]
    pub continue_from: Option<PathBuf>,
}

/// The flags of a calibration that change its outputs, canonical (what shard headers and
/// the state record, and `merge` parses back).
fn canonical_flags(a: &CalibrateArgs, settings: &Settings) -> Vec<String> {
    let mut v = vec![
        "--observed".to_string(),
        a.observed.display().to_string(),
        "--budget".into(),
        a.budget.to_string(),
        "--points".into(),
        a.points.to_string(),
        "--replications-per-point".into(),
        a.replications_per_point.to_string(),
        "--block".into(),
        a.block.to_string(),
        "--waves".into(),
        a.waves.to_string(),
        "--discrepancy".into(),
        a.discrepancy.to_string(),
        "--cutoff".into(),
        a.cutoff.to_string(),
        "--seed".into(),
        settings.seed.to_string(),
    ];
    if a.no_ensemble_variance {
        v.push("--no-ensemble-variance".into());
    }
    for p in &a.prior {
        v.push("--prior".into());
        v.push(p.clone());
    }
    for id in &a.exclude {
        v.push("--exclude".into());
        v.push(id.clone());
    }
    v.push("--csv-locale".into());
    v.push(a.csv_locale.to_string());
    v.push("--size".into());
    v.push(a.charts.size.to_string());
    if a.charts.svg {
        v.push("--svg".into());
    }
    v
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
pub fn calibrate_command(a: &CalibrateArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => calibrate_from(a, Source::Shard(sh)),
        None => calibrate_from(a, Source::Compute),
    }
}

/// `calibrate`, its waves' units computed (`Source::Compute`), one wave's shard computed,
/// or the shards of a wave merged.
///
/// # Errors
/// Failures to read or write files.
pub fn calibrate_from(a: &CalibrateArgs, source: Source<'_>) -> anyhow::Result<()> {
    let Some(t) = template(&a.file)? else {
        return Err(Reported::INVALID.into());
    };
    let s = t.base().scenario.clone();
    let CalibrateQuery {
        prior,
        obs,
        settings,
    } = CalibrateQuery::from_args(a, &t, &s)?;
    let canonical = canonical_flags(a, &settings);
    let fingerprint = blockade::scenario::export::fingerprint(&s);
    let merging = match source {
        Source::Compute => None,
        Source::Shard(sh) => {
            return shard_wave(a, sh, &t, &prior, &obs, &settings, canonical, &s);
        }
        Source::Merge(parts) => Some(parts),
    };
    let progress = Progress::new(a.budget, a.quiet);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{bar:40}] {pos}/{len} replications of the budget ({eta} left)",
    ) {
        progress.bar.set_style(style.progress_chars("=> "));
    }
    let done_before = std::sync::Mutex::new((0usize, 0u64, 0u64));
    let started = std::time::Instant::now();
    let report = |wave, done, total| {
        let mut g = done_before.lock().unwrap_or_else(|e| e.into_inner());
        if g.0 != wave {
            // A new wave: the replications of the previous ones are spent.
            g.1 += g.2;
            g.0 = wave;
        }
        g.2 = total;
        progress.bar.set_message(format!("wave {}", wave + 1));
        progress.update(g.1 + done);
    };
    let result = match merging {
        None => calibrate::calibrate(&t, &prior, &obs, &settings, &report),
        Some(parts) => {
            progress.finish();
            match merge_wave(
                parts,
                &prior,
                &obs,
                &settings,
                &canonical,
                &fingerprint,
                a.quiet,
            )? {
                Some(c) => Ok(c),
                None => return Ok(()),
            }
        }
    };
    progress.finish();
    let elapsed = started.elapsed().as_secs_f64();
    let c = match result {
        Ok(c) => c,
        Err(e) => return Err(calibration_failed(e)),
    };
    let l = a.lang.lang;
    let text = report::calibration_text(&c, &s, l);
    if c.all_rejected() {
        eprintln!("{text}");
        eprintln!("error: every point was implausible; no calibrated inputs were written");
        return Err(Reported::FAILURE.into());
    }
    let dir = a.out.clone().unwrap_or_else(|| {
        Path::new("outputs")
            .join(folder_name(&s.name))
            .join("calibration")
    });
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
    let mut opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
    opts.lang = l;
    files.extend(
        report::calibration_charts(&dir, &s, &c, &opts)
            .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "calibrate", &files, report::Clears::OwnFiles)?;
    if !a.quiet {
        say_raw!("{text}");
        if !a.exclude.is_empty() {
            say!(
                "{}",
                blockade::tr!(l, CalLeftOut, ids = a.exclude.join(", "))
            );
        }
        if merging.is_none() {
            say!(
                "{}",
                blockade::tr!(
                    l,
                    CalSpeed,
                    n = c.replications,
                    s = l.num(elapsed, 1),
                    rate = format!("{:.0}", c.replications as f64 / elapsed.max(1e-9))
                )
            );
        }
        print_written(&files, l);
    }
    Ok(())
}

/// What `blockade calibrate` was asked, its flags checked once: the prior (the scenario's
/// uncertain inputs, with `--prior` added or replacing one), the observations (read from
/// `--observed`, less `--exclude`) and the settings (`--discrepancy` at least 0, `--cutoff`
/// above 0, one block of replications within the memory limit).
struct CalibrateQuery {
    prior: Vec<UncertainInput>,
    obs: Vec<observations::Observation>,
    settings: Settings,
}

impl CalibrateQuery {
    /// Checks the flags of `a` against the template `t` and its base scenario `s`; every
    /// problem is reported ([`Reported`]: exit code 2 for a bad flag or file, 1 for an
    /// observations file that cannot be read), or the run is over the memory limit
    /// ([`blockade::ensemble::OverBudget`], exit code 1).
    fn from_args(
        a: &CalibrateArgs,
        t: &Template,
        s: &blockade::scenario::Scenario,
    ) -> anyhow::Result<CalibrateQuery> {
        let mut prior = scenario_prior(t);
        let mut ok = true;
        for spec in &a.prior {
            match parse_prior(t, spec) {
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
        let obs = match observations::load(&a.observed, s) {
            Ok(o) => Some(o),
            Err(ObservationsError::Invalid { diagnostics }) => {
                print_diagnostics(&diagnostics);
                eprintln!("error: {}: invalid observations", a.observed.display());
                None
            }
            Err(e) => {
                eprintln!("error: {e}");
                return Err(Reported::FAILURE.into());
            }
        };
        let (Some(mut obs), true) = (obs, ok) else {
            return Err(Reported::INVALID.into());
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
            return Err(Reported::INVALID.into());
        }
        obs.retain(|o| !a.exclude.contains(&o.id));
        if obs.is_empty() {
            eprintln!("error: --exclude left no observations to calibrate against");
            return Err(Reported::INVALID.into());
        }
        if prior.is_empty() {
            eprintln!(
                "error: {} has no uncertain inputs to calibrate; give some with --prior PATH=Uniform(a,b)",
                a.file.display()
            );
            return Err(Reported::INVALID.into());
        }
        let valid = a.discrepancy.is_finite()
            && a.discrepancy >= 0.0
            && a.cutoff.is_finite()
            && a.cutoff > 0.0;
        if !valid {
            eprintln!("error: --discrepancy must be >= 0 and --cutoff > 0");
            return Err(Reported::INVALID.into());
        }
        within_budget(
            s,
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
        Ok(CalibrateQuery {
            prior,
            obs,
            settings,
        })
    }
}

/// Prints a calibration error as `calibrate` does ([`Reported`], exit code 2), or returns
/// it for `main` to print.
fn calibration_failed(e: CalibrationError) -> anyhow::Error {
    match e {
        CalibrationError::InvalidPoint {
            diagnostics,
            values,
            point,
        } => {
            print_diagnostics(&diagnostics);
            eprintln!(
                "error: the inputs at point {point} ({values}) give an invalid scenario; narrow the prior"
            );
            Reported::INVALID.into()
        }
        e @ (CalibrationError::BudgetTooSmall { .. }
        | CalibrationError::NoInputs
        | CalibrationError::NoObservations) => {
            eprintln!("error: {e}");
            Reported::INVALID.into()
        }
        e => e.into(),
    }
}
