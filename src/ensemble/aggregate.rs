//! The streaming aggregate of an ensemble's records, folded in replication order.

use super::*;

/// Streaming aggregate: running sums and the stock samples.
pub(super) struct Aggregate {
    layout: Layout,
    n: u64,
    stock: Vec<Vec<f32>>, // [depot * days + day] -> one value per replication
    depot_demand: Vec<f64>,
    dry_day: Vec<u64>,
    first_dry_by: Vec<u64>,
    rationing_day: Vec<u64>,
    first_rationing_by: Vec<u64>,
    /// Per series (in [`Series::ALL`] order), the running sum of every replication's values.
    sums: [Vec<f64>; Series::COUNT],
    routes: std::collections::BTreeMap<Vec<u32>, (f64, f64)>,
    segments: Vec<SegmentStats>,
    rows: Vec<ReplicationRow>,
    ledger: model::Ledger,
    events: u64,
}

fn add(acc: &mut [f64], v: &[f64]) {
    acc.iter_mut().zip(v).for_each(|(a, b)| *a += b);
}

impl Aggregate {
    pub(super) fn new(layout: &Layout, reps: u64) -> Aggregate {
        let d = layout.days;
        let z = |k: usize| vec![0.0; k * d];
        Aggregate {
            layout: layout.clone(),
            n: 0,
            stock: (0..layout.depots.len() * d)
                .map(|_| Vec::with_capacity(reps.min(1 << 20) as usize))
                .collect(),
            depot_demand: z(layout.depots.len()),
            dry_day: vec![0; d],
            first_dry_by: vec![0; d],
            rationing_day: vec![0; d],
            first_rationing_by: vec![0; d],
            sums: Series::ALL.map(|s| vec![0.0; s.values_in(layout)]),
            routes: std::collections::BTreeMap::new(),
            segments: vec![SegmentStats::default(); layout.segments],
            rows: Vec::with_capacity(reps.min(1 << 20) as usize),
            ledger: model::Ledger::default(),
            events: 0,
        }
    }

    pub(super) fn push(&mut self, r: u64, rec: &RunRecord) {
        let d = self.layout.days;
        self.n += 1;
        for (i, v) in rec[Series::Stock].iter().enumerate() {
            self.stock[i].push(*v as f32);
        }
        if self.n == 1 {
            for (i, (dep, _)) in self.layout.classes.enumerate() {
                let dep = dep.index();
                add(
                    &mut self.depot_demand[dep * d..(dep + 1) * d],
                    rec.daily(Series::Demand, i),
                );
            }
        }
        for k in 0..d {
            self.dry_day[k] += u64::from(rec.any_dry(k));
            self.rationing_day[k] += u64::from(rec.any_rationing(k));
        }
        if let Some(f) = rec.first_dry {
            self.first_dry_by[f as usize] += 1;
        }
        if let Some(f) = rec.first_rationing {
            self.first_rationing_by[f as usize] += 1;
        }
        for (sum, s) in self.sums.iter_mut().zip(Series::ALL) {
            add(sum, &rec[s]);
        }
        for (a, b) in self.segments.iter_mut().zip(&rec.segments) {
            a.add(b);
        }
        for route in &rec.routes {
            let key: Vec<u32> = route.segments.iter().map(|s| s.0).collect();
            let e = self.routes.entry(key).or_insert((0.0, 0.0));
            e.0 += route.planned_trucks;
            e.1 += route.dispatched_trucks;
        }
        self.ledger.add(&rec.ledger);
        self.events += rec.events;
        let classes = &self.layout.classes;
        self.rows.push(ReplicationRow {
            replication: r,
            first_dry: rec.first_dry,
            first_rationing: rec.first_rationing,
            days_rationed: rec.days_rationed(),
            unmet: ByClass::from_fn(classes, |i| rec.unmet_total(i)),
            unmet_rationed: ByClass::from_fn(classes, |i| rec.unmet_rationed(i)),
            unmet_dry: ByClass::from_fn(classes, |i| rec.unmet_dry(i)),
            first_dry_class: ByClass::from_fn(classes, |i| rec.first_dry_of_class(i)),
            first_unmet: ByClass::from_fn(classes, |i| {
                let (dem, rat, short) = (
                    rec.daily(Series::Demand, i),
                    rec.daily(Series::Rationed, i),
                    rec.daily(Series::Dry, i),
                );
                (0..d)
                    .find(|k| rat[*k] + short[*k] > model::DRY_TOLERANCE * dem[*k].max(1.0))
                    .map(|k| k as u32)
            }),
            trucks_lost: rec[Series::TrucksLost].iter().sum(),
            fuel_destroyed: rec[Series::FuelDestroyed].iter().sum(),
            fuel_seized: rec[Series::FuelSeized].iter().sum(),
            attacks: rec[Series::Attacks].iter().sum(),
            delivered: rec[Series::Delivered].iter().sum(),
            served: rec[Series::Served].iter().sum(),
        });
    }

    pub(super) fn finish(self, seed: u64) -> Summary {
        let d = self.layout.days;
        let n = self.n.max(1) as f64;
        let depots = self.layout.depots.len();
        // Each depot-day's samples are sorted on their own, in parallel: the same sort of
        // the same values, so the same percentiles on any number of threads.
        let mut pct: Vec<[f64; 5]> = self
            .stock
            .par_iter()
            .map(|samples| {
                let mut v: Vec<f64> = samples.iter().map(|x| f64::from(*x)).collect();
                v.sort_by(f64::total_cmp);
                PERCENTILES.map(|p| percentile_sorted(&v, p))
            })
            .collect();
        let stock_pct = (0..depots).map(|_| pct.drain(..d).collect()).collect();
        let cumulative = |counts: &[u64]| -> Vec<f64> {
            let mut cum = 0u64;
            counts
                .iter()
                .map(|c| {
                    cum += c;
                    cum as f64 / n
                })
                .collect()
        };
        let share = |counts: &[u64]| -> Vec<f64> { counts.iter().map(|c| *c as f64 / n).collect() };
        Summary {
            replications: self.n,
            seed,
            stock_pct,
            depot_demand: (0..depots)
                .map(|i| self.depot_demand[i * d..(i + 1) * d].to_vec())
                .collect(),
            p_dry_day: share(&self.dry_day),
            p_dry_by: cumulative(&self.first_dry_by),
            p_rationing_day: share(&self.rationing_day),
            p_rationing_by: cumulative(&self.first_rationing_by),
            means: self.sums.map(|v| v.iter().map(|x| x / n).collect()),
            routes: {
                let mut v: Vec<model::RouteStat> = self
                    .routes
                    .iter()
                    .map(|(k, (p, d))| model::RouteStat {
                        segments: k.iter().map(|i| crate::scenario::SegmentId(*i)).collect(),
                        planned_trucks: p / n,
                        dispatched_trucks: d / n,
                    })
                    .collect();
                v.sort_by(|a, b| b.planned_trucks.total_cmp(&a.planned_trucks));
                v
            },
            segments: self.segments.iter().map(|s| s.divided_by(n)).collect(),
            rows: self.rows,
            ledger: self.ledger.divided_by(n),
            events: self.events,
            layout: self.layout,
        }
    }
}
