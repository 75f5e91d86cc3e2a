//! Resolution steps several rules (and the IDE features) share.

use crate::analysis::index::{EnvId, Index};
use crate::base::{did_you_mean, near_miss, Spanned, TextRange};
use crate::config::{ExportDecl, Migration, ServiceBinding};
use crate::declare::MigrationPolicy;
use std::collections::HashMap;

/// Where a reference to another worker leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Found(EnvId),
    /// Names no worker of the workspace.
    Missing,
    /// Declared external, or otherwise out of sight.
    External,
}

/// Resolves a worker name as written in worker `from`'s config: its own name is itself.
pub fn worker_target(ix: &Index, from: usize, name: &str) -> Target {
    if let Some(id) = ix.resolve_name(from, name) {
        Target::Found(id)
    } else if is_external_worker(ix, name)
        || !ix.ws.workers_complete()
        || ix.may_name_unknown_worker(name)
    {
        // A folder that could not be listed or a config that could not be read may hold it,
        // and a worker whose name is only partly known (`shop-api-<stage>`) may bear it.
        Target::External
    } else {
        Target::Missing
    }
}

/// Whether a worker name is known to exist outside the workspace: declared external in
/// `workers-lsp.toml`, or defined for tests by a vitest config (`miniflare.workers[].name`).
pub fn is_external_worker(ix: &Index, name: &str) -> bool {
    ix.ws.settings.is_external_worker(name)
        || ix
            .ws
            .support
            .vitest
            .iter()
            .any(|v| v.worker_names.iter().any(|n| n == name))
}

/// The worker environment a service binding of environment `from` calls, honouring the
/// deprecated `environment`. A `remote = true` binding calls a deployed worker: external.
pub fn service_target(ix: &Index, from: EnvId, binding: &ServiceBinding) -> Target {
    let Some(service) = &binding.service else {
        return Target::External;
    };
    if binding.remote {
        return Target::External;
    }
    match worker_target(ix, from.0, &service.value) {
        Target::Found(id) => match &binding.environment {
            Some(env) => match ix.sibling_env(id, Some(&env.value)) {
                Some(target) => Target::Found(target),
                None => Target::Missing,
            },
            None => Target::Found(id),
        },
        other => other,
    }
}

/// The worker environment hosting a class bound with an optional `script_name`.
pub fn host_target(ix: &Index, id: EnvId, script_name: Option<&Spanned<String>>) -> Target {
    match script_name {
        None => Target::Found(id),
        Some(s) => worker_target(ix, id.0, &s.value),
    }
}

