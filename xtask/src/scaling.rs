//! Scaling checks for `cargo xtask perf-guard`: doubling an input must at most roughly double
//! the work, counted in instructions (callgrind) rather than time.
//!
//! - `report_columns`: one minified (one-line) JSONC config with n unused bindings, so n
//!   findings on a single line, reported in the human format (snippets, UTF-16 columns) and
//!   in JSON. Computing each column by scanning its line made this quadratic
//!   (8,000 findings took 69 s).

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

/// One scaling measurement: its name, the counts at n and 2n, and their ratio.
pub struct Scaling {
    pub name: String,
    pub single: u64,
    pub double: u64,
}

impl Scaling {
    pub fn ratio(&self) -> f64 {
        self.double as f64 / self.single.max(1) as f64
    }
}

pub fn run(binary: &Path, work: &Path, n: usize) -> Result<Vec<Scaling>, String> {
    let small = work.join("minified-1x");
    let large = work.join("minified-2x");
    minified_family(&small, n)?;
    minified_family(&large, 2 * n)?;
    let mut out = Vec::new();
    for format in ["human", "json"] {
        out.push(Scaling {
            name: format!("report_columns_{format} ({n} -> {} findings)", 2 * n),
            single: check_instructions(binary, &small, format)?,
            double: check_instructions(binary, &large, format)?,
        });
    }
    Ok(out)
}
