//! The open documents: the editor's text and version of each, exactly as the client sent them.
//!
//! tower-lsp-server runs notification handlers concurrently, but starts them in the order they
//! arrived. Each handler applies its change here synchronously, before its first `.await`, so
//! incremental edits are applied in order against the text they were computed for. The
//! (slower) analysis that follows reads the newest text from here when it runs.

use super::convert::Doc;
use crate::base::PositionEncoding;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

/// An open document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenDoc {
    pub text: Arc<str>,
    pub version: i32,
}

pub struct Docs {
    /// The negotiated column encoding, for ranged changes.
    pub encoding: PositionEncoding,
    open: HashMap<PathBuf, OpenDoc>,
}

impl Default for Docs {
    fn default() -> Docs {
        Docs {
            encoding: PositionEncoding::Utf16,
            open: HashMap::new(),
        }
    }
}

impl Docs {
    pub fn get(&self, path: &Path) -> Option<&OpenDoc> {
        self.open.get(path)
    }

    /// Every open document (cheap: the texts are shared).
    pub fn all(&self) -> Vec<(PathBuf, OpenDoc)> {
        self.open
            .iter()
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect()
    }

    pub fn open(&mut self, path: &Path, text: Arc<str>, version: i32) {
        self.open
            .insert(path.to_path_buf(), OpenDoc { text, version });
    }

    pub fn close(&mut self, path: &Path) -> bool {
        self.open.remove(path).is_some()
    }

    /// Applies a `didChange`. Returns false (and changes nothing) for a document that is not
    /// open or a version that is not newer than the one held: an incremental change is only
    /// meaningful against the exact text it was made for.
    pub fn change(
        &mut self,
        path: &Path,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> bool {
        let encoding = self.encoding;
        let Some(doc) = self.open.get_mut(path) else {
            return false;
        };
        if version <= doc.version {
            return false;
        }
        let mut text = doc.text.to_string();
        for change in changes {
            match change.range {
                Some(range) => {
                    // Out-of-range positions clamp to the text; offsets are char boundaries.
                    let r = Doc::new(&text).text_range(range, encoding);
                    text.replace_range(r.as_usize(), &change.text);
                }
                None => text = change.text,
            }
        }
        *doc = OpenDoc {
            text: Arc::from(text),
            version,
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(sl: u32, sc: u32, el: u32, ec: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(sl, sc), Position::new(el, ec))),
            range_length: None,
            text: text.into(),
        }
    }

    fn docs_with(text: &str, encoding: PositionEncoding) -> (Docs, PathBuf) {
        let mut docs = Docs {
            encoding,
            ..Default::default()
        };
        let path = PathBuf::from("/w/a.ts");
        docs.open(&path, Arc::from(text), 1);
        (docs, path)
    }

    #[test]
    fn ranged_changes_use_utf16_columns_across_crlf_and_astral_chars() {
        let (mut docs, p) = docs_with("a😀b\r\nc😀d\r\n", PositionEncoding::Utf16);
        // Line 1, after the emoji (2 UTF-16 units): replace `d`.
        assert!(docs.change(&p, 2, vec![edit(1, 3, 1, 4, "D")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "a😀b\r\nc😀D\r\n");
        // Several changes in one notification apply one after the other.
        assert!(docs.change(&p, 3, vec![edit(0, 0, 0, 1, "A"), edit(0, 3, 0, 4, "B")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "A😀B\r\nc😀D\r\n");
    }

    #[test]
    fn utf8_columns_inside_a_character_never_split_it() {
        let (mut docs, p) = docs_with("x😀y", PositionEncoding::Utf8);
        // Column 2 is inside the 4-byte emoji.
        assert!(docs.change(&p, 2, vec![edit(0, 2, 0, 2, "!")]));
        let text = docs.get(&p).unwrap().text.to_string();
        assert!(text.contains('😀'), "{text}");
        assert_eq!(text.chars().filter(|c| *c == '!').count(), 1);
    }

    #[test]
    fn out_of_range_changes_clamp() {
        let (mut docs, p) = docs_with("ab\n", PositionEncoding::Utf16);
        assert!(docs.change(&p, 2, vec![edit(0, 99, 0, 120, "c")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "abc\n");
        assert!(docs.change(&p, 3, vec![edit(50, 0, 60, 0, "z")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "abc\nz");
        // An inverted range is empty at its start.
        assert!(docs.change(&p, 4, vec![edit(0, 2, 0, 0, "-")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "ab-c\nz");
    }

    #[test]
    fn stale_versions_and_unopened_documents_change_nothing() {
        let (mut docs, p) = docs_with("ab", PositionEncoding::Utf16);
        assert!(docs.change(&p, 5, vec![edit(0, 0, 0, 0, "x")]));
        assert!(!docs.change(&p, 5, vec![edit(0, 0, 0, 0, "y")]));
        assert!(!docs.change(&p, 3, vec![edit(0, 0, 0, 0, "y")]));
        assert_eq!(&*docs.get(&p).unwrap().text, "xab");
        let other = PathBuf::from("/w/b.ts");
        assert!(!docs.change(&other, 9, vec![edit(0, 0, 0, 0, "y")]));
        assert!(docs.get(&other).is_none());
    }
}
