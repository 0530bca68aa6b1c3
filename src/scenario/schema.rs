//! The RON file schema: types that mirror a scenario file field for field.
//!
//! Long (over 600 lines) because it mirrors the file format field for field, one
//! serde type per section; nothing in it is logic.
//!
//! Everything here is `Option` or a list, because a file may be partial: a network file
//! holds only nodes and segments, and a scenario that includes it adds or overrides the
//! rest. [`super::validate`] merges, fills defaults ([`super::defaults`]) and checks, and
//! turns a [`ScenarioFile`] into a [`super::Scenario`]. Nothing outside `scenario` sees
//! these types, except `export`, which writes them back.
//!
//! Every struct and every enum with struct variants carries `deny_unknown_fields`, so a
//! typo in a field name is an error with a line and column, never a silent default.

use serde::{Deserialize, Serialize};

/// A whole scenario file, as written (before includes are merged and defaults filled).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Other scenario or network files merged in first, paths relative to this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Short name; also the output folder name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One or two sentences for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ISO date (`YYYY-MM-DD`) of day 0; labels charts and CSV rows only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Length of the run in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Seed of the replication RNGs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Number of Monte Carlo replications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u32>,
    /// Nodes: sources, depots and waypoints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<NodeSpec>,
    /// Road segments, from the supply side to the depot side.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentSpec>,
    /// The tanker fleet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetSpec>,
    /// How convoys are planned and sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch: Option<DispatchSpec>,
    /// Escort units and how convoys use them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escorts: Option<EscortSpec>,
    /// Defaults for what an attack does; segments may override them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interdiction: Option<InterdictionSpec>,
    /// The planners' assumptions over time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventSpec>,
}

/// A node of the network. The variant is the node kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Node")]
pub enum NodeSpec {
    /// A port terminal or loading point where tankers fill.
    Source {
        /// Unique id, used by segments and events.
        id: String,
        /// Display name (defaults to the id).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Latitude in degrees (WGS84), for the map.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lat: Option<f64>,
        /// Longitude in degrees (WGS84), for the map.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lon: Option<f64>,
        /// Litres per day available for loading.
        supply_litres_per_day: Real,
        /// This source's share of the fleet (any unit: the shares are weights). Stated on
        /// every source or on none; without it the fleet is split in proportion to supply.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fleet_share: Option<Real>,
    },
    /// Storage that serves a city's demand.
    Depot {
        /// Unique id.
        id: String,
        /// Display name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Latitude in degrees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lat: Option<f64>,
        /// Longitude in degrees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lon: Option<f64>,
        /// Storage capacity in litres.
        capacity_litres: Real,
        /// Stock at day 0 in litres.
        initial_stock_litres: Real,
        /// Demand classes served from this depot.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        demand: Vec<DemandClassSpec>,
        /// When and how demand is rationed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rationing: Option<RationingSpec>,
    },
    /// A town, border post or junction.
    Waypoint {
        /// Unique id.
        id: String,
        /// Display name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Latitude in degrees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lat: Option<f64>,
        /// Longitude in degrees.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lon: Option<f64>,
    },
}

impl NodeSpec {
    /// The node's id, whatever its kind.
    pub fn id(&self) -> &str {
        match self {
            NodeSpec::Source { id, .. }
            | NodeSpec::Depot { id, .. }
            | NodeSpec::Waypoint { id, .. } => id,
        }
    }
}

/// A demand class of a depot: who needs fuel, how much, how urgently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "DemandClass")]
pub struct DemandClassSpec {
    /// Class name, unique within the depot ("essential", "transport", "households").
    pub name: String,
    /// Baseline demand in litres per day.
    pub litres_per_day: Real,
    /// 1 is the most important; larger numbers are served later and rationed first.
    pub priority: u32,
}

/// Rationing rule of a depot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Rationing")]
pub struct RationingSpec {
    /// Rationing starts when days of supply fall below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_days: Option<Real>,
    /// Classes with a priority number greater than this are rationed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected_priority: Option<u32>,
    /// Share of demand a rationed class may still request, in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ration_fraction: Option<Real>,
}

