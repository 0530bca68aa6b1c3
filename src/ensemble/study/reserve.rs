//! The search for the smallest reserve (or lever) that meets a target.

use super::*;

/// What the reserve search may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lever {
    /// Litres in the depot: its initial stock when the lever starts on day 0 (the capacity
    /// is raised with it when needed, and the answer says so), else a one-off delivery on
    /// the start day, capped by the depot's free room that day.
    InitialStock,
    /// A constant airlift into the depot from the start day to the target day, litres per
    /// day (capped each day by free room, as every airlift).
    Airlift,
    /// A `ProtectedReserve` set aside on the start day: litres only the protected classes
    /// draw on, once the ordinary stock is exhausted (held apart from the working stock).
    ProtectedReserve,
}

/// The fuel payload of one aircraft rotation assumed by default, litres: a C-130-class
/// transport fitted with bladder tanks. A C-130H lifts about 19 t; diesel weighs about
/// 0.84 kg/L, so the weight limit alone is about 22,000 L; tanks, pumps and hoses on board
/// leave roughly 18,000 L of fuel. An assumption, to be replaced by the operator's figure
/// (`--payload-litres`).
pub const DEFAULT_PAYLOAD_LITRES: f64 = 18_000.0;

/// A reserve question: the smallest lever value for which the chosen classes get all
/// their demand through `days` with probability at least `confidence`.
#[derive(Debug, Clone)]
pub struct ReserveQuery {
    /// Days that must be covered (days 0 to `days - 1`).
    pub days: u32,
    /// Required probability, in (0, 1).
    pub confidence: f64,
    /// Class names that must be served in full; empty means every priority-1 class.
    pub classes: Vec<String>,
    /// What is searched.
    pub lever: Lever,
    /// The depot; `None` means the first depot.
    pub depot: Option<NodeId>,
    /// Day the lever acts from (the stock injected, the airlift started, the reserve set
    /// aside); must be before `days`.
    pub from: u32,
    /// Litres one aircraft rotation carries, to turn an airlift rate into rotations per day.
    pub payload_litres: f64,
}

/// The answer to a [`ReserveQuery`].
#[derive(Debug, Clone)]
pub struct ReserveResult {
    /// The smallest value found that meets the confidence (litres, or litres/day).
    pub answer: f64,
    /// The final bisection bracket `(fails, meets)`.
    pub bracket: (f64, f64),
    /// Estimated probability at each end of the bracket.
    pub p_bracket: (f64, f64),
    /// Monte Carlo standard error of the probability at the answer.
    pub se: f64,
    /// Values at which the estimated probability crosses `confidence -+ 1.645 x its
    /// standard error`: the Monte Carlo uncertainty of the answer (90 %).
    pub mc_interval: (f64, f64),
    /// Whether the confidence could be reached at all (within 2^20 x the first guess).
    pub reachable: bool,
    /// Ensembles run.
    pub evaluations: usize,
    /// Bisection tolerance used.
    pub tolerance: f64,
    /// The classes checked, by name.
    pub classes: Vec<String>,
    /// The lever's value in the scenario as given.
    pub current: f64,
    /// Every ensemble run by the search, in evaluation order: the lever value and the
    /// estimated probability that the classes were served in full. Sort by value to draw.
    pub evaluations_log: Vec<(f64, f64)>,
    /// The depot's capacity, litres.
    pub capacity: f64,
    /// For the litre levers (stock, reserve): the answer exceeds the depot's capacity.
    pub exceeds_capacity: bool,
    /// The capacity-limited alternative when the answer exceeds the capacity (or cannot be
    /// reached): the lever at the depot's capacity and the probability it gives.
    pub at_capacity: Option<(f64, f64)>,
    /// Share of runs in which a checked class already went short before the lever's
    /// start day: nothing started that day can help those runs.
    pub short_before_from: f64,
}

impl ReserveResult {
    /// Aircraft rotations per day for an airlift answer at `payload` litres per rotation.
    pub fn rotations_per_day(&self, payload: f64) -> f64 {
        if payload > 0.0 {
            self.answer / payload
        } else {
            f64::NAN
        }
    }
}

