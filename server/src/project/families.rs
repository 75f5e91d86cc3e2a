//! Families: the groups of workers a project root holds that are checked apart.
//!
//! A repository of independent projects (a folder of examples, fixtures or templates) is not
//! one family: two examples that happen to share a worker name do not overwrite each other,
//! and a binding of one never names a worker of the other. Each family gets its own workspace
//! and index, and no finding crosses from one to another. A project root splits into:
//!
//! - `[workspace] members` of its `workers-lsp.toml`: each matching folder is a family;
//! - a folder below it with a `workers-lsp.toml` of its own: a project of its own (split the
//!   same way, with its own settings);
//! - without `members`, by default: when it holds two or more independent packages (a
//!   folder with a `package.json` and a lockfile, the outermost ones, none a workspace member
//!   of the root's package-manager workspace or of another of them), each is a family;
//! - what remains (the root's own workers, outside all of those) is the root family.
//!
//! A file belongs to the innermost family folder that holds it. Members and packages without
//! a `workers-lsp.toml` of their own inherit the project's `[rules]` and `[external]`.

use super::root::{is_locked_package_with, LOCKFILES};
use super::{
    ignores_above, relative, walk_files, FileSystem, IgnoresAbove, Settings, SETTINGS_FILE,
};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a folder is a family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FamilyKind {
    /// The project root itself (what no other family takes).
    Root,
    /// A folder with a `workers-lsp.toml` of its own below the project root.
    Project,
    /// A `[workspace] members` folder.
    Member,
    /// An independent package (its own `package.json` and lockfile), by the default rule.
    Package,
}

/// One family: a folder checked as a workspace of its own.
#[derive(Clone, Debug)]
pub struct Family {
    pub dir: PathBuf,
    pub kind: FamilyKind,
    /// The folders of the families directly inside this one: they are not part of it.
    pub nested: Vec<PathBuf>,
    /// The settings it inherits when it has no `workers-lsp.toml` of its own (`None`: it
    /// reads its own, or has none to inherit).
    pub inherited: Option<Arc<Settings>>,
    /// The ignore files of the folders above it, up to the project root (none for the root).
    pub ignores_above: IgnoresAbove,
}

impl Family {
    /// Whether a path belongs to this family (inside its folder, outside nested families).
    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.dir) && !self.nested.iter().any(|n| path.starts_with(n))
    }
}

/// The family of `path`: the innermost family folder that holds it.
pub fn family_of<'a>(families: &'a [Family], path: &Path) -> Option<&'a Family> {
    families
        .iter()
        .filter(|f| path.starts_with(&f.dir))
        .max_by_key(|f| f.dir.components().count())
}

/// What one walk of the project root tells about its folders.
#[derive(Default)]
struct Tree {
    /// Every folder that holds a file, and every folder above it (below the root). Hashed,
    /// not ordered: an ordered set compares paths component by component on every insert,
    /// and [`outermost`] sorts what it is given.
    dirs: foldhash::HashSet<PathBuf>,
    /// Folders with a `workers-lsp.toml`.
    settings: BTreeSet<PathBuf>,
    /// Folders with a `package.json` and a lockfile.
    locked: BTreeSet<PathBuf>,
}

/// Splits a project root into families (see the module documentation). `settings` are the
/// root's (its `workers-lsp.toml`, or `--config`); `fs` is confined to the root. The root
/// family comes first, then the others sorted by folder.
pub fn families(root: &Path, settings: &Settings, fs: &dyn FileSystem) -> Vec<Family> {
    let mut tree = Tree::default();
    // The walk lists a folder's files together: its ancestors are recorded once.
    let mut last_dir = PathBuf::new();
    walk_files(root, fs, true, &mut |e| {
        let Some(dir) = e.path.parent() else { return };
        // The same bytes as the folder of the file before (a `Path` comparison walks the
        // components of both: this is asked for every file).
        if dir.as_os_str() != last_dir.as_os_str() {
            last_dir = dir.to_path_buf();
            for d in dir
                .ancestors()
                .take_while(|d| d.starts_with(root) && *d != root)
            {
                if !tree.dirs.insert(d.to_path_buf()) {
                    break;
                }
            }
        }
        if e.name == SETTINGS_FILE && dir != root {
            tree.settings.insert(dir.to_path_buf());
        }
        if (e.name == "package.json" || LOCKFILES.contains(&e.name.as_str()))
            && dir != root
            && is_locked_package_with(dir, &|p| fs.is_file(p))
        {
            tree.locked.insert(dir.to_path_buf());
        }
    });
    let mut out = Vec::new();
    split(
        root,
        FamilyKind::Root,
        settings,
        None,
        &tree,
        fs,
        &mut out,
        0,
    );
    out[1..].sort_by(|a, b| a.dir.cmp(&b.dir));
    for family in &mut out[1..] {
        family.ignores_above = ignores_above(root, &family.dir, fs);
    }
    out
}

