//! Rule tests as multi-file fixtures: each names the findings it expects as
//! `path:line code`, every severity included.

use crate::analysis::{check, SourceUpdate, Workspace};
use crate::base::{LineIndex, PositionEncoding};
use crate::fixture::fixture;
use crate::project::{relative, DiskFs};
use std::sync::Arc;

fn findings(text: &str) -> Vec<String> {
    findings_in(&fixture(text))
}

fn findings_in(f: &crate::fixture::Fixture) -> Vec<String> {
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let (_, diags) = check(ws.clone());
    diags
        .iter()
        .map(|d| {
            let text = ws.text(&d.file).unwrap_or_default();
            let line = LineIndex::new(&text)
                .line_col(&text, d.range.start, PositionEncoding::Utf16)
                .line
                + 1;
            format!("{}:{} {}", relative(f.root(), &d.file), line, d.code)
        })
        .collect()
}

fn assert_findings(text: &str, expected: &[&str]) {
    let got = findings(text);
    assert_eq!(got, expected, "\nfindings were:\n{}\n", got.join("\n"));
}

const AUTH: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
//- /auth/src/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export { TokenService } from "./tokens";
export default { async fetch() { return new Response("ok"); } };
//- /auth/src/tokens.ts
import { WorkerEntrypoint } from "cloudflare:workers";
class Base extends WorkerEntrypoint {
  async ping() { return "pong"; }
}
export class TokenService extends Base {
  async verifyToken(token: string) { return token.length > 0; }
  private secret() {}
}
"#;

#[test]
fn clean_service_binding_with_rpc_through_reexport_and_base_class() {
    let text = format!(
        "{AUTH}{}",
        r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
//- /api/src/index.ts
export default {
  async fetch(req: Request, env: Env) {
    await env.AUTH.ping();
    return new Response(String(await env.AUTH.verifyToken("t")));
  },
};
"#
    );
    assert_findings(&text, &[]);
}

#[test]
fn misspelt_entrypoint_and_unknown_method() {
    let text = format!(
        "{AUTH}{}",
        r#"
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [
  { binding = "AUTH", service = "auth", entrypoint = "TokenServce" },
  { binding = "AUTH2", service = "auth", entrypoint = "TokenService" },
]
//- /api/src/index.ts
export default {
  async fetch(req: Request, env: Env) {
    await env.AUTH.ping();
    await env.AUTH2.verifyTokn("x");
    await env.AUTH2.secret();
    return new Response("");
  },
};
"#
    );
    assert_findings(
        &text,
        &[
            "api/src/index.ts:4 unknown-rpc-method",
            "api/src/index.ts:5 unknown-rpc-method",
            "api/wrangler.toml:4 unknown-entrypoint",
        ],
    );
}

#[test]
fn unknown_service_and_external_workers() {
    let text = r#"
//- /workers-lsp.toml
[external]
workers = ["billing"]
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [
  { binding = "A", service = "billing" },
  { binding = "B", service = "nope" },
]
//- /api/src/index.ts
export default { fetch(r: Request, env: Env) { env.A; env.B; return new Response(); } };
"#;
    assert_findings(text, &["api/wrangler.toml:5 unknown-service"]);
}

#[test]
fn durable_object_hosted_elsewhere_needs_host_migration() {
    let text = r#"
//- /host/wrangler.toml
name = "host"
main = "index.ts"
[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"
[[durable_objects.bindings]]
name = "LOBBY"
class_name = "Lobby"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Room"]
//- /host/index.ts
import { DurableObject } from "cloudflare:workers";
export class Room extends DurableObject { async join() {} }
export class Lobby extends DurableObject {}
export default { fetch(r: Request, env: Env) { env.ROOM; env.LOBBY; return new Response(); } };
//- /client/wrangler.toml
name = "client"
main = "index.ts"
[[durable_objects.bindings]]
name = "ROOM"
class_name = "Room"
script_name = "host"
//- /client/index.ts
export default {
  async fetch(r: Request, env: Env) {
    const stub = env.ROOM.getByName("a");
    await stub.join();
    await stub.leave();
    return new Response();
  },
};
"#;
    assert_findings(
        text,
        &[
            "client/index.ts:5 unknown-rpc-method",
            "host/wrangler.toml:8 missing-do-migration",
        ],
    );
}

#[test]
fn migrations_replay_renames_and_deletes() {
    let text = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[durable_objects.bindings]]
name = "OLD"
class_name = "Old"
[[migrations]]
tag = "v1"
new_classes = ["Old", "Gone"]
[[migrations]]
tag = "v2"
deleted_classes = ["Old"]
renamed_classes = [{ from = "Gone", to = "Kept" }]
[[migrations]]
tag = "v2"
deleted_classes = ["Never"]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class Old extends DurableObject {}
export default { fetch(r: Request, env: Env) { env.OLD; return new Response(); } };
"#;
    assert_findings(
        text,
        &[
            "w/wrangler.toml:5 deleted-class-still-bound",
            "w/wrangler.toml:12 migration-class-not-exported",
            "w/wrangler.toml:14 invalid-migration",
            "w/wrangler.toml:15 invalid-migration",
        ],
    );
}

