//! The corridor study: each corridor closed or opened, paired against the base.

use super::*;

/// What a corridor study does to each tag in turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CorridorAction {
    /// Close every segment with the tag from day 0 (`tags[TAG].closed=true`).
    Close,
    /// Multiply the hazard of every segment with the tag by this factor from day 0
    /// (`tags[TAG].risk_multiplier=F`), on top of the scenario's own multipliers.
    RiskMultiplier(f64),
}

impl CorridorAction {
    /// Parses `close` or `risk-multiplier=F` (F a finite number >= 0).
    ///
    /// # Errors
    /// [`StudyError::Spec`] saying what is accepted.
    pub fn parse(text: &str) -> Result<CorridorAction, StudyError> {
        let t = text.trim();
        if t == "close" {
            return Ok(CorridorAction::Close);
        }
        let f = t
            .strip_prefix("risk-multiplier=")
            .or_else(|| t.strip_prefix("risk_multiplier="))
            .and_then(|f| f.trim().parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f >= 0.0);
        f.map(CorridorAction::RiskMultiplier).ok_or_else(|| {
            StudyError::Spec(format!(
                "--action `{t}`: expected `close` or `risk-multiplier=F` with F >= 0"
            ))
        })
    }

    /// The override that applies the action to `tag`.
    pub fn override_for(&self, tag: &str) -> Override {
        match self {
            CorridorAction::Close => Override {
                path: format!("tags[{tag}].closed"),
                value: "true".into(),
            },
            CorridorAction::RiskMultiplier(f) => Override {
                path: format!("tags[{tag}].risk_multiplier"),
                value: fmt_value(*f),
            },
        }
    }

    /// The risk factor as written in `describe` ("2", "0.5"), for closing: `None`.
    pub fn factor_text(&self) -> Option<String> {
        match self {
            CorridorAction::Close => None,
            CorridorAction::RiskMultiplier(f) => Some(fmt_value(*f)),
        }
    }

    /// The action in words: "closed", "risk x 2".
    pub fn describe(&self) -> String {
        match self {
            CorridorAction::Close => "closed from day 0".into(),
            CorridorAction::RiskMultiplier(f) => {
                format!("attack risk multiplied by {} from day 0", fmt_value(*f))
            }
        }
    }
}

/// A KPI's change when a corridor is acted on, paired by replication.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedChange {
    /// The KPI with the action.
    pub value: Estimate,
    /// Value with the action minus the base value.
    pub difference: f64,
    /// Standard error of the paired difference.
    pub se: f64,
}

impl PairedChange {
    /// More than two standard errors of the paired difference, and not zero.
    pub fn is_clear(&self) -> bool {
        self.difference != 0.0 && self.difference.abs() > 2.0 * self.se
    }
}

/// One corridor (tag) of a corridor study.
#[derive(Debug, Clone)]
pub struct CorridorRow {
    /// The tag.
    pub tag: String,
    /// Ids of the segments that carry it, in file order.
    pub segments: Vec<String>,
    /// Unmet demand of the essential (protected) classes: [`Kpi::UnmetProtected`].
    pub protected: PairedChange,
    /// Unmet demand of every class: [`Kpi::UnmetTotal`].
    pub total: PairedChange,
    /// Static criticality: how much the maximum flow (trucks per day, under the events
    /// active on day 0) drops with every segment of the tag closed.
    pub max_flow_drop_trucks_per_day: f64,
    /// That drop as a share of the maximum flow (0 when the maximum flow is 0).
    pub max_flow_drop_share: f64,
}

/// A corridor study: each tag acted on in turn, on common random numbers.
#[derive(Debug, Clone)]
pub struct CorridorStudy {
    /// What was done to each tag.
    pub action: CorridorAction,
    /// The base case's protected unmet demand.
    pub base_protected: Estimate,
    /// The base case's total unmet demand.
    pub base_total: Estimate,
    /// The base case's maximum flow, trucks per day (events active on day 0).
    pub base_max_flow_trucks_per_day: f64,
    /// Tags, the largest rise in protected unmet demand first (ties: total, then tag).
    pub rows: Vec<CorridorRow>,
    /// Replications per ensemble.
    pub replications: u64,
    /// Seed of every ensemble.
    pub seed: u64,
}

