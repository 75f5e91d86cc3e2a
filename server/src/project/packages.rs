//! Workspace packages: the `package.json` files of the repository, so that an import of a
//! package by name (`import { h } from "@acme/shared"`, how monorepos share code) is followed
//! into that package's sources the way pnpm, npm and yarn workspaces link it.
//!
//! Any `package.json` under the root (dependency folders excluded) counts: the workspace
//! globs of `pnpm-workspace.yaml` or `workspaces` only ever select among them, and a name
//! claimed by two folders is ambiguous and not followed.

use super::{normalize, resolve_path, FileSystem};
use crate::source::SourceLang;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// One package: its folder and the manifest fields that name its entry modules.
#[derive(Clone, Debug, PartialEq)]
struct Package {
    dir: PathBuf,
    exports: Option<Value>,
    main: Vec<String>,
}

/// The packages of a workspace, by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Packages {
    by_name: HashMap<String, Vec<Package>>,
}

/// What a bare specifier names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageImport {
    /// Not a package of this workspace (an npm dependency, a runtime module).
    External,
    /// A module of a workspace package.
    Module(PathBuf),
    /// A workspace package whose module cannot be found (a build output, an ambiguous name):
    /// what it reads is unknown.
    Unresolved,
}

/// Export conditions tried in order: the Workers runtime's first, then ESM, then the rest.
const CONDITIONS: &[&str] = &[
    "workerd",
    "worker",
    "edge-light",
    "import",
    "module",
    "default",
    "types",
    "require",
    "node",
];

