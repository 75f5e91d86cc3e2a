//! Reporters for `workers-lsp check`, one module per output format.

use crate::analysis::diagnostics::Diagnostic;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

mod github;
mod human;
mod json;
mod locate;
mod sarif;
#[cfg(test)]
mod tests;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// Everything a reporter needs.
pub struct ReportInput<'a> {
    /// The checked root; reported paths are relative to it with `/` separators.
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
}

pub fn render(format: Format, input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(input, out),
        Format::Json => json::render(input, out),
        Format::Sarif => sarif::render(input, out),
        Format::Github => github::render(input, out),
    }
}