/// Nested projects deeper than this are not split further.
const MAX_DEPTH: usize = 16;

#[allow(clippy::too_many_arguments)]
fn split(
    dir: &Path,
    kind: FamilyKind,
    settings: &Settings,
    inherited: Option<Arc<Settings>>,
    tree: &Tree,
    fs: &dyn FileSystem,
    out: &mut Vec<Family>,
    depth: usize,
) {
    fn below<'s>(dir: &Path, set: impl IntoIterator<Item = &'s PathBuf>) -> Vec<PathBuf> {
        set.into_iter()
            .filter(|d| d.starts_with(dir) && d.as_path() != dir)
            .cloned()
            .collect()
    }
    let projects = if depth < MAX_DEPTH {
        outermost(below(dir, &tree.settings))
    } else {
        Vec::new()
    };
    let in_project = |d: &Path| projects.iter().any(|p| d.starts_with(p));
    let mut members: Vec<PathBuf> = if kind == FamilyKind::Root || kind == FamilyKind::Project {
        outermost(
            below(dir, &tree.dirs)
                .into_iter()
                .filter(|d| settings.is_member_dir(&relative(dir, d)))
                .filter(|d| !in_project(d))
                .collect(),
        )
    } else {
        Vec::new()
    };
    let mut packages = Vec::new();
    if settings.members.is_empty() && matches!(kind, FamilyKind::Root | FamilyKind::Project) {
        let workspace = WorkspaceGlobs::read(dir, fs);
        let candidates = outermost(
            below(dir, &tree.locked)
                .into_iter()
                .filter(|d| !in_project(d))
                .collect(),
        );
        let independent: Vec<PathBuf> = candidates
            .iter()
            .filter(|c| !workspace.as_ref().is_some_and(|w| w.has_member(dir, c)))
            .filter(|c| {
                !candidates.iter().any(|other| {
                    other != *c
                        && WorkspaceGlobs::read(other, fs).is_some_and(|w| w.has_member(other, c))
                })
            })
            .cloned()
            .collect();
        if independent.len() >= 2 {
            packages = independent;
        }
    }
    // A member or package that holds a `workers-lsp.toml` is a project of its own.
    members.retain(|m| !projects.contains(m));
    packages.retain(|p| !projects.contains(p));
    let mut children: Vec<(PathBuf, FamilyKind)> = projects
        .iter()
        .map(|p| (p.clone(), FamilyKind::Project))
        .chain(members.into_iter().map(|m| (m, FamilyKind::Member)))
        .chain(packages.into_iter().map(|p| (p, FamilyKind::Package)))
        .collect();
    children.sort();
    // Keep the outermost: a package inside a member belongs to the member.
    let kept: Vec<(PathBuf, FamilyKind)> = children
        .iter()
        .filter(|(d, _)| !children.iter().any(|(o, _)| o != d && d.starts_with(o)))
        .cloned()
        .collect();
    out.push(Family {
        dir: dir.to_path_buf(),
        kind,
        nested: kept.iter().map(|(d, _)| d.clone()).collect(),
        inherited,
        ignores_above: IgnoresAbove::default(),
    });
    let handed_down = Arc::new(settings.inherited());
    for (child, child_kind) in kept {
        match child_kind {
            FamilyKind::Project => {
                let (own, _) = match fs.read_text(&child.join(SETTINGS_FILE)) {
                    Ok(text) => Settings::parse(&text),
                    Err(_) => (Settings::default(), Vec::new()),
                };
                split(
                    &child,
                    FamilyKind::Project,
                    &own,
                    None,
                    tree,
                    fs,
                    out,
                    depth + 1,
                );
            }
            _ => split(
                &child,
                child_kind,
                &handed_down,
                Some(handed_down.clone()),
                tree,
                fs,
                out,
                depth + 1,
            ),
        }
    }
}

/// The folders of a list that no other folder of it holds.
fn outermost(mut dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    dirs.sort();
    let mut out: Vec<PathBuf> = Vec::new();
    for d in dirs {
        if !out.iter().any(|o| d.starts_with(o)) {
            out.push(d);
        }
    }
    out
}

