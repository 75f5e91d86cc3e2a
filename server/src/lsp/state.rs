//! The server's mutable state: open documents, one workspace per root, the diagnostics last
//! published. Mutations run synchronously under one lock and never across an `.await`; reads
//! take an immutable [`Snapshot`].

use super::docs::OpenDoc;
use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::index::Index;
use crate::analysis::rules::{Rerun, RuleRun};
use crate::analysis::workspace::{is_secrets_file, SourceUpdate, Workspace};
use crate::base::PositionEncoding;
use crate::project::families::{self, Family};
use crate::project::root::find_project_root;
use crate::project::{
    is_config_name, DiskFs, FileSystem, OverlayFs, MAX_SOURCE_BYTES, SETTINGS_FILE,
};
use crate::source::{CachePolicy, SourceLang};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One workspace root (a workspace folder, or an ad-hoc root for a file outside them).
pub struct Root {
    pub path: PathBuf,
    disk: DiskFs,
    ws: Arc<Workspace>,
    index: Arc<Index>,
    diagnostics: FileDiagnostics,
    /// The rules' last run over `index`: what a sources-only edit keeps of it.
    rules: RuleRun,
    /// Made for a file outside every workspace folder; replaced when a folder covers it, and
    /// dropped when the last open file in it closes.
    adhoc: bool,
    /// The folders of the families nested in it (see [`families`]): not part of it.
    nested: Vec<PathBuf>,
}

impl Root {
    fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.path) && !self.nested.iter().any(|n| path.starts_with(n))
    }
}

/// The families a folder asks for: the project root is found from the folder (see
/// [`find_project_root`]), and the folder gets the family that holds it and every family
/// inside it.
fn families_for(folder: &Path, overlay: &HashMap<PathBuf, Arc<str>>) -> Vec<Family> {
    let project = find_project_root(folder).path;
    // One walk: the disk's memo lives for this call only.
    let disk = DiskFs::for_one_run(&project);
    let fs = OverlayFs {
        disk: &disk,
        overlay,
    };
    let settings = match fs.read_text(&project.join(SETTINGS_FILE)) {
        Ok(text) => crate::project::Settings::parse(&text).0,
        Err(_) => crate::project::Settings::default(),
    };
    let all = families::families(&project, &settings, &fs);
    let own = families::family_of(&all, folder).map(|f| f.dir.clone());
    all.into_iter()
        .filter(|f| Some(&f.dir) == own.as_ref() || (f.dir.starts_with(folder) && f.dir != folder))
        .collect()
}

/// What a changed file is to the workspace.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Settings,
    Config,
    Secrets,
    /// A file beside the workers that tells what their code expects: a `.d.ts`, a test module,
    /// a vitest config, a `package.json`.
    Support,
    Source,
    Other,
}

fn classify(ws: &Workspace, path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if path == ws.settings_path() || name == SETTINGS_FILE {
        FileKind::Settings
    } else if is_config_name(&name)
        || ws.config(path).is_some()
        || ws.is_declaration_module(path)
        || crate::declare::is_candidate_name(&crate::project::relative(&ws.root, path))
    {
        FileKind::Config
    } else if is_secrets_file(&name) {
        FileKind::Secrets
    } else if crate::project::is_support_file(&ws.root, path) && !ws.sources.contains_key(path) {
        FileKind::Support
    } else if SourceLang::from_path(path).is_some() {
        FileKind::Source
    } else {
        FileKind::Other
    }
}

/// Drops what an edit replaced (the previous index and findings) on a thread of its own:
/// freeing an index of a large family is a good part of an edit's time, and nothing waits
/// for it. Inline when no thread can be had.
fn drop_later<T: Send + 'static>(value: T) {
    type Garbage = Box<dyn Send>;
    static DROPPER: std::sync::LazyLock<Option<std::sync::mpsc::Sender<Garbage>>> =
        std::sync::LazyLock::new(|| {
            let (send, receive) = std::sync::mpsc::channel::<Garbage>();
            std::thread::Builder::new()
                .name("drop-later".into())
                .spawn(move || {
                    for garbage in receive {
                        drop(garbage);
                    }
                })
                .ok()
                .map(|_| send)
        });
    if let Some(send) = DROPPER.as_ref() {
        // A dropper that is gone hands the value back: dropped here.
        let _ = send.send(Box::new(value));
    }
}

