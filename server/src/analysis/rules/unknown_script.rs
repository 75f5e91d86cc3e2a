//! `unknown-script`: `script_name` names no worker of the workspace. Graded like
//! `unknown-service` ([`report_unknown_worker`]).

use super::common::{report_unknown_worker, worker_target, Target};
use super::Ctx;
use crate::declare::FrontEnd;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let scripts: Vec<_> = ix
            .durable_objects(id)
            .iter()
            .filter_map(|b| Some((b.script_name.as_ref()?, &b.name)))
            .chain(
                ix.workflows(id)
                    .iter()
                    .filter_map(|b| Some((b.script_name.as_ref()?, &b.binding))),
            )
            .collect();
        let what = match ix.worker(id.0).config.frontend {
            FrontEnd::Wrangler => "script_name",
            FrontEnd::AlchemyV1 => "scriptName",
            _ => "worker",
        };
        for (s, binding) in scripts {
            if worker_target(ix, id.0, &s.value) == Target::Missing {
                report_unknown_worker(cx, "unknown-script", id.0, s, Some(&binding.value), what);
            }
        }
    }
}
