//! Multi-file test fixtures in one string, rust-analyzer style:
//!
//! ```text
//! //- /api/wrangler.toml
//! name = "api"
//! //- /api/src/index.ts
//! export default { fetch() {} }
//! ```
//!
//! `$0` marks a cursor (at most one). Files are written to a temporary folder so the real
//! discovery and reading code runs.

use std::path::{Path, PathBuf};

#[allow(dead_code)] // `dir` keeps the folder alive; `cursor` serves the IDE tests.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    /// The canonical path of `dir`, so reported paths compare equal.
    pub root: PathBuf,
    /// The cursor's file and byte offset, if the fixture has a `$0`.
    pub cursor: Option<(PathBuf, u32)>,
}

#[allow(dead_code)]
impl Fixture {
    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel.trim_start_matches('/'))
    }
}

/// Writes the fixture's files.
pub fn fixture(text: &str) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cursor = None;
    let mut current: Option<(String, String)> = None;
    let mut files = Vec::new();
    for line in text.lines() {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            if let Some(f) = current.take() {
                files.push(f);
            }
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    if let Some(f) = current.take() {
        files.push(f);
    }
    let dir_path = dir.path().canonicalize().expect("canonical tempdir");
    for (rel, mut body) in files {
        let path = dir_path.join(rel.trim_start_matches('/'));
        if let Some(at) = body.find("$0") {
            body.replace_range(at..at + 2, "");
            cursor = Some((path.clone(), at as u32));
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
    }
    Fixture {
        dir,
        root: dir_path,
        cursor,
    }
}
