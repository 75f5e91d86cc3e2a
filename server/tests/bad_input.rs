//! The bad-input corpus (`test-workspaces/bad-input/`, one folder per case) and the cases that
//! cannot be committed (generated here into temporary folders): each gives a clear finding or
//! silence, and never a panic, a hang, or a read outside the root.
//!
//! Every run goes through [`run_guarded`]: the checker runs on its own thread (with the default
//! 2 MB stack of a spawned thread, smaller than the CLI's main thread, so a deep recursion shows
//! here first), under a time limit, with a file system that records every successful read.
//! `server/tests/workspaces.rs` compares the committed cases' `expected.txt` as well.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use workers_lsp::analysis::{self, Diagnostic, Severity, Workspace};
use workers_lsp::base::{LineIndex, PositionEncoding};
use workers_lsp::project::{relative, DirEntry, DiskFs, FileSystem, SkipReason};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/bad-input")
        .canonicalize()
        .expect("the bad-input corpus is in the checkout")
}

/// The disk, confined as the checker confines it, recording every path it returned text for.
struct RecordingFs {
    disk: DiskFs,
    read: Mutex<Vec<PathBuf>>,
}

impl FileSystem for RecordingFs {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        let r = self.disk.read_text(path);
        if r.is_ok() {
            self.read.lock().unwrap().push(path.to_path_buf());
        }
        r
    }
    fn is_file(&self, path: &Path) -> bool {
        self.disk.is_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.disk.is_dir(path)
    }
    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, SkipReason> {
        self.disk.list_dir(dir)
    }
}

struct Outcome {
    root: PathBuf,
    ws: Arc<Workspace>,
    diagnostics: Vec<Diagnostic>,
    elapsed: Duration,
}

impl Outcome {
    /// `path:line code severity`, 1-based lines, sorted and deduplicated.
    fn findings(&self) -> Vec<String> {
        // One line index per file: thousands of findings in one big file must not rebuild it
        // per finding.
        let mut indices: HashMap<&Path, (Arc<str>, LineIndex)> = HashMap::new();
        let mut out: Vec<String> = self
            .diagnostics
            .iter()
            .map(|d| {
                let (text, idx) = indices.entry(d.file.as_path()).or_insert_with(|| {
                    let text = self.ws.text(&d.file).unwrap_or_default();
                    let idx = LineIndex::new(&text);
                    (text, idx)
                });
                let line = idx
                    .line_col(text, d.range.start, PositionEncoding::Utf16)
                    .line
                    + 1;
                format!(
                    "{}:{} {} {}",
                    relative(&self.root, &d.file),
                    line,
                    d.code,
                    d.severity.as_str()
                )
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// 1-based line and UTF-16 column of a finding's start.
    fn line_col(&self, d: &Diagnostic) -> (u32, u32) {
        let text = self.ws.text(&d.file).unwrap_or_default();
        let lc = LineIndex::new(&text).line_col(&text, d.range.start, PositionEncoding::Utf16);
        (lc.line + 1, lc.col + 1)
    }

    fn only(&self, code: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self.diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(
            found.len(),
            1,
            "one {code} expected: {:#?}",
            self.findings()
        );
        found[0]
    }
}

/// Loads and checks `root` on a separate thread within `limit`; fails the test on a panic, a
/// timeout, or a successful read of a file (symlinks resolved) outside the root.
fn run_guarded(root: &Path, limit: Duration) -> Outcome {
    let root = root.to_path_buf();
    let (tx, rx) = mpsc::channel();
    let thread_root = root.clone();
    let handle = std::thread::Builder::new()
        .name("check".into())
        .spawn(move || {
            let start = Instant::now();
            let fs = RecordingFs {
                disk: DiskFs::new(&thread_root),
                read: Mutex::new(Vec::new()),
            };
            let ws = Arc::new(Workspace::load(&thread_root, &fs));
            let (_index, diagnostics) = analysis::check(ws.clone());
            let read = fs.read.into_inner().unwrap();
            let _ = tx.send((ws, diagnostics, read, start.elapsed()));
        })
        .unwrap();
    let (ws, diagnostics, read, elapsed) = match rx.recv_timeout(limit) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!(
                "check of {} did not finish within {limit:?}",
                root.display()
            )
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let e = handle
                .join()
                .expect_err("the thread ended without a result");
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("check of {} panicked: {msg}", root.display())
        }
    };
    let canonical_root = root.canonicalize().unwrap();
    for p in &read {
        let real = p.canonicalize().unwrap();
        assert!(
            real.starts_with(&canonical_root),
            "read {} (really {}) outside the root {}",
            p.display(),
            real.display(),
            root.display()
        );
    }
    for d in &diagnostics {
        let text = ws.text(&d.file).unwrap_or_default();
        assert!(
            d.range.start <= d.range.end && d.range.end as usize <= text.len().max(1),
            "{}: range {:?} outside its file",
            d.code,
            d.range
        );
    }
    Outcome {
        root,
        ws,
        diagnostics,
        elapsed,
    }
}

fn case(name: &str) -> Outcome {
    run_guarded(&corpus().join(name), Duration::from_secs(30))
}

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

// ---- the committed cases -------------------------------------------------------------------

#[test]
fn every_committed_case_is_listed_in_the_readme() {
    let readme = std::fs::read_to_string(corpus().join("README.md")).unwrap();
    let mut count = 0;
    for e in std::fs::read_dir(corpus()).unwrap().flatten() {
        if e.path().is_dir() {
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(
                readme.contains(&format!("`{name}`")),
                "{name} is not in README"
            );
            assert!(
                e.path().join("expected.txt").is_file(),
                "{name}: no expected.txt"
            );
            count += 1;
        }
    }
    assert!(count >= 15, "only {count} cases");
}

#[test]
fn the_whole_corpus_as_one_root_terminates_and_stays_inside() {
    let out = run_guarded(&corpus(), Duration::from_secs(60));
    assert!(
        out.findings().iter().any(|f| f.contains("config-syntax")),
        "{:#?}",
        out.findings()
    );
}

#[test]
fn invalid_utf8_is_skipped_with_an_info_at_main() {
    let out = case("invalid-utf8");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:2 unreadable-file info"])
    );
    assert!(out
        .only("unreadable-file")
        .message
        .contains("not valid UTF-8"));
}

