//! Monte Carlo ensembles: the seed scheme, replications in parallel, and streaming
//! aggregation into a [`Summary`].
//!
//! **Seed scheme.** Replication `r` of a scenario with seed `S` draws every random number
//! from one stream per segment: ChaCha8 keyed by `S` mixed with the segment index, with
//! its stream set to `r` ([`crate::model::segment_rng`]); each convoy entering a segment
//! takes exactly four numbers from it. So replication `r` gives the same numbers alone, in
//! a batch, on 1 thread or 16, and two scenarios run with the same seed give the same
//! draws to the same convoys on the same segments (common random numbers, which sweeps,
//! comparisons and the reserve search rely on).
//!
//! **Determinism.** Replications run in chunks; inside a chunk rayon runs them in any order
//! on any thread, but their records are folded into the aggregate strictly in replication
//! order. Every sum is therefore added in the same order whatever the thread count, and the
//! outputs are the same bytes.
//!
//! **Memory.** Only what percentiles need grows with the number of replications: one `f32`
//! per replication, day and depot for the stock, and one row of totals per replication.
//! Everything else is a running sum. The estimate of that memory before a run, and the
//! chunk size, are in `budget.rs`.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::model::{
    self, ByClass, ClassId, ConservationError, Layout, Line, PlanCache, PlanStore, RunRecord,
    SegmentStats, Series,
};

mod aggregate;
mod budget;
mod inputs;
mod kpi;
mod sensitivity;
mod study;
mod variance;

use crate::network::Network;
use crate::scenario::Scenario;
use aggregate::Aggregate;
use budget::chunk_size;
pub use budget::{Budget, MAX_EVENTS, OverBudget, budget, bytes_text};
pub use inputs::*;
pub use kpi::{Censoring, Estimate, KPI_NAMES, Kpi, wilson};
pub use sensitivity::{
    InputKind, SENSITIVITY_REPLICATIONS, SENSITIVITY_STEP, Sensitivity, SensitivityDesign,
    SensitivityInput, SensitivityRow, UNCERTAIN_QUANTILES, assemble_sensitivity, default_inputs,
    lever_inputs, sensitivity, sensitivity_replications, sensitivity_values, sensitivity_variants,
    uncertain_inputs,
};
pub use study::*;
pub use variance::*;

/// How to run an ensemble.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Number of replications.
    pub replications: u64,
    /// The seed.
    pub seed: u64,
    /// Worker threads; `None` uses rayon's default (one per core).
    pub threads: Option<usize>,
}

impl Options {
    /// The scenario's own replications and seed, default threads.
    pub fn from_scenario(s: &Scenario) -> Options {
        Options {
            replications: u64::from(s.replications),
            seed: s.seed,
            threads: None,
        }
    }
}

