//! Diagnostics: one problem found in a scenario, with where it is, printed like a compiler.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The scenario cannot be used.
    Error,
    /// The scenario can be used, but something looks wrong.
    Warning,
}

/// One problem in a scenario: what, which item, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The item concerned, as the user names it: "segment `KAY-DIE`", "event #3".
    pub subject: Option<String>,
    /// What is wrong, lowercase, no final period.
    pub message: String,
    /// File the item comes from.
    pub file: Option<PathBuf>,
    /// 1-based line and column in `file`, when known.
    pub line_col: Option<(usize, usize)>,
    /// The text of that line, for the caret display.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about `subject` (may be empty).
    pub fn error(subject: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, subject.into(), message.into())
    }

    /// A warning about `subject` (may be empty).
    pub fn warning(subject: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, subject.into(), message.into())
    }

    fn new(severity: Severity, subject: String, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            subject: (!subject.is_empty()).then_some(subject),
            message,
            file: None,
            line_col: None,
            source_line: None,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form: `segment `KAY-DIE`: risk 1.5 is outside [0, 1]`.
    pub fn headline(&self) -> String {
        match &self.subject {
            Some(s) => format!("{s}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.headline())?;
        let Some(file) = &self.file else {
            return Ok(());
        };
        match self.line_col {
            Some((line, col)) => {
                write!(f, "\n  --> {}:{line}:{col}", file.display())?;
                if let Some(text) = &self.source_line {
                    let num = line.to_string();
                    let pad = " ".repeat(num.len());
                    let shown: String = text.chars().take(160).collect();
                    // The caret goes under column `col`, counting tabs as they are.
                    let lead: String = shown
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    write!(f, "\n{pad} |\n{num} | {shown}\n{pad} | {lead}^")?;
                }
                Ok(())
            }
            None => write!(f, "\n  --> {}", file.display()),
        }
    }
}
