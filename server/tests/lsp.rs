//! The language server driven over real JSON-RPC framing, in process.

mod common;

use common::{codes, position_of, uri, write_fixture, TestClient};
use serde_json::json;

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
    // 😀 an emoji before the finding
    return new Response(String(env.AUTH) + env.MISSING);
  },
};
"#;

#[tokio::test]
async fn diagnostics_follow_edits_across_workers() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let api_config = uri(&root.join("api/wrangler.toml"));
    let diags = client
        .diagnostics_until(&api_config, |d| {
            codes(d).contains(&"unknown-entrypoint".to_string())
        })
        .await;
    let line = r#"services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenSvc" }]"#;
    let character = line.find("TokenSvc").unwrap();
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 2, "character": character})
    );
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `TokenService`"));
    assert!(diags[0]["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .starts_with("https://developers.cloudflare.com/"));
    assert_eq!(
        diags[0]["relatedInformation"][0]["location"]["uri"],
        uri(&root.join("auth/src/index.ts"))
    );

    // Renaming the class in the other worker's source (an open buffer, incremental change)
    // makes the binding valid: the config's diagnostics are cleared.
    let auth_src = root.join("auth/src/index.ts");
    client.open(&auth_src, "typescript").await;
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri(&auth_src), "version": 2},
                "contentChanges": [{
                    "range": {"start": {"line": 1, "character": 13}, "end": {"line": 1, "character": 25}},
                    "text": "TokenSvc"
                }]
            }),
        )
        .await;
    client
        .diagnostics_until(&api_config, |d| d.is_empty())
        .await;
    client.shutdown().await;
}

#[tokio::test]
async fn columns_are_utf16_unless_the_client_offers_utf8() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let src = uri(&root.join("api/src/index.ts"));
    let line = "    return new Response(String(env.AUTH) + env.MISSING);";
    let utf16 = line.find("MISSING").unwrap();

    let mut client = TestClient::in_process();
    let init = client.initialize(&root, json!({})).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let diags = client.diagnostics_until(&src, |d| !d.is_empty()).await;
    assert_eq!(codes(&diags), vec!["unknown-binding"]);
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 3, "character": utf16})
    );
    client.shutdown().await;

    // The emoji is on the line before, so UTF-8 and UTF-16 agree on this line; put one on the
    // same line to tell them apart.
    let text = std::fs::read_to_string(root.join("api/src/index.ts")).unwrap();
    std::fs::write(
        root.join("api/src/index.ts"),
        text.replace("    return new", "/*😀*/return new"),
    )
    .unwrap();
    let mut client = TestClient::in_process();
    let init = client
        .initialize(
            &root,
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        )
        .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let diags = client.diagnostics_until(&src, |d| !d.is_empty()).await;
    let utf8 = "/*😀*/return new Response(String(env.AUTH) + env.".len();
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 3, "character": utf8})
    );
    client.shutdown().await;
}

#[tokio::test]
async fn out_of_range_positions_and_unknown_files_are_answered() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let src = root.join("api/src/index.ts");
    client.open(&src, "typescript").await;
    for (line, character) in [(9999, 0), (0, 9999), (3, 7)] {
        let response = client
            .request_raw(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri(&src)}, "position": {"line": line, "character": character}}),
            )
            .await;
        assert!(
            response.get("result").is_some() || response.get("error").is_some(),
            "{response}"
        );
    }
    let response = client
        .request_raw(
            "textDocument/definition",
            json!({"textDocument": {"uri": "file:///nowhere/x.ts"}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(response["result"], serde_json::Value::Null, "{response}");
    // A change before an open, for a file nobody opened: ignored, server alive.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&root.join("ghost.ts")), "version": 3},
                   "contentChanges": [{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 1}}, "text": "x"}]}),
        )
        .await;
    client.request("shutdown", serde_json::Value::Null).await;
}

