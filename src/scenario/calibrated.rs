//! The calibrated-inputs file: points of the uncertain inputs retained by calibration,
//! read by `run --inputs FILE` and every study's `--inputs FILE`.
//!
//! ```ron
//! CalibratedInputs(
//!     scenario: "bamako-2025-uncertain",
//!     fingerprint: "…",
//!     seed: 2025,
//!     inputs: ["segments[KAY-DIE].risk", "escorts.units"],
//!     points: [
//!         [0.052, 12.0],
//!         [0.047, 14.0],
//!     ],
//! )
//! ```
//!
//! Replication r of a run takes `points[r % points.len()]`. This module only reads and
//! checks the file on its own (every point as long as `inputs`, finite values, no path
//! twice); whether its paths are uncertain inputs of a scenario is checked where the two
//! meet ([`crate::ensemble::InputPlan`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The file as written (serde mirror).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "CalibratedInputs")]
struct CalibratedFile {
    scenario: String,
    #[serde(default)]
    fingerprint: String,
    #[serde(default)]
    seed: Option<u64>,
    inputs: Vec<String>,
    points: Vec<Vec<f64>>,
}

/// A calibrated-inputs file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibratedInputs {
    /// Where it was read from.
    pub path: PathBuf,
    /// The name of the scenario it was calibrated for.
    pub scenario: String,
    /// The export fingerprint of that scenario (may be empty).
    pub fingerprint: String,
    /// The seed of the calibration, if given.
    pub seed: Option<u64>,
    /// The input paths, one per column of every point.
    pub inputs: Vec<String>,
    /// The retained points, each one value per input (at least one point).
    pub points: Vec<Vec<f64>>,
}

/// Why a calibrated-inputs file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalibratedError {
    /// The file cannot be read.
    #[error("cannot read calibrated inputs {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a `CalibratedInputs(...)` in RON, or a point is malformed; every
    /// problem found, each with its line and column.
    #[error("{}", problems.iter().map(|p| format!("{}:{p}", path.display())).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// `line:col: message` for each problem.
        problems: Vec<String>,
    },
}

impl CalibratedInputs {
    /// Reads and checks the file at `path` (a regular file of at most 16 MiB).
    ///
    /// # Errors
    /// [`CalibratedError::Io`] if it cannot be read; [`CalibratedError::Invalid`] with every
    /// problem, each at its line and column.
    pub fn load(path: &Path) -> Result<CalibratedInputs, CalibratedError> {
        let text = super::load::read_text(path).map_err(|source| CalibratedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        CalibratedInputs::parse(&text, path)
    }

    /// Parses and checks `text`, read from `path` (used in messages).
    ///
    /// # Errors
    /// [`CalibratedError::Invalid`] with every problem at its line and column.
    pub fn parse(text: &str, path: &Path) -> Result<CalibratedInputs, CalibratedError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let invalid = |problems: Vec<String>| CalibratedError::Invalid {
            path: path.to_path_buf(),
            problems,
        };
        let f: CalibratedFile = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|e| {
                invalid(vec![format!(
                    "{}:{}: {}",
                    e.span.start.line, e.span.start.col, e.code
                )])
            })?;
        let mut problems = Vec::new();
        let at = |needle: &str, nth: usize| -> String {
            let (l, c) = locate(text, needle, nth);
            format!("{l}:{c}")
        };
        if f.inputs.is_empty() {
            problems.push(format!("{}: `inputs` is empty", at("inputs", 0)));
        }
        for (i, p) in f.inputs.iter().enumerate() {
            if f.inputs[..i].contains(p) {
                problems.push(format!(
                    "{}: input `{p}` is listed twice",
                    at(&format!("\"{p}\""), 1)
                ));
            }
        }
        if f.points.is_empty() {
            problems.push(format!("{}: `points` is empty", at("points", 0)));
        }
        for (k, point) in f.points.iter().enumerate() {
            let (l, c) = point_position(text, k);
            if point.len() != f.inputs.len() {
                problems.push(format!(
                    "{l}:{c}: point {} has {} value{}, expected {} (one per input)",
                    k + 1,
                    point.len(),
                    if point.len() == 1 { "" } else { "s" },
                    f.inputs.len()
                ));
            }
            if let Some(j) = point.iter().position(|v| !v.is_finite()) {
                problems.push(format!(
                    "{l}:{c}: point {} has a value that is not a finite number (value {})",
                    k + 1,
                    j + 1
                ));
            }
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        Ok(CalibratedInputs {
            path: path.to_path_buf(),
            scenario: f.scenario,
            fingerprint: f.fingerprint,
            seed: f.seed,
            inputs: f.inputs,
            points: f.points,
        })
    }

    /// The point replication `r` takes: `points[r % points.len()]`.
    pub fn point_of(&self, replication: u64) -> usize {
        (replication % self.points.len().max(1) as u64) as usize
    }
}

/// 1-based line and column of byte offset `i` of `text`.
fn line_col(text: &str, i: usize) -> (usize, usize) {
    let before = &text[..i.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before.len(), |n| before.len() - n - 1)
        + 1;
    (line, col)
}

/// Where the `nth` (0-based) occurrence of `needle` starts, or 1:1.
fn locate(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    text.match_indices(needle)
        .nth(nth)
        .map_or((1, 1), |(i, _)| line_col(text, i))
}

/// Where point `k` (0-based) opens: the `k`-th `[` one level inside the list after
/// `points:`. Comments are not skipped (a `[` in a comment may shift it); 1:1 if not found.
fn point_position(text: &str, k: usize) -> (usize, usize) {
    let Some(start) = text.find("points") else {
        return (1, 1);
    };
    let mut depth = 0usize;
    let mut seen = 0usize;
    for (i, ch) in text[start..].char_indices() {
        match ch {
            '[' => {
                depth += 1;
                if depth == 2 {
                    if seen == k {
                        return line_col(text, start + i);
                    }
                    seen += 1;
                }
            }
            ']' => {
                if depth <= 1 {
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"CalibratedInputs(
    scenario: "tutorial",
    fingerprint: "abc",
    seed: 7,
    inputs: ["fleet.trucks", "escorts.units"],
    points: [
        [400.0, 4.0],
        [420.0, 6.0],
        [410.0, 5.0],
    ],
)"#;

    #[test]
    fn reads_points_and_cycles_through_them() {
        let c = CalibratedInputs::parse(GOOD, Path::new("c.ron")).unwrap();
        assert_eq!(c.inputs, ["fleet.trucks", "escorts.units"]);
        assert_eq!(c.points.len(), 3);
        assert_eq!(c.point_of(0), 0);
        assert_eq!(c.point_of(4), 1);
        assert_eq!(c.seed, Some(7));
    }

    #[test]
    fn a_short_point_is_reported_at_its_line() {
        let bad = GOOD.replace("[420.0, 6.0]", "[420.0]");
        let e = CalibratedInputs::parse(&bad, Path::new("c.ron")).unwrap_err();
        let t = e.to_string();
        assert!(
            t.contains("c.ron:8:9: point 2 has 1 value, expected 2"),
            "{t}"
        );
    }

    #[test]
    fn a_syntax_error_has_line_and_column() {
        let bad = GOOD.replace("seed: 7,", "seed: seven,");
        let t = CalibratedInputs::parse(&bad, Path::new("c.ron"))
            .unwrap_err()
            .to_string();
        assert!(t.starts_with("c.ron:4:"), "{t}");
    }
}
