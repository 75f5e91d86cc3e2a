//! `cargo xtask perf-guard`: a performance regression guard CI can afford. It counts
//! instructions (valgrind's callgrind: the same count for the same binary and inputs, whatever
//! else the machine does) instead of timing, on a small generated family:
//!
//! - a cold `check` of the family; a warm one that replays the run record of the unchanged
//!   family, and one without the record that reads every summary from the summary cache;
//! - one edit in the language server: (instructions of a session with N edits - those of the
//!   same session without edits) / N. An edit that re-summarised every file or recomputed the
//!   module graph shows up as a multiple.
//!
//! - scaling checks (`scaling.rs`): an input and its double, whose counts may differ by at most
//!   `scaling::MAX_RATIO`.
//!
//! Each count is compared with the budget in `xtask/perf-budget.txt`; the guard fails when one
//! exceeds its budget by more than the tolerance. `--update` writes the measured counts as the
//! new budget (after an intended change; say why in the commit).

use crate::bench::{file_uri, insert_at, line_col_of};
use crate::gen::{generate, FamilySpec, Style};
use crate::lsp_client::LspClient;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// How far above its budget a count may go before the guard fails.
const TOLERANCE: f64 = 1.3;
const EDITS: usize = 20;
/// Findings on one line in the smaller input of the report scaling check.
const SCALING_FINDINGS: usize = 2000;

pub struct GuardOptions {
    pub binary: PathBuf,
    pub budget: PathBuf,
    pub update: bool,
}

/// `binary` under callgrind; valgrind's own messages go to `log` (else to stderr).
pub(crate) fn callgrind(binary: &Path, log: Option<&Path>) -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"]);
    match log {
        Some(log) => cmd.arg(format!("--log-file={}", log.display())),
        None => cmd.arg("--log-fd=2"),
    };
    cmd.arg(binary)
        // One rayon thread: idle workers would spin for a scheduling-dependent while.
        .env("RAYON_NUM_THREADS", "1")
        // Cold runs: no summary cache unless a measurement names one (`--cache-dir`).
        .env("WORKERS_LSP_NO_CACHE", "1")
        .env_remove("WORKERS_LSP_CACHE_DIR");
    cmd
}

/// The total instruction count callgrind reports on stderr (`==pid== Collected : N`).
pub(crate) fn collected(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .filter_map(|l| l.split("Collected :").nth(1))
        .filter_map(|n| n.trim().parse().ok())
        .next_back()
}

fn check_instructions(binary: &Path, family: &Path, args: &[&str]) -> Result<u64, String> {
    let out = callgrind(binary, None)
        .args(["check", "--format", "json"])
        .args(args)
        .arg(family)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run valgrind (is it installed?): {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    collected(&stderr).ok_or_else(|| format!("no instruction count from callgrind:\n{stderr}"))
}

/// Where a session edits: a module of the family and the text before which each edit inserts
/// an unknown binding read.
struct EditSite {
    module: &'static str,
    before: &'static str,
}

/// In worker w0's main module.
const MAIN_EDIT: EditSite = EditSite {
    module: "workers/w0/src/index.ts",
    before: "return new Response(value",
};
/// In a library module of worker w0 that reads `env` (realistic family).
const LIBRARY_EDIT: EditSite = EditSite {
    module: "workers/w0/src/lib/mod0.ts",
    before: "return rows;",
};

/// Instructions of a server session: open a module, wait for the first diagnostics, make
/// `edits` edits (each adding or removing an unknown binding read, waiting for the
/// diagnostics to follow), shut down.
fn session_instructions(
    binary: &Path,
    family: &Path,
    site: &EditSite,
    edits: usize,
) -> Result<u64, String> {
    let log = std::env::temp_dir().join(format!("perf-guard-{}-{edits}.log", std::process::id()));
    let mut cmd = callgrind(binary, Some(&log));
    cmd.args(["serve", "--stdio"]);
    let mut client = LspClient::spawn_command(cmd)?;
    let main = family.join(site.module);
    let text = std::fs::read_to_string(&main).map_err(|e| format!("{}: {e}", main.display()))?;
    let uri = file_uri(&main);
    client.initialize(&file_uri(family))?;
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": text}}),
    )?;
    let slow = Duration::from_secs(600);
    client.wait_for_diagnostics(
        &file_uri(&family.join("workers/w9/wrangler.jsonc")),
        slow,
        |d| !d.is_empty(),
    )?;
    let (line, col) = line_col_of(&text, site.before);
    for i in 0..edits {
        let add = i % 2 == 0;
        let new_text = insert_at(&text, line, col, if add { "env.NOPE;" } else { "" });
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2 + i as i64}, "contentChanges": [{"text": new_text}]}),
        )?;
        client.wait_for_diagnostics(&uri, slow, |d| {
            d.iter().any(|x| x["code"] == "unknown-binding") == add
        })?;
    }
    client.shutdown()?;
    let stderr = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let _ = std::fs::remove_file(&log);
    collected(&stderr).ok_or_else(|| format!("no instruction count from callgrind:\n{stderr}"))
}

