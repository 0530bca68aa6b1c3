//! `blockade run`: one scenario's ensemble, its report folder and its printed summary.

use super::*;

/// What `blockade run` was asked, its own flags checked once, before the scenario is read:
/// the `--set` overrides parsed, `--as-of` a date, and how many replications per variant
/// the built-in sensitivity runs, if it runs.
pub(super) struct RunQuery<'a> {
    /// The flags as given.
    pub(super) args: &'a RunArgs,
    /// The `--set` overrides.
    pub(super) sets: Vec<Override>,
    /// The issue date (`--as-of`).
    pub(super) as_of: Option<scenario::Date>,
    /// Replications per variant asked of the built-in sensitivity (`--sensitivity-replications`,
    /// at least 1), or `None` with `--no-sensitivity`.
    pub(super) sensitivity: Option<u64>,
}

impl<'a> RunQuery<'a> {
    /// Checks the flags of `a`; a bad one is reported ([`Reported`], exit code 2).
    pub(super) fn from_args(a: &'a RunArgs) -> anyhow::Result<RunQuery<'a>> {
        let Some(sets) = parse_sets(&a.flags.set) else {
            return Err(Reported::INVALID.into());
        };
        let as_of = match &a.as_of {
            None => None,
            Some(d) => match scenario::Date::parse(d) {
                Some(date) => Some(date),
                None => {
                    eprintln!("error: --as-of `{d}` is not a date; write it as YYYY-MM-DD");
                    return Err(Reported::INVALID.into());
                }
            },
        };
        Ok(RunQuery {
            args: a,
            sets,
            as_of,
            sensitivity: (!a.no_sensitivity).then(|| a.sensitivity_replications.max(1)),
        })
    }
}

pub(super) fn run_scenario(a: &RunArgs) -> anyhow::Result<()> {
    let q = RunQuery::from_args(a)?;
    let sets = &q.sets;
    let Some(t) = template(&a.file)? else {
        return Err(Reported::INVALID.into());
    };
    let l = match t.with(sets) {
        Ok(l) => l,
        Err(ScenarioError::Invalid { diagnostics }) => {
            print_diagnostics(&diagnostics);
            let e = ScenarioError::Invalid { diagnostics };
            eprintln!("error: {}: {e}", a.file.display());
            return Err(Reported::INVALID.into());
        }
        Err(e) => {
            return Err(e).with_context(|| format!("loading scenario {}", a.file.display()));
        }
    };
    if !sets.is_empty() {
        print_diagnostics(&l.warnings);
    }
    let s = &l.scenario;
    let plan = input_plan(s, a.flags.inputs.as_deref())?;
    if !plan.is_empty() && a.keep_replications {
        eprintln!(
            "error: --keep-replications does not yet work with uncertain inputs or --inputs; fix the inputs with --set PATH=VALUE, or run without it"
        );
        return Err(Reported::INVALID.into());
    }
    if let Some(sh) = a.shard {
        let net = Network::build(s);
        return shard::run_shard(&q, sh, &t, s, &net, &plan);
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
            let header = shard::Header::new(&q, &t, s, &opts, shard::Shard::WHOLE);
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
        let r = ensemble::run_with_inputs(&t, sets, &plan, &opts, &|x| x, &|done| {
            progress.update(done)
        });
        progress.finish();
        let r = match r {
            Ok(r) => r,
            Err(e) => return Err(study_failed(e)),
        };
        let p = Progress::new(opts.replications, a.flags.quiet);
        p.bar.set_message("inputs at their medians".to_string());
        let at = ensemble::run_at_medians(&t, sets, &plan, &opts, &|done| p.update(done));
        p.finish();
        let at_medians = match at {
            Ok(x) => x,
            Err(e) => return Err(study_failed(e)),
        };
        // With --inputs, the same runs on the prior too: the fan before calibration.
        let prior = match plan.prior() {
            Some(pp) => {
                let p = Progress::new(opts.replications, a.flags.quiet);
                p.bar
                    .set_message("inputs drawn from their ranges".to_string());
                let r =
                    ensemble::run_with_inputs(&t, sets, &pp, &opts, &|x| x, &|done| p.update(done));
                p.finish();
                match r {
                    Ok(r) => Some(r.summary),
                    Err(e) => return Err(study_failed(e)),
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
    let sensitivity = if let Some(asked) = q.sensitivity {
        let inputs = ensemble::default_inputs(&t, s);
        let n = ensemble::sensitivity_replications(asked, summary.replications);
        let p = step_progress(
            ensemble::sensitivity_variants(&inputs) as u64,
            a.flags.quiet,
            "sensitivity",
        );
        let values = ensemble::sensitivity_values(&t, sets, &inputs, &opts, 0..n, &|done, _| {
            p.update(done as u64)
        });
        p.finish();
        let r = values.and_then(|v| {
            if let Some(k) = &mut keep {
                k.set_sensitivity(&v);
            }
            ensemble::assemble_sensitivity(sets, &t, &summary, &inputs, v, n, opts.seed)
        });
        match r {
            Ok(r) => Some(r),
            Err(e) => return Err(study_failed(e)),
        }
    } else {
        None
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
        &q,
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

/// What a run computed besides its summary: the built-in sensitivity and, with uncertain
/// inputs, their values and ranking.
pub(crate) struct RunExtras {
    /// The built-in sensitivity, unless skipped.
    pub sensitivity: Option<ensemble::Sensitivity>,
    /// The uncertain inputs' table, ranking and twin ensemble, if any.
    pub inputs: Option<Box<report::InputsInfo>>,
}

/// Writes the outputs of a run (tables, charts, report, and the `extra` files already in
/// the staging folder) and moves them into `out`; prints the headline unless quiet.
/// `blockade run` and `blockade merge` share it, so they write the same bytes.
pub(super) fn write_run_outputs(
    q: &RunQuery<'_>,
    s: &Scenario,
    summary: &ensemble::Summary,
    extras: RunExtras,
    staging: report::Staging,
    extra: Vec<PathBuf>,
    out: &Path,
) -> anyhow::Result<()> {
    let a = q.args;
    // Everything is written into a staging folder and moved into place at the end.
    let dir = staging.dir().to_path_buf();
    let RunExtras {
        sensitivity,
        inputs,
    } = extras;
    let info = RunInfo {
        overrides: a.flags.set.clone(),
        scenario_hash: scenario::export::fingerprint(s),
        as_of: q.as_of.map(|d| d.to_string()),
        sensitivity,
        csv_locale: a.flags.csv_locale,
        inputs,
        lang: a.lang.lang,
    };
    // The baseline flow analysis, once: the tables, the maps and the report show it.
    let flow = report::FlowBaseline::new(&Network::build(s), s);
    let mut files = report::write_tables(&dir, s, summary, &info, &flow)
        .with_context(|| format!("writing outputs to {}", dir.display()))?;
    let mut chart_opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
    chart_opts.lang = a.lang.lang;
    let charts = ensemble::on_threads(a.flags.threads, || {
        report::write_charts(&dir, s, summary, &info, &flow, &chart_opts)
    })
    .with_context(|| format!("writing charts to {}", dir.display()))?;
    let pages = report::write_report(&dir, s, summary, &info, &flow, &charts)
        .with_context(|| format!("writing the report to {}", dir.display()))?;
    files.extend(charts.files());
    files.extend(pages);
    files.extend(extra);
    let files = staging
        .commit(&files)
        .with_context(|| format!("writing outputs to {}", out.display()))?;
    record(out, "run", &files, report::Clears::Folder)?;
    if !a.flags.quiet {
        say_raw!("{}", report::headline(s, summary, &info));
        say!(
            "  {:<17} {}",
            a.lang.lang.t(report::Msg::HlOutputs),
            blockade::tr!(
                a.lang.lang,
                HlOutputsValue,
                n = files.len(),
                dir = out.display()
            )
        );
    }
    Ok(())
}
