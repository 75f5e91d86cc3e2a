//! `unused-binding`: a declared binding that no source of the worker reads. Silent for workers
//! whose code hands the whole `env` to something the summary cannot follow.

use super::Ctx;
use crate::base::Spanned;
use std::collections::BTreeSet;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for w in 0..ix.workers.len() {
        let files = ix.worker_files(w);
        if files.is_empty() {
            continue;
        }
        let mut used = BTreeSet::new();
        let mut escapes = false;
        for f in files {
            match ix.summary(f) {
                Some(s) => {
                    escapes |= s.env_escapes;
                    used.extend(s.env_accesses.iter().map(|a| a.name.value.as_str()));
                }
                None => escapes = true,
            }
        }
        if escapes {
            continue;
        }
        let path = ix.worker(w).config.path.clone();
        for e in 0..ix.worker(w).envs.len() {
            let id = (w, e);
            let s = ix.section(id);
            let mut declared: Vec<(&Spanned<String>, &str)> = Vec::new();
            declared.extend(
                ix.services(id)
                    .iter()
                    .map(|b| (&b.binding, "service binding")),
            );
            declared.extend(
                ix.durable_objects(id)
                    .iter()
                    .map(|b| (&b.name, "Durable Object binding")),
            );
            declared.extend(
                ix.workflows(id)
                    .iter()
                    .map(|b| (&b.binding, "workflow binding")),
            );
            declared.extend(
                ix.queue_producers(id)
                    .iter()
                    .map(|b| (&b.binding, "queue binding")),
            );
            for (kind, list) in &s.other_bindings {
                declared.extend(list.iter().map(|b| (&b.binding, kind.as_str())));
            }
            for (name, kind) in declared {
                if !used.contains(name.value.as_str()) {
                    cx.report(
                        "unused-binding",
                        &path,
                        name.range,
                        format!(
                            "{kind} `{}` is never read by this worker's code",
                            name.value
                        ),
                    );
                }
            }
        }
    }
}
