//! `no-default-export`: the main module has no default export.
//!
//! A classic service-worker script (no imports or exports at all) is left alone: it is the
//! old format on purpose. So is a worker the Cloudflare vite plugin builds: its entry adds a
//! default export.

use super::Ctx;
use crate::analysis::index::DefaultInfo;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        // The vite plugin's entry re-exports `main` and always has a default export.
        if ix.ws.support.is_vite_built(&config.path) {
            continue;
        }
        let sections = std::iter::once(&config.file.top).chain(&config.file.envs);
        for section in sections {
            let Some(main) = &section.main else { continue };
            let path = crate::project::normalize(&config.dir.join(&main.value));
            // The main module's exports: it is a module of the workers that contain it (an
            // edit of a module no worker contains reruns every rule).
            if !cx.unit(ix.workers_of_file(&path).iter().copied()) {
                continue;
            }
            let Some(summary) = ix.summary(&path) else {
                continue;
            };
            let is_module = !summary.exports.is_empty()
                || !summary.export_stars.is_empty()
                || !summary.imports.is_empty();
            if is_module && matches!(ix.default_export(&path), DefaultInfo::Missing) {
                cx.report(
                    "no-default-export",
                    &config.path,
                    main.range,
                    format!(
                        "`{}` has no default export: wrangler will treat it as a service-worker script, and named entrypoints and Durable Objects will not work",
                        main.value
                    ),
                );
            }
        }
    }
}
