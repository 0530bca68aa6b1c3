//! The command line: flags, the commands, what is printed, and exit codes.
//!
//! This is the only module that reads arguments, prints, or uses `anyhow`. Every command
//! returns an [`ExitCode`]: 0 when all went well, 2 when a scenario is invalid, 1 for any
//! other failure (a file that cannot be read or written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser, Subcommand};

use crate::scenario::{self, Diagnostic, Scenario, ScenarioError};

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
    match scenario::load(path) {
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

use crate::report::thousands;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        use super::thousands;
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-46_000.0), "-46,000");
        assert_eq!(thousands(0.0), "0");
    }
}
