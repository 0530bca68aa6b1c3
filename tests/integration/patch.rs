//! Scenario files made from `tests/fixtures/valid.ron` by a few line edits, so that a test
//! shows the one to three lines it breaks next to the diagnostic it expects, instead of a
//! 62-line copy in `tests/fixtures/`. Every edit names its line in `valid.ron` (1-based) and
//! what it changes there; an edit whose text is not on its line exactly once panics, so a
//! change to `valid.ron` cannot silently move a test off its target.
//!
//! The patches that several test files use are named here (`RISK_OUT_OF_RANGE`, ...).

use std::path::PathBuf;

use tempfile::TempDir;

use crate::common::fixture;

/// One edit of one line of `valid.ron`, numbered as in the unpatched file.
#[derive(Debug, Clone, Copy)]
pub enum Edit {
    /// On line `.0`, replace `.1` (which occurs there exactly once) with `.2`.
    Replace(usize, &'static str, &'static str),
    /// Insert the line `.1` after line `.0`.
    InsertAfter(usize, &'static str),
    /// Delete lines `.0` to `.1`, both included.
    Delete(usize, usize),
}

impl Edit {
    fn line(&self) -> usize {
        match *self {
            Edit::Replace(l, ..) | Edit::InsertAfter(l, _) | Edit::Delete(l, _) => l,
        }
    }
}

/// `valid.ron` with `edits` applied (the line numbers of `edits` are those of `valid.ron`).
pub fn apply(edits: &[Edit]) -> String {
    let base = std::fs::read_to_string(fixture("valid.ron")).expect("valid.ron is readable");
    let mut lines: Vec<Option<String>> = base.lines().map(|l| Some(l.to_string())).collect();
    let mut inserted: Vec<Vec<&str>> = vec![Vec::new(); lines.len() + 1];
    let mut touched = std::collections::BTreeSet::new();
    for e in edits {
        let n = e.line();
        assert!(
            n >= 1 && n <= lines.len(),
            "{e:?}: valid.ron has no line {n}"
        );
        match *e {
            Edit::Replace(_, old, new) => {
                assert!(touched.insert(n), "{e:?}: line {n} is edited twice");
                let line = lines[n - 1].as_mut().expect("a deleted line is not edited");
                assert_eq!(
                    line.matches(old).count(),
                    1,
                    "{e:?}: line {n} of valid.ron must hold {old:?} once: {line:?}"
                );
                *line = line.replacen(old, new, 1);
            }
            Edit::InsertAfter(_, text) => inserted[n].push(text),
            Edit::Delete(_, last) => {
                assert!(last >= n && last <= lines.len(), "{e:?}: bad range");
                for l in n..=last {
                    assert!(touched.insert(l), "{e:?}: line {l} is edited twice");
                    lines[l - 1] = None;
                }
            }
        }
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(l) = line {
            out.push_str(l);
            out.push('\n');
        }
        for extra in &inserted[i + 1] {
            out.push_str(extra);
            out.push('\n');
        }
    }
    out
}

/// A temporary directory of scenario files, removed when dropped.
pub struct Dir {
    dir: TempDir,
}

impl Dir {
    /// A new, empty directory.
    pub fn new() -> Dir {
        Dir {
            dir: tempfile::Builder::new()
                .prefix("blockade-patch-")
                .tempdir()
                .expect("a temporary directory"),
        }
    }

    /// Writes `text` as the file `name` and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("the temporary file is written");
        path
    }

    /// Writes `valid.ron` patched by `edits` as the file `name` and returns its path.
    pub fn patched(&self, name: &str, edits: &[Edit]) -> PathBuf {
        self.write(name, &apply(edits))
    }
}

/// `valid.ron` patched by `edits`, written as `name` in a new temporary directory; keep the
/// `Dir` alive while the file is used.
pub fn patched(name: &str, edits: &[Edit]) -> (Dir, PathBuf) {
    let dir = Dir::new();
    let path = dir.patched(name, edits);
    (dir, path)
}

use Edit::{Delete, InsertAfter, Replace};

/// Segment KAY-BKO has a risk of 1.5 (line 44, column 120).
pub const RISK_OUT_OF_RANGE: &[Edit] = &[Replace(44, "risk: 0.05", "risk: 1.5")];

/// Warning: segment KAY-BKO has a risk of exactly 1.0 (line 44).
pub const RISK_ONE: &[Edit] = &[Replace(44, "risk: 0.05", "risk: 1.0")];

/// Warning: source DKR has zero supply (line 20, column 90).
pub const ZERO_SUPPLY: &[Edit] = &[Replace(
    20,
    "supply_litres_per_day: 2_500_000",
    "supply_litres_per_day: 0",
)];

/// Warning: segment BKO-NIO (line 48 once patched) leads away from the only depot.
pub const SEGMENT_ON_NO_PATH: &[Edit] = &[
    InsertAfter(
        24,
        r#"        Waypoint(id: "NIO", name: "Niono", lat: 14.25, lon: -5.99),"#,
    ),
    InsertAfter(
        46,
        r#"        (from: "BKO", to: "NIO", km: 330, transit_days: Fixed(1.0), capacity_trucks_per_day: 20, risk: 0.01),"#,
    ),
];

/// A missing comma between two fields of segment DKR-TMB (line 42, column 42).
pub const SYNTAX_MISSING_COMMA: &[Edit] = &[Replace(42, "km: 465,", "km: 465")];

/// A fleet of zero trucks (line 49, column 21).
pub const ZERO_TRUCKS: &[Edit] = &[Replace(49, "trucks: 400", "trucks: 0")];

/// A horizon of zero days (line 14, column 19), and no events, so that this is the only
/// problem.
pub const HORIZON_ZERO: &[Edit] = &[
    Replace(14, "horizon_days: 90,", "horizon_days: 0,"),
    Delete(53, 61),
];

/// Eight distinct problems, on lines 20, 22, 29, 33, 43, 44, 49 and 60.
pub const SEVERAL_ERRORS: &[Edit] = &[
    Replace(
        20,
        "supply_litres_per_day: 2_500_000",
        "supply_litres_per_day: 0",
    ),
    Replace(22, "lat: 13.77", "lat: 95.0"),
    Replace(29, "20_000_000", "50_000_000"),
    Replace(33, "\"households\"", "\"transport\""),
    Replace(43, "Uniform(1.0, 2.0)", "Uniform(2.0, 1.0)"),
    Replace(44, "risk: 0.05", "risk: 1.5"),
    Replace(49, "trucks: 400", "trucks: 0"),
    Replace(60, "\"BKO\"", "\"BAMAKO\""),
];

/// Includes `include_cycle_b.ron` (line 11), which includes this file back.
pub const INCLUDE_CYCLE_A: &[Edit] = &[InsertAfter(10, r#"    include: ["include_cycle_b.ron"],"#)];

/// The other half of the cycle; includes `include_cycle_a.ron` (line 4).
pub const INCLUDE_CYCLE_B: &str = r#"// the other half of the cycle
Scenario(
    name: "cycle-b",
    include: ["include_cycle_a.ron"],
)
"#;

/// Writes both halves of the include cycle in `dir` and returns their paths.
pub fn include_cycle(dir: &Dir) -> (PathBuf, PathBuf) {
    (
        dir.patched("include_cycle_a.ron", INCLUDE_CYCLE_A),
        dir.write("include_cycle_b.ron", INCLUDE_CYCLE_B),
    )
}

/// Includes a file that does not exist (line 11, column 15).
pub const INCLUDE_MISSING: &[Edit] = &[InsertAfter(10, r#"    include: ["no_such_file.ron"],"#)];
