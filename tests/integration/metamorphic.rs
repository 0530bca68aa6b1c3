//! The metamorphic relations of docs/model.md §7b: on common random numbers, a change that makes
//! things harder never lowers the unmet demand of the protected classes nor the total
//! unmet demand, and the reverse change never raises them, within 3 paired standard errors
//! or 1 % of the base value, whichever is larger.
//!
//! One table: (scenario, change, direction). Adding a relation is one line. Bamako and the
//! tutorial run 200 replications per ensemble, the generated scenarios 150; a relation once
//! broken by a small effect runs as many as showed the break ([`CLOSE_CALLS`]). Every
//! corridor (tag) of Bamako is also closed in turn, and every port's supply cut. The
//! relations known to be broken are listed ([`KNOWN_VIOLATIONS`]): the test checks that
//! each still is, so that mending one shows, and the README and docs/model-notes.md say so.

use blockade::ensemble::{self, Options, Summary};
use blockade::network::Network;
use blockade::scenario::{Effect, Event, Scenario, Targets};

use super::common;

/// Which way a change should move unmet demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Harder conditions: unmet demand must not fall.
    Worse,
    /// Easier conditions: unmet demand must not rise.
    Better,
}

type Change = fn(&mut Scenario);

fn load(name: &str) -> Scenario {
    blockade::scenario::load(&common::networks_dir().join(name))
        .unwrap()
        .scenario
}

/// Closes `targets` from day 0 to the end.
fn close_from_day_0(s: &mut Scenario, targets: Targets) {
    s.events.push(Event {
        day: 0.0,
        until: None,
        label: None,
        effect: Effect::Close { targets },
    });
}

fn close(s: &mut Scenario, id: &str) {
    let seg = s.segment_by_id(id).unwrap();
    close_from_day_0(
        s,
        Targets {
            tags: Vec::new(),
            segments: vec![id.to_string()],
            resolved: vec![seg],
        },
    );
}

fn risk(s: &mut Scenario, id: &str, factor: f64) {
    let seg = s.segment_by_id(id).unwrap();
    let r = &mut s.segments[seg.index()].risk;
    *r = (*r * factor).min(0.95);
}

fn escort_units(s: &mut Scenario, delta: i64) {
    for e in &mut s.events {
        if let Effect::EscortUnits(n) = &mut e.effect {
            *n = (i64::from(*n) + delta).max(0) as u32;
        }
    }
    s.escorts.units = (i64::from(s.escorts.units) + delta).max(0) as u32;
}

fn multipliers(s: &mut Scenario, f: f64) {
    for e in &mut s.events {
        if let Effect::RiskMultiplier { factor, .. } = &mut e.effect {
            *factor *= f;
        }
    }
}

fn supply(s: &mut Scenario, f: f64) {
    for n in &mut s.nodes {
        if let blockade::scenario::NodeKind::Source {
            supply_litres_per_day,
            ..
        } = &mut n.kind
        {
            *supply_litres_per_day *= f;
        }
    }
}

fn demand(s: &mut Scenario, f: f64) {
    for n in &mut s.nodes {
        if let blockade::scenario::NodeKind::Depot(d) = &mut n.kind {
            for c in &mut d.demand {
                c.litres_per_day *= f;
            }
        }
    }
}

