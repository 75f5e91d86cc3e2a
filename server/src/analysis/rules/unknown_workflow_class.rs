//! `unknown-workflow-class`: a workflow `class_name` the hosting worker does not export.

use super::common::{report_unexported, workflow_classes};
use super::Ctx;
use crate::analysis::index::BaseKind;

pub fn check(cx: &mut Ctx<'_>) {
    let refs = workflow_classes(cx.index);
    report_unexported(
        cx,
        "unknown-workflow-class",
        &refs,
        BaseKind::WorkflowEntrypoint,
        "a workflow class",
    );
}
