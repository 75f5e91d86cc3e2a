use super::{FilePosition, HoverResult};
use crate::analysis::index::Index;

pub fn hover(_ix: &Index, _pos: &FilePosition) -> Option<HoverResult> {
    todo!()
}
