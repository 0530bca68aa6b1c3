//! Observations: what was seen on the roads and at the depots, dated and with its
//! uncertainty (docs/calibration.md). `blockade calibrate` keeps the uncertain inputs under
//! which they are plausible.
//!
//! Long (over 600 lines, 100 of tests) because the observations format, its checks
//! against a scenario and its locations are one small file format, read nowhere else.
//!
//! A file is RON, unknown fields denied:
//!
//! ```ron
//! Observations(
//!     scenario: "tutorial",            // optional: the scenario it was written for
//!     observations: [
//!         (id: "north-lost-sep", source: "§3b", from: "2025-09-01", to: "2025-09-30",
//!          what: TrucksLost(tags: ["north"]), value: Range(lo: 5, hi: 25)),
//!         (id: "bko-stock-oct", source: "§2", from: "2025-10-15", to: "2025-10-15",
//!          what: Stock(depot: "BKO"), value: About(value: 8e6, sd: 2e6)),
//!     ],
//! )
//! ```
//!
//! Parsing ([`parse`]) reports a syntax error with line and column; [`resolve`] checks the
//! observations against a scenario and reports every problem at once, each with the
//! observation's id and, where it can be found, its line and column. What each observation
//! counts in a replication is `calibrate::simulated`.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use super::diagnostic::Diagnostic;
use super::locate::Tree;
use super::{Date, NodeKind, Scenario, SegmentId};

/// Why an observations file could not be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ObservationsError {
    /// The file could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The file has errors: every problem found.
    #[error("invalid observations: {} error{}", diagnostics.len(), if diagnostics.len() == 1 { "" } else { "s" })]
    Invalid {
        /// Every problem, in file order.
        diagnostics: Vec<Diagnostic>,
    },
}

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Observations")]
pub struct ObservationsFile {
    /// The scenario the observations were written for (informative; a mismatch is not an
    /// error, the segment and depot ids are what must match).
    #[serde(default)]
    pub scenario: Option<String>,
    /// The observations.
    pub observations: Vec<ObservationSpec>,
}

/// One observation as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationSpec {
    /// Unique id, used in every output.
    pub id: String,
    /// A readable label (default: the id).
    #[serde(default)]
    pub label: Option<String>,
    /// Where it comes from: "§3b" of docs/sources.md, an outlet, a date.
    pub source: String,
    /// First day observed, ISO date, inclusive.
    pub from: String,
    /// Last day observed, ISO date, inclusive. A stock report is read at the end of this day.
    pub to: String,
    /// What was observed.
    pub what: WhatSpec,
    /// The value and its uncertainty.
    pub value: Observed,
    /// The model discrepancy of this observation, a standard deviation in its own unit:
    /// what the model leaves out of it, stated with its reason beside it. Replaces the
    /// default `--discrepancy` share of the observed value for this observation.
    #[serde(default)]
    pub discrepancy: Option<f64>,
}

/// What an observation counts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum WhatSpec {
    /// Trucks lost (destroyed or seized) in attacks on these segments and on the segments
    /// with these tags; both empty means every segment.
    TrucksLost {
        /// Segment ids.
        #[serde(default)]
        segments: Vec<String>,
        /// Tags.
        #[serde(default)]
        tags: Vec<String>,
    },
    /// Attacks on convoys on these segments and tags (both empty: every segment).
    Attacks {
        /// Segment ids.
        #[serde(default)]
        segments: Vec<String>,
        /// Tags.
        #[serde(default)]
        tags: Vec<String>,
    },
    /// Litres unloaded at a depot.
    LitresDelivered {
        /// The depot id.
        depot: String,
    },
    /// Truckloads unloaded at a depot (litres unloaded / `fleet.truck_litres`).
    TrucksDelivered {
        /// The depot id.
        depot: String,
    },
    /// Loaded convoys that reached a depot.
    ConvoysArrived {
        /// The depot id.
        depot: String,
    },
    /// The depot's stock at the end of day `to`, litres.
    Stock {
        /// The depot id.
        depot: String,
    },
    /// Days on which the depot ran dry (a request not met because the stock ran out).
    DryDays {
        /// The depot id.
        depot: String,
    },
}

