//! The workspace: every config and every source reachable from a worker's `main`, each kept as
//! its text plus a compact summary. Changing one file re-summarises that file alone.

use crate::base::TextRange;
use crate::config::{parse_config, ConfigFile, ConfigFormat};
use crate::declare::FrontEnd;
use crate::project::packages::{PackageImport, Packages};
use crate::project::settings::SettingsError;
use crate::project::{
    self, parse_dotenv_names, resolve_module, Discovered, EntryKind, FileSystem, Settings,
    SkipReason, SETTINGS_FILE,
};
use crate::source::{
    declared_members_of, static_strings_with, summarize_with, words_with, EnvTypeMember,
    FileSummary, SourceLang, SummaryCache,
};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One worker declaration: a wrangler config, or a worker a TypeScript module declares.
#[derive(Clone, Debug)]
pub struct ConfigDoc {
    /// The file that declares the worker: a wrangler config, or a TypeScript module (which
    /// may declare several workers).
    pub path: PathBuf,
    /// The folder `main` and `.dev.vars` are resolved against.
    pub dir: PathBuf,
    pub text: Arc<str>,
    /// The worker in the common model, with spans in `path`.
    pub file: ConfigFile,
    /// Which front-end declared it.
    pub frontend: FrontEnd,
    /// The declaration within `path` (the whole file for a wrangler config).
    pub range: TextRange,
    /// Spans of model values that reference a value rather than spell it (see
    /// [`crate::declare::Declared::derived`]): renames and fixes never rewrite them.
    pub derived: Vec<TextRange>,
    /// Secret names declared beside the config: keys of `.dev.vars`, `.dev.vars.<env>`,
    /// `.env`, and their `.example` variants (also commented-out keys there).
    pub secrets: Vec<String>,
    /// The secrets files found beside the config (`.dev.vars`, `.dev.vars.<env>`, `.env`,
    /// ...), sorted, for links to them.
    pub secret_files: Vec<PathBuf>,
}

/// One source module.
#[derive(Debug)]
pub enum SourceDoc {
    Parsed {
        text: Arc<str>,
        summary: Arc<FileSummary>,
        /// Each module specifier the file imports or re-exports from that names a file of
        /// the workspace (relative, or a workspace package), and what it resolves to.
        deps: Vec<Dep>,
    },
    Skipped(SkipReason),
}

/// One import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dep {
    pub specifier: String,
    /// The file it resolves to; `None` when it names no file inside the root (or a workspace
    /// package whose module cannot be found).
    pub target: Option<PathBuf>,
    /// `false` when only types are imported: the module is not part of the runtime graph.
    pub runtime: bool,
    /// A workspace package import (`@acme/shared`) rather than a relative path.
    pub package: bool,
}

/// Files around the workers that tell what their code expects but are not part of it.
#[derive(Clone, Debug, Default)]
pub struct Support {
    /// The env type members of every `.d.ts` file near a worker (hand-written env types,
    /// `wrangler types` output of any name).
    pub declarations: Vec<(PathBuf, Vec<EnvTypeMember>)>,
    /// Test modules that use a test runtime's `env` (`cloudflare:test`, Devflare's
    /// `devflare/test`): every name they could read a binding by
    /// ([`crate::source::words`]).
    pub tests: Vec<(PathBuf, Vec<String>)>,
    pub vitest: Vec<VitestConfig>,
    /// For each wrangler config a vitest config runs tests with, the `main` the first such
    /// vitest config gives it (made from `vitest` by [`load_support`]: see
    /// [`Workspace::test_main`]).
    test_mains: foldhash::HashMap<PathBuf, Option<PathBuf>>,
    /// Wrangler configs a `vite.config.*` builds with the Cloudflare vite plugin
    /// (`cloudflare({ configPath, auxiliaryWorkers: [{ configPath }] })`): the plugin's entry
    /// re-exports `main` and always adds a default export. Sorted (see
    /// [`Support::is_vite_built`]).
    pub vite_built: Vec<PathBuf>,
    pub packages: Packages,
    /// Every folder holding a `package.json`, sorted: the projects of the repository.
    pub package_dirs: Vec<PathBuf>,
    /// `main` paths that do not exist and that the ignore files rule out: a build writes them.
    pub ignored_mains: Vec<PathBuf>,
}

impl Support {
    /// Whether a vite config builds this wrangler config with the Cloudflare plugin.
    pub fn is_vite_built(&self, config: &Path) -> bool {
        self.vite_built
            .binary_search_by(|p| p.as_path().cmp(config))
            .is_ok()
    }

    /// The project a folder belongs to: its nearest folder holding a `package.json` (or
    /// `root`).
    pub fn project_of<'a>(&'a self, dir: &Path, root: &'a Path) -> &'a Path {
        // The deepest ancestor that holds a `package.json`, looked up by folder (rules ask
        // this per reference; comparing with every package folder made it quadratic).
        dir.ancestors()
            .find_map(|a| {
                self.package_dirs
                    .binary_search_by(|p| p.as_path().cmp(a))
                    .ok()
                    .map(|i| self.package_dirs[i].as_path())
            })
            .unwrap_or(root)
    }
}

