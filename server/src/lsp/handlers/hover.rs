//! `textDocument/hover`: what the IDE layer says about the item under the cursor, followed by
//! the documentation page of each finding there (the text `workers-lsp explain CODE` prints).

use super::locate;
use crate::analysis::ide::{self, FilePosition};
use crate::analysis::rules::{render_doc, rule};
use crate::base::TextRange;
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

pub fn hover(s: &Snapshot, pos: &TextDocumentPositionParams) -> Option<Hover> {
    let (file, text, offset) = locate(s, pos)?;
    let ix = s.index_for(&file)?;
    let item = ide::hover(
        ix,
        &FilePosition {
            file: file.clone(),
            offset,
        },
    );
    let mut parts: Vec<String> = Vec::new();
    let mut range: Option<TextRange> = None;
    if let Some(h) = item {
        parts.push(h.markdown);
        range = Some(h.range);
    }
    let mut codes: Vec<&'static str> = Vec::new();
    for d in s.diagnostics_in(&file) {
        if d.range.start <= offset && offset <= d.range.end && !codes.contains(&d.code) {
            codes.push(d.code);
            range.get_or_insert(d.range);
        }
    }
    parts.extend(codes.into_iter().filter_map(rule).map(render_doc));
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: range.map(|r| Doc::new(&text).range(r, s.encoding)),
    })
}
