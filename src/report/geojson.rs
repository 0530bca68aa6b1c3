//! `network.geojson`: the network and its results for QGIS, ArcGIS or any web map.
//!
//! One GeoJSON `FeatureCollection` (RFC 7946): a `Point` per node and a `LineString` per
//! segment (straight, from its `from` node to its `to` node), coordinates in WGS84
//! longitude, latitude order as the RFC requires. A node without coordinates, or a
//! segment with an end without them, is kept as a feature with `"geometry": null` (the
//! RFC's "unlocated" feature), so every id of the scenario is in the file.
//!
//! Segment properties: the scenario's parameters, the flow-analysis results (flow in one
//! maximum flow, criticality, minimum cut, closed) under the conditions stated in the
//! collection's `blockade.conditions`, and after a run the mean per replication of convoys,
//! attacks, tankers and fuel lost. Columns are named as in `segments.csv`.

use serde_json::{Map, Value, json};

use crate::ensemble::Summary;
use crate::network::{Criticality, MaxFlow};
use crate::scenario::{NodeKind, Scenario, SegmentId};

/// Rounds `v` to `digits` decimals for a stable, readable file; non-finite as `null`.
fn round(v: f64, digits: i32) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    let f = 10f64.powi(digits);
    let x = (v * f).round() / f;
    json!(if x == 0.0 { 0.0 } else { x })
}

/// `[lon, lat]` of node `i`, if it has both.
fn position(s: &Scenario, i: crate::scenario::NodeId) -> Option<Value> {
    let n = s.node(i);
    match (n.lon, n.lat) {
        (Some(lon), Some(lat)) => Some(json!([lon, lat])),
        _ => None,
    }
}

/// The flow-analysis results behind the segment properties.
pub struct GeoFlow<'a> {
    /// One maximum flow and its minimum cut.
    pub max_flow: &'a MaxFlow,
    /// Every segment's criticality.
    pub criticality: &'a [Criticality],
    /// Segments closed under the conditions analysed.
    pub closed: &'a [SegmentId],
    /// What the conditions are ("baseline: all roads open, events ignored").
    pub conditions: &'a str,
}

/// The text of `network.geojson` for `s`: nodes, segments with `flow`'s results and, when
/// `sum` is given, the run's per-segment means.
pub fn network_geojson(s: &Scenario, flow: &GeoFlow<'_>, sum: Option<&Summary>) -> String {
    let tl = s.fleet.truck_litres;
    let mf_total = flow.max_flow.trucks_per_day;
    let mut features = Vec::new();
    for (i, n) in s.nodes.iter().enumerate() {
        let id = crate::scenario::NodeId(i as u32);
        let mut p = Map::new();
        p.insert("feature".into(), json!("node"));
        p.insert("id".into(), json!(n.id));
        p.insert("name".into(), json!(n.name));
        let kind = match &n.kind {
            NodeKind::Source {
                supply_litres_per_day,
                ..
            } => {
                p.insert(
                    "supply_litres_per_day".into(),
                    round(*supply_litres_per_day, 1),
                );
                "source"
            }
            NodeKind::Depot(d) => {
                p.insert("capacity_litres".into(), round(d.capacity_litres, 1));
                p.insert(
                    "initial_stock_litres".into(),
                    round(d.initial_stock_litres, 1),
                );
                p.insert(
                    "demand_litres_per_day".into(),
                    round(d.demand.iter().map(|c| c.litres_per_day).sum(), 1),
                );
                "depot"
            }
            NodeKind::Waypoint => "waypoint",
        };
        p.insert("kind".into(), json!(kind));
        let geometry = position(s, id)
            .map(|c| json!({"type": "Point", "coordinates": c}))
            .unwrap_or(Value::Null);
        features.push(json!({
            "type": "Feature",
            "id": n.id,
            "geometry": geometry,
            "properties": p,
        }));
    }
    for (i, g) in s.segments.iter().enumerate() {
        let sid = SegmentId(i as u32);
        let mut p = Map::new();
        p.insert("feature".into(), json!("segment"));
        p.insert("id".into(), json!(g.id));
        p.insert("name".into(), json!(s.segment_label(sid)));
        p.insert("from".into(), json!(s.node(g.from).id));
        p.insert("to".into(), json!(s.node(g.to).id));
        p.insert("km".into(), round(g.km, 1));
        p.insert(
            "capacity_trucks_per_day".into(),
            round(g.capacity_trucks_per_day, 2),
        );
        p.insert("risk".into(), round(g.risk, 4));
        p.insert("mean_transit_days".into(), round(g.transit.mean(), 3));
        p.insert("tags".into(), json!(g.tags.join(" ")));
        p.insert("closed".into(), json!(flow.closed.contains(&sid)));
        p.insert(
            "min_cut".into(),
            json!(flow.max_flow.min_cut.contains(&sid)),
        );
        let f = flow.max_flow.segment_flow.get(i).copied().unwrap_or(0.0);
        p.insert("flow_trucks_per_day".into(), round(f, 3));
        p.insert("flow_litres_per_day".into(), round(f * tl, 0));
        let drop = flow
            .criticality
            .iter()
            .find(|c| c.segment == sid)
            .map_or(0.0, |c| c.drop_trucks_per_day);
        p.insert("criticality_drop_trucks_per_day".into(), round(drop, 3));
        p.insert(
            "criticality_share".into(),
            round(if mf_total > 0.0 { drop / mf_total } else { 0.0 }, 4),
        );
        if let Some(st) = sum.and_then(|s| s.segments.get(i)) {
            p.insert("convoys_passed_mean".into(), round(st.convoys, 3));
            p.insert("attacks_mean".into(), round(st.attacks, 4));
            p.insert("trucks_lost_mean".into(), round(st.trucks_lost, 3));
            p.insert("fuel_lost_mean_litres".into(), round(st.fuel_lost, 1));
            p.insert("fuel_seized_mean_litres".into(), round(st.fuel_seized, 1));
        }
        let geometry = match (position(s, g.from), position(s, g.to)) {
            (Some(a), Some(b)) => json!({"type": "LineString", "coordinates": [a, b]}),
            _ => Value::Null,
        };
        features.push(json!({
            "type": "Feature",
            "id": g.id,
            "geometry": geometry,
            "properties": p,
        }));
    }
    let mut meta = Map::new();
    meta.insert("scenario".into(), json!(s.name));
    meta.insert("conditions".into(), json!(flow.conditions));
    meta.insert("max_flow_trucks_per_day".into(), round(mf_total, 3));
    if let Some(sum) = sum {
        meta.insert("replications".into(), json!(sum.replications));
        meta.insert("seed".into(), json!(sum.seed));
    }
    let doc = json!({
        "type": "FeatureCollection",
        "blockade": meta,
        "features": features,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
