//! Key performance indicators: one number per ensemble that a planner compares across
//! scenarios, sweep points and tornado bars, with its uncertainty.

use std::fmt;

use super::{Summary, percentile_sorted};
use crate::scenario::Scenario;

/// A KPI of an ensemble (the measures of docs/model.md section 7).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kpi {
    /// Median first dry day; replications never dry count as the horizon (so a value equal
    /// to the horizon means "none within the horizon"). Can fall as conditions worsen:
    /// rationing starts earlier and protects the stock.
    FirstDryMedian,
    /// P(dry by day D): the share of replications whose first dry day is on or before day
    /// D (0-based, the `daily.csv` row of day D). Can fall as conditions worsen.
    PDryBy(u32),
    /// P(rationing by day D), read like [`Kpi::PDryBy`].
    PRationingBy(u32),
    /// Mean days under rationing.
    DaysRationed,
    /// Mean total unmet demand (rationed + dry) of the protected classes (priority at or
    /// above the depot's `protected_priority`), litres. Moves one way.
    UnmetProtected,
    /// Mean total unmet demand of all classes, litres. Moves one way.
    UnmetTotal,
    /// Mean tankers lost.
    TrucksLost,
    /// Mean fuel lost (destroyed + seized), litres.
    FuelLost,
}

/// Names accepted by [`Kpi::parse`], for messages.
pub const KPI_NAMES: &str = "unmet_protected, unmet_total, days_rationed, p_dry_by:DAY (e.g. p_dry_by:90 or p_dry_by_day_90), p_rationing_by:DAY, first_dry_day_median, trucks_lost, fuel_lost";

/// Names of earlier versions and what replaced them.
const RENAMED: [(&str, &str); 4] = [
    ("median_first_stockout", "first_dry_day_median"),
    ("median_first_stockout_day", "first_dry_day_median"),
    ("unmet_essential", "unmet_protected"),
    ("p_stockout_by", "p_dry_by:DAY"),
];

impl Kpi {
    /// Parses a KPI name: `unmet_protected`, `unmet_total`, `days_rationed`,
    /// `p_dry_by:90` (or `p_dry_by_day_90`), `p_rationing_by:90`, `first_dry_day_median`,
    /// `trucks_lost`, `fuel_lost`. Every [`Kpi::key`] parses back to its KPI.
    ///
    /// # Errors
    /// A message naming the valid KPIs (and the new name of a retired one).
    pub fn parse(s: &str) -> Result<Kpi, String> {
        let s = s.trim();
        for (prefix, make) in [
            ("p_dry_by", Kpi::PDryBy as fn(u32) -> Kpi),
            ("p_rationing_by", Kpi::PRationingBy),
        ] {
            if let Some(d) = s.strip_prefix(prefix).and_then(|r| {
                r.strip_prefix(':')
                    .or_else(|| r.strip_prefix("_day_"))
                    .or_else(|| r.strip_prefix('_'))
            }) {
                return match d.parse::<u32>() {
                    Ok(d) => Ok(make(d)),
                    _ => Err(format!(
                        "`{s}`: the day must be a whole number, e.g. {prefix}:90"
                    )),
                };
            }
        }
        match s {
            "first_dry_day_median" => Ok(Kpi::FirstDryMedian),
            "days_rationed" | "days_rationed_mean" => Ok(Kpi::DaysRationed),
            "unmet_protected" | "unmet_protected_litres" => Ok(Kpi::UnmetProtected),
            "unmet_total" | "unmet_total_litres" => Ok(Kpi::UnmetTotal),
            "trucks_lost" => Ok(Kpi::TrucksLost),
            "fuel_lost" | "fuel_lost_litres" => Ok(Kpi::FuelLost),
            _ => {
                let renamed = RENAMED
                    .iter()
                    .find(|(old, _)| s.starts_with(old))
                    .map_or(String::new(), |(old, new)| {
                        format!(" (`{old}` is now `{new}`)")
                    });
                Err(format!(
                    "unknown KPI `{s}`{renamed}; valid KPIs: {KPI_NAMES}"
                ))
            }
        }
    }

    /// The default set reported by sweeps and comparisons: the measures that move one way
    /// when conditions worsen (docs/model.md section 7), unmet demand of the protected classes
    /// and of all classes.
    pub fn defaults(_s: &Scenario) -> Vec<Kpi> {
        vec![Kpi::UnmetProtected, Kpi::UnmetTotal]
    }