/// What a vitest config says about workers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VitestConfig {
    pub path: PathBuf,
    /// The wrangler configs it runs tests with (`wrangler.configPath`), each with the `main`
    /// that replaces the config's (`main` beside `wrangler`), resolved.
    pub configs: Vec<(PathBuf, Option<PathBuf>)>,
    /// Workers it defines for the tests (`miniflare.workers[].name`): they exist outside the
    /// workspace's configs.
    pub worker_names: Vec<String>,
}

impl SourceDoc {
    pub fn summary(&self) -> Option<&FileSummary> {
        match self {
            SourceDoc::Parsed { summary, .. } => Some(summary),
            SourceDoc::Skipped(_) => None,
        }
    }
    pub fn text(&self) -> Option<&Arc<str>> {
        match self {
            SourceDoc::Parsed { text, .. } => Some(text),
            SourceDoc::Skipped(_) => None,
        }
    }
    /// The file a specifier of this module resolves to.
    pub fn resolve(&self, specifier: &str) -> Option<&Path> {
        match self {
            SourceDoc::Parsed { deps, .. } => deps
                .iter()
                .find(|d| d.specifier == specifier)
                .and_then(|d| d.target.as_deref()),
            SourceDoc::Skipped(_) => None,
        }
    }

    /// Whether the module imports a workspace package whose module cannot be found: what
    /// that package reads from env is unknown.
    pub fn has_unresolved_package(&self) -> bool {
        match self {
            SourceDoc::Parsed { deps, .. } => deps
                .iter()
                .any(|d| d.package && d.runtime && d.target.is_none()),
            SourceDoc::Skipped(_) => false,
        }
    }
}

/// What an edit of a source file changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceUpdate {
    /// The file is not part of any worker's module graph.
    Outside,
    /// Only the file's summary: the set of modules and every import between them are as
    /// before, so an index may keep its module graph.
    Content,
    /// The set of modules or the imports between them may have changed.
    Graph,
}

#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub settings: Arc<Settings>,
    /// Problems in `workers-lsp.toml`.
    pub settings_errors: Vec<SettingsError>,
    /// The text of `workers-lsp.toml` as read (through the confined reader) when the settings
    /// were loaded.
    pub settings_text: Option<Arc<str>>,
    /// Every config, sorted by path.
    pub configs: Vec<Arc<ConfigDoc>>,
    /// Configs that could not be read.
    pub config_skips: Vec<(PathBuf, SkipReason)>,
    /// Folders that could not be listed: the workers in them are unknown.
    pub folder_skips: Vec<(PathBuf, SkipReason)>,
    /// Every source reachable from a worker's `main`.
    pub sources: foldhash::HashMap<PathBuf, Arc<SourceDoc>>,
    /// What each `main` that is not a source (a file of another kind, a package's name) leads
    /// to on disk, when something is there: read with the sources, through their reader.
    pub main_kinds: foldhash::HashMap<PathBuf, project::seen::Kind>,
    /// How many files have been summarised so far (a regression guard for incrementality).
    pub summaries_made: usize,
    /// Bumped by every change that may alter the settings, the configs or the module graph
    /// (not by an edit that only changes a module's summary): an index built at the same
    /// generation may keep its module graph.
    pub graph_generation: u64,
    /// Env types, tests, vitest configs and packages found beside the workers.
    pub support: Arc<Support>,
    /// TypeScript modules that may declare workers (by name; they count if they import a
    /// front-end), and every module their declarations were read from: an edit of one of
    /// these re-reads the declarations.
    pub declaration_candidates: Vec<PathBuf>,
    pub declaration_modules: Vec<PathBuf>,
    /// The candidates that import a front-end (whether or not workers could be read).
    pub declaration_files: Vec<PathBuf>,
    /// What front-ends know of modules beyond their summaries.
    pub module_facts: Arc<ModuleFactsByPath>,
    /// The folders of other families inside the root (see [`project::families`]): never
    /// walked, their files are not part of this workspace.
    pub nested: Vec<PathBuf>,
    /// The ignore files above the root, up to the project's (see [`project::ignores_above`]).
    pub ignores_above: project::IgnoresAbove,
    /// The settings this family inherits from its project when the root has no
    /// `workers-lsp.toml` of its own.
    pub inherited_settings: Option<Arc<Settings>>,
    /// The persistent summaries [`Workspace::refresh_sources`] reads modules through (set
    /// for a first load, then taken and saved by the caller; edits never use it).
    pub summary_cache: Option<Arc<SummaryCache>>,
}

impl Workspace {
    pub fn new(root: &Path) -> Workspace {
        Workspace {
            root: project::normalize(root),
            settings: Arc::new(Settings::default()),
            settings_errors: Vec::new(),
            settings_text: None,
            configs: Vec::new(),
            config_skips: Vec::new(),
            folder_skips: Vec::new(),
            sources: foldhash::HashMap::default(),
            main_kinds: foldhash::HashMap::default(),
            summaries_made: 0,
            graph_generation: 0,
            support: Arc::new(Support::default()),
            declaration_candidates: Vec::new(),
            declaration_modules: Vec::new(),
            declaration_files: Vec::new(),
            module_facts: Arc::new(ModuleFactsByPath::default()),
            nested: Vec::new(),
            ignores_above: project::IgnoresAbove::default(),
            inherited_settings: None,
            summary_cache: None,
        }
    }

