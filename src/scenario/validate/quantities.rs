//! Numbers and their ranges: plain values, counts and uncertain inputs (a distribution's
//! parameters and its whole support).

use crate::scenario::defaults as def;
use crate::scenario::schema::{DistSpec, Real, Whole};
use crate::scenario::uncertain::UncertainInput;

use super::words::fmt_num;
use super::{Checker, Loc};

/// An allowed range for a number.
#[derive(Clone, Copy)]
pub(super) struct Range {
    pub(super) lo: f64,
    /// If true, `lo` itself is not allowed.
    pub(super) lo_open: bool,
    pub(super) hi: f64,
    /// If true, `hi` is a safety limit, not a meaning: say "supported maximum".
    pub(super) hi_is_limit: bool,
}

pub(super) const fn at_least(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: false,
        hi,
        hi_is_limit: true,
    }
}
pub(super) const fn above(lo: f64, hi: f64) -> Range {
    Range {
        lo,
        lo_open: true,
        hi,
        hi_is_limit: true,
    }
}
pub(super) const PROB: Range = Range {
    lo: 0.0,
    lo_open: false,
    hi: 1.0,
    hi_is_limit: false,
};
pub(super) const LITRES: Range = at_least(0.0, def::MAX_LITRES);
/// A weight such as a source's `fleet_share`: any unit, never negative.
pub(super) const SHARE: Range = at_least(0.0, def::MAX_LITRES);
pub(super) const FACTOR: Range = at_least(0.0, def::MAX_FACTOR);
pub(super) const DAYS: Range = at_least(0.0, def::MAX_DAYS);
pub(super) const POS_DAYS: Range = above(0.0, def::MAX_DAYS);

/// What is wrong with `v` for range `r`, as a message that starts with `lead`
/// ("`risk` is 1.5"), or `None` if it is in range.
pub(super) fn range_problem(lead: &str, v: f64, r: Range) -> Option<String> {
    Some(if v.is_nan() {
        format!("{lead}; it must be a number")
    } else if v.is_infinite() {
        format!("{lead}; it must be finite")
    } else if v < r.lo || (r.lo_open && v == r.lo) {
        match (r.lo == 0.0, r.lo_open) {
            (true, false) => format!("{lead}; it must not be negative"),
            (true, true) => format!("{lead}; it must be greater than 0"),
            (false, false) => format!("{lead}; it must be at least {}", fmt_num(r.lo)),
            (false, true) => format!("{lead}; it must be greater than {}", fmt_num(r.lo)),
        }
    } else if v > r.hi {
        if r.hi_is_limit {
            format!("{lead}, above the supported maximum {}", fmt_num(r.hi))
        } else {
            format!("{lead}, outside [{}, {}]", fmt_num(r.lo), fmt_num(r.hi))
        }
    } else {
        return None;
    })
}

/// The smallest and largest value a quantity can take (a log-normal's at the quantiles its
/// draws are clamped to).
pub(super) fn support(v: &Real) -> (f64, f64) {
    match v {
        Real::Fixed(x) => (*x, *x),
        Real::Uncertain(spec) => {
            let d = spec.to_dist();
            (d.quantile(0.0), d.quantile(1.0))
        }
    }
}

/// Largest `sigma` of an uncertain `LogNormal` (a factor of e^3, about 20, per standard
/// deviation).
pub(super) const MAX_SIGMA: f64 = 3.0;
/// Most values in an uncertain `Choice`.
pub(super) const MAX_CHOICES: usize = 10_000;

impl Checker {
    /// Checks that `v` is in `r`; reports and returns false if not.
    pub(super) fn num(&mut self, subject: &str, field: &str, v: f64, r: Range, loc: Loc) -> bool {
        match range_problem(&format!("`{field}` is {}", fmt_num(v)), v, r) {
            Some(msg) => {
                self.error(subject, msg, loc);
                false
            }
            None => true,
        }
    }