#[tokio::test]
async fn watched_file_events_pick_up_changes_on_disk() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let src = uri(&root.join("api/src/index.ts"));
    client.diagnostics_until(&src, |d| !d.is_empty()).await;
    // Declare the var on disk, outside the editor.
    let config = root.join("api/wrangler.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}[vars]\nMISSING = \"now declared\"\n"),
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&config), "type": 2}]}),
        )
        .await;
    client.diagnostics_until(&src, |d| d.is_empty()).await;
    // A new config created on disk is a new worker.
    let new_config = root.join("other/wrangler.toml");
    std::fs::create_dir_all(new_config.parent().unwrap()).unwrap();
    std::fs::write(&new_config, "name = \"Bad Name\"\n").unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&new_config), "type": 1}]}),
        )
        .await;
    let diags = client
        .diagnostics_until(&uri(&new_config), |d| !d.is_empty())
        .await;
    assert_eq!(codes(&diags), vec!["invalid-worker-name"]);
    client.shutdown().await;
}

#[tokio::test]
async fn definition_completion_and_hover_over_the_protocol() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/saas")
        .canonicalize()
        .unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let file = root.join("gateway/src/middleware/auth.ts");
    client.open(&file, "typescript").await;
    // The whole family is indexed once the cross-worker finding is in.
    client
        .diagnostics_until(&uri(&file), |d| {
            codes(d).contains(&"unknown-rpc-method".to_string())
        })
        .await;
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("AUTH.verifyToken"))
        .unwrap();
    let col = text
        .lines()
        .nth(line)
        .unwrap()
        .find("AUTH.verifyToken")
        .unwrap()
        + 6;
    let result = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri(&file)}, "position": {"line": line, "character": col}}),
        )
        .await;
    assert_eq!(
        result[0]["uri"],
        uri(&root.join("auth/src/service.ts")),
        "{result}"
    );
    assert_eq!(result[0]["range"]["start"]["line"], 3);
    let env_col = text.lines().nth(line).unwrap().find("c.env.").unwrap() + 6;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri(&file)}, "position": {"line": line, "character": env_col}}),
        )
        .await;
    let labels: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"AUTH"), "{labels:?}");
    let result = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&file)}, "position": {"line": line, "character": env_col + 1}}),
        )
        .await;
    assert!(
        result["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("service binding → worker `auth`"),
        "{result}"
    );
    // Hover on a finding shows its rule's documentation, the text `explain` prints.
    let line = text
        .lines()
        .position(|l| l.contains("refreshSession"))
        .unwrap();
    let col = text
        .lines()
        .nth(line)
        .unwrap()
        .find("refreshSession")
        .unwrap()
        + 2;
    let result = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri(&file)}, "position": {"line": line, "character": col}}),
        )
        .await;
    let value = result["contents"]["value"].as_str().unwrap();
    let doc = workers_lsp::cli::check::explain("unknown-rpc-method").unwrap();
    assert!(value.contains(&doc), "{value}");
    client.shutdown().await;
}

const KEYS: &str = r#"
//- /w/wrangler.toml
# Secrets live in .dev.vars.
name = "w"
main = "src/index.ts"
compatibility_date = "2025-01-01"

[build]
command = "make"

r2_buckets = [{ binding = "BUCKET", bucket_name = "b" }]
//- /w/.dev.vars
TOKEN=x
//- /w/src/index.ts
export default { fetch(r: Request, env: Env) { return env.BUCKET.get(env.TOKEN); } };
"#;

