//! Benchmarks of `blockade::network`: the full static analysis (max flow, min cut,
//! criticality, interdiction with k = 3) and the dispatch plan alone, on the tutorial, the
//! Mali network and a generated 200-segment layered network.
//!
//! Run: `cargo bench --bench network` (add `-- --quick` for a short run).

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;

use blockade::network::{Conditions, Network};
use blockade::scenario::{Scenario, load, load_str};
use criterion::{Criterion, criterion_group, criterion_main};

/// A layered network of exactly 200 segments: 5 sources, 6 layers of 10 waypoints and 3
/// depots. Each source feeds 4 nodes of the first layer (20 segments), each waypoint feeds
/// 3 nodes of the next layer (5 x 30 = 150) and each node of the last layer feeds all 3
/// depots (30). Capacities 5..=44 and risks from a fixed LCG; supply is large enough that
/// the roads, not the ports, limit the flow.
fn layered() -> Scenario {
    const SOURCES: usize = 5;
    const LAYERS: usize = 6;
    const WIDTH: usize = 10;
    const DEPOTS: usize = 3;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let mut nodes = String::new();
    for i in 0..SOURCES {
        writeln!(
            nodes,
            r#"Source(id: "S{i}", name: "S{i}", supply_litres_per_day: 10_000_000),"#
        )
        .unwrap();
    }
    for l in 0..LAYERS {
        for w in 0..WIDTH {
            writeln!(nodes, r#"Waypoint(id: "L{l}_{w}", name: "L{l}_{w}"),"#).unwrap();
        }
    }
    for d in 0..DEPOTS {
        writeln!(
            nodes,
            r#"Depot(id: "D{d}", name: "D{d}", capacity_litres: 1e7, initial_stock_litres: 0,
                    demand: [(name: "all", litres_per_day: 1, priority: 1)]),"#
        )
        .unwrap();
    }
    let mut segs = String::new();
    let mut count = 0;
    let mut seg = |segs: &mut String, from: &str, to: &str, next: &mut dyn FnMut(u64) -> u64| {
        let cap = 5 + next(40);
        let risk = next(50) as f64 / 1000.0;
        let days = 0.5 + next(20) as f64 / 10.0;
        writeln!(
            segs,
            r#"(from: "{from}", to: "{to}", km: 100, transit_days: Fixed({days}), capacity_trucks_per_day: {cap}, risk: {risk}),"#
        )
        .unwrap();
        count += 1;
    };
    for i in 0..SOURCES {
        for j in 0..4 {
            let w = (2 * i + j) % WIDTH;
            seg(&mut segs, &format!("S{i}"), &format!("L0_{w}"), &mut next);
        }
    }
    for l in 0..LAYERS - 1 {
        for w in 0..WIDTH {
            for j in 0..3 {
                let to = (w + 3 * j + l) % WIDTH;
                seg(
                    &mut segs,
                    &format!("L{l}_{w}"),
                    &format!("L{}_{to}", l + 1),
                    &mut next,
                );
            }
        }
    }
    for w in 0..WIDTH {
        for d in 0..DEPOTS {
            seg(
                &mut segs,
                &format!("L{}_{w}", LAYERS - 1),
                &format!("D{d}"),
                &mut next,
            );
        }
    }
    assert_eq!(count, 200);
    let ron = format!(
        r#"Scenario(name: "layered", fleet: (trucks: 100, truck_litres: 46_000),
             nodes: [{nodes}], segments: [{segs}])"#
    );
    load_str(&ron, Path::new("layered.ron"))
        .expect("generated network is valid")
        .scenario
}

fn networks() -> Vec<(&'static str, Scenario)> {
    let mut out = vec![(
        "tutorial",
        load(Path::new("networks/tutorial.ron")).unwrap().scenario,
    )];
    // The Mali network, copied from the main tree when it checked OK.
    if let Ok(l) = load(Path::new("networks/mali.ron")) {
        out.push(("mali", l.scenario));
    }
    out.push(("layered200", layered()));
    out
}

fn full_analysis(c: &mut Criterion) {
    let mut g = c.benchmark_group("analysis");
    for (name, s) in networks() {
        let net = Network::build(&s);
        let cond = Conditions::baseline(&s);
        g.bench_function(name, |b| {
            b.iter(|| {
                let f = net.max_flow(black_box(&cond));
                let r = net.criticality(&cond);
                let i = net.interdiction(&cond, 3);
                black_box((f, r, i))
            })
        });
    }
    g.finish();
}

fn max_flow(c: &mut Criterion) {
    let mut g = c.benchmark_group("max_flow");
    for (name, s) in networks() {
        let net = Network::build(&s);
        let cond = Conditions::baseline(&s);
        g.bench_function(name, |b| {
            b.iter(|| black_box(net.max_flow(black_box(&cond))))
        });
    }
    g.finish();
}

fn plan(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan");
    for (name, s) in networks() {
        let net = Network::build(&s);
        // Mid-scenario conditions: the events active at day 10 (multipliers, closures).
        let cond = Conditions::at_day(&s, 10.0);
        g.bench_function(name, |b| b.iter(|| black_box(net.plan(black_box(&cond)))));
    }
    g.finish();
}

criterion_group!(benches, full_analysis, max_flow, plan);
criterion_main!(benches);
