//! `cargo xtask bench`: measures workers-lsp against the cost of parsing the sources once.
//!
//! 1. a bare tree-sitter parse of every source file on one thread (the reference cost);
//! 2. a cold `workers-lsp check` of the family, as a ratio to (1);
//! 3. the peak RSS of that check;
//! 4. the language server on the family: time to the first complete diagnostics, latency from
//!    a `didChange` to the updated `publishDiagnostics` (edits in worker w0's main and in one
//!    of its library modules), and p50/p99 of completion after
//!    `env.`, definition on an RPC call and hover;
//! 5. a table on stdout, also written to `BENCHMARKS.table.md` for BENCHMARKS.md to quote.

use crate::lsp_client::LspClient;
use serde_json::json;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs of each `check` and server start-up measurement (the median is reported).
const CHECK_RUNS: usize = 5;

pub struct BenchOptions {
    pub family: PathBuf,
    pub binary: PathBuf,
    pub requests: usize,
    pub out: PathBuf,
}

struct Row {
    what: String,
    value: String,
    target: String,
    verdict: &'static str,
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn source_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| {
                ["ts", "tsx", "js", "jsx", "mts", "cts", "mjs", "cjs"]
                    .iter()
                    .any(|x| e == *x)
            }) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One-thread tree-sitter parse of every file: the reference cost.
pub(crate) fn bare_parse(files: &[PathBuf]) -> (Duration, u64) {
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let bytes = texts.iter().map(|t| t.len() as u64).sum();
    // The grammar the server parses each file with: TSX for .tsx/.jsx/.js (JSX is legal in
    // JavaScript), TypeScript for the rest.
    let mut ts = tree_sitter::Parser::new();
    ts.set_language(&tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())
        .expect("grammar");
    let mut tsx = tree_sitter::Parser::new();
    tsx.set_language(&tree_sitter_typescript::LANGUAGE_TSX.into())
        .expect("grammar");
    let start = Instant::now();
    for (f, t) in files.iter().zip(&texts) {
        let jsx = f
            .extension()
            .is_some_and(|e| e == "tsx" || e == "jsx" || e == "js" || e == "mjs" || e == "cjs");
        let parser = if jsx { &mut tsx } else { &mut ts };
        let tree = parser.parse(t, None);
        std::hint::black_box(&tree);
    }
    (start.elapsed(), bytes)
}

/// Runs `check` with `args` (`--no-cache` for a cold run, `--cache-dir D` for a warm one) and
/// returns its wall time and peak RSS (KiB) from wait4's rusage.
pub(crate) fn run_check(binary: &Path, family: &Path, args: &[&str]) -> (Duration, u64, i32) {
    let start = Instant::now();
    let child = Command::new(binary)
        .args(["check", "--format", "json"])
        .args(args)
        .arg(family)
        .env_remove("WORKERS_LSP_NO_CACHE")
        .env_remove("WORKERS_LSP_CACHE_DIR")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn workers-lsp check");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting on our own child with valid out-pointers.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(r, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss as u64, code)
}

/// How long after its last change `check` trusts a file's times (`Stamp::settled`): a run
/// that saw a file changed more recently is not recorded for replay.
const SETTLE: Duration = Duration::from_secs(3);

