//! Uncertain inputs (docs/model.md §7c, issue 13): any numeric value written as a range,
//! checked like any value, kept by export, fixed or re-ranged by `--set`.

use std::path::Path;

use blockade::scenario::{self, Dist, Override, ScenarioError, Template, UncertainInput};

use crate::common::networks_dir;

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
}

/// Loads a bundled scenario through a template.
fn bundled(name: &str) -> Template {
    Template::load(&networks_dir().join(name)).unwrap()
}

#[test]
fn the_bundled_uncertain_scenario_differs_from_the_fixed_one_only_in_its_ranges() {
    let fixed = bundled("bamako-2025.ron");
    let unc = bundled("bamako-2025-uncertain.ron");
    let inputs = unc.uncertain();
    assert!(inputs.len() >= 15, "{} inputs", inputs.len());
    // Every uncertain input at the fixed file's value gives the fixed file's scenario.
    let sets: Vec<Override> = inputs
        .iter()
        .map(|u| Override {
            path: u.path.clone(),
            value: fixed
                .value_at(&u.path)
                .unwrap_or_else(|| panic!("bamako-2025.ron has no `{}`", u.path)),
        })
        .collect();
    let at_fixed = unc.with(&sets).unwrap().scenario;
    assert!(at_fixed.uncertain.is_empty());
    let strip = |s: &scenario::Scenario| scenario::Scenario {
        name: String::new(),
        description: String::new(),
        files: Vec::new(),
        inherited: Vec::new(),
        ..s.clone()
    };
    assert!(
        strip(&at_fixed) == strip(&fixed.base().scenario),
        "bamako-2025-uncertain.ron has drifted from bamako-2025.ron beyond its ranges"
    );
    // The headline escort step of 7 Oct is uncertain, as a count.
    let step = unc
        .uncertain()
        .iter()
        .find(|u| u.path == "events[13].effect.EscortUnits")
        .expect("the 7 Oct escort step is uncertain");
    assert!(step.integer);
    assert_eq!(step.dist, Dist::Choice(vec![4.0, 6.0, 8.0, 12.0, 16.0]));
    let s = &unc.base().scenario;
    assert_eq!(
        s.events[12].label.as_deref(),
        Some("crisis committee: more escorts")
    );
    assert_eq!(s.events[12].effect, scenario::Effect::EscortUnits(8));
    // Every field holds its input's median.
    for u in inputs {
        let v: f64 = unc.value_at(&u.path).unwrap().parse().unwrap();
        assert!(
            (v - u.median()).abs() <= 1e-9 * u.median().abs().max(1.0),
            "{}: field {v}, median {}",
            u.path,
            u.median()
        );
    }
}

#[test]
fn check_lists_the_uncertain_inputs() {
    let out = crate::common::run(&[
        "check".as_ref(),
        networks_dir().join("bamako-2025-uncertain.ron").as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("uncertain "), "{text}");
    assert!(
        text.contains("events[13].effect.EscortUnits")
            && text.contains("Choice([4, 6, 8, 12, 16]), median 8"),
        "{text}"
    );
    assert!(
        text.contains("segments[KAY-DIE].capacity_trucks_per_day"),
        "{text}"
    );
    // The fixed-value file lists none.
    let out = crate::common::run(&[
        "check".as_ref(),
        networks_dir().join("bamako-2025.ron").as_os_str(),
    ]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("uncertain "));
}

#[test]
fn an_uncertain_default_stays_one_input_through_export() {
    let l = tutorial_with(&[(
        "loss_fraction: 0.3",
        "loss_fraction: Uncertain(Uniform(0.2, 0.4))",
    )])
    .unwrap();
    let s = &l.scenario;
    assert_eq!(s.uncertain.len(), 1);
    assert!(
        s.segments
            .iter()
            .all(|g| (g.attack.loss_fraction - 0.3).abs() < 1e-12)
    );
    let text = scenario::export::to_ron(s);
    let back = scenario::load_str(&text, Path::new("exported.ron"))
        .unwrap()
        .scenario;
    assert_eq!(back.uncertain, s.uncertain, "{text}");
    // Fixing the default reaches every segment.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ron");
    std::fs::write(&path, &text).unwrap();
    let t = Template::load(&path).unwrap();
    let fixed = t
        .with(&[Override {
            path: "interdiction.loss_fraction".into(),
            value: "0.25".into(),
        }])
        .unwrap()
        .scenario;
    assert!(
        fixed
            .segments
            .iter()
            .all(|g| g.attack.loss_fraction == 0.25)
    );
}
