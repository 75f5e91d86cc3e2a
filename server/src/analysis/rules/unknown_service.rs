//! `unknown-service`: a service binding or tail consumer names no worker of the workspace.
//! A `remote = true` binding, and a worker a vitest config defines, exist outside it; any
//! other name that is no near miss of a workspace worker may be deployed from elsewhere and is
//! only `info` (see [`report_unknown_worker`]).

use super::common::{report_unknown_worker, worker_target, Target};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            let Some(service) = &b.service else { continue };
            if b.remote {
                continue;
            }
            match worker_target(ix, id.0, &service.value) {
                Target::Missing => {
                    report_unknown_worker(
                        cx,
                        "unknown-service",
                        id.0,
                        service,
                        Some(&b.binding.value),
                        "service",
                    );
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
            if worker_target(ix, id.0, &t.service.value) == Target::Missing {
                report_unknown_worker(
                    cx,
                    "unknown-service",
                    id.0,
                    &t.service,
                    None,
                    "tail consumer",
                );
            }
        }
    }
}
