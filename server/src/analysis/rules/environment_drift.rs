//! `environment-drift`: inside `[env.E]`, a reference names a worker's production name while
//! that worker defines `E` too.

use super::Ctx;
use crate::analysis::index::EnvId;
use crate::base::Spanned;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let Some(env) = ix.env(id).env.clone() else {
            continue;
        };
        let path = ix.worker(id.0).config.path.clone();
        let mut refs: Vec<(&Spanned<String>, &str)> = Vec::new();
        refs.extend(
            ix.services(id)
                .iter()
                .filter(|b| b.environment.is_none())
                .filter_map(|b| b.service.as_ref().map(|s| (s, "service"))),
        );
        refs.extend(
            ix.durable_objects(id)
                .iter()
                .filter_map(|b| b.script_name.as_ref().map(|s| (s, "script_name"))),
        );
        refs.extend(
            ix.workflows(id)
                .iter()
                .filter_map(|b| b.script_name.as_ref().map(|s| (s, "script_name"))),
        );
        refs.extend(
            ix.tail_consumers(id)
                .iter()
                .map(|t| (&t.service, "tail consumer")),
        );
        for (name, what) in refs {
            let Some(targets) = ix.by_name.get(&name.value) else {
                continue;
            };
            // Only production names of other workers drift.
            let Some(&target) = targets.iter().find(|t: &&EnvId| t.1 == 0) else {
                continue;
            };
            if target.0 == id.0 {
                continue;
            }
            let Some(staging) = ix.sibling_env(target, Some(&env)) else {
                continue;
            };
            let Some(staging_name) = ix.env(staging).name.clone() else {
                continue;
            };
            if staging_name == name.value {
                continue;
            }
            cx.report(
                "environment-drift",
                &path,
                name.range,
                format!(
                    "in environment `{env}`, {what} `{}` is the production worker; `{}` defines `{env}` as `{staging_name}`",
                    name.value, name.value
                ),
            )
            .suggest(vec![staging_name]);
        }
    }
}
