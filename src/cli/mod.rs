//! The command line: flags, the commands, what is printed, and exit codes.
//!
//! This is the only module that reads arguments, prints, or uses `anyhow`. Every command
//! returns an [`ExitCode`]: 0 when all went well, 2 when a scenario is invalid, 1 for any
//! other failure (a file that cannot be read or written).

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

mod calibrate;
mod merge;
mod shard;

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
    /// Analyse the road network: max flow, min cut, critical segments, worst-case
    /// interdiction, the dispatch plan.
    Network(NetworkArgs),
    /// Run the ensemble at each value of one or more parameters (a grid) and tabulate KPIs.
    Sweep(SweepArgs),
    /// One-at-a-time sensitivity: which assumption moves a KPI most.
    Tornado(TornadoArgs),
    /// Compare scenarios run on the same random numbers.
    Compare(CompareArgs),
    /// The smallest initial stock (or airlift) that keeps a class supplied with a given
    /// confidence.
    Reserve(ReserveArgs),
    /// Which corridor matters most: close (or multiply the risk of) each tag in turn, on
    /// common random numbers, and rank the tags by unmet demand.
    Corridors(CorridorsArgs),
    /// History matching: which values of the uncertain inputs make the observations
    /// plausible; writes the retained points for `run --inputs`.
    Calibrate(calibrate::CalibrateArgs),
    /// Join the shard files of `run --shard I/N` into the outputs of the unsharded run.
    Merge(merge::MergeArgs),
}

/// Flags shared by the commands that run ensembles.
#[derive(Debug, ClapArgs)]
pub struct EnsembleFlags {
    /// Replications per ensemble (default: the scenario's `replications`), 1 to 10000000.
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=MAX_REPLICATIONS))]
    pub replications: Option<u64>,
    /// Seed (default: the scenario's `seed`). Every ensemble of the study uses it.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core), at most 1024. Results do not depend on it.
    #[arg(long, value_parser = bounded_usize::<MAX_THREADS>)]
    pub threads: Option<usize>,
    /// Refuse to start an ensemble estimated to need more memory than this (`512M`, `8G`;
    /// default: half of the machine's memory).
    #[arg(long, value_name = "SIZE", value_parser = parse_bytes)]
    pub max_memory: Option<u64>,
    /// Output folder. Default: outputs/<scenario name>/, or
    /// outputs/<scenario name>-<hash of the overrides>/ with --set; for compare,
    /// outputs/compare-<name>-vs-<name>/.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a field of the base scenario: PATH=VALUE. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Calibrated inputs (`CalibratedInputs(...)`, written by `calibrate`): replication r
    /// takes point r % K for the inputs the file lists; the scenario's other uncertain
    /// inputs are still drawn.
    #[arg(long, value_name = "FILE")]
    pub inputs: Option<PathBuf>,
    /// Print nothing but errors; no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// CSV style: `en` (comma, decimal point) or `fr` (semicolon, decimal comma, for a
    /// French-locale Excel). Every CSV starts with a UTF-8 byte-order mark.
    #[arg(long, value_name = "en|fr", default_value_t = report::CsvLocale::En)]
    pub csv_locale: report::CsvLocale,
}

/// Flags of `blockade sweep`.
#[derive(Debug, ClapArgs)]
pub struct SweepArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// PATH=V1,V2,... or PATH=START..END:STEP. Several make a grid.
    #[arg(long, required = true, value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// KPIs to report (default: unmet_protected, unmet_total, the measures that move one
    /// way when conditions worsen). Repeatable.
    #[arg(long)]
    pub kpi: Vec<String>,
    /// Give each point its own seeds (only to see what common random numbers buy).
    #[arg(long)]
    pub independent_seeds: bool,
    /// Compute only shard I of N (I from 0 to N-1): replications
    /// [floor(I·n/N), floor((I+1)·n/N)) of every ensemble of the study, written to one
    /// file, DIR/sweep-shard-I-of-N.arrow (DIR: --out, default outputs/<name>/shards/).
    /// `blockade merge` joins the N files into the outputs of the study without --shard.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Shared flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// Flags of `blockade tornado`.
#[derive(Debug, ClapArgs)]
pub struct TornadoArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// PATH=LOW,HIGH. Repeatable: one bar each.
    #[arg(long, required = true, value_name = "PATH=LOW,HIGH")]
    pub vary: Vec<String>,
    /// The KPI (default: unmet_protected).
    #[arg(long, default_value = "unmet_protected")]
    pub kpi: String,
    /// Compute only shard I of N (I from 0 to N-1): replications
    /// [floor(I·n/N), floor((I+1)·n/N)) of every ensemble of the study, written to one
    /// file, DIR/tornado-shard-I-of-N.arrow (DIR: --out, default outputs/<name>/shards/).
    /// `blockade merge` joins the N files into the outputs of the study without --shard.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Shared flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
    /// Language of the terminal lines and the chart: `en` or `fr` ("1 234,5", "12,5 %").
    /// The CSV stays English data; its number style is --csv-locale's alone.
    #[arg(long, value_name = "en|fr", default_value_t = report::Lang::En)]
    pub lang: report::Lang,
}

/// Flags of `blockade compare`.
#[derive(Debug, ClapArgs)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the reference.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    /// KPIs to compare (default: the sweep defaults). Repeatable.
    #[arg(long)]
    pub kpi: Vec<String>,
    /// Compute only shard I of N (I from 0 to N-1): replications
    /// [floor(I·n/N), floor((I+1)·n/N)) of every scenario, written to one file,
    /// DIR/compare-shard-I-of-N.arrow (DIR: --out, default the comparison's folder +
    /// shards/). The scenarios must share their depots, classes, sources and segments.
    /// `blockade merge` joins the N files into the outputs of compare without --shard.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Shared flags (`--set` applies to every scenario).
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// Flags of `blockade reserve`.
#[derive(Debug, ClapArgs)]
pub struct ReserveArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Days that must be covered, from day 0 (at most the horizon: lengthen it with
    /// `--set horizon_days=N`).
    #[arg(long, default_value_t = 90)]
    pub days: u32,
    /// Required probability that the classes get all their demand through those days.
    #[arg(long, default_value_t = 0.95)]
    pub confidence: f64,
    /// Class that must be served in full (default: every priority-1 class). Repeatable.
    #[arg(long)]
    pub class: Vec<String>,
    /// What to search: the depot's stock, a constant airlift, or a reserve for the
    /// protected classes only.
    #[arg(long, value_enum, default_value = "initial-stock")]
    pub lever: LeverArg,
    /// Day the lever acts from: a day number or an ISO date (default: day 0). The stock is
    /// then a one-off delivery that day, the airlift starts that day, the reserve is set
    /// aside that day.
    #[arg(long, value_name = "DAY|DATE")]
    pub from: Option<String>,
    /// Litres one aircraft rotation carries, to give an airlift in rotations per day
    /// (default: 18,000 L, a C-130-class transport with bladder tanks; an assumption).
    #[arg(long, default_value_t = ensemble::DEFAULT_PAYLOAD_LITRES)]
    pub payload_litres: f64,
    /// The depot (default: the first).
    #[arg(long)]
    pub depot: Option<String>,
    /// Not available for reserve (refused with the reason): the search is sequential, each
    /// ensemble's lever value depends on the result of the one before.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Shared flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// Flags of `blockade corridors`.
#[derive(Debug, ClapArgs)]
pub struct CorridorsArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// What is done to each tag: `close`, or `risk-multiplier=F`.
    #[arg(long, default_value = "close", value_name = "close|risk-multiplier=F")]
    pub action: String,
    /// Compute only shard I of N (I from 0 to N-1): replications
    /// [floor(I·n/N), floor((I+1)·n/N)) of every ensemble of the study, written to one
    /// file, DIR/corridors-shard-I-of-N.arrow (DIR: --out, default outputs/<name>/shards/).
    /// `blockade merge` joins the N files into the outputs of the study without --shard.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Shared flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// `--lever` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LeverArg {
    /// The depot's initial stock, litres.
    #[value(alias = "initial_stock")]
    InitialStock,
    /// A constant airlift into the depot from `--from` to the target day, litres per day.
    Airlift,
    /// Litres set aside for the protected classes only, drawn once the ordinary stock is
    /// exhausted.
    #[value(alias = "protected_reserve")]
    ProtectedReserve,
}

