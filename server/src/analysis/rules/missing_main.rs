//! `missing-main`: `main` names no file.

use super::Ctx;
use crate::project::{normalize, SkipReason};

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let sections = std::iter::once(&config.file.top).chain(&config.file.envs);
        for section in sections {
            let Some(main) = &section.main else { continue };
            let path = normalize(&config.dir.join(&main.value));
            let missing = match ix.source(&path) {
                Some(doc) => matches!(
                    doc,
                    crate::analysis::workspace::SourceDoc::Skipped(SkipReason::NotFound)
                ),
                // Not a source module at all (e.g. `main = "dist/"`): a file must exist.
                None => !path.is_file(),
            };
            if missing {
                cx.report(
                    "missing-main",
                    &config.path,
                    main.range,
                    format!("`main` names `{}`, which does not exist", main.value),
                );
            }
        }
    }
}