#[test]
fn staging_calling_production_and_missing_env_bindings() {
    let text = r#"
//- /auth/wrangler.toml
name = "auth"
main = "index.ts"
[env.staging]
//- /auth/index.ts
export default { fetch() { return new Response(); } };
//- /api/wrangler.toml
name = "api"
main = "index.ts"
services = [{ binding = "AUTH", service = "auth" }]
kv_namespaces = [{ binding = "CACHE", id = "1" }]
[env.staging]
services = [{ binding = "AUTH", service = "auth" }]
[env.prod2]
services = [{ binding = "AUTH", service = "auth-staging" }]
kv_namespaces = [{ binding = "CACHE", id = "1" }]
//- /api/index.ts
export default { fetch(r: Request, env: Env) { env.AUTH.fetch(r); env.CACHE; return new Response(); } };
"#;
    assert_findings(
        text,
        &[
            "api/wrangler.toml:5 binding-not-inherited",
            "api/wrangler.toml:6 environment-drift",
        ],
    );
}

#[test]
fn bindings_unknown_and_unused() {
    let text = r#"
//- /w/wrangler.toml
name = "w"
main = "src/index.ts"
kv_namespaces = [{ binding = "CACHE", id = "1" }, { binding = "SPARE", id = "2" }]
[vars]
MODE = "x"
//- /w/.dev.vars
API_KEY=abc
//- /w/src/index.ts
import { helper } from "./lib";
export default {
  async fetch(req: Request, e: Env) {
    helper();
    return new Response(e.MODE + e.API_KEY + e.CACH);
  },
};
//- /w/src/lib.ts
import { env } from "cloudflare:workers";
export function helper() { return env.CACHE; }
"#;
    assert_findings(
        text,
        &[
            "w/src/index.ts:5 unknown-binding",
            "w/wrangler.toml:3 unused-binding",
        ],
    );
}

#[test]
fn queues_consumers_and_handlers() {
    let text = r#"
//- /a/wrangler.toml
name = "a"
main = "index.ts"
[[queues.producers]]
binding = "JOBS"
queue = "jobs"
[[queues.producers]]
binding = "LOST"
queue = "lost"
[[queues.consumers]]
queue = "jobs"
//- /a/index.ts
export default { fetch(r: Request, env: Env) { env.JOBS.send(1); env.LOST.send(1); return new Response(); } };
//- /b/wrangler.toml
name = "b"
main = "index.ts"
[[queues.consumers]]
queue = "jobs"
//- /b/index.ts
export default { async queue(batch: unknown) {} };
"#;
    assert_findings(
        text,
        &[
            "a/wrangler.toml:8 queue-without-consumer",
            "a/wrangler.toml:10 duplicate-queue-consumer",
            "a/wrangler.toml:10 missing-queue-handler",
            "b/wrangler.toml:4 duplicate-queue-consumer",
        ],
    );
}

