//! `textDocument/hover`.

use super::locate;
use crate::analysis::ide::{self, FilePosition};
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn hover(s: &Snapshot, pos: &TextDocumentPositionParams) -> Option<Hover> {
    let (file, text, offset) = locate(s, pos)?;
    let ix = s.index_for(&file)?;
    let h = ide::hover(ix, &FilePosition { file, offset })?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(Doc::new(&text).range(h.range, s.encoding)),
    })
}
