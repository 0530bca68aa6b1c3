//! `blockade network`: the flow analysis of a scenario's network, printed and written.

use super::*;

/// What `blockade network` was asked, its own flags checked once: `--at-day` a day number
/// of at least 0.
struct NetworkQuery {
    /// The day whose active events apply (`--at-day`), or the baseline.
    at_day: Option<f64>,
}

impl NetworkQuery {
    /// Checks the flags of `a`; a bad one is reported ([`Reported`], exit code 2). Called
    /// once the scenario is read, so that its problems come first.
    fn from_args(a: &NetworkArgs) -> anyhow::Result<NetworkQuery> {
        if let Some(d) = a.at_day
            && (!d.is_finite() || blockade::engine::SimTime::is_before_start(d))
        {
            eprintln!("error: --at-day must be a day number >= 0, got {d}");
            return Err(Reported::INVALID.into());
        }
        Ok(NetworkQuery { at_day: a.at_day })
    }

    /// The conditions the analysis is made under: those of `--at-day`, or the baseline.
    fn conditions(&self, s: &Scenario) -> blockade::network::Conditions {
        match self.at_day {
            Some(d) => blockade::network::Conditions::at_day(s, d),
            None => blockade::network::Conditions::baseline(s),
        }
    }

    /// The options of the files and maps written with `--out`: size, SVG, CSV style,
    /// language, and the conditions named in the maps' subtitle (the day or the baseline,
    /// and the `--set` overrides).
    fn chart_options(&self, a: &NetworkArgs, s: &Scenario) -> report::ChartOptions {
        let mut opts = report::ChartOptions::new(a.charts.size, a.charts.svg);
        opts.csv_locale = a.csv_locale;
        opts.lang = a.lang.lang;
        let l = a.lang.lang;
        opts.facts = match self.at_day {
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
        opts
    }
}

pub(super) fn network(a: &NetworkArgs) -> anyhow::Result<()> {
    let Some(sets) = parse_sets(&a.set) else {
        return Err(Reported::INVALID.into());
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Err(Reported::INVALID.into());
    };
    let s = &l.scenario;
    let q = NetworkQuery::from_args(a)?;
    let net = Network::build(s);
    let r = net.analyse(s, &q.conditions(s), a.budget, q.at_day);
    if a.json {
        say_raw!("{}", report::network_json(s, &r));
    } else {
        say_raw!("{}", report::network_text_in(s, &r, a.lang.lang));
    }
    if let Some(dir) = &a.out {
        let files = report::write_network(dir, s, &r, &q.chart_options(a, s))
            .with_context(|| format!("writing to {}", dir.display()))?;
        record(dir, "network", &files, report::Clears::OwnFiles)?;
        if !a.json {
            say!(
                "\n{}",
                blockade::tr!(
                    a.lang.lang,
                    NetFilesWritten,
                    n = files.len(),
                    dir = dir.display()
                )
            );
        }
    }
    Ok(())
}
