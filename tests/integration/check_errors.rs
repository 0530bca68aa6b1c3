//! One test per error and warning of the scenario format, each on its own fixture in
//! `tests/fixtures/` (a copy of `networks/tutorial.ron` with exactly that problem). Each
//! asserts severity, the item named, key words of the message, the file and the exact
//! line and column (1-based, counted in characters, by hand from the fixture).

use std::path::Path;

use blockade::scenario::{self, NodeKind, ScenarioError};

use crate::common::{check, error, fixture, load_clean, warning};

#[test]
fn valid_fixture_has_no_diagnostic() {
    check("valid.ron", &[]);
}

// ---- syntax ----

#[test]
fn syntax_error_gives_line_column_and_what_was_expected() {
    check(
        "syntax_missing_comma.ron",
        &[error("", &["expected comma"]).at(42, 42)],
    );
}

#[test]
fn syntax_error_in_json() {
    check(
        "syntax_error.json",
        &[error("", &["expected `,` or `}`"]).at(5, 29)],
    );
}

#[test]

fn syntax_error_wrong_type_points_at_the_value() {
    check(
        "syntax_wrong_type.ron",
        &[error("", &["expected a number", "`high`"]).at(44, 120)],
    );
}

#[test]
fn syntax_error_wrong_type_is_reported() {
    check(
        "syntax_wrong_type.ron",
        &[error("", &["expected a number"]).anywhere()],
    );
}

#[test]
fn unknown_field_is_an_error() {
    check(
        "unknown_field.ron",
        &[error("", &["`truks`", "`Fleet`", "`trucks`"]).at(49, 13)],
    );
}

#[test]
fn unknown_field_in_a_node_is_an_error() {
    check(
        "unknown_field_in_node.ron",
        &[error("", &["`capacity_liters`", "`Depot`", "`capacity_litres`"]).at(28, 13)],
    );
}

// ---- ids ----

#[test]
fn segment_referencing_a_missing_node() {
    check(
        "segment_unknown_node.ron",
        &[error(
            "segment `KAY-BKOO`",
            &["`to`", "unknown node `BKOO`", "did you mean `BKO`?"],
        )
        .at(44, 27)],
    );
}

#[test]
fn duplicate_node_id_is_reported() {
    check(
        "duplicate_node_id.ron",
        &[error("node `KAY`", &["duplicate node id"]).anywhere()],
    );
}

#[test]

fn duplicate_node_id_is_located_at_the_second_definition() {
    check(
        "duplicate_node_id.ron",
        &[error("node `KAY`", &["duplicate node id"]).at(25, 9)],
    );
}

#[test]
fn duplicate_segment_id_is_reported() {
    check(
        "duplicate_segment_id.ron",
        &[error("segment `KIT-BKO`", &["duplicate segment id"]).anywhere()],
    );
}

#[test]

fn duplicate_segment_id_is_located_at_the_second_definition() {
    check(
        "duplicate_segment_id.ron",
        &[error("segment `KIT-BKO`", &["duplicate segment id"]).at(47, 9)],
    );
}

// ---- numbers ----

#[test]
fn negative_number() {
    check(
        "negative_km.ron",
        &[error(
            "segment `TMB-KIT`",
            &["`km` is -600", "must not be negative"],
        )
        .at(45, 38)],
    );
}

#[test]
fn nan_number() {
    check(
        "nan_supply.ron",
        &[error("node `DKR`", &["`supply_litres_per_day` is NaN"]).at(20, 90)],
    );
}

#[test]
fn infinite_number() {
    check(
        "infinite_capacity.ron",
        &[error(
            "segment `DKR-TMB`",
            &["`capacity_trucks_per_day` is infinity", "must be finite"],
        )
        .at(42, 94)],
    );
}

#[test]
fn probability_above_one_on_a_segment() {
    check(
        "risk_out_of_range.ron",
        &[error("segment `KAY-BKO`", &["`risk` is 1.5", "outside [0, 1]"]).at(44, 120)],
    );
}

