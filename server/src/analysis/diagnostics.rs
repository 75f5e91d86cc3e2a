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

/// A finding's identity across edits: its code, file and message, not its position (an edit
/// earlier in the file moves the findings after it).
pub type FindingKey = (&'static str, PathBuf, String);

pub fn finding_key(d: &Diagnostic) -> FindingKey {
    (d.code, d.file.clone(), d.message.clone())
}

/// Where `range` of a file's text before `edits` (sorted, non-overlapping) lies after them: moved
/// by the edits before it, or, when it is exactly an edit's range, that edit's new text.
/// `None` when an edit cuts into it.
pub fn map_range(range: TextRange, edits: &[crate::analysis::ide::TextEdit]) -> Option<TextRange> {
    let mut shift: i64 = 0;
    for e in edits {
        let grown = e.new_text.len() as i64 - e.range.len() as i64;
        if e.range == range {
            let start = (range.start as i64 + shift) as u32;
            return Some(TextRange::new(start, start + e.new_text.len() as u32));
        }
        if e.range.end <= range.start {
            // Before it (an insertion right at its start included): it moves.
            shift += grown;
        } else if e.range.start >= range.end {
            break;
        } else {
            return None;
        }
    }
    let start = range.start as i64 + shift;
    let end = range.end as i64 + shift;
    (start >= 0 && end >= start).then(|| TextRange::new(start as u32, end as u32))
}

/// Whether the findings `after` an edit are those `before` it less the `targets` it fixes:
/// every target gone (as many fewer findings with its key as there are targets with it), and
/// no finding that was not there before. A finding is the same as one before when it has its
/// key (code, file and message: positions move), or when it has its code at its place, moved
/// through the `edits` (its message may quote the text an edit replaced; and the rules keep
/// one finding per code and place, so one at a target's place was hidden behind the target).
pub fn only_fixed(
    before: &[Diagnostic],
    after: &[Diagnostic],
    targets: &[&Diagnostic],
    edits: &crate::analysis::ide::SourceChange,
) -> bool {
    use std::collections::{HashMap, HashSet};
    let mut count: HashMap<FindingKey, (usize, usize)> = HashMap::new();
    for d in before {
        count.entry(finding_key(d)).or_default().0 += 1;
    }
    let places: HashSet<(&str, &PathBuf, TextRange)> = before
        .iter()
        .filter_map(|d| {
            let moved = match edits.edits.get(&d.file) {
                Some(e) => map_range(d.range, e)?,
                None => d.range,
            };
            Some((d.code, &d.file, moved))
        })
        .collect();
    for d in after {
        match count.get_mut(&finding_key(d)) {
            Some(c) => c.1 += 1,
            None if places.contains(&(d.code, &d.file, d.range)) => {}
            None => return false,
        }
    }
    let mut wanted: HashMap<FindingKey, usize> = HashMap::new();
    for t in targets {
        *wanted.entry(finding_key(t)).or_default() += 1;
    }
    wanted.into_iter().all(|(k, n)| {
        count
            .get(&k)
            .is_some_and(|&(before, after)| before >= n && after <= before - n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ide::{SourceChange, TextEdit};

    fn finding(code: &'static str, at: u32, message: &str) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Warning,
            file: PathBuf::from("/w/wrangler.toml"),
            range: TextRange::new(at, at + 4),
            message: message.to_string(),
            related: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn ranges_move_through_edits() {
        let edit = |s, e, t: &str| TextEdit {
            range: TextRange::new(s, e),
            new_text: t.to_string(),
        };
        let edits = [edit(0, 2, "abcd"), edit(10, 14, "xy")];
        assert_eq!(
            map_range(TextRange::new(4, 6), &edits),
            Some(TextRange::new(6, 8))
        );
        assert_eq!(
            map_range(TextRange::new(10, 14), &edits),
            Some(TextRange::new(12, 14))
        );
        assert_eq!(map_range(TextRange::new(12, 16), &edits), None);
        assert_eq!(
            map_range(TextRange::new(20, 21), &edits),
            Some(TextRange::new(20, 21))
        );
    }

    #[test]
    fn only_fixed_wants_targets_gone_and_nothing_new() {
        let none = SourceChange::default();
        let a = finding("unknown-service", 0, "a");
        let b = finding("unknown-service", 10, "b");
        let before = vec![a.clone(), b.clone()];
        assert!(only_fixed(&before, std::slice::from_ref(&b), &[&a], &none));
        // The target still there.
        assert!(!only_fixed(&before, &before, &[&a], &none));
        // A new finding.
        let c = finding("duplicate-worker-name", 20, "c");
        assert!(!only_fixed(&before, &[b.clone(), c], &[&a], &none));
        // A finding at b's place with b's code is b, whatever its message now says.
        let renamed = finding("unknown-service", 10, "b, renamed");
        assert!(only_fixed(&before, &[renamed], &[&a], &none));
        // Moved by an edit before it, it is still b.
        let mut change = SourceChange::default();
        change.insert(
            a.file.clone(),
            TextEdit {
                range: TextRange::new(0, 4),
                new_text: "longer".into(),
            },
        );
        let moved = finding("unknown-service", 12, "b, moved");
        assert!(only_fixed(
            &before,
            std::slice::from_ref(&moved),
            &[&a],
            &change
        ));
        assert!(!only_fixed(&before, &[moved], &[&a], &none));
    }
}