#[test]
fn bom_and_crlf_keep_utf16_columns() {
    let out = case("bom-crlf");
    let d = out.only("unknown-binding");
    // `    return new Response("😀" + env.NOPE);`: 35 UTF-16 units before NOPE.
    assert_eq!(out.line_col(d), (4, 36));
}

/// Finds `needle` in a file and returns its 1-based line and UTF-16 column, counted here
/// independently of `LineIndex`.
fn utf16_position(path: &Path, needle: &str) -> (u32, u32) {
    let text = workers_lsp::project::decode_text(std::fs::read(path).unwrap()).unwrap();
    let at = text.find(needle).unwrap();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() as u32 + 1,
        text[line_start..at].encode_utf16().count() as u32 + 1,
    )
}

#[test]
fn bom_jsonc_and_bom_source_with_astral_characters_keep_utf16_columns() {
    let dir = corpus().join("bom-astral");
    assert!(std::fs::read(dir.join("wrangler.jsonc"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    assert!(std::fs::read(dir.join("src/index.ts"))
        .unwrap()
        .starts_with(b"\xEF\xBB\xBF"));
    let out = case("bom-astral");
    assert_eq!(
        out.findings(),
        lines(&[
            // Neither name is a near miss of a declared one: not in this workspace, `info`.
            "src/index.ts:4 unknown-binding info",
            "wrangler.jsonc:6 unknown-service info"
        ])
    );
    assert_eq!(
        out.line_col(out.only("unknown-binding")),
        utf16_position(&dir.join("src/index.ts"), "GONE")
    );
    assert_eq!(
        out.line_col(out.only("unknown-service")),
        utf16_position(&dir.join("wrangler.jsonc"), "nowhere")
    );
}

/// The same columns through the built binary's JSON report.
#[test]
fn json_report_columns_are_utf16_after_astral_characters() {
    let dir = corpus().join("bom-astral");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_workers-lsp"))
        .args([
            "check",
            dir.to_str().unwrap(),
            "--format",
            "json",
            "--deny",
            "warnings",
        ])
        .output()
        .unwrap();
    // Both findings are `info` (no near miss): even `--deny warnings` passes.
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let pos = |file: &str, needle: &str| {
        let (l, c) = utf16_position(&dir.join(file), needle);
        (file.to_string(), l as u64, c as u64)
    };
    assert_eq!(
        got,
        vec![
            pos("src/index.ts", "GONE"),
            pos("wrangler.jsonc", "nowhere")
        ]
    );
}

#[test]
fn deeply_nested_jsonc_is_a_syntax_error_not_a_stack_overflow() {
    let out = case("deep-jsonc");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.jsonc:1 config-syntax error"])
    );
    assert!(out.only("config-syntax").message.contains("nesting"));
}

#[test]
fn deeply_nested_toml_is_a_syntax_error_not_a_stack_overflow() {
    let out = case("deep-toml");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:3 config-syntax error"])
    );
}

#[test]
fn symlink_loop_is_not_followed() {
    let out = case("symlink-loop");
    assert_eq!(out.findings(), Vec::<String>::new());
}

#[test]
fn symlink_out_of_the_root_is_reported_and_not_read() {
    let out = case("symlink-outside");
    assert_eq!(
        out.findings(),
        lines(&["src/index.ts:1 unreadable-file info"])
    );
    assert!(out
        .only("unreadable-file")
        .message
        .contains("outside the checked root"));
}

#[test]
fn dangling_symlink_is_an_unresolved_import_not_a_crash() {
    let out = case("dangling-symlink");
    assert_eq!(out.findings(), Vec::<String>::new());
}

#[test]
fn config_that_is_a_folder_is_ignored() {
    let out = case("config-is-folder");
    assert_eq!(out.findings(), Vec::<String>::new());
    assert!(out.ws.configs.is_empty() && out.ws.config_skips.is_empty());
}

#[test]
fn main_that_is_a_folder_is_reported() {
    let out = case("main-is-folder");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:3 missing-main error"])
    );
}