/// Acts on every tag of the scenario in turn (closes it, or multiplies its risk), runs the
/// ensemble on the same seed as the base case, and ranks the tags by the rise in unmet
/// demand of the protected classes, then of all classes; each with the static max-flow
/// criticality of the same tag. `progress(done, total)` after each ensemble.
///
/// # Errors
/// [`StudyError::Spec`] if the scenario has no tags; the errors of [`sweep`].
pub fn corridors(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    let plan = base_plan(t, base)?;
    corridors_on(t, base, action, opts, &plan, progress)
}

/// [`corridors`] with the uncertain inputs of `plan`, drawn per replication in the base
/// case and with each tag acted on.
///
/// # Errors
/// As [`corridors`].
pub fn corridors_on(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    plan: &crate::ensemble::InputPlan,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    corridors_with(
        t,
        base,
        action,
        opts,
        &mut |t, sets, s, o| study_ensemble(t, sets, s, plan, o),
        progress,
    )
}

/// [`corridors`] with its ensembles from `ens`: the base case, then each tag in tag
/// order.
///
/// # Errors
/// As [`corridors`], and those of `ens`.
pub fn corridors_with(
    t: &Template,
    base: &[Override],
    action: CorridorAction,
    opts: &Options,
    ens: Ensembles<'_>,
    progress: &dyn Fn(usize, usize),
) -> Result<CorridorStudy, StudyError> {
    let base_s = variant(t, base, Vec::new(), "base case".into())?;
    let tags: Vec<(String, Vec<String>)> = base_s
        .tags()
        .into_iter()
        .map(|(tag, segs)| {
            (
                tag.to_string(),
                segs.iter().map(|g| base_s.segment(*g).id.clone()).collect(),
            )
        })
        .collect();
    if tags.is_empty() {
        return Err(StudyError::Spec(
            "the scenario has no tags: give segments `tags` to name corridors".into(),
        ));
    }
    let total_steps = 1 + tags.len();
    let kpis = [Kpi::UnmetProtected, Kpi::UnmetTotal];
    let base_sum = ens(t, base, &base_s, opts)?;
    let base_eval: Vec<(Estimate, Option<Vec<f64>>)> = kpis
        .iter()
        .map(|k| k.evaluate(&base_s, &base_sum))
        .collect();
    drop(base_sum);
    progress(1, total_steps);
    let net = Network::build(&base_s);
    let cond = crate::network::Conditions::at_day(&base_s, 0.0);
    let base_flow = net.max_flow(&cond).trucks_per_day;
    let mut rows = Vec::with_capacity(tags.len());
    for (i, (tag, segments)) in tags.into_iter().enumerate() {
        let o = action.override_for(&tag);
        let s = variant(t, base, vec![o.clone()], format!("corridors --set {o}"))?;
        let all = [base, std::slice::from_ref(&o)].concat();
        let sum = ens(t, &all, &s, opts)?;
        let change = |j: usize| {
            let (e, per) = kpis[j].evaluate(&s, &sum);
            let (b, bper) = &base_eval[j];
            let se = match (bper, &per) {
                (Some(a), Some(x)) if a.len() == x.len() && a.len() > 1 => paired_se(a, x),
                _ => (b.se.powi(2) + e.se.powi(2)).sqrt(),
            };
            PairedChange {
                value: e,
                difference: e.value - b.value,
                se,
            }
        };
        let mut c = cond.clone();
        for id in &segments {
            if let Some(g) = base_s.segment_by_id(id) {
                c.open[g.index()] = false;
            }
        }
        let flow = net.max_flow(&c).trucks_per_day;
        let drop = (base_flow - flow).max(0.0);
        rows.push(CorridorRow {
            tag,
            segments,
            protected: change(0),
            total: change(1),
            max_flow_drop_trucks_per_day: drop,
            max_flow_drop_share: if base_flow > 0.0 {
                drop / base_flow
            } else {
                0.0
            },
        });
        progress(i + 2, total_steps);
    }
    rows.sort_by(|a, b| {
        b.protected
            .difference
            .total_cmp(&a.protected.difference)
            .then(b.total.difference.total_cmp(&a.total.difference))
            .then(a.tag.cmp(&b.tag))
    });
    Ok(CorridorStudy {
        action,
        base_protected: base_eval[0].0,
        base_total: base_eval[1].0,
        base_max_flow_trucks_per_day: base_flow,
        rows,
        replications: opts.replications,
        seed: opts.seed,
    })
}
