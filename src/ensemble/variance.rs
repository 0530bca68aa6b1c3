//! Which uncertain input explains the spread of a headline measure: a first-order
//! variance-based index estimated from the run's own replications (docs/model.md §7c).
//!
//! The first-order (Sobol) index of input `X` for an output `Y` is
//! `S = Var(E[Y | X]) / Var(Y)`: the share of the variance of `Y` that would go if `X` were
//! known. Pick-freeze designs (Saltelli et al. 2008, ch. 4) estimate it with `n (k + 2)`
//! runs for `k` inputs; the "given-data" estimator (Plischke 2010; Plischke, Borgonovo and
//! Smith 2013) needs only the `n` runs already made, each with its own draw of every input:
//! sort the replications by `X`, cut them into `M` bins of equal count (one bin per value
//! for an input with at most `M` values), and compare the spread of the bin means of `Y`
//! with the spread of `Y`.
//!
//! The plain ratio `SSB / SST` (between-bin over total sum of squares) is biased upwards:
//! with no effect at all it is `(M - 1) / (n - 1)` on average, because bin means of noise
//! still differ. We subtract the noise expected between bins, estimated from the spread
//! inside them (the "epsilon-squared" correction of the one-way analysis of variance,
//! Kelley 1935): `S = (SSB - (M - 1) SSW / (n - M)) / SST`, so an input with no effect
//! scores 0 on average; negative estimates are shown as 0. The Monte Carlo error of each
//! index is the standard deviation of the estimate over bootstrap resamples of the
//! replications (a stream of its own, so the same run gives the same errors).
//!
//! `Y` includes the chance variation of the dynamics (attacks, transit times), which no
//! input explains: the indices of a run add up to well below 1, and the rest is chance plus
//! interactions between inputs.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{InputTable, ReplicationRow, Summary};

/// Bootstrap resamples behind each index's Monte Carlo error (fewer for very large runs,
/// see [`resamples_for`]).
pub const BOOTSTRAP_RESAMPLES: usize = 200;
/// Most bins an input's draws are cut into.
pub const MAX_BINS: usize = 20;
/// Fewest replications with which indices are estimated.
pub const MIN_REPLICATIONS: usize = 20;

/// A headline measure, one value per replication, whose spread the index splits.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexMeasure {
    /// Key in CSV and JSON: `dry_by_day_90`, `unmet_total`, `first_rationing_day` (the
    /// report names it in words: `report::inputs::measure_words`).
    pub key: String,
    /// Its variance over the replications (0: no spread, no index).
    pub variance: f64,
}

/// One first-order index and its Monte Carlo error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstOrder {
    /// The bias-corrected estimate, clamped to [0, 1].
    pub value: f64,
    /// Its Monte Carlo error (bootstrap standard deviation).
    pub se: f64,
}

/// The indices of one input.
#[derive(Debug, Clone, PartialEq)]
pub struct InputIndex {
    /// Index of the input in the [`InputTable`].
    pub input: usize,
    /// Its path.
    pub path: String,
    /// Per measure (order of [`Importance::measures`]), the index; `None` where the
    /// measure has no spread.
    pub indices: Vec<Option<FirstOrder>>,
}

/// The uncertain inputs ranked by the share of the spread of the headline measures each
/// explains on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Importance {
    /// The measures.
    pub measures: Vec<IndexMeasure>,
    /// The inputs, most influential first: by the index on the first measure with spread
    /// ([`Importance::rank_by`]), ties in input order.
    pub rows: Vec<InputIndex>,
    /// The measure the ranking uses, if any has spread.
    pub rank_by: Option<usize>,
    /// Most bins per input.
    pub bins: usize,
    /// Bootstrap resamples per index.
    pub resamples: usize,
    /// Replications used.
    pub replications: usize,
}

/// Bins for `n` replications: about `sqrt(n)`, from 2 to [`MAX_BINS`].
pub fn bins_for(n: usize) -> usize {
    ((n as f64).sqrt().round() as usize).clamp(2, MAX_BINS)
}

/// Bootstrap resamples for `n` replications of `k` inputs and 3 measures: at most
/// [`BOOTSTRAP_RESAMPLES`], fewer (at least 30) when the work would pass about 1e9 steps.
pub fn resamples_for(n: usize, k: usize) -> usize {
    let per = (n.max(1) as f64) * (n.max(2) as f64).log2() * 3.0 * k.max(1) as f64;
    ((1e9 / per) as usize).clamp(30, BOOTSTRAP_RESAMPLES)
}