    /// Loads one family of a project (see [`project::families`]): its folder without the
    /// families nested in it, with the settings it inherits.
    pub fn load_family(family: &project::families::Family, fs: &dyn FileSystem) -> Workspace {
        Workspace::load_family_cached(family, fs, None)
    }

    /// [`Workspace::load_family`] reading modules through a summary cache, which it leaves in
    /// [`Workspace::summary_cache`] for the caller to save.
    pub fn load_family_cached(
        family: &project::families::Family,
        fs: &dyn FileSystem,
        cache: Option<Arc<SummaryCache>>,
    ) -> Workspace {
        let mut ws = Workspace::new(&family.dir);
        ws.summary_cache = cache;
        ws.nested = family.nested.clone();
        ws.ignores_above = family.ignores_above.clone();
        ws.inherited_settings = family.inherited.clone();
        ws.reload_settings(fs);
        ws.reload_configs(fs);
        ws.refresh_sources(fs);
        ws
    }

    /// Whether a path belongs to this workspace's folder (not to a family nested in it).
    pub fn covers(&self, path: &Path) -> bool {
        path.starts_with(&self.root) && !self.nested.iter().any(|n| path.starts_with(n))
    }

    /// Loads the settings, every config and every reachable source from scratch.
    pub fn load(root: &Path, fs: &dyn FileSystem) -> Workspace {
        let mut ws = Workspace::new(root);
        ws.reload_settings(fs);
        ws.reload_configs(fs);
        ws.refresh_sources(fs);
        ws
    }

    pub fn settings_path(&self) -> PathBuf {
        self.root.join(SETTINGS_FILE)
    }

    pub fn reload_settings(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        let text = fs.read_text(&self.settings_path()).ok();
        let (settings, errors) = match (&text, &self.inherited_settings) {
            (Some(text), _) => Settings::parse(text),
            (None, Some(inherited)) => ((**inherited).clone(), Vec::new()),
            (None, None) => (Settings::default(), Vec::new()),
        };
        self.settings = Arc::new(settings);
        self.settings_errors = errors;
        self.settings_text = text;
    }

    /// Rediscovers and re-reads every config, and the files beside them.
    pub fn reload_configs(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        let found = self.discover(fs);
        self.folder_skips = found.unreadable_dirs.clone();
        let loaded: Vec<_> = found
            .configs
            .par_iter()
            .map(|p| (p.clone(), load_config(p, fs)))
            .collect();
        self.configs.clear();
        self.config_skips.clear();
        for (path, result) in loaded {
            match result {
                Ok(doc) => self.configs.push(Arc::new(doc)),
                Err(reason) => self.config_skips.push((path, reason)),
            }
        }
        self.declaration_candidates = found.ts_configs.clone();
        self.reload_declarations_only(fs);
        self.support = Arc::new(self.load_support(&found, self.summary_cache.as_deref(), fs));
    }

    /// What a walk of this workspace's folder finds (see [`project::discover_below`]).
    fn discover(&self, fs: &dyn FileSystem) -> Discovered {
        project::discover_below(
            &self.root,
            &self.ignores_above,
            &self.settings,
            &self.nested,
            fs,
        )
    }

    fn load_support(
        &self,
        found: &Discovered,
        cache: Option<&SummaryCache>,
        fs: &dyn FileSystem,
    ) -> Support {
        load_support(
            &self.root,
            &self.ignores_above,
            found,
            &self.configs,
            cache,
            fs,
        )
    }

    /// Re-reads the files beside the workers (after one of them changed).
    pub fn reload_support(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        let found = self.discover(fs);
        self.support = Arc::new(self.load_support(&found, None, fs));
        self.reresolve(fs);
    }

    /// The `main` a vitest config runs a config's tests with, replacing the config's own.
    pub fn test_main(&self, config: &Path) -> Option<&Path> {
        self.support
            .test_mains
            .get(config)
            .and_then(|m| m.as_deref())
    }

    /// Re-reads the workers TypeScript modules declare (after one of those modules changed).
    pub fn reload_declarations(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        self.reload_declarations_only(fs);
        self.refresh_sources(fs);
    }

    fn reload_declarations_only(&mut self, fs: &dyn FileSystem) {
        self.configs.retain(|c| c.frontend == FrontEnd::Wrangler);
        let (docs, read, recognised, facts) = load_declarations(&self.declaration_candidates, fs);
        self.declaration_modules = read;
        self.declaration_files = recognised;
        // Modules whose facts may have changed are summarised again.
        for path in self.module_facts.keys().chain(facts.keys()) {
            self.sources.remove(path);
        }
        self.module_facts = Arc::new(facts);
        self.configs.extend(docs.into_iter().map(Arc::new));
        self.configs
            .sort_by(|a, b| (&a.path, a.range.start).cmp(&(&b.path, b.range.start)));
    }

    /// Whether a span of a declaring file only references its value (see
    /// [`ConfigDoc::derived`]): a rename or fix must not rewrite it.
    pub fn is_derived(&self, file: &Path, range: TextRange) -> bool {
        self.configs
            .iter()
            .any(|c| c.path == file && !c.is_literal(range))
    }

