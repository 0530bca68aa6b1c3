//! Tables of the studies: `sweep.csv`, `tornado.csv`, `compare.csv`, `reserve.json`, and
//! their terminal summaries.
//!
//! Long (over 600 lines) because it writes the tables of all five studies, which share their
//! column and censoring rules ("none within the horizon" as an empty cell and a share).

use std::fmt::Write as _;

use super::measures::round_to_error;
use super::{Lang, Msg, csv_text, csv_writer, num};
use crate::ensemble::{
    CorridorStudy, Estimate, Kpi, KpiComparison, Lever, PairedChange, ReserveQuery, ReserveResult,
    Seeds, SweepResult, Tornado,
};
use crate::scenario::Scenario;

/// Digits to print for a KPI.
fn digits(k: &Kpi) -> usize {
    match k {
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => 4,
        Kpi::FirstDryMedian | Kpi::TrucksLost | Kpi::DaysRationed => 2,
        _ => 1,
    }
}

/// `sweep.csv`: one row per point: the values, then each KPI's value, 90 % interval and
/// Monte Carlo standard error.
pub fn sweep_csv(r: &SweepResult) -> String {
    let mut w = csv_writer();
    let mut head: Vec<String> = r.paths.clone();
    for k in &r.kpis {
        let key = k.key();
        head.extend([
            key.clone(),
            format!("{key}_lo90"),
            format!("{key}_hi90"),
            format!("{key}_se"),
        ]);
        if k.is_censored() {
            head.push(format!("{key}_share_never"));
        }
    }
    let _ = w.write_record(&head);
    for p in &r.points {
        let mut row = p.values.clone();
        for (k, e) in r.kpis.iter().zip(&p.estimates) {
            let d = digits(k);
            row.extend([
                cell(e, e.value, d),
                cell(e, e.lo, d),
                cell(e, e.hi, d),
                if e.is_censored() {
                    String::new()
                } else {
                    num(e.se, d + 1)
                },
            ]);
            if k.is_censored() {
                row.push(never_cell(e));
            }
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// A CSV cell for `x`, an estimate's value or an end of its interval: empty where `x` is
/// "none within the horizon" (the `_share_never` column says how many runs).
fn cell(e: &Estimate, x: f64, d: usize) -> String {
    if e.is_censored_at(x) {
        String::new()
    } else {
        num(x, d)
    }
}

/// The share of runs never dry within the horizon, as a CSV cell, for a censored KPI.
fn never_cell(e: &Estimate) -> String {
    e.censoring.map_or(String::new(), |c| num(c.share_never, 4))
}

/// An estimate and its Monte Carlo error for the terminal, in `l`'s numbers.
fn show_in(k: &Kpi, e: &Estimate, l: Lang) -> String {
    if let Some(c) = e.censoring
        && e.is_censored()
    {
        return crate::tr!(
            l,
            StudyNoneNeverDry,
            p = format!("{:.0}", 100.0 * c.share_never)
        );
    }
    format!(
        "{} ±{}",
        value_in(k, e.value, e.se, l),
        error_in(k, e.se, l)
    )
}

/// A value of KPI `k` with Monte Carlo error `se`, for the terminal, in `l`: shares and days
/// to one decimal; litres to the place of the error's first digit ("33,300,000", not
/// "33,264,480" when the error is 442,587).
fn value_in(k: &Kpi, v: f64, se: f64, l: Lang) -> String {
    match k {
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => pct_in(l, &format!("{:.1}", 100.0 * v)),
        Kpi::FirstDryMedian | Kpi::TrucksLost | Kpi::DaysRationed => l.digits(&format!("{v:.1}")),
        _ => l.thousands(round_to_error(v, se)),
    }
}

/// A Monte Carlo error of KPI `k` for the terminal, in `l`: one decimal, or for litres one
/// significant digit.
fn error_in(k: &Kpi, se: f64, l: Lang) -> String {
    match k {
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => l.digits(&format!("{:.1}", 100.0 * se)),
        Kpi::FirstDryMedian | Kpi::TrucksLost | Kpi::DaysRationed => l.digits(&format!("{se:.1}")),
        _ => l.thousands(round_to_error(se, se)),
    }
}

/// The sweep as a terminal table, in `l`.
pub fn sweep_text(r: &SweepResult, l: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            SweepHead,
            paths = r.paths.join(" x "),
            points = r.points.len(),
            n = r.replications,
            seed = r.seed,
            seeds = l.t(match r.seeds {
                Seeds::Common => Msg::SweepCommon,
                Seeds::Independent => Msg::SweepIndependent,
            })
        )
    );
    let _ = write!(o, "  {:<24}", r.paths.join(", "));
    for k in &r.kpis {
        let _ = write!(o, " {:>26}", k.key());
    }
    o.push('\n');
    for p in &r.points {
        let _ = write!(o, "  {:<24}", p.values.join(", "));
        for (k, e) in r.kpis.iter().zip(&p.estimates) {
            let _ = write!(o, " {:>26}", show_in(k, e, l));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "{}", l.t(Msg::SweepFoot));
    o
}

/// `tornado.csv`: one row per varied path, largest swing first.
pub fn tornado_csv(t: &Tornado) -> String {
    let mut w = csv_writer();
    let key = t.kpi.key();
    let mut head = vec![
        "path".to_string(),
        "low".into(),
        "high".into(),
        format!("{key}_at_low"),
        format!("{key}_at_high"),
        format!("{key}_base"),
        "swing".into(),
        "se_low".into(),
        "se_high".into(),
    ];
    if t.kpi.is_censored() {
        head.extend([
            "share_never_at_low".into(),
            "share_never_at_high".into(),
            "share_never_base".into(),
        ]);
    }
    let _ = w.write_record(&head);
    let d = digits(&t.kpi);
    for b in &t.bars {
        // A swing to "none within the horizon" is at least this long: left empty, as the
        // censored ends are.
        let censored = b.at_low.is_censored() || b.at_high.is_censored();
        let mut row = vec![
            b.path.clone(),
            b.low.clone(),
            b.high.clone(),
            cell(&b.at_low, b.at_low.value, d),
            cell(&b.at_high, b.at_high.value, d),
            cell(&t.base, t.base.value, d),
            if censored {
                String::new()
            } else {
                num(b.swing(), d)
            },
            num(b.at_low.se, d + 1),
            num(b.at_high.se, d + 1),
        ];
        if t.kpi.is_censored() {
            row.extend([
                never_cell(&b.at_low),
                never_cell(&b.at_high),
                never_cell(&t.base),
            ]);
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// The tornado as a terminal table, in `l`.
pub fn tornado_text(t: &Tornado, l: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            TornadoHead,
            kpi = super::lang::kpi_label(&t.kpi, l),
            base = show_in(&t.kpi, &t.base, l),
            n = t.replications,
            seed = t.seed
        )
    );
    for b in &t.bars {
        let _ = writeln!(
            o,
            "  {:<36} {:>10} -> {:<26} {:>10} -> {:<26} {}",
            b.path,
            l.digits(&b.low),
            show_in(&t.kpi, &b.at_low, l),
            l.digits(&b.high),
            show_in(&t.kpi, &b.at_high, l),
            if b.at_low.is_censored() || b.at_high.is_censored() {
                l.t(Msg::TornadoSwingNa).to_string()
            } else {
                // Rounded as the ends are, to the error the swing would have if the two
                // ends were independent (common random numbers make it smaller).
                crate::tr!(
                    l,
                    TornadoSwing,
                    x = value_in(&t.kpi, b.swing(), b.at_low.se.hypot(b.at_high.se), l)
                )
            }
        );
    }
    o
}

/// `compare.csv`: one row per KPI: each scenario's value, then each difference from the
/// first with its standard error and whether it is clear of noise (|diff| > 2 SE).
pub fn compare_csv(names: &[String], rows: &[KpiComparison]) -> String {
    let mut w = csv_writer();
    let mut head = vec!["kpi".to_string()];
    head.extend(names.iter().cloned());
    for n in names.iter().skip(1) {
        head.extend([
            format!("{n}_minus_{}", names[0]),
            format!("{n}_diff_se"),
            format!("{n}_clear_of_noise"),
        ]);
    }
    let _ = w.write_record(&head);
    let head_len = head.len();
    for r in rows {
        let d = digits(&r.kpi);
        let mut row = vec![r.kpi.key()];
        row.extend(r.estimates.iter().map(|e| cell(e, e.value, d)));
        for (i, (diff, se)) in r.differences.iter().enumerate() {
            row.extend([
                num(*diff, d),
                num(*se, d + 1),
                if diff.is_finite() {
                    r.is_clear(i + 1).to_string()
                } else {
                    String::new()
                },
            ]);
        }
        let _ = w.write_record(&row);
        if r.kpi.is_censored() {
            // The runs never dry, beside the median that counts them as the horizon.
            let mut row = vec![format!("{}_share_never", r.kpi.key())];
            row.extend(r.estimates.iter().map(never_cell));
            row.resize(head_len, String::new());
            let _ = w.write_record(&row);
        }
    }
    csv_text(w)
}

/// The comparison as a terminal table, in `l`.
pub fn compare_text(
    names: &[String],
    rows: &[KpiComparison],
    replications: u64,
    seed: u64,
    l: Lang,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(l, CompareHead, n = replications, seed = seed)
    );
    let _ = write!(o, "  {:<28}", l.t(Msg::CompareKpi));
    for n in names {
        let _ = write!(o, " {:>22}", n);
    }
    for n in names.iter().skip(1) {
        let _ = write!(o, " {:>30}", format!("{n} - {}", names[0]));
    }
    o.push('\n');
    for r in rows {
        let _ = write!(o, "  {:<28}", r.kpi.key());
        for e in &r.estimates {
            let _ = write!(o, " {:>22}", show_in(&r.kpi, e, l));
        }
        for (i, (d, se)) in r.differences.iter().enumerate() {
            if !d.is_finite() {
                let _ = write!(o, " {:>30}", l.t(Msg::CompareNa));
                continue;
            }
            let mark = l.t(if r.is_clear(i + 1) {
                Msg::StudyClear
            } else {
                Msg::StudyNoise
            });
            let cell = show_in(&r.kpi, &Estimate::plain(*d, 0.0, 0.0, *se), l);
            let _ = write!(o, " {:>30}", format!("{cell} ({mark})"));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "{}", l.t(Msg::CompareFoot));
    o
}

fn lever_text(q: &ReserveQuery) -> (&'static str, &'static str) {
    match q.lever {
        Lever::InitialStock if q.from == 0 => ("initial stock", "L"),
        Lever::InitialStock => ("one-off injection", "L"),
        Lever::Airlift => ("airlift", "L/day"),
        Lever::ProtectedReserve => ("protected reserve", "L"),
    }
}

/// The rounding step that the Monte Carlo uncertainty of a reserve answer supports: a tenth
/// of the order of magnitude of its 90 % interval's width (at least the search tolerance).
pub(crate) fn reserve_step(r: &ReserveResult) -> f64 {
    let (a, b) = r.mc_interval;
    let width = if a.is_finite() && b.is_finite() && b > a {
        b - a
    } else {
        r.tolerance
    };
    10f64.powf(width.max(1.0).log10().floor() - 1.0)
}

/// The answer of a reserve search as quoted: rounded up to [`reserve_step`].
pub(crate) fn quoted_answer(r: &ReserveResult) -> f64 {
    let step = reserve_step(r);
    (r.answer / step).ceil() * step
}

/// `x` rounded up (`up`) or down to a multiple of `step`, with thousands separators in
/// `l`: an answer is rounded up, so the rounded value still meets the target.
fn rounded(x: f64, step: f64, up: bool, l: Lang) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let k = x / step;
    l.thousands(if up { k.ceil() } else { k.floor() } * step)
}

/// A percentage already written in English digits, with its sign: "12.5%" in English (the
/// terminal's style), "12,5 %" in French.
fn pct_in(l: Lang, english: &str) -> String {
    match l {
        Lang::En => format!("{english}%"),
        _ => l.percent(english),
    }
}

/// "day 30 (2025-10-01)", or "day 30" without a start date; in French "jour 30 (1 oct.
/// 2025)".
fn day_text(s: &Scenario, day: u32, l: Lang) -> String {
    match s.start_date {
        Some(d) => {
            let d = d.plus_days(i64::from(day));
            let date = match l {
                Lang::En => d.to_string(),
                _ => l.date(d, true),
            };
            crate::tr!(l, ReserveDayDate, day = day, date = date)
        }
        None => crate::tr!(l, DayN, d = day),
    }
}

/// The lever and its unit in words of `l`, for the terminal.
fn lever_words(q: &ReserveQuery, l: Lang) -> (&'static str, &'static str) {
    let (what, unit) = match q.lever {
        Lever::InitialStock if q.from == 0 => (Msg::LeverInitialStock, Msg::UnitL),
        Lever::InitialStock => (Msg::LeverInjection, Msg::UnitL),
        Lever::Airlift => (Msg::LeverAirlift, Msg::UnitLPerDay),
        Lever::ProtectedReserve => (Msg::LeverProtectedReserve, Msg::UnitL),
    };
    (l.t(what), l.t(unit))
}

/// The reserve answer as text, in `l`.
pub fn reserve_text(
    s: &Scenario,
    q: &ReserveQuery,
    r: &ReserveResult,
    replications: u64,
    l: Lang,
) -> String {
    let (what, unit) = lever_words(q, l);
    let th = |x: f64| l.thousands(x);
    let p1 = |x: f64| pct_in(l, &format!("{:.1}", 100.0 * x));
    let mut o = String::new();
    let start = match (q.lever, q.from) {
        (Lever::InitialStock, 0) => l.t(Msg::ReserveAtDay0).to_string(),
        (Lever::InitialStock, _) => {
            crate::tr!(l, ReserveDeliveredOn, day = day_text(s, q.from, l))
        }
        (Lever::Airlift, _) => crate::tr!(
            l,
            ReserveFlown,
            from = day_text(s, q.from, l),
            to = day_text(s, q.days - 1, l)
        ),
        (Lever::ProtectedReserve, _) => {
            crate::tr!(l, ReserveSetAside, day = day_text(s, q.from, l))
        }
    };
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            ReserveHead,
            what = what,
            start = start,
            classes = r.classes.join(", "),
            day = day_text(s, q.days - 1, l),
            p = pct_in(l, &format!("{:.0}", 100.0 * q.confidence))
        )
    );
    if q.from > 0 && r.short_before_from > 0.0 {
        let _ = writeln!(
            o,
            "{}",
            crate::tr!(
                l,
                ReserveShortBefore,
                p = p1(r.short_before_from),
                day = day_text(s, q.from, l)
            )
        );
    }
    let capacity_line = |o: &mut String| {
        if let Some((v, p)) = r.at_capacity {
            let _ = writeln!(
                o,
                "{}",
                crate::tr!(
                    l,
                    ReserveCapacity,
                    cap = th(r.capacity),
                    v = th(v),
                    unit = unit,
                    p = p1(p)
                )
            );
        }
    };
    if !r.reachable {
        let _ = writeln!(
            o,
            "{}",
            crate::tr!(
                l,
                ReserveNotReachable,
                v = th(r.bracket.0),
                unit = unit,
                p = p1(r.p_bracket.0)
            )
        );
        if q.lever == Lever::InitialStock && q.from > 0 {
            let _ = writeln!(o, "{}", l.t(Msg::ReserveOneOffCapped));
        }
        capacity_line(&mut o);
        return o;
    }
    let step = reserve_step(r);
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            ReserveAnswer,
            v = rounded(r.answer, step, true, l),
            unit = unit,
            name = s.name,
            current = th(r.current)
        )
    );
    if r.exceeds_capacity {
        let _ = writeln!(o, "{}", crate::tr!(l, ReserveExceeds, cap = th(r.capacity)));
    }
    capacity_line(&mut o);
    if q.lever == Lever::Airlift {
        // Rotations for the answer as quoted, so the two lines agree.
        let rot = quoted_answer(r) / q.payload_litres;
        let landings = rot.ceil();
        let _ = writeln!(
            o,
            "{}",
            crate::tr!(
                l,
                ReserveAircraft,
                rot = l.num(rot, 1),
                payload = th(q.payload_litres),
                landings = if landings == 1.0 {
                    l.t(Msg::ReserveOneLanding).to_string()
                } else {
                    crate::tr!(l, ReserveLandings, n = landings)
                }
            )
        );
    }
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            ReserveBracket,
            a = th(r.bracket.0),
            pa = p1(r.p_bracket.0),
            b = th(r.bracket.1),
            pb = p1(r.p_bracket.1),
            t = th(r.tolerance),
            unit = unit
        )
    );
    let upper = if r.mc_interval.1.is_finite() {
        rounded(r.mc_interval.1, step, true, l)
    } else {
        l.t(Msg::ReserveBeyondRange).to_string()
    };
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            ReserveMonteCarlo,
            se = l.num(100.0 * r.se, 1),
            n = replications,
            lo = rounded(r.mc_interval.0, step, false, l),
            hi = upper,
            unit = unit
        )
    );
    let _ = writeln!(o, "{}", crate::tr!(l, ReserveEnsembles, n = r.evaluations));
    o
}

