//! `results.xlsx`: the run's tables as one Excel workbook, for planners who live in Excel.
//!
//! Sheets: `headline` (the headline numbers of `summary.json`, one per row, with units),
//! then `daily`, `replications` and `segments`, cell for cell the CSV files of the same
//! names. The workbook is built from those CSV texts, so it can never disagree with them:
//! numbers become numbers, ISO dates become Excel dates (shown `yyyy-mm-dd`), everything
//! else stays text, and every header carries its unit ("stock_p50_litres (L)").
//!
//! The file is the same bytes for the same run: the creation date in its properties is
//! fixed (to the scenario's start date, or 2000-01-01), not the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

/// The unit of a column of the CSV tables or a key of `summary.json`, from its name;
/// `None` when it is a label or a plain count without a natural unit.
pub fn unit_of(column: &str) -> Option<&'static str> {
    let c = column;
    if c.ends_with("_per_day") {
        Some(if c.contains("litres") {
            "L/day"
        } else if c.contains("trucks") {
            "trucks/day"
        } else {
            "per day"
        })
    } else if c.ends_with("_litres") || c == "litres" {
        Some("L")
    } else if c.starts_with("p_") || c == "risk" || c.starts_with("share_") {
        Some("probability, 0–1")
    } else if c == "date" || c.ends_with("_date") || c.ends_with("_date_median") {
        Some("date")
    } else if c == "day" || c.ends_with("_day") || c.starts_with("first_") && c.contains("_day") {
        Some("day number")
    } else if c.contains("days_of_supply") || c.ends_with("_days") {
        Some("days")
    } else if c == "km" {
        Some("km")
    } else if c.starts_with("trucks_") || c.ends_with("_trucks") || c.contains("_trucks_") {
        Some("trucks")
    } else if c.contains("convoys") || c.starts_with("attacks") {
        Some("convoys")
    } else {
        None
    }
}

/// `column (unit)`, or the column alone when it has no unit.
fn header(column: &str) -> String {
    match unit_of(column) {
        Some(u) => format!("{column} ({u})"),
        None => column.to_string(),
    }
}

/// `YYYY-MM-DD` as an Excel date, if `cell` is one.
fn iso_date(cell: &str) -> Option<ExcelDateTime> {
    let b = cell.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let y: u16 = cell[0..4].parse().ok()?;
    let m: u8 = cell[5..7].parse().ok()?;
    let d: u8 = cell[8..10].parse().ok()?;
    ExcelDateTime::from_ymd(y, m, d).ok()
}

/// A number as the tables print it (`-12`, `0.345`), parsed.
fn number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if plain { cell.parse().ok() } else { None }
}

/// The cell formats of the workbook.
struct Formats {
    head: Format,
    date: Format,
}

/// Writes one cell: a number, a date, or text; nothing for an empty cell.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    if cell.is_empty() {
        return Ok(());
    }
    if let Some(v) = number(cell) {
        ws.write_number(row, col, v)?;
    } else if let Some(d) = iso_date(cell) {
        ws.write_datetime_with_format(row, col, &d, &f.date)?;
    } else {
        ws.write_string(row, col, cell)?;
    }
    Ok(())
}

