//! `textDocument/codeAction`: quick fixes, each with the diagnostic it fixes.

use super::{publish_diagnostics, workspace_edit};
use crate::analysis::ide;
use crate::lsp::convert::{uri_to_path, Doc, Positions};
use crate::lsp::state::Snapshot;
use std::path::Path;
use tower_lsp_server::ls_types::*;

pub fn code_action(s: &Snapshot, params: &CodeActionParams) -> Option<CodeActionResponse> {
    // Only quick fixes are offered; a client asking for other kinds gets none.
    if let Some(only) = &params.context.only {
        let wanted = only
            .iter()
            .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()));
        if !wanted {
            return Some(Vec::new());
        }
    }
    let file = uri_to_path(&params.text_document.uri)?;
    let text = s.text(&file)?;
    let ix = s.index_for(&file)?;
    let doc = Doc::new(&text);
    let range = doc.text_range(params.range, s.encoding);
    let diagnostics = s.diagnostics_in(&file);
    let assists = ide::code_actions(ix, &file, range, &diagnostics);
    let text_of = |p: &Path| s.text(p);
    let mut positions = Positions::new(&text_of);
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
                        .map(|d| vec![publish_diagnostics::to_lsp(d, s.encoding, &mut positions)]),
                    edit: Some(workspace_edit(s, &a.edit)),
                    is_preferred: Some(a.applicability == ide::Applicability::Safe),
                    ..Default::default()
                })
            })
            .collect(),
    )
}
