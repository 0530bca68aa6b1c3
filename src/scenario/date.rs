//! Civil dates (proleptic Gregorian), enough to label days: parse `YYYY-MM-DD`, add days,
//! print. No time zones, no clock: `start_date` only labels charts and CSV rows.

use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// Parses an ISO date `YYYY-MM-DD`; `None` if it is not a real date.
    ///
    /// ```
    /// use blockade::scenario::Date;
    /// let d = Date::parse("2025-09-03").unwrap();
    /// assert_eq!(d.plus_days(29).to_string(), "2025-10-02");
    /// assert!(Date::parse("2025-02-29").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            s.get(r)?.bytes().try_fold(0i64, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
            })
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return None;
        }
        Some(Date(days_from_civil(y, m, d)))
    }

    /// The date `n` days later (earlier if `n` is negative).
    pub fn plus_days(self, n: i64) -> Date {
        Date(self.0 + n)
    }

    /// Days from `self` to `other` (positive if `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.0 - self.0
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms, public domain.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_several_years() {
        let start = Date::parse("1999-12-25").unwrap();
        for n in 0..3000 {
            let d = start.plus_days(n);
            assert_eq!(Date::parse(&d.to_string()), Some(d));
            assert_eq!(start.days_until(d), n);
        }
    }

    #[test]
    fn known_dates() {
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
        assert_eq!(
            Date::parse("2024-02-29").unwrap().plus_days(1).to_string(),
            "2024-03-01"
        );
        assert_eq!(
            Date::parse("2025-09-03").unwrap().plus_days(-2).to_string(),
            "2025-09-01"
        );
    }

    #[test]
    fn rejects_bad_text() {
        for s in [
            "2025-13-01",
            "2025-00-10",
            "2025-9-3",
            "20250903",
            "2025-09-31",
            "abcd-ef-gh",
            "2100-02-29",
            "2025-09-0x",
        ] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
    }
}
