//! Uncertain inputs (docs/model.md §7c, issue 13): any numeric value written as a range,
//! checked like any value, kept by export, fixed or re-ranged by `--set`.

use std::path::Path;

use blockade::scenario::{self, Dist, Override, ScenarioError, Template, UncertainInput};

use crate::common::{networks_dir, root};

/// The tutorial with `edits` (pairs of text to replace) applied, loaded from a file named
/// like the tutorial so that includes and messages behave the same.
fn tutorial_with(edits: &[(&str, &str)]) -> Result<scenario::Loaded, ScenarioError> {
    let mut text = std::fs::read_to_string(networks_dir().join("tutorial.ron")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "the tutorial holds `{from}`");
        text = text.replacen(from, to, 1);
    }
    scenario::load_str(&text, &networks_dir().join("tutorial.ron"))
}

fn errors(r: Result<scenario::Loaded, ScenarioError>) -> Vec<scenario::Diagnostic> {
    match r {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics,
        Ok(_) => panic!("expected the scenario to be invalid"),
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn input<'a>(s: &'a scenario::Scenario, path: &str) -> &'a UncertainInput {
    s.uncertain
        .iter()
        .find(|u| u.path == path)
        .unwrap_or_else(|| panic!("no uncertain input `{path}` in {:?}", s.uncertain))
}

const RISK: &str = "capacity_trucks_per_day: 150, risk: 0.05";
const UNITS: &str = "effect: EscortUnits(4)";

#[test]
fn each_distribution_parses_and_the_field_holds_its_median() {
    let l = tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.02, 0.08))",
        ),
        (
            "truck_litres: 46_000",
            "truck_litres: Uncertain(Triangular(40_000, 46_000, 52_000))",
        ),
        ("factor: 6", "factor: Uncertain(LogNormal(6, 0.4))"),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([6, 2, 4])))"),
    ])
    .unwrap();
    let s = &l.scenario;
    let paths: Vec<&str> = s.uncertain.iter().map(|u| u.path.as_str()).collect();
    // File order: segments, fleet, then events.
    assert_eq!(
        paths,
        [
            "segments[KAY-BKO].risk",
            "fleet.truck_litres",
            "events[1].effect.RiskMultiplier.factor",
            "events[2].effect.EscortUnits",
        ]
    );
    let risk = input(s, "segments[KAY-BKO].risk");
    assert_eq!(risk.dist, Dist::Uniform { lo: 0.02, hi: 0.08 });
    assert!(!risk.integer);
    let kay = s.segment(s.segment_by_id("KAY-BKO").unwrap());
    assert!((kay.risk - 0.05).abs() < 1e-15, "{}", kay.risk);
    // Triangular(40k, 46k, 52k) is symmetric: median 46k.
    assert!((s.fleet.truck_litres - 46_000.0).abs() < 1e-6);
    // LogNormal(6, 0.4): median 6.
    match &s.events[0].effect {
        scenario::Effect::RiskMultiplier { factor, .. } => assert!((factor - 6.0).abs() < 1e-12),
        e => panic!("{e:?}"),
    }
    // Choice sorted, a count; the median is the middle value.
    let units = input(s, "events[2].effect.EscortUnits");
    assert_eq!(units.dist, Dist::Choice(vec![2.0, 4.0, 6.0]));
    assert!(units.integer);
    assert_eq!(s.events[1].effect, scenario::Effect::EscortUnits(4));
}

#[test]
fn every_uncertain_path_is_one_that_set_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let l = tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.02, 0.08))",
        ),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([2, 4, 6])))"),
        (
            "(name: \"essential\", litres_per_day: 500_000",
            "(name: \"essential\", litres_per_day: Uncertain(Uniform(400_000, 600_000))",
        ),
    ])
    .unwrap();
    let text = scenario::export::to_ron(&l.scenario);
    let path = dir.path().join("u.ron");
    std::fs::write(&path, &text).unwrap();
    let t = Template::load(&path).unwrap();
    assert_eq!(t.uncertain(), l.scenario.uncertain.as_slice());
    for u in t.uncertain() {
        assert!(
            t.paths().contains(&u.path),
            "`{}` not in --set paths",
            u.path
        );
    }
}

#[test]
fn set_fixes_an_uncertain_input_and_rereanges_one() {
    let dir = tempfile::tempdir().unwrap();
    let l = tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.02, 0.08))",
        ),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([2, 4, 6])))"),
    ])
    .unwrap();
    let path = dir.path().join("u.ron");
    std::fs::write(&path, scenario::export::to_ron(&l.scenario)).unwrap();
    let t = Template::load(&path).unwrap();
    assert_eq!(t.uncertain().len(), 2);
    let set = |p: &str, v: &str| Override {
        path: p.into(),
        value: v.into(),
    };
    // Fixing: the value is used and the path is no longer uncertain.
    let fixed = t
        .with(&[
            set("segments[KAY-BKO].risk", "0.07"),
            set("events[2].effect.EscortUnits", "6.0"),
        ])
        .unwrap()
        .scenario;
    assert!(fixed.uncertain.is_empty(), "{:?}", fixed.uncertain);
    let kay = fixed.segment(fixed.segment_by_id("KAY-BKO").unwrap());
    assert_eq!(kay.risk, 0.07);
    assert_eq!(fixed.events[1].effect, scenario::Effect::EscortUnits(6));
    // Re-ranging one, and making a plain one uncertain.
    let ranged = t
        .with(&[
            set("segments[KAY-BKO].risk", "Uncertain(Uniform(0.04, 0.10))"),
            set("fleet.trucks", "Uncertain(Triangular(300, 400, 600))"),
        ])
        .unwrap()
        .scenario;
    assert_eq!(
        input(&ranged, "segments[KAY-BKO].risk").dist,
        Dist::Uniform { lo: 0.04, hi: 0.10 }
    );
    let kay = ranged.segment(ranged.segment_by_id("KAY-BKO").unwrap());
    assert!((kay.risk - 0.07).abs() < 1e-12);
    let trucks = input(&ranged, "fleet.trucks");
    assert!(trucks.integer);
    assert_eq!(ranged.fleet.trucks as f64, trucks.median());
    assert_eq!(ranged.uncertain.len(), 3);
    // A bad range from the command line is refused, like one in the file.
    let bad = t.with(&[set(
        "segments[KAY-BKO].risk",
        "Uncertain(Uniform(0.5, 1.5))",
    )]);
    let d = match bad {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics,
        other => panic!("{other:?}"),
    };
    assert!(d.iter().any(|d| d.message.contains("1.5")), "{d:?}");
    let malformed = t.with(&[set("segments[KAY-BKO].risk", "Uncertain(Normal(1, 2))")]);
    assert!(malformed.is_err());
}

