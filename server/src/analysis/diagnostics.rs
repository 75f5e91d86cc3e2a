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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: PathBuf,
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A finding's identity across edits: its code, file and message, not its position (an edit
/// earlier in the file moves the findings after it).
pub type FindingKey = (&'static str, PathBuf, String);

pub fn finding_key(d: &Diagnostic) -> FindingKey {
    (d.code, d.file.clone(), d.message.clone())
}

/// Whether the findings `after` an edit are those `before` it less the `targets` it fixes:
/// every target gone, and no finding that was not there before.
pub fn only_fixed(before: &[Diagnostic], after: &[Diagnostic], targets: &[&Diagnostic]) -> bool {
    let mut allowed: std::collections::HashMap<FindingKey, usize> =
        std::collections::HashMap::new();
    for d in before {
        *allowed.entry(finding_key(d)).or_insert(0) += 1;
    }
    for t in targets {
        match allowed.get_mut(&finding_key(t)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => return false,
        }
    }
    let mut seen: std::collections::HashMap<FindingKey, usize> = std::collections::HashMap::new();
    for d in after {
        let n = seen.entry(finding_key(d)).or_insert(0);
        *n += 1;
        if *n > allowed.get(&finding_key(d)).copied().unwrap_or(0) {
            return false;
        }
    }
    true
}
