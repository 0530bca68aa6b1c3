//! Scenarios: reading RON (or JSON) files, merging includes, filling defaults, and checking
//! everything once.
//!
//! Long (over 600 lines) because it holds the domain types of a checked scenario and their
//! small accessors, one type per concept of the format; no logic to split out.
//!
//! This module owns the scenario format. Its output is a [`Scenario`]: a checked,
//! resolved value in which every id is an index, every default is filled and every number
//! is in range. Downstream code takes `&Scenario` and never re-checks it.
//!
//! Path of data: [`load`] reads the file and its includes ([`load`](mod@load) module),
//! merges them into one [`schema::ScenarioFile`], then [`validate::validate`] turns that
//! into a `Scenario` or a list of every [`Diagnostic`] found. [`export`] goes back from a
//! `Scenario` to a canonical file, so export then import gives an equal scenario.
//!
//! Invariants: this is the only module that deserializes. Parsing never stops at the first
//! semantic problem: all of them are collected. Once a `Scenario` exists, user input can no
//! longer cause a failure.

pub mod calibrated;
pub mod date;
pub mod defaults;
mod diagnostic;
pub(crate) mod doc_sync;
pub mod effects;
pub mod export;
mod hints;
pub mod load;
mod locate;
pub mod observations;
pub mod overrides;
pub mod schema;
pub mod uncertain;
pub mod validate;

use std::collections::BTreeMap;
use std::path::PathBuf;

use thiserror::Error;

pub use calibrated::{CalibratedError, CalibratedInputs};
pub use date::Date;
pub use diagnostic::{Diagnostic, Severity};
pub use effects::Effects;
pub use load::{Loaded, load, load_str};
pub use overrides::{Override, Template, load_with_overrides};
pub use schema::OnAttack;
pub use uncertain::{Dist, UncertainInput};

/// Why a scenario could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The main file could not be read (missing, unreadable). Not a problem of content.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The scenario has errors. Every problem found is here, warnings included.
    #[error("{}", invalid_summary(diagnostics))]
    Invalid {
        /// Every problem found, in file order.
        diagnostics: Vec<Diagnostic>,
    },
}

