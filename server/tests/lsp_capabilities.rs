//! What the server does with what the client says it can do, and where files live: watcher
//! registration, versioned edits, code-action kinds, several roots, files outside every root.

mod common;

use common::{codes, uri, write_fixture, TestClient};
use serde_json::{json, Value};

const FAMILY: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
//- /auth/src/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class TokenService extends WorkerEntrypoint {
  async verify(token: string) { return token.length > 0; }
}
export default { fetch() { return new Response("ok"); } };
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenSvc" }]
//- /api/src/index.ts
export default {
  async fetch(req: Request, env: Env) {
    return new Response(String(env.AUTH));
  },
};
"#;

const LONE_WORKER: &str = r#"
//- /lone/wrangler.toml
name = "lone"
main = "src/index.ts"
//- /lone/src/index.ts
export default {
  async fetch(req: Request, env: Env) {
    return new Response(env.NOT_DECLARED);
  },
};
"#;

fn has(code: &str) -> impl Fn(&[Value]) -> bool + '_ {
    move |d: &[Value]| codes(d).iter().any(|c| c == code)
}

#[tokio::test]
async fn watchers_are_registered_only_when_the_client_allows_it() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let config = uri(&root.join("api/wrangler.toml"));

    let mut client = TestClient::in_process();
    client
        .initialize(
            &root,
            json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        )
        .await;
    client
        .diagnostics_until(&config, has("unknown-entrypoint"))
        .await;
    let registrations: Vec<&Value> = client
        .requests
        .iter()
        .filter(|r| r["method"] == "client/registerCapability")
        .collect();
    assert_eq!(registrations.len(), 1, "{:?}", client.requests);
    let registration = &registrations[0]["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    for wanted in [
        "**/*wrangler*.{toml,json,jsonc}",
        "**/.dev.vars*",
        "**/.env*",
        "**/workers-lsp.toml",
    ] {
        assert!(globs.contains(&wanted), "{globs:?}");
    }
    assert!(globs.iter().any(|g| g.contains("ts") && g.contains("mjs")));
    client.shutdown().await;

    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client
        .diagnostics_until(&config, has("unknown-entrypoint"))
        .await;
    assert!(
        client
            .requests
            .iter()
            .all(|r| r["method"] != "client/registerCapability"),
        "{:?}",
        client.requests
    );
    client.shutdown().await;
}

async fn quick_fix(client: &mut TestClient, config: &std::path::Path, only: Value) -> Value {
    let line = r#"services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenSvc" }]"#;
    let col = line.find("TokenSvc").unwrap();
    let diags = client.diagnostics[&uri(config)].clone();
    let mut context = json!({"diagnostics": diags});
    if !only.is_null() {
        context["only"] = only;
    }
    client
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri(config)},
                "range": {"start": {"line": 2, "character": col + 2}, "end": {"line": 2, "character": col + 2}},
                "context": context,
            }),
        )
        .await
}

#[tokio::test]
async fn quick_fixes_carry_their_diagnostic_and_versioned_edits_when_the_client_takes_them() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let config = root.join("api/wrangler.toml");

    let mut client = TestClient::in_process();
    client
        .initialize(
            &root,
            json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
        )
        .await;
    client.open(&config, "toml").await;
    // Bump the version with a no-op edit at the end, so the version sent back is not just 1.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&config), "version": 7},
                   "contentChanges": [{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": ""}]}),
        )
        .await;
    client
        .diagnostics_until(&uri(&config), has("unknown-entrypoint"))
        .await;
    let actions = quick_fix(&mut client, &config, Value::Null).await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("TokenService"))
        .unwrap_or_else(|| panic!("a did-you-mean fix: {actions}"));
    assert_eq!(action["kind"], "quickfix");
    // A guessed name is offered, not preferred: only safe fixes are.
    assert_eq!(action["isPreferred"], false);
    assert_eq!(action["diagnostics"][0]["code"], "unknown-entrypoint");
    let edit = &action["edit"]["documentChanges"][0];
    assert_eq!(edit["textDocument"]["uri"], uri(&config));
    assert_eq!(edit["textDocument"]["version"], 7);
    assert_eq!(edit["edits"][0]["newText"], "TokenService");
    assert!(action["edit"].get("changes").is_none(), "{action}");
    // A client asking only for other kinds of action gets none.
    let none = quick_fix(&mut client, &config, json!(["source.organizeImports"])).await;
    assert_eq!(none, json!([]));
    let some = quick_fix(&mut client, &config, json!(["quickfix"])).await;
    assert!(!some.as_array().unwrap().is_empty());
    client.shutdown().await;

    // Without the capability: plain `changes`.
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client
        .diagnostics_until(&uri(&config), has("unknown-entrypoint"))
        .await;
    let actions = quick_fix(&mut client, &config, Value::Null).await;
    let changes = &actions[0]["edit"]["changes"];
    assert_eq!(
        changes[uri(&config)][0]["newText"],
        "TokenService",
        "{actions}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn every_workspace_folder_is_analysed_and_a_file_outside_them_gets_its_own_worker() {
    let family = write_fixture(FAMILY);
    let lone = write_fixture(LONE_WORKER);
    let outside = write_fixture(LONE_WORKER);
    let family_root = family.path().canonicalize().unwrap();
    let lone_root = lone.path().canonicalize().unwrap();
    let outside_root = outside.path().canonicalize().unwrap();

    let mut client = TestClient::in_process();
    client
        .initialize_folders(&[&family_root, &lone_root], json!({}))
        .await;
    client
        .diagnostics_until(
            &uri(&family_root.join("api/wrangler.toml")),
            has("unknown-entrypoint"),
        )
        .await;
    client
        .diagnostics_until(
            &uri(&lone_root.join("lone/src/index.ts")),
            has("unknown-binding"),
        )
        .await;
    // Nothing was published for the folder nobody named.
    let src = outside_root.join("lone/src/index.ts");
    assert!(!client.diagnostics.contains_key(&uri(&src)));
    // Opening a file there analyses the worker around it: its project, found from the file
    // (here its package; a folder is never adopted only for holding a config, issue 13.6).
    std::fs::write(outside_root.join("lone/package.json"), "{}\n").unwrap();
    client.open(&src, "typescript").await;
    client
        .diagnostics_until(&uri(&src), has("unknown-binding"))
        .await;
    // Its config is part of that ad-hoc root: declaring the var there clears the finding.
    let config = outside_root.join("lone/wrangler.toml");
    client.open(&config, "toml").await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&config), "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "[vars]\nNOT_DECLARED = \"x\"\n"}]}),
        )
        .await;
    client.diagnostics_until(&uri(&src), |d| d.is_empty()).await;
    client.shutdown().await;
}
