//! The tables and the terminal summary of `blockade calibrate` (docs/outputs.md,
//! "Calibration").

use super::{Lang, Msg, csv_text, csv_writer, num};
use crate::calibrate::{Calibration, Point};
use crate::scenario::Scenario;

/// `calibration-waves.csv`: one row per wave: points, replications, retained, the
/// non-implausible fraction, the prior mass of the box sampled and the estimated
/// non-implausible share of the prior, and the box per input (u-space).
pub fn calibration_waves_csv(c: &Calibration) -> String {
    let mut w = csv_writer();
    let mut head: Vec<String> = [
        "wave",
        "points",
        "replications_per_point",
        "retained",
        "non_implausible_fraction",
        "box_prior_mass",
        "non_implausible_prior_share",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    for i in &c.inputs {
        head.push(format!("{} u_lo", i.path));
        head.push(format!("{} u_hi", i.path));
    }
    let _ = w.write_record(&head);
    for (k, wave) in c.waves.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            wave.points.len().to_string(),
            c.settings.replications.to_string(),
            wave.retained.len().to_string(),
            num(wave.fraction(), 4),
            num(wave.box_mass(), 6),
            num(wave.mass(), 6),
        ];
        for j in 0..c.inputs.len() {
            row.push(num(wave.box_lo[j], 4));
            row.push(num(wave.box_hi[j], 4));
        }
        let _ = w.write_record(&row);
    }
    csv_text(w)
}

/// `calibration-points.csv`: every point of every wave: its input values, its largest
/// implausibility, whether it was retained, and the implausibility of each observation.
pub fn calibration_points_csv(c: &Calibration) -> String {
    let mut w = csv_writer();
    let mut head = vec!["wave".to_string(), "point".into()];
    head.extend(c.inputs.iter().map(|i| i.path.clone()));
    head.push("max_implausibility".into());
    head.push("retained".into());
    head.extend(c.observations.iter().map(|o| format!("I {}", o.id)));
    let _ = w.write_record(&head);
    for (k, wave) in c.waves.iter().enumerate() {
        for (p, pt) in wave.points.iter().enumerate() {
            let mut row = vec![(k + 1).to_string(), (p + 1).to_string()];
            row.extend(pt.values.iter().map(|v| format!("{v}")));
            row.push(num(pt.max_implausibility(), 3));
            row.push(wave.retained.contains(&p).to_string());
            row.extend(pt.implausibility.iter().map(|x| num(*x, 3)));
            let _ = w.write_record(&row);
        }
    }
    csv_text(w)
}

/// `calibration-inputs.csv`: per input, the prior's range, the retained range, its share
/// of the prior's, and whether the observations identify it (share at most one half).
pub fn calibration_inputs_csv(c: &Calibration) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "input",
        "prior_low",
        "prior_high",
        "retained_low",
        "retained_high",
        "retained_share_of_prior_range",
        "retained_points",
        "identified",
    ]);
    for r in c.ranges() {
        let _ = w.write_record([
            r.path.clone(),
            format!("{}", r.prior.0),
            format!("{}", r.prior.1),
            format!("{}", r.retained.0),
            format!("{}", r.retained.1),
            num(r.share(), 3),
            r.points.to_string(),
            if r.enough_points() {
                r.identified().to_string()
            } else {
                "too few points".to_string()
            },
        ]);
    }
    csv_text(w)
}

fn spread(v: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let mut v: Vec<f64> = v.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    (
        v[0],
        crate::ensemble::percentile_sorted(&v, 0.5),
        v[v.len() - 1],
    )
}

/// The best point of the calibration for observation `i`: the smallest implausibility of
/// that observation over every point evaluated.
fn best_for(c: &Calibration, i: usize) -> f64 {
    c.waves
        .iter()
        .flat_map(|w| &w.points)
        .map(|p: &Point| p.implausibility[i])
        .fold(f64::INFINITY, f64::min)
}

