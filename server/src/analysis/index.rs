//! The workspace index: workers with their environments resolved the way wrangler resolves
//! them, worker names, module graphs, and symbol resolution through re-exports and class
//! chains. Built from a [`Workspace`] without parsing anything.
//!
//! Resolution distinguishes "absent" from "unknown": an answer that depends on a package
//! import, an unresolvable specifier or a skipped file is `Unknown`, and rules stay silent on
//! it (a false positive in CI is worse than a missed finding).

use crate::analysis::suppress;
use crate::analysis::workspace::{ConfigDoc, SourceDoc, Workspace};
use crate::base::TextRange;
use crate::config::{
    DurableObjectBinding, EnvSection, ExportDecl, Migration, QueueConsumer, QueueProducer,
    ServiceBinding, TailConsumer, WorkflowBinding,
};
use crate::project;
use crate::source::{ClassDecl, DefaultExport, Export, FileSummary, Member};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A worker (one config) and its environments.
#[derive(Debug)]
pub struct Worker {
    pub config: Arc<ConfigDoc>,
    /// `envs[0]` is the top level; then one per `[env.E]` in source order.
    pub envs: Vec<WorkerEnv>,
    pub role: WorkerRole,
}

/// What a config is for. Only production configs are deployed as they are; the others
/// describe a worker for tests, a template to fill in, or a variant of a production config.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WorkerRole {
    /// Deployed as written.
    Production,
    /// Another config beside a canonical `wrangler.{json,jsonc,toml}` in the same folder
    /// (`wrangler.staging.toml`, `wrangler.module.toml`): a second way to deploy one worker.
    Variant,
    /// Run by tests: named by a vitest config, in a test folder, named like a test
    /// (`wrangler.test.jsonc`), or nameless (wrangler cannot deploy it).
    Test,
    /// A template with placeholders (`wrangler.template.jsonc`, `name = "{{NAME}}"`).
    Template,
}

impl WorkerRole {
    /// Whether findings about this config are reported: tests and templates are not
    /// deployed, so a mistake in them is not a deploy failure.
    pub fn is_checked(self) -> bool {
        matches!(self, WorkerRole::Production | WorkerRole::Variant)
    }
}

/// A name that is a placeholder of a template: `{{NAME}}`, `<WORKER_NAME>`, `<%= name %>`,
/// `${NAME}`, `%NAME%`, `__NAME__`. None of these characters is valid in a worker name, and
/// `__X__` names a variable, not a worker.
pub fn is_placeholder(name: &str) -> bool {
    let dunder = name.len() > 4
        && name.starts_with("__")
        && name.ends_with("__")
        && name[2..name.len() - 2]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit());
    dunder || name.contains(['{', '}', '<', '>', '%', '$'])
}

/// Whether a worker name is one a TypeScript front-end could only partly know: a synthetic
/// name, never spelt in a file, whose `<...>` parts stand for any text (`shop-api-<stage>`
/// for Alchemy's default `${app}-${id}-${stage}` with the stage unknown).
pub fn is_name_pattern(config: &ConfigDoc, name: &crate::base::Spanned<String>) -> bool {
    name.value.contains('<') && !config.is_literal(name.range)
}

/// Whether a name may be what a name pattern stands for: its known parts appear in order,
/// the first at the start and the last at the end.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('<') {
        pieces.push(&rest[..open]);
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    pieces.push(rest);
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return name == first;
    }
    if !name.starts_with(first) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut at = first.len();
    let end = name.len() - last.len();
    if !name[end..].eq(last) {
        return false;
    }
    for piece in &pieces[1..pieces.len() - 1] {
        match name[at..end].find(piece) {
            Some(i) => at += i + piece.len(),
            None => return false,
        }
    }
    true
}

/// wrangler reads `wrangler.json`, then `.jsonc`, then `.toml`: in a folder holding several
/// configs, the first of those is the worker, the others are variants of it.
const CANONICAL: &[&str] = &["wrangler.json", "wrangler.jsonc", "wrangler.toml"];

