//! Outputs for Excel: CSV files with a UTF-8 byte-order mark, the French CSV style
//! (`--csv-locale fr`), and `results.xlsx`, read back with an independent reader
//! (calamine) and compared cell for cell with the CSV files.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common;

/// Runs `blockade run tutorial.ron` with `extra` flags into a fresh folder.
fn run_tutorial(tag: &str, extra: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("blockade-excel-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = common::networks_dir().join("tutorial.ron");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "run".as_ref(),
        file.as_os_str(),
        "-n".as_ref(),
        "24".as_ref(),
        "--quiet".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    let o = common::run(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

/// The rows of a CSV file written by blockade: BOM checked and removed, cells split on
/// `sep`.
fn csv_rows(path: &Path, sep: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.starts_with(blockade::report::UTF8_BOM),
        "{} has no UTF-8 byte-order mark",
        path.display()
    );
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(sep)
        .from_reader(&bytes[3..]);
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn every_csv_starts_with_a_bom_and_keeps_its_accents() {
    let dir = run_tutorial("bom", &[]);
    for f in ["daily.csv", "replications.csv", "segments.csv"] {
        let rows = csv_rows(&dir.join(f), b',');
        assert!(rows.len() > 1, "{f} is empty");
        assert!(
            rows[0][0]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        );
    }
    // The segment names carry the en dash between towns, intact.
    let seg = csv_rows(&dir.join("segments.csv"), b',');
    assert!(seg.iter().skip(1).any(|r| r[1].contains('–')), "{seg:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn french_csvs_hold_the_same_numbers_with_semicolons_and_decimal_commas() {
    let en = run_tutorial("en", &[]);
    let fr = run_tutorial("fr", &["--csv-locale", "fr"]);
    for f in ["daily.csv", "replications.csv", "segments.csv"] {
        let text = std::fs::read_to_string(fr.join(f)).unwrap();
        assert!(
            text.lines().next().unwrap().contains(';'),
            "{f}: {text:.200}"
        );
        let a = csv_rows(&en.join(f), b',');
        let b = csv_rows(&fr.join(f), b';');
        assert_eq!(a.len(), b.len(), "{f}");
        let mut decimals = 0;
        for (ra, rb) in a.iter().zip(&b) {
            assert_eq!(ra.len(), rb.len(), "{f}");
            for (ca, cb) in ra.iter().zip(rb) {
                if ca.parse::<f64>().is_ok() && ca.contains('.') {
                    decimals += 1;
                    assert_eq!(*cb, ca.replace('.', ","), "{f}");
                } else {
                    assert_eq!(ca, cb, "{f}");
                }
            }
        }
        assert!(decimals > 0, "{f} has no decimal number to check");
    }
    std::fs::remove_dir_all(&en).ok();
    std::fs::remove_dir_all(&fr).ok();
}

#[test]
fn an_unknown_csv_locale_is_refused() {
    let file = common::networks_dir().join("tutorial.ron");
    let o = common::run(&[
        "run".as_ref(),
        file.as_os_str(),
        "--csv-locale".as_ref(),
        "de".as_ref(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown CSV locale"));
}

/// Excel's serial number of a date (1900 system; valid after 1 March 1900).
fn excel_serial(y: i64, m: i64, d: i64) -> f64 {
    // Days from 1899-12-30 by the civil-from-days algorithm.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days_since_1970 = era * 146_097 + doe - 719_468;
    (days_since_1970 + 25_569) as f64
}

#[test]
fn the_workbook_reads_back_with_units_dates_and_the_csv_numbers() {
    assert_eq!(excel_serial(2025, 9, 1), 45_901.0);
    let dir = run_tutorial("xlsx", &[]);
    let mut wb: Xlsx<_> = open_workbook(dir.join("results.xlsx")).expect("a readable workbook");
    assert_eq!(
        wb.sheet_names(),
        ["headline", "daily", "replications", "segments", "routes"]
    );
    for sheet in ["daily", "replications", "segments", "routes"] {
        let range = wb.worksheet_range(sheet).expect(sheet);
        let csv = csv_rows(&dir.join(format!("{sheet}.csv")), b',');
        let rows: Vec<&[Data]> = range.rows().collect();
        assert_eq!(rows.len(), csv.len(), "{sheet}: row count");
        // Headers: the CSV column name, with its unit where it has one.
        for (h, c) in rows[0].iter().zip(&csv[0]) {
            let Data::String(h) = h else {
                panic!("{sheet}: header {h:?}")
            };
            assert!(h.starts_with(c.as_str()), "{sheet}: {h} for {c}");
            if c.ends_with("_litres") {
                assert!(h.ends_with("(L)"), "{sheet}: {h}");
            }
        }
        for (r, (row, want)) in rows.iter().zip(&csv).enumerate().skip(1) {
            for (col, (cell, w)) in row.iter().zip(want).enumerate() {
                let head = &csv[0][col];
                match cell {
                    Data::Float(v) => {
                        let w: f64 = w.parse().unwrap_or_else(|_| panic!("{sheet} {r}:{col}"));
                        assert!(
                            (v - w).abs() <= 1e-9 * w.abs().max(1.0),
                            "{sheet} {r}:{col}"
                        );
                    }
                    Data::DateTime(d) => {
                        assert!(head.contains("date"), "{sheet}: a date in {head}");
                        let y: i64 = w[0..4].parse().unwrap();
                        let m: i64 = w[5..7].parse().unwrap();
                        let dd: i64 = w[8..10].parse().unwrap();
                        assert_eq!(d.as_f64(), excel_serial(y, m, dd), "{sheet} {r}:{col}");
                    }
                    Data::String(s) => assert_eq!(s, w, "{sheet} {r}:{col}"),
                    Data::Empty => assert!(w.is_empty(), "{sheet} {r}:{col}"),
                    other => panic!("{sheet} {r}:{col}: unexpected {other:?}"),
                }
            }
        }
    }
    // The daily sheet's dates are dates, day 0 the scenario's start.
    let daily = wb.worksheet_range("daily").unwrap();
    let date_col = daily
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|h| matches!(h, Data::String(s) if s.starts_with("date")))
        .expect("a date column");
    match daily.get((1, date_col)) {
        Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), excel_serial(2025, 9, 1)),
        other => panic!("day 0's date is {other:?}"),
    }
    // The headline sheet holds summary.json's numbers.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let head = wb.worksheet_range("headline").unwrap();
    let find = |key: &str| {
        head.rows()
            .find(|r| matches!(&r[0], Data::String(s) if s == key))
            .map(|r| r.to_vec())
            .unwrap_or_else(|| panic!("headline has no {key}"))
    };
    let lost = find("headline.trucks_lost_mean");
    assert_eq!(
        lost[1],
        Data::Float(summary["headline"]["trucks_lost_mean"].as_f64().unwrap())
    );
    assert_eq!(lost[2], Data::String("trucks".into()));
    let reps = find("replications");
    assert_eq!(reps[1], Data::Float(24.0));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_workbook_is_the_same_bytes_for_the_same_run() {
    let a = run_tutorial("det-a", &[]);
    let b = run_tutorial("det-b", &["--threads", "1"]);
    assert!(
        std::fs::read(a.join("results.xlsx")).unwrap()
            == std::fs::read(b.join("results.xlsx")).unwrap(),
        "results.xlsx differs between two identical runs"
    );
    std::fs::remove_dir_all(&a).ok();
    std::fs::remove_dir_all(&b).ok();
}