/// The bias-corrected given-data first-order index of `x` for `y` with at most `bins`
/// bins; `None` if `y` has no spread or there are fewer than two bins.
///
/// # Complexity
/// **O(n log n)** (one sort).
///
/// ```
/// use blockade::ensemble::first_order_index;
/// // y is x plus a little noise: x explains almost all of it.
/// let x: Vec<f64> = (0..400).map(|i| (i * 37 % 400) as f64).collect();
/// let y: Vec<f64> = x.iter().enumerate().map(|(i, v)| v + (i % 7) as f64).collect();
/// assert!(first_order_index(&x, &y, 20).unwrap() > 0.99);
/// // z does not depend on x.
/// let z: Vec<f64> = (0..400).map(|i| ((i * 7919) % 13) as f64).collect();
/// assert!(first_order_index(&x, &z, 20).unwrap() < 0.1);
/// ```
pub fn first_order_index(x: &[f64], y: &[f64], bins: usize) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 3 || bins < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| x[*a].total_cmp(&x[*b]).then(a.cmp(b)));
    let mut distinct = 1;
    for w in order.windows(2) {
        if x[w[0]] != x[w[1]] {
            distinct += 1;
        }
    }
    // Bin of each rank: one per value when there are few values, else equal counts with
    // ties kept together (a value's bin is that of its first rank).
    let mut bin_of = vec![0usize; n];
    let mut b = 0usize;
    for k in 0..n {
        let tie = k > 0 && x[order[k]] == x[order[k - 1]];
        if k > 0 && !tie {
            b = if distinct <= bins {
                b + 1
            } else {
                (k * bins / n).max(b)
            };
        }
        bin_of[k] = b;
    }
    let m = b + 1;
    if m < 2 || n <= m {
        return None;
    }
    let mean = order.iter().map(|i| y[*i]).sum::<f64>() / n as f64;
    let mut sum = vec![0.0; m];
    let mut count = vec![0usize; m];
    for (k, i) in order.iter().enumerate() {
        sum[bin_of[k]] += y[*i];
        count[bin_of[k]] += 1;
    }
    let bin_mean: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(s, c)| s / (*c).max(1) as f64)
        .collect();
    let mut ssb = 0.0;
    for j in 0..m {
        ssb += count[j] as f64 * (bin_mean[j] - mean).powi(2);
    }
    let mut ssw = 0.0;
    let mut sst = 0.0;
    for (k, i) in order.iter().enumerate() {
        ssw += (y[*i] - bin_mean[bin_of[k]]).powi(2);
        sst += (y[*i] - mean).powi(2);
    }
    if sst <= 0.0 || !sst.is_finite() {
        return None;
    }
    let noise = (m - 1) as f64 * ssw / (n - m) as f64;
    Some((ssb - noise) / sst)
}

/// The index of `x` for `y` and its bootstrap Monte Carlo error, from `rng`.
fn with_error(
    x: &[f64],
    y: &[f64],
    bins: usize,
    resamples: usize,
    rng: &mut ChaCha8Rng,
) -> Option<FirstOrder> {
    let est = first_order_index(x, y, bins)?;
    let n = x.len();
    let mut xs = vec![0.0; n];
    let mut ys = vec![0.0; n];
    let mut got = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        for k in 0..n {
            let i = rng.random_range(0..n);
            xs[k] = x[i];
            ys[k] = y[i];
        }
        if let Some(v) = first_order_index(&xs, &ys, bins) {
            got.push(v);
        }
    }
    let se = if got.len() > 1 {
        let m = got.iter().sum::<f64>() / got.len() as f64;
        (got.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (got.len() - 1) as f64).sqrt()
    } else {
        f64::NAN
    };
    Some(FirstOrder {
        value: est.clamp(0.0, 1.0),
        se,
    })
}

/// One replication's value of a measure, given the day D of "dry by day D".
pub type MeasureFn = fn(&ReplicationRow, u32) -> f64;

/// The day "dry by day D" looks at: day 90 when the horizon reaches past it, else the last
/// day (the day of the issue's headline, P(dry by day 90)).
pub fn index_day(horizon_days: u32) -> u32 {
    let last = horizon_days.saturating_sub(1);
    if 90 < last { 90 } else { last }
}

/// The measures the index splits, one value per replication: dry by day D (0 or 1, whose
/// mean is P(dry by day D)), total unmet demand (litres), first day of rationing (the
/// horizon when none; the function gives infinity there).
pub fn index_measures(horizon_days: u32) -> Vec<(String, MeasureFn)> {
    let d = index_day(horizon_days);
    vec![
        (format!("dry_by_day_{d}"), |r: &ReplicationRow, d: u32| {
            f64::from(u8::from(r.first_dry.is_some_and(|f| f <= d)))
        }),
        ("unmet_total".into(), |r: &ReplicationRow, _| {
            r.unmet.iter().sum()
        }),
        ("first_rationing_day".into(), |r: &ReplicationRow, _| {
            r.first_rationing.map_or(f64::INFINITY, f64::from)
        }),
    ]
}

