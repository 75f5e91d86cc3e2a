//! Cross-worker analysis over summaries.

pub mod diagnostics;
pub mod env_surface;
pub mod ide;
pub mod index;
pub mod rules;
pub mod suppress;
pub mod workspace;

use std::sync::Arc;

pub use diagnostics::{Diagnostic, Related, Severity};
pub use index::Index;
pub use workspace::{SourceUpdate, Workspace};

/// Every finding of the workspace.
pub fn check(ws: Arc<Workspace>) -> (Index, Vec<Diagnostic>) {
    let index = Index::new(ws);
    let diagnostics = findings(&index);
    (index, diagnostics)
}

/// What the rules find, less what suppression comments suppress, plus the suppressions that
/// suppress nothing (`unused-suppression`). The CLI and the language server both report this.
pub fn findings(index: &Index) -> Vec<Diagnostic> {
    findings_after(index, None).0
}

/// Like [`findings`], also returning the rules' run; after an edit that changed only sources
/// (`rerun`, see [`rules::Rerun`]), only the rules' units of work that the edit can change run
/// again.
pub fn findings_after(
    index: &Index,
    rerun: Option<rules::Rerun<'_>>,
) -> (Vec<Diagnostic>, rules::RuleRun) {
    let run = rules::run(index, rerun);
    let diagnostics = suppress::apply(index, rules::finish(index, &run)).diagnostics;
    (diagnostics, run)
}

#[cfg(test)]
mod tests;
