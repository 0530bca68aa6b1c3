//! The headline measures of a run (docs/model.md section 7), computed once and shared by the
//! terminal, `headline.csv`, `summary.json` and the report, so that a number a planner
//! quotes means the same thing in each.
//!
//! "By day d" always means "on or before day d", with day d the 0-based day of the run
//! (the date `start_date + d`): the `daily.csv` row of day d. Numbers shown to people are
//! rounded to what their Monte Carlo error supports ([`round_to_error`]); the CSV and JSON
//! keep more digits and give the standard error next to them.

use crate::ensemble::{Summary, percentile_sorted};
use crate::model::Series;
use crate::scenario::Scenario;

use super::lang::Lang;
use crate::tr;

/// The key days of a horizon of `h` days: 30, 60 and 90 when they fall before its last
/// day, and its last day `h - 1`.
pub fn key_days(h: u32) -> Vec<u32> {
    let last = h.saturating_sub(1);
    let mut v: Vec<u32> = [30, 60, 90].into_iter().filter(|d| *d < last).collect();
    v.push(last);
    v
}

/// A day of the scenario in `l`: "1 Oct 2025 (day 30)", "1 oct. 2025 (jour 30)", or
/// "day 30" without a start date.
pub fn day_text_in(l: Lang, s: &Scenario, day: f64) -> String {
    let d = day.round();
    let n = tr!(l, DayN, d = format!("{d:.0}"));
    match s.start_date {
        Some(start) => tr!(
            l,
            DateDay,
            date = l.date(start.plus_days(d as i64), true),
            day = n
        ),
        None => n,
    }
}

/// A percentile of a day, or "none within the H-day horizon" when it falls after it, in
/// language `l`.
pub fn day_or_none_in(l: Lang, s: &Scenario, day: Option<f64>) -> String {
    match day {
        Some(d) => day_text_in(l, s, d),
        None => tr!(l, NoneWithinHorizon, h = s.horizon_days),
    }
}

/// The rounding step for a value with standard error `se`: a power of ten no larger than
/// the error's first significant digit (0 when the error is 0).
pub fn error_step(se: f64) -> f64 {
    if se > 0.0 && se.is_finite() {
        10f64.powf(se.log10().floor())
    } else {
        0.0
    }
}

/// `v` rounded to what its standard error `se` supports: to the power of ten of the
/// error's first significant digit.
///
/// ```
/// use blockade::report::round_to_error;
/// assert_eq!(round_to_error(1_151_596.0, 42_000.0), 1_150_000.0);
/// assert_eq!(round_to_error(0.0263, 0.005), 0.026);
/// assert_eq!(round_to_error(7.0, 0.0), 7.0);
/// ```
pub fn round_to_error(v: f64, se: f64) -> f64 {
    let step = error_step(se);
    if step == 0.0 {
        v
    } else {
        let x = (v / step).round() * step;
        // Clean float noise: keep only the digits the step allows.
        let digits = (-step.log10()).max(0.0) as i32;
        let f = 10f64.powi(digits);
        (x * f).round() / f
    }
}

/// Decimals needed to show a value rounded to `step`.
fn decimals(step: f64) -> usize {
    if step <= 0.0 || step >= 1.0 {
        0
    } else {
        (-step.log10()).round() as usize
    }
}

/// A share of `n` runs as a percentage rounded to its Monte Carlo error
/// (`sqrt(p (1 - p) / n)`), at most one decimal, in `l`: "2.6 %", "50 %", "0 %"; "2,6 %".
pub fn pct_mc_in(l: Lang, p: f64, n: u64) -> String {
    if p <= 0.0 || p >= 1.0 {
        // Every run, or none: no Monte Carlo spread to show.
        return l.percent(&format!("{:.0}", 100.0 * p.clamp(0.0, 1.0)));
    }
    let se = 100.0 * (p * (1.0 - p) / n.max(1) as f64).sqrt();
    let step = error_step(se).max(0.1);
    let v = round_to_error(100.0 * p, step);
    if v == 0.0 {
        // Some runs, but fewer than the rounding can show: never print a bare zero.
        return tr!(
            l,
            Under,
            x = l.percent(&format!("{:.*}", decimals(step), step))
        );
    }
    l.percent(&format!("{:.*}", decimals(step), v))
}

