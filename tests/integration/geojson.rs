//! `network.geojson` (RFC 7946): written by `run` and `network --out`, it parses, holds
//! every node and segment id of the scenario once, in longitude-latitude order, with the
//! run's per-segment results.

use std::path::Path;

use serde_json::Value;

use crate::common;

fn read_geojson(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("network.geojson written");
    serde_json::from_str(&text).expect("network.geojson is JSON")
}

/// Checks the collection against the scenario: ids, kinds, coordinates; returns the
/// segment features by id.
fn check_against(geo: &Value, scenario: &Path) -> Vec<(String, Value)> {
    let s = blockade::scenario::load(scenario).expect("valid").scenario;
    assert_eq!(geo["type"], "FeatureCollection");
    let features = geo["features"].as_array().expect("features");
    assert_eq!(features.len(), s.nodes.len() + s.segments.len());
    let mut segments = Vec::new();
    for (f, n) in features.iter().zip(&s.nodes) {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], n.id.as_str());
        assert_eq!(f["properties"]["feature"], "node");
        match (n.lon, n.lat) {
            (Some(lon), Some(lat)) => {
                assert_eq!(f["geometry"]["type"], "Point");
                // RFC 7946: longitude first.
                assert_eq!(f["geometry"]["coordinates"], serde_json::json!([lon, lat]));
            }
            _ => assert!(f["geometry"].is_null()),
        }
    }
    for (f, g) in features[s.nodes.len()..].iter().zip(&s.segments) {
        assert_eq!(f["id"], g.id.as_str());
        assert_eq!(f["properties"]["feature"], "segment");
        assert_eq!(f["properties"]["from"], s.node(g.from).id.as_str());
        assert_eq!(f["properties"]["to"], s.node(g.to).id.as_str());
        if f["geometry"].is_object() {
            let c = &f["geometry"]["coordinates"];
            let from = s.node(g.from);
            assert_eq!(c[0], serde_json::json!([from.lon, from.lat]));
        }
        segments.push((g.id.clone(), f["properties"].clone()));
    }
    segments
}

#[test]
fn run_writes_geojson_with_the_runs_results_per_segment() {
    let dir = std::env::temp_dir().join(format!("blockade-geojson-run-{}", std::process::id()));
    let file = common::networks_dir().join("tutorial.ron");
    let o = common::run(&[
        "run".as_ref(),
        file.as_os_str(),
        "-n".as_ref(),
        "30".as_ref(),
        "--quiet".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let geo = read_geojson(&dir.join("network.geojson"));
    let segs = check_against(&geo, &file);
    // The run's losses per segment match segments.csv, row for row.
    let csv = std::fs::read(dir.join("segments.csv")).unwrap();
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let head = r.headers().unwrap().clone();
    let col = head.iter().position(|h| h == "trucks_lost_mean").unwrap();
    let mut any_loss = false;
    for (rec, (id, p)) in r.records().zip(&segs) {
        let rec = rec.unwrap();
        assert_eq!(&rec[0], id.as_str());
        let want: f64 = rec[col].parse().unwrap();
        let got = p["trucks_lost_mean"].as_f64().expect("trucks_lost_mean");
        assert!((want - got).abs() < 1e-3, "{id}: {want} vs {got}");
        any_loss |= got > 0.0;
        for k in [
            "flow_trucks_per_day",
            "criticality_share",
            "attacks_mean",
            "convoys_passed_mean",
        ] {
            assert!(p[k].is_number(), "{id}: {k}");
        }
    }
    assert!(any_loss, "the tutorial run loses tankers somewhere");
    assert_eq!(geo["blockade"]["replications"], 30);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn network_out_writes_geojson_for_the_days_conditions() {
    let dir = std::env::temp_dir().join(format!("blockade-geojson-net-{}", std::process::id()));
    let file = common::networks_dir().join("bamako-2025.ron");
    let o = common::run(&[
        "network".as_ref(),
        file.as_os_str(),
        "--at-day".as_ref(),
        "15".as_ref(),
        "--json".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let geo = read_geojson(&dir.join("network.geojson"));
    let segs = check_against(&geo, &file);
    // Flows and the closed flags agree with network.json of the same analysis.
    let net: Value = serde_json::from_slice(&o.stdout).expect("network --json");
    let text = serde_json::to_string(&net).unwrap();
    let closed: Vec<&str> = segs
        .iter()
        .filter(|(_, p)| p["closed"] == true)
        .map(|(id, _)| id.as_str())
        .collect();
    assert!(
        !closed.is_empty(),
        "day 15 of the blockade has closed roads"
    );
    for id in &closed {
        assert!(
            text.contains(id),
            "{id} closed in geojson but absent from network.json"
        );
    }
    let total: f64 = geo["blockade"]["max_flow_trucks_per_day"].as_f64().unwrap();
    assert!(total > 0.0);
    assert!(
        geo["blockade"]["conditions"]
            .as_str()
            .unwrap()
            .contains("day 15")
    );
    std::fs::remove_dir_all(&dir).ok();
}
