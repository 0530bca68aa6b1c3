//! Studies (issue 6): reserve search against a closed form, sweep direction, what common
//! random numbers buy, error paths, determinism.

use std::path::Path;

use blockade::ensemble::{self, Kpi, Lever, Options, ReserveQuery, Seeds, Vary};
use blockade::scenario::{self, Scenario, Template};

use crate::common;

/// No supply, one essential class of 1,000 L/day: covering days 0..89 needs exactly
/// 90,000 L of initial stock, or an airlift of exactly 1,000 L/day.
const CLOSED_FORM: &str = r#"Scenario(
    name: "closed-form", horizon_days: 120, seed: 9, replications: 20,
    nodes: [
        Source(id: "P", supply_litres_per_day: 0),
        Depot(id: "D", capacity_litres: 1e6, initial_stock_litres: 10000,
              demand: [(name: "essential", litres_per_day: 1000, priority: 1),
                       (name: "others", litres_per_day: 0, priority: 2)]),
    ],
    segments: [(from: "P", to: "D", km: 1, transit_days: Fixed(1.0), capacity_trucks_per_day: 10, risk: 0.0)],
    fleet: (trucks: 1, truck_litres: 1000),
)"#;

/// [`CLOSED_FORM`], loaded.
fn closed_form() -> Scenario {
    scenario::load_str(CLOSED_FORM, Path::new("closed.ron"))
        .expect("valid")
        .scenario
}

fn opts(reps: u64) -> Options {
    Options {
        replications: reps,
        seed: 9,
        threads: Some(2),
    }
}

#[test]
fn reserve_finds_the_closed_form_stock_and_airlift() {
    let s = closed_form();
    let q = ReserveQuery {
        days: 90,
        confidence: 0.95,
        classes: vec![],
        lever: Lever::InitialStock,
        depot: None,
        from: 0,
        payload_litres: ensemble::DEFAULT_PAYLOAD_LITRES,
    };
    let r = ensemble::reserve(&s, &q, &opts(20), &|_| {}).unwrap();
    assert!(r.reachable);
    assert!(
        r.answer >= 90_000.0 && r.answer <= 90_000.0 + r.tolerance,
        "stock {} (tolerance {})",
        r.answer,
        r.tolerance
    );
    assert!(r.bracket.0 < 90_000.0 && r.p_bracket.0 == 0.0 && r.p_bracket.1 == 1.0);
    assert_eq!(r.classes, ["essential"]);
    let q = ReserveQuery {
        lever: Lever::Airlift,
        ..q
    };
    let mut s0 = s.clone();
    if let blockade::scenario::NodeKind::Depot(d) = &mut s0.nodes[1].kind {
        d.initial_stock_litres = 0.0;
    }
    let r = ensemble::reserve(&s0, &q, &opts(20), &|_| {}).unwrap();
    assert!(
        r.answer >= 1_000.0 && r.answer <= 1_000.0 + r.tolerance,
        "airlift {} (tolerance {})",
        r.answer,
        r.tolerance
    );
}

#[test]
fn reserve_at_a_depot_with_fewer_classes_than_the_one_before() {
    // Depot D has one class, after depot A with two: D's classes are read from D's list
    // (the search once read A's second class from D's list, out of bounds, and panicked).
    let text = CLOSED_FORM
        .replace(
            r#"        Depot(id: "D","#,
            r#"        Depot(id: "A", capacity_litres: 1e6, initial_stock_litres: 1e6,
              demand: [(name: "essential", litres_per_day: 10, priority: 1),
                       (name: "others", litres_per_day: 10, priority: 2)]),
        Depot(id: "D","#,
        )
        .replace(
            r#"(name: "essential", litres_per_day: 1000, priority: 1),
                       (name: "others", litres_per_day: 0, priority: 2)]"#,
            r#"(name: "essential", litres_per_day: 1000, priority: 1)]"#,
        )
        .replace(
            r#"segments: [(from: "P", to: "D","#,
            r#"segments: [(from: "P", to: "A", km: 1, transit_days: Fixed(1.0), capacity_trucks_per_day: 10, risk: 0.0),
              (from: "P", to: "D","#,
        );
    let s = scenario::load_str(&text, Path::new("two-depots.ron"))
        .expect("valid")
        .scenario;
    assert_eq!(s.depots().count(), 2);
    let q = ReserveQuery {
        days: 90,
        confidence: 0.95,
        classes: vec![],
        lever: Lever::InitialStock,
        depot: s.node_by_id("D"),
        from: 0,
        payload_litres: ensemble::DEFAULT_PAYLOAD_LITRES,
    };
    let r = ensemble::reserve(&s, &q, &opts(20), &|_| {}).unwrap();
    assert_eq!(r.classes, ["essential"]);
    assert!(r.reachable);
    assert!(
        r.answer >= 90_000.0 && r.answer <= 90_000.0 + r.tolerance,
        "stock {} (tolerance {})",
        r.answer,
        r.tolerance
    );
}

