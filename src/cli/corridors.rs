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
    let input = study_input(&a.file, &a.flags, &[])?;
    let s = &input.scenario;
    let action = match ensemble::CorridorAction::parse(&a.action) {
        Ok(x) => x,
        Err(e) => return Err(study_failed(e)),
    };
    let opts = ensemble_options(&a.flags, s)?;
    let count = 1 + s.tags().len() as u64;
    let run = StudyRun {
        command: "corridors",
        file: &a.file,
        flags: &a.flags,
        charts: &a.charts,
        count,
        extra: vec!["--action".into(), a.action.clone()],
    };
    let study = |ens: ensemble::Ensembles<'_>, progress: &dyn Fn(usize, usize)| {
        ensemble::corridors_with(&input.template, &input.sets, action, &opts, ens, progress)
    };
    let Some(r) = run_study(&source, run, &input, &opts, study)? else {
        return Ok(());
    };
    let dir = out_dir(&a.flags, &s.name);
    let l = a.lang.lang;
    let charts = report::corridors_chart(s, &r, &dir, &study_chart_options(&a.charts, &a.flags, l));
    finish_study(
        &dir,
        ("corridors.csv", report::corridors_csv(&r)),
        charts,
        report::corridors_text(s, &r, l),
        &a.flags,
        l,
    )
}
