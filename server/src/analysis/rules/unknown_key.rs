//! `unknown-key`: a key that wrangler's config schema does not know in its table.
//!
//! A near miss of a valid key of the same table (a typo, case, `-` for `_`) is reported at the
//! rule's severity (a warning) with the key it probably is, and so is a key wrangler has
//! removed and now refuses. Any other key may simply be newer than the schema (a snapshot of
//! one wrangler release), so it is graded down to `info` at most.

use super::Ctx;
use crate::analysis::Severity;
use crate::config::schema::wrangler_version;
use crate::config::KeyIssueKind;

/// "the top level" or "`build`".
pub(super) fn table_name(table: &str) -> String {
    if table.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{table}`")
    }
}

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        for issue in &config.file.key_issues {
            let key = &issue.key.value;
            let table = table_name(&issue.table);
            // Graded down when it may just be newer than the schema; else the rule's severity.
            let (cap, message, suggestions) = match &issue.kind {
                KeyIssueKind::Unknown { suggestions } if suggestions.is_empty() => (
                    Severity::Info,
                    format!(
                        "`{key}` is not a key of {table} in the config schema of wrangler {}; \
                         wrangler ignores unknown keys (if it is newer than that, update workers-lsp)",
                        wrangler_version()
                    ),
                    Vec::new(),
                ),
                KeyIssueKind::Unknown { suggestions } => (
                    Severity::Error,
                    format!(
                        "`{key}` is not a key of {table}: did you mean `{}`? wrangler ignores it",
                        suggestions[0]
                    ),
                    suggestions.clone(),
                ),
                KeyIssueKind::Removed { note } => {
                    (Severity::Error, format!("`{key}`: {note}"), Vec::new())
                }
                KeyIssueKind::Misplaced { .. } => continue,
            };
            cx.report("unknown-key", &config.path, issue.key.range, message)
                .at_most(cap)
                .suggest(suggestions);
        }
    }
}
