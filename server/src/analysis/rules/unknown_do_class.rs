//! `unknown-do-class`: a Durable Object `class_name` the hosting worker does not export.

use super::common::{host_target, Target};
use super::Ctx;
use crate::analysis::index::{BaseKind, ExportTarget, Resolved};
use crate::base::did_you_mean;

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
            if ix.resolve_export(main, &class.value) != Resolved::Missing {
                continue;
            }
            let (names, complete) = ix.export_names(main);
            if !complete {
                continue;
            }
            let dos: Vec<&str> = names
                .iter()
                .filter(|n| matches!(ix.resolve_export(main, n), Resolved::Found(ExportTarget::Class(c)) if ix.class_info(&c).base == BaseKind::DurableObject))
                .map(String::as_str)
                .collect();
            let mut suggestions = did_you_mean(&class.value, dos);
            if suggestions.is_empty() {
                suggestions = did_you_mean(&class.value, names.iter().map(String::as_str));
            }
            let host_name = ix.env(host).name.clone().unwrap_or_default();
            cx.report(
                "unknown-do-class",
                path,
                class.range,
                format!(
                    "worker `{host_name}` does not export a class named `{}`",
                    class.value
                ),
            )
            .suggest(suggestions);
        }
    }
}
