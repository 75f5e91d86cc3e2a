//! End to end: the built binary over stdio. Set WORKERS_LSP_BIN to test another build (CI runs
//! this against the release binary).

mod common;

use common::{codes, uri, TestClient};
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