/// Flags of `blockade network`.
#[derive(Debug, ClapArgs)]
pub struct NetworkArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// Apply the events active on this day (closures, risk multipliers, supply factors).
    #[arg(long, value_name = "D")]
    pub at_day: Option<f64>,
    /// Worst-case interdiction up to this many segments (at most 100).
    #[arg(long, short = 'k', default_value_t = 3, value_parser = bounded_usize::<MAX_BUDGET>)]
    pub budget: usize,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Also write network.json, segments.csv and the map (network.png) into this folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Map flags.
    #[command(flatten)]
    pub charts: ChartFlags,
    /// Override a field: PATH=VALUE. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// CSV style of segments.csv: `en` (comma, decimal point) or `fr` (semicolon, decimal
    /// comma).
    #[arg(long, value_name = "en|fr", default_value_t = report::CsvLocale::En)]
    pub csv_locale: report::CsvLocale,
    /// Language of the terminal analysis and the maps: `en` or `fr` ("1 234,5", "12,5 %").
    /// JSON and CSV stay English data.
    #[arg(long, value_name = "en|fr", default_value_t = report::Lang::En)]
    pub lang: report::Lang,
}

/// Flags of `blockade run`.
#[derive(Debug, ClapArgs)]
pub struct RunArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// The issue date written in the report and summary.json (YYYY-MM-DD). Without it the
    /// outputs carry no date, so the same command gives the same bytes.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Skip the built-in sensitivity ("what would change it" on the report's first screen).
    #[arg(long)]
    pub no_sensitivity: bool,
    /// Replications per variant of the built-in sensitivity (at most the run's).
    #[arg(long, value_name = "N", default_value_t = ensemble::SENSITIVITY_REPLICATIONS)]
    pub sensitivity_replications: u64,
    /// Compute only shard I of N (I from 0 to N-1): the replications
    /// [floor(I·n/N), floor((I+1)·n/N)) and the same block of the sensitivity's, written to
    /// one file, DIR/shard-I-of-N.arrow (DIR: --out, default outputs/<name>/shards/).
    /// `blockade merge` joins the N files into the outputs of the run without --shard.
    /// With uncertain inputs the file also holds the block of the ensemble at the medians.
    #[arg(long, value_name = "I/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Also write replications.arrow: every replication's daily series and totals (Arrow
    /// IPC, for pandas, polars and R; docs/outputs.md).
    #[arg(long)]
    pub keep_replications: bool,
    /// Language of the terminal headline, the charts and the report: `en` or `fr`
    /// ("1 234,5", "12,5 %", "1 oct. 2025"). CSV and JSON stay English data; their number
    /// style is --csv-locale's alone.
    #[arg(long, value_name = "en|fr", default_value_t = report::Lang::En)]
    pub lang: report::Lang,
    /// Ensemble flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// Chart flags shared by the commands that draw.
#[derive(Debug, ClapArgs)]
pub struct ChartFlags {
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
    /// Report a scenario whose run is estimated to need more memory than this (`512M`,
    /// `8G`; default: half of the machine's memory).
    #[arg(long, value_name = "SIZE", value_parser = parse_bytes)]
    pub max_memory: Option<u64>,
}

/// Largest `-n`.
const MAX_REPLICATIONS: u64 = scenario::defaults::MAX_REPLICATIONS as u64;
/// Largest `--threads`.
const MAX_THREADS: usize = 1024;
/// Largest `network --budget`.
const MAX_BUDGET: usize = 100;

/// Parses a whole number from 0 to `MAX`.
fn bounded_usize<const MAX: usize>(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n <= MAX => Ok(n),
        Ok(n) => Err(format!("{n} is above the maximum {MAX}")),
        Err(_) => Err(format!("`{s}` is not a whole number from 0 to {MAX}")),
    }
}

/// Parses a byte count: `1048576`, `512K`, `512M`, `8G`, `1T` (powers of 1024; `MB`, `GiB`
/// and lower case read the same).
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let unit = unit.trim().to_ascii_lowercase();
    let shift = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return Err(format!("`{s}`: unknown unit (use K, M, G or T)")),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size such as 512M or 8G"))?;
    let bytes = v * (1u64 << shift) as f64;
    if bytes.is_finite() && bytes >= 1.0 && bytes < 2f64.powi(63) {
        Ok(bytes as u64)
    } else {
        Err(format!("`{s}` is not a size from 1 byte to 8 EiB"))
    }
}

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
    /// Override a field: PATH=VALUE. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
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
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
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
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Check(a) => Ok(check(&a.files, a.max_memory)),
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
        Err(e) => {
            let err = anyhow::Error::new(e).context(format!("loading scenario {}", path.display()));
            match nearest_file(path) {
                hint if hint.is_empty() => Err(err),
                hint => Err(anyhow::anyhow!("{err:#}{hint}")),
            }
        }
    }
}

