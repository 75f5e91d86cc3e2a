//! `no-fetch-handler`: a binding to a worker's default export, which cannot handle `fetch`.

use super::common::{service_target, Target};
use super::Ctx;
use crate::analysis::index::{BaseKind, DefaultInfo, Resolved};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.services(id) {
            if b.entrypoint.is_some() {
                continue;
            }
            let (Some(service), Target::Found(target)) = (&b.service, service_target(ix, id, b))
            else {
                continue;
            };
            // The target worker's default export.
            if !cx.unit([target.0]) {
                continue;
            }
            let Some(main) = &ix.env(target).main else {
                continue;
            };
            let lacks_fetch = match ix.default_export(main) {
                DefaultInfo::Object { handlers } => !handlers.iter().any(|h| h == "fetch"),
                DefaultInfo::Class(c) => {
                    ix.class_info(&c).base != BaseKind::WorkerEntrypoint
                        && ix.find_member(&c, "fetch") == Resolved::Missing
                }
                _ => false,
            };
            if lacks_fetch {
                cx.report(
                    "no-fetch-handler",
                    path,
                    service.range,
                    format!(
                        "worker `{}`'s default export has no `fetch` handler and is not a `WorkerEntrypoint`",
                        service.value
                    ),
                )
                .related(main, Default::default(), "its main module");
            }
        }
    }
}
