//! The CSV tables and the JSON summary of a run. Columns are documented in
//! `docs/outputs.md`.
//!
//! Long (over 600 lines) because the JSON summary's serde types (about 150 lines) sit beside
//! the code that fills them, and each CSV's columns beside its writer.

use serde::Serialize;

use super::measures::Measures;
use super::{RunInfo, csv_text, csv_writer, num};
use crate::ensemble::Summary;
use crate::model::{Line, Per, Series, TruckState};
use crate::scenario::{DepotId, Scenario};

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

/// The names of the lines of a series' shape in `daily.csv` columns: the depot's prefix
/// ([`depot_prefix`]), the class (`/` replaced by `_`), the source id, the truck state's key.
fn csv_items(s: &Scenario, sum: &Summary, per: Per) -> Vec<String> {
    let l = &sum.layout;
    match per {
        Per::Depot => (0..l.depots.len())
            .map(|i| depot_prefix(s, sum, i))
            .collect(),
        Per::Class => l
            .class_ids()
            .map(|i| l.class_name(s, i).replace('/', "_"))
            .collect(),
        Per::Source => l.sources.iter().map(|n| s.node(*n).id.clone()).collect(),
        Per::State => TruckState::ALL
            .iter()
            .map(|t| t.key().to_string())
            .collect(),
        Per::One => vec![String::new()],
    }
}

/// One column of means in `daily.csv`: line `1` of series `0`, named `2`.
type MeanColumn = (Series, Line, String);

/// The columns of means of [`Series::ALL`] in `daily.csv`, in three groups: per depot (its
/// series other than the stock, whose columns come first in the depot's block), per class
/// (each class's series together), and the rest (series by series, in `ALL` order).
fn mean_columns(
    s: &Scenario,
    sum: &Summary,
) -> (Vec<Vec<MeanColumn>>, Vec<Vec<MeanColumn>>, Vec<MeanColumn>) {
    let by_item = |per: Per, skip: &[Series]| -> Vec<Vec<MeanColumn>> {
        csv_items(s, sum, per)
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Series::ALL
                    .into_iter()
                    .filter(|x| x.per() == per && !skip.contains(x))
                    .map(|x| (x, per.line(i), x.csv_column(item)))
                    .collect()
            })
            .collect()
    };
    let rest = Series::ALL
        .into_iter()
        .filter(|x| !matches!(x.per(), Per::Depot | Per::Class))
        .flat_map(|x| {
            csv_items(s, sum, x.per())
                .into_iter()
                .enumerate()
                .map(move |(i, item)| (x, x.per().line(i), x.csv_column(&item)))
        })
        .collect();
    (
        by_item(Per::Depot, &[Series::Stock]),
        by_item(Per::Class, &[]),
        rest,
    )
}

