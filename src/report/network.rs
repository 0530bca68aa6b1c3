//! The network analysis as text (terminal), JSON (`network.json`) and CSV
//! (`segments.csv` of `blockade network`). Keys and columns are documented in
//! `docs/network-analysis.md`.
use serde::Serialize;

use super::tables::{SEGMENT_COLUMNS, segment_cells};
use super::{Lang, Msg, csv_text, csv_writer, num, thousands};
use crate::network::FlowReport;
use crate::scenario::{Scenario, SegmentId};
use crate::tr;

fn seg_id(s: &Scenario, id: SegmentId) -> String {
    s.segment(id).id.clone()
}

/// How many critical segments the terminal table lists.
const TOP: usize = 10;

/// The analysis as a terminal table.
pub fn network_text(s: &Scenario, r: &FlowReport) -> String {
    network_text_in(s, r, Lang::En)
}

/// [`network_text`] in `l`: its words from the catalogue, its numbers written the way `l`
/// writes them ("1 234,5"; in French a narrow no-break space before "%").
pub fn network_text_in(s: &Scenario, r: &FlowReport, l: Lang) -> String {
    // Lines are written with English numbers, then turned into `l`'s.
    let local = |line: String| -> String {
        let d = l.digits(&line);
        if l == Lang::En {
            return d;
        }
        let c: Vec<char> = d.chars().collect();
        let mut o = String::with_capacity(d.len() + 8);
        for (k, ch) in c.iter().enumerate() {
            if *ch == '%' && k > 0 && c[k - 1].is_ascii_digit() {
                o.push(super::NNBSP);
            }
            o.push(*ch);
        }
        o
    };
    let mut o = String::new();
    let mut put = |line: String| {
        o.push_str(&local(line));
        o.push('\n');
    };
    let row = |label: Msg, value: String| format!("  {:<16}{value}", l.t(label));
    let when = match r.at_day {
        Some(d) => tr!(l, NetAtDay, d = d, label = s.day_label(d.floor() as i64)),
        None => l.t(Msg::NetAtBaseline).to_string(),
    };
    put(tr!(l, NetHead, name = s.name, when = when));
    if !r.closed.is_empty() {
        let ids: Vec<String> = r.closed.iter().map(|c| seg_id(s, *c)).collect();
        put(row(Msg::NetClosed, ids.join(", ")));
    }
    let limited: Vec<String> = r
        .source_limited
        .iter()
        .map(|n| s.node(*n).name.clone())
        .collect();
    put(row(
        Msg::NetMaxFlow,
        tr!(
            l,
            NetMaxFlowValue,
            t = format!("{:.1}", r.max_flow_trucks_per_day),
            x = thousands(r.max_flow_litres_per_day())
        ),
    ));
    let margin = r.margin_litres_per_day();
    put(row(
        Msg::NetDemand,
        tr!(
            l,
            NetDemandValue,
            d = thousands(r.demand_litres_per_day),
            m = format!(
                "{}{}",
                if margin >= 0.0 { "+" } else { "" },
                thousands(margin)
            ),
            p = format!("{:.0}", 100.0 * r.coverage())
        ),
    ));
    put(row(
        Msg::NetRiskAdjusted,
        tr!(
            l,
            NetRiskValue,
            x = thousands(r.risk_adjusted_litres_per_day),
            p = format!(
                "{:.0}",
                if r.demand_litres_per_day > 0.0 {
                    100.0 * r.risk_adjusted_litres_per_day / r.demand_litres_per_day
                } else {
                    0.0
                }
            )
        ),
    ));
    let cut: Vec<String> = r
        .min_cut
        .iter()
        .map(|c| format!("{} ({})", seg_id(s, *c), s.segment_label(*c)))
        .collect();
    put(row(
        Msg::NetMinCut,
        if cut.is_empty() {
            l.t(Msg::NetNoSegment).to_string()
        } else {
            cut.join(", ")
        },
    ));
    if !limited.is_empty() {
        put(format!(
            "{:18}{}",
            "",
            tr!(l, NetAndSupply, names = limited.join(", "))
        ));
    }
    for d in &r.depots {
        if r.depots.len() > 1 {
            put(format!(
                "  {}",
                tr!(
                    l,
                    NetInto,
                    id = format!("{:<10}", s.node(d.depot).id),
                    t = format!("{:.1}", d.trucks_per_day),
                    d = thousands(d.demand_litres_per_day)
                )
            ));
        }
    }
    put(format!("\n{}", l.t(Msg::NetCritHead)));
    put(format!(
        "  {:<4} {:<10} {:<28} {:>9} {:>9} {:>10} {:>7}",
        l.t(Msg::NetColRank),
        l.t(Msg::NetColSegment),
        l.t(Msg::NetColName),
        l.t(Msg::NetColCapacity),
        l.t(Msg::NetColFlow),
        l.t(Msg::NetColDrop),
        l.t(Msg::NetColDropPct)
    ));
    for (i, c) in r.criticality.iter().take(TOP).enumerate() {
        let g = s.segment(c.segment);
        let pct = if r.max_flow_trucks_per_day > 0.0 {
            100.0 * c.drop_trucks_per_day / r.max_flow_trucks_per_day
        } else {
            0.0
        };
        put(format!(
            "  {:<4} {:<10} {:<28} {:>9.1} {:>9.1} {:>10.1} {:>6.1}%",
            i + 1,
            g.id,
            truncate(&s.segment_label(c.segment), 28),
            g.capacity_trucks_per_day,
            r.segment_flow[c.segment.index()],
            c.drop_trucks_per_day,
            pct
        ));
    }
    put(format!("  {}", l.t(Msg::NetCritUnits)));
    if !r.interdiction.is_empty() {
        put(format!("\n{}", l.t(Msg::NetInterHead)));
        for x in &r.interdiction {
            let ids: Vec<String> = x.segments.iter().map(|c| seg_id(s, *c)).collect();
            put(format!(
                "  k = {}  {:<40} {}  [{}]",
                x.k,
                ids.join(" + "),
                tr!(
                    l,
                    NetLeaves,
                    t = format!("{:>6.1}", x.remaining_trucks_per_day),
                    p = format!(
                        "{:.0}",
                        if r.max_flow_trucks_per_day > 0.0 {
                            100.0 * x.remaining_trucks_per_day / r.max_flow_trucks_per_day
                        } else {
                            0.0
                        }
                    )
                ),
                l.t(if x.exact {
                    Msg::NetExact
                } else {
                    Msg::NetHeuristic
                })
            ));
        }
    }
    put(format!("\n{}", l.t(Msg::NetPlanHead)));
    put(format!(
        "  {:<44} {:>10} {:>8} {:>8} {:>9}",
        l.t(Msg::NetColRoute),
        l.t(Msg::NetColTrucksPerDay),
        l.t(Msg::NetColDays),
        l.t(Msg::NetColPAttack),
        l.t(Msg::NetColArrive)
    ));
    for route in &r.plan.routes {
        let mut path = vec![s.node(route.source).id.clone()];
        path.extend(
            route
                .segments
                .iter()
                .map(|g| s.node(s.segment(*g).to).id.clone()),
        );
        put(format!(
            "  {:<44} {:>10.1} {:>8.1} {:>8.1}% {:>8.1}%",
            truncate(&path.join("→"), 44),
            route.trucks_per_day,
            route.mean_transit_days,
            100.0 * route.attack_probability,
            100.0 * route.survival
        ));
    }
    o
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

#[derive(Serialize)]
struct NetworkJson {
    scenario: String,
    at_day: Option<f64>,
    date: Option<String>,
    truck_litres: f64,
    max_flow_trucks_per_day: f64,
    max_flow_litres_per_day: f64,
    demand_litres_per_day: f64,
    margin_litres_per_day: f64,
    coverage: Option<f64>,
    risk_adjusted_litres_per_day: f64,
    min_cut: Vec<String>,
    source_limited: Vec<String>,
    closed: Vec<String>,
    depots: Vec<DepotJson>,
    criticality: Vec<CriticalityJson>,
    interdiction: Vec<InterdictionJson>,
    routes: Vec<RouteJson>,
}

#[derive(Serialize)]
struct DepotJson {
    depot: String,
    max_flow_trucks_per_day: f64,
    max_flow_litres_per_day: f64,
    demand_litres_per_day: f64,
}

#[derive(Serialize)]
struct CriticalityJson {
    segment: String,
    name: String,
    flow_trucks_per_day: f64,
    drop_trucks_per_day: f64,
    remaining_trucks_per_day: f64,
}

#[derive(Serialize)]
struct InterdictionJson {
    k: usize,
    segments: Vec<String>,
    remaining_trucks_per_day: f64,
    exact: bool,
}

#[derive(Serialize)]
struct RouteJson {
    source: String,
    depot: String,
    segments: Vec<String>,
    trucks_per_day: f64,
    mean_transit_days: f64,
    attack_probability: f64,
    survival: f64,
}

fn r6(v: f64) -> f64 {
    let x = (v * 1e6).round() / 1e6;
    if x == 0.0 { 0.0 } else { x }
}

/// The analysis as JSON with stable keys.
pub fn network_json(s: &Scenario, r: &FlowReport) -> String {
    let j = NetworkJson {
        scenario: s.name.clone(),
        at_day: r.at_day,
        date: r
            .at_day
            .and(s.start_date)
            .map(|_| s.day_label(r.at_day.unwrap_or(0.0).floor() as i64)),
        truck_litres: r.truck_litres,
        max_flow_trucks_per_day: r6(r.max_flow_trucks_per_day),
        max_flow_litres_per_day: r6(r.max_flow_litres_per_day()),
        demand_litres_per_day: r6(r.demand_litres_per_day),
        margin_litres_per_day: r6(r.margin_litres_per_day()),
        coverage: r.coverage().is_finite().then(|| r6(r.coverage())),
        risk_adjusted_litres_per_day: r6(r.risk_adjusted_litres_per_day),
        min_cut: r.min_cut.iter().map(|c| seg_id(s, *c)).collect(),
        source_limited: r
            .source_limited
            .iter()
            .map(|n| s.node(*n).id.clone())
            .collect(),
        closed: r.closed.iter().map(|c| seg_id(s, *c)).collect(),
        depots: r
            .depots
            .iter()
            .map(|d| DepotJson {
                depot: s.node(d.depot).id.clone(),
                max_flow_trucks_per_day: r6(d.trucks_per_day),
                max_flow_litres_per_day: r6(d.litres_per_day),
                demand_litres_per_day: r6(d.demand_litres_per_day),
            })
            .collect(),
        criticality: r
            .criticality
            .iter()
            .map(|c| CriticalityJson {
                segment: seg_id(s, c.segment),
                name: s.segment_label(c.segment),
                flow_trucks_per_day: r6(r.segment_flow[c.segment.index()]),
                drop_trucks_per_day: r6(c.drop_trucks_per_day),
                remaining_trucks_per_day: r6(c.remaining_trucks_per_day),
            })
            .collect(),
        interdiction: r
            .interdiction
            .iter()
            .map(|x| InterdictionJson {
                k: x.k,
                segments: x.segments.iter().map(|c| seg_id(s, *c)).collect(),
                remaining_trucks_per_day: r6(x.remaining_trucks_per_day),
                exact: x.exact,
            })
            .collect(),
        routes: r
            .plan
            .routes
            .iter()
            .map(|x| RouteJson {
                source: s.node(x.source).id.clone(),
                depot: s.node(x.depot).id.clone(),
                segments: x.segments.iter().map(|c| seg_id(s, *c)).collect(),
                trucks_per_day: r6(x.trucks_per_day),
                mean_transit_days: r6(x.mean_transit_days),
                attack_probability: r6(x.attack_probability),
                survival: r6(x.survival),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}

/// `segments.csv` of `blockade network`: every segment with its parameters, its flow in
/// the maximum flow, whether it is in the minimum cut, and its criticality.
pub fn network_segments_csv(s: &Scenario, r: &FlowReport) -> String {
    let mut w = csv_writer();
    let mut head: Vec<&str> = SEGMENT_COLUMNS.to_vec();
    head.extend([
        "open",
        "flow_trucks_per_day",
        "in_min_cut",
        "criticality_rank",
        "drop_trucks_per_day",
        "remaining_trucks_per_day",
    ]);
    let _ = w.write_record(&head);
    let mut rank = vec![0usize; s.segments.len()];
    let mut drop = vec![0.0; s.segments.len()];
    let mut remaining = vec![0.0; s.segments.len()];
    for (i, c) in r.criticality.iter().enumerate() {
        rank[c.segment.index()] = i + 1;
        drop[c.segment.index()] = c.drop_trucks_per_day;
        remaining[c.segment.index()] = c.remaining_trucks_per_day;
    }
    for i in 0..s.segments.len() {
        let id = SegmentId(i as u32);
        let mut row = segment_cells(s, id);
        row.extend([
            (!r.closed.contains(&id)).to_string(),
            num(r.segment_flow[i], 3),
            r.min_cut.contains(&id).to_string(),
            rank[i].to_string(),
            num(drop[i], 3),
            num(remaining[i], 3),
        ]);
        let _ = w.write_record(&row);
    }
    csv_text(w)
}