/// The package globs of a package-manager workspace root: `packages` of
/// `pnpm-workspace.yaml`, else `workspaces` of `package.json` (npm, yarn, bun).
struct WorkspaceGlobs {
    include: GlobSet,
    exclude: GlobSet,
}

impl WorkspaceGlobs {
    fn read(dir: &Path, fs: &dyn FileSystem) -> Option<WorkspaceGlobs> {
        let globs = match fs.read_text(&dir.join("pnpm-workspace.yaml")) {
            Ok(text) => pnpm_packages(&text),
            Err(_) => {
                let text = fs.read_text(&dir.join("package.json")).ok()?;
                let json: serde_json::Value = serde_json::from_str(&text).ok()?;
                let list = match json.get("workspaces")? {
                    serde_json::Value::Array(a) => a.clone(),
                    serde_json::Value::Object(o) => o.get("packages")?.as_array()?.clone(),
                    _ => return None,
                };
                list.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            }
        };
        let build = |negated: bool| {
            let mut b = GlobSetBuilder::new();
            for g in &globs {
                let (neg, pattern) = match g.strip_prefix('!') {
                    Some(p) => (true, p),
                    None => (false, g.as_str()),
                };
                if neg != negated {
                    continue;
                }
                let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
                if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
                    b.add(glob);
                }
            }
            b.build().unwrap_or_else(|_| GlobSet::empty())
        };
        Some(WorkspaceGlobs {
            include: build(false),
            exclude: build(true),
        })
    }

    /// Whether the workspace rooted at `dir` lists the folder `member`.
    fn has_member(&self, dir: &Path, member: &Path) -> bool {
        let rel = relative(dir, member);
        member.starts_with(dir) && self.include.is_match(&rel) && !self.exclude.is_match(&rel)
    }
}