/// Diagnostics to publish: a file and its complete new list (empty clears it).
pub type Publish = Vec<(PathBuf, Vec<Diagnostic>)>;

pub struct State {
    pub encoding: PositionEncoding,
    /// The client takes `documentChanges` (versioned edits) in a `WorkspaceEdit`.
    pub document_changes: bool,
    pub roots: Vec<Root>,
    /// The open documents as the analysis last saw them (the editor's newest text lives in
    /// [`super::docs::Docs`] and is synced in by [`State::document_changed`]).
    open: HashMap<PathBuf, OpenDoc>,
    /// The same texts, as the overlay the file system reads through.
    overlay: HashMap<PathBuf, Arc<str>>,
    /// What was last published per file, over all roots.
    published: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Where a root's first load finds and leaves module summaries.
    pub cache: CachePolicy,
    /// Cache saves still being written (joined at shutdown).
    pub pending_saves: Vec<std::thread::JoinHandle<()>>,
}

/// Findings per file.
pub type FileDiagnostics = Arc<BTreeMap<PathBuf, Vec<Diagnostic>>>;

/// An immutable view for read requests.
#[derive(Clone)]
pub struct Snapshot {
    pub encoding: PositionEncoding,
    pub document_changes: bool,
    /// Versions of the open documents, for versioned edits.
    pub versions: HashMap<PathBuf, i32>,
    pub roots: Vec<(PathBuf, Arc<Index>, FileDiagnostics)>,
    pub open: HashMap<PathBuf, Arc<str>>,
}

impl Snapshot {
    /// The root whose workspace covers `path` (the innermost one).
    pub fn index_for(&self, path: &Path) -> Option<&Arc<Index>> {
        self.roots
            .iter()
            .filter(|(root, ix, _)| path.starts_with(root) && ix.ws.covers(path))
            .max_by_key(|(root, _, _)| root.components().count())
            .map(|(_, ix, _)| ix)
    }

    /// The current text of a file: the open buffer, else what the workspace read. A buffer
    /// over the size limit has none, as a file over it on disk: no request analyses it.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(t) = self.open.get(path) {
            return (t.len() as u64 <= MAX_SOURCE_BYTES).then(|| t.clone());
        }
        self.roots.iter().find_map(|(_, ix, _)| ix.ws.text(path))
    }

    pub fn diagnostics_in(&self, path: &Path) -> Vec<Diagnostic> {
        self.roots
            .iter()
            .filter_map(|(_, _, d)| d.get(path))
            .flatten()
            .cloned()
            .collect()
    }
}

