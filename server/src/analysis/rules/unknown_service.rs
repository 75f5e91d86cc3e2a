//! `unknown-service`: a service binding or tail consumer names no worker of the workspace.

use super::common::{suggest_worker, worker_target, Target};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            let Some(service) = &b.service else { continue };
            match worker_target(ix, &service.value) {
                Target::Missing => {
                    cx.report(
                        "unknown-service",
                        path,
                        service.range,
                        format!(
                            "service `{}` names no worker of this workspace",
                            service.value
                        ),
                    )
                    .suggest(suggest_worker(ix, &service.value));
                }
                Target::Found(target) => {
                    if let Some(env) = &b.environment {
                        if ix.sibling_env(target, Some(&env.value)).is_none() {
                            let envs: Vec<&str> = ix
                                .worker(target.0)
                                .envs
                                .iter()
                                .filter_map(|e| e.env.as_deref())
                                .collect();
                            cx.report(
                                "unknown-service",
                                path,
                                env.range,
                                format!(
                                    "worker `{}` has no environment `{}`",
                                    service.value, env.value
                                ),
                            )
                            .suggest(crate::base::did_you_mean(&env.value, envs));
                        }
                    }
                }
                Target::External => {}
            }
        }
        for t in ix.tail_consumers(id) {
            if worker_target(ix, &t.service.value) == Target::Missing {
                cx.report(
                    "unknown-service",
                    path,
                    t.service.range,
                    format!(
                        "tail consumer `{}` names no worker of this workspace",
                        t.service.value
                    ),
                )
                .suggest(suggest_worker(ix, &t.service.value));
            }
        }
    }
}
