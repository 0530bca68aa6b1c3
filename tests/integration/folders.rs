//! Output folders that never mix: `--set` runs get their own folder, `compare` labels two
//! scenarios of the same name apart, and a run clears the stale files of earlier commands
//! from its folder (only those listed in its manifest).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common;

fn temp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("blockade-folders-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs blockade in `cwd` with `args`.
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    let o = common::blockade()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("blockade runs");
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn folders(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_run_with_overrides_gets_its_own_folder() {
    let cwd = temp("set");
    let tut = common::networks_dir().join("tutorial.ron");
    let tut = tut.to_str().unwrap();
    run_in(&cwd, &["run", tut, "-n", "8", "-q"]);
    run_in(
        &cwd,
        &["run", tut, "-n", "8", "-q", "--set", "fleet.trucks=300"],
    );
    run_in(
        &cwd,
        &["run", tut, "-n", "8", "-q", "--set", "fleet.trucks=350"],
    );
    let out = folders(&cwd.join("outputs"));
    assert_eq!(out.len(), 3, "{out:?}");
    assert_eq!(out[0], "tutorial");
    for f in &out[1..] {
        assert!(
            f.starts_with("tutorial-") && f.len() == "tutorial-".len() + 8,
            "{f}"
        );
    }
    // The base case is untouched by the variants; each variant records its override.
    let base = std::fs::read_to_string(cwd.join("outputs/tutorial/summary.json")).unwrap();
    assert!(base.contains("\"overrides\": []"), "{base}");
    let mut seen = Vec::new();
    for f in &out[1..] {
        let s = std::fs::read_to_string(cwd.join("outputs").join(f).join("summary.json")).unwrap();
        seen.push(s.contains("fleet.trucks=300"));
    }
    seen.sort();
    assert_eq!(seen, [false, true]);
    // The same overrides find the same folder again.
    run_in(
        &cwd,
        &["run", tut, "-n", "8", "-q", "--set", "fleet.trucks=300"],
    );
    assert_eq!(folders(&cwd.join("outputs")).len(), 3);
    std::fs::remove_dir_all(&cwd).ok();
}

#[test]
fn compare_labels_two_scenarios_of_the_same_name_by_file_stem() {
    let cwd = temp("cmp");
    let tut = common::networks_dir().join("tutorial.ron");
    let copy = cwd.join("tutorial-copy.ron");
    std::fs::copy(&tut, &copy).unwrap();
    run_in(
        &cwd,
        &[
            "compare",
            tut.to_str().unwrap(),
            copy.to_str().unwrap(),
            "-n",
            "8",
            "-q",
        ],
    );
    let out = folders(&cwd.join("outputs"));
    assert_eq!(out, ["compare-tutorial-vs-tutorial-copy"]);
    let csv =
        std::fs::read_to_string(cwd.join("outputs").join(&out[0]).join("compare.csv")).unwrap();
    let head = csv.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(head.starts_with("kpi,tutorial,tutorial-copy,"), "{head}");
    std::fs::remove_dir_all(&cwd).ok();
}

#[test]
fn a_new_run_clears_stale_study_files_but_nothing_it_did_not_write() {
    let cwd = temp("manifest");
    let tut = common::networks_dir().join("tutorial.ron");
    let tut = tut.to_str().unwrap();
    let out = cwd.join("out");
    let o = out.to_str().unwrap();
    run_in(&cwd, &["run", tut, "-n", "8", "-q", "--out", o]);
    run_in(
        &cwd,
        &[
            "sweep",
            tut,
            "--vary",
            "fleet.trucks=300,400",
            "-n",
            "8",
            "-q",
            "--out",
            o,
        ],
    );
    std::fs::write(out.join("my-notes.txt"), "mine").unwrap();
    assert!(out.join("sweep.csv").is_file());
    assert!(out.join("report.html").is_file());
    run_in(&cwd, &["run", tut, "-n", "8", "-q", "--out", o]);
    assert!(
        !out.join("sweep.csv").exists(),
        "a stale sweep sits beside the new report"
    );
    assert!(
        std::fs::read_dir(&out).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("sweep")),
        "stale sweep charts remain"
    );
    assert!(out.join("report.html").is_file() && out.join("daily.csv").is_file());
    assert!(
        out.join("my-notes.txt").is_file(),
        "a file blockade did not write was removed"
    );
    let manifest = std::fs::read_to_string(out.join(".blockade-manifest")).unwrap();
    assert!(
        manifest.lines().all(|l| l.starts_with("run\t")),
        "{manifest}"
    );
    assert!(manifest.contains("run\treport.html"), "{manifest}");
    std::fs::remove_dir_all(&cwd).ok();
}