/// An observed value and its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Observed {
    /// A value with a standard deviation.
    About {
        /// The value.
        value: f64,
        /// Its standard deviation (>= 0).
        sd: f64,
    },
    /// A range read as a 95 % interval: centre `(lo + hi) / 2`, standard deviation
    /// `(hi - lo) / 4`.
    Range {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// A lower bound ("over 130"): only a simulated mean below it counts against a point.
    AtLeast {
        /// The bound.
        value: f64,
        /// Its standard deviation (default 0).
        #[serde(default)]
        sd: f64,
    },
    /// An upper bound: only a simulated mean above it counts against a point.
    AtMost {
        /// The bound.
        value: f64,
        /// Its standard deviation (default 0).
        #[serde(default)]
        sd: f64,
    },
}

impl Observed {
    /// The observed value: the value, a range's centre or the bound.
    pub fn centre(&self) -> f64 {
        match *self {
            Observed::About { value, .. }
            | Observed::AtLeast { value, .. }
            | Observed::AtMost { value, .. } => value,
            Observed::Range { lo, hi } => 0.5 * (lo + hi),
        }
    }

    /// The observation variance.
    pub fn variance(&self) -> f64 {
        match *self {
            Observed::About { sd, .. }
            | Observed::AtLeast { sd, .. }
            | Observed::AtMost { sd, .. } => sd * sd,
            Observed::Range { lo, hi } => ((hi - lo) / 4.0).powi(2),
        }
    }

    /// The same observation with its variance multiplied by `f` (its standard deviation by
    /// `sqrt(f)`; a range narrowed about its centre).
    pub fn scaled_variance(&self, f: f64) -> Observed {
        let k = f.max(0.0).sqrt();
        match *self {
            Observed::About { value, sd } => Observed::About { value, sd: sd * k },
            Observed::AtLeast { value, sd } => Observed::AtLeast { value, sd: sd * k },
            Observed::AtMost { value, sd } => Observed::AtMost { value, sd: sd * k },
            Observed::Range { lo, hi } => {
                let (c, h) = (0.5 * (lo + hi), 0.5 * (hi - lo) * k);
                Observed::Range {
                    lo: c - h,
                    hi: c + h,
                }
            }
        }
    }

    /// The signed distance from the observation to a simulated mean, 0 inside a bound:
    /// `mean - centre` for a value or a range.
    pub fn miss(&self, mean: f64) -> f64 {
        match *self {
            Observed::AtLeast { value, .. } => (mean - value).min(0.0),
            Observed::AtMost { value, .. } => (mean - value).max(0.0),
            _ => mean - self.centre(),
        }
    }

    /// Lowest and highest value a chart shows for the observation: the range, value ± 2 sd,
    /// or the bound on one side.
    pub fn bar(&self) -> (f64, f64) {
        match *self {
            Observed::About { value, sd } => (value - 2.0 * sd, value + 2.0 * sd),
            Observed::Range { lo, hi } => (lo, hi),
            Observed::AtLeast { value, .. } => (value, f64::INFINITY),
            Observed::AtMost { value, .. } => (f64::NEG_INFINITY, value),
        }
    }

    /// How the observation is written in tables: `20–80`, `50 ± 15`, `≥ 130`.
    pub fn describe(&self) -> String {
        match *self {
            Observed::About { value, sd } => format!("{value} ± {sd}"),
            Observed::Range { lo, hi } => format!("{lo}–{hi}"),
            Observed::AtLeast { value, .. } => format!(">= {value}"),
            Observed::AtMost { value, .. } => format!("<= {value}"),
        }
    }
}

/// What a checked observation counts, in the scenario's indices.
#[derive(Debug, Clone, PartialEq)]
pub enum Quantity {
    /// Trucks lost on these segments (a mask over segment indices).
    TrucksLost(Vec<bool>),
    /// Attacks on these segments.
    Attacks(Vec<bool>),
    /// Litres unloaded at the depot (its index in [`crate::model::Layout::depots`]).
    LitresDelivered(usize),
    /// Truckloads unloaded at the depot.
    TrucksDelivered(usize),
    /// Loaded convoys arrived at the depot.
    ConvoysArrived(usize),
    /// Stock at the end of the last day.
    Stock(usize),
    /// Days dry.
    DryDays(usize),
}

