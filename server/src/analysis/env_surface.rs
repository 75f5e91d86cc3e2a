//! What is known about a worker's env, from its config, its code and the files around it:
//! the evidence `unknown-binding` and `unused-binding` grade their findings by.
//!
//! A name the config does not declare is usually declared somewhere the checker cannot see
//! (a dashboard secret, a binding a library reads): only a near miss of a declared name, or a
//! name an env type declares as a binding, is strong evidence of a mistake.

use crate::analysis::index::Index;
use crate::analysis::workspace::SourceDoc;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Default)]
pub struct EnvSurface<'a> {
    /// Names the config declares in any environment: bindings of every kind, vars, secrets
    /// (`.dev.vars`, `.env`, their examples, `secrets.required`).
    pub declared: BTreeSet<&'a str>,
    /// Names the code assigns itself (`env.X = ...`).
    pub written: BTreeSet<&'a str>,
    /// Names read behind a guard or with a default somewhere (`if (env.X)`, `env.X ?? d`).
    pub optional: BTreeSet<&'a str>,
    /// Names an env type declares as a var or secret (a string, a literal union, ...): they
    /// may be set in the dashboard.
    pub typed: BTreeSet<&'a str>,
    /// Names an env type declares with a binding type, with that type and the declaring file.
    pub typed_bindings: BTreeMap<&'a str, (&'a str, &'a Path)>,
    /// Whether some reads of env are hidden: env handed whole to a package or read by a
    /// computed name, a default export built by a package, a module that was not read, a
    /// workspace package that cannot be followed.
    pub hidden_reads: bool,
    /// Whether a package may inject names into env (a default export built by a package,
    /// env handed whole to a package).
    pub injected: bool,
    /// `keep_vars = true`: vars live in the dashboard too.
    pub keep_vars: bool,
    /// Names read by test modules inside the worker's folder (`env` from `cloudflare:test`).
    pub test_reads: BTreeSet<&'a str>,
    /// Names the code calls a binding's method on (`env.X.fetch()`, a Durable Object stub):
    /// a var or secret is a string, so such a name must be a binding. With the method.
    pub used_as_binding: BTreeMap<&'a str, &'a str>,
    /// `declared`, `written`, `optional` and `typed` in one set, for [`EnvSurface::known`]
    /// (asked for every read of env): filled by [`env_surface`] once the four are complete.
    known: foldhash::HashSet<&'a str>,
    /// Whether the config has an `assets` table without a `binding`.
    pub assets_without_binding: bool,
    /// Whether the declaration's bindings are not all known (a TypeScript declaration spreads
    /// or computes some): no unknown name is evidence of anything.
    pub open: bool,
}

/// Methods of strings: calling one on `env.X` is no evidence that `X` is a binding. A `match`
/// (asked for every call on env of every worker; a scan of a list compared each name in turn).
fn is_string_method(name: &str) -> bool {
    matches!(
        name,
        "at" | "charAt"
            | "charCodeAt"
            | "codePointAt"
            | "concat"
            | "endsWith"
            | "includes"
            | "indexOf"
            | "lastIndexOf"
            | "localeCompare"
            | "match"
            | "matchAll"
            | "normalize"
            | "padEnd"
            | "padStart"
            | "repeat"
            | "replace"
            | "replaceAll"
            | "search"
            | "slice"
            | "split"
            | "startsWith"
            | "substring"
            | "substr"
            | "toLocaleLowerCase"
            | "toLocaleUpperCase"
            | "toLowerCase"
            | "toString"
            | "toUpperCase"
            | "trim"
            | "trimEnd"
            | "trimStart"
            | "valueOf"
    )
}

impl EnvSurface<'_> {
    /// Whether the name is accounted for without a config declaration.
    pub fn known(&self, name: &str) -> bool {
        self.known.contains(name)
    }
}

