//! The measures of docs/model.md section 7 and the run's outputs that speak them (issue 11):
//! "by day d" is the `daily.csv` row of day d everywhere; the report's numbers are the
//! CSV's; the census of where the fleet is adds up to the fleet and matches hand-computed
//! cases; the built-in sensitivity is reproducible from its overrides; `--as-of` and
//! `--no-sensitivity` do what they say.

use std::path::{Path, PathBuf};

use blockade::ensemble::{self, Kpi, Options, Summary};
use blockade::model::{self, Layout, PlanCache, RunRecord, Series, TruckState};
use blockade::network::Network;
use blockade::report::{self, RunInfo};
use blockade::scenario::{self, Scenario, Template};

use crate::common::{self, networks_dir};

fn load(text: &str) -> Scenario {
    common::scenario_from(text, "inline.ron")
}

fn ensemble(s: &Scenario, reps: u64) -> Summary {
    let net = Network::build(s);
    let opts = Options {
        replications: reps,
        seed: s.seed,
        threads: Some(2),
    };
    ensemble::run(s, &net, &opts, &|_| {}).expect("fuel is conserved")
}

fn simulate(s: &Scenario, r: u64) -> RunRecord {
    let net = Network::build(s);
    let layout = Layout::new(s);
    model::simulate(s, &net, &layout, s.seed, r, &mut PlanCache::new()).expect("conserved")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-measures-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}

/// One route, `Fixed(2)` transit, 100 trucks of 1,000 L; `extra` spliced in.
fn one_route(supply: f64, initial: f64, demand: f64, seg: &str, extra: &str) -> Scenario {
    load(&format!(
        r#"Scenario(
    name: "one-route", horizon_days: 20, seed: 3, replications: 4, start_date: "2025-09-01",
    nodes: [
        Source(id: "P", supply_litres_per_day: {supply}),
        Depot(id: "D", capacity_litres: 1e9, initial_stock_litres: {initial},
              demand: [(name: "all", litres_per_day: {demand}, priority: 1)],
              rationing: (trigger_days: 0, protected_priority: 1, ration_fraction: 1)),
    ],
    segments: [(from: "P", to: "D", km: 100, transit_days: Fixed(2.0), {seg})],
    fleet: (trucks: 100, truck_litres: 1000),
    dispatch: (replan_days: 1000, convoy_interval_days: 1, max_convoy: 1000, warm_start: false),
    {extra}
)"#
    ))
}

/// A CSV as a header and rows of cells.
fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (head, rows)
}

fn column(head: &[String], name: &str) -> usize {
    head.iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {head:?}"))
}

#[test]
fn by_day_d_is_the_daily_csv_row_of_day_d() {
    // 12,000 L, 5,000 L/day, no supply: days 0 and 1 are served, day 2 is the first dry day
    // in every run. "By day 2" must say 100 % everywhere, "by day 1" 0 %.
    let s = one_route(
        0.0,
        12_000.0,
        5_000.0,
        "capacity_trucks_per_day: 10, risk: 0.0",
        "",
    );
    let sum = ensemble(&s, 4);
    assert_eq!(sum.p_dry_by_day(1), 0.0);
    assert_eq!(sum.p_dry_by_day(2), 1.0);
    assert_eq!(sum.first_dry_percentile(0.5), Some(2.0));
    let per = |k: Kpi| Kpi::estimate(&k, &s, &sum).value;
    assert_eq!(per(Kpi::PDryBy(1)), 0.0);
    assert_eq!(per(Kpi::PDryBy(2)), 1.0);
    let (head, rows) = csv(&report::daily_csv(&s, &sum));
    let (day, by, on) = (
        column(&head, "day"),
        column(&head, "p_dry_by_day"),
        column(&head, "p_dry_on_day"),
    );
    assert_eq!(rows[1][day], "1");
    assert_eq!(rows[1][by], "0.0000");
    assert_eq!(rows[2][by], "1.0000");
    assert_eq!(rows[2][on], "1.0000");
    assert_eq!(rows[2][column(&head, "date")], "2025-09-03");
    // replications.csv: the first dry day of every run is day 2.
    let (head, rows) = csv(&report::replications_csv(&s, &sum));
    assert!(
        rows.iter()
            .all(|r| r[column(&head, "first_dry_day")] == "2")
    );
    // The headline: by the last day (19) every run is dry; the median first dry day is 2.
    let info = RunInfo::default();
    let (head, rows) = csv(&report::headline_csv(&s, &sum, &info));
    let value = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("no {name}"))[column(&head, "value")]
        .clone()
    };
    assert_eq!(value("p_dry_by_day_19"), "1.0000");
    assert_eq!(value("first_dry_day_median"), "2.0");
    assert_eq!(value("share_never_dry"), "0.0000");
}

