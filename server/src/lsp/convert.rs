//! Conversions between the analysis (paths, byte offsets) and the protocol (URIs, line and
//! UTF-16/UTF-8 columns). The only place that knows both.

use crate::base::{LineCol, LineIndex, PositionEncoding, TextRange};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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

/// Ranges in many files (the findings of a publish): each file's text is fetched and indexed
/// once, however many ranges it has.
pub struct Positions<'f> {
    text_of: &'f dyn Fn(&Path) -> Option<Arc<str>>,
    docs: HashMap<PathBuf, (Arc<str>, LineIndex)>,
}

impl<'f> Positions<'f> {
    pub fn new(text_of: &'f dyn Fn(&Path) -> Option<Arc<str>>) -> Self {
        Positions {
            text_of,
            docs: HashMap::new(),
        }
    }

    pub fn range(&mut self, file: &Path, range: TextRange, enc: PositionEncoding) -> lsp::Range {
        if !self.docs.contains_key(file) {
            let text = (self.text_of)(file).unwrap_or_default();
            let index = LineIndex::new(&text);
            self.docs.insert(file.to_path_buf(), (text, index));
        }
        let (text, index) = &self.docs[file];
        let pos = |offset| {
            let lc = index.line_col(text, offset, enc);
            lsp::Position::new(lc.line, lc.col)
        };
        lsp::Range::new(pos(range.start), pos(range.end))
    }

    /// How many files were indexed (a regression guard: once per file, not per range).
    pub fn files_indexed(&self) -> usize {
        self.docs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Issue 13.17: converting the findings of a publish fetches and indexes each file once,
    /// not once per finding (which made a publish quadratic in a file's findings).
    #[test]
    fn positions_index_each_file_once() {
        let text: Arc<str> = Arc::from("a\nbb\nccc\n".repeat(1000));
        let fetched = Cell::new(0);
        let text_of = |_: &Path| {
            fetched.set(fetched.get() + 1);
            Some(text.clone())
        };
        let mut positions = Positions::new(&text_of);
        for i in 0..3000u32 {
            let file = if i % 2 == 0 { "/a.ts" } else { "/b.ts" };
            let r = positions.range(
                Path::new(file),
                TextRange::new(i * 3, i * 3 + 1),
                PositionEncoding::Utf16,
            );
            let doc = Doc::new(&text);
            assert_eq!(
                r,
                doc.range(TextRange::new(i * 3, i * 3 + 1), PositionEncoding::Utf16)
            );
        }
        assert_eq!((fetched.get(), positions.files_indexed()), (2, 2));
    }
}
