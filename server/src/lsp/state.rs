//! The server's mutable state: open documents, one workspace per root, the diagnostics last
//! published. Mutations run synchronously under one lock and never across an `.await`; reads
//! take an immutable [`Snapshot`].

use super::docs::OpenDoc;
use crate::analysis::diagnostics::Diagnostic;
use crate::analysis::index::Index;
use crate::analysis::workspace::{is_secrets_file, SourceUpdate, Workspace};
use crate::base::PositionEncoding;
use crate::project::{is_config_name, DiskFs, OverlayFs, SETTINGS_FILE};
use crate::source::SourceLang;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One workspace root (a workspace folder, or an ad-hoc root for a file outside them).
pub struct Root {
    pub path: PathBuf,
    disk: DiskFs,
    ws: Arc<Workspace>,
    index: Arc<Index>,
    diagnostics: FileDiagnostics,
    /// Made for a file outside every workspace folder; replaced when a folder covers it.
    adhoc: bool,
}

impl Root {
    fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.path)
    }
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
            .filter(|(root, _, _)| path.starts_with(root))
            .max_by_key(|(root, _, _)| root.components().count())
            .map(|(_, ix, _)| ix)
    }

    /// The current text of a file: the open buffer, else what the workspace read.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        if let Some(t) = self.open.get(path) {
            return Some(t.clone());
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

    /// Loads a root from scratch (the first index, or a new workspace folder).
    pub fn add_root(&mut self, path: &Path) -> Publish {
        self.add_root_inner(path, false)
    }

    fn add_root_inner(&mut self, path: &Path, adhoc: bool) -> Publish {
        if let Some(r) = self.roots.iter_mut().find(|r| r.path == path) {
            r.adhoc &= adhoc;
            return Vec::new();
        }
        if !adhoc {
            // Ad-hoc roots this folder covers (made for files opened before it was indexed)
            // give way to it.
            self.roots
                .retain(|r| !(r.adhoc && r.path.starts_with(path)));
        }
        let disk = DiskFs::new(path);
        let fs = OverlayFs {
            disk: &disk,
            overlay: &self.overlay,
        };
        let ws = Arc::new(Workspace::load(path, &fs));
        let index = Arc::new(Index::new(ws.clone()));
        self.roots.push(Root {
            path: path.to_path_buf(),
            disk,
            ws,
            index,
            diagnostics: Arc::new(BTreeMap::new()),
            adhoc,
        });
        let i = self.roots.len() - 1;
        self.recheck(i)
    }

    pub fn remove_root(&mut self, path: &Path) -> Publish {
        self.roots.retain(|r| r.path != path);
        self.republish()
    }

    /// Makes sure a file outside every root gets an ad-hoc root: the nearest folder upward
    /// holding a wrangler config.
    pub fn ensure_root_for(&mut self, path: &Path) -> Publish {
        if self.roots.iter().any(|r| r.contains(path)) {
            return Vec::new();
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            let has_config = std::fs::read_dir(d).is_ok_and(|entries| {
                entries
                    .flatten()
                    .any(|e| is_config_name(&e.file_name().to_string_lossy()))
            });
            if has_config {
                return self.add_root_inner(d, true);
            }
            dir = d.parent();
        }
        Vec::new()
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
        if self.open.get(path) == latest.as_ref() {
            return Vec::new();
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
        publish
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
                SourceUpdate::Content => return self.recheck_keeping_graph(i),
                SourceUpdate::Graph => {}
            },
            FileKind::Other => return Vec::new(),
        }
        self.recheck(i)
    }

    /// Rebuilds the index of a root, reruns the rules, and returns the files whose findings
    /// changed.
    fn recheck(&mut self, i: usize) -> Publish {
        let index = Index::new(self.roots[i].ws.clone());
        self.rerun_rules(i, index)
    }

    /// Like `recheck`, after an edit that changed one module's summary but neither the
    /// configs nor the module graph: the new index shares the previous one's graph.
    fn recheck_keeping_graph(&mut self, i: usize) -> Publish {
        let root = &self.roots[i];
        let index = Index::with_graph_of(root.ws.clone(), &root.index);
        self.rerun_rules(i, index)
    }

    fn rerun_rules(&mut self, i: usize, index: Index) -> Publish {
        let root = &mut self.roots[i];
        let index = Arc::new(index);
        let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for d in crate::analysis::findings(&index) {
            by_file.entry(d.file.clone()).or_default().push(d);
        }
        root.index = index;
        root.diagnostics = Arc::new(by_file);
        self.republish()
    }

    /// Merges every root's findings per file and returns those that differ from what was
    /// published (files that became clean get an empty list).
    fn republish(&mut self) -> Publish {
        let mut current: HashMap<PathBuf, Vec<Diagnostic>> = HashMap::new();
        for root in &self.roots {
            for (file, diags) in root.diagnostics.iter() {
                let entry = current.entry(file.clone()).or_default();
                for d in diags {
                    if !entry.contains(d) {
                        entry.push(d.clone());
                    }
                }
            }
        }
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

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}