/// The `packages:` list of a `pnpm-workspace.yaml` (block or flow style), without a YAML
/// parser: the list is all that is read.
fn pnpm_packages(text: &str) -> Vec<String> {
    let unquote = |s: &str| {
        let s = s.trim();
        let s = s.split(" #").next().unwrap_or(s).trim();
        s.trim_matches(|c| c == '"' || c == '\'').to_string()
    };
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.len() != trimmed.len();
        if !indented {
            inside = false;
            if let Some(rest) = trimmed.strip_prefix("packages:") {
                let rest = rest.trim();
                if let Some(flow) = rest.strip_prefix('[') {
                    let flow = flow.split(']').next().unwrap_or("");
                    out.extend(flow.split(',').map(unquote).filter(|s| !s.is_empty()));
                } else {
                    inside = true;
                }
            }
            continue;
        }
        if inside {
            if let Some(item) = trimmed.strip_prefix('-') {
                let item = unquote(item);
                if !item.is_empty() {
                    out.push(item);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::fixture;
    use crate::project::DiskFs;

    fn split_of(root: &Path) -> Vec<(String, FamilyKind, Vec<String>)> {
        let fs = DiskFs::new(root);
        let settings = match fs.read_text(&root.join(SETTINGS_FILE)) {
            Ok(t) => Settings::parse(&t).0,
            Err(_) => Settings::default(),
        };
        families(root, &settings, &fs)
            .into_iter()
            .map(|f| {
                (
                    relative(root, &f.dir),
                    f.kind,
                    f.nested.iter().map(|n| relative(root, n)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn members_are_families_and_the_rest_is_the_root_family() {
        let f = fixture(
            r#"//- /workers-lsp.toml
[rules]
unused-binding = "off"
[workspace]
members = ["fixtures/*"]
//- /fixtures/a/wrangler.toml
//- /fixtures/a/deep/wrangler.toml
//- /fixtures/b/wrangler.toml
//- /fixtures/README.md
//- /packages/p/wrangler.toml
//- /node_modules/x/wrangler.toml
"#,
        );
        let got = split_of(f.root());
        assert_eq!(
            got,
            vec![
                (
                    String::new(),
                    FamilyKind::Root,
                    vec!["fixtures/a".into(), "fixtures/b".into()]
                ),
                ("fixtures/a".into(), FamilyKind::Member, vec![]),
                ("fixtures/b".into(), FamilyKind::Member, vec![]),
            ]
        );
        let fs = DiskFs::new(f.root());
        let (settings, _) = Settings::parse(&fs.read_text(&f.path("workers-lsp.toml")).unwrap());
        let all = families(f.root(), &settings, &fs);
        // Members inherit the rules.
        assert_eq!(
            all[1]
                .inherited
                .as_ref()
                .unwrap()
                .severity("unused-binding"),
            None
        );
        assert!(all[0].inherited.is_none());
        // A file belongs to the innermost family.
        let of = |p: &str| relative(f.root(), &family_of(&all, &f.path(p)).unwrap().dir);
        assert_eq!(of("fixtures/a/deep/wrangler.toml"), "fixtures/a");
        assert_eq!(of("fixtures/README.md"), "");
        assert_eq!(of("packages/p/wrangler.toml"), "");
        assert!(all[0].contains(&f.path("packages/p/wrangler.toml")));
        assert!(!all[0].contains(&f.path("fixtures/b/wrangler.toml")));
    }

    #[test]
    fn a_nested_settings_file_makes_a_project_with_its_own_members() {
        let f = fixture(
            r#"//- /w/wrangler.toml
//- /sub/workers-lsp.toml
[workspace]
members = ["ex/*"]
//- /sub/wrangler.toml
//- /sub/ex/one/wrangler.toml
//- /sub/ex/two/workers-lsp.toml
//- /sub/ex/two/wrangler.toml
"#,
        );
        assert_eq!(
            split_of(f.root()),
            vec![
                (String::new(), FamilyKind::Root, vec!["sub".into()]),
                (
                    "sub".into(),
                    FamilyKind::Project,
                    vec!["sub/ex/one".into(), "sub/ex/two".into()]
                ),
                ("sub/ex/one".into(), FamilyKind::Member, vec![]),
                ("sub/ex/two".into(), FamilyKind::Project, vec![]),
            ]
        );
    }

    const EXAMPLES: &str = r#"//- /a/package.json
{"name": "a"}
//- /a/package-lock.json
{}
//- /a/wrangler.toml
//- /b/package.json
{"name": "b"}
//- /b/pnpm-lock.yaml
//- /b/wrangler.toml
//- /b/inner/package.json
{}
//- /b/inner/yarn.lock
//- /c/package.json
{"name": "c"}
//- /c/wrangler.toml
"#;

    #[test]
    fn independent_locked_packages_are_families_by_default() {
        let f = fixture(EXAMPLES);
        assert_eq!(
            split_of(f.root()),
            vec![
                (
                    String::new(),
                    FamilyKind::Root,
                    vec!["a".into(), "b".into()]
                ),
                ("a".into(), FamilyKind::Package, vec![]),
                ("b".into(), FamilyKind::Package, vec![]),
            ]
        );
    }

    #[test]
    fn one_locked_package_or_members_of_the_root_workspace_stay_one_family() {
        // Listed by the root's pnpm workspace: members of it, not independent.
        let f = fixture(&format!(
            "{EXAMPLES}//- /pnpm-workspace.yaml\npackages:\n  - \"a\"\n  - 'b' # the second\n"
        ));
        assert_eq!(
            split_of(f.root()),
            vec![(String::new(), FamilyKind::Root, vec![])]
        );
        // Listed by npm workspaces, flow style with a negation.
        let f = fixture(&format!(
            "{EXAMPLES}//- /package.json\n{{\"workspaces\": [\"*\", \"!c\"]}}\n"
        ));
        assert_eq!(
            split_of(f.root()),
            vec![(String::new(), FamilyKind::Root, vec![])]
        );
        // Only one of them is not listed: one independent package is no split.
        let f = fixture(&format!(
            "{EXAMPLES}//- /pnpm-workspace.yaml\npackages: [a]\n"
        ));
        assert_eq!(
            split_of(f.root()),
            vec![(String::new(), FamilyKind::Root, vec![])]
        );
        // With `members`, the default rule does not apply.
        let f = fixture(&format!(
            "{EXAMPLES}//- /workers-lsp.toml\n[workspace]\nmembers = [\"c\"]\n"
        ));
        assert_eq!(
            split_of(f.root()),
            vec![
                (String::new(), FamilyKind::Root, vec!["c".into()]),
                ("c".into(), FamilyKind::Member, vec![]),
            ]
        );
    }

    #[test]
    fn pnpm_package_lists() {
        assert_eq!(
            pnpm_packages(
                "# c\npackages:\n  - \"packages/*\"\n  - fixtures/* # all\n\ncatalog:\n  - no\n"
            ),
            vec!["packages/*", "fixtures/*"]
        );
        assert_eq!(
            pnpm_packages("packages: ['a', \"b/*\"]\n"),
            vec!["a", "b/*"]
        );
        assert!(pnpm_packages("onlyBuiltDependencies:\n  - esbuild\n").is_empty());
    }
}
