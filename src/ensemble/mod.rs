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
//! Everything else is a running sum.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::model::{self, ConservationError, Layout, PlanCache, RunRecord, SegmentStats};

mod kpi;
mod study;

use crate::network::Network;
use crate::scenario::Scenario;
pub use kpi::{Estimate, KPI_NAMES, Kpi, wilson};
pub use study::*;

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
    /// First stockout day, if any.
    pub first_stockout: Option<u32>,
    /// Total unmet demand per class (rationed + stockout), litres.
    pub unmet: Vec<f64>,
    /// Per class, the first day it got less than its demand (rationed or short), if any.
    pub first_unmet: Vec<Option<u32>>,
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
    /// Mean stock per depot per day.
    pub stock_mean: Vec<Vec<f64>>,
    /// Demand per depot per day (all classes, with demand factors), litres.
    pub depot_demand: Vec<Vec<f64>>,
    /// Share of replications with a stockout on day k.
    pub p_stockout_day: Vec<f64>,
    /// Share of replications whose first stockout is on or before day k.
    pub p_stockout_by: Vec<f64>,
    /// Mean demand per class per day (identical in every replication).
    pub demand: Vec<Vec<f64>>,
    /// Mean served per class per day.
    pub served: Vec<Vec<f64>>,
    /// Mean withheld by rationing per class per day.
    pub rationed: Vec<Vec<f64>>,
    /// Mean stockout shortfall per class per day.
    pub stockout: Vec<Vec<f64>>,
    /// Mean litres delivered per source per day.
    pub delivered: Vec<Vec<f64>>,
    /// Mean litres airlifted per day.
    pub airlifted: Vec<f64>,
    /// Mean trucks in fleet per day.
    pub fleet: Vec<f64>,
    /// Mean trucks lost per day.
    pub trucks_lost: Vec<f64>,
    /// Mean litres destroyed per day.
    pub fuel_destroyed: Vec<f64>,
    /// Mean litres seized per day.
    pub fuel_seized: Vec<f64>,
    /// Mean convoys attacked per day.
    pub attacks: Vec<f64>,
    /// Mean totals per segment.
    pub segments: Vec<SegmentStats>,
    /// One row per replication, in order.
    pub rows: Vec<ReplicationRow>,
    /// Mean ledger.
    pub ledger: model::Ledger,
    /// Engine events run in all replications.
    pub events: u64,
}

impl Summary {
    /// Sorted first-stockout days of the replications that ran dry.
    pub fn first_stockout_days(&self) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .rows
            .iter()
            .filter_map(|r| r.first_stockout.map(f64::from))
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }

    /// Percentile `p` of the first stockout day over all replications, counting those that
    /// never ran dry as "after the horizon" (`None` if the percentile falls there).
    pub fn first_stockout_percentile(&self, p: f64) -> Option<f64> {
        let n = self.rows.len();
        let mut v: Vec<f64> = self
            .rows
            .iter()
            .map(|r| r.first_stockout.map_or(f64::INFINITY, f64::from))
            .collect();
        v.sort_by(f64::total_cmp);
        let x = percentile_sorted(&v, p);
        (n > 0 && x.is_finite()).then_some(x)
    }

    /// Share of replications that ran dry on or before day `day` (0-based).
    pub fn p_stockout_by_day(&self, day: usize) -> f64 {
        match self.p_stockout_by.get(day) {
            Some(p) => *p,
            None => self.p_stockout_by.last().copied().unwrap_or(0.0),
        }
    }

    /// Mean total unmet demand of class `i` per replication, litres.
    pub fn mean_unmet(&self, i: usize) -> f64 {
        self.rows.iter().map(|r| r.unmet[i]).sum::<f64>() / self.rows.len().max(1) as f64
    }

    /// Mean of a per-row quantity.
    pub fn mean_of(&self, f: impl Fn(&ReplicationRow) -> f64) -> f64 {
        self.rows.iter().map(f).sum::<f64>() / self.rows.len().max(1) as f64
    }
}

