//! Keeps `docs/scenario-format.md` in step with the schema and the defaults: a field added
//! to the format without a line in the documentation fails the build's tests.

#[cfg(test)]
pub(crate) mod tests {
    use crate::scenario::schema::*;
    use std::collections::BTreeSet;

    const DOC: &str = include_str!("../../docs/scenario-format.md");
    const DEFAULTS: &str = include_str!("defaults.rs");

    /// A file in which every optional field is set and every enum variant appears. A new
    /// struct field will not compile here until it is added; a new variant must be added to
    /// `variant_names` (checked by the exhaustive match below).
    pub(crate) fn everything() -> ScenarioFile {
        let seg = SegmentSpec {
            id: Some("s".into()),
            from: "a".into(),
            to: "b".into(),
            km: Num::Uncertain(DistSpec::Triangular(0.5, 1.0, 2.0)),
            transit_days: TransitSpec::Fixed(1.0),
            capacity_trucks_per_day: Num::Uncertain(DistSpec::LogNormal(1.0, 0.2)),
            risk: Num::Uncertain(DistSpec::Uniform(0.05, 0.15)),
            tags: vec!["t".into()],
            loss_fraction: Some(0.1.into()),
            seized_share: Some(0.1.into()),
            suspend_days: Some(1.0.into()),
            on_attack: Some(OnAttack::TurnBack),
            return_risk_factor: Some(1.0.into()),
        };
        let event = |effect| EventSpec {
            day: Some(1.0),
            date: Some("2025-01-01".into()),
            until: Some(2.0),
            until_date: Some("2025-01-02".into()),
            label: Some("l".into()),
            effect,
        };
        ScenarioFile {
            include: vec!["x".into()],
            name: Some("n".into()),
            description: Some("d".into()),
            start_date: Some("2025-01-01".into()),
            horizon_days: Some(1),
            seed: Some(1),
            replications: Some(1),
            nodes: vec![
                NodeSpec::Source {
                    id: "a".into(),
                    name: Some("A".into()),
                    lat: Some(0.0),
                    lon: Some(0.0),
                    supply_litres_per_day: 1.0.into(),
                    fleet_share: Some(1.0.into()),
                },
                NodeSpec::Waypoint {
                    id: "w".into(),
                    name: None,
                    lat: None,
                    lon: None,
                },
                NodeSpec::Depot {
                    id: "b".into(),
                    name: None,
                    lat: None,
                    lon: None,
                    capacity_litres: 1.0.into(),
                    initial_stock_litres: 1.0.into(),
                    demand: vec![DemandClassSpec {
                        name: "e".into(),
                        litres_per_day: 1.0.into(),
                        priority: 1,
                    }],
                    rationing: Some(RationingSpec {
                        trigger_days: Some(1.0.into()),
                        protected_priority: Some(1),
                        ration_fraction: Some(0.5.into()),
                    }),
                },
            ],
            segments: vec![seg],
            fleet: Some(FleetSpec {
                trucks: Some(1.into()),
                truck_litres: Some(1.0.into()),
                replacement_per_day: Some(1.0.into()),
            }),
            dispatch: Some(DispatchSpec {
                replan_days: Some(1.0.into()),
                convoy_interval_days: Some(1.0.into()),
                max_convoy: Some(1.into()),
                warm_start: Some(false),
                reroute_after_days: Some(1.0.into()),
                attrition_horizon_days: Some(1.0.into()),
            }),
            escorts: Some(EscortSpec {
                units: Some(Num::Uncertain(DistSpec::Choice(vec![1.0, 2.0]))),
                threshold: Some(0.1.into()),
                require_escort: Some(true),
                risk_factor: Some(0.5.into()),
                loss_factor: Some(0.5.into()),
                turnaround_days: Some(1.0.into()),
                max_convoy: Some(1.into()),
            }),
            interdiction: Some(InterdictionSpec {
                loss_fraction: Some(0.1.into()),
                seized_share: Some(0.1.into()),
                suspend_days: Some(1.0.into()),
                on_attack: Some(OnAttack::Continue),
                return_risk_factor: Some(0.1.into()),
            }),
            events: vec![
                event(EffectSpec::RiskMultiplier {
                    tags: vec!["t".into()],
                    segments: vec!["s".into()],
                    factor: 2.0.into(),
                }),
                event(EffectSpec::Close {
                    tags: vec!["t".into()],
                    segments: vec![],
                }),
                event(EffectSpec::SupplyFactor {
                    source: "a".into(),
                    factor: 0.5.into(),
                }),
                event(EffectSpec::EscortUnits(2.into())),
                event(EffectSpec::DemandFactor {
                    depot: Some("b".into()),
                    factor: 0.5.into(),
                }),
                event(EffectSpec::Airlift {
                    depot: "b".into(),
                    litres_per_day: 1.0.into(),
                }),
                event(EffectSpec::Delivery {
                    depot: "b".into(),
                    litres: 1.0.into(),
                }),
                event(EffectSpec::Attack {
                    segment: "s".into(),
                    trucks_lost: 1.into(),
                }),
                event(EffectSpec::ProtectedReserve {
                    depot: "b".into(),
                    litres: 1.0.into(),
                }),
            ],
        }
    }

