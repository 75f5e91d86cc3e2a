//! The project root: one rule, used by `check`, by the language server for every file it is
//! given, and by the editor clients (through `workers-lsp root PATH`), so that they all agree
//! on which workers a file is checked with.
//!
//! From a file or folder, walk up to the nearest folder holding a `workers-lsp.toml`. Failing
//! that, the root of the package-manager workspace that holds it (`pnpm-workspace.yaml`, or a
//! `package.json` with `workspaces`), searched up to the git repository's root, else the root
//! of that git repository (`.git`, a folder or a worktree's file). Failing all of those, the
//! nearest folder with a `package.json`, else the folder itself: never an ancestor only
//! because it holds a wrangler config (a file opened from a download folder must not adopt
//! whatever config lies somewhere above it).
//!
//! The home folder and the file-system root are never taken for a project by those markers (a
//! home folder kept in git, or a stray `package.json` there, would make every file of the
//! user's a worker of one huge project); only a `workers-lsp.toml` there, which says so,
//! makes them one. Every probe is a `stat` of a name, except one read through the confined
//! reader: a `package.json` (for `workspaces`).
//!
//! The project root may hold several families (see [`super::families`]): the family of a path
//! is the innermost family folder holding it.

use super::{read_confined_bytes, SETTINGS_FILE};
use std::path::{Path, PathBuf};

/// What made a folder the project root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootMarker {
    /// It holds a `workers-lsp.toml`.
    Settings,
    /// It is the root of a pnpm, npm, yarn or bun workspace.
    PackageWorkspace,
    /// It is the root of a git repository.
    Git,
    /// No marker: the nearest folder with a `package.json`, or the starting folder.
    Folder,
}

impl RootMarker {
    pub fn describe(self) -> &'static str {
        match self {
            RootMarker::Settings => "workers-lsp.toml",
            RootMarker::PackageWorkspace => "package-manager workspace",
            RootMarker::Git => "git repository",
            RootMarker::Folder => "folder",
        }
    }
}

/// A project root and why it is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRoot {
    pub path: PathBuf,
    pub marker: RootMarker,
}

/// `package.json` files larger than this are not read for `workspaces`.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// Lockfiles of npm, pnpm, yarn and bun.
pub const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "bun.lockb",
];

/// Whether `dir/name` is a regular file (a symlink counts if it leads to one).
fn has_file(dir: &Path, name: &str) -> bool {
    std::fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file())
}

/// Whether `dir` is the root of a git repository or worktree: `.git` is a folder, or a file
/// (`gitdir: ...`, in worktrees and submodules).
fn is_git_root(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(".git")).is_ok_and(|m| m.is_dir() || m.is_file())
}

/// Whether a `package.json` declares workspaces (`"workspaces": [...]`, or yarn's
/// `"workspaces": {"packages": [...]}`), read through the confined reader.
pub fn declares_workspaces(manifest: &Path) -> bool {
    let Some(dir) = manifest.parent().and_then(|d| d.canonicalize().ok()) else {
        return false;
    };
    let Ok(bytes) = read_confined_bytes(manifest, &dir, MAX_MANIFEST_BYTES) else {
        return false;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return false;
    };
    match json.get("workspaces") {
        Some(serde_json::Value::Array(globs)) => !globs.is_empty(),
        Some(serde_json::Value::Object(o)) => o
            .get("packages")
            .and_then(|p| p.as_array())
            .is_some_and(|p| !p.is_empty()),
        _ => false,
    }
}

/// Whether `dir` is the root of a package-manager workspace.
pub fn is_package_workspace(dir: &Path) -> bool {
    has_file(dir, "pnpm-workspace.yaml")
        || (has_file(dir, "package.json") && declares_workspaces(&dir.join("package.json")))
}

/// Folders that only a `workers-lsp.toml` makes a project: the home folder and the root.
fn is_guarded(dir: &Path, home: Option<&Path>) -> bool {
    dir.parent().is_none() || home.is_some_and(|h| h == dir)
}

/// The project root of a file or folder (see the module documentation). `start` should be
/// absolute; a path that does not exist (an unsaved buffer) is walked from its parent.
pub fn find_project_root(start: &Path) -> ProjectRoot {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| super::normalize(Path::new(&h)));
    find_project_root_with_home(start, home.as_deref())
}

/// [`find_project_root`] with the home folder given (for tests).
///
/// A path that the root's ignore files leave out (a family generated under `target/`) would
/// be skipped by discovery from that root, so it is checked on its own, as a named path must
/// be: its root is then the nearest folder with a `package.json` below the root, else the
/// folder itself.
pub fn find_project_root_with_home(start: &Path, home: Option<&Path>) -> ProjectRoot {
    let root = marked_root(start, home);
    let start = super::normalize(start);
    let folder = if start.is_dir() {
        start.as_path()
    } else {
        start.parent().unwrap_or(&start)
    };
    if folder != root.path
        && super::is_ignored_path(&root.path, folder, &super::DiskFs::new(&root.path))
    {
        let own = folder
            .ancestors()
            .take_while(|d| *d != root.path)
            .find(|d| has_file(d, "package.json"))
            .unwrap_or(folder);
        return ProjectRoot {
            path: own.to_path_buf(),
            marker: RootMarker::Folder,
        };
    }
    root
}