    /// Whether a file is one the TypeScript declarations were read from.
    pub fn is_declaration_module(&self, path: &Path) -> bool {
        self.declaration_modules.iter().any(|p| p == path)
            || self.declaration_candidates.iter().any(|p| p == path)
    }

    /// Re-reads one config (after an edit), or adds it if new. A TypeScript module that
    /// declares workers (or that such a module reads) re-reads every declaration.
    pub fn update_config(&mut self, path: &Path, fs: &dyn FileSystem) {
        let rel = project::relative(&self.root, path);
        if self.is_declaration_module(path)
            || (SourceLang::from_path(path).is_some() && crate::declare::is_candidate_name(&rel))
        {
            if !self.declaration_candidates.iter().any(|c| c == path)
                && crate::declare::is_candidate_name(&rel)
                && fs.is_file(path)
            {
                self.declaration_candidates.push(path.to_path_buf());
                self.declaration_candidates.sort();
            }
            self.reload_declarations(fs);
            // The module may be a worker's source too (`main: import.meta.filename`).
            if self.sources.contains_key(path) {
                self.update_source(path, fs);
            }
            return;
        }
        self.graph_generation += 1;
        self.configs.retain(|c| c.path != path);
        self.config_skips.retain(|(p, _)| p != path);
        match load_config(path, fs) {
            Ok(doc) => {
                let at = self.configs.partition_point(|c| c.path < doc.path);
                self.configs.insert(at, Arc::new(doc));
            }
            Err(SkipReason::NotFound) => {}
            Err(reason) => self.config_skips.push((path.to_path_buf(), reason)),
        }
    }

    /// Re-reads the secrets files beside a config folder.
    pub fn update_secrets(&mut self, dir: &Path, fs: &dyn FileSystem) {
        for doc in self.configs.iter_mut().filter(|c| c.dir == dir) {
            let (secrets, secret_files) = read_secrets(dir, fs);
            if secrets != doc.secrets || secret_files != doc.secret_files {
                *doc = Arc::new(ConfigDoc {
                    secrets,
                    secret_files,
                    ..(**doc).clone()
                });
            }
        }
    }

    /// Re-summarises one source file (after an edit) and pulls in whatever it newly imports.
    /// Says whether the file is part of the workspace and whether the module graph changed.
    pub fn update_source(&mut self, path: &Path, fs: &dyn FileSystem) -> SourceUpdate {
        if !self.sources.contains_key(path) {
            // Not reachable (yet): a new import elsewhere may make it so.
            self.refresh_sources(fs);
            return if self.sources.contains_key(path) {
                SourceUpdate::Graph
            } else {
                SourceUpdate::Outside
            };
        }
        let doc = load_source(path, &self.support.packages, &self.module_facts, None, fs);
        self.summaries_made += 1;
        let deps = |d: &SourceDoc| match d {
            SourceDoc::Parsed { deps, .. } => deps
                .iter()
                .filter_map(|d| d.target.clone().map(|t| (t, d.runtime)))
                .collect::<Vec<_>>(),
            SourceDoc::Skipped(_) => Vec::new(),
        };
        let old = self.sources.get(path).map(|d| deps(d)).unwrap_or_default();
        let new = deps(&doc);
        self.sources.insert(path.to_path_buf(), Arc::new(doc));
        // The module graph only changes when the file's imports do: the common case of an
        // edit inside a function costs one summary and nothing else.
        if old != new {
            self.refresh_sources(fs);
            SourceUpdate::Graph
        } else {
            SourceUpdate::Content
        }
    }

    /// Forgets cached import resolutions (after files were created, deleted or renamed, which
    /// can change what a specifier names), then refreshes.
    pub fn reresolve(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        let updates: Vec<(PathBuf, Arc<SourceDoc>)> = self
            .sources
            .par_iter()
            .filter_map(|(path, doc)| match &**doc {
                SourceDoc::Parsed {
                    text,
                    summary,
                    deps,
                } => {
                    let new_deps = resolve_deps(path, summary, &self.support.packages, fs);
                    (new_deps != *deps).then(|| {
                        (
                            path.clone(),
                            Arc::new(SourceDoc::Parsed {
                                text: text.clone(),
                                summary: summary.clone(),
                                deps: new_deps,
                            }),
                        )
                    })
                }
                SourceDoc::Skipped(_) => None,
            })
            .collect();
        self.sources.extend(updates);
        // Skipped files (e.g. not found) may exist now: drop them so they are retried.
        self.sources
            .retain(|_, d| !matches!(&**d, SourceDoc::Skipped(_)));
        self.refresh_sources(fs);
    }

    /// Removes a deleted file (config or source).
    pub fn remove_file(&mut self, path: &Path, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        self.configs.retain(|c| c.path != path);
        self.config_skips.retain(|(p, _)| p != path);
        self.sources.remove(path);
        self.reresolve(fs);
    }

    /// The entry files of every worker: each environment's resolved `main` (or the one a
    /// vitest config runs it with).
    pub fn entry_files(&self) -> Vec<PathBuf> {
        let mut entries: Vec<PathBuf> = self
            .configs
            .iter()
            .flat_map(|c| {
                let test_main = self.test_main(&c.path).map(Path::to_path_buf);
                std::iter::once(&c.file.top)
                    .chain(c.file.envs.iter())
                    .filter_map(|s| s.main.as_ref())
                    .filter(|m| !project::is_module_specifier(&m.value))
                    .map(|m| project::normalize(&c.dir.join(&m.value)))
                    .chain(test_main)
                    .collect::<Vec<_>>()
            })
            .collect();
        entries.sort();
        entries.dedup();
        entries
    }

