//! `textDocument/references`.

use super::{locate, nav_location};
use crate::analysis::ide::{self, FilePosition};
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn references(s: &Snapshot, params: &ReferenceParams) -> Option<Vec<Location>> {
    let (file, _, offset) = locate(s, &params.text_document_position)?;
    let ix = s.index_for(&file)?;
    let refs = ide::references(
        ix,
        &FilePosition { file, offset },
        params.context.include_declaration,
    );
    Some(refs.iter().filter_map(|t| nav_location(s, t)).collect())
}