#[test]
fn workflows_hosted_and_triggered() {
    let text = r#"
//- /flows/wrangler.toml
name = "flows"
main = "index.ts"
[[workflows]]
binding = "ORDER"
name = "order-flow"
class_name = "OrderFlow"
//- /flows/index.ts
import { WorkflowEntrypoint } from "cloudflare:workers";
export class OrderFlow extends WorkflowEntrypoint { async run() {} }
export class NotFlow {}
export default { fetch(r: Request, env: Env) { env.ORDER.create(); return new Response(); } };
//- /shop/wrangler.toml
name = "shop"
main = "index.ts"
[[workflows]]
binding = "ORDER"
name = "order-flow"
class_name = "OrderFlo"
script_name = "flows"
[[workflows]]
binding = "BAD"
name = "bad-flow"
class_name = "NotFlow"
//- /shop/index.ts
import { NotFlow } from "./x";
export { NotFlow };
export default { fetch(r: Request, env: Env) { env.ORDER.create(); env.BAD.create(); return new Response(); } };
//- /shop/x.ts
export class NotFlow {}
"#;
    assert_findings(
        text,
        &[
            "shop/wrangler.toml:6 conflicting-workflow-name",
            "shop/wrangler.toml:6 unknown-workflow-class",
            "shop/wrangler.toml:11 not-a-workflow",
        ],
    );
}

