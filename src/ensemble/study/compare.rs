//! Scenario comparison, KPI by KPI, with paired differences.

use super::*;

/// A KPI compared between scenarios.
#[derive(Debug, Clone)]
pub struct KpiComparison {
    /// The KPI.
    pub kpi: Kpi,
    /// Its estimate in each scenario.
    pub estimates: Vec<Estimate>,
    /// For scenarios after the first: the difference from the first and its standard
    /// error (paired by replication where the KPI is a mean); both NaN where either value is
    /// censored ("none within the horizon" is not a day to subtract).
    pub differences: Vec<(f64, f64)>,
}

impl KpiComparison {
    /// Whether the difference of scenario `i` (>= 1) from the first is clear of Monte Carlo
    /// noise: more than two standard errors.
    pub fn is_clear(&self, i: usize) -> bool {
        self.differences
            .get(i - 1)
            .is_some_and(|(d, se)| d.abs() > 2.0 * se && *d != 0.0)
    }
}

/// Compares the KPIs of scenarios run with the same seed and replications.
pub fn compare(scenarios: &[Scenario], sums: &[Summary], kpis: &[Kpi]) -> Vec<KpiComparison> {
    kpis.iter()
        .map(|k| {
            let (estimates, per): (Vec<Estimate>, Vec<Option<Vec<f64>>>) = scenarios
                .iter()
                .zip(sums)
                .map(|(s, m)| k.evaluate(s, m))
                .unzip();
            let differences = (1..scenarios.len())
                .map(|i| {
                    // "None within the horizon" is not a day: no difference can be taken.
                    if estimates[i].is_censored() || estimates[0].is_censored() {
                        return (f64::NAN, f64::NAN);
                    }
                    let d = estimates[i].value - estimates[0].value;
                    let se = match (&per[0], &per[i]) {
                        (Some(a), Some(b)) if a.len() == b.len() && a.len() > 1 => paired_se(a, b),
                        _ => (estimates[0].se.powi(2) + estimates[i].se.powi(2)).sqrt(),
                    };
                    (d, se)
                })
                .collect();
            KpiComparison {
                kpi: *k,
                estimates,
                differences,
            }
        })
        .collect()
}
