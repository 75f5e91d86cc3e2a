//! Cross-worker analysis over summaries.

pub mod diagnostics;
pub mod env_surface;
pub mod ide;
pub mod index;
pub mod rules;
pub mod workspace;

use std::sync::Arc;

pub use diagnostics::{Diagnostic, Related, Severity};
pub use index::Index;
pub use workspace::{SourceUpdate, Workspace};

/// Every finding of the workspace.
pub fn check(ws: Arc<Workspace>) -> (Index, Vec<Diagnostic>) {
    let index = Index::new(ws);
    let diagnostics = rules::run_all(&index);
    (index, diagnostics)
}

#[cfg(test)]
mod tests;
