//! Scaling checks for `cargo xtask perf-guard`: doubling an input must at most roughly double
//! the work, counted in instructions (callgrind) rather than time.
//!
//! - `report_columns`: one minified (one-line) JSONC config with n unused bindings, so n
//!   findings on a single line, reported in the human format (snippets, UTF-16 columns) and
//!   in JSON. Computing each column by scanning its line made this quadratic
//!   (8,000 findings took 69 s).
//! - summary cases (issue 13, item 16): one module repeating a pattern n times, every read of
//!   a declared name so that the cost is the summary's, not the findings'. Env reads found by
//!   tree-sitter queries made unclosed brackets after a member chain quadratic (128 KB took
//!   47 s).
//!
//! - `publish_findings_of_one_file` (issue 13, item 17): a language-server session on a module
//!   with n findings, one per line (index, then the module opened with one more). Merging a
//!   file's findings with `Vec::contains` and indexing its text once per finding made this
//!   quadratic (40,000 findings took 20 s).
//!
//! The ratio takes the fixed cost of a run out: `(c(2n) - c(0)) / (c(n) - c(0))`.

use crate::bench::{file_uri, insert_at, line_col_of};
use crate::lsp_client::LspClient;
use crate::perf_guard::{callgrind, collected};
use serde_json::json;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// The most a doubled input may cost, as a multiple of the single one. Linear work with a
/// fixed start-up cost measures below 2; quadratic work measures close to 4.
pub const MAX_RATIO: f64 = 2.5;

/// A worker whose config is one line holding `n` KV bindings that no code reads, with a
/// non-ASCII character in every binding's id so that UTF-16 columns differ from byte columns.
fn minified_family(dir: &Path, n: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    crate::gen::make_project_dir(dir).map_err(|e| e.to_string())?;
    let bindings: Vec<String> = (0..n)
        .map(|i| format!("{{\"binding\":\"KV_{i}\",\"id\":\"é{i}\"}}"))
        .collect();
    let config = format!(
        "{{\"name\":\"mini\",\"main\":\"index.ts\",\"kv_namespaces\":[{}]}}",
        bindings.join(",")
    );
    std::fs::write(dir.join("wrangler.jsonc"), config).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("index.ts"),
        "export default { fetch() { return new Response(\"ok\"); } };\n",
    )
    .map_err(|e| e.to_string())
}

fn check_instructions(binary: &Path, dir: &Path, format: &str) -> Result<u64, String> {
    let out = callgrind(binary, None)
        .args(["check", "--color", "never", "--format", format])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    collected(&stderr).ok_or_else(|| format!("no instruction count from callgrind:\n{stderr}"))
}

/// One scaling measurement: its name, and the counts at 0, n and 2n.
pub struct Scaling {
    pub name: String,
    pub zero: u64,
    pub single: u64,
    pub double: u64,
}

impl Scaling {
    pub fn ratio(&self) -> f64 {
        self.double.saturating_sub(self.zero) as f64
            / self.single.saturating_sub(self.zero).max(1) as f64
    }
}

