//! Shared helpers: where fixtures and the bundled networks live, the `blockade` binary, and
//! the data-driven `check`/`mismatch` that compare a scenario's diagnostics with a list of
//! expectations (severity, subject, words, file, exact line and column).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use blockade::scenario::{self, Diagnostic, Loaded, ScenarioError, Severity};

/// An observation of the tutorial's first 90 days (`source: "test"`, 1 Sep to 29 Nov
/// 2025) for an observations file: `what` and `value` as the format writes them.
pub fn tutorial_observation(id: &str, what: &str, value: &str) -> String {
    format!(
        r#"(id: "{id}", source: "test", from: "2025-09-01", to: "2025-11-29", what: {what}, value: {value})"#
    )
}

/// Writes an observations file holding `observations` to `path`.
pub fn write_observations(path: &Path, observations: &[String]) {
    let body: String = observations.iter().map(|o| format!(" {o},\n")).collect();
    std::fs::write(path, format!("Observations(observations: [\n{body}])")).expect("write");
}

/// The arguments of a small calibration of the tutorial against `observed`, after the
/// subcommand: 8 points of 4 replications, `budget` replications in all, and the two
/// roads' last legs' risks as priors.
pub fn small_tutorial_calibration<'a>(observed: &'a str, budget: &'a str) -> Vec<&'a str> {
    vec![
        "networks/tutorial.ron",
        "--observed",
        observed,
        "--points",
        "8",
        "--replications-per-point",
        "4",
        "--budget",
        budget,
        "--prior",
        "segments[KAY-BKO].risk=Uniform(0, 0.12)",
        "--prior",
        "segments[KIT-BKO].risk=Uniform(0, 0.06)",
    ]
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// The bundled scenarios directory, `networks/`.
pub fn networks_dir() -> PathBuf {
    root().join("networks")
}

/// Every `*.ron` file directly in `networks/`, sorted: the scenarios and the observation
/// files (`*-observations.ron`, read by `blockade calibrate`).
pub fn ron_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(networks_dir())
        .expect("networks/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "networks/ holds no .ron file");
    files
}

/// Every scenario in `networks/` (the `*.ron` files but the observation files), sorted.
pub fn network_files() -> Vec<PathBuf> {
    ron_files()
        .into_iter()
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-observations.ron"))
        })
        .collect()
}

/// The `blockade` binary built for these tests.
pub fn blockade() -> Command {
    Command::new(env!("CARGO_BIN_EXE_blockade"))
}

/// Runs `blockade` with `args` and returns its output (waits; for bounded inputs only).
pub fn run(args: &[&std::ffi::OsStr]) -> Output {
    blockade().args(args).output().expect("blockade runs")
}

/// Loads `path` and returns every diagnostic: the warnings of a valid scenario or all
/// problems of an invalid one. Panics on an I/O error.
pub fn diagnostics_of(path: &Path) -> (Option<Loaded>, Vec<Diagnostic>) {
    match scenario::load(path) {
        Ok(l) => {
            let w = l.warnings.clone();
            (Some(l), w)
        }
        Err(ScenarioError::Invalid { diagnostics }) => (None, diagnostics),
        Err(e) => panic!("{}: unexpected error: {e:?}", path.display()),
    }
}

/// The scenario written in `ron`, named `file` in its diagnostics; panics with every
/// problem as the CLI prints them when it does not load.
pub fn scenario_from(ron: &str, file: &str) -> blockade::scenario::Scenario {
    match scenario::load_str(ron, Path::new(file)) {
        Ok(l) => l.scenario,
        Err(ScenarioError::Invalid { diagnostics }) => panic!("{}", render(&diagnostics)),
        Err(e) => panic!("{file}: {e}"),
    }
}

/// Loads a fixture that must be valid with no diagnostic at all.
pub fn load_clean(path: &Path) -> Loaded {
    let (loaded, diags) = diagnostics_of(path);
    assert!(
        diags.is_empty(),
        "{}: expected no diagnostic, got:\n{}",
        path.display(),
        render(&diags)
    );
    loaded.expect("valid scenario")
}

/// All diagnostics as the CLI prints them.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diags {
        let _ = writeln!(
            s,
            "{d}\n    [subject {:?}, line_col {:?}]\n",
            d.subject, d.line_col
        );
    }
    s
}

/// One expected diagnostic.
#[derive(Debug, Clone)]
pub struct Expect {
    severity: Severity,
    /// `None`: no subject. Otherwise the subject must contain this.
    subject: Option<&'static str>,
    /// The message must contain every one of these.
    words: &'static [&'static str],
    /// The file name the diagnostic must point to; `None` means the fixture itself.
    file: Option<&'static str>,
    /// `line_col` must equal this (`None`: the diagnostic has no position).
    line_col: Option<(usize, usize)>,
}

