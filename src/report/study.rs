//! Tables of the studies: `sweep.csv`, `tornado.csv`, `compare.csv`, `reserve.json`, and
//! their terminal summaries.

use std::fmt::Write as _;

use super::{csv_text, csv_writer, num, thousands};
use crate::ensemble::{
    Estimate, Kpi, KpiComparison, ReserveQuery, ReserveResult, Seeds, SweepResult, Tornado,
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
    }
    let _ = w.write_record(&head);
    for p in &r.points {
        let mut row = p.values.clone();
        for (k, e) in r.kpis.iter().zip(&p.estimates) {
            let d = digits(k);
            row.extend([
                num(e.value, d),
                num(e.lo, d),
                num(e.hi, d),
                num(e.se, d + 1),
            ]);
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

fn show(k: &Kpi, e: &Estimate) -> String {
    match k {
        Kpi::PDryBy(_) | Kpi::PRationingBy(_) => {
            format!("{:.1}% ±{:.1}", 100.0 * e.value, 100.0 * e.se)
        }
        Kpi::FirstDryMedian | Kpi::TrucksLost | Kpi::DaysRationed => {
            format!("{:.1} ±{:.1}", e.value, e.se)
        }
        _ => format!("{} ±{}", thousands(e.value), thousands(e.se)),
    }
}

/// The sweep as a terminal table.
pub fn sweep_text(r: &SweepResult) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Sweep of {} — {} points x {} replications, seed {}; {}",
        r.paths.join(" x "),
        r.points.len(),
        r.replications,
        r.seed,
        match r.seeds {
            Seeds::Common =>
                "common random numbers: every point uses the same seeds, so differences between points are not noise",
            Seeds::Independent => "independent seeds per point",
        }
    );
    let _ = write!(o, "  {:<24}", r.paths.join(", "));
    for k in &r.kpis {
        let _ = write!(o, " {:>26}", k.key());
    }
    o.push('\n');
    for p in &r.points {
        let _ = write!(o, "  {:<24}", p.values.join(", "));
        for (k, e) in r.kpis.iter().zip(&p.estimates) {
            let _ = write!(o, " {:>26}", show(k, e));
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "  (± is the Monte Carlo standard error; sweep.csv has the 90 % intervals)"
    );
    o
}

/// `tornado.csv`: one row per varied path, largest swing first.
pub fn tornado_csv(t: &Tornado) -> String {
    let mut w = csv_writer();
    let key = t.kpi.key();
    let _ = w.write_record([
        "path",
        "low",
        "high",
        &format!("{key}_at_low"),
        &format!("{key}_at_high"),
        &format!("{key}_base"),
        "swing",
        "se_low",
        "se_high",
    ]);
    let d = digits(&t.kpi);
    for b in &t.bars {
        let _ = w.write_record([
            b.path.clone(),
            b.low.clone(),
            b.high.clone(),
            num(b.at_low.value, d),
            num(b.at_high.value, d),
            num(t.base.value, d),
            num(b.swing(), d),
            num(b.at_low.se, d + 1),
            num(b.at_high.se, d + 1),
        ]);
    }
    csv_text(w)
}

/// The tornado as a terminal table.
pub fn tornado_text(t: &Tornado) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Tornado of {} — base {} ({} replications, seed {})",
        t.kpi.label(),
        show(&t.kpi, &t.base),
        t.replications,
        t.seed
    );
    for b in &t.bars {
        let _ = writeln!(
            o,
            "  {:<36} {:>10} -> {:<26} {:>10} -> {:<26} swing {}",
            b.path,
            b.low,
            show(&t.kpi, &b.at_low),
            b.high,
            show(&t.kpi, &b.at_high),
            num(b.swing(), digits(&t.kpi))
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
    for r in rows {
        let d = digits(&r.kpi);
        let mut row = vec![r.kpi.key()];
        row.extend(r.estimates.iter().map(|e| num(e.value, d)));
        for (i, (diff, se)) in r.differences.iter().enumerate() {
            row.extend([
                num(*diff, d),
                num(*se, d + 1),
                r.is_clear(i + 1).to_string(),
            ]);
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// The comparison as a terminal table.
pub fn compare_text(
    names: &[String],
    rows: &[KpiComparison],
    replications: u64,
    seed: u64,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Comparison — {replications} replications each, seed {seed} (common random numbers)"
    );
    let _ = write!(o, "  {:<28}", "kpi");
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
            let _ = write!(o, " {:>22}", show(&r.kpi, e));
        }
        for (i, (d, se)) in r.differences.iter().enumerate() {
            let mark = if r.is_clear(i + 1) { "clear" } else { "noise" };
            let cell = show(
                &r.kpi,
                &Estimate {
                    value: *d,
                    lo: 0.0,
                    hi: 0.0,
                    se: *se,
                },
            );
            let _ = write!(o, " {:>30}", format!("{cell} ({mark})"));
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "  (clear: the difference is more than two standard errors; noise: it is not)"
    );
    o
}

fn lever_text(q: &ReserveQuery) -> (&'static str, &'static str) {
    match q.lever {
        crate::ensemble::Lever::InitialStock => ("initial stock", "L"),
        crate::ensemble::Lever::Airlift => ("airlift", "L/day"),
    }
}

/// The reserve answer as text.
pub fn reserve_text(
    s: &Scenario,
    q: &ReserveQuery,
    r: &ReserveResult,
    replications: u64,
) -> String {
    let (what, unit) = lever_text(q);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Smallest {what} such that {} get all their demand through day {} with probability >= {:.0}%",
        r.classes.join(", "),
        q.days,
        100.0 * q.confidence
    );
    if !r.reachable {
        let _ = writeln!(
            o,
            "  not reachable: even {} {unit} gives P = {:.1}%",
            thousands(r.bracket.0),
            100.0 * r.p_bracket.0
        );
        return o;
    }
    let _ = writeln!(
        o,
        "  answer        {} {unit}  (scenario \"{}\" has {} {unit})",
        thousands(r.answer),
        s.name,
        thousands(r.current)
    );
    let _ = writeln!(
        o,
        "  bracket       {} {unit} gives P = {:.1}%; {} {unit} gives P = {:.1}% (tolerance {} {unit})",
        thousands(r.bracket.0),
        100.0 * r.p_bracket.0,
        thousands(r.bracket.1),
        100.0 * r.p_bracket.1,
        thousands(r.tolerance)
    );
    let upper = if r.mc_interval.1.is_finite() {
        thousands(r.mc_interval.1)
    } else {
        "beyond the search range".into()
    };
    let _ = writeln!(
        o,
        "  Monte Carlo   P at the answer ±{:.1} points (SE, {replications} replications); the answer moves within {} – {upper} {unit} (90 %)",
        100.0 * r.se,
        thousands(r.mc_interval.0),
    );
    let _ = writeln!(o, "  {} ensembles on common random numbers", r.evaluations);
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
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
