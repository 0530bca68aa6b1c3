//! Plain-language hints for the parser's messages where they mislead: a thousands
//! separator (`4,000` reads to the parser as `4` then an identifier `000`), a percent sign
//! (`5%`), and a misspelt field name (the parser lists every field; we name the likely one).

use super::validate::closest;

/// The field names offered by a message "unexpected field named `x` in `Y`, expected one
/// of `a`, `b`, or `c` instead", with the unknown name first.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unexpected field named `")?;
    let (name, rest) = rest.split_once('`')?;
    let (_, list) = rest.split_once("expected one of ")?;
    let offered: Vec<&str> = list
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    Some((name, offered))
}

/// The field an `Uncertain(...)` at the caret belongs to, when the parser stopped on it
/// (the field takes a plain value): the last `name:` before it on the line.
fn not_uncertain(chars: &[char], at: usize) -> Option<String> {
    const WORD: &str = "Uncertain";
    let text: String = chars.iter().collect();
    // Character index of each occurrence, for a caret on it or on its parenthesis.
    let starts: Vec<usize> = text
        .match_indices(WORD)
        .map(|(b, _)| text[..b].chars().count())
        .collect();
    let start = *starts
        .iter()
        .find(|&&i| i <= at + 1 && at <= i + WORD.len())?;
    let before: String = chars[..start].iter().collect();
    let colon = before.rfind(':')?;
    let name: String = before[..colon]
        .chars()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `message` with a hint added when the line shows a likely cause. `line` is the source
/// line and `col` the 1-based column (in characters) the message points at.
pub(crate) fn improve(message: &str, line: Option<&str>, col: usize) -> String {
    if let Some((name, offered)) = unknown_field(message)
        && let Some(best) = closest(name, offered.iter().copied())
    {
        return format!("{message}; did you mean `{best}`?");
    }
    let Some(line) = line else {
        return message.to_string();
    };
    let chars: Vec<char> = line.chars().collect();
    let at = col.saturating_sub(1);
    if let Some(field) = not_uncertain(&chars, at) {
        return format!(
            "`{field}` cannot be uncertain: ranges are for the quantities and counts of \
             sources, depots, segments, fleet, dispatch, escorts, interdiction and event \
             effects; ids, dates, event days, priorities, map positions, run settings and \
             `transit_days` parameters take plain values"
        );
    }
    // `4,000`: the caret is on the digits after a comma that follows a digit.
    let after_digit_comma = at >= 2
        && chars.get(at).is_some_and(char::is_ascii_digit)
        && chars[at - 1] == ','
        && chars[at - 2].is_ascii_digit();
    if after_digit_comma {
        let start = chars[..at - 1]
            .iter()
            .rposition(|c| !c.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let end = chars[at..]
            .iter()
            .position(|c| !(c.is_ascii_digit() || *c == ','))
            .map_or(chars.len(), |p| at + p);
        let written: String = chars[start..end].iter().collect();
        let written = written.trim_end_matches(',');
        let plain: String = written.chars().filter(|c| *c != ',').collect();
        let grouped = written.replace(',', "_");
        return format!(
            "`{written}`: a number cannot contain commas; write `{plain}` or `{grouped}` \
             (underscores may group digits)"
        );
    }
    // `5%`: the caret is on the percent sign, or just after a number that ends in one.
    let percent = chars.get(at) == Some(&'%')
        || (at >= 1 && chars.get(at - 1) == Some(&'%'))
        || chars[at.min(chars.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .count()
            .checked_add(at)
            .is_some_and(|p| chars.get(p) == Some(&'%'));
    if percent {
        return format!(
            "{message}: `%` is not part of a number; write a share as a fraction \
             (`0.05` for 5 %)"
        );
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_get_a_plain_explanation() {
        let line = "capacity_trucks_per_day: 4,000, risk: 0.02";
        let col = line.find("000").unwrap() + 1;
        let m = improve("found invalid std identifier \"000\"", Some(line), col);
        assert_eq!(
            m,
            "`4,000`: a number cannot contain commas; write `4000` or `4_000` (underscores \
             may group digits)"
        );
        // A comma between two values is left alone.
        let line = "Uniform(1.0, 2.0)";
        assert_eq!(improve("x", Some(line), 13), "x");
    }

    #[test]
    fn percent_signs_are_explained() {
        let line = "risk: 5%, tags";
        let col = line.find('%').unwrap() + 1;
        let m = improve("expected comma", Some(line), col);
        assert!(
            m.starts_with("expected comma: `%` is not part of a number"),
            "{m}"
        );
    }

    #[test]
    fn a_misspelt_field_gets_did_you_mean() {
        let m = "unexpected field named `riskk` in `Segment`, expected one of `id`, `from`, \
                 `risk`, or `tags` instead";
        assert!(improve(m, None, 1).ends_with("; did you mean `risk`?"));
        let far = "unexpected field named `colour` in `Segment`, expected one of `id` instead";
        assert_eq!(improve(far, None, 1), far);
    }
}
