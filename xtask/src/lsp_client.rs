//! A minimal LSP client over a child process's stdio, for benchmarks.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub struct LspClient {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// The latest diagnostics published per URI.
    pub diagnostics: HashMap<String, Vec<Value>>,
    /// How many times diagnostics were published per URI.
    publishes: HashMap<String, u64>,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
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
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl LspClient {
    /// Starts `binary serve --stdio` without a summary cache (every measurement starts cold
    /// unless it names a cache).
    pub fn spawn(binary: &Path) -> Result<LspClient, String> {
        let mut cmd = Command::new(binary);
        cmd.args(["serve", "--stdio"])
            .env("WORKERS_LSP_NO_CACHE", "1");
        LspClient::spawn_command(cmd)
    }

    /// Starts the server with a command of the caller's (e.g. under valgrind).
    pub fn spawn_command(mut cmd: Command) -> Result<LspClient, String> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Ok(LspClient {
            child,
            stdin,
            messages: rx,
            next_id: 1,
            diagnostics: HashMap::new(),
            publishes: HashMap::new(),
        })
    }

    fn send(&mut self, msg: &Value) -> Result<(), String> {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())
            .and_then(|_| self.stdin.flush())
            .map_err(|e| format!("server stdin: {e}"))
    }

    pub fn notify(&mut self, method: &str, params: Value) -> Result<(), String> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Handles one incoming message: records diagnostics, answers server requests.
    fn handle(&mut self, msg: &Value) -> Result<(), String> {
        if msg["method"] == "textDocument/publishDiagnostics" {
            let uri = msg["params"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let diags = msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            *self.publishes.entry(uri.clone()).or_default() += 1;
            self.diagnostics.insert(uri, diags);
        } else if msg.get("method").is_some() && msg.get("id").is_some() {
            // A request from the server (registerCapability, workDoneProgress/create, ...).
            let id = msg["id"].clone();
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}))?;
        }
        Ok(())
    }

    fn recv(&mut self, deadline: Instant) -> Result<Value, String> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(m) => Ok(m),
            Err(RecvTimeoutError::Timeout) => Err("timed out waiting for the server".into()),
            Err(RecvTimeoutError::Disconnected) => Err("the server closed its output".into()),
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let msg = self.recv(deadline)?;
            if msg.get("method").is_none() && msg["id"] == id {
                if let Some(e) = msg.get("error") {
                    return Err(format!("{method} failed: {e}"));
                }
                return Ok(msg["result"].clone());
            }
            self.handle(&msg)?;
        }
    }

    pub fn initialize(&mut self, root_uri: &str) -> Result<(), String> {
        self.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "bench"}],
                "capabilities": {
                    "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
                    "window": {"workDoneProgress": true}
                }
            }),
        )?;
        self.notify("initialized", json!({}))
    }

    /// Waits until the diagnostics published for `uri` satisfy `pred`.
    pub fn wait_for_diagnostics(
        &mut self,
        uri: &str,
        timeout: Duration,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if self.diagnostics.get(uri).is_some_and(|d| pred(d)) {
                return Ok(());
            }
            let msg = self.recv(deadline)?;
            self.handle(&msg)?;
        }
    }

    /// How many times diagnostics were published for `uri` so far.
    pub fn publish_count(&self, uri: &str) -> u64 {
        self.publishes.get(uri).copied().unwrap_or(0)
    }

    /// Waits until diagnostics are published for `uri` more than `seen` times.
    pub fn wait_for_publish_after(
        &mut self,
        uri: &str,
        seen: u64,
        timeout: Duration,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        while self.publish_count(uri) <= seen {
            let msg = self.recv(deadline)?;
            self.handle(&msg)?;
        }
        Ok(())
    }

    pub fn shutdown(mut self) -> Result<(), String> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        Err("the server did not exit after shutdown/exit".into())
    }
}
