//! The scenario-wide blocks: fleet, dispatch, escorts and interdiction.

use crate::scenario::defaults as def;
use crate::scenario::schema::{Real, ScenarioFile, Whole};
use crate::scenario::{Dispatch, EscortPolicy, Escorts, Fleet, Interdiction, OnAttack};

use super::quantities::{DAYS, FACTOR, POS_DAYS, PROB, Range, above, at_least};
use super::words::fmt_num;
use super::{Checker, Loc};

impl Checker {
    pub(super) fn interdiction(&mut self, f: &ScenarioFile) -> Interdiction {
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

    pub(super) fn fleet(&mut self, f: &ScenarioFile) -> Option<Fleet> {
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

    pub(super) fn dispatch(&mut self, f: &ScenarioFile) -> Dispatch {
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
        // Lost tankers are replaced when the file states a replacement rate that is not a
        // plain 0 (an uncertain rate counts as replacement).
        let replaced = f
            .fleet
            .as_ref()
            .and_then(|fl| fl.replacement_per_day.as_ref())
            .is_some_and(|r| !matches!(r, Real::Fixed(x) if *x == 0.0));
        let attrition_horizon_days = field(
            self,
            "attrition_horizon_days",
            s.attrition_horizon_days,
            def::attrition_horizon_days(f.horizon_days.unwrap_or(def::HORIZON_DAYS), replaced),
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

    pub(super) fn escorts(&mut self, f: &ScenarioFile) -> Escorts {
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
}
