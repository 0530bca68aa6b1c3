//! The memory and work an ensemble needs, estimated before it runs ([`budget`]), and the
//! chunk size the run functions fold their records in ([`chunk_size`]): both read the
//! bytes of one record from [`RunRecord::bytes_for`], which counts every series of
//! [`Series::ALL`].

use super::*;

/// Most replications folded per chunk (two chunks are in flight: 256 records at most).
pub(super) const CHUNK: u64 = 128;
/// Memory the records in flight may take together: two chunks, one being folded while the
/// next runs ([`overlapped`]), or one chunk when two do not fit. A chunk holds at least one
/// record per worker thread, so that all threads stay busy.
const IN_FLIGHT_BYTES: u64 = 256 << 20;

/// Bytes of one replication's [`RunRecord`] for `layout` ([`RunRecord::bytes_for`]: every
/// series of [`Series::ALL`] by its shape, so a new series is counted without an edit here).
fn record_bytes(layout: &Layout) -> u64 {
    RunRecord::bytes_for(layout)
}

/// Bytes of one [`ReplicationRow`] for `layout`: the row and its per-class values (three
/// amounts of unmet demand and two first days per class).
fn row_bytes(layout: &Layout) -> u64 {
    use std::mem::size_of;
    let per_class = 3 * size_of::<f64>() + 2 * size_of::<Option<u32>>();
    (size_of::<ReplicationRow>() + per_class * layout.classes.len()) as u64
}

/// Replications per chunk: as many as fit, two chunks together, in [`IN_FLIGHT_BYTES`], at
/// least one per thread, at most [`CHUNK`]. Results never depend on it: records are folded
/// in replication order.
pub(super) fn chunk_size(layout: &Layout, threads: usize) -> u64 {
    (IN_FLIGHT_BYTES / 2 / record_bytes(layout)).clamp(threads.max(1) as u64, CHUNK)
}

/// Whether a chunk is folded while the next one runs: when two chunks fit in
/// [`IN_FLIGHT_BYTES`]. Records too large for that (a chunk of one per thread already
/// fills it) are folded before the next chunk starts, so that only one chunk is in flight.
pub(super) fn overlapped(layout: &Layout, threads: usize) -> bool {
    2 * chunk_size(layout, threads) * record_bytes(layout) <= IN_FLIGHT_BYTES
}

/// What an ensemble needs, estimated before it runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Peak memory, bytes: the running sums, the records in flight (two chunks, or one for
    /// records too large for two, see `overlapped`), and what
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
    let stock_samples = (std::mem::size_of::<f32>() * layout.depots.len()) as u64 * days;
    let per_rep = stock_samples + row_bytes(&layout);
    // Two chunks in flight when one is folded while the next runs, else one.
    let chunks = if overlapped(&layout, threads) { 2 } else { 1 };
    let in_flight = (chunks * chunk_size(&layout, threads)).min(replications.max(1)) * record;
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

/// Most engine events an ensemble may be estimated to run, all replications together:
/// 1e10. The estimate ([`Budget::events_per_replication`]) is a lower bound, so a refused
/// run costs at least this many events: 17 minutes of one core even at a generous 10
/// million events a second, and over 9 hours at the 0.3 million a second measured on
/// `bamako-2025.ron` (`run -n 200 --threads 1`, plans and outputs included), where the real
/// count is 17 times the estimate. The bundled scenarios need 1e5 to 4e5 at their own
/// replication counts and at most 4e9 at the largest `-n`, so only a long horizon with a
/// very short `dispatch.replan_days` or `dispatch.convoy_interval_days`, or such a horizon
/// with millions of replications, reaches it.
pub const MAX_EVENTS: f64 = 1e10;

/// Why an ensemble is refused before it starts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverBudget {
    /// The estimated memory is above the limit.
    #[error(
        "{replications} replications of this scenario need about {} of memory, above the limit \
         of {}; lower the replications (-n), the horizon or the number of demand classes, or \
         raise --max-memory",
        bytes_text(*needed),
        bytes_text(*limit)
    )]
    Memory {
        /// Replications asked for.
        replications: u64,
        /// Estimated need, bytes.
        needed: u64,
        /// The limit, bytes.
        limit: u64,
    },
    /// The estimated engine events are above [`MAX_EVENTS`].
    #[error(
        "{replications} replications of this scenario run at least {needed:.1e} engine events, \
         above the limit of {limit:.0e}; lower the replications (-n) or the horizon \
         (horizon_days), or raise dispatch.replan_days or dispatch.convoy_interval_days"
    )]
    Events {
        /// Replications asked for.
        replications: u64,
        /// Estimated engine events of all replications (a lower bound).
        needed: f64,
        /// The limit, [`MAX_EVENTS`].
        limit: f64,
    },
}

