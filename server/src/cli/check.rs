//! `workers-lsp check`: the headless checker for CI.

use super::report::{self, Format, ReportInput};
use crate::analysis::suppress::{self, Removal};
use crate::analysis::{rules, Diagnostic, Index, Severity, Workspace};
use crate::project::families::{self, Family};
use crate::project::root::find_project_root;
use crate::project::seen::Seen;
use crate::project::{DiskFs, FileSystem, Settings, SETTINGS_FILE};
use crate::source::CachePolicy;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Default)]
pub struct CheckOptions {
    /// Folders (each a workspace root) or files (each checked with the root that holds it).
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
    /// Print the findings and nothing else (no summary line, no notes about fixes).
    pub quiet: bool,
    /// Print how many findings each rule has instead of the findings.
    pub statistics: bool,
    /// Exit 0 even when there are findings (usage errors still exit 2).
    pub exit_zero: bool,
    /// A `workers-lsp.toml` to use instead of each root's own.
    pub config: Option<PathBuf>,
    /// Check one environment: drop the findings that only concern the others.
    pub env: Option<String>,
    /// Report only these rule codes (empty: all).
    pub select: Vec<String>,
    /// Never report these rule codes.
    pub ignore: Vec<String>,
    /// `--no-cache`: summarise every module afresh and write no cache.
    pub no_cache: bool,
    /// `--cache-dir`: where the summary cache lives (else `WORKERS_LSP_CACHE_DIR` or the
    /// user's cache folder).
    pub cache_dir: Option<PathBuf>,
}

/// How a root is checked: the settings to use and which findings to keep. The same for the
/// report and for `--fix`, so that fixes touch only what would be reported.
#[derive(Clone, Default)]
pub struct Checker {
    /// From `--config`: replaces each root's own `workers-lsp.toml`.
    pub settings: Option<Arc<Settings>>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub env: Option<String>,
    /// The files and folders whose findings are reported and fixed (`None`: all of the
    /// project's). Findings outside still count when a fix is verified.
    pub scope: Option<Vec<PathBuf>>,
    /// Where module summaries are cached between runs (off by default).
    pub cache: CachePolicy,
}

/// One root, checked.
pub struct RootCheck {
    pub index: Index,
    /// Kept findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How to remove each unused suppression (for `--fix`).
    pub removals: Vec<Removal>,
}

impl Checker {
    /// The families of a project root (see [`families`]), with `--config` in place of the
    /// root's own settings.
    pub fn families(&self, root: &Path) -> Vec<Family> {
        self.families_in(root, &DiskFs::for_one_run(root))
    }

    /// [`Checker::families`] read through `fs` (one run's disk, see [`DiskFs::for_one_run`]:
    /// each folder's symlinks resolved once, not once per component of every folder the walk
    /// lists, and each folder listed once for the families and their loads).
    pub fn families_in(&self, root: &Path, fs: &DiskFs) -> Vec<Family> {
        let own;
        let settings = match &self.settings {
            Some(s) => &**s,
            None => {
                own = match fs.read_text(&root.join(SETTINGS_FILE)) {
                    Ok(text) => Settings::parse(&text).0,
                    Err(_) => Settings::default(),
                };
                &own
            }
        };
        families::families(root, settings, fs)
    }

    /// Loads one family; `--config` replaces the settings of the project root's family.
    pub fn load(&self, family: &Family) -> Workspace {
        self.load_in(family, &DiskFs::for_one_run(&family.dir))
    }

    /// [`Checker::load`] in the run of `run` (the disk [`Checker::families_in`] walked with).
    pub fn load_in(&self, family: &Family, run: &DiskFs) -> Workspace {
        let fs = DiskFs::in_run(&family.dir, run);
        let cache = self.cache.open(&family.dir);
        let mut ws = match (&self.settings, family.kind) {
            (Some(settings), families::FamilyKind::Root) => {
                let mut ws = Workspace::new(&family.dir);
                ws.summary_cache = cache;
                ws.nested = family.nested.clone();
                ws.settings = settings.clone();
                ws.reload_configs(&fs);
                ws.refresh_sources(&fs);
                ws
            }
            _ => Workspace::load_family_cached(family, &fs, cache),
        };
        if let Some(cache) = ws.summary_cache.take() {
            // A cache that cannot be written leaves the next run uncached, nothing worse.
            let _ = cache.save();
        }
        ws
    }

