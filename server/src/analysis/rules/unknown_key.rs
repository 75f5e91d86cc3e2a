//! `unknown-key`: a key that wrangler's config schema does not know in its table.
//!
//! The schema is a snapshot of one wrangler release, and a key may be newer than it, so a key
//! the schema does not know is `info` by default. A near miss of a valid key of the same table
//! (a typo, case, `-` for `_`) is a `warning` with the key it probably is, and so is a key
//! wrangler has removed and now refuses. A severity set in `workers-lsp.toml` applies to both.

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
            let (severity, message, suggestions) = match &issue.kind {
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
                    Severity::Warning,
                    format!(
                        "`{key}` is not a key of {table}: did you mean `{}`? wrangler ignores it",
                        suggestions[0]
                    ),
                    suggestions.clone(),
                ),
                KeyIssueKind::Removed { note } => {
                    (Severity::Warning, format!("`{key}`: {note}"), Vec::new())
                }
                KeyIssueKind::Misplaced { .. } => continue,
            };
            cx.report_with_default(
                "unknown-key",
                severity,
                &config.path,
                issue.key.range,
                message,
            )
            .suggest(suggestions);
        }
    }
}
