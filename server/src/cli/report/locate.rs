//! What every reporter needs once per finding: the path relative to the checked root and the
//! 1-based line/column region of a byte range.
//!
//! Columns in all CLI output are 1-based and counted in UTF-16 code units (through
//! [`LineIndex`] with [`PositionEncoding::Utf16`]), so they agree with what an editor's LSP
//! client shows, with GitHub's annotations and with SARIF viewers, which all count UTF-16 units
//! by default. A CRLF terminator is not part of its line. End positions are exclusive: the
//! column of the first character after the span (SARIF's convention, and LSP's).

use super::ReportInput;
use crate::analysis::diagnostics::{Diagnostic, Related};
use crate::base::{LineIndex, PositionEncoding, TextRange};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// A 1-based line and a 1-based UTF-16 column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Point {
    pub line: u32,
    pub column: u32,
}

/// A 1-based region; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Region {
    pub start: Point,
    pub end: Point,
}

/// A file's text with its line index, built once per file however many findings it has.
pub(super) struct SourceFile {
    pub text: Arc<str>,
    pub index: LineIndex,
}

impl SourceFile {
    fn point(&self, offset: u32) -> Point {
        let lc = self
            .index
            .line_col(&self.text, offset, PositionEncoding::Utf16);
        Point {
            line: lc.line + 1,
            column: lc.col + 1,
        }
    }

    pub fn region(&self, range: TextRange) -> Region {
        Region {
            start: self.point(range.start),
            end: self.point(range.end.max(range.start)),
        }
    }
}

/// Loads and caches the texts of reported files through `ReportInput::text_of`.
pub(super) struct Sources<'i> {
    input: &'i ReportInput<'i>,
    cache: HashMap<PathBuf, Option<Rc<SourceFile>>>,
}

impl<'i> Sources<'i> {
    pub fn new(input: &'i ReportInput<'i>) -> Self {
        Sources {
            input,
            cache: HashMap::new(),
        }
    }

    /// The file's text and line index, or `None` when its text is unavailable.
    pub fn file(&mut self, path: &Path) -> Option<Rc<SourceFile>> {
        let text_of = self.input.text_of;
        self.cache
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                text_of(path).map(|text| {
                    let index = LineIndex::new(&text);
                    Rc::new(SourceFile { text, index })
                })
            })
            .clone()
    }

    /// The region of `range` in `path`, or `None` when the file's text is unavailable.
    pub fn region(&mut self, path: &Path, range: TextRange) -> Option<Region> {
        self.file(path).map(|f| f.region(range))
    }

    pub fn relative_path(&self, path: &Path) -> String {
        relative_path(self.input.root, path)
    }

    /// Everything the machine-readable formats need about one finding.
    pub fn locate<'d>(&mut self, diagnostic: &'d Diagnostic) -> Located<'d> {
        let related = diagnostic
            .related
            .iter()
            .map(|r| LocatedRelated {
                related: r,
                file: self.relative_path(&r.file),
                region: self.region(&r.file, r.range),
            })
            .collect();
        Located {
            file: self.relative_path(&diagnostic.file),
            region: self.region(&diagnostic.file, diagnostic.range),
            related,
        }
    }
}

pub(super) struct Located<'d> {
    /// Relative to the root, `/` separators.
    pub file: String,
    /// `None` when the file's text is unavailable.
    pub region: Option<Region>,
    pub related: Vec<LocatedRelated<'d>>,
}

pub(super) struct LocatedRelated<'d> {
    pub related: &'d Related,
    pub file: String,
    pub region: Option<Region>,
}

/// `path` relative to `root`, joined with `/` whatever the platform. A path outside the root
/// (which the checker never reports, but a reporter must not fail on) is kept whole.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(root)
        .ok()
        .or_else(|| {
            // A relative root (`check .`) against absolute file paths.
            let abs_root = std::path::absolute(root).ok()?;
            path.strip_prefix(abs_root).ok()
        })
        .unwrap_or(path);
    let mut out = String::new();
    for component in rel.components() {
        let part = match component {
            Component::Prefix(p) => p.as_os_str().to_string_lossy(),
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::CurDir => continue,
            Component::ParentDir => "..".into(),
            Component::Normal(p) => p.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// "did you mean `A`?", "did you mean `A` or `B`?", "did you mean `A`, `B` or `C`?".
pub(super) fn did_you_mean(suggestions: &[String]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    let list = match quoted.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    Some(format!("did you mean {list}?"))
}

/// The message followed by its "did you mean" candidates, for formats that have one text
/// field per finding (GitHub annotations, SARIF results).
pub(super) fn message_with_suggestions(diagnostic: &Diagnostic) -> String {
    match did_you_mean(&diagnostic.suggestions) {
        Some(help) => format!("{} ({help})", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// Findings counted by severity, for closing summaries.
#[derive(Default, Debug, PartialEq, Eq)]
pub(super) struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        use crate::analysis::diagnostics::Severity;
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
                Severity::Hint => c.hints += 1,
            }
        }
        c
    }
}

/// "1 error", "2 warnings".
pub(super) fn plural(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}
