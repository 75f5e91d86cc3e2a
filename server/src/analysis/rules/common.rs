//! Resolution steps several rules (and the IDE features) share.

use crate::analysis::index::{EnvId, Index};
use crate::base::{did_you_mean, Spanned, TextRange};
use crate::config::{ExportDecl, Migration, ServiceBinding};
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

/// Resolves a worker name as written in a config.
pub fn worker_target(ix: &Index, name: &str) -> Target {
    if let Some(id) = ix.lookup_name(name) {
        Target::Found(id)
    } else if ix.ws.settings.is_external_worker(name) || !ix.ws.workers_complete() {
        // A folder that could not be listed or a config that could not be read may hold it.
        Target::External
    } else {
        Target::Missing
    }
}

/// The worker environment a service binding calls, honouring the deprecated `environment`.
pub fn service_target(ix: &Index, binding: &ServiceBinding) -> Target {
    let Some(service) = &binding.service else {
        return Target::External;
    };
    match worker_target(ix, &service.value) {
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
        Some(s) => worker_target(ix, &s.value),
    }
}

/// "Did you mean" over every resolved worker name, preferring names of the same environment.
pub fn suggest_worker(ix: &Index, wanted: &str) -> Vec<String> {
    let mut names: Vec<&str> = ix.by_name.keys().map(String::as_str).collect();
    names.extend(ix.ws.settings.external_workers.iter().map(String::as_str));
    names.sort_unstable();
    did_you_mean(wanted, names)
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
/// the migrations. `None` when the worker declares neither.
pub fn do_state(ix: &Index, id: EnvId) -> Option<Replay> {
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
        cx.report(
            code,
            &ix.worker(r.id.0).config.path,
            r.class.range,
            format!(
                "worker `{host_name}` does not export {what} named `{}`",
                r.class.value
            ),
        )
        .suggest(suggestions);
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
