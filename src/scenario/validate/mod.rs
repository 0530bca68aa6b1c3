//! Checks a merged [`ScenarioFile`] and resolves it into a [`Scenario`].
//!
//! Validation never stops at the first problem: it walks the whole file, collects every
//! error and warning, and only builds the `Scenario` if there is no error. Each problem
//! names the item (`segment `KAY-DIE``, `event #3`) and carries a [`Loc`] that the loader
//! turns into a file, line and column.
//!
//! Split by concern: this file holds the entry points, the collector ([`Checker`]) and the
//! walk over the file in the order the checks run; `quantities.rs` the ranges and the
//! uncertain inputs; `settings.rs` the fleet, dispatch, escorts and interdiction blocks;
//! `network.rs` the nodes, depots, segments, transit times and the graph as a whole (ids and
//! references); `events.rs` the timeline; `words.rs` the number format and the "did you mean".

use std::collections::HashMap;

use crate::scenario::defaults as def;
use crate::scenario::schema::{NodeSpec, ScenarioFile};
use crate::scenario::uncertain::UncertainInput;
use crate::scenario::{Date, NodeId, Scenario};

use super::diagnostic::Diagnostic;

mod events;
mod network;
mod quantities;
mod settings;
mod words;

pub use words::closest;
pub(crate) use words::fmt_num;

/// Where in the files a problem is, before it is turned into line and column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Loc {
    /// Nowhere in particular (the main file).
    None,
    /// A top-level path such as `["fleet", "trucks"]`.
    Field(Vec<&'static str>),
    /// A node, or one of its fields.
    Node(String, Option<&'static str>),
    /// A segment, or one of its fields.
    Segment(String, Option<&'static str>),
    /// The n-th (0-based) definition of a node id: for duplicates.
    NodeNth(String, usize),
    /// The n-th (0-based) definition of a segment id: for duplicates.
    SegmentNth(String, usize),
    /// The n-th (0-based) demand class of that name in a depot, or one of its fields.
    Class(String, String, usize, Option<&'static str>),
    /// The i-th event of the merged timeline, or one of its fields.
    Event(usize, Option<&'static str>),
}

/// Checks `file` and builds the scenario; `default_name` is used when `name` is absent.
///
/// # Errors
/// Every error found, with warnings, in the order the checks run (settings, nodes,
/// segments, fleet and dispatch, the network as a whole, events). Diagnostics carry no position here;
/// [`crate::scenario::load`] adds file, line and column.
pub fn validate(
    file: &ScenarioFile,
    default_name: &str,
) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (scenario, diags) = validate_located(file, default_name);
    let diags: Vec<Diagnostic> = diags.into_iter().map(|(d, _)| d).collect();
    match scenario {
        Some(s) if !diags.iter().any(Diagnostic::is_error) => Ok((s, diags)),
        _ => Err(diags),
    }
}

/// Like [`validate`], keeping each diagnostic's location; the scenario is `None` when any
/// error was found.
pub(crate) fn validate_located(
    file: &ScenarioFile,
    default_name: &str,
) -> (Option<Scenario>, Vec<(Diagnostic, Loc)>) {
    let mut c = Checker {
        diags: Vec::new(),
        uncertain: Vec::new(),
        inherited: Vec::new(),
    };
    let scenario = c.scenario(file, default_name);
    let failed = c.diags.iter().any(|(d, _)| d.is_error());
    (if failed { None } else { scenario }, c.diags)
}

/// Collects every diagnostic while the checks walk the file.
struct Checker {
    diags: Vec<(Diagnostic, Loc)>,
    /// The uncertain inputs found, in the order the checks meet them.
    uncertain: Vec<UncertainInput>,
    /// Segment fields that take an uncertain scenario-wide `interdiction` default.
    inherited: Vec<String>,
}

impl Checker {
    fn error(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::error(subject, msg), loc));
    }

    fn warn(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::warning(subject, msg), loc));
    }

    /// The size limits: nodes, segments, events and demand classes.
    fn counts(&mut self, f: &ScenarioFile) {
        let classes: usize = f
            .nodes
            .iter()
            .map(|n| match n {
                NodeSpec::Depot { demand, .. } => demand.len(),
                _ => 0,
            })
            .sum();
        for (what, n, max, field) in [
            ("nodes", f.nodes.len(), def::MAX_NODES, "nodes"),
            ("segments", f.segments.len(), def::MAX_SEGMENTS, "segments"),
            ("events", f.events.len(), def::MAX_EVENTS, "events"),
            ("demand classes", classes, def::MAX_CLASSES, "nodes"),
        ] {
            if n > max {
                let msg = format!("{n} {what}, above the supported maximum {max}");
                self.error("", msg, Loc::Field(vec![field]));
            }
        }
    }

    fn scenario(&mut self, f: &ScenarioFile, default_name: &str) -> Option<Scenario> {
        let name = f.name.clone().unwrap_or_else(|| default_name.to_string());
        if name.trim().is_empty() {
            self.error("", "`name` is empty", Loc::Field(vec!["name"]));
        }
        let start_date = match &f.start_date {
            Some(s) => {
                let d = Date::parse(s);
                if d.is_none() {
                    self.error(
                        "",
                        format!("`start_date` \"{s}\" is not a date of the form YYYY-MM-DD"),
                        Loc::Field(vec!["start_date"]),
                    );
                }
                d
            }
            None => None,
        };
        let horizon_days = f.horizon_days.unwrap_or(def::HORIZON_DAYS);
        if horizon_days == 0 {
            self.error(
                "",
                "`horizon_days` is 0; the horizon must be at least one day",
                Loc::Field(vec!["horizon_days"]),
            );
        } else if horizon_days > def::MAX_HORIZON_DAYS {
            let msg = format!(
                "`horizon_days` is {horizon_days}, above the supported maximum {}",
                def::MAX_HORIZON_DAYS
            );
            self.error("", msg, Loc::Field(vec!["horizon_days"]));
        }
        let replications = f.replications.unwrap_or(def::REPLICATIONS);
        if replications == 0 {
            self.error(
                "",
                "`replications` is 0; at least one is needed",
                Loc::Field(vec!["replications"]),
            );
        } else if replications > def::MAX_REPLICATIONS {
            let msg = format!(
                "`replications` is {replications}, above the supported maximum {}",
                def::MAX_REPLICATIONS
            );
            self.error("", msg, Loc::Field(vec!["replications"]));
        }

        self.counts(f);
        let interdiction = self.interdiction(f);
        let nodes = self.nodes(&f.nodes);
        let index: HashMap<&str, NodeId> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), NodeId(i as u32)))
            .collect();
        let segments = self.segments(&f.segments, &nodes, &index, &interdiction);
        let fleet = self.fleet(f);
        let dispatch = self.dispatch(f);
        let escorts = self.escorts(f);
        // Reachability on a network with unresolved segments would only add noise.
        if !nodes.is_empty() && segments.iter().all(Option::is_some) {
            self.graph(&nodes, &segments);
        }
        let events = self.events(
            &f.events,
            start_date,
            horizon_days,
            &nodes,
            &index,
            &segments,
        );

        Some(Scenario {
            name,
            description: f.description.clone().unwrap_or_default(),
            start_date,
            horizon_days,
            seed: f.seed.unwrap_or(def::SEED),
            replications,
            nodes,
            segments: segments.into_iter().flatten().collect(),
            fleet: fleet?,
            dispatch,
            escorts,
            interdiction,
            events,
            files: Vec::new(),
            uncertain: std::mem::take(&mut self.uncertain),
            inherited: std::mem::take(&mut self.inherited),
        })
    }
}