impl Quantity {
    /// The unit in words, for tables and axes.
    pub fn unit(&self) -> &'static str {
        match self {
            Quantity::TrucksLost(_) => "trucks lost",
            Quantity::Attacks(_) => "attacks",
            Quantity::LitresDelivered(_) => "litres delivered",
            Quantity::TrucksDelivered(_) => "truckloads delivered",
            Quantity::ConvoysArrived(_) => "convoys arrived",
            Quantity::Stock(_) => "litres in stock",
            Quantity::DryDays(_) => "days dry",
        }
    }
}

/// A checked observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Unique id.
    pub id: String,
    /// Readable label.
    pub label: String,
    /// Where it comes from.
    pub source: String,
    /// First day, inclusive (day 0 = the scenario's start date).
    pub from: u32,
    /// Last day, inclusive.
    pub to: u32,
    /// What it counts.
    pub quantity: Quantity,
    /// The value and its uncertainty.
    pub value: Observed,
    /// The stated model discrepancy (a standard deviation in the observation's unit), or
    /// `None` for the calibration's default share of the observed value.
    pub discrepancy: Option<f64>,
}

impl Observation {
    /// The period in words: `14 Sep 2025` or `1 Sep 2025 – 30 Sep 2025`.
    pub fn period(&self, s: &Scenario) -> String {
        if self.from == self.to {
            s.day_label(i64::from(self.from))
        } else {
            format!(
                "{} – {}",
                s.day_label(i64::from(self.from)),
                s.day_label(i64::from(self.to))
            )
        }
    }
}

