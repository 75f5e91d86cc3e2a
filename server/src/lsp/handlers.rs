//! Request handlers: protocol in, analysis call, protocol out. No logic of their own.

use super::convert::{path_to_uri, uri_to_path, Doc};
use super::state::Snapshot;
use crate::analysis::ide::{
    self, CompletionKind, FilePosition, NavTarget, SourceChange, SymbolKind as IdeSymbolKind,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

/// The file, its text and the byte offset a protocol position names.
fn locate(
    s: &Snapshot,
    pos: &TextDocumentPositionParams,
) -> Option<(PathBuf, std::sync::Arc<str>, u32)> {
    let path = uri_to_path(&pos.text_document.uri)?;
    let text = s.text(&path)?;
    let offset = Doc::new(&text).offset(pos.position, s.encoding);
    Some((path, text, offset))
}

fn location(s: &Snapshot, file: &Path, range: crate::base::TextRange) -> Option<Location> {
    let text = s.text(file)?;
    Some(Location::new(
        path_to_uri(file)?,
        Doc::new(&text).range(range, s.encoding),
    ))
}

fn nav_location(s: &Snapshot, t: &NavTarget) -> Option<Location> {
    location(s, &t.file, t.focus_range)
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
            kind: Some(match c.kind {
                CompletionKind::Worker => CompletionItemKind::MODULE,
                CompletionKind::Class => CompletionItemKind::CLASS,
                CompletionKind::Binding => CompletionItemKind::VARIABLE,
                CompletionKind::Method => CompletionItemKind::METHOD,
                CompletionKind::Queue => CompletionItemKind::VALUE,
            }),
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

pub fn references(s: &Snapshot, params: &ReferenceParams) -> Option<Vec<Location>> {
    let (file, _, offset) = locate(s, &params.text_document_position)?;
    let ix = s.index_for(&file)?;
    let refs = ide::references(
        ix,
        &FilePosition { file, offset },
        params.context.include_declaration,
    );
    Some(refs.iter().filter_map(|t| nav_location(s, t)).collect())
}

fn workspace_edit(s: &Snapshot, change: &SourceChange) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, edits) in &change.edits {
        let (Some(uri), Some(text)) = (path_to_uri(file), s.text(file)) else {
            continue;
        };
        let doc = Doc::new(&text);
        changes.insert(
            uri,
            edits
                .iter()
                .map(|e| TextEdit::new(doc.range(e.range, s.encoding), e.new_text.clone()))
                .collect(),
        );
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

fn invalid(message: String) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

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
        Err(e) => Err(invalid(e)),
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
        Err(e) => Err(invalid(e)),
    }
}

pub fn code_action(s: &Snapshot, params: &CodeActionParams) -> Option<CodeActionResponse> {
    let file = uri_to_path(&params.text_document.uri)?;
    let text = s.text(&file)?;
    let ix = s.index_for(&file)?;
    let doc = Doc::new(&text);
    let range = doc.text_range(params.range, s.encoding);
    let diagnostics = s.diagnostics_in(&file);
    let assists = ide::code_actions(ix, &file, range, &diagnostics);
    let text_of = |p: &Path| s.text(p);
    Some(
        assists
            .into_iter()
            .map(|a| {
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: a.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: a
                        .fixes
                        .as_ref()
                        .map(|d| vec![super::convert::diagnostic(d, s.encoding, &text_of)]),
                    edit: Some(workspace_edit(s, &a.edit)),
                    is_preferred: Some(a.is_safe),
                    ..Default::default()
                })
            })
            .collect(),
    )
}

fn symbol_kind(k: IdeSymbolKind) -> SymbolKind {
    match k {
        IdeSymbolKind::Worker => SymbolKind::MODULE,
        IdeSymbolKind::Environment => SymbolKind::NAMESPACE,
        IdeSymbolKind::Binding => SymbolKind::VARIABLE,
        IdeSymbolKind::Migration => SymbolKind::EVENT,
        IdeSymbolKind::Entrypoint
        | IdeSymbolKind::DurableObject
        | IdeSymbolKind::Workflow
        | IdeSymbolKind::Class => SymbolKind::CLASS,
    }
}

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
