//! Request handlers, one file per request: protocol in, analysis call, protocol out. No logic
//! of their own. Every position goes through [`super::convert::Doc`].

pub mod code_action;
pub mod code_lens;
pub mod completion;
pub mod definition;
pub mod document_link;
pub mod document_symbol;
pub mod hover;
pub mod inlay_hint;
pub mod publish_diagnostics;
pub mod references;
pub mod rename;
pub mod workspace_symbol;

use super::convert::{path_to_uri, uri_to_path, Doc};
use super::state::Snapshot;
use crate::analysis::ide::{NavTarget, SourceChange, SymbolKind as IdeSymbolKind};
use crate::base::TextRange;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Error;
use tower_lsp_server::ls_types::*;

/// The file, its text and the byte offset a protocol position names (clamped to the text).
pub(crate) fn locate(
    s: &Snapshot,
    pos: &TextDocumentPositionParams,
) -> Option<(PathBuf, Arc<str>, u32)> {
    let path = uri_to_path(&pos.text_document.uri)?;
    let text = s.text(&path)?;
    let offset = Doc::new(&text).offset(pos.position, s.encoding);
    Some((path, text, offset))
}

/// A file the index read exactly as the editor holds it: its path, text and index. `None`
/// while the buffer is ahead of the index, for results that are ranges of the indexed text
/// (links, lenses, hints) and would land on the wrong characters.
pub(crate) fn indexed_document<'s>(
    s: &'s Snapshot,
    uri: &Uri,
) -> Option<(PathBuf, Arc<str>, &'s Arc<crate::analysis::Index>)> {
    let file = uri_to_path(uri)?;
    let text = s.text(&file)?;
    let ix = s.index_for(&file)?;
    if ix.ws.text(&file).is_none_or(|t| *t != *text) {
        return None;
    }
    Some((file, text, ix))
}

pub(crate) fn location(s: &Snapshot, file: &Path, range: TextRange) -> Option<Location> {
    let text = s.text(file)?;
    Some(Location::new(
        path_to_uri(file)?,
        Doc::new(&text).range(range, s.encoding),
    ))
}

pub(crate) fn nav_location(s: &Snapshot, t: &NavTarget) -> Option<Location> {
    location(s, &t.file, t.focus_range)
}

/// A change over several files as one edit: versioned `documentChanges` when the client takes
/// them (an edit computed for an older buffer is then refused rather than misapplied), else
/// `changes`.
pub(crate) fn workspace_edit(s: &Snapshot, change: &SourceChange) -> WorkspaceEdit {
    let mut files = Vec::new();
    for (file, edits) in &change.edits {
        let (Some(uri), Some(text)) = (path_to_uri(file), s.text(file)) else {
            continue;
        };
        let doc = Doc::new(&text);
        let edits: Vec<TextEdit> = edits
            .iter()
            .map(|e| TextEdit::new(doc.range(e.range, s.encoding), e.new_text.clone()))
            .collect();
        files.push((file, uri, edits));
    }
    if s.document_changes {
        let edits = files
            .into_iter()
            .map(|(file, uri, edits)| TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri,
                    version: s.versions.get(file).copied(),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
            .collect();
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(edits)),
            ..Default::default()
        }
    } else {
        let changes: HashMap<Uri, Vec<TextEdit>> = files
            .into_iter()
            .map(|(_, uri, edits)| (uri, edits))
            .collect();
        WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }
    }
}

pub(crate) fn invalid_params(message: String) -> Error {
    Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::InvalidParams,
        message: message.into(),
        data: None,
    }
}

pub(crate) fn symbol_kind(k: IdeSymbolKind) -> SymbolKind {
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
