//! The words of the report page: dates, percentages and litres in the page's language, the
//! targets and events in plain words, the headline and class rows, and each chart's title
//! and caption.

use super::*;

/// "3 Sep 2025 (day 2)", or "day 2" without a start date; fractional days are kept.
pub(super) fn date_and_day(l: Lang, s: &Scenario, day: f64) -> String {
    let d = if (day - day.round()).abs() < 1e-9 {
        tr!(l, DayN, d = format!("{day:.0}"))
    } else {
        tr!(l, DayN, d = l.digits(&format!("{day}")))
    };
    match s.start_date {
        Some(start) => tr!(
            l,
            DateDay,
            date = l.date(start.plus_days(day.floor() as i64), true),
            day = d
        ),
        None => d,
    }
}

/// A percentage with one decimal.
pub(super) fn pct(l: Lang, v: f64) -> String {
    l.percent(&super::super::num(100.0 * v, 1))
}

/// Litres with thousands separators.
pub(super) fn litres(l: Lang, v: f64) -> String {
    tr!(l, Litres, x = l.thousands(v))
}

/// The segments an event names: the ones written, and the tags.
pub(super) fn targets_text(l: Lang, s: &Scenario, t: &Targets) -> String {
    let mut parts: Vec<String> = t
        .segments
        .iter()
        .map(|id| {
            s.segment_by_id(id)
                .map_or_else(|| id.clone(), |i| s.segment_label(i))
        })
        .collect();
    for tag in &t.tags {
        let n = s.tags().get(tag.as_str()).map_or(0, Vec::len);
        parts.push(tr!(
            l,
            RoadsTagged,
            tag = tag,
            n = n,
            s = l.plural(n as u64)
        ));
    }
    if parts.is_empty() {
        tr!(l, NoSegment)
    } else {
        parts.join(", ")
    }
}

/// What an event does, in words.
pub(super) fn effect_text(l: Lang, s: &Scenario, e: &Effect) -> String {
    let name = |id: crate::scenario::NodeId| s.node(id).name.clone();
    let f = |x: &f64| l.digits(&x.to_string());
    match e {
        Effect::RiskMultiplier { targets, factor } => {
            tr!(l, EffRisk, f = f(factor), on = targets_text(l, s, targets))
        }
        Effect::Close { targets } => tr!(l, EffClosed, on = targets_text(l, s, targets)),
        Effect::SupplyFactor { source, factor } => {
            tr!(l, EffSupply, at = name(*source), f = f(factor))
        }
        Effect::EscortUnits(n) => tr!(l, EffEscorts, n = n, s = l.plural(u64::from(*n))),
        Effect::DemandFactor { depot, factor } => tr!(
            l,
            EffDemand,
            f = f(factor),
            at = depot.map_or_else(|| tr!(l, EveryDepot), name)
        ),
        Effect::Airlift {
            depot,
            litres_per_day,
        } => tr!(
            l,
            EffAirlift,
            x = tr!(l, PerDay, x = litres(l, *litres_per_day)),
            to = name(*depot)
        ),
        Effect::Delivery { depot, litres: x } => {
            tr!(l, EffDelivery, x = litres(l, *x), to = name(*depot))
        }
        Effect::Attack {
            segment,
            trucks_lost,
        } => tr!(
            l,
            EffAttack,
            n = trucks_lost,
            on = s.segment_label(*segment)
        ),
        Effect::ProtectedReserve { depot, litres: x } => {
            tr!(l, EffReserve, x = litres(l, *x), at = name(*depot))
        }
    }
}