#[test]
fn broken_config_does_not_stop_the_others() {
    let text = r#"
//- /a/wrangler.jsonc
{ "name": "a", "main": "index.ts", "services": [ { "binding": "B", "service": "b" } ],
//- /a/index.ts
export default { fetch() { return new Response(); } };
//- /b/wrangler.jsonc
// comment
{ "name": "b", "main": "missing.ts", }
"#;
    let got = findings(text);
    assert!(
        got.iter()
            .any(|f| f.starts_with("a/wrangler.jsonc") && f.ends_with("config-syntax")),
        "{got:?}"
    );
    assert!(
        got.contains(&"b/wrangler.jsonc:2 missing-main".to_string()),
        "{got:?}"
    );
}

#[test]
fn default_entrypoint_deprecated_environment_and_names() {
    let text = r#"
//- /auth/wrangler.toml
name = "auth"
main = "index.ts"
[env.staging]
//- /auth/index.ts
export default { fetch() { return new Response(); } };
//- /api/wrangler.toml
name = "Api"
main = "index.ts"
services = [
  { binding = "A", service = "auth", entrypoint = "default" },
  { binding = "B", service = "auth", environment = "staging" },
]
//- /api/index.ts
export default { fetch(r: Request, env: Env) { env.A.fetch(r); env.B.fetch(r); return new Response(); } };
//- /copy/wrangler.toml
name = "auth"
main = "index.ts"
//- /copy/index.ts
export default { fetch() { return new Response(); } };
"#;
    assert_findings(
        text,
        &[
            "api/wrangler.toml:1 invalid-worker-name",
            "api/wrangler.toml:4 default-entrypoint-string",
            "api/wrangler.toml:5 deprecated-service-environment",
            "auth/wrangler.toml:1 duplicate-worker-name",
            "copy/wrangler.toml:1 duplicate-worker-name",
        ],
    );
}

#[test]
fn service_worker_default_without_fetch_and_not_rpc_entrypoint() {
    let text = r#"
//- /q/wrangler.toml
name = "q"
main = "index.ts"
//- /q/index.ts
export class Helper {}
export default { async queue() {} };
//- /api/wrangler.toml
name = "api"
main = "index.ts"
services = [
  { binding = "Q", service = "q" },
  { binding = "H", service = "q", entrypoint = "Helper" },
]
//- /api/index.ts
export default { fetch(r: Request, env: Env) { env.Q.fetch(r); env.H.fetch(r); return new Response(); } };
//- /nodefault/wrangler.toml
name = "nodefault"
main = "index.ts"
//- /nodefault/index.ts
export class X {}
"#;
    assert_findings(
        text,
        &[
            "api/wrangler.toml:4 no-fetch-handler",
            "api/wrangler.toml:5 entrypoint-not-rpc",
            "nodefault/wrangler.toml:2 no-default-export",
        ],
    );
}

#[test]
fn unknown_do_class_and_not_a_durable_object() {
    let text = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
durable_objects.bindings = [
  { name = "A", class_name = "Counter" },
  { name = "B", class_name = "Plain" },
  { name = "C", class_name = "Countr" },
]
[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter", "Plain"]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {}
export class Plain {}
export default { fetch(r: Request, env: Env) { env.A; env.B; env.C; return new Response(); } };
"#;
    assert_findings(
        text,
        &[
            "w/wrangler.toml:5 not-a-durable-object",
            "w/wrangler.toml:6 unknown-do-class",
        ],
    );
}

#[test]
fn env_migrations_must_start_with_the_top_level_steps() {
    let text = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
[[migrations]]
tag = "v2"
new_sqlite_classes = ["B"]
[env.ahead]
[[env.ahead.migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
[[env.ahead.migrations]]
tag = "v2"
new_sqlite_classes = ["B"]
[[env.ahead.migrations]]
tag = "v3"
new_sqlite_classes = ["C"]
[env.behind]
[[env.behind.migrations]]
tag = "v1"
new_sqlite_classes = ["A"]
//- /w/index.ts
import { DurableObject } from "cloudflare:workers";
export class A extends DurableObject {}
export class B extends DurableObject {}
export class C extends DurableObject {}
export default { fetch() { return new Response(); } };
"#;
    assert_findings(text, &["w/wrangler.toml:20 env-migrations-diverge"]);
}

#[test]
fn secrets_named_by_env_types_are_declared_but_bindings_are_not() {
    let text = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
//- /w/worker-configuration.d.ts
// Generated by Wrangler by running `wrangler types`
declare namespace Cloudflare { interface Env { FROM_TYPES: string } }
//- /w/index.ts
interface Env { STRIPE_KEY: string; CACHE: KVNamespace }
export default {
  fetch(r: Request, env: Env) {
    return new Response(env.STRIPE_KEY + env.FROM_TYPES + env.CACHE);
  },
};
"#;
    assert_findings(text, &["w/index.ts:4 unknown-binding"]);
}

/// Modules reached at any depth of a long chain, through diamonds and a cycle, are each
/// loaded once; type-only imports and unreached files are not loaded.
#[test]
fn every_module_an_import_chain_reaches_is_loaded_once() {
    let mut text = String::from(
        "//- /w/wrangler.toml\nname = \"w\"\nmain = \"m0.ts\"\n//- /w/lonely.ts\nexport {};\n\
         //- /w/types.ts\nexport type T = 1;\n",
    );
    let n = 40;
    for i in 0..n {
        text.push_str(&format!("//- /w/m{i}.ts\n"));
        // Each module imports the next two (a diamond at every step), the last the first.
        for j in [i + 1, i + 2] {
            if j < n {
                text.push_str(&format!("import {{ v{j} }} from \"./m{j}\";\n"));
            }
        }
        if i == n - 1 {
            text.push_str("import { v0 } from \"./m0\";\n");
        }
        text.push_str("import type { T } from \"./types\";\n");
        text.push_str(&format!("export const v{i} = {i};\n"));
        if i == 0 {
            text.push_str("export default { fetch() { return new Response(String(v1)); } };\n");
        }
    }
    let f = fixture(&text);
    let fs = DiskFs::new(f.root());
    let ws = Workspace::load(f.root(), &fs);
    assert_eq!(ws.summaries_made, n);
    let mut loaded: Vec<_> = ws.sources.keys().cloned().collect();
    loaded.sort();
    let mut want: Vec<_> = (0..n).map(|i| f.path(&format!("w/m{i}.ts"))).collect();
    want.sort();
    assert_eq!(loaded, want);
}

#[test]
fn an_edit_resummarises_only_the_edited_file() {
    let f = fixture(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
//- /w/index.ts
import { a } from "./a";
import { b } from "./b";
export default { fetch(r: Request, env: Env) { return new Response(a + b); } };
//- /w/a.ts
export const a = 1;
//- /w/b.ts
export const b = 2;
"#,
    );
    let fs = DiskFs::new(f.root());
    let mut ws = Workspace::load(f.root(), &fs);
    assert_eq!(ws.summaries_made, 3);
    std::fs::write(
        f.path("w/a.ts"),
        "export const a = 1;\nimport { c } from './c';\n",
    )
    .unwrap();
    std::fs::write(f.path("w/c.ts"), "export const c = 3;\n").unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/a.ts"), &fs),
        SourceUpdate::Graph
    );
    // a.ts again, and c.ts which it now imports; index.ts and b.ts are untouched.
    assert_eq!(ws.summaries_made, 5);
    assert!(ws.sources.contains_key(&f.path("w/c.ts")));
    // Dropping the import drops the module.
    std::fs::write(f.path("w/a.ts"), "export const a = 1;\n").unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/a.ts"), &fs),
        SourceUpdate::Graph
    );
    assert_eq!(ws.summaries_made, 6);
    assert!(!ws.sources.contains_key(&f.path("w/c.ts")));
    // An edit that keeps the imports keeps the graph.
    std::fs::write(f.path("w/a.ts"), "export const a = 2;\n").unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/a.ts"), &fs),
        SourceUpdate::Content
    );
    assert_eq!(ws.summaries_made, 7);
    // A file no worker reaches.
    std::fs::write(f.path("w/lonely.ts"), "export const l = 1;\n").unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/lonely.ts"), &fs),
        SourceUpdate::Outside
    );
}

