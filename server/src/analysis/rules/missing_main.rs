//! `missing-main`: `main` names no file (nothing there, or a folder).
//!
//! A `main` that a build writes (under a build output folder, with a `[build].command`, or
//! ignored by git) is not missing: it does not exist until the build runs, so it is only
//! `info`. A `main` that is a package or a `virtual:` module is not a path at all.

use super::Ctx;
use crate::analysis::workspace::SourceDoc;
use crate::analysis::Severity;
use crate::project::seen::Kind;
use crate::project::{normalize, SkipReason};

/// Folders that builds and frameworks write.
const BUILD_OUTPUTS: &[&str] = &[
    "dist",
    "build",
    "out",
    ".output",
    ".open-next",
    ".svelte-kit",
    ".vercel",
    ".next",
    ".wrangler",
    ".nuxt",
    ".astro",
    ".mastra",
    ".react-router",
    "_worker.js",
];

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let sections = std::iter::once(&config.file.top).chain(&config.file.envs);
        for section in sections {
            let Some(main) = &section.main else { continue };
            let spec = main.value.as_str();
            let path = normalize(&config.dir.join(spec));
            let folder = match ix.source(&path) {
                Some(SourceDoc::Skipped(SkipReason::NotFound)) => false,
                Some(SourceDoc::Skipped(SkipReason::Directory)) => true,
                Some(_) => continue,
                // Not a source module at all (e.g. `main = "dist/worker.mjs"`): a file must exist.
                None => match ix.ws.main_kinds.get(&path) {
                    Some(Kind::File) => continue,
                    Some(Kind::Dir) => true,
                    Some(Kind::Other) | None => false,
                },
            };
            if folder {
                cx.report(
                    "missing-main",
                    &config.path,
                    main.range,
                    format!(
                        "`main` names `{spec}`, which is a folder; it must name the entry module (e.g. `{}/index.ts`)",
                        spec.trim_end_matches('/')
                    ),
                );
                continue;
            }
            if crate::project::is_module_specifier(spec) {
                cx.report(
                    "missing-main",
                    &config.path,
                    main.range,
                    format!("`main` names `{spec}`, a package or virtual module rather than a file: it is resolved by the bundler and not checked"),
                )
                .at_most(Severity::Info);
                continue;
            }
            let build = section
                .build_command
                .as_ref()
                .or(config.file.top.build_command.as_ref());
            let in_output = std::path::Path::new(spec)
                .components()
                .any(|c| BUILD_OUTPUTS.contains(&c.as_os_str().to_string_lossy().as_ref()));
            let ignored = ix.ws.support.ignored_mains.contains(&path);
            if build.is_some() || in_output || ignored {
                let why = match build {
                    Some(cmd) => format!("`[build].command` (`{}`) writes it", cmd.value),
                    None if in_output => "it lies in a build output folder".to_string(),
                    None => "git ignores it, so a build writes it".to_string(),
                };
                cx.report(
                    "missing-main",
                    &config.path,
                    main.range,
                    format!("`main` names `{spec}`, which does not exist yet: {why}; run the build to check this worker's code"),
                )
                .at_most(Severity::Info);
                continue;
            }
            cx.report(
                "missing-main",
                &config.path,
                main.range,
                format!("`main` names `{spec}`, which does not exist"),
            );
        }
    }
}