/// A count (tankers, convoys) rounded to its standard error, at most one decimal, in
/// language `l`: "259", "3.4" ("3,4" in French).
pub fn count_mc_in(l: Lang, v: f64, se: f64) -> String {
    let step = error_step(se).max(0.1);
    l.digits(&format!("{:.*}", decimals(step), round_to_error(v, step)))
}

/// Litres rounded to their standard error, in a readable unit, in `l`: "1.2 million L",
/// "850,000 L", "0 L"; "1,2 million de L", "850 000 L".
pub fn litres_mc_in(l: Lang, v: f64, se: f64) -> String {
    let r = round_to_error(v, se.max(v.abs() * 1e-3));
    if r == 0.0 && v > 0.0 {
        // Some litres, fewer than the rounding can show: never print a bare zero.
        return tr!(
            l,
            Under,
            x = tr!(
                l,
                Litres,
                x = l.thousands(error_step(se.max(v.abs() * 1e-3)))
            )
        );
    }
    if r.abs() >= 1e6 {
        let step = error_step(se.max(v.abs() * 1e-3)) / 1e6;
        let dec = decimals(step).min(2);
        let t = format!("{:.*}", dec, r / 1e6);
        let t = if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            t
        };
        if r.abs() >= 2e6 {
            tr!(l, MillionsLitres, x = l.digits(&t))
        } else {
            tr!(l, MillionLitres, x = l.digits(&t))
        }
    } else {
        tr!(l, Litres, x = l.thousands(r))
    }
}

/// Unmet demand of one class over a run, split rationed / dry (means per run).
#[derive(Debug, Clone)]
pub struct ClassUnmet {
    /// Class name (`BKO/essential` with several depots).
    pub name: String,
    /// Its priority.
    pub priority: u32,
    /// Whether it is protected from rationing.
    pub protected: bool,
    /// Baseline demand over the run, litres.
    pub baseline: f64,
    /// Mean unmet (rationed + dry) per run, litres.
    pub unmet: f64,
    /// Its standard error.
    pub unmet_se: f64,
    /// Mean unmet because of rationing, litres.
    pub rationed: f64,
    /// Its standard error.
    pub rationed_se: f64,
    /// Mean unmet because the stock ran out, litres.
    pub dry: f64,
    /// Its standard error.
    pub dry_se: f64,
    /// Share of runs in which the class had a dry day (got less than it requested).
    pub p_dry: f64,
}

/// P(dry) and P(rationing) by a key day.
#[derive(Debug, Clone)]
pub struct KeyDay {
    /// The day (0-based).
    pub day: u32,
    /// P(dry by that day).
    pub p_dry: f64,
    /// P(rationing by that day).
    pub p_rationing: f64,
}

/// The headline measures of a run.
#[derive(Debug, Clone)]
pub struct Measures {
    /// Replications.
    pub n: u64,
    /// Stock at day 0 over all depots, litres.
    pub stock_now: f64,
    /// Days of fuel now: stock at day 0 over the day-0 baseline demand.
    pub days_now: f64,
    /// The rationing trigger of the first depot, days of supply.
    pub trigger_days: f64,
    /// P(dry) and P(rationing) by the key days.
    pub key_days: Vec<KeyDay>,
    /// First dry day, P10, median, P90 (`None`: none within the horizon).
    pub first_dry: [Option<f64>; 3],
    /// Share of runs never dry.
    pub share_never_dry: f64,
    /// First rationing day, P10, median, P90.
    pub first_rationing: [Option<f64>; 3],
    /// Share of runs that never rationed.
    pub share_never_rationed: f64,
    /// Mean days under rationing, its standard error, and the P90.
    pub days_rationed: (f64, f64, f64),
    /// Mean unmet demand of the protected classes and its standard error, litres.
    pub unmet_protected: (f64, f64),
    /// Names of the protected classes.
    pub protected_names: Vec<String>,
    /// Unmet demand by class.
    pub classes: Vec<ClassUnmet>,
    /// Mean tankers lost, litres burned, litres seized, convoys attacked.
    pub losses: (f64, f64, f64, f64),
    /// Standard errors of the same.
    pub losses_se: (f64, f64, f64, f64),
}

fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let m = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (m, 0.0);
    }
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

impl Measures {
    /// The measures of `sum`, a run of `s`.
    pub fn new(s: &Scenario, sum: &Summary) -> Measures {
        let protected = sum.protected_classes(s);
        let baseline0: f64 = sum
            .depot_demand
            .iter()
            .map(|d| d.first().copied().unwrap_or(0.0))
            .sum();
        let stock_now = s.total_initial_stock_litres();
        let classes = sum
            .layout
            .class_ids()
            .map(|i| {
                let (d, c) = sum.layout.classes[i];
                let priority = s
                    .depot(sum.layout.depots[d.index()])
                    .and_then(|dep| dep.demand.get(c))
                    .map_or(0, |c| c.priority);
                let per: Vec<f64> = sum.rows.iter().map(|r| r.unmet[i]).collect();
                let (unmet, unmet_se) = mean_se(&per);
                let rat: Vec<f64> = sum.rows.iter().map(|r| r.unmet_rationed[i]).collect();
                let (rationed, rationed_se) = mean_se(&rat);
                let dry: Vec<f64> = sum.rows.iter().map(|r| r.unmet_dry[i]).collect();
                let (dry, dry_se) = mean_se(&dry);
                ClassUnmet {
                    name: sum.layout.class_name(s, i),
                    priority,
                    protected: protected.contains(&i),
                    baseline: sum.mean(Series::Demand, i).iter().sum(),
                    unmet,
                    unmet_se,
                    rationed,
                    rationed_se,
                    dry,
                    dry_se,
                    p_dry: sum.mean_of(|r| f64::from(u8::from(r.first_dry_class[i].is_some()))),
                }
            })
            .collect();
        let days_r: Vec<f64> = sum
            .rows
            .iter()
            .map(|r| f64::from(r.days_rationed))
            .collect();
        let (dr_mean, dr_se) = mean_se(&days_r);
        let mut sorted = days_r.clone();
        sorted.sort_by(f64::total_cmp);
        let unmet_p = sum.unmet_protected(s);
        Measures {
            n: sum.replications,
            stock_now,
            days_now: if baseline0 > 0.0 {
                stock_now / baseline0
            } else {
                f64::INFINITY
            },
            trigger_days: s
                .depots()
                .next()
                .map_or(0.0, |(_, d)| d.rationing.trigger_days),
            key_days: key_days(s.horizon_days)
                .into_iter()
                .map(|day| KeyDay {
                    day,
                    p_dry: sum.p_dry_by_day(day),
                    p_rationing: sum.p_rationing_by_day(day),
                })
                .collect(),
            first_dry: [0.1, 0.5, 0.9].map(|p| sum.first_dry_percentile(p)),
            share_never_dry: sum.share_never_dry(),
            first_rationing: [0.1, 0.5, 0.9].map(|p| sum.first_rationing_percentile(p)),
            share_never_rationed: sum.share_never_rationed(),
            days_rationed: (dr_mean, dr_se, percentile_sorted(&sorted, 0.9)),
            unmet_protected: mean_se(&unmet_p),
            protected_names: protected
                .iter()
                .map(|i| sum.layout.class_name(s, *i))
                .collect(),
            classes,
            losses_se: (
                mean_se(&sum.rows.iter().map(|r| r.trucks_lost).collect::<Vec<_>>()).1,
                mean_se(
                    &sum.rows
                        .iter()
                        .map(|r| r.fuel_destroyed)
                        .collect::<Vec<_>>(),
                )
                .1,
                mean_se(&sum.rows.iter().map(|r| r.fuel_seized).collect::<Vec<_>>()).1,
                mean_se(&sum.rows.iter().map(|r| r.attacks).collect::<Vec<_>>()).1,
            ),
            losses: (
                sum.mean_of(|r| r.trucks_lost),
                sum.mean_of(|r| r.fuel_destroyed),
                sum.mean_of(|r| r.fuel_seized),
                sum.mean_of(|r| r.attacks),
            ),
        }
    }

