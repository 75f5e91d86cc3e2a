//! `conflicting-workflow-name`: workflow names are account-wide. Two workers hosting the same
//! name overwrite each other; a cross-script binding must agree with the host's definition.

use super::common::{worker_target, Target};
use super::Ctx;
use crate::analysis::index::EnvId;
use crate::config::WorkflowBinding;
use std::collections::BTreeMap;

/// The workflows an environment hosts (no `script_name`, or its own name).
fn hosted(ix: &crate::analysis::index::Index, id: EnvId) -> impl Iterator<Item = &WorkflowBinding> {
    let own = ix.env(id).name.clone();
    ix.workflows(id).iter().filter(move |b| {
        b.script_name
            .as_ref()
            .is_none_or(|s| Some(&s.value) == own.as_ref())
    })
}

/// (environment label, workflow name) -> the environments hosting it.
type Hosts<'a> = BTreeMap<(Option<String>, String), Vec<(EnvId, &'a WorkflowBinding)>>;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    // (env label, workflow name) -> hosts
    let mut hosts: Hosts<'_> = BTreeMap::new();
    for id in ix.env_ids() {
        for b in hosted(ix, id) {
            if let Some(name) = &b.name {
                hosts
                    .entry((ix.env(id).env.clone(), name.value.clone()))
                    .or_default()
                    .push((id, b));
            }
        }
    }
    for ((_, name), list) in &hosts {
        let workers: std::collections::BTreeSet<usize> = list.iter().map(|(id, _)| id.0).collect();
        if workers.len() < 2 {
            continue;
        }
        for (id, b) in list {
            let other = list
                .iter()
                .find(|(o, _)| o.0 != id.0)
                .map(|(o, ob)| (*o, *ob));
            let mut report = cx.report(
                "conflicting-workflow-name",
                &ix.worker(id.0).config.path,
                b.name.as_ref().map(|n| n.range).unwrap_or(b.range),
                format!("workflow name `{name}` is hosted by more than one worker; workflow names are account-wide"),
            );
            if let Some((o, ob)) = other {
                report = report.related(
                    &ix.worker(o.0).config.path,
                    ob.name.as_ref().map(|n| n.range).unwrap_or(ob.range),
                    "also hosted here",
                );
            }
            let _ = report;
        }
    }
    // Cross-script bindings must match the host's definition.
    for id in ix.env_ids() {
        let own = ix.env(id).name.clone();
        for b in ix.workflows(id) {
            let (Some(script), Some(name)) = (&b.script_name, &b.name) else {
                continue;
            };
            if Some(&script.value) == own.as_ref() {
                continue;
            }
            let Target::Found(host) = worker_target(ix, id.0, &script.value) else {
                continue;
            };
            let defined =
                hosted(ix, host).find(|h| h.name.as_ref().is_some_and(|n| n.value == name.value));
            let path = &ix.worker(id.0).config.path;
            match defined {
                None => {
                    cx.report(
                        "conflicting-workflow-name",
                        path,
                        name.range,
                        format!(
                            "worker `{}` hosts no workflow named `{}`",
                            script.value, name.value
                        ),
                    );
                }
                Some(h) => {
                    if let (Some(bc), Some(hc)) = (&b.class_name, &h.class_name) {
                        if bc.value != hc.value {
                            cx.report(
                                "conflicting-workflow-name",
                                path,
                                bc.range,
                                format!(
                                    "workflow `{}` runs class `{}` in worker `{}`, not `{}`",
                                    name.value, hc.value, script.value, bc.value
                                ),
                            )
                            .related(
                                &ix.worker(host.0).config.path,
                                hc.range,
                                "the host's definition",
                            )
                            .suggest(vec![hc.value.clone()]);
                        }
                    }
                }
            }
        }
    }
}
