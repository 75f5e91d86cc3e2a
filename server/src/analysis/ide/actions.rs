use super::Assist;
use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::index::Index;
use crate::base::TextRange;
use std::path::Path;

/// Quick fixes for the diagnostics that touch `range` of `file`.
pub fn code_actions(
    _ix: &Index,
    _file: &Path,
    _range: TextRange,
    _diagnostics: &[Diagnostic],
) -> Vec<Assist> {
    todo!()
}

/// The fixes for one diagnostic.
pub fn fixes_for(_ix: &Index, _diagnostic: &Diagnostic) -> Vec<Assist> {
    todo!()
}
