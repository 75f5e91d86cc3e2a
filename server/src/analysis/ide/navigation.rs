use super::{FilePosition, NavTarget};
use crate::analysis::index::Index;

pub fn goto_definition(_ix: &Index, _pos: &FilePosition) -> Vec<NavTarget> {
    todo!()
}

pub fn references(_ix: &Index, _pos: &FilePosition, _include_declaration: bool) -> Vec<NavTarget> {
    todo!()
}
