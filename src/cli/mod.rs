//! The command line: flags, the commands, what is printed, and exit codes.
//!
//! This is the only module that reads arguments, prints, or uses `anyhow`. Every command
//! returns `anyhow::Result<()>`; `main` maps it to the exit code: 0 when all went well, 2
//! when a scenario is invalid, 1 for any other failure (a file that cannot be read or
//! written). A failure already printed is a [`Reported`] error carrying its code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, Parser, Subcommand};

use blockade::ensemble::{self, Kpi, Lever, Options, ReserveQuery, Seeds, StudyError, Vary};
use blockade::network::Network;
use blockade::report::{self, RunInfo, thousands};
use blockade::scenario::{self, Diagnostic, Override, Scenario, ScenarioError};

/// The first failed write to standard output or error, other than a closed pipe: the
/// command then exits with code 1, whatever it printed (`export --json > file` on a full
/// disk must not look like success).
static OUTPUT_FAILED: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records a failed write to `stream`. A closed pipe (`blockade ... | head`) is not a failure:
/// the reader has all it wanted.
fn note_write(r: std::io::Result<()>, stream: &str) {
    if let Err(e) = r
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = OUTPUT_FAILED.set(format!("cannot write to standard {stream}: {e}"));
    }
}

/// Writes a line to standard output; a failure other than a closed pipe makes the exit
/// code 1 (never a panic, as with `println!`).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        note_write(writeln!(std::io::stdout().lock(), $($t)*), "output");
    }};
}

/// Writes to standard output without a newline, like [`say!`].
macro_rules! say_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        note_write(write!(std::io::stdout().lock(), $($t)*), "output");
    }};
}

/// Writes a line to standard error. Shadows `std`'s `eprintln!` in this module, which
/// panics (exit 101) when standard error is closed or full; a failed write here is recorded
/// like one to standard output.
macro_rules! eprintln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        note_write(writeln!(std::io::stderr().lock(), $($t)*), "error");
    }};
}

mod args;
mod calibrate;
mod check;
mod compare;
mod corridors;
mod export;
mod merge;
mod network;
mod reserve;
mod run;
mod shard;
mod study;
mod sweep;
mod tornado;

use args::*;
use check::*;
use compare::*;
use corridors::*;
use export::*;
use network::*;
use reserve::*;
use run::*;
use study::*;
use sweep::*;
use tornado::*;

/// Exit code when everything went well.
pub const EXIT_OK: u8 = 0;
/// Exit code for a failure that is not the scenario's fault (I/O).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for an invalid scenario.
pub const EXIT_INVALID: u8 = 2;

/// A failure already told to the user (its diagnostics and `error:` lines are printed):
/// the command stops and `main` exits with this code, printing nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported(pub u8);

impl Reported {
    /// The scenario, a flag or an input file is invalid (exit code 2).
    pub const INVALID: Reported = Reported(EXIT_INVALID);
    /// Another failure, already reported (exit code 1).
    pub const FAILURE: Reported = Reported(EXIT_FAILURE);
}

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "already reported (exit code {})", self.0)
    }
}

impl std::error::Error for Reported {}

/// The default `--max-memory`: half of the machine's memory (`MemTotal` of
/// `/proc/meminfo`), or 4 GiB where that cannot be read.
fn default_max_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb.saturating_mul(1024) / 2)
        })
        .unwrap_or(4 << 30)
}

/// Refuses an ensemble of `replications` runs of `s` estimated to need more memory than the
/// limit or more engine events than [`ensemble::MAX_EVENTS`].
///
/// # Errors
/// [`ensemble::OverBudget`] with the need, the limit and the knobs.
fn within_budget(
    s: &Scenario,
    replications: u64,
    threads: Option<usize>,
    max_memory: Option<u64>,
) -> Result<ensemble::Budget, ensemble::OverBudget> {
    let threads = threads
        .filter(|t| *t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let b = ensemble::budget(s, replications, threads);
    b.check(replications, max_memory.unwrap_or_else(default_max_memory))?;
    Ok(b)
}

/// Parses the process arguments and runs the command; prints errors; returns the exit code.
pub fn main() -> ExitCode {
    // A command line that cannot be understood exits 1, not clap's 2: 2 means an invalid
    // scenario. `--help` and `--version` exit 0.
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            });
        }
    };
    let code = match run(args) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) => match err.downcast_ref::<Reported>() {
            Some(r) => ExitCode::from(r.0),
            None => {
                eprintln!("error: {err:#}");
                ExitCode::from(EXIT_FAILURE)
            }
        },
    };
    note_write(std::io::Write::flush(&mut std::io::stdout()), "output");
    match OUTPUT_FAILED.get() {
        Some(why) => {
            // Standard error may be what failed: then there is no one left to tell.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("error: {why}\n").as_bytes(),
            );
            if code == ExitCode::from(EXIT_OK) {
                ExitCode::from(EXIT_FAILURE)
            } else {
                code
            }
        }
        None => code,
    }
}

/// Runs a parsed command.
///
/// # Errors
/// Failures that are not about the scenario's content (I/O), with context.
pub fn run(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Check(a) => check(&a.files, a.max_memory),
        Command::Export(a) => export(&a),
        Command::Run(a) => run_scenario(&a),
        Command::Network(a) => network(&a),
        Command::Sweep(a) => sweep(&a),
        Command::Tornado(a) => tornado(&a),
        Command::Compare(a) => compare(&a),
        Command::Reserve(a) => reserve(&a),
        Command::Calibrate(a) => calibrate::calibrate_command(&a),
        Command::Corridors(a) => corridors(&a),
        Command::Merge(a) => merge::merge(&a),
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

/// Reports a scenario that could not be loaded from `path`: an invalid one with its
/// diagnostics (`Ok(None)`: already reported), any other failure with context and the
/// name of a similar file if there is one.
fn load_failed<T>(path: &Path, e: ScenarioError) -> anyhow::Result<Option<T>> {
    match e {
        ScenarioError::Invalid { diagnostics } => {
            print_diagnostics(&diagnostics);
            let e = ScenarioError::Invalid { diagnostics };
            eprintln!("error: {}: {e}", path.display());
            Ok(None)
        }
        e => {
            let err = anyhow::Error::new(e).context(format!("loading scenario {}", path.display()));
            match nearest_file(path) {
                hint if hint.is_empty() => Err(err),
                hint => Err(anyhow::anyhow!("{err:#}{hint}")),
            }
        }
    }
}

/// [`load_reporting`] with `--set` overrides.
fn load_reporting_with(path: &Path, sets: &[Override]) -> anyhow::Result<Option<scenario::Loaded>> {
    match scenario::load_with_overrides(path, sets) {
        Ok(l) => {
            print_diagnostics(&l.warnings);
            Ok(Some(l))
        }
        Err(e) => load_failed(path, e),
    }
}

/// "; did you mean `networks/mali.ron`?" when `path` does not exist and a file of a
/// similar name sits in the same folder; else nothing.
fn nearest_file(path: &Path) -> String {
    if path.exists() {
        return String::new();
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return String::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    match scenario::validate::closest(&name, names.iter().map(String::as_str)) {
        Some(best) => format!("; did you mean `{}`?", dir.join(best).display()),
        None => String::new(),
    }
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
