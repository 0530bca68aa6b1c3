//! One case per error and warning of the scenario format. Each case is `valid.ron` (a
//! copy of `networks/tutorial.ron`, in `tests/fixtures/`) with the one to three lines that
//! break it (`patch::Edit`, numbered as in `valid.ron`), next to the diagnostics it must
//! give: severity, the item named, key words of the message, the file and the exact line
//! and column (1-based, counted in characters, by hand from the patched text). The cases
//! of includes write their files side by side in a temporary directory.

use std::path::Path;

use blockade::scenario::{self, NodeKind, ScenarioError};

use crate::common::{Expect, check, error, fixture, load_clean, mismatch, warning};
use crate::patch::{self, Dir, Edit, Edit::InsertAfter, Edit::Replace};

/// A case: the file name it is written under, its edits of `valid.ron`, and every
/// diagnostic it must give (no more).
struct Case {
    name: &'static str,
    edits: &'static [Edit],
    expect: Vec<Expect>,
}

fn case(name: &'static str, edits: &'static [Edit], expect: Vec<Expect>) -> Case {
    Case {
        name,
        edits,
        expect,
    }
}

/// Depot SEG, with no segment leading to it (line 38 once inserted).
const SEG: &str = r#"        Depot(id: "SEG", name: "Segou", capacity_litres: 1_000_000, initial_stock_litres: 0),"#;