/// The lowercased file name of a config.
fn config_file_name(c: &ConfigDoc) -> String {
    c.path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Per folder, which of the [`CANONICAL`] names its configs bear: computed once per index (a
/// scan of every config per config was quadratic in the workers).
fn canonical_names_by_dir(ws: &Workspace) -> foldhash::HashMap<&Path, [bool; 3]> {
    let mut out: foldhash::HashMap<&Path, [bool; 3]> = foldhash::HashMap::default();
    for c in &ws.configs {
        let name = config_file_name(c);
        if let Some(i) = CANONICAL.iter().position(|n| *n == name) {
            out.entry(c.dir.as_path()).or_default()[i] = true;
        }
    }
    out
}

fn role_of(
    ws: &Workspace,
    config: &ConfigDoc,
    canonical: &foldhash::HashMap<&Path, [bool; 3]>,
) -> WorkerRole {
    let name = config_file_name(config);
    let parts: Vec<&str> = name.split('.').collect();
    let inner = if parts.len() > 2 {
        &parts[1..parts.len() - 1]
    } else {
        &[][..]
    };
    let marked = |words: &[&str]| {
        inner.iter().any(|p| {
            words
                .iter()
                .any(|w| p == w || p.split(['-', '_']).any(|x| x == *w))
        })
    };
    if marked(&["template", "tmpl", "example", "sample"])
        || config
            .file
            .top
            .name
            .as_ref()
            .is_some_and(|n| is_placeholder(&n.value) && !config.is_stand_in(n))
    {
        return WorkerRole::Template;
    }
    let rel = project::relative(&ws.root, &config.path);
    let named_by_vitest = ws
        .support
        .vitest
        .iter()
        .any(|v| v.configs.iter().any(|(c, _)| *c == config.path));
    if named_by_vitest
        || project::in_test_dir(&rel)
        || marked(&["test", "tests", "vitest", "spec", "e2e"])
        || (config.frontend == crate::declare::FrontEnd::Wrangler
            && config.file.syntax_errors.is_empty()
            && config.file.top.name.is_none())
    {
        return WorkerRole::Test;
    }
    // The first canonical name a config in this folder bears is the worker.
    let first_canonical = canonical.get(config.dir.as_path()).and_then(|present| {
        CANONICAL
            .iter()
            .zip(present)
            .find_map(|(name, &p)| p.then_some(name))
    });
    if first_canonical.is_some_and(|first| *first != name) {
        return WorkerRole::Variant;
    }
    WorkerRole::Production
}

/// One environment of a worker, with wrangler's inheritance applied.
#[derive(Debug)]
pub struct WorkerEnv {
    /// `None` for the top level.
    pub env: Option<String>,
    /// Index into `config.file.envs`, `None` for the top level.
    pub section: Option<usize>,
    /// The resolved worker name: `env.E.name`, else `<top name>-<E>`.
    pub name: Option<String>,
    /// Where that name is spelt (the env's own `name`, or the top-level `name` it derives from).
    pub name_range: Option<TextRange>,
    /// The resolved main module, when `main` is set (inherited from the top level).
    pub main: Option<PathBuf>,
    /// Whether `name` is only partly known ([`is_name_pattern`]).
    pub name_is_pattern: bool,
}

/// `(worker index, env index)`.
pub type EnvId = (usize, usize);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BaseKind {
    DurableObject,
    WorkerEntrypoint,
    WorkflowEntrypoint,
    RpcTarget,
    /// The chain ends in a class with no `extends`.
    None,
    /// The chain leaves what the workspace can see (a package, a mixin, a skipped file).
    Unknown,
}

impl BaseKind {
    fn from_builtin(name: &str) -> Option<BaseKind> {
        Some(match name {
            "DurableObject" => BaseKind::DurableObject,
            "WorkerEntrypoint" => BaseKind::WorkerEntrypoint,
            "WorkflowEntrypoint" => BaseKind::WorkflowEntrypoint,
            "RpcTarget" => BaseKind::RpcTarget,
            _ => return None,
        })
    }
    pub fn describe(self) -> &'static str {
        match self {
            BaseKind::DurableObject => "DurableObject",
            BaseKind::WorkerEntrypoint => "WorkerEntrypoint",
            BaseKind::WorkflowEntrypoint => "WorkflowEntrypoint",
            BaseKind::RpcTarget => "RpcTarget",
            BaseKind::None => "no base class",
            BaseKind::Unknown => "an unknown base class",
        }
    }
}

/// A class declared in some module.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClassRef {
    pub file: PathBuf,
    pub index: usize,
}

/// What an exported name resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportTarget {
    Class(ClassRef),
    /// A function, constant or namespace of the workspace.
    Value {
        file: PathBuf,
    },
    /// Re-exported from a package: exists, kind unknown.
    External,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved<T> {
    Found(T),
    Missing,
    Unknown,
}

/// A class with its base chain followed.
#[derive(Clone, Debug)]
pub struct ClassInfo {
    pub base: BaseKind,
    /// The class first, then its local base classes.
    pub chain: Vec<ClassRef>,
}

/// The default export of a main module, resolved.
#[derive(Clone, Debug)]
pub enum DefaultInfo {
    Object {
        handlers: Vec<String>,
    },
    Class(ClassRef),
    /// A value the summary cannot see into (e.g. a Hono app): assumed to handle `fetch`.
    Other,
    Missing,
    Unknown,
}

pub struct Index {
    pub ws: Arc<Workspace>,
    /// Shared with the previous index after an edit that left configs and module graphs as
    /// they were.
    pub workers: Arc<Vec<Worker>>,
    /// Resolved worker name -> every environment that resolves to it.
    pub by_name: Arc<HashMap<String, Vec<EnvId>>>,
    /// Which modules each worker reaches: kept across edits that leave it as it was.
    graph: Arc<ModuleGraph>,
    /// Per worker, aligned with its `files_of_worker`: the source of each module, looked up
    /// once per index (the rules walk every worker's modules, and a lookup hashes a path).
    worker_docs: Vec<Arc<[Option<Arc<SourceDoc>>]>>,
    /// The workspace's `graph_generation` the graph was computed at.
    generation: u64,
    /// [`Index::resolve_export`]'s answers so far: the rules ask for the same (module, name)
    /// pairs again and again (every binding of a class, every RPC call on it).
    exports: std::sync::Mutex<ExportMemo>,
    /// The files whose text holds a suppression marker ([`suppress::marked_texts`]): made on
    /// first use, or carried over from the previous index after an edit.
    marked: std::sync::OnceLock<Vec<suppress::Text>>,
}