    pub fn check_family(&self, family: &Family) -> RootCheck {
        self.check_workspace(Arc::new(self.load(family)))
    }

    /// Whether a finding's file is in the scope `check` was given.
    pub fn in_scope(&self, d: &Diagnostic) -> bool {
        self.scope
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| d.file.starts_with(p)))
    }

    /// Whether a family holds anything of the scope: it lies inside a scope folder, or holds
    /// a scope path itself (not through a family nested in it).
    pub fn touches(&self, family: &Family) -> bool {
        self.scope.as_ref().is_none_or(|s| {
            s.iter()
                .any(|p| family.dir.starts_with(p) || family.contains(p))
        })
    }

    /// Checks a workspace already loaded (by `--fix`, an in-memory copy with its fixes).
    pub fn check_workspace(&self, ws: Arc<Workspace>) -> RootCheck {
        let index = Index::new(ws);
        let suppressed = suppress::apply(&index, rules::run_all(&index));
        let diagnostics = suppressed
            .diagnostics
            .into_iter()
            .filter(|d| self.keeps(&index, d))
            .collect();
        RootCheck {
            index,
            diagnostics,
            removals: suppressed.removals,
        }
    }

    fn selects(&self, code: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|c| c == code))
            && !self.ignore.iter().any(|c| c == code)
    }

    /// Whether a finding is reported under `--select`, `--ignore` and `--env`.
    pub fn keeps(&self, index: &Index, d: &Diagnostic) -> bool {
        self.selects(d.code)
            && self
                .env
                .as_deref()
                .is_none_or(|env| concerns_environment(index, d, env))
    }
}

/// Whether a finding concerns environment `env`. Findings are placed, not tagged with an
/// environment, so this reads where they sit: a finding inside another `[env.X]` section
/// concerns only X; a finding on a top-level binding key (`services`, `kv_namespaces`, ...)
/// concerns only production in a worker that defines `env` (bindings are not inherited);
/// everything else (top-level inherited keys such as `name`, `main` and `migrations`, sources,
/// the settings file) is kept.
fn concerns_environment(index: &Index, d: &Diagnostic, env: &str) -> bool {
    let Some(config) = index.ws.config(&d.file) else {
        return true;
    };
    let file = &config.file;
    let innermost = file
        .envs
        .iter()
        .filter(|s| s.range.contains_range(d.range))
        .min_by_key(|s| s.range.len());
    if let Some(section) = innermost {
        return section.env_name.as_ref().is_some_and(|n| n.value == env);
    }
    if file.env(env).is_some() {
        return !file
            .top
            .entry_ranges
            .values()
            .any(|r| r.contains_range(d.range));
    }
    true
}

