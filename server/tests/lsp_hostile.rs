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
    // Nothing of the big buffer was analysed, not by a request either.
    assert!(client
        .diagnostics
        .get(&uri(&main))
        .is_none_or(|d| d.is_empty()));
    let at_env =
        json!({"textDocument": {"uri": uri(&main)}, "position": {"line": 0, "character": 58}});
    for method in [
        "textDocument/completion",
        "textDocument/hover",
        "textDocument/documentSymbol",
    ] {
        let result = client.request(method, at_env.clone()).await;
        assert!(result.is_null(), "{method}: {result}");
    }
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

// ---- issue 13.14, 13.15: the transport and the lifecycle ----------------------------------

fn binary() -> std::path::PathBuf {
    std::env::var_os("WORKERS_LSP_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_BIN_EXE_workers-lsp")))
}

/// The built server over real pipes, its stderr kept.
fn spawn_binary() -> (tokio::process::Child, TestClient) {
    let mut child = tokio::process::Command::new(binary())
        .arg("serve")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("server starts");
    let (stdin, stdout) = (child.stdin.take().unwrap(), child.stdout.take().unwrap());
    (child, TestClient::new(stdout, stdin))
}

async fn exit_status(child: &mut tokio::process::Child) -> (i32, String) {
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the server exits within 10 s")
        .unwrap();
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        use tokio::io::AsyncReadExt;
        let _ = e.read_to_string(&mut stderr).await;
    }
    (status.code().unwrap_or(-1), stderr)
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Frames that are not valid JSON-RPC messages, and the error each must get (code, id).
fn bad_frames() -> Vec<(&'static str, String, i64, serde_json::Value)> {
    vec![
        (
            "a bad Content-Length",
            "Content-Length: abc\r\n\r\n{}".into(),
            -32700,
            json!(null),
        ),
        (
            "a negative Content-Length",
            "Content-Length: -2\r\n\r\n{}".into(),
            -32700,
            json!(null),
        ),
        (
            "no Content-Length",
            "Content-Type: application/vscode-jsonrpc\r\n\r\n{}".into(),
            -32700,
            json!(null),
        ),
        (
            "no header at all",
            r#"{"jsonrpc":"2.0","id":99,"method":"shutdown"}"#.into(),
            -32700,
            json!(null),
        ),
        (
            "a non-JSON body",
            frame("{\"jsonrpc\": nope"),
            -32700,
            json!(null),
        ),
        (
            "a batch",
            frame(r#"[{"jsonrpc":"2.0","id":98,"method":"shutdown"}]"#),
            -32600,
            json!(null),
        ),
        (
            "a float id",
            frame(r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
            -32600,
            json!(null),
        ),
        (
            "an id of 2^64",
            frame(r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"shutdown"}"#),
            -32600,
            json!(null),
        ),
        (
            "a method that is not a string",
            frame(r#"{"jsonrpc":"2.0","id":97,"method":42}"#),
            -32600,
            json!(97),
        ),
    ]
}

/// Sends each bad frame followed by a valid request: the bad one gets its error, the valid
/// one its answer, and the server keeps serving.
async fn bad_frames_are_answered_and_skipped(client: &mut TestClient) {
    for (what, bytes, code, id) in bad_frames() {
        let probe = json!({"jsonrpc": "2.0", "id": format!("probe {what}"), "method": "workspace/symbol", "params": {"query": ""}});
        let all = format!("{bytes}{}", frame(&probe.to_string()));
        client.send_raw(all.as_bytes()).await;
        let error = client.response().await;
        assert_eq!(error["error"]["code"], code, "{what}: {error}");
        assert_eq!(error["id"], id, "{what}: {error}");
        let answer = client.response().await;
        assert_eq!(answer["id"], probe["id"], "{what}: {answer}");
        assert!(answer["result"].is_array(), "{what}: {answer}");
    }
}

/// Issue 13.14, in process.
#[tokio::test]
async fn bad_frames_are_answered_and_the_server_keeps_serving() {
    let dir = write_fixture(TWO_WORKERS);
    let root = dir.path().canonicalize().unwrap();
    let (mut client, server) = TestClient::in_process_with_exit();
    client.initialize(&root, json!({})).await;
    bad_frames_are_answered_and_skipped(&mut client).await;
    client.shutdown().await;
    assert_eq!(server.await.unwrap(), 0);
}

/// Issue 13.14, the built binary over real pipes: the same, and a clean exit (0, nothing
/// alarming on stderr).
#[tokio::test]
async fn bad_frames_are_answered_by_the_binary_and_it_keeps_serving() {
    let dir = write_fixture(TWO_WORKERS);
    let root = dir.path().canonicalize().unwrap();
    let (mut child, mut client) = spawn_binary();
    client.initialize(&root, json!({})).await;
    bad_frames_are_answered_and_skipped(&mut client).await;
    client.shutdown().await;
    let (code, stderr) = exit_status(&mut child).await;
    assert_eq!(code, 0, "{stderr}");
}

/// Issue 13.14: input that cannot be resynchronised (it ends inside a frame) is logged to
/// stderr and the server exits non-zero.
#[tokio::test]
async fn input_that_cannot_be_resynchronised_is_logged_and_exits_non_zero() {
    let (mut child, mut client) = spawn_binary();
    client
        .send_raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\"")
        .await;
    drop(client);
    let (code, stderr) = exit_status(&mut child).await;
    assert_eq!(
        code,
        workers_lsp::lsp::transport::EXIT_BAD_INPUT,
        "{stderr}"
    );
    assert!(stderr.contains("unreadable input"), "{stderr}");
}

/// Issue 13.15: `$/` requests get MethodNotFound, `$/` notifications nothing; `shutdown` as a
/// notification shuts nothing down; `exit` without `shutdown` exits 1.
#[tokio::test]
async fn dollar_requests_shutdown_notifications_and_exit_without_shutdown() {
    let dir = write_fixture(TWO_WORKERS);
    let root = dir.path().canonicalize().unwrap();
    let (mut client, server) = TestClient::in_process_with_exit();
    client.initialize(&root, json!({})).await;
    let response = client.request_raw("$/workers-lsp/unknown", json!({})).await;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.notify("$/setTrace", json!({"value": "off"})).await;
    client.notify("$/unknownNotification", json!({})).await;
    client.notify("shutdown", serde_json::Value::Null).await;
    // Still serving: a shut-down server answers requests with InvalidRequest.
    let symbols = client
        .request("workspace/symbol", json!({"query": ""}))
        .await;
    assert!(symbols.is_array(), "{symbols}");
    client.notify("exit", serde_json::Value::Null).await;
    assert_eq!(server.await.unwrap(), 1);
}

/// Issue 13.15 through the binary: exit codes 1 without `shutdown`, 0 after it.
#[tokio::test]
async fn the_binary_exits_1_on_exit_without_shutdown_and_0_after_it() {
    for with_shutdown in [false, true] {
        let (mut child, mut client) = spawn_binary();
        let dir = write_fixture(TWO_WORKERS);
        client
            .initialize(&dir.path().canonicalize().unwrap(), json!({}))
            .await;
        if with_shutdown {
            client.request("shutdown", serde_json::Value::Null).await;
        }
        client.notify("exit", serde_json::Value::Null).await;
        let (code, stderr) = exit_status(&mut child).await;
        assert_eq!(code, if with_shutdown { 0 } else { 1 }, "{stderr}");
    }
}

/// Issue 13.15: when the client closes the server's stdout, the next write fails (EPIPE) and
/// the server exits instead of running on.
#[cfg(unix)]
#[tokio::test]
async fn the_server_exits_when_its_stdout_is_closed() {
    let mut child = tokio::process::Command::new(binary())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("server starts");
    let mut stdin = child.stdin.take().unwrap();
    drop(child.stdout.take());
    use tokio::io::AsyncWriteExt;
    let request =
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}});
    stdin
        .write_all(frame(&request.to_string()).as_bytes())
        .await
        .unwrap();
    stdin.flush().await.unwrap();
    let (code, stderr) = exit_status(&mut child).await;
    assert_eq!(
        code,
        workers_lsp::lsp::transport::EXIT_OUTPUT_CLOSED,
        "{stderr}"
    );
    assert!(stderr.contains("cannot write to the client"), "{stderr}");
    drop(stdin);
}