/// The root by the markers alone (see the module documentation).
fn marked_root(start: &Path, home: Option<&Path>) -> ProjectRoot {
    let start = super::normalize(start);
    let folder = if start.is_dir() {
        start.as_path()
    } else {
        start.parent().unwrap_or(&start)
    };
    let found = |path: &Path, marker| ProjectRoot {
        path: path.to_path_buf(),
        marker,
    };
    let dirs: Vec<&Path> = folder.ancestors().collect();
    if let Some(d) = dirs.iter().find(|d| has_file(d, SETTINGS_FILE)) {
        return found(d, RootMarker::Settings);
    }
    let open: Vec<&Path> = dirs
        .iter()
        .copied()
        .take_while(|d| !is_guarded(d, home))
        .collect();
    let git = open.iter().position(|d| is_git_root(d));
    let within_repo = &open[..git.map_or(open.len(), |i| i + 1)];
    if let Some(d) = within_repo.iter().find(|d| is_package_workspace(d)) {
        return found(d, RootMarker::PackageWorkspace);
    }
    if let Some(i) = git {
        return found(open[i], RootMarker::Git);
    }
    if let Some(d) = open.iter().find(|d| has_file(d, "package.json")) {
        return found(d, RootMarker::Folder);
    }
    found(folder, RootMarker::Folder)
}

