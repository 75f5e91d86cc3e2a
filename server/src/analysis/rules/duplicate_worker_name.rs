//! `duplicate-worker-name`: two configs resolve to the same worker name.
//!
//! Configs that share their `main` module are variants of one worker (e.g. `wrangler.toml`
//! and `wrangler.e2e.toml`) and are not reported against each other.

use super::Ctx;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let mut names: Vec<_> = ix.by_name.iter().collect();
    names.sort();
    for (name, ids) in names {
        for &a in ids {
            let clash = ids.iter().find(|&&b| {
                b.0 != a.0 && {
                    let (ma, mb) = (&ix.env(a).main, &ix.env(b).main);
                    !(ma.is_some() && ma == mb)
                }
            });
            let Some(&b) = clash else { continue };
            let (Some(range), Some(other_range)) = (ix.env(a).name_range, ix.env(b).name_range)
            else {
                continue;
            };
            let env_note = match &ix.env(a).env {
                Some(e) => format!(" (environment `{e}`)"),
                None => String::new(),
            };
            cx.report(
                "duplicate-worker-name",
                &ix.worker(a.0).config.path,
                range,
                format!("worker name `{name}`{env_note} is also used by another config; one deploy overwrites the other"),
            )
            .related(&ix.worker(b.0).config.path, other_range, "the other config with this name");
        }
    }
}