#[test]
fn bad_ranges_are_all_reported_with_line_and_column() {
    let d = errors(tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.5, 1.5))",
        ),
        (
            "risk: 0.01, tags",
            "risk: Uncertain(Uniform(0.03, 0.01)), tags",
        ),
        (
            "truck_litres: 46_000",
            "truck_litres: Uncertain(Triangular(40_000, 60_000, 52_000))",
        ),
        ("factor: 6", "factor: Uncertain(LogNormal(-6, 0))"),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([2, 4.5])))"),
        (
            "ration_fraction: 0.5)",
            "ration_fraction: Uncertain(Choice([])))",
        ),
    ]));
    let text = d
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let has = |words: &[&str], line: usize| {
        assert!(
            d.iter().any(|d| words.iter().all(|w| d.message.contains(w))
                && d.line_col.map(|(l, _)| l) == Some(line)),
            "no diagnostic with {words:?} on line {line} in\n{text}"
        );
    };
    has(&["`risk`", "1.5", "outside [0, 1]"], 44);
    has(&["`risk`", "lo < hi"], 45);
    has(&["`truck_litres`", "mode 60000"], 49);
    has(&["`factor`", "median -6"], 56);
    has(&["`factor`", "sigma 0"], 56);
    has(&["`EscortUnits`", "4.5 is not a whole number"], 58);
    has(&["`rationing.ration_fraction`", "empty"], 36);
    assert!(d.len() >= 7, "{text}");
}

#[test]
fn fields_that_cannot_be_uncertain_say_so() {
    for (from, to, field) in [
        (
            "horizon_days: 90",
            "horizon_days: Uncertain(Uniform(80, 100))",
            "horizon_days",
        ),
        ("lat: 14.68", "lat: Uncertain(Uniform(14, 15))", "lat"),
        (
            "priority: 1)",
            "priority: Uncertain(Choice([1, 2])))",
            "priority",
        ),
        ("(day: 30,", "(day: Uncertain(Uniform(20, 40)),", "day"),
        (
            "Fixed(2.5)",
            "Fixed(Uncertain(Uniform(2, 3)))",
            "transit_days",
        ),
    ] {
        let d = errors(tutorial_with(&[(from, to)]));
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message
                .contains(&format!("`{field}` cannot be uncertain")),
            "{field}: {}",
            d[0].message
        );
        assert!(d[0].line_col.is_some());
    }
}

#[test]
fn export_keeps_uncertain_inputs_and_round_trips() {
    let l = tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.02, 0.08))",
        ),
        (
            "loss_fraction: 0.3",
            "loss_fraction: Uncertain(Triangular(0.2, 0.3, 0.5))",
        ),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([2, 4, 6])))"),
        (
            "max_convoy: 60",
            "max_convoy: Uncertain(Choice([40, 60, 80]))",
        ),
    ])
    .unwrap();
    let s = &l.scenario;
    let ron_text = scenario::export::to_ron(s);
    assert!(
        ron_text.contains("Uncertain(Uniform(0.02, 0.08))"),
        "{ron_text}"
    );
    let back = scenario::load_str(&ron_text, Path::new("exported.ron"))
        .unwrap()
        .scenario;
    assert_eq!(back.uncertain, s.uncertain);
    assert_eq!(
        scenario::Scenario {
            files: Vec::new(),
            ..back.clone()
        },
        scenario::Scenario {
            files: Vec::new(),
            ..s.clone()
        }
    );
    // JSON too.
    let json = scenario::export::to_json(s);
    let back_json = scenario::load_str(&json, Path::new("exported.json"))
        .unwrap()
        .scenario;
    assert_eq!(back_json.uncertain, s.uncertain);
    // The fingerprint sees ranges: another range, another fingerprint, same medians.
    let other = tutorial_with(&[
        (
            RISK,
            "capacity_trucks_per_day: 150, risk: Uncertain(Uniform(0.01, 0.09))",
        ),
        (
            "loss_fraction: 0.3",
            "loss_fraction: Uncertain(Triangular(0.2, 0.3, 0.5))",
        ),
        (UNITS, "effect: EscortUnits(Uncertain(Choice([2, 4, 6])))"),
        (
            "max_convoy: 60",
            "max_convoy: Uncertain(Choice([40, 60, 80]))",
        ),
    ])
    .unwrap();
    assert_ne!(
        scenario::export::fingerprint(s),
        scenario::export::fingerprint(&other.scenario)
    );
    let _ = root();
}
