//! The CSV tables and the JSON summary of a run. Columns are documented in
//! `docs/outputs.md`.

use serde::Serialize;

use super::{RunInfo, csv_text, csv_writer, num};
use crate::ensemble::{PERCENTILES, Summary};
use crate::scenario::Scenario;

/// The columns that describe a segment, first in both `segments.csv` files.
pub(crate) const SEGMENT_COLUMNS: [&str; 9] = [
    "segment",
    "name",
    "from",
    "to",
    "km",
    "capacity_trucks_per_day",
    "risk",
    "mean_transit_days",
    "tags",
];

/// The cells of [`SEGMENT_COLUMNS`] for segment `id`.
pub(crate) fn segment_cells(s: &Scenario, id: crate::scenario::SegmentId) -> Vec<String> {
    let g = s.segment(id);
    vec![
        g.id.clone(),
        s.segment_label(id),
        s.node(g.from).id.clone(),
        s.node(g.to).id.clone(),
        num(g.km, 1),
        num(g.capacity_trucks_per_day, 2),
        num(g.risk, 4),
        num(g.transit.mean(), 3),
        g.tags.join(" "),
    ]
}

const PCT_NAMES: [&str; 5] = ["p5", "p25", "p50", "p75", "p95"];

/// Column prefix for depot `i`: empty with one depot, `ID_` with several.
fn depot_prefix(s: &Scenario, sum: &Summary, i: usize) -> String {
    if sum.layout.depots.len() == 1 {
        String::new()
    } else {
        format!("{}_", s.node(sum.layout.depots[i]).id)
    }
}