impl Packages {
    /// Reads every manifest (unreadable or malformed ones are skipped).
    pub fn load(manifests: &[PathBuf], fs: &dyn FileSystem) -> Packages {
        use rayon::prelude::*;
        // Read and parsed on every thread, gathered in the manifests' order.
        let read: Vec<Option<(String, Package)>> = manifests
            .par_iter()
            .map(|path| {
                let text = fs.read_text(path).ok()?;
                let json = serde_json::from_str::<Value>(&text).ok()?;
                let name = json.get("name").and_then(Value::as_str)?;
                let dir = path.parent()?;
                let main = ["module", "main", "types", "typings"]
                    .iter()
                    .filter_map(|k| json.get(*k).and_then(Value::as_str))
                    .map(str::to_string)
                    .collect();
                Some((
                    name.to_string(),
                    Package {
                        dir: dir.to_path_buf(),
                        exports: json.get("exports").cloned(),
                        main,
                    },
                ))
            })
            .collect();
        let mut by_name: HashMap<String, Vec<Package>> = HashMap::new();
        for (name, package) in read.into_iter().flatten() {
            by_name.entry(name).or_default().push(package);
        }
        Packages { by_name }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Resolves a bare specifier (`@scope/name`, `name/sub/path`).
    pub fn resolve(&self, specifier: &str, fs: &dyn FileSystem) -> PackageImport {
        let (name, subpath) = split_specifier(specifier);
        let Some(packages) = self.by_name.get(name) else {
            return PackageImport::External;
        };
        let [package] = packages.as_slice() else {
            return PackageImport::Unresolved;
        };
        match package.entry(subpath, fs) {
            Some(p) => PackageImport::Module(p),
            None => PackageImport::Unresolved,
        }
    }
}

/// `@scope/name/sub` -> (`@scope/name`, `sub`); `name/sub` -> (`name`, `sub`).
fn split_specifier(specifier: &str) -> (&str, &str) {
    let mut parts = specifier.splitn(3, '/');
    let first = parts.next().unwrap_or("");
    if first.starts_with('@') {
        let second = parts.next().unwrap_or("");
        let name_len = first.len() + 1 + second.len();
        let name = &specifier[..name_len.min(specifier.len())];
        (name, specifier.get(name_len + 1..).unwrap_or(""))
    } else {
        (first, specifier.get(first.len() + 1..).unwrap_or(""))
    }
}

/// The targets of an `exports` value for a set of conditions, best first.
fn condition_targets(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => {
            for v in items {
                condition_targets(v, out, depth + 1);
            }
        }
        Value::Object(map) => {
            for c in CONDITIONS {
                if let Some(v) = map.get(*c) {
                    condition_targets(v, out, depth + 1);
                }
            }
            for (k, v) in map {
                if !CONDITIONS.contains(&k.as_str()) {
                    condition_targets(v, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

impl Package {
    /// The source module for a subpath (`""` for the package itself).
    fn entry(&self, subpath: &str, fs: &dyn FileSystem) -> Option<PathBuf> {
        let mut targets: Vec<String> = Vec::new();
        let key = if subpath.is_empty() {
            ".".to_string()
        } else {
            format!("./{subpath}")
        };
        match &self.exports {
            Some(Value::Object(map)) if map.keys().any(|k| k.starts_with('.')) => {
                if let Some(v) = map.get(&key) {
                    condition_targets(v, &mut targets, 0);
                } else {
                    // Patterns: `"./*": "./src/*.ts"`.
                    for (k, v) in map {
                        let Some((prefix, suffix)) = k.split_once('*') else {
                            continue;
                        };
                        if let Some(star) = key
                            .strip_prefix(prefix)
                            .and_then(|rest| rest.strip_suffix(suffix))
                        {
                            let mut found = Vec::new();
                            condition_targets(v, &mut found, 0);
                            targets.extend(found.into_iter().map(|t| t.replace('*', star)));
                        }
                    }
                }
            }
            Some(v) if subpath.is_empty() => condition_targets(v, &mut targets, 0),
            _ => {}
        }
        if subpath.is_empty() {
            targets.extend(self.main.iter().cloned());
            targets.push("./src/index".into());
            targets.push("./index".into());
        } else {
            targets.push(format!("./{subpath}"));
            targets.push(format!("./src/{subpath}"));
        }
        targets.iter().find_map(|t| self.module_at(t, fs))
    }

    /// The source module a manifest path names, inside the package folder.
    fn module_at(&self, target: &str, fs: &dyn FileSystem) -> Option<PathBuf> {
        if target.starts_with('/') || target.contains("..") {
            return None;
        }
        let path = normalize(&self.dir.join(target));
        let name = path.file_name()?.to_str()?;
        // `types` often names a declaration file whose source sits beside it.
        let path = match name.strip_suffix(".d.ts") {
            Some(stem) => path.with_file_name(format!("{stem}.ts")),
            None => path,
        };
        let found = resolve_path(fs, &path)?;
        SourceLang::from_path(&found).is_some().then_some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::DiskFs;
    use std::path::Path;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn specifiers_split_into_name_and_subpath() {
        assert_eq!(split_specifier("@a/b"), ("@a/b", ""));
        assert_eq!(split_specifier("@a/b/c/d"), ("@a/b", "c/d"));
        assert_eq!(split_specifier("a"), ("a", ""));
        assert_eq!(split_specifier("a/b"), ("a", "b"));
        assert_eq!(split_specifier("@a"), ("@a", ""));
    }

    #[test]
    fn resolves_exports_main_subpaths_and_source_fallbacks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "p/exp/package.json",
            r#"{"name":"@r/exp","exports":{".":{"types":"./dist/index.d.ts","import":"./dist/index.js"},"./util":"./src/util.ts","./h/*":"./src/h/*.ts"}}"#,
        );
        write(root, "p/exp/src/index.ts", "export const a = 1;");
        write(root, "p/exp/src/util.ts", "export const u = 1;");
        write(root, "p/exp/src/h/x.ts", "export const x = 1;");
        write(
            root,
            "p/main/package.json",
            r#"{"name":"m","main":"lib/entry.js"}"#,
        );
        write(root, "p/main/lib/entry.ts", "export const e = 1;");
        write(root, "p/sub/package.json", r#"{"name":"@r/sub"}"#);
        write(root, "p/sub/src/handler.ts", "export const h = 1;");
        write(root, "p/dup1/package.json", r#"{"name":"dup"}"#);
        write(root, "p/dup2/package.json", r#"{"name":"dup"}"#);
        write(
            root,
            "p/built/package.json",
            r#"{"name":"built","main":"dist/x.js"}"#,
        );
        let fs = DiskFs::new(root);
        let manifests: Vec<PathBuf> = ["exp", "main", "sub", "dup1", "dup2", "built"]
            .iter()
            .map(|n| root.join(format!("p/{n}/package.json")))
            .collect();
        let pk = Packages::load(&manifests, &fs);
        let m = |p: &str| PackageImport::Module(root.join(p));
        // `dist/index.d.ts` stands for `dist/index.ts`: absent, so the `src/index` fallback.
        assert_eq!(pk.resolve("@r/exp", &fs), m("p/exp/src/index.ts"));
        assert_eq!(pk.resolve("@r/exp/util", &fs), m("p/exp/src/util.ts"));
        assert_eq!(pk.resolve("@r/exp/h/x", &fs), m("p/exp/src/h/x.ts"));
        assert_eq!(pk.resolve("m", &fs), m("p/main/lib/entry.ts"));
        assert_eq!(
            pk.resolve("@r/sub/src/handler", &fs),
            m("p/sub/src/handler.ts")
        );
        assert_eq!(pk.resolve("dup", &fs), PackageImport::Unresolved);
        assert_eq!(pk.resolve("built", &fs), PackageImport::Unresolved);
        assert_eq!(pk.resolve("hono", &fs), PackageImport::External);
    }
}
