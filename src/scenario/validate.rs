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
use super::schema::{EffectSpec, EventSpec, NodeSpec, ScenarioFile, SegmentSpec, TransitSpec};
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
    let mut c = Checker { diags: Vec::new() };
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
}

impl Checker {
    fn error(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::error(subject, msg), loc));
    }

    fn warn(&mut self, subject: impl Into<String>, msg: impl Into<String>, loc: Loc) {
        self.diags.push((Diagnostic::warning(subject, msg), loc));
    }

    /// Checks that `v` is in `r`; reports and returns false if not.
    fn num(&mut self, subject: &str, field: &str, v: f64, r: Range, loc: Loc) -> bool {
        let shown = fmt_num(v);
        let msg = if v.is_nan() {
            format!("`{field}` is NaN; it must be a number")
        } else if v.is_infinite() {
            format!("`{field}` is {shown}; it must be finite")
        } else if v < r.lo || (r.lo_open && v == r.lo) {
            match (r.lo == 0.0, r.lo_open) {
                (true, false) => format!("`{field}` is {shown}; it must not be negative"),
                (true, true) => format!("`{field}` is {shown}; it must be greater than 0"),
                (false, false) => format!(
                    "`{field}` is {shown}; it must be at least {}",
                    fmt_num(r.lo)
                ),
                (false, true) => format!(
                    "`{field}` is {shown}; it must be greater than {}",
                    fmt_num(r.lo)
                ),
            }
        } else if v > r.hi {
            if r.hi_is_limit {
                format!(
                    "`{field}` is {shown}, above the supported maximum {}",
                    fmt_num(r.hi)
                )
            } else {
                format!(
                    "`{field}` is {shown}, outside [{}, {}]",
                    fmt_num(r.lo),
                    fmt_num(r.hi)
                )
            }
        } else {
            return true;
        };
        self.error(subject, msg, loc);
        false
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
        })
    }

    fn interdiction(&mut self, f: &ScenarioFile) -> Interdiction {
        let s = f.interdiction.clone().unwrap_or_default();
        let loc = |k: &'static str| Loc::Field(vec!["interdiction", k]);
        let out = Interdiction {
            loss_fraction: s.loss_fraction.unwrap_or(def::LOSS_FRACTION),
            seized_share: s.seized_share.unwrap_or(def::SEIZED_SHARE),
            suspend_days: s.suspend_days.unwrap_or(def::SUSPEND_DAYS),
            on_attack: s.on_attack.unwrap_or(OnAttack::Continue),
            return_risk_factor: s.return_risk_factor.unwrap_or(def::RETURN_RISK_FACTOR),
        };
        let subj = "interdiction";
        self.num(
            subj,
            "loss_fraction",
            out.loss_fraction,
            PROB,
            loc("loss_fraction"),
        );
        self.num(
            subj,
            "seized_share",
            out.seized_share,
            PROB,
            loc("seized_share"),
        );
        self.num(
            subj,
            "suspend_days",
            out.suspend_days,
            DAYS,
            loc("suspend_days"),
        );
        self.num(
            subj,
            "return_risk_factor",
            out.return_risk_factor,
            FACTOR,
            loc("return_risk_factor"),
        );
        out
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
                    let v = *supply_litres_per_day;
                    if self.num(
                        &subj,
                        "supply_litres_per_day",
                        v,
                        LITRES,
                        loc(Some("supply_litres_per_day")),
                    ) && v == 0.0
                    {
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
                    *capacity_litres,
                    *initial_stock_litres,
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
        capacity: f64,
        initial: f64,
        demand: &[super::schema::DemandClassSpec],
        rationing: Option<&super::schema::RationingSpec>,
    ) -> Depot {
        let loc = |f: &'static str| Loc::Node(id.to_string(), Some(f));
        let cap_ok = self.num(
            subj,
            "capacity_litres",
            capacity,
            above(0.0, def::MAX_LITRES),
            loc("capacity_litres"),
        );
        let init_ok = self.num(
            subj,
            "initial_stock_litres",
            initial,
            LITRES,
            loc("initial_stock_litres"),
        );
        if cap_ok && init_ok && initial > capacity {
            let msg = format!(
                "`initial_stock_litres` ({}) is greater than `capacity_litres` ({})",
                fmt_num(initial),
                fmt_num(capacity)
            );
            self.error(subj, msg, loc("initial_stock_litres"));
        }
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
            self.num(
                &csubj,
                "litres_per_day",
                c.litres_per_day,
                LITRES,
                cloc(Some("litres_per_day")),
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
                litres_per_day: c.litres_per_day,
                priority: c.priority,
            });
        }
        classes.sort_by_key(|c| c.priority);
        let r = rationing.cloned().unwrap_or_default();
        let rationing = Rationing {
            trigger_days: r.trigger_days.unwrap_or(def::TRIGGER_DAYS),
            protected_priority: r.protected_priority.unwrap_or(def::PROTECTED_PRIORITY),
            ration_fraction: r.ration_fraction.unwrap_or(def::RATION_FRACTION),
        };
        self.num(
            subj,
            "rationing.trigger_days",
            rationing.trigger_days,
            DAYS,
            loc("rationing"),
        );
        self.num(
            subj,
            "rationing.ration_fraction",
            rationing.ration_fraction,
            PROB,
            loc("rationing"),
        );
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
                self.num(&subj, "km", s.km, at_least(0.0, 1e6), loc(Some("km")));
                let transit = self.transit(&subj, s.transit_days, loc(Some("transit_days")));
                let cap = s.capacity_trucks_per_day;
                self.num(
                    &subj,
                    "capacity_trucks_per_day",
                    cap,
                    at_least(0.0, def::MAX_TRUCKS),
                    loc(Some("capacity_trucks_per_day")),
                );
                if self.num(&subj, "risk", s.risk, PROB, loc(Some("risk"))) && s.risk == 1.0 {
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
                let attack = Interdiction {
                    loss_fraction: s.loss_fraction.unwrap_or(defaults.loss_fraction),
                    seized_share: s.seized_share.unwrap_or(defaults.seized_share),
                    suspend_days: s.suspend_days.unwrap_or(defaults.suspend_days),
                    on_attack: s.on_attack.unwrap_or(defaults.on_attack),
                    return_risk_factor: s.return_risk_factor.unwrap_or(defaults.return_risk_factor),
                };
                if let Some(v) = s.loss_fraction {
                    self.num(&subj, "loss_fraction", v, PROB, loc(Some("loss_fraction")));
                }
                if let Some(v) = s.seized_share {
                    self.num(&subj, "seized_share", v, PROB, loc(Some("seized_share")));
                }
                if let Some(v) = s.suspend_days {
                    self.num(&subj, "suspend_days", v, DAYS, loc(Some("suspend_days")));
                }
                if let Some(v) = s.return_risk_factor {
                    self.num(
                        &subj,
                        "return_risk_factor",
                        v,
                        FACTOR,
                        loc(Some("return_risk_factor")),
                    );
                }
                // A bad transit is already reported; keep the segment (with a placeholder) so
                // that reachability and event checks still see it.
                Some(Segment {
                    id: id.clone(),
                    from: from?,
                    to: to?,
                    km: s.km,
                    transit: transit.unwrap_or(Transit::Fixed(0.0)),
                    capacity_trucks_per_day: cap,
                    risk: s.risk,
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
        let truck_litres = s.truck_litres.unwrap_or(def::TRUCK_LITRES);
        let lit_ok = self.num(
            "fleet",
            "truck_litres",
            truck_litres,
            above(0.0, 1e6),
            Loc::Field(vec!["fleet", "truck_litres"]),
        );
        let trucks = match s.trucks {
            None => {
                let msg = "`fleet.trucks` is missing; say how many tankers there are, e.g. `fleet: (trucks: 800)`";
                self.error("", msg, Loc::Field(vec!["fleet"]));
                None
            }
            Some(0) => {
                self.error(
                    "fleet",
                    "`trucks` is 0; the fleet needs at least one tanker",
                    Loc::Field(vec!["fleet", "trucks"]),
                );
                None
            }
            Some(n) if f64::from(n) > def::MAX_TRUCKS => {
                let msg = format!(
                    "`trucks` is {n}, above the supported maximum {}",
                    fmt_num(def::MAX_TRUCKS)
                );
                self.error("fleet", msg, Loc::Field(vec!["fleet", "trucks"]));
                None
            }
            Some(n) => Some(n),
        };
        let replacement_per_day = s.replacement_per_day.unwrap_or(def::REPLACEMENT_PER_DAY);
        let rep_ok = self.num(
            "fleet",
            "replacement_per_day",
            replacement_per_day,
            at_least(0.0, def::MAX_TRUCKS),
            Loc::Field(vec!["fleet", "replacement_per_day"]),
        );
        (lit_ok && rep_ok).then_some(Fleet {
            trucks: trucks?,
            truck_litres,
            replacement_per_day,
        })
    }

    fn dispatch(&mut self, f: &ScenarioFile) -> Dispatch {
        let s = f.dispatch.clone().unwrap_or_default();
        let d = Dispatch {
            replan_days: s.replan_days.unwrap_or(def::REPLAN_DAYS),
            convoy_interval_days: s.convoy_interval_days.unwrap_or(def::CONVOY_INTERVAL_DAYS),
            max_convoy: s.max_convoy.unwrap_or(def::MAX_CONVOY),
            warm_start: s.warm_start.unwrap_or(def::WARM_START),
            reroute_after_days: s.reroute_after_days.unwrap_or(def::REROUTE_AFTER_DAYS),
            attrition_horizon_days: s
                .attrition_horizon_days
                .unwrap_or(def::ATTRITION_HORIZON_DAYS),
        };
        let loc = |k: &'static str| Loc::Field(vec!["dispatch", k]);
        self.num(
            "dispatch",
            "replan_days",
            d.replan_days,
            at_least(def::MIN_REPLAN_DAYS, def::MAX_DAYS),
            loc("replan_days"),
        );
        self.num(
            "dispatch",
            "convoy_interval_days",
            d.convoy_interval_days,
            at_least(def::MIN_CONVOY_INTERVAL_DAYS, def::MAX_DAYS),
            loc("convoy_interval_days"),
        );
        self.num(
            "dispatch",
            "reroute_after_days",
            d.reroute_after_days,
            above(0.0, def::MAX_DAYS),
            loc("reroute_after_days"),
        );
        self.num(
            "dispatch",
            "attrition_horizon_days",
            d.attrition_horizon_days,
            DAYS,
            loc("attrition_horizon_days"),
        );
        if d.max_convoy == 0 {
            self.error(
                "dispatch",
                "`max_convoy` is 0; a convoy needs at least one truck",
                loc("max_convoy"),
            );
        }
        d
    }

    fn escorts(&mut self, f: &ScenarioFile) -> Escorts {
        let s = f.escorts.clone().unwrap_or_default();
        let e = Escorts {
            units: s.units.unwrap_or(def::ESCORT_UNITS),
            threshold: s.threshold.unwrap_or(def::ESCORT_THRESHOLD),
            policy: if s.require_escort.unwrap_or(def::REQUIRE_ESCORT) {
                EscortPolicy::Required
            } else {
                EscortPolicy::IfFree
            },
            risk_factor: s.risk_factor.unwrap_or(def::ESCORT_RISK_FACTOR),
            loss_factor: s.loss_factor.unwrap_or(def::ESCORT_LOSS_FACTOR),
            turnaround_days: s.turnaround_days,
            max_convoy: s
                .max_convoy
                .or(f.dispatch.as_ref().and_then(|d| d.max_convoy))
                .unwrap_or(def::MAX_CONVOY),
        };
        let loc = |k: &'static str| Loc::Field(vec!["escorts", k]);
        if e.max_convoy == 0 {
            self.error(
                "escorts",
                "`max_convoy` is 0; an escort protects at least one truck",
                loc("max_convoy"),
            );
        }
        if f64::from(e.units) > def::MAX_TRUCKS {
            self.error(
                "escorts",
                format!("`units` is {}, above the supported maximum", e.units),
                loc("units"),
            );
        }
        self.num("escorts", "threshold", e.threshold, PROB, loc("threshold"));
        self.num(
            "escorts",
            "risk_factor",
            e.risk_factor,
            FACTOR,
            loc("risk_factor"),
        );
        self.num(
            "escorts",
            "loss_factor",
            e.loss_factor,
            FACTOR,
            loc("loss_factor"),
        );
        if let Some(t) = e.turnaround_days {
            self.num(
                "escorts",
                "turnaround_days",
                t,
                POS_DAYS,
                loc("turnaround_days"),
            );
        }
        e
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
                let f_ok = self.num(subj, "factor", *factor, FACTOR, loc("factor"));
                let targets = targets(self, t, s)?;
                f_ok.then_some(Effect::RiskMultiplier {
                    targets,
                    factor: *factor,
                })
            }
            EffectSpec::Close {
                tags: t,
                segments: s,
            } => Some(Effect::Close {
                targets: targets(self, t, s)?,
            }),
            EffectSpec::SupplyFactor { source, factor } => {
                let f_ok = self.num(subj, "factor", *factor, FACTOR, loc("factor"));
                let source = node_of(self, "source", source, false)?;
                f_ok.then_some(Effect::SupplyFactor {
                    source,
                    factor: *factor,
                })
            }
            EffectSpec::EscortUnits(n) => {
                if f64::from(*n) > def::MAX_TRUCKS {
                    self.error(
                        subj,
                        format!("{n} escort units is above the supported maximum"),
                        loc("effect"),
                    );
                    return None;
                }
                Some(Effect::EscortUnits(*n))
            }
            EffectSpec::DemandFactor { depot, factor } => {
                let f_ok = self.num(subj, "factor", *factor, FACTOR, loc("factor"));
                let depot = match depot {
                    Some(d) => Some(node_of(self, "depot", d, true)?),
                    None => None,
                };
                f_ok.then_some(Effect::DemandFactor {
                    depot,
                    factor: *factor,
                })
            }
            EffectSpec::Airlift {
                depot,
                litres_per_day,
            } => {
                let ok = self.num(
                    subj,
                    "litres_per_day",
                    *litres_per_day,
                    LITRES,
                    loc("litres_per_day"),
                );
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::Airlift {
                    depot,
                    litres_per_day: *litres_per_day,
                })
            }
            EffectSpec::Delivery { depot, litres } => {
                let ok = self.num(subj, "litres", *litres, LITRES, loc("litres"));
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::Delivery {
                    depot,
                    litres: *litres,
                })
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
                if f64::from(*trucks_lost) > def::MAX_TRUCKS {
                    let msg =
                        format!("`trucks_lost` is {trucks_lost}, above the supported maximum");
                    self.error(subj, msg, loc("trucks_lost"));
                    return None;
                }
                Some(Effect::Attack {
                    segment: id,
                    trucks_lost: *trucks_lost,
                })
            }
            EffectSpec::ProtectedReserve { depot, litres } => {
                let ok = self.num(subj, "litres", *litres, LITRES, loc("litres"));
                let depot = node_of(self, "depot", depot, true)?;
                ok.then_some(Effect::ProtectedReserve {
                    depot,
                    litres: *litres,
                })
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
