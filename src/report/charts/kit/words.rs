//! Words and numbers shared by the charts: volume units, three significant digits, run
//! counts, dates of a day.

use crate::report::{Lang, thousands};
use crate::scenario::Date;
use crate::tr;

/// A unit for litres: divisor and name, chosen so that `max` reads as a few units.
pub(crate) fn volume_unit(max: f64) -> (f64, &'static str) {
    if max >= 100_000.0 || !max.is_finite() {
        (1e6, "million litres")
    } else if max >= 100.0 {
        (1e3, "thousand litres")
    } else {
        (1.0, "litres")
    }
}

/// A number with about three significant digits, thousands grouped: 1,234 · 12.3 · 0.123.
pub(crate) fn sig3(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    fixed(v, sig3_decimals(v))
}

/// The decimals [`sig3`] writes `v` with: 0 from 100 up (and for 0), 1 from 10, 2 from 1,
/// then as many as three significant digits need (at most 8).
pub(crate) fn sig3_decimals(v: f64) -> usize {
    let a = v.abs();
    if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        (2.0 - a.log10().floor()).clamp(2.0, 8.0) as usize
    }
}

/// `v` with `d` decimals, thousands grouped when `d` is 0; never "-0" or "-0.00".
pub(crate) fn fixed(v: f64, d: usize) -> String {
    let s = if d == 0 {
        thousands(v)
    } else {
        format!("{v:.d$}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// "1,000 runs" / "1 run" in `l`.
pub(crate) fn runs_in(l: Lang, n: u64) -> String {
    tr!(l, StudyRuns, n = l.thousands(n as f64), s = l.plural(n))
}

/// "3 Sep 2025 (day 2)", or "day 2" without a start date, in `l`.
pub(crate) fn when_in(l: Lang, start: Option<Date>, day: f64) -> String {
    let d = tr!(l, DayN, d = format!("{day:.0}"));
    match start {
        Some(s) => tr!(
            l,
            DateDay,
            date = l.date(s.plus_days(day.floor() as i64), true),
            day = d
        ),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_suit_the_values() {
        assert_eq!(volume_unit(4.2e6).1, "million litres");
        assert_eq!(volume_unit(5_000.0).1, "thousand litres");
        assert_eq!(volume_unit(0.0).1, "litres");
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(sig3(1234.4), "1,234");
        assert_eq!(sig3(12.34), "12.3");
        assert_eq!(sig3(1.234), "1.23");
        assert_eq!(sig3(0.01234), "0.0123");
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(-0.0001), "-0.000100");
    }
}