fn invalid_summary(d: &[Diagnostic]) -> String {
    let errors = d.iter().filter(|d| d.is_error()).count();
    let warnings = d.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    if warnings == 0 {
        format!("invalid scenario: {}", plural(errors, "error"))
    } else {
        format!(
            "invalid scenario: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

/// Index of a node in [`Scenario::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// Index of a segment in [`Scenario::segments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub u32);

/// Index of a source among the scenario's sources ([`Scenario::sources`], in node order):
/// what the per-source quantities of the simulation (its fleet, trucks at the source,
/// supply credit, [`Scenario::fleet_by_source`]) are indexed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

/// Index of a depot among the scenario's depots ([`Scenario::depots`], in node order):
/// what the per-depot state and series of the simulation are indexed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DepotId(pub u32);

impl DepotId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl SourceId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl NodeId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl SegmentId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A checked, resolved scenario. Built only by [`validate::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name; also the output folder name.
    pub name: String,
    /// Description for the report (may be empty).
    pub description: String,
    /// Date of day 0, if given.
    pub start_date: Option<Date>,
    /// Length of the run in days (>= 1).
    pub horizon_days: u32,
    /// Seed of the replication RNGs.
    pub seed: u64,
    /// Number of replications (>= 1).
    pub replications: u32,
    /// Nodes, in file order (includes first).
    pub nodes: Vec<Node>,
    /// Segments, in file order (includes first).
    pub segments: Vec<Segment>,
    /// The fleet.
    pub fleet: Fleet,
    /// Dispatch planning.
    pub dispatch: Dispatch,
    /// Escorts.
    pub escorts: Escorts,
    /// Scenario-wide interdiction defaults (each segment has its resolved copy).
    pub interdiction: Interdiction,
    /// The events timeline, in file order.
    pub events: Vec<Event>,
    /// The files this scenario was read from, the main file first.
    pub files: Vec<PathBuf>,
    /// The uncertain inputs (docs/model.md §7c), in file order, each named by the path
    /// that `--set` takes. The scenario's own field holds each input's median.
    pub uncertain: Vec<UncertainInput>,
    /// Resolved fields that follow an uncertain default without being inputs of their own
    /// (a segment's `loss_fraction` under an uncertain `interdiction.loss_fraction`): export
    /// leaves them unwritten so that they keep following it.
    pub inherited: Vec<String>,
}

/// A node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Latitude in degrees, if known.
    pub lat: Option<f64>,
    /// Longitude in degrees, if known.
    pub lon: Option<f64>,
    /// What the node is.
    pub kind: NodeKind,
}

/// The kind of a node, with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A loading point.
    Source {
        /// Litres per day available for loading.
        supply_litres_per_day: f64,
        /// This source's weight in the fleet split ([`Scenario::fleet_by_source`]); `None`
        /// on every source when the scenario does not state the basing (then supply is the
        /// weight).
        fleet_share: Option<f64>,
    },
    /// Storage serving demand.
    Depot(Depot),
    /// A town, border post or junction.
    Waypoint,
}

/// A depot's storage, demand and rationing.
#[derive(Debug, Clone, PartialEq)]
pub struct Depot {
    /// Capacity in litres.
    pub capacity_litres: f64,
    /// Stock at day 0 in litres (<= capacity).
    pub initial_stock_litres: f64,
    /// Demand classes, sorted by priority (stable: equal priorities keep file order).
    pub demand: Vec<DemandClass>,
    /// Rationing rule.
    pub rationing: Rationing,
}

impl Depot {
    /// Total baseline demand in litres per day.
    pub fn demand_litres_per_day(&self) -> f64 {
        self.demand.iter().map(|c| c.litres_per_day).sum()
    }

    /// Whether `class` (one of this depot's) is protected: its priority is at most
    /// `rationing.protected_priority`, so it is never rationed.
    pub fn is_protected(&self, class: &DemandClass) -> bool {
        class.priority <= self.rationing.protected_priority
    }

    /// Baseline demand of the protected classes, litres per day.
    pub fn protected_litres_per_day(&self) -> f64 {
        self.demand
            .iter()
            .filter(|c| self.is_protected(c))
            .map(|c| c.litres_per_day)
            .sum()
    }
}

/// A demand class.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandClass {
    /// Name, unique within the depot.
    pub name: String,
    /// Baseline litres per day.
    pub litres_per_day: f64,
    /// 1 is the most important.
    pub priority: u32,
}

/// Rationing rule of a depot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rationing {
    /// Rationing applies when days of supply < this.
    pub trigger_days: f64,
    /// Classes with priority number > this are rationed.
    pub protected_priority: u32,
    /// Share of demand a rationed class may request.
    pub ration_fraction: f64,
}

/// A road segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Unique id (`FROM-TO` unless given).
    pub id: String,
    /// Supply-side node.
    pub from: NodeId,
    /// Depot-side node.
    pub to: NodeId,
    /// Length in km.
    pub km: f64,
    /// Travel time distribution in days.
    pub transit: Transit,
    /// Loaded trucks that may enter per day.
    pub capacity_trucks_per_day: f64,
    /// Baseline unescorted attack probability, in [0, 1].
    pub risk: f64,
    /// Tags, as written.
    pub tags: Vec<String>,
    /// What an attack on this segment does (segment fields over scenario defaults).
    pub attack: Interdiction,
}

/// A travel-time distribution in days; parameters are checked (min <= mode <= max, > 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transit {
    /// Always this many days.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Log-normal with this median and log-sd.
    LogNormal {
        /// Median in days.
        median: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
}

impl Transit {
    /// The mean travel time in days.
    pub fn mean(&self) -> f64 {
        match *self {
            Transit::Fixed(d) => d,
            Transit::Uniform { min, max } => 0.5 * (min + max),
            Transit::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Transit::LogNormal { median, sigma } => median * (0.5 * sigma * sigma).exp(),
        }
    }

    /// Draws a travel time from `u`, a uniform number in `[0, 1)` (inverse transform), and
    /// `z`, a standard normal draw used only by `LogNormal`.
    pub fn sample(&self, u: f64, z: f64) -> f64 {
        match *self {
            Transit::Fixed(d) => d,
            Transit::Uniform { min, max } => min + u * (max - min),
            Transit::Triangular { min, mode, max } => {
                let span = max - min;
                if span <= 0.0 {
                    return min;
                }
                let c = (mode - min) / span;
                if u < c {
                    min + (u * span * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * span * (max - mode)).sqrt()
                }
            }
            Transit::LogNormal { median, sigma } => median * (sigma * z).exp(),
        }
    }
}

/// What an attack does (scenario defaults, or a segment's resolved values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interdiction {
    /// Per-truck loss probability in an attack.
    pub loss_fraction: f64,
    /// Share of lost fuel that is seized.
    pub seized_share: f64,
    /// Days the segment closes after an attack.
    pub suspend_days: f64,
    /// What survivors do.
    pub on_attack: OnAttack,
    /// Hazard multiplier for return trips.
    pub return_risk_factor: f64,
}

/// The fleet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    /// Number of tankers.
    pub trucks: u32,
    /// Litres per tanker (> 0).
    pub truck_litres: f64,
    /// Lost tankers replaced per day at each source, up to its original count (>= 0).
    pub replacement_per_day: f64,
}

/// Dispatch planning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispatch {
    /// Days between routine replans (> 0).
    pub replan_days: f64,
    /// Days between convoys from a source (> 0).
    pub convoy_interval_days: f64,
    /// Most trucks in one convoy (>= 1).
    pub max_convoy: u32,
    /// Whether the first plan's loaded convoys are already on the road at day 0.
    pub warm_start: bool,
    /// Days a convoy waits at a closure before it reroutes (> 0).
    pub reroute_after_days: f64,
    /// Days of deliveries the plan charges for each expected tanker lost (>= 0).
    pub attrition_horizon_days: f64,
}

/// Whether a convoy that wants an escort waits for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscortPolicy {
    /// Wait (FIFO) until an escort is free.
    Required,
    /// Take one if free at that instant, else leave alone.
    IfFree,
}

/// Escorts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Escorts {
    /// Units at day 0.
    pub units: u32,
    /// Route attack probability above which a convoy wants an escort.
    pub threshold: f64,
    /// Wait or leave alone.
    pub policy: EscortPolicy,
    /// Hazard multiplier under escort.
    pub risk_factor: f64,
    /// Per-truck loss multiplier under escort.
    pub loss_factor: f64,
    /// If set, days after departure when the escort is free again.
    pub turnaround_days: Option<f64>,
    /// Most loaded trucks one escort protects (>= 1).
    pub max_convoy: u32,
}

/// An event of the timeline, checked and resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Start day.
    pub day: f64,
    /// End day (exclusive), if any; always > `day`.
    pub until: Option<f64>,
    /// Label for charts.
    pub label: Option<String>,
    /// What happens.
    pub effect: Effect,
}

impl Event {
    /// A label for charts: the given one, else a short description of the effect.
    pub fn display_label(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| self.effect.kind_name().to_string())
    }

    /// Whether the event is active at time `t` (`day <= t < until`).
    pub fn active_at(&self, t: f64) -> bool {
        t >= self.day && self.until.is_none_or(|u| t < u)
    }
}

/// The segments an event acts on: as written, and resolved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Targets {
    /// Tags as written.
    pub tags: Vec<String>,
    /// Segment ids as written.
    pub segments: Vec<String>,
    /// Every segment named or tagged, sorted, without duplicates.
    pub resolved: Vec<SegmentId>,
}

/// What an event does.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Multiply the hazard on the targets.
    RiskMultiplier {
        /// Affected segments.
        targets: Targets,
        /// Multiplier (>= 0).
        factor: f64,
    },
    /// Close the targets.
    Close {
        /// Closed segments.
        targets: Targets,
    },
    /// Multiply a source's supply.
    SupplyFactor {
        /// The source.
        source: NodeId,
        /// Multiplier (>= 0).
        factor: f64,
    },
    /// Set the number of escort units.
    EscortUnits(u32),
    /// Multiply demand at one depot or all.
    DemandFactor {
        /// The depot, or all if `None`.
        depot: Option<NodeId>,
        /// Multiplier (>= 0).
        factor: f64,
    },
    /// Daily airlift into a depot.
    Airlift {
        /// The depot.
        depot: NodeId,
        /// Litres per day.
        litres_per_day: f64,
    },
    /// One-off delivery.
    Delivery {
        /// The depot.
        depot: NodeId,
        /// Litres.
        litres: f64,
    },
    /// An attack on record: the first loaded convoy to enter `segment` at or after the
    /// event day loses `trucks_lost` trucks (or all it has), on top of the random hazard.
    Attack {
        /// The segment.
        segment: SegmentId,
        /// Trucks lost.
        trucks_lost: u32,
    },
    /// Litres set aside on the event day for the depot's protected classes (priority <=
    /// `protected_priority`), drawn only once the ordinary stock is exhausted.
    ProtectedReserve {
        /// The depot.
        depot: NodeId,
        /// Litres.
        litres: f64,
    },
}

impl Effect {
    /// The variant name as written in files.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Effect::RiskMultiplier { .. } => "RiskMultiplier",
            Effect::Close { .. } => "Close",
            Effect::SupplyFactor { .. } => "SupplyFactor",
            Effect::EscortUnits(_) => "EscortUnits",
            Effect::DemandFactor { .. } => "DemandFactor",
            Effect::Airlift { .. } => "Airlift",
            Effect::Delivery { .. } => "Delivery",
            Effect::Attack { .. } => "Attack",
            Effect::ProtectedReserve { .. } => "ProtectedReserve",
        }
    }
}

impl Scenario {
    /// The node with index `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The segment with index `id`.
    pub fn segment(&self, id: SegmentId) -> &Segment {
        &self.segments[id.index()]
    }

    /// Finds a node by its id string.
    pub fn node_by_id(&self, id: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| NodeId(i as u32))
    }

    /// Finds a segment by its id string.
    pub fn segment_by_id(&self, id: &str) -> Option<SegmentId> {
        self.segments
            .iter()
            .position(|s| s.id == id)
            .map(|i| SegmentId(i as u32))
    }

    /// Source nodes with their supply, in file order.
    pub fn sources(&self) -> impl Iterator<Item = (NodeId, f64)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n.kind {
                NodeKind::Source {
                    supply_litres_per_day,
                    ..
                } => Some((NodeId(i as u32), supply_litres_per_day)),
                _ => None,
            })
    }

    /// Tankers based at each source, in source order: the fleet split in proportion to
    /// the sources' `fleet_share` where the scenario states it, else to their supply, by
    /// largest remainder (ties to the earlier source); with every weight 0, all at the
    /// first source. Trucks always return to the source they are based at.
    ///
    /// # Example
    /// ```
    /// use std::path::Path;
    /// let s = blockade::scenario::load(Path::new("networks/tutorial.ron")).unwrap().scenario;
    /// assert_eq!(s.fleet_by_source(), vec![400]);
    /// ```
    pub fn fleet_by_source(&self) -> Vec<u32> {
        let weights: Vec<f64> = self
            .nodes
            .iter()
            .filter_map(|n| match n.kind {
                NodeKind::Source {
                    supply_litres_per_day,
                    fleet_share,
                } => Some(fleet_share.unwrap_or(supply_litres_per_day)),
                _ => None,
            })
            .collect();
        split_fleet(self.fleet.trucks, &weights)
    }

    /// Whether the scenario states where its tankers are based (`fleet_share` on its
    /// sources) rather than leaving them split in proportion to supply.
    pub fn fleet_basing_stated(&self) -> bool {
        self.nodes.iter().any(|n| {
            matches!(
                n.kind,
                NodeKind::Source {
                    fleet_share: Some(_),
                    ..
                }
            )
        })
    }

    /// Depot nodes, in file order.
    pub fn depots(&self) -> impl Iterator<Item = (NodeId, &Depot)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match &n.kind {
                NodeKind::Depot(d) => Some((NodeId(i as u32), d)),
                _ => None,
            })
    }

    /// The depot parameters of node `id`, if it is a depot.
    pub fn depot(&self, id: NodeId) -> Option<&Depot> {
        match &self.node(id).kind {
            NodeKind::Depot(d) => Some(d),
            _ => None,
        }
    }

    /// Total baseline supply of all sources, litres per day.
    pub fn total_supply_litres_per_day(&self) -> f64 {
        self.sources().map(|(_, s)| s).sum()
    }

    /// Total baseline demand of all depots, litres per day.
    pub fn total_demand_litres_per_day(&self) -> f64 {
        self.depots().map(|(_, d)| d.demand_litres_per_day()).sum()
    }

    /// Total initial stock of all depots, litres.
    pub fn total_initial_stock_litres(&self) -> f64 {
        self.depots().map(|(_, d)| d.initial_stock_litres).sum()
    }

    /// Every tag with the segments that carry it, sorted by tag.
    pub fn tags(&self) -> BTreeMap<&str, Vec<SegmentId>> {
        let mut map: BTreeMap<&str, Vec<SegmentId>> = BTreeMap::new();
        for (i, s) in self.segments.iter().enumerate() {
            for t in &s.tags {
                map.entry(t.as_str()).or_default().push(SegmentId(i as u32));
            }
        }
        map
    }

    /// A label for day `day`: the date if `start_date` is set, else `day N`.
    pub fn day_label(&self, day: i64) -> String {
        match self.start_date {
            Some(d) => d.plus_days(day).to_string(),
            None => format!("day {day}"),
        }
    }

    /// A short display name for a segment: "Kayes–Diéma" from the node names.
    pub fn segment_label(&self, id: SegmentId) -> String {
        let s = self.segment(id);
        format!("{}–{}", self.node(s.from).name, self.node(s.to).name)
    }
}