#[test]
fn never_dry_is_its_own_answer() {
    // Plenty of stock: no run is ever dry. JSON says null plus the share, the CSV an
    // empty cell plus the share, the terminal "none within the horizon".
    let s = one_route(
        0.0,
        1e6,
        5_000.0,
        "capacity_trucks_per_day: 10, risk: 0.0",
        "",
    );
    let sum = ensemble(&s, 4);
    let info = RunInfo::default();
    let j: serde_json::Value =
        serde_json::from_str(&report::summary_json(&s, &sum, &info)).unwrap();
    let h = &j["headline"];
    for key in [
        "p_dry_by_day",
        "first_dry_day_p10",
        "first_dry_day_median",
        "first_dry_day_p90",
        "share_never_dry",
        "p_rationing_by_day",
        "first_rationing_day_median",
        "days_rationed_mean",
        "unmet_protected_mean_litres",
    ] {
        assert!(h.get(key).is_some(), "summary.json headline lacks {key}");
    }
    assert!(h["first_dry_day_median"].is_null());
    assert_eq!(h["share_never_dry"], 1.0);
    assert_eq!(j["as_of"], serde_json::Value::Null);
    let (head, rows) = csv(&report::headline_csv(&s, &sum, &info));
    let row = rows
        .iter()
        .find(|r| r[0] == "first_dry_day_median")
        .unwrap();
    assert_eq!(row[column(&head, "value")], "");
    let text = report::headline(&s, &sum, &info);
    assert!(text.contains("none within the 20-day horizon"), "{text}");
    assert!(!text.to_lowercase().contains("stockout"));
}

