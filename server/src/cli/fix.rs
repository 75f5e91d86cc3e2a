//! `workers-lsp check --fix`: applies quick fixes headless (the safe ones; with
//! `--unsafe-fixes`, the unsafe ones too), or with `--diff` prints what it would change.
//!
//! Fixes are applied in rounds to an in-memory copy of the workspace. The fixes of a round are
//! applied together only if the re-checked copy has each fix's finding gone and no finding that
//! was not there before (compared by code, file and message, so findings that merely moved
//! count as the same); otherwise they are tried one at a time, each verified the same way on
//! top of the ones already taken. Only the final texts are written.
//!
//! Each file is written atomically (a temporary file in the same folder, then a rename), only
//! if its bytes are still what the analysis read, never through a symlink and never outside
//! the checked root. A UTF-8 BOM and the file's permissions are kept.

use super::check::{Checker, RootCheck};
use crate::analysis::diagnostics::{finding_key, only_fixed, FindingKey};
use crate::analysis::ide::{apply_edits, fixes_for, Applicability, Assist, SourceChange, TextEdit};
use crate::analysis::suppress::{Removal, UNUSED_SUPPRESSION};
use crate::analysis::{Diagnostic, Index, Workspace};
use crate::project::{relative, DiskFs, OverlayFs};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `--fix` did to one file.
#[derive(Debug, PartialEq, Eq)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: Vec<String>,
}

/// One file the fixes change: its text as read and as fixed.
#[derive(Debug)]
pub struct PlannedFile {
    pub path: PathBuf,
    pub original: Arc<str>,
    pub fixed: String,
    /// The fixes applied to it, each as `title (code)`.
    pub fixes: Vec<String>,
}

/// How many rounds at most: each round re-checks the workspace, so fixes that collide with
/// one taken earlier (two migrations appended to one config) see it applied.
const MAX_ROUNDS: usize = 16;

/// Whether `--fix` may apply a fix of this applicability.
fn allowed(a: Applicability, unsafe_fixes: bool) -> bool {
    match a {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes,
        Applicability::DisplayOnly => false,
    }
}

/// The one fix `--fix` applies for a finding: its safe fix, else (with `--unsafe-fixes`) its
/// only applicable one. A finding with several candidates is left to a person. An unused
/// suppression's removal comes with the finding, and is safe.
fn pick(ix: &Index, removals: &[Removal], d: &Diagnostic, unsafe_fixes: bool) -> Option<Assist> {
    if d.code == UNUSED_SUPPRESSION {
        return removals
            .iter()
            .find(|r| r.file == d.file && r.range == d.range)
            .map(|r| Assist {
                title: r.title.clone(),
                edit: SourceChange {
                    edits: BTreeMap::from([(r.file.clone(), r.edits.clone())]),
                },
                fixes: Some(d.clone()),
                applicability: Applicability::Safe,
            });
    }
    let mut fixes: Vec<Assist> = fixes_for(ix, d)
        .into_iter()
        .filter(|a| allowed(a.applicability, unsafe_fixes))
        .collect();
    let safe = fixes
        .iter()
        .filter(|a| a.applicability == Applicability::Safe)
        .count();
    if safe == 1 {
        fixes.retain(|a| a.applicability == Applicability::Safe);
    }
    (fixes.len() == 1).then(|| fixes.remove(0))
}

/// The in-memory workspace of a fix run.
struct State {
    ix: Index,
    diagnostics: Vec<Diagnostic>,
    removals: Vec<Removal>,
    /// Texts that differ from the disk.
    overlay: HashMap<PathBuf, Arc<str>>,
}