/// Streaming aggregate: running sums and the stock samples.
struct Aggregate {
    layout: Layout,
    n: u64,
    stock: Vec<Vec<f32>>, // [depot * days + day] -> one value per replication
    stock_sum: Vec<f64>,
    depot_demand: Vec<f64>,
    stockout_day: Vec<u64>,
    first_by: Vec<u64>,
    demand: Vec<f64>,
    served: Vec<f64>,
    rationed: Vec<f64>,
    stockout: Vec<f64>,
    delivered: Vec<f64>,
    airlifted: Vec<f64>,
    fleet: Vec<f64>,
    trucks_lost: Vec<f64>,
    fuel_destroyed: Vec<f64>,
    fuel_seized: Vec<f64>,
    attacks: Vec<f64>,
    segments: Vec<SegmentStats>,
    rows: Vec<ReplicationRow>,
    ledger: model::Ledger,
    events: u64,
}

fn add(acc: &mut [f64], v: &[f64]) {
    acc.iter_mut().zip(v).for_each(|(a, b)| *a += b);
}

impl Aggregate {
    fn new(layout: &Layout, reps: u64) -> Aggregate {
        let d = layout.days;
        let z = |k: usize| vec![0.0; k * d];
        Aggregate {
            layout: layout.clone(),
            n: 0,
            stock: (0..layout.depots.len() * d)
                .map(|_| Vec::with_capacity(reps.min(1 << 20) as usize))
                .collect(),
            stock_sum: z(layout.depots.len()),
            depot_demand: z(layout.depots.len()),
            stockout_day: vec![0; d],
            first_by: vec![0; d],
            demand: z(layout.classes.len()),
            served: z(layout.classes.len()),
            rationed: z(layout.classes.len()),
            stockout: z(layout.classes.len()),
            delivered: z(layout.sources.len()),
            airlifted: z(1),
            fleet: z(1),
            trucks_lost: z(1),
            fuel_destroyed: z(1),
            fuel_seized: z(1),
            attacks: z(1),
            segments: vec![SegmentStats::default(); layout.segments],
            rows: Vec::with_capacity(reps.min(1 << 20) as usize),
            ledger: model::Ledger::default(),
            events: 0,
        }
    }

    fn push(&mut self, r: u64, rec: &RunRecord) {
        let d = self.layout.days;
        self.n += 1;
        for (i, v) in rec.stock.iter().enumerate() {
            self.stock[i].push(*v as f32);
        }
        add(&mut self.stock_sum, &rec.stock);
        if self.n == 1 {
            for (i, (dep, _)) in self.layout.classes.iter().enumerate() {
                add(
                    &mut self.depot_demand[dep * d..(dep + 1) * d],
                    RunRecord::series(&rec.demand, d, i),
                );
            }
        }
        for (k, s) in rec.stockout_day.iter().enumerate() {
            self.stockout_day[k] += u64::from(*s);
        }
        if let Some(f) = rec.first_stockout {
            self.first_by[f as usize] += 1;
        }
        add(&mut self.demand, &rec.demand);
        add(&mut self.served, &rec.served);
        add(&mut self.rationed, &rec.rationed);
        add(&mut self.stockout, &rec.stockout);
        add(&mut self.delivered, &rec.delivered);
        add(&mut self.airlifted, &rec.airlifted);
        add(&mut self.fleet, &rec.fleet);
        add(&mut self.trucks_lost, &rec.trucks_lost);
        add(&mut self.fuel_destroyed, &rec.fuel_destroyed);
        add(&mut self.fuel_seized, &rec.fuel_seized);
        add(&mut self.attacks, &rec.attacks);
        for (a, b) in self.segments.iter_mut().zip(&rec.segments) {
            a.add(b);
        }
        self.ledger.add(&rec.ledger);
        self.events += rec.events;
        self.rows.push(ReplicationRow {
            replication: r,
            first_stockout: rec.first_stockout,
            unmet: (0..self.layout.classes.len())
                .map(|i| rec.unmet_total(i))
                .collect(),
            first_unmet: (0..self.layout.classes.len())
                .map(|i| {
                    let (dem, rat, short) = (
                        RunRecord::series(&rec.demand, d, i),
                        RunRecord::series(&rec.rationed, d, i),
                        RunRecord::series(&rec.stockout, d, i),
                    );
                    (0..d)
                        .find(|k| rat[*k] + short[*k] > 1e-9 * dem[*k].max(1.0))
                        .map(|k| k as u32)
                })
                .collect(),
            trucks_lost: rec.trucks_lost.iter().sum(),
            fuel_destroyed: rec.fuel_destroyed.iter().sum(),
            fuel_seized: rec.fuel_seized.iter().sum(),
            attacks: rec.attacks.iter().sum(),
            delivered: rec.delivered.iter().sum(),
            served: rec.served.iter().sum(),
        });
    }