type ExportMemo = foldhash::HashMap<(PathBuf, String), Resolved<ExportTarget>>;

/// The module graphs of every worker.
#[derive(Default)]
pub struct ModuleGraph {
    /// Main module -> every module reachable from it (itself included), sorted.
    reachable: foldhash::HashMap<PathBuf, Vec<PathBuf>>,
    /// Per worker: every module of its environments' module graphs, sorted.
    files_of_worker: Vec<Vec<PathBuf>>,
    /// Module -> the workers whose module graph contains it.
    workers_of_file: foldhash::HashMap<PathBuf, Vec<usize>>,
    /// Per worker, aligned with `files_of_worker`: the workers whose module graph contains
    /// each of its modules (what `workers_of_file` says, without a lookup by path).
    workers_of_worker_files: Vec<Vec<Arc<[usize]>>>,
    /// Module -> the modules that import it, by any import (types too: resolving an export
    /// follows those): made on first use, valid as long as the graph is (the imports of
    /// every module are what they were when it was computed).
    importers: std::sync::OnceLock<foldhash::HashMap<PathBuf, Vec<PathBuf>>>,
}

/// One module of a worker's module graph, as [`Index::worker_modules`] yields it.
pub struct WorkerModule<'a> {
    pub path: &'a PathBuf,
    /// What the workspace holds for it (`None`: it was not read).
    pub doc: Option<&'a SourceDoc>,
    /// The workers whose module graph contains it, in order.
    pub workers: &'a [usize],
}

impl ModuleGraph {
    fn compute(ws: &Workspace, workers: &[Worker]) -> ModuleGraph {
        let mut graph = ModuleGraph::default();
        let mains: foldhash::HashSet<&PathBuf> = workers
            .iter()
            .flat_map(|w| w.envs.iter().filter_map(|e| e.main.as_ref()))
            .collect();
        for main in mains {
            let files = reachable_from(ws, main);
            graph.reachable.insert(main.clone(), files);
        }
        for (w, worker) in workers.iter().enumerate() {
            let mut mains: Vec<&PathBuf> =
                worker.envs.iter().filter_map(|e| e.main.as_ref()).collect();
            mains.sort();
            mains.dedup();
            let mut files: Vec<PathBuf> = mains
                .iter()
                .filter_map(|m| graph.reachable.get(*m))
                .flatten()
                .cloned()
                .collect();
            // One main's reachable set is sorted already.
            if mains.len() > 1 {
                files.sort();
                files.dedup();
            }
            for f in &files {
                graph.workers_of_file.entry(f.clone()).or_default().push(w);
            }
            graph.files_of_worker.push(files);
        }
        let shared: foldhash::HashMap<&PathBuf, Arc<[usize]>> = graph
            .workers_of_file
            .iter()
            .map(|(f, ws)| (f, Arc::from(ws.as_slice())))
            .collect();
        graph.workers_of_worker_files = graph
            .files_of_worker
            .iter()
            .map(|files| files.iter().map(|f| shared[f].clone()).collect())
            .collect();
        graph
    }
}

fn reachable_from(ws: &Workspace, main: &Path) -> Vec<PathBuf> {
    let mut seen = foldhash::HashSet::default();
    let mut stack = vec![main];
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if !seen.insert(p) {
            continue;
        }
        if let Some((path, doc)) = ws.sources.get_key_value(p) {
            if let SourceDoc::Parsed { deps, .. } = &**doc {
                stack.extend(
                    deps.iter()
                        .filter(|d| d.runtime)
                        .filter_map(|d| d.target.as_deref()),
                );
            }
            out.push(path.clone());
        }
    }
    out.sort();
    out
}

const MAX_DEPTH: usize = 64;

impl Index {
    /// Indexes a workspace, computing every worker's module graph.
    pub fn new(ws: Arc<Workspace>) -> Index {
        let mut index = Index::without_graph(ws);
        index.graph = Arc::new(ModuleGraph::compute(&index.ws, &index.workers));
        index.look_up_worker_docs();
        index
    }