    /// Every enum variant name of the format; the matches fail to compile if one is added.
    fn variant_names() -> Vec<&'static str> {
        let t = |x: TransitSpec| match x {
            TransitSpec::Fixed(_)
            | TransitSpec::Uniform(..)
            | TransitSpec::Triangular(..)
            | TransitSpec::LogNormal(..) => (),
        };
        let o = |x: OnAttack| match x {
            OnAttack::Continue | OnAttack::TurnBack => (),
        };
        let _ = (t, o);
        vec![
            "Fixed",
            "Uniform",
            "Triangular",
            "LogNormal",
            "Continue",
            "TurnBack",
            "Source",
            "Depot",
            "Waypoint",
        ]
    }

    fn keys(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_field_and_variant_is_documented() {
        let mut names = BTreeSet::new();
        keys(&serde_json::to_value(everything()).unwrap(), &mut names);
        names.extend(variant_names().into_iter().map(String::from));
        let missing: Vec<_> = names
            .iter()
            .filter(|k| !DOC.contains(&format!("`{k}")) && !DOC.contains(&format!("{k}(")))
            .collect();
        assert!(
            missing.is_empty(),
            "docs/scenario-format.md does not document: {missing:?}"
        );
    }

    #[test]
    fn every_default_is_documented_with_its_value() {
        // Each default constant is preceded by a doc line naming its field: /// `fleet.truck_litres`.
        let mut checked = 0;
        let lines: Vec<&str> = DEFAULTS.lines().collect();
        for pair in lines.windows(2) {
            let (doc, def) = (pair[0].trim(), pair[1].trim());
            let Some(field) = doc.strip_prefix("/// `").and_then(|d| d.split('`').next()) else {
                continue;
            };
            if !def.starts_with("pub const") || field.contains(' ') {
                continue;
            }
            let value = def
                .split('=')
                .nth(1)
                .unwrap()
                .trim()
                .trim_end_matches(';')
                .replace('_', "");
            let row = DOC
                .lines()
                .skip_while(|l| !l.starts_with("## Defaults"))
                .find(|l| l.starts_with(&format!("| `{field}` |")))
                .unwrap_or_else(|| panic!("no row for `{field}` in the Defaults table"));
            let cell = row.split('|').nth(2).unwrap().trim();
            match (value.parse::<f64>(), cell.parse::<f64>()) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "default of `{field}`: code {a}, doc {b}"),
                _ => assert_eq!(value, cell, "default of `{field}`"),
            }
            checked += 1;
        }
        assert!(
            checked >= 19,
            "only {checked} defaults found; did the doc-line convention change?"
        );
    }
}
