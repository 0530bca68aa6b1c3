//! The `blockade check` and `blockade export` commands as a user runs them: exit codes,
//! what goes to stdout and what to stderr; and `corridors`' outputs and `reserve`'s refusal
//! of days past the horizon.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use crate::common::{fixture, run};
use crate::patch::{self, Dir};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {o:?}"))
}

fn check(paths: &[&Path]) -> Output {
    let mut args: Vec<&OsStr> = vec![OsStr::new("check")];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    run(&args)
}

#[test]
fn check_valid_prints_summary_to_stdout_and_exits_0() {
    let path = fixture("valid.ron");
    let o = check(&[&path]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(code(&o), 0, "stderr: {err}");
    assert_eq!(err, "", "nothing on stderr for a clean scenario");
    assert!(
        out.starts_with(&format!("{}: ok — \"tutorial\"\n", path.display())),
        "{out}"
    );
    for row in [
        "  network   5 nodes (1 source, 1 depot, 3 waypoints), 5 segments, 2 tags",
        "  fleet     400 trucks x 46,000 L = 18,400,000 L",
        "  horizon   90 days from 2025-09-01 to 2025-11-30; 500 replications, seed 7",
        "  events    3 (1 RiskMultiplier, 1 EscortUnits, 1 Airlift)",
    ] {
        assert!(out.contains(row), "missing {row:?} in:\n{out}");
    }
}

/// With more than one source, `check` says where the tankers are based and by which rule:
/// Bamako states its shares; without them the fleet follows supply.
#[test]
fn check_says_where_the_tankers_are_based() {
    let bamako = crate::common::networks_dir().join("bamako-2025.ron");
    let out = text(&check(&[&bamako]).stdout);
    let row = "  based     715 DKR, 26 NKC, 455 ABJ, 39 CKY, 52 LFW, 13 NIM (by the sources' fleet_share)";
    assert!(out.contains(row), "missing {row:?} in:\n{out}");
    let dir = tempfile::tempdir().unwrap();
    let text_of = |p: &std::path::Path| std::fs::read_to_string(p).unwrap();
    let mali = text_of(&crate::common::networks_dir().join("mali.ron"));
    let unstated = without_shares(&mali);
    assert_ne!(unstated, mali);
    let path = dir.path().join("mali-by-supply.ron");
    std::fs::write(&path, unstated).unwrap();
    let out = text(&check(&[&path]).stdout);
    assert!(out.contains("(in proportion to supply)"), "{out}");
    let o = check(&[&fixture("valid.ron")]);
    assert!(
        !text(&o.stdout).contains("based"),
        "one source: no basing row"
    );
}

/// `text` without its `, fleet_share: N` fields.
fn without_shares(text: &str) -> String {
    text.lines()
        .map(|l| match l.find(", fleet_share: ") {
            Some(i) => {
                let end = l[i..].find(')').map_or(l.len(), |j| i + j);
                format!("{}{}", &l[..i], &l[end..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn check_invalid_prints_located_diagnostic_with_caret_to_stderr_and_exits_2() {
    let (_dir, path) = patch::patched("risk_out_of_range.ron", patch::RISK_OUT_OF_RANGE);
    let o = check(&[&path]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(code(&o), 2, "stderr: {err}");
    assert_eq!(out, "", "no summary for an invalid scenario");
    let line44 = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .nth(43)
        .unwrap()
        .to_string();
    let expected = format!(
        "error: segment `KAY-BKO`: `risk` is 1.5, outside [0, 1]\n  --> {}:44:120\n   |\n44 | {line44}\n   | {}^\n",
        path.display(),
        " ".repeat(119)
    );
    assert!(err.starts_with(&expected), "want:\n{expected}\ngot:\n{err}");
    assert!(
        err.contains(&format!(
            "error: {}: invalid scenario: 1 error",
            path.display()
        )),
        "{err}"
    );
}

#[test]
fn check_syntax_error_shows_file_line_column_and_caret() {
    let (_dir, path) = patch::patched("syntax_missing_comma.ron", patch::SYNTAX_MISSING_COMMA);
    let o = check(&[&path]);
    let err = text(&o.stderr);
    assert_eq!(code(&o), 2, "stderr: {err}");
    assert!(err.starts_with("error: expected comma\n"), "{err}");
    assert!(
        err.contains(&format!("  --> {}:42:42\n", path.display())),
        "{err}"
    );
    assert!(
        err.contains("42 |         (from: \"DKR\", to: \"TMB\", km: 465 transit_days:"),
        "{err}"
    );
    assert!(
        err.contains(&format!("\n   | {}^\n", " ".repeat(41))),
        "{err}"
    );
}

#[test]
fn check_warning_exits_0_and_prints_the_warning() {
    let (_dir, path) = patch::patched("risk_one.ron", patch::RISK_ONE);
    let o = check(&[&path]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(code(&o), 0, "stderr: {err}");
    assert!(
        err.starts_with("warning: segment `KAY-BKO`: `risk` is exactly 1.0"),
        "{err}"
    );
    assert!(
        err.contains(&format!("  --> {}:44:120\n", path.display())),
        "{err}"
    );
    assert!(out.contains(": ok — \"tutorial\" (1 warning)\n"), "{out}");
}

#[test]
fn check_reports_every_error_of_a_file() {
    let (_dir, path) = patch::patched("several_errors.ron", patch::SEVERAL_ERRORS);
    let o = check(&[&path]);
    let err = text(&o.stderr);
    assert_eq!(code(&o), 2, "stderr: {err}");
    let starts = |p: &str| err.lines().filter(|l| l.starts_with(p)).count();
    assert_eq!(starts("error: "), 7 + 1, "7 errors and the summary: {err}");
    assert_eq!(starts("warning: "), 1, "{err}");
    assert!(
        err.contains("invalid scenario: 7 errors, 1 warning"),
        "{err}"
    );
}

#[test]
fn check_missing_file_exits_1() {
    let o = check(&[&fixture("no_such_fixture.ron")]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(code(&o), 1, "stderr: {err}");
    assert_eq!(out, "");
    assert!(err.starts_with("error: loading scenario"), "{err}");
    assert!(err.contains("no_such_fixture.ron"), "{err}");
}

#[test]
fn check_several_files_exits_with_the_worst_code() {
    let dir = Dir::new();
    let valid = fixture("valid.ron");
    let missing = fixture("no_such_fixture.ron");
    let zero_trucks = dir.patched("zero_trucks.ron", patch::ZERO_TRUCKS);
    let risk_one = dir.patched("risk_one.ron", patch::RISK_ONE);
    let o = check(&[&valid, &zero_trucks]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stdout).contains("valid.ron: ok"),
        "valid one summarised"
    );
    let o = check(&[&valid, &missing]);
    assert_eq!(code(&o), 1);
    let o = check(&[&missing, &zero_trucks]);
    assert_eq!(code(&o), 2, "invalid wins over unreadable");
    let o = check(&[&valid, &risk_one]);
    assert_eq!(code(&o), 0);
}

#[test]
fn check_include_cycle_and_missing_include_exit_2() {
    let dir = Dir::new();
    let (cycle, _) = patch::include_cycle(&dir);
    let missing = dir.patched("include_missing.ron", patch::INCLUDE_MISSING);
    for f in [cycle, missing] {
        let o = check(&[&f]);
        let err = text(&o.stderr);
        assert_eq!(code(&o), 2, "{}: {err}", f.display());
        assert!(
            err.starts_with("error: include `"),
            "{}: {err}",
            f.display()
        );
    }
}

#[test]
fn export_prints_the_canonical_scenario() {
    let path = fixture("include_override.ron");
    let o = run(&[OsStr::new("export"), path.as_os_str()]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let loaded = blockade::scenario::load(&path).unwrap();
    assert_eq!(
        text(&o.stdout),
        format!("{}\n", blockade::scenario::export::to_ron(&loaded.scenario))
    );
    let o = run(&[OsStr::new("export"), path.as_os_str(), OsStr::new("--json")]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        format!(
            "{}\n",
            blockade::scenario::export::to_json(&loaded.scenario)
        )
    );
}

#[test]
fn export_of_an_invalid_scenario_exits_2_with_nothing_on_stdout() {
    let (_dir, path) = patch::patched("zero_trucks.ron", patch::ZERO_TRUCKS);
    let o = run(&[OsStr::new("export"), path.as_os_str()]);
    assert_eq!(code(&o), 2);
    assert_eq!(text(&o.stdout), "");
    assert!(text(&o.stderr).contains("`trucks` is 0"));
}

#[test]
fn corridors_writes_its_table_and_chart_and_reserve_refuses_days_past_the_horizon() {
    let dir = std::env::temp_dir().join(format!("blockade-corridors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tutorial = crate::common::networks_dir().join("tutorial.ron");
    let o = crate::common::blockade()
        .arg("corridors")
        .arg(&tutorial)
        .args(["-n", "20", "-q", "--action", "risk-multiplier=2", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(dir.join("corridors.csv")).unwrap();
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("rank,tag,segments,unmet_protected_litres,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(dir.join("corridors.png").exists());
    // 400 days of a 90-day scenario: an error that says how to look further, no output.
    let o = crate::common::blockade()
        .arg("reserve")
        .arg(&tutorial)
        .args(["--days", "400", "-q", "--out"])
        .arg(dir.join("reserve"))
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("horizon_days=400"),
        "{}",
        text(&o.stderr)
    );
    assert!(!dir.join("reserve").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
