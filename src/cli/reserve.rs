//! `blockade reserve`: the smallest reserve that meets a target.

use super::*;

pub(super) fn reserve(a: &ReserveArgs) -> anyhow::Result<()> {
    if a.shard.is_some() {
        eprintln!(
            "error: reserve cannot be sharded: it is a bisection, and the lever value of each \
             ensemble depends on the result of the one before, so its work cannot be split in \
             advance; run it on one machine (its ensembles use every core), or shard a sweep \
             over the lever (`blockade sweep --vary PATH=V1,V2,... --shard I/N`) and read the \
             smallest value that meets the target off sweep.csv"
        );
        return Err(Reported::INVALID.into());
    }
    let Some(sets) = parse_sets(&a.flags.set) else {
        return Err(Reported::INVALID.into());
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Err(Reported::INVALID.into());
    };
    let s = &l.scenario;
    let plan = input_plan(s, a.flags.inputs.as_deref())?;
    let t = if plan.is_empty() {
        None
    } else {
        match template(&a.file)? {
            Some(t) => Some(t),
            None => return Err(Reported::INVALID.into()),
        }
    };
    let q = reserve_query(a, s)?;
    let opts = ensemble_options(&a.flags, s)?;
    let progress = step_progress(40, a.flags.quiet, "reserve search");
    let inputs = t.as_ref().map(|t| (t, sets.as_slice(), &plan));
    let r = ensemble::reserve_on(s, &q, &opts, inputs, &|n| progress.update(n as u64));
    progress.finish();
    let r = match r {
        Ok(r) => r,
        Err(e) => return Err(study_failed(e)),
    };
    let dir = out_dir(&a.flags, &s.name);
    let mut files = vec![write_file(
        &dir,
        "reserve.json",
        &report::reserve_json(s, &q, &r, opts.replications, opts.seed),
        a.flags.csv_locale,
    )?];
    files.extend(
        report::reserve_chart(
            s,
            &q,
            &r,
            opts.replications,
            opts.seed,
            &dir,
            &study_chart_options(&a.charts, &a.flags, a.lang.lang),
        )
        .with_context(|| format!("writing charts to {}", dir.display()))?,
    );
    record(&dir, "reserve", &files, report::Clears::OwnFiles)?;
    if !a.flags.quiet {
        say_raw!(
            "{}",
            report::reserve_text(s, &q, &r, opts.replications, a.lang.lang)
        );
        print_written(&files, a.lang.lang);
    }
    if r.reachable {
        Ok(())
    } else {
        Err(Reported::FAILURE.into())
    }
}

/// The search `a` asks for on scenario `s`, its flags checked once: the depot is one of
/// the scenario's, `--days` at least 1, `--from` a day number or a date on or after the
/// scenario's start. A bad flag is reported ([`Reported`], exit code 2).
fn reserve_query(a: &ReserveArgs, s: &Scenario) -> anyhow::Result<ReserveQuery> {
    let depot = match &a.depot {
        None => None,
        Some(id) => match s.node_by_id(id).filter(|n| s.depot(*n).is_some()) {
            Some(n) => Some(n),
            None => {
                eprintln!("error: --depot `{id}` is not a depot of the scenario");
                return Err(Reported::INVALID.into());
            }
        },
    };
    if a.days == 0 {
        eprintln!("error: --days must be at least 1");
        return Err(Reported::INVALID.into());
    }
    let from = match a.from.as_deref().map(str::trim) {
        None => 0,
        Some(t) => match (t.parse::<u32>(), scenario::Date::parse(t), s.start_date) {
            (Ok(d), _, _) => d,
            (_, Some(d), Some(start)) if start.days_until(d) >= 0 => start.days_until(d) as u32,
            (_, Some(_), Some(start)) => {
                eprintln!("error: --from {t} is before the scenario's start date {start}");
                return Err(Reported::INVALID.into());
            }
            (_, Some(_), None) => {
                eprintln!("error: --from {t}: the scenario has no start_date; give a day number");
                return Err(Reported::INVALID.into());
            }
            _ => {
                eprintln!("error: --from `{t}` is neither a day number nor an ISO date");
                return Err(Reported::INVALID.into());
            }
        },
    };
    Ok(ReserveQuery {
        days: a.days,
        confidence: a.confidence,
        classes: a.class.clone(),
        lever: match a.lever {
            LeverArg::InitialStock => Lever::InitialStock,
            LeverArg::Airlift => Lever::Airlift,
            LeverArg::ProtectedReserve => Lever::ProtectedReserve,
        },
        depot,
        from,
        payload_litres: a.payload_litres,
    })
}
