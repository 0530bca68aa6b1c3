//! Sweeps: one parameter varied over values or a grid, every point an ensemble.

use super::*;

/// Runs the ensemble at every point of the grid spanned by `varies` and estimates `kpis`.
/// `progress(done, total)` is called after each point.
///
/// # Errors
/// [`StudyError::Scenario`] naming the first point whose scenario is invalid;
/// [`StudyError::Conservation`] on a ledger failure.
pub fn sweep(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    let plan = base_plan(t, base)?;
    sweep_on(t, base, varies, kpis, opts, seeds, &plan, progress)
}

/// [`sweep`] with the uncertain inputs of `plan` (drawn, or calibrated points): every point
/// draws them per replication on top of its values; a varied path that is uncertain is
/// fixed at the point's value.
///
/// # Errors
/// As [`sweep`].
#[allow(clippy::too_many_arguments)]
pub fn sweep_on(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    plan: &crate::ensemble::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    sweep_with(
        t,
        base,
        varies,
        kpis,
        opts,
        seeds,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`sweep`] with its ensembles from `ens`, one per grid point in grid order.
///
/// # Errors
/// As [`sweep`], and those of `ens`.
#[allow(clippy::too_many_arguments)]
pub fn sweep_with(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpis: &[Kpi],
    opts: &Options,
    seeds: Seeds,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<SweepResult, StudyError> {
    let size = varies
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
        .filter(|n| *n <= MAX_GRID_POINTS);
    if size.is_none() {
        let dims: Vec<String> = varies.iter().map(|v| v.values.len().to_string()).collect();
        return Err(StudyError::Spec(format!(
            "the --vary grid has {} points; at most {MAX_GRID_POINTS}",
            dims.join(" x ")
        )));
    }
    let mut grid: Vec<Vec<String>> = vec![Vec::new()];
    for v in varies {
        grid = grid
            .into_iter()
            .flat_map(|p| {
                v.values
                    .iter()
                    .map(move |x| [p.clone(), vec![x.clone()]].concat())
            })
            .collect();
    }
    let mut points = Vec::with_capacity(grid.len());
    for (i, values) in grid.iter().enumerate() {
        let sets: Vec<Override> = varies
            .iter()
            .zip(values)
            .map(|(v, x)| Override {
                path: v.path.clone(),
                value: x.clone(),
            })
            .collect();
        let context = format!(
            "sweep point {}",
            sets.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        );
        let all = [base, sets.as_slice()].concat();
        let s = variant(t, base, sets, context)?;
        let seed = match seeds {
            Seeds::Common => opts.seed,
            Seeds::Independent => opts.seed.wrapping_add(i as u64),
        };
        let sum = ens(t, &all, &s, &Options { seed, ..*opts })?;
        let (estimates, per_replication) = kpis.iter().map(|k| k.evaluate(&s, &sum)).unzip();
        points.push(SweepPoint {
            values: values.clone(),
            estimates,
            per_replication,
        });
        progress(i + 1, grid.len());
    }
    Ok(SweepResult {
        paths: varies.iter().map(|v| v.path.clone()).collect(),
        kpis: kpis.to_vec(),
        points,
        seeds,
        replications: opts.replications,
        seed: opts.seed,
        base_values: varies
            .iter()
            .map(|v| base_value(t, base, &v.path))
            .collect(),
    })
}