/// An edit that keeps a module's imports keeps the module graph: the new index shares the
/// previous one's, and its findings are those of an index built from scratch. Any other change
/// (new imports, a config edit, a refresh) computes the graph again.
#[test]
fn an_index_keeps_the_module_graph_only_while_it_is_unchanged() {
    use crate::analysis::index::Index;
    use crate::analysis::rules::run_all;
    let f = fixture(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[[kv_namespaces]]
binding = "KV"
id = "0123456789abcdef0123456789abcdef"
//- /w/index.ts
import { a } from "./a";
export default { fetch(r: Request, env: Env) { return new Response(a); } };
//- /w/a.ts
export const a = 1;
//- /w/c.ts
export const read = (env: Env) => env.KV;
"#,
    );
    let fs = DiskFs::new(f.root());
    let mut ws = Workspace::load(f.root(), &fs);
    let first = Index::new(Arc::new(ws.clone()));
    let findings = |ix: &Index| -> Vec<String> {
        run_all(ix)
            .iter()
            .map(|d| format!("{} {}", relative(f.root(), &d.file), d.code))
            .collect()
    };
    assert_eq!(findings(&first), vec!["w/wrangler.toml unused-binding"]);

    // Same imports: the graph is shared, and the new read is seen.
    std::fs::write(
        f.path("w/index.ts"),
        "import { a } from \"./a\";\nexport default { fetch(r: Request, env: Env) { return new Response(a + env.KV + env.NOPE); } };\n",
    )
    .unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/index.ts"), &fs),
        SourceUpdate::Content
    );
    let second = Index::with_graph_of(Arc::new(ws.clone()), &first, &f.path("w/index.ts"));
    assert!(second.shares_graph_with(&first));
    let fresh = Index::new(Arc::new(ws.clone()));
    assert_eq!(findings(&second), findings(&fresh));
    assert_eq!(findings(&second), vec!["w/index.ts unknown-binding"]);

    // A new import changes the graph: recomputed, and c.ts is now part of the worker.
    std::fs::write(
        f.path("w/a.ts"),
        "import { read } from \"./c\";\nexport const a = read;\n",
    )
    .unwrap();
    assert_eq!(
        ws.update_source(&f.path("w/a.ts"), &fs),
        SourceUpdate::Graph
    );
    let third = Index::with_graph_of(Arc::new(ws.clone()), &second, &f.path("w/a.ts"));
    assert!(!third.shares_graph_with(&second));
    assert!(third.worker_files(0).contains(&f.path("w/c.ts")));

    // A config edit (even one that keeps every main) computes the graph again.
    ws.update_config(&f.path("w/wrangler.toml"), &fs);
    let fourth = Index::with_graph_of(Arc::new(ws.clone()), &third, &f.path("w/wrangler.toml"));
    assert!(!fourth.shares_graph_with(&third));
    assert_eq!(
        findings(&fourth),
        findings(&Index::new(Arc::new(ws.clone())))
    );
}

