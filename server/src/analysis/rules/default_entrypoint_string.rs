//! `default-entrypoint-string`: `entrypoint = "default"` breaks `wrangler dev`.

use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            if let Some(ep) = b.entrypoint.as_ref().filter(|e| e.value == "default") {
                cx.report(
                    "default-entrypoint-string",
                    path,
                    ep.range,
                    "`entrypoint = \"default\"` breaks `wrangler dev`; remove `entrypoint` to bind the default export",
                );
            }
        }
    }
}