/// A scaling case: its name, and the text of a main module repeating a pattern `n` times.
type SummaryCase = (&'static str, fn(usize) -> String);

/// Summary cases: each the text of a main module repeating a pattern `n` times.
const SUMMARY_CASES: &[SummaryCase] = &[
    ("unclosed_parens_after_member_chain", |n| {
        format!(
            "export default {{ fetch(r, env) {{ return env.A.b{} }} }};\n",
            "(".repeat(n)
        )
    }),
    ("unclosed_brackets_after_member_chain", |n| {
        format!(
            "export default {{ fetch(r, env) {{ return env.A.b{} }} }};\n",
            "[".repeat(n)
        )
    }),
    ("template_with_env_substitutions", |n| {
        format!(
            "export default {{ fetch(r, env) {{ return `{}`; }} }};\n",
            "${env.A}x".repeat(n)
        )
    }),
    ("long_member_chain", |n| {
        format!(
            "export default {{ fetch(r, env) {{ return env.A{}; }} }};\n",
            ".b".repeat(n)
        )
    }),
];

/// Declaration-file cases: each the text of the worker's `worker-configuration.d.ts`
/// repeating a pattern `n` times before its env type.
const DECLARATION_CASES: &[SummaryCase] = &[("strings_before_the_env_type", |n| {
    format!(
        "declare const s: [{}];\ninterface Env {{ A: string }}\n",
        "\"x\", 'y', `z`, ".repeat(n)
    )
})];

/// A one-worker workspace whose main module is `source` and whose config declares `A`.
fn module_family(dir: &Path, source: &str) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    crate::gen::make_project_dir(dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("wrangler.toml"),
        "name = \"s\"\nmain = \"index.ts\"\n[vars]\nA = \"a\"\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("index.ts"), source).map_err(|e| e.to_string())
}

/// A worker whose module reads `n` bindings its config does not declare (`n` unknown-binding
/// findings in one file, one per line), and whose config has one finding of its own, so that
/// every session publishes something even for `n = 0`.
fn findings_family(dir: &Path, n: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    crate::gen::make_project_dir(dir).map_err(|e| e.to_string())?;
    let mut module =
        String::from("export default {\n  async fetch(r: Request, env: Env) {\n    return [\n");
    for i in 0..n {
        module.push_str(&format!("      env.UNDECLARED_{i},\n"));
    }
    module.push_str("    ];\n  },\n};\n");
    std::fs::write(
        dir.join("wrangler.toml"),
        "name = \"many\"\nmain = \"index.ts\"\nkv_namespaces = [{ binding = \"UNUSED\", id = \"0123\" }]\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("index.ts"), module).map_err(|e| e.to_string())
}

/// Instructions of a server session on [`findings_family`]: the findings published after
/// indexing (`index.ts` is published before `wrangler.toml`, in one batch sorted by path),
/// then once more after the module is opened with one finding more. An open, not an open and
/// a change: whether those collapse into one update depends on timing, the count must not.
fn findings_session(binary: &Path, dir: &Path, n: usize) -> Result<u64, String> {
    let log = std::env::temp_dir().join(format!(
        "perf-guard-{}-findings-{n}.log",
        std::process::id()
    ));
    let mut cmd = callgrind(binary, Some(&log));
    cmd.args(["serve", "--stdio"]);
    let mut client = LspClient::spawn_command(cmd)?;
    let main = dir.join("index.ts");
    let text = std::fs::read_to_string(&main).map_err(|e| format!("{}: {e}", main.display()))?;
    let uri = file_uri(&main);
    let slow = Duration::from_secs(600);
    client.initialize(&file_uri(dir))?;
    client.wait_for_diagnostics(&file_uri(&dir.join("wrangler.toml")), slow, |d| {
        !d.is_empty()
    })?;
    if n > 0 {
        client.wait_for_diagnostics(&uri, slow, |d| d.len() == n)?;
    }
    let (line, col) = line_col_of(&text, "    ];");
    let edited = insert_at(&text, line, col, "      env.ONE_MORE,\n");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": edited}}),
    )?;
    client.wait_for_diagnostics(&uri, slow, |d| d.len() == n + 1)?;
    client.shutdown()?;
    let stderr = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let _ = std::fs::remove_file(&log);
    collected(&stderr).ok_or_else(|| format!("no instruction count from callgrind:\n{stderr}"))
}

/// Runs every case: reports with `n` and `2n` findings, summaries of `2n` and `4n` repeats,
/// a language-server session publishing `n` and `2n` findings of one file.
pub fn run(binary: &Path, work: &Path, n: usize) -> Result<Vec<Scaling>, String> {
    let sizes = [
        work.join("minified-0x"),
        work.join("minified-1x"),
        work.join("minified-2x"),
    ];
    for (dir, k) in sizes.iter().zip([0, n, 2 * n]) {
        minified_family(dir, k)?;
    }
    let mut out = Vec::new();
    for format in ["human", "json"] {
        out.push(Scaling {
            name: format!("report_columns_{format} ({n} -> {} findings)", 2 * n),
            zero: check_instructions(binary, &sizes[0], format)?,
            single: check_instructions(binary, &sizes[1], format)?,
            double: check_instructions(binary, &sizes[2], format)?,
        });
    }
    let repeats = 2 * n;
    let dir = work.join("module");
    for (name, source) in SUMMARY_CASES {
        let mut counts = [0u64; 3];
        for (count, k) in counts.iter_mut().zip([0, repeats, 2 * repeats]) {
            module_family(&dir, &source(k))?;
            *count = check_instructions(binary, &dir, "json")?;
        }
        out.push(Scaling {
            name: format!("summary_{name} ({repeats} -> {} repeats)", 2 * repeats),
            zero: counts[0],
            single: counts[1],
            double: counts[2],
        });
    }
    for (name, declarations) in DECLARATION_CASES {
        let mut counts = [0u64; 3];
        for (count, k) in counts.iter_mut().zip([0, repeats, 2 * repeats]) {
            module_family(
                &dir,
                "export default { fetch(r, env) { return env.A; } };\n",
            )?;
            std::fs::write(dir.join("worker-configuration.d.ts"), declarations(k))
                .map_err(|e| e.to_string())?;
            *count = check_instructions(binary, &dir, "json")?;
        }
        out.push(Scaling {
            name: format!("declarations_{name} ({repeats} -> {} repeats)", 2 * repeats),
            zero: counts[0],
            single: counts[1],
            double: counts[2],
        });
    }
    let mut counts = [0u64; 3];
    for (count, k) in counts.iter_mut().zip([0, n, 2 * n]) {
        let dir = work.join(format!("findings-{k}"));
        findings_family(&dir, k)?;
        let dir = dir.canonicalize().map_err(|e| e.to_string())?;
        *count = findings_session(binary, &dir, k)?;
    }
    out.push(Scaling {
        name: format!("publish_findings_of_one_file ({n} -> {} findings)", 2 * n),
        zero: counts[0],
        single: counts[1],
        double: counts[2],
    });
    Ok(out)
}
