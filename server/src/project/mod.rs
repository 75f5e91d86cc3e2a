//! Finding workers and reading files.
//!
//! The only layer that touches the disk. Everything it reads is confined to the workspace
//! root: paths that lead outside it (through `..`, absolute paths or symlinks) are not read.
//! Open editor buffers win over the disk through [`FileSystem`] overlays.

pub mod packages;
pub mod settings;

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use settings::{Settings, SETTINGS_FILE};

/// Sources larger than this are skipped with an `unreadable-file` finding.
pub const MAX_SOURCE_BYTES: u64 = 2 * 1024 * 1024;

/// Folders never walked: dependencies, build output, caches.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".wrangler",
    ".git",
    "dist",
    "build",
    "out",
    ".output",
    ".next",
    ".svelte-kit",
    ".turbo",
    ".cache",
    "coverage",
    "target",
];

/// Why a file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    NotFound,
    OutsideRoot,
    TooLarge(u64),
    NotUtf8,
    Binary,
    NotAFile,
    /// A folder where a file was expected (`main = "src"`).
    Directory,
    Io(String),
}

impl SkipReason {
    pub fn describe(&self) -> String {
        match self {
            SkipReason::NotFound => "file not found".into(),
            SkipReason::OutsideRoot => "it lies outside the checked root and is not read".into(),
            SkipReason::TooLarge(n) => format!(
                "it is {:.1} MB, over the {} MB limit",
                *n as f64 / 1_048_576.0,
                MAX_SOURCE_BYTES / 1_048_576
            ),
            SkipReason::NotUtf8 => "it is not valid UTF-8".into(),
            SkipReason::Binary => "it looks binary".into(),
            SkipReason::NotAFile => "it is not a regular file".into(),
            SkipReason::Directory => "it is a folder".into(),
            SkipReason::Io(e) => format!("it cannot be read: {e}"),
        }
    }
}

/// Where file contents come from: the disk, or the disk overlaid with open editor buffers.
pub trait FileSystem: Sync {
    /// Reads a file's text, applying size, encoding and confinement limits.
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason>;
    /// Whether a regular file exists at `path` (an open buffer counts).
    fn is_file(&self, path: &Path) -> bool;
}

