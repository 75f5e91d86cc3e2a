//! `textDocument/inlayHint`: beside a config's `name`, the name each environment deploys as.

use crate::analysis::ide;
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn inlay_hint(s: &Snapshot, params: &InlayHintParams) -> Option<Vec<InlayHint>> {
    let (file, text, ix) = super::indexed_document(s, &params.text_document.uri)?;
    let doc = Doc::new(&text);
    let range = crate::base::TextRange::new(
        doc.offset(params.range.start, s.encoding),
        doc.offset(params.range.end, s.encoding)
            .max(doc.offset(params.range.start, s.encoding)),
    );
    Some(
        ide::inlay_hints(ix, &file, range)
            .into_iter()
            .map(|h| InlayHint {
                position: doc.position(h.offset, s.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.tooltip,
                })),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}
