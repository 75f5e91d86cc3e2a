//! `misplaced-key`: a key of the top level or of an environment that landed in another
//! table. In TOML every key written after a `[table]` header belongs to that table, so
//! `r2_buckets` written below `[build]` is `build.r2_buckets`, and `routes` below
//! `[[migrations]]` is `migrations[0].routes`; wrangler warns and ignores them.

use super::unknown_key::table_name;
use super::Ctx;
use crate::config::{KeyHome, KeyIssueKind};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let text = &config.text;
        for issue in &config.file.key_issues {
            let KeyIssueKind::Misplaced { home, header } = &issue.kind else {
                continue;
            };
            let key = &issue.key.value;
            let landed = format!("{}.{key}", issue.table);
            let in_env = issue.table.starts_with("env.");
            let (what, fix) = match home {
                KeyHome::TopLevel if in_env => (
                    format!("`{key}` is a top-level key (environments do not take it)"),
                    "move it above the first `[table]` header".to_string(),
                ),
                KeyHome::TopLevel => (
                    format!("`{key}` is a top-level key"),
                    if header.is_some() {
                        "move it above the first `[table]` header".to_string()
                    } else {
                        format!(
                            "move it out of {} to the top level",
                            table_name(&issue.table)
                        )
                    },
                ),
                KeyHome::Env(env) => (
                    format!("`{key}` is a key of `[env.{env}]`"),
                    if header.is_some() {
                        format!(
                            "move it directly under the `[env.{env}]` header, above its first sub-table"
                        )
                    } else {
                        format!(
                            "move it out of {} into `env.{env}`",
                            table_name(&issue.table)
                        )
                    },
                ),
            };
            let header_text = header.and_then(|h| text.get(h.as_usize()));
            let message = match header_text {
                Some(h) => format!(
                    "{what}, but written after the `{h}` header it is `{landed}`, which wrangler ignores: {fix}"
                ),
                None => format!("{what}, but here it is `{landed}`, which wrangler ignores: {fix}"),
            };
            let report = cx.report("misplaced-key", &config.path, issue.key.range, message);
            if let (Some(h), Some(range)) = (header_text, header) {
                report.related(
                    &config.path,
                    *range,
                    format!("`{h}` opens the table it landed in"),
                );
            }
        }
    }
}
