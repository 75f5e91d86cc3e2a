//! `unknown-binding`: code reads `env.X` but the worker declares no binding, var or secret `X`
//! in any environment. A module shared by several workers is reported only when none of them
//! declares `X`.
//!
//! Graded by evidence ([`crate::analysis::env_surface`]): a name accounted for elsewhere (an
//! env type's var or secret, a `.dev.vars.example` key, a write, a guarded read) is not a
//! finding; a name an env type declares as a binding, a near miss of a declared name, or a
//! name the code calls a binding's method on (a var or secret is a string) is a warning; any
//! other name is only `info` ("not in this workspace"), and nothing at all where a package may
//! inject names or where vars live in the dashboard (`keep_vars`).

use super::Ctx;
use crate::analysis::diagnostics::Severity;
use crate::base::near_miss;
use std::collections::BTreeSet;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let surfaces = cx.env_surfaces();
    for first in 0..ix.workers.len() {
        for module in ix.worker_modules(first) {
            let (file, workers) = (module.path, module.workers);
            // Each module once, under the first worker that contains it.
            if workers.first() != Some(&first) {
                continue;
            }
            // The module's reads, against the env surfaces of the workers that contain it.
            if !cx.unit(workers.iter().copied()) {
                continue;
            }
            let Some(summary) = module.doc.and_then(|d| d.summary()) else {
                continue;
            };
            let of = |w: &usize| &surfaces[*w];
            for access in &summary.env_accesses {
                let name = access.name.value.as_str();
                if access.guarded || workers.iter().any(|w| of(w).known(name) || of(w).open) {
                    continue;
                }
                let worker_names: Vec<String> = workers
                    .iter()
                    .filter_map(|&w| ix.worker(w).envs[0].name.clone())
                    .map(|n| format!("`{n}`"))
                    .collect();
                let who = if worker_names.is_empty() {
                    "`?`".to_string()
                } else {
                    worker_names.join(", ")
                };
                if let Some((ty, decl)) = workers
                    .iter()
                    .find_map(|w| of(w).typed_bindings.get(name).copied())
                {
                    cx.report(
                        "unknown-binding",
                        file,
                        access.name.range,
                        format!(
                            "`env.{name}` is typed `{ty}` (in `{}`), but worker {who} binds no `{name}`: it is undefined at run time",
                            crate::project::relative(&ix.ws.root, decl)
                        ),
                    )
                    .suggest(
                        near_miss(name, workers.iter().flat_map(|w| of(w).declared.iter().copied()))
                            .into_iter()
                            .collect(),
                    );
                    continue;
                }
                let declared: BTreeSet<&str> = workers
                    .iter()
                    .flat_map(|w| of(w).declared.iter().copied())
                    .collect();
                let near = near_miss(name, declared.iter().copied());
                if let Some(meant) = near {
                    cx.report(
                        "unknown-binding",
                        file,
                        access.name.range,
                        format!("`env.{name}` is not declared by worker {who}; `{meant}` is"),
                    )
                    .suggest(vec![meant]);
                    continue;
                }
                // A package may inject names the sources never spell.
                if workers.iter().any(|w| of(w).injected) {
                    continue;
                }
                if let Some(method) = workers
                    .iter()
                    .find_map(|w| of(w).used_as_binding.get(name).copied())
                {
                    // A var or secret is a string: the code expects a binding.
                    let assets = workers.iter().any(|w| of(w).assets_without_binding);
                    let hint = if assets && name.eq_ignore_ascii_case("assets") {
                        format!(
                            "; its `assets` table has no `binding` (add `binding = \"{name}\"`)"
                        )
                    } else {
                        String::new()
                    };
                    cx.report(
                        "unknown-binding",
                        file,
                        access.name.range,
                        format!(
                            "`env.{name}` is used as a binding (`.{method}()`), but worker {who} binds no `{name}`{hint}: it is undefined at run time"
                        ),
                    );
                    continue;
                }
                if workers.iter().any(|w| of(w).keep_vars) {
                    continue;
                }
                cx.report(
                    "unknown-binding",
                    file,
                    access.name.range,
                    format!(
                        "`env.{name}` is not declared in this workspace: worker {who} has no binding, var or secret named `{name}` (if it is set in the dashboard, list it in `.dev.vars.example` or in `interface Env`)"
                    ),
                )
                .at_most(Severity::Info);
            }
        }
    }
}
