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
//! The ratio takes the fixed cost of a run out: `(c(2n) - c(0)) / (c(n) - c(0))`.

use crate::perf_guard::{callgrind, collected};
use std::path::Path;
use std::process::Stdio;

/// The most a doubled input may cost, as a multiple of the single one. Linear work with a
/// fixed start-up cost measures below 2; quadratic work measures close to 4.
pub const MAX_RATIO: f64 = 2.5;

/// A worker whose config is one line holding `n` KV bindings that no code reads, with a
/// non-ASCII character in every binding's id so that UTF-16 columns differ from byte columns.
fn minified_family(dir: &Path, n: usize) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
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

/// A one-worker workspace whose main module is `source` and whose config declares `A`.
fn module_family(dir: &Path, source: &str) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("wrangler.toml"),
        "name = \"s\"\nmain = \"index.ts\"\n[vars]\nA = \"a\"\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("index.ts"), source).map_err(|e| e.to_string())
}

/// Runs every case: reports with `n` and `2n` findings, summaries of `2n` and `4n` repeats.
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
    Ok(out)
}
