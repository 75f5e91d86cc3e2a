//! Issue 13, the language server's side: what a hostile file system, hostile buffers and a
//! hostile client do to the server. In process (over real JSON-RPC framing) and, for the
//! transport and the process lifecycle, against the built binary over real pipes.

mod common;

use common::{codes, uri, write_fixture, TestClient};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const TWO_WORKERS: &str = r#"
//- /a/wrangler.toml
name = "a"
main = "index.ts"
services = [{ binding = "B", service = "b" }]
//- /a/index.ts
export default { fetch(r: Request, env: Env) { return env.B.fetch(r); } };
//- /b/wrangler.toml
name = "b"
main = "index.ts"
//- /b/index.ts
export default { fetch() { return new Response(); } };
"#;

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Issue 13.1, in the server: a FIFO `.gitignore` does not stall indexing; requests are
/// answered and the diagnostics arrive.
#[cfg(unix)]
#[tokio::test]
async fn fifo_gitignore_does_not_stall_the_server() {
    let dir = write_fixture(TWO_WORKERS);
    let root = dir.path().canonicalize().unwrap();
    mkfifo(&root.join(".gitignore"));
    mkfifo(&root.join("b/.ignore"));
    // `b` then calls a worker that does not exist: the finding proves the root was indexed.
    std::fs::write(
        root.join("b/wrangler.toml"),
        "name = \"b\"\nmain = \"index.ts\"\nservices = [{ binding = \"C\", service = \"c\" }]\n",
    )
    .unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let b = uri(&root.join("b/wrangler.toml"));
    let diags = client
        .diagnostics_within(&b, Duration::from_secs(20), |d| !d.is_empty())
        .await
        .expect("diagnostics within 20 s");
    assert!(
        codes(&diags).contains(&"unknown-service".to_string()),
        "{diags:?}"
    );
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri(&root.join("a/wrangler.toml"))}}),
        )
        .await;
    assert!(symbols.is_array(), "{symbols}");
}

/// Issue 13.4, in the server: a request on a `workers-lsp.toml` that is not open reads no
/// FIFO, no device and nothing outside the root, and is answered at once.
#[cfg(unix)]
#[tokio::test]
async fn requests_on_a_hostile_settings_file_are_answered() {
    for target in ["/dev/zero", "/etc/passwd", "fifo"] {
        let dir = write_fixture(TWO_WORKERS);
        let root = dir.path().canonicalize().unwrap();
        let settings = root.join("workers-lsp.toml");
        if target == "fifo" {
            mkfifo(&settings);
        } else {
            std::os::unix::fs::symlink(target, &settings).unwrap();
        }
        let mut client = TestClient::in_process();
        client.initialize(&root, json!({})).await;
        let at = json!({"textDocument": {"uri": uri(&settings)}, "position": {"line": 0, "character": 1}});
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/documentSymbol",
        ] {
            let response = tokio::time::timeout(
                Duration::from_secs(10),
                client.request_raw(method, at.clone()),
            )
            .await
            .unwrap_or_else(|_| panic!("{method} on a settings file -> {target} is answered"));
            assert!(
                !response.to_string().contains("root:"),
                "{target}: {response}"
            );
        }
    }
}

/// Issue 13.5: an open buffer over the size limit is skipped like a file on disk, with the
/// same `unreadable-file` info, and it comes back once it is small again.
#[tokio::test]
async fn large_open_buffer_is_skipped_like_a_large_file() {
    let dir = write_fixture(TWO_WORKERS);
    let root = dir.path().canonicalize().unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let main = root.join("a/index.ts");
    let mut big = String::from(
        "export default { fetch(r: Request, env: Env) { return env.NOPE.fetch(r); } };\n",
    );
    while big.len() < 3 * 1024 * 1024 {
        big.push_str("export const x = [1, 2, 3]; // env.NOT_READ\n");
    }
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(&main), "languageId": "typescript", "version": 1, "text": big}}),
        )
        .await;
    let config = uri(&root.join("a/wrangler.toml"));
    let diags = client
        .diagnostics_within(&config, Duration::from_secs(20), |d| {
            codes(d).contains(&"unreadable-file".to_string())
        })
        .await
        .expect("the big buffer is reported within 20 s");
    let message = diags[0]["message"].as_str().unwrap();
    assert!(message.contains("over the 2 MB limit"), "{message}");
    assert_eq!(diags[0]["severity"], 3);
    // Nothing of the big buffer was analysed.
    assert!(client
        .diagnostics
        .get(&uri(&main))
        .is_none_or(|d| d.is_empty()));
    // Small again: analysed, and the unknown binding it reads is found.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri(&main), "version": 2},
                   "contentChanges": [{"text": "export default { fetch(r: Request, env: Env) { return env.NOPE.fetch(r); } };\n"}]}),
        )
        .await;
    client
        .diagnostics_within(&uri(&main), Duration::from_secs(20), |d| {
            codes(d) == vec!["unknown-binding"]
        })
        .await
        .expect("the small buffer is analysed");
    client
        .diagnostics_within(&config, Duration::from_secs(20), |d| {
            !codes(d).contains(&"unreadable-file".to_string())
        })
        .await
        .expect("the info goes away");
}