/// The headline measures as table rows, with their Monte Carlo standard errors where
/// they have one: the content of [`crate::report::headline`] and `headline.csv`.
pub(super) fn headline_rows(l: Lang, s: &Scenario, m: &Measures) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let n = m.n;
    rows.push(vec![
        tr!(l, RowDaysNow),
        tr!(
            l,
            DaysAndLitres,
            days = l.num(m.days_now, 1),
            litres = litres_mc(l, m.stock_now, 0.0)
        ),
    ]);
    for k in &m.key_days {
        rows.push(vec![
            tr!(l, RowPRationingBy, day = day_text(l, s, f64::from(k.day))),
            pct_mc(l, k.p_rationing, n),
        ]);
    }
    rows.push(vec![
        tr!(l, RowFirstRationing),
        m.first_day_text_in(l, s, &m.first_rationing),
    ]);
    rows.push(vec![
        tr!(l, RowNeverRationed),
        pct_mc(l, m.share_never_rationed, n),
    ]);
    rows.push(vec![tr!(l, RowDaysRationed), m.days_rationed_text_in(l)]);
    for k in &m.key_days {
        rows.push(vec![
            tr!(l, RowPDryBy, day = day_text(l, s, f64::from(k.day))),
            pct_mc(l, k.p_dry, n),
        ]);
    }
    rows.push(vec![
        tr!(l, RowFirstDry),
        m.first_day_text_in(l, s, &m.first_dry),
    ]);
    rows.push(vec![tr!(l, RowNeverDry), pct_mc(l, m.share_never_dry, n)]);
    rows.push(vec![
        tr!(
            l,
            RowUnmetProtected,
            names = if m.protected_names.is_empty() {
                tr!(l, NoneWord)
            } else {
                m.protected_names.join(", ")
            }
        ),
        tr!(
            l,
            WithStandardError,
            x = litres_mc(l, m.unmet_protected.0, m.unmet_protected.1),
            se = litres_mc(l, m.unmet_protected.1, m.unmet_protected.1 / 10.0)
        ),
    ]);
    let (lost, burned, seized, attacks) = m.losses;
    let (lost_se, burned_se, seized_se, attacks_se) = m.losses_se;
    rows.push(vec![
        tr!(l, RowTankersLost),
        tr!(
            l,
            LostBurnedSeized,
            lost = count_mc(l, lost, lost_se),
            burned = litres_mc(l, burned, burned_se),
            seized = litres_mc(l, seized, seized_se)
        ),
    ]);
    rows.push(vec![
        tr!(l, RowConvoysAttacked),
        count_mc(l, attacks, attacks_se),
    ]);
    rows
}

/// Unmet demand by class, split rationed / dry, as table rows.
pub(super) fn class_rows(l: Lang, m: &Measures) -> Vec<Vec<String>> {
    m.classes
        .iter()
        .map(|c| {
            let share = if c.baseline > 0.0 {
                c.unmet / c.baseline
            } else {
                0.0
            };
            vec![
                format!(
                    "{} ({}{})",
                    c.name,
                    c.priority,
                    if c.protected {
                        l.t(Msg::CommaProtected)
                    } else {
                        ""
                    }
                ),
                format!(
                    "{} ({})",
                    litres_mc(l, c.unmet, c.unmet_se),
                    pct_plain(l, share)
                ),
                litres_mc(l, c.rationed, c.rationed_se),
                litres_mc(l, c.dry, c.dry_se),
            ]
        })
        .collect()
}

