//! The rough edges of issue 12, one test each: the report on a phone, `report.md` pasted,
//! SVG fonts, a scenario saved with a byte-order mark, numbers written `4,000` or `5%`, a
//! misspelt field, a wrong file name, `run -n 0`, command-line errors' exit code, `compare --help`,
//! `export --set`, and the `--set` path grammar documented with examples that work.

use std::path::{Path, PathBuf};

use blockade::scenario::{self, Diagnostic, ScenarioError, overrides::Override};

use crate::common::{self, fixture};

fn temp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-edges-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn run(args: &[&str]) -> std::process::Output {
    common::blockade()
        .args(args)
        .output()
        .expect("blockade runs")
}

fn invalid(text: &str, path: &Path) -> Vec<Diagnostic> {
    match scenario::load_str(text, path) {
        Err(ScenarioError::Invalid { diagnostics }) => diagnostics,
        other => panic!("expected an invalid scenario, got {other:?}"),
    }
}

fn tutorial_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(common::networks_dir().join("tutorial.ron")).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_report_fits_a_phone_and_its_markdown_keeps_underscores_in_words() {
    let out = temp("report");
    let file = common::networks_dir().join("bamako-2025.ron");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "-n",
        "4",
        "-q",
        "--svg",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#)
    );
    assert!(
        html.contains("overflow-x:auto"),
        "wide tables scroll on a narrow screen"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("mali_side"),
        "the bamako report names the mali_side tag"
    );
    assert!(
        !md.contains(r"mali\_side"),
        "a backslash inside a word shows when pasted"
    );
    // SVG text names generic fallbacks after DejaVu Sans.
    let mut svgs = 0;
    for e in std::fs::read_dir(out.join("charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            svgs += 1;
            let t = std::fs::read_to_string(&p).unwrap();
            assert!(
                !t.contains(r#"font-family="DejaVu Sans""#),
                "{}",
                p.display()
            );
            assert!(t.contains(r#"font-family="DejaVu Sans, Verdana, Arial, sans-serif""#));
        }
    }
    assert!(svgs > 0);
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_byte_order_mark_keeps_line_and_column() {
    let text = crate::patch::apply(crate::patch::RISK_OUT_OF_RANGE);
    let diags = invalid(&format!("\u{feff}{text}"), &fixture("bom.ron"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line_col, Some((44, 120)));
}

#[test]
fn thousands_separators_and_percent_signs_are_explained() {
    let path = fixture("edges.ron");
    let comma = tutorial_with(
        "capacity_trucks_per_day: 150, risk: 0.02",
        "capacity_trucks_per_day: 4,000, risk: 0.02",
    );
    let d = invalid(&comma, &path);
    assert!(
        d[0].message
            .contains("`4,000`: a number cannot contain commas"),
        "{d:?}"
    );
    assert!(d[0].message.contains("`4000` or `4_000`"), "{d:?}");
    assert!(!d[0].message.contains("raw identifier"), "{d:?}");
    let pct = tutorial_with("risk: 0.02, tags", "risk: 5%, tags");
    let d = invalid(&pct, &path);
    assert!(
        d[0].message.contains("`%` is not part of a number"),
        "{d:?}"
    );
    assert!(d[0].message.contains("0.05"), "{d:?}");
}

#[test]
fn a_misspelt_field_gets_did_you_mean() {
    let typo = tutorial_with("risk: 0.02, tags", "riskk: 0.02, tags");
    let d = invalid(&typo, &fixture("edges.ron"));
    assert!(d[0].message.ends_with("did you mean `risk`?"), "{d:?}");
}

#[test]
fn zero_replications_is_refused_not_rounded_up() {
    let out = temp("n0");
    let file = common::networks_dir().join("tutorial.ron");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "-n",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("replications"));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn command_line_errors_exit_1_and_help_exits_0() {
    let o = run(&["run"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a missing argument is not an invalid scenario"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("<FILE>"));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn compare_help_states_its_own_default_folder() {
    let o = run(&["compare", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("outputs/compare-"), "{help}");
}

#[test]
fn export_takes_set() {
    let file = common::networks_dir().join("tutorial.ron");
    let o = run(&[
        "export",
        file.to_str().unwrap(),
        "--json",
        "--set",
        "fleet.trucks=123",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["fleet"]["trucks"], 123);
    let o = run(&["export", file.to_str().unwrap(), "--set", "fleet.truckz=1"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_documented_set_paths_work() {
    let doc = std::fs::read_to_string(common::root().join("docs/scenario-format.md")).unwrap();
    let section = doc
        .split("## Changing a field from the command line")
        .nth(1)
        .expect("the --set grammar is documented")
        .split("\n## ")
        .next()
        .unwrap();
    let examples: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .filter(|p| p.contains('='))
        .collect();
    assert!(examples.len() >= 8, "{examples:?}");
    let file = common::networks_dir().join("bamako-2025.ron");
    for e in examples {
        let o = Override::parse(e).unwrap();
        if let Err(err) = scenario::load_with_overrides(&file, &[o]) {
            panic!("documented example `{e}` fails: {err:?}");
        }
    }
}

#[test]
fn a_wrong_file_name_gets_a_suggestion() {
    let wrong = common::networks_dir().join("mal.ron");
    let o = run(&["check", wrong.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("did you mean") && err.contains("mali.ron"),
        "{err}"
    );
    let far = common::networks_dir().join("zzzzzzzz.ron");
    let o = run(&["check", far.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}
