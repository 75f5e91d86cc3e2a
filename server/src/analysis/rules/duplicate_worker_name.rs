//! `duplicate-worker-name`: two configs resolve to the same worker name.
//!
//! Only production configs count: variants of one worker (a second config in its folder),
//! test configs and templates are not deployed as they are. Configs in one folder, or that
//! share their `main` module, are variants of one worker too (but two workers one TypeScript
//! module declares are two workers, and a name only partly known is not known to clash). Two workers that belong to one family (connected by
//! a binding, a host or a queue) overwrite each other on deploy: an error. Unconnected ones
//! (a folder of independent examples) only clash if they deploy to one account: `info`.

use super::common::families;
use super::Ctx;
use crate::analysis::index::WorkerRole;
use crate::analysis::Severity;

pub fn check(cx: &mut Ctx<'_>) {
    if !cx.configs_only() {
        return;
    }
    let ix = cx.index;
    let family = families(ix);
    let mut names: Vec<_> = ix.by_name.iter().collect();
    names.sort();
    for (name, ids) in names {
        // Partly known names (`shop-api-<stage>`) are not known to clash.
        if ix.is_pattern_name(name) {
            continue;
        }
        let production = |id: &&(usize, usize)| ix.worker(id.0).role == WorkerRole::Production;
        // A stand-in for a name nobody can know (`<names.api>`) is no name to clash on.
        let stand_in = |id: &&(usize, usize)| {
            ix.env(**id).name_range.is_some_and(|range| {
                ix.worker(id.0)
                    .config
                    .is_stand_in(&crate::base::Spanned::new(name.clone(), range))
            })
        };
        for &a in ids.iter().filter(production).filter(|id| !stand_in(id)) {
            let clashes: Vec<_> = ids
                .iter()
                .filter(production)
                .filter(|&&b| {
                    let (ca, cb) = (&ix.worker(a.0).config, &ix.worker(b.0).config);
                    // Two declarations of one TypeScript module are two workers.
                    let one_module = ca.path == cb.path;
                    // Two configs of one folder (`wrangler.module.jsonc` beside
                    // `wrangler.service.jsonc`) are two ways to deploy one worker.
                    b.0 != a.0
                        && (one_module
                            || (ca.dir != cb.dir && {
                                let (ma, mb) = (&ix.env(a).main, &ix.env(b).main);
                                !(ma.is_some() && ma == mb)
                            }))
                })
                .collect();
            let Some(&&b) = clashes
                .iter()
                .find(|b| family[b.0] == family[a.0])
                .or(clashes.first())
            else {
                continue;
            };
            let (Some(range), Some(other_range)) = (ix.env(a).name_range, ix.env(b).name_range)
            else {
                continue;
            };
            let env_note = match &ix.env(a).env {
                Some(e) => format!(" (environment `{e}`)"),
                None => String::new(),
            };
            let connected = family[a.0] == family[b.0];
            let message = if connected {
                format!("worker name `{name}`{env_note} is also used by another config of this family; one deploy overwrites the other")
            } else {
                format!("worker name `{name}`{env_note} is also used by an unrelated config; if both deploy to one account, one overwrites the other")
            };
            let report = cx
                .report(
                    "duplicate-worker-name",
                    &ix.worker(a.0).config.path,
                    range,
                    message,
                )
                .related(
                    &ix.worker(b.0).config.path,
                    other_range,
                    "the other config with this name",
                );
            if !connected {
                report.at_most(Severity::Info);
            }
        }
    }
}