#[test]
fn main_outside_the_root_is_reported_and_not_read() {
    let out = case("main-outside");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:2 unreadable-file info"])
    );
    assert!(out.ws.sources.is_empty(), "{:?}", out.ws.sources.keys());
}

#[test]
fn import_and_reexport_cycles_terminate() {
    let out = case("cycles");
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:3 unknown-entrypoint error"])
    );
    assert_eq!(out.ws.sources.len(), 2);
}

#[test]
fn two_configs_with_the_same_name_are_both_reported() {
    let out = case("same-name");
    assert_eq!(
        out.findings(),
        // Unconnected workers (no binding, host or queue between them): they only clash if
        // they deploy to one account, so `info`.
        lines(&[
            "one/wrangler.toml:1 duplicate-worker-name info",
            "two/wrangler.toml:1 duplicate-worker-name info"
        ])
    );
}

#[test]
fn empty_config_and_empty_module_are_silent() {
    let out = case("empty-files");
    assert_eq!(out.findings(), Vec::<String>::new());
}

#[test]
fn configs_holding_only_comments_are_silent() {
    let out = case("comments-only");
    assert_eq!(out.findings(), Vec::<String>::new());
    assert_eq!(out.ws.configs.len(), 2);
}

// ---- generated cases -----------------------------------------------------------------------

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const HANDLER: &str = "export default { fetch() { return new Response(); } };\n";

#[test]
fn a_5_mb_source_is_skipped_with_an_info() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"big\"\nmain = \"index.ts\"\n",
    );
    let mut big = String::from(HANDLER);
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("export const x = [1, 2, 3]; // env.NOT_READ\n");
    }
    write(dir.path(), "index.ts", &big);
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:2 unreadable-file info"])
    );
    assert!(out
        .only("unreadable-file")
        .message
        .contains("over the 2 MB limit"));
}

/// Just under the limit, the file is read and analysed in reasonable time, and a finding on
/// its last line is at the right line.
#[test]
fn a_source_just_under_the_limit_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"big\"\nmain = \"index.ts\"\n",
    );
    let mut big = String::from(
        "export default { fetch(r: Request, env: Env) { return new Response(env.LAST); } };\n",
    );
    let mut lines_written = 1;
    while big.len() < 1900 * 1024 {
        big.push_str("export function f(env: Env) { return [\"😀\", env.X ?? 1, 2, 3]; }\n");
        lines_written += 1;
    }
    big.push_str("export const last = (env: Env) => env.AT_THE_END;\n");
    write(dir.path(), "index.ts", &big);
    let out = run_guarded(dir.path(), Duration::from_secs(60));
    let findings = out.findings();
    assert!(
        findings.contains(&format!(
            "index.ts:{} unknown-binding info",
            lines_written + 1
        )),
        "{findings:#?}"
    );
    assert!(out.elapsed < Duration::from_secs(30), "{:?}", out.elapsed);
}

