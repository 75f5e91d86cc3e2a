//! `workers-lsp check`: the headless checker for CI.

use super::report::{self, Format, ReportInput};
use crate::analysis::{self, Diagnostic, Severity, Workspace};
use crate::project::DiskFs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    /// Treat warnings as errors for the exit code.
    pub deny_warnings: bool,
    /// Apply the safe quick fixes before reporting what remains.
    pub fix: bool,
    /// `--unsafe-fixes`: `--fix` and `--diff` apply the unsafe fixes too.
    pub unsafe_fixes: bool,
    /// `--diff`: print the edits `--fix` would make as a unified diff, write nothing.
    pub diff: bool,
    pub color: ColorChoice,
}

/// The result of checking one or more roots.
pub struct CheckRun {
    /// Reported paths are relative to this.
    pub base: PathBuf,
    pub workspaces: Vec<Arc<Workspace>>,
    pub workers: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckRun {
    pub fn text_of(&self, path: &Path) -> Option<Arc<str>> {
        self.workspaces.iter().find_map(|ws| ws.text(path))
    }
}

/// Checks each root. Errors name a root that cannot be read.
pub fn run_check(paths: &[PathBuf]) -> Result<CheckRun, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let mut workspaces = Vec::new();
    let mut diagnostics = Vec::new();
    let mut workers = 0;
    let mut roots = Vec::new();
    for p in paths {
        let root = crate::project::normalize(&cwd.join(p));
        let meta =
            std::fs::metadata(&root).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        if !meta.is_dir() {
            return Err(format!("`{}` is not a folder", p.display()));
        }
        std::fs::read_dir(&root).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        let fs = DiskFs::new(&root);
        let ws = Arc::new(Workspace::load(&root, &fs));
        let (index, diags) = analysis::check(ws.clone());
        workers += index.workers.len();
        diagnostics.extend(diags);
        workspaces.push(ws);
        roots.push(root);
    }
    let base = if roots.len() == 1 {
        roots[0].clone()
    } else {
        cwd
    };
    Ok(CheckRun {
        base,
        workspaces,
        workers,
        diagnostics,
    })
}

/// Runs `check` and writes the report; returns the exit code.
pub fn check_command(opts: &CheckOptions, out: &mut dyn Write) -> i32 {
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    if opts.diff {
        return super::fix::diff_command(&paths, opts.unsafe_fixes, out);
    }
    if opts.fix {
        let cwd = std::env::current_dir().unwrap_or_default();
        for p in &paths {
            let root = crate::project::normalize(&cwd.join(p));
            if !root.is_dir() {
                continue;
            }
            let (fixed, problems) = super::fix::fix_root(&root, opts.unsafe_fixes);
            for f in &fixed {
                eprintln!("fixed {}:", crate::project::relative(&root, &f.path));
                for t in &f.fixes {
                    eprintln!("  - {t}");
                }
            }
            for p in &problems {
                eprintln!("not fixed: {p}");
            }
        }
    }
    let run = match run_check(&paths) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("workers-lsp: {e}");
            return EXIT_USAGE;
        }
    };
    let color = match opts.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text_of = |p: &Path| run.text_of(p);
    let input = ReportInput {
        root: &run.base,
        workers: run.workers,
        diagnostics: &run.diagnostics,
        text_of: &text_of,
        color,
    };
    if let Err(e) = report::render(opts.format, &input, out) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("workers-lsp: cannot write the report: {e}");
            return EXIT_USAGE;
        }
    }
    exit_code(&run.diagnostics, opts.deny_warnings)
}

pub fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> i32 {
    let failing = |s: Severity| s == Severity::Error || (deny_warnings && s == Severity::Warning);
    if diagnostics.iter().any(|d| failing(d.severity)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// `--explain CODE`.
pub fn explain(code: &str) -> Option<String> {
    let rule = crate::analysis::rules::rule(code)?;
    Some(format!(
        "{} ({} by default)\n\n{}\n",
        rule.code,
        rule.default_severity.as_str(),
        rule.summary
    ))
}
