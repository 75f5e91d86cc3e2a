//! Worker families declared in TypeScript: Devflare (`devflare.config.ts`), Alchemy
//! (`alchemy.run.ts`, v1 async and v2 Effect) and Cloudflare's `cloudflare.config.ts`. Each
//! front-end reads its files statically (never executing them) into the same worker model the
//! wrangler front-end (`config/`) produces, with the span of every name and value, so the
//! index, the rules and the IDE features do not ask which front-end declared a worker (except
//! for what really differs: [`FrontEnd::migrations`]).
//!
//! Values that cannot be known statically (a name from `process.env`, a helper call, a spread)
//! are left out of the model: the rules that depend on them stay silent.

pub mod alchemy;
pub mod alchemy2;
mod build;
pub mod cfconfig;
pub mod devflare;
pub mod expr;
pub mod program;

use crate::base::TextRange;
use crate::config::ConfigFile;
use crate::project::FileSystem;
use crate::source::FileSummary;
use program::Program;
use std::path::{Path, PathBuf};

/// Who declared a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FrontEnd {
    /// A wrangler config (`wrangler.toml`, `.json`, `.jsonc`).
    Wrangler,
    Devflare,
    /// Alchemy's async generation (`await Worker("id", {...})` from `alchemy/cloudflare`).
    AlchemyV1,
    /// Alchemy's Effect generation (`Cloudflare.Worker(...)` from `alchemy/Cloudflare`).
    AlchemyV2,
    /// Cloudflare's `cloudflare.config.ts` (`defineWorker` from `cf/config`).
    CfConfig,
}

/// How a worker's Durable Object classes come to exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MigrationPolicy {
    /// Written migrations, replayed in order (wrangler, Devflare).
    Replayed,
    /// Made by the tool at deploy from the bindings (Alchemy): never ask for one.
    Automatic,
    /// Declared by the `exports` table (`cloudflare.config.ts`; wrangler's `exports` too).
    Exports,
}

impl FrontEnd {
    pub fn migrations(self) -> MigrationPolicy {
        match self {
            FrontEnd::Wrangler | FrontEnd::Devflare => MigrationPolicy::Replayed,
            FrontEnd::AlchemyV1 | FrontEnd::AlchemyV2 => MigrationPolicy::Automatic,
            FrontEnd::CfConfig => MigrationPolicy::Exports,
        }
    }

    /// What to know of a Durable Object namespace's life under this front-end (said on hover).
    pub fn namespace_note(self) -> Option<&'static str> {
        match self.migrations() {
            MigrationPolicy::Automatic => Some(
                "Migrations are automatic: Alchemy creates and deletes the Durable Object classes itself, never write one. Changing the namespace's logical id (its name string) deletes the namespace and all its objects' data: a new class is created and the old one deleted.",
            ),
            _ => None,
        }
    }

    /// What makes a worker host a Durable Object or workflow class, when it is not the
    /// class its main module exports by name: said where a binding names a class its host
    /// does not export.
    pub fn hosting_note(self) -> Option<&'static str> {
        match self {
            FrontEnd::AlchemyV2 => Some(
                "a worker hosts a Durable Object or workflow when it provides its layer (`X.make(...)`), yields one implemented inline, or lists it in its `Deps`",
            ),
            _ => None,
        }
    }

    /// Whether a worker's own Durable Object classes are exported only when one of its local
    /// bindings names them (Devflare's composed entry re-exports just those classes,
    /// `worker-entry/composed-worker.ts`): such a binding hosts the class for other workers,
    /// read by its own code or not.
    pub fn binding_hosts_class(self) -> bool {
        self == FrontEnd::Devflare
    }

    pub fn describe(self) -> &'static str {
        match self {
            FrontEnd::Wrangler => "wrangler",
            FrontEnd::Devflare => "Devflare",
            FrontEnd::AlchemyV1 | FrontEnd::AlchemyV2 => "Alchemy",
            FrontEnd::CfConfig => "cloudflare.config.ts",
        }
    }
}

/// One worker a TypeScript module declares.
#[derive(Clone, Debug)]
pub struct Declared {
    pub frontend: FrontEnd,
    /// The module that declares it.
    pub path: PathBuf,
    /// The declaration (the `Worker(...)` call, the `defineWorker(...)` object, ...).
    pub range: TextRange,
    /// The folder `main` is resolved against.
    pub dir: PathBuf,
    /// The worker in the common model; spans are in `path`. `format` is `TypeScript`.
    pub file: ConfigFile,
    /// Spans of model values that are references rather than literals spelling the value
    /// (`service` from `ref(...).worker`, a name from an imported constant): never rewritten
    /// by a rename or a fix.
    pub derived: Vec<TextRange>,
    /// What the front-end knows of modules beyond their source summaries.
    pub modules: Vec<ModuleFacts>,
}

/// What a front-end knows of a module that its source summary cannot show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleFacts {
    pub path: PathBuf,
    /// With `generated`, the whole summary of a module no file holds (the entry a tool
    /// generates from a worker's surfaces: Devflare's `do.*`, `ep.*`, `wf.*` files), its
    /// relative specifiers resolved from `path`'s folder. Else classes, exports and a default
    /// export merged into the real module's summary (Alchemy's tagged classes, whose RPC
    /// surface is a type argument).
    pub summary: FileSummary,
    pub generated: bool,
}

/// Module specifiers that identify each front-end.
const IMPORTS: &[(FrontEnd, &[&str])] = &[
    (FrontEnd::Devflare, &["devflare/config", "devflare"]),
    (FrontEnd::AlchemyV1, &["alchemy/cloudflare"]),
    (
        FrontEnd::AlchemyV2,
        &[
            "alchemy/Cloudflare",
            "alchemy/Cloudflare/Workers",
            "alchemy/Stack",
            "alchemy-effect/Cloudflare",
            "@oddlynew/alchemy/Cloudflare",
            "@oddlynew/alchemy/Cloudflare/Workers",
        ],
    ),
    (
        FrontEnd::CfConfig,
        &[
            "cf/config",
            "@cloudflare/config",
            "wrangler/experimental-config",
        ],
    ),
];