    /// Indexes a workspace after an edit of the module `edited` alone, sharing the module
    /// graph of `previous` when the workspace's configs and module graph have not changed
    /// since it was built (only `edited`'s summary did, see
    /// [`SourceUpdate::Content`](super::SourceUpdate)); else like [`Index::new`].
    pub fn with_graph_of(ws: Arc<Workspace>, previous: &Index, edited: &Path) -> Index {
        if previous.generation == ws.graph_generation
            && previous.graph.files_of_worker.len() == previous.workers.len()
            && previous.workers.len() == ws.configs.len()
        {
            // The configs are the ones `previous` was built from: so are its workers.
            let mut index = Index {
                generation: ws.graph_generation,
                ws,
                workers: previous.workers.clone(),
                by_name: previous.by_name.clone(),
                graph: previous.graph.clone(),
                worker_docs: Vec::new(),
                exports: Default::default(),
                marked: Default::default(),
            };
            if let Some(marked) = previous.marked.get() {
                let after = suppress::marked_texts_after_edit(&index.ws, marked, edited);
                let _ = index.marked.set(after);
            }
            // Every other module's source is the one `previous` looked up.
            index.worker_docs = previous.worker_docs.clone();
            let doc = index.ws.sources.get(edited).cloned();
            for &w in index
                .graph
                .workers_of_file
                .get(edited)
                .into_iter()
                .flatten()
            {
                if let Ok(at) =
                    index.graph.files_of_worker[w].binary_search_by(|f| f.as_path().cmp(edited))
                {
                    let mut docs = index.worker_docs[w].to_vec();
                    docs[at] = doc.clone();
                    index.worker_docs[w] = docs.into();
                }
            }
            index
        } else {
            Index::new(ws)
        }
    }

    fn look_up_worker_docs(&mut self) {
        let ws = &self.ws;
        self.worker_docs = self
            .graph
            .files_of_worker
            .iter()
            .map(|files| files.iter().map(|f| ws.sources.get(f).cloned()).collect())
            .collect();
    }

    fn without_graph(ws: Arc<Workspace>) -> Index {
        let mut workers = Vec::new();
        let canonical = canonical_names_by_dir(&ws);
        for config in &ws.configs {
            let file = &config.file;
            let top_name = file.top.name.as_ref();
            let test_main = ws.test_main(&config.path);
            let main_of = |s: &EnvSection| {
                if let Some(m) = test_main {
                    return Some(m.to_path_buf());
                }
                s.main
                    .as_ref()
                    .or(file.top.main.as_ref())
                    .filter(|m| !project::is_module_specifier(&m.value))
                    .map(|m| project::normalize(&config.dir.join(&m.value)))
            };
            let mut envs = vec![WorkerEnv {
                env: None,
                section: None,
                name: top_name.map(|n| n.value.clone()),
                name_range: top_name.map(|n| n.range),
                main: main_of(&file.top),
                name_is_pattern: top_name.is_some_and(|n| is_name_pattern(config, n)),
            }];
            for (i, section) in file.envs.iter().enumerate() {
                let Some(env_name) = &section.env_name else {
                    continue;
                };
                let (name, name_range) = match (&section.name, top_name) {
                    (Some(n), _) => (Some(n.value.clone()), Some(n.range)),
                    (None, Some(t)) => (
                        Some(format!("{}-{}", t.value, env_name.value)),
                        Some(t.range),
                    ),
                    (None, None) => (None, None),
                };
                let name_is_pattern = section
                    .name
                    .as_ref()
                    .or(top_name)
                    .is_some_and(|n| is_name_pattern(config, n));
                envs.push(WorkerEnv {
                    env: Some(env_name.value.clone()),
                    section: Some(i),
                    name,
                    name_range,
                    main: main_of(section),
                    name_is_pattern,
                });
            }
            workers.push(Worker {
                role: role_of(&ws, config, &canonical),
                config: config.clone(),
                envs,
            });
        }
        let mut by_name: HashMap<String, Vec<EnvId>> = HashMap::new();
        for (w, worker) in workers.iter().enumerate() {
            for (e, env) in worker.envs.iter().enumerate() {
                if let Some(n) = &env.name {
                    by_name.entry(n.clone()).or_default().push((w, e));
                }
            }
        }
        // Production configs first: a name resolves to what is deployed under it.
        for ids in by_name.values_mut() {
            ids.sort_by_key(|&(w, e)| (workers[w].role, w, e));
        }
        Index {
            generation: ws.graph_generation,
            ws,
            workers: Arc::new(workers),
            by_name: Arc::new(by_name),
            graph: Arc::new(ModuleGraph::default()),
            worker_docs: Vec::new(),
            exports: Default::default(),
            marked: Default::default(),
        }
    }

    /// Whether two indexes share one module graph (the second was built with
    /// [`Index::with_graph_of`] the first).
    pub fn shares_graph_with(&self, other: &Index) -> bool {
        Arc::ptr_eq(&self.graph, &other.graph)
    }

    // ----- workers and environments -----

    pub fn worker(&self, w: usize) -> &Worker {
        &self.workers[w]
    }

    pub fn env(&self, (w, e): EnvId) -> &WorkerEnv {
        &self.workers[w].envs[e]
    }

    /// The section that holds this environment's own (non-inheritable) keys.
    pub fn section(&self, (w, e): EnvId) -> &EnvSection {
        let worker = &self.workers[w];
        match worker.envs[e].section {
            None => &worker.config.file.top,
            Some(i) => &worker.config.file.envs[i],
        }
    }

