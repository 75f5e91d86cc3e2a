//! Document links in a config: `main` opens the entry module, and the `.dev.vars` file beside
//! the config (wrangler's local values of vars and secrets) opens from the `vars` and
//! `secrets` keys and from wherever the config names it (`# secrets live in .dev.vars`).

use super::DocumentLink;
use crate::analysis::index::Index;
use crate::analysis::workspace::{ConfigDoc, SourceDoc};
use crate::base::TextRange;
use crate::config::EnvSection;
use crate::project::{normalize, SkipReason};
use std::path::{Path, PathBuf};

/// Every link of a config file, sorted by position.
pub fn document_links(ix: &Index, file: &Path) -> Vec<DocumentLink> {
    let Some(config) = ix.ws.config(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for section in std::iter::once(&config.file.top).chain(&config.file.envs) {
        if let Some(main) = &section.main {
            let target = normalize(&config.dir.join(&main.value));
            if exists(ix, &target) && !main.range.is_empty() {
                out.push(DocumentLink {
                    range: main.range,
                    target,
                    tooltip: "Open the main module".into(),
                });
            }
        }
        if let Some(secrets) = secrets_file(config, section) {
            for key in ["vars", "secrets"] {
                if let Some(&range) = section.key_ranges.get(key) {
                    out.push(DocumentLink {
                        range,
                        target: secrets.to_path_buf(),
                        tooltip: format!(
                            "Open {} (local values of vars and secrets)",
                            name(secrets)
                        ),
                    });
                }
            }
        }
    }
    out.extend(mentions(config));
    out.sort_by_key(|l| (l.range.start, l.range.end));
    out.dedup_by_key(|l| l.range);
    out
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether the workspace read a file there (or skipped one that is there).
fn exists(ix: &Index, path: &Path) -> bool {
    match ix.source(path) {
        Some(SourceDoc::Parsed { .. }) => true,
        Some(SourceDoc::Skipped(reason)) => matches!(
            reason,
            SkipReason::TooLarge(_) | SkipReason::NotUtf8 | SkipReason::Binary
        ),
        None => false,
    }
}

/// The secrets file wrangler reads for a section: `.dev.vars.<env>`, else `.dev.vars`; only
/// when there is no `.dev.vars*`, `.env.<env>`, else `.env`.
fn secrets_file<'c>(config: &'c ConfigDoc, section: &EnvSection) -> Option<&'c Path> {
    let env = section.env_name.as_ref().map(|e| e.value.as_str());
    let find = |base: &str| -> Option<&'c Path> {
        let named = |n: &str| {
            config
                .secret_files
                .iter()
                .find(|f| f.file_name().is_some_and(|f| f == n))
                .map(PathBuf::as_path)
        };
        env.and_then(|e| named(&format!("{base}.{e}")))
            .or_else(|| named(base))
    };
    find(".dev.vars").or_else(|| find(".env"))
}

/// Every place the config's text names one of its secrets files.
fn mentions(config: &ConfigDoc) -> Vec<DocumentLink> {
    let text = &*config.text;
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for file in &config.secret_files {
        let n = name(file);
        if n.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(at) = text[from..].find(&n) {
            let start = from + at;
            let end = start + n.len();
            from = end;
            // A whole name: `.dev.vars` is not part of `.dev.vars.staging` or `x.dev.vars`.
            let before_ok = start == 0
                || matches!(
                    bytes[start - 1],
                    b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'`' | b'('
                )
                || text[..start].ends_with("./")
                    && (start < 3 || !is_name_byte(bytes[start - 3]) && bytes[start - 3] != b'.');
            let after_ok = end == bytes.len()
                || !is_name_byte(bytes[end]) && bytes[end] != b'.'
                || bytes[end] == b'.' && !bytes.get(end + 1).is_some_and(|b| is_name_byte(*b));
            if before_ok && after_ok {
                out.push(DocumentLink {
                    range: TextRange::from_usize(start, end),
                    target: file.clone(),
                    tooltip: format!("Open {n}"),
                });
            }
        }
    }
    out
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