fn check(files: &[PathBuf], max_memory: Option<u64>) -> ExitCode {
    let mut code = EXIT_OK;
    for path in files {
        match load_reporting(path) {
            Ok(Some(l)) => {
                let s = &l.scenario;
                say!("{}", summary(path, s, l.warnings.len()));
                match within_budget(s, u64::from(s.replications), None, max_memory) {
                    Ok(b) => say!(
                        "  budget    about {} of memory; at least {} events per replication, \
                         {:.1e} in all (limit {:.0e})",
                        ensemble::bytes_text(b.bytes),
                        thousands(b.events_per_replication),
                        b.events(u64::from(s.replications)),
                        ensemble::MAX_EVENTS
                    ),
                    Err(e) => {
                        eprintln!("error: {}: {e}", path.display());
                        if code == EXIT_OK {
                            code = EXIT_FAILURE;
                        }
                    }
                }
            }
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
    let Some(sets) = parse_sets(&a.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let text = if a.json {
        scenario::export::to_json(&l.scenario)
    } else {
        scenario::export::to_ron(&l.scenario)
    };
    say!("{text}");
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
    if !s.uncertain.is_empty() {
        out.push_str(&format!(
            "\n  uncertain {} (the figures above use their medians)",
            plural(s.uncertain.len(), "input")
        ));
        let width = s.uncertain.iter().map(|u| u.path.len()).max().unwrap_or(0);
        for u in &s.uncertain {
            let dist = scenario::schema::DistSpec::from_dist(&u.dist);
            let m = u.median();
            let median = if u.integer {
                format!("{m:.0}")
            } else {
                format!("{}", significant(m, 4))
            };
            out.push_str(&format!(
                "\n    {:<width$}  {dist}, median {median}",
                u.path
            ));
        }
    }
    out
}

/// `x` rounded to `digits` significant digits (for display).
fn significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
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

fn network(a: &NetworkArgs) -> anyhow::Result<ExitCode> {
    let Some(sets) = parse_sets(&a.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let s = &l.scenario;
    if let Some(d) = a.at_day
        && (!d.is_finite() || blockade::engine::SimTime::is_before_start(d))
    {
        eprintln!("error: --at-day must be a day number >= 0, got {d}");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let net = Network::build(s);
    let cond = match a.at_day {
        Some(d) => blockade::network::Conditions::at_day(s, d),
        None => blockade::network::Conditions::baseline(s),
    };
    let r = net.analyse(s, &cond, a.budget, a.at_day);
    if a.json {
        say_raw!("{}", report::network_json(s, &r));
    } else {
        say_raw!("{}", report::network_text_in(s, &r, a.lang));
    }
    if let Some(dir) = &a.out {
        let mut opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
        opts.csv_locale = a.csv_locale;
        opts.lang = a.lang;
        let l = a.lang;
        opts.facts = match a.at_day {
            Some(d) => blockade::tr!(
                l,
                NetFactsOnDay,
                date = s.day_label(d.floor() as i64),
                d = d
            ),
            None => blockade::tr!(l, FactsBaseline, overrides = ""),
        };
        if !a.set.is_empty() {
            opts.facts
                .push_str(&blockade::tr!(l, FactsOverrides, list = a.set.join(", ")));
        }
        let files = report::write_network(dir, s, &r, &opts)
            .with_context(|| format!("writing to {}", dir.display()))?;
        record(dir, "network", &files, report::Clears::OwnFiles)?;
        if !a.json {
            say!(
                "\n{}",
                blockade::tr!(l, NetFilesWritten, n = files.len(), dir = dir.display())
            );
        }
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Reads a template for a study, printing problems; `None` if invalid (already reported).
fn template(path: &Path) -> anyhow::Result<Option<scenario::Template>> {
    match scenario::Template::load(path) {
        Ok(t) => {
            print_diagnostics(&t.base().warnings);
            Ok(Some(t))
        }
        Err(ScenarioError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            let e = ScenarioError::Invalid { diagnostics };
            eprintln!("error: {}: {e}", path.display());
            Ok(None)
        }
        Err(e) => {
            let err = anyhow::Error::new(e).context(format!("loading scenario {}", path.display()));
            match nearest_file(path) {
                hint if hint.is_empty() => Err(err),
                hint => Err(anyhow::anyhow!("{err:#}{hint}")),
            }
        }
    }
}

/// Prints a study error: invalid scenarios with their diagnostics, others plainly.
/// Returns the exit code.
fn study_failed(e: StudyError) -> anyhow::Result<ExitCode> {
    match e {
        StudyError::Spec(m) => {
            eprintln!("error: {m}");
            Ok(ExitCode::from(EXIT_INVALID))
        }
        StudyError::Scenario {
            context,
            source: ScenarioError::Invalid { diagnostics },
        } => {
            print_diagnostics(&diagnostics);
            eprintln!("error: {context}: the scenario is invalid");
            Ok(ExitCode::from(EXIT_INVALID))
        }
        other => Err(anyhow::Error::new(other).context("the study stopped")),
    }
}

fn parse_kpis(raw: &[String], s: &Scenario) -> Option<Vec<Kpi>> {
    if raw.is_empty() {
        return Some(Kpi::defaults(s));
    }
    let mut out = Vec::new();
    for k in raw {
        match Kpi::parse(k) {
            Ok(k) => out.push(k),
            Err(m) => {
                eprintln!("error: --kpi {m}");
                return None;
            }
        }
    }
    Some(out)
}

/// A progress bar over study steps (ensembles), shown on a terminal after a second.
fn step_progress(total: u64, quiet: bool, what: &str) -> Progress {
    let p = Progress::new(total, quiet);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {msg} [{bar:40}] {pos}/{len} ({eta} left)",
    ) {
        p.bar.set_style(style.progress_chars("=> "));
    }
    p.bar.set_message(what.to_string());
    p
}

/// The uncertain inputs of `s` and, with `--inputs FILE`, the calibrated points that
/// replace the draws of the inputs the file lists. `Ok(Err(code))` when the file is bad or
/// names a path that is not an uncertain input of `s` (reported).
fn input_plan(
    s: &Scenario,
    file: Option<&Path>,
) -> anyhow::Result<Result<ensemble::InputPlan, ExitCode>> {
    let inputs = ensemble::scenario_inputs(s);
    let Some(file) = file else {
        return Ok(Ok(ensemble::InputPlan::drawn(inputs)));
    };
    let c = match scenario::CalibratedInputs::load(file) {
        Ok(c) => c,
        Err(e @ scenario::CalibratedError::Invalid { .. }) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            return Ok(Err(ExitCode::from(EXIT_INVALID)));
        }
        Err(e) => return Err(e.into()),
    };
    match ensemble::InputPlan::calibrated(inputs, c) {
        Ok(p) => Ok(Ok(p)),
        Err(e) => {
            eprintln!("error: {e}");
            Ok(Err(ExitCode::from(EXIT_INVALID)))
        }
    }
}

/// The ensemble options of the flags, once the run is known to fit the memory and event
/// limits.
///
/// # Errors
/// [`ensemble::OverBudget`] (exit code 1) when it does not.
fn ensemble_options(f: &EnsembleFlags, s: &Scenario) -> anyhow::Result<Options> {
    let opts = Options {
        replications: f.replications.unwrap_or(u64::from(s.replications)).max(1),
        seed: f.seed.unwrap_or(s.seed),
        threads: f.threads,
    };
    within_budget(s, opts.replications, opts.threads, f.max_memory)?;
    Ok(opts)
}

/// The output folder: `--out`, else `outputs/<name>/`, or `outputs/<name>-<hash>/` when
/// `--set` overrides are given, so a variant never overwrites the base case's folder.
fn out_dir(f: &EnsembleFlags, name: &str) -> PathBuf {
    f.out.clone().unwrap_or_else(|| {
        Path::new("outputs").join(format!("{}{}", folder_name(name), overrides_suffix(&f.set)))
    })
}

/// `-<8 hex digits>` of a hash of the `--set` overrides, or nothing without any.
fn overrides_suffix(sets: &[String]) -> String {
    if sets.is_empty() {
        return String::new();
    }
    // FNV-1a: stable across platforms and releases, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in sets.join("\n").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("-{:08x}", h >> 32)
}

/// Column labels for the scenarios of `compare`: their names, or their file stems when two
/// share a name, numbered if the stems clash too.
fn compare_labels(scenarios: &[Scenario], files: &[PathBuf]) -> Vec<String> {
    let names: Vec<String> = scenarios.iter().map(|s| s.name.clone()).collect();
    let unique = |v: &[String]| v.iter().enumerate().all(|(i, a)| !v[..i].contains(a));
    if unique(&names) {
        return names;
    }
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    if unique(&stems) {
        return stems;
    }
    stems
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{s}#{}", i + 1))
        .collect()
}

/// Records the files a command wrote in its folder's manifest, removing the stale ones
/// it replaces (`report::record_outputs`).
fn record(
    dir: &Path,
    command: &str,
    files: &[PathBuf],
    clears: report::Clears,
) -> anyhow::Result<()> {
    report::record_outputs(dir, command, files, clears)
        .with_context(|| format!("updating the manifest of {}", dir.display()))?;
    Ok(())
}

/// Writes `text` to `dir/name`; a `.csv` in `locale` (with a byte-order mark).
fn write_file(
    dir: &Path,
    name: &str,
    text: &str,
    locale: report::CsvLocale,
) -> anyhow::Result<PathBuf> {
    let p = dir.join(name);
    if name.ends_with(".csv") {
        report::write_csv(&p, text, locale)
    } else {
        report::write_atomic(&p, text.as_bytes())
    }
    .with_context(|| format!("writing {}", p.display()))?;
    Ok(p)
}

/// Chart options of a study: size and SVG from the flags, the `--set` overrides for the
/// subtitle.
fn study_chart_options(c: &ChartFlags, f: &EnsembleFlags) -> report::ChartOptions {
    let mut opts = report::ChartOptions::new(c.size, c.svg);
    if !f.set.is_empty() {
        opts.facts = format!("overrides: {}", f.set.join(", "));
    }
    opts
}

/// Prints where the study's files went.
fn print_written(files: &[PathBuf], l: report::Lang) {
    for (i, f) in files.iter().enumerate() {
        let head = if i == 0 {
            l.t(report::Msg::StudyWritten)
        } else {
            ""
        };
        say!("  {head:<14} {}", f.display());
    }
}

/// Where a study command's ensembles come from.
pub(super) enum Source<'a> {
    /// Run them (the command without `--shard`).
    Compute,
    /// Run only this shard's block of each, into a shard file.
    Shard(shard::Shard),
    /// Read them back from these checked shard files (`blockade merge`), in shard order.
    Merge(&'a [merge::Part]),
}

/// A study's ensembles, from where its [`Source`] says.
enum StudyEnsembles<'a> {
    Compute(&'a ensemble::InputPlan),
    Shard(Box<shard::StudyShard>),
    Merge(merge::StudyMerge),
}

impl StudyEnsembles<'_> {
    fn get(
        &mut self,
        t: &scenario::Template,
        sets: &[Override],
        s: &Scenario,
        o: &Options,
    ) -> Result<ensemble::Summary, StudyError> {
        match self {
            StudyEnsembles::Compute(plan) => ensemble::study_ensemble(t, sets, s, plan, o),
            StudyEnsembles::Shard(x) => x.ensemble(s, o),
            StudyEnsembles::Merge(x) => x.ensemble(s, o),
        }
    }

    /// The next ensemble of a shard or a merge, scenario `s` (a shard or merge source
    /// needs no template: the scenario is already built).
    fn get_sharded(&mut self, s: &Scenario, o: &Options) -> Result<ensemble::Summary, StudyError> {
        match self {
            StudyEnsembles::Compute(_) => {
                Err(StudyError::Source("not a sharded study (a bug)".into()))
            }
            StudyEnsembles::Shard(x) => x.ensemble(s, o),
            StudyEnsembles::Merge(x) => x.ensemble(s, o),
        }
    }

    /// After the study: a shard ends its file (and the command ends there, with the exit
    /// code given back); a merge checks every ensemble was read.
    fn finish(self) -> anyhow::Result<Option<ExitCode>> {
        match self {
            StudyEnsembles::Compute(_) => Ok(None),
            StudyEnsembles::Shard(x) => x.finish().map(Some),
            StudyEnsembles::Merge(x) => x.finish().map(|()| None),
        }
    }
}

/// The flags of a study that change its outputs, in canonical form (what the shard
/// header records and `merge` parses back): the ensemble and chart flags, then the
/// command's own `extra`.
fn study_flags(
    f: &EnsembleFlags,
    c: &ChartFlags,
    opts: &Options,
    extra: Vec<String>,
) -> Vec<String> {
    let mut v = vec![
        "--replications".to_string(),
        opts.replications.to_string(),
        "--seed".into(),
        opts.seed.to_string(),
    ];
    for s in &f.set {
        v.push("--set".into());
        v.push(s.clone());
    }
    v.push("--csv-locale".into());
    v.push(f.csv_locale.to_string());
    v.push("--size".into());
    v.push(c.size.to_string());
    if c.svg {
        v.push("--svg".into());
    }
    v.extend(extra);
    v
}

/// The ensembles of the study `command` (`count` of them) from `source`.
/// `Ok(Err(code))` when a problem was found and already reported.
#[allow(clippy::too_many_arguments)]
fn study_ensembles<'a>(
    source: &Source<'_>,
    command: &str,
    file: &Path,
    flags: &EnsembleFlags,
    canonical: Vec<String>,
    t: &scenario::Template,
    sets: &[Override],
    plan: &'a ensemble::InputPlan,
    opts: &Options,
    count: u64,
) -> anyhow::Result<Result<StudyEnsembles<'a>, ExitCode>> {
    if matches!(source, Source::Compute) {
        return Ok(Ok(StudyEnsembles::Compute(plan)));
    }
    if !plan.is_empty() {
        eprintln!(
            "error: --shard does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without --shard"
        );
        return Ok(Err(ExitCode::from(EXIT_INVALID)));
    }
    let base = match t.with(sets) {
        Ok(l) => l.scenario,
        Err(source) => {
            return study_failed(StudyError::Scenario {
                context: "base case".into(),
                source,
            })
            .map(Err);
        }
    };
    match source {
        Source::Compute => unreachable!("handled above"),
        Source::Shard(sh) => {
            let header = shard::Header::study(command, file, &base, opts, canonical, *sh, count);
            let dir = match &flags.out {
                Some(d) => d.clone(),
                None => out_dir(flags, &base.name).join("shards"),
            };
            Ok(Ok(StudyEnsembles::Shard(Box::new(
                shard::StudyShard::create(&dir, &base, &header, flags.quiet)?,
            ))))
        }
        Source::Merge(parts) => {
            let want = &parts[0].header.fingerprint;
            let fp = scenario::export::fingerprint(&base);
            if &fp != want {
                eprintln!(
                    "error: {} (fingerprint {fp}) is not the scenario the shards were run on \
                     (fingerprint {want}); give that file with --scenario; nothing written",
                    file.display()
                );
                return Ok(Err(ExitCode::from(EXIT_FAILURE)));
            }
            Ok(Ok(StudyEnsembles::Merge(merge::StudyMerge::open(
                parts, &base,
            )?)))
        }
    }
}

/// What a sweep or a tornado starts from.
struct StudyInput {
    sets: Vec<Override>,
    template: scenario::Template,
    scenario: Scenario,
    varies: Vec<Vary>,
    plan: ensemble::InputPlan,
}

/// Reads the overrides, the scenario and the `--vary` specs of a sweep or tornado.
/// `Ok(Err(code))` when a problem was found and already reported.
fn study_input(
    file: &Path,
    flags: &EnsembleFlags,
    vary: &[String],
) -> anyhow::Result<Result<StudyInput, ExitCode>> {
    let Some(sets) = parse_sets(&flags.set) else {
        return Ok(Err(ExitCode::from(EXIT_INVALID)));
    };
    let Some(template) = template(file)? else {
        return Ok(Err(ExitCode::from(EXIT_INVALID)));
    };
    let varies = match vary
        .iter()
        .map(|v| Vary::parse(v))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(v) => v,
        Err(e) => return study_failed(e).map(Err),
    };
    let scenario = template.base().scenario.clone();
    // The uncertain inputs of the base case with its overrides (a --set may re-range one).
    let with_sets = template.with(&sets).map(|l| l.scenario);
    let plan = match input_plan(
        with_sets.as_ref().unwrap_or(&scenario),
        flags.inputs.as_deref(),
    )? {
        Ok(p) => p,
        Err(code) => return Ok(Err(code)),
    };
    Ok(Ok(StudyInput {
        sets,
        template,
        scenario,
        varies,
        plan,
    }))
}

/// Writes a study's CSV and charts into `dir`, prints its table and the files unless
/// quiet.
fn finish_study(
    dir: &Path,
    csv: (&str, String),
    charts: Result<Vec<PathBuf>, report::ReportError>,
    text: String,
    flags: &EnsembleFlags,
    lang: report::Lang,
) -> anyhow::Result<ExitCode> {
    let quiet = flags.quiet;
    let mut files = vec![write_file(dir, csv.0, &csv.1, flags.csv_locale)?];
    files.extend(charts.with_context(|| format!("writing charts to {}", dir.display()))?);
    let command = csv.0.trim_end_matches(".csv");
    record(dir, command, &files, report::Clears::OwnFiles)?;
    if !quiet {
        say_raw!("{text}");
        print_written(&files, lang);
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn sweep(a: &SweepArgs) -> anyhow::Result<ExitCode> {
    match a.shard {
        Some(sh) => sweep_from(a, Source::Shard(sh)),
        None => sweep_from(a, Source::Compute),
    }
}

/// `sweep`, its ensembles from `source`.
fn sweep_from(a: &SweepArgs, source: Source<'_>) -> anyhow::Result<ExitCode> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        varies,
        plan,
    } = match study_input(&a.file, &a.flags, &a.vary)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let Some(kpis) = parse_kpis(&a.kpi, &s) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let opts = ensemble_options(&a.flags, &s)?;
    let total: usize = varies.iter().map(|v| v.values.len()).product();
    let progress = step_progress(total as u64, a.flags.quiet, "sweep");
    let seeds = if a.independent_seeds {
        Seeds::Independent
    } else {
        Seeds::Common
    };
    let mut extra = Vec::new();
    for v in &a.vary {
        extra.push("--vary".to_string());
        extra.push(v.clone());
    }
    for k in &a.kpi {
        extra.push("--kpi".to_string());
        extra.push(k.clone());
    }
    if a.independent_seeds {
        extra.push("--independent-seeds".into());
    }
    let canonical = study_flags(&a.flags, &a.charts, &opts, extra);
    let mut ens = match study_ensembles(
        &source,
        "sweep",
        &a.file,
        &a.flags,
        canonical,
        &t,
        &sets,
        &plan,
        &opts,
        total as u64,
    )? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let r = ensemble::sweep_with(
        &t,
        &sets,
        &varies,
        &kpis,
        &opts,
        seeds,
        &mut |t, sets, s, o| ens.get(t, sets, s, o),
        &|done, _| progress.update(done as u64),
    );
    progress.finish();
    let r = match r {
        Ok(r) => r,
        Err(e) => return study_failed(e),
    };
    if let Some(code) = ens.finish()? {
        return Ok(code);
    }
    let dir = out_dir(&a.flags, &s.name);
    let charts = report::sweep_chart(&s, &r, &dir, &study_chart_options(&a.charts, &a.flags));
    finish_study(
        &dir,
        ("sweep.csv", report::sweep_csv(&r)),
        charts,
        report::sweep_text(&r),
        &a.flags,
        report::Lang::En,
    )
}

fn tornado(a: &TornadoArgs) -> anyhow::Result<ExitCode> {
    match a.shard {
        Some(sh) => tornado_from(a, Source::Shard(sh)),
        None => tornado_from(a, Source::Compute),
    }
}

/// `tornado`, its ensembles from `source`.
fn tornado_from(a: &TornadoArgs, source: Source<'_>) -> anyhow::Result<ExitCode> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        varies,
        plan,
    } = match study_input(&a.file, &a.flags, &a.vary)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let Some(kpi) = parse_kpis(std::slice::from_ref(&a.kpi), &s).and_then(|k| k.first().copied())
    else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let opts = ensemble_options(&a.flags, &s)?;
    let count = 1 + 2 * varies.len() as u64;
    let progress = step_progress(count, a.flags.quiet, "tornado");
    let mut extra = Vec::new();
    for v in &a.vary {
        extra.push("--vary".to_string());
        extra.push(v.clone());
    }
    extra.push("--kpi".to_string());
    extra.push(a.kpi.clone());
    let canonical = study_flags(&a.flags, &a.charts, &opts, extra);
    let mut ens = match study_ensembles(
        &source, "tornado", &a.file, &a.flags, canonical, &t, &sets, &plan, &opts, count,
    )? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let r = ensemble::tornado_with(
        &t,
        &sets,
        &varies,
        kpi,
        &opts,
        &mut |t, sets, s, o| ens.get(t, sets, s, o),
        &|done, _| progress.update(done as u64),
    );
    progress.finish();
    let r = match r {
        Ok(r) => r,
        Err(e) => return study_failed(e),
    };
    if let Some(code) = ens.finish()? {
        return Ok(code);
    }
    let dir = out_dir(&a.flags, &s.name);
    let mut chart_opts = study_chart_options(&a.charts, &a.flags);
    chart_opts.lang = a.lang;
    let charts = report::tornado_chart(&s, &r, &dir, &chart_opts);
    finish_study(
        &dir,
        ("tornado.csv", report::tornado_csv(&r)),
        charts,
        report::tornado_text(&r, a.lang),
        &a.flags,
        a.lang,
    )
}

fn compare(a: &CompareArgs) -> anyhow::Result<ExitCode> {
    match a.shard {
        Some(sh) => compare_from(a, Source::Shard(sh)),
        None => compare_from(a, Source::Compute),
    }
}

/// `compare`, its ensembles from `source`.
fn compare_from(a: &CompareArgs, source: Source<'_>) -> anyhow::Result<ExitCode> {
    let Some(sets) = parse_sets(&a.flags.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let mut scenarios = Vec::new();
    let mut plans = Vec::new();
    for f in &a.files {
        let Some(l) = load_reporting_with(f, &sets)? else {
            return Ok(ExitCode::from(EXIT_INVALID));
        };
        let plan = match input_plan(&l.scenario, a.flags.inputs.as_deref())? {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
        let t = if plan.is_empty() {
            None
        } else {
            match template(f)? {
                Some(t) => Some(t),
                None => return Ok(ExitCode::from(EXIT_INVALID)),
            }
        };
        plans.push((t, plan));
        scenarios.push(l.scenario);
    }
    // The scenarios as loaded, before they are labelled: what shards are checked against.
    let fingerprint = scenarios
        .iter()
        .map(scenario::export::fingerprint)
        .collect::<Vec<_>>()
        .join("+");
    // Two scenarios of the same name get their file stems as labels, in the table, the
    // charts and the folder name.
    let names = compare_labels(&scenarios, &a.files);
    for (s, label) in scenarios.iter_mut().zip(&names) {
        s.name.clone_from(label);
    }
    let first = &scenarios[0];
    let Some(kpis) = parse_kpis(&a.kpi, first) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let opts = ensemble_options(&a.flags, first)?;
    let dir = a.flags.out.clone().unwrap_or_else(|| {
        Path::new("outputs").join(format!(
            "{}{}",
            folder_name(&format!("compare-{}", names.join("-vs-"))),
            overrides_suffix(&a.flags.set)
        ))
    });
    let mut sharded = if matches!(source, Source::Compute) {
        None
    } else {
        if plans.iter().any(|(_, p)| !p.is_empty()) {
            eprintln!(
                "error: --shard does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without --shard"
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        let layout = blockade::model::Layout::new(first);
        if let Some((f, _)) = a
            .files
            .iter()
            .zip(&scenarios)
            .find(|(_, s)| blockade::model::Layout::new(s) != layout)
        {
            eprintln!(
                "error: compare --shard needs scenarios with the same depots, classes, sources \
                 and segments (their replications share one shard file); {} differs from {}",
                f.display(),
                a.files[0].display()
            );
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        let mut extra = Vec::new();
        for k in &a.kpi {
            extra.push("--kpi".to_string());
            extra.push(k.clone());
        }
        // The other scenario files first: `merge` puts the first file before the flags.
        let mut canonical: Vec<String> = a.files[1..]
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        canonical.extend(study_flags(&a.flags, &a.charts, &opts, extra));
        match source {
            Source::Compute => None,
            Source::Shard(sh) => {
                let mut header = shard::Header::study(
                    "compare",
                    &a.files[0],
                    first,
                    &opts,
                    canonical,
                    sh,
                    scenarios.len() as u64,
                );
                header.fingerprint.clone_from(&fingerprint);
                let out = a.flags.out.clone().unwrap_or_else(|| dir.join("shards"));
                Some(StudyEnsembles::Shard(Box::new(shard::StudyShard::create(
                    &out,
                    first,
                    &header,
                    a.flags.quiet,
                )?)))
            }
            Source::Merge(parts) => {
                let want = &parts[0].header.fingerprint;
                if *want != fingerprint {
                    eprintln!(
                        "error: the scenario files (fingerprints {fingerprint}) are not those \
                         the shards were run on (fingerprints {want}); nothing written"
                    );
                    return Ok(ExitCode::from(EXIT_FAILURE));
                }
                Some(StudyEnsembles::Merge(merge::StudyMerge::open(
                    parts, first,
                )?))
            }
        }
    };
    let progress = step_progress(scenarios.len() as u64, a.flags.quiet, "compare");
    let mut sums = Vec::new();
    for (i, (s, (t, plan))) in scenarios.iter().zip(&plans).enumerate() {
        if let Some(x) = &mut sharded {
            match x.get_sharded(s, &opts) {
                Ok(sum) => sums.push(sum),
                Err(e) => return study_failed(e),
            }
            progress.update(i as u64 + 1);
            continue;
        }
        match t {
            Some(t) => match ensemble::run_with_inputs(t, &sets, plan, &opts, &|x| x, &|_| {}) {
                Ok(r) => sums.push(r.summary),
                Err(e) => return study_failed(e),
            },
            None => {
                let net = Network::build(s);
                sums.push(
                    ensemble::run(s, &net, &opts, &|_| {}).context("the simulation stopped")?,
                );
            }
        }
        progress.update(i as u64 + 1);
    }
    progress.finish();
    if let Some(x) = sharded
        && let Some(code) = x.finish()?
    {
        return Ok(code);
    }
    let rows = ensemble::compare(&scenarios, &sums, &kpis);
    let mut files = vec![write_file(
        &dir,
        "compare.csv",
        &report::compare_csv(&names, &rows),
        a.flags.csv_locale,
    )?];
    files.extend(
        report::compare_charts(
            &scenarios,
            &sums,
            &dir,
            &study_chart_options(&a.charts, &a.flags),
        )
        .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "compare", &files, report::Clears::OwnFiles)?;
    if !a.flags.quiet {
        say_raw!(
            "{}",
            report::compare_text(&names, &rows, opts.replications, opts.seed)
        );
        print_written(&files, report::Lang::En);
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn reserve(a: &ReserveArgs) -> anyhow::Result<ExitCode> {
    if a.shard.is_some() {
        eprintln!(
            "error: reserve cannot be sharded: it is a bisection, and the lever value of each \
             ensemble depends on the result of the one before, so its work cannot be split in \
             advance; run it on one machine (its ensembles use every core), or shard a sweep \
             over the lever (`blockade sweep --vary PATH=V1,V2,... --shard I/N`) and read the \
             smallest value that meets the target off sweep.csv"
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let Some(sets) = parse_sets(&a.flags.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let s = &l.scenario;
    let plan = match input_plan(s, a.flags.inputs.as_deref())? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let t = if plan.is_empty() {
        None
    } else {
        match template(&a.file)? {
            Some(t) => Some(t),
            None => return Ok(ExitCode::from(EXIT_INVALID)),
        }
    };
    let depot = match &a.depot {
        None => None,
        Some(id) => match s.node_by_id(id).filter(|n| s.depot(*n).is_some()) {
            Some(n) => Some(n),
            None => {
                eprintln!("error: --depot `{id}` is not a depot of the scenario");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        },
    };
    if a.days == 0 {
        eprintln!("error: --days must be at least 1");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let from = match a.from.as_deref().map(str::trim) {
        None => 0,
        Some(t) => match (t.parse::<u32>(), scenario::Date::parse(t), s.start_date) {
            (Ok(d), _, _) => d,
            (_, Some(d), Some(start)) if start.days_until(d) >= 0 => start.days_until(d) as u32,
            (_, Some(_), Some(start)) => {
                eprintln!("error: --from {t} is before the scenario's start date {start}");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            (_, Some(_), None) => {
                eprintln!("error: --from {t}: the scenario has no start_date; give a day number");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
            _ => {
                eprintln!("error: --from `{t}` is neither a day number nor an ISO date");
                return Ok(ExitCode::from(EXIT_INVALID));
            }
        },
    };
    let q = ReserveQuery {
        days: a.days,
        confidence: a.confidence,
        classes: a.class.clone(),
        lever: match a.lever {
            LeverArg::InitialStock => Lever::InitialStock,
            LeverArg::Airlift => Lever::Airlift,
            LeverArg::ProtectedReserve => Lever::ProtectedReserve,
        },
        depot,
        from,
        payload_litres: a.payload_litres,
    };
    let opts = ensemble_options(&a.flags, s)?;
    let progress = step_progress(40, a.flags.quiet, "reserve search");
    let inputs = t.as_ref().map(|t| (t, sets.as_slice(), &plan));
    let r = ensemble::reserve_on(s, &q, &opts, inputs, &|n| progress.update(n as u64));
    progress.finish();
    let r = match r {
        Ok(r) => r,
        Err(e) => return study_failed(e),
    };
    let dir = out_dir(&a.flags, &s.name);
    let mut files = vec![write_file(
        &dir,
        "reserve.json",
        &report::reserve_json(s, &q, &r, opts.replications, opts.seed),
        a.flags.csv_locale,
    )?];
    files.extend(
        report::reserve_chart(
            s,
            &q,
            &r,
            opts.replications,
            opts.seed,
            &dir,
            &study_chart_options(&a.charts, &a.flags),
        )
        .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "reserve", &files, report::Clears::OwnFiles)?;
    if !a.flags.quiet {
        say_raw!("{}", report::reserve_text(s, &q, &r, opts.replications));
        print_written(&files, report::Lang::En);
    }
    Ok(ExitCode::from(if r.reachable {
        EXIT_OK
    } else {
        EXIT_FAILURE
    }))
}

fn corridors(a: &CorridorsArgs) -> anyhow::Result<ExitCode> {
    match a.shard {
        Some(sh) => corridors_from(a, Source::Shard(sh)),
        None => corridors_from(a, Source::Compute),
    }
}

/// `corridors`, its ensembles from `source`.
fn corridors_from(a: &CorridorsArgs, source: Source<'_>) -> anyhow::Result<ExitCode> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        plan,
        ..
    } = match study_input(&a.file, &a.flags, &[])? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let action = match ensemble::CorridorAction::parse(&a.action) {
        Ok(x) => x,
        Err(e) => return study_failed(e),
    };
    let opts = ensemble_options(&a.flags, &s)?;
    let count = 1 + s.tags().len() as u64;
    let progress = step_progress(count, a.flags.quiet, "corridors");
    let canonical = study_flags(
        &a.flags,
        &a.charts,
        &opts,
        vec!["--action".into(), a.action.clone()],
    );
    let mut ens = match study_ensembles(
        &source,
        "corridors",
        &a.file,
        &a.flags,
        canonical,
        &t,
        &sets,
        &plan,
        &opts,
        count,
    )? {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let r = ensemble::corridors_with(
        &t,
        &sets,
        action,
        &opts,
        &mut |t, sets, s, o| ens.get(t, sets, s, o),
        &|done, _| progress.update(done as u64),
    );
    progress.finish();
    let r = match r {
        Ok(r) => r,
        Err(e) => return study_failed(e),
    };
    if let Some(code) = ens.finish()? {
        return Ok(code);
    }
    let dir = out_dir(&a.flags, &s.name);
    let charts = report::corridors_chart(&s, &r, &dir, &study_chart_options(&a.charts, &a.flags));
    finish_study(
        &dir,
        ("corridors.csv", report::corridors_csv(&r)),
        charts,
        report::corridors_text(&s, &r),
        &a.flags,
        report::Lang::En,
    )
}

fn run_scenario(a: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some(sets) = parse_sets(&a.flags.set) else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    if let Some(d) = &a.as_of
        && scenario::Date::parse(d).is_none()
    {
        eprintln!("error: --as-of `{d}` is not a date; write it as YYYY-MM-DD");
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    let Some(t) = template(&a.file)? else {
        return Ok(ExitCode::from(EXIT_INVALID));
    };
    let l = match t.with(&sets) {
        Ok(l) => l,
        Err(ScenarioError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            let e = ScenarioError::Invalid { diagnostics };
            eprintln!("error: {}: {e}", a.file.display());
            return Ok(ExitCode::from(EXIT_INVALID));
        }
        Err(e) => {
            return Err(e).with_context(|| format!("loading scenario {}", a.file.display()));
        }
    };
    if !sets.is_empty() {
        print_diagnostics(&l.warnings);
    }
    let s = &l.scenario;
    let plan = match input_plan(s, a.flags.inputs.as_deref())? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    if !plan.is_empty() && a.keep_replications {
        eprintln!(
            "error: --keep-replications does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without it"
        );
        return Ok(ExitCode::from(EXIT_INVALID));
    }
    if let Some(sh) = a.shard {
        let net = Network::build(s);
        return shard::run_shard(a, sh, &t, &sets, s, &net, &plan);
    }
    let opts = ensemble_options(&a.flags, s)?;
    let out = out_dir(&a.flags, &s.name);
    // With --keep-replications the records go to the staging folder as they come.
    let staging = if a.keep_replications {
        Some(
            report::Staging::new(&out)
                .with_context(|| format!("writing outputs to {}", out.display()))?,
        )
    } else {
        None
    };
    let mut keep = match &staging {
        Some(st) => {
            let header = shard::Header::new(a, &t, s, &opts, shard::Shard::WHOLE);
            Some(shard::Keeper::create(
                &st.dir().join(shard::KEPT_FILE),
                s,
                &header,
            )?)
        }
        None => None,
    };
    let progress = Progress::new(opts.replications, a.flags.quiet);
    progress.bar.set_message(s.name.clone());
    let (summary, inputs) = if plan.is_empty() {
        let net = Network::build(s);
        let summary = ensemble::run_range(
            s,
            &net,
            &opts,
            0..opts.replications,
            &|done| progress.update(done),
            &mut |r, rec| {
                if let Some(k) = &mut keep {
                    k.push(r, rec);
                }
            },
        );
        progress.finish();
        (summary.context("the simulation stopped")?, None)
    } else {
        let r = ensemble::run_with_inputs(&t, &sets, &plan, &opts, &|x| x, &|done| {
            progress.update(done)
        });
        progress.finish();
        let r = match r {
            Ok(r) => r,
            Err(e) => return study_failed(e),
        };
        let p = Progress::new(opts.replications, a.flags.quiet);
        p.bar.set_message("inputs at their medians".to_string());
        let at = ensemble::run_at_medians(&t, &sets, &plan, &opts, &|done| p.update(done));
        p.finish();
        let at_medians = match at {
            Ok(x) => x,
            Err(e) => return study_failed(e),
        };
        // With --inputs, the same runs on the prior too: the fan before calibration.
        let prior = match plan.prior() {
            Some(pp) => {
                let p = Progress::new(opts.replications, a.flags.quiet);
                p.bar
                    .set_message("inputs drawn from their ranges".to_string());
                let r = ensemble::run_with_inputs(&t, &sets, &pp, &opts, &|x| x, &|done| {
                    p.update(done)
                });
                p.finish();
                match r {
                    Ok(r) => Some(r.summary),
                    Err(e) => return study_failed(e),
                }
            }
            None => None,
        };
        let importance = ensemble::importance(&r.table, &r.summary, s.horizon_days, opts.seed);
        let info = report::InputsInfo {
            table: r.table,
            importance,
            at_medians,
            prior,
        };
        (r.summary, Some(Box::new(info)))
    };
    let sensitivity = if a.no_sensitivity {
        None
    } else {
        let inputs = ensemble::default_inputs(&t, s);
        let n = ensemble::sensitivity_replications(
            a.sensitivity_replications.max(1),
            summary.replications,
        );
        let p = step_progress(
            ensemble::sensitivity_variants(&inputs) as u64,
            a.flags.quiet,
            "sensitivity",
        );
        let values = ensemble::sensitivity_values(&t, &sets, &inputs, &opts, 0..n, &|done, _| {
            p.update(done as u64)
        });
        p.finish();
        let r = values.and_then(|v| {
            if let Some(k) = &mut keep {
                k.set_sensitivity(&v);
            }
            ensemble::assemble_sensitivity(&sets, &t, &summary, &inputs, v, n, opts.seed)
        });
        match r {
            Ok(r) => Some(r),
            Err(e) => return study_failed(e),
        }
    };
    let staging = match staging {
        Some(st) => st,
        None => report::Staging::new(&out)
            .with_context(|| format!("writing outputs to {}", out.display()))?,
    };
    let kept = match keep {
        Some(k) => vec![k.finish()?],
        None => Vec::new(),
    };
    write_run_outputs(
        a,
        s,
        &summary,
        RunExtras {
            sensitivity,
            inputs,
        },
        staging,
        kept,
        &out,
    )
}

/// Writes the outputs of a run (tables, charts, report, and the `extra` files already in
/// the staging folder) and moves them into `out`; prints the headline unless quiet.
/// `blockade run` and `blockade merge` share it, so they write the same bytes.
/// What a run computed besides its summary: the built-in sensitivity and, with uncertain
/// inputs, their values and ranking.
pub(crate) struct RunExtras {
    /// The built-in sensitivity, unless skipped.
    pub sensitivity: Option<ensemble::Sensitivity>,
    /// The uncertain inputs' table, ranking and twin ensemble, if any.
    pub inputs: Option<Box<report::InputsInfo>>,
}

fn write_run_outputs(
    a: &RunArgs,
    s: &Scenario,
    summary: &ensemble::Summary,
    extras: RunExtras,
    staging: report::Staging,
    extra: Vec<PathBuf>,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    // Everything is written into a staging folder and moved into place at the end.
    let dir = staging.dir().to_path_buf();
    let RunExtras {
        sensitivity,
        inputs,
    } = extras;
    let info = RunInfo {
        overrides: a.flags.set.clone(),
        scenario_hash: scenario::export::fingerprint(s),
        as_of: a.as_of.clone(),
        sensitivity,
        csv_locale: a.flags.csv_locale,
        inputs,
        lang: a.lang,
    };
    let mut files = report::write_tables(&dir, s, summary, &info)
        .with_context(|| format!("writing outputs to {}", dir.display()))?;
    let mut chart_opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
    chart_opts.lang = a.lang;
    files.extend(
        ensemble::on_threads(a.flags.threads, || {
            report::write_charts(&dir, s, summary, &info, &chart_opts)
        })
        .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    files.extend(
        report::write_report(&dir, s, summary, &info)
            .with_context(|| format!("writing the report to {}", dir.display()))?,
    );
    files.extend(extra);
    let files = staging
        .commit(&files)
        .with_context(|| format!("writing outputs to {}", out.display()))?;
    record(out, "run", &files, report::Clears::Folder)?;
    if !a.flags.quiet {
        say_raw!("{}", report::headline(s, summary, &info));
        say!(
            "  {:<17} {}",
            a.lang.t(report::Msg::HlOutputs),
            blockade::tr!(a.lang, HlOutputsValue, n = files.len(), dir = out.display())
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
