//! `blockade export`: prints a scenario in canonical RON or JSON.

use super::*;

pub(super) fn export(a: &ExportArgs) -> anyhow::Result<()> {
    let Some(sets) = parse_sets(&a.set) else {
        return Err(Reported::INVALID.into());
    };
    let Some(l) = load_reporting_with(&a.file, &sets)? else {
        return Err(Reported::INVALID.into());
    };
    let text = if a.json {
        scenario::export::to_json(&l.scenario)
    } else {
        scenario::export::to_ron(&l.scenario)
    };
    say!("{text}");
    Ok(())
}