/// `calibration-observed.csv`: every observation, its value and uncertainty, and the
/// simulated means over the prior's points (first wave) and the retained points (lowest,
/// median, highest), with the largest implausibility among the retained points.
pub fn calibration_observed_csv(c: &Calibration, s: &Scenario) -> String {
    let mut w = csv_writer();
    let _ = w.write_record([
        "observation",
        "label",
        "source",
        "period",
        "unit",
        "observed",
        "observed_as_written",
        "observation_sd",
        "prior_sim_low",
        "prior_sim_median",
        "prior_sim_high",
        "calibrated_sim_low",
        "calibrated_sim_median",
        "calibrated_sim_high",
        "calibrated_max_implausibility",
        "smallest_implausibility_anywhere",
        "model_discrepancy_sd",
        "points_ruled_out",
        "points_ruled_out_alone",
    ]);
    let kept = c.retained();
    for (i, o) in c.observations.iter().enumerate() {
        let prior = spread(c.waves[0].points.iter().map(|p| p.mean[i]));
        let post = spread(kept.iter().map(|p| p.mean[i]));
        let worst = kept
            .iter()
            .map(|p| p.implausibility[i])
            .fold(f64::NAN, f64::max);
        let _ = w.write_record([
            o.id.clone(),
            o.label.clone(),
            o.source.clone(),
            o.period(s),
            o.quantity.unit().to_string(),
            num(o.value.centre(), 1),
            o.value.describe(),
            num(o.value.variance().sqrt(), 1),
            num(prior.0, 1),
            num(prior.1, 1),
            num(prior.2, 1),
            num(post.0, 1),
            num(post.1, 1),
            num(post.2, 1),
            num(worst, 2),
            num(best_for(c, i), 2),
            num(
                o.discrepancy
                    .unwrap_or(c.settings.discrepancy * o.value.centre().abs()),
                1,
            ),
            c.ruled_out(i).0.to_string(),
            c.ruled_out(i).1.to_string(),
        ]);
    }
    csv_text(w)
}

/// Why the waves stopped, in words of `l`.
fn stop_words(stop: crate::calibrate::Stop, l: Lang) -> &'static str {
    use crate::calibrate::Stop;
    l.t(match stop {
        Stop::AllRejected => Msg::CalStopAllRejected,
        Stop::WaveRejected => Msg::CalStopWaveRejected,
        Stop::Converged => Msg::CalStopConverged,
        Stop::Budget => Msg::CalStopBudget,
        Stop::MaxWaves => Msg::CalStopMaxWaves,
    })
}

/// What an observation counts, as a unit in words of `l` ("trucks lost").
pub(crate) fn quantity_words(q: &crate::scenario::observations::Quantity, l: Lang) -> &'static str {
    use crate::scenario::observations::Quantity as Q;
    l.t(match q {
        Q::TrucksLost(_) => Msg::ObsTrucksLost,
        Q::Attacks(_) => Msg::ObsAttacks,
        Q::LitresDelivered(_) => Msg::ObsLitresDelivered,
        Q::TrucksDelivered(_) => Msg::ObsTruckloadsDelivered,
        Q::ConvoysArrived(_) => Msg::ObsConvoysArrived,
        Q::Stock(_) => Msg::ObsLitresInStock,
        Q::DryDays(_) => Msg::ObsDaysDry,
    })
}

/// A day of the scenario in `l`: the ISO date in English ("2025-10-01", as
/// `Scenario::day_label`), "1 oct. 2025" in French; "day 12" without a start date.
pub(crate) fn day_label_in(s: &Scenario, day: i64, l: Lang) -> String {
    match (l, s.start_date) {
        (Lang::En, _) => s.day_label(day),
        (_, Some(d)) => l.date(d.plus_days(day), true),
        (_, None) => crate::tr!(l, DayN, d = day),
    }
}

/// The days an observation covers, in `l`: "2025-10-01 – 2025-10-31" (as
/// `Observation::period` in English), [`period_short`] in French.
pub(crate) fn period_in(
    o: &crate::scenario::observations::Observation,
    s: &Scenario,
    l: Lang,
) -> String {
    match (l, s.start_date) {
        (Lang::Fr, Some(_)) => period_short(o, s, l),
        _ if o.from == o.to => day_label_in(s, i64::from(o.from), l),
        _ => format!(
            "{} – {}",
            day_label_in(s, i64::from(o.from), l),
            day_label_in(s, i64::from(o.to), l)
        ),
    }
}