/// Worker `w` and every worker its bindings lead to in any environment (service bindings,
/// Durable Object and workflow bindings): the workers whose sources a finding about what `w`
/// calls in other workers can depend on (a unit's `deps`, see [`super::Ctx::unit`]). Follows
/// from the configs alone.
pub fn worker_and_targets(ix: &Index, w: usize) -> Vec<usize> {
    let mut out = vec![w];
    for e in 0..ix.worker(w).envs.len() {
        let id = (w, e);
        let services = ix.services(id).iter().map(|b| service_target(ix, id, b));
        let objects = ix
            .durable_objects(id)
            .iter()
            .map(|b| host_target(ix, id, b.script_name.as_ref()));
        let workflows = ix
            .workflows(id)
            .iter()
            .map(|b| host_target(ix, id, b.script_name.as_ref()));
        for target in services.chain(objects).chain(workflows) {
            if let Target::Found((t, _)) = target {
                out.push(t);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The worker name a reference written in worker `from` most likely meant, when the
/// reference names no worker: a near miss ([`near_miss`]) of another worker's name. Never
/// `from`'s own names: a worker that binds a misspelt name rarely means itself.
pub fn suggest_worker(ix: &Index, from: usize, wanted: &str) -> Option<String> {
    let mut names: Vec<&str> = ix
        .by_name
        .iter()
        .filter(|(_, ids)| ids.iter().any(|(w, _)| *w != from) && !ix.all_patterns(ids))
        .filter(|(name, _)| {
            !ix.worker(from)
                .envs
                .iter()
                .any(|e| e.name.as_ref() == Some(*name))
        })
        .map(|(n, _)| n.as_str())
        .collect();
    names.extend(ix.ws.settings.external_workers.iter().map(String::as_str));
    names.sort_unstable();
    near_miss(wanted, names)
}

/// Reports a reference to a worker the workspace does not define (`unknown-service`,
/// `unknown-script`), graded by evidence: a near miss of another worker's name is a warning
/// with that suggestion; any other name may well be deployed from elsewhere, so it is only
/// `info`.
pub fn report_unknown_worker(
    cx: &mut super::Ctx<'_>,
    code: &'static str,
    from: usize,
    reference: &Spanned<String>,
    binding: Option<&str>,
    what: &str,
) {
    let ix = cx.index;
    let path = &ix.worker(from).config.path;
    // A binding named after another worker (`EXPORTED_HANDLER` for `exported-handler`) says
    // which worker was meant as plainly as a near miss does.
    let named_after = binding.and_then(|b| {
        let folded = fold_name(b);
        ix.by_name
            .iter()
            .filter(|(n, ids)| fold_name(n) == folded && !ix.all_patterns(ids))
            .map(|(n, _)| n)
            .find(|n| {
                !ix.worker(from)
                    .envs
                    .iter()
                    .any(|e| e.name.as_ref() == Some(*n))
            })
            .cloned()
    });
    if let (None, Some(meant), Some(b)) = (
        suggest_worker(ix, from, &reference.value),
        named_after.as_ref(),
        binding,
    ) {
        cx.report(
            code,
            path,
            reference.range,
            format!(
                "{what} `{}` names no worker of this workspace; the binding `{b}` is named after worker `{meant}`",
                reference.value
            ),
        )
        .suggest(vec![meant.clone()]);
        return;
    }
    match suggest_worker(ix, from, &reference.value) {
        Some(meant) => {
            cx.report(
                code,
                path,
                reference.range,
                format!(
                    "{what} `{}` names no worker of this workspace; `{meant}` is one",
                    reference.value
                ),
            )
            .suggest(vec![meant]);
        }
        None => {
            cx.report(
                code,
                path,
                reference.range,
                format!(
                    "{what} `{}` names no worker of this workspace (if it is deployed from elsewhere, list it under `[external] workers` in workers-lsp.toml)",
                    reference.value
                ),
            )
            .at_most(crate::analysis::Severity::Info);
        }
    }
}

/// A name without case, `-` or `_`: `EXPORTED_HANDLER` and `exported-handler` are one.
fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The family each worker belongs to: workers declared by one module, and workers connected
/// by any reference (a service, a Durable Object or workflow host, a tail consumer, a shared
/// queue) share one number. A name reaches what it resolves to ([`Index::candidates`]).
pub fn families(ix: &Index) -> Vec<usize> {
    let n = ix.workers.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent[ra] = rb;
        }
    };
    // The workers one TypeScript module declares (an `alchemy.run.ts` program) deploy
    // together.
    let mut modules: HashMap<&std::path::Path, usize> = HashMap::new();
    for (w, worker) in ix.workers.iter().enumerate() {
        match modules.get(worker.config.path.as_path()) {
            Some(&other) => union(&mut parent, w, other),
            None => {
                modules.insert(&worker.config.path, w);
            }
        }
    }
    let mut queues: HashMap<&str, usize> = HashMap::new();
    for id in ix.env_ids() {
        let w = id.0;
        let names = ix
            .services(id)
            .iter()
            .filter_map(|b| b.service.as_ref())
            .chain(
                ix.durable_objects(id)
                    .iter()
                    .filter_map(|b| b.script_name.as_ref()),
            )
            .chain(
                ix.workflows(id)
                    .iter()
                    .filter_map(|b| b.script_name.as_ref()),
            )
            .chain(ix.tail_consumers(id).iter().map(|t| &t.service));
        for name in names {
            // Only what the reference resolves to: a name shared by unrelated projects must
            // not join them. An ambiguous reference joins the equally likely targets of its
            // own project (a copy that kept the name), not those of other projects.
            let candidates = ix.candidates(w, &name.value);
            let project = |t: usize| {
                ix.ws
                    .support
                    .project_of(&ix.worker(t).config.dir, &ix.ws.root)
                    .to_path_buf()
            };
            let mine = project(w);
            for (t, _) in &candidates {
                if candidates.len() == 1 || project(*t) == mine {
                    union(&mut parent, w, *t);
                }
            }
        }
        let queue_names = ix
            .queue_producers(id)
            .iter()
            .filter_map(|p| p.queue.as_ref())
            .chain(ix.queue_consumers(id).iter().map(|c| &c.queue));
        for q in queue_names {
            match queues.get(q.value.as_str()) {
                Some(&other) => union(&mut parent, w, other),
                None => {
                    queues.insert(q.value.as_str(), w);
                }
            }
        }
    }
    (0..n).map(|w| find(&mut parent, w)).collect()
}

/// Durable Object class state after replaying a worker's migrations.
#[derive(Debug, Default)]
pub struct Replay {
    /// Live classes and the span of the step that created (or last renamed) each.
    pub live: HashMap<String, TextRange>,
    /// Classes deleted and not re-created, with the span of the deleting step.
    pub deleted: HashMap<String, TextRange>,
    /// Replay errors: span and message.
    pub errors: Vec<(TextRange, String)>,
}

/// Replays migrations the way wrangler applies them: within one entry, deleted -> renamed ->
/// new -> new_sqlite (transferred classes arrive as new).
pub fn replay(migrations: &[Migration]) -> Replay {
    let mut r = Replay::default();
    let mut tags: HashMap<&str, TextRange> = HashMap::new();
    for m in migrations {
        if let Some(tag) = &m.tag {
            if tags.contains_key(tag.value.as_str()) {
                r.errors.push((
                    tag.range,
                    format!("duplicate migration tag `{}`", tag.value),
                ));
            } else {
                tags.insert(&tag.value, tag.range);
            }
        }
        for c in &m.deleted_classes {
            if r.live.remove(&c.value).is_none() {
                r.errors.push((
                    c.range,
                    format!(
                        "`{}` is deleted but no earlier migration creates it",
                        c.value
                    ),
                ));
            } else {
                r.deleted.insert(c.value.clone(), c.range);
            }
        }
        for rc in &m.renamed_classes {
            if r.live.remove(&rc.from.value).is_none() {
                r.errors.push((
                    rc.from.range,
                    format!(
                        "`{}` is renamed but no earlier migration creates it",
                        rc.from.value
                    ),
                ));
            }
            if r.live.contains_key(&rc.to.value) {
                r.errors.push((
                    rc.to.range,
                    format!(
                        "`{}` is renamed to a class that already exists",
                        rc.to.value
                    ),
                ));
            }
            r.deleted.remove(&rc.to.value);
            r.live.insert(rc.to.value.clone(), rc.to.range);
        }
        let created = m
            .new_classes
            .iter()
            .chain(&m.new_sqlite_classes)
            .chain(m.transferred_classes.iter().map(|t| &t.to));
        for c in created {
            if r.live.contains_key(&c.value) {
                r.errors.push((
                    c.range,
                    format!("`{}` is created but already exists", c.value),
                ));
            }
            r.deleted.remove(&c.value);
            r.live.insert(c.value.clone(), c.range);
        }
    }
    r
}

/// Durable Object class state declared by the `exports` table.
pub fn replay_exports(exports: &[ExportDecl]) -> Replay {
    let mut r = Replay::default();
    for e in exports.iter().filter(|e| e.is_durable_object()) {
        match e.state.as_ref().map(|s| s.value.as_str()) {
            Some("deleted") => {
                r.deleted.insert(e.class.value.clone(), e.class.range);
            }
            Some("renamed") => {
                if let Some(to) = &e.renamed_to {
                    r.live.insert(to.value.clone(), to.range);
                }
            }
            _ => {
                r.live.insert(e.class.value.clone(), e.class.range);
            }
        }
    }
    r
}

/// The Durable Object state of an environment: from `exports` when it declares DOs, else from
/// the migrations. `None` when the worker declares neither, and for workers whose front-end
/// makes migrations itself (Alchemy): there is nothing to replay.
pub fn do_state(ix: &Index, id: EnvId) -> Option<Replay> {
    if ix.worker(id.0).config.frontend.migrations() == MigrationPolicy::Automatic {
        return None;
    }
    if let Some(exports) = ix.exports_decl(id) {
        if exports.iter().any(|e| e.is_durable_object()) {
            return Some(replay_exports(exports));
        }
    }
    ix.migrations(id).map(replay)
}

/// A `class_name` bound in one environment and the environment that hosts it (itself, or the
/// worker `script_name` names), for Durable Object and workflow bindings alike.
pub struct HostedClass<'a> {
    pub id: EnvId,
    /// The binding's name (`env.X`).
    pub binding: &'a Spanned<String>,
    pub class: &'a Spanned<String>,
    pub host: EnvId,
}

/// Every Durable Object binding whose host is a worker of the workspace.
pub fn durable_object_classes(ix: &Index) -> Vec<HostedClass<'_>> {
    ix.env_ids()
        .flat_map(|id| {
            ix.durable_objects(id).iter().filter_map(move |b| {
                let class = b.class_name.as_ref()?;
                match host_target(ix, id, b.script_name.as_ref()) {
                    Target::Found(host) => Some(HostedClass {
                        id,
                        binding: &b.name,
                        class,
                        host,
                    }),
                    _ => None,
                }
            })
        })
        .collect()
}