/// The result of checking one or more roots.
pub struct CheckRun {
    /// JSON paths are relative to this: the root when there is one, else the current folder.
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

/// What `check` was asked to look at, resolved: each project root once (see
/// [`find_project_root`]), with the files and folders whose findings are reported (`None`:
/// all of them).
pub struct Target {
    pub root: PathBuf,
    /// What the user named, for messages.
    pub named: PathBuf,
    /// What JSON paths are relative to: the folder named (as before project roots were
    /// found: `check DIR` keeps DIR-relative paths), else the project root.
    pub base: PathBuf,
    pub scope: Option<Vec<PathBuf>>,
}

/// Resolves each path to its project root: a folder or file is checked with the whole
/// project that holds it (`check saas/gateway` reads every worker of `saas`), and only the
/// findings under it are reported.
pub fn resolve_targets(paths: &[PathBuf], cwd: &Path) -> Result<Vec<Target>, String> {
    let mut targets: Vec<Target> = Vec::new();
    for p in paths {
        let abs = crate::project::normalize(&cwd.join(p));
        let meta =
            std::fs::metadata(&abs).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        if meta.is_dir() {
            std::fs::read_dir(&abs).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        }
        let root = find_project_root(&abs).path;
        let base = if meta.is_dir() {
            abs.clone()
        } else {
            root.clone()
        };
        let scope = (abs != root).then_some(abs);
        match targets.iter_mut().find(|t| t.root == root) {
            Some(t) => {
                // Several paths of one project: relative to its root.
                t.base = t.root.clone();
                match (&mut t.scope, scope) {
                    (Some(paths), Some(s)) => paths.push(s),
                    (known, _) => *known = None,
                }
            }
            None => targets.push(Target {
                named: if meta.is_dir() {
                    p.clone()
                } else {
                    root.clone()
                },
                base,
                root,
                scope: scope.map(|s| vec![s]),
            }),
        }
    }
    Ok(targets)
}

/// Checks each root with the project's settings and every rule.
pub fn run_check(paths: &[PathBuf]) -> Result<CheckRun, String> {
    run_with(paths, &Checker::default())
}

/// Checks each path (a root, or a file checked with the root that holds it). Errors name a
/// path that cannot be read, a root with no worker, or an environment no worker defines.
pub fn run_with(paths: &[PathBuf], checker: &Checker) -> Result<CheckRun, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let targets = resolve_targets(paths, &cwd)?;
    run_targets(&targets, cwd, checker, None)
}

/// [`run_with`] of resolved targets, keeping in `seen` what the run sees of the disk.
fn run_targets(
    targets: &[Target],
    cwd: PathBuf,
    checker: &Checker,
    seen: Option<&Arc<Seen>>,
) -> Result<CheckRun, String> {
    let mut workspaces = Vec::new();
    let mut diagnostics = Vec::new();
    let mut workers = 0;
    let mut env_defined = false;
    for target in targets {
        let checker = Checker {
            scope: target.scope.clone(),
            ..checker.clone()
        };
        let mut target_workers = 0;
        let mut declarations = false;
        // The tree is read once for this target: its folders are listed for the families
        // and again by each family's discovery.
        let run = match seen {
            Some(seen) => DiskFs::seeing(&target.root, seen.clone()),
            None => DiskFs::for_one_run(&target.root),
        };
        for family in checker.families_in(&target.root, &run) {
            if !checker.touches(&family) {
                continue;
            }
            let check = checker.check_workspace(Arc::new(checker.load_in(&family, &run)));
            if let Some(env) = &checker.env {
                env_defined |= check
                    .index
                    .ws
                    .configs
                    .iter()
                    .any(|c| c.file.env(env).is_some());
            }
            target_workers += check.index.workers.len();
            declarations |= !check.index.ws.declaration_files.is_empty();
            diagnostics.extend(
                check
                    .diagnostics
                    .into_iter()
                    .filter(|d| checker.in_scope(d)),
            );
            workspaces.push(check.index.ws.clone());
        }
        // Declarations written in TypeScript that cannot be read statically (a factory that
        // branches on the mode) are workers all the same: nothing to report, no error.
        if target_workers == 0 && !declarations {
            return Err(format!(
                "no {} worker found under `{}`",
                FRONT_ENDS,
                target.named.display()
            ));
        }
        workers += target_workers;
    }
    // Each file belongs to one family, whose order is kept (a stable sort by file).
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
    if let Some(env) = &checker.env {
        if !env_defined {
            return Err(format!("no worker defines environment `{env}`"));
        }
    }
    let base = match targets {
        [one] => one.base.clone(),
        _ => cwd,
    };
    Ok(CheckRun {
        base,
        workspaces,
        workers,
        diagnostics,
    })
}

/// The kinds of worker declarations `check` reads, for "no ... worker found".
const FRONT_ENDS: &str = "wrangler, Devflare, Alchemy or cloudflare.config.ts";

