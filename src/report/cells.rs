//! CSV text in memory: Excel-friendly line ends, text cells that cannot be read as formulas,
//! numbers at a fixed precision.

/// A CSV writer into memory with Excel-friendly CRLF line ends, whose text cells cannot be
/// read as formulas (see [`csv_cell`]).
pub(crate) struct CsvOut(csv::Writer<Vec<u8>>);

impl CsvOut {
    /// Writes one record, each cell through [`csv_cell`].
    pub(crate) fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        for c in record {
            self.0.write_field(csv_cell(c.as_ref()))?;
        }
        // An empty record ends the one whose fields were just written.
        self.0.write_record(None::<&[u8]>)
    }
}

/// A cell as written: a text cell that a spreadsheet would take for a formula (it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, the usual
/// defence against formula injection through names. Numbers (`-12.5`) are left alone.
pub(crate) fn csv_cell(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let risky = matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let number = || {
        std::str::from_utf8(cell)
            .ok()
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(f64::is_finite)
    };
    if risky && !number() {
        let mut v = Vec::with_capacity(cell.len() + 1);
        v.push(b'\'');
        v.extend_from_slice(cell);
        std::borrow::Cow::Owned(v)
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A [`CsvOut`] into memory.
pub(crate) fn csv_writer() -> CsvOut {
    CsvOut(
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new()),
    )
}

/// The text written by a [`csv_writer`] (writing to memory cannot fail).
pub(crate) fn csv_text(w: CsvOut) -> String {
    String::from_utf8(w.0.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Formats `v` with `digits` decimals; non-finite values as empty cells.
pub(crate) fn num(v: f64, digits: usize) -> String {
    if v.is_finite() {
        let s = format!("{v:.digits$}");
        // "-0.0" reads as a sign error in a spreadsheet.
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        }
    } else {
        String::new()
    }
}