#[tokio::test]
async fn config_keys_are_checked_completed_hovered_and_linked() {
    let dir = write_fixture(KEYS);
    let root = dir.path().canonicalize().unwrap();
    let config = root.join("w/wrangler.toml");
    let mut client = TestClient::in_process();
    let init = client.initialize(&root, json!({})).await;
    assert_eq!(
        init["capabilities"]["documentLinkProvider"]["resolveProvider"], false,
        "{init}"
    );
    client.open(&config, "toml").await;
    // The key TOML put under [build] is reported with the table it landed in; the binding it
    // declares is not reported again in the source.
    let diags = client
        .diagnostics_until(&uri(&config), |d| !d.is_empty())
        .await;
    assert_eq!(codes(&diags), vec!["misplaced-key"]);
    assert_eq!(diags[0]["severity"], 2);
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 8, "character": 0})
    );
    let message = diags[0]["message"].as_str().unwrap();
    assert!(message.contains("`build.r2_buckets`"), "{message}");
    assert_eq!(
        diags[0]["relatedInformation"][0]["location"]["range"]["start"]["line"],
        5
    );
    let text_doc = json!({"uri": uri(&config)});

    // Hover on a key: the schema's docs.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": text_doc, "position": {"line": 3, "character": 5}}),
        )
        .await;
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**`compatibility_date`**"), "{value}");
    assert_eq!(hover["range"]["end"], json!({"line": 3, "character": 18}));

    // Links: the main module and `.dev.vars`.
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": text_doc}),
        )
        .await;
    let targets: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        vec![
            uri(&root.join("w/.dev.vars")),
            uri(&root.join("w/src/index.ts"))
        ]
    );
    assert_eq!(
        links[1]["range"],
        json!({"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 20}})
    );

    // Completion of keys in a half-typed line (the file no longer parses).
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[[migrations]]\nnew_sq");
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri(&config), "version": 2},
                "contentChanges": [{"text": text}]
            }),
        )
        .await;
    let line = text.lines().count() - 1;
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": text_doc, "position": {"line": line, "character": 6}}),
        )
        .await;
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "new_sqlite_classes")
        .unwrap_or_else(|| panic!("no new_sqlite_classes in {items}"));
    assert_eq!(item["kind"], 10, "{item}");
    assert_eq!(item["detail"], "array of strings");
    assert_eq!(
        item["textEdit"]["range"],
        json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 6}})
    );
    assert!(item["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("wrangler"));
    client.shutdown().await;
}

#[tokio::test]
async fn devflare_configs_complete_go_to_and_rename_over_the_protocol() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/devflare-shop")
        .canonicalize()
        .unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let config = root.join("gateway/devflare.config.ts");
    client.open(&config, "typescript").await;
    let text = std::fs::read_to_string(&config).unwrap();
    let doc = json!({"uri": uri(&config)});
    // Completion inside `className: '` offers the workflow classes of the host.
    let labels = client
        .completion_labels(
            doc["uri"].as_str().unwrap(),
            position_of(&text, "'FulfilOrder'", 3),
        )
        .await;
    assert_eq!(labels, vec!["FulfilOrder"], "{labels:?}");
    // Definition from `ref(() => import('../accounts/devflare.config'))` opens that config.
    let result = client
        .request(
            "textDocument/definition",
            json!({"textDocument": doc, "position": position_of(&text, "../accounts/devflare.config", 5)}),
        )
        .await;
    assert_eq!(
        result[0]["uri"],
        uri(&root.join("accounts/devflare.config.ts")),
        "{result}"
    );
    // Renaming the workflow class renames both configs' `className` and the class.
    let result = client
        .request(
            "textDocument/rename",
            json!({"textDocument": doc, "position": position_of(&text, "'FulfilOrder'", 3), "newName": "ShipOrder"}),
        )
        .await;
    let changes = result["changes"].as_object().expect("a workspace edit");
    let mut files: Vec<&str> = changes.keys().map(String::as_str).collect();
    files.sort();
    let mut want = [
        uri(&config),
        uri(&root.join("fulfilment/devflare.config.ts")),
        uri(&root.join("fulfilment/src/wf.fulfil-order.ts")),
    ];
    want.sort();
    assert_eq!(files, want.iter().map(String::as_str).collect::<Vec<_>>());
    for edits in changes.values() {
        for e in edits.as_array().unwrap() {
            assert_eq!(e["newText"], "ShipOrder");
        }
    }
    client.shutdown().await;
}

#[tokio::test]
async fn a_durable_object_file_created_on_disk_is_part_of_the_devflare_worker() {
    let dir = write_fixture(
        r#"
//- /counter/devflare.config.ts
import { defineConfig } from 'devflare/config'
export default defineConfig({
	name: 'counter',
	bindings: { durableObjects: { COUNTER: 'Counter' } },
	migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }]
})
//- /counter/src/fetch.ts
import { env } from 'devflare'
export default async function fetch() { return new Response(String(env.COUNTER)) }
"#,
    );
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let config = root.join("counter/devflare.config.ts");
    let diags = client
        .diagnostics_until(&uri(&config), |d| !d.is_empty())
        .await;
    // The migration's class is not exported either, until the file is there.
    assert!(
        codes(&diags).contains(&"unknown-do-class".to_string()),
        "{diags:?}"
    );
    // `src/do.counter.ts` appears: Devflare's `**/do.*` glob finds it, so do we.
    let file = root.join("counter/src/do.counter.ts");
    std::fs::write(
        &file,
        "import { DurableObject } from 'cloudflare:workers'\nexport class Counter extends DurableObject {}\n",
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&file), "type": 1}]}),
        )
        .await;
    client
        .diagnostics_until(&uri(&config), |d| d.is_empty())
        .await;
    client.shutdown().await;
}