#[test]
fn reserve_rejects_unknown_classes_and_bad_confidence() {
    let s = closed_form();
    let q = ReserveQuery {
        days: 90,
        confidence: 0.95,
        classes: vec!["hospitals".into()],
        lever: Lever::InitialStock,
        depot: None,
        from: 0,
        payload_litres: ensemble::DEFAULT_PAYLOAD_LITRES,
    };
    let e = ensemble::reserve(&s, &q, &opts(5), &|_| {})
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown class `hospitals`") && e.contains("essential"),
        "{e}"
    );
    let q = ReserveQuery {
        confidence: 1.0,
        classes: vec![],
        ..q
    };
    assert!(ensemble::reserve(&s, &q, &opts(5), &|_| {}).is_err());
}

fn bamako() -> Template {
    Template::load(&common::networks_dir().join("bamako-2025.ron")).expect("bundled scenario")
}

#[test]
fn a_risk_sweep_on_bamako_moves_unmet_demand_the_expected_way() {
    // Tankers lost need not rise with a road's risk: the plan moves trucks off a road that
    // burns them. Unmet demand rises from the low to the high risk. (Between 0.1 and 0.2 the
    // rise is small; `metamorphic::RELATIONS_FROM` checks it on paired runs.)
    let t = bamako();
    let vary = Vary::parse("segments[KAY-DIE].risk=0.02,0.1,0.2").unwrap();
    let r = ensemble::sweep(
        &t,
        &[],
        &[vary],
        &[Kpi::UnmetTotal],
        &opts(150),
        Seeds::Common,
        &|_, _| {},
    )
    .unwrap();
    let unmet: Vec<f64> = r.points.iter().map(|p| p.estimates[0].value).collect();
    assert!(
        unmet[2] > unmet[0] && unmet[1] > unmet[0],
        "unmet demand should rise from the lowest risk: {unmet:?}"
    );
    // And clear of noise: the rise between the ends is many standard errors.
    let (a, b) = (&r.points[0].estimates[0], &r.points[2].estimates[0]);
    assert!(b.value - a.value > 5.0 * (a.se.powi(2) + b.se.powi(2)).sqrt());
}

#[test]
fn common_random_numbers_make_the_sweep_smoother() {
    // The variance of the per-replication difference between neighbouring points is what
    // noise a sweep curve carries; sharing the seeds makes it smaller.
    let t = Template::load(&common::networks_dir().join("tutorial.ron")).unwrap();
    let vary = Vary::parse("fleet.trucks=300,320,340,360").unwrap();
    let run = |seeds| {
        ensemble::sweep(
            &t,
            &[],
            std::slice::from_ref(&vary),
            &[Kpi::UnmetTotal],
            &opts(200),
            seeds,
            &|_, _| {},
        )
        .unwrap()
    };
    let diff_var = |r: &ensemble::SweepResult| -> f64 {
        let per: Vec<&Vec<f64>> = r
            .points
            .iter()
            .map(|p| p.per_replication[0].as_ref().unwrap())
            .collect();
        let mut total = 0.0;
        for w in per.windows(2) {
            let d: Vec<f64> = w[0].iter().zip(w[1]).map(|(a, b)| b - a).collect();
            let m = d.iter().sum::<f64>() / d.len() as f64;
            total += d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (d.len() - 1) as f64;
        }
        total
    };
    let common = diff_var(&run(Seeds::Common));
    let independent = diff_var(&run(Seeds::Independent));
    assert!(
        common < 0.5 * independent,
        "variance of differences: common {common:.3e}, independent {independent:.3e}"
    );
}

