//! `blockade check`: validates scenario files and prints each one's summary and budget.

use super::*;

pub(super) fn check(files: &[PathBuf], max_memory: Option<u64>) -> anyhow::Result<()> {
    let mut code = EXIT_OK;
    for path in files {
        match load_reporting(path) {
            Ok(Some(l)) => {
                let s = &l.scenario;
                say!("{}", summary(path, s, l.warnings.len()));
                match within_budget(s, u64::from(s.replications), None, max_memory) {
                    Ok(b) => say!(
                        "  budget    about {} of memory; at least {} events per replication, \
                         {:.1e} in all (limit {:.0e})",
                        ensemble::bytes_text(b.bytes),
                        thousands(b.events_per_replication),
                        b.events(u64::from(s.replications)),
                        ensemble::MAX_EVENTS
                    ),
                    Err(e) => {
                        eprintln!("error: {}: {e}", path.display());
                        if code == EXIT_OK {
                            code = EXIT_FAILURE;
                        }
                    }
                }
            }
            Ok(None) => code = code.max(EXIT_INVALID),
            Err(e) => {
                eprintln!("error: {e:#}");
                if code == EXIT_OK {
                    code = EXIT_FAILURE;
                }
            }
        }
    }
    if code == EXIT_OK {
        Ok(())
    } else {
        Err(Reported(code).into())
    }
}

pub(super) fn plural(n: usize, word: &str) -> String {
    format!(
        "{n} {word}{}",
        if n == 1 {
            ""
        } else if word.ends_with('s') {
            "es"
        } else {
            "s"
        }
    )
}

/// The one-screen summary printed by `check`.
pub fn summary(path: &Path, s: &Scenario, warnings: usize) -> String {
    let sources = s.sources().count();
    let depots = s.depots().count();
    let waypoints = s.nodes.len() - sources - depots;
    let supply = s.total_supply_litres_per_day();
    let demand = s.total_demand_litres_per_day();
    let classes: usize = s.depots().map(|(_, d)| d.demand.len()).sum();
    let stock = s.total_initial_stock_litres();
    let capacity: f64 = s.depots().map(|(_, d)| d.capacity_litres).sum();
    let tl = s.fleet.truck_litres;
    let dos = if demand > 0.0 {
        format!("{:.1} days of demand", stock / demand)
    } else {
        "no demand".into()
    };
    let span = match s.start_date {
        Some(d) => format!("from {d} to {}", d.plus_days(i64::from(s.horizon_days))),
        None => "(no start_date)".into(),
    };
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for e in &s.events {
        match kinds.iter_mut().find(|(k, _)| *k == e.effect.kind_name()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((e.effect.kind_name(), 1)),
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let mut out = format!("{}: ok — \"{}\"", path.display(), s.name);
    if warnings > 0 {
        out.push_str(&format!(" ({})", plural(warnings, "warning")));
    }
    let rows = [
        (
            "network",
            format!(
                "{} ({sources} source{}, {depots} depot{}, {waypoints} waypoint{}), {}, {}",
                plural(s.nodes.len(), "node"),
                if sources == 1 { "" } else { "s" },
                if depots == 1 { "" } else { "s" },
                if waypoints == 1 { "" } else { "s" },
                plural(s.segments.len(), "segment"),
                plural(s.tags().len(), "tag"),
            ),
        ),
        (
            "supply",
            format!(
                "{} L/day from {} ({:.1} truckloads/day)",
                thousands(supply),
                plural(sources, "source"),
                supply / tl
            ),
        ),
        (
            "demand",
            format!(
                "{} L/day at {}, {}",
                thousands(demand),
                plural(depots, "depot"),
                plural(classes, "class")
            ),
        ),
        (
            "stock",
            format!(
                "{} L at day 0 ({dos}), capacity {} L",
                thousands(stock),
                thousands(capacity)
            ),
        ),
        (
            "fleet",
            format!(
                "{} x {} L = {} L",
                plural(s.fleet.trucks as usize, "truck"),
                thousands(tl),
                thousands(f64::from(s.fleet.trucks) * tl)
            ),
        ),
        (
            "horizon",
            format!(
                "{} {span}; {} replications, seed {}",
                plural(s.horizon_days as usize, "day"),
                thousands(f64::from(s.replications)),
                s.seed
            ),
        ),
        (
            "escorts",
            format!(
                "{} at day 0, threshold {}",
                s.escorts.units, s.escorts.threshold
            ),
        ),
        (
            "events",
            if kinds.is_empty() {
                "none".into()
            } else {
                format!("{} ({})", s.events.len(), kinds.join(", "))
            },
        ),
    ];
    for (k, v) in rows {
        out.push_str(&format!("\n  {k:<9} {v}"));
        if k == "fleet" && sources > 1 {
            out.push_str(&format!("\n  {:<9} {}", "based", basing(s)));
        }
    }
    if !s.uncertain.is_empty() {
        out.push_str(&format!(
            "\n  uncertain {} (the figures above use their medians)",
            plural(s.uncertain.len(), "input")
        ));
        let width = s.uncertain.iter().map(|u| u.path.len()).max().unwrap_or(0);
        for u in &s.uncertain {
            let dist = scenario::schema::DistSpec::from_dist(&u.dist);
            let m = u.median();
            let median = if u.integer {
                format!("{m:.0}")
            } else {
                format!("{}", significant(m, 4))
            };
            out.push_str(&format!(
                "\n    {:<width$}  {dist}, median {median}",
                u.path
            ));
        }
    }
    out
}

/// Where the tankers are based, source by source, and by which rule: "715 DKR, 26 NKC, ...
/// (stated fleet_share)".
fn basing(s: &scenario::Scenario) -> String {
    let by: Vec<String> = s
        .sources()
        .zip(s.fleet_by_source())
        .map(|((id, _), n)| format!("{n} {}", s.node(id).id))
        .collect();
    let rule = if s.fleet_basing_stated() {
        "by the sources' fleet_share"
    } else {
        "in proportion to supply"
    };
    format!("{} ({rule})", by.join(", "))
}

/// `x` rounded to `digits` significant digits (for display).
pub(super) fn significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(digits - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}
