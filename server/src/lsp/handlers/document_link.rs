//! `textDocument/documentLink`: `main` and `.dev.vars` in a config open the file.

use crate::analysis::ide;
use crate::lsp::convert::{path_to_uri, Doc};
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn document_link(s: &Snapshot, params: &DocumentLinkParams) -> Option<Vec<DocumentLink>> {
    let (file, text, ix) = super::indexed_document(s, &params.text_document.uri)?;
    let doc = Doc::new(&text);
    Some(
        ide::document_links(ix, &file)
            .into_iter()
            .filter_map(|l| {
                Some(DocumentLink {
                    range: doc.range(l.range, s.encoding),
                    target: Some(path_to_uri(&l.target)?),
                    tooltip: Some(l.tooltip),
                    data: None,
                })
            })
            .collect(),
    )
}