/// Applies `fixes` (whose edits do not overlap) to the state's texts and re-checks.
fn apply(
    checker: &Checker,
    disk: &DiskFs,
    state: &State,
    fixes: &[&(Diagnostic, Assist)],
) -> Option<State> {
    let mut per_file: BTreeMap<&Path, Vec<TextEdit>> = BTreeMap::new();
    for (_, a) in fixes {
        for (file, edits) in &a.edit.edits {
            per_file
                .entry(file)
                .or_default()
                .extend(edits.iter().cloned());
        }
    }
    let mut overlay = state.overlay.clone();
    for (file, mut edits) in per_file {
        edits.sort();
        let text = state.ix.ws.text(file)?;
        overlay.insert(file.to_path_buf(), Arc::from(apply_edits(&text, &edits)));
    }
    let fs = OverlayFs {
        disk,
        overlay: &overlay,
    };
    let mut ws: Workspace = (*state.ix.ws).clone();
    let mut configs_changed = false;
    for (_, a) in fixes {
        for file in a.edit.edits.keys() {
            if ws.config(file).is_some() {
                ws.update_config(file, &fs);
                configs_changed = true;
            } else {
                ws.update_source(file, &fs);
            }
        }
    }
    if configs_changed {
        ws.refresh_sources(&fs);
    }
    let RootCheck {
        index: ix,
        diagnostics,
        removals,
    } = checker.check_workspace(Arc::new(ws));
    let targets: Vec<&Diagnostic> = fixes.iter().map(|(d, _)| d).collect();
    let mut change = crate::analysis::ide::SourceChange::default();
    for (_, a) in fixes {
        for (file, edits) in &a.edit.edits {
            for e in edits {
                change.insert(file.clone(), e.clone());
            }
        }
    }
    only_fixed(&state.diagnostics, &diagnostics, &targets, &change).then_some(State {
        ix,
        diagnostics,
        removals,
        overlay,
    })
}

fn overlaps(a: &Assist, taken: &[&(Diagnostic, Assist)]) -> bool {
    a.edit.edits.iter().any(|(file, edits)| {
        taken.iter().any(|(_, t)| {
            t.edit.edits.get(file).is_some_and(|other| {
                edits.iter().any(|e| {
                    other.iter().any(|o| {
                        e.range.start < o.range.end && o.range.start < e.range.end
                            || e.range.start == o.range.start
                            || e.range.end == o.range.end
                    })
                })
            })
        })
    })
}

/// What `--fix` would do under `root`: the files it changes, and the fixes it leaves because,
/// re-checked, they left their finding or brought a new one.
#[derive(Debug, Default)]
pub struct Plan {
    pub files: Vec<PlannedFile>,
    pub refused: Vec<String>,
}

/// Computes, in memory, every change `--fix` makes under `root`, with the settings and the
/// finding filter (`--select`, `--ignore`, `--env`) of `check`: only findings that would be
/// reported are fixed, and only they count when a fix is verified.
pub fn plan_fixes(root: &Path, checker: &Checker, unsafe_fixes: bool) -> Plan {
    let disk = DiskFs::new(root);
    let RootCheck {
        index: ix,
        diagnostics,
        removals,
    } = checker.check_root(root);
    let ws = ix.ws.clone();
    let mut state = State {
        ix,
        diagnostics,
        removals,
        overlay: HashMap::new(),
    };
    let mut titles: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    // Fixes that failed verification, by title and finding: not tried again.
    let mut rejected: HashSet<(String, FindingKey)> = HashSet::new();
    let mut refused = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let candidates: Vec<(Diagnostic, Assist)> = state
            .diagnostics
            .iter()
            .filter_map(|d| {
                let fix = pick(&state.ix, &state.removals, d, unsafe_fixes)?;
                Some((d.clone(), fix))
            })
            .filter(|(d, a)| !rejected.contains(&(a.title.clone(), finding_key(d))))
            .collect();
        if candidates.is_empty() {
            break;
        }
        let mut batch: Vec<&(Diagnostic, Assist)> = Vec::new();
        for c in &candidates {
            if !overlaps(&c.1, &batch) {
                batch.push(c);
            }
        }
        let (taken, next) = match apply(checker, &disk, &state, &batch) {
            Some(next) => (batch, next),
            None => {
                // One at a time, each on top of those already taken.
                let mut taken: Vec<&(Diagnostic, Assist)> = Vec::new();
                let mut next = None;
                for c in &batch {
                    let mut with = taken.clone();
                    with.push(c);
                    match apply(checker, &disk, &state, &with) {
                        Some(s) => {
                            taken = with;
                            next = Some(s);
                        }
                        None => {
                            rejected.insert((c.1.title.clone(), finding_key(&c.0)));
                            refused.push(format!(
                                "{}: `{}` ({}): re-checked, it leaves its finding or brings a new one",
                                relative(root, &c.0.file),
                                c.1.title,
                                c.0.code
                            ));
                        }
                    }
                }
                match next {
                    Some(next) => (taken, next),
                    None => continue,
                }
            }
        };
        for (d, a) in taken {
            for file in a.edit.edits.keys() {
                titles
                    .entry(file.clone())
                    .or_default()
                    .push(format!("{} ({})", a.title, d.code));
            }
        }
        state = next;
    }
    let mut files = Vec::new();
    for (path, fixes) in titles {
        let (Some(original), Some(fixed)) = (ws.text(&path), state.ix.ws.text(&path)) else {
            continue;
        };
        if *original != *fixed {
            files.push(PlannedFile {
                path,
                original,
                fixed: fixed.to_string(),
                fixes,
            });
        }
    }
    Plan { files, refused }
}