/// `reserve.json`.
pub fn reserve_json(
    s: &Scenario,
    q: &ReserveQuery,
    r: &ReserveResult,
    replications: u64,
    seed: u64,
) -> String {
    let (what, unit) = lever_text(q);
    let fin = |x: f64| x.is_finite().then_some(x);
    let bracket = [fin(r.bracket.0), fin(r.bracket.1)];
    let p_bracket = [fin(r.p_bracket.0), fin(r.p_bracket.1)];
    let mc = [fin(r.mc_interval.0), fin(r.mc_interval.1)];
    let v = serde_json::json!({
        "scenario": s.name,
        "lever": what,
        "unit": unit,
        "days": q.days,
        "from_day": q.from,
        "confidence": q.confidence,
        "classes": r.classes,
        "replications": replications,
        "seed": seed,
        "reachable": r.reachable,
        "answer": fin(r.answer),
        "bracket": bracket,
        "p_bracket": p_bracket,
        "se_at_answer": r.se,
        "mc_interval_90": mc,
        "tolerance": r.tolerance,
        "current": r.current,
        "evaluations": r.evaluations,
        "depot_capacity_litres": r.capacity,
        "exceeds_capacity": r.exceeds_capacity,
        "at_capacity": r.at_capacity.map(|(v, p)| serde_json::json!({"value": v, "probability": p})),
        "share_short_before_from": r.short_before_from,
        "payload_litres_per_rotation": (q.lever == Lever::Airlift).then_some(q.payload_litres),
        "answer_rounded": (r.reachable && r.answer.is_finite()).then(|| quoted_answer(r)),
        "rotations_per_day": (q.lever == Lever::Airlift && r.reachable)
            .then(|| quoted_answer(r) / q.payload_litres),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// `corridors.csv`: one row per tag, in rank order (largest rise in protected unmet demand
/// first): the segments, each measure with the action, its paired difference from the
/// base case, the standard error of that difference and whether it is clear of noise, and
/// the static max-flow criticality of the tag.
pub fn corridors_csv(c: &CorridorStudy) -> String {
    let mut w = csv_writer();
    let mut head: Vec<String> = vec!["rank".into(), "tag".into(), "segments".into()];
    for k in [Kpi::UnmetProtected, Kpi::UnmetTotal] {
        let key = k.key();
        head.extend([
            key.clone(),
            format!("{key}_base"),
            format!("{key}_change"),
            format!("{key}_change_se"),
            format!("{key}_clear_of_noise"),
        ]);
    }
    head.extend([
        "max_flow_drop_trucks_per_day".into(),
        "max_flow_drop_share".into(),
    ]);
    let _ = w.write_record(&head);
    for (i, r) in c.rows.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), r.tag.clone(), r.segments.join(" ")];
        for (p, b) in [(&r.protected, &c.base_protected), (&r.total, &c.base_total)] {
            row.extend([
                num(p.value.value, 0),
                num(b.value, 0),
                num(p.difference, 0),
                num(p.se, 0),
                p.is_clear().to_string(),
            ]);
        }
        row.extend([
            num(r.max_flow_drop_trucks_per_day, 2),
            num(r.max_flow_drop_share, 4),
        ]);
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// A paired change as "+1.2 M L ±0.1 (clear)", in `l`.
fn change_text(p: &PairedChange, l: Lang) -> String {
    let (div, unit) = if p.difference.abs().max(p.se) >= 1e5 {
        (1e6, "M L")
    } else {
        (1e3, "k L")
    };
    // Decimals enough to show the standard error's first digit (at most 3).
    let se = p.se / div;
    let d = if se > 0.0 {
        (-se.log10()).ceil().clamp(1.0, 3.0) as usize
    } else {
        1
    };
    format!(
        "{} {unit} ±{} ({})",
        l.digits(&format!("{:+.d$}", p.difference / div)),
        l.digits(&format!("{se:.d$}")),
        l.t(if p.is_clear() {
            Msg::StudyClear
        } else {
            Msg::StudyNoise
        })
    )
}

/// A corridor action in words of `l`: "closed from day 0", "attack risk multiplied by 2
/// from day 0".
pub(crate) fn corridor_action_words(a: &crate::ensemble::CorridorAction, l: Lang) -> String {
    match a.factor_text() {
        None => l.t(Msg::CorridorClosed).to_string(),
        Some(f) => crate::tr!(l, CorridorRiskTimes, f = l.digits(&f)),
    }
}

/// The corridor study as a terminal table, in `l`.
pub fn corridors_text(s: &Scenario, c: &CorridorStudy, l: Lang) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            CorridorsHead,
            name = s.name,
            action = corridor_action_words(&c.action, l),
            n = c.replications,
            seed = c.seed
        )
    );
    let _ = writeln!(
        o,
        "{}",
        crate::tr!(
            l,
            CorridorsBase,
            p = l.thousands(c.base_protected.value),
            t = l.thousands(c.base_total.value),
            f = l.num(c.base_max_flow_trucks_per_day, 1)
        )
    );
    let _ = writeln!(
        o,
        "  {:<4} {:<20} {:>30} {:>30} {:>16}",
        l.t(Msg::CorridorsColRank),
        l.t(Msg::CorridorsColTag),
        l.t(Msg::CorridorsColEssential),
        l.t(Msg::CorridorsColTotal),
        l.t(Msg::CorridorsColFlowLost)
    );
    for (i, r) in c.rows.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {:<4} {:<20} {:>30} {:>30} {:>16}",
            i + 1,
            r.tag,
            change_text(&r.protected, l),
            change_text(&r.total, l),
            pct_in(l, &format!("{:.0}", 100.0 * r.max_flow_drop_share))
        );
    }
    let _ = writeln!(o, "{}", l.t(Msg::CorridorsFoot));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(value: f64, se: f64) -> Estimate {
        Estimate::point(value, se)
    }

    /// The terminal tables round litres to their Monte Carlo error, in each language's
    /// digits; shares and days keep one decimal.
    #[test]
    fn study_tables_round_litres_to_their_error() {
        let e = estimate(33_264_480.0, 442_587.0);
        assert_eq!(
            show_in(&Kpi::UnmetProtected, &e, Lang::En),
            "33,300,000 ±400,000"
        );
        assert_eq!(
            show_in(&Kpi::UnmetTotal, &e, Lang::Fr),
            format!("33{n}300{n}000 ±400{n}000", n = crate::report::NNBSP)
        );
        assert_eq!(
            show_in(&Kpi::UnmetTotal, &estimate(0.0, 0.0), Lang::En),
            "0 ±0"
        );
        assert_eq!(
            show_in(&Kpi::UnmetProtected, &estimate(3_620.0, 3_620.0), Lang::En),
            "4,000 ±4,000"
        );
        assert_eq!(
            show_in(&Kpi::PDryBy(90), &estimate(0.0263, 0.0051), Lang::En),
            "2.6% ±0.5"
        );
        assert_eq!(
            value_in(&Kpi::UnmetTotal, 20_058_130.0, 551_000.0, Lang::En),
            "20,100,000"
        );
    }
}