/// When escorts or the fleet bind, a sentence saying so (else `None`): escorts bind on a
/// day when, on average, every unit was busy and convoys waited for one; the fleet binds
/// on a day when fewer than 5 % of the tankers were idle at a source.
pub(crate) fn binding_sentence(l: Lang, s: &Scenario, sum: &Summary) -> Option<String> {
    use crate::model::{Line, Series, TruckState};
    let days = sum.layout.days;
    let (units, in_use, queued) = (
        sum.mean(Series::EscortUnits, Line::One),
        sum.mean(Series::EscortsInUse, Line::One),
        sum.mean(Series::ConvoysWaitingForEscort, Line::One),
    );
    let escort_days: Vec<usize> = (0..days)
        .filter(|k| units[*k] > 0.0 && in_use[*k] >= 0.95 * units[*k] && queued[*k] >= 0.5)
        .collect();
    let waiting = sum.mean(Series::FleetState, TruckState::WaitingForEscort);
    let idle = sum.mean(Series::FleetState, TruckState::IdleAtSource);
    let fleet = sum.mean(Series::Fleet, Line::One);
    let fleet_days: Vec<usize> = (0..days)
        .filter(|k| fleet[*k] > 0.0 && idle[*k] < 0.05 * fleet[*k])
        .collect();
    let mut parts = Vec::new();
    if let Some(first) = escort_days.first() {
        let mean_wait: f64 =
            escort_days.iter().map(|k| waiting[*k]).sum::<f64>() / escort_days.len() as f64;
        parts.push(tr!(
            l,
            EscortsBind,
            n = escort_days.len(),
            days = days,
            first = day_text(l, s, *first as f64),
            wait = l.num(mean_wait, 0)
        ));
    }
    if let Some(first) = fleet_days.first() {
        parts.push(tr!(
            l,
            FleetBinds,
            n = fleet_days.len(),
            days = days,
            first = day_text(l, s, *first as f64),
            five = l.percent("5")
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The title and one-sentence caption of a chart.
pub(super) fn caption(l: Lang, s: &Scenario, sum: &Summary, kind: ChartKind) -> (String, String) {
    let h = s.horizon_days as usize;
    match kind {
        ChartKind::Stock(d) => {
            let id = sum.layout.depots[d];
            let dep = s.depot(id);
            let trig = dep.map_or(String::new(), |d| {
                tr!(
                    l,
                    CapStockTrigger,
                    days = l.num_short(d.rationing.trigger_days)
                )
            });
            (
                tr!(l, TitleStockAt, name = s.node(id).name),
                tr!(
                    l,
                    CapStock,
                    name = s.node(id).name,
                    ninety = l.percent("90"),
                    trig = trig
                ),
            )
        }
        ChartKind::Dry => {
            let last = sum.p_dry_by.last().copied().unwrap_or(0.0);
            let last_r = sum.p_rationing_by.last().copied().unwrap_or(0.0);
            let last_day = h.saturating_sub(1) as f64;
            let half = super::super::charts::crossing_day(&sum.p_dry_by, 0.5).map_or(
                tr!(l, CapNever50, fifty = l.percent("50")),
                |k| {
                    tr!(
                        l,
                        CapPasses50,
                        fifty = l.percent("50"),
                        day = date_and_day(l, s, k as f64)
                    )
                },
            );
            (
                tr!(l, TitleDry),
                tr!(
                    l,
                    CapDry,
                    r = pct_mc(l, last_r, sum.replications),
                    d = pct_mc(l, last, sum.replications),
                    day = date_and_day(l, s, last_day),
                    half = half
                ),
            )
        }
        ChartKind::Fleet => {
            let bind = binding_sentence(l, s, sum)
                .unwrap_or_else(|| tr!(l, CapNeitherBinds, five = l.percent("5")));
            (tr!(l, TitleFleet), tr!(l, CapFleet, bind = bind))
        }
        ChartKind::Served => (tr!(l, TitleServed), tr!(l, CapServed)),
        ChartKind::Deliveries => (tr!(l, TitleDeliveries), tr!(l, CapDeliveries)),
        ChartKind::Losses => {
            let top = (0..sum.segments.len().min(s.segments.len()))
                .filter(|i| sum.segments[*i].trucks_lost > 0.0)
                .max_by(|a, b| {
                    sum.segments[*a]
                        .trucks_lost
                        .total_cmp(&sum.segments[*b].trucks_lost)
                        .then(b.cmp(a))
                });
            let most = top.map_or(tr!(l, CapNoTankerLost), |i| {
                tr!(
                    l,
                    CapLosesMost,
                    road = s.segment_label(SegmentId(i as u32)),
                    n = l.num(sum.segments[i].trucks_lost, 1)
                )
            });
            (tr!(l, TitleLosses), tr!(l, CapLosses, most = most))
        }
        ChartKind::FirstDry => {
            let dry = 1.0 - sum.share_never_dry();
            let median = sum
                .first_dry_percentile(0.5)
                .map_or(tr!(l, CapNoMedian), |m| {
                    tr!(l, CapMedianIs, day = date_and_day(l, s, m.round()))
                });
            (
                tr!(l, TitleFirstDry),
                tr!(
                    l,
                    CapFirstDry,
                    dry = pct_mc(l, dry, sum.replications),
                    h = h,
                    none = pct_mc(l, 1.0 - dry, sum.replications),
                    median = median
                ),
            )
        }
        ChartKind::Network => (tr!(l, TitleNetwork), tr!(l, CapNetwork)),
    }
}
