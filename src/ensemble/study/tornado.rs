//! One-at-a-time sensitivity (the tornado).

use super::*;

/// One bar of a tornado chart.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The varied path.
    pub path: String,
    /// Its low and high values.
    pub low: String,
    /// High value.
    pub high: String,
    /// KPI at the low value.
    pub at_low: Estimate,
    /// KPI at the high value.
    pub at_high: Estimate,
    /// The path's value in the base case, as text, if it has one.
    pub base_value: Option<String>,
}

impl TornadoBar {
    /// `|KPI(high) - KPI(low)|`.
    pub fn swing(&self) -> f64 {
        (self.at_high.value - self.at_low.value).abs()
    }
}

/// A one-at-a-time sensitivity analysis around the base case.
#[derive(Debug, Clone)]
pub struct Tornado {
    /// The KPI.
    pub kpi: Kpi,
    /// The KPI of the base case.
    pub base: Estimate,
    /// Bars, largest swing first (ties: input order).
    pub bars: Vec<TornadoBar>,
    /// Replications per run.
    pub replications: u64,
    /// Seed.
    pub seed: u64,
}

/// Varies each path to its low and high value, one at a time, and sorts by swing.
///
/// # Errors
/// [`StudyError::Spec`] if a `--vary` has other than two values; the errors of [`sweep`].
pub fn tornado(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    let plan = base_plan(t, base)?;
    tornado_on(t, base, varies, kpi, opts, &plan, progress)
}

/// [`tornado`] with the uncertain inputs of `plan`; a varied path that is uncertain is
/// fixed at each end's value.
///
/// # Errors
/// As [`tornado`].
pub fn tornado_on(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    plan: &crate::ensemble::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    tornado_with(
        t,
        base,
        varies,
        kpi,
        opts,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`tornado`] with its ensembles from `ens`: the base case, then each `--vary`'s low and
/// high end in order.
///
/// # Errors
/// As [`tornado`], and those of `ens`.
pub fn tornado_with(
    t: &Template,
    base: &[Override],
    varies: &[Vary],
    kpi: Kpi,
    opts: &Options,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<Tornado, StudyError> {
    for v in varies {
        if v.values.len() != 2 {
            return Err(StudyError::Spec(format!(
                "tornado: --vary {} needs exactly two values, LOW,HIGH",
                v.path
            )));
        }
    }
    let total = 1 + 2 * varies.len();
    let base_s = variant(t, base, Vec::new(), "base case".into())?;
    let base_est = kpi.estimate(&base_s, &ens(t, base, &base_s, opts)?);
    progress(1, total);
    let mut bars = Vec::new();
    for (i, v) in varies.iter().enumerate() {
        let mut ends = Vec::new();
        for (j, x) in v.values.iter().enumerate() {
            let o = Override {
                path: v.path.clone(),
                value: x.clone(),
            };
            let s = variant(t, base, vec![o.clone()], format!("tornado --vary {o}"))?;
            let all = [base, std::slice::from_ref(&o)].concat();
            ends.push(kpi.estimate(&s, &ens(t, &all, &s, opts)?));
            progress(2 + 2 * i + j, total);
        }
        bars.push(TornadoBar {
            path: v.path.clone(),
            low: v.values[0].clone(),
            high: v.values[1].clone(),
            at_low: ends[0],
            at_high: ends[1],
            base_value: base_value(t, base, &v.path),
        });
    }
    bars.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
    Ok(Tornado {
        kpi,
        base: base_est,
        bars,
        replications: opts.replications,
        seed: opts.seed,
    })
}
