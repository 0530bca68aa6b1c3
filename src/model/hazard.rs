//! Interdiction draws (MODEL.md section 5): whether a convoy is attacked, how many trucks
//! it loses, and the normal draws behind log-normal transit times.
//!
//! Hazard `h = -ln(1 - risk) * M * escort_factor`; attack probability `p = 1 - exp(-h)`.
//! With `M = 1` and no escort this gives back `risk` exactly, and no multiplier can push
//! `p` above 1.

use rand::RngExt;

/// Attack probability for a convoy entering a segment with base risk `risk`, product of
/// active multipliers `multiplier`, and `escort_factor` (1 unescorted). The escort factor
/// multiplies the hazard like any other multiplier; the formula itself lives in
/// [`crate::network::attack_probability`], shared with the dispatch plan.
///
/// ```
/// use blockade::model::hazard::attack_probability;
/// assert!((attack_probability(0.2, 1.0, 1.0) - 0.2).abs() < 1e-15);
/// assert!((attack_probability(0.2, 2.0, 1.0) - 0.36).abs() < 1e-15); // 1 - 0.8^2
/// assert!((attack_probability(0.2, 2.0, 0.5) - 0.2).abs() < 1e-15);
/// assert_eq!(attack_probability(1.0, 0.0, 1.0), 0.0); // no multiplier: no attack
/// ```
pub fn attack_probability(risk: f64, multiplier: f64, escort_factor: f64) -> f64 {
    crate::network::attack_probability(risk, multiplier * escort_factor)
}

/// Number of `n` trucks lost when each is lost independently with probability `p`.
pub fn binomial<R: RngExt + ?Sized>(rng: &mut R, n: u32, p: f64) -> u32 {
    if p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    (0..n).filter(|_| rng.random::<f64>() < p).count() as u32
}

/// A standard normal draw (Box–Muller, one of the pair), for log-normal transit times.
pub fn standard_normal<R: RngExt + ?Sized>(rng: &mut R) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn multiplier_one_gives_back_risk() {
        for r in [0.0, 1e-9, 0.01, 0.3, 0.5, 0.99] {
            assert!((attack_probability(r, 1.0, 1.0) - r).abs() < 1e-12, "{r}");
        }
    }

    #[test]
    fn hazards_compose_multiplicatively_and_stay_below_one() {
        let r = 0.1;
        let twice = attack_probability(r, 2.0, 1.0);
        assert!((twice - (1.0 - 0.9f64.powi(2))).abs() < 1e-12);
        let escorted = attack_probability(r, 2.0, 0.5);
        assert!((escorted - r).abs() < 1e-12, "x2 then x0.5 is x1");
        assert!(attack_probability(0.9, 1e6, 1.0) <= 1.0);
        assert!(attack_probability(0.3, 4.0, 1.0) > attack_probability(0.3, 3.0, 1.0));
    }

    #[test]
    fn binomial_has_the_right_mean() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let total: u32 = (0..20_000).map(|_| binomial(&mut rng, 10, 0.3)).sum();
        let mean = f64::from(total) / 20_000.0;
        assert!((mean - 3.0).abs() < 0.05, "mean {mean}");
        assert_eq!(binomial(&mut rng, 7, 1.0), 7);
        assert_eq!(binomial(&mut rng, 7, 0.0), 0);
    }

    #[test]
    fn normal_draws_have_unit_variance() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let xs: Vec<f64> = (0..50_000).map(|_| standard_normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.03,
            "mean {mean} var {var}"
        );
    }
}