/// The percentiles reported everywhere: P5, P25, P50, P75, P95.
pub const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Percentile `p` (in [0, 1]) of sorted values, by linear interpolation between order
/// statistics ("type 7"). `NaN` for no values.
///
/// ```
/// use blockade::ensemble::percentile_sorted;
/// assert_eq!(percentile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
/// assert_eq!(percentile_sorted(&[10.0], 0.95), 10.0);
/// ```
pub fn percentile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Per-replication totals: one row of `replications.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationRow {
    /// Replication index.
    pub replication: u64,
    /// First day on which some depot was dry (the stock ran out before every request was
    /// met), if any.
    pub first_dry: Option<u32>,
    /// First day on which some depot rationed, if any.
    pub first_rationing: Option<u32>,
    /// Days on which some depot rationed.
    pub days_rationed: u32,
    /// Total unmet demand per class (rationed + dry), litres.
    pub unmet: ByClass<f64>,
    /// Unmet demand per class withheld by rationing, litres.
    pub unmet_rationed: ByClass<f64>,
    /// Unmet demand per class because the stock ran out, litres.
    pub unmet_dry: ByClass<f64>,
    /// Per class, its first dry day (it got less than it requested), if any.
    pub first_dry_class: ByClass<Option<u32>>,
    /// Per class, the first day it got less than its baseline (rationed or dry), if any.
    pub first_unmet: ByClass<Option<u32>>,
    /// Trucks lost.
    pub trucks_lost: f64,
    /// Litres burned.
    pub fuel_destroyed: f64,
    /// Litres seized.
    pub fuel_seized: f64,
    /// Convoys attacked.
    pub attacks: f64,
    /// Litres delivered by convoys.
    pub delivered: f64,
    /// Litres served.
    pub served: f64,
}

/// What an ensemble produced, aggregated.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Indexing of depots, sources, classes.
    pub layout: Layout,
    /// Replications run.
    pub replications: u64,
    /// Seed used.
    pub seed: u64,
    /// Stock percentiles per depot per day: `stock_pct[depot][day][i]` for `PERCENTILES[i]`.
    pub stock_pct: Vec<Vec<[f64; 5]>>,
    /// Baseline demand per depot per day (all classes, with demand factors), litres.
    pub depot_demand: Vec<Vec<f64>>,
    /// Share of replications in which some depot was dry on day k.
    pub p_dry_day: Vec<f64>,
    /// Share of replications whose first dry day is on or before day k (P(dry by day k)).
    pub p_dry_by: Vec<f64>,
    /// Share of replications in which some depot rationed on day k.
    pub p_rationing_day: Vec<f64>,
    /// Share of replications whose first rationing day is on or before day k.
    pub p_rationing_by: Vec<f64>,
    /// Per series (in [`Series::ALL`] order), the mean over replications of each line and
    /// day, series-major like the record's (read through [`Summary::mean`]).
    means: [Vec<f64>; Series::COUNT],
    /// Every route used in some replication, most planned trucks first (ties: segment
    /// order): mean planned and dispatched trucks per replication.
    pub routes: Vec<model::RouteStat>,
    /// Mean totals per segment.
    pub segments: Vec<SegmentStats>,
    /// One row per replication, in order.
    pub rows: Vec<ReplicationRow>,
    /// Mean ledger.
    pub ledger: model::Ledger,
    /// Engine events run in all replications.
    pub events: u64,
}

/// Percentile `p` of an optional day per replication, counting `None` ("none within the
/// horizon") as later than any day: `None` when the percentile falls among them.
pub fn day_percentile(days: impl Iterator<Item = Option<u32>>, p: f64) -> Option<f64> {
    let mut v: Vec<f64> = days.map(|d| d.map_or(f64::INFINITY, f64::from)).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let x = percentile_sorted(&v, p);
    x.is_finite().then_some(x)
}

impl Summary {
    /// The mean over replications of line `line` of series `s` (a depot, class, source or
    /// truck state, or [`Line::One`]), one value per day.
    ///
    /// # Panics
    /// If `line` is not of the series' shape ([`Series::per`]).
    pub fn mean(&self, s: Series, line: impl Into<Line>) -> &[f64] {
        RunRecord::series(&self.means[s.index()], self.layout.days, line.into().of(s))
    }

    /// The means of every line of series `s`, in order, each one value per day.
    pub fn means(&self, s: Series) -> std::slice::Chunks<'_, f64> {
        self.means[s.index()].chunks(self.layout.days.max(1))
    }

    /// Sorted first dry days of the replications that had one.
    pub fn first_dry_days(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.first_dry.map(f64::from))
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }

    /// Percentile `p` of the first dry day over all replications, counting those that were
    /// never dry as "none within the horizon" (`None` if the percentile falls there).
    pub fn first_dry_percentile(&self, p: f64) -> Option<f64> {
        day_percentile(self.rows.iter().map(|r| r.first_dry), p)
    }

    /// Percentile `p` of the first rationing day (`None`: none within the horizon).
    pub fn first_rationing_percentile(&self, p: f64) -> Option<f64> {
        day_percentile(self.rows.iter().map(|r| r.first_rationing), p)
    }

    /// Share of replications never dry within the horizon.
    pub fn share_never_dry(&self) -> f64 {
        self.rows.iter().filter(|r| r.first_dry.is_none()).count() as f64
            / self.rows.len().max(1) as f64
    }

    /// Share of replications that never rationed within the horizon.
    pub fn share_never_rationed(&self) -> f64 {
        self.rows
            .iter()
            .filter(|r| r.first_rationing.is_none())
            .count() as f64
            / self.rows.len().max(1) as f64
    }

    /// P(dry by day `day`): the share of replications whose first dry day is on or before
    /// day `day` (0-based; the `daily.csv` row of that day). Days past the horizon give
    /// the share by its last day.
    pub fn p_dry_by_day(&self, day: u32) -> f64 {
        at_or_last(&self.p_dry_by, day)
    }

    /// P(rationing by day `day`), read like [`Summary::p_dry_by_day`].
    pub fn p_rationing_by_day(&self, day: u32) -> f64 {
        at_or_last(&self.p_rationing_by, day)
    }

    /// Mean total unmet demand of class `i` per replication, litres.
    pub fn mean_unmet(&self, i: ClassId) -> f64 {
        self.mean_of(|r| r.unmet[i])
    }

    /// Mean of a per-row quantity.
    pub fn mean_of(&self, f: impl Fn(&ReplicationRow) -> f64) -> f64 {
        self.rows.iter().map(f).sum::<f64>() / self.rows.len().max(1) as f64
    }

    /// Percentile `p` of a per-row quantity.
    pub fn percentile_of(&self, p: f64, f: impl Fn(&ReplicationRow) -> f64) -> f64 {
        let mut v: Vec<f64> = self.rows.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        percentile_sorted(&v, p)
    }

    /// The protected classes: priority at or above their depot's `protected_priority`
    /// (never rationed).
    pub fn protected_classes(&self, s: &Scenario) -> Vec<ClassId> {
        self.layout
            .class_ids()
            .filter(|i| {
                let (d, c) = self.layout.classes[*i];
                s.depot(self.layout.depots[d.index()])
                    .is_some_and(|dep| dep.is_protected(&dep.demand[c]))
            })
            .collect()
    }

    /// Per replication, the unmet demand of the protected classes, litres.
    pub fn unmet_protected(&self, s: &Scenario) -> Vec<f64> {
        let p = self.protected_classes(s);
        self.rows
            .iter()
            .map(|r| p.iter().map(|i| r.unmet[*i]).sum())
            .collect()
    }
}

fn at_or_last(v: &[f64], day: u32) -> f64 {
    match v.get(day as usize) {
        Some(p) => *p,
        None => v.last().copied().unwrap_or(0.0),
    }
}

/// Runs `f` on a pool of `threads` worker threads (`None`: one per core), or on the
/// current pool if a pool cannot be built (resources): results never depend on which.
/// Every parallel entry point of the library goes through here.
pub fn on_threads<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}

/// Runs `opts.replications` replications of `s` on `net` and aggregates them. `progress`
/// is called with the number of replications done after each chunk.
///
/// # Errors
/// [`ConservationError`] from the first (lowest-numbered) replication whose fuel ledger
/// does not balance: a bug, never a result.
pub fn run(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, ConservationError> {
    on_threads(opts.threads, || run_in_pool(s, net, opts, progress))
}

fn run_in_pool(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, ConservationError> {
    range_in_pool(s, net, opts, 0..opts.replications, progress, &mut |_, _| {})
}

/// The replications of shard `shard` (0-based) of `shards` out of `replications`: the
/// contiguous block `[floor(shard·n/N), floor((shard+1)·n/N))`. The blocks of shards
/// `0..N` cover `0..n` once, in order; a block may be empty when `N > n`.
///
/// ```
/// use blockade::ensemble::shard_block;
/// assert_eq!(shard_block(0, 4, 10), 0..2);
/// assert_eq!(shard_block(3, 4, 10), 7..10);
/// ```
pub fn shard_block(shard: u64, shards: u64, replications: u64) -> std::ops::Range<u64> {
    let at = |i: u64| (u128::from(i) * u128::from(replications) / u128::from(shards.max(1))) as u64;
    at(shard)..at(shard + 1)
}