impl State {
    pub fn new() -> State {
        State {
            encoding: PositionEncoding::Utf16,
            document_changes: false,
            roots: Vec::new(),
            open: HashMap::new(),
            overlay: HashMap::new(),
            published: HashMap::new(),
            cache: CachePolicy::Off,
            pending_saves: Vec::new(),
        }
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            encoding: self.encoding,
            document_changes: self.document_changes,
            versions: self
                .open
                .iter()
                .map(|(p, d)| (p.clone(), d.version))
                .collect(),
            roots: self
                .roots
                .iter()
                .map(|r| (r.path.clone(), r.index.clone(), r.diagnostics.clone()))
                .collect(),
            open: self.overlay.clone(),
        }
    }

    /// Loads the families a workspace folder asks for (see [`families_for`]): a folder inside
    /// a project (`saas/gateway`) is checked with the whole family that holds it.
    pub fn add_root(&mut self, folder: &Path) -> Publish {
        let mut publish = Vec::new();
        for family in families_for(folder, &self.overlay) {
            publish.extend(self.add_family(&family, false));
        }
        publish
    }

    fn add_family(&mut self, family: &Family, adhoc: bool) -> Publish {
        if let Some(r) = self.roots.iter_mut().find(|r| r.path == family.dir) {
            r.adhoc &= adhoc;
            return Vec::new();
        }
        if !adhoc {
            // Ad-hoc roots this folder covers (made for files opened before it was indexed)
            // give way to it.
            self.roots
                .retain(|r| !(r.adhoc && r.path.starts_with(&family.dir)));
        }
        // One load: the disk's memo (folders resolved and listed once) lives for this load
        // only, so a folder replaced later is seen as it is then.
        let disk = DiskFs::for_one_run(&family.dir);
        let fs = OverlayFs {
            disk: &disk,
            overlay: &self.overlay,
        };
        let mut ws = Workspace::load_family_cached(family, &fs, self.cache.open(&family.dir));
        if let Some(cache) = ws.summary_cache.take() {
            // Written off the request path; a cache that cannot be written is no error.
            self.pending_saves.retain(|h| !h.is_finished());
            let save = Arc::clone(&cache);
            match std::thread::Builder::new()
                .name("summary-cache".into())
                .spawn(move || {
                    let _ = save.save();
                }) {
                Ok(handle) => self.pending_saves.push(handle),
                // No thread to be had: save here.
                Err(_) => {
                    let _ = cache.save();
                }
            }
        }
        let ws = Arc::new(ws);
        let index = Arc::new(Index::new(ws.clone()));
        self.roots.push(Root {
            path: family.dir.clone(),
            // The root's own disk lives as long as the root: it remembers nothing.
            disk: DiskFs::new(&family.dir),
            ws,
            index,
            diagnostics: Arc::new(BTreeMap::new()),
            rules: RuleRun::default(),
            adhoc,
            nested: family.nested.clone(),
        });
        let i = self.roots.len() - 1;
        self.recheck(i)
    }

    /// Drops the families a workspace folder asked for (an ad-hoc root stays while a file in
    /// it is open).
    pub fn remove_root(&mut self, folder: &Path) -> Publish {
        let gone: Vec<PathBuf> = families_for(folder, &self.overlay)
            .into_iter()
            .map(|f| f.dir)
            .collect();
        self.roots.retain(|r| r.adhoc || !gone.contains(&r.path));
        self.republish()
    }

    /// Makes sure a file outside every root gets an ad-hoc root: its family in the project
    /// that [`find_project_root`] finds from the file (the nearest `workers-lsp.toml`,
    /// package-manager workspace, git repository or package, else the file's own folder),
    /// never an arbitrary ancestor that happens to hold a config.
    pub fn ensure_root_for(&mut self, path: &Path) -> Publish {
        if self.roots.iter().any(|r| r.contains(path)) {
            return Vec::new();
        }
        let Some(family) = families_for(path, &self.overlay)
            .into_iter()
            .find(|f| f.contains(path))
        else {
            return Vec::new();
        };
        self.add_family(&family, true)
    }

    /// Drops the ad-hoc roots that no open file is in any more.
    fn drop_unused_adhoc_roots(&mut self) -> Publish {
        let before = self.roots.len();
        let open: Vec<&PathBuf> = self.open.keys().collect();
        self.roots
            .retain(|r| !r.adhoc || open.iter().any(|p| r.contains(p)));
        if self.roots.len() == before {
            return Vec::new();
        }
        self.republish()
    }

    /// The text the analysis holds for a file: the open buffer, else what a workspace read.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(t) = self.overlay.get(path) {
            return Some(t.clone());
        }
        self.roots.iter().find_map(|r| r.ws.text(path))
    }

    /// The version of an open document the analysis last saw.
    pub fn version(&self, path: &Path) -> Option<i32> {
        self.open.get(path).map(|d| d.version)
    }

    /// An open document was opened, changed or closed: `latest` is what the editor holds
    /// now (`None`: closed, the disk is the truth again). Re-summarises the file unless the
    /// analysis already saw exactly this state (a burst of edits collapses into the one
    /// update that runs after the last of them).
    pub fn document_changed(&mut self, path: &Path, latest: Option<OpenDoc>) -> Publish {
        let opened = latest.is_some();
        if self.open.get(path) == latest.as_ref() {
            return if opened {
                vec![(path.to_path_buf(), self.published_for(path))]
            } else {
                Vec::new()
            };
        }
        let mut publish = Vec::new();
        match latest {
            Some(doc) => {
                self.overlay.insert(path.to_path_buf(), doc.text.clone());
                self.open.insert(path.to_path_buf(), doc);
                publish.extend(self.ensure_root_for(path));
            }
            None => {
                self.open.remove(path);
                self.overlay.remove(path);
            }
        }
        publish.extend(self.file_changed(path));
        if !opened {
            publish.extend(self.drop_unused_adhoc_roots());
        }
        // Clients that drop the findings of files that are not open (eglot, vim-lsp) need them
        // again when a file is opened or edited, changed or not: always publish its list.
        if opened && !publish.iter().any(|(p, _)| p == path) {
            publish.push((path.to_path_buf(), self.published_for(path)));
        }
        publish
    }

    /// The findings last published for a file (none: an empty list).
    fn published_for(&self, path: &Path) -> Vec<Diagnostic> {
        self.published.get(path).cloned().unwrap_or_default()
    }

    /// Brings every open document up to what the editor holds (`latest`: all of them), so a
    /// request sees the text the client last sent even if the update it caused has not run.
    pub fn catch_up(&mut self, latest: Vec<(PathBuf, OpenDoc)>) -> Publish {
        let closed: Vec<PathBuf> = self
            .open
            .keys()
            .filter(|p| !latest.iter().any(|(q, _)| q == *p))
            .cloned()
            .collect();
        let mut publish = Vec::new();
        for path in closed {
            publish.extend(self.document_changed(&path, None));
        }
        for (path, doc) in latest {
            publish.extend(self.document_changed(&path, Some(doc)));
        }
        // Later lists for a file supersede earlier ones.
        let mut seen = std::collections::HashSet::new();
        publish.reverse();
        publish.retain(|(p, _)| seen.insert(p.clone()));
        publish.reverse();
        publish
    }

    /// A file was created, changed, deleted or renamed on disk (watched-file events).
    pub fn disk_event(&mut self, path: &Path, deleted_or_created: bool) -> Publish {
        if self.open.contains_key(path) && !deleted_or_created {
            return Vec::new();
        }
        let mut publish = Vec::new();
        for i in 0..self.roots.len() {
            if !self.roots[i].contains(path) {
                continue;
            }
            if deleted_or_created {
                let root = &mut self.roots[i];
                let fs = OverlayFs {
                    disk: &root.disk,
                    overlay: &self.overlay,
                };
                let ws = Arc::make_mut(&mut root.ws);
                match classify(ws, path) {
                    FileKind::Settings | FileKind::Config => {
                        ws.reload_settings(&fs);
                        ws.reload_configs(&fs);
                    }
                    FileKind::Secrets => {
                        if let Some(dir) = path.parent() {
                            ws.update_secrets(dir, &fs);
                        }
                    }
                    FileKind::Support => ws.reload_support(&fs),
                    // A surface a declaration finds by its name (Devflare's `do.*` files):
                    // what the declarations say changes with its presence.
                    FileKind::Source | FileKind::Other
                        if !ws.declaration_candidates.is_empty()
                            && crate::declare::is_surface_name(&crate::project::relative(
                                &ws.root, path,
                            )) =>
                    {
                        ws.reload_configs(&fs);
                    }
                    FileKind::Source | FileKind::Other => {}
                }
                if !fs.disk.is_inside_root(path) || !path.exists() {
                    ws.remove_file(path, &fs);
                } else {
                    ws.reresolve(&fs);
                }
                publish.extend(self.recheck(i));
            } else {
                publish.extend(self.update_root(i, path));
            }
        }
        publish
    }

    /// Re-reads one file in every root that covers it and republishes what changed.
    fn file_changed(&mut self, path: &Path) -> Publish {
        let mut publish = Vec::new();
        for i in 0..self.roots.len() {
            if self.roots[i].contains(path) {
                publish.extend(self.update_root(i, path));
            }
        }
        publish
    }

    fn update_root(&mut self, i: usize, path: &Path) -> Publish {
        let root = &mut self.roots[i];
        let fs = OverlayFs {
            disk: &root.disk,
            overlay: &self.overlay,
        };
        let ws = Arc::make_mut(&mut root.ws);
        match classify(ws, path) {
            FileKind::Settings => {
                ws.reload_settings(&fs);
                ws.reload_configs(&fs);
                ws.refresh_sources(&fs);
            }
            FileKind::Config => {
                ws.update_config(path, &fs);
                ws.refresh_sources(&fs);
            }
            FileKind::Secrets => {
                if let Some(dir) = path.parent() {
                    ws.update_secrets(dir, &fs);
                }
            }
            FileKind::Support => ws.reload_support(&fs),
            FileKind::Source => match ws.update_source(path, &fs) {
                // Not part of any worker's module graph: nothing to recheck.
                SourceUpdate::Outside => return Vec::new(),
                SourceUpdate::Content => return self.recheck_keeping_graph(i, path),
                SourceUpdate::Graph => {}
            },
            FileKind::Other => return Vec::new(),
        }
        self.recheck(i)
    }

    /// Rebuilds the index of a root, reruns the rules, and returns the files whose findings
    /// changed.
    fn recheck(&mut self, i: usize) -> Publish {
        let index = Arc::new(Index::new(self.roots[i].ws.clone()));
        let (found, run) = crate::analysis::findings_after(&index, None);
        self.rules_ran(i, index, found, run)
    }

    /// Like `recheck`, after an edit of the module `path` that changed its summary but
    /// neither the configs nor the module graph: the new index shares the previous one's
    /// graph, and only the rules' units of work that depend on the sources of the workers
    /// that read `path` ([`Index::workers_reading`]) run again.
    fn recheck_keeping_graph(&mut self, i: usize, path: &Path) -> Publish {
        let root = &self.roots[i];
        let index = Arc::new(Index::with_graph_of(root.ws.clone(), &root.index, path));
        let same_graph = index.shares_graph_with(&root.index);
        let reading = index.workers_reading(path);
        let (found, run) = if same_graph && !reading.is_empty() {
            let mut changed = vec![false; index.workers.len()];
            for w in reading {
                changed[w] = true;
            }
            let rerun = Rerun {
                previous: &root.rules,
                changed: &changed,
            };
            crate::analysis::findings_after(&index, Some(rerun))
        } else {
            // A module no worker contains (or a graph rebuilt after all): everything again.
            crate::analysis::findings_after(&index, None)
        };
        self.rules_ran(i, index, found, run)
    }

    fn rules_ran(
        &mut self,
        i: usize,
        index: Arc<Index>,
        found: Vec<Diagnostic>,
        run: RuleRun,
    ) -> Publish {
        let root = &mut self.roots[i];
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in found {
            by_file.entry(d.file.clone()).or_default().push(d);
        }
        let replaced = (
            std::mem::replace(&mut root.index, index),
            std::mem::replace(&mut root.diagnostics, Arc::new(by_file)),
            std::mem::replace(&mut root.rules, run),
        );
        drop_later(replaced);
        self.republish()
    }

    /// Merges every root's findings per file and returns those that differ from what was
    /// published (files that became clean get an empty list).
    fn republish(&mut self) -> Publish {
        let current = merge_per_file(
            self.roots
                .iter()
                .flat_map(|r| r.diagnostics.iter().map(|(f, d)| (f, d.as_slice()))),
        );
        let mut publish = Vec::new();
        for (file, old) in &self.published {
            if !current.contains_key(file) && !old.is_empty() {
                publish.push((file.clone(), Vec::new()));
            }
        }
        for (file, new) in &current {
            if self.published.get(file) != Some(new) {
                publish.push((file.clone(), new.clone()));
            }
        }
        self.published = current;
        publish.sort_by(|a, b| a.0.cmp(&b.0));
        publish
    }
}