    fn finish(self, seed: u64) -> Summary {
        let d = self.layout.days;
        let n = self.n.max(1) as f64;
        let mean = |v: &[f64], k: usize| -> Vec<Vec<f64>> {
            (0..k)
                .map(|i| v[i * d..(i + 1) * d].iter().map(|x| x / n).collect())
                .collect()
        };
        let depots = self.layout.depots.len();
        let classes = self.layout.classes.len();
        let sources = self.layout.sources.len();
        let stock_pct = (0..depots)
            .map(|dep| {
                (0..d)
                    .map(|k| {
                        let mut v: Vec<f64> = self.stock[dep * d + k]
                            .iter()
                            .map(|x| f64::from(*x))
                            .collect();
                        v.sort_by(f64::total_cmp);
                        PERCENTILES.map(|p| percentile_sorted(&v, p))
                    })
                    .collect()
            })
            .collect();
        let mut cum = 0u64;
        let p_stockout_by = self
            .first_by
            .iter()
            .map(|c| {
                cum += c;
                cum as f64 / n
            })
            .collect();
        Summary {
            replications: self.n,
            seed,
            stock_pct,
            stock_mean: mean(&self.stock_sum, depots),
            depot_demand: (0..depots)
                .map(|i| self.depot_demand[i * d..(i + 1) * d].to_vec())
                .collect(),
            p_stockout_day: self.stockout_day.iter().map(|c| *c as f64 / n).collect(),
            p_stockout_by,
            demand: mean(&self.demand, classes),
            served: mean(&self.served, classes),
            rationed: mean(&self.rationed, classes),
            stockout: mean(&self.stockout, classes),
            delivered: mean(&self.delivered, sources),
            airlifted: mean(&self.airlifted, 1).remove(0),
            fleet: mean(&self.fleet, 1).remove(0),
            trucks_lost: mean(&self.trucks_lost, 1).remove(0),
            fuel_destroyed: mean(&self.fuel_destroyed, 1).remove(0),
            fuel_seized: mean(&self.fuel_seized, 1).remove(0),
            attacks: mean(&self.attacks, 1).remove(0),
            segments: self.segments.iter().map(|s| s.divided_by(n)).collect(),
            rows: self.rows,
            ledger: self.ledger.divided_by(n),
            events: self.events,
            layout: self.layout,
        }
    }
}

/// Most replications folded per chunk.
const CHUNK: u64 = 256;
/// Memory the records of one chunk may take together; a chunk holds at least one record per
/// worker thread, so that all threads stay busy.
const IN_FLIGHT_BYTES: u64 = 256 << 20;

/// Bytes of one replication's [`RunRecord`] for `layout`.
fn record_bytes(layout: &Layout) -> u64 {
    let days = layout.days as u64;
    let series = (layout.depots.len() + 4 * layout.classes.len() + layout.sources.len() + 7) as u64;
    8 * days * series + days + 48 * layout.segments as u64 + 512
}

/// Replications per chunk: as many as fit in [`IN_FLIGHT_BYTES`], at least one per thread,
/// at most [`CHUNK`]. Results never depend on it: records are folded in replication order.
fn chunk_size(layout: &Layout, threads: usize) -> u64 {
    (IN_FLIGHT_BYTES / record_bytes(layout)).clamp(threads.max(1) as u64, CHUNK)
}

/// What an ensemble needs, estimated before it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Peak memory, bytes: the running sums, the records of one chunk in flight, and what
    /// grows with the replications (one stock value per depot, day and replication for the
    /// percentiles; one row of totals per replication).
    pub bytes: u64,
    /// Part of [`Budget::bytes`] that grows with the replication count.
    pub bytes_per_replication: u64,
    /// Engine events one replication runs at least (settles, convoy departures, replans,
    /// scheduled events), a lower bound of its cost.
    pub events_per_replication: f64,
}