/// An expected error about `subject` (empty: no subject) whose message contains `words`.
pub fn error(subject: &'static str, words: &'static [&'static str]) -> Expect {
    Expect::new(Severity::Error, subject, words)
}

/// An expected warning about `subject` whose message contains `words`.
pub fn warning(subject: &'static str, words: &'static [&'static str]) -> Expect {
    Expect::new(Severity::Warning, subject, words)
}

impl Expect {
    fn new(severity: Severity, subject: &'static str, words: &'static [&'static str]) -> Expect {
        Expect {
            severity,
            subject: (!subject.is_empty()).then_some(subject),
            words,
            file: None,
            line_col: None,
        }
    }

    /// At 1-based `line` and `col` (counted in characters).
    pub fn at(mut self, line: usize, col: usize) -> Expect {
        self.line_col = Some((line, col));
        self
    }

    /// In fixture `name` rather than in the fixture being checked.
    pub fn in_file(mut self, name: &'static str) -> Expect {
        self.file = Some(name);
        self
    }

    /// Why `d` does not match, or `None` if it does.
    fn mismatch(&self, d: &Diagnostic, main: &str) -> Option<String> {
        if d.severity != self.severity {
            return Some(format!("severity {:?}", d.severity));
        }
        match (self.subject, &d.subject) {
            (None, None) => {}
            (Some(want), Some(got)) if got.contains(want) => {}
            (want, got) => return Some(format!("subject {got:?}, want {want:?}")),
        }
        if let Some(w) = self.words.iter().find(|w| !d.message.contains(*w)) {
            return Some(format!("message lacks {w:?}"));
        }
        let want_file = self.file.unwrap_or(main);
        let file_ok = d.file.as_ref().is_some_and(|f| f.ends_with(want_file));
        if !file_ok {
            return Some(format!("file {:?}, want …/{want_file}", d.file));
        }
        if d.line_col != self.line_col {
            return Some(format!(
                "line_col {:?}, want {:?}",
                d.line_col, self.line_col
            ));
        }
        None
    }
}

/// Loads fixture `name` and asserts that its diagnostics are exactly `expect`: see
/// [`mismatch`].
pub fn check(name: &str, expect: &[Expect]) {
    if let Err(why) = mismatch(&fixture(name), expect) {
        panic!("{why}");
    }
}

/// Loads the scenario at `path` and says how its diagnostics differ from `expect`, or
/// `Ok` if they are exactly `expect` (in any order): each expectation matches one distinct
/// diagnostic and none is left over. Also checks that the scenario loads if and only if no
/// error is expected, and that each diagnostic with a position quotes the right line of
/// its file.
pub fn mismatch(path: &Path, expect: &[Expect]) -> Result<(), String> {
    let name = path
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let name = name.as_str();
    let (loaded, diags) = diagnostics_of(path);
    let shown = || render(&diags);
    let mut used = vec![false; diags.len()];
    for e in expect {
        let hit = diags
            .iter()
            .enumerate()
            .find(|(i, d)| !used[*i] && e.mismatch(d, name).is_none());
        match hit {
            Some((i, _)) => used[i] = true,
            None => {
                let why: Vec<String> = diags
                    .iter()
                    .filter_map(|d| {
                        e.mismatch(d, name)
                            .map(|w| format!("  - {}: {w}", d.headline()))
                    })
                    .collect();
                return Err(format!(
                    "{name}: no diagnostic matches {e:?}\nclosest misses:\n{}\nall diagnostics:\n{}",
                    why.join("\n"),
                    shown()
                ));
            }
        }
    }
    let extra: Vec<Diagnostic> = diags
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(d, _)| d.clone())
        .collect();
    if !extra.is_empty() {
        return Err(format!(
            "{name}: unexpected diagnostics:\n{}",
            render(&extra)
        ));
    }
    let wants_error = expect.iter().any(|e| e.severity == Severity::Error);
    if loaded.is_none() != wants_error {
        return Err(format!(
            "{name}: the scenario must load if and only if no error is expected\n{}",
            shown()
        ));
    }
    for d in &diags {
        source_line_mismatch(d)?;
    }
    Ok(())
}

/// A diagnostic with a position must quote exactly that line of its file: why `d` does
/// not, or `Ok` if it does (or has no position).
fn source_line_mismatch(d: &Diagnostic) -> Result<(), String> {
    let (Some(file), Some((line, col))) = (&d.file, d.line_col) else {
        return Ok(());
    };
    let text = std::fs::read_to_string(file).expect("diagnostic file is readable");
    let want = text.lines().nth(line - 1).map(str::to_string);
    if d.source_line != want {
        return Err(format!(
            "{}: source_line must be line {line}: {:?}, got {:?}",
            d.headline(),
            want,
            d.source_line
        ));
    }
    let len = want.map_or(0, |l| l.chars().count());
    if !(col >= 1 && col <= len + 1) {
        return Err(format!(
            "{}: column {col} is outside line {line} ({len} chars)",
            d.headline()
        ));
    }
    Ok(())
}
