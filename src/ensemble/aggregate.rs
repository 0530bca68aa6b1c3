//! The streaming aggregate of an ensemble's records, folded in replication order.

use super::*;

/// Streaming aggregate: running sums and the stock samples.
pub(super) struct Aggregate {
    layout: Layout,
    n: u64,
    stock: Vec<Vec<f32>>, // [depot * days + day] -> one value per replication
    stock_sum: Vec<f64>,
    depot_demand: Vec<f64>,
    dry_day: Vec<u64>,
    first_dry_by: Vec<u64>,
    rationing_day: Vec<u64>,
    first_rationing_by: Vec<u64>,
    demand: Vec<f64>,
    requested: Vec<f64>,
    served: Vec<f64>,
    rationed: Vec<f64>,
    dry: Vec<f64>,
    delivered: Vec<f64>,
    airlifted: Vec<f64>,
    fleet: Vec<f64>,
    trucks_lost: Vec<f64>,
    fuel_destroyed: Vec<f64>,
    fuel_seized: Vec<f64>,
    attacks: Vec<f64>,
    fleet_state: Vec<f64>,
    escorts_in_use: Vec<f64>,
    escort_units: Vec<f64>,
    convoys_waiting_for_escort: Vec<f64>,
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
            stock_sum: z(layout.depots.len()),
            depot_demand: z(layout.depots.len()),
            dry_day: vec![0; d],
            first_dry_by: vec![0; d],
            rationing_day: vec![0; d],
            first_rationing_by: vec![0; d],
            demand: z(layout.classes.len()),
            requested: z(layout.classes.len()),
            served: z(layout.classes.len()),
            rationed: z(layout.classes.len()),
            dry: z(layout.classes.len()),
            delivered: z(layout.sources.len()),
            airlifted: z(1),
            fleet: z(1),
            trucks_lost: z(1),
            fuel_destroyed: z(1),
            fuel_seized: z(1),
            attacks: z(1),
            fleet_state: z(model::TruckState::ALL.len()),
            escorts_in_use: z(1),
            escort_units: z(1),
            convoys_waiting_for_escort: z(1),
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
        for (i, v) in rec.stock.iter().enumerate() {
            self.stock[i].push(*v as f32);
        }
        add(&mut self.stock_sum, &rec.stock);
        if self.n == 1 {
            for (i, (dep, _)) in self.layout.classes.iter().enumerate() {
                let dep = dep.index();
                add(
                    &mut self.depot_demand[dep * d..(dep + 1) * d],
                    RunRecord::series(&rec.demand, d, i),
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
        add(&mut self.demand, &rec.demand);
        add(&mut self.requested, &rec.requested);
        add(&mut self.served, &rec.served);
        add(&mut self.rationed, &rec.rationed);
        add(&mut self.dry, &rec.dry);
        add(&mut self.delivered, &rec.delivered);
        add(&mut self.airlifted, &rec.airlifted);
        add(&mut self.fleet, &rec.fleet);
        add(&mut self.trucks_lost, &rec.trucks_lost);
        add(&mut self.fuel_destroyed, &rec.fuel_destroyed);
        add(&mut self.fuel_seized, &rec.fuel_seized);
        add(&mut self.attacks, &rec.attacks);
        add(&mut self.fleet_state, &rec.fleet_state);
        add(&mut self.escorts_in_use, &rec.escorts_in_use);
        add(&mut self.escort_units, &rec.escort_units);
        add(
            &mut self.convoys_waiting_for_escort,
            &rec.convoys_waiting_for_escort,
        );
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
        let classes = 0..self.layout.classes.len();
        self.rows.push(ReplicationRow {
            replication: r,
            first_dry: rec.first_dry,
            first_rationing: rec.first_rationing,
            days_rationed: rec.days_rationed(),
            unmet: classes.clone().map(|i| rec.unmet_total(i)).collect(),
            unmet_rationed: classes.clone().map(|i| rec.unmet_rationed(i)).collect(),
            unmet_dry: classes.clone().map(|i| rec.unmet_dry(i)).collect(),
            first_dry_class: classes.clone().map(|i| rec.first_dry_of_class(i)).collect(),
            first_unmet: classes
                .map(|i| {
                    let (dem, rat, short) = (
                        RunRecord::series(&rec.demand, d, i),
                        RunRecord::series(&rec.rationed, d, i),
                        RunRecord::series(&rec.dry, d, i),
                    );
                    (0..d)
                        .find(|k| rat[*k] + short[*k] > model::DRY_TOLERANCE * dem[*k].max(1.0))
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

    pub(super) fn finish(self, seed: u64) -> Summary {
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
            stock_mean: mean(&self.stock_sum, depots),
            depot_demand: (0..depots)
                .map(|i| self.depot_demand[i * d..(i + 1) * d].to_vec())
                .collect(),
            p_dry_day: share(&self.dry_day),
            p_dry_by: cumulative(&self.first_dry_by),
            p_rationing_day: share(&self.rationing_day),
            p_rationing_by: cumulative(&self.first_rationing_by),
            demand: mean(&self.demand, classes),
            requested: mean(&self.requested, classes),
            served: mean(&self.served, classes),
            rationed: mean(&self.rationed, classes),
            dry: mean(&self.dry, classes),
            delivered: mean(&self.delivered, sources),
            airlifted: mean(&self.airlifted, 1).remove(0),
            fleet: mean(&self.fleet, 1).remove(0),
            trucks_lost: mean(&self.trucks_lost, 1).remove(0),
            fuel_destroyed: mean(&self.fuel_destroyed, 1).remove(0),
            fuel_seized: mean(&self.fuel_seized, 1).remove(0),
            attacks: mean(&self.attacks, 1).remove(0),
            fleet_state: mean(&self.fleet_state, model::TruckState::ALL.len()),
            escorts_in_use: mean(&self.escorts_in_use, 1).remove(0),
            escort_units: mean(&self.escort_units, 1).remove(0),
            convoys_waiting_for_escort: mean(&self.convoys_waiting_for_escort, 1).remove(0),
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
