//! Interdiction draws (docs/model.md section 5): whether a convoy is attacked, how many trucks
//! it loses, and the normal draws behind log-normal transit times.
//!
//! Hazard `h = -ln(1 - risk) * M * escort_factor`; attack probability `p = 1 - exp(-h)`.
//! With `M = 1` and no escort this gives back `risk` exactly, and no multiplier can push
//! `p` above 1.

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

/// Number of `n` trucks lost when each is lost independently with probability `p`, from
/// one uniform number `u` in `[0, 1)` by inverting the binomial distribution function.
/// One draw whatever `n`, so that the random streams stay aligned between scenarios that
/// differ in convoy sizes (common random numbers).
///
/// ```
/// use blockade::model::hazard::binomial_inverse;
/// assert_eq!(binomial_inverse(10, 0.0, 0.99), 0);
/// assert_eq!(binomial_inverse(10, 1.0, 0.01), 10);
/// assert_eq!(binomial_inverse(1, 0.3, 0.5), 0); // P(0) = 0.7 > 0.5
/// assert_eq!(binomial_inverse(1, 0.3, 0.8), 1);
/// ```
pub fn binomial_inverse(n: u32, p: f64, u: f64) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    // Log-probabilities by the recurrence P(k+1) = P(k) (n-k)/(k+1) p/q, scaled by their
    // maximum (at the mode) so nothing underflows even for large n. Two passes, no storage.
    let (lp, lq) = (p.ln(), (-p).ln_1p());
    let step = |l: f64, k: u32| l + (f64::from(n - k) / f64::from(k + 1)).ln() + lp - lq;
    let (mut l, mut max, mut total) = (f64::from(n) * lq, f64::NEG_INFINITY, 0.0);
    for k in 0..=n {
        if l > max {
            total *= (max - l).exp();
            max = l;
        }
        total += (l - max).exp();
        if k < n {
            l = step(l, k);
        }
    }
    let target = u * total;
    let (mut l, mut cdf) = (f64::from(n) * lq, 0.0);
    for k in 0..=n {
        cdf += (l - max).exp();
        if target < cdf {
            return k;
        }
        if k < n {
            l = step(l, k);
        }
    }
    n
}

/// A standard normal number from two uniforms (Box–Muller), `u1` in `(0, 1]`.
pub fn normal_from(u1: f64, u2: f64) -> f64 {
    (-2.0 * u1.max(f64::MIN_POSITIVE).ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

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
    fn inverse_binomial_has_the_right_distribution() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        for (n, p) in [(10u32, 0.3), (300, 0.9), (1000, 0.001), (5, 0.5)] {
            let draws: Vec<f64> = (0..40_000)
                .map(|_| f64::from(binomial_inverse(n, p, rng.random::<f64>())))
                .collect();
            let mean = draws.iter().sum::<f64>() / draws.len() as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
            let (m, v) = (f64::from(n) * p, f64::from(n) * p * (1.0 - p));
            assert!(
                (mean - m).abs() < 4.0 * (v / 40_000.0).sqrt() + 1e-9,
                "n {n} p {p}: mean {mean} vs {m}"
            );
            assert!(
                (var - v).abs() < 0.05 * v + 1e-3,
                "n {n} p {p}: var {var} vs {v}"
            );
        }
    }

    #[test]
    fn normal_draws_have_unit_variance() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let xs: Vec<f64> = (0..50_000)
            .map(|_| normal_from(1.0 - rng.random::<f64>(), rng.random::<f64>()))
            .collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.03,
            "mean {mean} var {var}"
        );
    }
}
