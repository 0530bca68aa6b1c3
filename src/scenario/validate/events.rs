//! The timeline: each event's day or date, its end, and its effect with the items it names.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::engine::SimTime;
use crate::scenario::defaults as def;
use crate::scenario::schema::{EffectSpec, EventSpec, Whole};
use crate::scenario::{Date, Effect, Event, Node, NodeId, NodeKind, Segment, SegmentId, Targets};

use super::quantities::{DAYS, FACTOR, LITRES, at_least};
use super::words::{did_you_mean, fmt_num};
use super::{Checker, Loc};

impl Checker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn events(
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
    pub(super) fn when(
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
    pub(super) fn effect(
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