fn read_budget(path: &Path) -> Vec<(String, u64)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.split_once('=')?;
            Some((k.trim().to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

pub fn run(opts: &GuardOptions) -> Result<bool, String> {
    let mut measured: Vec<(String, u64)> = Vec::new();
    for style in [Style::Synthetic, Style::Realistic] {
        // The synthetic family's counts keep their original names.
        let prefix = match style {
            Style::Synthetic => String::new(),
            other => format!("{}_", other.name()),
        };
        let family = PathBuf::from(format!("target/perf-guard/family-{}", style.name()));
        let _ = std::fs::remove_dir_all(&family);
        generate(
            &family,
            &FamilySpec {
                style,
                workers: 20,
                lib_files: 28,
                lib_bytes: 3300,
            },
        )
        .map_err(|e| format!("generating the {} family: {e}", style.name()))?;
        let family = family.canonicalize().map_err(|e| e.to_string())?;
        let check = check_instructions(&opts.binary, &family, &[])?;
        measured.push((format!("{prefix}check_instructions"), check));
        // A check of the unchanged family with the summary cache its previous run wrote.
        let cache = PathBuf::from(format!("target/perf-guard/cache-{}", style.name()));
        let _ = std::fs::remove_dir_all(&cache);
        let cache = std::path::absolute(&cache).map_err(|e| e.to_string())?;
        let cache_arg = cache.to_str().ok_or("cache folder is not UTF-8")?;
        let warm_args = ["--cache-dir", cache_arg];
        // Settled, so that the priming run is recorded for replay.
        crate::bench::wait_until_settled(&family);
        let primed = Command::new(&opts.binary)
            .args(["check", "--format", "json"])
            .args(warm_args)
            .arg(&family)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", opts.binary.display()))?;
        if primed.code().is_none_or(|c| c > 1) {
            return Err(format!("priming the cache: check exited with {primed}"));
        }
        // The unchanged family: the priming run's record replayed.
        let replay = check_instructions(&opts.binary, &family, &warm_args)?;
        println!(
            "{} family: a replayed check costs {:.2}% of a cold one",
            style.name(),
            100.0 * replay as f64 / check.max(1) as f64
        );
        measured.push((format!("{prefix}replay_check_instructions"), replay));
        // Without the record (as after a change it saw): every summary from the cache.
        let _ = std::fs::remove_dir_all(cache.join("runs-v1"));
        let warm = check_instructions(&opts.binary, &family, &warm_args)?;
        println!(
            "{} family: a warm check costs {:.1}% of a cold one",
            style.name(),
            100.0 * warm as f64 / check.max(1) as f64
        );
        measured.push((format!("{prefix}warm_check_instructions"), warm));
        let without = session_instructions(&opts.binary, &family, &MAIN_EDIT, 0)?;
        let mut sites = vec![("edit_instructions", &MAIN_EDIT)];
        if style == Style::Realistic {
            sites.push(("library_edit_instructions", &LIBRARY_EDIT));
        }
        for (name, site) in sites {
            let with = session_instructions(&opts.binary, &family, site, EDITS)?;
            let edit = with.saturating_sub(without) / EDITS as u64;
            println!(
                "{} family: one edit in {} costs {:.2}% of a cold check",
                style.name(),
                site.module,
                100.0 * edit as f64 / check.max(1) as f64
            );
            measured.push((format!("{prefix}{name}"), edit));
        }
    }

    if opts.update {
        let mut text = String::from(
            "# Instruction counts (callgrind) that `cargo xtask perf-guard` allows, written by\n\
             # `cargo xtask perf-guard --update` on 20-worker generated families (synthetic, and\n\
             # realistic_*: library modules that read env, classes, TSX and JS).\n",
        );
        for (k, v) in &measured {
            text.push_str(&format!("{k} = {v}\n"));
        }
        std::fs::write(&opts.budget, text)
            .map_err(|e| format!("{}: {e}", opts.budget.display()))?;
    }
    let budget = read_budget(&opts.budget);
    let mut ok = true;
    println!("| count | measured | budget | ratio | |");
    println!("|---|---|---|---|---|");
    for (k, v) in &measured {
        let v = *v;
        let Some(&(_, b)) = budget.iter().find(|(bk, _)| bk == k) else {
            println!("| {k} | {v} | none | | MISSING |");
            ok = false;
            continue;
        };
        let ratio = v as f64 / b as f64;
        let pass = ratio <= TOLERANCE;
        ok &= pass;
        println!(
            "| {k} | {v} | {b} | {ratio:.2} | {} |",
            if pass { "ok" } else { "OVER BUDGET" }
        );
    }

    println!();
    println!("| scaling (input doubled) | 1x | 2x | ratio | |");
    println!("|---|---|---|---|---|");
    let work = PathBuf::from("target/perf-guard/scaling");
    for s in crate::scaling::run(&opts.binary, &work, SCALING_FINDINGS)? {
        let ratio = s.ratio();
        let pass = ratio <= crate::scaling::MAX_RATIO;
        ok &= pass;
        println!(
            "| {} | {} | {} | {ratio:.2} | {} |",
            s.name,
            s.single,
            s.double,
            if pass { "ok" } else { "SUPERLINEAR" }
        );
    }
    Ok(ok)
}
