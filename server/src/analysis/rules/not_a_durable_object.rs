//! `not-a-durable-object`: the bound class neither extends `DurableObject` nor has `fetch`.

use super::common::{host_target, Target};
use super::Ctx;
use crate::analysis::index::{BaseKind, ExportTarget, Resolved};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        let path = &ix.worker(id.0).config.path;
        for b in ix.durable_objects(id) {
            let Some(class) = &b.class_name else { continue };
            let Target::Found(host) = host_target(ix, id, b.script_name.as_ref()) else {
                continue;
            };
            let Some(main) = &ix.env(host).main else {
                continue;
            };
            let Resolved::Found(ExportTarget::Class(c)) = ix.resolve_export(main, &class.value)
            else {
                continue;
            };
            let base = ix.class_info(&c).base;
            if matches!(base, BaseKind::DurableObject | BaseKind::Unknown)
                || ix.find_member(&c, "fetch") != Resolved::Missing
            {
                continue;
            }
            let range = ix.class(&c).map(|d| d.name.range).unwrap_or_default();
            cx.report(
                "not-a-durable-object",
                path,
                class.range,
                format!("`{}` extends {} and has no `fetch` method, so it cannot serve as a Durable Object", class.value, base.describe()),
            )
            .related(&c.file, range, "the class");
        }
    }
}