#[test]
fn report_numbers_equal_the_csv() {
    // The tutorial with a smaller fleet: P(dry) climbs through the key days (2 % by day 29,
    // 3 % by day 30, 91 % by day 59, 93.5 % by day 60), so reading the wrong row shows.
    let mut s = scenario::load(&networks_dir().join("tutorial.ron"))
        .expect("tutorial")
        .scenario;
    s.fleet.trucks = 250;
    let sum = ensemble(&s, 200);
    let dir = temp_dir("report-csv");
    let info = RunInfo {
        as_of: Some("2025-09-15".into()),
        ..RunInfo::default()
    };
    let flow = report::FlowBaseline::new(&Network::build(&s), &s);
    report::write_tables(&dir, &s, &sum, &info, &flow).unwrap();
    report::write_report(&dir, &s, &sum, &info, &flow, &report::RunCharts::none()).unwrap();
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let (head, rows) = csv(&std::fs::read_to_string(dir.join("daily.csv")).unwrap());
    let (d, dry, rat) = (
        column(&head, "day"),
        column(&head, "p_dry_by_day"),
        column(&head, "p_rationing_by_day"),
    );
    let mut checked = 0;
    for k in report::key_days(s.horizon_days) {
        let row = md
            .lines()
            .find(|l| l.contains(&format!("(day {k}) |")) && l.matches('|').count() == 4)
            .unwrap_or_else(|| panic!("no key-date row for day {k} in report.md"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let csv_row = &rows[k as usize];
        assert_eq!(csv_row[d], k.to_string());
        for (cell, col) in [(cells[2], rat), (cells[3], dry)] {
            let csv_pct = 100.0 * csv_row[col].parse::<f64>().unwrap();
            if let Some(bound) = cell.strip_prefix("under ") {
                let bound: f64 = bound.trim_end_matches(" %").parse().unwrap();
                assert!(
                    csv_pct > 0.0 && csv_pct < bound,
                    "day {k}: {cell} vs {csv_pct} %"
                );
                checked += 1;
                continue;
            }
            let shown: f64 = cell.trim_end_matches(" %").parse().unwrap();
            let decimals = cell
                .trim_end_matches(" %")
                .split('.')
                .nth(1)
                .map_or(0, str::len);
            let csv_pct = 100.0 * csv_row[col].parse::<f64>().unwrap();
            assert!(
                (shown - csv_pct).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9,
                "day {k}: report {cell} vs daily.csv {csv_pct} %"
            );
            checked += 1;
        }
    }
    assert!(checked >= 6);
    // The as-of date is written; the unmet demand of each class is headline.csv's.
    assert!(md.contains("As of 2025-09-15."));
    let (hh, hrows) = csv(&std::fs::read_to_string(dir.join("headline.csv")).unwrap());
    let essential: f64 = hrows
        .iter()
        .find(|r| r[0] == "unmet_essential_mean")
        .unwrap()[column(&hh, "value")]
    .parse()
    .unwrap();
    let (rh, rrows) = csv(&std::fs::read_to_string(dir.join("replications.csv")).unwrap());
    let col = column(&rh, "unmet_essential_litres");
    let mean: f64 = rrows
        .iter()
        .map(|r| r[col].parse::<f64>().unwrap())
        .sum::<f64>()
        / rrows.len() as f64;
    assert!((mean - essential).abs() < 1.0, "{mean} vs {essential}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_census_follows_the_trucks_of_a_closed_form_route() {
    // 10 trucks leave every day at t = k, arrive at k + 2 and are back at k + 4. At the
    // settle of day k (t = k + 1, before anything else at that instant): loaded on the road
    // are the departures of t = k - 1 and k, returning those of k - 3 and k - 2.
    let s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 1000, risk: 0.0",
        "",
    );
    let rec = simulate(&s, 0);
    let st = |t: TruckState, k: usize| rec[Series::FleetState][t as usize * rec.days + k];
    let expect = [
        (0, 10.0, 0.0),
        (1, 20.0, 0.0),
        (2, 20.0, 10.0),
        (5, 20.0, 20.0),
    ];
    for (k, loaded, back) in expect {
        assert_eq!(st(TruckState::LoadedOnRoad, k), loaded, "loaded, day {k}");
        assert_eq!(
            st(TruckState::ReturningEmpty, k),
            back,
            "returning, day {k}"
        );
        assert_eq!(
            st(TruckState::IdleAtSource, k),
            100.0 - loaded - back,
            "idle, day {k}"
        );
    }
    assert_eq!(rec[Series::EscortsInUse].iter().sum::<f64>(), 0.0);
}

#[test]
fn the_census_sees_escort_queues_gates_and_closures() {
    // Escorts required on a risky road, 2 units, one escort for at most 10 trucks, a 4-day
    // escort cycle: the plan sends 5 trucks a day (x <= 10 c, 4 c <= 2) in an escorted
    // convoy every 2 days. Trucks gathered for the next escorted departure wait, loaded,
    // at the source: 5 after day 0 (the first convoy gathers its 10), 0 after day 1 (it
    // left at t = 1), 5 after day 2, 0 after day 3 (a convoy of 10 left at t = 3).
    let s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 1000, risk: 0.5",
        // No suspension after an attack, so the road never closes.
        "escorts: (units: 2, threshold: 0.05, require_escort: true, max_convoy: 10),
         interdiction: (suspend_days: 0),",
    );
    let rec = simulate(&s, 0);
    let st = |t: TruckState, k: usize| rec[Series::FleetState][t as usize * rec.days + k];
    let waiting: Vec<f64> = (0..4)
        .map(|k| st(TruckState::WaitingForEscort, k))
        .collect();
    assert_eq!(waiting, [5.0, 0.0, 5.0, 0.0]);
    // No escort unit at all: the plan sends nothing on a road that needs one, so no
    // convoy queues for ever and every truck stays idle at the source.
    let s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 1000, risk: 0.5",
        "escorts: (units: 0, threshold: 0.05, require_escort: true),",
    );
    let rec = simulate(&s, 0);
    let st = |t: TruckState, k: usize| rec[Series::FleetState][t as usize * rec.days + k];
    assert_eq!(st(TruckState::WaitingForEscort, 4), 0.0);
    assert_eq!(st(TruckState::IdleAtSource, 4), 100.0);
    assert_eq!(rec[Series::ConvoysWaitingForEscort][4], 0.0);
    // A gate of 4 trucks a day, convoys of 12 every 3 days: 8 wait after day 0, 4 after
    // day 1, none after day 2.
    let mut s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 4, risk: 0.0",
        "",
    );
    s.dispatch.convoy_interval_days = 3.0;
    let rec = simulate(&s, 0);
    let gate = |k: usize| {
        rec[Series::FleetState][TruckState::WaitingAtGateOrClosure as usize * rec.days + k]
    };
    assert_eq!([gate(0), gate(1), gate(2)], [8.0, 4.0, 0.0]);
    // A closure from day 3 to day 10: returning trucks wait in front of it.
    let s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 1000, risk: 0.0",
        r#"events: [(day: 3, until: 10, effect: Close(segments: ["P-D"]))],"#,
    );
    let rec = simulate(&s, 0);
    let wait = |k: usize| {
        rec[Series::FleetState][TruckState::WaitingAtGateOrClosure as usize * rec.days + k]
    };
    assert_eq!(wait(1), 0.0);
    assert!(wait(6) > 0.0, "trucks wait at the closure");
    assert_eq!(wait(15), 0.0, "and move on when it opens");
}

