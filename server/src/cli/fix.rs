//! `workers-lsp check --fix`: applies the safe quick fixes headless.
//!
//! Each file is written atomically (a temporary file in the same folder, then a rename), only
//! if its bytes are still what the analysis read, never through a symlink and never outside
//! the checked root. A UTF-8 BOM and the file's permissions are kept.

use crate::analysis::ide::{apply_edits, fixes_for, TextEdit};
use crate::analysis::{check, Workspace};
use crate::project::{relative, DiskFs};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What `--fix` did to one file.
#[derive(Debug, PartialEq, Eq)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: Vec<String>,
}

/// Applies every safe fix under `root`; returns the files changed and the problems met.
pub fn fix_root(root: &Path) -> (Vec<FixedFile>, Vec<String>) {
    let fs = DiskFs::new(root);
    let ws = Arc::new(Workspace::load(root, &fs));
    let (index, diagnostics) = check(ws.clone());
    let mut per_file: BTreeMap<PathBuf, (Vec<TextEdit>, Vec<String>)> = BTreeMap::new();
    for d in &diagnostics {
        let Some(assist) = fixes_for(&index, d).into_iter().find(|a| a.is_safe) else {
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
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
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