/// Waits until every file and folder below `root` last changed more than [`SETTLE`] ago, so
/// that a `check` of it is recorded for replay (a family generated just now is not).
pub(crate) fn wait_until_settled(root: &Path) {
    // The latest of a file's modification and (on Unix) change times, in seconds.
    fn changed(meta: &std::fs::Metadata) -> u64 {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        #[cfg(unix)]
        let modified = {
            use std::os::unix::fs::MetadataExt;
            modified.max(meta.ctime().max(0) as u64)
        };
        modified
    }
    let mut newest = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if let Ok(meta) = std::fs::metadata(&dir) {
            newest = newest.max(changed(&meta));
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            newest = newest.max(changed(&meta));
            if meta.is_dir() {
                stack.push(e.path());
            }
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Whole seconds: one more than the times' truncation could hide.
    let settled_at = newest + SETTLE.as_secs() + 1;
    if settled_at > now {
        std::thread::sleep(Duration::from_secs(settled_at - now));
    }
}

/// Cold (`--no-cache`) and warm checks of `root`, `runs` of each interleaved so that a change
/// in the machine's load shifts all of them. The warm ones use the cache `cache` (primed
/// first, left in place): `warm` replays the run record of the unchanged tree,
/// `warm_summaries` finds no record (it is removed before each run, as a change the run can
/// see would make it stale) and reads every module's summary from the summary cache.
pub(crate) struct CheckRuns {
    pub cold: Duration,
    pub warm: Duration,
    pub warm_summaries: Duration,
    /// Peak RSS (KiB) of the cold runs.
    pub rss_kib: u64,
    pub code: i32,
}

pub(crate) fn cold_and_warm_checks(
    binary: &Path,
    root: &Path,
    cache: &Path,
    runs: usize,
) -> Result<CheckRuns, String> {
    let records = cache.join("runs-v1");
    let cache = cache.to_str().ok_or("the cache folder is not UTF-8")?;
    let warm_args = ["--cache-dir", cache];
    wait_until_settled(root);
    run_check(binary, root, &warm_args);
    let (mut cold, mut warm, mut warm_summaries) = (Vec::new(), Vec::new(), Vec::new());
    let (mut rss_kib, mut code) = (0, 0);
    for _ in 0..runs {
        let (t, rss, c) = run_check(binary, root, &["--no-cache"]);
        cold.push(t);
        (rss_kib, code) = (rss_kib.max(rss), c);
        warm.push(run_check(binary, root, &warm_args).0);
        let _ = std::fs::remove_dir_all(&records);
        warm_summaries.push(run_check(binary, root, &warm_args).0);
    }
    Ok(CheckRuns {
        cold: percentile(&mut cold, 0.5),
        warm: percentile(&mut warm, 0.5),
        warm_summaries: percentile(&mut warm_summaries, 0.5),
        rss_kib,
        code,
    })
}

pub(crate) fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

pub fn run(opts: &BenchOptions) -> Result<String, String> {
    let family = opts
        .family
        .canonicalize()
        .map_err(|e| format!("{}: {e}", opts.family.display()))?;
    let files = source_files(&family);
    if files.is_empty() {
        return Err(format!("no sources under {}", family.display()));
    }
    let mut rows = Vec::new();

    let (parse, bytes) = bare_parse(&files);
    rows.push(Row {
        what: format!(
            "bare tree-sitter parse, 1 thread ({} files, {:.1} MB)",
            files.len(),
            bytes as f64 / 1e6
        ),
        value: ms(parse),
        target: "reference".into(),
        verdict: "",
    });

    let cache =
        std::env::temp_dir().join(format!("workers-lsp-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let CheckRuns {
        cold: check,
        warm: warm_check,
        warm_summaries,
        rss_kib,
        code,
    } = cold_and_warm_checks(&opts.binary, &family, &cache, CHECK_RUNS)?;
    let ratio = check.as_secs_f64() / parse.as_secs_f64();
    rows.push(Row {
        what: format!("cold `check`, --no-cache (exit code {code}, median of {CHECK_RUNS})"),
        value: format!("{} = {ratio:.2} x bare parse", ms(check)),
        target: "<= 0.5 x".into(),
        verdict: verdict(ratio <= 0.5),
    });
    let ratio = warm_check.as_secs_f64() / parse.as_secs_f64();
    rows.push(Row {
        what: format!(
            "warm `check`: unchanged family, run record replayed (median of {CHECK_RUNS})"
        ),
        value: format!("{} = {ratio:.2} x bare parse", ms(warm_check)),
        target: "<= 0.1 x".into(),
        verdict: verdict(ratio <= 0.1),
    });
    let ratio = warm_summaries.as_secs_f64() / parse.as_secs_f64();
    rows.push(Row {
        what: format!(
            "warm `check` without its run record: every summary from the summary cache (median of {CHECK_RUNS})"
        ),
        value: format!("{} = {ratio:.2} x bare parse", ms(warm_summaries)),
        target: String::new(),
        verdict: "",
    });
    let rss_mb = rss_kib as f64 / 1024.0;
    rows.push(Row {
        what: "peak RSS of `check`".into(),
        value: format!("{rss_mb:.0} MB"),
        target: "<= 200 MB".into(),
        verdict: verdict(rss_mb <= 200.0),
    });

    let first_diagnostics = |cached: bool| -> Result<Duration, String> {
        let mut cmd = Command::new(&opts.binary);
        cmd.args(["serve", "--stdio"]);
        if cached {
            cmd.env("WORKERS_LSP_CACHE_DIR", &cache)
                .env_remove("WORKERS_LSP_NO_CACHE");
        } else {
            cmd.env("WORKERS_LSP_NO_CACHE", "1");
        }
        let mut client = LspClient::spawn_command(cmd)?;
        let start = Instant::now();
        client.initialize(&file_uri(&family))?;
        let w9 = file_uri(&family.join("workers/w9/wrangler.jsonc"));
        client.wait_for_diagnostics(&w9, Duration::from_secs(300), |d| !d.is_empty())?;
        let took = start.elapsed();
        client.shutdown()?;
        Ok(took)
    };
    let (mut cold, mut warm) = (Vec::new(), Vec::new());
    for _ in 0..CHECK_RUNS {
        cold.push(first_diagnostics(false)?);
        warm.push(first_diagnostics(true)?);
    }
    rows.push(Row {
        what: format!(
            "server: initialize -> first complete diagnostics, no cache (median of {CHECK_RUNS})"
        ),
        value: ms(percentile(&mut cold, 0.5)),
        target: "".into(),
        verdict: "",
    });
    let warm_first = percentile(&mut warm, 0.5);
    rows.push(Row {
        what: format!(
            "server: initialize -> first complete diagnostics, warm cache (median of {CHECK_RUNS})"
        ),
        value: ms(warm_first),
        target: "< 500 ms".into(),
        verdict: verdict(warm_first < Duration::from_millis(500)),
    });
    let _ = std::fs::remove_dir_all(&cache);

    lsp_rows(opts, &family, &mut rows)?;

    let mut table = String::new();
    let _ = writeln!(table, "| measurement | result | target | |");
    let _ = writeln!(table, "|---|---|---|---|");
    for r in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} |",
            r.what, r.value, r.target, r.verdict
        );
    }
    std::fs::write(&opts.out, &table).map_err(|e| format!("{}: {e}", opts.out.display()))?;
    Ok(table)
}

