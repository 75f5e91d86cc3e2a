//! `textDocument/codeLens`: "bound by N workers" above an entrypoint, Durable Object or
//! workflow class.
//!
//! The lens carries the command `workers-lsp.showReferences` with the arguments VS Code's
//! `editor.action.showReferences` takes (the document, the position, the locations), as
//! rust-analyzer's lenses do; the clients of `editors/` run it (VS Code: the references peek;
//! Neovim: the quickfix list). A client without it shows the title.

use super::nav_location;
use crate::analysis::ide;
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use serde_json::json;
use tower_lsp_server::ls_types::*;

/// The client command a lens runs.
pub const SHOW_REFERENCES: &str = "workers-lsp.showReferences";

pub fn code_lens(s: &Snapshot, params: &CodeLensParams) -> Option<Vec<CodeLens>> {
    let uri = &params.text_document.uri;
    let (file, text, ix) = super::indexed_document(s, uri)?;
    let doc = Doc::new(&text);
    Some(
        ide::code_lenses(ix, &file)
            .into_iter()
            .map(|l| {
                let range = doc.range(l.range, s.encoding);
                let locations: Vec<Location> = l
                    .locations
                    .iter()
                    .filter_map(|t| nav_location(s, t))
                    .collect();
                CodeLens {
                    range,
                    command: Some(Command {
                        title: l.title,
                        command: SHOW_REFERENCES.to_string(),
                        arguments: Some(vec![json!(uri), json!(range.start), json!(locations)]),
                    }),
                    data: None,
                }
            })
            .collect(),
    )
}