/// Issue 14 item 1: eglot and vim-lsp drop the findings of files that are not open, so a
/// file's findings are published again whenever it is opened or edited, changed or not (and
/// a clean file gets its empty list, which tells the client the file was checked).
#[tokio::test]
async fn opening_a_file_always_publishes_its_findings() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let api_config = root.join("api/wrangler.toml");
    client
        .diagnostics_until(&uri(&api_config), |d| !d.is_empty())
        .await;
    // Forget what arrived, as a client that drops findings of closed files does.
    client.diagnostics.clear();
    client.open(&api_config, "toml").await;
    let again = client
        .diagnostics_until(&uri(&api_config), |d| !d.is_empty())
        .await;
    assert!(codes(&again).contains(&"unknown-entrypoint".to_string()));
    // Closed and opened again at once, as eglot does when a buffer is killed and the file
    // visited again: the findings arrive again.
    client
        .notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri(&api_config) } }),
        )
        .await;
    client.diagnostics.clear();
    client.open(&api_config, "toml").await;
    let reopened = client
        .diagnostics_until(&uri(&api_config), |d| !d.is_empty())
        .await;
    assert!(codes(&reopened).contains(&"unknown-entrypoint".to_string()));
    // A clean file: its (empty) list arrives on open.
    let clean = root.join("auth/wrangler.toml");
    client.open(&clean, "toml").await;
    let empty = client
        .diagnostics_within(&uri(&clean), std::time::Duration::from_secs(10), |_| true)
        .await;
    assert_eq!(empty, Some(Vec::new()));
    client.shutdown().await;
}

/// A code lens above an exported entrypoint counts the workers that bind it and carries their
/// locations for the client's references view; inlay hints beside `name` give each
/// environment's deployed name.
#[tokio::test]
async fn code_lenses_and_inlay_hints() {
    let family = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
[env.staging]
//- /auth/src/index.ts
import { WorkerEntrypoint } from "cloudflare:workers";
export class TokenService extends WorkerEntrypoint {
  async verify(token: string) { return token.length > 0; }
}
export default { fetch() { return new Response("ok"); } };
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth", entrypoint = "TokenService" }]
//- /api/src/index.ts
export default { fetch() { return new Response("ok"); } };
"#;
    let dir = write_fixture(family);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    let init = client.initialize(&root, json!({})).await;
    assert_eq!(init["capabilities"]["inlayHintProvider"], json!(true));
    assert!(init["capabilities"]["codeLensProvider"].is_object());
    let source = root.join("auth/src/index.ts");
    client.open(&source, "typescript").await;
    let lenses = client
        .request(
            "textDocument/codeLens",
            json!({ "textDocument": { "uri": uri(&source) } }),
        )
        .await;
    let lenses = lenses.as_array().expect("a list of lenses");
    assert_eq!(lenses.len(), 1, "{lenses:?}");
    let lens = &lenses[0];
    assert_eq!(
        lens["range"]["start"],
        json!({ "line": 1, "character": 13 })
    );
    assert_eq!(lens["command"]["title"], "bound by 1 worker");
    assert_eq!(lens["command"]["command"], "workers-lsp.showReferences");
    let args = lens["command"]["arguments"].as_array().unwrap();
    assert_eq!(args[0], json!(uri(&source)));
    assert_eq!(args[1], json!({ "line": 1, "character": 13 }));
    assert_eq!(
        args[2][0]["uri"],
        json!(uri(&root.join("api/wrangler.toml")))
    );
    assert_eq!(args[2][0]["range"]["start"]["line"], 2);

    let config = root.join("auth/wrangler.toml");
    client.open(&config, "toml").await;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({
                "textDocument": { "uri": uri(&config) },
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 4, "character": 0 } }
            }),
        )
        .await;
    let hints = hints.as_array().expect("a list of hints");
    let shown: Vec<(serde_json::Value, serde_json::Value)> = hints
        .iter()
        .map(|h| (h["position"].clone(), h["label"].clone()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                json!({ "line": 0, "character": 13 }),
                json!("staging: auth-staging")
            ),
            (
                json!({ "line": 2, "character": 12 }),
                json!("→ auth-staging")
            ),
        ]
    );
    client.shutdown().await;
}