    /// "P10 3 Sep 2025 (day 2), median …, P90 …" for a first day, with "none within the
    /// horizon" where a percentile falls after it.
    pub fn first_day_text(&self, s: &Scenario, v: &[Option<f64>; 3]) -> String {
        self.first_day_text_in(Lang::En, s, v)
    }

    /// [`Measures::first_day_text`] in `l`.
    pub fn first_day_text_in(&self, l: Lang, s: &Scenario, v: &[Option<f64>; 3]) -> String {
        match (v[0], v[1]) {
            (None, _) => tr!(l, NoneWithinHorizon, h = s.horizon_days),
            (Some(p10), None) => tr!(
                l,
                NoneWithinHorizonMost,
                h = s.horizon_days,
                p10 = day_text_in(l, s, p10)
            ),
            (_, Some(m)) => tr!(
                l,
                MedianP10P90,
                m = day_text_in(l, s, m),
                p10 = day_or_none_in(l, s, v[0]),
                p90 = day_or_none_in(l, s, v[2])
            ),
        }
    }

    /// Days under rationing as text: "171 days on average (P90 178)".
    pub fn days_rationed_text(&self) -> String {
        self.days_rationed_text_in(Lang::En)
    }

    /// [`Measures::days_rationed_text`] in `l`.
    pub fn days_rationed_text_in(&self, l: Lang) -> String {
        let (m, se, p90) = self.days_rationed;
        let step = error_step(se).max(1.0);
        tr!(
            l,
            DaysOnAverage,
            n = l.thousands(round_to_error(m, step)),
            p90 = l.digits(&format!("{p90:.0}"))
        )
    }

    /// "2.6 % by 1 Oct 2025 (day 30), 15 % by …": a share at each key day, leaving out a
    /// day whose rounded share is the same as the day before (the table has them all).
    fn by_days(&self, l: Lang, s: &Scenario, f: fn(&KeyDay) -> f64) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut last = String::new();
        for k in &self.key_days {
            let p = pct_mc_in(l, f(k), self.n);
            if p != last {
                parts.push(tr!(
                    l,
                    ShareBy,
                    p = p,
                    day = day_text_in(l, s, f64::from(k.day))
                ));
            }
            last = p;
        }
        parts.join(", ")
    }

    /// The plain-language paragraph a planner can paste.
    pub fn paragraph(&self, s: &Scenario, as_of: Option<&str>) -> String {
        self.paragraph_in(Lang::En, s, as_of)
    }

    /// [`Measures::paragraph`] in `l`.
    pub fn paragraph_in(&self, l: Lang, s: &Scenario, as_of: Option<&str>) -> String {
        let mut out = tr!(l, ParaUnderAssumptions);
        if let Some(d) = as_of {
            out.push_str(&tr!(l, ParaAsOf, d = d));
        }
        out.push_str(&tr!(
            l,
            ParaStartsWith,
            city = s
                .depots()
                .next()
                .map_or_else(|| tr!(l, TheCity), |(id, _)| s.node(id).name.clone()),
            stock = litres_mc_in(l, self.stock_now, 0.0),
            days = l.digits(&format!("{:.1}", self.days_now))
        ));
        out.push_str(&tr!(
            l,
            ParaChanceRationing,
            by = self.by_days(l, s, |k| k.p_rationing)
        ));
        match self.first_rationing[1] {
            Some(m) => out.push_str(&tr!(
                l,
                ParaMedianRationing,
                day = day_text_in(l, s, m),
                lasts = self.days_rationed_text_in(l)
            )),
            None => out.push_str(&tr!(l, ParaNeverStarts)),
        }
        out.push_str(&tr!(
            l,
            ParaChanceDry,
            by = self.by_days(l, s, |k| k.p_dry),
            never = pct_mc_in(l, self.share_never_dry, self.n),
            h = s.horizon_days
        ));
        let (up, up_se) = self.unmet_protected;
        let base: f64 = self
            .classes
            .iter()
            .filter(|c| c.protected)
            .map(|c| c.baseline)
            .sum();
        if !self.protected_names.is_empty() {
            out.push_str(&tr!(
                l,
                ParaProtectedLose,
                names = self.protected_names.join(", "),
                lose = litres_mc_in(l, up, up_se),
                share = pct_plain_in(l, if base > 0.0 { up / base } else { 0.0 })
            ));
        }
        out
    }
}