/// `daily.csv`: one row per day with stock and days-of-supply percentiles, stockout
/// probabilities, and mean served, unmet, deliveries and losses.
pub fn daily_csv(s: &Scenario, sum: &Summary) -> String {
    let l = &sum.layout;
    let mut w = csv_writer();
    let mut head: Vec<String> = vec!["day".into()];
    if s.start_date.is_some() {
        head.push("date".into());
    }
    for i in 0..l.depots.len() {
        let p = depot_prefix(s, sum, i);
        head.extend(PCT_NAMES.iter().map(|n| format!("{p}stock_{n}_litres")));
        head.push(format!("{p}stock_mean_litres"));
        head.extend(PCT_NAMES.iter().map(|n| format!("{p}days_of_supply_{n}")));
        head.push(format!("{p}demand_litres"));
    }
    head.push("p_stockout_on_day".into());
    head.push("p_stockout_by_day".into());
    for i in 0..l.classes.len() {
        let c = l.class_name(s, i).replace('/', "_");
        head.extend(
            ["demand", "served_mean", "rationed_mean", "stockout_mean"]
                .map(|k| format!("{c}_{k}_litres")),
        );
    }
    for src in &l.sources {
        head.push(format!("delivered_from_{}_mean_litres", s.node(*src).id));
    }
    head.extend(
        [
            "airlifted_mean_litres",
            "fleet_mean_trucks",
            "trucks_lost_mean",
            "fuel_destroyed_mean_litres",
            "fuel_seized_mean_litres",
            "convoys_attacked_mean",
        ]
        .map(String::from),
    );
    let _ = w.write_record(&head);
    for k in 0..l.days {
        let mut row: Vec<String> = vec![k.to_string()];
        if s.start_date.is_some() {
            row.push(s.day_label(k as i64));
        }
        for dep in 0..l.depots.len() {
            let pct = sum.stock_pct[dep][k];
            row.extend(pct.iter().map(|v| num(*v, 1)));
            row.push(num(sum.stock_mean[dep][k], 1));
            let demand = sum.depot_demand[dep][k];
            row.extend(pct.iter().map(|v| {
                if demand > 0.0 {
                    num(v / demand, 4)
                } else {
                    String::new()
                }
            }));
            row.push(num(demand, 1));
        }
        row.push(num(sum.p_stockout_day[k], 4));
        row.push(num(sum.p_stockout_by[k], 4));
        for i in 0..l.classes.len() {
            row.extend(
                [&sum.demand, &sum.served, &sum.rationed, &sum.stockout].map(|v| num(v[i][k], 1)),
            );
        }
        for src in 0..l.sources.len() {
            row.push(num(sum.delivered[src][k], 1));
        }
        row.push(num(sum.airlifted[k], 1));
        row.push(num(sum.fleet[k], 2));
        row.push(num(sum.trucks_lost[k], 4));
        row.push(num(sum.fuel_destroyed[k], 1));
        row.push(num(sum.fuel_seized[k], 1));
        row.push(num(sum.attacks[k], 4));
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// `replications.csv`: one row per replication.
pub fn replications_csv(s: &Scenario, sum: &Summary) -> String {
    let l = &sum.layout;
    let mut w = csv_writer();
    let mut head: Vec<String> = vec!["replication".into(), "first_stockout_day".into()];
    if s.start_date.is_some() {
        head.push("first_stockout_date".into());
    }
    head.extend(
        (0..l.classes.len())
            .map(|i| format!("unmet_{}_litres", l.class_name(s, i).replace('/', "_"))),
    );
    head.extend(
        [
            "trucks_lost",
            "fuel_destroyed_litres",
            "fuel_seized_litres",
            "convoys_attacked",
            "delivered_litres",
            "served_litres",
        ]
        .map(String::from),
    );
    let _ = w.write_record(&head);
    for r in &sum.rows {
        let mut row = vec![
            r.replication.to_string(),
            r.first_stockout.map(|d| d.to_string()).unwrap_or_default(),
        ];
        if s.start_date.is_some() {
            row.push(
                r.first_stockout
                    .map(|d| s.day_label(i64::from(d)))
                    .unwrap_or_default(),
            );
        }
        row.extend(r.unmet.iter().map(|v| num(*v, 1)));
        row.push(num(r.trucks_lost, 0));
        row.push(num(r.fuel_destroyed, 1));
        row.push(num(r.fuel_seized, 1));
        row.push(num(r.attacks, 0));
        row.push(num(r.delivered, 1));
        row.push(num(r.served, 1));
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// `segments.csv`: the segments with their parameters and, after a run, the mean per
/// replication of convoys passed, attacks and losses.
pub fn segments_csv(s: &Scenario, sum: Option<&Summary>) -> String {
    let mut w = csv_writer();
    let mut head: Vec<&str> = SEGMENT_COLUMNS.to_vec();
    if sum.is_some() {
        head.extend([
            "convoys_passed_mean",
            "trucks_passed_mean",
            "attacks_mean",
            "trucks_lost_mean",
            "fuel_lost_mean_litres",
            "fuel_seized_mean_litres",
        ]);
    }
    let _ = w.write_record(&head);
    for i in 0..s.segments.len() {
        let id = crate::scenario::SegmentId(i as u32);
        let mut row = segment_cells(s, id);
        if let Some(sum) = sum {
            let st = sum.segments[i];
            row.extend([
                num(st.convoys, 3),
                num(st.trucks, 2),
                num(st.attacks, 4),
                num(st.trucks_lost, 3),
                num(st.fuel_lost, 1),
                num(st.fuel_seized, 1),
            ]);
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    scenario: &'a str,
    description: &'a str,
    scenario_hash: &'a str,
    blockade_version: &'static str,
    seed: u64,
    replications: u64,
    horizon_days: u32,
    start_date: Option<String>,
    overrides: &'a [String],
    headline: Headline,
    ledger_mean_litres: Ledger,
    events_run: u64,
}

#[derive(Serialize)]
struct Headline {
    first_stockout_day_median: Option<f64>,
    first_stockout_day_p10: Option<f64>,
    first_stockout_day_p90: Option<f64>,
    first_stockout_date_median: Option<String>,
    share_never_dry: f64,
    p_stockout_by_day: Vec<(usize, f64)>,
    unmet_mean_litres: Vec<(String, f64)>,
    trucks_lost_mean: f64,
    fuel_destroyed_mean_litres: f64,
    fuel_seized_mean_litres: f64,
    convoys_attacked_mean: f64,
}

#[derive(Serialize)]
struct Ledger {
    initial_stock: f64,
    loaded: f64,
    airlifted: f64,
    final_stock: f64,
    served: f64,
    destroyed: f64,
    seized: f64,
    in_trucks: f64,
}

/// Rounds for JSON so that the output is stable and readable.
fn r(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let x = (v * f).round() / f;
    if x == 0.0 { 0.0 } else { x }
}

/// `summary.json`: what was run and the headline numbers.
pub fn summary_json(s: &Scenario, sum: &Summary, info: &RunInfo) -> String {
    let h = s.horizon_days as usize;
    let mut marks: Vec<usize> = [30, 60, 90].into_iter().filter(|d| *d < h).collect();
    marks.push(h);
    let median = sum.first_stockout_percentile(0.5);
    let l = sum.ledger;
    let j = SummaryJson {
        scenario: &s.name,
        description: &s.description,
        scenario_hash: &info.scenario_hash,
        blockade_version: env!("CARGO_PKG_VERSION"),
        seed: sum.seed,
        replications: sum.replications,
        horizon_days: s.horizon_days,
        start_date: s.start_date.map(|d| d.to_string()),
        overrides: &info.overrides,
        headline: Headline {
            first_stockout_day_median: median.map(|v| r(v, 2)),
            first_stockout_day_p10: sum.first_stockout_percentile(0.1).map(|v| r(v, 2)),
            first_stockout_day_p90: sum.first_stockout_percentile(0.9).map(|v| r(v, 2)),
            first_stockout_date_median: median
                .and(s.start_date)
                .map(|_| s.day_label(median.unwrap_or(0.0).round() as i64)),
            share_never_dry: r(
                sum.rows
                    .iter()
                    .filter(|x| x.first_stockout.is_none())
                    .count() as f64
                    / sum.rows.len().max(1) as f64,
                4,
            ),
            p_stockout_by_day: marks
                .iter()
                .map(|d| (*d, r(sum.p_stockout_by_day(d - 1), 4)))
                .collect(),
            unmet_mean_litres: (0..sum.layout.classes.len())
                .map(|i| (sum.layout.class_name(s, i), r(sum.mean_unmet(i), 1)))
                .collect(),
            trucks_lost_mean: r(sum.mean_of(|x| x.trucks_lost), 3),
            fuel_destroyed_mean_litres: r(sum.mean_of(|x| x.fuel_destroyed), 1),
            fuel_seized_mean_litres: r(sum.mean_of(|x| x.fuel_seized), 1),
            convoys_attacked_mean: r(sum.mean_of(|x| x.attacks), 3),
        },
        ledger_mean_litres: Ledger {
            initial_stock: r(l.initial_stock, 1),
            loaded: r(l.loaded, 1),
            airlifted: r(l.airlifted, 1),
            final_stock: r(l.final_stock, 1),
            served: r(l.served, 1),
            destroyed: r(l.destroyed, 1),
            seized: r(l.seized, 1),
            in_trucks: r(l.in_trucks, 1),
        },
        events_run: sum.events,
    };
    let _ = PERCENTILES;
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}
