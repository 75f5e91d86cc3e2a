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
    suppress::apply(index, rules::run_all(index)).diagnostics
}

#[cfg(test)]
mod tests;
