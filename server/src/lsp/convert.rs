//! Conversions between the analysis (paths, byte offsets) and the protocol (URIs, line and
//! UTF-16/UTF-8 columns). The only place that knows both.

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