    /// Column-friendly name: `p_dry_by_day_90`.
    pub fn key(&self) -> String {
        match self {
            Kpi::FirstDryMedian => "first_dry_day_median".into(),
            Kpi::PDryBy(d) => format!("p_dry_by_day_{d}"),
            Kpi::PRationingBy(d) => format!("p_rationing_by_day_{d}"),
            Kpi::DaysRationed => "days_rationed".into(),
            Kpi::UnmetProtected => "unmet_protected_litres".into(),
            Kpi::UnmetTotal => "unmet_total_litres".into(),
            Kpi::TrucksLost => "trucks_lost".into(),
            Kpi::FuelLost => "fuel_lost_litres".into(),
        }
    }

    /// Whether the KPI is a day that runs with no such day within the horizon are counted
    /// at (so that its estimate carries a [`Censoring`]).
    pub fn is_censored(&self) -> bool {
        matches!(self, Kpi::FirstDryMedian)
    }

    /// Whether the KPI is a probability (a share of replications).
    pub fn is_probability(&self) -> bool {
        matches!(self, Kpi::PDryBy(_) | Kpi::PRationingBy(_))
    }

    /// Per-replication values whose mean is the KPI (for paired comparisons), or `None`
    /// for the median, which is not a mean.
    pub fn per_replication(&self, s: &Scenario, sum: &Summary) -> Option<Vec<f64>> {
        let by = |f: Option<u32>, d: u32| f64::from(u8::from(f.is_some_and(|f| f <= d)));
        let v = match self {
            Kpi::FirstDryMedian => return None,
            Kpi::PDryBy(d) => sum.rows.iter().map(|r| by(r.first_dry, *d)).collect(),
            Kpi::PRationingBy(d) => sum.rows.iter().map(|r| by(r.first_rationing, *d)).collect(),
            Kpi::DaysRationed => sum
                .rows
                .iter()
                .map(|r| f64::from(r.days_rationed))
                .collect(),
            Kpi::UnmetProtected => sum.unmet_protected(s),
            Kpi::UnmetTotal => sum.rows.iter().map(|r| r.unmet.iter().sum()).collect(),
            Kpi::TrucksLost => sum.rows.iter().map(|r| r.trucks_lost).collect(),
            Kpi::FuelLost => sum
                .rows
                .iter()
                .map(|r| r.fuel_destroyed + r.fuel_seized)
                .collect(),
        };
        Some(v)
    }

    /// The KPI of an ensemble with its uncertainty.
    pub fn estimate(&self, s: &Scenario, sum: &Summary) -> Estimate {
        self.evaluate(s, sum).0
    }

    /// The estimate and the per-replication values behind it (see
    /// [`Kpi::per_replication`]), computed once.
    pub fn evaluate(&self, s: &Scenario, sum: &Summary) -> (Estimate, Option<Vec<f64>>) {
        let per = self.per_replication(s, sum);
        (self.estimate_from(s, sum, per.as_deref()), per)
    }

    fn estimate_from(&self, s: &Scenario, sum: &Summary, per: Option<&[f64]>) -> Estimate {
        let n = sum.rows.len().max(1) as f64;
        match per {
            None => {
                // Median of first dry days, censored at the horizon.
                let h = f64::from(s.horizon_days);
                let mut v: Vec<f64> = sum
                    .rows
                    .iter()
                    .map(|r| r.first_dry.map_or(h, f64::from))
                    .collect();
                v.sort_by(f64::total_cmp);
                let value = percentile_sorted(&v, 0.5);
                // Distribution-free 90 % confidence interval of the median from order
                // statistics (ranks n/2 -+ 1.645 sqrt(n)/2); its half-width / 1.645 as SE.
                let half = 1.645 * n.sqrt() / 2.0 / n;
                let lo_ci = percentile_sorted(&v, (0.5 - half).max(0.0));
                let hi_ci = percentile_sorted(&v, (0.5 + half).min(1.0));
                let never = sum.rows.iter().filter(|r| r.first_dry.is_none()).count() as f64;
                Estimate {
                    value,
                    lo: percentile_sorted(&v, 0.05),
                    hi: percentile_sorted(&v, 0.95),
                    se: (hi_ci - lo_ci) / (2.0 * 1.645),
                    censoring: Some(Censoring {
                        horizon: h,
                        share_never: never / n,
                    }),
                }
            }
            Some(x) => {
                let mean = x.iter().sum::<f64>() / n;
                let var = if x.len() > 1 {
                    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
                } else {
                    0.0
                };
                let se = (var / n).sqrt();
                let (lo, hi) = if self.is_probability() {
                    wilson(mean, n, 1.645)
                } else {
                    let mut sorted = x.to_vec();
                    sorted.sort_by(f64::total_cmp);
                    (
                        percentile_sorted(&sorted, 0.05),
                        percentile_sorted(&sorted, 0.95),
                    )
                };
                Estimate {
                    value: mean,
                    lo,
                    hi,
                    se,
                    censoring: None,
                }
            }
        }
    }