#[test]
fn a_config_with_10000_bindings_is_checked_in_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("name = \"many\"\nmain = \"index.ts\"\n");
    for i in 0..10_000 {
        toml.push_str(&format!(
            "[[kv_namespaces]]\nbinding = \"KV_{i}\"\nid = \"{i:032x}\"\n"
        ));
    }
    write(dir.path(), "wrangler.toml", &toml);
    // Every binding read but the last: one unused-binding, one unknown-binding.
    let mut src =
        String::from("export default { async fetch(r: Request, env: Env) {\n  const all = [\n");
    for i in 0..9_999 {
        src.push_str(&format!("    env.KV_{i},\n"));
    }
    src.push_str("    env.KV_TYPO,\n  ];\n  return new Response(String(all.length));\n} };\n");
    write(dir.path(), "index.ts", &src);
    let out = run_guarded(dir.path(), Duration::from_secs(60));
    assert_eq!(
        out.findings(),
        lines(&[
            // `KV_TYPO` is no near miss of any `KV_<n>`: reported, as `info`.
            "index.ts:10002 unknown-binding info",
            "wrangler.toml:30001 unused-binding hint"
        ])
    );
    assert!(out.elapsed < Duration::from_secs(30), "{:?}", out.elapsed);
}

/// Deep expressions and long member chains in a source: the summariser must not recurse once
/// per level.
#[test]
fn deeply_nested_source_expressions_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"deep\"\nmain = \"index.ts\"\n",
    );
    let depth = 20_000;
    let src = format!(
        "{HANDLER}export const a = (env: Env) => {}env.DEEP{};\nexport const b = (env: Env) => env.CHAIN{};\nexport const c = {}1{};\n",
        "(".repeat(depth),
        ")".repeat(depth),
        ".x".repeat(depth),
        "[".repeat(depth),
        "]".repeat(depth),
    );
    write(dir.path(), "index.ts", &src);
    let out = run_guarded(dir.path(), Duration::from_secs(60));
    let findings = out.findings();
    assert!(
        findings.contains(&"index.ts:2 unknown-binding info".to_string()),
        "{findings:#?}"
    );
}

#[test]
fn a_config_with_only_whitespace_and_a_bom_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wrangler.toml", "\u{FEFF}\r\n  \r\n");
    write(dir.path(), "wrangler.jsonc", "\u{FEFF}  ");
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    // An empty JSON document is not a syntax error worth reporting, or is one: either way one
    // clear finding at most, and never on the TOML file.
    assert!(
        out.findings()
            .iter()
            .all(|f| f.starts_with("wrangler.jsonc:1 ")),
        "{:#?}",
        out.findings()
    );
}

/// A FIFO as `main` or as a config: reading it would block forever.
#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"pipe\"\nmain = \"index.ts\"\n",
    );
    write(
        dir.path(),
        "w/wrangler.toml",
        "name = \"pipe-import\"\nmain = \"index.ts\"\n",
    );
    write(
        dir.path(),
        "w/index.ts",
        format!("import p from \"./pipe\";\n{HANDLER}"),
    );
    for fifo in ["index.ts", "other/wrangler.toml", "w/pipe.ts"] {
        let p = dir.path().join(fifo);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    assert_eq!(
        out.findings(),
        lines(&["wrangler.toml:2 unreadable-file info"]),
    );
    assert!(out
        .only("unreadable-file")
        .message
        .contains("not a regular file"));
}

/// A file without read permission. As root (CI containers) permissions do not stop reads, so
/// the file is read and analysed; otherwise it is skipped with an info. Both are asserted.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_info_or_read_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "wrangler.toml",
        "name = \"locked\"\nmain = \"index.ts\"\n",
    );
    write(dir.path(), "index.ts", HANDLER);
    let main = dir.path().join("index.ts");
    std::fs::set_permissions(&main, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&main).is_ok();
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    std::fs::set_permissions(&main, std::fs::Permissions::from_mode(0o644)).unwrap();
    if readable_anyway {
        assert_eq!(out.findings(), Vec::<String>::new());
    } else {
        assert_eq!(
            out.findings(),
            lines(&["wrangler.toml:2 unreadable-file info"])
        );
        assert!(out
            .only("unreadable-file")
            .message
            .contains("cannot be read"));
    }
}

