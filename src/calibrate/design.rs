//! Implausibility of a point against the observations, and the Latin hypercube design.

use super::*;

/// The simulated counterpart of observation `o` in one replication's record; `truck_litres`
/// converts litres to truckloads.
pub fn simulated(o: &Observation, rec: &RunRecord, truck_litres: f64) -> f64 {
    let (a, b) = (o.from as usize, o.to as usize);
    let days = rec.days;
    let window = |v: &[f64], i: usize| -> f64 {
        RunRecord::series(v, days, i)[a.min(days)..(b + 1).min(days)]
            .iter()
            .sum()
    };
    let in_period = |d: u32| d >= o.from && d <= o.to;
    match &o.quantity {
        Quantity::TrucksLost(mask) => rec
            .attack_log
            .iter()
            .filter(|e| in_period(e.day) && mask[e.segment.index()])
            .map(|e| f64::from(e.trucks_lost))
            .sum(),
        Quantity::Attacks(mask) => rec
            .attack_log
            .iter()
            .filter(|e| in_period(e.day) && mask[e.segment.index()])
            .count() as f64,
        Quantity::LitresDelivered(d) => window(&rec.depot_delivered, *d),
        Quantity::TrucksDelivered(d) => window(&rec.depot_delivered, *d) / truck_litres,
        Quantity::ConvoysArrived(d) => window(&rec.depot_convoys, *d),
        Quantity::Stock(d) => rec.daily(model::Series::Stock, DepotId(*d as u32))[b.min(days - 1)],
        Quantity::DryDays(d) => rec.dry_day[d * days..(d + 1) * days]
            [a.min(days)..(b + 1).min(days)]
            .iter()
            .filter(|x| **x)
            .count() as f64,
    }
}

/// The implausibility of observation `o` at a simulated `mean` whose replications have
/// sample variance `variance` over `n` replications, with relative model discrepancy
/// `discrepancy` (unless the observation states its own, in its unit); with `ensemble`, the variance of one replication is added (the observed
/// world is one realisation).
pub fn implausibility(
    o: &Observation,
    mean: f64,
    variance: f64,
    n: u64,
    discrepancy: f64,
    ensemble: bool,
) -> f64 {
    let miss = o.value.miss(mean);
    let md = o
        .discrepancy
        .unwrap_or(discrepancy * o.value.centre().abs());
    let vs = if ensemble { variance } else { 0.0 };
    let var = o.value.variance() + vs + variance / n.max(1) as f64 + md * md;
    if miss == 0.0 {
        0.0
    } else if var > 0.0 {
        miss.abs() / var.sqrt()
    } else {
        f64::INFINITY
    }
}

/// A Latin hypercube of `n` points in the box `[lo, hi]` (u-space): in each dimension one
/// point per stratum, at a uniform place inside it, strata paired at random.
pub fn latin_hypercube(n: usize, lo: &[f64], hi: &[f64], rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let k = lo.len();
    let mut pts = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let s = rng.random_range(0..=i);
            perm.swap(i, s);
        }
        for (i, p) in pts.iter_mut().enumerate() {
            let jitter: f64 = rng.random();
            let f = (perm[i] as f64 + jitter) / n as f64;
            p[j] = lo[j] + f * (hi[j] - lo[j]);
        }
    }
    pts
}

/// The overrides that fix every input of `inputs` at `values`.
pub fn overrides(inputs: &[UncertainInput], values: &[f64]) -> Vec<Override> {
    inputs
        .iter()
        .zip(values)
        .map(|(i, v)| Override {
            path: i.path.clone(),
            value: format_value(*v, i.integer),
        })
        .collect()
}

/// A value as `--set` and the calibrated-inputs file write it: a whole number for an
/// integer input, else the shortest text that reads back as the same number.
pub fn format_value(v: f64, integer: bool) -> String {
    if integer {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:?}")
    }
}

/// Evaluates the points `us` (u-space) of `prior` on `template`: `settings.replications`
/// replications at each, seed `settings.seed`, in units of a point × a block.
///
/// # Errors
/// [`CalibrationError::InvalidPoint`] if a point gives an invalid scenario,
/// [`CalibrationError::Ledger`] if a replication does not balance.
pub fn evaluate(
    template: &Template,
    prior: &[UncertainInput],
    observations: &[Observation],
    us: &[Vec<f64>],
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Point>, CalibrationError> {
    let values = point_values(prior, us);
    let all = 0..unit_count(us.len(), settings);
    let sums = evaluate_units(
        template,
        prior,
        observations,
        &values,
        settings,
        all,
        progress,
    )?;
    Ok(assemble_points(us, values, observations, settings, sums))
}

/// The input values of the points `us` (u-space): `value_at(u)` of each input.
pub fn point_values(prior: &[UncertainInput], us: &[Vec<f64>]) -> Vec<Vec<f64>> {
    us.iter()
        .map(|u| prior.iter().zip(u).map(|(i, x)| i.value_at(*x)).collect())
        .collect()
}
