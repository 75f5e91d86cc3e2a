//! Conversions between the analysis (paths, byte offsets) and the protocol (URIs, line and
//! UTF-16/UTF-8 columns). The only place that knows both.

use crate::analysis::diagnostics::{Diagnostic, Severity};
use crate::base::{LineCol, LineIndex, PositionEncoding, TextRange};
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types as lsp;

pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| crate::project::normalize(&p))
}

pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(path)
}

/// A text with its line index, for converting positions.
pub struct Doc<'a> {
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        Doc {
            text,
            index: LineIndex::new(text),
        }
    }

    pub fn position(&self, offset: u32, enc: PositionEncoding) -> lsp::Position {
        let lc = self.index.line_col(self.text, offset, enc);
        lsp::Position::new(lc.line, lc.col)
    }

    pub fn range(&self, range: TextRange, enc: PositionEncoding) -> lsp::Range {
        lsp::Range::new(
            self.position(range.start, enc),
            self.position(range.end, enc),
        )
    }

    /// A protocol position to a byte offset; out-of-range positions clamp.
    pub fn offset(&self, pos: lsp::Position, enc: PositionEncoding) -> u32 {
        self.index.offset(
            self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            enc,
        )
    }

    pub fn text_range(&self, range: lsp::Range, enc: PositionEncoding) -> TextRange {
        let start = self.offset(range.start, enc);
        let end = self.offset(range.end, enc).max(start);
        TextRange::new(start, end)
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Converts a finding; `text_of` gives the current text of any file it mentions.
pub fn diagnostic(
    d: &Diagnostic,
    enc: PositionEncoding,
    text_of: &dyn Fn(&Path) -> Option<std::sync::Arc<str>>,
) -> lsp::Diagnostic {
    let text = text_of(&d.file).unwrap_or_default();
    let doc = Doc::new(&text);
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let uri = path_to_uri(&r.file)?;
            let t = text_of(&r.file).unwrap_or_default();
            let rdoc = Doc::new(&t);
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri, rdoc.range(r.range, enc)),
                message: r.message.clone(),
            })
        })
        .collect();
    let mut message = d.message.clone();
    if !d.suggestions.is_empty() {
        let list: Vec<String> = d.suggestions.iter().map(|s| format!("`{s}`")).collect();
        message.push_str(&format!(" (did you mean {}?)", list.join(", ")));
    }
    lsp::Diagnostic {
        range: doc.range(d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: crate::analysis::rules::docs_url(d.code)
            .parse::<lsp::Uri>()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("workers-lsp".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code == "unused-binding").then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: (!d.suggestions.is_empty())
            .then(|| serde_json::json!({ "suggestions": d.suggestions })),
    }
}
