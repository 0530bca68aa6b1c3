//! Writing a resolved scenario back as a file: every include merged, every default filled,
//! every segment's interdiction values written out. Reading the result gives an equal
//! [`Scenario`]; a test checks it on every bundled scenario.

use super::overrides::{parse_path, set};
use super::schema::{
    DemandClassSpec, DispatchSpec, EffectSpec, EscortSpec, EventSpec, FleetSpec, InterdictionSpec,
    NodeSpec, RationingSpec, ScenarioFile, SegmentSpec, TransitSpec,
};
use super::schema::{DistSpec, Num};
use super::{Effect, EscortPolicy, NodeKind, Scenario, Transit};

/// The canonical file form of `s`: no includes, no defaults left implicit, every uncertain
/// input written as its `Uncertain(...)` range.
pub fn to_file(s: &Scenario) -> ScenarioFile {
    let plain = to_file_at_medians(s);
    if s.uncertain.is_empty() && s.inherited.is_empty() {
        return plain;
    }
    // Through the `--set` paths, so that an input's path and where it is written cannot
    // disagree. Cannot fail: the paths were made by validation from this very structure.
    let Ok(mut v) = serde_json::to_value(&plain) else {
        return plain;
    };
    for u in &s.uncertain {
        let spec = Num::<f64>::Uncertain(DistSpec::from_dist(&u.dist));
        if let (Some(steps), Ok(value)) = (parse_path(&u.path), serde_json::to_value(spec)) {
            set(&mut v, &steps, value, false);
        }
    }
    for p in &s.inherited {
        if let Some(steps) = parse_path(p) {
            set(&mut v, &steps, serde_json::Value::Null, false);
        }
    }
    serde_json::from_value(v).unwrap_or(plain)
}

/// The canonical file form of `s` with every uncertain input written as the plain number the
/// scenario holds, its median: what `--set` checks the type of a value against.
pub fn to_file_at_medians(s: &Scenario) -> ScenarioFile {
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
                        fleet_share,
                    } => NodeSpec::Source {
                        id,
                        name,
                        lat,
                        lon,
                        supply_litres_per_day: (*supply_litres_per_day).into(),
                        fleet_share: fleet_share.map(Into::into),
                    },
                    NodeKind::Waypoint => NodeSpec::Waypoint { id, name, lat, lon },
                    NodeKind::Depot(d) => NodeSpec::Depot {
                        id,
                        name,
                        lat,
                        lon,
                        capacity_litres: d.capacity_litres.into(),
                        initial_stock_litres: d.initial_stock_litres.into(),
                        demand: d
                            .demand
                            .iter()
                            .map(|c| DemandClassSpec {
                                name: c.name.clone(),
                                litres_per_day: c.litres_per_day.into(),
                                priority: c.priority,
                            })
                            .collect(),
                        rationing: Some(RationingSpec {
                            trigger_days: Some(d.rationing.trigger_days.into()),
                            protected_priority: Some(d.rationing.protected_priority),
                            ration_fraction: Some(d.rationing.ration_fraction.into()),
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
                km: g.km.into(),
                transit_days: match g.transit {
                    Transit::Fixed(d) => TransitSpec::Fixed(d),
                    Transit::Uniform { min, max } => TransitSpec::Uniform(min, max),
                    Transit::Triangular { min, mode, max } => {
                        TransitSpec::Triangular(min, mode, max)
                    }
                    Transit::LogNormal { median, sigma } => TransitSpec::LogNormal(median, sigma),
                },
                capacity_trucks_per_day: g.capacity_trucks_per_day.into(),
                risk: g.risk.into(),
                tags: g.tags.clone(),
                loss_fraction: Some(g.attack.loss_fraction.into()),
                seized_share: Some(g.attack.seized_share.into()),
                suspend_days: Some(g.attack.suspend_days.into()),
                on_attack: Some(g.attack.on_attack),
                return_risk_factor: Some(g.attack.return_risk_factor.into()),
            })
            .collect(),
        fleet: Some(FleetSpec {
            trucks: Some(s.fleet.trucks.into()),
            truck_litres: Some(s.fleet.truck_litres.into()),
            replacement_per_day: Some(s.fleet.replacement_per_day.into()),
        }),
        dispatch: Some(DispatchSpec {
            replan_days: Some(s.dispatch.replan_days.into()),
            convoy_interval_days: Some(s.dispatch.convoy_interval_days.into()),
            max_convoy: Some(s.dispatch.max_convoy.into()),
            warm_start: Some(s.dispatch.warm_start),
            reroute_after_days: Some(s.dispatch.reroute_after_days.into()),
            attrition_horizon_days: Some(s.dispatch.attrition_horizon_days.into()),
        }),
        escorts: Some(EscortSpec {
            units: Some(s.escorts.units.into()),
            threshold: Some(s.escorts.threshold.into()),
            require_escort: Some(s.escorts.policy == EscortPolicy::Required),
            risk_factor: Some(s.escorts.risk_factor.into()),
            loss_factor: Some(s.escorts.loss_factor.into()),
            turnaround_days: s.escorts.turnaround_days.map(Into::into),
            max_convoy: Some(s.escorts.max_convoy.into()),
        }),
        interdiction: Some(InterdictionSpec {
            loss_fraction: Some(s.interdiction.loss_fraction.into()),
            seized_share: Some(s.interdiction.seized_share.into()),
            suspend_days: Some(s.interdiction.suspend_days.into()),
            on_attack: Some(s.interdiction.on_attack),
            return_risk_factor: Some(s.interdiction.return_risk_factor.into()),
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
                            factor: (*factor).into(),
                        }
                    }
                    Effect::Close { targets } => {
                        let (tags, segments) = seg_ids(targets);
                        EffectSpec::Close { tags, segments }
                    }
                    Effect::SupplyFactor { source, factor } => EffectSpec::SupplyFactor {
                        source: node_id(*source),
                        factor: (*factor).into(),
                    },
                    Effect::EscortUnits(n) => EffectSpec::EscortUnits((*n).into()),
                    Effect::DemandFactor { depot, factor } => EffectSpec::DemandFactor {
                        depot: depot.map(node_id),
                        factor: (*factor).into(),
                    },
                    Effect::Airlift {
                        depot,
                        litres_per_day,
                    } => EffectSpec::Airlift {
                        depot: node_id(*depot),
                        litres_per_day: (*litres_per_day).into(),
                    },
                    Effect::Delivery { depot, litres } => EffectSpec::Delivery {
                        depot: node_id(*depot),
                        litres: (*litres).into(),
                    },
                    Effect::Attack {
                        segment,
                        trucks_lost,
                    } => EffectSpec::Attack {
                        segment: s.segment(*segment).id.clone(),
                        trucks_lost: (*trucks_lost).into(),
                    },
                    Effect::ProtectedReserve { depot, litres } => EffectSpec::ProtectedReserve {
                        depot: node_id(*depot),
                        litres: (*litres).into(),
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