/// Reads and checks the observations file at `path` against `s`.
///
/// # Errors
/// [`ObservationsError::Io`] if the file cannot be read, [`ObservationsError::Invalid`] with
/// every problem found.
pub fn load(path: &Path, s: &Scenario) -> Result<Vec<Observation>, ObservationsError> {
    let text = super::load::read_text(path).map_err(|source| ObservationsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = parse(&text, path)?;
    resolve(&file, s, &text, path)
}

/// Parses the text of an observations file.
///
/// # Errors
/// [`ObservationsError::Invalid`] with the syntax error, its line and column.
pub fn parse(text: &str, path: &Path) -> Result<ObservationsFile, ObservationsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<ObservationsFile>(text)
        .map_err(|e| {
            let mut d = Diagnostic::error("", lowercase_first(&e.code.to_string()));
            place(&mut d, path, text, e.span.start.line, e.span.start.col);
            ObservationsError::Invalid {
                diagnostics: vec![d],
            }
        })
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn place(d: &mut Diagnostic, path: &Path, text: &str, line: usize, col: usize) {
    d.file = Some(path.to_path_buf());
    if line > 0 {
        d.line_col = Some((line, col.max(1)));
        d.source_line = text
            .lines()
            .nth(line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
    }
}

/// Checks `file` against `s`: every problem at once.
///
/// # Errors
/// [`ObservationsError::Invalid`] with every problem found, each with the observation's id
/// and, where it can be found in `text`, its line and column.
pub fn resolve(
    file: &ObservationsFile,
    s: &Scenario,
    text: &str,
    path: &Path,
) -> Result<Vec<Observation>, ObservationsError> {
    let tree = Tree::new(text);
    let mut diags: Vec<Diagnostic> = Vec::new();
    // Where a problem is: the offending string if it is written once, else the id.
    let at = |d: &mut Diagnostic, literal: Option<&str>, id: &str| {
        let found = literal
            .and_then(|l| tree.string(l))
            .or_else(|| tree.string(id));
        match found {
            Some((line, col, src)) => {
                d.file = Some(path.to_path_buf());
                d.line_col = Some((line, col));
                d.source_line = Some(src);
            }
            None => d.file = Some(path.to_path_buf()),
        }
    };
    if file.observations.is_empty() {
        let mut d = Diagnostic::error("", "the file lists no observations");
        d.file = Some(path.to_path_buf());
        diags.push(d);
    }
    let tags = s.tags();
    let start = s.start_date;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, o) in file.observations.iter().enumerate() {
        let subject = if o.id.trim().is_empty() {
            format!("observation #{}", n + 1)
        } else {
            format!("observation `{}`", o.id)
        };
        let mut err = |literal: Option<&str>, msg: String| {
            let mut d = Diagnostic::error(subject.clone(), msg);
            at(&mut d, literal, &o.id);
            diags.push(d);
        };
        if o.id.trim().is_empty() {
            err(None, "the id is empty".into());
        } else if !seen.insert(o.id.clone()) {
            err(None, "this id is used by an earlier observation".into());
        }
        if o.source.trim().is_empty() {
            err(
                None,
                "`source` is empty: say where the observation comes from".into(),
            );
        }
        let day = |text: &str| -> Result<u32, String> {
            let Some(date) = Date::parse(text) else {
                return Err(format!("`{text}` is not a date (write it like 2025-09-14)"));
            };
            let Some(start) = start else {
                return Err("the scenario has no start_date, so dates cannot be placed".into());
            };
            let d = start.days_until(date);
            if d < 0 || d >= i64::from(s.horizon_days) {
                return Err(format!(
                    "{text} is outside the scenario's {} days from {start}",
                    s.horizon_days
                ));
            }
            Ok(d as u32)
        };
        let from = day(&o.from).map_err(|m| err(Some(&o.from), format!("from: {m}")));
        let to = day(&o.to).map_err(|m| err(Some(&o.to), format!("to: {m}")));
        if let (Ok(a), Ok(b)) = (from, to)
            && a > b
        {
            err(
                Some(&o.to),
                format!("`to` ({}) is before `from` ({})", o.to, o.from),
            );
        }
        let mut depot = |id: &str| -> Option<usize> {
            let found = s.depots().position(|(nid, _)| s.node(nid).id == id);
            if found.is_none() {
                let known = s
                    .nodes
                    .iter()
                    .any(|n| n.id == id && !matches!(n.kind, NodeKind::Depot(_)));
                err(
                    Some(id),
                    if known {
                        format!("`{id}` is not a depot")
                    } else {
                        format!("unknown depot `{id}`")
                    },
                );
            }
            found
        };
        let quantity = match &o.what {
            WhatSpec::TrucksLost { segments, tags: t }
            | WhatSpec::Attacks { segments, tags: t } => {
                let mut mask = vec![segments.is_empty() && t.is_empty(); s.segments.len()];
                for id in segments {
                    match s.segment_by_id(id) {
                        Some(SegmentId(i)) => mask[i as usize] = true,
                        None => err(Some(id), format!("unknown segment `{id}`")),
                    }
                }
                for tag in t {
                    match tags.get(tag.as_str()) {
                        Some(list) => list.iter().for_each(|g| mask[g.index()] = true),
                        None => err(Some(tag), format!("unknown tag `{tag}`")),
                    }
                }
                Some(match o.what {
                    WhatSpec::TrucksLost { .. } => Quantity::TrucksLost(mask),
                    _ => Quantity::Attacks(mask),
                })
            }
            WhatSpec::LitresDelivered { depot: d } => depot(d).map(Quantity::LitresDelivered),
            WhatSpec::TrucksDelivered { depot: d } => depot(d).map(Quantity::TrucksDelivered),
            WhatSpec::ConvoysArrived { depot: d } => depot(d).map(Quantity::ConvoysArrived),
            WhatSpec::Stock { depot: d } => depot(d).map(Quantity::Stock),
            WhatSpec::DryDays { depot: d } => depot(d).map(Quantity::DryDays),
        };
        let v = o.value;
        let bad = |x: f64| !x.is_finite() || x < 0.0;
        match v {
            Observed::About { value, sd }
            | Observed::AtLeast { value, sd }
            | Observed::AtMost { value, sd } => {
                if bad(value) {
                    err(None, format!("value {value} must be a finite number >= 0"));
                }
                if bad(sd) {
                    err(None, format!("sd {sd} must be a finite number >= 0"));
                }
            }
            Observed::Range { lo, hi } => {
                if bad(lo) || bad(hi) || lo > hi {
                    err(
                        None,
                        format!("range {lo}–{hi} must have 0 <= lo <= hi, finite"),
                    );
                }
            }
        }
        if let Some(md) = o.discrepancy
            && bad(md)
        {
            err(
                None,
                format!("discrepancy {md} must be a finite number >= 0"),
            );
        }
        if let (Ok(a), Ok(b), Some(q)) = (from, to, quantity)
            && a <= b
        {
            out.push(Observation {
                id: o.id.clone(),
                label: o.label.clone().unwrap_or_else(|| o.id.clone()),
                source: o.source.clone(),
                from: a,
                to: b,
                quantity: q,
                value: v,
                discrepancy: o.discrepancy,
            });
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(ObservationsError::Invalid { diagnostics: diags })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tutorial() -> Scenario {
        crate::scenario::load(Path::new("networks/tutorial.ron"))
            .expect("tutorial loads")
            .scenario
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = r#"Observations(
    observations: [
        (id: "a", source: "§3b", from: "2025-09-01", to: "2025-09-30",
         what: TrucksLost(segments: ["KAY-XXX"], tags: ["nowhere"]), value: Range(lo: 5, hi: 2)),
        (id: "a", source: "", from: "2025-13-01", to: "2025-09-30",
         what: Stock(depot: "DKR"), value: About(value: 1, sd: -1), discrepancy: -2),
    ],
)"#;
        let file = parse(text, Path::new("obs.ron")).expect("parses");
        let Err(ObservationsError::Invalid { diagnostics }) =
            resolve(&file, &tutorial(), text, Path::new("obs.ron"))
        else {
            panic!("must be invalid")
        };
        let all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        let joined = all.join("\n");
        for want in [
            "unknown segment `KAY-XXX`",
            "unknown tag `nowhere`",
            "range 5–2",
            "used by an earlier observation",
            "`source` is empty",
            "`2025-13-01` is not a date",
            "`DKR` is not a depot",
            "sd -1",
            "discrepancy -2",
        ] {
            assert!(joined.contains(want), "missing {want} in\n{joined}");
        }
        let seg = diagnostics
            .iter()
            .find(|d| d.message.contains("KAY-XXX"))
            .expect("segment problem");
        assert_eq!(seg.line_col, Some((4, 38)));
        assert!(joined.contains("obs.ron:4:38"));
    }

    #[test]
    fn a_stated_discrepancy_is_read() {
        let text = r#"Observations(observations: [
        (id: "a", source: "§3b", from: "2025-09-01", to: "2025-09-30",
         what: TrucksLost(), value: AtLeast(value: 20), discrepancy: 8.5),
        (id: "b", source: "§3b", from: "2025-09-01", to: "2025-09-30",
         what: TrucksLost(), value: AtLeast(value: 20)),
])"#;
        let file = parse(text, Path::new("o.ron")).expect("parses");
        let obs = resolve(&file, &tutorial(), text, Path::new("o.ron")).expect("valid");
        assert_eq!(obs[0].discrepancy, Some(8.5));
        assert_eq!(obs[1].discrepancy, None);
    }

    #[test]
    fn syntax_errors_and_unknown_fields_have_a_line_and_column() {
        let text = "Observations(\n  observations: [],\n  colour: 3,\n)";
        let Err(ObservationsError::Invalid { diagnostics }) = parse(text, Path::new("o.ron"))
        else {
            panic!("unknown field must fail")
        };
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].line_col.map(|p| p.0), Some(3));
        assert!(
            diagnostics[0].message.contains("colour"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn observed_values_read_as_documented() {
        let r = Observed::Range { lo: 20.0, hi: 80.0 };
        assert_eq!(r.centre(), 50.0);
        assert_eq!(r.variance(), 225.0);
        assert_eq!(r.miss(65.0), 15.0);
        let b = Observed::AtLeast {
            value: 130.0,
            sd: 0.0,
        };
        assert_eq!(b.miss(200.0), 0.0);
        assert_eq!(b.miss(100.0), -30.0);
        let s = Observed::About {
            value: 10.0,
            sd: 4.0,
        }
        .scaled_variance(0.01);
        assert!((s.variance() - 0.16).abs() < 1e-12);
        let n = r.scaled_variance(0.25);
        assert_eq!(n, Observed::Range { lo: 35.0, hi: 65.0 });
    }
}
