//! `textDocument/completion`.

use super::locate;
use crate::analysis::ide::{self, CompletionKind, FilePosition};
use crate::lsp::convert::Doc;
use crate::lsp::state::Snapshot;
use tower_lsp_server::ls_types::*;

fn kind(k: CompletionKind) -> CompletionItemKind {
    match k {
        CompletionKind::Worker => CompletionItemKind::MODULE,
        CompletionKind::Class => CompletionItemKind::CLASS,
        CompletionKind::Binding => CompletionItemKind::VARIABLE,
        CompletionKind::Method => CompletionItemKind::METHOD,
        CompletionKind::Queue => CompletionItemKind::VALUE,
        CompletionKind::Key => CompletionItemKind::PROPERTY,
    }
}

pub fn completion(s: &Snapshot, pos: &TextDocumentPositionParams) -> Option<CompletionResponse> {
    let (file, text, offset) = locate(s, pos)?;
    let ix = s.index_for(&file)?;
    let items = ide::completions(ix, &FilePosition { file, offset }, &text);
    let doc = Doc::new(&text);
    let items = items
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label.clone(),
            kind: Some(kind(c.kind)),
            detail: c.detail.clone(),
            documentation: c.documentation.clone().map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            sort_text: Some(format!("{:03}{}", c.sort_priority, c.label)),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                doc.range(c.replace, s.encoding),
                c.insert_text.clone().unwrap_or_else(|| c.label.clone()),
            ))),
            ..Default::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}