    /// Loads every source reachable from an entry that is not loaded yet (in parallel, one
    /// breadth-first layer at a time), and drops sources no longer reachable.
    pub fn refresh_sources(&mut self, fs: &dyn FileSystem) {
        self.graph_generation += 1;
        // A `main` must name its file exactly: wrangler does not resolve `src/index.js` to
        // `src/index.ts` ("The entry-point file at ... was not found").
        let entries: Vec<PathBuf> = self
            .entry_files()
            .into_iter()
            .filter(|p| SourceLang::from_path(p).is_some() || !fs.is_file(p))
            .collect();
        // Every module is loaded as soon as one that imports it is, on whichever thread is
        // free: a search by layers waited at each layer for its slowest module, and a
        // front-end's import chains are many layers deep. What is reached is the same.
        let reached: dashmap::DashSet<PathBuf, foldhash::fast::RandomState> = Default::default();
        let loaded: std::sync::Mutex<Vec<(PathBuf, Arc<SourceDoc>)>> = Default::default();
        let sources = &self.sources;
        let packages = &self.support.packages;
        let facts = &self.module_facts;
        let cache = self.summary_cache.as_deref();
        fn visit<'s>(
            scope: &rayon::Scope<'s>,
            path: PathBuf,
            reached: &'s dashmap::DashSet<PathBuf, foldhash::fast::RandomState>,
            load: &'s (dyn Fn(&Path) -> Arc<SourceDoc> + Sync),
        ) {
            if !reached.insert(path.clone()) {
                return;
            }
            if let SourceDoc::Parsed { deps, .. } = &*load(&path) {
                for dep in deps.iter().filter(|d| d.runtime) {
                    if let Some(t) = &dep.target {
                        if !reached.contains(t) && SourceLang::from_path(t).is_some() {
                            let t = t.clone();
                            scope.spawn(move |scope| visit(scope, t, reached, load));
                        }
                    }
                }
            }
        }
        // The module at a path: the one loaded before, else a new one (kept for the end).
        let load = |p: &Path| -> Arc<SourceDoc> {
            if let Some(doc) = sources.get(p) {
                return doc.clone();
            }
            let doc = Arc::new(load_source(p, packages, facts, cache, fs));
            lock(&loaded).push((p.to_path_buf(), doc.clone()));
            doc
        };
        rayon::scope(|scope| {
            for p in entries {
                let load = &load;
                let reached = &reached;
                scope.spawn(move |scope| visit(scope, p, reached, load));
            }
        });
        let loaded = loaded.into_inner().unwrap_or_else(|e| e.into_inner());
        self.summaries_made += loaded.len();
        self.sources.extend(loaded);
        let reached: HashSet<PathBuf> = reached.into_iter().collect();
        self.sources.retain(|p, _| reached.contains(p));
        let main_kinds = self
            .configs
            .iter()
            .flat_map(|c| {
                std::iter::once(&c.file.top)
                    .chain(c.file.envs.iter())
                    .filter_map(|s| s.main.as_ref())
                    .map(|m| project::normalize(&c.dir.join(&m.value)))
            })
            .filter(|p| !self.sources.contains_key(p))
            .filter_map(|p| {
                let kind = if fs.is_file(&p) {
                    project::seen::Kind::File
                } else if fs.is_dir(&p) {
                    project::seen::Kind::Dir
                } else {
                    return None;
                };
                Some((p, kind))
            })
            .collect();
        self.main_kinds = main_kinds;
    }

    /// Whether every worker of the root is known: no folder went unlisted and no config went
    /// unread. When a worker may be hidden, a name that matches none is not known to be wrong.
    pub fn workers_complete(&self) -> bool {
        self.folder_skips.is_empty()
            && self
                .config_skips
                .iter()
                .all(|(_, r)| matches!(r, SkipReason::NotFound | SkipReason::Directory))
    }

    pub fn config(&self, path: &Path) -> Option<&Arc<ConfigDoc>> {
        // Sorted by path, then by where in a declaring file (`reload_declarations_only`, and
        // a single config inserted at its place): the first of a path is found by halving.
        debug_assert!(self
            .configs
            .is_sorted_by(|a, b| (&a.path, a.range.start) <= (&b.path, b.range.start)));
        let at = self.configs.partition_point(|c| c.path.as_path() < path);
        self.configs.get(at).filter(|c| c.path == path)
    }

    /// The text of any file of the workspace (config or source).
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(c) = self.config(path) {
            return Some(c.text.clone());
        }
        if path == self.settings_path() {
            return self.settings_text.clone();
        }
        self.sources.get(path).and_then(|s| s.text().cloned())
    }
}