/// Issue 14.2: the server finds the project root from what it is given, with the same finder
/// as `check`. A workspace folder inside a project (`api`, below a `workers-lsp.toml`) is
/// checked with the whole family: `auth` is known, so `api`'s binding to it gets the real
/// finding (an unknown entrypoint), not a false `unknown-service`.
#[tokio::test]
async fn a_folder_inside_a_project_is_checked_with_its_whole_family() {
    let dir = write_fixture(&format!("{FAMILY}//- /workers-lsp.toml\n"));
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root.join("api"), json!({})).await;
    let api_config = root.join("api/wrangler.toml");
    let found = client
        .diagnostics_until(&uri(&api_config), |d| !d.is_empty())
        .await;
    let codes = codes(&found);
    assert!(
        codes.contains(&"unknown-entrypoint".to_string()),
        "{codes:?}"
    );
    assert!(!codes.contains(&"unknown-service".to_string()), "{codes:?}");
    client.shutdown().await;
}

/// Issue 13.6 and 14.2: a file opened outside every workspace folder gets an ad-hoc root
/// found from the file (its project, here the nearest `workers-lsp.toml`), dropped when its
/// last file closes (its findings are cleared); and a file with no marker above it gets its
/// own folder, never an ancestor only because it holds a config.
#[tokio::test]
async fn ad_hoc_roots_come_from_the_opened_file_and_go_when_it_closes() {
    let dir = write_fixture(&format!(
        "{}//- /proj/workers-lsp.toml\n//- /loose/wrangler.toml\nname = \"loose\"\nmain = \"missing.ts\"\n//- /loose/notes/x.ts\nexport const x = 1;\n",
        FAMILY.replace("//- /", "//- /proj/")
    ));
    let root = dir.path().canonicalize().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let mut client = TestClient::in_process();
    client
        .initialize(&elsewhere.path().canonicalize().unwrap(), json!({}))
        .await;
    let api_config = root.join("proj/api/wrangler.toml");
    client.open(&api_config, "toml").await;
    let found = client
        .diagnostics_until(&uri(&api_config), |d| !d.is_empty())
        .await;
    let found = codes(&found);
    assert!(
        found.contains(&"unknown-entrypoint".to_string()),
        "{found:?}"
    );
    assert!(!found.contains(&"unknown-service".to_string()), "{found:?}");
    // The last file of the ad-hoc root closes: the root goes, and its findings with it.
    client
        .notify(
            "textDocument/didClose",
            json!({ "textDocument": { "uri": uri(&api_config) } }),
        )
        .await;
    client
        .diagnostics_until(&uri(&api_config), |d| d.is_empty())
        .await;
    // No marker above `loose/notes/x.ts`: its own folder, so `loose/wrangler.toml` (whose main
    // is missing) is not read and gets no findings.
    let loose = root.join("loose/notes/x.ts");
    client.open(&loose, "typescript").await;
    client
        .diagnostics_within(&uri(&loose), std::time::Duration::from_secs(10), |_| true)
        .await
        .expect("the opened file's list arrives");
    client.drain().await;
    assert!(
        !client
            .diagnostics
            .contains_key(&uri(&root.join("loose/wrangler.toml"))),
        "an ancestor holding a config was adopted"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn an_alchemy_program_is_checked_completed_navigated_and_renamed() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/alchemy-shop-mistakes")
        .canonicalize()
        .unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let run = root.join("alchemy.run.ts");
    client.open(&run, "typescript").await;
    let diags = client
        .diagnostics_until(&uri(&run), |d| {
            codes(d).contains(&"unknown-do-class".to_string())
        })
        .await;
    let text = std::fs::read_to_string(&run).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("className: \"Carts\""))
        .unwrap();
    let col = text.lines().nth(line).unwrap().find("Carts").unwrap();
    let finding = diags
        .iter()
        .find(|d| d["code"] == "unknown-do-class")
        .unwrap();
    assert_eq!(
        finding["range"]["start"],
        json!({"line": line, "character": col})
    );
    let text_doc = json!({"uri": uri(&run)});

    // Completion inside the className string: the host's Durable Object classes.
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": text_doc, "position": {"line": line, "character": col + 1}}),
        )
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, vec!["Cart"], "{items}");

    // Fixing the string in the open buffer clears the finding.
    let fixed = text.replace("className: \"Carts\"", "className: \"Cart\"");
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri(&run), "version": 2},
                "contentChanges": [{"text": fixed}]
            }),
        )
        .await;
    client
        .diagnostics_until(&uri(&run), |d| {
            !codes(d).contains(&"unknown-do-class".to_string()) && !d.is_empty()
        })
        .await;

    // Definition from the className string to the class, and a rename through it.
    let result = client
        .request(
            "textDocument/definition",
            json!({"textDocument": text_doc, "position": {"line": line, "character": col + 1}}),
        )
        .await;
    assert_eq!(
        result[0]["uri"],
        uri(&root.join("src/carts.ts")),
        "{result}"
    );
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": text_doc, "position": {"line": line, "character": col + 1}, "newName": "Basket"}),
        )
        .await;
    let changes = &edit["changes"];
    let in_run = changes[uri(&run)].as_array().unwrap();
    // Both className strings of the program that name it (carts' own binding and the
    // gateway's, fixed above) and the type it imports the class as (`import type { Cart }`,
    // `DurableObjectNamespace<Cart>`, three times), so the program still type-checks. The
    // fulfilment binding's `className: "Cart"` names a class of `shop-cart`, a worker the
    // family does not declare: it is not this class and stays.
    let lines: Vec<u64> = in_run
        .iter()
        .map(|e| e["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    let line_of = |pat: &str, nth: usize| {
        fixed
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(pat))
            .nth(nth)
            .unwrap()
            .0 as u64
    };
    let mut want = vec![
        line_of("import type { Cart }", 0),
        line_of("DurableObjectNamespace<Cart>", 0),
        line_of("DurableObjectNamespace<Cart>", 1),
        line_of("DurableObjectNamespace<Cart>", 2),
        line_of("className: \"Cart\"", 0),
        line_of("className: \"Cart\"", 2),
    ];
    want.sort();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(sorted, want, "{edit}");
    let unknown_host = line_of("className: \"Cart\"", 1);
    assert!(fixed
        .lines()
        .nth(unknown_host as usize + 1)
        .unwrap()
        .contains("\"shop-cart\""));
    assert_eq!(in_run.len(), 6, "{edit}");
    assert!(in_run.iter().all(|e| e["newText"] == "Basket"));
    assert_eq!(
        changes[uri(&root.join("src/carts.ts"))]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{edit}"
    );
    client.shutdown().await;
}

