//! `workspace/symbol`: workers, entrypoints, Durable Object classes and workflows of every root.

use super::{location, symbol_kind};
use crate::analysis::ide;
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

#[allow(deprecated)]
pub fn workspace_symbol(
    s: &Snapshot,
    params: &WorkspaceSymbolParams,
) -> Option<WorkspaceSymbolResponse> {
    let mut out = Vec::new();
    for (_, ix, _) in &s.roots {
        for sym in ide::workspace_symbols(ix, &params.query) {
            if let Some(location) = location(s, &sym.file, sym.focus_range) {
                out.push(SymbolInformation {
                    name: sym.name.clone(),
                    kind: symbol_kind(sym.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: sym.detail.clone(),
                });
            }
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}
