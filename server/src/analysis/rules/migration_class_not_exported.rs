//! `migration-class-not-exported`: a class the migrations leave live is no longer exported.

use super::common::do_state;
use super::Ctx;
use crate::analysis::index::{BaseKind, ExportTarget, Resolved};
use crate::base::did_you_mean;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for id in ix.env_ids() {
        // The worker's migrations against its own exports.
        if !cx.unit([id.0]) {
            continue;
        }
        let Some(main) = ix.env(id).main.clone() else {
            continue;
        };
        let Some(state) = do_state(ix, id) else {
            continue;
        };
        let (names, complete) = ix.export_names(&main);
        if !complete {
            continue;
        }
        let path = ix.worker(id.0).config.path.clone();
        let mut live: Vec<_> = state.live.iter().collect();
        live.sort();
        for (class, range) in live {
            if ix.resolve_export(&main, class) != Resolved::Missing {
                continue;
            }
            // Exported DO classes that no migration knows: the likely rename targets.
            let unmigrated: Vec<&str> = names
                .iter()
                .filter(|n| !state.live.contains_key(*n))
                .filter(|n| matches!(ix.resolve_export(&main, n), Resolved::Found(ExportTarget::Class(c)) if ix.class_info(&c).base == BaseKind::DurableObject))
                .map(String::as_str)
                .collect();
            let suggestions = did_you_mean(class, unmigrated.iter().copied());
            let hint = match suggestions.first() {
                Some(to) => format!("add a migration with `renamed_classes = [{{ from = \"{class}\", to = \"{to}\" }}]`"),
                None => format!("add a migration with `deleted_classes = [\"{class}\"]` (this deletes its stored data)"),
            };
            cx.report(
                "migration-class-not-exported",
                &path,
                *range,
                format!("Durable Object class `{class}` is live after the migrations but the worker no longer exports it; {hint}"),
            )
            .suggest(suggestions);
        }
    }
}
