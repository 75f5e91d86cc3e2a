//! Findings as the analysis produces them: byte ranges in files, no protocol types.

use crate::base::TextRange;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "hint" => Severity::Hint,
            "info" => Severity::Info,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// A secondary location that explains a finding (e.g. the class that was probably meant).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Related {
    pub file: PathBuf,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The rule's stable kebab-case code.
    pub code: &'static str,
    pub severity: Severity,
    /// Absolute path of the file the finding is in.
    pub file: PathBuf,
    pub range: TextRange,
    pub message: String,
    pub related: Vec<Related>,
    /// "Did you mean" candidates: names that would be valid at `range`.
    pub suggestions: Vec<String>,
}