#[test]
fn nothing_outside_the_root_is_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.ts"), "export const s = 1;\n").unwrap();
    let f = fixture(
        r#"
//- /v/wrangler.toml
name = "v"
main = "index.ts"
//- /v/index.ts
import { s } from "./linked";
import { t } from "./loop/index";
export default { fetch() { return new Response(String(s) + t); } };
//- /v/loop/index.ts
import { t } from "./index";
export { t } from "../index";
export const t = 1;
"#,
    );
    std::os::unix::fs::symlink(outside.path().join("secret.ts"), f.path("v/linked.ts")).unwrap();
    // `main` through `..` to a file that exists outside the root.
    let up = "../".repeat(f.root().components().count());
    let main = format!("{up}{}", outside.path().join("secret.ts").display());
    std::fs::create_dir_all(f.path("w")).unwrap();
    std::fs::write(
        f.path("w/wrangler.toml"),
        format!("name = \"w\"\nmain = \"{main}\"\n"),
    )
    .unwrap();
    let got = findings_in(&f);
    assert_eq!(
        got,
        vec![
            "v/index.ts:1 unreadable-file".to_string(),
            "w/wrangler.toml:2 unreadable-file".to_string(),
        ]
    );
}

/// Regressions found by running on cloudflare/workers-sdk's fixtures.
#[test]
fn named_exported_handler_objects_and_workers_sites_are_not_findings() {
    let text = r#"
//- /rpc/wrangler.jsonc
{
  "name": "rpc",
  "main": "src/index.ts",
  "site": { "bucket": "./public" },
  "services": [{ "binding": "SELF", "service": "rpc", "entrypoint": "namedHandler" }],
}
//- /rpc/src/index.ts
export const namedHandler = <ExportedHandler<Env>>{ fetch() { return new Response(); } };
export default {
  fetch(r: Request, env: Env) { env.SELF.fetch(r); return new Response(env.__STATIC_CONTENT); },
};
"#;
    assert_findings(text, &[]);
}

/// `unknown-key` findings with their severities, as `line severity`.
fn key_severities(text: &str) -> Vec<String> {
    let f = fixture(text);
    let fs = DiskFs::new(f.root());
    let ws = Arc::new(Workspace::load(f.root(), &fs));
    let (_, diags) = check(ws.clone());
    diags
        .iter()
        .filter(|d| d.code == "unknown-key")
        .map(|d| {
            let text = ws.text(&d.file).unwrap_or_default();
            let line = LineIndex::new(&text)
                .line_col(&text, d.range.start, PositionEncoding::Utf16)
                .line
                + 1;
            format!("{line} {}", d.severity.as_str())
        })
        .collect()
}

const UNKNOWN_KEYS: &str = r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
compatability_date = "2025-01-01"
brand_new_wrangler_key = true
//- /w/index.ts
export default { fetch() { return new Response(); } };
"#;

#[test]
fn unknown_keys_are_info_unless_a_near_miss() {
    assert_eq!(key_severities(UNKNOWN_KEYS), vec!["3 warning", "4 info"]);
}

#[test]
fn a_configured_severity_applies_to_unknown_keys() {
    let with = |rule: &str| format!("{UNKNOWN_KEYS}//- /workers-lsp.toml\n[rules]\n{rule}\n");
    // A key that is no near miss stays graded down below the configured severity.
    assert_eq!(
        key_severities(&with("unknown-key = \"error\"")),
        vec!["3 error", "4 info"]
    );
    assert_eq!(
        key_severities(&with("unknown-key = \"hint\"")),
        vec!["3 hint", "4 hint"]
    );
    assert!(key_severities(&with("unknown-key = \"off\"")).is_empty());
}

#[test]
fn a_binding_under_a_misplaced_key_is_reported_once() {
    assert_findings(
        r#"
//- /w/wrangler.toml
name = "w"
main = "index.ts"
[build]
command = "make"
kv_namespaces = [{ binding = "KV", id = "1" }]
//- /w/index.ts
export default { fetch(r: Request, env: Env) { return env.KV.get("a"); } };
"#,
        &["w/wrangler.toml:5 misplaced-key"],
    );
}

/// M1: every top-level binding key an environment leaves out is its own finding (wrangler
/// warns for each), all on the environment's name.
#[test]
fn binding_not_inherited_reports_each_missing_key() {
    let got = findings(
        r#"
//- /wrangler.jsonc
{ "name": "w", "main": "i.ts",
  "r2_buckets": [{ "binding": "B", "bucket_name": "b" }],
  "hyperdrive": [{ "binding": "H", "id": "h" }],
  "d1_databases": [{ "binding": "D", "database_id": "d", "database_name": "d" }],
  "env": { "production": { "name": "w-prod", "hyperdrive": [{ "binding": "H", "id": "h2" }] } } }
//- /i.ts
export default { fetch(r: Request, env: any) { return new Response(String([env.B, env.H, env.D])); } };
"#,
    );
    assert_eq!(
        got,
        vec![
            "wrangler.jsonc:5 binding-not-inherited",
            "wrangler.jsonc:5 binding-not-inherited"
        ]
    );
}

