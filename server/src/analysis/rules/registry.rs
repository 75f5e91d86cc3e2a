//! The rule catalogue: one stable code per rule, its default severity, its one-line summary,
//! and (in `docs.rs`) its documentation page.

use crate::analysis::diagnostics::Severity;

#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line: what the finding means and why it matters.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($code:literal, $sev:ident, $summary:literal;)*) => {
        pub static RULES: &[RuleInfo] = &[
            $(RuleInfo { code: $code, default_severity: Severity::$sev, summary: $summary },)*
        ];
    };
}

rules! {
    "config-syntax", Error, "The wrangler config does not parse; wrangler will refuse it. The rest of the workspace is still checked.";
    "unknown-key", Warning, "A key that wrangler's config schema does not know in its table; wrangler warns and ignores it. A near miss of a valid key (a typo, case, `-` for `_`) or a key wrangler removed is a warning; any other is info at most, as it may be newer than the schema workers-lsp carries.";
    "misplaced-key", Warning, "A key of the top level or of an environment that landed in another table, usually because TOML puts every key written after a `[table]` header into that table (`r2_buckets` below `[build]` is `build.r2_buckets`); wrangler ignores it.";
    "missing-main", Error, "`main` names a file that does not exist (paths are relative to the config's folder).";
    "invalid-worker-name", Error, "`name` does not match wrangler's pattern ^[a-z0-9_][a-z0-9-_]*$.";
    "duplicate-worker-name", Error, "Two configs resolve to the same worker name in the same environment; one deploy overwrites the other.";
    "no-default-export", Warning, "The main module has no default export: wrangler then assumes the old service-worker format and named entrypoints and Durable Object classes break.";
    "unknown-service", Warning, "A service binding or tail consumer names a worker that no config of the workspace defines (declare it under `external` in workers-lsp.toml if it is deployed from elsewhere).";
    "unknown-entrypoint", Error, "`entrypoint` is not exported by the target worker's main module graph; calls fail with \"Worker does not export an entrypoint named X\".";
    "entrypoint-not-rpc", Error, "The named entrypoint is a class that does not extend `WorkerEntrypoint` (a Durable Object, workflow or plain class), so it cannot serve as an entrypoint.";
    "default-entrypoint-string", Warning, "`entrypoint = \"default\"` breaks `wrangler dev`; leave `entrypoint` out to bind the default export.";
    "deprecated-service-environment", Warning, "`services[].environment` is deprecated; name the environment's worker instead: `service = \"<worker>-<env>\"`.";
    "no-fetch-handler", Warning, "The binding targets a worker's default export, which has no `fetch` handler and is not a `WorkerEntrypoint`.";
    "unknown-rpc-method", Error, "The RPC call names a method that the bound entrypoint or Durable Object class (with its base classes) does not define.";
    "unknown-script", Warning, "`script_name` names a worker that no config of the workspace defines.";
    "unknown-do-class", Error, "The Durable Object `class_name` is not exported by the hosting worker (this worker, or the one `script_name` names).";
    "not-a-durable-object", Warning, "The bound class neither extends `DurableObject` nor has a `fetch` method.";
    "missing-do-migration", Error, "A Durable Object class this worker hosts and binds is not created by its migrations (or `exports`); deploy fails.";
    "migration-class-not-exported", Warning, "A class that the migrations leave live is no longer exported, so deploy fails; add a `deleted_classes` or `renamed_classes` migration.";
    "deleted-class-still-bound", Error, "A class listed in `deleted_classes` is still bound by some worker or environment; deploy fails (error 10061).";
    "invalid-migration", Error, "Replaying the migrations fails: renaming or deleting an unknown class, creating an existing one, a duplicate tag, or both `migrations` and `exports`.";
    "env-migrations-diverge", Warning, "`env.E.migrations` overrides the top level and is not a prefix-compatible copy of it; later top-level tags never reach E.";
    "unknown-workflow-class", Error, "The workflow `class_name` is not exported by the hosting worker.";
    "not-a-workflow", Error, "The workflow's class does not extend `WorkflowEntrypoint`.";
    "conflicting-workflow-name", Error, "Workflow names are account-wide: two workers host the same name, or a cross-script binding disagrees with the host's class.";
    "duplicate-queue-consumer", Error, "A queue can have only one consumer worker; more than one consumes it in the same environment.";
    "missing-queue-handler", Error, "The worker consumes a queue but its default export has no `queue` handler.";
    "queue-without-consumer", Warning, "Messages sent to this queue are never consumed by any worker of the workspace.";
    "unknown-binding", Warning, "The code reads `env.X` but the worker declares no binding, var or secret named X in any environment.";
    "unused-binding", Hint, "A declared binding that no source of the worker reads.";
    "binding-not-inherited", Warning, "A top-level binding kind is missing from `[env.E]`; non-inheritable keys are not copied, so the binding is absent in E.";
    "environment-drift", Warning, "Inside `[env.E]` a binding names the production worker although that worker defines environment E: staging would call production.";
    "unused-suppression", Warning, "A `workers-lsp: ignore[...]` comment suppresses nothing: the finding it names is gone, the code names no rule, or the comment is not a well-formed suppression. `check --fix` removes it.";
    "unreadable-file", Info, "A file was skipped: unreadable, binary, not UTF-8, over 2 MB, or outside the checked root.";
}

