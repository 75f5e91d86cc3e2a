//! `deleted-class-still-bound`: a class in `deleted_classes` that a binding still names.

use super::common::{do_state, host_target, Target};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.durable_objects(id) {
            let Some(class) = &b.class_name else { continue };
            let Target::Found(host) = host_target(ix, id, b.script_name.as_ref()) else {
                continue;
            };
            let Some(state) = do_state(ix, host) else {
                continue;
            };
            let Some(&deleted_at) = state.deleted.get(&class.value) else {
                continue;
            };
            cx.report(
                "deleted-class-still-bound",
                path,
                class.range,
                format!("Durable Object class `{}` is deleted by a migration but still bound as `{}`; deploy fails", class.value, b.name.value),
            )
            .related(&ix.worker(host.0).config.path, deleted_at, "deleted here");
        }
    }
}