fn cases() -> Vec<Case> {
    vec![
        // ---- syntax ----
        case(
            "syntax_missing_comma.ron",
            patch::SYNTAX_MISSING_COMMA,
            vec![error("", &["expected comma"]).at(42, 42)],
        ),
        case(
            "syntax_wrong_type.ron",
            &[Replace(44, "risk: 0.05", "risk: high")],
            vec![error("", &["expected a number", "`high`"]).at(44, 120)],
        ),
        case(
            "unknown_field.ron",
            &[Replace(49, "trucks:", "truks:")],
            vec![error("", &["`truks`", "`Fleet`", "`trucks`"]).at(49, 13)],
        ),
        case(
            "unknown_field_in_node.ron",
            &[Replace(28, "capacity_litres", "capacity_liters")],
            vec![error("", &["`capacity_liters`", "`Depot`", "`capacity_litres`"]).at(28, 13)],
        ),
        // ---- fleet basing ----
        case(
            "fleet_share_all_zero.ron",
            &[Replace(20, "2_500_000)", "2_500_000, fleet_share: 0)")],
            vec![error("node `DKR`", &["every source's `fleet_share` is 0"]).at(20, 114)],
        ),
        case(
            "fleet_share_negative.ron",
            &[Replace(20, "2_500_000)", "2_500_000, fleet_share: -1)")],
            vec![error("node `DKR`", &["`fleet_share`", "-1"]).at(20, 114)],
        ),
        case(
            "fleet_share_on_some_sources.ron",
            &[
                Replace(20, "2_500_000)", "2_500_000, fleet_share: 3)"),
                InsertAfter(
                    20,
                    r#"        Source(id: "KRY", supply_litres_per_day: 1000),"#,
                ),
                InsertAfter(
                    46,
                    r#"        (from: "KRY", to: "KIT", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 1, risk: 0),"#,
                ),
            ],
            vec![
                error(
                    "node `KRY`",
                    &["without `fleet_share`", "`DKR`", "every source or on none"],
                )
                .at(21, 9),
            ],
        ),
        // ---- ids ----
        case(
            "segment_unknown_node.ron",
            &[Replace(44, r#"to: "BKO""#, r#"to: "BKOO""#)],
            vec![
                error(
                    "segment `KAY-BKOO`",
                    &["`to`", "unknown node `BKOO`", "did you mean `BKO`?"],
                )
                .at(44, 27),
            ],
        ),
        case(
            "duplicate_node_id.ron",
            &[InsertAfter(
                24,
                r#"        Waypoint(id: "KAY", name: "Kayes again", lat: 14.45, lon: -11.44),"#,
            )],
            vec![error("node `KAY`", &["duplicate node id"]).at(25, 9)],
        ),
        case(
            "duplicate_segment_id.ron",
            &[InsertAfter(
                46,
                r#"        (from: "KIT", to: "BKO", km: 190, transit_days: Fixed(1.0), capacity_trucks_per_day: 40, risk: 0.02),"#,
            )],
            vec![error("segment `KIT-BKO`", &["duplicate segment id"]).at(47, 9)],
        ),
        // ---- numbers ----
        case(
            "negative_km.ron",
            &[Replace(45, "km: 600", "km: -600")],
            vec![
                error(
                    "segment `TMB-KIT`",
                    &["`km` is -600", "must not be negative"],
                )
                .at(45, 38),
            ],
        ),
        case(
            "nan_supply.ron",
            &[Replace(20, "2_500_000", "NaN")],
            vec![error("node `DKR`", &["`supply_litres_per_day` is NaN"]).at(20, 90)],
        ),
        case(
            "infinite_capacity.ron",
            &[Replace(
                42,
                "capacity_trucks_per_day: 150",
                "capacity_trucks_per_day: inf",
            )],
            vec![
                error(
                    "segment `DKR-TMB`",
                    &["`capacity_trucks_per_day` is infinity", "must be finite"],
                )
                .at(42, 94),
            ],
        ),
        case(
            "risk_out_of_range.ron",
            patch::RISK_OUT_OF_RANGE,
            vec![error("segment `KAY-BKO`", &["`risk` is 1.5", "outside [0, 1]"]).at(44, 120)],
        ),
        case(
            "loss_fraction_out_of_range.ron",
            &[Replace(52, "loss_fraction: 0.3", "loss_fraction: 1.2")],
            vec![
                error(
                    "interdiction",
                    &["`loss_fraction` is 1.2", "outside [0, 1]"],
                )
                .at(52, 35),
            ],
        ),
        case(
            "initial_stock_above_capacity.ron",
            &[Replace(29, "20_000_000", "50_000_000")],
            vec![
                error(
                    "`BKO`",
                    &[
                        "`initial_stock_litres` (50000000)",
                        "greater than `capacity_litres` (40000000)",
                    ],
                )
                .at(29, 35),
            ],
        ),
        // ---- network shape ----
        case(
            "depot_unreachable.ron",
            &[InsertAfter(37, SEG)],
            vec![error("depot `SEG`", &["no source can reach this depot"]).at(38, 9)],
        ),
        case(
            "source_reaches_no_depot.ron",
            &[InsertAfter(
                20,
                r#"        Source(id: "NKC", name: "Nouakchott", supply_litres_per_day: 1_000_000),"#,
            )],
            vec![error("source `NKC`", &["reaches no depot"]).at(21, 9)],
        ),
        // ---- events ----
        case(
            "event_unknown_tag.ron",
            &[Replace(56, r#"tags: ["north"]"#, r#"tags: ["nrth"]"#)],
            vec![error("event #1", &["unknown tag `nrth`", "did you mean `north`?"]).at(56, 87)],
        ),
        case(
            "event_unknown_segment.ron",
            &[Replace(
                56,
                r#"tags: ["north"]"#,
                r#"segments: ["KAY-BK0"]"#,
            )],
            vec![
                error(
                    "event #1",
                    &["unknown segment `KAY-BK0`", "did you mean `KAY-BKO`?"],
                )
                .at(56, 91),
            ],
        ),
        case(
            "event_unknown_source.ron",
            &[Replace(
                58,
                "EscortUnits(4)",
                r#"SupplyFactor(source: "DAKAR", factor: 0.5)"#,
            )],
            vec![
                error(
                    "event #2 (SupplyFactor)",
                    &["`source`", "unknown source `DAKAR`", "did you mean `DKR`?"],
                )
                .at(58, 83),
            ],
        ),
        case(
            "event_unknown_depot.ron",
            &[Replace(60, r#""BKO""#, r#""BAMAKO""#)],
            vec![error("event #3 (Airlift)", &["`depot`", "unknown depot `BAMAKO`"]).at(60, 71)],
        ),
        case(
            "event_until_not_after_day.ron",
            &[Replace(60, "until: 60", "until: 30")],
            vec![
                error(
                    "event #3",
                    &["`until` (day 30) is not after the start (day 30)"],
                )
                .at(60, 26),
            ],
        ),
        case(
            "event_beyond_horizon.ron",
            &[Replace(60, "day: 30, until: 60", "day: 100, until: 120")],
            vec![error("event #3", &["starts on day 100", "the horizon is 90 days"]).at(60, 15)],
        ),
        case(
            "event_date_beyond_horizon.ron",
            &[Replace(58, "2025-09-10", "2025-12-10")],
            vec![error("event #2", &["starts on day 100", "the horizon is 90 days"]).at(58, 16)],
        ),
        // ---- fleet, transit, demand, horizon ----
        case(
            "zero_trucks.ron",
            patch::ZERO_TRUCKS,
            vec![error("fleet", &["`trucks` is 0"]).at(49, 21)],
        ),
        case(
            "zero_truck_litres.ron",
            &[Replace(49, "truck_litres: 46_000", "truck_litres: 0")],
            vec![error("fleet", &["`truck_litres` is 0", "greater than 0"]).at(49, 40)],
        ),
        case(
            "transit_uniform_min_above_max.ron",
            &[Replace(43, "Uniform(1.0, 2.0)", "Uniform(2.0, 1.0)")],
            vec![error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57)],
        ),
        case(
            "transit_triangular_mode_above_max.ron",
            &[Replace(
                44,
                "Triangular(2.0, 2.5, 4.0)",
                "Triangular(2.0, 4.5, 4.0)",
            )],
            vec![
                error(
                    "segment `KAY-BKO`",
                    &["Triangular(2, 4.5, 4)", "min <= mode <= max"],
                )
                .at(44, 57),
            ],
        ),
        case(
            "duplicate_demand_class.ron",
            &[Replace(33, r#""households""#, r#""transport""#)],
            vec![
                error(
                    "depot `BKO` class `transport`",
                    &["duplicate demand class name"],
                )
                .at(33, 17),
            ],
        ),
        case(
            "horizon_zero.ron",
            patch::HORIZON_ZERO,
            vec![error("", &["`horizon_days` is 0"]).at(14, 19)],
        ),
        // ---- warnings: the scenario still loads ----
        case(
            "risk_one.ron",
            patch::RISK_ONE,
            vec![warning("segment `KAY-BKO`", &["`risk` is exactly 1.0"]).at(44, 120)],
        ),
        case(
            "segment_on_no_path.ron",
            patch::SEGMENT_ON_NO_PATH,
            vec![
                warning(
                    "segment `BKO-NIO`",
                    &["on no path from a source to a depot"],
                )
                .at(48, 9),
            ],
        ),
        case(
            "zero_supply.ron",
            patch::ZERO_SUPPLY,
            vec![warning("node `DKR`", &["zero supply"]).at(20, 90)],
        ),
        // ---- all at once ----
        case(
            "several_errors.ron",
            patch::SEVERAL_ERRORS,
            vec![
                warning("node `DKR`", &["zero supply"]).at(20, 90),
                error("node `TMB`", &["`lat` is 95", "outside [-90, 90]"]).at(22, 55),
                error("`BKO`", &["`initial_stock_litres`", "`capacity_litres`"]).at(29, 35),
                error("depot `BKO` class `transport`", &["duplicate demand class"]).at(33, 17),
                error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57),
                error("segment `KAY-BKO`", &["`risk` is 1.5"]).at(44, 120),
                error("fleet", &["`trucks` is 0"]).at(49, 21),
                error("event #3", &["unknown depot `BAMAKO`"]).at(60, 71),
            ],
        ),
        case(
            // An unreachable depot is reported alongside a bad transit.
            "bad_transit_and_unreachable_depot.ron",
            &[
                InsertAfter(37, SEG),
                Replace(43, "Uniform(1.0, 2.0)", "Uniform(2.0, 1.0)"),
            ],
            vec![
                error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(44, 57),
                error("depot `SEG`", &["no source can reach this depot"]).at(38, 9),
            ],
        ),
        case(
            // An event naming a segment with a bad transit does not call it unknown.
            "event_names_segment_with_bad_transit.ron",
            &[
                Replace(43, "Uniform(1.0, 2.0)", "Uniform(2.0, 1.0)"),
                Replace(
                    56,
                    r#"RiskMultiplier(tags: ["north"], factor: 6)"#,
                    r#"Close(segments: ["TMB-KAY"])"#,
                ),
            ],
            vec![error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57)],
        ),
    ]
}

#[test]
fn valid_fixture_has_no_diagnostic() {
    check("valid.ron", &[]);
}

#[test]
fn every_case_gives_exactly_its_diagnostics() {
    let dir = Dir::new();
    let mut failures = Vec::new();
    let cases = cases();
    let mut names = std::collections::BTreeSet::new();
    for c in &cases {
        assert!(names.insert(c.name), "two cases named {}", c.name);
        let path = dir.patched(c.name, c.edits);
        if let Err(why) = mismatch(&path, &c.expect) {
            failures.push(why);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn syntax_error_in_json() {
    check(
        "syntax_error.json",
        &[error("", &["expected `,` or `}`"]).at(5, 29)],
    );
}

// ---- includes ----

#[test]
fn include_cycle_is_an_error() {
    let dir = Dir::new();
    let (a, _) = patch::include_cycle(&dir);
    let why = mismatch(
        &a,
        &[error(
            "include `include_cycle_a.ron`",
            &["include cycle: include_cycle_a.ron -> include_cycle_b.ron -> include_cycle_a.ron"],
        )
        .in_file("include_cycle_b.ron")
        .at(4, 15)],
    );
    assert_eq!(why, Ok(()));
}

#[test]
fn include_cycle_is_an_error_from_either_end() {
    let dir = Dir::new();
    let (_, b) = patch::include_cycle(&dir);
    let why = mismatch(
        &b,
        &[error(
            "include `include_cycle_b.ron`",
            &["include cycle: include_cycle_b.ron -> include_cycle_a.ron -> include_cycle_b.ron"],
        )
        .in_file("include_cycle_a.ron")
        .at(11, 15)],
    );
    assert_eq!(why, Ok(()));
}

#[test]
fn missing_include_is_an_error() {
    let (_dir, path) = patch::patched("include_missing.ron", patch::INCLUDE_MISSING);
    let why = mismatch(
        &path,
        &[error(
            "include `no_such_file.ron`",
            &["cannot open", "no_such_file.ron"],
        )
        .at(11, 15)],
    );
    assert_eq!(why, Ok(()));
}

#[test]
fn errors_are_placed_in_the_file_that_has_them() {
    let dir = Dir::new();
    dir.patched("risk_out_of_range.ron", patch::RISK_OUT_OF_RANGE);
    // Itself sets a fleet of zero trucks (line 6).
    let main = dir.write(
        "include_errors_in_both.ron",
        r#"// includes risk_out_of_range.ron (risk 1.5 on its line 44)
//
Scenario(
    include: ["risk_out_of_range.ron"],
    name: "errors-in-both",
    fleet: (trucks: 0),
)
"#,
    );
    let why = mismatch(
        &main,
        &[
            error("segment `KAY-BKO`", &["`risk` is 1.5"])
                .in_file("risk_out_of_range.ron")
                .at(44, 120),
            error("fleet", &["`trucks` is 0"]).at(6, 21),
        ],
    );
    assert_eq!(why, Ok(()));
}

#[test]
fn include_override_replaces_a_node_in_place_and_one_fleet_field() {
    let base = load_clean(&fixture("valid.ron")).scenario;
    let loaded = load_clean(&fixture("include_override.ron"));
    let s = &loaded.scenario;

    assert_eq!(s.name, "include-override");
    assert_eq!(
        s.files,
        vec![fixture("include_override.ron"), fixture("valid.ron")],
        "main file first, then the include"
    );
    // Fleet: `trucks` overridden, `truck_litres` kept from the include.
    assert_eq!(s.fleet.trucks, 250);
    assert_eq!(s.fleet.truck_litres, 46_000.0);
    // The depot is replaced whole, in place (still the 5th node).
    let ids: Vec<&str> = s.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["DKR", "TMB", "KAY", "KIT", "BKO"]);
    let bko = s.node(s.node_by_id("BKO").unwrap());
    assert_eq!(bko.name, "Bamako (enlarged)");
    assert_eq!(bko.lat, None, "replaced whole: the include's lat is gone");
    let NodeKind::Depot(d) = &bko.kind else {
        panic!("BKO is not a depot: {bko:?}");
    };
    assert_eq!(d.capacity_litres, 60_000_000.0);
    assert_eq!(d.initial_stock_litres, 30_000_000.0);
    assert_eq!(d.demand.len(), 1);
    assert_eq!(d.demand[0].name, "essential");
    assert_eq!(d.demand[0].litres_per_day, 700_000.0);
    assert_eq!(d.rationing.trigger_days, 5.0, "default rationing");
    assert_eq!(d.rationing.ration_fraction, 0.5);
    // Everything else comes from the include, unchanged.
    assert_eq!(s.nodes[..4], base.nodes[..4]);
    assert_eq!(s.segments, base.segments);
    assert_eq!(s.events, base.events);
    assert_eq!(s.horizon_days, base.horizon_days);
    assert_eq!(s.start_date, base.start_date);
    assert_eq!(s.seed, base.seed);
    assert_eq!(s.replications, base.replications);
    assert_eq!(s.description, base.description);
    assert_eq!(s.dispatch, base.dispatch);
    assert_eq!(s.escorts, base.escorts);
    assert_eq!(s.interdiction, base.interdiction);
}

// ---- positions: characters, CRLF ----

#[test]
fn columns_count_characters_not_bytes() {
    // "Kïta" has a two-byte character before the bad value.
    let text = std::fs::read_to_string(fixture("valid.ron"))
        .unwrap()
        .replace(r#"name: "Kita", lat: 13.04"#, r#"name: "Kïta", lat: 93.04"#);
    let diags = invalid(&text, &fixture("non_ascii.ron"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].subject.as_deref(), Some("node `KIT`"));
    assert_eq!(diags[0].line_col, Some((24, 48)));
}

#[test]
fn syntax_columns_count_characters_not_bytes() {
    let text = std::fs::read_to_string(fixture("valid.ron"))
        .unwrap()
        .replace(r#"name: "Kita", lat"#, r#"name: "Kïta" lat"#);
    let diags = invalid(&text, &fixture("non_ascii.ron"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(diags[0].message.contains("expected comma"), "{diags:?}");
    assert_eq!(diags[0].line_col, Some((24, 42)));
}

#[test]
fn crlf_line_endings_give_the_same_positions() {
    let text = patch::apply(patch::RISK_OUT_OF_RANGE).replace('\n', "\r\n");
    let diags = invalid(&text, &fixture("crlf.ron"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line_col, Some((44, 120)));
    let line = diags[0].source_line.as_deref().unwrap();
    assert!(line.ends_with(r#"tags: ["north"]),"#), "no \\r: {line:?}");
}

/// Loads `text` as the file `path` (not written) and returns its diagnostics; it must be
/// invalid.
fn invalid(text: &str, path: &Path) -> Vec<blockade::scenario::Diagnostic> {
    match scenario::load_str(text, path) {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics,
        other => panic!("expected an invalid scenario, got {other:?}"),
    }
}

#[test]
fn unreadable_main_file_is_an_io_error() {
    let path = fixture("no_such_fixture.ron");
    match scenario::load(&path) {
        Err(ScenarioError::Io { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected Io, got {other:?}"),
    }
}