/// `daily.csv`: one row per day with stock and days-of-supply percentiles, the chances
/// of a dry day and of rationing (on the day, and by the day), then the mean of every
/// daily series ([`Series::ALL`]: baseline, requested, served and unmet (rationed, dry)
/// per class, deliveries, where the fleet is, escorts, and losses).
pub fn daily_csv(s: &Scenario, sum: &Summary) -> String {
    let l = &sum.layout;
    let (depot_means, class_means, rest) = mean_columns(s, sum);
    let mut w = csv_writer();
    let mut head: Vec<String> = vec!["day".into()];
    if s.start_date.is_some() {
        head.push("date".into());
    }
    for (i, others) in depot_means.iter().enumerate() {
        let p = depot_prefix(s, sum, i);
        head.extend(PCT_NAMES.iter().map(|n| format!("{p}stock_{n}_litres")));
        head.push(Series::Stock.csv_column(&p));
        head.extend(PCT_NAMES.iter().map(|n| format!("{p}days_of_supply_{n}")));
        head.push(format!("{p}baseline_litres"));
        head.extend(others.iter().map(|c| c.2.clone()));
    }
    head.extend(
        [
            "p_dry_on_day",
            "p_dry_by_day",
            "p_rationing_on_day",
            "p_rationing_by_day",
        ]
        .map(String::from),
    );
    head.extend(class_means.iter().flatten().map(|c| c.2.clone()));
    head.extend(rest.iter().map(|c| c.2.clone()));
    let _ = w.write_record(&head);
    let mean = |(x, i, _): &MeanColumn, k: usize| num(sum.mean(*x, *i)[k], x.digits());
    for k in 0..l.days {
        let mut row: Vec<String> = vec![k.to_string()];
        if s.start_date.is_some() {
            row.push(s.day_label(k as i64));
        }
        for (dep, others) in depot_means.iter().enumerate() {
            let pct = sum.stock_pct[dep][k];
            row.extend(pct.iter().map(|v| num(*v, 1)));
            row.push(num(
                sum.mean(Series::Stock, DepotId(dep as u32))[k],
                Series::Stock.digits(),
            ));
            let demand = sum.depot_demand[dep][k];
            row.extend(pct.iter().map(|v| {
                if demand > 0.0 {
                    num(v / demand, 4)
                } else {
                    String::new()
                }
            }));
            row.push(num(demand, 1));
            row.extend(others.iter().map(|c| mean(c, k)));
        }
        row.push(num(sum.p_dry_day[k], 4));
        row.push(num(sum.p_dry_by[k], 4));
        row.push(num(sum.p_rationing_day[k], 4));
        row.push(num(sum.p_rationing_by[k], 4));
        row.extend(class_means.iter().flatten().map(|c| mean(c, k)));
        row.extend(rest.iter().map(|c| mean(c, k)));
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// `replications.csv`: one row per replication.
pub fn replications_csv(s: &Scenario, sum: &Summary) -> String {
    let l = &sum.layout;
    let mut w = csv_writer();
    let dated = s.start_date.is_some();
    let mut head: Vec<String> = vec!["replication".into(), "first_dry_day".into()];
    if dated {
        head.push("first_dry_date".into());
    }
    head.push("first_rationing_day".into());
    if dated {
        head.push("first_rationing_date".into());
    }
    head.push("days_rationed".into());
    for i in l.class_ids() {
        let c = l.class_name(s, i).replace('/', "_");
        head.extend(["", "_rationed", "_dry"].map(|k| format!("unmet_{c}{k}_litres")));
        head.push(format!("first_dry_day_{c}"));
    }
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
    let day = |d: Option<u32>| d.map(|d| d.to_string()).unwrap_or_default();
    let date = |d: Option<u32>| d.map(|d| s.day_label(i64::from(d))).unwrap_or_default();
    for r in &sum.rows {
        let mut row = vec![r.replication.to_string(), day(r.first_dry)];
        if dated {
            row.push(date(r.first_dry));
        }
        row.push(day(r.first_rationing));
        if dated {
            row.push(date(r.first_rationing));
        }
        row.push(r.days_rationed.to_string());
        for i in l.class_ids() {
            row.push(num(r.unmet[i], 1));
            row.push(num(r.unmet_rationed[i], 1));
            row.push(num(r.unmet_dry[i], 1));
            row.push(day(r.first_dry_class[i]));
        }
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

/// `headline.csv`: the headline measures, one row each, with their Monte Carlo standard
/// error where they have one: `measure,value,standard_error,unit`. A first day that falls
/// after the horizon is an empty cell; `share_never_dry` and `share_never_rationed` say how
/// many runs that is.
pub fn headline_csv(s: &Scenario, sum: &Summary, info: &RunInfo) -> String {
    let m = Measures::new(s, sum);
    let mut w = csv_writer();
    let _ = w.write_record(["measure", "value", "standard_error", "unit"]);
    let n = m.n.max(1) as f64;
    let p_se = |p: f64| num((p * (1.0 - p) / n).sqrt(), 4);
    let mut rows: Vec<[String; 4]> = Vec::new();
    rows.push([
        "stock_now".into(),
        num(m.stock_now, 1),
        String::new(),
        "litres".into(),
    ]);
    rows.push([
        "days_of_fuel_now".into(),
        num(m.days_now, 2),
        String::new(),
        "days".into(),
    ]);
    for k in &m.key_days {
        rows.push([
            format!("p_rationing_by_day_{}", k.day),
            num(k.p_rationing, 4),
            p_se(k.p_rationing),
            "share of runs".into(),
        ]);
    }
    for k in &m.key_days {
        rows.push([
            format!("p_dry_by_day_{}", k.day),
            num(k.p_dry, 4),
            p_se(k.p_dry),
            "share of runs".into(),
        ]);
    }
    // P10, median and P90 of a first day; an empty cell where a percentile is "none
    // within the horizon".
    let first_days = |rows: &mut Vec<[String; 4]>, what: &str, days: &[Option<f64>; 3]| {
        for (name, d) in ["p10", "median", "p90"].iter().zip(days) {
            rows.push([
                format!("first_{what}_day_{name}"),
                d.map_or(String::new(), |d| num(d, 1)),
                String::new(),
                "day".into(),
            ]);
        }
    };
    first_days(&mut rows, "rationing", &m.first_rationing);
    rows.push([
        "share_never_rationed".into(),
        num(m.share_never_rationed, 4),
        p_se(m.share_never_rationed),
        "share of runs".into(),
    ]);
    rows.push([
        "days_rationed_mean".into(),
        num(m.days_rationed.0, 2),
        num(m.days_rationed.1, 2),
        "days".into(),
    ]);
    rows.push([
        "days_rationed_p90".into(),
        num(m.days_rationed.2, 1),
        String::new(),
        "days".into(),
    ]);
    first_days(&mut rows, "dry", &m.first_dry);
    rows.push([
        "share_never_dry".into(),
        num(m.share_never_dry, 4),
        p_se(m.share_never_dry),
        "share of runs".into(),
    ]);
    rows.push([
        "unmet_protected_mean".into(),
        num(m.unmet_protected.0, 0),
        num(m.unmet_protected.1, 0),
        "litres".into(),
    ]);
    for c in &m.classes {
        let key = c.name.replace('/', "_");
        rows.push([
            format!("unmet_{key}_mean"),
            num(c.unmet, 0),
            num(c.unmet_se, 0),
            "litres".into(),
        ]);
        rows.push([
            format!("unmet_{key}_rationed_mean"),
            num(c.rationed, 0),
            num(c.rationed_se, 0),
            "litres".into(),
        ]);
        rows.push([
            format!("unmet_{key}_dry_mean"),
            num(c.dry, 0),
            num(c.dry_se, 0),
            "litres".into(),
        ]);
        rows.push([
            format!("baseline_{key}"),
            num(c.baseline, 0),
            String::new(),
            "litres".into(),
        ]);
        rows.push([
            format!("p_dry_{key}"),
            num(c.p_dry, 4),
            p_se(c.p_dry),
            "share of runs".into(),
        ]);
    }
    let (lost, burned, seized, attacks) = m.losses;
    rows.push([
        "trucks_lost_mean".into(),
        num(lost, 2),
        String::new(),
        "tankers".into(),
    ]);
    rows.push([
        "fuel_destroyed_mean".into(),
        num(burned, 0),
        String::new(),
        "litres".into(),
    ]);
    rows.push([
        "fuel_seized_mean".into(),
        num(seized, 0),
        String::new(),
        "litres".into(),
    ]);
    rows.push([
        "convoys_attacked_mean".into(),
        num(attacks, 2),
        String::new(),
        "convoys".into(),
    ]);
    if let Some(sens) = &info.sensitivity {
        for (rank, r) in sens.rows.iter().enumerate() {
            rows.push([
                format!("sensitivity_{}_swing", rank + 1),
                num(r.swing(), 0),
                num(r.swing_se(), 0),
                format!(
                    "litres of unmet protected demand: {}",
                    super::lang::input_words(&r.input.kind, super::Lang::En)
                ),
            ]);
        }
    }
    for r in rows {
        let _ = w.write_record(&r);
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

/// A route as planners read it: "Dakar – Tambacounda – Kayes – Bamako", and its node ids
/// "DKR>TMB>KAY>BKO".
pub(crate) fn route_names(
    s: &Scenario,
    segments: &[crate::scenario::SegmentId],
) -> (String, String) {
    let mut names = Vec::new();
    let mut ids = Vec::new();
    if let Some(first) = segments.first() {
        let n = s.node(s.segment(*first).from);
        names.push(n.name.clone());
        ids.push(n.id.clone());
    }
    for g in segments {
        let n = s.node(s.segment(*g).to);
        names.push(n.name.clone());
        ids.push(n.id.clone());
    }
    (names.join(" – "), ids.join(">"))
}

/// `routes.csv`: every route the dispatch plan used in some run, most planned first: the
/// trucks per day its quotas asked for and the trucks per day dispatched on it (joined a
/// convoy of the route), means over runs and days.
pub fn routes_csv(s: &Scenario, sum: &Summary) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "route",
        "name",
        "segments",
        "planned_trucks_per_day_mean",
        "dispatched_trucks_per_day_mean",
        "dispatched_share_of_planned",
    ]);
    let days = sum.layout.days.max(1) as f64;
    for r in &sum.routes {
        let (name, ids) = route_names(s, &r.segments);
        let segs: Vec<String> = r
            .segments
            .iter()
            .map(|g| s.segment(*g).id.clone())
            .collect();
        let _ = w.write_record([
            ids,
            name,
            segs.join(" "),
            num(r.planned_trucks / days, 3),
            num(r.dispatched_trucks / days, 3),
            if r.planned_trucks > 0.0 {
                num(r.dispatched_trucks / r.planned_trucks, 4)
            } else {
                String::new()
            },
        ]);
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
    as_of: Option<&'a str>,
    overrides: &'a [String],
    headline: Headline,
    sensitivity: Option<SensitivityJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncertain_inputs: Option<super::inputs::InputsJson>,
    ledger_mean_litres: Ledger,
    events_run: u64,
}

#[derive(Serialize)]
struct ByDay {
    day: u32,
    date: Option<String>,
    p: f64,
}

#[derive(Serialize)]
struct ClassJson {
    class: String,
    priority: u32,
    protected: bool,
    baseline_litres: f64,
    unmet_mean_litres: f64,
    unmet_rationed_mean_litres: f64,
    unmet_dry_mean_litres: f64,
    p_dry: f64,
}

#[derive(Serialize)]
struct Headline {
    stock_now_litres: f64,
    days_of_fuel_now: f64,
    p_rationing_by_day: Vec<ByDay>,
    first_rationing_day_p10: Option<f64>,
    first_rationing_day_median: Option<f64>,
    first_rationing_day_p90: Option<f64>,
    share_never_rationed: f64,
    days_rationed_mean: f64,
    days_rationed_p90: f64,
    p_dry_by_day: Vec<ByDay>,
    first_dry_day_p10: Option<f64>,
    first_dry_day_median: Option<f64>,
    first_dry_day_p90: Option<f64>,
    first_dry_date_median: Option<String>,
    share_never_dry: f64,
    unmet_protected_mean_litres: f64,
    unmet_protected_se_litres: f64,
    unmet_by_class: Vec<ClassJson>,
    trucks_lost_mean: f64,
    fuel_destroyed_mean_litres: f64,
    fuel_seized_mean_litres: f64,
    convoys_attacked_mean: f64,
}

#[derive(Serialize)]
struct SensitivityJson {
    method: String,
    kpi: &'static str,
    replications: u64,
    base_litres: f64,
    inputs: Vec<SensitivityInputJson>,
}

#[derive(Serialize)]
struct SensitivityInputJson {
    input: String,
    base: String,
    low: String,
    high: String,
    at_low_litres: f64,
    at_high_litres: f64,
    swing_litres: f64,
    swing_se_litres: f64,
    /// The swing is more than two standard errors: listed among the inputs that matter.
    moves_beyond_noise: bool,
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

/// `summary.json`: what was run, the headline measures (the same as `headline.csv`), the
/// built-in sensitivity, and the mean fuel ledger. A first day after the horizon is
/// `null`, with the share of runs it stands for beside it.
pub fn summary_json(s: &Scenario, sum: &Summary, info: &RunInfo) -> String {
    let m = Measures::new(s, sum);
    let l = sum.ledger;
    let by = |f: fn(&super::measures::KeyDay) -> f64| -> Vec<ByDay> {
        m.key_days
            .iter()
            .map(|k| ByDay {
                day: k.day,
                date: s.start_date.map(|_| s.day_label(i64::from(k.day))),
                p: r(f(k), 4),
            })
            .collect()
    };
    let opt = |v: Option<f64>| v.map(|v| r(v, 2));
    let j = SummaryJson {
        scenario: &s.name,
        description: &s.description,
        scenario_hash: &info.scenario_hash,
        blockade_version: env!("CARGO_PKG_VERSION"),
        seed: sum.seed,
        replications: sum.replications,
        horizon_days: s.horizon_days,
        start_date: s.start_date.map(|d| d.to_string()),
        as_of: info.as_of.as_deref(),
        overrides: &info.overrides,
        headline: Headline {
            stock_now_litres: r(m.stock_now, 1),
            days_of_fuel_now: r(m.days_now, 2),
            p_rationing_by_day: by(|k| k.p_rationing),
            first_rationing_day_p10: opt(m.first_rationing[0]),
            first_rationing_day_median: opt(m.first_rationing[1]),
            first_rationing_day_p90: opt(m.first_rationing[2]),
            share_never_rationed: r(m.share_never_rationed, 4),
            days_rationed_mean: r(m.days_rationed.0, 2),
            days_rationed_p90: r(m.days_rationed.2, 1),
            p_dry_by_day: by(|k| k.p_dry),
            first_dry_day_p10: opt(m.first_dry[0]),
            first_dry_day_median: opt(m.first_dry[1]),
            first_dry_day_p90: opt(m.first_dry[2]),
            first_dry_date_median: m.first_dry[1]
                .and_then(|d| s.start_date.map(|_| s.day_label(d.round() as i64))),
            share_never_dry: r(m.share_never_dry, 4),
            unmet_protected_mean_litres: r(m.unmet_protected.0, 0),
            unmet_protected_se_litres: r(m.unmet_protected.1, 0),
            unmet_by_class: m
                .classes
                .iter()
                .map(|c| ClassJson {
                    class: c.name.clone(),
                    priority: c.priority,
                    protected: c.protected,
                    baseline_litres: r(c.baseline, 0),
                    unmet_mean_litres: r(c.unmet, 0),
                    unmet_rationed_mean_litres: r(c.rationed, 0),
                    unmet_dry_mean_litres: r(c.dry, 0),
                    p_dry: r(c.p_dry, 4),
                })
                .collect(),
            trucks_lost_mean: r(m.losses.0, 3),
            fuel_destroyed_mean_litres: r(m.losses.1, 1),
            fuel_seized_mean_litres: r(m.losses.2, 1),
            convoys_attacked_mean: r(m.losses.3, 3),
        },
        sensitivity: info.sensitivity.as_ref().map(|x| SensitivityJson {
            method: x.method(),
            kpi: "unmet_protected",
            replications: x.replications,
            base_litres: r(x.base, 0),
            inputs: x
                .rows
                .iter()
                .map(|row| SensitivityInputJson {
                    input: super::lang::input_words(&row.input.kind, super::Lang::En),
                    base: row.input.base.clone(),
                    low: row.input.low.clone(),
                    high: row.input.high.clone(),
                    at_low_litres: r(row.at_low, 0),
                    at_high_litres: r(row.at_high, 0),
                    swing_litres: r(row.swing(), 0),
                    swing_se_litres: r(row.swing_se(), 0),
                    moves_beyond_noise: row.moves(),
                })
                .collect(),
        }),
        uncertain_inputs: info
            .inputs
            .as_ref()
            .map(|x| super::inputs::inputs_json(s, sum, x)),
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
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::{self, Options};
    use crate::network::Network;

    fn summary(path: &str) -> (Scenario, Summary) {
        let s = crate::scenario::load(std::path::Path::new(path))
            .expect("a bundled network loads")
            .scenario;
        let net = Network::build(&s);
        let opts = Options {
            replications: 3,
            seed: s.seed,
            threads: Some(1),
        };
        let sum = ensemble::run(&s, &net, &opts, &|_| {}).expect("fuel is conserved");
        (s, sum)
    }

    /// Every line of every series of `Series::ALL` has its column in `daily.csv`, holding
    /// its mean at the series' digits; and every other column is one that the stock's
    /// percentiles, the depot's baseline and the chances of rationing and of a dry day add.
    #[test]
    fn daily_csv_has_a_column_per_series_line_and_no_other_mean() {
        for path in ["networks/tutorial.ron", "networks/bamako-2025.ron"] {
            let (s, sum) = summary(path);
            let text = daily_csv(&s, &sum);
            let mut r = csv::Reader::from_reader(text.as_bytes());
            let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
            let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), sum.layout.days);
            let mut columns: Vec<String> = vec!["day".into()];
            if s.start_date.is_some() {
                columns.push("date".into());
            }
            for i in 0..sum.layout.depots.len() {
                let p = depot_prefix(&s, &sum, i);
                columns.extend(PCT_NAMES.iter().map(|n| format!("{p}stock_{n}_litres")));
                columns.extend(PCT_NAMES.iter().map(|n| format!("{p}days_of_supply_{n}")));
                columns.push(format!("{p}baseline_litres"));
            }
            columns.extend(
                ["p_dry_on_day", "p_dry_by_day"]
                    .into_iter()
                    .chain(["p_rationing_on_day", "p_rationing_by_day"])
                    .map(String::from),
            );
            for x in Series::ALL {
                let items = csv_items(&s, &sum, x.per());
                assert_eq!(items.len(), x.per().count(&sum.layout), "{x:?}");
                for (i, item) in items.iter().enumerate() {
                    let name = x.csv_column(item);
                    let col = head
                        .iter()
                        .position(|h| *h == name)
                        .unwrap_or_else(|| panic!("{path}: {x:?} has no column {name}"));
                    for k in [0, sum.layout.days / 2, sum.layout.days - 1] {
                        let want = num(sum.mean(x, x.per().line(i))[k], x.digits());
                        assert_eq!(&rows[k][col], want, "{path}: {name} on day {k}");
                    }
                    columns.push(name);
                }
            }
            let (mut got, mut want) = (head.clone(), columns);
            got.sort();
            want.sort();
            assert_eq!(got, want, "{path}: daily.csv's columns");
            got.dedup();
            assert_eq!(got.len(), head.len(), "{path}: a column twice");
        }
    }
}
