//! `blockade tornado`: each `--vary` swung low and high, one at a time.

use super::*;

pub(super) fn tornado(a: &TornadoArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => tornado_from(a, Source::Shard(sh)),
        None => tornado_from(a, Source::Compute),
    }
}

/// `tornado`, its ensembles from `source`.
pub(super) fn tornado_from(a: &TornadoArgs, source: Source<'_>) -> anyhow::Result<()> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        varies,
        plan,
    } = study_input(&a.file, &a.flags, &a.vary)?;
    let Some(kpi) = parse_kpis(std::slice::from_ref(&a.kpi), &s).and_then(|k| k.first().copied())
    else {
        return Err(Reported::INVALID.into());
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
    let mut ens = study_ensembles(
        &source, "tornado", &a.file, &a.flags, canonical, &t, &sets, &plan, &opts, count,
    )?;
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
        Err(e) => return Err(study_failed(e)),
    };
    if ens.finish()? {
        return Ok(());
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
