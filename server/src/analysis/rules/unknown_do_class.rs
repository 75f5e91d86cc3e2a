//! `unknown-do-class`: a Durable Object `class_name` the hosting worker does not export.

use super::common::{durable_object_classes, report_unexported};
use super::Ctx;
use crate::analysis::index::BaseKind;

pub fn check(cx: &mut Ctx<'_>) {
    let refs = durable_object_classes(cx.index);
    report_unexported(
        cx,
        "unknown-do-class",
        &refs,
        BaseKind::DurableObject,
        "a class",
    );
}
