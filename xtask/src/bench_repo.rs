//! `cargo xtask bench-repo DIR...`: a cold and a warm `check` of real repositories, each as
//! one root, against a one-thread bare tree-sitter parse of the modules the check reads.
//!
//! Which modules a check reads is taken from the files it opens (`strace -f -e openat`, Linux
//! only): a parse of every TS file of a repository would count tests, fixtures and build
//! outputs that no worker reaches. Cold (`--no-cache`) and warm (`--cache-dir`, primed) runs
//! are interleaved so that a change in the machine's load shifts them all; medians. A warm
//! run replays the run record of the unchanged tree; a warm run without its record (removed
//! first) reads every summary from the summary cache, as after a change the record saw.

use crate::bench::{bare_parse, cold_and_warm_checks, ms, percentile, CheckRuns};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const RUNS: usize = 5;
const SOURCE_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// The source files (not `.d.ts`) a `check` of `root` opens.
fn sources_read(binary: &Path, root: &Path) -> Result<Vec<PathBuf>, String> {
    let log = std::env::temp_dir().join(format!("bench-repo-{}.strace", std::process::id()));
    let status = Command::new("strace")
        .args(["-f", "-e", "trace=openat", "-o"])
        .arg(&log)
        .arg(binary)
        .args(["check", "--no-cache", "--format", "json"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run strace (is it installed?): {e}"))?;
    if status.code().is_none_or(|c| c > 1) {
        return Err(format!("check of {} exited with {status}", root.display()));
    }
    let text = std::fs::read_to_string(&log).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&log);
    let mut files: Vec<PathBuf> = text
        .lines()
        .filter(|l| !l.contains("= -1"))
        .filter_map(|l| l.split('"').nth(1))
        .map(PathBuf::from)
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            p.extension()
                .is_some_and(|e| SOURCE_EXTENSIONS.iter().any(|x| e == *x))
                && !name.is_some_and(|n| n.contains(".d."))
        })
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

pub fn run(binary: &Path, roots: &[PathBuf]) -> Result<String, String> {
    let mut table = String::from(
        "| repository (one root) | modules read | bare parse, 1 thread | cold `check` | warm `check` (run record) | warm `check`, summary cache only |\n|---|---|---|---|---|---|\n",
    );
    for root in roots {
        let root = root
            .canonicalize()
            .map_err(|e| format!("{}: {e}", root.display()))?;
        let files = sources_read(binary, &root)?;
        let mut parses: Vec<_> = (0..3).map(|_| bare_parse(&files).0).collect();
        let bytes = bare_parse(&files).1;
        let parse = percentile(&mut parses, 0.5);
        let cache = std::env::temp_dir().join(format!("bench-repo-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        let runs = cold_and_warm_checks(binary, &root, &cache, RUNS);
        let _ = std::fs::remove_dir_all(&cache);
        let CheckRuns {
            cold,
            warm,
            warm_summaries,
            ..
        } = runs?;
        let ratio = |d: std::time::Duration| d.as_secs_f64() / parse.as_secs_f64();
        table.push_str(&format!(
            "| {} | {} ({:.1} MB) | {} | {} = {:.2} x | {} = {:.2} x | {} = {:.2} x |\n",
            root.file_name().unwrap_or_default().to_string_lossy(),
            files.len(),
            bytes as f64 / 1e6,
            ms(parse),
            ms(cold),
            ratio(cold),
            ms(warm),
            ratio(warm),
            ms(warm_summaries),
            ratio(warm_summaries),
        ));
    }
    Ok(table)
}