/// Relations that were broken by an effect too small to show at 200 replications, checked
/// with as many as showed it: (file, label, base set-up, change, way, replications).
const CLOSE_CALLS: &[(&str, &str, Change, Change, Way, u64)] = &[
    (
        // Broken until a route's first escorted convoy waited for a period's trucks: a small
        // route (Niamey, Nouakchott, Lomé) sent its first truck at once under escort, the escort
        // held for a whole cycle (up to 21 days for one truck), and Abidjan's convoys, moved
        // onto the escorted Zégoua road by the better escorts, queued for the units. The
        // protected classes' unmet demand rose from 1,300 to 4,900 L over 4,000 paired
        // replications (+3,600 L, paired SE 930, allowed 2,800); then +1,700 L, paired SE 670
        // (2.5 standard errors). With escorted convoys leaving at the nearest tick: 800 ->
        // 1,500 L, +770 L, paired SE 430, allowed 1,300 (1.8 standard errors: a small rise
        // remained, within the tolerance). Now, with the protected cover and routes served
        // in decreasing value: 900 -> 700 L, -190 L, paired SE 120 (no rise).
        "bamako-2025.ron",
        "escorts risk 0.8 -> 0.3",
        |s| s.escorts.risk_factor = 0.8,
        |s| s.escorts.risk_factor = 0.3,
        Way::Better,
        4000,
    ),
    (
        // Broken until an escorted convoy left at the departure tick nearest its due time
        // instead of the first at or after it: Niamey's share of the escort units lowered
        // Abidjan's convoy rate from one per 3-day tick to a period of 3.015 days, and while
        // such a plan was in force its convoys left every 6 days. Closing the Niamey road
        // lowered the total unmet demand by 2.7 M L (1,000 paired replications, paired SE
        // 0.35 M L, allowed 1.2 M L); then it raised it by 0.8 M L (paired SE 0.26 M L).
        // Now, with the protected cover and routes served in decreasing value, it raises it
        // by 0.4 M L (paired SE 0.21 M L).
        "bamako-2025.ron",
        "close the Niamey road",
        |_| {},
        |s| close_tag(s, "niamey"),
        Way::Worse,
        1000,
    ),
    (
        // Broken while Bamako left its tankers split in proportion to supply: the cut moved
        // Niamey's 13 tankers to ports where they carry more, and the total unmet demand
        // fell by 1.7 M L (1,000 paired replications, paired SE 0.40 M L, allowed 1.2 M L).
        // Bamako now states its basing (`fleet_share`), and the tankers stay at Niamey: the
        // cut raises the total unmet demand by 0.35 M L (paired SE 0.20 M L).
        "bamako-2025.ron",
        "cut Niamey's supply to 1,000 L a day",
        |_| {},
        |s| set_supply(s, "NIM", 1000.0),
        Way::Worse,
        1000,
    ),
];

fn close_tag(s: &mut Scenario, tag: &str) {
    let resolved = s.tags().get(tag).cloned().unwrap_or_default();
    close_from_day_0(
        s,
        Targets {
            tags: vec![tag.to_string()],
            segments: Vec::new(),
            resolved,
        },
    );
}

/// Relations known to be broken, checked at the replications that show them: the test
/// fails if one holds (then move it to [`CLOSE_CALLS`] or the tables). (label, base
/// scenario, change, way, measure index: 0 protected, 1 total unmet, replications.)
///
/// With the default basing (the tankers split in proportion to supply, docs/model.md §9),
/// cutting a port's supply in the file also moves its tankers: Bamako without its stated
/// `fleet_share`s, with Niamey's supply cut to 1,000 L a day, has 2.1 M L less total unmet
/// demand (1,000 paired replications, paired SE 0.35 M L; allowed 1.1 M L), because
/// Niamey's 13 tankers go to ports where they carry more. Bamako states its basing, so the
/// same cut there leaves them at Niamey and holds ([`every_port_of_bamako_cut_moves_the_right_way`]).
type Base = fn() -> Scenario;

const KNOWN_VIOLATIONS: &[(&str, Base, Change, Way, usize, u64)] = &[(
    "bamako-2025.ron, default basing: cut Niamey's supply to 1,000 L a day",
    || default_basing(load("bamako-2025.ron")),
    |s| set_supply(s, "NIM", 1000.0),
    Way::Worse,
    1,
    1000,
)];

/// `s` with its stated `fleet_share`s taken away: the tankers split in proportion to supply.
fn default_basing(mut s: Scenario) -> Scenario {
    for n in &mut s.nodes {
        if let blockade::scenario::NodeKind::Source { fleet_share, .. } = &mut n.kind {
            *fleet_share = None;
        }
    }
    s
}

