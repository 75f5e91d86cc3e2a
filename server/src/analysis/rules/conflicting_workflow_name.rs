//! `conflicting-workflow-name`: workflow names are account-wide. Two workers hosting the same
//! name overwrite each other; a cross-script binding must agree with the host's definition.
//!
//! Two configs deploying one worker name (variants, or copies that `duplicate-worker-name`
//! reports) are one host, not a conflict. Hosts in one family (connected by bindings) clash
//! for sure: an error; unconnected ones (independent examples) only if they deploy to one
//! account: `info`.

use super::common::{families, worker_target, Target};
use super::Ctx;
use crate::analysis::index::EnvId;
use crate::analysis::Severity;
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
    if !cx.configs_only() {
        return;
    }
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
    let family = families(ix);
    let worker_name = |id: &EnvId| ix.env(*id).name.clone();
    for ((_, name), list) in &hosts {
        let names: std::collections::BTreeSet<Option<String>> =
            list.iter().map(|(id, _)| worker_name(id)).collect();
        if names.len() < 2 {
            continue;
        }
        for (id, b) in list {
            // Another worker (by deployed name), preferably of this one's family.
            let others: Vec<_> = list
                .iter()
                .filter(|(o, _)| worker_name(o) != worker_name(id))
                .collect();
            let Some(&&(o, ob)) = others
                .iter()
                .find(|(o, _)| family[o.0] == family[id.0])
                .or(others.first())
            else {
                continue;
            };
            let connected = family[o.0] == family[id.0];
            let message = if connected {
                format!("workflow name `{name}` is hosted by more than one worker of this family; workflow names are account-wide")
            } else {
                format!("workflow name `{name}` is also hosted by an unrelated worker; workflow names are account-wide, so if both deploy to one account one overwrites the other")
            };
            let report = cx
                .report(
                    "conflicting-workflow-name",
                    &ix.worker(id.0).config.path,
                    b.name.as_ref().map(|n| n.range).unwrap_or(b.range),
                    message,
                )
                .related(
                    &ix.worker(o.0).config.path,
                    ob.name.as_ref().map(|n| n.range).unwrap_or(ob.range),
                    "also hosted here",
                );
            if !connected {
                report.at_most(Severity::Info);
            }
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
