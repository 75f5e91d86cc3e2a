//! `entrypoint-not-rpc`: the named entrypoint is a class that does not extend
//! `WorkerEntrypoint` (a Durable Object, a workflow, a plain class). A named export that is not
//! a class may be an `ExportedHandler` object, which serves `fetch` as an entrypoint: silent.

use super::common::{service_target, Target};
use super::Ctx;
use crate::analysis::index::{BaseKind, ExportTarget, Resolved};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            let Some(ep) = &b.entrypoint else { continue };
            if ep.value == "default" {
                continue;
            }
            let Target::Found(target) = service_target(ix, id, b) else {
                continue;
            };
            // What the target worker exports.
            if !cx.unit([target.0]) {
                continue;
            }
            let Some(main) = &ix.env(target).main else {
                continue;
            };
            let Resolved::Found(ExportTarget::Class(c)) = ix.resolve_export(main, &ep.value) else {
                continue;
            };
            let base = ix.class_info(&c).base;
            if matches!(base, BaseKind::WorkerEntrypoint | BaseKind::Unknown) {
                continue;
            }
            let range = ix.class(&c).map(|d| d.name.range).unwrap_or_default();
            cx.report(
                "entrypoint-not-rpc",
                path,
                ep.range,
                format!(
                    "`{}` is exported but extends {}, not `WorkerEntrypoint`",
                    ep.value,
                    base.describe()
                ),
            )
            .related(&c.file, range, "the exported class");
        }
    }
}
