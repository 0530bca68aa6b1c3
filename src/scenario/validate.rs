//! Checks a merged [`ScenarioFile`] and resolves it into a [`Scenario`].
//!
//! Validation never stops at the first problem: it walks the whole file, collects every
//! error and warning, and only builds the `Scenario` if there is no error. Each problem
//! names the item (`segment `KAY-DIE``, `event #3`) and carries a [`Loc`] that the loader
//! turns into a file, line and column.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use crate::engine::SimTime;

use super::defaults as def;
use super::diagnostic::Diagnostic;
use super::schema::{
    DistSpec, EffectSpec, EventSpec, NodeSpec, Real, ScenarioFile, SegmentSpec, TransitSpec, Whole,
};
use super::uncertain::UncertainInput;
use super::{
    Date, DemandClass, Depot, Dispatch, Effect, EscortPolicy, Escorts, Event, Fleet, Interdiction,
    Node, NodeId, NodeKind, OnAttack, Rationing, Scenario, Segment, SegmentId, Targets, Transit,
};

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
/// [`super::load`] adds file, line and column.
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

/// Formats a number for a message: plain when moderate, scientific when huge or tiny.
pub(crate) fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "infinity".into()
        } else {
            "-infinity".into()
        }
    } else if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Typos are sought in names of a usual length only: the distance costs the product of
    // the two lengths, and a hostile file may hold names of megabytes.
    const LONGEST: usize = 64;
    let len = word.chars().count();
    if len > LONGEST {
        return None;
    }
    let limit = (len / 3).max(2);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (strsim::levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// An allowed range for a number.
#[derive(Clone, Copy)]
struct Range {
    lo: f64,
    /// If true, `lo` itself is not allowed.
    lo_open: bool,
    hi: f64,
    /// If true, `hi` is a safety limit, not a meaning: say "supported maximum".
    hi_is_limit: bool,
}

const fn at_least(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: false,
        hi,
        hi_is_limit: true,
    }
}
const fn above(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: true,
        hi,
        hi_is_limit: true,
    }
}
const PROB: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 1.0,
    hi_is_limit: false,
};
const LITRES: Range = at_least(0.0, def::MAX_LITRES);
const FACTOR: Range = at_least(0.0, def::MAX_FACTOR);
const DAYS: Range = at_least(0.0, def::MAX_DAYS);
const POS_DAYS: Range = above(0.0, def::MAX_DAYS);

struct Checker {
    diags: Vec<(Diagnostic, Loc)>,
    /// The uncertain inputs found, in the order the checks meet them.
    uncertain: Vec<UncertainInput>,
    /// Segment fields that take an uncertain scenario-wide `interdiction` default.
    inherited: Vec<String>,
}

/// What is wrong with `v` for range `r`, as a message that starts with `lead`
/// ("`risk` is 1.5"), or `None` if it is in range.
fn range_problem(lead: &str, v: f64, r: Range) -> Option<String> {
    Some(if v.is_nan() {
        format!("{lead}; it must be a number")
    } else if v.is_infinite() {
        format!("{lead}; it must be finite")
    } else if v < r.lo || (r.lo_open && v == r.lo) {
        match (r.lo == 0.0, r.lo_open) {
            (true, false) => format!("{lead}; it must not be negative"),
            (true, true) => format!("{lead}; it must be greater than 0"),
            (false, false) => format!("{lead}; it must be at least {}", fmt_num(r.lo)),
            (false, true) => format!("{lead}; it must be greater than {}", fmt_num(r.lo)),
        }
    } else if v > r.hi {
        if r.hi_is_limit {
            format!("{lead}, above the supported maximum {}", fmt_num(r.hi))
        } else {
            format!("{lead}, outside [{}, {}]", fmt_num(r.lo), fmt_num(r.hi))
        }
    } else {
        return None;
    })
}

/// The smallest and largest value a quantity can take (a log-normal's at the quantiles its
/// draws are clamped to).
fn support(v: &Real) -> (f64, f64) {
    match v {
        Real::Fixed(x) => (*x, *x),
        Real::Uncertain(spec) => {
            let d = spec.to_dist();
            (d.quantile(0.0), d.quantile(1.0))
        }
    }
}

/// Largest `sigma` of an uncertain `LogNormal` (a factor of e^3, about 20, per standard
/// deviation).
const MAX_SIGMA: f64 = 3.0;
/// Most values in an uncertain `Choice`.
const MAX_CHOICES: usize = 10_000;