#[test]
fn sweeps_reject_bad_paths_and_values_naming_valid_paths() {
    let file = common::networks_dir().join("tutorial.ron");
    let o = common::run(&[
        "sweep".as_ref(),
        file.as_os_str(),
        "--vary".as_ref(),
        "fleet.truckz=1,2".as_ref(),
        "-n".as_ref(),
        "2".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("unknown path `fleet.truckz`") && err.contains("`fleet.trucks`"),
        "{err}"
    );
    let o = common::run(&[
        "sweep".as_ref(),
        file.as_os_str(),
        "--vary".as_ref(),
        "segments[KAY-BKO].risk=0.5,1.5".as_ref(),
        "-n".as_ref(),
        "2".as_ref(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`risk` is 1.5") && err.contains("sweep point segments[KAY-BKO].risk=1.5"),
        "{err}"
    );
    let o = common::run(&[
        "sweep".as_ref(),
        file.as_os_str(),
        "--vary".as_ref(),
        "fleet.trucks=5..1:1".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = common::run(&[
        "sweep".as_ref(),
        file.as_os_str(),
        "--vary".as_ref(),
        "fleet.trucks=5,6".as_ref(),
        "--kpi".as_ref(),
        "nope".as_ref(),
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("valid KPIs"));
}

#[test]
fn sweeps_and_comparisons_are_byte_identical_when_repeated() {
    let dir = std::env::temp_dir().join(format!("blockade-study-{}", std::process::id()));
    let tut = common::networks_dir().join("tutorial.ron");
    let mali = common::networks_dir().join("mali.ron");
    for i in ["a", "b"] {
        let out = dir.join(i);
        let threads = if i == "a" { "1" } else { "2" };
        let base = [
            "-n".as_ref(),
            "30".as_ref(),
            "--threads".as_ref(),
            threads.as_ref(),
            "-q".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        let mut sweep = vec![
            "sweep".as_ref(),
            tut.as_os_str(),
            "--vary".as_ref(),
            "fleet.trucks=300,400".as_ref(),
        ];
        sweep.extend(base);
        assert!(common::run(&sweep).status.success());
        let mut cmp = vec!["compare".as_ref(), tut.as_os_str(), mali.as_os_str()];
        cmp.extend(base);
        assert!(common::run(&cmp).status.success());
    }
    for f in ["sweep.csv", "compare.csv"] {
        let a = std::fs::read(dir.join("a").join(f)).unwrap();
        let b = std::fs::read(dir.join("b").join(f)).unwrap();
        assert!(a == b && !a.is_empty(), "{f} differs between runs");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tornado_sorts_by_swing() {
    let t = Template::load(&common::networks_dir().join("tutorial.ron")).unwrap();
    let varies = [
        Vary::parse("escorts.risk_factor=0.4,0.6").unwrap(),
        Vary::parse("fleet.trucks=150,600").unwrap(),
    ];
    let r = ensemble::tornado(&t, &[], &varies, Kpi::UnmetTotal, &opts(60), &|_, _| {}).unwrap();
    assert_eq!(
        r.bars[0].path, "fleet.trucks",
        "the fleet matters more than a small escort change"
    );
    assert!(r.bars[0].swing() >= r.bars[1].swing());
    assert!(
        ensemble::tornado(
            &t,
            &[],
            &[Vary::parse("fleet.trucks=1,2,3").unwrap()],
            Kpi::UnmetTotal,
            &opts(5),
            &|_, _| {}
        )
        .is_err()
    );
}

/// No supply; 40,000 L in stock; essential (protected) and others both 1,000 L/day, no
/// rationing: the stock lasts days 0..19 for both classes.
fn two_classes() -> Scenario {
    let text = r#"Scenario(
    name: "two-classes", horizon_days: 120, seed: 9, replications: 10,
    nodes: [
        Source(id: "P", supply_litres_per_day: 0),
        Depot(id: "D", capacity_litres: 50000, initial_stock_litres: 40000,
              demand: [(name: "essential", litres_per_day: 1000, priority: 1),
                       (name: "others", litres_per_day: 1000, priority: 2)],
              rationing: (trigger_days: 0, protected_priority: 1, ration_fraction: 0.5)),
    ],
    segments: [(from: "P", to: "D", km: 1, transit_days: Fixed(1.0), capacity_trucks_per_day: 10, risk: 0.0)],
    fleet: (trucks: 1, truck_litres: 1000),
)"#;
    scenario::load_str(text, Path::new("two.ron"))
        .expect("valid")
        .scenario
}

fn reserve_query(lever: Lever, from: u32, days: u32) -> ReserveQuery {
    ReserveQuery {
        days,
        confidence: 0.95,
        classes: vec![],
        lever,
        depot: None,
        from,
        payload_litres: ensemble::DEFAULT_PAYLOAD_LITRES,
    }
}

#[test]
fn a_protected_reserve_serves_only_the_protected_class() {
    // Set aside on day 10, the reserve is untouched until the shared stock runs out at day
    // 20; essential then needs days 20..89 = 70,000 L from it, and the others none of it.
    let s = two_classes();
    let r = ensemble::reserve(
        &s,
        &reserve_query(Lever::ProtectedReserve, 10, 90),
        &opts(10),
        &|_| {},
    )
    .unwrap();
    assert!(r.reachable);
    assert!(
        r.answer >= 70_000.0 && r.answer <= 70_000.0 + r.tolerance,
        "reserve {} (tolerance {})",
        r.answer,
        r.tolerance
    );
    // Above the depot's 50,000 L: said so, with the capacity-limited alternative.
    assert!(r.exceeds_capacity);
    let (v, p) = r.at_capacity.expect("the alternative at capacity");
    assert_eq!(v, 50_000.0);
    assert_eq!(p, 0.0);
    // The same litres as a shared one-off delivery on day 10 feed both classes: twice as
    // much is needed, and a delivery is capped by the depot's free room (30,000 L that
    // day), so it cannot be reached at all.
    let r = ensemble::reserve(
        &s,
        &reserve_query(Lever::InitialStock, 10, 90),
        &opts(10),
        &|_| {},
    )
    .unwrap();
    assert!(!r.reachable);
}

#[test]
fn a_reserve_beyond_the_horizon_is_an_error_not_a_silent_cut() {
    let s = two_classes();
    let e = ensemble::reserve(
        &s,
        &reserve_query(Lever::InitialStock, 0, 400),
        &opts(5),
        &|_| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--days 400") && e.contains("horizon"), "{e}");
    let e = ensemble::reserve(
        &s,
        &reserve_query(Lever::Airlift, 90, 90),
        &opts(5),
        &|_| {},
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("--from day 90"), "{e}");
}

#[test]
fn an_airlift_from_a_later_day_answers_in_litres_and_rotations() {
    // Stock covers both classes to day 19; from day 20 an airlift of 1,000 L/day keeps
    // essential whole (it is served first; the others get nothing).
    let s = two_classes();
    let q = ReserveQuery {
        payload_litres: 250.0,
        ..reserve_query(Lever::Airlift, 20, 90)
    };
    let r = ensemble::reserve(&s, &q, &opts(5), &|_| {}).unwrap();
    assert!(
        r.answer >= 1_000.0 && r.answer <= 1_000.0 + r.tolerance,
        "airlift {} (tolerance {})",
        r.answer,
        r.tolerance
    );
    assert!((r.rotations_per_day(250.0) - r.answer / 250.0).abs() < 1e-12);
    assert!(!r.exceeds_capacity && r.at_capacity.is_none());
    // Started on day 30, too late: essential already went short on day 20 in every run.
    let r = ensemble::reserve(
        &s,
        &reserve_query(Lever::Airlift, 30, 90),
        &opts(5),
        &|_| {},
    )
    .unwrap();
    assert!(!r.reachable);
    assert_eq!(r.short_before_from, 1.0);
}

#[test]
fn a_tag_path_acts_on_every_segment_with_the_tag() {
    use blockade::network::Conditions;
    use blockade::scenario::Override;
    let t = Template::load(&common::networks_dir().join("tutorial.ron")).unwrap();
    let base = t.base().scenario.clone();
    let set = |p: &str, v: &str| {
        t.with(&[Override {
            path: p.into(),
            value: v.into(),
        }])
    };
    let s = set("tags[north].risk_multiplier", "3").unwrap().scenario;
    let north = &base.tags()["north"];
    // Mid-run, on top of the scenario's own multipliers: x3 on the tagged segments only.
    let (c0, c1) = (
        Conditions::at_day(&base, 50.5),
        Conditions::at_day(&s, 50.5),
    );
    for i in 0..base.segments.len() {
        let want = if north.iter().any(|g| g.index() == i) {
            3.0 * c0.risk_multiplier[i]
        } else {
            c0.risk_multiplier[i]
        };
        assert_eq!(
            c1.risk_multiplier[i], want,
            "segment {}",
            base.segments[i].id
        );
    }
    let s = set("tags[north].closed", "true").unwrap().scenario;
    let c = Conditions::at_day(&s, 0.0);
    assert!(north.iter().all(|g| !c.open[g.index()]));
    assert_eq!(c.open.iter().filter(|o| !**o).count(), north.len());
    assert_eq!(
        t.value_at("tags[north].risk_multiplier").as_deref(),
        Some("1")
    );
    // Mistakes are named, with the tags there are.
    let e = format!(
        "{:?}",
        set("tags[nrth].risk_multiplier", "2").err().unwrap()
    );
    assert!(e.contains("did you mean `north`"), "{e}");
    assert!(set("tags[north].risk_multiplier", "-1").is_err());
    assert!(set("tags[north].width", "1").is_err());
}

#[test]
fn the_corridor_study_ranks_tags_by_paired_simulated_change() {
    use blockade::ensemble::CorridorAction;
    let t = Template::load(&common::networks_dir().join("tutorial.ron")).unwrap();
    let o = opts(60);
    let c = ensemble::corridors(&t, &[], CorridorAction::Close, &o, &|_, _| {}).unwrap();
    let tags: Vec<&str> = t.base().scenario.tags().keys().copied().collect();
    assert_eq!(c.rows.len(), tags.len());
    assert!(
        c.rows
            .windows(2)
            .all(|w| w[0].protected.difference >= w[1].protected.difference)
    );
    // Each row is the paired difference a sweep of the same path gives.
    for r in &c.rows {
        let v = Vary::parse(&format!("tags[{}].closed=false,true", r.tag)).unwrap();
        let sw = ensemble::sweep(
            &t,
            &[],
            &[v],
            &[Kpi::UnmetTotal],
            &o,
            Seeds::Common,
            &|_, _| {},
        )
        .unwrap();
        let (a, b) = (&sw.points[0], &sw.points[1]);
        assert_eq!(a.estimates[0].value, c.base_total.value);
        assert_eq!(
            b.estimates[0].value - a.estimates[0].value,
            r.total.difference
        );
        let se = ensemble::paired_se(
            a.per_replication[0].as_ref().unwrap(),
            b.per_replication[0].as_ref().unwrap(),
        );
        assert_eq!(se, r.total.se);
        assert!((0.0..=1.0).contains(&r.max_flow_drop_share));
    }
}

/// "None within the horizon" is its own answer in study tables: an empty cell with the
/// share of runs never dry beside it, never the horizon printed as a day, and no difference
/// taken against it (issue 11).
#[test]
fn a_median_first_dry_day_beyond_the_horizon_is_none_not_the_horizon() {
    let dir = std::env::temp_dir().join(format!("blockade-censor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("closed.ron");
    // The closed form: 10,000 L for 1,000 L/day runs dry on day 10; 500,000 L never does.
    std::fs::write(&path, CLOSED_FORM).unwrap();
    let t = Template::load(&path).unwrap();
    let vary = Vary::parse("nodes[D].initial_stock_litres=10000,500000").unwrap();
    let r = ensemble::sweep(
        &t,
        &[],
        &[vary],
        &[Kpi::FirstDryMedian],
        &opts(10),
        Seeds::Common,
        &|_, _| {},
    )
    .unwrap();
    let (dry, never) = (&r.points[0].estimates[0], &r.points[1].estimates[0]);
    assert!(!dry.is_censored() && dry.value < 120.0, "{dry:?}");
    assert!(never.is_censored(), "{never:?}");
    let csv = blockade::report::sweep_csv(&r);
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let (v, share) = (
        col("first_dry_day_median"),
        col("first_dry_day_median_share_never"),
    );
    assert_eq!(rows[0][share], "0.0000");
    assert!(!rows[0][v].is_empty());
    assert_eq!(
        rows[1][v], "",
        "a censored median is an empty cell, not day 120"
    );
    assert_eq!(rows[1][share], "1.0000");
    let text = blockade::report::sweep_text(&r, blockade::report::Lang::En);
    assert!(text.contains("none (100% never dry)"), "{text}");
    assert!(!text.contains("120.0"), "{text}");

    // A comparison does not subtract a day from "none within the horizon".
    let lo = t.with(&[]).unwrap().scenario;
    let hi = t
        .with(&[scenario::Override::parse("nodes[D].initial_stock_litres=500000").unwrap()])
        .unwrap()
        .scenario;
    let sums: Vec<_> = [&lo, &hi]
        .iter()
        .map(|s| {
            let net = blockade::network::Network::build(s);
            ensemble::run(s, &net, &opts(10), &|_| {}).unwrap()
        })
        .collect();
    let rows = ensemble::compare(&[lo, hi], &sums, &[Kpi::FirstDryMedian]);
    assert!(rows[0].differences[0].0.is_nan() && !rows[0].is_clear(1));
    let names = ["low".to_string(), "high".to_string()];
    let csv = blockade::report::compare_csv(&names, &rows);
    assert!(
        csv.lines()
            .any(|l| l == "first_dry_day_median_share_never,0.0000,1.0000,,,"),
        "{csv}"
    );
    let text = blockade::report::compare_text(&names, &rows, 10, 9, blockade::report::Lang::En);
    assert!(text.contains("n/a (none within horizon)"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