    pub fn env_ids(&self) -> impl Iterator<Item = EnvId> + '_ {
        self.workers
            .iter()
            .enumerate()
            .flat_map(|(w, worker)| (0..worker.envs.len()).map(move |e| (w, e)))
    }

    /// The first environment that resolves to `name`, production configs first.
    pub fn lookup_name(&self, name: &str) -> Option<EnvId> {
        self.by_name.get(name).and_then(|v| v.first().copied())
    }

    /// The environment a reference written in worker `from` names (the first of
    /// [`Index::candidates`]).
    pub fn resolve_name(&self, from: usize, name: &str) -> Option<EnvId> {
        self.candidates(from, name).first().copied()
    }

    /// The environments a reference written in worker `from` may name, most likely first,
    /// and only those equally likely: `from`'s own environments when the name is its own (a
    /// worker binding itself); else, of the configs bearing the name, the production ones
    /// before variants and tests, and among those the ones nearest `from` (the longest common
    /// folder: the same project). Several results mean the reference is ambiguous.
    pub fn candidates(&self, from: usize, name: &str) -> Vec<EnvId> {
        let Some(ids) = self.by_name.get(name) else {
            return Vec::new();
        };
        let own: Vec<EnvId> = ids.iter().filter(|(w, _)| *w == from).copied().collect();
        if !own.is_empty() || ids.len() == 1 {
            // One bearer is the best of one: no ranking (the rules ask this for every
            // binding of every worker, and a rank compares folders component by component).
            return if own.is_empty() { ids.clone() } else { own };
        }
        let from_dir = self.workers.get(from).map(|w| w.config.dir.as_path());
        let rank = |&(w, _): &EnvId| {
            let worker = &self.workers[w];
            let shared = from_dir.map_or(0, |d| {
                d.components()
                    .zip(worker.config.dir.components())
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            (worker.role, std::cmp::Reverse(shared))
        };
        let ranks: Vec<_> = ids.iter().map(rank).collect();
        let Some(best) = ranks.iter().min() else {
            return Vec::new();
        };
        ids.iter()
            .zip(&ranks)
            .filter(|(_, r)| *r == best)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Whether a name that no worker bears may still be one: a name pattern of a worker
    /// stands for it ([`is_name_pattern`]), or the name is itself only partly known.
    pub fn may_name_unknown_worker(&self, name: &str) -> bool {
        name.contains('<')
            || self.workers.iter().any(|w| {
                w.envs.iter().any(|e| {
                    e.name_is_pattern && e.name.as_ref().is_some_and(|p| pattern_matches(p, name))
                })
            })
    }

    /// Whether a resolved name is a pattern ([`is_name_pattern`]) rather than a real name.
    pub fn is_pattern_name(&self, name: &str) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|ids| self.all_patterns(ids))
    }

    /// Whether every environment of a `by_name` entry bears its name as a pattern.
    pub fn all_patterns(&self, ids: &[EnvId]) -> bool {
        ids.iter().all(|&id| self.env(id).name_is_pattern)
    }

    /// The environment `E` of the worker that `id` belongs to.
    pub fn sibling_env(&self, (w, _): EnvId, env: Option<&str>) -> Option<EnvId> {
        self.workers[w]
            .envs
            .iter()
            .position(|e| e.env.as_deref() == env)
            .map(|e| (w, e))
    }

    pub fn services(&self, id: EnvId) -> &[ServiceBinding] {
        self.section(id).services.as_deref().unwrap_or(&[])
    }
    pub fn durable_objects(&self, id: EnvId) -> &[DurableObjectBinding] {
        self.section(id).durable_objects.as_deref().unwrap_or(&[])
    }
    pub fn workflows(&self, id: EnvId) -> &[WorkflowBinding] {
        self.section(id).workflows.as_deref().unwrap_or(&[])
    }
    pub fn queue_producers(&self, id: EnvId) -> &[QueueProducer] {
        self.section(id).queue_producers.as_deref().unwrap_or(&[])
    }
    pub fn queue_consumers(&self, id: EnvId) -> &[QueueConsumer] {
        self.section(id).queue_consumers.as_deref().unwrap_or(&[])
    }
    pub fn tail_consumers(&self, id: EnvId) -> &[TailConsumer] {
        self.section(id).tail_consumers.as_deref().unwrap_or(&[])
    }

    /// Migrations in effect for the environment (inherited unless the env sets its own).
    pub fn migrations(&self, id: EnvId) -> Option<&[Migration]> {
        self.section(id).migrations.as_deref().or(self.workers[id.0]
            .config
            .file
            .top
            .migrations
            .as_deref())
    }

    /// The `exports` table in effect (inherited unless the env sets its own).
    pub fn exports_decl(&self, id: EnvId) -> Option<&[ExportDecl]> {
        self.section(id).exports.as_deref().or(self.workers[id.0]
            .config
            .file
            .top
            .exports
            .as_deref())
    }

    /// Every name `env.X` can read in this environment: bindings of every kind, vars and
    /// secrets.
    pub fn declared_names(&self, id: EnvId) -> Vec<&str> {
        let s = self.section(id);
        let mut names: Vec<&str> = Vec::new();
        names.extend(self.services(id).iter().map(|b| b.binding.value.as_str()));
        names.extend(
            self.durable_objects(id)
                .iter()
                .map(|b| b.name.value.as_str()),
        );
        names.extend(self.workflows(id).iter().map(|b| b.binding.value.as_str()));
        names.extend(
            self.queue_producers(id)
                .iter()
                .map(|b| b.binding.value.as_str()),
        );
        names.extend(
            s.other_bindings
                .values()
                .flatten()
                .map(|b| b.binding.value.as_str()),
        );
        names.extend(s.vars.iter().flatten().map(|v| v.value.as_str()));
        names.extend(
            s.secrets_required
                .iter()
                .flatten()
                .map(|v| v.value.as_str()),
        );
        names.extend(self.workers[id.0].config.secrets.iter().map(String::as_str));
        names.extend(s.misplaced_bindings.iter().map(|b| b.value.as_str()));
        // `site` is inheritable: its implicit binding exists in every environment.
        let top = &self.workers[id.0].config.file.top;
        names.extend(
            s.implicit_bindings
                .iter()
                .chain(&top.implicit_bindings)
                .map(String::as_str),
        );
        names
    }

    /// Every source module of a worker, over all its environments' mains, sorted.
    pub fn worker_files(&self, w: usize) -> &[PathBuf] {
        &self.graph.files_of_worker[w]
    }

    /// Every module of a worker (as [`Index::worker_files`]) with its source and the workers
    /// that contain it, without a lookup by path.
    pub fn worker_modules(&self, w: usize) -> impl Iterator<Item = WorkerModule<'_>> + '_ {
        let files = &self.graph.files_of_worker[w];
        let workers = &self.graph.workers_of_worker_files[w];
        let docs = &self.worker_docs[w];
        files
            .iter()
            .zip(workers)
            .zip(docs.iter())
            .map(|((path, workers), doc)| WorkerModule {
                path,
                doc: doc.as_deref(),
                workers,
            })
    }

    /// The workers whose module graph contains a module.
    pub fn workers_of_file(&self, file: &Path) -> &[usize] {
        self.graph
            .workers_of_file
            .get(file)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The configs and sources whose text holds a suppression marker.
    pub fn marked_texts(&self) -> &[suppress::Text] {
        self.marked.get_or_init(|| suppress::marked_texts(&self.ws))
    }

    /// The workers whose findings can depend on a module's summary: those whose module graph
    /// contains it or a module that imports it, directly or not, by any import (an export is
    /// resolved through type imports too). Sorted.
    pub fn workers_reading(&self, file: &Path) -> Vec<usize> {
        let importers = self.graph.importers.get_or_init(|| {
            let mut map: foldhash::HashMap<PathBuf, Vec<PathBuf>> = Default::default();
            for (path, doc) in &self.ws.sources {
                if let SourceDoc::Parsed { deps, .. } = &**doc {
                    for t in deps.iter().filter_map(|d| d.target.as_ref()) {
                        map.entry(t.clone()).or_default().push(path.clone());
                    }
                }
            }
            map
        });
        let mut seen: foldhash::HashSet<&Path> = Default::default();
        let mut stack = vec![file];
        let mut out = Vec::new();
        while let Some(m) = stack.pop() {
            if !seen.insert(m) {
                continue;
            }
            out.extend_from_slice(self.workers_of_file(m));
            if let Some(from) = importers.get(m) {
                stack.extend(from.iter().map(PathBuf::as_path));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    // ----- modules and symbols -----

    pub fn source(&self, path: &Path) -> Option<&SourceDoc> {
        self.ws.sources.get(path).map(|d| &**d)
    }

    pub fn summary(&self, path: &Path) -> Option<&FileSummary> {
        self.source(path).and_then(SourceDoc::summary)
    }

    pub fn class(&self, c: &ClassRef) -> Option<&ClassDecl> {
        self.summary(&c.file)?.classes.get(c.index)
    }

    /// Resolves an exported name of a module, through re-exports, `export *` and aliases.
    pub fn resolve_export(&self, file: &Path, name: &str) -> Resolved<ExportTarget> {
        // An index never changes: an answer stays right for its lifetime.
        let key = (file.to_path_buf(), name.to_string());
        let memo = || self.exports.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = memo().get(&key) {
            return known.clone();
        }
        let resolved = self.resolve_export_in(file, name, &mut foldhash::HashSet::default(), 0);
        memo().insert(key, resolved.clone());
        resolved
    }

    fn resolve_export_in(
        &self,
        file: &Path,
        name: &str,
        visited: &mut foldhash::HashSet<(PathBuf, String)>,
        depth: usize,
    ) -> Resolved<ExportTarget> {
        if depth > MAX_DEPTH || !visited.insert((file.to_path_buf(), name.to_string())) {
            return Resolved::Missing;
        }
        let Some(doc) = self.source(file) else {
            return Resolved::Unknown;
        };
        let Some(summary) = doc.summary() else {
            return Resolved::Unknown;
        };
        if name == "default" {
            return match &summary.default_export {
                None => Resolved::Missing,
                Some(DefaultExport::Class { name, .. }) => {
                    self.resolve_local(file, summary, name, visited, depth)
                }
                Some(DefaultExport::ReExport { imported, from, .. }) => {
                    self.follow(doc, &from.value, imported, visited, depth)
                }
                Some(DefaultExport::Imported { local, .. }) => {
                    self.resolve_local(file, summary, local, visited, depth)
                }
                Some(DefaultExport::Object { .. } | DefaultExport::Other { .. }) => {
                    Resolved::Found(ExportTarget::Value {
                        file: file.to_path_buf(),
                    })
                }
            };
        }
        for export in &summary.exports {
            if export.exported().value != name {
                continue;
            }
            return match export {
                Export::Local { local, .. } => {
                    self.resolve_local(file, summary, local, visited, depth)
                }
                Export::ReExport { imported, from, .. } => {
                    self.follow(doc, &from.value, imported, visited, depth)
                }
            };
        }
        let mut unknown = false;
        for star in &summary.export_stars {
            match doc.resolve(&star.value) {
                None => unknown = true,
                Some(target) => match self.resolve_export_in(target, name, visited, depth + 1) {
                    Resolved::Found(t) => return Resolved::Found(t),
                    Resolved::Unknown => unknown = true,
                    Resolved::Missing => {}
                },
            }
        }
        if unknown {
            Resolved::Unknown
        } else {
            Resolved::Missing
        }
    }

    /// Follows `from` (a specifier of `doc`) to the export `imported` of that module.
    fn follow(
        &self,
        doc: &SourceDoc,
        from: &str,
        imported: &str,
        visited: &mut foldhash::HashSet<(PathBuf, String)>,
        depth: usize,
    ) -> Resolved<ExportTarget> {
        if !from.starts_with('.') {
            return Resolved::Found(ExportTarget::External);
        }
        match doc.resolve(from) {
            None => Resolved::Unknown,
            Some(target) if imported == "*" => Resolved::Found(ExportTarget::Value {
                file: target.to_path_buf(),
            }),
            Some(target) => self.resolve_export_in(target, imported, visited, depth + 1),
        }
    }

    /// Resolves a name bound at the top level of a module: a class, an import, or another
    /// value.
    fn resolve_local(
        &self,
        file: &Path,
        summary: &FileSummary,
        local: &str,
        visited: &mut foldhash::HashSet<(PathBuf, String)>,
        depth: usize,
    ) -> Resolved<ExportTarget> {
        if let Some(i) = summary.classes.iter().position(|c| c.name.value == local) {
            return Resolved::Found(ExportTarget::Class(ClassRef {
                file: file.to_path_buf(),
                index: i,
            }));
        }
        if let Some(import) = summary.imports.iter().find(|i| i.local == local) {
            let Some(doc) = self.source(file) else {
                return Resolved::Unknown;
            };
            return self.follow(doc, &import.from.value, &import.imported, visited, depth);
        }
        Resolved::Found(ExportTarget::Value {
            file: file.to_path_buf(),
        })
    }

    /// Every name a module exports (the default export excluded), with `complete = false` when
    /// an `export *` leads somewhere the workspace cannot see.
    pub fn export_names(&self, file: &Path) -> (Vec<String>, bool) {
        let mut names = Vec::new();
        let mut complete = true;
        let mut seen = HashSet::new();
        let mut stack = vec![file.to_path_buf()];
        while let Some(f) = stack.pop() {
            if !seen.insert(f.clone()) {
                continue;
            }
            let Some(doc) = self.source(&f) else {
                complete = false;
                continue;
            };
            let Some(summary) = doc.summary() else {
                complete = false;
                continue;
            };
            names.extend(summary.exports.iter().map(|e| e.exported().value.clone()));
            for star in &summary.export_stars {
                match doc.resolve(&star.value) {
                    Some(t) => stack.push(t.to_path_buf()),
                    None => complete = false,
                }
            }
        }
        names.sort();
        names.dedup();
        (names, complete)
    }

    /// Follows a class's `extends` chain.
    pub fn class_info(&self, class: &ClassRef) -> ClassInfo {
        let mut chain = vec![class.clone()];
        let mut current = class.clone();
        for _ in 0..MAX_DEPTH {
            let Some(decl) = self.class(&current) else {
                return ClassInfo {
                    base: BaseKind::Unknown,
                    chain,
                };
            };
            if decl.extends_unknown {
                return ClassInfo {
                    base: BaseKind::Unknown,
                    chain,
                };
            }
            let Some(base) = &decl.extends else {
                return ClassInfo {
                    base: BaseKind::None,
                    chain,
                };
            };
            if decl.described {
                // A front-end's description names the runtime base class itself.
                return ClassInfo {
                    base: BaseKind::from_builtin(&base.value).unwrap_or(BaseKind::Unknown),
                    chain,
                };
            }
            match self.resolve_base(&current.file, &base.value) {
                BaseResolution::Builtin(kind) => return ClassInfo { base: kind, chain },
                BaseResolution::Class(next) => {
                    if chain.contains(&next) {
                        return ClassInfo {
                            base: BaseKind::Unknown,
                            chain,
                        };
                    }
                    chain.push(next.clone());
                    current = next;
                }
                BaseResolution::Unknown => {
                    return ClassInfo {
                        base: BaseKind::Unknown,
                        chain,
                    }
                }
            }
        }
        ClassInfo {
            base: BaseKind::Unknown,
            chain,
        }
    }

    fn resolve_base(&self, file: &Path, name: &str) -> BaseResolution {
        let Some(summary) = self.summary(file) else {
            return BaseResolution::Unknown;
        };
        if let Some(i) = summary.classes.iter().position(|c| c.name.value == name) {
            return BaseResolution::Class(ClassRef {
                file: file.to_path_buf(),
                index: i,
            });
        }
        if let Some(import) = summary.imports.iter().find(|i| i.local == name) {
            if import.from.value == "cloudflare:workers" {
                return BaseKind::from_builtin(&import.imported)
                    .map(BaseResolution::Builtin)
                    .unwrap_or(BaseResolution::Unknown);
            }
            return match self.resolve_local(
                file,
                summary,
                name,
                &mut foldhash::HashSet::default(),
                0,
            ) {
                Resolved::Found(ExportTarget::Class(c)) => BaseResolution::Class(c),
                _ => BaseResolution::Unknown,
            };
        }
        // Not declared or imported: a global (or a type-only declaration the summary did not
        // keep). Trust the well-known names.
        BaseKind::from_builtin(name)
            .map(BaseResolution::Builtin)
            .unwrap_or(BaseResolution::Unknown)
    }

    /// A member of a class or of its local base classes: `Unknown` when the chain is not
    /// fully known, so absence cannot be proven.
    pub fn find_member(&self, class: &ClassRef, name: &str) -> Resolved<(ClassRef, &Member)> {
        let info = self.class_info(class);
        for c in &info.chain {
            if let Some(m) = self.class(c).and_then(|d| d.member(name)) {
                return Resolved::Found((c.clone(), m));
            }
        }
        if info.base == BaseKind::Unknown {
            Resolved::Unknown
        } else {
            Resolved::Missing
        }
    }

    /// Every member of a class and its local bases, nearest first, names deduplicated.
    pub fn members(&self, class: &ClassRef) -> Vec<(ClassRef, &Member)> {
        let info = self.class_info(class);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for c in &info.chain {
            if let Some(decl) = self.class(c) {
                for m in &decl.members {
                    if seen.insert(m.name.value.as_str()) {
                        out.push((c.clone(), m));
                    }
                }
            }
        }
        out
    }

    /// The default export of a module, resolved.
    pub fn default_export(&self, file: &Path) -> DefaultInfo {
        let Some(summary) = self.summary(file) else {
            return DefaultInfo::Unknown;
        };
        match &summary.default_export {
            None => DefaultInfo::Missing,
            Some(DefaultExport::Object { handlers, .. }) => DefaultInfo::Object {
                handlers: handlers.iter().map(|h| h.value.clone()).collect(),
            },
            Some(DefaultExport::Other { .. }) => DefaultInfo::Other,
            Some(_) => match self.resolve_export(file, "default") {
                Resolved::Found(ExportTarget::Class(c)) => DefaultInfo::Class(c),
                Resolved::Found(ExportTarget::Value { file: target }) if target != file => {
                    self.default_export(&target)
                }
                Resolved::Found(_) => DefaultInfo::Other,
                Resolved::Missing | Resolved::Unknown => DefaultInfo::Unknown,
            },
        }
    }

    /// Whether the default export handles `handler` (`fetch`, `queue`, ...). `None` when it
    /// cannot be known.
    pub fn default_handles(&self, main: &Path, handler: &str) -> Option<bool> {
        match self.default_export(main) {
            DefaultInfo::Object { handlers } => Some(handlers.iter().any(|h| h == handler)),
            DefaultInfo::Class(c) => match self.find_member(&c, handler) {
                Resolved::Found(_) => Some(true),
                Resolved::Missing => Some(false),
                Resolved::Unknown => None,
            },
            DefaultInfo::Other => Some(handler == "fetch").filter(|&b| b),
            DefaultInfo::Missing => Some(false),
            DefaultInfo::Unknown => None,
        }
    }
}

enum BaseResolution {
    Builtin(BaseKind),
    Class(ClassRef),
    Unknown,
}

#[cfg(test)]
mod name_pattern_tests {
    use super::pattern_matches;

    #[test]
    fn a_pattern_stands_for_the_names_of_its_shape() {
        assert!(pattern_matches("shop-api-<stage>", "shop-api-prod"));
        assert!(pattern_matches("shop-api-<stage>", "shop-api-"));
        assert!(!pattern_matches("shop-api-<stage>", "shop-web-prod"));
        assert!(pattern_matches("<app>-api-<stage>", "x-api-dev"));
        assert!(!pattern_matches("<app>-api-<stage>", "x-web-dev"));
        assert!(pattern_matches("silo-app<suffix>", "silo-app"));
        assert!(pattern_matches("<ingest>", "anything"));
        assert!(pattern_matches("a<x>b<y>c", "a1b2c"));
        assert!(!pattern_matches("a<x>b<y>c", "a1c"));
        assert!(!pattern_matches("ab<x>ba", "aba"));
        assert!(pattern_matches("plain", "plain"));
        assert!(!pattern_matches("plain", "plainer"));
    }
}
