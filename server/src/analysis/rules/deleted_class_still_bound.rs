//! `deleted-class-still-bound`: a class in `deleted_classes` that a binding still names.

use super::common::{do_state, durable_object_classes};
use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    if !cx.configs_only() {
        return;
    }
    let ix = cx.index;
    for r in durable_object_classes(ix) {
        let Some(state) = do_state(ix, r.host) else {
            continue;
        };
        let Some(&deleted_at) = state.deleted.get(&r.class.value) else {
            continue;
        };
        cx.report(
            "deleted-class-still-bound",
            &ix.worker(r.id.0).config.path,
            r.class.range,
            format!(
                "Durable Object class `{}` is deleted by a migration but still bound as `{}`; deploy fails",
                r.class.value, r.binding.value
            ),
        )
        .related(&ix.worker(r.host.0).config.path, deleted_at, "deleted here");
    }
}