fn load_config(path: &Path, fs: &dyn FileSystem) -> Result<ConfigDoc, SkipReason> {
    let text = fs.read_text(path)?;
    let text_len = text.len();
    let format = ConfigFormat::from_path(path).unwrap_or(ConfigFormat::Jsonc);
    let file = parse_config(format, &text);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let (secrets, secret_files) = read_secrets(&dir, fs);
    Ok(ConfigDoc {
        path: path.to_path_buf(),
        dir,
        text,
        file,
        secrets,
        secret_files,
        frontend: FrontEnd::Wrangler,
        range: TextRange::from_usize(0, text_len),
        derived: Vec::new(),
    })
}

impl ConfigDoc {
    /// Whether a model span spells its value (a literal a rename or fix may rewrite).
    pub fn is_literal(&self, range: TextRange) -> bool {
        !self.derived.contains(&range)
    }

    /// Whether a name is a front-end's stand-in for one it cannot know (`<names.api>` for a
    /// computed `name`): derived and written like a placeholder. It links references by
    /// identity, and is never judged as a real name (nor marks a template).
    pub fn is_stand_in(&self, name: &crate::base::Spanned<String>) -> bool {
        !self.is_literal(name.range) && crate::analysis::index::is_placeholder(&name.value)
    }
}

/// What front-ends know of modules beyond their summaries, by path.
pub type ModuleFactsByPath = foldhash::HashMap<PathBuf, crate::declare::ModuleFacts>;

/// The workers TypeScript modules declare, as config documents, and what the front-ends know
/// of modules.
fn load_declarations(
    candidates: &[PathBuf],
    fs: &dyn FileSystem,
) -> (
    Vec<ConfigDoc>,
    Vec<PathBuf>,
    Vec<PathBuf>,
    ModuleFactsByPath,
) {
    let crate::declare::Loaded {
        declared,
        read,
        recognised,
    } = crate::declare::load(candidates, fs);
    let mut facts = ModuleFactsByPath::default();
    for d in &declared {
        for m in &d.modules {
            match facts.get_mut(&m.path) {
                Some(existing) => merge_summary(&mut existing.summary, &m.summary),
                None => {
                    facts.insert(m.path.clone(), m.clone());
                }
            }
        }
    }
    let docs = declared
        .into_iter()
        .filter_map(|d| {
            let text = fs.read_text(&d.path).ok()?;
            let (secrets, secret_files) = read_secrets(&d.dir, fs);
            Some(ConfigDoc {
                path: d.path,
                dir: d.dir,
                text,
                file: d.file,
                secrets,
                secret_files,
                frontend: d.frontend,
                range: d.range,
                derived: d.derived,
            })
        })
        .collect();
    (docs, read, recognised, facts)
}

/// Adds what `extra` declares to `summary`: its classes (one the summary has by that name is
/// replaced, in place: the front-end knows its surface), exports, a default export (replacing
/// the summary's: the front-end knows what the value is), calls on binding handles and the
/// handles.
fn merge_summary(summary: &mut FileSummary, extra: &FileSummary) {
    for c in &extra.classes {
        match summary
            .classes
            .iter_mut()
            .find(|k| k.name.value == c.name.value)
        {
            Some(existing) if existing.described || !c.described => {}
            Some(existing) => *existing = c.clone(),
            None => summary.classes.push(c.clone()),
        }
    }
    summary.env_calls.extend(extra.env_calls.iter().cloned());
    summary
        .binding_handles
        .extend(extra.binding_handles.iter().cloned());
    for e in &extra.exports {
        if !summary
            .exports
            .iter()
            .any(|k| k.exported().value == e.exported().value)
        {
            summary.exports.push(e.clone());
        }
    }
    summary
        .export_stars
        .extend(extra.export_stars.iter().cloned());
    if extra.default_export.is_some() {
        summary.default_export = extra.default_export.clone();
    }
}

/// The file `wrangler types` generates beside a config.
pub const GENERATED_TYPES: &str = "worker-configuration.d.ts";

/// Files beside a config whose keys count as declared secrets: `.dev.vars`, `.env`, their
/// per-environment and example variants (`.dev.vars.example`, `.env_example`).
pub fn is_secrets_file(name: &str) -> bool {
    ["dev.vars", "env"].iter().any(|stem| {
        name.strip_prefix('.')
            .and_then(|n| n.strip_prefix(stem))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('_'))
    })
}

/// Whether a secrets file only documents names (`.dev.vars.example`): its commented-out
/// keys count too.
fn is_example(name: &str) -> bool {
    ["example", "sample", "template"]
        .iter()
        .any(|w| name.contains(w))
}

/// The secret names declared beside a config, and the secrets files that hold them.
fn read_secrets(dir: &Path, fs: &dyn FileSystem) -> (Vec<String>, Vec<PathBuf>) {
    let mut names = Vec::new();
    let Ok(entries) = fs.list_dir(dir) else {
        return (names, Vec::new());
    };
    // Sorted by name; symlinks are read through the confined reader like any file.
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .filter(|e| e.kind != EntryKind::Dir && is_secrets_file(&e.name))
        .map(|e| e.path)
        .collect();
    // Only the files that could be read (not a folder named `.env`, not outside the root).
    files.retain(|f| match fs.read_text(f) {
        Ok(text) => {
            names.extend(parse_dotenv_names(&text));
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.as_deref().is_some_and(is_example) {
                // `#API_KEY=""`: documented, set elsewhere.
                let uncommented: String = text
                    .lines()
                    .filter_map(|l| l.trim_start().strip_prefix('#'))
                    .map(|l| format!("{}\n", l.trim_start()))
                    .collect();
                names.extend(parse_dotenv_names(&uncommented));
            }
            true
        }
        Err(_) => false,
    });
    names.sort();
    names.dedup();
    (names, files)
}

