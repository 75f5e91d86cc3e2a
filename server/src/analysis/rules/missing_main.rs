//! `missing-main`: `main` names no file (nothing there, or a folder).

use super::Ctx;
use crate::analysis::workspace::SourceDoc;
use crate::project::{normalize, SkipReason};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let sections = std::iter::once(&config.file.top).chain(&config.file.envs);
        for section in sections {
            let Some(main) = &section.main else { continue };
            let path = normalize(&config.dir.join(&main.value));
            let folder = match ix.source(&path) {
                Some(SourceDoc::Skipped(SkipReason::NotFound)) => false,
                Some(SourceDoc::Skipped(SkipReason::Directory)) => true,
                Some(_) => continue,
                // Not a source module at all (e.g. `main = "dist/worker.mjs"`): a file must exist.
                None if path.is_file() => continue,
                None => path.is_dir(),
            };
            let message = if folder {
                format!(
                    "`main` names `{}`, which is a folder; it must name the entry module (e.g. `{}/index.ts`)",
                    main.value,
                    main.value.trim_end_matches('/')
                )
            } else {
                format!("`main` names `{}`, which does not exist", main.value)
            };
            cx.report("missing-main", &config.path, main.range, message);
        }
    }
}
