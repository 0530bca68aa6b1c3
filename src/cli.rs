//! The command line: flags, the commands, what is printed, and exit codes.
//!
//! This is the only module that reads arguments, prints, or uses `anyhow`. Every command
//! returns an [`ExitCode`]: 0 when all went well, 2 when a scenario is invalid, 1 for any
//! other failure (a file that cannot be read or written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser, Subcommand};

use crate::ensemble::{self, Options};
use crate::network::Network;
use crate::report::{self, RunInfo, thousands};
use crate::scenario::{self, Diagnostic, Override, Scenario, ScenarioError};

/// Exit code when everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code for a failure that is not the scenario's fault (I/O).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for an invalid scenario.
pub const EXIT_INVALID: u8 = 2;

/// blockade: fuel supply under blockade, as a flow network, a convoy simulation and a
/// Monte Carlo ensemble.
#[derive(Debug, Parser)]
#[command(name = "blockade", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files and print a summary of each, or every problem found.
    Check(CheckArgs),
    /// Print the fully resolved scenario (includes merged, defaults filled).
    Export(ExportArgs),
    /// Simulate a scenario many times; write tables, charts and a report.
    Run(RunArgs),
}

/// Flags of `blockade run`.
#[derive(Debug, ClapArgs)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Number of replications (default: the scenario's `replications`).
    #[arg(long, short = 'n')]
    pub replications: Option<u64>,
    /// Seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder (default: outputs/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a field: PATH=VALUE, e.g. 'segments[KAY-DIE].risk=0.3' or fleet.trucks=800.
    /// Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Print nothing but errors; no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also write every chart as SVG, next to its PNG.
    #[arg(long)]
    pub svg: bool,
    /// Chart size in pixels.
    #[arg(long, value_name = "WxH", default_value_t = report::ChartSize::default())]
    pub size: report::ChartSize,
}

/// Flags of `blockade check`.
#[derive(Debug, ClapArgs)]
pub struct CheckArgs {
    /// Scenario files (RON, or JSON if the name ends in .json).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Flags of `blockade export`.
#[derive(Debug, ClapArgs)]
pub struct ExportArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Print JSON (for Python and R scripts).
    #[arg(long, conflicts_with = "ron")]
    pub json: bool,
    /// Print canonical RON (the default).
    #[arg(long)]
    pub ron: bool,
}

/// Parses the process arguments and runs the command; prints errors; returns the exit code.
pub fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Runs a parsed command.
///
/// # Errors
/// Failures that are not about the scenario's content (I/O), with context.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Check(a) => Ok(check(&a.files)),
        Command::Export(a) => export(&a),
        Command::Run(a) => run_scenario(&a),
    }
}

/// Prints diagnostics to stderr, a blank line between them.
fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}\n");
    }
}

/// Loads a scenario for a command, printing warnings; `Ok(None)` (already reported) if it
/// is invalid.
///
/// # Errors
/// I/O failures.
fn load_reporting(path: &Path) -> anyhow::Result<Option<scenario::Loaded>> {
    load_reporting_with(path, &[])
}

/// [`load_reporting`] with `--set` overrides.
fn load_reporting_with(path: &Path, sets: &[Override]) -> anyhow::Result<Option<scenario::Loaded>> {
    match scenario::load_with_overrides(path, sets) {
        Ok(l) => {
            print_diagnostics(&l.warnings);
            Ok(Some(l))
        }
        Err(ScenarioError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            let e = ScenarioError::Invalid { diagnostics };
            eprintln!("error: {}: {e}", path.display());
            Ok(None)
        }
        Err(e) => Err(e).with_context(|| format!("loading scenario {}", path.display())),
    }
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut code = EXIT_OK;
    for path in files {
        match load_reporting(path) {
            Ok(Some(l)) => println!("{}", summary(path, &l.scenario, l.warnings.len())),
            Ok(None) => code = code.max(EXIT_INVALID),
            Err(e) => {
                eprintln!("error: {e:#}");
                if code == EXIT_OK {
                    code = EXIT_FAILURE;
                }
            }
        }
    }
    ExitCode::from(code)
}

fn export(a: &ExportArgs) -> anyhow::Result<ExitCode> {
    let Some(l) = load_reporting(&a.file)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let text = if a.json {
        scenario::export::to_json(&l.scenario)
    } else {
        scenario::export::to_ron(&l.scenario)
    };
    println!("{text}");
    Ok(ExitCode::from(EXIT_OK))
}

fn plural(n: usize, word: &str) -> String {
    format!(
        "{n} {word}{}",
        if n == 1 {
            ""
        } else if word.ends_with('s') {
            "es"
        } else {
            "s"
        }
    )
}

