//! The modules a set of TypeScript declarations reads, and the values their names stand for:
//! an identifier is followed to the `const` that binds it, also through an `import` of another
//! module of the set. Nothing is executed.

use super::expr::{read_module, ClassValue, Expr, ModuleValues, TemplatePart, TypeDecl};
use crate::base::TextRange;
use crate::project::{resolve_module, FileSystem};
use crate::source::SourceLang;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many imports deep a declaration's values are followed.
const MAX_IMPORT_DEPTH: usize = 4;
/// How many steps an identifier is followed (`a = b`, `b = c`, ...).
const MAX_STEPS: usize = 32;

/// A set of modules read for their values.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub modules: HashMap<PathBuf, Arc<ModuleValues>>,
    /// Each module's relative specifiers and the files they name.
    resolved: HashMap<(PathBuf, String), Option<PathBuf>>,
}

/// A string a value is known to be, and where it is spelt when it is one literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrValue {
    pub value: String,
    /// The literal's file and contents span: renames may edit it there. `None` when the value
    /// is put together (a template) or comes from a literal the reader cannot edit safely.
    pub literal: Option<(PathBuf, TextRange)>,
}

impl Program {
    /// Reads `entries` and every module they import, relative imports only, up to
    /// [`MAX_IMPORT_DEPTH`] deep.
    pub fn load(entries: &[PathBuf], fs: &dyn FileSystem) -> Program {
        Program::load_with(entries, fs, |_| true, |_| true)
    }

    /// [`Program::load`] where an entry is read only if `read(text)` and its imports are
    /// followed only if `follow(values)`: modules imported by an entry that declares nothing
    /// are never read.
    pub fn load_with(
        entries: &[PathBuf],
        fs: &dyn FileSystem,
        read: impl Fn(&str) -> bool,
        follow: impl Fn(&ModuleValues) -> bool,
    ) -> Program {
        let mut p = Program::default();
        // Entries read without following their imports: one that another module imports is
        // read again, in full.
        let mut unfollowed: std::collections::HashSet<PathBuf> = Default::default();
        // (path, depth, whether it is an entry the filters apply to)
        let mut frontier: Vec<(PathBuf, usize, bool)> =
            entries.iter().map(|e| (e.clone(), 0, true)).collect();
        let entry_set: std::collections::HashSet<&PathBuf> = entries.iter().collect();
        while let Some((path, mut depth, filtered)) = frontier.pop() {
            if p.modules.contains_key(&path) && (filtered || !unfollowed.remove(&path)) {
                continue;
            }
            if entry_set.contains(&path) {
                // An entry, also as imported: with an entry's whole depth.
                depth = 0;
            }
            let (Some(lang), Ok(text)) = (SourceLang::from_path(&path), fs.read_text(&path)) else {
                continue;
            };
            if filtered && !read(&text) {
                continue;
            }
            let values = read_module(&text, lang);
            if filtered && !follow(&values) {
                p.modules.insert(path.clone(), Arc::new(values));
                unfollowed.insert(path);
                continue;
            }
            let specifiers: Vec<String> = values
                .imports
                .iter()
                .chain(&values.type_imports)
                .map(|i| i.from.value.clone())
                .chain(values.reexports.iter().map(|(_, _, s)| s.clone()))
                .filter(|s| s.starts_with('.'))
                .collect();
            for s in specifiers {
                let target = resolve_module(fs, &path, &s);
                if let Some(t) = &target {
                    if depth < MAX_IMPORT_DEPTH {
                        frontier.push((t.clone(), depth + 1, false));
                    }
                }
                p.resolved.insert((path.clone(), s), target);
            }
            p.modules.insert(path, Arc::new(values));
        }
        p
    }

    pub fn module(&self, path: &Path) -> Option<&ModuleValues> {
        self.modules.get(path).map(|m| &**m)
    }

