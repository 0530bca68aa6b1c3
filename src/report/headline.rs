//! The headline of a run as printed on the terminal.

use super::*;

/// The headline of a run, as printed on the terminal: the same measures, rounded the
/// same way, as the report's first screen and `headline.csv`.
pub fn headline(s: &Scenario, sum: &Summary, info: &RunInfo) -> String {
    use measures::{count_mc_in, day_text_in, litres_mc_in, pct_mc_in, pct_plain_in};
    let l = info.lang;
    let m = Measures::new(s, sum);
    let mut out = String::new();
    // "  label             value": labels padded to 17 characters.
    let row = |out: &mut String, label: Msg, value: String| {
        let _ = writeln!(out, "  {:<17} {value}", l.t(label));
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(
            l,
            HlTitle,
            name = s.name,
            n = l.thousands(sum.replications as f64),
            seed = sum.seed,
            as_of = info
                .as_of
                .as_deref()
                .map_or(String::new(), |d| tr!(l, HlAsOf, d = d))
        )
    );
    row(
        &mut out,
        Msg::HlFuelNow,
        tr!(
            l,
            HlFuelNowValue,
            stock = litres_mc_in(l, m.stock_now, 0.0),
            days = l.digits(&format!("{:.1}", m.days_now)),
            trigger = l.num_short(m.trigger_days)
        ),
    );
    let by = |f: fn(&measures::KeyDay) -> f64| -> String {
        m.key_days
            .iter()
            .map(|k| {
                tr!(
                    l,
                    HlKeyDay,
                    day = day_text_in(l, s, f64::from(k.day)),
                    p = pct_mc_in(l, f(k), m.n)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    row(&mut out, Msg::HlPRationingBy, by(|k| k.p_rationing));
    row(
        &mut out,
        Msg::HlFirstRationing,
        m.first_day_text_in(l, s, &m.first_rationing),
    );
    row(&mut out, Msg::HlDaysRationed, m.days_rationed_text_in(l));
    row(&mut out, Msg::HlPDryBy, by(|k| k.p_dry));
    row(
        &mut out,
        Msg::HlFirstDryDay,
        tr!(
            l,
            HlFirstDryValue,
            first = m.first_day_text_in(l, s, &m.first_dry),
            never = pct_mc_in(l, m.share_never_dry, m.n)
        ),
    );
    row(
        &mut out,
        Msg::HlUnmetProtected,
        tr!(
            l,
            HlUnmetProtectedValue,
            unmet = litres_mc_in(l, m.unmet_protected.0, m.unmet_protected.1),
            names = if m.protected_names.is_empty() {
                tr!(l, HlNoProtectedClass)
            } else {
                m.protected_names.join(", ")
            }
        ),
    );
    row(&mut out, Msg::HlUnmetByClass, tr!(l, HlUnmetByClassValue));
    for c in &m.classes {
        let share = if c.baseline > 0.0 {
            c.unmet / c.baseline
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "    {:<15} {}",
            c.name,
            tr!(
                l,
                HlClassValue,
                unmet = litres_mc_in(l, c.unmet, c.unmet_se),
                share = pct_plain_in(l, share),
                rationed = litres_mc_in(l, c.rationed, c.rationed_se),
                dry = litres_mc_in(l, c.dry, c.dry_se)
            )
        );
    }
    let (lost, burned, seized, _) = m.losses;
    let (lost_se, burned_se, seized_se, _) = m.losses_se;
    row(
        &mut out,
        Msg::HlTankersLost,
        tr!(
            l,
            HlTankersLostValue,
            lost = count_mc_in(l, lost, lost_se),
            burned = litres_mc_in(l, burned, burned_se),
            seized = litres_mc_in(l, seized, seized_se)
        ),
    );
    if let Some(x) = &info.inputs {
        out.push_str(&inputs_text(l, s, sum, x));
    }
    if let Some(sens) = &info.sensitivity {
        if sens.top(3).is_empty() && !sens.rows.is_empty() {
            row(
                &mut out,
                Msg::HlMattersMost,
                tr!(l, HlMattersNone, n = sens.rows.len()),
            );
        }
        for (i, r) in sens.top(3).into_iter().enumerate() {
            let _ = writeln!(
                out,
                "  {:<17} {}",
                if i == 0 { l.t(Msg::HlMattersMost) } else { "" },
                tr!(
                    l,
                    HlMattersRow,
                    i = i + 1,
                    label = super::input_label(l, s, &r.input.kind),
                    low = lang::input_value(l, &r.input.low),
                    high = lang::input_value(l, &r.input.high),
                    at_low = litres_mc_in(l, r.at_low, r.swing_se),
                    at_high = litres_mc_in(l, r.at_high, r.swing_se)
                )
            );
        }
    }
    out
}
