//! Reporters for `workers-lsp check`, one module per output format.

use crate::analysis::diagnostics::Diagnostic;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod locate;
mod sarif;
mod statistics;

pub use locate::relative_path;
#[cfg(test)]
mod tests;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
    /// GitLab Code Quality (a JSON array of issues).
    Gitlab,
    /// JUnit XML: one test case per finding, grouped by file.
    Junit,
}

/// Everything a reporter needs.
pub struct ReportInput<'a> {
    /// Reported paths are relative to this folder (an absolute path: the current folder, or
    /// for JSON the checked root), with `/` separators; paths outside it stay absolute.
    pub root: &'a Path,
    /// How many workers (configs) were checked.
    pub workers: usize,
    /// Findings sorted by file, then position.
    pub diagnostics: &'a [Diagnostic],
    /// The text of a file named by a diagnostic (absolute path), for line/column conversion
    /// and snippets.
    pub text_of: &'a dyn Fn(&Path) -> Option<Arc<str>>,
    /// Colour output (human format only).
    pub color: bool,
    /// The findings and nothing else: no closing summary (human format).
    pub quiet: bool,
}

pub fn render(format: Format, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(input, out),
        Format::Json => json::render(input, out),
        Format::Sarif => sarif::render(input, out),
        Format::Github => github::render(input, out),
        Format::Gitlab => gitlab::render(input, out),
        Format::Junit => junit::render(input, out),
    }
}

/// `--statistics`: findings counted per rule, as a table (human) or JSON.
pub fn statistics(format: Format, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    statistics::render(format, input, out)
}
