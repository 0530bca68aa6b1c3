//! Every bundled scenario checks clean, and export then import gives an equal scenario,
//! through RON and through JSON. Iterates over `networks/`, so scenarios added there are
//! covered without touching this file.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use blockade::scenario::schema::ScenarioFile;
use blockade::scenario::{self, Scenario, export};

use crate::common::{fixture, load_clean, network_files, render, run};
use crate::patch;

/// `s` without the list of files it was read from (the only field export cannot keep).
fn without_files(s: &Scenario) -> Scenario {
    Scenario {
        files: Vec::new(),
        ..s.clone()
    }
}

/// Re-reads `text` as if it were the file `path` (not written), which must be clean.
fn reload(text: &str, path: &Path) -> Scenario {
    match scenario::load_str(text, path) {
        Ok(l) => {
            assert!(
                l.warnings.is_empty(),
                "{}: re-import has warnings:\n{}",
                path.display(),
                render(&l.warnings)
            );
            assert_eq!(l.scenario.files, vec![path.to_path_buf()], "no include");
            l.scenario
        }
        Err(e) => {
            let diags = match &e {
                scenario::ScenarioError::Invalid { diagnostics } => render(diagnostics),
                other => format!("{other:?}"),
            };
            panic!(
                "{}: exported text does not load: {e}\n{diags}\n--- text ---\n{text}",
                path.display()
            )
        }
    }
}

/// A path next to `original` (so that includes would resolve) with another name.
fn sibling(original: &Path, suffix: &str) -> PathBuf {
    let stem = original.file_stem().unwrap().to_string_lossy();
    original.with_file_name(format!("{stem}.exported.{suffix}"))
}

fn assert_round_trips(path: &Path) {
    let loaded =
        scenario::load(path).unwrap_or_else(|e| panic!("{}: does not load: {e}", path.display()));
    let original = without_files(&loaded.scenario);

    // RON.
    let ron_text = export::to_ron(&loaded.scenario);
    let parsed: ScenarioFile = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(&ron_text)
        .unwrap_or_else(|e| panic!("{}: export is not RON: {e}", path.display()));
    assert!(
        parsed.include.is_empty(),
        "{}: export has an include",
        path.display()
    );
    assert!(
        !ron_text
            .lines()
            .any(|l| l.trim_start().starts_with("include")),
        "{}: export has an include line",
        path.display()
    );
    let from_ron = reload(&ron_text, &sibling(path, "ron"));
    assert_eq!(
        without_files(&from_ron),
        original,
        "{}: RON round trip differs",
        path.display()
    );
    assert_eq!(
        export::to_ron(&from_ron),
        ron_text,
        "{}: export is not a fixed point",
        path.display()
    );

    // JSON.
    let json_text = export::to_json(&loaded.scenario);
    let parsed: ScenarioFile = serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("{}: export is not JSON: {e}", path.display()));
    assert!(
        parsed.include.is_empty(),
        "{}: JSON export has an include",
        path.display()
    );
    assert!(
        !json_text.contains("\"include\""),
        "{}: JSON export has an include key",
        path.display()
    );
    let from_json = reload(&json_text, &sibling(path, "json"));
    assert_eq!(
        without_files(&from_json),
        original,
        "{}: JSON round trip differs",
        path.display()
    );
}

#[test]
fn every_network_checks_clean() {
    for path in network_files() {
        eprintln!("checking {}", path.display());
        load_clean(&path);
        let o = run(&[OsStr::new("check"), path.as_os_str()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{}: {err}", path.display());
        assert_eq!(
            err,
            "",
            "{}: check prints nothing on stderr",
            path.display()
        );
    }
}

#[test]
fn every_network_round_trips_through_ron_and_json() {
    for path in network_files() {
        eprintln!("round trip {}", path.display());
        assert_round_trips(&path);
    }
}

#[test]
fn a_scenario_with_includes_round_trips_to_one_file() {
    let path = fixture("include_override.ron");
    assert_eq!(load_clean(&path).scenario.files.len(), 2);
    assert_round_trips(&path);
}

#[test]
fn a_scenario_with_warnings_round_trips() {
    for (name, edits) in [
        ("risk_one.ron", patch::RISK_ONE),
        ("segment_on_no_path.ron", patch::SEGMENT_ON_NO_PATH),
        ("zero_supply.ron", patch::ZERO_SUPPLY),
    ] {
        let (_dir, path) = patch::patched(name, edits);
        let loaded = scenario::load(&path).unwrap();
        assert_eq!(loaded.warnings.len(), 1, "{name}");
        let text = export::to_ron(&loaded.scenario);
        let again = scenario::load_str(&text, &sibling(&path, "ron")).unwrap();
        assert_eq!(
            without_files(&again.scenario),
            without_files(&loaded.scenario)
        );
        assert_eq!(
            again.warnings.len(),
            1,
            "{name}: the warning survives export"
        );
    }
}