/// A share as a percentage with at most one decimal, for ratios with no Monte Carlo
/// statement, in language `l`: "0.8 %", "24 %" ("0,8 %" in French).
pub fn pct_plain_in(l: Lang, p: f64) -> String {
    let v = 100.0 * p;
    if v > 0.0 && v < 0.05 {
        // Some, but less than one decimal shows: never a bare zero.
        return tr!(l, Under, x = l.percent("0.1"));
    }
    if v.abs() >= 10.0 {
        l.percent(&format!("{v:.0}"))
    } else {
        l.percent(&format!("{v:.1}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_error() {
        assert_eq!(round_to_error(1_151_596.0, 42_000.0), 1_150_000.0);
        assert_eq!(round_to_error(1_151_596.0, 420.0), 1_151_600.0);
        assert_eq!(pct_mc_in(Lang::En, 0.026, 1000), "2.6 %");
        assert_eq!(pct_mc_in(Lang::En, 0.5, 1000), "50 %");
        assert_eq!(pct_mc_in(Lang::En, 0.0, 1000), "0 %");
        assert_eq!(pct_mc_in(Lang::En, 1.0, 1000), "100 %");
        assert_eq!(pct_mc_in(Lang::En, 0.999, 1000), "99.9 %");
        assert_eq!(pct_mc_in(Lang::En, 0.5, 10), "50 %");
        assert_eq!(
            litres_mc_in(Lang::En, 1_151_596.0, 42_000.0),
            "1.15 million L"
        );
        assert_eq!(litres_mc_in(Lang::En, 25_000_000.0, 0.0), "25 million L");
        assert_eq!(litres_mc_in(Lang::En, 356.0, 200.0), "400 L");
        assert_eq!(
            litres_mc_in(Lang::En, 30_000.0, 170_000.0),
            "under 100,000 L"
        );
        assert_eq!(litres_mc_in(Lang::En, 0.0, 170_000.0), "0 L");
        assert_eq!(pct_mc_in(Lang::En, 0.0004, 1000), "under 0.1 %");
        assert_eq!(count_mc_in(Lang::En, 258.8, 3.1), "259");
        assert_eq!(count_mc_in(Lang::En, 3.41, 0.2), "3.4");
        // A plain share: a small one is never a bare zero.
        assert_eq!(pct_plain_in(Lang::En, 0.0001), "under 0.1 %");
        assert_eq!(pct_plain_in(Lang::Fr, 0.0001), "moins de 0,1\u{202f}%");
        assert_eq!(pct_plain_in(Lang::En, 0.0), "0.0 %");
        assert_eq!(pct_plain_in(Lang::En, 0.008), "0.8 %");
        assert_eq!(pct_plain_in(Lang::En, 0.24), "24 %");
    }

    #[test]
    fn key_days_end_on_the_last_day() {
        assert_eq!(key_days(180), [30, 60, 90, 179]);
        assert_eq!(key_days(90), [30, 60, 89]);
        assert_eq!(key_days(20), [19]);
        assert_eq!(key_days(1), [0]);
    }
}
