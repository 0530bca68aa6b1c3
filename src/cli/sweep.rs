//! `blockade sweep`: a grid of `--vary` values, one ensemble per point.

use super::*;

pub(super) fn sweep(a: &SweepArgs) -> anyhow::Result<()> {
    match a.shard {
        Some(sh) => sweep_from(a, Source::Shard(sh)),
        None => sweep_from(a, Source::Compute),
    }
}

/// What `blockade sweep` was asked, its own flags checked once: the KPIs (`--kpi`, else
/// the defaults), the seeds (`--independent-seeds`), and its flags in canonical form for a
/// shard's header.
struct SweepQuery {
    kpis: Vec<Kpi>,
    seeds: Seeds,
    extra: Vec<String>,
}

impl SweepQuery {
    /// Checks the flags of `a` on the base scenario `s`; a bad KPI is reported
    /// ([`Reported`], exit code 2).
    fn from_args(a: &SweepArgs, s: &Scenario) -> anyhow::Result<SweepQuery> {
        let Some(kpis) = parse_kpis(&a.kpi, s) else {
            return Err(Reported::INVALID.into());
        };
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
        Ok(SweepQuery { kpis, seeds, extra })
    }
}

/// `sweep`, its ensembles from `source`.
pub(super) fn sweep_from(a: &SweepArgs, source: Source<'_>) -> anyhow::Result<()> {
    let input = study_input(&a.file, &a.flags, &a.vary)?;
    let s = &input.scenario;
    let SweepQuery { kpis, seeds, extra } = SweepQuery::from_args(a, s)?;
    let opts = ensemble_options(&a.flags, s)?;
    let total: usize = input.varies.iter().map(|v| v.values.len()).product();
    let run = StudyRun {
        command: "sweep",
        file: &a.file,
        flags: &a.flags,
        charts: &a.charts,
        count: total as u64,
        extra,
    };
    let study = |ens: ensemble::Ensembles<'_>, progress: &dyn Fn(usize, usize)| {
        ensemble::sweep_with(
            &input.template,
            &input.sets,
            &input.varies,
            &kpis,
            &opts,
            seeds,
            ens,
            progress,
        )
    };
    let Some(r) = run_study(&source, run, &input, &opts, study)? else {
        return Ok(());
    };
    let dir = out_dir(&a.flags, &s.name);
    let l = a.lang.lang;
    let charts = report::sweep_chart(s, &r, &dir, &study_chart_options(&a.charts, &a.flags, l));
    finish_study(
        &dir,
        ("sweep.csv", report::sweep_csv(&r)),
        charts,
        report::sweep_text(&r, l),
        &a.flags,
        l,
    )
}