#[test]
fn probability_above_one_in_interdiction() {
    check(
        "loss_fraction_out_of_range.ron",
        &[error(
            "interdiction",
            &["`loss_fraction` is 1.2", "outside [0, 1]"],
        )
        .at(52, 35)],
    );
}

#[test]
fn initial_stock_above_capacity() {
    check(
        "initial_stock_above_capacity.ron",
        &[error(
            "`BKO`",
            &[
                "`initial_stock_litres` (50000000)",
                "greater than `capacity_litres` (40000000)",
            ],
        )
        .at(29, 35)],
    );
}

// ---- network shape ----

#[test]
fn depot_unreachable_from_every_source() {
    check(
        "depot_unreachable.ron",
        &[error("depot `SEG`", &["no source can reach this depot"]).at(38, 9)],
    );
}

#[test]
fn source_reaching_no_depot() {
    check(
        "source_reaches_no_depot.ron",
        &[error("source `NKC`", &["reaches no depot"]).at(21, 9)],
    );
}

// ---- events ----

#[test]
fn event_unknown_tag() {
    check(
        "event_unknown_tag.ron",
        &[error("event #1", &["unknown tag `nrth`", "did you mean `north`?"]).at(56, 87)],
    );
}

#[test]
fn event_unknown_segment() {
    check(
        "event_unknown_segment.ron",
        &[error(
            "event #1",
            &["unknown segment `KAY-BK0`", "did you mean `KAY-BKO`?"],
        )
        .at(56, 91)],
    );
}

#[test]
fn event_unknown_source() {
    check(
        "event_unknown_source.ron",
        &[error(
            "event #2 (SupplyFactor)",
            &["`source`", "unknown source `DAKAR`", "did you mean `DKR`?"],
        )
        .at(58, 83)],
    );
}

#[test]
fn event_unknown_depot() {
    check(
        "event_unknown_depot.ron",
        &[error("event #3 (Airlift)", &["`depot`", "unknown depot `BAMAKO`"]).at(60, 71)],
    );
}

#[test]
fn event_until_not_after_day() {
    check(
        "event_until_not_after_day.ron",
        &[error(
            "event #3",
            &["`until` (day 30) is not after the start (day 30)"],
        )
        .at(60, 26)],
    );
}

#[test]
fn event_beyond_the_horizon() {
    check(
        "event_beyond_horizon.ron",
        &[error("event #3", &["starts on day 100", "the horizon is 90 days"]).at(60, 15)],
    );
}

#[test]
fn event_dated_beyond_the_horizon_is_reported() {
    check(
        "event_date_beyond_horizon.ron",
        &[error("event #2", &["starts on day 100", "the horizon is 90 days"]).anywhere()],
    );
}

#[test]

fn event_dated_beyond_the_horizon_points_at_the_date() {
    check(
        "event_date_beyond_horizon.ron",
        &[error("event #2", &["starts on day 100", "the horizon is 90 days"]).at(58, 16)],
    );
}

// ---- fleet, transit, demand, horizon ----

#[test]
fn zero_trucks() {
    check(
        "zero_trucks.ron",
        &[error("fleet", &["`trucks` is 0"]).at(49, 21)],
    );
}

#[test]
fn zero_truck_size() {
    check(
        "zero_truck_litres.ron",
        &[error("fleet", &["`truck_litres` is 0", "greater than 0"]).at(49, 40)],
    );
}

#[test]
fn transit_uniform_min_above_max() {
    check(
        "transit_uniform_min_above_max.ron",
        &[error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57)],
    );
}

#[test]
fn transit_triangular_mode_above_max() {
    check(
        "transit_triangular_mode_above_max.ron",
        &[error(
            "segment `KAY-BKO`",
            &["Triangular(2, 4.5, 4)", "min <= mode <= max"],
        )
        .at(44, 57)],
    );
}

#[test]
fn duplicate_demand_class_is_reported() {
    check(
        "duplicate_demand_class.ron",
        &[error(
            "depot `BKO` class `transport`",
            &["duplicate demand class name"],
        )
        .anywhere()],
    );
}

#[test]

