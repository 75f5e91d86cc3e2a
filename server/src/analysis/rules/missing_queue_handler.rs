//! `missing-queue-handler`: the worker consumes a queue but cannot handle `queue` events.

use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        // The worker's own default export.
        if !cx.unit([id.0]) {
            continue;
        }
        let Some(main) = ix.env(id).main.clone() else {
            continue;
        };
        if ix.default_handles(&main, "queue") != Some(false) {
            continue;
        }
        let path = &ix.worker(id.0).config.path;
        for c in ix.queue_consumers(id) {
            cx.report(
                "missing-queue-handler",
                path,
                c.queue.range,
                format!(
                    "this worker consumes queue `{}` but its default export has no `queue` handler",
                    c.queue.value
                ),
            )
            .related(&main, Default::default(), "its main module");
        }
    }
}