/// Whether `dir` is a project of its own by the default rule of independent projects: it
/// holds a `package.json` and a lockfile.
pub fn is_locked_package(dir: &Path) -> bool {
    is_locked_package_with(dir, &|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
}

/// [`is_locked_package`], asking `is_file` (a walk's reader answers from the folder it
/// listed).
pub fn is_locked_package_with(dir: &Path, is_file: &dyn Fn(&Path) -> bool) -> bool {
    is_file(&dir.join("package.json")) && LOCKFILES.iter().any(|l| is_file(&dir.join(l)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::fixture;

    fn root_of(f: &crate::fixture::Fixture, rel: &str) -> (String, RootMarker) {
        let r = find_project_root_with_home(&f.path(rel), None);
        (super::super::relative(f.root(), &r.path), r.marker)
    }

    #[test]
    fn a_folder_the_ignore_files_leave_out_is_a_root_of_its_own() {
        let f = fixture(
            "//- /.git/HEAD\n//- /.gitignore\ntarget/\n//- /api/wrangler.toml\n//- /target/gen/package.json\n{}\n//- /target/gen/w0/wrangler.toml\n//- /target/loose/w1/wrangler.toml\n",
        );
        assert_eq!(root_of(&f, "api"), (String::new(), RootMarker::Git));
        assert_eq!(
            root_of(&f, "target/gen/w0"),
            ("target/gen".into(), RootMarker::Folder)
        );
        assert_eq!(
            root_of(&f, "target/loose/w1/wrangler.toml"),
            ("target/loose/w1".into(), RootMarker::Folder)
        );
    }

    #[test]
    fn the_nearest_settings_file_wins_over_every_other_marker() {
        let f = fixture(
            "//- /.git/HEAD\n//- /pnpm-workspace.yaml\n//- /family/workers-lsp.toml\n//- /family/api/wrangler.toml\n//- /family/api/src/index.ts\n",
        );
        assert_eq!(
            root_of(&f, "family/api/src/index.ts"),
            ("family".into(), RootMarker::Settings)
        );
        assert_eq!(
            root_of(&f, "family/api"),
            ("family".into(), RootMarker::Settings)
        );
        assert_eq!(
            root_of(&f, "family"),
            ("family".into(), RootMarker::Settings)
        );
        // Outside the family: the package workspace.
        assert_eq!(
            root_of(&f, "pnpm-workspace.yaml"),
            (String::new(), RootMarker::PackageWorkspace)
        );
    }

    #[test]
    fn package_workspaces_then_git() {
        let f = fixture(
            r#"//- /.git/HEAD
//- /tools/x.ts
//- /mono/package.json
{"name": "mono", "workspaces": ["apps/*"]}
//- /mono/apps/web/package.json
{"name": "web"}
//- /mono/apps/web/wrangler.toml
//- /yarn/package.json
{"workspaces": {"packages": ["p/*"]}}
//- /yarn/p/a/wrangler.toml
//- /plain/package.json
{"name": "plain", "workspaces": []}
//- /plain/w/wrangler.toml
"#,
        );
        assert_eq!(
            root_of(&f, "mono/apps/web/wrangler.toml"),
            ("mono".into(), RootMarker::PackageWorkspace)
        );
        assert_eq!(
            root_of(&f, "yarn/p/a"),
            ("yarn".into(), RootMarker::PackageWorkspace)
        );
        // An empty `workspaces` is no workspace: the git root.
        assert_eq!(
            root_of(&f, "plain/w/wrangler.toml"),
            (String::new(), RootMarker::Git)
        );
        assert_eq!(root_of(&f, "tools/x.ts"), (String::new(), RootMarker::Git));
    }

    #[test]
    fn a_package_workspace_above_the_git_root_is_not_the_project() {
        let f =
            fixture("//- /pnpm-workspace.yaml\n//- /repo/.git/HEAD\n//- /repo/w/wrangler.toml\n");
        assert_eq!(
            root_of(&f, "repo/w/wrangler.toml"),
            ("repo".into(), RootMarker::Git)
        );
    }

    #[test]
    fn a_git_worktree_file_marks_its_root() {
        let f = fixture("//- /wt/.git\ngitdir: /elsewhere\n//- /wt/w/wrangler.toml\n");
        assert_eq!(root_of(&f, "wt/w"), ("wt".into(), RootMarker::Git));
    }

    #[test]
    fn without_markers_the_nearest_package_or_worker_folder_else_the_folder_itself() {
        let f = fixture(
            "//- /lone/wrangler.toml\n//- /lone/src/deep/index.ts\n//- /pkg/package.json\n{}\n//- /pkg/src/index.ts\n//- /bare/notes/a.ts\n",
        );
        // A config above is no marker (issue 13.6): the file's own folder.
        let r = find_project_root_with_home(&f.path("lone/src/deep/index.ts"), Some(f.root()));
        assert_eq!(r.path, f.path("lone/src/deep"));
        assert_eq!(
            root_of(&f, "lone/wrangler.toml"),
            ("lone".into(), RootMarker::Folder)
        );
        assert_eq!(
            root_of(&f, "pkg/src/index.ts"),
            ("pkg".into(), RootMarker::Folder)
        );
        // Nothing above (up to the fixture's parent, which holds neither): the folder itself.
        let r = find_project_root_with_home(&f.path("bare/notes/a.ts"), Some(f.root()));
        assert_eq!(r.path, f.path("bare/notes"));
        assert_eq!(r.marker, RootMarker::Folder);
    }

    #[test]
    fn the_home_folder_is_a_project_only_with_a_settings_file() {
        let f = fixture(
            "//- /.git/HEAD\n//- /package.json\n{\"workspaces\": [\"*\"]}\n//- /wrangler.toml\n//- /notes/todo.ts\n",
        );
        let home = f.root().to_path_buf();
        let r = find_project_root_with_home(&f.path("notes/todo.ts"), Some(&home));
        assert_eq!((r.path, r.marker), (f.path("notes"), RootMarker::Folder));
        std::fs::write(f.path("workers-lsp.toml"), "").unwrap();
        let r = find_project_root_with_home(&f.path("notes/todo.ts"), Some(&home));
        assert_eq!((r.path, r.marker), (home, RootMarker::Settings));
    }

    #[test]
    fn a_missing_file_is_walked_from_its_folder() {
        let f = fixture("//- /p/workers-lsp.toml\n//- /p/w/wrangler.toml\n");
        assert_eq!(
            root_of(&f, "p/w/src/unsaved.ts"),
            ("p".into(), RootMarker::Settings)
        );
    }

    #[cfg(unix)]
    #[test]
    fn markers_that_are_not_regular_files_do_not_count_and_nothing_blocks() {
        let f = fixture("//- /repo/.git/HEAD\n//- /repo/w/wrangler.toml\n");
        for name in ["workers-lsp.toml", "package.json", "pnpm-workspace.yaml"] {
            assert!(std::process::Command::new("mkfifo")
                .arg(f.path(&format!("repo/w/{name}")))
                .status()
                .unwrap()
                .success());
        }
        assert_eq!(
            root_of(&f, "repo/w/wrangler.toml"),
            ("repo".into(), RootMarker::Git)
        );
        // A package.json that leads out of its folder is not read.
        let outside = fixture("//- /package.json\n{\"workspaces\": [\"*\"]}\n");
        let g = fixture("//- /repo/.git/HEAD\n//- /repo/w/wrangler.toml\n");
        std::os::unix::fs::symlink(outside.path("package.json"), g.path("repo/w/package.json"))
            .unwrap();
        assert_eq!(root_of(&g, "repo/w"), ("repo".into(), RootMarker::Git));
    }

    #[test]
    fn locked_packages() {
        let f = fixture(
            "//- /a/package.json\n{}\n//- /a/pnpm-lock.yaml\n//- /b/package.json\n{}\n//- /c/yarn.lock\n",
        );
        assert!(is_locked_package(&f.path("a")));
        assert!(!is_locked_package(&f.path("b")));
        assert!(!is_locked_package(&f.path("c")));
    }
}
