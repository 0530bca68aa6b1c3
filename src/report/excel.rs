//! CSV files that open cleanly in Excel: a UTF-8 byte-order mark (so Excel on Windows
//! reads "Kayes–Diéma" and not "Kayesâ€“DiÃ©ma") and, with [`CsvLocale::Fr`], `;` between
//! fields and decimal commas (what a French-locale Excel expects).
//!
//! Every table is built once, in English form (`,` and decimal points); [`localize_csv`]
//! turns it into the bytes written, so the two locales hold the same numbers.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use super::{ReportError, write_atomic};

/// The UTF-8 byte-order mark that tells Excel the file is UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// How CSV files are written: field separator and decimal mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CsvLocale {
    /// `,` between fields, `.` before decimals (English-locale Excel, Python, R).
    #[default]
    En,
    /// `;` between fields, `,` before decimals (French-locale Excel).
    Fr,
}

impl FromStr for CsvLocale {
    type Err = String;

    fn from_str(s: &str) -> Result<CsvLocale, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(CsvLocale::En),
            "fr" => Ok(CsvLocale::Fr),
            other => Err(format!(
                "unknown CSV locale `{other}`; expected `en` (comma, decimal point) or `fr` \
                 (semicolon, decimal comma)"
            )),
        }
    }
}

impl fmt::Display for CsvLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CsvLocale::En => "en",
            CsvLocale::Fr => "fr",
        })
    }
}

/// Whether `cell` is a plain decimal number as the tables print them (`-12`, `0.3450`).
fn is_decimal(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The bytes of CSV `text` (comma-separated, decimal points, as the tables build it) in
/// `locale`, starting with the UTF-8 byte-order mark. Line ends are CRLF.
pub fn localize_csv(text: &str, locale: CsvLocale) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    match locale {
        CsvLocale::En => out.extend_from_slice(text.as_bytes()),
        CsvLocale::Fr => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut writer = csv::WriterBuilder::new()
                .delimiter(b';')
                .flexible(true)
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new());
            for record in reader.records() {
                // The text is our own, well-formed CSV; a bad record cannot occur, and
                // skipping one would be visible in the tests that compare row counts.
                let Ok(record) = record else { continue };
                let cells: Vec<String> = record
                    .iter()
                    .map(|c| {
                        if is_decimal(c) {
                            c.replace('.', ",")
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
                let _ = writer.write_record(&cells);
            }
            out.extend(writer.into_inner().unwrap_or_default());
        }
    }
    out
}

/// Writes CSV `text` to `path` in `locale` (see [`localize_csv`]), atomically.
///
/// # Errors
/// [`ReportError::Io`] naming the file.
pub fn write_csv(path: &Path, text: &str, locale: CsvLocale) -> Result<(), ReportError> {
    write_atomic(path, &localize_csv(text, locale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_csv_gets_a_bom_and_nothing_else() {
        let b = localize_csv("a,b\r\n1.5,x\r\n", CsvLocale::En);
        assert_eq!(&b[..3], UTF8_BOM);
        assert_eq!(&b[3..], b"a,b\r\n1.5,x\r\n");
    }

    #[test]
    fn french_csv_uses_semicolons_and_decimal_commas() {
        let text = "day,date,stock_litres,name,tags\r\n\
                    3,2025-09-04,1234.5,\"Kayes–Diéma, RN1\",north 0.5x\r\n\
                    -4,,-0.25,x.y,12\r\n";
        let b = localize_csv(text, CsvLocale::Fr);
        let s = std::str::from_utf8(&b[3..]).unwrap();
        assert_eq!(
            s,
            "day;date;stock_litres;name;tags\r\n\
             3;2025-09-04;1234,5;Kayes–Diéma, RN1;north 0.5x\r\n\
             -4;;-0,25;x.y;12\r\n"
        );
    }

    #[test]
    fn decimals_are_recognised_strictly() {
        for yes in ["0", "12", "-3", "0.25", "-1.0"] {
            assert!(is_decimal(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "2025-09-01",
            "1e5",
            "a1",
            "1,5",
        ] {
            assert!(!is_decimal(no), "{no}");
        }
    }

    #[test]
    fn locales_parse_and_print() {
        assert_eq!("FR".parse::<CsvLocale>(), Ok(CsvLocale::Fr));
        assert_eq!("en".parse::<CsvLocale>(), Ok(CsvLocale::En));
        assert!("de".parse::<CsvLocale>().is_err());
        assert_eq!(CsvLocale::Fr.to_string(), "fr");
    }
}
