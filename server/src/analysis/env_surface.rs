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

/// The env surface of worker `w`; `worker_dirs` holds every worker's folder.
pub fn env_surface<'a>(
    ix: &'a Index,
    w: usize,
    worker_dirs: &foldhash::HashSet<&Path>,
) -> EnvSurface<'a> {
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
    // A file belongs to the worker whose folder most closely holds it; a file in a parent
    // folder (a monorepo's shared types) belongs to every worker below.
    // For a folder `d` inside `dir`: whether another worker's folder lies between them (`d`
    // included), looked up by folder rather than compared with every worker's.
    let deeper_worker_holds = |d: &Path| {
        d.ancestors()
            .take_while(|a| *a != dir)
            .any(|a| worker_dirs.contains(a))
    };
    let related = |p: &Path| {
        p.parent().is_some_and(|d| {
            (d.starts_with(dir) && !deeper_worker_holds(d)) || (dir.starts_with(d) && d != dir)
        })
    };
    for (path, members) in &ix.ws.support.declarations {
        if !related(path) {
            continue;
        }
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
    for (path, names) in &ix.ws.support.tests {
        if path
            .parent()
            .is_some_and(|d| d.starts_with(dir) && !deeper_worker_holds(d))
        {
            s.test_reads.extend(names.iter().map(String::as_str));
        }
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
