//! `unknown-binding`: code reads `env.X` but the worker declares no binding, var or secret `X`
//! in any environment. A module shared by several workers is reported only when none of them
//! declares `X`.

use super::Ctx;
use crate::base::did_you_mean;
use std::collections::BTreeSet;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let declared: Vec<BTreeSet<&str>> = (0..ix.workers.len())
        .map(|w| {
            let typed = ix
                .worker_files(w)
                .iter()
                .filter_map(|f| ix.summary(f))
                .flat_map(|s| s.env_type_members.iter().map(String::as_str));
            (0..ix.worker(w).envs.len())
                .flat_map(|e| ix.declared_names((w, e)))
                .chain(typed)
                .collect()
        })
        .collect();
    for first in 0..ix.workers.len() {
        for file in ix.worker_files(first) {
            let workers = ix.workers_of_file(file);
            // Each module once, under the first worker that contains it.
            if workers.first() != Some(&first) {
                continue;
            }
            let Some(summary) = ix.summary(file) else {
                continue;
            };
            for access in &summary.env_accesses {
                let name = access.name.value.as_str();
                if workers.iter().any(|&w| declared[w].contains(name)) {
                    continue;
                }
                let candidates: BTreeSet<&str> = workers
                    .iter()
                    .flat_map(|&w| declared[w].iter().copied())
                    .collect();
                let worker_names: Vec<String> = workers
                    .iter()
                    .filter_map(|&w| ix.worker(w).envs[0].name.clone())
                    .map(|n| format!("`{n}`"))
                    .collect();
                cx.report(
                "unknown-binding",
                file,
                access.name.range,
                format!(
                    "`env.{name}` is not declared by worker {} (no binding, var or secret named `{name}`)",
                    if worker_names.is_empty() { "`?`".to_string() } else { worker_names.join(", ") }
                ),
            )
            .suggest(did_you_mean(name, candidates));
            }
        }
    }
}