fn lsp_rows(opts: &BenchOptions, family: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    let w0 = family.join("workers/w0/src/index.ts");
    let text = std::fs::read_to_string(&w0).map_err(|e| format!("{}: {e}", w0.display()))?;
    let uri = file_uri(&w0);

    let mut client = LspClient::spawn(&opts.binary)?;
    client.initialize(&file_uri(family))?;
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}),
    )?;
    // First complete diagnostics: the config of a worker with a deliberate mistake.
    let w9 = file_uri(&family.join("workers/w9/wrangler.jsonc"));
    client.wait_for_diagnostics(&w9, Duration::from_secs(300), |d| !d.is_empty())?;

    // didChange -> republished diagnostics, in the worker's main and in a library module.
    let (p50, p99, n) = edit_latencies(
        &mut client,
        &uri,
        &text,
        &Edit::unknown_binding("return new Response(value"),
        opts.requests,
    )?;
    rows.push(edit_row("in a worker's main", p50, p99, n));
    let lib = family.join("workers/w0/src/lib/mod0.ts");
    let lib_text = std::fs::read_to_string(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    let lib_uri = file_uri(&lib);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": lib_uri, "languageId": "typescript", "version": 1, "text": lib_text}}),
    )?;
    client.wait_for_diagnostics(&lib_uri, Duration::from_secs(30), |_| true)?;
    // A realistic library module reads env; a synthetic one never mentions it, so its edit is
    // a statement that changes the module's summary but no finding.
    let lib_edit = if lib_text.contains("return rows;") {
        Edit::unknown_binding("return rows;")
    } else {
        Edit {
            before: "return total;",
            insert: "total += 1;",
            finding: None,
        }
    };
    let (p50, p99, n) = edit_latencies(&mut client, &lib_uri, &lib_text, &lib_edit, opts.requests)?;
    rows.push(edit_row("in a library module", p50, p99, n));

    let env_dot = line_col_of(&text, "env.NEXT");
    let rpc = line_col_of(&text, "NEXT.lookup");
    let requests: [(&str, &str, (u32, u32)); 3] = [
        (
            "completion after `env.`",
            "textDocument/completion",
            (env_dot.0, env_dot.1 + 4),
        ),
        (
            "definition on an RPC call",
            "textDocument/definition",
            (rpc.0, rpc.1 + 6),
        ),
        (
            "hover on a binding",
            "textDocument/hover",
            (env_dot.0, env_dot.1 + 5),
        ),
    ];
    for (what, method, (line, character)) in requests {
        let mut samples = Vec::new();
        for _ in 0..opts.requests.max(200) {
            let t = Instant::now();
            let result = client.request(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
            )?;
            samples.push(t.elapsed());
            std::hint::black_box(result);
        }
        let p99 = percentile(&mut samples, 0.99);
        rows.push(Row {
            what: format!("{what} ({} requests)", samples.len()),
            value: format!(
                "p50 {} / p99 {}",
                ms(percentile(&mut samples, 0.5)),
                ms(p99)
            ),
            target: "p99 <= 5 ms".into(),
            verdict: verdict(p99 <= Duration::from_millis(5)),
        });
    }
    client.shutdown()?;
    Ok(())
}