/// A config symlinked from outside the root is not a config of this root, and a `.dev.vars`
/// symlinked to a file outside is not read.
#[cfg(unix)]
#[test]
fn symlinked_config_and_secrets_from_outside_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "wrangler.toml",
        "name = \"stranger\"\nmain = \"x.ts\"\n",
    );
    write(outside.path(), "secrets", "LEAKED=1\n");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "w/wrangler.toml",
        "name = \"home\"\nmain = \"index.ts\"\n",
    );
    write(
        dir.path(),
        "w/index.ts",
        "export default { fetch(r: Request, env: Env) { return new Response(env.LEAKED); } };\n",
    );
    std::os::unix::fs::symlink(
        outside.path().join("wrangler.toml"),
        dir.path().join("wrangler.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secrets"),
        dir.path().join("w/.dev.vars"),
    )
    .unwrap();
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    // LEAKED is unknown: the secrets file outside the root was not read.
    assert_eq!(
        out.findings(),
        lines(&["w/index.ts:1 unknown-binding info"])
    );
}

/// `check` itself through the binary on the whole corpus: findings, never a usage error or a
/// crash.
#[test]
fn the_binary_on_the_whole_corpus_exits_0_or_1() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_workers-lsp"))
        .args(["check", corpus().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn severities_of_skips_are_info() {
    for name in ["invalid-utf8", "main-outside", "symlink-outside"] {
        let out = case(name);
        assert!(out
            .diagnostics
            .iter()
            .filter(|d| d.code == "unreadable-file")
            .all(|d| d.severity == Severity::Info));
    }
}

// ---- issue 13: one confined, bounded reader for every read ---------------------------------

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// Two workers, `a` calling `b`: `b` must be found for the call to resolve.
fn two_workers(dir: &Path) {
    write(
        dir,
        "a/wrangler.toml",
        "name = \"a\"\nmain = \"index.ts\"\nservices = [{ binding = \"B\", service = \"b\" }]\n",
    );
    write(
        dir,
        "a/index.ts",
        "export default { fetch(r: Request, env: Env) { return env.B.fetch(r); } };\n",
    );
    write(
        dir,
        "b/wrangler.toml",
        "name = \"b\"\nmain = \"index.ts\"\n",
    );
    write(dir, "b/index.ts", HANDLER);
}

/// Issue 13.1: a FIFO named `.gitignore` or `.ignore` (at the root or deeper) is never opened:
/// the check finishes and finds every worker.
#[cfg(unix)]
#[test]
fn fifo_gitignore_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    two_workers(dir.path());
    mkfifo(&dir.path().join(".gitignore"));
    mkfifo(&dir.path().join("a/.ignore"));
    mkfifo(&dir.path().join("b/.gitignore"));
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    assert_eq!(out.findings(), Vec::<String>::new());
    assert_eq!(out.ws.configs.len(), 2);
}

/// Issue 13.2: a `.gitignore` symlinked to `/dev/zero` is not read (it leads out of the root,
/// and it is no regular file).
#[cfg(unix)]
#[test]
fn gitignore_symlinked_to_dev_zero_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    two_workers(dir.path());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".gitignore")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("a/.ignore")).unwrap();
    let out = run_guarded(dir.path(), Duration::from_secs(20));
    assert_eq!(out.findings(), Vec::<String>::new());
    assert_eq!(out.ws.configs.len(), 2);
}

/// Issue 13.3: `.gitignore`, `.ignore` and `.git/info/exclude` symlinked to files outside the
/// root are not read: their patterns (which would hide worker `b`) do not apply. The same
/// patterns in real files inside the root do apply.
#[cfg(unix)]
#[test]
fn ignore_files_symlinked_out_of_the_root_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "patterns", "b/\n");
    for link in [".gitignore", "a/.ignore", ".git/info/exclude"] {
        let dir = tempfile::tempdir().unwrap();
        two_workers(dir.path());
        let at = dir.path().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path().join("patterns"), &at).unwrap();
        let out = run_guarded(dir.path(), Duration::from_secs(20));
        assert_eq!(out.findings(), Vec::<String>::new(), "{link}");
        assert_eq!(out.ws.configs.len(), 2, "{link}");
    }
    // Control: the same patterns in the root's own files hide `b`, and `a` then calls a
    // worker the workspace does not have.
    for file in [".gitignore", ".ignore", ".git/info/exclude"] {
        let dir = tempfile::tempdir().unwrap();
        two_workers(dir.path());
        write(dir.path(), file, "b/\n");
        let out = run_guarded(dir.path(), Duration::from_secs(20));
        let findings = out.findings();
        assert!(
            findings.len() == 1 && findings[0].starts_with("a/wrangler.toml:3 unknown-service "),
            "{file}: {findings:?}"
        );
    }
}

