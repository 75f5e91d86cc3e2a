//! `deprecated-service-environment`: `services[].environment` is deprecated.

use super::common::{worker_target, Target};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            let Some(env) = &b.environment else { continue };
            let replacement =
                b.service
                    .as_ref()
                    .and_then(|s| match worker_target(ix, id.0, &s.value) {
                        Target::Found(t) => ix
                            .sibling_env(t, Some(&env.value))
                            .and_then(|e| ix.env(e).name.clone()),
                        _ => None,
                    });
            let message = match &replacement {
                Some(r) => format!("`environment` is deprecated; write `service = \"{r}\"` instead"),
                None => "`environment` is deprecated; name the environment's worker in `service` (`<worker>-<env>`)".to_string(),
            };
            cx.report("deprecated-service-environment", path, env.range, message)
                .suggest(replacement.into_iter().collect());
        }
    }
}
