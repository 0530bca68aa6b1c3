//! `blockade tornado`: each `--vary` swung low and high, one at a time.

use super::*;

pub(super) fn tornado(a: &TornadoArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => tornado_from(a, Source::Shard(sh)),
        None => tornado_from(a, Source::Compute),
    }
}

/// What `blockade tornado` was asked, its own flags checked once: the KPI, and its flags
/// in canonical form for a shard's header.
struct TornadoQuery {
    kpi: Kpi,
    extra: Vec<String>,
}

impl TornadoQuery {
    /// Checks the flags of `a` on the base scenario `s`; a bad KPI is reported
    /// ([`Reported`], exit code 2).
    fn from_args(a: &TornadoArgs, s: &Scenario) -> anyhow::Result<TornadoQuery> {
        let Some(kpi) =
            parse_kpis(std::slice::from_ref(&a.kpi), s).and_then(|k| k.first().copied())
        else {
            return Err(Reported::INVALID.into());
        };
        let mut extra = Vec::new();
        for v in &a.vary {
            extra.push("--vary".to_string());
            extra.push(v.clone());
        }
        extra.push("--kpi".to_string());
        extra.push(a.kpi.clone());
        Ok(TornadoQuery { kpi, extra })
    }
}

/// `tornado`, its ensembles from `source`.
pub(super) fn tornado_from(a: &TornadoArgs, source: Source<'_>) -> anyhow::Result<()> {
    let input = study_input(&a.file, &a.flags, &a.vary)?;
    let s = &input.scenario;
    let TornadoQuery { kpi, extra } = TornadoQuery::from_args(a, s)?;
    let opts = ensemble_options(&a.flags, s)?;
    let count = 1 + 2 * input.varies.len() as u64;
    let run = StudyRun {
        command: "tornado",
        file: &a.file,
        flags: &a.flags,
        charts: &a.charts,
        count,
        extra,
    };
    let study = |ens: ensemble::Ensembles<'_>, progress: &dyn Fn(usize, usize)| {
        ensemble::tornado_with(
            &input.template,
            &input.sets,
            &input.varies,
            kpi,
            &opts,
            ens,
            progress,
        )
    };
    let Some(r) = run_study(&source, run, &input, &opts, study)? else {
        return Ok(());
    };
    let dir = out_dir(&a.flags, &s.name);
    let chart_opts = study_chart_options(&a.charts, &a.flags, a.lang.lang);
    let charts = report::tornado_chart(s, &r, &dir, &chart_opts);
    finish_study(
        &dir,
        ("tornado.csv", report::tornado_csv(&r)),
        charts,
        report::tornado_text(&r, a.lang.lang),
        &a.flags,
        a.lang.lang,
    )
}
