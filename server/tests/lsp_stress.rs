//! A seeded stream of random editor and disk operations against the in-process server: edits at
//! random (also out-of-range, also mid-surrogate) positions, stale versions, changes to closed
//! documents, open/close, watched-file creation and deletion, requests at random positions, for
//! unknown files and for files deleted on disk, `$/cancelRequest`. Afterwards the server is alive, answered every request,
//! and the diagnostics it last published equal a fresh `check` of the final texts.
//!
//! The client keeps its own model of every text and applies each edit with its own UTF-16
//! arithmetic, so the server's position handling is checked against an independent one.

mod common;

use common::{uri, TestClient};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use workers_lsp::analysis::{self, Workspace};
use workers_lsp::base::{LineIndex, PositionEncoding};
use workers_lsp::project::DiskFs;

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The client's own position arithmetic: lines end at `\n` (a `\r` before it is not part of
/// the line), columns are UTF-16 units; past the end of a line clamps to its end, past the last
/// line clamps to the end of the text, inside a character to its start.
fn offset(text: &str, line: u32, col: u32) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= col {
            return start + i;
        }
        units += c.len_utf16() as u32;
        if units > col {
            return start + i;
        }
    }
    end
}

fn line_lengths(text: &str) -> Vec<usize> {
    text.split('\n')
        .map(|l| l.trim_end_matches('\r').encode_utf16().count())
        .collect()
}

/// A position biased towards real text, sometimes past its end.
fn random_position(rng: &mut Rng, text: &str) -> (u32, u32) {
    let lines = line_lengths(text);
    if rng.below(20) == 0 {
        return (
            lines.len() as u32 + rng.below(5) as u32,
            rng.below(50) as u32,
        );
    }
    let line = rng.below(lines.len());
    let slack = if rng.below(10) == 0 { 6 } else { 1 };
    let col = rng.below(lines[line] + slack);
    (line as u32, col as u32)
}

const FRAGMENTS: &[&str] = &[
    "a",
    "Z",
    "_",
    "\n",
    "😀",
    "é",
    " ",
    "\"",
    "=",
    "{",
    "}",
    "env.",
    "env.AUTH",
    "AUTH",
    "TaskService",
    "export class Extra {}\n",
    "[vars]\nX = \"1\"\n",
    "\"auth\"",
    "é😀",
];

type Findings = BTreeMap<String, BTreeSet<(String, u32, u32)>>;

fn published(client: &TestClient) -> Findings {
    let mut out = Findings::new();
    for (u, diags) in &client.diagnostics {
        if diags.is_empty() {
            continue;
        }
        let set = diags
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap() as u32,
                    d["range"]["start"]["character"].as_u64().unwrap() as u32,
                )
            })
            .collect();
        out.insert(u.clone(), set);
    }
    out
}

fn fresh_check(root: &Path) -> Findings {
    let ws = Workspace::load(root, &DiskFs::new(root));
    let (_, diags) = analysis::check(Arc::new(ws));
    let mut out = Findings::new();
    for d in diags {
        let text = std::fs::read_to_string(&d.file).unwrap_or_default();
        let lc = LineIndex::new(&text).line_col(&text, d.range.start, PositionEncoding::Utf16);
        out.entry(uri(&d.file))
            .or_default()
            .insert((d.code.to_string(), lc.line, lc.col));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.extension().is_some_and(|e| {
            ["ts", "js", "toml", "json", "jsonc"].contains(&e.to_str().unwrap_or(""))
        }) {
            out.push(p);
        }
    }
}

/// Where the server runs: in this process, or the built binary over stdio.
#[derive(Clone, Copy)]
enum Target {
    InProcess,
    Binary,
}