/// Reads a `--config` file: errors in it are usage errors.
fn read_settings(path: &Path) -> Result<Settings, String> {
    let shown = path.display();
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let folder = canonical.parent().unwrap_or(&canonical);
    let text = crate::project::read_confined(&canonical, folder)
        .map_err(|e| format!("cannot read `{shown}`: {}", e.describe()))?;
    let (settings, errors) = Settings::parse(&text);
    if let Some(e) = errors.first() {
        let lc = crate::base::LineIndex::new(&text).line_col(
            &text,
            e.range.start,
            crate::base::PositionEncoding::Utf16,
        );
        return Err(format!(
            "{shown}:{}:{}: {}",
            lc.line + 1,
            lc.col + 1,
            e.message
        ));
    }
    Ok(settings)
}

fn unknown_codes(codes: &[String]) -> Option<String> {
    codes
        .iter()
        .find(|c| rules::rule(c).is_none())
        .map(|c| format!("unknown rule `{c}` (see `workers-lsp rules`)"))
}

/// Runs `check` and writes the report; returns the exit code.
pub fn check_command(opts: &CheckOptions, out: &mut dyn Write) -> i32 {
    match run_command(opts, out) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("workers-lsp: {e}");
            EXIT_USAGE
        }
    }
}

fn run_command(opts: &CheckOptions, out: &mut dyn Write) -> Result<i32, String> {
    run_command_seeing(opts, out, Seen::default()).map(|(code, _)| code)
}

/// Whether a run's report was replayed from its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Replay {
    Replayed,
    Checked,
}

/// [`run_command`], with the sights of the disk taken by `seen` (whose clock tests move).
fn run_command_seeing(
    opts: &CheckOptions,
    out: &mut dyn Write,
    seen: Seen,
) -> Result<(i32, Replay), String> {
    if let Some(e) = unknown_codes(&opts.select).or_else(|| unknown_codes(&opts.ignore)) {
        return Err(e);
    }
    // Before it is read: a `--config` written meanwhile is not taken for the one read.
    let config_path = match &opts.config {
        Some(path) => Some(std::path::absolute(path).map_err(|e| e.to_string())?),
        None => None,
    };
    if let Some(path) = &config_path {
        seen.stamp_now(path);
    }
    if opts.statistics && !matches!(opts.format, Format::Human | Format::Json) {
        return Err("--statistics prints a table (human) or JSON only".into());
    }
    let checker = Checker {
        settings: match &opts.config {
            Some(path) => Some(Arc::new(read_settings(path)?)),
            None => None,
        },
        select: opts.select.clone(),
        ignore: opts.ignore.clone(),
        env: opts.env.clone(),
        scope: None,
        cache: match &opts.cache_dir {
            _ if opts.no_cache => CachePolicy::Off,
            Some(dir) => CachePolicy::Dir(std::path::absolute(dir).map_err(|e| e.to_string())?),
            None => CachePolicy::from_env(),
        },
    };
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    if opts.diff {
        let targets = resolve_targets(&paths, &cwd)?;
        return super::fix::diff_command(&targets, &cwd, &checker, opts.unsafe_fixes, out)
            .map(|code| (code, Replay::Checked));
    }
    if opts.fix {
        for target in resolve_targets(&paths, &cwd)? {
            let checker = Checker {
                scope: target.scope.clone(),
                ..checker.clone()
            };
            let (fixed, problems) =
                super::fix::fix_root_with(&target.root, &checker, opts.unsafe_fixes);
            if opts.quiet {
                continue;
            }
            for f in &fixed {
                eprintln!("fixed {}:", report::relative_path(&cwd, &f.path));
                for t in &f.fixes {
                    eprintln!("  - {t}");
                }
            }
            for p in &problems {
                eprintln!("not fixed: {p}");
            }
        }
    }
    let color = match opts.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let targets = resolve_targets(&paths, &cwd)?;
    // A run that fixes writes files: it is neither replayed nor recorded.
    let replay = match &checker.cache {
        CachePolicy::Dir(dir) if !opts.fix => {
            run_key(opts, &cwd, &targets, config_path.as_deref(), color)
                .map(|key| (super::replay::Runs::in_cache(dir), key))
        }
        _ => None,
    };
    if let Some((runs, key)) = &replay {
        if let Some(replayed) = runs.replay(*key) {
            write_report(out, &replayed.report)?;
            return Ok((replayed.exit, Replay::Replayed));
        }
    }
    let seen = Arc::new(seen);
    let run = run_targets(
        &targets,
        cwd.clone(),
        &checker,
        replay.as_ref().map(|_| &seen),
    )?;
    let text_of = |p: &Path| run.text_of(p);
    let input = ReportInput {
        // JSON keeps its documented root-relative paths; the formats people and CI systems
        // read resolve against where `check` runs.
        root: if opts.format == Format::Json {
            &run.base
        } else {
            &cwd
        },
        workers: run.workers,
        diagnostics: &run.diagnostics,
        text_of: &text_of,
        color,
        quiet: opts.quiet,
    };
    let mut report = Vec::new();
    let rendered = if opts.statistics {
        report::statistics(opts.format, &input, &mut report)
    } else {
        report::render(opts.format, &input, &mut report)
    };
    rendered.map_err(|e| format!("cannot write the report: {e}"))?;
    write_report(out, &report)?;
    let exit = if opts.exit_zero {
        EXIT_OK
    } else {
        exit_code(&run.diagnostics, opts.deny_warnings)
    };
    if let (Some((runs, key)), Some(sights)) = (&replay, seen.settled_sights()) {
        // A record that cannot be written leaves the next run to check again, nothing worse.
        let _ = runs.record(*key, sights, exit, &report);
    }
    Ok((exit, Replay::Checked))
}