fn duplicate_demand_class_is_located_at_the_duplicate() {
    check(
        "duplicate_demand_class.ron",
        &[error(
            "depot `BKO` class `transport`",
            &["duplicate demand class name"],
        )
        .at(33, 17)],
    );
}

#[test]
fn horizon_of_zero_days() {
    check(
        "horizon_zero.ron",
        &[error("", &["`horizon_days` is 0"]).at(14, 19)],
    );
}

// ---- warnings: the scenario still loads ----

#[test]
fn warning_risk_of_exactly_one() {
    check(
        "risk_one.ron",
        &[warning("segment `KAY-BKO`", &["`risk` is exactly 1.0"]).at(44, 120)],
    );
}

#[test]
fn warning_segment_on_no_source_to_depot_path() {
    check(
        "segment_on_no_path.ron",
        &[warning(
            "segment `BKO-NIO`",
            &["on no path from a source to a depot"],
        )
        .at(48, 9)],
    );
}

#[test]
fn warning_source_with_zero_supply() {
    check(
        "zero_supply.ron",
        &[warning("node `DKR`", &["zero supply"]).at(20, 90)],
    );
}

// ---- all at once ----

#[test]
fn every_semantic_error_is_reported_in_one_run() {
    check(
        "several_errors.ron",
        &[
            warning("node `DKR`", &["zero supply"]).at(20, 90),
            error("node `TMB`", &["`lat` is 95", "outside [-90, 90]"]).at(22, 55),
            error("`BKO`", &["`initial_stock_litres`", "`capacity_litres`"]).at(29, 35),
            error("depot `BKO` class `transport`", &["duplicate demand class"]).anywhere(),
            error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57),
            error("segment `KAY-BKO`", &["`risk` is 1.5"]).at(44, 120),
            error("fleet", &["`trucks` is 0"]).at(49, 21),
            error("event #3", &["unknown depot `BAMAKO`"]).at(60, 71),
        ],
    );
}

#[test]

fn unreachable_depot_is_reported_alongside_a_bad_transit() {
    check(
        "bad_transit_and_unreachable_depot.ron",
        &[
            error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(44, 57),
            error("depot `SEG`", &["no source can reach this depot"]).at(38, 9),
        ],
    );
}

#[test]

fn event_naming_a_segment_with_a_bad_transit_is_not_unknown() {
    check(
        "event_names_segment_with_bad_transit.ron",
        &[error("segment `TMB-KAY`", &["Uniform(2, 1)", "min > max"]).at(43, 57)],
    );
}

// ---- includes ----

#[test]
fn include_cycle_is_an_error() {
    check(
        "include_cycle_a.ron",
        &[error(
            "include `include_cycle_a.ron`",
            &["include cycle: include_cycle_a.ron -> include_cycle_b.ron -> include_cycle_a.ron"],
        )
        .in_file("include_cycle_b.ron")
        .at(4, 15)],
    );
}

#[test]
fn include_cycle_is_an_error_from_either_end() {
    check(
        "include_cycle_b.ron",
        &[error(
            "include `include_cycle_b.ron`",
            &["include cycle: include_cycle_b.ron -> include_cycle_a.ron -> include_cycle_b.ron"],
        )
        .in_file("include_cycle_a.ron")
        .at(11, 15)],
    );
}

#[test]
fn missing_include_is_an_error() {
    check(
        "include_missing.ron",
        &[error(
            "include `no_such_file.ron`",
            &["cannot open", "no_such_file.ron"],
        )
        .at(11, 15)],
    );
}

#[test]
fn errors_are_placed_in_the_file_that_has_them() {
    check(
        "include_errors_in_both.ron",
        &[
            error("segment `KAY-BKO`", &["`risk` is 1.5"])
                .in_file("risk_out_of_range.ron")
                .at(44, 120),
            error("fleet", &["`trucks` is 0"]).at(6, 21),
        ],
    );
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
    let text = std::fs::read_to_string(fixture("risk_out_of_range.ron"))
        .unwrap()
        .replace('\n', "\r\n");
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
