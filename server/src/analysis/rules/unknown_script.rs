//! `unknown-script`: `script_name` names no worker of the workspace.

use super::common::{suggest_worker, worker_target, Target};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        let scripts = ix
            .durable_objects(id)
            .iter()
            .filter_map(|b| b.script_name.as_ref())
            .chain(
                ix.workflows(id)
                    .iter()
                    .filter_map(|b| b.script_name.as_ref()),
            );
        for s in scripts {
            if worker_target(ix, &s.value) == Target::Missing {
                cx.report(
                    "unknown-script",
                    path,
                    s.range,
                    format!(
                        "script_name `{}` names no worker of this workspace",
                        s.value
                    ),
                )
                .suggest(suggest_worker(ix, &s.value));
            }
        }
    }
}