/// Ranks the inputs of `table` by their first-order indices on the headline measures of
/// `sum` (the same replications, in order), with bootstrap errors drawn from a stream keyed
/// by `seed`. `None` for fewer than [`MIN_REPLICATIONS`] replications or no input, and for
/// inputs taken from calibrated points (`table.file`): those move together, a point at a
/// time, so each input's value names its point and every input would seem to explain
/// what the points explain together; a per-input index is not defined for them.
pub fn importance(
    table: &InputTable,
    sum: &Summary,
    horizon_days: u32,
    seed: u64,
) -> Option<Importance> {
    let n = sum.rows.len().min(table.values.len());
    let k = table.inputs.len();
    if n < MIN_REPLICATIONS || k == 0 || table.file.is_some() {
        return None;
    }
    let bins = bins_for(n);
    let resamples = resamples_for(n, k);
    let h = horizon_days;
    let d = index_day(h);
    let defs = index_measures(h);
    let ys: Vec<Vec<f64>> = defs
        .iter()
        .map(|(key, f)| {
            sum.rows[..n]
                .iter()
                .map(|r| {
                    let v = f(r, d);
                    // A first day that never came counts as the horizon.
                    if key == "first_rationing_day" && v.is_infinite() {
                        f64::from(h)
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect();
    let measures: Vec<IndexMeasure> = defs
        .iter()
        .zip(&ys)
        .map(|((key, _), y)| {
            let m = y.iter().sum::<f64>() / n as f64;
            IndexMeasure {
                key: key.clone(),
                variance: y.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64,
            }
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut rows: Vec<InputIndex> = (0..k)
        .map(|i| {
            let x: Vec<f64> = table.values[..n].iter().map(|v| v[i]).collect();
            InputIndex {
                input: i,
                path: table.inputs[i].path.clone(),
                indices: ys
                    .iter()
                    .zip(&measures)
                    .map(|(y, m)| {
                        if m.variance > 0.0 {
                            with_error(&x, y, bins, resamples, &mut rng)
                        } else {
                            None
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let rank_by = measures.iter().position(|m| m.variance > 0.0);
    if let Some(j) = rank_by {
        let key = |r: &InputIndex| r.indices[j].map_or(-1.0, |f| f.value);
        rows.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.input.cmp(&b.input)));
    }
    Some(Importance {
        measures,
        rows,
        rank_by,
        bins,
        resamples,
        replications: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_scores_near_zero_and_a_step_scores_its_share() {
        let n = 2000;
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let z: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
        let e: Vec<f64> = (0..n).map(|_| rng.random::<f64>() - 0.5).collect();
        // y = step(x) + noise: Var(step) = 0.25, Var(noise) = 1/12, so S_x = 0.75.
        let y: Vec<f64> = (0..n)
            .map(|i| f64::from(u8::from(x[i] > 0.5)) + e[i])
            .collect();
        let sx = first_order_index(&x, &y, 20).unwrap();
        let sz = first_order_index(&z, &y, 20).unwrap();
        assert!((sx - 0.75).abs() < 0.03, "{sx}");
        assert!(sz.abs() < 0.02, "{sz}");
        // Uncorrected, noise would score (M - 1) / (n - 1) = 0.0095 on average; the
        // correction brings it to 0 on average: check over many noise inputs.
        let mean: f64 = (0..50)
            .map(|_| {
                let w: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
                first_order_index(&w, &y, 20).unwrap()
            })
            .sum::<f64>()
            / 50.0;
        assert!(mean.abs() < 0.003, "{mean}");
    }

    #[test]
    fn few_values_get_a_bin_each() {
        // x takes 3 values; y is x exactly: S = 1 whatever the bin count.
        let x: Vec<f64> = (0..300).map(|i| (i % 3) as f64).collect();
        let y = x.clone();
        assert!((first_order_index(&x, &y, 20).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(first_order_index(&x, &vec![1.0; 300], 20), None);
    }

    #[test]
    fn the_day_is_90_or_the_last() {
        assert_eq!(index_day(180), 90);
        assert_eq!(index_day(60), 59);
        assert_eq!(bins_for(100), 10);
        assert_eq!(bins_for(10_000), MAX_BINS);
    }
}
