//! The command line's flags: the clap definitions of every command, and the parsers of
//! bounded numbers and sizes they use.

use super::*;

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

impl EnsembleFlags {
    /// The ensemble options these flags give on scenario `s`: `-n` (else the scenario's
    /// replications, at least 1), `--seed` (else the scenario's) and `--threads`; not yet
    /// checked against the memory limit (`ensemble_options` does that).
    pub fn options(&self, s: &Scenario) -> Options {
        Options {
            replications: self
                .replications
                .unwrap_or(u64::from(s.replications))
                .max(1),
            seed: self.seed.unwrap_or(s.seed),
            threads: self.threads,
        }
    }
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
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
    /// Language flag.
    #[command(flatten)]
    pub lang: LangFlag,
    /// Ensemble flags.
    #[command(flatten)]
    pub flags: EnsembleFlags,
    /// Chart flags.
    #[command(flatten)]
    pub charts: ChartFlags,
}

/// `--lang`, shared by every command that prints for planners and draws: `run`,
/// `network`, `sweep`, `tornado`, `compare`, `reserve`, `corridors`, `calibrate`.
#[derive(Debug, Clone, Copy, ClapArgs)]
pub struct LangFlag {
    /// Language of the terminal text, the charts and the report: `en` or `fr` ("1 234,5",
    /// "12,5 %", "1 oct. 2025"). CSV columns and JSON keys stay English data; the CSV
    /// number style is --csv-locale's alone.
    #[arg(long = "lang", value_name = "en|fr", default_value_t = report::Lang::En)]
    pub lang: report::Lang,
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
pub(super) const MAX_REPLICATIONS: u64 = scenario::defaults::MAX_REPLICATIONS as u64;

/// Largest `--threads`.
pub(super) const MAX_THREADS: usize = 1024;

/// Largest `network --budget`.
pub(super) const MAX_BUDGET: usize = 100;

/// Parses a whole number from 0 to `MAX`.
pub(super) fn bounded_usize<const MAX: usize>(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n <= MAX => Ok(n),
        Ok(n) => Err(format!("{n} is above the maximum {MAX}")),
        Err(_) => Err(format!("`{s}` is not a whole number from 0 to {MAX}")),
    }
}

/// Parses a byte count: `1048576`, `512K`, `512M`, `8G`, `1T` (powers of 1024; `MB`, `GiB`
/// and lower case read the same).
pub(super) fn parse_bytes(s: &str) -> Result<u64, String> {
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