/// The one-screen summary printed by `check`.
pub fn summary(path: &Path, s: &Scenario, warnings: usize) -> String {
    let sources = s.sources().count();
    let depots = s.depots().count();
    let waypoints = s.nodes.len() - sources - depots;
    let supply = s.total_supply_litres_per_day();
    let demand = s.total_demand_litres_per_day();
    let classes: usize = s.depots().map(|(_, d)| d.demand.len()).sum();
    let stock = s.total_initial_stock_litres();
    let capacity: f64 = s.depots().map(|(_, d)| d.capacity_litres).sum();
    let tl = s.fleet.truck_litres;
    let dos = if demand > 0.0 {
        format!("{:.1} days of demand", stock / demand)
    } else {
        "no demand".into()
    };
    let span = match s.start_date {
        Some(d) => format!("from {d} to {}", d.plus_days(i64::from(s.horizon_days))),
        None => "(no start_date)".into(),
    };
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for e in &s.events {
        match kinds.iter_mut().find(|(k, _)| *k == e.effect.kind_name()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((e.effect.kind_name(), 1)),
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let mut out = format!("{}: ok — \"{}\"", path.display(), s.name);
    if warnings > 0 {
        out.push_str(&format!(" ({})", plural(warnings, "warning")));
    }
    let rows = [
        (
            "network",
            format!(
                "{} ({sources} source{}, {depots} depot{}, {waypoints} waypoint{}), {}, {}",
                plural(s.nodes.len(), "node"),
                if sources == 1 { "" } else { "s" },
                if depots == 1 { "" } else { "s" },
                if waypoints == 1 { "" } else { "s" },
                plural(s.segments.len(), "segment"),
                plural(s.tags().len(), "tag"),
            ),
        ),
        (
            "supply",
            format!(
                "{} L/day from {} ({:.1} truckloads/day)",
                thousands(supply),
                plural(sources, "source"),
                supply / tl
            ),
        ),
        (
            "demand",
            format!(
                "{} L/day at {}, {}",
                thousands(demand),
                plural(depots, "depot"),
                plural(classes, "class")
            ),
        ),
        (
            "stock",
            format!(
                "{} L at day 0 ({dos}), capacity {} L",
                thousands(stock),
                thousands(capacity)
            ),
        ),
        (
            "fleet",
            format!(
                "{} x {} L = {} L",
                plural(s.fleet.trucks as usize, "truck"),
                thousands(tl),
                thousands(f64::from(s.fleet.trucks) * tl)
            ),
        ),
        (
            "horizon",
            format!(
                "{} {span}; {} replications, seed {}",
                plural(s.horizon_days as usize, "day"),
                thousands(f64::from(s.replications)),
                s.seed
            ),
        ),
        (
            "escorts",
            format!(
                "{} at day 0, threshold {}",
                s.escorts.units, s.escorts.threshold
            ),
        ),
        (
            "events",
            if kinds.is_empty() {
                "none".into()
            } else {
                format!("{} ({})", s.events.len(), kinds.join(", "))
            },
        ),
    ];
    for (k, v) in rows {
        out.push_str(&format!("\n  {k:<9} {v}"));
    }
    out
}

/// A folder name made of the scenario name's safe characters.
fn folder_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.trim_matches('.').is_empty() {
        "scenario".into()
    } else {
        safe
    }
}

/// Parses every `--set`; prints each malformed one. `None` if any was malformed.
fn parse_sets(raw: &[String]) -> Option<Vec<Override>> {
    let parsed: Vec<Result<Override, String>> = raw.iter().map(|s| Override::parse(s)).collect();
    let mut ok = true;
    for e in parsed.iter().filter_map(|p| p.as_ref().err()) {
        eprintln!("error: --set {e}");
        ok = false;
    }
    ok.then(|| parsed.into_iter().filter_map(Result::ok).collect())
}

/// A progress bar on stderr, shown only on a terminal, only once a run has lasted a second.
struct Progress {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    enabled: bool,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} replications ({eta} left)",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            start: std::time::Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
        }
    }

    fn update(&self, done: u64) {
        if self.enabled && self.bar.is_hidden() && self.start.elapsed().as_secs_f64() > 1.0 {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn run_scenario(a: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some(sets) = parse_sets(&a.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let s = &l.scenario;
    let net = Network::build(s);
    let opts = Options {
        replications: a.replications.unwrap_or(u64::from(s.replications)).max(1),
        seed: a.seed.unwrap_or(s.seed),
        threads: a.threads,
    };
    let progress = Progress::new(opts.replications, a.quiet);
    progress.bar.set_message(s.name.clone());
    let summary = ensemble::run(s, &net, &opts, &|done| progress.update(done));
    progress.finish();
    let summary = summary.context("the simulation stopped")?;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| Path::new("outputs").join(folder_name(&s.name)));
    let info = RunInfo {
        overrides: a.set.clone(),
        scenario_hash: scenario::export::fingerprint(s),
    };
    let mut files = report::write_tables(&dir, s, &summary, &info)
        .with_context(|| format!("writing outputs to {}", dir.display()))?;
    let chart_opts = report::ChartOptions::new(a.size, a.svg);
    files.extend(
        report::write_charts(&dir, s, &summary, &info, &chart_opts)
            .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    files.extend(
        report::write_report(&dir, s, &summary, &info)
            .with_context(|| format!("writing the report to {}", dir.display()))?,
    );
    if !a.quiet {
        print!("{}", report::headline(s, &summary));
        println!(
            "  outputs          {} files in {}",
            files.len(),
            dir.display()
        );
    }
    Ok(ExitCode::from(EXIT_OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe() {
        assert_eq!(folder_name("bamako-2025"), "bamako-2025");
        assert_eq!(folder_name("../etc/x y"), ".._etc_x_y");
        assert_eq!(folder_name(".."), "scenario");
    }
}
