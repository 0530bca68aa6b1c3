//! Uncertain inputs, the ensemble and output side (issue 13, docs/model.md §7c): draws per
//! replication that do not depend on the thread count, an input fixed at a value that
//! equals `--set`, calibrated points taken r % K on common random numbers, the
//! first-order index that tells a decisive input from an inert one, the outputs that
//! quote the same rounded index everywhere, and the errors of a bad `--inputs` file.
//!
//! The inputs are built in code and handed to the ensemble; the file side (`Uncertain(...)`
//! in a scenario, checked, exported, set) is tested in `uncertain.rs`.

use std::path::{Path, PathBuf};

use blockade::ensemble::{self, InputPlan, InputRun, Options};
use blockade::network::Network;
use blockade::report::{self, InputsInfo, RunInfo};
use blockade::scenario::{CalibratedInputs, Dist, Override, Template, UncertainInput};

use crate::common::{blockade, networks_dir};

fn tutorial() -> Template {
    Template::load(&networks_dir().join("tutorial.ron")).expect("the tutorial loads")
}

fn input(path: &str, dist: Dist, integer: bool) -> UncertainInput {
    UncertainInput {
        path: path.into(),
        dist,
        integer,
    }
}

fn opts(n: u64, threads: usize) -> Options {
    Options {
        replications: n,
        seed: 7,
        threads: Some(threads),
    }
}

fn run(t: &Template, sets: &[Override], plan: &InputPlan, o: &Options) -> InputRun {
    ensemble::run_with_inputs(t, sets, plan, o, &|s| s, &|_| {}).expect("the run succeeds")
}