impl Checker {
    fn error(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::error(subject, msg), loc));
    }

    fn warn(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::warning(subject, msg), loc));
    }

    /// Checks that `v` is in `r`; reports and returns false if not.
    fn num(&mut self, subject: &str, field: &str, v: f64, r: Range, loc: Loc) -> bool {
        match range_problem(&format!("`{field}` is {}", fmt_num(v)), v, r) {
            Some(msg) => {
                self.error(subject, msg, loc);
                false
            }
            None => true,
        }
    }

    /// Checks a quantity that may be uncertain: a plain value against `r`; a distribution's
    /// parameters and its whole support against `r`, recording it as an uncertain input at
    /// `path` (the `--set` path). Returns the value the scenario holds (the median of an
    /// uncertain input) and whether it is valid.
    fn real(
        &mut self,
        subject: &str,
        field: &str,
        v: &Real,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (f64, bool) {
        match v {
            Real::Fixed(x) => (*x, self.num(subject, field, *x, r, loc)),
            Real::Uncertain(spec) => self.uncertain(subject, field, spec, false, r, loc, path),
        }
    }

    /// Like [`Checker::real`] for a count. A plain count is returned for the caller's own
    /// checks (`ok` true); an uncertain one is checked against `r` here.
    fn whole(
        &mut self,
        subject: &str,
        field: &str,
        v: &Whole,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (u32, bool) {
        match v {
            Whole::Fixed(n) => (*n, true),
            Whole::Uncertain(spec) => {
                let (m, ok) = self.uncertain(subject, field, spec, true, r, loc, path);
                (m as u32, ok)
            }
        }
    }

    /// Checks one distribution: finite parameters, `lo < hi`, the mode inside, a positive
    /// median and sigma, a non-empty choice (of whole numbers for a count), and every value
    /// it can take inside `r`. Records the input and returns its median and validity.
    #[allow(clippy::too_many_arguments)]
    fn uncertain(
        &mut self,
        subject: &str,
        field: &str,
        spec: &DistSpec,
        whole: bool,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (f64, bool) {
        let mut problems = Vec::new();
        let params: Vec<f64> = match spec {
            DistSpec::Uniform(a, b) => vec![*a, *b],
            DistSpec::Triangular(a, m, b) => vec![*a, *m, *b],
            DistSpec::LogNormal(m, s) => vec![*m, *s],
            DistSpec::Choice(v) => v.clone(),
        };
        if params.iter().any(|x| !x.is_finite()) {
            problems.push("every value must be a finite number".to_string());
        } else {
            match *spec {
                DistSpec::Uniform(a, b) if a >= b => problems.push(format!(
                    "needs lo < hi, but {} >= {}",
                    fmt_num(a),
                    fmt_num(b)
                )),
                DistSpec::Triangular(a, m, b) => {
                    if a >= b {
                        problems.push(format!(
                            "needs lo < hi, but {} >= {}",
                            fmt_num(a),
                            fmt_num(b)
                        ));
                    } else if m < a || m > b {
                        problems.push(format!(
                            "the mode {} is outside [{}, {}]",
                            fmt_num(m),
                            fmt_num(a),
                            fmt_num(b)
                        ));
                    }
                }
                DistSpec::LogNormal(m, sd) => {
                    if m <= 0.0 {
                        problems.push(format!("the median {} must be greater than 0", fmt_num(m)));
                    }
                    if sd <= 0.0 || sd > MAX_SIGMA {
                        problems.push(format!(
                            "sigma {} must be greater than 0 and at most {}",
                            fmt_num(sd),
                            fmt_num(MAX_SIGMA)
                        ));
                    }
                }
                _ => {}
            }
            if let DistSpec::Choice(v) = spec {
                if v.is_empty() {
                    problems.push("the choice is empty; list at least one value".into());
                } else if v.len() > MAX_CHOICES {
                    problems.push(format!(
                        "{} values, above the supported maximum {MAX_CHOICES}",
                        v.len()
                    ));
                }
                if whole && let Some(x) = v.iter().find(|x| x.fract() != 0.0) {
                    problems.push(format!(
                        "{} is not a whole number; `{field}` is a count",
                        fmt_num(*x)
                    ));
                }
            }
        }
        let input = UncertainInput {
            path: path(),
            dist: spec.to_dist(),
            integer: whole,
        };
        if problems.is_empty() {
            // Every value a draw can take must be valid: the two ends of the support (a
            // log-normal's at the quantiles its draws are clamped to).
            let (lo, hi) = (input.value_at(0.0), input.value_at(1.0));
            let lead = |end: &str, v: f64| format!("`{field}` {spec} {end} {}", fmt_num(v));
            for (end, v) in [("can be as low as", lo), ("can be as high as", hi)] {
                if let Some(msg) = range_problem(&lead(end, v), v, r) {
                    problems.push(msg);
                    break;
                }
            }
            if problems.is_empty() {
                let m = input.median();
                self.uncertain.push(input);
                return (m, true);
            }
            for msg in problems {
                self.error(subject, msg, loc.clone());
            }
            return (f64::NAN, false);
        }
        for msg in problems {
            self.error(subject, format!("`{field}` {spec}: {msg}"), loc.clone());
        }
        (f64::NAN, false)
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

    fn interdiction(&mut self, f: &ScenarioFile) -> Interdiction {
        let s = f.interdiction.clone().unwrap_or_default();
        let loc = |k: &'static str| Loc::Field(vec!["interdiction", k]);
        let subj = "interdiction";
        let field = |c: &mut Self, k: &'static str, v: Option<Real>, d: f64, r: Range| {
            c.real(subj, k, &v.unwrap_or(Real::Fixed(d)), r, loc(k), &|| {
                format!("interdiction.{k}")
            })
            .0
        };
        Interdiction {
            loss_fraction: field(
                self,
                "loss_fraction",
                s.loss_fraction,
                def::LOSS_FRACTION,
                PROB,
            ),
            seized_share: field(
                self,
                "seized_share",
                s.seized_share,
                def::SEIZED_SHARE,
                PROB,
            ),
            suspend_days: field(
                self,
                "suspend_days",
                s.suspend_days,
                def::SUSPEND_DAYS,
                DAYS,
            ),
            on_attack: s.on_attack.unwrap_or(OnAttack::Continue),
            return_risk_factor: field(
                self,
                "return_risk_factor",
                s.return_risk_factor,
                def::RETURN_RISK_FACTOR,
                FACTOR,
            ),
        }
    }

    fn nodes(&mut self, specs: &[NodeSpec]) -> Vec<Node> {
        if specs.is_empty() {
            self.error(
                "",
                "the scenario has no nodes; add sources, depots and waypoints under `nodes`",
                Loc::None,
            );
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(specs.len());
        for spec in specs {
            let id = spec.id().to_string();
            let subj = format!("node `{id}`");
            let loc = |f: Option<&'static str>| Loc::Node(id.clone(), f);
            let nth = seen.entry(id.clone()).or_insert(0);
            *nth += 1;
            let nth = *nth - 1;
            if id.trim().is_empty() {
                self.error("node", "`id` is empty", Loc::None);
            } else if nth > 0 {
                self.error(
                    &subj,
                    "duplicate node id; each node needs its own id",
                    Loc::NodeNth(id.clone(), nth),
                );
            }
            let (name, lat, lon) = match spec {
                NodeSpec::Source { name, lat, lon, .. }
                | NodeSpec::Depot { name, lat, lon, .. }
                | NodeSpec::Waypoint { name, lat, lon, .. } => {
                    (name.clone().unwrap_or_else(|| id.clone()), *lat, *lon)
                }
            };
            if let Some(v) = lat {
                self.num(
                    &subj,
                    "lat",
                    v,
                    Range {
                        lo: -90.0,
                        lo_open: false,
                        hi: 90.0,
                        hi_is_limit: false,
                    },
                    loc(Some("lat")),
                );
            }
            if let Some(v) = lon {
                self.num(
                    &subj,
                    "lon",
                    v,
                    Range {
                        lo: -180.0,
                        lo_open: false,
                        hi: 180.0,
                        hi_is_limit: false,
                    },
                    loc(Some("lon")),
                );
            }
            let kind = match spec {
                NodeSpec::Waypoint { .. } => NodeKind::Waypoint,
                NodeSpec::Source {
                    supply_litres_per_day,
                    ..
                } => {
                    let (v, ok) = self.real(
                        &subj,
                        "supply_litres_per_day",
                        supply_litres_per_day,
                        LITRES,
                        loc(Some("supply_litres_per_day")),
                        &|| format!("nodes[{id}].supply_litres_per_day"),
                    );
                    if ok && v == 0.0 {
                        self.warn(
                            &subj,
                            "source has zero supply; no tanker can load here",
                            loc(Some("supply_litres_per_day")),
                        );
                    }
                    NodeKind::Source {
                        supply_litres_per_day: v,
                    }
                }
                NodeSpec::Depot {
                    capacity_litres,
                    initial_stock_litres,
                    demand,
                    rationing,
                    ..
                } => NodeKind::Depot(self.depot(
                    &id,
                    &subj,
                    capacity_litres,
                    initial_stock_litres,
                    demand,
                    rationing.as_ref(),
                )),
            };
            out.push(Node {
                id,
                name,
                lat,
                lon,
                kind,
            });
        }
        out
    }

    fn depot(
        &mut self,
        id: &str,
        subj: &str,
        capacity: &Real,
        initial: &Real,
        demand: &[super::schema::DemandClassSpec],
        rationing: Option<&super::schema::RationingSpec>,
    ) -> Depot {
        let loc = |f: &'static str| Loc::Node(id.to_string(), Some(f));
        let (capacity_v, cap_ok) = self.real(
            subj,
            "capacity_litres",
            capacity,
            above(0.0, def::MAX_LITRES),
            loc("capacity_litres"),
            &|| format!("nodes[{id}].capacity_litres"),
        );
        let (initial_v, init_ok) = self.real(
            subj,
            "initial_stock_litres",
            initial,
            LITRES,
            loc("initial_stock_litres"),
            &|| format!("nodes[{id}].initial_stock_litres"),
        );
        // Every draw must fit: the largest stock against the smallest capacity.
        let (most_initial, least_capacity) = (support(initial).1, support(capacity).0);
        if cap_ok && init_ok && most_initial > least_capacity {
            let msg = if matches!((initial, capacity), (Real::Fixed(_), Real::Fixed(_))) {
                format!(
                    "`initial_stock_litres` ({}) is greater than `capacity_litres` ({})",
                    fmt_num(initial_v),
                    fmt_num(capacity_v)
                )
            } else {
                format!(
                    "`initial_stock_litres` can be {}, more than `capacity_litres`, which can be \
                     as low as {}; every draw must fit",
                    fmt_num(most_initial),
                    fmt_num(least_capacity)
                )
            };
            self.error(subj, msg, loc("initial_stock_litres"));
        }
        let (capacity, initial) = (capacity_v, initial_v);
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut classes = Vec::new();
        for c in demand {
            let csubj = format!("depot `{id}` class `{}`", c.name);
            let nth = names.entry(c.name.clone()).or_insert(0);
            *nth += 1;
            let nth = *nth - 1;
            let cloc = |f: Option<&'static str>| Loc::Class(id.to_string(), c.name.clone(), nth, f);
            if c.name.trim().is_empty() {
                self.error(
                    format!("depot `{id}`"),
                    "a demand class has an empty `name`",
                    loc("demand"),
                );
            } else if nth > 0 {
                self.error(
                    &csubj,
                    "duplicate demand class name in this depot",
                    cloc(None),
                );
            }
            let (litres_per_day, _) = self.real(
                &csubj,
                "litres_per_day",
                &c.litres_per_day,
                LITRES,
                cloc(Some("litres_per_day")),
                &|| format!("nodes[{id}].demand[{}].litres_per_day", c.name),
            );
            if c.priority == 0 {
                self.error(
                    &csubj,
                    "`priority` is 0; priorities start at 1 (the most important)",
                    cloc(Some("priority")),
                );
            }
            classes.push(DemandClass {
                name: c.name.clone(),
                litres_per_day,
                priority: c.priority,
            });
        }
        classes.sort_by_key(|c| c.priority);
        let r = rationing.cloned().unwrap_or_default();
        let (trigger_days, _) = self.real(
            subj,
            "rationing.trigger_days",
            &r.trigger_days.unwrap_or(Real::Fixed(def::TRIGGER_DAYS)),
            DAYS,
            loc("rationing"),
            &|| format!("nodes[{id}].rationing.trigger_days"),
        );
        let (ration_fraction, _) = self.real(
            subj,
            "rationing.ration_fraction",
            &r.ration_fraction
                .unwrap_or(Real::Fixed(def::RATION_FRACTION)),
            PROB,
            loc("rationing"),
            &|| format!("nodes[{id}].rationing.ration_fraction"),
        );
        let rationing = Rationing {
            trigger_days,
            protected_priority: r.protected_priority.unwrap_or(def::PROTECTED_PRIORITY),
            ration_fraction,
        };
        Depot {
            capacity_litres: capacity,
            initial_stock_litres: initial,
            demand: classes,
            rationing,
        }
    }

    fn segments(
        &mut self,
        specs: &[SegmentSpec],
        nodes: &[Node],
        index: &HashMap<&str, NodeId>,
        defaults: &Interdiction,
    ) -> Vec<Option<Segment>> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let node_ids = || nodes.iter().map(|n| n.id.as_str());
        specs
            .iter()
            .map(|s| {
                let id = s.resolved_id();
                let subj = format!("segment `{id}`");
                let loc = |f: Option<&'static str>| Loc::Segment(id.clone(), f);
                let nth = seen.entry(id.clone()).or_insert(0);
                *nth += 1;
                let nth = *nth - 1;
                if id.trim().is_empty() {
                    self.error("segment", "`id` is empty", Loc::None);
                } else if nth > 0 {
                    self.error(
                        &subj,
                        "duplicate segment id; give one of them an explicit `id`",
                        Loc::SegmentNth(id.clone(), nth),
                    );
                }
                let mut end = |field: &'static str, name: &str| match index.get(name) {
                    Some(n) => Some(*n),
                    None => {
                        let msg = format!(
                            "`{field}` names unknown node `{name}`{}",
                            did_you_mean(name, node_ids())
                        );
                        self.error(&subj, msg, loc(Some(field)));
                        None
                    }
                };
                let from = end("from", &s.from);
                let to = end("to", &s.to);
                if s.from == s.to {
                    self.error(&subj, "`from` and `to` are the same node", loc(Some("to")));
                }
                let path = |f: &str| format!("segments[{id}].{f}");
                let (km, _) = self.real(
                    &subj,
                    "km",
                    &s.km,
                    at_least(0.0, 1e6),
                    loc(Some("km")),
                    &|| path("km"),
                );
                let transit = self.transit(&subj, s.transit_days, loc(Some("transit_days")));
                let (cap, _) = self.real(
                    &subj,
                    "capacity_trucks_per_day",
                    &s.capacity_trucks_per_day,
                    at_least(0.0, def::MAX_TRUCKS),
                    loc(Some("capacity_trucks_per_day")),
                    &|| path("capacity_trucks_per_day"),
                );
                let (risk, risk_ok) =
                    self.real(&subj, "risk", &s.risk, PROB, loc(Some("risk")), &|| {
                        path("risk")
                    });
                if risk_ok && risk == 1.0 {
                    self.warn(
                        &subj,
                        "`risk` is exactly 1.0: every convoy entering it is attacked",
                        loc(Some("risk")),
                    );
                }
                for t in &s.tags {
                    if t.trim().is_empty() {
                        self.error(&subj, "a tag is empty", loc(Some("tags")));
                    }
                }
                // A segment's own value, else the scenario default (an uncertain default
                // stays one input, shared by every segment that does not set its own).
                let own = |c: &mut Self, k: &'static str, v: &Option<Real>, d: f64, r| match v {
                    Some(v) => c.real(&subj, k, v, r, loc(Some(k)), &|| path(k)).0,
                    None => {
                        if c.uncertain
                            .iter()
                            .any(|u| u.path == format!("interdiction.{k}"))
                        {
                            c.inherited.push(path(k));
                        }
                        d
                    }
                };
                let attack = Interdiction {
                    loss_fraction: own(
                        self,
                        "loss_fraction",
                        &s.loss_fraction,
                        defaults.loss_fraction,
                        PROB,
                    ),
                    seized_share: own(
                        self,
                        "seized_share",
                        &s.seized_share,
                        defaults.seized_share,
                        PROB,
                    ),
                    suspend_days: own(
                        self,
                        "suspend_days",
                        &s.suspend_days,
                        defaults.suspend_days,
                        DAYS,
                    ),
                    on_attack: s.on_attack.unwrap_or(defaults.on_attack),
                    return_risk_factor: own(
                        self,
                        "return_risk_factor",
                        &s.return_risk_factor,
                        defaults.return_risk_factor,
                        FACTOR,
                    ),
                };
                // A bad transit is already reported; keep the segment (with a placeholder) so
                // that reachability and event checks still see it.
                Some(Segment {
                    id: id.clone(),
                    from: from?,
                    to: to?,
                    km,
                    transit: transit.unwrap_or(Transit::Fixed(0.0)),
                    capacity_trucks_per_day: cap,
                    risk,
                    tags: s.tags.clone(),
                    attack,
                })
            })
            .collect()
    }

    fn transit(&mut self, subj: &str, t: TransitSpec, loc: Loc) -> Option<Transit> {
        let mut ok = true;
        let mut each =
            |c: &mut Self, name: &str, v: f64, r: Range| ok &= c.num(subj, name, v, r, loc.clone());
        let out = match t {
            TransitSpec::Fixed(d) => {
                each(self, "transit_days", d, DAYS);
                Transit::Fixed(d)
            }
            TransitSpec::Uniform(a, b) => {
                each(self, "transit_days min", a, DAYS);
                each(self, "transit_days max", b, DAYS);
                Transit::Uniform { min: a, max: b }
            }
            TransitSpec::Triangular(a, m, b) => {
                each(self, "transit_days min", a, DAYS);
                each(self, "transit_days mode", m, DAYS);
                each(self, "transit_days max", b, DAYS);
                if ok && !(a <= m && m <= b) {
                    let msg = format!(
                        "`transit_days` Triangular({}, {}, {}) needs min <= mode <= max",
                        fmt_num(a),
                        fmt_num(m),
                        fmt_num(b)
                    );
                    self.error(subj, msg, loc.clone());
                    ok = false;
                }
                Transit::Triangular {
                    min: a,
                    mode: m,
                    max: b,
                }
            }
            TransitSpec::LogNormal(median, sigma) => {
                each(self, "transit_days median", median, POS_DAYS);
                each(self, "transit_days sigma", sigma, at_least(0.0, 3.0));
                Transit::LogNormal { median, sigma }
            }
        };
        if let TransitSpec::Uniform(a, b) = t
            && ok
            && a > b
        {
            let msg = format!(
                "`transit_days` Uniform({}, {}) has min > max",
                fmt_num(a),
                fmt_num(b)
            );
            self.error(subj, msg, loc);
            ok = false;
        }
        ok.then_some(out)
    }

    fn fleet(&mut self, f: &ScenarioFile) -> Option<Fleet> {
        let s = f.fleet.clone().unwrap_or_default();
        let (truck_litres, lit_ok) = self.real(
            "fleet",
            "truck_litres",
            &s.truck_litres.unwrap_or(Real::Fixed(def::TRUCK_LITRES)),
            above(0.0, 1e6),
            Loc::Field(vec!["fleet", "truck_litres"]),
            &|| "fleet.truck_litres".into(),
        );
        let trucks = match s.trucks {
            None => {
                let msg = "`fleet.trucks` is missing; say how many tankers there are, e.g. `fleet: (trucks: 800)`";
                self.error("", msg, Loc::Field(vec!["fleet"]));
                None
            }
            Some(Whole::Fixed(0)) => {
                self.error(
                    "fleet",
                    "`trucks` is 0; the fleet needs at least one tanker",
                    Loc::Field(vec!["fleet", "trucks"]),
                );
                None
            }
            Some(Whole::Fixed(n)) if f64::from(n) > def::MAX_TRUCKS => {
                let msg = format!(
                    "`trucks` is {n}, above the supported maximum {}",
                    fmt_num(def::MAX_TRUCKS)
                );
                self.error("fleet", msg, Loc::Field(vec!["fleet", "trucks"]));
                None
            }
            Some(n) => {
                let (n, ok) = self.whole(
                    "fleet",
                    "trucks",
                    &n,
                    at_least(1.0, def::MAX_TRUCKS),
                    Loc::Field(vec!["fleet", "trucks"]),
                    &|| "fleet.trucks".into(),
                );
                ok.then_some(n)
            }
        };
        let (replacement_per_day, rep_ok) = self.real(
            "fleet",
            "replacement_per_day",
            &s.replacement_per_day
                .unwrap_or(Real::Fixed(def::REPLACEMENT_PER_DAY)),
            at_least(0.0, def::MAX_TRUCKS),
            Loc::Field(vec!["fleet", "replacement_per_day"]),
            &|| "fleet.replacement_per_day".into(),
        );
        (lit_ok && rep_ok).then_some(Fleet {
            trucks: trucks?,
            truck_litres,
            replacement_per_day,
        })
    }

    fn dispatch(&mut self, f: &ScenarioFile) -> Dispatch {
        let s = f.dispatch.clone().unwrap_or_default();
        let loc = |k: &'static str| Loc::Field(vec!["dispatch", k]);
        let field = |c: &mut Self, k: &'static str, v: Option<Real>, d: f64, r: Range| {
            c.real(
                "dispatch",
                k,
                &v.unwrap_or(Real::Fixed(d)),
                r,
                loc(k),
                &|| format!("dispatch.{k}"),
            )
            .0
        };
        let replan_days = field(
            self,
            "replan_days",
            s.replan_days,
            def::REPLAN_DAYS,
            at_least(def::MIN_REPLAN_DAYS, def::MAX_DAYS),
        );
        let convoy_interval_days = field(
            self,
            "convoy_interval_days",
            s.convoy_interval_days,
            def::CONVOY_INTERVAL_DAYS,
            at_least(def::MIN_CONVOY_INTERVAL_DAYS, def::MAX_DAYS),
        );
        let reroute_after_days = field(
            self,
            "reroute_after_days",
            s.reroute_after_days,
            def::REROUTE_AFTER_DAYS,
            above(0.0, def::MAX_DAYS),
        );
        let attrition_horizon_days = field(
            self,
            "attrition_horizon_days",
            s.attrition_horizon_days,
            def::ATTRITION_HORIZON_DAYS,
            DAYS,
        );
        let (max_convoy, _) = self.whole(
            "dispatch",
            "max_convoy",
            &s.max_convoy
                .clone()
                .unwrap_or(Whole::Fixed(def::MAX_CONVOY)),
            at_least(1.0, def::MAX_TRUCKS),
            loc("max_convoy"),
            &|| "dispatch.max_convoy".into(),
        );
        if s.max_convoy == Some(Whole::Fixed(0)) {
            self.error(
                "dispatch",
                "`max_convoy` is 0; a convoy needs at least one truck",
                loc("max_convoy"),
            );
        }
        Dispatch {
            replan_days,
            convoy_interval_days,
            max_convoy,
            warm_start: s.warm_start.unwrap_or(def::WARM_START),
            reroute_after_days,
            attrition_horizon_days,
        }
    }

    fn escorts(&mut self, f: &ScenarioFile) -> Escorts {
        let s = f.escorts.clone().unwrap_or_default();
        let loc = |k: &'static str| Loc::Field(vec!["escorts", k]);
        let field = |c: &mut Self, k: &'static str, v: Option<Real>, d: f64, r: Range| {
            c.real(
                "escorts",
                k,
                &v.unwrap_or(Real::Fixed(d)),
                r,
                loc(k),
                &|| format!("escorts.{k}"),
            )
            .0
        };
        let threshold = field(self, "threshold", s.threshold, def::ESCORT_THRESHOLD, PROB);
        let risk_factor = field(
            self,
            "risk_factor",
            s.risk_factor,
            def::ESCORT_RISK_FACTOR,
            FACTOR,
        );
        let loss_factor = field(
            self,
            "loss_factor",
            s.loss_factor,
            def::ESCORT_LOSS_FACTOR,
            FACTOR,
        );
        let turnaround_days = s
            .turnaround_days
            .map(|t| field(self, "turnaround_days", Some(t), 0.0, POS_DAYS));
        let (units, _) = self.whole(
            "escorts",
            "units",
            &s.units.clone().unwrap_or(Whole::Fixed(def::ESCORT_UNITS)),
            at_least(0.0, def::MAX_TRUCKS),
            loc("units"),
            &|| "escorts.units".into(),
        );
        // Escorts default to the dispatch's largest convoy (its median if uncertain).
        let (max_convoy, _) = match &s.max_convoy {
            Some(m) => self.whole(
                "escorts",
                "max_convoy",
                m,
                at_least(1.0, def::MAX_TRUCKS),
                loc("max_convoy"),
                &|| "escorts.max_convoy".into(),
            ),
            None => (
                match f.dispatch.as_ref().and_then(|d| d.max_convoy.clone()) {
                    Some(Whole::Fixed(n)) => n,
                    Some(Whole::Uncertain(spec)) => {
                        self.inherited.push("escorts.max_convoy".into());
                        spec.to_dist().median().round() as u32
                    }
                    None => def::MAX_CONVOY,
                },
                true,
            ),
        };
        if s.max_convoy == Some(Whole::Fixed(0)) {
            self.error(
                "escorts",
                "`max_convoy` is 0; an escort protects at least one truck",
                loc("max_convoy"),
            );
        }
        if let Some(Whole::Fixed(n)) = s.units
            && f64::from(n) > def::MAX_TRUCKS
        {
            self.error(
                "escorts",
                format!("`units` is {n}, above the supported maximum"),
                loc("units"),
            );
        }
        Escorts {
            units,
            threshold,
            policy: if s.require_escort.unwrap_or(def::REQUIRE_ESCORT) {
                EscortPolicy::Required
            } else {
                EscortPolicy::IfFree
            },
            risk_factor,
            loss_factor,
            turnaround_days,
            max_convoy,
        }
    }

    /// Reachability: every depot must be reachable from a source, every source must reach a
    /// depot; segments on no source-to-depot path are flagged.
    fn graph(&mut self, nodes: &[Node], segments: &[Option<Segment>]) {
        let n = nodes.len();
        let mut fwd = vec![Vec::new(); n];
        let mut back = vec![Vec::new(); n];
        for s in segments.iter().flatten() {
            fwd[s.from.index()].push(s.to.index());
            back[s.to.index()].push(s.from.index());
        }
        let is_source = |i: usize| matches!(nodes[i].kind, NodeKind::Source { .. });
        let is_depot = |i: usize| matches!(nodes[i].kind, NodeKind::Depot(_));
        let bfs = |starts: Vec<usize>, adj: &[Vec<usize>]| {
            let mut seen = vec![false; n];
            let mut q: VecDeque<usize> = starts.into_iter().collect();
            for &s in &q {
                seen[s] = true;
            }
            while let Some(u) = q.pop_front() {
                for &v in &adj[u] {
                    if !seen[v] {
                        seen[v] = true;
                        q.push_back(v);
                    }
                }
            }
            seen
        };
        let sources: Vec<usize> = (0..n).filter(|&i| is_source(i)).collect();
        let depots: Vec<usize> = (0..n).filter(|&i| is_depot(i)).collect();
        if sources.is_empty() {
            self.error(
                "",
                "the network has no `Source` node; tankers need somewhere to load",
                Loc::None,
            );
        }
        if depots.is_empty() {
            self.error(
                "",
                "the network has no `Depot` node; fuel needs somewhere to go",
                Loc::None,
            );
        }
        let from_source = bfs(sources.clone(), &fwd);
        let to_depot = bfs(depots.clone(), &back);
        for &d in &depots {
            if !sources.is_empty() && !from_source[d] {
                let id = &nodes[d].id;
                self.error(
                    format!("depot `{id}`"),
                    "no source can reach this depot along the segments",
                    Loc::Node(id.clone(), None),
                );
            }
        }
        for &s in &sources {
            if !depots.is_empty() && !to_depot[s] {
                let id = &nodes[s].id;
                self.error(
                    format!("source `{id}`"),
                    "this source reaches no depot along the segments",
                    Loc::Node(id.clone(), None),
                );
            }
        }
        for s in segments.iter().flatten() {
            let useful = from_source[s.from.index()] && to_depot[s.to.index()];
            if !useful && !sources.is_empty() && !depots.is_empty() {
                let msg = "segment is on no path from a source to a depot; it will carry nothing";
                self.warn(
                    format!("segment `{}`", s.id),
                    msg,
                    Loc::Segment(s.id.clone(), None),
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn events(
        &mut self,
        specs: &[EventSpec],
        start: Option<Date>,
        horizon: u32,
        nodes: &[Node],
        index: &HashMap<&str, NodeId>,
        segments: &[Option<Segment>],
    ) -> Vec<Event> {
        let seg_index: HashMap<&str, SegmentId> = segments
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (s.id.as_str(), SegmentId(i as u32))))
            .collect();
        let mut tags: BTreeMap<&str, Vec<SegmentId>> = BTreeMap::new();
        for (i, s) in segments.iter().enumerate() {
            for t in s.iter().flat_map(|s| &s.tags) {
                tags.entry(t.as_str())
                    .or_default()
                    .push(SegmentId(i as u32));
            }
        }
        let mut out = Vec::new();
        for (i, e) in specs.iter().enumerate() {
            let subj = format!("event #{} ({})", i + 1, effect_name(&e.effect));
            let loc = |f: Option<&'static str>| Loc::Event(i, f);
            let day_field = if e.day.is_none() && e.date.is_some() {
                "date"
            } else {
                "day"
            };
            let until_field = if e.until.is_none() && e.until_date.is_some() {
                "until_date"
            } else {
                "until"
            };
            let day = self
                .when(
                    &subj,
                    e.day,
                    e.date.as_deref(),
                    start,
                    "day",
                    "date",
                    &loc,
                    true,
                )
                .flatten();
            let until = self.when(
                &subj,
                e.until,
                e.until_date.as_deref(),
                start,
                "until",
                "until_date",
                &loc,
                false,
            );
            if let Some(d) = day
                && d >= f64::from(horizon)
            {
                let msg = format!(
                    "starts on day {} but the horizon is {horizon} days; it would never happen",
                    fmt_num(d)
                );
                self.error(&subj, msg, loc(Some(day_field)));
            }
            if let (Some(d), Some(Some(u))) = (day, until)
                && u <= d
            {
                let msg = format!(
                    "`{until_field}` (day {}) is not after the start (day {})",
                    fmt_num(u),
                    fmt_num(d)
                );
                self.error(&subj, msg, loc(Some(until_field)));
            }
            let effect = self.effect(&subj, &e.effect, nodes, index, &seg_index, &tags, i);
            if matches!(e.effect, EffectSpec::Delivery { .. }) && until.flatten().is_some() {
                self.error(&subj, "a `Delivery` happens once; it takes no `until` (use `Airlift` for a daily rate)", loc(Some(until_field)));
            }
            if matches!(e.effect, EffectSpec::Attack { .. }) && until.flatten().is_some() {
                self.error(
                    &subj,
                    "an `Attack` happens once; it takes no `until`",
                    loc(Some(until_field)),
                );
            }
            if matches!(e.effect, EffectSpec::ProtectedReserve { .. }) && until.flatten().is_some()
            {
                self.error(&subj, "a `ProtectedReserve` is set aside once and kept until used; it takes no `until`", loc(Some(until_field)));
            }
            if let (Some(day), Some(until), Some(effect)) = (day, until, effect) {
                out.push(Event {
                    day,
                    until,
                    label: e.label.clone(),
                    effect,
                });
            }
        }
        out
    }

    /// Resolves a `day`/`date` pair to a day number. `Some(None)` means absent and allowed.
    #[allow(clippy::too_many_arguments)]
    fn when(
        &mut self,
        subj: &str,
        day: Option<f64>,
        date: Option<&str>,
        start: Option<Date>,
        day_field: &'static str,
        date_field: &'static str,
        loc: &dyn Fn(Option<&'static str>) -> Loc,
        required: bool,
    ) -> Option<Option<f64>> {
        match (day, date) {
            (Some(_), Some(_)) => {
                self.error(
                    subj,
                    format!("give `{day_field}` or `{date_field}`, not both"),
                    loc(Some(date_field)),
                );
                None
            }
            // The calendar's own reading of an instant, so that a day validation accepts
            // (-0 included) is one the engine can schedule.
            (Some(d), None) => self
                .num(subj, day_field, d, DAYS, loc(Some(day_field)))
                .then_some(Some(SimTime::new(d).0)),
            (None, Some(s)) => {
                let Some(start) = start else {
                    let msg = format!(
                        "`{date_field}` needs the scenario's `start_date`; set it or use `{day_field}`"
                    );
                    self.error(subj, msg, loc(Some(date_field)));
                    return None;
                };
                match Date::parse(s) {
                    None => {
                        self.error(
                            subj,
                            format!("`{date_field}` \"{s}\" is not a date of the form YYYY-MM-DD"),
                            loc(Some(date_field)),
                        );
                        None
                    }
                    Some(d) => {
                        let n = start.days_until(d);
                        if n < 0 {
                            let msg = format!(
                                "`{date_field}` {s} is before the scenario's `start_date` {start}"
                            );
                            self.error(subj, msg, loc(Some(date_field)));
                            return None;
                        }
                        // The same bound as `day_field`, so that `export` (which writes the
                        // day number) never writes what `check` rejects.
                        if n as f64 > DAYS.hi {
                            let msg = format!(
                                "`{date_field}` {s} is day {n}, above the supported maximum {}; \
                                 an event without `until` lasts to the end of the run",
                                fmt_num(DAYS.hi)
                            );
                            self.error(subj, msg, loc(Some(date_field)));
                            return None;
                        }
                        Some(Some(n as f64))
                    }
                }
            }
            (None, None) if required => {
                self.error(
                    subj,
                    format!("the event needs `{day_field}` or `{date_field}`"),
                    loc(None),
                );
                None
            }
            (None, None) => Some(None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn effect(
        &mut self,
        subj: &str,
        e: &EffectSpec,
        nodes: &[Node],
        index: &HashMap<&str, NodeId>,
        seg_index: &HashMap<&str, SegmentId>,
        tags: &BTreeMap<&str, Vec<SegmentId>>,
        i: usize,
    ) -> Option<Effect> {
        let loc = |f: &'static str| Loc::Event(i, Some(f));
        let kind = effect_name(e);
        let path = |f: &str| format!("events[{}].effect.{kind}.{f}", i + 1);
        let node_of =
            |c: &mut Self, field: &'static str, id: &str, want_depot: bool| -> Option<NodeId> {
                let kind = if want_depot { "depot" } else { "source" };
                let fits = |n: &Node| {
                    if want_depot {
                        matches!(n.kind, NodeKind::Depot(_))
                    } else {
                        matches!(n.kind, NodeKind::Source { .. })
                    }
                };
                match index.get(id) {
                    Some(&n) if fits(&nodes[n.index()]) => Some(n),
                    Some(_) => {
                        c.error(
                            subj,
                            format!("`{field}` names node `{id}`, which is not a {kind}"),
                            loc(field),
                        );
                        None
                    }
                    None => {
                        let cands = nodes.iter().filter(|n| fits(n)).map(|n| n.id.as_str());
                        c.error(
                            subj,
                            format!(
                                "`{field}` names unknown {kind} `{id}`{}",
                                did_you_mean(id, cands)
                            ),
                            loc(field),
                        );
                        None
                    }
                }
            };
        let targets = |c: &mut Self, t: &[String], s: &[String]| -> Option<Targets> {
            if t.is_empty() && s.is_empty() {
                c.error(
                    subj,
                    "names no `tags` and no `segments`; it would act on nothing",
                    loc("tags"),
                );
                return None;
            }
            let mut resolved = BTreeSet::new();
            let mut ok = true;
            for tag in t {
                match tags.get(tag.as_str()) {
                    Some(ids) => resolved.extend(ids.iter().copied()),
                    None => {
                        let msg = format!(
                            "unknown tag `{tag}`{}",
                            did_you_mean(tag, tags.keys().copied())
                        );
                        c.error(subj, msg, loc("tags"));
                        ok = false;
                    }
                }
            }
            for seg in s {
                match seg_index.get(seg.as_str()) {
                    Some(id) => {
                        resolved.insert(*id);
                    }
                    None => {
                        let msg = format!(
                            "unknown segment `{seg}`{}",
                            did_you_mean(seg, seg_index.keys().copied())
                        );
                        c.error(subj, msg, loc("segments"));
                        ok = false;
                    }
                }
            }
            ok.then(|| Targets {
                tags: t.to_vec(),
                segments: s.to_vec(),
                resolved: resolved.into_iter().collect(),
            })
        };
        match e {
            EffectSpec::RiskMultiplier {
                tags: t,
                segments: s,
                factor,
            } => {
                let (factor, f_ok) =
                    self.real(subj, "factor", factor, FACTOR, loc("factor"), &|| {
                        path("factor")
                    });
                let targets = targets(self, t, s)?;
                f_ok.then_some(Effect::RiskMultiplier { targets, factor })
            }
            EffectSpec::Close {
                tags: t,
                segments: s,
            } => Some(Effect::Close {
                targets: targets(self, t, s)?,
            }),
            EffectSpec::SupplyFactor { source, factor } => {
                let (factor, f_ok) =
                    self.real(subj, "factor", factor, FACTOR, loc("factor"), &|| {
                        path("factor")
                    });
                let source = node_of(self, "source", source, false)?;
                f_ok.then_some(Effect::SupplyFactor { source, factor })
            }
            EffectSpec::EscortUnits(n) => {
                if let Whole::Fixed(n) = n
                    && f64::from(*n) > def::MAX_TRUCKS
                {
                    self.error(
                        subj,
                        format!("{n} escort units is above the supported maximum"),
                        loc("effect"),
                    );
                    return None;
                }
                let (n, ok) = self.whole(
                    subj,
                    "EscortUnits",
                    n,
                    at_least(0.0, def::MAX_TRUCKS),
                    loc("effect"),
                    &|| format!("events[{}].effect.EscortUnits", i + 1),
                );
                ok.then_some(Effect::EscortUnits(n))
            }
            EffectSpec::DemandFactor { depot, factor } => {
                let (factor, f_ok) =
                    self.real(subj, "factor", factor, FACTOR, loc("factor"), &|| {
                        path("factor")
                    });
                let depot = match depot {
                    Some(d) => Some(node_of(self, "depot", d, true)?),
                    None => None,
                };
                f_ok.then_some(Effect::DemandFactor { depot, factor })
            }
            EffectSpec::Airlift {
                depot,
                litres_per_day,
            } => {
                let (litres_per_day, ok) = self.real(
                    subj,
                    "litres_per_day",
                    litres_per_day,
                    LITRES,
                    loc("litres_per_day"),
                    &|| path("litres_per_day"),
                );
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::Airlift {
                    depot,
                    litres_per_day,
                })
            }
            EffectSpec::Delivery { depot, litres } => {
                let (litres, ok) =
                    self.real(subj, "litres", litres, LITRES, loc("litres"), &|| {
                        path("litres")
                    });
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::Delivery { depot, litres })
            }
            EffectSpec::Attack {
                segment,
                trucks_lost,
            } => {
                let Some(&id) = seg_index.get(segment.as_str()) else {
                    let msg = format!(
                        "unknown segment `{segment}`{}",
                        did_you_mean(segment, seg_index.keys().copied())
                    );
                    self.error(subj, msg, loc("segment"));
                    return None;
                };
                if let Whole::Fixed(n) = trucks_lost
                    && f64::from(*n) > def::MAX_TRUCKS
                {
                    let msg = format!("`trucks_lost` is {n}, above the supported maximum");
                    self.error(subj, msg, loc("trucks_lost"));
                    return None;
                }
                let (trucks_lost, ok) = self.whole(
                    subj,
                    "trucks_lost",
                    trucks_lost,
                    at_least(0.0, def::MAX_TRUCKS),
                    loc("trucks_lost"),
                    &|| path("trucks_lost"),
                );
                ok.then_some(Effect::Attack {
                    segment: id,
                    trucks_lost,
                })
            }
            EffectSpec::ProtectedReserve { depot, litres } => {
                let (litres, ok) =
                    self.real(subj, "litres", litres, LITRES, loc("litres"), &|| {
                        path("litres")
                    });
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::ProtectedReserve { depot, litres })
            }
        }
    }
}

fn effect_name(e: &EffectSpec) -> &'static str {
    match e {
        EffectSpec::RiskMultiplier { .. } => "RiskMultiplier",
        EffectSpec::Close { .. } => "Close",
        EffectSpec::SupplyFactor { .. } => "SupplyFactor",
        EffectSpec::EscortUnits(_) => "EscortUnits",
        EffectSpec::DemandFactor { .. } => "DemandFactor",
        EffectSpec::Airlift { .. } => "Airlift",
        EffectSpec::Delivery { .. } => "Delivery",
        EffectSpec::Attack { .. } => "Attack",
        EffectSpec::ProtectedReserve { .. } => "ProtectedReserve",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("KAYY", ["KAY", "DIE", "BKO"]), Some("KAY"));
        assert_eq!(
            closest("kayes_axsi", ["kayes_axis", "south"]),
            Some("kayes_axis")
        );
        assert_eq!(closest("ZZZZZZ", ["KAY", "DIE"]), None);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_num(1e308), "1e308");
        assert_eq!(fmt_num(-1.0), "-1");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(f64::NAN), "NaN");
    }
}