/// Sets the supply of source `id` in the scenario itself (as `--set
/// nodes[ID].supply_litres_per_day=` does), not by an event.
fn set_supply(s: &mut Scenario, id: &str, litres_per_day: f64) {
    let n = s.nodes.iter_mut().find(|n| n.id == id).unwrap();
    let blockade::scenario::NodeKind::Source {
        supply_litres_per_day,
        ..
    } = &mut n.kind
    else {
        panic!("{id} is not a source")
    };
    *supply_litres_per_day = litres_per_day;
}

/// Relations from a base that is itself a changed scenario: (file, label, base set-up,
/// change, way).
const RELATIONS_FROM: &[(&str, &str, Change, Change, Way)] = &[
    (
        // Broken until a route that a replan drops and takes back kept its escorted-convoy
        // rhythm: every return sent a convoy of a few trucks at once, each holding an
        // escort for a whole cycle, and the first-come-first-served escort queue these
        // started with 2 units from day 0 was never cleared (1,000 paired replications:
        // total unmet -2.18 M L without the 2 units, paired SE 0.63 M L).
        "bamako-2025.ron",
        "2 escort units on day 0 -> none",
        |s| s.escorts.units = 2,
        |s| s.escorts.units = 0,
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "2 escort units on day 0 -> 4",
        |s| s.escorts.units = 2,
        |s| s.escorts.units = 4,
        Way::Better,
    ),
    (
        // Broken until the plan charged a lost tanker for as long as it stays missing (half
        // the horizon when lost tankers are not replaced): at 30 days the plan kept sending
        // trucks down the Kayes road at 0.1, and the fleet they burned was short later.
        "bamako-2025.ron",
        "Kayes–Diéma risk 0.1 -> 0.2",
        |s| risk_to(s, "KAY-DIE", 0.1),
        |s| risk_to(s, "KAY-DIE", 0.2),
        Way::Worse,
    ),
];

fn risk_to(s: &mut Scenario, id: &str, value: f64) {
    let seg = s.segment_by_id(id).unwrap();
    s.segments[seg.index()].risk = value;
}

/// The relations, per scenario file: what changes and which way it must move.
const RELATIONS: &[(&str, &str, Change, Way)] = &[
    (
        "bamako-2025.ron",
        "close Diboli–Kayes",
        |s| close(s, "DIB-KAY"),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "close Nioro–Diéma",
        |s| close(s, "NIO-DIE"),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "Kayes–Diéma risk x10",
        |s| risk(s, "KAY-DIE", 10.0),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "blockade multipliers x2",
        |s| multipliers(s, 2.0),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "blockade multipliers x0.5",
        |s| multipliers(s, 0.5),
        Way::Better,
    ),
    (
        "bamako-2025.ron",
        "2 escort units fewer",
        |s| escort_units(s, -2),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "4 escort units more",
        |s| escort_units(s, 4),
        Way::Better,
    ),
    (
        "bamako-2025.ron",
        "escorts weaker (risk 0.8)",
        |s| s.escorts.risk_factor = 0.8,
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "escorts stronger (risk 0.3)",
        |s| s.escorts.risk_factor = 0.3,
        Way::Better,
    ),
    (
        "bamako-2025.ron",
        "escorts lose more (loss 1.0)",
        |s| s.escorts.loss_factor = 1.0,
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "a third of the trucks fewer",
        |s| s.fleet.trucks = s.fleet.trucks * 2 / 3,
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "supply -20 %",
        |s| supply(s, 0.8),
        Way::Worse,
    ),
    (
        "bamako-2025.ron",
        "demand +20 %",
        |s| demand(s, 1.2),
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "close Kayes–Bamako",
        |s| close(s, "KAY-BKO"),
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "Kita risk x5",
        |s| risk(s, "KIT-BKO", 5.0),
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "no escort units",
        |s| escort_units(s, -100),
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "escorts weaker (risk 0.9)",
        |s| s.escorts.risk_factor = 0.9,
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "half the trucks",
        |s| s.fleet.trucks /= 2,
        Way::Worse,
    ),
    (
        "tutorial.ron",
        "supply x1.5",
        |s| supply(s, 1.5),
        Way::Better,
    ),
];

