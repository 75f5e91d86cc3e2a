//! `workers-lsp check --fix`: applies the safe quick fixes headless.
//!
//! Each file is written atomically (a temporary file in the same folder, then a rename), only
//! if its bytes are still what the analysis read, never through a symlink and never outside
//! the checked root. A UTF-8 BOM and the file's permissions are kept.

use super::check::{Checker, RootCheck};
use crate::analysis::ide::{apply_edits, fixes_for, Assist, SourceChange, TextEdit};
use crate::analysis::suppress::UNUSED_SUPPRESSION;
use crate::project::relative;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `--fix` did to one file.
#[derive(Debug, PartialEq, Eq)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: Vec<String>,
}

/// How many rounds of fixes at most: fixes whose edits collide (two migrations appended to one
/// config) are left to the next round, which sees the first one applied.
const MAX_ROUNDS: usize = 4;

/// Applies every safe fix under `root`, in rounds until nothing more applies; returns the
/// files changed (with every fix applied to each) and the problems met.
pub fn fix_root(root: &Path) -> (Vec<FixedFile>, Vec<String>) {
    fix_root_with(root, &Checker::default())
}

/// [`fix_root`] with the settings and the finding filter (`--select`, `--ignore`, `--env`) of
/// `check`: only findings that would be reported are fixed.
pub fn fix_root_with(root: &Path, checker: &Checker) -> (Vec<FixedFile>, Vec<String>) {
    let mut fixed: Vec<FixedFile> = Vec::new();
    let mut problems = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let (round, round_problems) = fix_round(root, checker);
        let progressed = !round.is_empty();
        for f in round {
            match fixed.iter_mut().find(|g| g.path == f.path) {
                Some(g) => g.fixes.extend(f.fixes),
                None => fixed.push(f),
            }
        }
        if !round_problems.is_empty() {
            problems.extend(round_problems);
            break;
        }
        if !progressed {
            break;
        }
    }
    fixed.sort_by(|a, b| a.path.cmp(&b.path));
    (fixed, problems)
}

/// One round: loads and checks the workspace, applies the safe fixes that do not collide.
fn fix_round(root: &Path, checker: &Checker) -> (Vec<FixedFile>, Vec<String>) {
    let RootCheck {
        index,
        diagnostics,
        removals,
    } = checker.check_root(root);
    let ws = index.ws.clone();
    let mut per_file: BTreeMap<PathBuf, (Vec<TextEdit>, Vec<String>)> = BTreeMap::new();
    for d in &diagnostics {
        let assist = if d.code == UNUSED_SUPPRESSION {
            // Removing an unused suppression: its edits come with the finding.
            removals
                .iter()
                .find(|r| r.file == d.file && r.range == d.range)
                .map(|r| Assist {
                    title: r.title.clone(),
                    edit: SourceChange {
                        edits: BTreeMap::from([(r.file.clone(), r.edits.clone())]),
                    },
                    fixes: Some(d.clone()),
                    is_safe: true,
                })
        } else {
            fixes_for(&index, d).into_iter().find(|a| a.is_safe)
        };
        let Some(assist) = assist else {
            continue;
        };
        // Skip a fix whose edits overlap edits already taken.
        let overlaps = assist.edit.edits.iter().any(|(file, edits)| {
            per_file.get(file).is_some_and(|(taken, _)| {
                edits.iter().any(|e| {
                    taken.iter().any(|t| {
                        e.range.start < t.range.end && t.range.start < e.range.end
                            || (e.range.is_empty()
                                && t.range.is_empty()
                                && e.range.start == t.range.start)
                    })
                })
            })
        });
        if overlaps {
            continue;
        }
        for (file, edits) in assist.edit.edits {
            let entry = per_file.entry(file).or_default();
            entry.0.extend(edits);
            entry.1.push(format!("{} ({})", assist.title, d.code));
        }
    }
    let mut fixed = Vec::new();
    let mut problems = Vec::new();
    for (file, (mut edits, titles)) in per_file {
        edits.sort();
        let Some(seen) = ws.text(&file) else { continue };
        match write_fixed(root, &file, &seen, &edits) {
            Ok(()) => fixed.push(FixedFile {
                path: file,
                fixes: titles,
            }),
            Err(e) => problems.push(format!("{}: {e}", relative(root, &file))),
        }
    }
    (fixed, problems)
}

fn write_fixed(root: &Path, file: &Path, seen: &str, edits: &[TextEdit]) -> Result<(), String> {
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
    let new_text = apply_edits(seen, edits);
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
    use crate::analysis::{check, Workspace};
    use crate::fixture::fixture;
    use crate::project::DiskFs;
    use std::sync::Arc;

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
        let (fixed, problems) = fix_root(f.root());
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
        assert_eq!(fix_root(f.root()), (Vec::new(), Vec::new()));
    }

    #[test]
    fn refuses_a_file_changed_since_it_was_read() {
        let f = fixture("//- /w/wrangler.toml\nname = \"w\"\n");
        let file = f.path("w/wrangler.toml");
        let edit = TextEdit {
            range: crate::base::TextRange::empty(0),
            new_text: "# x\n".into(),
        };
        let err = write_fixed(f.root(), &file, "name = \"v\"\n", &[edit]).unwrap_err();
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
            &[],
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
        let err = write_fixed(f.root(), &link, "name = \"w\"\n", &[]).unwrap_err();
        assert!(err.contains("symlink"), "{err}");

        std::fs::write(&real, b"\xEF\xBB\xBFname = \"w\"\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let edit = TextEdit {
            range: crate::base::TextRange::from_usize(8, 9),
            new_text: "v".into(),
        };
        write_fixed(f.root(), &real, "name = \"w\"\n", &[edit]).unwrap();
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
