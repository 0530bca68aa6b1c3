//! The words of messages: numbers written to be read, and "did you mean" for names.

/// Formats a number for a message: plain when moderate, scientific when huge or tiny.
pub(crate) fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "infinity".into()
        } else {
            "-infinity".into()
        }
    } else if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Typos are sought in names of a usual length only: the distance costs the product of
    // the two lengths, and a hostile file may hold names of megabytes.
    const LONGEST: usize = 64;
    let len = word.chars().count();
    if len > LONGEST {
        return None;
    }
    let limit = (len / 3).max(2);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (strsim::levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

pub(super) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("KAYY", ["KAY", "DIE", "BKO"]), Some("KAY"));
        assert_eq!(
            closest("kayes_axsi", ["kayes_axis", "south"]),
            Some("kayes_axis")
        );
        assert_eq!(closest("ZZZZZZ", ["KAY", "DIE"]), None);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(fmt_num(1e308), "1e308");
        assert_eq!(fmt_num(-1.0), "-1");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(f64::NAN), "NaN");
    }
}
