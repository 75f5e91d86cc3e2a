//! `unused-binding`: a declared binding that no source of the worker (or of its tests) reads.
//! Silent for workers whose reads are not all visible: env handed whole to a package, read by
//! a computed name, a default export built by a package, a module or workspace package that
//! could not be read.

use super::common::durable_object_classes;
use super::Ctx;
use crate::base::Spanned;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let hosted = durable_object_classes(ix);
    let surfaces = cx.env_surfaces();
    for w in 0..ix.workers.len() {
        // What `w` binds and what its own modules read.
        if !cx.unit([w]) {
            continue;
        }
        let files = ix.worker_files(w);
        if files.is_empty() {
            continue;
        }
        let surface = &surfaces[w];
        if surface.hidden_reads {
            continue;
        }
        // Only asked whether it holds a name: a hash set (built for every worker per check).
        let mut used: foldhash::HashSet<&str> = surface.test_reads.iter().copied().collect();
        for module in ix.worker_modules(w) {
            if let Some(s) = module.doc.and_then(|d| d.summary()) {
                used.extend(s.env_accesses.iter().map(|a| a.name.value.as_str()));
                used.extend(s.env_calls.iter().map(|c| c.binding.value.as_str()));
            }
        }
        let path = ix.worker(w).config.path.clone();
        for e in 0..ix.worker(w).envs.len() {
            let id = (w, e);
            let s = ix.section(id);
            // Bound by the code that uses them (Alchemy's Effect workers).
            if s.bound_by_use {
                continue;
            }
            let mut declared: Vec<(&Spanned<String>, &str)> = Vec::new();
            declared.extend(
                ix.services(id)
                    .iter()
                    .map(|b| (&b.binding, "service binding")),
            );
            // Where a local binding is what exports the class (Devflare), it is in use while
            // another worker binds the class hosted here.
            let hosts_for_others = |b: &crate::config::DurableObjectBinding| {
                ix.worker(w).config.frontend.binding_hosts_class()
                    && b.script_name.is_none()
                    && b.class_name.as_ref().is_some_and(|c| {
                        hosted
                            .iter()
                            .any(|h| h.id.0 != w && h.host.0 == w && h.class.value == c.value)
                    })
            };
            declared.extend(
                ix.durable_objects(id)
                    .iter()
                    .filter(|b| !hosts_for_others(b))
                    .map(|b| (&b.name, "Durable Object binding")),
            );
            // A workflow this worker hosts is created by its `workflows` entry, read or not.
            declared.extend(
                ix.workflows(id)
                    .iter()
                    .filter(|b| b.script_name.is_some())
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