fn set(path: &str, value: &str) -> Override {
    Override {
        path: path.into(),
        value: value.into(),
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-inputs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temporary folder");
    d
}

/// The stock (decisive) and Dakar's latitude (used by the maps only: inert).
fn stock_and_latitude() -> InputPlan {
    InputPlan::drawn(vec![
        input(
            "nodes[DKR].lat",
            Dist::Uniform { lo: 14.0, hi: 15.0 },
            false,
        ),
        input(
            "nodes[BKO].initial_stock_litres",
            Dist::Uniform { lo: 2e6, hi: 30e6 },
            false,
        ),
    ])
}

#[test]
fn draws_and_results_do_not_depend_on_the_thread_count() {
    let t = tutorial();
    let plan = InputPlan::drawn(vec![
        input(
            "fleet.trucks",
            Dist::choice(vec![200.0, 300.0, 400.0]),
            true,
        ),
        input(
            "segments[KAY-BKO].risk",
            Dist::Triangular {
                lo: 0.02,
                mode: 0.05,
                hi: 0.1,
            },
            false,
        ),
    ]);
    let a = run(&t, &[], &plan, &opts(24, 1));
    let b = run(&t, &[], &plan, &opts(24, 4));
    assert_eq!(a.table, b.table);
    assert_eq!(a.summary.rows, b.summary.rows);
    assert_eq!(a.summary.stock_pct, b.summary.stock_pct);
    assert_eq!(report::inputs_csv(&a.table), report::inputs_csv(&b.table));
    // Each replication's values are its own draws, keyed by path and replication.
    for (r, v) in a.table.values.iter().enumerate() {
        assert_eq!(v[0], plan.inputs[0].draw(7, r as u64));
        assert_eq!(v[1], plan.inputs[1].draw(7, r as u64));
    }
    // The risk is drawn afresh in every replication: one scenario built per replication.
    assert_eq!(a.table.scenarios_built, 24);
    // The draws differ between replications: the spread is not a constant.
    assert!(a.table.values.iter().any(|v| v[0] != a.table.values[0][0]));
}

#[test]
fn an_input_fixed_at_one_value_equals_set() {
    let t = tutorial();
    // A choice of one value is that value in every replication: the same as --set.
    let plan = InputPlan::drawn(vec![input("fleet.trucks", Dist::choice(vec![250.0]), true)]);
    let with_inputs = run(&t, &[], &plan, &opts(12, 2));
    assert_eq!(with_inputs.table.scenarios_built, 1);
    let s = t.with(&[set("fleet.trucks", "250")]).unwrap().scenario;
    let net = Network::build(&s);
    let plain = ensemble::run(&s, &net, &opts(12, 2), &|_| {}).unwrap();
    assert_eq!(with_inputs.summary.rows, plain.rows);
    assert_eq!(with_inputs.summary.stock_pct, plain.stock_pct);
    // And a --set of an uncertain path fixes it: the others keep their own draws.
    let two = InputPlan::drawn(vec![
        input("fleet.trucks", Dist::choice(vec![200.0, 400.0]), true),
        input(
            "nodes[BKO].initial_stock_litres",
            Dist::Uniform { lo: 1e7, hi: 3e7 },
            false,
        ),
    ]);
    let fixed = run(&t, &[set("fleet.trucks", "250")], &two, &opts(12, 2));
    let stock_only = InputPlan::drawn(vec![two.inputs[1].clone()]);
    let by_hand = run(&t, &[set("fleet.trucks", "250")], &stock_only, &opts(12, 2));
    assert_eq!(fixed.table.inputs.len(), 1);
    assert_eq!(fixed.table.values, by_hand.table.values);
    assert_eq!(fixed.summary.rows, by_hand.summary.rows);
}

#[test]
fn calibrated_points_are_taken_in_turn_on_common_random_numbers() {
    let t = tutorial();
    let dir = temp_dir("calibrated");
    let file = dir.join("calibrated.ron");
    std::fs::write(
        &file,
        r#"CalibratedInputs(
    scenario: "tutorial",
    fingerprint: "",
    seed: 7,
    inputs: ["fleet.trucks"],
    points: [[200.0], [300.0], [400.0]],
)"#,
    )
    .unwrap();
    let c = CalibratedInputs::load(&file).expect("the file reads");
    let plan = InputPlan::calibrated(
        vec![
            input(
                "fleet.trucks",
                Dist::Uniform {
                    lo: 100.0,
                    hi: 500.0,
                },
                true,
            ),
            input(
                "nodes[DKR].lat",
                Dist::Uniform { lo: 14.0, hi: 15.0 },
                false,
            ),
        ],
        c,
    )
    .expect("the file's input is uncertain");
    let r = run(&t, &[], &plan, &opts(6, 2));
    let trucks: Vec<f64> = r.table.column(0);
    assert_eq!(trucks, [200.0, 300.0, 400.0, 200.0, 300.0, 400.0]);
    assert_eq!(r.table.points, [0, 1, 2, 0, 1, 2].map(Some).to_vec());
    // The input the file does not list is still drawn.
    assert_eq!(r.table.values[4][1], plan.inputs[1].draw(7, 4));
    // Replication r's dynamics are those of the same replication run with its values set:
    // the streams of the segments are untouched.
    for (rep, trucks) in [(0u64, "200"), (4, "300")] {
        let s = t
            .with(&[
                set("fleet.trucks", trucks),
                set(
                    "nodes[DKR].lat",
                    &ensemble::value_text(plan.inputs[1].draw(7, rep)),
                ),
            ])
            .unwrap()
            .scenario;
        let net = Network::build(&s);
        let one = ensemble::run(&s, &net, &opts(rep + 1, 1), &|_| {}).unwrap();
        assert_eq!(one.rows[rep as usize], r.summary.rows[rep as usize]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn calibrated_points_get_no_per_input_index() {
    // The same values, but read as points of a calibrated file: the inputs then move
    // together, each input's value names its point, and a per-input index would credit
    // every input with what the points explain together. None is computed.
    let t = tutorial();
    let s = t.base().scenario.clone();
    let r = run(&t, &[], &stock_and_latitude(), &opts(200, 2));
    assert!(ensemble::importance(&r.table, &r.summary, s.horizon_days, 7).is_some());
    let mut table = r.table.clone();
    table.file = Some("calibrated-inputs.ron".into());
    assert!(ensemble::importance(&table, &r.summary, s.horizon_days, 7).is_none());
}

#[test]
fn the_index_ranks_a_decisive_input_above_an_inert_one() {
    let t = tutorial();
    let s = t.base().scenario.clone();
    let r = run(&t, &[], &stock_and_latitude(), &opts(200, 2));
    let imp = ensemble::importance(&r.table, &r.summary, s.horizon_days, 7).expect("ranked");
    let unmet = imp
        .measures
        .iter()
        .position(|m| m.key == "unmet_total")
        .unwrap();
    assert!(imp.measures[unmet].variance > 0.0);
    let row = |path: &str| imp.rows.iter().find(|x| x.path == path).unwrap();
    let stock = row("nodes[BKO].initial_stock_litres").indices[unmet].unwrap();
    let lat = row("nodes[DKR].lat").indices[unmet].unwrap();
    assert_eq!(imp.rows[0].path, "nodes[BKO].initial_stock_litres");
    // The stock explains a large share of the unmet demand, the latitude none: apart by
    // far more than their Monte Carlo errors.
    assert!(stock.value > 0.3, "{stock:?}");
    assert!(lat.value < 0.1, "{lat:?}");
    assert!(
        stock.value - lat.value > 4.0 * (stock.se + lat.se),
        "{stock:?} {lat:?}"
    );
    assert!(stock.se > 0.0 && stock.se < 0.1, "{stock:?}");
}

#[test]
fn outputs_quote_the_same_rounded_index_everywhere() {
    let t = tutorial();
    let s = t.base().scenario.clone();
    let plan = stock_and_latitude();
    let o = opts(40, 2);
    let r = run(&t, &[], &plan, &o);
    let at_medians = ensemble::run_at_medians(&t, &[], &plan, &o, &|_| {}).unwrap();
    let importance = ensemble::importance(&r.table, &r.summary, s.horizon_days, 7);
    let imp = importance.clone().expect("40 replications are enough");
    let info = RunInfo {
        inputs: Some(Box::new(InputsInfo {
            prior: None,
            table: r.table.clone(),
            importance,
            at_medians,
        })),
        ..RunInfo::default()
    };
    let dir = temp_dir("outputs");
    let flow = report::FlowBaseline::new(&Network::build(&s), &s);
    let mut files = report::write_tables(&dir, &s, &r.summary, &info, &flow).unwrap();
    let charts = report::write_charts(
        &dir,
        &s,
        &r.summary,
        &info,
        &flow,
        &report::ChartOptions::new(report::ChartSize::default(), false),
    )
    .unwrap();
    files.extend(report::write_report(&dir, &s, &r.summary, &info, &flow, &charts).unwrap());
    files.extend(charts.files());
    for f in [
        "inputs.csv",
        "input-importance.csv",
        "charts/stock-inputs.png",
        "charts/input-importance.png",
    ] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    let csv = std::fs::read_to_string(dir.join("inputs.csv")).unwrap();
    assert_eq!(
        csv.lines().count(),
        41,
        "a header and one row per replication"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let u = &json["uncertain_inputs"];
    let top = &imp.rows[0];
    let unmet = imp
        .measures
        .iter()
        .position(|m| m.key == "unmet_total")
        .unwrap();
    let f = top.indices[unmet].unwrap();
    let (v, se) = report::index_rounded(&f);
    let j = u["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rank"] == 1)
        .unwrap();
    assert_eq!(j["path"], top.path.as_str());
    let ji = j["first_order"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["measure"] == "unmet_total")
        .unwrap();
    assert_eq!(ji["index"].as_f64().unwrap(), v);
    assert_eq!(ji["mc_error"].as_f64().unwrap(), se);
    let text = report::index_text(Some(&f));
    let imp_csv = std::fs::read_to_string(dir.join("input-importance.csv")).unwrap();
    let (value, error) = text.split_once(" ± ").unwrap();
    assert!(
        imp_csv.contains(&format!("unmet_total,{value},{error}")),
        "{imp_csv} lacks {value} and {error}"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("Uncertain inputs"));
    assert!(html.contains(&text), "report quotes {text}");
    // The inputs table: every row has one cell per column of its head.
    let table = &html[html.find("<th>Input</th>").expect("inputs table")..];
    let table = &table[..table.find("</table>").expect("table ends")];
    let head = table.matches("<th>").count();
    for row in table.split("<tr>").skip(1) {
        assert_eq!(row.matches("<td").count(), head, "{row}");
    }
    let terminal = report::headline(&s, &r.summary, &info);
    assert!(terminal.contains(&top.path));
    let j = imp.rank_by.unwrap();
    assert!(terminal.contains(&report::index_text(top.indices[j].as_ref())));
    // Without uncertain inputs none of this is written.
    let plain_dir = temp_dir("plain");
    let plain =
        report::write_tables(&plain_dir, &s, &r.summary, &RunInfo::default(), &flow).unwrap();
    assert!(plain.iter().all(|p| !p.ends_with("inputs.csv")));
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plain_dir.join("summary.json")).unwrap())
            .unwrap();
    assert!(j.get("uncertain_inputs").is_none());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&plain_dir);
}