/// Applies the fixes under `root` (see [`plan_fixes`]) and writes the changed files; returns
/// the files changed (with every fix applied to each) and the problems met.
pub fn fix_root(root: &Path, unsafe_fixes: bool) -> (Vec<FixedFile>, Vec<String>) {
    fix_root_with(root, &Checker::default(), unsafe_fixes)
}

/// [`fix_root`] with the settings and the finding filter of `check`.
pub fn fix_root_with(
    root: &Path,
    checker: &Checker,
    unsafe_fixes: bool,
) -> (Vec<FixedFile>, Vec<String>) {
    let mut fixed = Vec::new();
    let plan = plan_fixes(root, checker, unsafe_fixes);
    let mut problems = plan.refused;
    for f in plan.files {
        match write_fixed(root, &f.path, &f.original, &f.fixed) {
            Ok(()) => fixed.push(FixedFile {
                path: f.path,
                fixes: f.fixes,
            }),
            Err(e) => problems.push(format!("{}: {e}", relative(root, &f.path))),
        }
    }
    (fixed, problems)
}

/// The changes of [`plan_fixes`] as a unified diff (paths relative to `root`, `a/` and `b/`
/// prefixed as git writes them, so `git apply` takes it).
pub fn unified_diff(root: &Path, planned: &[PlannedFile]) -> String {
    let mut out = String::new();
    for f in planned {
        let rel = relative(root, &f.path);
        let diff = similar::TextDiff::from_lines(&*f.original, f.fixed.as_str());
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{rel}"), &format!("b/{rel}"))
            .to_string();
        out.push_str(&text);
        if !text.is_empty() && !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// `check --diff`: prints the unified diff of every root's fixes and writes nothing. As ruff's
/// `--diff`: exit code 1 if there would be changes, 0 if none (leftover findings are not
/// reported and do not count). Paths are relative to the current folder when the root lies
/// in it, else to the root.
pub fn diff_command(
    roots: &[PathBuf],
    cwd: &Path,
    checker: &Checker,
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> Result<i32, String> {
    let mut changed = 0;
    let mut fixes = 0;
    for root in roots {
        let plan = plan_fixes(root, checker, unsafe_fixes);
        for r in &plan.refused {
            eprintln!("not fixed: {r}");
        }
        let base = if root.starts_with(cwd) { cwd } else { root };
        if let Err(e) = out.write_all(unified_diff(base, &plan.files).as_bytes()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(format!("cannot write the diff: {e}"));
            }
        }
        changed += plan.files.len();
        fixes += plan.files.iter().map(|f| f.fixes.len()).sum::<usize>();
    }
    if changed == 0 {
        eprintln!("No fixes to apply.");
        Ok(super::check::EXIT_OK)
    } else {
        eprintln!("Would apply {fixes} fix(es) to {changed} file(s).");
        Ok(super::check::EXIT_FINDINGS)
    }
}

fn write_fixed(root: &Path, file: &Path, seen: &str, new_text: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(file).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("is a symlink; not written".into());
    }
    let canonical_root = root.canonicalize().map_err(|e| e.to_string())?;
    let canonical = file.canonicalize().map_err(|e| e.to_string())?;
    if !canonical.starts_with(&canonical_root) {
        return Err("lies outside the checked root; not written".into());
    }
    // Through the confined reader: a file swapped for a FIFO or a device since the analysis
    // read it is refused, and no more than the analysis would read is read.
    let bytes = crate::project::read_confined_bytes(
        file,
        &canonical_root,
        crate::project::MAX_SOURCE_BYTES + 3,
    )
    .map_err(|e| e.describe())?;
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes.as_slice()),
    };
    if body != seen.as_bytes() {
        return Err("changed since it was read; not written".into());
    }
    let dir = file.parent().ok_or("has no folder")?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| e.to_string())?;
    if bom {
        tmp.write_all(b"\xEF\xBB\xBF").map_err(|e| e.to_string())?;
    }
    tmp.write_all(new_text.as_bytes())
        .map_err(|e| e.to_string())?;
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(|e| e.to_string())?;
    tmp.as_file().sync_all().map_err(|e| e.to_string())?;
    tmp.persist(file).map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::check;
    use crate::fixture::fixture;

    const TWO_MISSING_MIGRATIONS: &str = r#"