/// Every workflow binding whose host is a worker of the workspace.
pub fn workflow_classes(ix: &Index) -> Vec<HostedClass<'_>> {
    ix.env_ids()
        .flat_map(|id| {
            ix.workflows(id).iter().filter_map(move |b| {
                let class = b.class_name.as_ref()?;
                match host_target(ix, id, b.script_name.as_ref()) {
                    Target::Found(host) => Some(HostedClass {
                        id,
                        binding: &b.binding,
                        class,
                        host,
                    }),
                    _ => None,
                }
            })
        })
        .collect()
}

/// Reports each hosted class its host's main module does not export, suggesting the host's
/// exported classes of the expected kind first (`unknown-do-class`, `unknown-workflow-class`).
pub fn report_unexported(
    cx: &mut super::Ctx<'_>,
    code: &'static str,
    refs: &[HostedClass<'_>],
    base: crate::analysis::index::BaseKind,
    what: &str,
) {
    use crate::analysis::index::{ExportTarget, Resolved};
    let ix = cx.index;
    for r in refs {
        // The host's exports (and, for a class it does not export, every worker's).
        if !cx.unit([r.host.0]) {
            continue;
        }
        let Some(main) = &ix.env(r.host).main else {
            continue;
        };
        if ix.resolve_export(main, &r.class.value) != Resolved::Missing {
            continue;
        }
        let (names, complete) = ix.export_names(main);
        if !complete {
            continue;
        }
        let of_kind: Vec<&str> = names
            .iter()
            .filter(|n| matches!(ix.resolve_export(main, n), Resolved::Found(ExportTarget::Class(c)) if ix.class_info(&c).base == base))
            .map(String::as_str)
            .collect();
        let mut suggestions = did_you_mean(&r.class.value, of_kind);
        if suggestions.is_empty() {
            suggestions = did_you_mean(&r.class.value, names.iter().map(String::as_str));
        }
        let host_name = ix.env(r.host).name.clone().unwrap_or_default();
        let note = ix
            .worker(r.id.0)
            .config
            .frontend
            .hosting_note()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        // Another worker that does export it: the one the binding likely meant.
        cx.widen(0..ix.workers.len());
        let elsewhere = ix.env_ids().filter(|id| id.0 != r.host.0).find_map(|id| {
            let main = ix.env(id).main.as_ref()?;
            match ix.resolve_export(main, &r.class.value) {
                Resolved::Found(ExportTarget::Class(c)) if ix.class_info(&c).base == base => {
                    Some((id, c))
                }
                _ => None,
            }
        });
        let mut report = cx
            .report(
                code,
                &ix.worker(r.id.0).config.path,
                r.class.range,
                format!(
                    "worker `{host_name}` does not export {what} named `{}`{note}",
                    r.class.value
                ),
            )
            .suggest(suggestions);
        if let Some((id, c)) = elsewhere {
            if let Some(decl) = ix.class(&c) {
                report = report.related(
                    &c.file,
                    decl.name.range,
                    format!(
                        "`{}` is exported by worker `{}`",
                        r.class.value,
                        ix.env(id).name.clone().unwrap_or_default()
                    ),
                );
            }
        }
        let _ = report;
    }
}

/// The exported class a hosted reference resolves to in its host's main module.
pub fn hosted_class(ix: &Index, r: &HostedClass<'_>) -> Option<crate::analysis::index::ClassRef> {
    use crate::analysis::index::{ExportTarget, Resolved};
    match ix.resolve_export(ix.env(r.host).main.as_ref()?, &r.class.value) {
        Resolved::Found(ExportTarget::Class(c)) => Some(c),
        _ => None,
    }
}
