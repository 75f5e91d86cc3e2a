//! `not-a-durable-object`: the bound class neither extends `DurableObject` nor has `fetch`.

use super::common::{durable_object_classes, hosted_class};
use super::Ctx;
use crate::analysis::index::{BaseKind, Resolved};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for r in durable_object_classes(ix) {
        // The class the host exports.
        if !cx.unit([r.host.0]) {
            continue;
        }
        let Some(c) = hosted_class(ix, &r) else {
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
            &ix.worker(r.id.0).config.path,
            r.class.range,
            format!(
                "`{}` extends {} and has no `fetch` method, so it cannot serve as a Durable Object",
                r.class.value,
                base.describe()
            ),
        )
        .related(&c.file, range, "the class");
    }
}