/// Protected and total unmet demand of each replication.
fn measures(s: &Scenario, sum: &Summary) -> [Vec<f64>; 2] {
    let protected: Vec<bool> = sum
        .layout
        .classes
        .iter()
        .map(|&(d, c)| {
            let depot = s.depot(sum.layout.depots[d.index()]).unwrap();
            depot.demand[c].priority <= depot.rationing.protected_priority
        })
        .collect();
    let p = sum
        .rows
        .iter()
        .map(|r| {
            r.unmet
                .iter()
                .zip(&protected)
                .filter(|(_, p)| **p)
                .map(|(u, _)| u)
                .sum()
        })
        .collect();
    let t = sum.rows.iter().map(|r| r.unmet.iter().sum()).collect();
    [p, t]
}

fn ensemble(s: &Scenario, n: u64) -> Summary {
    let opts = Options {
        replications: n,
        ..Options::from_scenario(s)
    };
    ensemble::run(s, &Network::build(s), &opts, &|_| {}).unwrap()
}

/// The violations of `way` between `base` and `changed` on the two measures, as messages.
fn violations(label: &str, base: &Scenario, changed: &Scenario, n: u64, way: Way) -> Vec<String> {
    let a = measures(base, &ensemble(base, n));
    let b = measures(changed, &ensemble(changed, n));
    let mut out = Vec::new();
    for (k, name) in ["protected unmet", "total unmet"].iter().enumerate() {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let diff = mean(&b[k]) - mean(&a[k]);
        let se = ensemble::paired_se(&a[k], &b[k]);
        let bound = (3.0 * se).max(0.01 * mean(&a[k]).abs());
        let bad = match way {
            Way::Worse => diff < -bound,
            Way::Better => diff > bound,
        };
        if bad {
            out.push(format!(
                "{label}: {name} moved {diff:+.0} L (base {:.0} L, paired SE {se:.0}, allowed {bound:.0}) — expected {way:?}",
                mean(&a[k])
            ));
        }
    }
    out
}

/// The violations of `way` when `change` is made to `base` (see [`violations`]).
fn violations_of(
    label: &str,
    base: &Scenario,
    change: impl FnOnce(&mut Scenario),
    n: u64,
    way: Way,
) -> Vec<String> {
    let mut changed = base.clone();
    change(&mut changed);
    violations(label, base, &changed, n, way)
}

