//! `blockade network`: the flow analysis of a scenario's network, printed and written.

use super::*;

pub(super) fn network(a: &NetworkArgs) -> anyhow::Result<()> {
    let Some(sets) = parse_sets(&a.set) else {
        return Err(Reported::INVALID.into());
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Err(Reported::INVALID.into());
    };
    let s = &l.scenario;
    if let Some(d) = a.at_day
        && (!d.is_finite() || blockade::engine::SimTime::is_before_start(d))
    {
        eprintln!("error: --at-day must be a day number >= 0, got {d}");
        return Err(Reported::INVALID.into());
    }
    let net = Network::build(s);
    let cond = match a.at_day {
        Some(d) => blockade::network::Conditions::at_day(s, d),
        None => blockade::network::Conditions::baseline(s),
    };
    let r = net.analyse(s, &cond, a.budget, a.at_day);
    if a.json {
        say_raw!("{}", report::network_json(s, &r));
    } else {
        say_raw!("{}", report::network_text_in(s, &r, a.lang));
    }
    if let Some(dir) = &a.out {
        let mut opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
        opts.csv_locale = a.csv_locale;
        opts.lang = a.lang;
        let l = a.lang;
        opts.facts = match a.at_day {
            Some(d) => blockade::tr!(
                l,
                NetFactsOnDay,
                date = s.day_label(d.floor() as i64),
                d = d
            ),
            None => blockade::tr!(l, FactsBaseline, overrides = ""),
        };
        if !a.set.is_empty() {
            opts.facts
                .push_str(&blockade::tr!(l, FactsOverrides, list = a.set.join(", ")));
        }
        let files = report::write_network(dir, s, &r, &opts)
            .with_context(|| format!("writing to {}", dir.display()))?;
        record(dir, "network", &files, report::Clears::OwnFiles)?;
        if !a.json {
            say!(
                "\n{}",
                blockade::tr!(l, NetFilesWritten, n = files.len(), dir = dir.display())
            );
        }
    }
    Ok(())
}