/// A rule's documentation page (Markdown): what `workers-lsp explain CODE` prints, what hover
/// on a finding shows, and `docs/rules/<code>.md`.
pub fn render_doc(rule: &RuleInfo) -> String {
    let Some(doc) = super::docs::DOCS.iter().find(|d| d.code == rule.code) else {
        // Every rule has a page (tested); this keeps `explain` total all the same.
        return format!(
            "# {}\n\nDefault severity: **{}**. {}\n",
            rule.code,
            rule.default_severity.as_str(),
            rule.summary
        );
    };
    let code = rule.code;
    let mut out = format!(
        "# {code}\n\nDefault severity: **{}**. {}\n\n## What it checks\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\nWrong:\n\n```{}\n{}```\n\nRight:\n\n```{}\n{}```\n\n## How to fix\n\n{}\n\n## Settings\n\nChange its severity or turn it off in `workers-lsp.toml`, or leave it out of one run with `check --ignore {code}`:\n\n```toml\n[rules]\n{code} = \"off\"   # off, hint, info, warning, error\n```\n",
        rule.default_severity.as_str(),
        rule.summary,
        doc.checks,
        doc.why,
        doc.wrong.0,
        doc.wrong.1,
        doc.right.0,
        doc.right.1,
        doc.fix,
    );
    if code == crate::analysis::suppress::UNUSED_SUPPRESSION {
        out.push_str("\nThis finding cannot itself be suppressed by a comment.\n");
    } else {
        out.push_str(&format!(
            "\nSuppress one finding with a comment on its line, or on a line of its own just before it: `# workers-lsp: ignore[{code}] reason` (`//` in JSONC and TS/JS); `workers-lsp: ignore-file[{code}]` anywhere in a file suppresses it in the whole file.\n"
        ));
    }
    out
}

/// Where a rule's documentation page lives: `docs/rules/<code>.md` in the project's repository
/// when the package names one, else Cloudflare's documentation of what the rule is about.
pub fn docs_url(code: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if repository.is_empty() {
        cloudflare_docs(code).to_string()
    } else {
        format!("{repository}/blob/main/docs/rules/{code}.md")
    }
}

pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code == code)
}

/// Cloudflare's documentation of what a rule is about.
fn cloudflare_docs(code: &str) -> &'static str {
    match code {
        "unknown-service" | "unknown-entrypoint" | "entrypoint-not-rpc" | "default-entrypoint-string"
        | "no-fetch-handler" => "https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/",
        "unknown-rpc-method" => "https://developers.cloudflare.com/workers/runtime-apis/rpc/",
        "unknown-script" | "unknown-do-class" | "not-a-durable-object" => {
            "https://developers.cloudflare.com/durable-objects/"
        }
        "missing-do-migration" | "migration-class-not-exported" | "deleted-class-still-bound"
        | "invalid-migration" | "env-migrations-diverge" => {
            "https://developers.cloudflare.com/durable-objects/reference/durable-objects-migrations/"
        }
        "unknown-workflow-class" | "not-a-workflow" | "conflicting-workflow-name" => {
            "https://developers.cloudflare.com/workflows/"
        }
        "duplicate-queue-consumer" | "missing-queue-handler" | "queue-without-consumer" => {
            "https://developers.cloudflare.com/queues/"
        }
        "binding-not-inherited" | "environment-drift" | "deprecated-service-environment" => {
            "https://developers.cloudflare.com/workers/wrangler/environments/"
        }
        "no-default-export" => "https://developers.cloudflare.com/workers/reference/migrate-to-module-workers/",
        _ => "https://developers.cloudflare.com/workers/wrangler/configuration/",
    }
}