#[test]
fn a_bad_inputs_file_is_refused_before_anything_is_written() {
    let dir = temp_dir("bad-file");
    let tutorial = networks_dir().join("tutorial.ron");
    let check = |file: &Path, code: i32, expect: &str| {
        let out_dir = dir.join("out");
        let out = blockade()
            .arg("run")
            .arg(&tutorial)
            .arg("-n")
            .arg("4")
            .arg("-q")
            .arg("--inputs")
            .arg(file)
            .arg("--out")
            .arg(&out_dir)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert!(err.contains(expect), "{err} lacks {expect}");
        assert!(!out_dir.exists(), "nothing written");
    };
    let short = dir.join("short.ron");
    std::fs::write(
        &short,
        "CalibratedInputs(\n    scenario: \"tutorial\",\n    inputs: [\"fleet.trucks\", \"escorts.units\"],\n    points: [\n        [400.0, 4.0],\n        [410.0],\n    ],\n)\n",
    )
    .unwrap();
    check(
        &short,
        2,
        &format!("{}:6:9: point 2 has 1 value, expected 2", short.display()),
    );
    let syntax = dir.join("syntax.ron");
    std::fs::write(&syntax, "CalibratedInputs(\n    scenario: tutorial,\n)\n").unwrap();
    check(&syntax, 2, &format!("{}:2:", syntax.display()));
    let unknown = dir.join("unknown.ron");
    std::fs::write(
        &unknown,
        "CalibratedInputs(scenario: \"tutorial\", inputs: [\"fleet.trucks\"], points: [[400.0]])",
    )
    .unwrap();
    check(
        &unknown,
        2,
        "input `fleet.trucks` is not an uncertain input of the scenario",
    );
    check(&dir.join("missing.ron"), 1, "missing.ron");
    let _ = std::fs::remove_dir_all(&dir);
}
