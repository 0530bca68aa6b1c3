//! What the study commands share: the progress bar, loading a template and its inputs, the
//! ensembles from their source (computed, sharded, merged), the output folder, and the
//! closing sequence that writes the CSV and charts, records them and prints the table.

use super::*;

/// A progress bar on stderr, shown only on a terminal, only once a run has lasted a second.
pub(super) struct Progress {
    pub(super) bar: indicatif::ProgressBar,
    pub(super) start: std::time::Instant,
    pub(super) enabled: bool,
}

impl Progress {
    pub(super) fn new(total: u64, quiet: bool) -> Progress {
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

    pub(super) fn update(&self, done: u64) {
        if self.enabled && self.bar.is_hidden() && self.start.elapsed().as_secs_f64() > 1.0 {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done);
    }

    pub(super) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Reads a template for a study, printing problems; `None` if invalid (already reported).
pub(super) fn template(path: &Path) -> anyhow::Result<Option<scenario::Template>> {
    match scenario::Template::load(path) {
        Ok(t) => {
            print_diagnostics(&t.base().warnings);
            Ok(Some(t))
        }
        Err(e) => load_failed(path, e),
    }
}

/// Prints a study error: invalid scenarios with their diagnostics ([`Reported`], exit
/// code 2); others are returned with context for `main` to print.
pub(super) fn study_failed(e: StudyError) -> anyhow::Error {
    match e {
        StudyError::Spec(m) => {
            eprintln!("error: {m}");
            Reported::INVALID.into()
        }
        StudyError::Scenario {
            context,
            source: ScenarioError::Invalid { diagnostics },
        } => {
            print_diagnostics(&diagnostics);
            eprintln!("error: {context}: the scenario is invalid");
            Reported::INVALID.into()
        }
        other => anyhow::Error::new(other).context("the study stopped"),
    }
}

pub(super) fn parse_kpis(raw: &[String], s: &Scenario) -> Option<Vec<Kpi>> {
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
pub(super) fn step_progress(total: u64, quiet: bool, what: &str) -> Progress {
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
/// replace the draws of the inputs the file lists. a [`Reported`] error when the file is bad or
/// names a path that is not an uncertain input of `s` (reported).
pub(super) fn input_plan(s: &Scenario, file: Option<&Path>) -> anyhow::Result<ensemble::InputPlan> {
    let inputs = ensemble::scenario_inputs(s);
    let Some(file) = file else {
        return Ok(ensemble::InputPlan::drawn(inputs));
    };
    let c = match scenario::CalibratedInputs::load(file) {
        Ok(c) => c,
        Err(e @ scenario::CalibratedError::Invalid { .. }) => {
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            return Err(Reported::INVALID.into());
        }
        Err(e) => return Err(e.into()),
    };
    match ensemble::InputPlan::calibrated(inputs, c) {
        Ok(p) => Ok(p),
        Err(e) => {
            eprintln!("error: {e}");
            Err(Reported::INVALID.into())
        }
    }
}

/// The ensemble options of the flags, once the run is known to fit the memory and event
/// limits.
///
/// # Errors
/// [`ensemble::OverBudget`] (exit code 1) when it does not.
pub(super) fn ensemble_options(f: &EnsembleFlags, s: &Scenario) -> anyhow::Result<Options> {
    let opts = f.options(s);
    within_budget(s, opts.replications, opts.threads, f.max_memory)?;
    Ok(opts)
}

/// The output folder: `--out`, else `outputs/<name>/`, or `outputs/<name>-<hash>/` when
/// `--set` overrides are given, so a variant never overwrites the base case's folder.
pub(super) fn out_dir(f: &EnsembleFlags, name: &str) -> PathBuf {
    f.out.clone().unwrap_or_else(|| {
        Path::new("outputs").join(format!("{}{}", folder_name(name), overrides_suffix(&f.set)))
    })
}

/// `-<8 hex digits>` of a hash of the `--set` overrides, or nothing without any.
pub(super) fn overrides_suffix(sets: &[String]) -> String {
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

/// Records the files a command wrote in its folder's manifest, removing the stale ones
/// it replaces (`report::record_outputs`).
pub(super) fn record(
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
pub(super) fn write_file(
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
/// subtitle, the language of `--lang`.
pub(super) fn study_chart_options(
    c: &ChartFlags,
    f: &EnsembleFlags,
    lang: report::Lang,
) -> report::ChartOptions {
    let mut opts = report::ChartOptions::new(c.size, c.svg);
    opts.lang = lang;
    if !f.set.is_empty() {
        opts.facts = blockade::tr!(lang, FactsOverridesList, list = f.set.join(", "));
    }
    opts
}

/// Prints where the study's files went.
pub(super) fn print_written(files: &[PathBuf], l: report::Lang) {
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
pub(super) enum StudyEnsembles<'a> {
    Compute(&'a ensemble::InputPlan),
    Shard(Box<shard::StudyShard>),
    Merge(merge::StudyMerge),
}

impl StudyEnsembles<'_> {
    pub(super) fn get(
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
    pub(super) fn get_sharded(
        &mut self,
        s: &Scenario,
        o: &Options,
    ) -> Result<ensemble::Summary, StudyError> {
        match self {
            StudyEnsembles::Compute(_) => {
                Err(StudyError::Source("not a sharded study (a bug)".into()))
            }
            StudyEnsembles::Shard(x) => x.ensemble(s, o),
            StudyEnsembles::Merge(x) => x.ensemble(s, o),
        }
    }

    /// After the study: a shard ends its file, and `true` says the command ends there; a
    /// merge checks every ensemble was read.
    pub(super) fn finish(self) -> anyhow::Result<bool> {
        match self {
            StudyEnsembles::Compute(_) => Ok(false),
            StudyEnsembles::Shard(x) => x.finish().map(|()| true),
            StudyEnsembles::Merge(x) => x.finish().map(|()| false),
        }
    }
}

/// The flags of a study that change its outputs, in canonical form (what the shard
/// header records and `merge` parses back): the ensemble and chart flags, then the
/// command's own `extra`.
pub(super) fn study_flags(
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
/// a [`Reported`] error when a problem was found and already reported.
#[allow(clippy::too_many_arguments)]
pub(super) fn study_ensembles<'a>(
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
) -> anyhow::Result<StudyEnsembles<'a>> {
    if matches!(source, Source::Compute) {
        return Ok(StudyEnsembles::Compute(plan));
    }
    if !plan.is_empty() {
        eprintln!(
            "error: --shard does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without --shard"
        );
        return Err(Reported::INVALID.into());
    }
    let base = match t.with(sets) {
        Ok(l) => l.scenario,
        Err(source) => {
            return Err(study_failed(StudyError::Scenario {
                context: "base case".into(),
                source,
            }));
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
            Ok(StudyEnsembles::Shard(Box::new(shard::StudyShard::create(
                &dir,
                &base,
                &header,
                flags.quiet,
            )?)))
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
                return Err(Reported::FAILURE.into());
            }
            Ok(StudyEnsembles::Merge(merge::StudyMerge::open(
                parts, &base,
            )?))
        }
    }
}

/// What a sweep or a tornado starts from.
pub(super) struct StudyInput {
    pub(super) sets: Vec<Override>,
    pub(super) template: scenario::Template,
    pub(super) scenario: Scenario,
    pub(super) varies: Vec<Vary>,
    pub(super) plan: ensemble::InputPlan,
}

/// Reads the overrides, the scenario and the `--vary` specs of a sweep or tornado.
/// a [`Reported`] error when a problem was found and already reported.
pub(super) fn study_input(
    file: &Path,
    flags: &EnsembleFlags,
    vary: &[String],
) -> anyhow::Result<StudyInput> {
    let Some(sets) = parse_sets(&flags.set) else {
        return Err(Reported::INVALID.into());
    };
    let Some(template) = template(file)? else {
        return Err(Reported::INVALID.into());
    };
    let varies = match vary
        .iter()
        .map(|v| Vary::parse(v))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(v) => v,
        Err(e) => return Err(study_failed(e)),
    };
    let scenario = template.base().scenario.clone();
    // The uncertain inputs of the base case with its overrides (a --set may re-range one).
    let with_sets = template.with(&sets).map(|l| l.scenario);
    let plan = input_plan(
        with_sets.as_ref().unwrap_or(&scenario),
        flags.inputs.as_deref(),
    )?;
    Ok(StudyInput {
        sets,
        template,
        scenario,
        varies,
        plan,
    })
}

/// Writes a study's CSV and charts into `dir`, prints its table and the files unless
/// quiet.
pub(super) fn finish_study(
    dir: &Path,
    csv: (&str, String),
    charts: Result<Vec<PathBuf>, report::ReportError>,
    text: String,
    flags: &EnsembleFlags,
    lang: report::Lang,
) -> anyhow::Result<()> {
    let quiet = flags.quiet;
    let mut files = vec![write_file(dir, csv.0, &csv.1, flags.csv_locale)?];
    files.extend(charts.with_context(|| format!("writing charts to {}", dir.display()))?);
    let command = csv.0.trim_end_matches(".csv");
    record(dir, command, &files, report::Clears::OwnFiles)?;
    if !quiet {
        say_raw!("{text}");
        print_written(&files, lang);
    }
    Ok(())
}

/// What a grid study (sweep, tornado, corridors) runs: its command, its scenario file, its
/// flags, how many ensembles, and its own flags in canonical form (for a shard's header).
pub(super) struct StudyRun<'a> {
    pub(super) command: &'a str,
    pub(super) file: &'a Path,
    pub(super) flags: &'a EnsembleFlags,
    pub(super) charts: &'a ChartFlags,
    pub(super) count: u64,
    pub(super) extra: Vec<String>,
}

/// Runs a study under a progress bar, its ensembles from `source`; a study error is
/// reported. `Ok(None)` when the command ends there (a shard file was written), else the
/// study's result for the command to write.
pub(super) fn run_study<R>(
    source: &Source<'_>,
    run: StudyRun<'_>,
    input: &StudyInput,
    opts: &Options,
    study: impl FnOnce(ensemble::Ensembles<'_>, &dyn Fn(usize, usize)) -> Result<R, StudyError>,
) -> anyhow::Result<Option<R>> {
    let progress = step_progress(run.count, run.flags.quiet, run.command);
    let canonical = study_flags(run.flags, run.charts, opts, run.extra);
    let mut ens = study_ensembles(
        source,
        run.command,
        run.file,
        run.flags,
        canonical,
        &input.template,
        &input.sets,
        &input.plan,
        opts,
        run.count,
    )?;
    let r = study(&mut |t, sets, s, o| ens.get(t, sets, s, o), &|done, _| {
        progress.update(done as u64)
    });
    progress.finish();
    let r = r.map_err(study_failed)?;
    if ens.finish()? {
        return Ok(None);
    }
    Ok(Some(r))
}
