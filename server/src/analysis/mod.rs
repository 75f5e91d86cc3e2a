//! Cross-worker analysis over summaries.

pub mod diagnostics;
pub mod rules;