/// G: a worker that binds its own name calls itself, even when another config elsewhere has
/// the same name; the namesake does not receive its bindings' checks.
#[test]
fn a_self_binding_resolves_to_its_own_worker() {
    let text = r#"
//- /b/wrangler.jsonc
{ "name": "worker", "main": "index.ts" }
//- /b/index.ts
export default { fetch() { return new Response("b"); } };
//- /z/wrangler.jsonc
{ "name": "worker", "main": "index.ts",
  "services": [{ "binding": "SELF", "service": "worker", "entrypoint": "MyEntry" }] }
//- /z/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class MyEntry extends WorkerEntrypoint { ping() { return 1; } }
export default { async fetch(r: Request, env: any) { await env.SELF.ping(); await env.SELF.pong(); return new Response(""); } };
"#;
    let got = findings(text);
    assert!(
        got.contains(&"z/index.ts:3 unknown-rpc-method".to_string()),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|g| g.contains("unknown-entrypoint")),
        "{got:?}"
    );
}

/// A folder's project is its nearest folder holding a `package.json`: a nested package's
/// manifest sorts before its parent's (`a/b/package.json` < `a/package.json`), and a sibling
/// with a longer name (`a-c`) is not inside `a`.
#[test]
fn the_project_of_a_folder_is_its_nearest_package() {
    let f = fixture(
        r#"
//- /package.json
{ "name": "root" }
//- /a/package.json
{ "name": "a" }
//- /a/b/package.json
{ "name": "b" }
//- /a-c/package.json
{ "name": "c" }
//- /a/b/wrangler.toml
name = "w"
"#,
    );
    let fs = DiskFs::new(f.root());
    let ws = Workspace::load(f.root(), &fs);
    let project = |dir: &str| relative(f.root(), ws.support.project_of(&f.path(dir), f.root()));
    assert_eq!(project("a/b/src/deep"), "a/b");
    assert_eq!(project("a/b"), "a/b");
    assert_eq!(project("a/x"), "a");
    assert_eq!(project("a-c/src"), "a-c");
    assert_eq!(project("z"), "");
}

/// The `main` a vitest config runs a wrangler config's tests with is the first vitest
/// config's (in path order) that names it; a config no vitest config names keeps its own.
#[test]
fn the_first_vitest_config_naming_a_config_gives_its_test_main() {
    let vitest = |main: &str, config: &str| {
        format!(
            "export default defineWorkersConfig({{ test: {{ poolOptions: {{ workers: {{ main: \"{main}\", wrangler: {{ configPath: \"{config}\" }} }} }} }} }});\n"
        )
    };
    let f = fixture(&format!(
        "//- /a/wrangler.toml\nname = \"a\"\nmain = \"src/index.ts\"\n\
         //- /a/vitest.config.ts\n{}\
         //- /a/z/vitest.config.ts\n{}\
         //- /b/wrangler.toml\nname = \"b\"\nmain = \"src/index.ts\"\n\
         //- /b/vitest.config.ts\n{}",
        vitest("./test/entry.ts", "./wrangler.toml"),
        vitest("../other.ts", "../wrangler.toml"),
        vitest("./t.ts", "./wrangler.test.toml"),
    ));
    let fs = DiskFs::new(f.root());
    let ws = Workspace::load(f.root(), &fs);
    assert_eq!(
        ws.test_main(&f.path("a/wrangler.toml")),
        Some(f.path("a/test/entry.ts").as_path())
    );
    assert_eq!(ws.test_main(&f.path("b/wrangler.toml")), None);
    let entries: Vec<String> = ws
        .entry_files()
        .iter()
        .map(|p| relative(f.root(), p))
        .collect();
    assert_eq!(
        entries,
        ["a/src/index.ts", "a/test/entry.ts", "b/src/index.ts"]
    );
}