    /// The file a specifier of `from` names.
    pub fn resolve(&self, from: &Path, specifier: &str) -> Option<&Path> {
        self.resolved
            .get(&(from.to_path_buf(), specifier.to_string()))
            .and_then(|p| p.as_deref())
    }

    /// Follows identifiers (and `await`) to the expression they stand for: a `const` of the
    /// same module, or an exported `const` of an imported one. Returns the module the
    /// expression is written in. Anything else is returned as it is.
    pub fn deref<'p>(&'p self, file: &'p Path, expr: &'p Expr) -> (&'p Path, &'p Expr) {
        let (mut file, mut expr) = (file, expr);
        for _ in 0..MAX_STEPS {
            let e = expr.awaited();
            let Expr::Ident { name, .. } = e else {
                return (file, e);
            };
            match self.binding(file, name) {
                Some(next) => (file, expr) = next,
                None => return (file, e),
            }
        }
        (file, expr.awaited())
    }

    /// The value a top-level name of `file` is bound to, following imports.
    pub fn binding<'p>(&'p self, file: &'p Path, name: &str) -> Option<(&'p Path, &'p Expr)> {
        let module = self.module(file)?;
        if let Some(v) = module.const_value(name) {
            return Some((file, v));
        }
        let import = module.import(name)?;
        let target = self.resolve(file, &import.from.value)?;
        self.export(target, &import.imported, 0)
    }

    /// The value a module exports under `name`, through `export { a as b }` and re-exports.
    pub fn export<'p>(
        &'p self,
        file: &'p Path,
        name: &str,
        depth: usize,
    ) -> Option<(&'p Path, &'p Expr)> {
        if depth > MAX_STEPS {
            return None;
        }
        let module = self.module(file)?;
        if name == "default" {
            return module.default.as_ref().map(|d| (file, d));
        }
        if let Some((_, local)) = module.exports.iter().find(|(e, _)| e == name) {
            return module.const_value(local).map(|v| (file, v));
        }
        let (_, imported, from) = module.reexports.iter().find(|(e, _, _)| e == name)?;
        let target = self.resolve(file, from)?;
        self.export(target, imported, depth + 1)
    }

    /// The top-level class a name of `file` denotes: declared there, or imported from a module
    /// of the set (by name, or as its default export), through re-exports.
    pub fn class<'p>(&'p self, file: &'p Path, name: &str) -> Option<(&'p Path, &'p ClassValue)> {
        let module = self.module(file)?;
        if let Some(c) = module.class(name) {
            return Some((file, c));
        }
        let import = module.import(name)?;
        let target = self.resolve(file, &import.from.value)?;
        self.exported_class(target, &import.imported, 0)
    }

    /// The class a module exports under `name` (`default` included).
    pub fn exported_class<'p>(
        &'p self,
        file: &'p Path,
        name: &str,
        depth: usize,
    ) -> Option<(&'p Path, &'p ClassValue)> {
        if depth > MAX_STEPS {
            return None;
        }
        let module = self.module(file)?;
        if name == "default" {
            if let Some(c) = module.classes.iter().find(|c| c.default) {
                return Some((file, c));
            }
            if let Some(Expr::Ident { name: local, .. }) = &module.default {
                return self.class(file, local);
            }
        } else if let Some(c) = module
            .classes
            .iter()
            .find(|c| c.exported && !c.default && c.name.value == name)
        {
            return Some((file, c));
        }
        if let Some((_, local)) = module.exports.iter().find(|(e, _)| e == name) {
            return self.class(file, local);
        }
        let (_, imported, from) = module.reexports.iter().find(|(e, _, _)| e == name)?;
        let target = self.resolve(file, from)?;
        self.exported_class(target, imported, depth + 1)
    }

    /// The interface or type alias a name of `file` denotes: declared there, or imported (also
    /// with `import type`) from a module of the set.
    pub fn type_decl<'p>(&'p self, file: &'p Path, name: &str) -> Option<(&'p Path, &'p TypeDecl)> {
        let module = self.module(file)?;
        if let Some(t) = module.type_decl(name) {
            return Some((file, t));
        }
        let import = module
            .type_imports
            .iter()
            .chain(&module.imports)
            .find(|i| i.local == name)?;
        let target = self.resolve(file, &import.from.value)?;
        let m = self.module(target)?;
        m.types
            .iter()
            .find(|t| t.exported && t.name.value == import.imported)
            .map(|t| (target, t))
    }

    /// The `(file, name)` of the top-level binding an identifier refers to, through imports:
    /// the identity of a declared worker or resource.
    pub fn identity<'p>(&'p self, file: &'p Path, expr: &'p Expr) -> Option<(PathBuf, TextRange)> {
        let (f, e) = self.deref(file, expr);
        match e {
            Expr::Ident { .. } | Expr::Unknown { .. } => None,
            other => Some((f.to_path_buf(), other.range())),
        }
    }

    /// The string an expression is known to be: a literal, a `const` holding one (also
    /// imported), or a template literal whose every part is known.
    pub fn string(&self, file: &Path, expr: &Expr) -> Option<StrValue> {
        self.string_in(file, expr, 0)
    }

    fn string_in(&self, file: &Path, expr: &Expr, depth: usize) -> Option<StrValue> {
        if depth > MAX_STEPS {
            return None;
        }
        let (f, e) = self.deref(file, expr);
        match e {
            Expr::Str { value, range } => Some(StrValue {
                value: value.clone(),
                literal: Some((f.to_path_buf(), *range)),
            }),
            Expr::Template { parts, .. } => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        TemplatePart::Text(t) => out.push_str(t),
                        TemplatePart::Expr(e) => {
                            out.push_str(&self.string_in(f, e, depth + 1)?.value)
                        }
                    }
                }
                Some(StrValue {
                    value: out,
                    literal: None,
                })
            }
            Expr::Member {
                object, property, ..
            } => {
                // `NAMES.api` where `NAMES` is an object literal.
                let (of, o) = self.deref(f, object);
                let v = o.get(&property.value)?;
                self.string_in(of, v, depth + 1)
            }
            _ => None,
        }
    }

    /// The package a callee comes from and its path inside: `Worker` imported from
    /// `alchemy/cloudflare` -> (`alchemy/cloudflare`, `["Worker"]`); `Cloudflare.Worker` with
    /// `import * as Cloudflare from "alchemy/Cloudflare"` -> (`alchemy/Cloudflare`,
    /// `["Worker"]`).
    pub fn imported_callee<'p>(
        &'p self,
        file: &Path,
        callee: &'p Expr,
    ) -> Option<(&'p str, Vec<&'p str>)> {
        let path = callee.path()?;
        let module = self.module(file)?;
        let (head, rest) = path.split_first()?;
        let import = module.import(head)?;
        let mut out = Vec::new();
        if import.imported != "*" && import.imported != "default" {
            out.push(import.imported.as_str());
        }
        out.extend(rest.iter().copied());
        Some((import.from.value.as_str(), out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::fixture;
    use crate::project::DiskFs;

    /// Candidates that cannot declare workers cost no parse and no reads of their imports,
    /// and a candidate another module imports is still read in full.
    #[test]
    fn candidates_without_a_front_end_are_not_followed() {
        let f = fixture(
            r#"
//- /alchemy.run.ts
import { app } from "./infra/app";
import { Worker } from "alchemy/cloudflare";
export const w = await Worker("w", { bindings: { A: app } });
//- /infra/app.ts
// Deployed with alchemy (a comment: no import of a front-end).
import { NAME } from "./names";
export const app = NAME;
//- /infra/names.ts
export const NAME = "app";
//- /tsup.config.ts
import { helper } from "./helper";
export default { entry: ["src/alchemy-docs.ts"], helper };
//- /helper.ts
export const helper = 1;
//- /vite.config.ts
import { big } from "./big";
export default big;
//- /big.ts
export const big = 1;
"#,
        );
        let root = f.root().to_path_buf();
        let fs = DiskFs::new(&root);
        let entries: Vec<PathBuf> = [
            "alchemy.run.ts",
            "infra/app.ts",
            "tsup.config.ts",
            "vite.config.ts",
        ]
        .iter()
        .map(|e| root.join(e))
        .collect();
        let p = Program::load_with(&entries, &fs, crate::declare::may_import_front_end, |m| {
            !crate::declare::front_ends_of(m).is_empty()
        });
        let mut read: Vec<String> = p
            .modules
            .keys()
            .map(|k| k.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        read.sort();
        assert_eq!(
            read,
            [
                "alchemy.run.ts",
                "infra/app.ts",
                "infra/names.ts",
                "tsup.config.ts"
            ]
        );
        // Everything is read without the filters.
        assert_eq!(Program::load(&entries, &fs).modules.len(), 7);
    }

    /// A candidate the filters leave unread, or read without its imports, keeps an entry's
    /// whole import depth when a declaring module imports it.
    #[test]
    fn an_imported_candidate_keeps_an_entrys_depth() {
        for comment in ["", "// deployed with alchemy\n"] {
            let f = fixture(&format!(
                r#"
//- /alchemy.run.ts
import {{ a }} from "./infra/config";
import {{ Worker }} from "alchemy/cloudflare";
export const w = await Worker("w", {{ name: a }});
//- /infra/config.ts
{comment}import {{ a }} from "./a";
export {{ a }};
//- /infra/a.ts
export {{ a }} from "./b";
//- /infra/b.ts
export {{ a }} from "./c";
//- /infra/c.ts
export {{ a }} from "./d";
//- /infra/d.ts
export const a = "deep";
"#
            ));
            let root = f.root().to_path_buf();
            let fs = DiskFs::new(&root);
            let entries = [root.join("alchemy.run.ts"), root.join("infra/config.ts")];
            let p = Program::load_with(&entries, &fs, crate::declare::may_import_front_end, |m| {
                !crate::declare::front_ends_of(m).is_empty()
            });
            assert!(p.module(&root.join("infra/d.ts")).is_some(), "{comment:?}");
        }
    }

    #[test]
    fn follows_consts_imports_reexports_and_templates() {
        let f = fixture(
            r#"
//- /alchemy.run.ts
import { NAMES, shared } from "./names";
import { Worker } from "alchemy/cloudflare";
const ID = "api";
const api = await Worker(ID, { name: `${NAMES.prefix}-${ID}`, bindings: { S: shared } });
const other = api;
//- /names.ts
export { NAMES } from "./deep";
export const shared = await KVNamespace("shared");
//- /deep.ts
export const NAMES = { prefix: "shop" };
"#,
        );
        let root = f.root().to_path_buf();
        let fs = DiskFs::new(&root);
        let main = root.join("alchemy.run.ts");
        let p = Program::load(std::slice::from_ref(&main), &fs);
        assert_eq!(p.modules.len(), 3);
        let m = p.module(&main).unwrap();
        let api = m.const_value("api").unwrap().awaited();
        let Expr::Call { args, callee, .. } = api else {
            panic!()
        };
        assert_eq!(
            p.imported_callee(&main, callee),
            Some(("alchemy/cloudflare", vec!["Worker"]))
        );
        let id = p.string(&main, &args[0]).unwrap();
        assert_eq!(id.value, "api");
        assert_eq!(id.literal.as_ref().map(|(f, _)| f), Some(&main));
        let name = p.string(&main, args[1].get("name").unwrap()).unwrap();
        assert_eq!(name.value, "shop-api");
        assert_eq!(name.literal, None);
        // Identity through a const alias and through an import.
        let s = args[1].get("bindings").unwrap().get("S").unwrap();
        let (file, _) = p.identity(&main, s).unwrap();
        assert_eq!(file, root.join("names.ts"));
        let alias = m.const_value("other").unwrap();
        assert_eq!(
            p.identity(&main, alias),
            p.identity(&main, m.const_value("api").unwrap())
        );
    }
}