/// An edit a latency measurement makes and undoes in turn: `insert` before the first
/// `before`, and the finding it adds (`None`: it adds none, any republished list will do).
struct Edit {
    before: &'static str,
    insert: &'static str,
    finding: Option<&'static str>,
}

impl Edit {
    /// Adds and removes a read of an unknown binding.
    fn unknown_binding(before: &'static str) -> Edit {
        Edit {
            before,
            insert: "env.NOPE;",
            finding: Some("unknown-binding"),
        }
    }
}

/// p50 and p99 of didChange -> publishDiagnostics of an open document (and the number of
/// edits), making and undoing `edit`; leaves the document as it was.
fn edit_latencies(
    client: &mut LspClient,
    uri: &str,
    text: &str,
    edit: &Edit,
    requests: usize,
) -> Result<(Duration, Duration, usize), String> {
    let (line, col) = line_col_of(text, edit.before);
    let mut samples = Vec::new();
    let edits = requests.clamp(20, 200);
    // Even: the last edit undoes the one before it.
    for i in 0..edits + edits % 2 {
        let version = 2 + i as i64;
        let add = i % 2 == 0;
        let new_text = insert_at(text, line, col, if add { edit.insert } else { "" });
        let seen = client.publish_count(uri);
        let t = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": new_text}]}),
        )?;
        let timeout = Duration::from_secs(30);
        match edit.finding {
            Some(code) => client.wait_for_diagnostics(uri, timeout, |d| {
                d.iter().any(|x| x["code"] == code) == add
            })?,
            // The server republishes an edited document's list, changed or not.
            None => client.wait_for_publish_after(uri, seen, timeout)?,
        }
        samples.push(t.elapsed());
    }
    let p99 = percentile(&mut samples, 0.99);
    Ok((percentile(&mut samples, 0.5), p99, samples.len()))
}

fn edit_row(site: &str, p50: Duration, p99: Duration, n: usize) -> Row {
    Row {
        what: format!("didChange -> publishDiagnostics {site} ({n} edits)"),
        value: format!("p50 {} / p99 {}", ms(p50), ms(p99)),
        target: "p99 <= 10 ms".into(),
        verdict: verdict(p99 <= Duration::from_millis(10)),
    }
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

pub fn line_col_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let col = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count() as u32;
    (line, col)
}

pub fn insert_at(text: &str, line: u32, col: u32, insert: &str) -> String {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u32 == line {
            offset += col as usize;
            break;
        }
        offset += l.len();
    }
    let mut s = text.to_string();
    s.insert_str(offset, insert);
    s
}