/// Adds sheet `name` holding CSV `text` (comma-separated, first row the header).
fn add_table(wb: &mut Workbook, name: &str, text: &str, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut widths: Vec<usize> = Vec::new();
    for (r, record) in reader.records().enumerate() {
        let Ok(record) = record else { continue };
        for (c, cell) in record.iter().enumerate() {
            let col = c as u16;
            if r == 0 {
                let h = header(cell);
                widths.push(h.chars().count());
                ws.write_string_with_format(0, col, &h, &f.head)?;
            } else {
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(cell.chars().count());
                }
                write_cell(ws, r as u32, col, cell, f)?;
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(8, 40) as f64 + 1.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Flattens `summary.json` into `(measure, value)` rows: nested keys joined by `.`, pairs
/// such as `[30, 0.25]` under `key[30]`.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                match x {
                    Value::Array(pair) if pair.len() == 2 && !pair[0].is_array() => {
                        let label = match &pair[0] {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        flatten(&format!("{prefix}[{label}]"), &pair[1], out);
                    }
                    _ => flatten(&format!("{prefix}[{i}]"), x, out),
                }
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// The unit of a flattened key: that of its last name, before any `[..]`.
fn key_unit(key: &str) -> Option<&'static str> {
    let last = key.rsplit('.').next().unwrap_or(key);
    let base = last.split('[').next().unwrap_or(last);
    unit_of(base).or_else(|| key.starts_with("ledger_mean_litres").then_some("L"))
}

/// Adds the `headline` sheet: every value of `summary.json` with its unit.
fn add_headline(wb: &mut Workbook, summary: &Value, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("headline")?;
    for (c, h) in ["measure", "value", "unit"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.head)?;
    }
    let mut rows = Vec::new();
    flatten("", summary, &mut rows);
    // The headline numbers first, then what was run, then the ledger.
    rows.sort_by_key(|(k, _)| {
        if k.starts_with("headline.") {
            0
        } else if k.starts_with("ledger") {
            2
        } else {
            1
        }
    });
    let mut width = 10;
    for (i, (key, value)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        width = width.max(key.chars().count());
        ws.write_string(r, 0, key)?;
        match value {
            Value::Number(n) => {
                if let Some(v) = n.as_f64() {
                    ws.write_number(r, 1, v)?;
                }
            }
            Value::String(s) => write_cell(ws, r, 1, s, f)?,
            Value::Bool(b) => {
                ws.write_boolean(r, 1, *b)?;
            }
            Value::Null => {
                ws.write_string(r, 1, "none")?;
            }
            _ => {}
        }
        if let Some(u) = key_unit(key) {
            ws.write_string(r, 2, u)?;
        }
    }
    ws.set_column_width(0, width.min(60) as f64 + 1.0)?;
    ws.set_column_width(1, 22)?;
    ws.set_column_width(2, 18)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The bytes of `results.xlsx`: a `headline` sheet from `summary_json`, then one sheet per
/// `(name, csv text)` table, in order. `created` (`YYYY-MM-DD`) is written as the
/// workbook's creation date, so the same inputs give the same bytes.
///
/// # Errors
/// The spreadsheet library's message, for a table it cannot hold (over a million rows).
pub fn workbook(
    summary_json: &str,
    tables: &[(&str, &str)],
    created: Option<&str>,
) -> Result<Vec<u8>, String> {
    build(summary_json, tables, created).map_err(|e| e.to_string())
}

fn build(
    summary_json: &str,
    tables: &[(&str, &str)],
    created: Option<&str>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let when = created
        .and_then(iso_date)
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let mut props = DocProperties::new()
        .set_title("blockade results")
        .set_author("blockade");
    if let Some(when) = when {
        props = props.set_creation_datetime(&when);
    }
    wb.set_properties(&props);
    let f = Formats {
        head: Format::new().set_bold().set_text_wrap(),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    };
    let summary: Value = serde_json::from_str(summary_json).unwrap_or(Value::Null);
    add_headline(&mut wb, &summary, &f)?;
    for (name, text) in tables {
        add_table(&mut wb, name, text, &f)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_come_from_column_names() {
        assert_eq!(unit_of("stock_p50_litres"), Some("L"));
        assert_eq!(unit_of("date"), Some("date"));
        assert_eq!(unit_of("day"), Some("day number"));
        assert_eq!(unit_of("p_stockout_by_day"), Some("probability, 0–1"));
        assert_eq!(unit_of("days_of_supply_p5"), Some("days"));
        assert_eq!(unit_of("capacity_trucks_per_day"), Some("trucks/day"));
        assert_eq!(unit_of("supply_litres_per_day"), Some("L/day"));
        assert_eq!(unit_of("trucks_lost_mean"), Some("trucks"));
        assert_eq!(unit_of("segment"), None);
        assert_eq!(header("km"), "km (km)");
    }

    #[test]
    fn only_well_formed_cells_become_numbers_or_dates() {
        assert_eq!(number("-0.25"), Some(-0.25));
        assert_eq!(number("12"), Some(12.0));
        assert_eq!(number("1e5"), None);
        assert_eq!(number("2025-09-01"), None);
        assert!(iso_date("2025-09-01").is_some());
        assert!(iso_date("2025-13-01").is_none());
        assert!(iso_date("12345").is_none());
    }

    #[test]
    fn summary_flattens_to_measures() {
        let v: Value = serde_json::from_str(
            r#"{"a": 1, "h": {"p_by": [[30, 0.5]], "unmet": [["essential", 3.0]], "none": null}}"#,
        )
        .unwrap();
        let mut rows = Vec::new();
        flatten("", &v, &mut rows);
        let keys: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        // serde_json keeps keys sorted.
        assert_eq!(keys, ["a", "h.none", "h.p_by[30]", "h.unmet[essential]"]);
    }
}
