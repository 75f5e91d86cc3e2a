//! Code lenses and inlay hints: what a person reading a class or a config would otherwise look
//! up in another worker's files.
//!
//! - Above a `WorkerEntrypoint`, Durable Object or workflow class that a worker exports: "bound
//!   by N workers", with the config entries that bind it (the lens opens them as references).
//! - Beside a config's `name`: the name each environment deploys as; and beside an environment
//!   whose name is derived (`<name>-<env>`), that name. Beside a declared worker whose name is
//!   not spelt where it is spanned (Alchemy's default `${app}-${id}-${stage}`, shown at the id
//!   as `shop-web-<stage>`), that name.

use super::navigation::class_users;
use super::resolve::workers_of_config;
use super::NavTarget;
use crate::analysis::index::{BaseKind, ClassRef, DefaultInfo, ExportTarget, Index, Resolved};
use crate::analysis::rules::common::{service_target, Target};
use crate::base::TextRange;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// A lens above a class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lens {
    /// The class name.
    pub range: TextRange,
    /// "bound by 2 workers".
    pub title: String,
    /// The config entries that bind the class, in file order.
    pub locations: Vec<NavTarget>,
}

/// A hint shown after `offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub tooltip: String,
}

/// The classes of `file` that a worker of the workspace exports as an entrypoint, a Durable
/// Object or a workflow.
fn exported_classes(ix: &Index, file: &Path) -> Vec<ClassRef> {
    let Some(summary) = ix.summary(file) else {
        return Vec::new();
    };
    let here: Vec<ClassRef> = (0..summary.classes.len())
        .map(|index| ClassRef {
            file: file.to_path_buf(),
            index,
        })
        .filter(|c| {
            matches!(
                ix.class_info(c).base,
                BaseKind::WorkerEntrypoint | BaseKind::DurableObject | BaseKind::WorkflowEntrypoint
            )
        })
        .collect();
    if here.is_empty() {
        return here;
    }
    let mut exported = HashSet::new();
    let mains: BTreeSet<&Path> = ix
        .workers
        .iter()
        .flat_map(|w| w.envs.iter().filter_map(|e| e.main.as_deref()))
        .collect();
    for main in mains {
        if let DefaultInfo::Class(c) = ix.default_export(main) {
            if c.file == file {
                exported.insert(c);
            }
        }
        for name in ix.export_names(main).0 {
            if let Resolved::Found(ExportTarget::Class(c)) = ix.resolve_export(main, &name) {
                if c.file == file {
                    exported.insert(c);
                }
            }
        }
    }
    here.into_iter().filter(|c| exported.contains(c)).collect()
}

/// Service bindings without an `entrypoint` call their target's default export.
fn default_users(ix: &Index, class: &ClassRef) -> Vec<(usize, NavTarget)> {
    let mut out = Vec::new();
    for id in ix.env_ids() {
        for b in ix.services(id).iter().filter(|b| b.entrypoint.is_none()) {
            let Target::Found(t) = service_target(ix, id, b) else {
                continue;
            };
            let Some(main) = ix.env(t).main.as_ref() else {
                continue;
            };
            if ix.resolve_export(main, "default")
                == Resolved::Found(ExportTarget::Class(class.clone()))
            {
                let range = b.service.as_ref().map_or(b.binding.range, |s| s.range);
                let path = ix.worker(id.0).config.path.clone();
                out.push((
                    id.0,
                    NavTarget {
                        file: path,
                        full_range: range,
                        focus_range: range,
                    },
                ));
            }
        }
    }
    out
}

pub fn code_lenses(ix: &Index, file: &Path) -> Vec<Lens> {
    let mut out = Vec::new();
    for class in exported_classes(ix, file) {
        let Some(decl) = ix.class(&class) else {
            continue;
        };
        let mut users: Vec<(usize, NavTarget)> = class_users(ix, &class)
            .into_iter()
            .map(|u| {
                let path = ix.worker(u.id.0).config.path.clone();
                (
                    u.id.0,
                    NavTarget {
                        file: path,
                        full_range: u.range,
                        focus_range: u.range,
                    },
                )
            })
            .collect();
        users.extend(default_users(ix, &class));
        let workers: BTreeSet<usize> = users.iter().map(|(w, _)| *w).collect();
        let mut locations: Vec<NavTarget> = users.into_iter().map(|(_, t)| t).collect();
        locations.sort_by(|a, b| (&a.file, a.focus_range).cmp(&(&b.file, b.focus_range)));
        locations.dedup();
        let title = match workers.len() {
            0 => "bound by no worker".to_string(),
            1 => "bound by 1 worker".to_string(),
            n => format!("bound by {n} workers"),
        };
        out.push(Lens {
            range: decl.name.range,
            title,
            locations,
        });
    }
    out
}

/// Hints in a config, within `range` of its text.
pub fn inlay_hints(ix: &Index, file: &Path, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    for w in workers_of_config(ix, file) {
        worker_hints(ix, w, &mut out);
    }
    out.retain(|h| range.touches(h.offset));
    out.sort_by_key(|h| h.offset);
    out
}

fn worker_hints(ix: &Index, w: usize, out: &mut Vec<InlayHint>) {
    let worker = ix.worker(w);
    let Some(top_name) = worker.config.file.top.name.as_ref() else {
        return;
    };
    let after_name = after_string(&worker.config.text, top_name.range);
    // A name the declaration does not spell where it is spanned (Alchemy's default
    // `${app}-${id}-${stage}` at the id, a name held by an imported const): the name itself.
    let spelt = worker.config.text.get(top_name.range.as_usize());
    if !worker.config.is_literal(top_name.range) && spelt != Some(top_name.value.as_str()) {
        out.push(InlayHint {
            offset: after_name,
            label: format!("→ {}", top_name.value),
            tooltip: format!(
                "deploys as `{}`, a name not spelt here (a part in `<...>` is known only at deploy)",
                top_name.value
            ),
        });
    }
    for (e, env) in worker.envs.iter().enumerate().skip(1) {
        let (Some(env_name), Some(resolved)) = (env.env.as_ref(), env.name.as_ref()) else {
            continue;
        };
        let derived = env.name_range == Some(top_name.range);
        let how = if derived {
            format!(" (no `name` of its own: `<name>-{env_name}`)")
        } else {
            String::new()
        };
        out.push(InlayHint {
            offset: after_name,
            label: format!("{env_name}: {resolved}"),
            tooltip: format!("`--env {env_name}` deploys this worker as `{resolved}`{how}"),
        });
        if derived {
            if let Some(key) = ix.section((w, e)).env_name.as_ref() {
                out.push(InlayHint {
                    offset: after_string(&worker.config.text, key.range),
                    label: format!("→ {resolved}"),
                    tooltip: format!("`--env {env_name}` deploys this worker as `{resolved}`{how}"),
                });
            }
        }
    }
}

/// The end of a string whose contents span `contents`: past its closing quote (`"`, `'`, a
/// backtick, or TOML's triple quotes) when the text there is one, else the contents' end (a
/// bare key, or a value that a front-end spans at a reference).
fn after_string(text: &str, contents: TextRange) -> u32 {
    let rest = text.get(contents.end as usize..).unwrap_or("");
    let quote = ["\"\"\"", "'''", "\"", "'", "`"]
        .iter()
        .find(|q| rest.starts_with(**q))
        .map_or(0, |q| q.len() as u32);
    contents.end + quote
}