/// Which support files (env type declarations, test modules) lie near which worker folder,
/// built once for all the workers' [`env_surface`]s: a file belongs to the worker whose
/// folder most closely holds it, and a file in a folder above a worker's (a monorepo's shared
/// types) to every worker below. Looked up by folder, not compared with every file per
/// worker.
#[derive(Debug, Default)]
pub struct Folders<'a> {
    /// Declarations (indices into `support.declarations`) by the worker folder that most
    /// closely holds them.
    declarations_by_owner: foldhash::HashMap<&'a Path, Vec<usize>>,
    /// Declarations by the folder they lie in.
    declarations_by_dir: foldhash::HashMap<&'a Path, Vec<usize>>,
    /// Test modules (indices into `support.tests`) by the worker folder that most closely
    /// holds them.
    tests_by_owner: foldhash::HashMap<&'a Path, Vec<usize>>,
}

impl<'a> Folders<'a> {
    pub fn new(ix: &'a Index) -> Folders<'a> {
        let worker_dirs: foldhash::HashSet<&Path> =
            ix.workers.iter().map(|o| o.config.dir.as_path()).collect();
        let owner = |d: &'a Path| d.ancestors().find(|a| worker_dirs.contains(a));
        let mut f = Folders::default();
        for (i, (path, _)) in ix.ws.support.declarations.iter().enumerate() {
            let Some(d) = path.parent() else { continue };
            f.declarations_by_dir.entry(d).or_default().push(i);
            if let Some(o) = owner(d) {
                f.declarations_by_owner.entry(o).or_default().push(i);
            }
        }
        for (i, (path, _)) in ix.ws.support.tests.iter().enumerate() {
            if let Some(o) = path.parent().and_then(owner) {
                f.tests_by_owner.entry(o).or_default().push(i);
            }
        }
        f
    }

    /// The declarations that speak for the worker in `dir`, in their order: those it most
    /// closely holds and those in the folders above it.
    fn declarations(&self, dir: &Path) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .declarations_by_owner
            .get(dir)
            .into_iter()
            .flatten()
            .copied()
            .chain(
                dir.ancestors()
                    .skip(1)
                    .flat_map(|a| self.declarations_by_dir.get(a).into_iter().flatten())
                    .copied(),
            )
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The test modules the worker in `dir` most closely holds, in their order.
    fn tests(&self, dir: &Path) -> &[usize] {
        self.tests_by_owner.get(dir).map_or(&[], Vec::as_slice)
    }
}

/// The env surface of worker `w`; `folders` tells which support files lie near it.
pub fn env_surface<'a>(ix: &'a Index, w: usize, folders: &Folders<'_>) -> EnvSurface<'a> {
    let worker = ix.worker(w);
    let mut s = EnvSurface::default();
    for e in 0..worker.envs.len() {
        s.declared.extend(ix.declared_names((w, e)));
    }
    let top = &worker.config.file.top;
    s.keep_vars = top.keep_vars || worker.config.file.envs.iter().any(|e| e.keep_vars);
    s.assets_without_binding = top.assets_without_binding
        || worker
            .config
            .file
            .envs
            .iter()
            .any(|e| e.assets_without_binding);
    s.open = top.open_bindings || worker.config.file.envs.iter().any(|e| e.open_bindings);
    for module in ix.worker_modules(w) {
        let file = module.path;
        let Some(doc) = module.doc else {
            s.hidden_reads = true;
            continue;
        };
        if doc.has_unresolved_package() {
            s.hidden_reads = true;
        }
        let SourceDoc::Parsed { summary, .. } = doc else {
            s.hidden_reads = true;
            continue;
        };
        s.written
            .extend(summary.env_writes.iter().map(|w| w.value.as_str()));
        for call in &summary.env_calls {
            let binding_like = call.target == crate::source::CallTarget::Stub
                || !is_string_method(&call.method.value);
            if binding_like {
                s.used_as_binding
                    .entry(call.binding.value.as_str())
                    .or_insert(call.method.value.as_str());
            }
        }
        s.optional.extend(
            summary
                .env_accesses
                .iter()
                .filter(|a| a.guarded)
                .map(|a| a.name.value.as_str()),
        );
        for m in &summary.env_type_members {
            match &m.binding_type {
                Some(t) => {
                    s.typed_bindings
                        .entry(m.name.as_str())
                        .or_insert((t.as_str(), file.as_path()));
                }
                None => {
                    s.typed.insert(m.name.as_str());
                }
            }
        }
        if summary.env_escapes || summary.default_wrapped {
            s.hidden_reads = true;
            s.injected = true;
        }
        if summary.env_dynamic {
            s.hidden_reads = true;
        }
    }
    let dir = worker.config.dir.as_path();
    let support = &ix.ws.support;
    for i in folders.declarations(dir) {
        let (path, members) = &support.declarations[i];
        for m in members {
            match &m.binding_type {
                Some(t) => {
                    s.typed_bindings
                        .entry(m.name.as_str())
                        .or_insert((t.as_str(), path.as_path()));
                }
                None => {
                    s.typed.insert(m.name.as_str());
                }
            }
        }
    }
    for &i in folders.tests(dir) {
        s.test_reads
            .extend(support.tests[i].1.iter().map(String::as_str));
    }
    s.known = s
        .declared
        .iter()
        .chain(&s.written)
        .chain(&s.optional)
        .chain(&s.typed)
        .copied()
        .collect();
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Workspace;
    use crate::fixture::fixture;
    use crate::project::DiskFs;
    use std::sync::Arc;

    /// A worker nested in another's folder: each worker's own env types and tests are its
    /// own, the types of the folders above a worker (a monorepo's shared types) are every
    /// worker's below.
    #[test]
    fn support_files_belong_to_the_closest_worker_and_shared_types_to_all_below() {
        let f = fixture(
            r#"
//- /shared.d.ts
interface Env { SHARED: KVNamespace }
//- /outer/wrangler.toml
name = "outer"
main = "src/index.ts"
//- /outer/src/index.ts
export default { async fetch() { return new Response("ok"); } };
//- /outer/env.d.ts
interface Env { OUTER_T: string }
//- /outer/test/a.test.ts
import { env } from "cloudflare:test";
env.OUTER_TEST;
//- /outer/inner/wrangler.toml
name = "inner"
main = "src/index.ts"
//- /outer/inner/src/index.ts
export default { async fetch() { return new Response("ok"); } };
//- /outer/inner/types/env.d.ts
interface Env { INNER_T: string }
//- /outer/inner/test/b.test.ts
import { env } from "cloudflare:test";
env.INNER_TEST;
"#,
        );
        let fs = DiskFs::new(f.root());
        let ix = Index::new(Arc::new(Workspace::load(f.root(), &fs)));
        let folders = Folders::new(&ix);
        let by_name = |name: &str| {
            let w = (0..ix.workers.len())
                .find(|&w| {
                    ix.worker(w)
                        .config
                        .file
                        .top
                        .name
                        .as_ref()
                        .map(|n| n.value.as_str())
                        == Some(name)
                })
                .unwrap();
            env_surface(&ix, w, &folders)
        };
        let (outer, inner) = (by_name("outer"), by_name("inner"));
        let typed = |s: &EnvSurface| s.typed.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let tests = |s: &EnvSurface| {
            s.test_reads
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(typed(&outer), ["OUTER_T"]);
        assert_eq!(typed(&inner), ["INNER_T", "OUTER_T"]);
        for s in [&outer, &inner] {
            assert_eq!(s.typed_bindings.keys().collect::<Vec<_>>(), [&"SHARED"]);
        }
        // Every word of the closest worker's tests, none of another's.
        let words = ["cloudflare", "env", "from", "import", "test"];
        assert_eq!(tests(&outer), [&["OUTER_TEST"][..], &words].concat());
        assert_eq!(tests(&inner), [&["INNER_TEST"][..], &words].concat());
    }
}
