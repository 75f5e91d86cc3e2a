//! `missing-do-migration`: a bound Durable Object class that the hosting worker's migrations
//! (or `exports`) never create. Alchemy makes a worker's migrations itself: never asked for
//! there.

use super::common::{do_state, durable_object_classes};
use super::Ctx;
use crate::analysis::index::Resolved;
use crate::declare::{FrontEnd, MigrationPolicy};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for r in durable_object_classes(ix) {
        let (class, host, path) = (r.class, r.host, &ix.worker(r.id.0).config.path);
        // The host's exports and migrations.
        if !cx.unit([host.0]) {
            continue;
        }
        let policy = ix.worker(host.0).config.frontend.migrations();
        if policy == MigrationPolicy::Automatic {
            continue;
        }
        // A class the host does not export is `unknown-do-class`'s finding.
        if let Some(main) = &ix.env(host).main {
            if ix.resolve_export(main, &class.value) == Resolved::Missing {
                continue;
            }
        }
        let state = do_state(ix, host);
        let live = state
            .as_ref()
            .is_some_and(|s| s.live.contains_key(&class.value));
        let deleted = state
            .as_ref()
            .is_some_and(|s| s.deleted.contains_key(&class.value));
        if live || deleted {
            continue;
        }
        let host_worker = ix.worker(host.0);
        let host_name = ix.env(host).name.clone().unwrap_or_default();
        let env_note = ix
            .env(host)
            .env
            .as_ref()
            .map(|e| format!(" (environment `{e}`)"))
            .unwrap_or_default();
        let message = match policy {
            MigrationPolicy::Exports if host_worker.config.frontend == FrontEnd::CfConfig => format!(
                "Durable Object class `{0}` is not declared in the `exports` of worker `{host_name}`{env_note}; add `{0}: exports.durableObject({{ storage: \"sqlite\" }})`",
                class.value
            ),
            _ if ix.exports_decl(host).is_some() => format!(
                "Durable Object class `{}` is not declared in the `exports` of worker `{host_name}`{env_note}; add it with `type = \"durable-object\"`",
                class.value
            ),
            _ => format!(
                "Durable Object class `{}` is not created by any migration of worker `{host_name}`{env_note}; add it to `new_sqlite_classes`",
                class.value
            ),
        };
        let mut report = cx.report("missing-do-migration", path, class.range, message);
        if let Some(range) = host_worker.config.file.top.migrations_range {
            report = report.related(&host_worker.config.path, range, "the host's migrations");
        }
        let _ = report;
    }
}
