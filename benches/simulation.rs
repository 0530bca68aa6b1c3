//! Benchmarks of the simulation (issue 4): raw engine throughput, one replication of the
//! Bamako 2025 scenario, the 1,000-replication ensemble of it (180 days), and its dispatch
//! plans (how many are solved, and what a solve costs).
//!
//! Run: `cargo bench --bench simulation`. Targets on the 2-core machine: >= 10 million
//! engine events/s; the 1,000-replication Bamako ensemble in under 0.6 s wall (issue 10;
//! README, Performance, has the figures and docs/performance.md how to measure).

use std::hint::black_box;
use std::path::Path;

use blockade::engine::{Calendar, Class, SimTime};
use blockade::ensemble::{self, Options};
use blockade::model::{self, Layout, PlanCache, PlanStore};
use blockade::network::Conditions;
use blockade::network::Network;
use blockade::scenario::Scenario;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A synthetic load: `pending` events in the calendar; each one popped schedules a
/// successor at a pseudo-random delay, like convoys moving segment by segment.
fn engine_events(c: &mut Criterion) {
    const EVENTS: u64 = 1_000_000;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(EVENTS));
    for pending in [100usize, 10_000] {
        g.bench_function(format!("{pending}_pending"), |b| {
            let mut cal: Calendar<u32> = Calendar::new();
            b.iter(|| {
                cal.reset();
                let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
                for i in 0..pending {
                    let _ = cal.schedule(SimTime(i as f64 * 1e-3), Class::Normal, i as u32);
                }
                let mut n = 0u64;
                while n < EVENTS {
                    let Some((_, e)) = cal.pop() else { break };
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    cal.schedule_in((x >> 11) as f64 / (1u64 << 53) as f64, e);
                    n += 1;
                }
                black_box(n)
            });
        });
    }
    g.finish();
}

/// The bundled Bamako 2025 scenario, its network and its record layout.
fn bamako_2025() -> (Scenario, Network, Layout) {
    let s = blockade::scenario::load(Path::new("networks/bamako-2025.ron"))
        .expect("bundled scenario")
        .scenario;
    let net = Network::build(&s);
    let layout = Layout::new(&s);
    (s, net, layout)
}

fn bamako(c: &mut Criterion) {
    let (s, net, layout) = bamako_2025();
    let mut g = c.benchmark_group("bamako-2025");
    g.bench_function("one_replication", |b| {
        let mut cache = PlanCache::new();
        let mut r = 0u64;
        b.iter(|| {
            r += 1;
            black_box(model::simulate(&s, &net, &layout, s.seed, r, &mut cache).expect("conserved"))
        });
    });
    g.sample_size(10);
    g.bench_function("ensemble_1000x180d", |b| {
        let opts = Options {
            replications: 1000,
            seed: s.seed,
            threads: None,
        };
        b.iter(|| black_box(ensemble::run(&s, &net, &opts, &|_| {}).expect("conserved")));
    });
    g.finish();
}

/// The dispatch plans of the Bamako ensemble (issue 10: "measure the solve time per
/// replan"): 1,000 replications on one thread sharing one plan store print how many plans
/// they asked for, how many were solved and the mean wall time of a solve; then one plan
/// (the conditions of day 10) is timed solved from scratch.
fn plans(c: &mut Criterion) {
    let (s, net, layout) = bamako_2025();
    let store = PlanStore::new();
    let mut cache = PlanCache::sharing(&store);
    for r in 0..1000 {
        model::simulate(&s, &net, &layout, s.seed, r, &mut cache).expect("conserved");
    }
    let st = store.stats();
    eprintln!(
        "bamako-2025, 1,000 replications: {} plans asked ({:.1} per replication), {} solved \
         ({:.1} %), mean solve {:.1} µs, {:.0} ms solving in all",
        st.asked,
        st.asked as f64 / 1000.0,
        st.solved,
        100.0 * st.solved as f64 / st.asked as f64,
        st.solve_nanos as f64 / 1e3 / st.solved as f64,
        st.solve_nanos as f64 / 1e6,
    );
    let mut g = c.benchmark_group("plans");
    let day10 = Conditions::at_day(&s, 10.0);
    g.bench_function("bamako_day10", |b| {
        b.iter(|| black_box(net.plan(black_box(&day10))))
    });
    g.finish();
}

criterion_group!(benches, engine_events, bamako, plans);
criterion_main!(benches);