/// Issue 13.4: `workers-lsp.toml` is read through the confined reader, also when a request
/// asks for its text: a symlink to `/dev/zero` or `/etc/passwd` and a FIFO give no text, at
/// once.
#[cfg(unix)]
#[test]
fn settings_file_is_read_confined() {
    for target in ["/dev/zero", "/etc/passwd", "fifo"] {
        let dir = tempfile::tempdir().unwrap();
        two_workers(dir.path());
        let settings = dir.path().join("workers-lsp.toml");
        if target == "fifo" {
            mkfifo(&settings);
        } else {
            std::os::unix::fs::symlink(target, &settings).unwrap();
        }
        let out = run_guarded(dir.path(), Duration::from_secs(20));
        let (tx, rx) = mpsc::channel();
        let ws = out.ws.clone();
        std::thread::spawn(move || {
            let _ = tx.send(ws.text(&settings).map(|t| t.len()));
        });
        let text = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("the text of a settings file -> {target} hangs"));
        assert_eq!(text, None, "{target}");
    }
}

/// The disk, except that listing one folder fails as it does without read permission.
struct UnlistableFs {
    disk: DiskFs,
    denied: PathBuf,
}

impl FileSystem for UnlistableFs {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        self.disk.read_text(path)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.disk.is_file(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.disk.is_dir(path)
    }
    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, SkipReason> {
        if dir == self.denied {
            return Err(SkipReason::Io("Permission denied (os error 13)".into()));
        }
        self.disk.list_dir(dir)
    }
}

fn check_with(fs: &dyn FileSystem, root: &Path) -> Vec<String> {
    let ws = Arc::new(Workspace::load(root, fs));
    let (_, diagnostics) = analysis::check(ws);
    let mut out: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{} {} {}", relative(root, &d.file), d.code, d.message))
        .collect();
    out.sort();
    out
}

/// Issue 13.7: a folder that cannot be listed is an `unreadable-file` finding on that folder,
/// and a worker that may live in it is not reported as unknown (nor a queue it may consume).
/// Simulated through the file system layer, so it holds when the tests run as root.
#[test]
fn unlistable_folder_is_reported_and_callers_stay_silent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    two_workers(&root);
    write(
        &root,
        "c/wrangler.toml",
        "name = \"c\"\nmain = \"index.ts\"\n[[queues.producers]]\nbinding = \"Q\"\nqueue = \"jobs\"\n",
    );
    write(
        &root,
        "c/index.ts",
        "export default { fetch(r: Request, env: Env) { env.Q.send(1); return new Response(); } };\n",
    );
    // Control: with every folder listed, both workers are found and the queue has no consumer.
    let all = check_with(&DiskFs::new(&root), &root);
    assert_eq!(
        all.iter()
            .map(|f| f.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        vec!["c/wrangler.toml queue-without-consumer"],
        "{all:#?}"
    );
    let fs = UnlistableFs {
        disk: DiskFs::new(&root),
        denied: root.join("b"),
    };
    let findings = check_with(&fs, &root);
    assert_eq!(
        findings,
        vec![
            "b unreadable-file folder `b` was not read: it cannot be read: Permission denied \
             (os error 13); workers in it are not checked, and names that no known worker has \
             are not reported"
                .to_string()
        ]
    );
}

/// The same with real permissions: as root (CI containers), permissions do not stop listing,
/// and both workers are found; otherwise the folder is reported and the call stays silent.
#[cfg(unix)]
#[test]
fn unlistable_folder_on_disk_is_reported_or_listed_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    two_workers(&root);
    let b = root.join("b");
    std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o000)).unwrap();
    let listable_anyway = std::fs::read_dir(&b).is_ok();
    let findings = check_with(&DiskFs::new(&root), &root);
    std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o755)).unwrap();
    if listable_anyway {
        println!(
            "note: running as root, permissions do not stop listing; the simulated case covers it"
        );
        assert_eq!(findings, Vec::<String>::new());
    } else {
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].starts_with("b unreadable-file folder `b` was not read"));
    }
}