/// Merges lists of findings per file (one list per root that covers the file) into one list
/// per file, in order, dropping findings equal to one already taken (nested roots find the
/// same thing twice). Linear in the number of findings: a file that one root alone reports
/// on is copied as it is (a root's list holds no two equal findings: `run_all` removes
/// them), and only a file that a second root reports on too gets a hash set; a search of the
/// list for each finding was quadratic.
fn merge_per_file<'a, T: Eq + Hash + Clone + 'a>(
    lists: impl IntoIterator<Item = (&'a PathBuf, &'a [T])>,
) -> HashMap<PathBuf, Vec<T>> {
    let mut out: HashMap<PathBuf, Vec<T>> = HashMap::new();
    let mut first: HashMap<&'a Path, &'a [T]> = HashMap::new();
    let mut seen: HashMap<&'a Path, HashSet<&'a T>> = HashMap::new();
    for (file, items) in lists {
        match out.get_mut(file) {
            None => {
                out.insert(file.clone(), items.to_vec());
                first.insert(file, items);
            }
            Some(entry) => {
                let seen = seen
                    .entry(file)
                    .or_insert_with(|| first[file.as_path()].iter().collect());
                entry.extend(items.iter().filter(|d| seen.insert(*d)).cloned());
            }
        }
    }
    out
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static OPERATIONS: Cell<u64> = const { Cell::new(0) };
    }

    /// A finding stand-in that counts every comparison and every hash.
    #[derive(Clone, Debug)]
    struct Counted(u32);

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            OPERATIONS.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }
    impl Eq for Counted {}
    impl Hash for Counted {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            OPERATIONS.with(|c| c.set(c.get() + 1));
            self.0.hash(state)
        }
    }

    /// The work of merging `n` findings of one file from two overlapping roots.
    fn merge_cost(n: u32) -> (u64, usize) {
        let file = PathBuf::from("/w/index.ts");
        let a: Vec<Counted> = (0..n).map(Counted).collect();
        let b: Vec<Counted> = (n / 2..n + n / 2).map(Counted).collect();
        OPERATIONS.with(|c| c.set(0));
        let merged = merge_per_file([(&file, a.as_slice()), (&file, b.as_slice())]);
        (OPERATIONS.with(|c| c.get()), merged[&file].len())
    }

    /// Issue 13.17: merging the findings of a file costs work linear in their number. Counted
    /// operations, not time: doubling the findings at most doubles the work (plus slack for
    /// the hash table's growth); a search of the list per finding would quadruple it.
    #[test]
    fn publishing_merges_findings_in_linear_time() {
        let (small, kept) = merge_cost(20_000);
        assert_eq!(kept, 30_000);
        let (large, kept) = merge_cost(40_000);
        assert_eq!(kept, 60_000);
        let ratio = large as f64 / small as f64;
        assert!(
            ratio <= 2.2,
            "merging 2x the findings cost {ratio:.2}x ({small} -> {large} operations)"
        );
        // And it is linear in absolute terms: a few operations per finding.
        assert!(
            large <= 8 * 80_000,
            "{large} operations for 80,000 findings"
        );
    }

    #[test]
    fn merging_keeps_order_and_drops_repeats_across_roots() {
        let (f, g) = (PathBuf::from("/f"), PathBuf::from("/g"));
        let one = [1, 2, 3];
        let two = [3, 4, 1];
        let three = [9];
        let merged = merge_per_file([
            (&f, one.as_slice()),
            (&g, three.as_slice()),
            (&f, two.as_slice()),
        ]);
        assert_eq!(merged[&f], vec![1, 2, 3, 4]);
        assert_eq!(merged[&g], vec![9]);
    }
}

#[cfg(test)]
mod incremental_tests;
