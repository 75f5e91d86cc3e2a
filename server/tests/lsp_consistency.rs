//! The server's view of open buffers stays exactly the editor's, whatever the timing:
//! bursts of incremental edits, changes for documents that were never opened, and the last
//! diagnostics published always describe the final text.

mod common;

use common::{codes, uri, write_fixture, TestClient};
use serde_json::{json, Value};
use std::time::Duration;

const FAMILY: &str = r#"
//- /auth/wrangler.toml
name = "auth"
main = "src/index.ts"
//- /auth/src/index.ts
export default { fetch() { return new Response("ok"); } };
//- /api/wrangler.toml
name = "api"
main = "src/index.ts"
services = [{ binding = "AUTH", service = "auth" }]
//- /api/src/index.ts
export default {
  async fetch(req: Request, env: Env) {
    return new Response(String(env.AUTH) + env.MISSING);
  },
};
"#;

fn messages(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A barrier: a round trip through the server after every earlier notification was read.
async fn settle(client: &mut TestClient) {
    // Publishing is asynchronous to the change that caused it; give the last one time to
    // arrive, then drain.
    tokio::time::sleep(Duration::from_millis(300)).await;
    client.drain().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_incremental_edits_is_applied_in_order() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let src = root.join("api/src/index.ts");
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client
        .diagnostics_until(&uri(&src), |d| !d.is_empty())
        .await;
    client.open(&src, "typescript").await;
    // Type a long suffix after `env.MISSING`, one character per change, as fast as possible;
    // every few characters delete the last one again, so that a change applied out of order
    // or against the wrong text gives a different name.
    let line = "    return new Response(String(env.AUTH) + env.MISSING);";
    let mut col = line.find("MISSING").unwrap() + "MISSING".len();
    let mut typed = String::new();
    let mut version = 1;
    for i in 0..300u32 {
        version += 1;
        let change = if i % 7 == 6 && !typed.is_empty() {
            typed.pop();
            col -= 1;
            json!({"range": {"start": {"line": 2, "character": col}, "end": {"line": 2, "character": col + 1}}, "text": ""})
        } else {
            let c = char::from(b'A' + (i % 26) as u8);
            typed.push(c);
            col += 1;
            json!({"range": {"start": {"line": 2, "character": col - 1}, "end": {"line": 2, "character": col - 1}}, "text": c.to_string()})
        };
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri(&src), "version": version}, "contentChanges": [change]}),
            )
            .await;
    }
    let name = format!("MISSING{typed}");
    let diags = client
        .diagnostics_within(&uri(&src), Duration::from_secs(10), |d| {
            messages(d).iter().any(|m| m.contains(&format!("`{name}`")))
        })
        .await;
    assert!(
        diags.is_some(),
        "expected a finding naming {name}, last published: {:?}",
        client.diagnostics.get(&uri(&src)).map(|d| messages(d))
    );
    // Nothing older arrives after the final state.
    settle(&mut client).await;
    let last = messages(&client.diagnostics[&uri(&src)]);
    assert_eq!(last.len(), 1, "{last:?}");
    assert!(last[0].contains(&format!("`{name}`")), "{last:?}");
    // A read request sees the same text: the finding's range ends where the typing ended.
    let diag = &client.diagnostics[&uri(&src)][0];
    assert_eq!(diag["range"]["end"], json!({"line": 2, "character": col}));
    client.shutdown().await;
}

#[tokio::test]
async fn a_change_to_a_document_that_is_not_open_is_ignored() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let src = root.join("api/src/index.ts");
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client
        .diagnostics_until(&uri(&src), |d| codes(d) == ["unknown-binding"])
        .await;
    // A full-text change that would fix the finding, for a document the client never opened:
    // the file on disk is still the truth.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&src), "version": 5},
                   "contentChanges": [{"text": "export default {};\n"}]}),
        )
        .await;
    // Barrier: a change that is applied, in another worker, and its finding arrives after
    // anything the ignored change could have caused.
    let auth_config = root.join("auth/wrangler.toml");
    client.open(&auth_config, "toml").await;
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&auth_config), "version": 2},
                   "contentChanges": [{"text": "name = \"Bad Name\"\nmain = \"src/index.ts\"\n"}]}),
        )
        .await;
    client
        .diagnostics_until(&uri(&auth_config), |d| {
            codes(d).contains(&"invalid-worker-name".to_string())
        })
        .await;
    assert_eq!(codes(&client.diagnostics[&uri(&src)]), ["unknown-binding"]);
    client.shutdown().await;
}

#[tokio::test]
async fn stale_versions_are_ignored() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let src = root.join("api/src/index.ts");
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client.open(&src, "typescript").await;
    let fixed = "export default { fetch(r: Request, env: Env) { return new Response(String(env.AUTH)); } };\n";
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&src), "version": 10},
                   "contentChanges": [{"text": fixed}]}),
        )
        .await;
    client.diagnostics_until(&uri(&src), |d| d.is_empty()).await;
    // An older version arriving late must not bring the finding back.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&src), "version": 4},
                   "contentChanges": [{"text": "export default { fetch(r: Request, env: Env) { return env.MISSING; } };\n"}]}),
        )
        .await;
    settle(&mut client).await;
    assert!(client.diagnostics[&uri(&src)].is_empty());
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_right_after_a_change_sees_the_changed_text() {
    let dir = write_fixture(FAMILY);
    let root = dir.path().canonicalize().unwrap();
    let config = root.join("api/wrangler.toml");
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    client.open(&config, "toml").await;
    let mut text = std::fs::read_to_string(&config).unwrap();
    for round in 0..20 {
        // Add a binding and ask for the document's symbols at once, without waiting for
        // diagnostics: the answer must already know the new binding.
        let lines = text.lines().count();
        let added = format!("[[kv_namespaces]]\nbinding = \"KV{round}\"\nid = \"x{round}\"\n");
        text.push_str(&added);
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri(&config), "version": round + 2},
                       "contentChanges": [{"range": {"start": {"line": lines, "character": 0}, "end": {"line": lines, "character": 0}}, "text": added}]}),
            )
            .await;
        let symbols = client
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri(&config)}}),
            )
            .await;
        let dump = symbols.to_string();
        assert!(
            dump.contains(&format!("\"KV{round}\"")),
            "round {round}: {dump}"
        );
    }
    client.shutdown().await;
}