/// The real disk, confined to `root`.
#[derive(Clone, Debug)]
pub struct DiskFs {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl DiskFs {
    pub fn new(root: &Path) -> DiskFs {
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        DiskFs {
            root: root.to_path_buf(),
            canonical_root,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path`, with symlinks resolved, lies inside the root.
    pub fn is_inside_root(&self, path: &Path) -> bool {
        match path.canonicalize() {
            Ok(c) => c.starts_with(&self.canonical_root),
            Err(_) => normalize(path).starts_with(&self.root),
        }
    }
}

impl FileSystem for DiskFs {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        read_confined(path, &self.canonical_root)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
}

/// Reads a text file if it is a regular file inside `canonical_root` and passes the limits.
pub fn read_confined(path: &Path, canonical_root: &Path) -> Result<Arc<str>, SkipReason> {
    let canonical = match path.canonicalize() {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(SkipReason::NotFound),
        Err(e) => return Err(SkipReason::Io(e.to_string())),
    };
    if !canonical.starts_with(canonical_root) {
        return Err(SkipReason::OutsideRoot);
    }
    let meta = std::fs::metadata(&canonical).map_err(|e| SkipReason::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(SkipReason::Directory);
    }
    if !meta.is_file() {
        return Err(SkipReason::NotAFile);
    }
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    let bytes = std::fs::read(&canonical).map_err(|e| SkipReason::Io(e.to_string()))?;
    decode_text(bytes)
}

/// Turns file bytes into text: strips a UTF-8 BOM, refuses binary and non-UTF-8 content.
pub fn decode_text(mut bytes: Vec<u8>) -> Result<Arc<str>, SkipReason> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(SkipReason::Binary);
    }
    String::from_utf8(bytes)
        .map(Arc::from)
        .map_err(|_| SkipReason::NotUtf8)
}

/// The disk overlaid with in-memory texts (open editor buffers).
pub struct OverlayFs<'a> {
    pub disk: &'a DiskFs,
    pub overlay: &'a HashMap<PathBuf, Arc<str>>,
}

impl FileSystem for OverlayFs<'_> {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        match self.overlay.get(path) {
            Some(text) if normalize(path).starts_with(&self.disk.root) => Ok(text.clone()),
            Some(_) => Err(SkipReason::OutsideRoot),
            None => self.disk.read_text(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || self.disk.is_file(path)
    }
}

/// Lexically normalises a path: drops `.` and folds `..` (without touching the disk).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether a `main` is a module specifier resolved by a bundler (`@scope/pkg/worker`,
/// `virtual:worker`, a bare package name) rather than a path.
pub fn is_module_specifier(spec: &str) -> bool {
    let drive = spec.as_bytes().get(1) == Some(&b':');
    if spec.contains(':') && !drive {
        return true;
    }
    if spec.starts_with('.') || spec.starts_with('/') {
        return false;
    }
    spec.starts_with('@') || !(spec.contains('/') || spec.contains('.'))
}

/// Whether a file name is a wrangler config: `wrangler.toml|json|jsonc`, or any
/// `*.toml|json|jsonc` whose name contains `wrangler`.
pub fn is_config_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".toml") || lower.ends_with(".json") || lower.ends_with(".jsonc"))
        && lower.contains("wrangler")
}

/// A root-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What one walk of the root finds: wrangler configs, and the files beside the workers that
/// tell what their code expects (env types, tests, vitest configs, workspace packages).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Wrangler configs, sorted.
    pub configs: Vec<PathBuf>,
    /// `.d.ts` files (hand-written env types, `wrangler types` output of any name), sorted.
    pub declarations: Vec<PathBuf>,
    /// TS/JS test modules (`*.test.*`, `*.spec.*`, or under a test folder), sorted.
    pub tests: Vec<PathBuf>,
    /// `vitest.config.*` / `vitest.workspace.*` files, sorted.
    pub vitest_configs: Vec<PathBuf>,
    /// `vite.config.*` files (the Cloudflare vite plugin builds the workers they name), sorted.
    pub vite_configs: Vec<PathBuf>,
    /// `package.json` files, sorted.
    pub packages: Vec<PathBuf>,
}

/// Folder names whose contents are tests.
pub const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "e2e",
    "__mocks__",
    "__fixtures__",
];

/// Whether a root-relative path (with `/` separators) lies in a test folder: a folder named
/// one of [`TEST_DIRS`], or whose name has one as a word (`e2e-tests`, `tests_runtime`,
/// `integration.test`).
pub fn in_test_dir(rel: &str) -> bool {
    let mut parts: Vec<&str> = rel.split('/').collect();
    parts.pop();
    parts.iter().any(|p| {
        TEST_DIRS.contains(p)
            || p.split(['-', '_', '.'])
                .any(|w| matches!(w, "test" | "tests" | "e2e" | "spec" | "specs"))
    })
}

/// Whether a file name is a test module's: `x.test.ts`, `x.spec.tsx`, `x.e2e.ts`.
pub fn is_test_module_name(name: &str) -> bool {
    let mut parts = name.split('.');
    parts.next();
    let inner: Vec<&str> = parts.collect();
    inner.len() >= 2
        && inner[..inner.len() - 1]
            .iter()
            .any(|p| matches!(*p, "test" | "spec" | "e2e"))
}

fn is_vite_config_name(name: &str) -> bool {
    name.starts_with("vite.config.")
        && crate::source::SourceLang::from_path(Path::new(name)).is_some()
}

fn is_vitest_config_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    (stem == "vitest" || stem == "vitest-pool-workers")
        && name
            .split('.')
            .nth(1)
            .is_some_and(|p| p == "config" || p == "workspace")
}

/// Finds every wrangler config under `root`, honouring `.gitignore`, skipping dependency and
/// output folders, and never following symlinks. Sorted by path.
pub fn discover_configs(root: &Path, settings: &Settings) -> Vec<PathBuf> {
    discover(root, settings).configs
}

/// Walks `root` once (`.gitignore` honoured, dependency and output folders skipped, symlinks
/// never followed) and sorts what it finds.
pub fn discover(root: &Path, settings: &Settings) -> Discovered {
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref()))
        });
    let mut found = Discovered::default();
    for entry in walker.build().flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let rel = relative(root, path);
        let name = entry.file_name().to_string_lossy();
        if settings.is_excluded(&rel) {
            continue;
        }
        if is_config_name(&name) || settings.is_included(&rel) {
            found.configs.push(path.to_path_buf());
        } else if name == "package.json" {
            found.packages.push(path.to_path_buf());
        } else if is_vitest_config_name(&name) {
            found.vitest_configs.push(path.to_path_buf());
        } else if is_vite_config_name(&name) {
            found.vite_configs.push(path.to_path_buf());
        } else if is_declaration_name(&name) {
            found.declarations.push(path.to_path_buf());
        } else if crate::source::SourceLang::from_path(path).is_some()
            && (is_test_module_name(&name) || in_test_dir(&rel))
        {
            found.tests.push(path.to_path_buf());
        }
    }
    // `include` may name configs in ignored folders: look for them explicitly.
    if !settings.include.is_empty() {
        let mut walker = ignore::WalkBuilder::new(root);
        walker.standard_filters(false).follow_links(false);
        for entry in walker.build().flatten() {
            let path = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && settings.is_included(&relative(root, path))
                && !settings.is_excluded(&relative(root, path))
                && !found.configs.iter().any(|c| c == path)
            {
                found.configs.push(path.to_path_buf());
            }
        }
    }
    found.configs.sort();
    found.declarations.sort();
    found.tests.sort();
    found.vitest_configs.sort();
    found.vite_configs.sort();
    found.packages.sort();
    found
}

/// Whether a file is one [`discover`] reads beside the configs: a `.d.ts`, a test module, a
/// vitest config or a `package.json`.
pub fn is_support_file(root: &Path, path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name == "package.json"
        || is_vitest_config_name(&name)
        || is_vite_config_name(&name)
        || is_declaration_name(&name)
        || (crate::source::SourceLang::from_path(path).is_some()
            && (is_test_module_name(&name) || in_test_dir(&relative(root, path))))
}

/// Whether a file name is a TypeScript declaration file.
pub fn is_declaration_name(name: &str) -> bool {
    name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts")
}

/// The extensions tried, in order, for an extensionless import specifier.
const SOURCE_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// Resolves a relative module specifier from the importing file, the way TypeScript's bundler
/// resolution does for relative paths: exact file, `.js`-family specifiers naming TS files,
/// extensionless specifiers, and folder `index` files. `None` for bare (package) specifiers
/// and for specifiers that name no file.
pub fn resolve_module(fs: &dyn FileSystem, importer: &Path, specifier: &str) -> Option<PathBuf> {
    if !(specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier == "."
        || specifier == "..")
    {
        return None;
    }
    resolve_path(fs, &normalize(&importer.parent()?.join(specifier)))
}

/// The module file a path names: itself, a TS file for a `.js`-family path, the path with a
/// source extension, or its folder's `index` file.
pub fn resolve_path(fs: &dyn FileSystem, base: &Path) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
        let swaps: &[&str] = match ext {
            "js" => &["ts", "tsx"],
            "jsx" => &["tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            _ => &[],
        };
        candidates.push(base.to_path_buf());
        for s in swaps {
            candidates.push(base.with_extension(s));
        }
    }
    let base_str = base.as_os_str().to_string_lossy().into_owned();
    for ext in SOURCE_EXTENSIONS {
        candidates.push(PathBuf::from(format!("{base_str}.{ext}")));
    }
    for ext in SOURCE_EXTENSIONS {
        candidates.push(base.join(format!("index.{ext}")));
    }
    candidates.into_iter().find(|c| fs.is_file(c))
}

/// Names declared in a `.dev.vars` / `.env` style file: `KEY=value` lines, `export KEY=...`
/// allowed, comments and blank lines skipped.
pub fn parse_dotenv_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, _) = line.split_once('=')?;
            let key = key.trim();
            (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| key.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names() {
        assert!(is_config_name("wrangler.toml"));
        assert!(is_config_name("wrangler.staging.jsonc"));
        assert!(is_config_name("worker-a.wrangler.json"));
        assert!(!is_config_name("package.json"));
        assert!(!is_config_name("wrangler.ts"));
    }

    #[test]
    fn normalize_folds_parent_components() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn dotenv_names() {
        let names = parse_dotenv_names("# c\nA=1\nexport B = \"x\"\n\nbad line\nC_D=\n");
        assert_eq!(names, vec!["A", "B", "C_D"]);
    }

    #[test]
    fn decode_strips_bom_and_refuses_binary() {
        assert_eq!(&*decode_text(b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        assert_eq!(decode_text(b"a\0b".to_vec()), Err(SkipReason::Binary));
        assert_eq!(decode_text(b"a\xffb".to_vec()), Err(SkipReason::NotUtf8));
    }
}