#[test]
fn the_census_adds_up_to_the_fleet_every_day() {
    let s = common::load_clean(&networks_dir().join("bamako-2025.ron")).scenario;
    for r in 0..3 {
        let rec = simulate(&s, r);
        for k in 0..rec.days {
            let total: f64 = (0..TruckState::ALL.len())
                .map(|i| rec[Series::FleetState][i * rec.days + k])
                .sum();
            assert_eq!(total, rec[Series::Fleet][k], "replication {r}, day {k}");
            assert!(
                rec[Series::EscortsInUse][k]
                    <= rec[Series::EscortUnits][k].max(rec[Series::EscortsInUse][k])
            );
        }
        // The escorts bind in this scenario: every unit is busy on some day.
        assert!(
            (0..rec.days).any(|k| rec[Series::EscortUnits][k] > 0.0
                && rec[Series::EscortsInUse][k] >= rec[Series::EscortUnits][k]),
            "replication {r}"
        );
    }
}

#[test]
fn the_sensitivity_is_reproducible_from_its_overrides() {
    let path = networks_dir().join("tutorial.ron");
    let t = Template::load(&path).expect("tutorial");
    let s = t.base().scenario.clone();
    let inputs = ensemble::default_inputs(&t, &s);
    let labels: Vec<String> = inputs
        .iter()
        .map(|i| report::input_words(&i.kind, report::Lang::En))
        .collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    assert!(
        labels.iter().any(|l| l.starts_with("risk multiplier")),
        "{labels:?}"
    );
    assert!(labels.contains(&"escort units"), "{labels:?}");
    assert!(labels.contains(&"fleet (tankers)"), "{labels:?}");
    assert!(
        labels.iter().any(|l| l.starts_with("initial stock")),
        "{labels:?}"
    );
    assert!(labels.contains(&"supply at every source"), "{labels:?}");
    let run = ensemble(&s, 40);
    let opts = Options {
        replications: 16,
        seed: s.seed,
        threads: Some(2),
    };
    let sens = ensemble::sensitivity(&t, &[], &run, &inputs, &opts, &|_, _| {}).unwrap();
    assert_eq!(sens.rows.len(), inputs.len());
    assert!(sens.rows.windows(2).all(|w| w[0].swing() >= w[1].swing()));
    // The base case is the run's first 16 replications.
    let base: f64 = run.unmet_protected(&s)[..16].iter().sum::<f64>() / 16.0;
    assert_eq!(sens.base, base);
    // The first row, recomputed by hand from its overrides.
    let top = &sens.rows[0];
    let v = t.with(&top.input.sets_low).unwrap().scenario;
    let low = ensemble::run(&v, &Network::build(&v), &opts, &|_| {}).unwrap();
    let mean = low.unmet_protected(&v).iter().sum::<f64>() / 16.0;
    assert_eq!(top.at_low, mean);
}

#[test]
fn with_uncertain_inputs_the_sensitivity_moves_them_between_their_percentiles() {
    // The tutorial with two stated ranges: the sensitivity moves those two, not the levers.
    let path = networks_dir().join("tutorial.ron");
    let t = Template::load(&path).expect("tutorial");
    let sets: Vec<scenario::Override> = [
        "fleet.trucks=Uncertain(Uniform(40, 160))",
        "segments[KAY-BKO].risk=Uncertain(Uniform(0.01, 0.2))",
    ]
    .iter()
    .map(|x| scenario::Override::parse(x).unwrap())
    .collect();
    let s = t.with(&sets).expect("valid ranges").scenario;
    let inputs = ensemble::default_inputs(&t, &s);
    let paths: Vec<String> = inputs
        .iter()
        .map(|i| report::input_words(&i.kind, report::Lang::En))
        .collect();
    // In the file's order (segments come before the fleet).
    assert_eq!(paths, ["segments[KAY-BKO].risk", "fleet.trucks"]);
    // 10th and 90th percentiles of Uniform(40, 160): 52 and 148; median 100.
    assert_eq!(
        (inputs[1].low.as_str(), inputs[1].base.as_str()),
        ("52", "100")
    );
    assert_eq!(inputs[1].high, "148");
    let opts = Options {
        replications: 12,
        seed: s.seed,
        threads: Some(2),
    };
    let run = ensemble(&s, 12);
    let sens = ensemble::sensitivity(&t, &sets, &run, &inputs, &opts, &|_, _| {}).unwrap();
    assert_eq!(sens.design, ensemble::SensitivityDesign::Percentiles);
    assert!(sens.method().contains("10th and 90th percentiles"));
    let mean = |variant: &[scenario::Override]| {
        let mut all = sets.clone();
        all.extend(variant.iter().cloned());
        let v = t.with(&all).unwrap().scenario;
        assert!(v.uncertain.is_empty(), "every input is fixed in a variant");
        let sum = ensemble::run(&v, &Network::build(&v), &opts, &|_| {}).unwrap();
        sum.unmet_protected(&v).iter().sum::<f64>() / 12.0
    };
    // The base case is every input at its median, run by hand.
    let medians: Vec<scenario::Override> = s
        .uncertain
        .iter()
        .map(|i| scenario::Override {
            path: i.path.clone(),
            value: ensemble::value_text(i.median()),
        })
        .collect();
    assert_eq!(medians[1].value, "100");
    assert_eq!(sens.base, mean(&medians));
    // Each row, by hand from its overrides: the fleet at its 10th percentile.
    let fleet = sens
        .rows
        .iter()
        .find(|r| r.input.kind == ensemble::InputKind::Uncertain("fleet.trucks".into()))
        .unwrap();
    assert_eq!(fleet.at_low, mean(&fleet.input.sets_low));
    assert_eq!(fleet.at_high, mean(&fleet.input.sets_high));
    // Fewer tankers never help the protected classes.
    assert!(fleet.at_low >= fleet.at_high, "{fleet:?}");
}