//- /w/wrangler.toml
name = "w"
main = "i.ts"
services = [{ binding = "SELF", service = "w", entrypoint = "default" }]
[[durable_objects.bindings]]
name = "A"
class_name = "Alpha"
[[durable_objects.bindings]]
name = "B"
class_name = "Beta"
//- /w/i.ts
import { DurableObject } from "cloudflare:workers";
export class Alpha extends DurableObject {}
export class Beta extends DurableObject {}
export default { fetch(r: Request, env: Env) { env.A; env.B; return env.SELF.fetch(r); } };
"#;

    #[test]
    fn colliding_fixes_are_applied_in_later_rounds_and_the_root_comes_out_clean() {
        let f = fixture(TWO_MISSING_MIGRATIONS);
        let (fixed, problems) = fix_root(f.root(), true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fixed.len(), 1);
        assert_eq!(fixed[0].fixes.len(), 3, "{:?}", fixed[0].fixes);
        let text = std::fs::read_to_string(f.path("w/wrangler.toml")).unwrap();
        assert!(
            text.contains("tag = \"v1\"") && text.contains("tag = \"v2\""),
            "{text}"
        );
        assert!(!text.contains("entrypoint"), "{text}");
        let ws = Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root())));
        assert!(check(ws).1.is_empty());
        // Nothing left to do: a second run changes nothing.
        assert_eq!(fix_root(f.root(), true), (Vec::new(), Vec::new()));
    }

    #[test]
    fn only_safe_fixes_without_unsafe_fixes() {
        let f = fixture(TWO_MISSING_MIGRATIONS);
        let (fixed, problems) = fix_root(f.root(), false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fixed.len(), 1);
        // Only `entrypoint = "default"` goes; the migrations (irreversible) are left.
        assert_eq!(
            fixed[0].fixes,
            vec!["Remove `entrypoint = \"default\"` (default-entrypoint-string)"]
        );
        let text = std::fs::read_to_string(f.path("w/wrangler.toml")).unwrap();
        assert!(
            !text.contains("entrypoint") && !text.contains("migrations"),
            "{text}"
        );
    }

    #[test]
    fn colliding_fixes_of_one_round_are_verified_and_applied_one_at_a_time() {
        // Issue 13 item 11: `Auth` and `AUTH` both become `auth`; together they make a
        // duplicate worker name, so only the first is applied.
        let f = fixture(
            "//- /a/wrangler.toml\nname = \"Auth\"\nmain = \"i.ts\"\n//- /a/i.ts\nexport default { fetch() { return new Response(); } };\n//- /b/wrangler.toml\nname = \"AUTH\"\nmain = \"i.ts\"\n//- /b/i.ts\nexport default { fetch() { return new Response(); } };\n",
        );
        let ws = Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root())));
        let before = check(ws).1;
        assert_eq!(
            before
                .iter()
                .filter(|d| d.code == "invalid-worker-name")
                .count(),
            2
        );
        let (fixed, problems) = fix_root(f.root(), true);
        assert_eq!(
            problems,
            vec!["b/wrangler.toml: `Rename the worker to `auth` (and every reference to it)` (invalid-worker-name): re-checked, it leaves its finding or brings a new one"]
        );
        assert_eq!(fixed.len(), 1, "{fixed:?}");
        let a = std::fs::read_to_string(f.path("a/wrangler.toml")).unwrap();
        let b = std::fs::read_to_string(f.path("b/wrangler.toml")).unwrap();
        assert!(
            a.contains("name = \"auth\"") && b.contains("name = \"AUTH\""),
            "{a}{b}"
        );
        let ws = Arc::new(Workspace::load(f.root(), &DiskFs::new(f.root())));
        let after = check(ws).1;
        assert!(
            after.iter().all(|d| d.code != "duplicate-worker-name"),
            "{after:?}"
        );
    }

    #[test]
    fn a_bom_file_keeps_its_bom_and_the_diff_shows_the_change() {
        let f = fixture("//- /w/i.ts\nexport default { fetch(r: Request, env: Env) { return env.A.fetch(r); } };\n//- /w/wrangler.jsonc\n\n");
        let path = f.path("w/wrangler.jsonc");
        std::fs::write(&path, "\u{FEFF}{\r\n  \"name\": \"w\",\r\n  \"main\": \"i.ts\",\r\n  \"services\": [{ \"binding\": \"A\", \"service\": \"w\", \"entrypoint\": \"default\" }]\r\n}\r\n").unwrap();
        let planned = plan_fixes(f.root(), &Checker::default(), false).files;
        let diff = unified_diff(f.root(), &planned);
        assert_eq!(
            diff,
            "--- a/w/wrangler.jsonc\n+++ b/w/wrangler.jsonc\n@@ -1,5 +1,5 @@\n {\r\n   \"name\": \"w\",\r\n   \"main\": \"i.ts\",\r\n-  \"services\": [{ \"binding\": \"A\", \"service\": \"w\", \"entrypoint\": \"default\" }]\r\n+  \"services\": [{ \"binding\": \"A\", \"service\": \"w\" }]\r\n }\r\n"
        );
        // Planning wrote nothing.
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("entrypoint"));
        fix_root(f.root(), false);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            "\u{FEFF}{\r\n  \"name\": \"w\",\r\n  \"main\": \"i.ts\",\r\n  \"services\": [{ \"binding\": \"A\", \"service\": \"w\" }]\r\n}\r\n".as_bytes()
        );
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let f = fixture("//- /w/wrangler.toml\nname = \"w\"\n");
        let file = f.path("w/wrangler.toml");
        let err = write_fixed(f.root(), &file, "name = \"v\"\n", "# x\n").unwrap_err();
        assert!(err.contains("changed since"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "name = \"w\"\n");
    }

    #[test]
    fn refuses_files_outside_the_root() {
        let inside = fixture("//- /root/wrangler.toml\nname = \"w\"\n//- /outside.toml\nx = 1\n");
        let err = write_fixed(
            &inside.path("root"),
            &inside.path("outside.toml"),
            "x = 1\n",
            "x = 1\n",
        )
        .unwrap_err();
        assert!(err.contains("outside"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_and_keeps_bom_and_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let f = fixture("//- /w/real.toml\nname = \"w\"\n");
        let real = f.path("w/real.toml");
        let link = f.path("w/wrangler.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_fixed(f.root(), &link, "name = \"w\"\n", "name = \"w\"\n").unwrap_err();
        assert!(err.contains("symlink"), "{err}");

        std::fs::write(&real, b"\xEF\xBB\xBFname = \"w\"\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_fixed(f.root(), &real, "name = \"w\"\n", "name = \"v\"\n").unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"\xEF\xBB\xBFname = \"v\"\n");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // No temporary file is left beside it.
        let names: Vec<String> = std::fs::read_dir(f.path("w"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }
}
