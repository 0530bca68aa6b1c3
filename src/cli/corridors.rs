//! `blockade corridors`: what each corridor is worth, closed one at a time.

use super::*;

pub(super) fn corridors(a: &CorridorsArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => corridors_from(a, Source::Shard(sh)),
        None => corridors_from(a, Source::Compute),
    }
}

/// `corridors`, its ensembles from `source`.
pub(super) fn corridors_from(a: &CorridorsArgs, source: Source<'_>) -> anyhow::Result<()> {
    let StudyInput {
        sets,
        template: t,
        scenario: s,
        plan,
        ..
    } = study_input(&a.file, &a.flags, &[])?;
    let action = match ensemble::CorridorAction::parse(&a.action) {
        Ok(x) => x,
        Err(e) => return Err(study_failed(e)),
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
    let mut ens = study_ensembles(
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
    )?;
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
        Err(e) => return Err(study_failed(e)),
    };
    if ens.finish()? {
        return Ok(());
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
