//! Each rule's documentation: what it checks, why it matters, a wrong and a right example, and
//! the fix. `workers-lsp explain CODE`, `check --explain`, hover on a finding and the pages
//! `docs/rules/<code>.md` (which `codeDescription` and SARIF `helpUri` link to) all render this
//! one text; a test keeps the pages and the catalogue in step (`UPDATE_RULE_DOCS=1 cargo test
//! -p workers-lsp rule_docs` rewrites the pages).

/// One rule's documentation. Examples are a language tag (for the code fence) and the text.
#[derive(Debug)]
pub struct RuleDoc {
    pub code: &'static str,
    pub checks: &'static str,
    pub why: &'static str,
    pub wrong: (&'static str, &'static str),
    pub right: (&'static str, &'static str),
    pub fix: &'static str,
}

pub static DOCS: &[RuleDoc] = &[
    RuleDoc {
        code: "config-syntax",
        checks: "Every wrangler config (TOML, JSON, JSONC) and `workers-lsp.toml` parses, and `workers-lsp.toml` names only known sections, rules and severities.",
        why: "wrangler refuses a config that does not parse, so the worker cannot be deployed or run locally. The other workers of the family are still checked, but nothing that depends on this config can be.",
        wrong: ("toml", "name = \"api\"\nmain = \"src/index.ts\"\n[[services]\nbinding = \"AUTH\"\n"),
        right: ("toml", "name = \"api\"\nmain = \"src/index.ts\"\n[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n"),
        fix: "Correct the syntax at the reported position (an unclosed table header, a missing quote or comma, a duplicate key).",
    },
    RuleDoc {
        code: "unknown-key",
        checks: "Every key of a wrangler config against wrangler's own config schema (vendored from the npm package `wrangler`, version in `server/schema/wrangler-version.txt`): a key its table does not take. A near miss of a valid key of the same table (at most two edits and a fifth of its length, or a difference of case or `-`/`_`) is reported with the key it probably is, and so are `legacy_env` and `node_compat`, which wrangler now refuses. Keys of free-form maps (`vars`, `define`, `exports`, `alias`, `env`) are never reported; in `services` entries, which wrangler does not check, only near misses are. A config a build generated (with `topLevelName`) is not checked.",
        why: "wrangler warns about unexpected fields and then ignores them, so a misspelt `compatibility_date` or `[build] comand` silently does nothing: the worker runs with defaults nobody chose. A key the schema does not know at all may also be newer than the schema workers-lsp carries, so such findings are info at most.",
        wrong: ("toml", "name = \"api\"\nmain = \"src/index.ts\"\ncompatability_date = \"2025-06-01\"\n\n[build]\ncomand = \"npm run build\"\n"),
        right: ("toml", "name = \"api\"\nmain = \"src/index.ts\"\ncompatibility_date = \"2025-06-01\"\n\n[build]\ncommand = \"npm run build\"\n"),
        fix: "Use the key the finding suggests (completion offers the keys valid at the cursor, and hover shows each key's documentation). For a key newer than the vendored schema, refresh it with `cargo xtask refresh-schema` or turn the info off.",
    },
    RuleDoc {
        code: "misplaced-key",
        checks: "No key of the top level (or of an `[env.E]` section) sits in one of its tables. The finding names the table it landed in (`build.r2_buckets`, `migrations[0].routes`), the `[table]` header that captured it, and where it belongs.",
        why: "In TOML every key written after a `[table]` or `[[table]]` header belongs to that table until the next header, so `r2_buckets` written below `[build]` becomes `build.r2_buckets`. wrangler warns about the unexpected field and drops it: the bucket is never bound and `env.BUCKET` is undefined at run time. (Code reading such a binding is not reported again as `unknown-binding`.)",
        wrong: ("toml", "name = \"tfstate\"\nmain = \"src/index.ts\"\n\n[build]\ncommand = \"npm run build\"\n\nr2_buckets = [{ binding = \"BUCKET\", bucket_name = \"state\" }]\n"),
        right: ("toml", "name = \"tfstate\"\nmain = \"src/index.ts\"\nr2_buckets = [{ binding = \"BUCKET\", bucket_name = \"state\" }]\n\n[build]\ncommand = \"npm run build\"\n"),
        fix: "Move the key above the first `[table]` header (for an environment's key: directly below its `[env.E]` header, above its first sub-table), or out of the object it is nested in (JSON).",
    },
    RuleDoc {
        code: "missing-main",
        checks: "`main` (in the top level or an environment) names a file that exists, relative to the config's folder.",
        why: "wrangler bundles the worker from `main`; a missing file fails `wrangler dev` and `wrangler deploy`, and workers-lsp cannot read the worker's exports or `env` reads.",
        wrong: ("toml", "name = \"api\"\nmain = \"src/index.ts\"   # the file is src/main.ts\n"),
        right: ("toml", "name = \"api\"\nmain = \"src/main.ts\"\n"),
        fix: "Point `main` at the entry module (paths are relative to the config's folder), or create it.",
    },
    RuleDoc {
        code: "invalid-worker-name",
        checks: "`name` (top level and `env.E.name`) matches wrangler's pattern `^[a-z0-9_][a-z0-9-_]*$`.",
        why: "Cloudflare rejects such a name at deploy time, and service bindings and `script_name` references to it can never resolve.",
        wrong: ("toml", "name = \"My API\"\n"),
        right: ("toml", "name = \"my-api\"\n"),
        fix: "Use lowercase letters, digits, `-` and `_` only, and rename every binding that names the worker (rename in the editor updates them all).",
    },
    RuleDoc {
        code: "duplicate-worker-name",
        checks: "No two configs resolve to the same worker name in the same environment (configs sharing one `main` are variants of one worker and are not reported).",
        why: "Deploying one overwrites the other: the last deploy wins, and every binding to that name reaches whichever was deployed last.",
        wrong: ("toml", "# api/wrangler.toml\nname = \"api\"\n\n# admin/wrangler.toml\nname = \"api\"\n"),
        right: ("toml", "# api/wrangler.toml\nname = \"api\"\n\n# admin/wrangler.toml\nname = \"admin\"\n"),
        fix: "Give each worker its own `name` (and each environment its own `env.E.name`, or let it derive `<name>-<E>`).",
    },
    RuleDoc {
        code: "no-default-export",
        checks: "The main module has a default export (an object with handlers, a class, or a framework app).",
        why: "Without one wrangler assumes the old service-worker format: named entrypoints, Durable Object and workflow classes exported from the module are not served.",
        wrong: ("ts", "export class Counter extends DurableObject {}\naddEventListener(\"fetch\", (e) => e.respondWith(new Response(\"ok\")));\n"),
        right: ("ts", "export class Counter extends DurableObject {}\nexport default {\n  async fetch(request: Request, env: Env) {\n    return new Response(\"ok\");\n  },\n};\n"),
        fix: "Export the handlers as the module's default export (`export default { fetch(...) {...} }`).",
    },
    RuleDoc {
        code: "unknown-service",
        checks: "Every `services[].service` and `tail_consumers[].service` names a worker that some config of the workspace defines (in the right environment).",
        why: "A binding to a worker that does not exist fails at deploy, or calls nothing at run time; a typo in a name is only found in production.",
        wrong: ("toml", "[[services]]\nbinding = \"AUTH\"\nservice = \"auht\"\n"),
        right: ("toml", "[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n"),
        fix: "Use the target's `name` (completion offers them). If the worker is deployed from another repository, list it under `[external] workers` in `workers-lsp.toml`.",
    },
    RuleDoc {
        code: "unknown-entrypoint",
        checks: "A service binding's `entrypoint` is exported by the target worker's main module graph (through re-exports).",
        why: "The call fails at run time with \"Worker does not export an entrypoint named X\".",
        wrong: ("toml", "[[services]]\nbinding = \"TASKS\"\nservice = \"tasks\"\nentrypoint = \"TaskServce\"\n"),
        right: ("toml", "[[services]]\nbinding = \"TASKS\"\nservice = \"tasks\"\nentrypoint = \"TaskService\"   # export class TaskService extends WorkerEntrypoint\n"),
        fix: "Name a class the target exports (the quick fix offers the closest), or export it from the target's main module.",
    },
    RuleDoc {
        code: "entrypoint-not-rpc",
        checks: "The class a service binding's `entrypoint` names extends `WorkerEntrypoint` (a named `ExportedHandler` object is accepted too).",
        why: "A Durable Object, workflow or plain class cannot serve as an entrypoint: calls through the binding fail.",
        wrong: ("ts", "// tasks/src/index.ts, bound with entrypoint = \"TaskService\"\nexport class TaskService extends DurableObject {}\n"),
        right: ("ts", "export class TaskService extends WorkerEntrypoint {\n  async run(id: string) { return id; }\n}\n"),
        fix: "Bind a `WorkerEntrypoint` class, or make the class extend `WorkerEntrypoint`.",
    },
    RuleDoc {
        code: "default-entrypoint-string",
        checks: "No service binding sets `entrypoint = \"default\"`.",
        why: "It breaks `wrangler dev` (the local proxy looks for an export named `default` among the named entrypoints); leaving `entrypoint` out binds the default export already.",
        wrong: ("toml", "[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\nentrypoint = \"default\"\n"),
        right: ("toml", "[[services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n"),
        fix: "Remove the `entrypoint` line (the quick fix does; `check --fix` applies it).",
    },
    RuleDoc {
        code: "deprecated-service-environment",
        checks: "No service binding uses the deprecated `environment` field.",
        why: "wrangler no longer documents it and environments are separate workers named `<worker>-<env>`; the field hides which worker is really called.",
        wrong: ("toml", "[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth\"\nenvironment = \"staging\"\n"),
        right: ("toml", "[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth-staging\"\n"),
        fix: "Name the environment's worker instead: `service = \"<worker>-<env>\"` (the quick fix rewrites it).",
    },
    RuleDoc {
        code: "no-fetch-handler",
        checks: "A service binding without `entrypoint` targets a default export that has a `fetch` handler or is a `WorkerEntrypoint`.",
        why: "`env.X.fetch()` on such a binding fails at run time: the target has nothing to answer it.",
        wrong: ("ts", "// the bound worker's main module\nexport default {\n  async queue(batch: MessageBatch) {},\n};\n"),
        right: ("ts", "export default {\n  async fetch(request: Request) { return new Response(\"ok\"); },\n  async queue(batch: MessageBatch) {},\n};\n"),
        fix: "Add a `fetch` handler to the target, or bind a named `WorkerEntrypoint` with `entrypoint`.",
    },
    RuleDoc {
        code: "unknown-rpc-method",
        checks: "`env.X.m()` calls a method that the bound entrypoint or Durable Object class (with its local base classes) defines.",
        why: "TypeScript sees only what `wrangler types` generated, often a loose type; a misspelt or removed method fails at run time in another worker.",
        wrong: ("ts", "// auth exports class AuthServiceImpl extends WorkerEntrypoint { verifyToken() {} }\nawait env.AUTH.refreshSession(token);\n"),
        right: ("ts", "await env.AUTH.verifyToken(token);\n"),
        fix: "Call a method the class defines (completion after `env.AUTH.` lists them), or add the method to the class.",
    },
    RuleDoc {
        code: "unknown-script",
        checks: "A Durable Object or workflow binding's `script_name` names a worker that some config of the workspace defines.",
        why: "The binding points at a worker that does not exist: deploy fails or the namespace is empty.",
        wrong: ("toml", "[[durable_objects.bindings]]\nname = \"ROOMS\"\nclass_name = \"Room\"\nscript_name = \"chatt\"\n"),
        right: ("toml", "[[durable_objects.bindings]]\nname = \"ROOMS\"\nclass_name = \"Room\"\nscript_name = \"chat\"\n"),
        fix: "Use the hosting worker's `name`, or list it under `[external] workers` in `workers-lsp.toml` when it lives elsewhere.",
    },
    RuleDoc {
        code: "unknown-do-class",
        checks: "A Durable Object binding's `class_name` is exported by the hosting worker (this worker, or the one `script_name` names).",
        why: "Deploy fails (the class does not exist in the script), or the binding reaches nothing.",
        wrong: ("toml", "[[durable_objects.bindings]]\nname = \"COUNTER\"\nclass_name = \"Countr\"\n"),
        right: ("toml", "[[durable_objects.bindings]]\nname = \"COUNTER\"\nclass_name = \"Counter\"   # export class Counter extends DurableObject\n"),
        fix: "Name an exported class (the quick fix offers the closest), or export the class from the host's main module.",
    },
    RuleDoc {
        code: "not-a-durable-object",
        checks: "The class a Durable Object binding names extends `DurableObject` or at least has a `fetch` method.",
        why: "Calls to the stub fail at run time: the class cannot serve as a Durable Object.",
        wrong: ("ts", "export class Counter {\n  increment() {}\n}\n"),
        right: ("ts", "export class Counter extends DurableObject {\n  increment() {}\n}\n"),
        fix: "Extend `DurableObject` (from `cloudflare:workers`), or bind the right class.",
    },
    RuleDoc {
        code: "missing-do-migration",
        checks: "Every Durable Object class a worker hosts and binds is created by one of its migrations (`new_sqlite_classes`, `new_classes`, `renamed_classes`), or declared in `exports`.",
        why: "Deploy fails: Cloudflare requires a migration before a class can hold objects.",
        wrong: ("toml", "[[durable_objects.bindings]]\nname = \"COUNTER\"\nclass_name = \"Counter\"\n"),
        right: ("toml", "[[durable_objects.bindings]]\nname = \"COUNTER\"\nclass_name = \"Counter\"\n\n[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\"]\n"),
        fix: "Add a migration step that creates the class (the quick fix appends one with the next free tag).",
    },
    RuleDoc {
        code: "migration-class-not-exported",
        checks: "Every class that the replayed migrations leave live is still exported by the worker.",
        why: "Deploy fails when a class with stored objects disappears from the code without a migration that deletes or renames it.",
        wrong: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\", \"Legacy\"]   # Legacy is no longer exported\n"),
        right: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\", \"Legacy\"]\n\n[[migrations]]\ntag = \"v2\"\ndeleted_classes = [\"Legacy\"]\n"),
        fix: "Add a `deleted_classes` (or `renamed_classes`) migration, or keep exporting the class.",
    },
    RuleDoc {
        code: "deleted-class-still-bound",
        checks: "No binding, in any worker or environment, names a class that its host's migrations delete.",
        why: "Deploy fails with error 10061 while any binding still names the deleted class.",
        wrong: ("toml", "# web/wrangler.toml; api deletes Legacy in its migration v2\n[[durable_objects.bindings]]\nname = \"STORE\"\nclass_name = \"Legacy\"\nscript_name = \"api\"\n"),
        right: ("toml", "[[durable_objects.bindings]]\nname = \"STORE\"\nclass_name = \"Counter\"\nscript_name = \"api\"\n"),
        fix: "Remove or retarget the binding before (or in the same release as) the deleting migration.",
    },
    RuleDoc {
        code: "invalid-migration",
        checks: "Replaying the migrations in order succeeds: no rename or delete of an unknown class, no creation of an existing one, no duplicate tag, and not both `migrations` and `exports`.",
        why: "Cloudflare replays the same list at deploy and rejects it; stored objects can be lost when a rename is wrong.",
        wrong: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\"]\n\n[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{ from = \"Countr\", to = \"Tally\" }]\n"),
        right: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\"]\n\n[[migrations]]\ntag = \"v2\"\nrenamed_classes = [{ from = \"Counter\", to = \"Tally\" }]\n"),
        fix: "Correct the step the finding points at; never edit a step that has been deployed, add a new one instead.",
    },
    RuleDoc {
        code: "env-migrations-diverge",
        checks: "When `[env.E]` sets its own `migrations`, they start with every top-level step, tag for tag.",
        why: "`env.E.migrations` replaces the top-level list; once they diverge, later top-level steps never reach E and its deploys fail or lose classes.",
        wrong: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\"]\n\n[[env.staging.migrations]]\ntag = \"v1-staging\"\nnew_sqlite_classes = [\"Counter\"]\n"),
        right: ("toml", "[[migrations]]\ntag = \"v1\"\nnew_sqlite_classes = [\"Counter\"]\n\n# no env.staging.migrations: staging inherits the top-level list\n"),
        fix: "Remove the environment's `migrations` (they are inherited), or make it repeat the top-level steps first.",
    },
    RuleDoc {
        code: "unknown-workflow-class",
        checks: "A workflow's `class_name` is exported by the hosting worker.",
        why: "Deploy fails, or instances of the workflow cannot start.",
        wrong: ("toml", "[[workflows]]\nbinding = \"SIGNUP\"\nname = \"signup\"\nclass_name = \"SignupFlw\"\n"),
        right: ("toml", "[[workflows]]\nbinding = \"SIGNUP\"\nname = \"signup\"\nclass_name = \"SignupFlow\"   # export class SignupFlow extends WorkflowEntrypoint\n"),
        fix: "Name an exported class, or export it from the host's main module.",
    },
    RuleDoc {
        code: "not-a-workflow",
        checks: "The class a workflow names extends `WorkflowEntrypoint`.",
        why: "The runtime cannot run the workflow's steps: creating an instance fails.",
        wrong: ("ts", "export class SignupFlow {\n  async run(event, step) {}\n}\n"),
        right: ("ts", "export class SignupFlow extends WorkflowEntrypoint {\n  async run(event: WorkflowEvent<Params>, step: WorkflowStep) {}\n}\n"),
        fix: "Extend `WorkflowEntrypoint` (from `cloudflare:workers`).",
    },
    RuleDoc {
        code: "conflicting-workflow-name",
        checks: "No two workers host a workflow with the same name, and a cross-script workflow binding agrees with the host's class.",
        why: "Workflow names are account-wide: the second deploy takes the name over, and the first worker's instances run someone else's code.",
        wrong: ("toml", "# accounts/wrangler.toml\n[[workflows]]\nname = \"signup\"\nclass_name = \"SignupFlow\"\n\n# crm/wrangler.toml\n[[workflows]]\nname = \"signup\"\nclass_name = \"OnboardingFlow\"\n"),
        right: ("toml", "# crm/wrangler.toml\n[[workflows]]\nname = \"crm-onboarding\"\nclass_name = \"OnboardingFlow\"\n"),
        fix: "Give each workflow a unique name; bind another worker's workflow with `script_name` and the host's `class_name`.",
    },
    RuleDoc {
        code: "duplicate-queue-consumer",
        checks: "At most one worker consumes each queue in each environment.",
        why: "A queue has one consumer: the second deploy fails or takes the queue from the first.",
        wrong: ("toml", "# mailer/wrangler.toml and audit/wrangler.toml both have:\n[[queues.consumers]]\nqueue = \"events\"\n"),
        right: ("toml", "# audit/wrangler.toml consumes its own queue\n[[queues.consumers]]\nqueue = \"audit-events\"\n"),
        fix: "Keep one consumer per queue; fan out with a second queue the consumer produces to.",
    },
    RuleDoc {
        code: "missing-queue-handler",
        checks: "A worker that consumes a queue has a `queue` handler in its default export.",
        why: "Messages are delivered to a handler that does not exist: they fail and are retried until dropped or sent to the dead-letter queue.",
        wrong: ("ts", "export default {\n  async fetch(request: Request) { return new Response(\"ok\"); },\n};\n"),
        right: ("ts", "export default {\n  async fetch(request: Request) { return new Response(\"ok\"); },\n  async queue(batch: MessageBatch, env: Env) {\n    for (const m of batch.messages) m.ack();\n  },\n};\n"),
        fix: "Add a `queue(batch, env, ctx)` handler to the default export.",
    },
    RuleDoc {
        code: "queue-without-consumer",
        checks: "Every queue a worker produces to is consumed by some worker of the workspace.",
        why: "Messages pile up unread until they expire.",
        wrong: ("toml", "[[queues.producers]]\nbinding = \"INVOICES\"\nqueue = \"invoices\"   # nobody consumes it\n"),
        right: ("toml", "# notifier/wrangler.toml\n[[queues.consumers]]\nqueue = \"invoices\"\n"),
        fix: "Add a consumer, or list the queue under `[external] queues` in `workers-lsp.toml` when it is consumed elsewhere.",
    },
    RuleDoc {
        code: "unknown-binding",
        checks: "Code reads `env.X` only for names some environment of the worker declares: bindings, `vars`, keys of `.dev.vars`/`.env`, `secrets.required`.",
        why: "`env.X` is `undefined` at run time: the read fails far from the cause, often only in one environment.",
        wrong: ("ts", "const cached = await env.CACHE_KVV.get(key);   // the binding is CACHE_KV\n"),
        right: ("ts", "const cached = await env.CACHE_KV.get(key);\n"),
        fix: "Use a declared name (the quick fix offers the closest), or declare the binding, var or secret in the config.",
    },
    RuleDoc {
        code: "unused-binding",
        checks: "Every declared binding is read by some source of the worker.",
        why: "An unused binding is often the other half of a typo (`CACHE_KV` declared, `CACHE_KVV` read), and it keeps resources attached that nothing uses.",
        wrong: ("toml", "[[kv_namespaces]]\nbinding = \"OLD_CACHE\"\nid = \"0f2b\"\n"),
        right: ("toml", "# the binding removed, or read in the code: env.OLD_CACHE.get(key)\n"),
        fix: "Remove the binding, or read it where it was meant to be read.",
    },
    RuleDoc {
        code: "binding-not-inherited",
        checks: "Each `[env.E]` repeats every non-inheritable key (`vars`, `services`, `durable_objects`, `kv_namespaces`, ...) that the top level sets.",
        why: "wrangler does not copy bindings into environments: the binding is absent in E, and only wrangler's warning says so.",
        wrong: ("toml", "vars = { API_URL = \"https://api.example.com\" }\n\n[env.staging]\nname = \"api-staging\"\n"),
        right: ("toml", "vars = { API_URL = \"https://api.example.com\" }\n\n[env.staging]\nname = \"api-staging\"\nvars = { API_URL = \"https://staging.example.com\" }\n"),
        fix: "Repeat the key in `[env.E]` with that environment's values.",
    },
    RuleDoc {
        code: "environment-drift",
        checks: "Inside `[env.E]`, references to other workers name their E worker (`auth-staging`), not their production name, when that worker defines E.",
        why: "Staging would call production: test traffic reaches real data.",
        wrong: ("toml", "[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth\"\n"),
        right: ("toml", "[[env.staging.services]]\nbinding = \"AUTH\"\nservice = \"auth-staging\"\n"),
        fix: "Name the environment's worker (the quick fix does).",
    },
    RuleDoc {
        code: "unused-suppression",
        checks: "Every `workers-lsp: ignore[...]` or `ignore-file[...]` comment suppresses at least one finding; its codes name rules; it is well formed.",
        why: "A suppression outlives the finding it was written for and would silently hide the next real one on that line; a misspelt code suppresses nothing.",
        wrong: ("toml", "[[services]]\nbinding = \"SELF\"\n# workers-lsp: ignore[unknown-service] no finding here any more\nservice = \"api\"\n"),
        right: ("toml", "[[services]]\nbinding = \"BILLING\"\n# workers-lsp: ignore[unknown-service] deployed from the payments repository\nservice = \"billing\"\n"),
        fix: "Remove the comment, or the codes that no longer match (`check --fix` does). Codes of rules that are off in `workers-lsp.toml` are not reported.",
    },
    RuleDoc {
        code: "unreadable-file",
        checks: "Every config and source the workers need could be read: it is UTF-8 text, at most 2 MB, a regular file, and inside the checked root.",
        why: "A skipped file is not analysed: rules that depend on it stay silent, so this info says why nothing is reported there.",
        wrong: ("toml", "name = \"api\"\nmain = \"../../shared/index.ts\"   # outside the checked folder\n"),
        right: ("toml", "name = \"api\"\nmain = \"src/index.ts\"\n"),
        fix: "Check the folder that holds every file, keep sources under 2 MB and UTF-8, or exclude generated files in `workers-lsp.toml` `[files] exclude`.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::rules::{render_doc, RULES};
    use std::path::PathBuf;

    fn pages_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules")
    }

    /// The index page: every rule, its default severity and summary, linking to its page.
    fn index_page() -> String {
        let mut out = String::from(
            "# Rules\n\nGenerated from the rule catalogue (`server/src/analysis/rules/`); `workers-lsp rules` prints the same list and `workers-lsp explain CODE` one page.\n\n| code | default | what it finds |\n|---|---|---|\n",
        );
        for r in RULES {
            out.push_str(&format!(
                "| [`{0}`]({0}.md) | {1} | {2} |\n",
                r.code,
                r.default_severity.as_str(),
                r.summary.replace('|', "\\|")
            ));
        }
        out
    }

    #[test]
    fn every_rule_has_one_documentation_entry_with_every_section() {
        for r in RULES {
            let docs: Vec<&RuleDoc> = DOCS.iter().filter(|d| d.code == r.code).collect();
            assert_eq!(docs.len(), 1, "{}: {} entries", r.code, docs.len());
            let d = docs[0];
            for (what, text) in [
                ("checks", d.checks),
                ("why", d.why),
                ("wrong", d.wrong.1),
                ("right", d.right.1),
                ("fix", d.fix),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", r.code);
            }
            assert_ne!(d.wrong.1, d.right.1, "{}", r.code);
            assert!(
                d.wrong.1.ends_with('\n') && d.right.1.ends_with('\n'),
                "{}",
                r.code
            );
            let page = render_doc(r);
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(page.contains(heading), "{}: no {heading}", r.code);
            }
        }
        for d in DOCS {
            assert!(
                RULES.iter().any(|r| r.code == d.code),
                "documentation for unknown rule {}",
                d.code
            );
        }
    }

    /// `docs/rules/<code>.md` are this text, written out; `UPDATE_RULE_DOCS=1` rewrites them.
    #[test]
    fn rule_docs_pages_are_in_sync_with_the_catalogue() {
        let dir = pages_dir();
        let update = std::env::var_os("UPDATE_RULE_DOCS").is_some();
        let mut expected: Vec<(PathBuf, String)> = RULES
            .iter()
            .map(|r| (dir.join(format!("{}.md", r.code)), render_doc(r)))
            .collect();
        expected.push((dir.join("README.md"), index_page()));
        let mut stale = Vec::new();
        for (path, text) in &expected {
            if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                if update {
                    std::fs::create_dir_all(&dir).unwrap();
                    std::fs::write(path, text).unwrap();
                } else {
                    stale.push(path.display().to_string());
                }
            }
        }
        // No page for a rule that does not exist.
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if !expected.iter().any(|(p, _)| *p == path) {
                if update {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no such rule)", path.display()));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "out of date (run `UPDATE_RULE_DOCS=1 cargo test -p workers-lsp rule_docs`):\n{}",
            stale.join("\n")
        );
    }
}