/// Runs replications `range` of `s` (the same replications, on the same seeds, as in a run
/// of all of them), calls `observe(r, record)` for each in replication order, and folds
/// them into a [`Summary`] of the block. `progress` gets the replications done so far.
///
/// # Errors
/// [`ConservationError`] as [`run`].
pub fn run_range(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<Summary, ConservationError> {
    on_threads(opts.threads, || {
        range_in_pool(s, net, opts, range, progress, observe)
    })
}

pub(crate) fn range_in_pool(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    range: std::ops::Range<u64>,
    progress: &(dyn Fn(u64) + Sync),
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<Summary, ConservationError> {
    range_with_plans(s, net, opts, range, &PlanStore::new(), progress, observe)
}

/// [`range_in_pool`] with the solved plans of `store`, which must hold plans of networks
/// that plan like `net` ([`Network::plans_like`]) and receives those solved here.
pub(crate) fn range_with_plans(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    range: std::ops::Range<u64>,
    store: &std::sync::Arc<PlanStore>,
    progress: &(dyn Fn(u64) + Sync),
    observe: &mut (dyn FnMut(u64, &RunRecord) + Send),
) -> Result<Summary, ConservationError> {
    let layout = Layout::new(s);
    let mut agg = Aggregate::new(&layout, range.end.saturating_sub(range.start));
    // One plan cache per worker thread, all over one store: plans are pure functions of
    // the network state, so which thread solved one never changes a result.
    let caches: Vec<Mutex<PlanCache>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new(PlanCache::sharing(store)))
        .collect();
    let chunk = chunk_size(&layout, rayon::current_num_threads());
    let simulate_chunk =
        |block: std::ops::Range<u64>| -> Vec<Result<RunRecord, ConservationError>> {
            block
                .into_par_iter()
                .map(|r| {
                    let slot = rayon::current_thread_index()
                        .map_or(caches.len() - 1, |i| i.min(caches.len() - 1));
                    let mut cache = caches[slot].lock().unwrap_or_else(|p| p.into_inner());
                    model::simulate(s, net, &layout, opts.seed, r, &mut cache)
                })
                .collect()
        };
    // Chunk k is folded (in replication order, on one thread) while chunk k + 1 runs on
    // the others, so no thread waits for the fold: two chunks of records are in flight
    // ([`budget`] counts both). Records too large for two chunks are folded first.
    let overlap = budget::overlapped(&layout, rayon::current_num_threads());
    let mut folded = range.start;
    let mut start = range.start;
    let mut pending: Vec<Result<RunRecord, ConservationError>> = Vec::new();
    loop {
        let end = (start + chunk).min(range.end);
        let records = std::mem::take(&mut pending);
        let fold = || -> Result<u64, ConservationError> {
            let mut r = folded;
            for rec in records {
                let rec = rec?;
                observe(r, &rec);
                agg.push(r, &rec);
                r += 1;
            }
            Ok(r)
        };
        let next = || (start < end).then(|| simulate_chunk(start..end));
        let (done, next) = if overlap {
            rayon::join(fold, next)
        } else {
            let done = fold();
            (done, if done.is_ok() { next() } else { None })
        };
        let done = done?;
        if done > folded {
            folded = done;
            progress(folded - range.start);
        }
        match next {
            Some(records) => pending = records,
            None => break,
        }
        start = end;
    }
    Ok(agg.finish(opts.seed))
}

/// The streaming aggregate that [`run`] folds its records into, for records that come
/// from elsewhere (the shard files of `blockade merge`): pushed in replication order, the
/// same records give the same [`Summary`], bit for bit, as the run that made them.
pub struct Fold {
    agg: Aggregate,
    seed: u64,
}

impl Fold {
    /// An empty fold for `replications` records shaped by `layout`, of seed `seed`.
    pub fn new(layout: &Layout, replications: u64, seed: u64) -> Fold {
        Fold {
            agg: Aggregate::new(layout, replications),
            seed,
        }
    }

    /// Adds replication `r`'s record (in replication order).
    pub fn push(&mut self, r: u64, rec: &RunRecord) {
        self.agg.push(r, rec);
    }

    /// The summary of every record pushed.
    pub fn finish(self) -> Summary {
        self.agg.finish(self.seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_blocks_cover_every_replication_once_in_order() {
        for n in [0u64, 1, 5, 10, 40, 1000, 100_003] {
            for shards in [1u64, 2, 3, 4, 7, 64, 200] {
                let mut next = 0;
                for i in 0..shards {
                    let b = shard_block(i, shards, n);
                    assert_eq!(b.start, next, "n {n} shards {shards} shard {i}");
                    assert!(b.end - b.start <= n / shards + 1);
                    next = b.end;
                }
                assert_eq!(next, n);
            }
        }
        // Large counts do not overflow.
        assert_eq!(shard_block(3, 4, u64::MAX).end, u64::MAX);
    }

    /// An ensemble of several chunks (each folded while the next one runs) on three threads
    /// is, bit for bit, the fold of its replications run one by one in order; `observe`
    /// sees them in order and `progress` counts up to the total.
    #[test]
    fn chunks_folded_while_the_next_runs_give_the_sequential_fold() {
        let s = crate::scenario::bundled("tutorial.ron");
        let net = Network::build(&s);
        let layout = Layout::new(&s);
        let n = 2 * budget::CHUNK + 5;
        let mut fold = Fold::new(&layout, n, s.seed);
        let mut cache = PlanCache::new();
        for r in 0..n {
            let rec = model::simulate(&s, &net, &layout, s.seed, r, &mut cache).expect("conserved");
            fold.push(r, &rec);
        }
        let opts = Options {
            replications: n,
            seed: s.seed,
            threads: Some(3),
        };
        let progress = Mutex::new(Vec::new());
        let mut seen = Vec::new();
        let summary = run_range(
            &s,
            &net,
            &opts,
            0..n,
            &|k| progress.lock().unwrap().push(k),
            &mut |r, _| seen.push(r),
        )
        .expect("conserved");
        assert_eq!(format!("{summary:?}"), format!("{:?}", fold.finish()));
        assert_eq!(seen, (0..n).collect::<Vec<_>>());
        let progress = progress.into_inner().unwrap();
        assert!(progress.len() >= 3, "{progress:?}");
        assert!(progress.windows(2).all(|w| w[0] < w[1]), "{progress:?}");
        assert_eq!(progress.last(), Some(&n));
    }

    #[test]
    fn type7_percentiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile_sorted(&v, 0.0), 1.0);
        assert_eq!(percentile_sorted(&v, 1.0), 5.0);
        assert_eq!(percentile_sorted(&v, 0.25), 2.0);
        assert!((percentile_sorted(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!(percentile_sorted(&[], 0.5).is_nan());
    }
}