/// Finds the smallest reserve (initial stock or airlift rate) that meets `q`, by bisection
/// on common random numbers.
///
/// # Errors
/// [`StudyError::Spec`] for an unknown class, a scenario without depot, a confidence
/// outside (0, 1) or days outside 1..=horizon; [`StudyError::Conservation`] on a ledger
/// failure.
pub fn reserve(
    s: &Scenario,
    q: &ReserveQuery,
    opts: &Options,
    progress: &dyn Fn(usize),
) -> Result<ReserveResult, StudyError> {
    reserve_on(s, q, opts, None, progress)
}

/// The template, `--set` overrides and uncertain inputs a reserve search draws per
/// replication ([`reserve_on`]).
pub type ReserveInputs<'a> = (&'a Template, &'a [Override], &'a crate::ensemble::InputPlan);

/// [`reserve`] with uncertain inputs: `s` is `t` with `sets`, and every value tried runs
/// replications whose inputs are drawn (or calibrated) as in `run`, the lever applied on
/// top of each replication's scenario.
///
/// # Errors
/// As [`reserve`], and [`StudyError::Scenario`] for a replication whose values make the
/// scenario invalid.
pub fn reserve_on(
    s: &Scenario,
    q: &ReserveQuery,
    opts: &Options,
    inputs: Option<ReserveInputs<'_>>,
    progress: &dyn Fn(usize),
) -> Result<ReserveResult, StudyError> {
    if !(q.confidence > 0.0 && q.confidence < 1.0) {
        return Err(StudyError::Spec(format!(
            "--confidence must be between 0 and 1 (exclusive), got {}",
            q.confidence
        )));
    }
    let depot = match q.depot {
        Some(d) => d,
        None => s
            .depots()
            .next()
            .map(|(d, _)| d)
            .ok_or_else(|| StudyError::Spec("the scenario has no depot".into()))?,
    };
    let Some(dep) = s.depot(depot) else {
        return Err(StudyError::Spec("--depot is not a depot".into()));
    };
    if q.days == 0 || q.days > s.horizon_days {
        return Err(StudyError::Spec(format!(
            "--days {} is outside the scenario's horizon of {} days (1 to {}); to look further, lengthen the run with --set horizon_days={}",
            q.days,
            s.horizon_days,
            s.horizon_days,
            q.days.max(1)
        )));
    }
    if q.from >= q.days {
        return Err(StudyError::Spec(format!(
            "--from day {} is not before the end of the {} days to cover",
            q.from, q.days
        )));
    }
    if q.lever == Lever::Airlift && !(q.payload_litres > 0.0 && q.payload_litres.is_finite()) {
        return Err(StudyError::Spec(format!(
            "--payload-litres must be a positive number, got {}",
            q.payload_litres
        )));
    }
    let layout = crate::model::Layout::new(s);
    let d_index = layout.depots.iter().position(|x| *x == depot).unwrap_or(0);
    let mut classes: Vec<crate::model::ClassId> = Vec::new();
    let mut names = Vec::new();
    for (i, (d, c)) in layout.classes.enumerate() {
        // Only the chosen depot's classes: `c` counts within its own depot's list.
        if d.index() != d_index {
            continue;
        }
        let class = &dep.demand[*c];
        let wanted = if q.classes.is_empty() {
            class.priority == 1
        } else {
            q.classes.contains(&class.name)
        };
        if wanted {
            classes.push(i);
            names.push(class.name.clone());
        }
    }
    for n in &q.classes {
        if !dep.demand.iter().any(|c| c.name == *n) {
            let known: Vec<&str> = dep.demand.iter().map(|c| c.name.as_str()).collect();
            return Err(StudyError::Spec(format!(
                "unknown class `{n}` at depot `{}`; classes: {}",
                s.node(depot).id,
                known.join(", ")
            )));
        }
    }
    if classes.is_empty() {
        return Err(StudyError::Spec(
            "no class to protect: name one with --class".into(),
        ));
    }
    if q.lever == Lever::ProtectedReserve {
        let p = dep.rationing.protected_priority;
        let open: Vec<&str> = classes
            .iter()
            .map(|i| &dep.demand[layout.classes[*i].1])
            .filter(|c| !dep.is_protected(c))
            .map(|c| c.name.as_str())
            .collect();
        if !open.is_empty() {
            return Err(StudyError::Spec(format!(
                "a protected reserve serves only the protected classes (priority <= {p}); {} {} not protected",
                open.join(", "),
                if open.len() == 1 { "is" } else { "are" }
            )));
        }
    }
    let days = q.days;
    let current = match q.lever {
        Lever::InitialStock if q.from == 0 => dep.initial_stock_litres,
        Lever::InitialStock | Lever::Airlift | Lever::ProtectedReserve => 0.0,
    };
    let capacity = dep.capacity_litres;
    let mut short_before_from = 0.0;
    let class_demand: f64 = classes
        .iter()
        .map(|i| dep.demand[layout.classes[*i].1].litres_per_day)
        .sum();
    let total_demand = dep.demand_litres_per_day().max(1.0);
    let mut evaluations = 0usize;
    let mut memo: Vec<(f64, f64)> = Vec::new();
    let mut p_of = |x: f64| -> Result<f64, StudyError> {
        if let Some((_, p)) = memo.iter().find(|(y, _)| *y == x) {
            return Ok(*p);
        }
        let sum = match inputs.map(|(t, sets, plan)| (t, sets, plan.without(sets))) {
            Some((t, sets, plan)) if !plan.is_empty() => {
                crate::ensemble::run_with_inputs(
                    t,
                    sets,
                    &plan,
                    opts,
                    &|sc| with_lever(&sc, depot, q.lever, x, q.from, days),
                    &|_| {},
                )?
                .summary
            }
            _ => ensemble_of(&with_lever(s, depot, q.lever, x, q.from, days), opts)?,
        };
        evaluations += 1;
        progress(evaluations);
        // Before the start day every value gives the same runs (common random numbers).
        short_before_from = sum
            .rows
            .iter()
            .filter(|r| {
                classes
                    .iter()
                    .any(|i| r.first_unmet[*i].is_some_and(|f| f < q.from))
            })
            .count() as f64
            / sum.rows.len().max(1) as f64;
        let ok = sum
            .rows
            .iter()
            .filter(|r| {
                classes
                    .iter()
                    .all(|i| r.first_unmet[*i].is_none_or(|f| f >= days))
            })
            .count();
        let p = ok as f64 / sum.rows.len().max(1) as f64;
        memo.push((x, p));
        Ok(p)
    };
    let tolerance = match q.lever {
        Lever::InitialStock | Lever::ProtectedReserve => s
            .fleet
            .truck_litres
            .min(0.001 * class_demand * f64::from(days))
            .max(1.0),
        Lever::Airlift => (0.001 * total_demand).max(1.0),
    };
    // Bracket: 0 fails (else the answer is 0), then double a first guess until it meets.
    let first = match q.lever {
        Lever::InitialStock => (class_demand * f64::from(days))
            .max(dep.initial_stock_litres)
            .max(tolerance),
        Lever::ProtectedReserve => (class_demand * f64::from(days - q.from)).max(tolerance),
        Lever::Airlift => total_demand,
    };
    let litre_lever = q.lever != Lever::Airlift;
    let n = opts.replications as f64;
    let se_at = |p: f64| (p * (1.0 - p) / n).sqrt();
    if p_of(0.0)? >= q.confidence {
        let p0 = p_of(0.0)?;
        return Ok(ReserveResult {
            answer: 0.0,
            bracket: (0.0, 0.0),
            p_bracket: (p0, p0),
            se: se_at(p0),
            mc_interval: (0.0, 0.0),
            reachable: true,
            evaluations,
            tolerance,
            classes: names,
            current,
            evaluations_log: memo,
            capacity,
            exceeds_capacity: false,
            at_capacity: None,
            short_before_from,
        });
    }
    let mut hi = first;
    let mut reachable = false;
    for _ in 0..20 {
        if p_of(hi)? >= q.confidence {
            reachable = true;
            break;
        }
        hi *= 2.0;
    }
    if !reachable {
        let p = p_of(hi)?;
        let at_capacity = if litre_lever {
            Some((capacity, p_of(capacity)?))
        } else {
            None
        };
        return Ok(ReserveResult {
            answer: f64::NAN,
            bracket: (hi, f64::NAN),
            p_bracket: (p, f64::NAN),
            se: se_at(p),
            mc_interval: (f64::NAN, f64::NAN),
            reachable: false,
            evaluations,
            tolerance,
            classes: names,
            current,
            evaluations_log: memo,
            capacity,
            exceeds_capacity: false,
            at_capacity,
            short_before_from,
        });
    }
    // Bisection for a target probability, starting from what is already known; when
    // nothing known meets the target yet, the bracket is widened by doubling (at most 20
    // times). `None` for the upper end means "not reached".
    let limit = first * f64::from(1u32 << 20);
    let bisect = |target: f64,
                  memo_p: &mut dyn FnMut(f64) -> Result<f64, StudyError>,
                  known: &[(f64, f64)]| {
        let mut lo = known
            .iter()
            .filter(|(_, p)| *p < target)
            .map(|(x, _)| *x)
            .fold(0.0, f64::max);
        let mut hi = known
            .iter()
            .filter(|(_, p)| *p >= target)
            .map(|(x, _)| *x)
            .fold(f64::INFINITY, f64::min);
        let mut x = lo.max(first);
        while hi.is_infinite() && x <= limit {
            if memo_p(x)? >= target {
                hi = x;
            } else {
                lo = x;
                x *= 2.0;
            }
        }
        if hi.is_infinite() {
            return Ok::<(f64, Option<f64>), StudyError>((lo, None));
        }
        while hi - lo > tolerance {
            let mid = 0.5 * (lo + hi);
            if memo_p(mid)? >= target {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok((lo, Some(hi)))
    };
    let known = vec![(0.0, 0.0), (hi, q.confidence)];
    let (lo, hi) = bisect(q.confidence, &mut p_of, &known)?;
    let hi = hi.unwrap_or(f64::NAN);
    let p_hi = p_of(hi)?;
    let p_lo = p_of(lo)?;
    let half = 1.645 * se_at(q.confidence);
    let known2 = vec![(0.0, 0.0), (lo, p_lo), (hi, p_hi)];
    let lower_target = (q.confidence - half).max(1e-9);
    let upper_target = (q.confidence + half).min(1.0);
    let mc_lo = bisect(lower_target, &mut p_of, &known2)?.1.unwrap_or(hi);
    let mc_hi = bisect(upper_target, &mut p_of, &known2)?
        .1
        .unwrap_or(f64::INFINITY);
    let exceeds_capacity = litre_lever && hi > capacity;
    let at_capacity = if exceeds_capacity {
        Some((capacity, p_of(capacity)?))
    } else {
        None
    };
    Ok(ReserveResult {
        answer: hi,
        bracket: (lo, hi),
        p_bracket: (p_lo, p_hi),
        se: se_at(p_hi),
        mc_interval: (mc_lo.min(hi), mc_hi.max(hi)),
        // (an infinite upper end: the raised target was not reached within the search range)
        reachable: true,
        evaluations,
        tolerance,
        classes: names,
        current,
        evaluations_log: memo,
        capacity,
        exceeds_capacity,
        at_capacity,
        short_before_from,
    })
}

/// The scenario with the lever at `x`, acting from day `from`. Values stay valid by
/// construction: a day-0 stock above capacity raises the capacity (the answer flags it), a
/// later injection is a one-off `Delivery`, an airlift runs from `from` to `days`, a
/// protected reserve is a `ProtectedReserve` event on day `from`.
fn with_lever(s: &Scenario, depot: NodeId, lever: Lever, x: f64, from: u32, days: u32) -> Scenario {
    let mut v = s.clone();
    let event = |effect, until: Option<f64>| Event {
        day: f64::from(from),
        until,
        label: Some("reserve search".into()),
        effect,
    };
    match lever {
        Lever::InitialStock if from == 0 => {
            if let NodeKind::Depot(d) = &mut v.nodes[depot.index()].kind {
                d.initial_stock_litres = x;
                d.capacity_litres = d.capacity_litres.max(x);
            }
        }
        Lever::InitialStock => v
            .events
            .push(event(Effect::Delivery { depot, litres: x }, None)),
        Lever::Airlift => v.events.push(event(
            Effect::Airlift {
                depot,
                litres_per_day: x,
            },
            (days < s.horizon_days).then_some(f64::from(days)),
        )),
        Lever::ProtectedReserve => v
            .events
            .push(event(Effect::ProtectedReserve { depot, litres: x }, None)),
    }
    v
}
