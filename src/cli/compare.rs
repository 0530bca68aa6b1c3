//! `blockade compare`: several scenarios side by side.

use super::*;

pub(super) fn compare(a: &CompareArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => compare_from(a, Source::Shard(sh)),
        None => compare_from(a, Source::Compute),
    }
}

/// What `blockade compare` was asked, its own flags checked once: the KPIs (`--kpi`, else
/// the first scenario's defaults), the output folder (`--out`, else one named after the
/// scenarios' labels and the `--set` overrides), and its own flags in canonical form for a
/// shard's header.
struct CompareQuery {
    kpis: Vec<Kpi>,
    dir: PathBuf,
    extra: Vec<String>,
}

impl CompareQuery {
    /// Checks the flags of `a` on the first scenario `first`, the scenarios labelled
    /// `names`; a bad KPI is reported ([`Reported`], exit code 2).
    fn from_args(a: &CompareArgs, first: &Scenario, names: &[String]) -> anyhow::Result<Self> {
        let Some(kpis) = parse_kpis(&a.kpi, first) else {
            return Err(Reported::INVALID.into());
        };
        let dir = a.flags.out.clone().unwrap_or_else(|| {
            Path::new("outputs").join(format!(
                "{}{}",
                folder_name(&format!("compare-{}", names.join("-vs-"))),
                overrides_suffix(&a.flags.set)
            ))
        });
        let mut extra = Vec::new();
        for k in &a.kpi {
            extra.push("--kpi".to_string());
            extra.push(k.clone());
        }
        Ok(CompareQuery { kpis, dir, extra })
    }
}

/// `compare`, its ensembles from `source`.
pub(super) fn compare_from(a: &CompareArgs, source: Source<'_>) -> anyhow::Result<()> {
    let Some(sets) = parse_sets(&a.flags.set) else {
        return Err(Reported::INVALID.into());
    };
    let mut scenarios = Vec::new();
    let mut plans = Vec::new();
    for f in &a.files {
        let Some(l) = load_reporting_with(f, &sets)? else {
            return Err(Reported::INVALID.into());
        };
        let plan = input_plan(&l.scenario, a.flags.inputs.as_deref())?;
        let t = if plan.is_empty() {
            None
        } else {
            match template(f)? {
                Some(t) => Some(t),
                None => return Err(Reported::INVALID.into()),
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
    let CompareQuery { kpis, dir, extra } = CompareQuery::from_args(a, first, &names)?;
    let opts = ensemble_options(&a.flags, first)?;
    let mut sharded = if matches!(source, Source::Compute) {
        None
    } else {
        if plans.iter().any(|(_, p)| !p.is_empty()) {
            eprintln!(
                "error: --shard does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without --shard"
            );
            return Err(Reported::INVALID.into());
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
            return Err(Reported::INVALID.into());
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
                    return Err(Reported::FAILURE.into());
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
                Err(e) => return Err(study_failed(e)),
            }
            progress.update(i as u64 + 1);
            continue;
        }
        match t {
            Some(t) => match ensemble::run_with_inputs(t, &sets, plan, &opts, &|x| x, &|_| {}) {
                Ok(r) => sums.push(r.summary),
                Err(e) => return Err(study_failed(e)),
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
        && x.finish()?
    {
        return Ok(());
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
            &study_chart_options(&a.charts, &a.flags, a.lang.lang),
        )
        .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "compare", &files, report::Clears::OwnFiles)?;
    if !a.flags.quiet {
        say_raw!(
            "{}",
            report::compare_text(&names, &rows, opts.replications, opts.seed, a.lang.lang)
        );
        print_written(&files, a.lang.lang);
    }
    Ok(())
}

/// Column labels for the scenarios of `compare`: their names, or their file stems when two
/// share a name, numbered if the stems clash too.
pub(super) fn compare_labels(scenarios: &[Scenario], files: &[PathBuf]) -> Vec<String> {
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