    /// Checks a quantity that may be uncertain: a plain value against `r`; a distribution's
    /// parameters and its whole support against `r`, recording it as an uncertain input at
    /// `path` (the `--set` path). Returns the value the scenario holds (the median of an
    /// uncertain input) and whether it is valid.
    pub(super) fn real(
        &mut self,
        subject: &str,
        field: &str,
        v: &Real,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (f64, bool) {
        match v {
            Real::Fixed(x) => (*x, self.num(subject, field, *x, r, loc)),
            Real::Uncertain(spec) => self.uncertain(subject, field, spec, false, r, loc, path),
        }
    }

    /// Like [`Checker::real`] for a count. A plain count is returned for the caller's own
    /// checks (`ok` true); an uncertain one is checked against `r` here.
    pub(super) fn whole(
        &mut self,
        subject: &str,
        field: &str,
        v: &Whole,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (u32, bool) {
        match v {
            Whole::Fixed(n) => (*n, true),
            Whole::Uncertain(spec) => {
                let (m, ok) = self.uncertain(subject, field, spec, true, r, loc, path);
                (m as u32, ok)
            }
        }
    }

    /// Checks one distribution: finite parameters, `lo < hi`, the mode inside, a positive
    /// median and sigma, a non-empty choice (of whole numbers for a count), and every value
    /// it can take inside `r`. Records the input and returns its median and validity.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn uncertain(
        &mut self,
        subject: &str,
        field: &str,
        spec: &DistSpec,
        whole: bool,
        r: Range,
        loc: Loc,
        path: &dyn Fn() -> String,
    ) -> (f64, bool) {
        let mut problems = Vec::new();
        let params: Vec<f64> = match spec {
            DistSpec::Uniform(a, b) => vec![*a, *b],
            DistSpec::Triangular(a, m, b) => vec![*a, *m, *b],
            DistSpec::LogNormal(m, s) => vec![*m, *s],
            DistSpec::Choice(v) => v.clone(),
        };
        if params.iter().any(|x| !x.is_finite()) {
            problems.push("every value must be a finite number".to_string());
        } else {
            match *spec {
                DistSpec::Uniform(a, b) if a >= b => problems.push(format!(
                    "needs lo < hi, but {} >= {}",
                    fmt_num(a),
                    fmt_num(b)
                )),
                DistSpec::Triangular(a, m, b) => {
                    if a >= b {
                        problems.push(format!(
                            "needs lo < hi, but {} >= {}",
                            fmt_num(a),
                            fmt_num(b)
                        ));
                    } else if m < a || m > b {
                        problems.push(format!(
                            "the mode {} is outside [{}, {}]",
                            fmt_num(m),
                            fmt_num(a),
                            fmt_num(b)
                        ));
                    }
                }
                DistSpec::LogNormal(m, sd) => {
                    if m <= 0.0 {
                        problems.push(format!("the median {} must be greater than 0", fmt_num(m)));
                    }
                    if sd <= 0.0 || sd > MAX_SIGMA {
                        problems.push(format!(
                            "sigma {} must be greater than 0 and at most {}",
                            fmt_num(sd),
                            fmt_num(MAX_SIGMA)
                        ));
                    }
                }
                _ => {}
            }
            if let DistSpec::Choice(v) = spec {
                if v.is_empty() {
                    problems.push("the choice is empty; list at least one value".into());
                } else if v.len() > MAX_CHOICES {
                    problems.push(format!(
                        "{} values, above the supported maximum {MAX_CHOICES}",
                        v.len()
                    ));
                }
                if whole && let Some(x) = v.iter().find(|x| x.fract() != 0.0) {
                    problems.push(format!(
                        "{} is not a whole number; `{field}` is a count",
                        fmt_num(*x)
                    ));
                }
            }
        }
        let input = UncertainInput {
            path: path(),
            dist: spec.to_dist(),
            integer: whole,
        };
        if problems.is_empty() {
            // Every value a draw can take must be valid: the two ends of the support (a
            // log-normal's at the quantiles its draws are clamped to).
            let (lo, hi) = (input.value_at(0.0), input.value_at(1.0));
            let lead = |end: &str, v: f64| format!("`{field}` {spec} {end} {}", fmt_num(v));
            for (end, v) in [("can be as low as", lo), ("can be as high as", hi)] {
                if let Some(msg) = range_problem(&lead(end, v), v, r) {
                    problems.push(msg);
                    break;
                }
            }
            if problems.is_empty() {
                let m = input.median();
                self.uncertain.push(input);
                return (m, true);
            }
            for msg in problems {
                self.error(subject, msg, loc.clone());
            }
            return (f64::NAN, false);
        }
        for msg in problems {
            self.error(subject, format!("`{field}` {spec}: {msg}"), loc.clone());
        }
        (f64::NAN, false)
    }
}