/// The first index of a root reads its summaries through the cache: a second session on the
/// unchanged family takes every one from it (the file is not rewritten) and reports the same.
#[tokio::test]
async fn the_first_index_reads_and_leaves_the_summary_cache() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/saas")
        .canonicalize()
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let policy = workers_lsp::source::CachePolicy::Dir(cache.path().to_path_buf());
    let file = root.join("gateway/src/middleware/auth.ts");
    let config = root.join("gateway/wrangler.toml");
    let session = || async {
        let mut client = TestClient::in_process_with_cache(policy.clone());
        client.initialize(&root, json!({})).await;
        let in_source = client
            .diagnostics_until(&uri(&file), |d| {
                codes(d).contains(&"unknown-rpc-method".to_string())
            })
            .await;
        let in_config = client
            .diagnostics_until(&uri(&config), |d| !d.is_empty())
            .await;
        // Shutdown waits for the cache to be written.
        client.shutdown().await;
        (in_source, in_config)
    };
    let cache_file = || {
        let files: Vec<_> = std::fs::read_dir(cache.path().join("summaries-v1"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "summaries"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    };
    let first = session().await;
    #[cfg(unix)]
    let identity =
        || std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(cache_file()).unwrap());
    #[cfg(not(unix))]
    let identity = || 0;
    let written = identity();
    let second = session().await;
    assert_eq!(second, first);
    assert_eq!(
        identity(),
        written,
        "every summary of the second session came from the cache"
    );
    std::fs::write(cache_file(), b"garbage").unwrap();
    assert_eq!(session().await, first);
}
