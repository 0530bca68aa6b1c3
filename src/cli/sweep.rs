//! `blockade sweep`: a grid of `--vary` values, one ensemble per point.

use super::*;

pub(super) fn sweep(a: &SweepArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => sweep_from(a, Source::Shard(sh)),
        None => sweep_from(a, Source::Compute),
    }
}

/// `sweep`, its ensembles from `source`.
pub(super) fn sweep_from(a: &SweepArgs, source: Source<'_>) -> anyhow::Result<()> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        varies,
        plan,
    } = study_input(&a.file, &a.flags, &a.vary)?;
    let Some(kpis) = parse_kpis(&a.kpi, &s) else {
        return Err(Reported::INVALID.into());
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
    let mut ens = study_ensembles(
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
    )?;
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
        Err(e) => return Err(study_failed(e)),
    };
    if ens.finish()? {
        return Ok(());
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