/// A road segment. Interdiction fields left out take the scenario's `interdiction` values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Segment")]
pub struct SegmentSpec {
    /// Unique id; defaults to `FROM-TO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Node id at the supply end.
    pub from: String,
    /// Node id at the depot end.
    pub to: String,
    /// Length in km.
    pub km: Real,
    /// Travel time of a convoy, in days.
    pub transit_days: TransitSpec,
    /// Loaded trucks that may enter per day.
    pub capacity_trucks_per_day: Real,
    /// Probability that an unescorted convoy is attacked on this segment at baseline.
    pub risk: Real,
    /// Group names for events and sweeps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Overrides `interdiction.loss_fraction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_fraction: Option<Real>,
    /// Overrides `interdiction.seized_share`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seized_share: Option<Real>,
    /// Overrides `interdiction.suspend_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_days: Option<Real>,
    /// Overrides `interdiction.on_attack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_attack: Option<OnAttack>,
    /// Overrides `interdiction.return_risk_factor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_risk_factor: Option<Real>,
}

impl SegmentSpec {
    /// The segment's id: the explicit one, else `FROM-TO`.
    pub fn resolved_id(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{}-{}", self.from, self.to))
    }
}

/// A travel-time distribution, in days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Transit")]
pub enum TransitSpec {
    /// Always `d` days.
    Fixed(f64),
    /// Uniform between `a` and `b` days.
    Uniform(f64, f64),
    /// Triangular with `min`, `mode`, `max` days.
    Triangular(f64, f64, f64),
    /// Log-normal with the given `median` (days) and `sigma` (of the log).
    LogNormal(f64, f64),
}

/// What survivors of an attack do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnAttack {
    /// Drive on to the depot.
    Continue,
    /// Drive back, still loaded, to the source.
    TurnBack,
}

/// The tanker fleet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Fleet")]
pub struct FleetSpec {
    /// Number of tankers, split across sources in proportion to supply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trucks: Option<Whole>,
    /// Litres one tanker carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truck_litres: Option<Real>,
    /// Lost tankers replaced per day at each source (never above its original count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement_per_day: Option<Real>,
}

/// Dispatch planning.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Dispatch")]
pub struct DispatchSpec {
    /// Days between routine replans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replan_days: Option<Real>,
    /// Days between convoy departures from each source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convoy_interval_days: Option<Real>,
    /// Most loaded trucks in one convoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_convoy: Option<Whole>,
    /// If true, the first plan's convoys are already on the road at day 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_start: Option<bool>,
    /// Days a convoy waits at a closed segment before it takes another open route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reroute_after_days: Option<Real>,
    /// Days of deliveries the plan charges for each expected tanker lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attrition_horizon_days: Option<Real>,
}

/// Escorts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Escorts")]
pub struct EscortSpec {
    /// Escort units available at day 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Whole>,
    /// A route whose unescorted attack probability is above this wants an escort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Real>,
    /// If true, such convoys wait for an escort; if false they leave alone when none is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_escort: Option<bool>,
    /// Multiplies each segment's hazard for an escorted convoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_factor: Option<Real>,
    /// Multiplies the per-truck loss probability in an attack on an escorted convoy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_factor: Option<Real>,
    /// If set, the escort is free this many days after departure instead of after its return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnaround_days: Option<Real>,
    /// Most loaded trucks one escort may protect; defaults to `dispatch.max_convoy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_convoy: Option<Whole>,
}

/// Defaults for what an attack does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Interdiction")]
pub struct InterdictionSpec {
    /// Probability that each truck of an attacked convoy is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_fraction: Option<Real>,
    /// Share of the fuel on lost trucks that is seized (the rest burns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seized_share: Option<Real>,
    /// Days a segment stays closed after an attack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend_days: Option<Real>,
    /// What survivors do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_attack: Option<OnAttack>,
    /// Hazard multiplier for empty trucks driving back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_risk_factor: Option<Real>,
}

/// One entry of the events timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Event")]
pub struct EventSpec {
    /// Day the event starts (day 0 is `start_date`). Give `day` or `date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<f64>,
    /// ISO date the event starts; needs `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Day the event ends (exclusive); absent means to the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<f64>,
    /// ISO date the event ends (exclusive); needs `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_date: Option<String>,
    /// Short text for charts and the report ("blockade declared").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What happens.
    pub effect: EffectSpec,
}