#[test]
fn bundled_scenarios_move_the_right_way() {
    let mut failures = Vec::new();
    for (file, label, change, way) in RELATIONS {
        let base = load(file);
        failures.extend(violations_of(
            &format!("{file}: {label}"),
            &base,
            *change,
            200,
            *way,
        ));
    }
    for (file, label, setup, change, way) in RELATIONS_FROM {
        let mut base = load(file);
        setup(&mut base);
        failures.extend(violations_of(
            &format!("{file}: {label}"),
            &base,
            *change,
            200,
            *way,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn close_calls_hold_at_the_replications_that_showed_them() {
    let mut failures = Vec::new();
    for (file, label, setup, change, way, n) in CLOSE_CALLS {
        let mut base = load(file);
        setup(&mut base);
        failures.extend(violations_of(
            &format!("{file}: {label} ({n} replications)"),
            &base,
            *change,
            *n,
            *way,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every corridor of Bamako closed from day 0, one at a time (what `blockade corridors`
/// ranks): no closure may lower the unmet demand.
#[test]
fn every_corridor_of_bamako_closed_moves_the_right_way() {
    let base = load("bamako-2025.ron");
    let mut failures = Vec::new();
    let tags: Vec<String> = base.tags().keys().map(|t| t.to_string()).collect();
    assert!(tags.len() > 10, "{tags:?}");
    for tag in &tags {
        failures.extend(violations_of(
            &format!("bamako-2025.ron: close {tag}"),
            &base,
            |changed| close_tag(changed, tag),
            200,
            Way::Worse,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every port of Bamako with its supply cut, one at a time, two ways: halved from day 0 by
/// an event (a cut during the blockade), and cut to 1,000 L a day in the scenario itself
/// (`--set nodes[ID].supply_litres_per_day=1000`). Bamako states where its tankers are
/// based (`fleet_share`), so neither cut moves a tanker and no cut may lower the unmet
/// demand. With the default basing the second cut moves them ([`KNOWN_VIOLATIONS`]).
#[test]
fn every_port_of_bamako_cut_moves_the_right_way() {
    let base = load("bamako-2025.ron");
    assert!(base.fleet_basing_stated());
    let mut failures = Vec::new();
    let ports: Vec<_> = base.sources().map(|(id, _)| id).collect();
    assert!(ports.len() > 4, "{ports:?}");
    for port in ports {
        let id = base.nodes[port.index()].id.clone();
        failures.extend(violations_of(
            &format!("bamako-2025.ron: halve {id} by an event"),
            &base,
            |changed| {
                changed.events.push(Event {
                    day: 0.0,
                    until: None,
                    label: None,
                    effect: Effect::SupplyFactor {
                        source: port,
                        factor: 0.5,
                    },
                });
            },
            200,
            Way::Worse,
        ));
        failures.extend(violations_of(
            &format!("bamako-2025.ron: cut {id}'s supply to 1,000 L a day"),
            &base,
            |changed| set_supply(changed, &id, 1000.0),
            200,
            Way::Worse,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The known violations are still violations (see [`KNOWN_VIOLATIONS`]).
#[test]
fn known_violations_are_still_violated() {
    for (label, base, change, way, measure, n) in KNOWN_VIOLATIONS {
        let found = violations_of(label, &base(), *change, *n, *way);
        let name = ["protected unmet", "total unmet"][*measure];
        assert!(
            found.iter().any(|m| m.contains(name)),
            "{label} now holds on {name} at {n} replications: take it off KNOWN_VIOLATIONS \
             and update the README and docs/model-notes.md ({found:?})"
        );
    }
}

/// Escorts scarce and the fleet short: one port, a fast risky road that needs an escort
/// (1 day loaded, one unit protecting at most 10 trucks: 5 trucks a day at most) and a
/// slower safe road (2 days, 10 trucks a day), 50 tankers, a city wanting 20 truckloads a
/// day. A plan that ignores the escorts sends the whole fleet down the fast road, where it
/// queues for the one escort; the relations below then break, as in the first version of
/// the dispatcher (closing the risky road frees the tankers for the safe one).
fn scarce_escorts() -> Scenario {
    let ron = r#"Scenario(name: "scarce-escorts", horizon_days: 90, seed: 11,
          fleet: (trucks: 50, truck_litres: 1000),
          escorts: (units: 1, require_escort: true, threshold: 0.05, max_convoy: 10),
          nodes: [
            Source(id: "P", supply_litres_per_day: 30000),
            Depot(id: "C", capacity_litres: 200000, initial_stock_litres: 60000,
                  demand: [(name: "essential", litres_per_day: 5000, priority: 1),
                           (name: "others", litres_per_day: 15000, priority: 2)],
                  rationing: (trigger_days: 3)),
          ],
          segments: [
            (id: "risky", from: "P", to: "C", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: 30, risk: 0.1),
            (id: "safe", from: "P", to: "C", km: 1, transit_days: Fixed(2), capacity_trucks_per_day: 10, risk: 0),
          ],
        )"#;
    common::scenario_from(ron, "scarce-escorts.ron")
}

/// A table of changes to one base scenario: (label, change, way).
type Changes = [(&'static str, Change, Way)];

/// The violations of every change of `changes` to `base`, labelled `{prefix}: {label}`.
fn violations_of_each(prefix: &str, base: &Scenario, changes: &Changes, n: u64) -> Vec<String> {
    changes
        .iter()
        .flat_map(|(label, change, way)| {
            violations_of(&format!("{prefix}: {label}"), base, *change, n, *way)
        })
        .collect()
}

/// The relations on [`scarce_escorts`], where the escort constraint of the plan decides: a
/// plan built without it fails "close the risky road" on the total unmet demand (-457,000
/// L, paired SE 1,600, checked once by hand). Broken on the protected class until the
/// dispatcher served the most valuable road first and the plan covered the protected
/// demand on roads that need no escort first: closing the risky road lowered the protected
/// class's unmet demand by 1,350 L (3.4 paired SE over 200 replications) and a second
/// escort unit raised it by 4,900 L (6.9 paired SE); now neither moves it.
#[test]
fn scarce_escorts_move_the_right_way() {
    let changes: &Changes = &[
        ("close the risky road", |s| close(s, "risky"), Way::Worse),
        ("one escort unit more", |s| escort_units(s, 1), Way::Better),
        ("ten tankers fewer", |s| s.fleet.trucks -= 10, Way::Worse),
    ];
    let failures = violations_of_each("scarce escorts", &scarce_escorts(), changes, 200);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A small random scenario: one port, two or three roads (some through a waypoint) to a
/// city with protected and rationed classes, risks, escorts required or not.
fn generated(seed: u64) -> Scenario {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut segs = Vec::new();
    for i in 0..rng.random_range(2..4u32) {
        let risk = rng.random_range(0.0..0.15);
        let cap = rng.random_range(4..30u32);
        let t = rng.random_range(0.5..4.0);
        segs.push(format!(
            r#"(id: "a{i}", from: "P", to: "W{i}", km: 1, transit_days: Uniform({t}, {}), capacity_trucks_per_day: {cap}, risk: {risk})"#,
            t + 1.0
        ));
        segs.push(format!(
            r#"(id: "b{i}", from: "W{i}", to: "C", km: 1, transit_days: Fixed(1), capacity_trucks_per_day: {cap}, risk: {})"#,
            risk / 2.0
        ));
    }
    let waypoints: Vec<String> = (0..segs.len() / 2)
        .map(|i| format!(r#"Waypoint(id: "W{i}")"#))
        .collect();
    let ron = format!(
        r#"Scenario(name: "g{seed}", horizon_days: 90, seed: {seed},
          fleet: (trucks: {}, truck_litres: 1000),
          escorts: (units: {}, require_escort: {}, threshold: 0.05),
          nodes: [
            Source(id: "P", supply_litres_per_day: 30000),
            {},
            Depot(id: "C", capacity_litres: 200000, initial_stock_litres: 60000,
                  demand: [(name: "essential", litres_per_day: 8000, priority: 1),
                           (name: "others", litres_per_day: 16000, priority: 2)],
                  rationing: (trigger_days: 3)),
          ],
          segments: [{}],
        )"#,
        rng.random_range(40..200u32),
        rng.random_range(0..4u32),
        rng.random_bool(0.5),
        waypoints.join(", "),
        segs.join(", ")
    );
    common::scenario_from(&ron, "generated.ron")
}

#[test]
fn generated_scenarios_move_the_right_way() {
    let changes: &Changes = &[
        ("close a0", |s| close(s, "a0"), Way::Worse),
        ("risk of b0 x4", |s| risk(s, "b0", 4.0), Way::Worse),
        ("one escort unit more", |s| escort_units(s, 1), Way::Better),
        (
            "half the trucks",
            |s| s.fleet.trucks = (s.fleet.trucks / 2).max(1),
            Way::Worse,
        ),
        ("demand +30 %", |s| demand(s, 1.3), Way::Worse),
    ];
    let mut failures = Vec::new();
    for seed in 1..=3 {
        failures.extend(violations_of_each(
            &format!("g{seed}"),
            &generated(seed),
            changes,
            150,
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
