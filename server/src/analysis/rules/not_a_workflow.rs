//! `not-a-workflow`: the workflow's class does not extend `WorkflowEntrypoint`.

use super::common::{hosted_class, workflow_classes};
use super::Ctx;
use crate::analysis::index::BaseKind;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for r in workflow_classes(ix) {
        // The class the host exports.
        if !cx.unit([r.host.0]) {
            continue;
        }
        let Some(c) = hosted_class(ix, &r) else {
            continue;
        };
        let base = ix.class_info(&c).base;
        if matches!(base, BaseKind::WorkflowEntrypoint | BaseKind::Unknown) {
            continue;
        }
        let range = ix.class(&c).map(|d| d.name.range).unwrap_or_default();
        cx.report(
            "not-a-workflow",
            &ix.worker(r.id.0).config.path,
            r.class.range,
            format!(
                "`{}` extends {}, not `WorkflowEntrypoint`",
                r.class.value,
                base.describe()
            ),
        )
        .related(&c.file, range, "the class");
    }
}
