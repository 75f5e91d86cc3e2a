//! `textDocument/documentSymbol`: workers, environments, bindings and migrations of a config.

use super::symbol_kind;
use crate::analysis::ide;
use crate::lsp::convert::{uri_to_path, Doc};
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

#[allow(deprecated)]
fn document_symbol_of(doc: &Doc<'_>, s: &Snapshot, sym: &ide::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: sym.name.clone(),
        detail: sym.detail.clone(),
        kind: symbol_kind(sym.kind),
        tags: None,
        deprecated: None,
        range: doc.range(sym.full_range, s.encoding),
        selection_range: doc.range(sym.focus_range, s.encoding),
        children: (!sym.children.is_empty()).then(|| {
            sym.children
                .iter()
                .map(|c| document_symbol_of(doc, s, c))
                .collect()
        }),
    }
}

pub fn document_symbol(
    s: &Snapshot,
    params: &DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let file = uri_to_path(&params.text_document.uri)?;
    let text = s.text(&file)?;
    let ix = s.index_for(&file)?;
    let doc = Doc::new(&text);
    let symbols = ide::document_symbols(ix, &file);
    Some(DocumentSymbolResponse::Nested(
        symbols
            .iter()
            .map(|sym| document_symbol_of(&doc, s, sym))
            .collect(),
    ))
}
