//! `textDocument/definition`.

use super::{locate, nav_location};
use crate::analysis::ide::{self, FilePosition};
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn definition(
    s: &Snapshot,
    pos: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    let (file, _, offset) = locate(s, pos)?;
    let ix = s.index_for(&file)?;
    let targets = ide::goto_definition(ix, &FilePosition { file, offset });
    let locations: Vec<Location> = targets.iter().filter_map(|t| nav_location(s, t)).collect();
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}
