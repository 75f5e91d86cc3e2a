//! `textDocument/prepareRename` and `textDocument/rename`.

use super::{invalid_params, locate, workspace_edit};
use crate::analysis::ide::{self, FilePosition};
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

pub fn prepare_rename(
    s: &Snapshot,
    pos: &TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((file, text, offset)) = locate(s, pos) else {
        return Ok(None);
    };
    let Some(ix) = s.index_for(&file) else {
        return Ok(None);
    };
    match ide::prepare_rename(ix, &FilePosition { file, offset }) {
        Ok((range, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: Doc::new(&text).range(range, s.encoding),
            placeholder,
        })),
        Err(e) => Err(invalid_params(e)),
    }
}

pub fn rename(s: &Snapshot, params: &RenameParams) -> Result<Option<WorkspaceEdit>> {
    let Some((file, _, offset)) = locate(s, &params.text_document_position) else {
        return Ok(None);
    };
    let Some(ix) = s.index_for(&file) else {
        return Ok(None);
    };
    match ide::rename(ix, &FilePosition { file, offset }, &params.new_name) {
        Ok(change) => Ok(Some(workspace_edit(s, &change))),
        Err(e) => Err(invalid_params(e)),
    }
}