/// Reads what lies beside the workers: env types of `.d.ts` files (in a config's folder, its
/// subfolders or its parents, and `worker-configuration.d.ts` even when ignored), env reads of
/// test modules inside a config's folder, vitest configs, workspace packages.
fn load_support(
    root: &Path,
    ignores_above: &project::IgnoresAbove,
    found: &Discovered,
    configs: &[Arc<ConfigDoc>],
    cache: Option<&SummaryCache>,
    fs: &dyn FileSystem,
) -> Support {
    // Looked up by folder, not compared with every config's (thousands of test modules and
    // hundreds of configs in a large repository).
    let dirs: foldhash::HashSet<&Path> = configs.iter().map(|c| c.dir.as_path()).collect();
    // The config folders and every folder above one.
    let above: foldhash::HashSet<&Path> = dirs.iter().flat_map(|d| d.ancestors()).collect();
    let inside_a_worker = |p: &Path| p.ancestors().any(|a| dirs.contains(a));
    // In a config's folder or below, or in a folder above one.
    let near_a_worker = |p: &Path| {
        let Some(dir) = p.parent() else { return false };
        inside_a_worker(dir) || above.contains(dir)
    };
    let mut declaration_files: Vec<PathBuf> = found
        .declarations
        .iter()
        .filter(|p| near_a_worker(p))
        .cloned()
        .collect();
    for d in &dirs {
        let generated = d.join(GENERATED_TYPES);
        if fs.is_file(&generated) {
            declaration_files.push(generated);
        }
    }
    declaration_files.sort();
    declaration_files.dedup();
    let declarations = declaration_files
        .par_iter()
        .filter_map(|p| {
            let members = declared_members_of(cache, p, fs)?;
            (!members.is_empty()).then(|| (p.clone(), members))
        })
        .collect();
    let tests = found
        .tests
        .par_iter()
        .filter(|p| inside_a_worker(p))
        .filter_map(|p| {
            let text = fs.read_text(p).ok()?;
            // The test runtimes: `cloudflare:test`, Devflare's `devflare/test`.
            [&b"cloudflare:test"[..], b"devflare/test"]
                .iter()
                .find(|m| memchr::memmem::find(text.as_bytes(), m).is_some())?;
            SourceLang::from_path(p)?;
            Some((p.clone(), words_with(cache, &text)))
        })
        .collect();
    let vitest: Vec<VitestConfig> = found
        .vitest_configs
        .par_iter()
        .filter_map(|p| read_vitest(p, cache, fs))
        .collect();
    let mut test_mains: foldhash::HashMap<PathBuf, Option<PathBuf>> = Default::default();
    for (config, main) in vitest.iter().flat_map(|v| &v.configs) {
        test_mains
            .entry(config.clone())
            .or_insert_with(|| main.clone());
    }
    let mut vite_built: Vec<PathBuf> = found
        .vite_configs
        .par_iter()
        .flat_map_iter(|p| read_vite(p, cache, fs))
        .collect();
    vite_built.sort();
    vite_built.dedup();
    Support {
        declarations,
        tests,
        vitest,
        test_mains,
        vite_built,
        packages: Packages::load(&found.packages, fs),
        package_dirs: {
            // The parents of sorted files are not always sorted (`a/b/package.json` sorts
            // before `a/package.json`).
            let mut dirs: Vec<PathBuf> = found
                .packages
                .iter()
                .filter_map(|p| p.parent().map(Path::to_path_buf))
                .collect();
            dirs.sort();
            dirs.dedup();
            dirs
        },
        ignored_mains: configs
            .iter()
            .flat_map(|c| {
                std::iter::once(&c.file.top)
                    .chain(&c.file.envs)
                    .filter_map(|s| s.main.as_ref())
                    .filter(|m| !project::is_module_specifier(&m.value))
                    .map(|m| project::normalize(&c.dir.join(&m.value)))
                    .collect::<Vec<_>>()
            })
            .filter(|m| {
                !fs.is_file(m) && project::is_ignored_path_below(root, ignores_above, m, fs)
            })
            .collect(),
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The wrangler configs a vite config builds with the Cloudflare plugin (every `configPath`
/// string of a module that imports `@cloudflare/vite-plugin`).
fn read_vite(path: &Path, cache: Option<&SummaryCache>, fs: &dyn FileSystem) -> Vec<PathBuf> {
    let (Ok(text), Some(lang), Some(dir)) = (
        fs.read_text(path),
        SourceLang::from_path(path),
        path.parent(),
    ) else {
        return Vec::new();
    };
    if memchr::memmem::find(text.as_bytes(), b"@cloudflare/vite-plugin").is_none() {
        return Vec::new();
    }
    let named: Vec<PathBuf> = static_strings_with(cache, &text, lang)
        .into_iter()
        .filter(|s| s.path.last().is_some_and(|k| k == "configPath"))
        .map(|s| project::normalize(&dir.join(&s.value.value)))
        .collect();
    if !named.is_empty() {
        return named;
    }
    // `cloudflare()` without a `configPath` builds the config beside the vite config.
    ["wrangler.json", "wrangler.jsonc", "wrangler.toml"]
        .iter()
        .map(|n| dir.join(n))
        .collect()
}

/// What a vitest config says about workers, from its string literals.
fn read_vitest(
    path: &Path,
    cache: Option<&SummaryCache>,
    fs: &dyn FileSystem,
) -> Option<VitestConfig> {
    let text = fs.read_text(path).ok()?;
    let lang = SourceLang::from_path(path)?;
    let dir = path.parent()?;
    let mut config = VitestConfig {
        path: path.to_path_buf(),
        ..VitestConfig::default()
    };
    // Both keys it reads are spelt in the text (static strings only have literal keys): a
    // config that names neither is not parsed.
    if !["wrangler", "miniflare"]
        .iter()
        .any(|k| memchr::memmem::find(text.as_bytes(), k.as_bytes()).is_some())
    {
        return Some(config);
    }
    let strings = static_strings_with(cache, &text, lang);
    for s in &strings {
        let p: Vec<&str> = s.path.iter().map(String::as_str).collect();
        if let [prefix @ .., "wrangler", "configPath"] = p.as_slice() {
            let main = strings.iter().find_map(|m| {
                let mp: Vec<&str> = m.path.iter().map(String::as_str).collect();
                (mp.len() == prefix.len() + 1
                    && mp.starts_with(prefix)
                    && mp.last() == Some(&"main"))
                .then(|| project::normalize(&dir.join(&m.value.value)))
            });
            config
                .configs
                .push((project::normalize(&dir.join(&s.value.value)), main));
        }
        if p.contains(&"miniflare") && p.ends_with(&["workers", "[]", "name"]) {
            config.worker_names.push(s.value.value.clone());
        }
    }
    Some(config)
}

fn load_source(
    path: &Path,
    packages: &Packages,
    facts: &ModuleFactsByPath,
    cache: Option<&SummaryCache>,
    fs: &dyn FileSystem,
) -> SourceDoc {
    let known = facts.get(path);
    if let Some(generated) = known.filter(|f| f.generated) {
        let summary = generated.summary.clone();
        let deps = resolve_deps(path, &summary, packages, fs);
        return SourceDoc::Parsed {
            text: Arc::from(""),
            summary: Arc::new(summary),
            deps,
        };
    }
    let Some(lang) = SourceLang::from_path(path) else {
        if fs.is_dir(path) {
            return SourceDoc::Skipped(SkipReason::Directory);
        }
        return SourceDoc::Skipped(SkipReason::NotAFile);
    };
    match fs.read_text(path) {
        Ok(text) => {
            let mut summary = summarize_with(cache, &text, lang);
            if let Some(extra) = known {
                merge_summary(&mut summary, &extra.summary);
            }
            let deps = resolve_deps(path, &summary, packages, fs);
            SourceDoc::Parsed {
                text,
                summary: Arc::new(summary),
                deps,
            }
        }
        Err(reason) => SourceDoc::Skipped(reason),
    }
}

/// Resolves every specifier a module imports or re-exports from that names a module of the
/// workspace: relative paths, and workspace packages by name.
fn resolve_deps(
    path: &Path,
    summary: &FileSummary,
    packages: &Packages,
    fs: &dyn FileSystem,
) -> Vec<Dep> {
    use crate::source::{DefaultExport, Export};
    fn reexport_from(e: &Export) -> Option<&str> {
        match e {
            Export::ReExport { from, .. } => Some(from.value.as_str()),
            Export::Local { .. } => None,
        }
    }
    let mut specs: Vec<(&str, bool)> = summary
        .imports
        .iter()
        .map(|i| i.from.value.as_str())
        .chain(summary.export_stars.iter().map(|s| s.value.as_str()))
        .chain(summary.exports.iter().filter_map(reexport_from))
        .chain(summary.default_export.iter().filter_map(|d| match d {
            DefaultExport::ReExport { from, .. } => Some(from.value.as_str()),
            _ => None,
        }))
        .map(|s| (s, true))
        .chain(
            summary
                .type_imports
                .iter()
                .map(|i| i.from.value.as_str())
                .chain(summary.type_exports.iter().filter_map(reexport_from))
                .map(|s| (s, false)),
        )
        .collect();
    // A specifier imported for its values and its types is a runtime import.
    specs.sort_unstable_by(|a, b| (a.0, !a.1).cmp(&(b.0, !b.1)));
    specs.dedup_by(|a, b| a.0 == b.0);
    specs
        .into_iter()
        .filter_map(|(s, runtime)| {
            if s.starts_with('.') {
                return Some(Dep {
                    specifier: s.to_string(),
                    target: resolve_module(fs, path, s),
                    runtime,
                    package: false,
                });
            }
            if packages.is_empty() {
                return None;
            }
            match packages.resolve(s, fs) {
                PackageImport::External => None,
                PackageImport::Module(p) => Some(Dep {
                    specifier: s.to_string(),
                    target: Some(p),
                    runtime,
                    package: true,
                }),
                PackageImport::Unresolved => Some(Dep {
                    specifier: s.to_string(),
                    target: None,
                    runtime,
                    package: true,
                }),
            }
        })
        .collect()
}