/// What an event does while it is active.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Effect")]
pub enum EffectSpec {
    /// Multiplies the hazard of the named segments and of every segment with one of the tags.
    RiskMultiplier {
        /// Tags whose segments are affected.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        /// Segment ids affected.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        segments: Vec<String>,
        /// Hazard multiplier (>= 0).
        factor: Real,
    },
    /// Closes the named segments and tags in both directions.
    Close {
        /// Tags whose segments close.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        /// Segment ids that close.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        segments: Vec<String>,
    },
    /// Multiplies a source's supply (strike, port shortage).
    SupplyFactor {
        /// Source node id.
        source: String,
        /// Supply multiplier (>= 0).
        factor: Real,
    },
    /// Sets the number of escort units.
    EscortUnits(Whole),
    /// Multiplies the demand of every class (flight, curfews), or of one depot.
    DemandFactor {
        /// Depot id; absent means every depot.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        depot: Option<String>,
        /// Demand multiplier (>= 0).
        factor: Real,
    },
    /// Fuel flown in every day while active.
    Airlift {
        /// Depot id.
        depot: String,
        /// Litres per day.
        litres_per_day: Real,
    },
    /// A one-off delivery on the event day.
    Delivery {
        /// Depot id.
        depot: String,
        /// Litres delivered.
        litres: Real,
    },
    /// An attack on record: the first loaded convoy to enter the segment at or after the
    /// event day is attacked and loses this many trucks (or all it has).
    Attack {
        /// Segment id.
        segment: String,
        /// Trucks lost.
        trucks_lost: Whole,
    },
    /// Litres set aside on the event day for the protected classes only, drawn once the
    /// ordinary stock is exhausted.
    ProtectedReserve {
        /// Depot id.
        depot: String,
        /// Litres set aside.
        litres: Real,
    },
}

/// A number of the file that may be written as a range: a plain number, or
/// `Uncertain(Uniform(lo, hi))`, `Uncertain(Triangular(lo, mode, hi))`,
/// `Uncertain(LogNormal(median, sigma))`, `Uncertain(Choice([v1, v2, ...]))`
/// (docs/model.md §7c). `T` is `f64` for a quantity, `u32` for a count.
#[derive(Debug, Clone, PartialEq)]
pub enum Num<T> {
    /// A plain number.
    Fixed(T),
    /// An uncertain input: drawn once per replication from this distribution.
    Uncertain(DistSpec),
}

/// A quantity that may be uncertain.
pub type Real = Num<f64>;
/// A count (escort units, trucks) that may be uncertain; its draws are rounded.
pub type Whole = Num<u32>;

/// The distribution of an uncertain input, as written inside `Uncertain(...)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Dist")]
pub enum DistSpec {
    /// `Uniform(lo, hi)`.
    Uniform(f64, f64),
    /// `Triangular(lo, mode, hi)`.
    Triangular(f64, f64, f64),
    /// `LogNormal(median, sigma)`.
    LogNormal(f64, f64),
    /// `Choice([v1, v2, ...])`: each value equally likely.
    Choice(Vec<f64>),
}

impl DistSpec {
    /// The distribution this spells (a `Choice` sorted).
    pub fn to_dist(&self) -> super::Dist {
        use super::Dist;
        match self {
            DistSpec::Uniform(lo, hi) => Dist::Uniform { lo: *lo, hi: *hi },
            DistSpec::Triangular(lo, mode, hi) => Dist::Triangular {
                lo: *lo,
                mode: *mode,
                hi: *hi,
            },
            DistSpec::LogNormal(median, sigma) => Dist::LogNormal {
                median: *median,
                sigma: *sigma,
            },
            DistSpec::Choice(v) => Dist::choice(v.clone()),
        }
    }

    /// How `dist` is written.
    pub fn from_dist(dist: &super::Dist) -> DistSpec {
        use super::Dist;
        match dist {
            Dist::Uniform { lo, hi } => DistSpec::Uniform(*lo, *hi),
            Dist::Triangular { lo, mode, hi } => DistSpec::Triangular(*lo, *mode, *hi),
            Dist::LogNormal { median, sigma } => DistSpec::LogNormal(*median, *sigma),
            Dist::Choice(v) => DistSpec::Choice(v.clone()),
        }
    }
}

impl<T: Copy> Num<T> {
    /// The plain number, if it is one.
    pub fn fixed(&self) -> Option<T> {
        match self {
            Num::Fixed(x) => Some(*x),
            Num::Uncertain(_) => None,
        }
    }
}

impl std::fmt::Display for DistSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = super::validate::fmt_num;
        match self {
            DistSpec::Uniform(a, b) => write!(f, "Uniform({}, {})", n(*a), n(*b)),
            DistSpec::Triangular(a, m, b) => {
                write!(f, "Triangular({}, {}, {})", n(*a), n(*m), n(*b))
            }
            DistSpec::LogNormal(m, s) => write!(f, "LogNormal({}, {})", n(*m), n(*s)),
            DistSpec::Choice(v) => {
                let items: Vec<String> = v.iter().map(|x| n(*x)).collect();
                write!(f, "Choice([{}])", items.join(", "))
            }
        }
    }
}

