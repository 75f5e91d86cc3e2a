use super::Symbol;
use crate::analysis::index::Index;
use std::path::Path;

pub fn document_symbols(_ix: &Index, _file: &Path) -> Vec<Symbol> {
    todo!()
}

pub fn workspace_symbols(_ix: &Index, _query: &str) -> Vec<Symbol> {
    todo!()
}
