//! Key performance indicators: one number per ensemble that a planner compares across
//! scenarios, sweep points and tornado bars, with its uncertainty.

use std::fmt;

use super::{Summary, percentile_sorted};
use crate::scenario::Scenario;

/// A KPI of an ensemble.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kpi {
    /// Median first stockout day; replications that never ran dry count as the horizon
    /// (so a value equal to the horizon means "not within the horizon").
    MedianFirstStockout,
    /// Probability of a stockout on or before day D (0-based day index D-1 included).
    PStockoutBy(u32),
    /// Mean total unmet demand (rationed + stockout) of the priority-1 classes, litres.
    UnmetEssential,
    /// Mean total unmet demand of all classes, litres.
    UnmetTotal,
    /// Mean tankers lost.
    TrucksLost,
    /// Mean fuel lost (destroyed + seized), litres.
    FuelLost,
}

/// Names accepted by [`Kpi::parse`], for messages.
pub const KPI_NAMES: &str = "median_first_stockout, p_stockout_by:DAY (e.g. p_stockout_by:90), unmet_essential, unmet_total, trucks_lost, fuel_lost";

impl Kpi {
    /// Parses a KPI name: `median_first_stockout`, `p_stockout_by:90`, `unmet_essential`,
    /// `unmet_total`, `trucks_lost`, `fuel_lost`.
    ///
    /// # Errors
    /// A message naming the valid KPIs.
    pub fn parse(s: &str) -> Result<Kpi, String> {
        let s = s.trim();
        if let Some(d) = s
            .strip_prefix("p_stockout_by:")
            .or_else(|| s.strip_prefix("p_stockout_by_"))
        {
            return match d.parse::<u32>() {
                Ok(d) if d >= 1 => Ok(Kpi::PStockoutBy(d)),
                _ => Err(format!(
                    "`{s}`: the day must be a whole number >= 1, e.g. p_stockout_by:90"
                )),
            };
        }
        match s {
            "median_first_stockout" => Ok(Kpi::MedianFirstStockout),
            "unmet_essential" => Ok(Kpi::UnmetEssential),
            "unmet_total" => Ok(Kpi::UnmetTotal),
            "trucks_lost" => Ok(Kpi::TrucksLost),
            "fuel_lost" => Ok(Kpi::FuelLost),
            _ => Err(format!("unknown KPI `{s}`; valid KPIs: {KPI_NAMES}")),
        }
    }

    /// The default set reported by sweeps and comparisons for scenario `s`.
    pub fn defaults(s: &Scenario) -> Vec<Kpi> {
        let d = 90.min(s.horizon_days).max(1);
        vec![
            Kpi::MedianFirstStockout,
            Kpi::PStockoutBy(d),
            Kpi::UnmetEssential,
            Kpi::TrucksLost,
        ]
    }

    /// Column-friendly name: `p_stockout_by_90`.
    pub fn key(&self) -> String {
        match self {
            Kpi::MedianFirstStockout => "median_first_stockout_day".into(),
            Kpi::PStockoutBy(d) => format!("p_stockout_by_day_{d}"),
            Kpi::UnmetEssential => "unmet_essential_litres".into(),
            Kpi::UnmetTotal => "unmet_total_litres".into(),
            Kpi::TrucksLost => "trucks_lost".into(),
            Kpi::FuelLost => "fuel_lost_litres".into(),
        }
    }

    /// Human label with unit, for charts.
    pub fn label(&self) -> String {
        match self {
            Kpi::MedianFirstStockout => "median first stockout (day)".into(),
            Kpi::PStockoutBy(d) => format!("P(stockout by day {d})"),
            Kpi::UnmetEssential => "unmet essential demand (litres)".into(),
            Kpi::UnmetTotal => "unmet demand, all classes (litres)".into(),
            Kpi::TrucksLost => "tankers lost".into(),
            Kpi::FuelLost => "fuel lost (litres)".into(),
        }
    }

    /// Per-replication values whose mean is the KPI (for paired comparisons), or `None`
    /// for the median, which is not a mean.
    pub fn per_replication(&self, s: &Scenario, sum: &Summary) -> Option<Vec<f64>> {
        let essential: Vec<usize> = (0..sum.layout.classes.len())
            .filter(|i| {
                let (d, c) = sum.layout.classes[*i];
                s.depot(sum.layout.depots[d])
                    .is_some_and(|dep| dep.demand[c].priority == 1)
            })
            .collect();
        let v = match self {
            Kpi::MedianFirstStockout => return None,
            Kpi::PStockoutBy(d) => sum
                .rows
                .iter()
                .map(|r| f64::from(u8::from(r.first_stockout.is_some_and(|f| f < *d))))
                .collect(),
            Kpi::UnmetEssential => sum
                .rows
                .iter()
                .map(|r| essential.iter().map(|i| r.unmet[*i]).sum())
                .collect(),
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
                // Median of first stockout days, censored at the horizon.
                let h = f64::from(s.horizon_days);
                let mut v: Vec<f64> = sum
                    .rows
                    .iter()
                    .map(|r| r.first_stockout.map_or(h, f64::from))
                    .collect();
                v.sort_by(f64::total_cmp);
                let value = percentile_sorted(&v, 0.5);
                // Distribution-free 90 % confidence interval of the median from order
                // statistics (ranks n/2 -+ 1.645 sqrt(n)/2); its half-width / 1.645 as SE.
                let half = 1.645 * n.sqrt() / 2.0 / n;
                let lo_ci = percentile_sorted(&v, (0.5 - half).max(0.0));
                let hi_ci = percentile_sorted(&v, (0.5 + half).min(1.0));
                Estimate {
                    value,
                    lo: percentile_sorted(&v, 0.05),
                    hi: percentile_sorted(&v, 0.95),
                    se: (hi_ci - lo_ci) / (2.0 * 1.645),
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
                let (lo, hi) = if matches!(self, Kpi::PStockoutBy(_)) {
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
                }
            }
        }
    }

    /// Whether the 90 % interval of this KPI describes the spread across replications (true)
    /// or the confidence in a probability (false).
    pub fn interval_is_spread(&self) -> bool {
        !matches!(self, Kpi::PStockoutBy(_))
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
        assert_eq!(Kpi::parse("p_stockout_by:90"), Ok(Kpi::PStockoutBy(90)));
        assert_eq!(Kpi::parse("trucks_lost"), Ok(Kpi::TrucksLost));
        assert!(Kpi::parse("p_stockout_by:0").is_err());
        assert!(Kpi::parse("truck_lost").unwrap_err().contains("valid KPIs"));
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