impl From<f64> for Num<f64> {
    fn from(x: f64) -> Self {
        Num::Fixed(x)
    }
}

impl From<u32> for Num<u32> {
    fn from(x: u32) -> Self {
        Num::Fixed(x)
    }
}

/// `Uncertain(...)` as serde sees it: a newtype variant.
#[derive(Serialize, Deserialize)]
enum Wrapped<D> {
    Uncertain(D),
}

/// What a number field may hold, tried in order: the accepted forms first, then the shapes
/// that are explained as errors (untagged: RON keeps variant names for this buffer only).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawNum<T> {
    Fixed(T),
    Uncertain(Wrapped<DistSpec>),
    BadUncertain(Wrapped<serde::de::IgnoredAny>),
    Float(f64),
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// The message for a wrong distribution inside `Uncertain(...)`.
pub(crate) const DIST_FORMS: &str = "`Uncertain(...)` takes `Uniform(lo, hi)`, \
     `Triangular(lo, mode, hi)`, `LogNormal(median, sigma)` or `Choice([v1, v2, ...])`";

/// The plain number types a [`Num`] holds.
pub trait Scalar: Copy {
    /// Whether it is a count (whole numbers only).
    const WHOLE: bool;
}

impl Scalar for f64 {
    const WHOLE: bool = false;
}

impl Scalar for u32 {
    const WHOLE: bool = true;
}

impl<'de, T: Deserialize<'de> + Scalar> Deserialize<'de> for Num<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let kind = if T::WHOLE {
            "a whole number"
        } else {
            "a number"
        };
        match RawNum::<T>::deserialize(d)? {
            RawNum::Fixed(x) => Ok(Num::Fixed(x)),
            RawNum::Uncertain(Wrapped::Uncertain(s)) => Ok(Num::Uncertain(s)),
            RawNum::BadUncertain(_) => Err(D::Error::custom(DIST_FORMS)),
            RawNum::Float(x) => Err(D::Error::custom(format!("expected {kind}, found {x}"))),
            RawNum::Text(t) => Err(D::Error::custom(format!(
                "expected {kind}, found `{t}`; write a number, or a range such as \
                 `Uncertain(Uniform(lo, hi))`"
            ))),
            RawNum::Other(_) => Err(D::Error::custom(format!(
                "expected {kind}, or a range such as `Uncertain(Uniform(lo, hi))`"
            ))),
        }
    }
}

impl<T: Serialize> Serialize for Num<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Num::Fixed(x) => x.serialize(s),
            Num::Uncertain(d) => s.serialize_newtype_variant("Num", 0, "Uncertain", d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct T {
        x: Real,
        n: Option<Whole>,
    }

    #[test]
    fn a_number_field_reads_plain_numbers_and_ranges_from_ron_and_json() {
        let opts = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let t: T = opts.from_str("(x: 1_000, n: 3)").unwrap();
        assert_eq!(t.x, Num::Fixed(1000.0));
        assert_eq!(t.n, Some(Num::Fixed(3)));
        let t: T = opts
            .from_str("(x: Uncertain(Triangular(1, 2, 4)), n: Uncertain(Choice([2, 4])))")
            .unwrap();
        assert_eq!(t.x, Num::Uncertain(DistSpec::Triangular(1.0, 2.0, 4.0)));
        assert_eq!(t.n, Some(Num::Uncertain(DistSpec::Choice(vec![2.0, 4.0]))));
        // Back through JSON, as `--set` does.
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["x"]["Uncertain"]["Triangular"][2], 4.0);
        assert_eq!(serde_json::from_value::<T>(json).unwrap(), t);
        // Refusals say what was expected.
        let e = opts.from_str::<T>("(x: 1.5, n: 2.5)").unwrap_err();
        assert!(
            e.code
                .to_string()
                .contains("expected a whole number, found 2.5"),
            "{e}"
        );
        let e = opts
            .from_str::<T>("(x: Uncertain(Normal(1, 2)))")
            .unwrap_err();
        assert!(e.code.to_string().contains("`Uncertain(...)` takes"), "{e}");
        let e = opts.from_str::<T>("(x: high)").unwrap_err();
        assert!(e.code.to_string().contains("found `high`"), "{e}");
    }
}