async fn run(seed: u64, operations: usize, target: Target) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces/families/saas"),
        &root,
    );
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();

    let mut rng = Rng(seed);
    let mut child = None;
    let mut client = match target {
        Target::InProcess => TestClient::in_process(),
        Target::Binary => {
            let bin = std::env::var_os("WORKERS_LSP_BIN")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_workers-lsp")));
            let mut c = tokio::process::Command::new(bin)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::inherit())
                .kill_on_drop(true)
                .spawn()
                .expect("server starts");
            let (stdin, stdout) = (c.stdin.take().unwrap(), c.stdout.take().unwrap());
            child = Some(c);
            TestClient::new(stdout, stdin)
        }
    };
    client
        .initialize(&root, json!({"window": {"workDoneProgress": true}}))
        .await;
    // Open documents: text and version, as the client holds them.
    let mut open: BTreeMap<PathBuf, (String, i32)> = BTreeMap::new();
    let mut created: Vec<PathBuf> = Vec::new();
    // Files deleted on disk: requests for them must still be answered.
    let mut deleted: Vec<PathBuf> = Vec::new();
    let mut answered = 0;

    for step in 0..operations {
        let roll = rng.below(100);
        if roll < 45 && !open.is_empty() {
            // A ranged edit: insert, delete or replace, sometimes several in one message.
            let keys: Vec<PathBuf> = open.keys().cloned().collect();
            let path = rng.pick(&keys).clone();
            let (text, version) = open.get_mut(&path).unwrap();
            let mut changes = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let (sl, sc) = random_position(&mut rng, text);
                let (el, ec) = if rng.below(3) == 0 {
                    (sl, sc)
                } else if rng.below(4) == 0 {
                    random_position(&mut rng, text)
                } else {
                    (sl, sc + rng.below(8) as u32)
                };
                let new_text = if rng.below(3) == 0 {
                    ""
                } else {
                    FRAGMENTS[rng.below(FRAGMENTS.len())]
                };
                let start = offset(text, sl, sc);
                let end = offset(text, el, ec).max(start);
                text.replace_range(start..end, new_text);
                changes.push(json!({"range": {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}, "text": new_text}));
            }
            *version += 1;
            let v = *version;
            client
                .notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri(&path), "version": v}, "contentChanges": changes}),
                )
                .await;
        } else if roll < 50 && !open.is_empty() {
            // A stale change: an older version, ignored by both sides.
            let keys: Vec<PathBuf> = open.keys().cloned().collect();
            let path = rng.pick(&keys).clone();
            let v = open[&path].1 - 1 - rng.below(3) as i32;
            client
                .notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri(&path), "version": v}, "contentChanges": [{"text": "garbage"}]}),
                )
                .await;
        } else if roll < 53 {
            // A full-text change.
            if let Some(path) = open.keys().nth(rng.below(open.len())).cloned() {
                let (text, version) = open.get_mut(&path).unwrap();
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())];
                text.push_str(fragment);
                *version += 1;
                let (t, v) = (text.clone(), *version);
                client
                    .notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri(&path), "version": v}, "contentChanges": [{"text": t}]}),
                    )
                    .await;
            }
        } else if roll < 63 {
            // Open a file that is not open (or reopen one that is, with its text).
            let path = rng.pick(&files).clone();
            if !path.exists() {
                continue;
            }
            let text = open
                .get(&path)
                .map(|(t, _)| t.clone())
                .unwrap_or_else(|| std::fs::read_to_string(&path).unwrap());
            open.insert(path.clone(), (text.clone(), 1));
            client
                .notify(
                    "textDocument/didOpen",
                    json!({"textDocument": {"uri": uri(&path), "languageId": "x", "version": 1, "text": text}}),
                )
                .await;
        } else if roll < 68 && !open.is_empty() {
            // Close: the disk is the truth again.
            let path = open.keys().nth(rng.below(open.len())).cloned().unwrap();
            open.remove(&path);
            client
                .notify(
                    "textDocument/didClose",
                    json!({"textDocument": {"uri": uri(&path)}}),
                )
                .await;
        } else if roll < 71 {
            // A change to a document that is not open: ignored.
            let path = rng.pick(&files).clone();
            if !open.contains_key(&path) {
                client
                    .notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri(&path), "version": 99}, "contentChanges": [{"text": "x"}]}),
                    )
                    .await;
            }
        } else if roll < 76 {
            // Outside the editor: a new worker appears, or one made earlier is deleted.
            if created.is_empty() || rng.below(2) == 0 {
                let folder = root.join(format!("extra{step}"));
                std::fs::create_dir_all(folder.join("src")).unwrap();
                let name = if rng.below(2) == 0 {
                    "Extra Bad"
                } else {
                    "extra"
                };
                let config = folder.join("wrangler.toml");
                std::fs::write(
                    &config,
                    format!("name = \"{name}\"\nmain = \"src/index.ts\"\nservices = [{{ binding = \"A\", service = \"auht\" }}]\n"),
                )
                .unwrap();
                std::fs::write(folder.join("src/index.ts"), "export default {};\n").unwrap();
                created.push(config.clone());
                files.push(config.clone());
                client
                    .notify(
                        "workspace/didChangeWatchedFiles",
                        json!({"changes": [{"uri": uri(&config), "type": 1}]}),
                    )
                    .await;
            } else {
                let config = created.remove(rng.below(created.len()));
                if open.remove(&config).is_some() {
                    client
                        .notify(
                            "textDocument/didClose",
                            json!({"textDocument": {"uri": uri(&config)}}),
                        )
                        .await;
                }
                std::fs::remove_dir_all(config.parent().unwrap()).unwrap();
                deleted.extend(
                    files
                        .iter()
                        .filter(|f| f.starts_with(config.parent().unwrap()))
                        .cloned(),
                );
                files.retain(|f| !f.starts_with(config.parent().unwrap()));
                client
                    .notify(
                        "workspace/didChangeWatchedFiles",
                        json!({"changes": [{"uri": uri(&config), "type": 3}]}),
                    )
                    .await;
            }
        } else if roll < 78 {
            let id = rng.below(step + 1);
            client.notify("$/cancelRequest", json!({"id": id})).await;
        } else {
            // A request at a random position, in an open file, a closed one, or nowhere.
            let (u, text) = match rng.below(6) {
                0 if !deleted.is_empty() && rng.below(2) == 0 => {
                    (uri(rng.pick::<PathBuf>(&deleted)), String::new())
                }
                0 => ("file:///nowhere/ghost.ts".to_string(), String::new()),
                1 | 2 => {
                    let path = rng.pick(&files).clone();
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    (uri(&path), text)
                }
                _ => match open.iter().nth(rng.below(open.len())) {
                    Some((p, (t, _))) => (uri(p), t.clone()),
                    None => continue,
                },
            };
            let (line, character) = random_position(&mut rng, &text);
            let position = json!({"line": line, "character": character});
            let doc = json!({"uri": u});
            let (method, params) = match rng.below(7) {
                0 => (
                    "textDocument/hover",
                    json!({"textDocument": doc, "position": position}),
                ),
                1 => (
                    "textDocument/completion",
                    json!({"textDocument": doc, "position": position}),
                ),
                2 => (
                    "textDocument/definition",
                    json!({"textDocument": doc, "position": position}),
                ),
                3 => (
                    "textDocument/references",
                    json!({"textDocument": doc, "position": position, "context": {"includeDeclaration": true}}),
                ),
                4 => (
                    "textDocument/prepareRename",
                    json!({"textDocument": doc, "position": position}),
                ),
                5 => ("textDocument/documentSymbol", json!({"textDocument": doc})),
                _ => (
                    "textDocument/codeAction",
                    json!({"textDocument": doc, "range": {"start": position, "end": position}, "context": {"diagnostics": []}}),
                ),
            };
            let response = client.request_raw(method, params).await;
            assert!(
                response.get("result").is_some() || response.get("error").is_some(),
                "{method}: {response}"
            );
            if let Some(e) = response.get("error") {
                // Refusals are fine (a rename that is not possible here); crashes are not.
                assert_ne!(e["code"], -32603, "{method} at step {step} panicked: {e}");
            }
            answered += 1;
        }
    }

    // The final state, on disk, as a fresh `check` sees it.
    for (path, (text, _)) in &open {
        std::fs::write(path, text).unwrap();
    }
    let expected = fresh_check(&root);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        client.drain().await;
        if published(&client) == expected {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            let got = published(&client);
            for (u, want) in &expected {
                let have = got.get(u).cloned().unwrap_or_default();
                if &have != want {
                    eprintln!("{u}\n  check: {want:?}\n  lsp:   {have:?}");
                }
            }
            for (u, have) in &got {
                if !expected.contains_key(u) {
                    eprintln!("{u}\n  check: []\n  lsp:   {have:?}");
                }
            }
            panic!("seed {seed}: the last published diagnostics differ from a fresh check");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Nothing older arrives afterwards, and the server still answers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    client.drain().await;
    assert_eq!(published(&client), expected, "seed {seed}: a late publish");
    assert!(answered > 0);
    client.shutdown().await;
    if let Some(mut child) = child {
        let status = tokio::time::timeout(Duration::from_secs(5), child.wait())
            .await
            .expect("the server exits after `exit`")
            .unwrap();
        assert!(status.success(), "{status:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_operations_end_in_the_same_diagnostics_as_a_fresh_check() {
    let seeds: Vec<u64> = match std::env::var("WORKERS_LSP_STRESS_SEED") {
        Ok(s) => vec![s.parse().expect("a number")],
        Err(_) => vec![0x5EED_0001, 0x5EED_0002, 0x5EED_0003],
    };
    let operations = std::env::var("WORKERS_LSP_STRESS_OPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(600);
    for seed in seeds {
        run(seed, operations, Target::InProcess).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_survives_random_operations_over_stdio() {
    run(0x5EED_B1A5, 400, Target::Binary).await;
}
