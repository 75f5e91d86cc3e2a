//! End to end: the built binary over stdio. Set WORKERS_LSP_BIN to test another build (CI runs
//! this against the release binary).

mod common;

use common::{codes, position_of, uri, TestClient};
use serde_json::json;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[tokio::test]
async fn the_binary_serves_a_family_and_exits_on_exit() {
    let bin = std::env::var_os("WORKERS_LSP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_workers-lsp")));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/saas")
        .canonicalize()
        .unwrap();
    let mut child = tokio::process::Command::new(&bin)
        .arg("serve")
        .arg("--stdio")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("server starts");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut client = TestClient::new(stdout, stdin);
    client
        .initialize(&root, json!({"window": {"workDoneProgress": true}}))
        .await;
    let config = uri(&root.join("gateway/wrangler.toml"));
    let diags = client
        .diagnostics_until(&config, |d| {
            codes(d).contains(&"unknown-entrypoint".to_string())
        })
        .await;
    assert!(
        codes(&diags).contains(&"environment-drift".to_string()),
        "{diags:?}"
    );
    // Progress was reported while indexing.
    assert!(client
        .notifications
        .iter()
        .any(|n| n["method"] == "$/progress"));
    client.shutdown().await;
    let start = Instant::now();
    let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .expect("the server exits within 5 s of `exit`")
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Applies a WorkspaceEdit's `changes` to the files on disk (UTF-16 positions).
fn apply_workspace_edit(edit: &serde_json::Value) -> Vec<PathBuf> {
    use workers_lsp::base::{LineCol, LineIndex, PositionEncoding};
    let mut files = Vec::new();
    for (uri, edits) in edit["changes"].as_object().unwrap() {
        let path = PathBuf::from(uri.strip_prefix("file://").unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<&serde_json::Value> = edits.as_array().unwrap().iter().collect();
        let offset = |text: &str, p: &serde_json::Value| {
            LineIndex::new(text).offset(
                text,
                LineCol {
                    line: p["line"].as_u64().unwrap() as u32,
                    col: p["character"].as_u64().unwrap() as u32,
                },
                PositionEncoding::Utf16,
            ) as usize
        };
        // Apply from the end so earlier offsets stay valid.
        edits.sort_by_key(|e| std::cmp::Reverse(offset(&text, &e["range"]["start"])));
        for e in edits {
            let (s, t) = (
                offset(&text, &e["range"]["start"]),
                offset(&text, &e["range"]["end"]),
            );
            text.replace_range(s..t, e["newText"].as_str().unwrap());
        }
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    files
}

#[tokio::test]
async fn completion_definition_and_a_durable_object_rename_through_the_binary() {
    let bin = std::env::var_os("WORKERS_LSP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_workers-lsp")));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap().join("shop");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families/shop"),
        &root,
    );
    let mut child = tokio::process::Command::new(&bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("server starts");
    let (stdin, stdout) = (child.stdin.take().unwrap(), child.stdout.take().unwrap());
    let mut client = TestClient::new(stdout, stdin);
    client
        .initialize(&root, json!({"window": {"workDoneProgress": true}}))
        .await;

    let storefront = root.join("storefront/src/index.ts");
    client.open(&storefront, "typescript").await;
    let text = std::fs::read_to_string(&storefront).unwrap();
    // Completion after `c.env.`, right after opening: requests wait for the first index.
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri(&storefront)}, "position": position_of(&text, "c.env.AUTH", 6)}),
        )
        .await;
    let labels: Vec<String> = result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert!(
        labels.contains(&"CART".to_string()) && labels.contains(&"AUTH".to_string()),
        "{labels:?}"
    );

    // Definition from the config string to the class in the other worker.
    let config = root.join("storefront/wrangler.jsonc");
    client.open(&config, "jsonc").await;
    let config_text = std::fs::read_to_string(&config).unwrap();
    // Right after the open: the request sees the opened text (a transient null here was a
    // gap until requests waited for the first index).
    let defs = client
        .request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri(&config)}, "position": position_of(&config_text, "\"class_name\": \"Cart\"", 16)}),
        )
        .await;
    assert_eq!(
        defs[0]["uri"],
        uri(&root.join("cart/src/cart.ts")),
        "{defs}"
    );

    // Rename the Durable Object class, apply the edit, and re-check: clean, and it re-parses.
    let cart = root.join("cart/src/cart.ts");
    let cart_text = std::fs::read_to_string(&cart).unwrap();
    let at = position_of(&cart_text, "class Cart", 7);
    let prepared = client
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": uri(&cart)}, "position": at}),
        )
        .await;
    assert_eq!(prepared["placeholder"], "Cart");
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri(&cart)}, "position": at, "newName": "Basket"}),
        )
        .await;
    let edited = apply_workspace_edit(&edit);
    assert!(edited.len() >= 4, "{edited:?}");
    client.shutdown().await;
    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;

    let out = std::process::Command::new(&bin)
        .args(["check", "--format", "json"])
        .arg(&root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], json!([]), "{report}");
    let cart_config = std::fs::read_to_string(root.join("cart/wrangler.toml")).unwrap();
    assert!(
        cart_config.contains("renamed_classes = [{ from = \"Cart\", to = \"Basket\" }]"),
        "{cart_config}"
    );
}