/// The days an observation covers, as short as a chart's line wants them, the month and
/// the year written once where both ends share them: "15 Dec 2025", "1–10 Oct 2025",
/// "1 Sep – 17 Oct 2025", "1 Sep 2025 – 31 Jan 2026" ("1–10 oct. 2025" in French); days
/// of the scenario without a start date.
pub(crate) fn period_short(
    o: &crate::scenario::observations::Observation,
    s: &Scenario,
    l: Lang,
) -> String {
    let Some(d) = s.start_date else {
        return period_in(o, s, l);
    };
    let (a, b) = (d.plus_days(i64::from(o.from)), d.plus_days(i64::from(o.to)));
    let ((ya, ma, da), (yb, mb, _)) = (a.ymd(), b.ymd());
    if o.from == o.to {
        l.date(a, true)
    } else if (ya, ma) == (yb, mb) {
        format!("{da}–{}", l.date(b, true))
    } else {
        format!("{} – {}", l.date(a, ya != yb), l.date(b, true))
    }
}

/// The calibration's terminal summary, in `l`: the settings, each wave, why it stopped,
/// which observations rule points out, and each input's retained range.
pub fn calibration_text(c: &Calibration, s: &Scenario, l: Lang) -> String {
    let mut out = crate::tr!(
        l,
        CalHead,
        name = s.name,
        inputs = c.inputs.len(),
        obs = c.observations.len(),
        waves = c.waves.len(),
        n = c.replications,
        seed = c.settings.seed,
        per_point = c.settings.replications,
        cutoff = l.digits(&c.settings.cutoff.to_string()),
        disc = l.digits(&(c.settings.discrepancy * 100.0).to_string()),
        var = l.t(if c.settings.ensemble_variance {
            Msg::CalVarianceIn
        } else {
            Msg::CalVarianceOut
        })
    );
    out.push('\n');
    for (k, w) in c.waves.iter().enumerate() {
        out.push_str(&crate::tr!(
            l,
            CalWave,
            k = k + 1,
            kept = w.retained.len(),
            points = w.points.len(),
            p = l.digits(&format!("{:.1}", 100.0 * w.fraction())),
            mass = l.digits(&format!("{:.3}", w.mass()))
        ));
        out.push('\n');
    }
    out.push_str(&crate::tr!(l, CalStopped, why = stop_words(c.stop, l)));
    out.push('\n');
    // The diagnosis: which observations rule points out, over every wave.
    let mut by: Vec<(usize, usize, usize)> = (0..c.observations.len())
        .map(|i| {
            let (n, alone) = c.ruled_out(i);
            (n, alone, i)
        })
        .filter(|t| t.0 > 0)
        .collect();
    by.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    if !by.is_empty() {
        out.push_str(&crate::tr!(l, CalRuledOutHead, n = c.points_evaluated()));
        out.push('\n');
        for (n, alone, i) in by {
            out.push_str(&crate::tr!(
                l,
                CalRuledOutLine,
                id = c.observations[i].id,
                n = n,
                alone = alone
            ));
            out.push('\n');
        }
    }
    if c.all_rejected() {
        out.push_str(l.t(Msg::CalAllImplausible));
        out.push('\n');
        let mut worst: Vec<(f64, usize)> = (0..c.observations.len())
            .map(|i| (best_for(c, i), i))
            .collect();
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (b, i) in worst.iter().take(5) {
            let o = &c.observations[*i];
            out.push_str(&crate::tr!(
                l,
                CalWorstLine,
                id = o.id,
                period = period_in(o, s, l),
                value = l.digits(&o.value.describe()),
                unit = quantity_words(&o.quantity, l),
                b = l.digits(&format!("{b:.1}"))
            ));
            out.push('\n');
        }
        out.push_str(l.t(Msg::CalCheckObservations));
        out.push('\n');
        return out;
    }
    out.push_str(l.t(Msg::CalInputsHead));
    out.push('\n');
    for r in c.ranges() {
        out.push_str(&crate::tr!(
            l,
            CalInputLine,
            path = r.path,
            a = l.digits(&short(r.retained.0)),
            b = l.digits(&short(r.retained.1)),
            c = l.digits(&short(r.prior.0)),
            d = l.digits(&short(r.prior.1)),
            p = pct_sp(l, &format!("{:.0}", 100.0 * r.share())),
            judge = if !r.enough_points() {
                l.t(Msg::CalTooFewPoints)
            } else if r.identified() {
                ""
            } else {
                l.t(Msg::CalNotIdentified)
            }
        ));
        out.push('\n');
    }
    out
}

/// "12 %" in English, "12 %" (narrow no-break space) in French.
fn pct_sp(l: Lang, english: &str) -> String {
    l.percent(english)
}

fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 {
        super::thousands(v)
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}
