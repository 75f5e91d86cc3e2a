use super::{FilePosition, SourceChange};
use crate::analysis::index::Index;
use crate::base::TextRange;

/// The renamable name at the cursor and its current text, or why nothing can be renamed there.
pub fn prepare_rename(_ix: &Index, _pos: &FilePosition) -> Result<(TextRange, String), String> {
    todo!()
}

pub fn rename(_ix: &Index, _pos: &FilePosition, _new_name: &str) -> Result<SourceChange, String> {
    todo!()
}