    /// Whether the 90 % interval of this KPI describes the spread across replications (true)
    /// or the confidence in a probability (false).
    pub fn interval_is_spread(&self) -> bool {
        !self.is_probability()
    }
}

impl fmt::Display for Kpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// A KPI value with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimate (mean, share or median).
    pub value: f64,
    /// Lower end of the 90 % interval: P5 across replications for means and the median;
    /// the Wilson 90 % confidence bound for probabilities.
    pub lo: f64,
    /// Upper end of the 90 % interval.
    pub hi: f64,
    /// Monte Carlo standard error of `value`.
    pub se: f64,
    /// For a KPI read off days that may lie beyond the horizon (the first dry day): where
    /// it is cut and how many runs never got there. `None` for means and shares.
    pub censoring: Option<Censoring>,
}

/// How a day KPI is censored at the end of the horizon: runs with no dry day count as the
/// horizon, so a value at the horizon is not a day but the answer "none within the
/// horizon".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Censoring {
    /// The horizon (days): the value given to runs never dry.
    pub horizon: f64,
    /// The share of replications with no dry day within the horizon.
    pub share_never: f64,
}

#[cfg(test)]
impl Estimate {
    /// An estimate of `value` with error `se` and no spread across runs, for tests.
    pub(crate) fn point(value: f64, se: f64) -> Estimate {
        Estimate {
            value,
            lo: value,
            hi: value,
            se,
            censoring: None,
        }
    }
}

impl Estimate {
    /// An estimate of a mean or a share (never censored).
    pub fn plain(value: f64, lo: f64, hi: f64, se: f64) -> Estimate {
        Estimate {
            value,
            lo,
            hi,
            se,
            censoring: None,
        }
    }

    /// Whether `x` (the value or an end of its interval) is the censoring point: "none
    /// within the horizon" rather than a day.
    pub fn is_censored_at(&self, x: f64) -> bool {
        self.censoring.is_some_and(|c| x >= c.horizon)
    }

    /// Whether the value itself is "none within the horizon" (at least half of the runs
    /// never dry, for a median).
    pub fn is_censored(&self) -> bool {
        self.is_censored_at(self.value)
    }
}

/// Wilson score interval for a proportion `p` of `n` trials at `z` standard deviations.
pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (0.0, 1.0);
    }
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names() {
        assert_eq!(Kpi::parse("p_dry_by:90"), Ok(Kpi::PDryBy(90)));
        assert_eq!(Kpi::parse("p_dry_by_day_90"), Ok(Kpi::PDryBy(90)));
        assert_eq!(Kpi::parse("p_rationing_by:30"), Ok(Kpi::PRationingBy(30)));
        assert_eq!(Kpi::parse("trucks_lost"), Ok(Kpi::TrucksLost));
        assert!(Kpi::parse("p_dry_by:x").is_err());
        assert!(Kpi::parse("truck_lost").unwrap_err().contains("valid KPIs"));
        assert!(
            Kpi::parse("unmet_essential")
                .unwrap_err()
                .contains("now `unmet_protected`")
        );
        for k in [
            Kpi::FirstDryMedian,
            Kpi::PDryBy(90),
            Kpi::PRationingBy(7),
            Kpi::DaysRationed,
            Kpi::UnmetProtected,
            Kpi::UnmetTotal,
            Kpi::TrucksLost,
            Kpi::FuelLost,
        ] {
            assert_eq!(Kpi::parse(&k.key()), Ok(k), "{}", k.key());
        }
    }

    #[test]
    fn wilson_interval_brackets_the_share() {
        let (lo, hi) = wilson(0.5, 100.0, 1.645);
        assert!(lo < 0.5 && hi > 0.5 && (hi - lo - 0.164).abs() < 0.01);
        let (lo, hi) = wilson(0.0, 50.0, 1.645);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.1);
    }
}