/// Whether a file name may hold worker declarations: the front-ends' conventional names, and
/// modules of infrastructure folders. A candidate counts only if it imports a front-end.
pub fn is_candidate_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some(lang_ok) = name
        .rsplit_once('.')
        .map(|(_, ext)| matches!(ext, "ts" | "mts" | "cts" | "js" | "mjs" | "cjs"))
    else {
        return false;
    };
    if !lang_ok || name.ends_with(".d.ts") {
        return false;
    }
    let stem = name.split('.').next().unwrap_or("");
    name.contains(".config.")
        || name.contains(".run.")
        || stem == "alchemy"
        || stem == "stack"
        || stem == "infra"
        || rel
            .split('/')
            .any(|p| matches!(p, "infra" | "stacks" | "alchemy" | "deploy"))
}

/// Whether creating or deleting a file (root-relative path) may change what a declaration
/// says: a surface a front-end finds by its name (Devflare's `do.*`, `ep.*`, `src/fetch.ts`).
pub fn is_surface_name(rel: &str) -> bool {
    devflare::is_surface_name(rel)
}

/// Words one of which every module specifier [`front_ends_of`] recognises contains.
const FRONT_END_WORDS: &[&str] = &[
    "devflare",
    "alchemy",
    "cf/config",
    "@cloudflare/config",
    "wrangler/experimental-config",
];

/// Whether a module's text may import a front-end (else [`front_ends_of`] finds none).
pub fn may_import_front_end(text: &str) -> bool {
    FRONT_END_WORDS
        .iter()
        .any(|w| memchr::memmem::find(text.as_bytes(), w.as_bytes()).is_some())
}

/// The front-ends a module is written for, from what it imports.
pub fn front_ends_of(values: &expr::ModuleValues) -> Vec<FrontEnd> {
    IMPORTS
        .iter()
        .filter(|(f, specs)| {
            values.imports_from(specs)
                || (*f == FrontEnd::Devflare
                    && values
                        .imports
                        .iter()
                        .any(|i| devflare::is_module(&i.from.value)))
        })
        .map(|(f, _)| *f)
        .collect()
}

/// What reading the TypeScript declarations found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub declared: Vec<Declared>,
    /// Every module read (the candidates and what they import): an edit of one re-reads the
    /// declarations.
    pub read: Vec<PathBuf>,
    /// The candidates that import a front-end, whether or not a worker could be read from
    /// them (a factory that branches on the mode declares nothing the reader can see).
    pub recognised: Vec<PathBuf>,
}

/// Reads every worker the candidate modules declare.
pub fn load(candidates: &[PathBuf], fs: &dyn FileSystem) -> Loaded {
    // Most candidates are tool configs (`vite.config.ts`, `tsup.config.ts`): one that cannot
    // import a front-end is not parsed, and the imports of one that does not are not read.
    let program = Program::load_with(candidates, fs, may_import_front_end, |m| {
        !front_ends_of(m).is_empty()
    });
    let mut out = Vec::new();
    let mut recognised = Vec::new();
    for path in candidates {
        let Some(module) = program.module(path) else {
            continue;
        };
        let front_ends = front_ends_of(module);
        if !front_ends.is_empty() {
            recognised.push(path.clone());
        }
        for frontend in front_ends {
            match frontend {
                FrontEnd::CfConfig => out.extend(cfconfig::read(&program, path)),
                FrontEnd::AlchemyV1 => out.extend(alchemy::read(&program, path)),
                FrontEnd::AlchemyV2 => out.extend(alchemy2::read(&program, path)),
                FrontEnd::Devflare => out.extend(devflare::read(&program, path, fs)),
                FrontEnd::Wrangler => {}
            }
        }
    }
    // A module several candidates read (a worker imported by two stacks) declares its workers
    // once; what the front-ends know of modules is kept whoever found it.
    let mut kept: Vec<Declared> = Vec::new();
    for d in out {
        match kept
            .iter_mut()
            .find(|k| k.frontend == d.frontend && k.path == d.path && k.range == d.range)
        {
            Some(k) => k.modules.extend(d.modules),
            None => kept.push(d),
        }
    }
    let out = kept;
    let mut read: Vec<PathBuf> = program.modules.keys().cloned().collect();
    // A real module a front-end tells facts of was read for them (Devflare's `worker.ts`).
    read.extend(
        out.iter()
            .flat_map(|d| &d.modules)
            .filter(|m| !m.generated)
            .map(|m| m.path.clone()),
    );
    read.sort();
    read.dedup();
    Loaded {
        declared: out,
        read,
        recognised,
    }
}

/// The folder a declaring module's relative paths are resolved against: its own.
pub fn dir_of(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

#[cfg(test)]
mod word_tests {
    use super::*;

    /// The pre-filter never hides a module [`front_ends_of`] would recognise.
    #[test]
    fn every_front_end_specifier_contains_a_front_end_word() {
        let specifiers = IMPORTS
            .iter()
            .flat_map(|(_, specs)| specs.iter().copied())
            .chain(devflare::MODULES.iter().copied())
            .chain(["../../packages/devflare/src/config-entry"]);
        for s in specifiers {
            assert!(
                may_import_front_end(&format!("import x from \"{s}\";")),
                "{s}"
            );
        }
        assert!(!may_import_front_end(
            "import { defineConfig } from \"vite\";"
        ));
    }
}