/// The estimated [`Budget`] of `replications` replications of `s` on `threads` workers.
pub fn budget(s: &Scenario, replications: u64, threads: usize) -> Budget {
    let layout = Layout::new(s);
    let days = layout.days as u64;
    let record = record_bytes(&layout);
    let per_rep = 4 * layout.depots.len() as u64 * days + 96 + 16 * layout.classes.len() as u64;
    let in_flight = chunk_size(&layout, threads).min(replications.max(1)) * record;
    // The running sums are about one record; finishing sorts one day's stock samples.
    let bytes = record
        .saturating_add(in_flight)
        .saturating_add(per_rep.saturating_mul(replications))
        .saturating_add(8 * replications);
    let h = f64::from(s.horizon_days);
    let events_per_replication = h
        + h / s.dispatch.convoy_interval_days
        + h / s.dispatch.replan_days
        + 2.0 * s.events.len() as f64;
    Budget {
        bytes,
        bytes_per_replication: per_rep,
        events_per_replication,
    }
}

/// Why an ensemble is refused before it starts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "{replications} replications of this scenario need about {} of memory, above the limit of {}; \
     lower the replications (-n), the horizon or the number of demand classes, or raise \
     --max-memory",
    bytes_text(*needed),
    bytes_text(*limit)
)]
pub struct OverBudget {
    /// Replications asked for.
    pub replications: u64,
    /// Estimated need, bytes.
    pub needed: u64,
    /// The limit, bytes.
    pub limit: u64,
}

impl Budget {
    /// Refuses a run whose estimate is above `limit` bytes.
    ///
    /// # Errors
    /// [`OverBudget`] naming the need, the limit and the knobs.
    pub fn check(&self, replications: u64, limit: u64) -> Result<(), OverBudget> {
        if self.bytes > limit {
            Err(OverBudget {
                replications,
                needed: self.bytes,
                limit,
            })
        } else {
            Ok(())
        }
    }
}

/// A byte count for people: `512 MB`, `7.3 GB` (powers of 1024, as `--max-memory` reads
/// them).
pub fn bytes_text(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 || v >= 100.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
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
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build();
    match pool {
        Ok(pool) => pool.install(|| run_in_pool(s, net, opts, progress)),
        // A pool cannot be built (resources): run on the global pool; results are the same.
        Err(_) => run_in_pool(s, net, opts, progress),
    }
}

fn run_in_pool(
    s: &Scenario,
    net: &Network,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, ConservationError> {
    let layout = Layout::new(s);
    let mut agg = Aggregate::new(&layout, opts.replications);
    // One plan cache per worker thread: plans are pure functions of the network state, so
    // which thread solved one never changes a result.
    let caches: Vec<Mutex<PlanCache>> = (0..rayon::current_num_threads() + 1)
        .map(|_| Mutex::new(PlanCache::new()))
        .collect();
    let chunk = chunk_size(&layout, rayon::current_num_threads());
    let mut start = 0;
    while start < opts.replications {
        let end = (start + chunk).min(opts.replications);
        let records: Vec<Result<RunRecord, ConservationError>> = (start..end)
            .into_par_iter()
            .map(|r| {
                let slot = rayon::current_thread_index()
                    .map_or(caches.len() - 1, |i| i.min(caches.len() - 1));
                let mut cache = caches[slot].lock().unwrap_or_else(|p| p.into_inner());
                model::simulate(s, net, &layout, opts.seed, r, &mut cache)
            })
            .collect();
        for (i, rec) in records.into_iter().enumerate() {
            agg.push(start + i as u64, &rec?);
        }
        start = end;
        progress(start);
    }
    Ok(agg.finish(opts.seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_shrink_with_the_record() {
        let layout = |classes: usize, days: usize| Layout {
            depots: vec![crate::scenario::NodeId(0)],
            sources: vec![crate::scenario::NodeId(1)],
            classes: vec![(0, 0); classes],
            days,
            segments: 3,
        };
        // A small record: the full chunk.
        assert_eq!(chunk_size(&layout(3, 180), 2), CHUNK);
        // 200 classes x 36,500 days is a record of about 235 MB: one per thread at a time
        // (it was 256 at a time, 60 GB).
        let big = layout(200, 36_500);
        assert!(record_bytes(&big) > 200 << 20);
        assert_eq!(chunk_size(&big, 2), 2);
        assert_eq!(chunk_size(&big, 1), 1);
        assert!(chunk_size(&big, 2) * record_bytes(&big) < 1 << 30);
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(1536 << 20), "1.5 GB");
        assert_eq!(bytes_text(300 << 20), "300 MB");
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
