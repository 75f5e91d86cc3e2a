//! A small LSP test client: real JSON-RPC framing over any byte stream, with the
//! diagnostics the server publishes kept per URI.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

pub struct TestClient {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    messages: mpsc::UnboundedReceiver<Value>,
    next_id: i64,
    pub diagnostics: HashMap<String, Vec<Value>>,
    /// Every notification received, in order.
    pub notifications: Vec<Value>,
    /// Every request the server sent to the client, in order (each answered with `null`).
    pub requests: Vec<Value>,
}

async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

impl TestClient {
    /// A client over the given streams (the server's stdout is `from_server`).
    pub fn new<R, W>(from_server: R, to_server: W) -> TestClient
    where
        R: tokio::io::AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(from_server);
            while let Some(msg) = read_message(&mut reader).await {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        TestClient {
            writer: Box::new(to_server),
            messages: rx,
            next_id: 1,
            diagnostics: HashMap::new(),
            notifications: Vec::new(),
            requests: Vec::new(),
        }
    }

    /// The server running in this process over an in-memory duplex.
    pub fn in_process() -> TestClient {
        TestClient::in_process_with_exit().0
    }

    /// The server running in this process, caching summaries as `cache` says.
    pub fn in_process_with_cache(cache: workers_lsp::source::CachePolicy) -> TestClient {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        tokio::spawn(workers_lsp::lsp::run_with_cache(
            server_read,
            server_write,
            cache,
        ));
        let (read, write) = tokio::io::split(client_side);
        TestClient::new(read, write)
    }

    /// Like [`Self::in_process`], with the server's task, which ends with its exit code.
    pub fn in_process_with_exit() -> (TestClient, tokio::task::JoinHandle<i32>) {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        let server = tokio::spawn(workers_lsp::lsp::run(server_read, server_write));
        let (read, write) = tokio::io::split(client_side);
        (TestClient::new(read, write), server)
    }

    /// Sends bytes as they are (a broken frame, several frames at once).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write");
        self.writer.flush().await.expect("flush");
    }

    /// The next response (a message without a method), handling what comes before it.
    pub async fn response(&mut self) -> Value {
        loop {
            let msg = self.next().await;
            if msg.get("method").is_none() {
                return msg;
            }
            self.handle(msg).await;
        }
    }

    /// Whether a response arrives within `limit` (handling what else arrives).
    pub async fn response_within(&mut self, limit: Duration) -> Option<Value> {
        tokio::time::timeout(limit, self.response()).await.ok()
    }

    pub async fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.writer
            .write_all(frame.as_bytes())
            .await
            .expect("write");
        self.writer.flush().await.expect("flush");
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    async fn next(&mut self) -> Value {
        tokio::time::timeout(Duration::from_secs(30), self.messages.recv())
            .await
            .expect("the server answers within 30 s")
            .expect("the server is still running")
    }

    async fn handle(&mut self, msg: Value) {
        if msg.get("id").is_some() && msg.get("method").is_some() {
            let id = msg["id"].clone();
            self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}))
                .await;
            self.requests.push(msg);
        } else if msg.get("method").is_some() {
            if msg["method"] == "textDocument/publishDiagnostics" {
                let uri = msg["params"]["uri"].as_str().unwrap().to_string();
                let diags = msg["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                self.diagnostics.insert(uri, diags);
            }
            self.notifications.push(msg);
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let msg = self.next().await;
            if msg.get("method").is_none() && msg["id"] == id {
                return msg;
            }
            self.handle(msg).await;
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    pub async fn initialize(&mut self, root: &Path, capabilities: Value) -> Value {
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": uri(root),
                    "workspaceFolders": [{"uri": uri(root), "name": "test"}],
                    "capabilities": capabilities,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    /// Initializes with several workspace folders (multi-root).
    pub async fn initialize_folders(&mut self, roots: &[&Path], capabilities: Value) -> Value {
        let folders: Vec<Value> = roots
            .iter()
            .map(|r| json!({"uri": uri(r), "name": r.display().to_string()}))
            .collect();
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "workspaceFolders": folders,
                    "capabilities": capabilities,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    /// The labels of the completion items offered at `position` of `uri`.
    pub async fn completion_labels(&mut self, uri: &str, position: Value) -> Vec<String> {
        let result = self
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": position}),
            )
            .await;
        let items = result
            .get("items")
            .and_then(Value::as_array)
            .or_else(|| result.as_array())
            .cloned()
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|i| i["label"].as_str().map(str::to_string))
            .collect()
    }

    /// Waits until the diagnostics of `uri` satisfy `pred`, then returns them.
    pub async fn diagnostics_until(
        &mut self,
        uri: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        loop {
            if let Some(d) = self.diagnostics.get(uri) {
                if pred(d) {
                    return d.clone();
                }
            }
            let msg = self.next().await;
            self.handle(msg).await;
        }
    }

    /// Like [`Self::diagnostics_until`], but gives up after `limit` and returns `None`.
    pub async fn diagnostics_within(
        &mut self,
        uri: &str,
        limit: Duration,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Option<Vec<Value>> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Some(d) = self.diagnostics.get(uri) {
                if pred(d) {
                    return Some(d.clone());
                }
            }
            let msg = tokio::time::timeout_at(deadline, self.messages.recv())
                .await
                .ok()?
                .expect("the server is still running");
            self.handle(msg).await;
        }
    }

    /// Handles every message already received, without waiting for more.
    pub async fn drain(&mut self) {
        while let Ok(msg) = self.messages.try_recv() {
            self.handle(msg).await;
        }
    }

    pub async fn open(&mut self, path: &Path, language: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri(path), "languageId": language, "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn shutdown(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

pub fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Writes a multi-file fixture (`//- /path` headers) into a fresh folder.
pub fn write_fixture(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut current: Option<(String, String)> = None;
    let mut files = Vec::new();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("//- ") {
            files.extend(current.take());
            current = Some((p.trim().to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    files.extend(current.take());
    for (rel, body) in files {
        let path = dir.path().join(rel.trim_start_matches('/'));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    dir
}

/// The LSP position (UTF-16 columns) of the first `needle` in `text`, `shift` bytes into it.
#[allow(dead_code)] // not every test binary that includes this module asks for positions
pub fn position_of(text: &str, needle: &str, shift: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + shift;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let character = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count();
    json!({"line": line, "character": character})
}