fn write_report(out: &mut dyn Write, report: &[u8]) -> Result<(), String> {
    match out.write_all(report).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the report: {e}"))
        }
        _ => Ok(()),
    }
}

/// The key of a run's record: every option that shapes the report, where it runs, what it
/// checks (each root, with the folder paths are shown against and the scope), and the
/// `--config` file's path (its content is a sight of the run).
fn run_key(
    opts: &CheckOptions,
    cwd: &Path,
    targets: &[Target],
    config: Option<&Path>,
    color: bool,
) -> Option<super::replay::RunKey> {
    let options = format!(
        "{:?}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{}",
        opts.format,
        opts.deny_warnings,
        opts.quiet,
        opts.statistics,
        opts.exit_zero,
        opts.env,
        opts.select,
        opts.ignore,
        color,
    );
    let path = |p: &Path| p.as_os_str().as_encoded_bytes().to_vec();
    let mut parts: Vec<Vec<u8>> = vec![
        options.into_bytes(),
        path(cwd),
        config.map(path).unwrap_or_default(),
    ];
    for t in targets {
        parts.push(path(&t.root));
        parts.push(path(&t.base));
        parts.push(path(&t.named));
        match &t.scope {
            Some(scope) => parts.extend(scope.iter().map(|p| path(p))),
            None => parts.push(b"*".to_vec()),
        }
        parts.push(b"\0".to_vec());
    }
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    super::replay::RunKey::new(&parts)
}

pub fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> i32 {
    let failing = |s: Severity| s == Severity::Error || (deny_warnings && s == Severity::Warning);
    if diagnostics.iter().any(|d| failing(d.severity)) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// `--explain CODE` and `workers-lsp explain CODE`: the rule's documentation page.
pub fn explain(code: &str) -> Option<String> {
    rules::rule(code).map(rules::render_doc)
}

/// `workers-lsp rules`: every rule, its default severity and what it finds.
pub fn rules_table() -> String {
    let width = rules::RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in rules::RULES {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            r.code,
            r.default_severity.as_str(),
            first_sentence(r.summary),
        ));
    }
    out
}

/// The first sentence of a summary, for one-line listings.
fn first_sentence(summary: &str) -> &str {
    summary.find(". ").map_or(summary, |i| &summary[..=i])
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