#[test]
fn run_writes_as_of_only_when_given_and_can_skip_the_sensitivity() {
    let dir = temp_dir("cli");
    let tut = networks_dir().join("tutorial.ron");
    let go = |out: &Path, extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "run".as_ref(),
            tut.as_os_str(),
            "-n".as_ref(),
            "20".as_ref(),
            "-q".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        common::run(&args)
    };
    let a = dir.join("a");
    let o = go(&a, &["--sensitivity-replications", "5"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json = std::fs::read_to_string(a.join("summary.json")).unwrap();
    assert!(json.contains("\"as_of\": null"));
    assert!(json.contains("\"sensitivity\": {"));
    let b = dir.join("b");
    let o = go(&b, &["--as-of", "2025-10-15", "--no-sensitivity"]);
    assert_eq!(o.status.code(), Some(0));
    let json = std::fs::read_to_string(b.join("summary.json")).unwrap();
    assert!(json.contains("\"as_of\": \"2025-10-15\""));
    assert!(json.contains("\"sensitivity\": null"));
    let md = std::fs::read_to_string(b.join("report.md")).unwrap();
    assert!(md.contains("As of 2025-10-15"));
    assert!(md.contains("--no-sensitivity"));
    let o = go(&dir.join("c"), &["--as-of", "15/10/2025"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("c").exists(), "no output for a bad --as-of");
    // No output speaks of a "stockout" any more.
    for f in [
        "daily.csv",
        "replications.csv",
        "headline.csv",
        "summary.json",
        "report.md",
    ] {
        let text = std::fs::read_to_string(a.join(f)).unwrap();
        assert!(!text.to_lowercase().contains("stockout"), "{f}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn routes_report_planned_and_dispatched_trucks() {
    // 10 trucks a day asked and sent for 20 days on the one route.
    let s = one_route(
        10_000.0,
        50_000.0,
        5_000.0,
        "capacity_trucks_per_day: 1000, risk: 0.0",
        "",
    );
    let rec = simulate(&s, 0);
    assert_eq!(rec.routes.len(), 1);
    assert_eq!(rec.routes[0].planned_trucks, 200.0);
    assert_eq!(rec.routes[0].dispatched_trucks, 200.0);
    // With 15 trucks on a 4-day round trip, at most 15 leave in any 4 days (at most 90 in
    // 20 days, whatever the plan asks): the fleet binds and almost no truck is idle.
    let mut s = s.clone();
    s.fleet.trucks = 15;
    let sum = ensemble(&s, 2);
    let r = &sum.routes[0];
    assert!(r.dispatched_trucks <= 90.0, "{}", r.dispatched_trucks);
    assert!(r.dispatched_trucks <= r.planned_trucks + 1e-9);
    let (head, rows) = csv(&report::routes_csv(&s, &sum));
    assert_eq!(rows[0][column(&head, "route")], "P>D");
    assert_eq!(
        rows[0][column(&head, "dispatched_trucks_per_day_mean")],
        format!("{:.3}", r.dispatched_trucks / 20.0)
    );
    let idle = &sum.mean(Series::FleetState, TruckState::IdleAtSource);
    assert!(idle[10] <= 3.0, "trucks idle: {}", idle[10]);
}
