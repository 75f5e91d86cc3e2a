//! `unknown-entrypoint`: `entrypoint` is not exported by the target worker's module graph.

use super::common::{service_target, Target};
use super::Ctx;
use crate::analysis::index::{BaseKind, ExportTarget, Resolved};
use crate::base::did_you_mean;

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
            if ix.resolve_export(main, &ep.value) != Resolved::Missing {
                continue;
            }
            let (names, complete) = ix.export_names(main);
            if !complete {
                continue;
            }
            // Prefer entrypoint classes as suggestions; fall back to any export.
            let entrypoints: Vec<&str> = names
                .iter()
                .filter(|n| match ix.resolve_export(main, n) {
                    Resolved::Found(ExportTarget::Class(c)) => {
                        ix.class_info(&c).base == BaseKind::WorkerEntrypoint
                    }
                    _ => false,
                })
                .map(String::as_str)
                .collect();
            let mut suggestions = did_you_mean(&ep.value, entrypoints.iter().copied());
            if suggestions.is_empty() {
                suggestions = did_you_mean(&ep.value, names.iter().map(String::as_str));
            }
            let worker_name = ix.env(target).name.clone().unwrap_or_default();
            let mut report = cx
                .report(
                    "unknown-entrypoint",
                    path,
                    ep.range,
                    format!(
                        "worker `{worker_name}` does not export an entrypoint named `{}`",
                        ep.value
                    ),
                )
                .suggest(suggestions.clone());
            if let Some(best) = suggestions.first() {
                if let Resolved::Found(ExportTarget::Class(c)) = ix.resolve_export(main, best) {
                    if let Some(decl) = ix.class(&c) {
                        report = report.related(
                            &c.file,
                            decl.name.range,
                            format!("`{best}` is exported here"),
                        );
                    }
                }
            }
            let _ = report;
        }
    }
}
