//! The network: nodes and depots (demand classes, rationing), segments and their transit
//! times, ids and the references between them, and the graph as a whole (reachability).

use std::collections::{HashMap, VecDeque};

use crate::scenario::defaults as def;
use crate::scenario::schema::{NodeSpec, Real, SegmentSpec, TransitSpec};
use crate::scenario::{
    DemandClass, Depot, Interdiction, Node, NodeId, NodeKind, Rationing, Segment, Transit,
};

use super::quantities::{
    DAYS, FACTOR, LITRES, POS_DAYS, PROB, Range, SHARE, above, at_least, support,
};
use super::words::{did_you_mean, fmt_num};
use super::{Checker, Loc};

impl Checker {
    pub(super) fn nodes(&mut self, specs: &[NodeSpec]) -> Vec<Node> {
        if specs.is_empty() {
            self.error(
                "",
                "the scenario has no nodes; add sources, depots and waypoints under `nodes`",
                Loc::None,
            );
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(specs.len());
        // Sources with and without a `fleet_share`, for the all-or-none rule below.
        let (mut with_share, mut without_share) = (Vec::new(), Vec::new());
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
                    fleet_share,
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
                    let fleet_share = fleet_share.as_ref().map(|share| {
                        self.real(
                            &subj,
                            "fleet_share",
                            share,
                            SHARE,
                            loc(Some("fleet_share")),
                            &|| format!("nodes[{id}].fleet_share"),
                        )
                        .0
                    });
                    match fleet_share {
                        Some(v) => with_share.push((id.clone(), v)),
                        None => without_share.push(id.clone()),
                    }
                    NodeKind::Source {
                        supply_litres_per_day: v,
                        fleet_share,
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
        self.fleet_shares(&with_share, &without_share);
        out
    }

    /// The fleet's basing is stated on every source or on none: a source left out would
    /// silently get no tanker, or the supply of one would be weighed against the others'
    /// shares. And stated shares must not all be 0.
    fn fleet_shares(&mut self, with: &[(String, f64)], without: &[String]) {
        if with.is_empty() {
            return;
        }
        for id in without {
            let msg = format!(
                "source without `fleet_share`, while {} {} one; state it on every source \
                 or on none (then the tankers are split in proportion to supply)",
                with.iter()
                    .map(|(w, _)| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if with.len() == 1 { "states" } else { "state" }
            );
            self.error(format!("node `{id}`"), msg, Loc::Node(id.clone(), None));
        }
        if without.is_empty() && with.iter().all(|(_, v)| *v == 0.0) {
            let id = &with[0].0;
            self.error(
                format!("node `{id}`"),
                "every source's `fleet_share` is 0; at least one source needs tankers",
                Loc::Node(id.clone(), Some("fleet_share")),
            );
        }
    }

    pub(super) fn depot(
        &mut self,
        id: &str,
        subj: &str,
        capacity: &Real,
        initial: &Real,
        demand: &[crate::scenario::schema::DemandClassSpec],
        rationing: Option<&crate::scenario::schema::RationingSpec>,
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

    pub(super) fn segments(
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

    pub(super) fn transit(&mut self, subj: &str, t: TransitSpec, loc: Loc) -> Option<Transit> {
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

    /// Reachability: every depot must be reachable from a source, every source must reach a
    /// depot; segments on no source-to-depot path are flagged.
    pub(super) fn graph(&mut self, nodes: &[Node], segments: &[Option<Segment>]) {
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
}
