//! Uncertain inputs (docs/model.md §7c): a numeric scenario value written as a range,
//! `Uncertain(Uniform(a, b))`, `Uncertain(Triangular(a, mode, b))`,
//! `Uncertain(LogNormal(median, sigma))` or `Uncertain(Choice([v1, v2, ...]))`.
//!
//! An uncertain input is drawn once per replication from a stream of its own, keyed by the
//! input's path (not by its position in the file), so that two scenarios or two study points
//! that share an uncertain input draw the same value for it in replication r: common random
//! numbers pair the inputs as they pair the dynamics.
//!
//! Every distribution is used through its quantile function: a draw is `quantile(u)` with `u`
//! uniform on (0, 1), a Latin hypercube stratifies `u`, and "the input at its median" is
//! `quantile(0.5)`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The distribution of an uncertain input.
#[derive(Debug, Clone, PartialEq)]
pub enum Dist {
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Triangular on `[lo, hi]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Log-normal: `median · exp(sigma · Z)` with `Z` standard normal.
    LogNormal {
        /// The median (> 0).
        median: f64,
        /// The standard deviation of the logarithm (> 0).
        sigma: f64,
    },
    /// One of a list of values, each equally likely. Kept sorted, so that the quantile
    /// function is monotone.
    Choice(Vec<f64>),
}

impl Dist {
    /// A choice among `values`, equally likely (sorted here; duplicates keep their weight).
    pub fn choice(mut values: Vec<f64>) -> Dist {
        values.sort_by(f64::total_cmp);
        Dist::Choice(values)
    }

    /// The value at probability `u` in (0, 1) (clamped into [0, 1]).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
        match self {
            Dist::Uniform { lo, hi } => lo + u * (hi - lo),
            Dist::Triangular { lo, mode, hi } => {
                let w = hi - lo;
                if w <= 0.0 {
                    return *lo;
                }
                let fc = (mode - lo) / w;
                if u < fc {
                    lo + (u * w * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * w * (hi - mode)).sqrt()
                }
            }
            Dist::LogNormal { median, sigma } => {
                let u = u.clamp(1e-12, 1.0 - 1e-12);
                median * (sigma * normal_quantile(u)).exp()
            }
            Dist::Choice(v) => {
                if v.is_empty() {
                    return f64::NAN;
                }
                let i = ((u * v.len() as f64) as usize).min(v.len() - 1);
                v[i]
            }
        }
    }

    /// The median, `quantile(0.5)`: the value the input takes in "inputs at their medians".
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The range a chart of the prior shows: the whole support where it is bounded, the
    /// 0.5 % and 99.5 % quantiles of a log-normal.
    pub fn plot_range(&self) -> (f64, f64) {
        match self {
            Dist::Uniform { lo, hi } | Dist::Triangular { lo, hi, .. } => (*lo, *hi),
            Dist::LogNormal { .. } => (self.quantile(0.005), self.quantile(0.995)),
            Dist::Choice(v) => (
                v.first().copied().unwrap_or(f64::NAN),
                v.last().copied().unwrap_or(f64::NAN),
            ),
        }
    }

    /// The smallest and largest value a draw can take (a log-normal is unbounded above).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            _ => self.plot_range(),
        }
    }
}

/// One uncertain input of a scenario: where it is and how it is distributed.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainInput {
    /// The input's path, as `--set` writes it: `segments[KAY-DIE].risk`, `fleet.trucks`.
    pub path: String,
    /// Its distribution.
    pub dist: Dist,
    /// Whether the field holds a whole number (escort units, trucks): draws are rounded.
    pub integer: bool,
}

impl UncertainInput {
    /// The value at probability `u`, rounded to a whole number for an integer field.
    pub fn value_at(&self, u: f64) -> f64 {
        let v = self.dist.quantile(u);
        if self.integer { v.round() } else { v }
    }

    /// The value in "inputs at their medians".
    pub fn median(&self) -> f64 {
        self.value_at(0.5)
    }

    /// The uniform number behind this input's draw in `replication` (see [`input_u`]).
    pub fn u(&self, seed: u64, replication: u64) -> f64 {
        input_u(seed, &self.path, replication)
    }

    /// This input's value in `replication`.
    pub fn draw(&self, seed: u64, replication: u64) -> f64 {
        self.value_at(self.u(seed, replication))
    }
}

/// The uniform number in (0, 1) behind the draw of the input at `path` in `replication`:
/// a ChaCha8 stream of its own, keyed by the seed and a hash of the path (FNV-1a), with the
/// replication as the stream number. Independent of every segment's stream and of the other
/// inputs, the same in any batch and on any thread.
pub fn input_u(seed: u64, path: &str, replication: u64) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ h ^ 0x5851_F42D_4C95_7F2D);
    rng.set_stream(replication);
    // (0, 1): never exactly 0, so a log-normal quantile stays finite.
    let x: f64 = rng.random();
    x.max(f64::MIN_POSITIVE)
}

/// The standard normal quantile, Φ⁻¹(u): Acklam's rational approximation, relative error
/// below 1.2e-9 (far below any Monte Carlo error it feeds), exactly 0 at u = 0.5.
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    if u <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if u >= 1.0 {
        return f64::INFINITY;
    }
    let p_low = 0.02425;
    if u < p_low {
        let q = (-2.0 * u.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if u <= 1.0 - p_low {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - u).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_hit_their_bounds_and_medians() {
        let u = Dist::Uniform { lo: 2.0, hi: 6.0 };
        assert_eq!(u.quantile(0.0), 2.0);
        assert_eq!(u.quantile(1.0), 6.0);
        assert_eq!(u.median(), 4.0);
        let t = Dist::Triangular {
            lo: 4.0,
            mode: 8.0,
            hi: 16.0,
        };
        assert_eq!(t.quantile(0.0), 4.0);
        assert_eq!(t.quantile(1.0), 16.0);
        // F(mode) = (8 - 4) / 12 = 1/3.
        assert!((t.quantile(1.0 / 3.0) - 8.0).abs() < 1e-12);
        let l = Dist::LogNormal {
            median: 0.05,
            sigma: 0.4,
        };
        assert!((l.median() - 0.05).abs() < 1e-15);
        // Φ⁻¹(0.975) = 1.959964.
        assert!((l.quantile(0.975) / 0.05 - (0.4f64 * 1.959_963_984_540_054).exp()).abs() < 1e-8);
        let c = Dist::choice(vec![16.0, 8.0, 12.0]);
        assert_eq!(c.quantile(0.0), 8.0);
        assert_eq!(c.quantile(0.5), 12.0);
        assert_eq!(c.quantile(0.999), 16.0);
    }

    #[test]
    fn the_normal_quantile_is_accurate() {
        for (u, z) in [
            (0.5, 0.0),
            (0.841_344_746_068_542_9, 1.0),
            (0.022_750_131_948_179_2, -2.0),
            (0.001_349_898_031_630_1, -3.0),
            (0.999_968_328_758_166_9, 4.0),
        ] {
            assert!((normal_quantile(u) - z).abs() < 1e-8, "u={u}");
        }
    }

    #[test]
    fn draws_are_uniform_keyed_by_path_and_replication() {
        let a: Vec<f64> = (0..4000).map(|r| input_u(7, "fleet.trucks", r)).collect();
        let b: Vec<f64> = (0..4000).map(|r| input_u(7, "escorts.units", r)).collect();
        assert_ne!(a, b);
        assert_eq!(input_u(7, "fleet.trucks", 12), a[12]);
        let mean = a.iter().sum::<f64>() / a.len() as f64;
        // Mean of 4,000 uniforms: SE = 0.0046, so 4 SE is 0.018.
        assert!((mean - 0.5).abs() < 0.018, "{mean}");
        assert!(a.iter().all(|&x| x > 0.0 && x < 1.0));
        let whole = UncertainInput {
            path: "escorts.units".into(),
            dist: Dist::Triangular {
                lo: 4.0,
                mode: 8.0,
                hi: 16.0,
            },
            integer: true,
        };
        let v = whole.draw(7, 3);
        assert_eq!(v, v.round());
    }
}
