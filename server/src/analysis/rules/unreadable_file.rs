//! `unreadable-file`: a file that was skipped (unreadable, binary, not UTF-8, too large, or
//! outside the checked root), reported where it is referenced; and a folder that could not be
//! listed, reported on the folder.

use super::Ctx;
use crate::analysis::workspace::SourceDoc;
use crate::project::SkipReason;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let mut skipped: Vec<_> = ix
        .ws
        .sources
        .iter()
        .filter_map(|(p, d)| match &**d {
            SourceDoc::Skipped(r) if !matches!(r, SkipReason::NotFound | SkipReason::Directory) => {
                Some((p, r))
            }
            _ => None,
        })
        .collect();
    skipped.sort_by(|a, b| a.0.cmp(b.0));
    for (path, reason) in skipped {
        let what = format!(
            "`{}` was not analysed: {}",
            crate::project::relative(&ix.ws.root, path),
            reason.describe()
        );
        // Importers: the specifier that names it.
        for (importer, doc) in &ix.ws.sources {
            let (Some(summary), SourceDoc::Parsed { deps, .. }) = (doc.summary(), &**doc) else {
                continue;
            };
            for dep in deps {
                if dep.target.as_deref() != Some(path.as_path()) {
                    continue;
                }
                let spec = &dep.specifier;
                let range = summary
                    .imports
                    .iter()
                    .map(|i| &i.from)
                    .chain(&summary.export_stars)
                    .chain(summary.exports.iter().filter_map(|e| match e {
                        crate::source::Export::ReExport { from, .. } => Some(from),
                        _ => None,
                    }))
                    .find(|s| &s.value == spec)
                    .map(|s| s.range)
                    .unwrap_or_default();
                cx.report("unreadable-file", importer, range, what.clone());
            }
        }
        // Configs whose main it is.
        for config in &ix.ws.configs {
            for section in std::iter::once(&config.file.top).chain(&config.file.envs) {
                if let Some(main) = &section.main {
                    if crate::project::normalize(&config.dir.join(&main.value)) == *path {
                        cx.report("unreadable-file", &config.path, main.range, what.clone());
                    }
                }
            }
        }
    }
    // A `main` outside the root that is not a source module was never loaded: say so.
    for config in &ix.ws.configs {
        for section in std::iter::once(&config.file.top).chain(&config.file.envs) {
            let Some(main) = &section.main else { continue };
            let path = crate::project::normalize(&config.dir.join(&main.value));
            if !path.starts_with(&ix.ws.root) && ix.source(&path).is_none() {
                cx.report(
                    "unreadable-file",
                    &config.path,
                    main.range,
                    format!(
                        "`main` names `{}`, which lies outside the checked root and is not read",
                        main.value
                    ),
                );
            }
        }
    }
    for (path, reason) in &ix.ws.folder_skips {
        cx.report(
            "unreadable-file",
            path,
            Default::default(),
            format!(
                "folder `{}` was not read: {}; workers in it are not checked, and names that no \
                 known worker has are not reported",
                crate::project::relative(&ix.ws.root, path),
                reason.describe()
            ),
        );
    }
    for (path, reason) in &ix.ws.config_skips {
        cx.report(
            "unreadable-file",
            path,
            Default::default(),
            format!(
                "config `{}` was not read: {}",
                crate::project::relative(&ix.ws.root, path),
                reason.describe()
            ),
        );
    }
}
