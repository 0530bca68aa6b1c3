//! Writing a resolved scenario back as a file: every include merged, every default filled,
//! every segment's interdiction values written out. Reading the result gives an equal
//! [`Scenario`]; a test checks it on every bundled scenario.

use super::schema::{
    DemandClassSpec, DispatchSpec, EffectSpec, EscortSpec, EventSpec, FleetSpec, InterdictionSpec,
    NodeSpec, RationingSpec, ScenarioFile, SegmentSpec, TransitSpec,
};
use super::{Effect, EscortPolicy, NodeKind, Scenario, Transit};

/// The canonical file form of `s`: no includes, no defaults left implicit.
pub fn to_file(s: &Scenario) -> ScenarioFile {
    let node_id = |n: super::NodeId| s.node(n).id.clone();
    let seg_ids = |t: &super::Targets| (t.tags.clone(), t.segments.clone());
    ScenarioFile {
        include: Vec::new(),
        name: Some(s.name.clone()),
        description: Some(s.description.clone()),
        start_date: s.start_date.map(|d| d.to_string()),
        horizon_days: Some(s.horizon_days),
        seed: Some(s.seed),
        replications: Some(s.replications),
        nodes: s
            .nodes
            .iter()
            .map(|n| {
                let (id, name, lat, lon) = (n.id.clone(), Some(n.name.clone()), n.lat, n.lon);
                match &n.kind {
                    NodeKind::Source {
                        supply_litres_per_day,
                    } => NodeSpec::Source {
                        id,
                        name,
                        lat,
                        lon,
                        supply_litres_per_day: *supply_litres_per_day,
                    },
                    NodeKind::Waypoint => NodeSpec::Waypoint { id, name, lat, lon },
                    NodeKind::Depot(d) => NodeSpec::Depot {
                        id,
                        name,
                        lat,
                        lon,
                        capacity_litres: d.capacity_litres,
                        initial_stock_litres: d.initial_stock_litres,
                        demand: d
                            .demand
                            .iter()
                            .map(|c| DemandClassSpec {
                                name: c.name.clone(),
                                litres_per_day: c.litres_per_day,
                                priority: c.priority,
                            })
                            .collect(),
                        rationing: Some(RationingSpec {
                            trigger_days: Some(d.rationing.trigger_days),
                            protected_priority: Some(d.rationing.protected_priority),
                            ration_fraction: Some(d.rationing.ration_fraction),
                        }),
                    },
                }
            })
            .collect(),
        segments: s
            .segments
            .iter()
            .map(|g| SegmentSpec {
                id: Some(g.id.clone()),
                from: node_id(g.from),
                to: node_id(g.to),
                km: g.km,
                transit_days: match g.transit {
                    Transit::Fixed(d) => TransitSpec::Fixed(d),
                    Transit::Uniform { min, max } => TransitSpec::Uniform(min, max),
                    Transit::Triangular { min, mode, max } => {
                        TransitSpec::Triangular(min, mode, max)
                    }
                    Transit::LogNormal { median, sigma } => TransitSpec::LogNormal(median, sigma),
                },
                capacity_trucks_per_day: g.capacity_trucks_per_day,
                risk: g.risk,
                tags: g.tags.clone(),
                loss_fraction: Some(g.attack.loss_fraction),
                seized_share: Some(g.attack.seized_share),
                suspend_days: Some(g.attack.suspend_days),
                on_attack: Some(g.attack.on_attack),
                return_risk_factor: Some(g.attack.return_risk_factor),
            })
            .collect(),
        fleet: Some(FleetSpec {
            trucks: Some(s.fleet.trucks),
            truck_litres: Some(s.fleet.truck_litres),
            replacement_per_day: Some(s.fleet.replacement_per_day),
        }),
        dispatch: Some(DispatchSpec {
            replan_days: Some(s.dispatch.replan_days),
            convoy_interval_days: Some(s.dispatch.convoy_interval_days),
            max_convoy: Some(s.dispatch.max_convoy),
            warm_start: Some(s.dispatch.warm_start),
            reroute_after_days: Some(s.dispatch.reroute_after_days),
            attrition_horizon_days: Some(s.dispatch.attrition_horizon_days),
        }),
        escorts: Some(EscortSpec {
            units: Some(s.escorts.units),
            threshold: Some(s.escorts.threshold),
            require_escort: Some(s.escorts.policy == EscortPolicy::Required),
            risk_factor: Some(s.escorts.risk_factor),
            loss_factor: Some(s.escorts.loss_factor),
            turnaround_days: s.escorts.turnaround_days,
            max_convoy: Some(s.escorts.max_convoy),
        }),
        interdiction: Some(InterdictionSpec {
            loss_fraction: Some(s.interdiction.loss_fraction),
            seized_share: Some(s.interdiction.seized_share),
            suspend_days: Some(s.interdiction.suspend_days),
            on_attack: Some(s.interdiction.on_attack),
            return_risk_factor: Some(s.interdiction.return_risk_factor),
        }),
        events: s
            .events
            .iter()
            .map(|e| EventSpec {
                day: Some(e.day),
                date: None,
                until: e.until,
                until_date: None,
                label: e.label.clone(),
                effect: match &e.effect {
                    Effect::RiskMultiplier { targets, factor } => {
                        let (tags, segments) = seg_ids(targets);
                        EffectSpec::RiskMultiplier {
                            tags,
                            segments,
                            factor: *factor,
                        }
                    }
                    Effect::Close { targets } => {
                        let (tags, segments) = seg_ids(targets);
                        EffectSpec::Close { tags, segments }
                    }
                    Effect::SupplyFactor { source, factor } => EffectSpec::SupplyFactor {
                        source: node_id(*source),
                        factor: *factor,
                    },
                    Effect::EscortUnits(n) => EffectSpec::EscortUnits(*n),
                    Effect::DemandFactor { depot, factor } => EffectSpec::DemandFactor {
                        depot: depot.map(node_id),
                        factor: *factor,
                    },
                    Effect::Airlift {
                        depot,
                        litres_per_day,
                    } => EffectSpec::Airlift {
                        depot: node_id(*depot),
                        litres_per_day: *litres_per_day,
                    },
                    Effect::Delivery { depot, litres } => EffectSpec::Delivery {
                        depot: node_id(*depot),
                        litres: *litres,
                    },
                    Effect::Attack {
                        segment,
                        trucks_lost,
                    } => EffectSpec::Attack {
                        segment: s.segment(*segment).id.clone(),
                        trucks_lost: *trucks_lost,
                    },
                    Effect::ProtectedReserve { depot, litres } => EffectSpec::ProtectedReserve {
                        depot: node_id(*depot),
                        litres: *litres,
                    },
                },
            })
            .collect(),
    }
}

/// `s` as canonical, pretty RON (with `implicit_some`, as scenario files are read).
pub fn to_ron(s: &Scenario) -> String {
    file_to_ron(&to_file(s))
}

/// A file value as pretty RON.
pub fn file_to_ron(f: &ScenarioFile) -> String {
    let cfg = ron::ser::PrettyConfig::new()
        .struct_names(true)
        .indentor("    ")
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    // Serializing these plain data types cannot fail: no maps with non-string keys, no
    // non-finite floats (validation rejected them).
    ron::ser::to_string_pretty(f, cfg).unwrap_or_else(|e| format!("// export failed: {e}\n"))
}

/// `s` as pretty JSON with the same field names as the RON format.
pub fn to_json(s: &Scenario) -> String {
    serde_json::to_string_pretty(&to_file(s)).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A fingerprint of the resolved scenario: FNV-1a (64 bit) of its canonical RON, in hex.
/// Two files that resolve to the same scenario have the same fingerprint.
pub fn fingerprint(s: &Scenario) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in to_ron(s).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}