/// Splits `trucks` across sources in proportion to `supply` (their weights: supply or
/// stated shares; largest remainder, ties to the earlier source). With every weight 0, all
/// trucks go to the first source.
fn split_fleet(trucks: u32, supply: &[f64]) -> Vec<u32> {
    let total: f64 = supply.iter().sum();
    if supply.is_empty() {
        return Vec::new();
    }
    if total <= 0.0 {
        let mut v = vec![0; supply.len()];
        v[0] = trucks;
        return v;
    }
    let exact: Vec<f64> = supply
        .iter()
        .map(|s| f64::from(trucks) * s / total)
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|x| x.floor() as u32).collect();
    let mut left = trucks - out.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..supply.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor())
            .total_cmp(&(exact[*a] - exact[*a].floor()))
            .then(a.cmp(b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

/// The bundled scenario `networks/<file>`, loaded and checked (for the crate's tests).
#[cfg(test)]
pub(crate) fn bundled(file: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("networks")
        .join(file);
    load(&path).expect("bundled").scenario
}

#[cfg(test)]
mod fleet_tests {
    use super::split_fleet;

    #[test]
    fn fleet_split_is_proportional_with_largest_remainder() {
        assert_eq!(split_fleet(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(split_fleet(100, &[3.0, 1.0]), [75, 25]);
        assert_eq!(split_fleet(5, &[0.0, 0.0]), [5, 0]);
        assert_eq!(split_fleet(7, &[2.0, 0.0, 5.0]), [2, 0, 5]);
        assert_eq!(split_fleet(0, &[1.0]), [0]);
    }

    /// Bamako states its basing (`fleet_share`): a cut of one port's supply in the
    /// scenario leaves every tanker where it was; with the shares taken away, the tankers
    /// follow supply and the cut port loses its own.
    #[test]
    fn stated_shares_hold_the_fleet_where_supply_would_move_it() {
        use super::NodeKind;
        let mut s = super::bundled("bamako-2025.ron");
        assert!(s.fleet_basing_stated());
        let before = s.fleet_by_source();
        assert_eq!(before, [715, 26, 455, 39, 52, 13]);
        let nim = s.nodes.iter().position(|n| n.id == "NIM").unwrap();
        let NodeKind::Source {
            supply_litres_per_day,
            ..
        } = &mut s.nodes[nim].kind
        else {
            panic!("NIM is a source")
        };
        *supply_litres_per_day = 1000.0;
        assert_eq!(s.fleet_by_source(), before);
        for n in &mut s.nodes {
            if let NodeKind::Source { fleet_share, .. } = &mut n.kind {
                *fleet_share = None;
            }
        }
        assert!(!s.fleet_basing_stated());
        let moved = s.fleet_by_source();
        assert_eq!(moved[5], 0, "{moved:?}");
        assert_eq!(moved.iter().sum::<u32>(), 1300);
        assert!(moved[0] > before[0] && moved[2] > before[2], "{moved:?}");
    }
}
