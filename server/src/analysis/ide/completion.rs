use super::{CompletionItem, FilePosition};
use crate::analysis::index::Index;

/// Completions at a cursor in a config or source; `text` is the file's current text.
pub fn completions(_ix: &Index, _pos: &FilePosition, _text: &str) -> Vec<CompletionItem> {
    todo!()
}