impl Budget {
    /// Engine events of `replications` replications at least.
    pub fn events(&self, replications: u64) -> f64 {
        self.events_per_replication * replications as f64
    }

    /// Refuses a run whose memory estimate is above `limit` bytes or whose events are
    /// above [`MAX_EVENTS`].
    ///
    /// # Errors
    /// [`OverBudget`] naming the need, the limit and the knobs.
    pub fn check(&self, replications: u64, limit: u64) -> Result<(), OverBudget> {
        let events = self.events(replications);
        if self.bytes > limit {
            Err(OverBudget::Memory {
                replications,
                needed: self.bytes,
                limit,
            })
        } else if events.is_nan() || events > MAX_EVENTS {
            Err(OverBudget::Events {
                replications,
                needed: events,
                limit: MAX_EVENTS,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_shrink_with_the_record() {
        let layout = |classes: usize, days: usize| Layout {
            depots: vec![crate::scenario::NodeId(0)],
            sources: vec![crate::scenario::NodeId(1)],
            classes: vec![(crate::scenario::DepotId(0), 0); classes].into(),
            days,
            segments: 3,
        };
        // A small record: the full chunk.
        assert_eq!(chunk_size(&layout(3, 180), 2), CHUNK);
        assert!(overlapped(&layout(3, 180), 2));
        // 200 classes x 36,500 days is a record of about 297 MB: one per thread at a time
        // (it was 256 at a time, 60 GB).
        let big = layout(200, 36_500);
        assert!(record_bytes(&big) > 200 << 20);
        assert_eq!(chunk_size(&big, 2), 2);
        assert_eq!(chunk_size(&big, 1), 1);
        assert!(chunk_size(&big, 2) * record_bytes(&big) < 1 << 30);
        // Two chunks of it would not fit: it is folded before the next chunk runs.
        assert!(!overlapped(&big, 2));
    }

    /// The estimate made before a run is what a record allocates: exactly for a new record
    /// (so a series, or a field of the record, left out of the estimate fails here), and
    /// within [`RunRecord::GROWTH_BYTES`] for one that ran, on every bundled scenario.
    #[test]
    fn record_bytes_is_what_a_record_allocates() {
        for name in ["tutorial.ron", "mali.ron", "bamako-2025.ron"] {
            let s = crate::scenario::bundled(name);
            let layout = Layout::new(&s);
            let fresh = RunRecord::new(&layout).allocated_bytes();
            assert_eq!(
                record_bytes(&layout),
                fresh + RunRecord::GROWTH_BYTES,
                "{name}"
            );
            let net = Network::build(&s);
            let rec = model::simulate(&s, &net, &layout, s.seed, 0, &mut PlanCache::new())
                .expect("ledger balances");
            let ran = rec.allocated_bytes();
            eprintln!("{name}: estimate {} ran {ran}", record_bytes(&layout));
            assert!(ran >= fresh, "{name}");
            assert!(
                ran <= record_bytes(&layout),
                "{name}: {ran} > {}",
                record_bytes(&layout)
            );
        }
    }

    /// A row of totals is what [`row_bytes`] counts, on a bundled scenario with several
    /// classes (a per-class total left out of the count fails here).
    #[test]
    fn row_bytes_is_what_a_row_allocates() {
        let s = crate::scenario::bundled("bamako-2025.ron");
        let opts = Options {
            replications: 1,
            seed: 1,
            threads: Some(1),
        };
        let sum = run(&s, &Network::build(&s), &opts, &|_| {}).expect("ledger balances");
        // Every field named: a field added to the row fails to compile here until counted.
        let ReplicationRow {
            replication: _,
            first_dry: _,
            first_rationing: _,
            days_rationed: _,
            unmet,
            unmet_rationed,
            unmet_dry,
            first_dry_class,
            first_unmet,
            trucks_lost: _,
            fuel_destroyed: _,
            fuel_seized: _,
            attacks: _,
            delivered: _,
            served: _,
        } = &sum.rows[0];
        fn heap<T>(v: &ByClass<T>) -> u64 {
            (v.len() * std::mem::size_of::<T>()) as u64
        }
        let allocated = std::mem::size_of::<ReplicationRow>() as u64
            + heap(unmet)
            + heap(unmet_rationed)
            + heap(unmet_dry)
            + heap(first_dry_class)
            + heap(first_unmet);
        assert!(sum.layout.classes.len() > 1);
        assert_eq!(row_bytes(&sum.layout), allocated);
    }

    #[test]
    fn byte_counts_read_well() {
        assert_eq!(bytes_text(512), "512 B");
        assert_eq!(bytes_text(1536 << 20), "1.5 GB");
        assert_eq!(bytes_text(300 << 20), "300 MB");
    }
}
