//! Finding workers and reading files.
//!
//! The only layer that touches the disk. Everything it reads is confined to the workspace
//! root: paths that lead outside it (through `..`, absolute paths or symlinks) are not read.
//! Open editor buffers win over the disk through [`FileSystem`] overlays.

pub mod families;
mod ignore_file;
pub mod packages;
pub mod root;
pub mod seen;
pub mod settings;

use ignore_file::{IgnoreFile, Verdict};
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use settings::{Settings, SETTINGS_FILE};

/// Sources larger than this are skipped with an `unreadable-file` finding.
pub const MAX_SOURCE_BYTES: u64 = 2 * 1024 * 1024;

/// Folders never walked: dependencies, build output, caches.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".wrangler",
    ".git",
    "dist",
    "build",
    "out",
    ".output",
    ".next",
    ".svelte-kit",
    ".turbo",
    ".cache",
    "coverage",
    "target",
];

/// Why a file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    NotFound,
    OutsideRoot,
    TooLarge(u64),
    NotUtf8,
    Binary,
    NotAFile,
    /// A folder where a file was expected (`main = "src"`).
    Directory,
    Io(String),
}

impl SkipReason {
    pub fn describe(&self) -> String {
        match self {
            SkipReason::NotFound => "file not found".into(),
            SkipReason::OutsideRoot => "it lies outside the checked root and is not read".into(),
            SkipReason::TooLarge(n) => format!(
                "it is {:.1} MB, over the {} MB limit",
                *n as f64 / 1_048_576.0,
                MAX_SOURCE_BYTES / 1_048_576
            ),
            SkipReason::NotUtf8 => "it is not valid UTF-8".into(),
            SkipReason::Binary => "it looks binary".into(),
            SkipReason::NotAFile => "it is not a regular file".into(),
            SkipReason::Directory => "it is a folder".into(),
            SkipReason::Io(e) => format!("it cannot be read: {e}"),
        }
    }
}

/// What a folder entry is, seen without following symlinks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A FIFO, socket or device.
    Other,
}

/// One entry of a listed folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub path: PathBuf,
    pub kind: EntryKind,
}

/// Where file contents come from: the disk, or the disk overlaid with open editor buffers.
/// Every read of the analysis goes through it, so every read obeys the same rules.
pub trait FileSystem: Sync {
    /// Reads a file's text, applying size, encoding and confinement limits.
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason>;
    /// A file's content under [`FileSystem::read_text`]'s limits and confinement, maybe not
    /// yet decoded: a reader that looks the content up by its hash (the summary cache) need
    /// not decode what it finds.
    fn read_raw(&self, path: &Path) -> Result<Raw, SkipReason> {
        self.read_text(path).map(Raw::Text)
    }
    /// The identity of the file [`FileSystem::read_raw`] would read at `path`, when it
    /// comes from the disk and is a regular file within the limits: a reader that keys what
    /// it learnt of a content by it may skip reading an unchanged file. `None` for an open
    /// buffer, and whenever it cannot be known (then the file is read).
    fn stamp(&self, path: &Path) -> Option<Stamp> {
        let _ = path;
        None
    }
    /// Whether a regular file exists at `path` (an open buffer counts).
    fn is_file(&self, path: &Path) -> bool;
    /// Whether a folder exists at `path`, symlinks followed.
    fn is_dir(&self, path: &Path) -> bool;
    /// Lists a folder inside the root, sorted by name; symlinks are listed, not followed.
    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, SkipReason>;
    /// The filtered walk of `root` ([`walk_files`]): `walk()`'s, or the one this run made
    /// already (a run walks its root for the families, then for the root family's
    /// discovery).
    fn remembered_walk(&self, root: &Path, walk: &dyn Fn() -> Walked) -> Arc<Walked> {
        let _ = root;
        Arc::new(walk())
    }
}

/// What a filtered walk of a root found, in the order it found it.
#[derive(Debug, Default)]
pub struct Walked {
    files: Vec<DirEntry>,
    unreadable: Vec<(PathBuf, SkipReason)>,
}

/// A file's content as [`FileSystem::read_raw`] gives it.
#[derive(Debug)]
pub enum Raw {
    Text(Arc<str>),
    /// Bytes [`decode_text`] has not checked yet.
    Bytes(Vec<u8>),
}

impl Raw {
    /// The bytes of the text [`Raw::decode`] gives, when it gives one (a BOM is not part of
    /// the text).
    pub fn text_bytes(&self) -> &[u8] {
        match self {
            Raw::Text(t) => t.as_bytes(),
            Raw::Bytes(b) => b.strip_prefix(UTF8_BOM).unwrap_or(b),
        }
    }

    /// The text [`Raw::decode`] gives, borrowed: checked in place, not copied (a reader that
    /// keeps nothing of half a megabyte of declarations need not own it).
    pub fn text(&self) -> Result<&str, SkipReason> {
        match self {
            Raw::Text(t) => Ok(t),
            Raw::Bytes(b) => check_text(b),
        }
    }

    /// The text, as [`FileSystem::read_text`] gives it.
    pub fn decode(self) -> Result<Arc<str>, SkipReason> {
        match self {
            Raw::Text(t) => Ok(t),
            Raw::Bytes(b) => decode_text(b),
        }
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// What the disk says of a file without reading it: its size, modification and change times,
/// and (on Unix) its device and inode. Two equal stamps of one path taken apart in time mean
/// an unchanged content only for a file that had settled when the first was taken (see
/// [`Stamp::settled`]).
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    /// When it was taken (just before the disk was asked): not part of the identity.
    taken: std::time::SystemTime,
    len: u64,
    /// Nanoseconds since the epoch (0 when the platform does not say).
    modified: u128,
    changed: u128,
    device: u64,
    inode: u64,
}

/// How long after its last change a file's stamp is trusted to name its content: longer than
/// the coarsest timestamp granularity of common file systems (FAT's 2 s), so that a write in
/// the same tick as a stamp's, which leaves the times as they were, cannot go unseen.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(3);

impl Stamp {
    fn of(meta: &std::fs::Metadata, taken: std::time::SystemTime) -> Stamp {
        let nanos = |t: io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos())
        };
        #[cfg(unix)]
        let (changed, device, inode) = {
            use std::os::unix::fs::MetadataExt;
            let changed = (meta.ctime().max(0) as u128) * 1_000_000_000
                + meta.ctime_nsec().clamp(0, 999_999_999) as u128;
            (changed, meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, device, inode) = (nanos(meta.created()), 0, 0);
        Stamp {
            taken,
            len: meta.len(),
            modified: nanos(meta.modified()),
            changed,
            device,
            inode,
        }
    }

    /// Whether the file had not changed for [`SETTLE`] when the stamp was taken: only then
    /// may a content read after it be remembered under it.
    pub fn settled(&self) -> bool {
        let Ok(now) = self.taken.duration_since(std::time::UNIX_EPOCH) else {
            return false;
        };
        let limit = now.saturating_sub(SETTLE).as_nanos();
        self.modified != 0 && self.modified < limit && self.changed < limit
    }

    /// The stamp as if it had been taken at `taken` (tests of what a settled stamp allows).
    #[cfg(test)]
    pub(crate) fn taken_at(self, taken: std::time::SystemTime) -> Stamp {
        Stamp { taken, ..self }
    }

    /// The stamp as bytes, for a key.
    pub fn to_bytes(&self) -> [u8; 56] {
        let mut out = [0u8; 56];
        out[..8].copy_from_slice(&self.len.to_le_bytes());
        out[8..24].copy_from_slice(&self.modified.to_le_bytes());
        out[24..40].copy_from_slice(&self.changed.to_le_bytes());
        out[40..48].copy_from_slice(&self.device.to_le_bytes());
        out[48..].copy_from_slice(&self.inode.to_le_bytes());
        out
    }
}

/// The real disk, confined to `root`.
#[derive(Clone, Debug)]
pub struct DiskFs {
    root: PathBuf,
    canonical_root: PathBuf,
    /// With [`DiskFs::for_one_run`]: what this run has learnt of the tree, shared by the
    /// readers of one run ([`DiskFs::in_run`]).
    run: Option<Arc<RunMemo>>,
}

/// What one run over a tree that does not change meanwhile remembers of it.
#[derive(Debug, Default)]
///
/// Keyed by a path's bytes ([`memo_key`]), which hash several times faster than a `Path`
/// (whose hash walks its components byte by byte): two spellings of one folder (`a/./b`,
/// `a/b`) are remembered apart, each correctly.
struct RunMemo {
    /// Each folder's canonical path, resolved once for all the files read from it instead of
    /// once per file.
    folders: dashmap::DashMap<Vec<u8>, PathBuf, foldhash::fast::RandomState>,
    /// Each folder's entries, by its canonical path: a run walks its root more than once
    /// (families, then each family's discovery), and lists each folder once.
    listings: dashmap::DashMap<Vec<u8>, Vec<DirEntry>, foldhash::fast::RandomState>,
    /// Each filtered walk, by the root it started from (its ignore files are those from
    /// that root down).
    walks: dashmap::DashMap<Vec<u8>, Arc<Walked>, foldhash::fast::RandomState>,
    /// What the run saw of the disk, when it is to be replayed ([`DiskFs::seeing`]).
    seen: Option<Arc<seen::Seen>>,
}

/// A path's key in the [`RunMemo`]: its bytes.
fn memo_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl DiskFs {
    pub fn new(root: &Path) -> DiskFs {
        let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        DiskFs {
            root: root.to_path_buf(),
            canonical_root,
            run: None,
        }
    }

    /// A disk for one run over a tree that does not change meanwhile (a `check`, one load of
    /// the language server): a folder's symlinks are resolved the first time a file in it is
    /// read, not for every file, and a folder is listed once. A long-lived reader (the
    /// language server between loads) must use [`DiskFs::new`]: a folder replaced by a
    /// symlink later would still be taken for the folder it was.
    pub fn for_one_run(root: &Path) -> DiskFs {
        DiskFs {
            run: Some(Arc::default()),
            ..DiskFs::new(root)
        }
    }

    /// [`DiskFs::for_one_run`], keeping in `seen` a sight of every file it reads or stamps,
    /// every folder it lists and every path it asks about (see [`seen`]).
    pub fn seeing(root: &Path, seen: Arc<seen::Seen>) -> DiskFs {
        DiskFs {
            run: Some(Arc::new(RunMemo {
                seen: Some(seen),
                ..RunMemo::default()
            })),
            ..DiskFs::new(root)
        }
    }

    fn seen(&self) -> Option<&seen::Seen> {
        self.run.as_ref()?.seen.as_deref()
    }

    /// A disk confined to `root` in the same run as `other` (a family of the project `other`
    /// walked): it shares what `other` learnt of the tree. Confinement stays `root`'s own.
    pub fn in_run(root: &Path, other: &DiskFs) -> DiskFs {
        DiskFs {
            run: other.run.clone().or_else(|| Some(Arc::default())),
            ..DiskFs::new(root)
        }
    }

    /// `path` with symlinks resolved, its folder's taken from the run's memo, and the
    /// metadata of its last component when this looked at it (it is not a symlink).
    fn canonical(&self, path: &Path) -> io::Result<(PathBuf, Option<std::fs::Metadata>)> {
        let (Some(run), Some(parent), Some(name)) = (
            &self.run,
            path.parent().filter(|p| !p.as_os_str().is_empty()),
            path.file_name(),
        ) else {
            return Ok((path.canonicalize()?, None));
        };
        // A symlink as the last component: resolve the whole path.
        let meta = std::fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            return Ok((path.canonicalize()?, None));
        }
        if let Some(dir) = run.folders.get(memo_key(parent)) {
            return Ok((dir.join(name), Some(meta)));
        }
        let dir = parent.canonicalize()?;
        let canonical = dir.join(name);
        run.folders.insert(memo_key(parent).to_vec(), dir);
        Ok((canonical, Some(meta)))
    }

    /// A folder's canonical path: from the run's memo when there is one (and then remembered
    /// for the files and folders in it).
    fn canonical_dir(&self, dir: &Path) -> io::Result<PathBuf> {
        let Some(run) = &self.run else {
            return dir.canonicalize();
        };
        if let Some(c) = run.folders.get(memo_key(dir)) {
            return Ok(c.clone());
        }
        let (canonical, _) = self.canonical(dir)?;
        run.folders
            .insert(memo_key(dir).to_vec(), canonical.clone());
        Ok(canonical)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path`, with symlinks resolved, lies inside the root.
    pub fn is_inside_root(&self, path: &Path) -> bool {
        match path.canonicalize() {
            Ok(c) => c.starts_with(&self.canonical_root),
            Err(_) => normalize(path).starts_with(&self.root),
        }
    }
}

impl FileSystem for DiskFs {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        self.read_raw(path)?.decode()
    }

    fn read_raw(&self, path: &Path) -> Result<Raw, SkipReason> {
        let seen_at = self.seen().map(|seen| (seen, seen.now()));
        let mut opened = None;
        let read = self
            .canonical(path)
            .map_err(|e| io_reason(&e))
            .and_then(|(canonical, meta)| {
                read_canonical_bytes(
                    &canonical,
                    meta,
                    &self.canonical_root,
                    MAX_SOURCE_BYTES,
                    &mut opened,
                )
            });
        if let Some((seen, taken)) = seen_at {
            match &opened {
                // The open file's metadata: what `stat` of the path shows while it holds
                // what was read.
                Some(meta) => seen.stamped(path, meta, taken),
                None => seen.stamp_now(path),
            }
        }
        read.map(Raw::Bytes)
    }

    fn stamp(&self, path: &Path) -> Option<Stamp> {
        let seen_at = self.seen().map(|seen| (seen, seen.now()));
        let taken = std::time::SystemTime::now();
        let stamp = self.stamp_at(path, taken);
        if let Some((seen, at)) = seen_at {
            match &stamp {
                Some((_, meta)) => seen.stamped(path, meta, at),
                None => seen.stamp_now(path),
            }
        }
        stamp.map(|(stamp, _)| stamp)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.kind_of(path) == Some(seen::Kind::File)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.kind_of(path) == Some(seen::Kind::Dir)
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, SkipReason> {
        if let Some(seen) = self.seen() {
            // Before the listing: an entry made meanwhile changes the folder's times after
            // its sight, and the next run does not replay this one.
            seen.stamp_now(dir);
        }
        let canonical = self.canonical_dir(dir).map_err(|e| io_reason(&e))?;
        let Some(run) = &self.run else {
            return list_canonical(dir, &canonical, &self.canonical_root);
        };
        // Confinement is each reader's own; only what the folder holds is shared. Entries
        // carry the path they were listed by, which is `dir`'s for every reader of a run
        // (they walk the same paths).
        if !canonical.starts_with(&self.canonical_root) {
            return Err(SkipReason::OutsideRoot);
        }
        if let Some(entries) = run.listings.get(memo_key(&canonical)) {
            if entries.first().is_none_or(|e| e.path.parent() == Some(dir)) {
                return Ok(entries.clone());
            }
        }
        let entries = list_canonical(dir, &canonical, &self.canonical_root)?;
        // A folder listed here is no symlink: its canonical path is known without asking.
        for e in entries.iter().filter(|e| e.kind == EntryKind::Dir) {
            run.folders
                .entry(memo_key(&e.path).to_vec())
                .or_insert_with(|| canonical.join(&e.name));
        }
        run.listings.insert(
            canonical.into_os_string().into_encoded_bytes(),
            entries.clone(),
        );
        Ok(entries)
    }

    fn remembered_walk(&self, root: &Path, walk: &dyn Fn() -> Walked) -> Arc<Walked> {
        self.remember_walk(root, walk)
    }
}

impl DiskFs {
    /// [`FileSystem::stamp`] and the metadata it was taken from.
    fn stamp_at(
        &self,
        path: &Path,
        taken: std::time::SystemTime,
    ) -> Option<(Stamp, std::fs::Metadata)> {
        let (canonical, meta) = self.canonical(path).ok()?;
        if !canonical.starts_with(&self.canonical_root) {
            return None;
        }
        let meta = match meta {
            Some(meta) => meta,
            None => std::fs::symlink_metadata(&canonical).ok()?,
        };
        (meta.is_file() && meta.len() <= MAX_SOURCE_BYTES).then(|| (Stamp::of(&meta, taken), meta))
    }

    /// What `path` leads to, symlinks followed (`None`: nothing).
    fn kind_of(&self, path: &Path) -> Option<seen::Kind> {
        // A folder this run listed answers without a system call (module resolution asks
        // for several names per import, most of them absent); a symlink is followed.
        if let Some((listed, by_canonical)) = self.listed_kind(path) {
            let answer = match listed {
                // Not in the folder.
                None => Some(None),
                // `None` for a symlink, followed below.
                Some(kind) => seen::Kind::listed(kind).map(Some),
            };
            if let Some(kind) = answer {
                if let (Some(seen), false) = (self.seen(), by_canonical) {
                    // Asked through a symlinked folder: the listing's sight is the
                    // folder's, not the way to it.
                    seen.kind(path, kind);
                }
                return kind;
            }
        }
        match self.seen() {
            Some(seen) => seen.ask_kind(path),
            None => std::fs::metadata(path).ok().map(|m| seen::Kind::of(&m)),
        }
    }

    fn remember_walk(&self, root: &Path, walk: &dyn Fn() -> Walked) -> Arc<Walked> {
        let Some(run) = &self.run else {
            return Arc::new(walk());
        };
        if let Some(w) = run.walks.get(memo_key(root)) {
            return w.clone();
        }
        let w = Arc::new(walk());
        run.walks.insert(memo_key(root).to_vec(), w.clone());
        w
    }

    /// What this run's listing of `path`'s folder says `path` is (`None` for a name it does
    /// not hold), if the folder was listed, and whether `path`'s folder was asked by its
    /// canonical path.
    fn listed_kind(&self, path: &Path) -> Option<(Option<EntryKind>, bool)> {
        let run = self.run.as_ref()?;
        let name = path.file_name()?.to_str()?;
        let parent = path.parent()?;
        let dir = run.folders.get(memo_key(parent))?;
        let entries = run.listings.get(memo_key(&dir))?;
        let kind = entries
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()
            .map(|i| entries[i].kind);
        Some((kind, dir.as_os_str() == parent.as_os_str()))
    }
}

/// Reads a text file if it is a regular file inside `canonical_root` and passes the limits.
pub fn read_confined(path: &Path, canonical_root: &Path) -> Result<Arc<str>, SkipReason> {
    decode_text(read_confined_bytes(path, canonical_root, MAX_SOURCE_BYTES)?)
}

fn io_reason(e: &io::Error) -> SkipReason {
    match e.kind() {
        io::ErrorKind::NotFound => SkipReason::NotFound,
        _ => SkipReason::Io(e.to_string()),
    }
}

/// The one way a file's bytes are read: only a regular file (checked before opening and again
/// on the open file, which is opened without blocking and without following a symlink, so a
/// FIFO, socket, device or a file swapped in between is refused), only inside
/// `canonical_root` once symlinks are resolved, and at most `limit` bytes, counted while
/// reading (a file that grows, or whose size the metadata does not tell, cannot exceed it).
pub fn read_confined_bytes(
    path: &Path,
    canonical_root: &Path,
    limit: u64,
) -> Result<Vec<u8>, SkipReason> {
    let canonical = path.canonicalize().map_err(|e| io_reason(&e))?;
    read_canonical_bytes(&canonical, None, canonical_root, limit, &mut None)
}

/// [`read_confined_bytes`] of a path whose symlinks are resolved, with the metadata of its
/// last component when the caller has it (`symlink_metadata` of the same entry). `opened`
/// gets the metadata of the file opened, when one was.
fn read_canonical_bytes(
    canonical: &Path,
    meta: Option<std::fs::Metadata>,
    canonical_root: &Path,
    limit: u64,
    opened: &mut Option<std::fs::Metadata>,
) -> Result<Vec<u8>, SkipReason> {
    use std::io::Read;
    if !canonical.starts_with(canonical_root) {
        return Err(SkipReason::OutsideRoot);
    }
    let meta = match meta {
        Some(meta) => meta,
        None => std::fs::symlink_metadata(canonical).map_err(|e| io_reason(&e))?,
    };
    if meta.is_dir() {
        return Err(SkipReason::Directory);
    }
    if !meta.is_file() {
        return Err(SkipReason::NotAFile);
    }
    if meta.len() > limit {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    let file = open_regular(canonical)?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    *opened = Some(meta.clone());
    if !meta.is_file() {
        return Err(SkipReason::NotAFile);
    }
    if meta.len() > limit {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge(meta.len().max(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Opens a file for reading without blocking (a FIFO would wait for a writer) and without
/// following a symlink in the last component.
#[cfg(unix)]
fn open_regular(path: &Path) -> Result<std::fs::File, SkipReason> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => SkipReason::NotAFile,
            _ => io_reason(&e),
        })
}

#[cfg(not(unix))]
fn open_regular(path: &Path) -> Result<std::fs::File, SkipReason> {
    std::fs::File::open(path).map_err(|e| io_reason(&e))
}

/// Lists a folder inside `canonical_root` (symlinks resolved), sorted by name.
pub fn list_confined(dir: &Path, canonical_root: &Path) -> Result<Vec<DirEntry>, SkipReason> {
    let canonical = dir.canonicalize().map_err(|e| io_reason(&e))?;
    list_canonical(dir, &canonical, canonical_root)
}

/// [`list_confined`] of a folder whose canonical path is known.
fn list_canonical(
    dir: &Path,
    canonical: &Path,
    canonical_root: &Path,
) -> Result<Vec<DirEntry>, SkipReason> {
    if !canonical.starts_with(canonical_root) {
        return Err(SkipReason::OutsideRoot);
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io_reason(&e))? {
        let entry = entry.map_err(|e| io_reason(&e))?;
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => EntryKind::Symlink,
            Ok(t) if t.is_dir() => EntryKind::Dir,
            Ok(t) if t.is_file() => EntryKind::File,
            Ok(_) => EntryKind::Other,
            // Gone since it was listed.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_reason(&e)),
        };
        out.push(DirEntry {
            name: entry.file_name().to_string_lossy().into_owned(),
            path: entry.path(),
            kind,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Turns file bytes into text: strips a UTF-8 BOM, refuses binary and non-UTF-8 content.
pub fn decode_text(bytes: Vec<u8>) -> Result<Arc<str>, SkipReason> {
    check_text(&bytes).map(Arc::from)
}

/// The text of file bytes, in place: without a UTF-8 BOM; binary and non-UTF-8 content is
/// refused.
fn check_text(bytes: &[u8]) -> Result<&str, SkipReason> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(SkipReason::Binary);
    }
    std::str::from_utf8(bytes).map_err(|_| SkipReason::NotUtf8)
}

/// The disk overlaid with in-memory texts (open editor buffers). A buffer obeys the limits of
/// a file on disk: outside the root or over [`MAX_SOURCE_BYTES`], it is not read.
pub struct OverlayFs<'a> {
    pub disk: &'a DiskFs,
    pub overlay: &'a HashMap<PathBuf, Arc<str>>,
}

impl FileSystem for OverlayFs<'_> {
    fn read_text(&self, path: &Path) -> Result<Arc<str>, SkipReason> {
        match self.overlay.get(path) {
            Some(_) if !normalize(path).starts_with(&self.disk.root) => {
                Err(SkipReason::OutsideRoot)
            }
            Some(text) if text.len() as u64 > MAX_SOURCE_BYTES => {
                Err(SkipReason::TooLarge(text.len() as u64))
            }
            Some(text) => Ok(text.clone()),
            None => self.disk.read_text(path),
        }
    }

    fn read_raw(&self, path: &Path) -> Result<Raw, SkipReason> {
        match self.overlay.get(path) {
            Some(_) => self.read_text(path).map(Raw::Text),
            None => self.disk.read_raw(path),
        }
    }

    fn stamp(&self, path: &Path) -> Option<Stamp> {
        match self.overlay.get(path) {
            Some(_) => None,
            None => self.disk.stamp(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.overlay.contains_key(path) || self.disk.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.disk.is_dir(path)
    }

    fn list_dir(&self, dir: &Path) -> Result<Vec<DirEntry>, SkipReason> {
        self.disk.list_dir(dir)
    }

    /// Buffers change no listing: the disk's walk stands.
    fn remembered_walk(&self, root: &Path, walk: &dyn Fn() -> Walked) -> Arc<Walked> {
        self.disk.remember_walk(root, walk)
    }
}

/// Lexically normalises a path: drops `.` and folds `..` (without touching the disk).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether a `main` is a module specifier resolved by a bundler (`@scope/pkg/worker`,
/// `virtual:worker`, a bare package name) rather than a path.
pub fn is_module_specifier(spec: &str) -> bool {
    let drive = spec.as_bytes().get(1) == Some(&b':');
    if spec.contains(':') && !drive {
        return true;
    }
    if spec.starts_with('.') || spec.starts_with('/') {
        return false;
    }
    spec.starts_with('@') || !(spec.contains('/') || spec.contains('.'))
}

/// Whether a file name is a wrangler config: `wrangler.toml|json|jsonc`, or any
/// `*.toml|json|jsonc` whose name contains `wrangler`.
pub fn is_config_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".toml") || lower.ends_with(".json") || lower.ends_with(".jsonc"))
        && lower.contains("wrangler")
}

/// A root-relative path with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    // The common case, asked for every file a walk finds: `path` is `root`, a `/` and a
    // relative path with nothing to normalise (no empty or `.` component), which is the
    // answer as it is.
    let (r, p) = (
        root.as_os_str().as_encoded_bytes(),
        path.as_os_str().as_encoded_bytes(),
    );
    if std::path::MAIN_SEPARATOR == '/'
        && p.len() > r.len() + 1
        && p.starts_with(r)
        && p[r.len()] == b'/'
    {
        let rest = &p[r.len() + 1..];
        let plain = !rest.starts_with(b"/")
            && !rest.ends_with(b"/")
            && rest
                .split(|&b| b == b'/')
                .all(|c| !c.is_empty() && c != b".");
        if plain {
            if let Ok(s) = std::str::from_utf8(rest) {
                return s.to_string();
            }
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The ignore files of the folders above a family's folder, up to the project root: a
/// nested family's walk starts from its own folder, and what the root's `.gitignore` rules
/// out (`dist/` of every package) stays out of it, as it is out of the root's walk and of
/// git. Empty for a project root.
#[derive(Clone, Debug, Default)]
pub struct IgnoresAbove(Option<Arc<IgnoreLevel>>);

/// The ignore files of the folders from `root` down to `dir`'s parent, read through `fs`
/// (confined to `root`): what [`walk_files`] of `root` applies on entering `dir`.
pub fn ignores_above(root: &Path, dir: &Path, fs: &dyn FileSystem) -> IgnoresAbove {
    let Ok(rel) = dir.strip_prefix(root) else {
        return IgnoresAbove::default();
    };
    let mut level: Option<Arc<IgnoreLevel>> = None;
    let mut at = root.to_path_buf();
    for c in rel.components() {
        if let Ok(entries) = fs.list_dir(&at) {
            level = ignore_level(&at, &entries, fs, level);
        }
        at.push(c);
    }
    IgnoresAbove(level)
}

/// The ignore files of one folder and of every folder above it, up to the root.
#[derive(Debug)]
struct IgnoreLevel {
    /// The folder the ignore files lie in: their patterns match paths relative to it.
    dir: PathBuf,
    /// `.ignore`, which takes precedence over `.gitignore` (as in ripgrep and the `ignore`
    /// crate).
    ignore: Arc<IgnoreFile>,
    gitignore: Arc<IgnoreFile>,
    /// `.git/info/exclude` of a repository rooted at this folder.
    exclude: Arc<IgnoreFile>,
    parent: Option<Arc<IgnoreLevel>>,
}

/// The matcher of one ignore file, or an empty one if it cannot be read. The text comes
/// through [`FileSystem::read_text`]: the `ignore` crate never opens these files itself, so a
/// FIFO, a device or a symlink out of the root is refused like any other file.
///
/// A matcher is rooted at no folder: it is given paths relative to its file's folder
/// ([`is_ignored`]), so that the folders of a repository that hold the same ignore file
/// (every template's `.gitignore`) share one. Each root is walked more than once per load
/// (families, then discovery, then single paths), so matchers are remembered by content, at
/// most [`MAX_MATCHERS`] at a time.
fn ignore_matcher(file: &Path, fs: &dyn FileSystem) -> Arc<IgnoreFile> {
    type Memo = foldhash::HashMap<u128, Arc<IgnoreFile>>;
    static MEMO: std::sync::OnceLock<std::sync::Mutex<Memo>> = std::sync::OnceLock::new();
    let Ok(text) = fs.read_text(file) else {
        return Arc::new(IgnoreFile::empty());
    };
    let key = xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let memo = MEMO.get_or_init(Default::default);
    if let Some(m) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return m.clone();
    }
    let matcher = Arc::new(IgnoreFile::parse(&text));
    let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
    if memo.len() >= MAX_MATCHERS {
        memo.clear();
    }
    memo.insert(key, matcher.clone());
    matcher
}

/// How many ignore-file matchers [`ignore_matcher`] keeps.
const MAX_MATCHERS: usize = 4096;

fn ignore_level(
    dir: &Path,
    entries: &[DirEntry],
    fs: &dyn FileSystem,
    parent: Option<Arc<IgnoreLevel>>,
) -> Option<Arc<IgnoreLevel>> {
    let present = |name: &str| {
        entries
            .iter()
            .find(|e| e.name == name && e.kind != EntryKind::Dir)
    };
    let matcher = |name: &str| match present(name) {
        Some(e) => ignore_matcher(&e.path, fs),
        None => Arc::new(IgnoreFile::empty()),
    };
    let ignore = matcher(".ignore");
    let gitignore = matcher(".gitignore");
    let exclude = if entries
        .iter()
        .any(|e| e.name == ".git" && e.kind == EntryKind::Dir)
    {
        ignore_matcher(&dir.join(".git/info/exclude"), fs)
    } else {
        Arc::new(IgnoreFile::empty())
    };
    if ignore.is_empty() && gitignore.is_empty() && exclude.is_empty() {
        return parent;
    }
    Some(Arc::new(IgnoreLevel {
        dir: dir.to_path_buf(),
        ignore,
        gitignore,
        exclude,
        parent,
    }))
}

/// Whether the ignore files rule `path` out: `.ignore` files first, then `.gitignore`, then
/// `.git/info/exclude`, each from the deepest folder up, the first match deciding (a `!`
/// pattern re-includes). `path` lies below every level's folder.
fn is_ignored(level: Option<&Arc<IgnoreLevel>>, path: &Path, is_dir: bool) -> bool {
    let kinds: [fn(&IgnoreLevel) -> &IgnoreFile; 3] =
        [|l| &*l.ignore, |l| &*l.gitignore, |l| &*l.exclude];
    for kind in kinds {
        let mut at = level.map(|l| &**l);
        while let Some(l) = at {
            let matcher = kind(l);
            if !matcher.is_empty() {
                let rel = below(path, &l.dir).unwrap_or(path);
                match matcher.matched(rel, is_dir) {
                    Verdict::Ignore => return true,
                    Verdict::Whitelist => return false,
                    Verdict::None => {}
                }
            }
            at = l.parent.as_deref();
        }
    }
    false
}

/// `path` relative to `dir`, as [`Path::strip_prefix`] gives it: compared as bytes when
/// `path` is `dir`, a `/` and a plain relative path (a run's paths are folders joined with
/// listed names), which saves reading both paths component by component for every level.
fn below<'p>(path: &'p Path, dir: &Path) -> Option<&'p Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (p, d) = (path.as_os_str().as_bytes(), dir.as_os_str().as_bytes());
        if let Some(rest) = p.strip_prefix(d).and_then(|r| r.strip_prefix(b"/")) {
            let plain = !rest.is_empty()
                && !rest.starts_with(b"/")
                && !rest.starts_with(b"./")
                && !rest.ends_with(b"/")
                && !rest.ends_with(b"/.")
                && rest != b"."
                && memchr::memmem::find(rest, b"//").is_none()
                && memchr::memmem::find(rest, b"/./").is_none()
                && !d.is_empty()
                && !d.ends_with(b"/");
            if plain {
                return Some(Path::new(std::ffi::OsStr::from_bytes(rest)));
            }
        }
    }
    path.strip_prefix(dir).ok()
}

/// Whether the ignore files of `root` and of the folders down to `path` rule `path` out, or a
/// folder it lies in (`path` need not exist: a `main` a build writes).
pub fn is_ignored_path(root: &Path, path: &Path, fs: &dyn FileSystem) -> bool {
    is_ignored_path_below(root, &IgnoresAbove::default(), path, fs)
}

/// [`is_ignored_path`] in a family whose folder `root` lies below the ignore files `above`.
pub fn is_ignored_path_below(
    root: &Path,
    above: &IgnoresAbove,
    path: &Path,
    fs: &dyn FileSystem,
) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut level: Option<Arc<IgnoreLevel>> = above.0.clone();
    let mut dir = root.to_path_buf();
    let components: Vec<_> = rel.components().collect();
    for (i, c) in components.iter().enumerate() {
        if let Ok(entries) = fs.list_dir(&dir) {
            level = ignore_level(&dir, &entries, fs, level);
        }
        let next = dir.join(c);
        let is_last = i + 1 == components.len();
        if is_ignored(level.as_ref(), &next, !is_last) {
            return true;
        }
        dir = next;
    }
    false
}

/// Every regular file under `root` that the ignore files (of `root` and below) leave in,
/// outside [`SKIPPED_DIRS`], read through `fs`, never following symlinks; `None` when there
/// are more than `max` of them or a folder cannot be listed (what it holds is unknown).
pub fn files_under(root: &Path, fs: &dyn FileSystem, max: usize) -> Option<Vec<PathBuf>> {
    let mut out = Vec::new();
    let unreadable = walk_files(root, fs, true, &mut |e| out.push(e.path.clone()));
    if !unreadable.is_empty() || out.len() > max {
        return None;
    }
    out.sort();
    Some(out)
}

/// Walks the folders under `root` through `fs`, never following symlinks, and calls `visit`
/// on every regular file. With `filtered`, skips [`SKIPPED_DIRS`] and what the ignore files
/// rule out. Returns the folders that could not be listed.
fn walk_files(
    root: &Path,
    fs: &dyn FileSystem,
    filtered: bool,
    visit: &mut dyn FnMut(&DirEntry),
) -> Vec<(PathBuf, SkipReason)> {
    walk_files_skipping(
        root,
        &IgnoresAbove::default(),
        fs,
        filtered,
        &|_| false,
        visit,
    )
}

/// [`walk_files`], never entering the folders `skip` names (other families' folders).
///
/// A filtered walk is the run's one walk of `root` ([`FileSystem::remembered_walk`]) replayed
/// without the files below a skipped folder: the same files in the same order as a walk that
/// does not enter it, and only the unreadable folders it would have entered.
fn walk_files_skipping(
    root: &Path,
    above: &IgnoresAbove,
    fs: &dyn FileSystem,
    filtered: bool,
    skip: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(&DirEntry),
) -> Vec<(PathBuf, SkipReason)> {
    if !filtered {
        return walk_unremembered(root, fs, false, skip, visit);
    }
    // A root is walked with the same ignore files above it throughout a run (the project
    // root with none, a nested family with the project's): remembered by root.
    let walked = fs.remembered_walk(root, &|| walk_in_parallel(root, above, fs, PARALLEL_DEPTH));
    // Whether a folder lies in a skipped one (itself included), by folder: the root is
    // never skipped.
    let mut skipped: foldhash::HashMap<Vec<u8>, bool> = Default::default();
    let mut in_skipped = |dir: &Path| -> bool {
        let mut chain = Vec::new();
        let mut at = dir;
        let mut answer = false;
        while at != root {
            if let Some(&known) = skipped.get(memo_key(at)) {
                answer = known;
                break;
            }
            chain.push(at);
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        // From the outermost folder not known yet inwards.
        for d in chain.into_iter().rev() {
            answer = answer || skip(d);
            skipped.insert(memo_key(d).to_vec(), answer);
        }
        answer
    };
    let mut last: Option<(&Path, bool)> = None;
    for e in &walked.files {
        let Some(dir) = e.path.parent() else { continue };
        let out = match last {
            Some((d, out)) if d.as_os_str() == dir.as_os_str() => out,
            _ => {
                let out = in_skipped(dir);
                last = Some((dir, out));
                out
            }
        };
        if !out {
            visit(e);
        }
    }
    walked
        .unreadable
        .iter()
        .filter(|(d, _)| !in_skipped(d))
        .cloned()
        .collect()
}

/// One walk of the disk (see [`walk_files_skipping`]), depth first through each folder's
/// entries in name order: files come in path order (the order of [`Path`]'s `Ord`, a folder's
/// files before those of a sibling that sorts after it), so the lists made from a walk need
/// no sort.
fn walk_unremembered(
    root: &Path,
    fs: &dyn FileSystem,
    filtered: bool,
    skip: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(&DirEntry),
) -> Vec<(PathBuf, SkipReason)> {
    let mut unreadable = walk_below(root, root, None, fs, filtered, skip, visit);
    unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    unreadable
}

/// [`walk_unremembered`] from `from` (`root` or a folder below it) with the ignore files of
/// the folders above it (`parent`), unreadable folders in the order met.
fn walk_below(
    root: &Path,
    from: &Path,
    parent: Option<Arc<IgnoreLevel>>,
    fs: &dyn FileSystem,
    filtered: bool,
    skip: &dyn Fn(&Path) -> bool,
    visit: &mut dyn FnMut(&DirEntry),
) -> Vec<(PathBuf, SkipReason)> {
    struct Frame {
        entries: Vec<DirEntry>,
        next: usize,
        level: Option<Arc<IgnoreLevel>>,
    }
    let mut unreadable = Vec::new();
    let mut open = |dir: &Path, parent: Option<Arc<IgnoreLevel>>| -> Option<Frame> {
        let (entries, level) = open_folder(root, dir, parent, fs, filtered, &mut unreadable)?;
        Some(Frame {
            entries,
            next: 0,
            level,
        })
    };
    // An explicit stack of open folders: no recursion per level of nesting.
    let mut stack: Vec<Frame> = open(from, parent).into_iter().collect();
    while let Some(frame) = stack.last_mut() {
        let Some(e) = frame.entries.get(frame.next) else {
            stack.pop();
            continue;
        };
        frame.next += 1;
        if !walks_into(e, frame.level.as_ref(), filtered, skip) {
            continue;
        }
        if e.kind == EntryKind::Dir {
            let (dir, level) = (e.path.clone(), frame.level.clone());
            if let Some(inner) = open(&dir, level) {
                stack.push(inner);
            }
        } else {
            visit(e);
        }
    }
    unreadable
}

/// Lists a folder of a walk and reads its ignore files (when `filtered`), or records why it
/// cannot be listed (a folder removed while the walk ran, other than the root, is passed
/// over).
fn open_folder(
    root: &Path,
    dir: &Path,
    parent: Option<Arc<IgnoreLevel>>,
    fs: &dyn FileSystem,
    filtered: bool,
    unreadable: &mut Vec<(PathBuf, SkipReason)>,
) -> Option<(Vec<DirEntry>, Option<Arc<IgnoreLevel>>)> {
    let entries = match fs.list_dir(dir) {
        Ok(entries) => entries,
        Err(SkipReason::NotFound) if dir != root => return None,
        Err(reason) => {
            unreadable.push((dir.to_path_buf(), reason));
            return None;
        }
    };
    let level = if filtered {
        ignore_level(dir, &entries, fs, parent)
    } else {
        None
    };
    Some((entries, level))
}

/// Whether a walk enters a listed folder or keeps a listed file: never a symlink or a
/// special file, nor a folder `skip` names; with `filtered`, neither [`SKIPPED_DIRS`] nor
/// what the ignore files rule out.
fn walks_into(
    e: &DirEntry,
    level: Option<&Arc<IgnoreLevel>>,
    filtered: bool,
    skip: &dyn Fn(&Path) -> bool,
) -> bool {
    match e.kind {
        EntryKind::Dir => {
            !(skip(&e.path)
                || (filtered
                    && (SKIPPED_DIRS.contains(&e.name.as_str())
                        || is_ignored(level, &e.path, true))))
        }
        EntryKind::File => !(filtered && is_ignored(level, &e.path, false)),
        EntryKind::Symlink | EntryKind::Other => false,
    }
}

/// How deep below the root [`walk_in_parallel`] lists sibling folders on several threads;
/// below, each subtree is walked by one (without recursion: [`walk_below`]).
const PARALLEL_DEPTH: usize = 24;

/// The filtered walk of `root` ([`walk_unremembered`] without skips), the folders of each
/// folder walked on rayon's threads and put together in name order: the same files in the
/// same order, and the same unreadable folders.
fn walk_in_parallel(
    root: &Path,
    above: &IgnoresAbove,
    fs: &dyn FileSystem,
    parallel_depth: usize,
) -> Walked {
    use rayon::prelude::*;
    fn folder(
        root: &Path,
        dir: &Path,
        parent: Option<Arc<IgnoreLevel>>,
        fs: &dyn FileSystem,
        depth: usize,
        parallel_depth: usize,
    ) -> Walked {
        let mut out = Walked::default();
        if depth >= parallel_depth {
            out.unreadable = walk_below(root, dir, parent, fs, true, &|_| false, &mut |e| {
                out.files.push(e.clone())
            });
            return out;
        }
        let Some((entries, level)) = open_folder(root, dir, parent, fs, true, &mut out.unreadable)
        else {
            return out;
        };
        // In name order: a file to keep, or the place of a folder to enter among `dirs`.
        let mut kept: Vec<Result<&DirEntry, usize>> = Vec::new();
        let mut dirs: Vec<&Path> = Vec::new();
        for e in entries
            .iter()
            .filter(|e| walks_into(e, level.as_ref(), true, &|_| false))
        {
            if e.kind == EntryKind::Dir {
                kept.push(Err(dirs.len()));
                dirs.push(&e.path);
            } else {
                kept.push(Ok(e));
            }
        }
        let mut below: Vec<Walked> = dirs
            .par_iter()
            .map(|d| folder(root, d, level.clone(), fs, depth + 1, parallel_depth))
            .collect();
        for k in kept {
            match k {
                Ok(e) => out.files.push(e.clone()),
                Err(i) => {
                    let part = std::mem::take(&mut below[i]);
                    out.files.extend(part.files);
                    out.unreadable.extend(part.unreadable);
                }
            }
        }
        out
    }
    let mut walked = folder(root, root, above.0.clone(), fs, 0, parallel_depth);
    walked.unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    walked
}

/// Sorts `paths` unless they are sorted already (the lists a walk makes are: see
/// [`walk_unremembered`]), which costs one comparison per path instead of a sort's many.
fn ensure_sorted(paths: &mut [PathBuf]) {
    if !paths.is_sorted() {
        paths.sort();
    }
}

/// What one walk of the root finds: wrangler configs, and the files beside the workers that
/// tell what their code expects (env types, tests, vitest configs, workspace packages).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Wrangler configs, sorted.
    pub configs: Vec<PathBuf>,
    /// `.d.ts` files (hand-written env types, `wrangler types` output of any name), sorted.
    pub declarations: Vec<PathBuf>,
    /// TS/JS test modules (`*.test.*`, `*.spec.*`, or under a test folder), sorted.
    pub tests: Vec<PathBuf>,
    /// `vitest.config.*` / `vitest.workspace.*` files, sorted.
    pub vitest_configs: Vec<PathBuf>,
    /// `vite.config.*` files (the Cloudflare vite plugin builds the workers they name), sorted.
    pub vite_configs: Vec<PathBuf>,
    /// `package.json` files, sorted.
    pub packages: Vec<PathBuf>,
    /// Folders that could not be listed (permission denied, ...): whatever they hold is
    /// unknown, so the set of workers is incomplete.
    pub unreadable_dirs: Vec<(PathBuf, SkipReason)>,
    /// TypeScript modules that may declare workers (Devflare, Alchemy, `cloudflare.config.ts`:
    /// see [`crate::declare::is_candidate_name`]), sorted.
    pub ts_configs: Vec<PathBuf>,
}

/// Folder names whose contents are tests.
pub const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "e2e",
    "__mocks__",
    "__fixtures__",
];

/// Whether a root-relative path (with `/` separators) lies in a test folder: a folder named
/// one of [`TEST_DIRS`], or whose name has one as a word (`e2e-tests`, `tests_runtime`,
/// `integration.test`).
pub fn in_test_dir(rel: &str) -> bool {
    let Some((dirs, _)) = rel.rsplit_once('/') else {
        return false;
    };
    dirs.split('/').any(|p| {
        TEST_DIRS.contains(&p)
            || p.split(['-', '_', '.'])
                .any(|w| matches!(w, "test" | "tests" | "e2e" | "spec" | "specs"))
    })
}

/// Whether a file name is a test module's: `x.test.ts`, `x.spec.tsx`, `x.e2e.ts`.
pub fn is_test_module_name(name: &str) -> bool {
    let mut parts = name.split('.');
    parts.next();
    let inner: Vec<&str> = parts.collect();
    inner.len() >= 2
        && inner[..inner.len() - 1]
            .iter()
            .any(|p| matches!(*p, "test" | "spec" | "e2e"))
}

fn is_vite_config_name(name: &str) -> bool {
    name.starts_with("vite.config.")
        && crate::source::SourceLang::from_path(Path::new(name)).is_some()
}

fn is_vitest_config_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    (stem == "vitest" || stem == "vitest-pool-workers")
        && name
            .split('.')
            .nth(1)
            .is_some_and(|p| p == "config" || p == "workspace")
}

/// Finds every wrangler config under `root` (see [`discover`]).
pub fn discover_configs(root: &Path, settings: &Settings, fs: &dyn FileSystem) -> Vec<PathBuf> {
    discover(root, settings, &[], fs).configs
}

/// Walks `root` once and sorts what it finds: `.gitignore`, `.ignore` and `.git/info/exclude`
/// honoured, dependency and output folders skipped, symlinks never followed. Every folder is
/// listed and every ignore file read through `fs`. The folders of other families are not
/// entered: `nested` (see [`families`]) and the `[workspace] members` of `settings`.
pub fn discover(
    root: &Path,
    settings: &Settings,
    nested: &[PathBuf],
    fs: &dyn FileSystem,
) -> Discovered {
    discover_below(root, &IgnoresAbove::default(), settings, nested, fs)
}

/// [`discover`] of a family whose folder `root` lies below the ignore files `above` (see
/// [`ignores_above`]).
pub fn discover_below(
    root: &Path,
    above: &IgnoresAbove,
    settings: &Settings,
    nested: &[PathBuf],
    fs: &dyn FileSystem,
) -> Discovered {
    let mut found = Discovered::default();
    let nested: foldhash::HashSet<&Path> = nested.iter().map(PathBuf::as_path).collect();
    let other_family = |dir: &Path| {
        nested.contains(dir)
            || (settings.has_members() && settings.is_member_dir(&relative(root, dir)))
    };
    let unreadable_dirs = walk_files_skipping(root, above, fs, true, &other_family, &mut |e| {
        let path = &e.path;
        let rel = relative(root, path);
        let name = e.name.as_str();
        if settings.is_excluded(&rel) {
            return;
        }
        let script = crate::source::SourceLang::from_name(name).is_some();
        if is_config_name(name) || (settings.is_included(&rel) && !script) {
            found.configs.push(path.clone());
        } else if script && settings.is_included(&rel) {
            found.ts_configs.push(path.clone());
        } else if name == "package.json" {
            found.packages.push(path.clone());
        } else if is_vitest_config_name(name) {
            found.vitest_configs.push(path.clone());
        } else if is_vite_config_name(name) {
            found.vite_configs.push(path.clone());
        } else if is_declaration_name(name) {
            found.declarations.push(path.clone());
        } else if script && (is_test_module_name(name) || in_test_dir(&rel)) {
            found.tests.push(path.clone());
        } else if script && crate::declare::is_candidate_name(&rel) {
            found.ts_configs.push(path.clone());
        }
    });
    // `include` may name configs in ignored folders: look for them explicitly.
    if !settings.include.is_empty() {
        walk_files_skipping(root, above, fs, false, &other_family, &mut |e| {
            let rel = relative(root, &e.path);
            if settings.is_included(&rel) && !settings.is_excluded(&rel) {
                found.configs.push(e.path.clone());
            }
        });
    }
    found.unreadable_dirs = unreadable_dirs;
    for list in [
        &mut found.configs,
        &mut found.declarations,
        &mut found.tests,
        &mut found.vitest_configs,
        &mut found.vite_configs,
        &mut found.ts_configs,
        &mut found.packages,
    ] {
        ensure_sorted(list);
    }
    found.configs.dedup();
    found
}

/// Whether a file is one [`discover`] reads beside the configs: a `.d.ts`, a test module, a
/// vitest config or a `package.json`.
pub fn is_support_file(root: &Path, path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    name == "package.json"
        || is_vitest_config_name(&name)
        || is_vite_config_name(&name)
        || is_declaration_name(&name)
        || (crate::source::SourceLang::from_path(path).is_some()
            && (is_test_module_name(&name) || in_test_dir(&relative(root, path))))
}

/// Whether a file name is a TypeScript declaration file.
pub fn is_declaration_name(name: &str) -> bool {
    name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts")
}

/// The extensions tried, in order, for an extensionless import specifier.
const SOURCE_EXTENSIONS: &[&str] = &["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"];

/// Resolves a relative module specifier from the importing file, the way TypeScript's bundler
/// resolution does for relative paths: exact file, `.js`-family specifiers naming TS files,
/// extensionless specifiers, and folder `index` files. `None` for bare (package) specifiers
/// and for specifiers that name no file.
pub fn resolve_module(fs: &dyn FileSystem, importer: &Path, specifier: &str) -> Option<PathBuf> {
    if !(specifier.starts_with("./")
        || specifier.starts_with("../")
        || specifier == "."
        || specifier == "..")
    {
        return None;
    }
    resolve_path(fs, &normalize(&importer.parent()?.join(specifier)))
}

/// The module file a path names: itself, a TS file for a `.js`-family path, the path with a
/// source extension, or its folder's `index` file.
pub fn resolve_path(fs: &dyn FileSystem, base: &Path) -> Option<PathBuf> {
    // Candidates in order of preference, each made and tried only when the ones before it
    // are not files (most imports resolve at the first or second).
    let found = |c: PathBuf| fs.is_file(&c).then_some(c);
    if let Some(ext) = base.extension().and_then(|e| e.to_str()) {
        let swaps: &[&str] = match ext {
            "js" => &["ts", "tsx"],
            "jsx" => &["tsx"],
            "mjs" => &["mts"],
            "cjs" => &["cts"],
            _ => &[],
        };
        if let Some(c) = std::iter::once(base.to_path_buf())
            .chain(swaps.iter().map(|s| base.with_extension(s)))
            .find_map(found)
        {
            return Some(c);
        }
    }
    let with_ext = |ext: &str| {
        let mut c = base.as_os_str().to_owned();
        c.push(".");
        c.push(ext);
        PathBuf::from(c)
    };
    if let Some(c) = SOURCE_EXTENSIONS
        .iter()
        .map(|e| with_ext(e))
        .find_map(found)
    {
        return Some(c);
    }
    SOURCE_EXTENSIONS
        .iter()
        .map(|ext| base.join(format!("index.{ext}")))
        .find_map(found)
}

/// Names declared in a `.dev.vars` / `.env` style file: `KEY=value` lines, `export KEY=...`
/// allowed, comments and blank lines skipped.
pub fn parse_dotenv_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, _) = line.split_once('=')?;
            let key = key.trim();
            (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| key.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names() {
        assert!(is_config_name("wrangler.toml"));
        assert!(is_config_name("wrangler.staging.jsonc"));
        assert!(is_config_name("worker-a.wrangler.json"));
        assert!(!is_config_name("package.json"));
        assert!(!is_config_name("wrangler.ts"));
    }

    /// [`below`] gives the bytes [`Path::strip_prefix`] gives, whatever the spelling.
    #[test]
    fn below_is_strip_prefix() {
        let dirs = ["/r", "/r/a", "r", "/r/", "/r/./a", "/", ".", "/r/a/."];
        let paths = [
            "/r/a",
            "/r/a/b",
            "/r/ab",
            "/r",
            "/r/",
            "/r//a",
            "/r/./a",
            "/r/a/./b",
            "/r/a//b",
            "/r/a/",
            "/r/a/.",
            "r/a",
            "./r/a",
            "/r/a/..",
            "/r/../r/a",
            "/ra/b",
            "/r/a/b/c.ts",
        ];
        for d in dirs {
            for p in paths {
                let (d, p) = (Path::new(d), Path::new(p));
                let bytes = |r: Option<&Path>| r.map(|r| r.as_os_str().as_encoded_bytes().to_vec());
                assert_eq!(
                    bytes(below(p, d)),
                    bytes(p.strip_prefix(d).ok()),
                    "{p:?} below {d:?}"
                );
            }
        }
    }

    #[test]
    fn normalize_folds_parent_components() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn dotenv_names() {
        let names = parse_dotenv_names("# c\nA=1\nexport B = \"x\"\n\nbad line\nC_D=\n");
        assert_eq!(names, vec!["A", "B", "C_D"]);
    }

    use crate::fixture::fixture;

    fn found(root: &Path, settings: &Settings) -> Vec<String> {
        discover_configs(root, settings, &DiskFs::new(root))
            .iter()
            .map(|p| relative(root, p))
            .collect()
    }

    /// What the `ignore` crate's walker (which reads the ignore files itself) finds, with the
    /// options discovery used before it read them through [`FileSystem`].
    fn found_by_the_ignore_crate(root: &Path) -> Vec<String> {
        let mut walker = ignore::WalkBuilder::new(root);
        walker
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .parents(false)
            .follow_links(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && SKIPPED_DIRS.contains(&name.as_ref()))
            });
        let mut out: Vec<String> = walker
            .build()
            .flatten()
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .filter(|e| is_config_name(&e.file_name().to_string_lossy()))
            .map(|e| relative(root, e.path()))
            .collect();
        out.sort();
        out
    }

    const IGNORE_TREE: &str = r#"
//- /.gitignore
gen/
x/
*.local.wrangler.toml
//- /.ignore
!x/
//- /.git/info/exclude
ex/
//- /wrangler.toml
//- /a.local.wrangler.toml
//- /gen/wrangler.toml
//- /x/wrangler.toml
//- /ex/wrangler.toml
//- /sub/.gitignore
!gen/
//- /sub/gen/wrangler.toml
//- /sub/deep/.ignore
*
//- /sub/deep/wrangler.toml
//- /node_modules/pkg/wrangler.toml
//- /api/wrangler.jsonc
"#;

    #[test]
    fn ignore_files_are_honoured_as_git_and_the_ignore_crate_do() {
        let f = fixture(IGNORE_TREE);
        let ours = found(f.root(), &Settings::default());
        assert_eq!(
            ours,
            vec![
                "api/wrangler.jsonc",
                "sub/gen/wrangler.toml",
                "wrangler.toml",
                "x/wrangler.toml"
            ]
        );
        assert_eq!(ours, found_by_the_ignore_crate(f.root()));
    }

    /// `relative`'s shortcut for walked paths says what the component-wise reading says.
    #[test]
    fn relative_paths_match_a_component_wise_reading() {
        let reference = |root: &Path, path: &Path| {
            let rel = path.strip_prefix(root).unwrap_or(path);
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        let roots = ["/r", "/r/", "/", "/r/s", "r"];
        let paths = [
            "/r/a",
            "/r/a/b.ts",
            "/r//a",
            "/r/./a",
            "/r/a/",
            "/r/a/./b",
            "/r/a//b",
            "/r/../a",
            "/r",
            "/r/",
            "/rs/a",
            "/r/s/t",
            "/x/a",
            "r/a",
            "/r/é/ü.ts",
            "/r/.a/..b/...",
        ];
        for root in roots {
            for path in paths {
                let (root, path) = (Path::new(root), Path::new(path));
                assert_eq!(
                    relative(root, path),
                    reference(root, path),
                    "{root:?} {path:?}"
                );
            }
        }
    }

    /// Folders that hold the same ignore file share one matcher: its anchored patterns still
    /// match below the folder of each file.
    #[test]
    fn identical_ignore_files_in_two_folders_each_match_below_their_own() {
        let f = fixture(
            "//- /a/.gitignore\n/gen\nlocal/*.toml\n!keep.toml\n*.toml\n\
             //- /b/.gitignore\n/gen\nlocal/*.toml\n!keep.toml\n*.toml\n\
             //- /a/gen/wrangler.json\n//- /b/gen/wrangler.json\n\
             //- /a/x/gen/wrangler.json\n//- /b/x/gen/wrangler.json\n\
             //- /a/local/wrangler.json\n//- /b/deep/local/wrangler.json\n\
             //- /a/wrangler.toml\n//- /b/keep.toml\n//- /wrangler.toml\n",
        );
        let ours = found(f.root(), &Settings::default());
        assert_eq!(
            ours,
            vec![
                "a/local/wrangler.json",
                "a/x/gen/wrangler.json",
                "b/deep/local/wrangler.json",
                "b/x/gen/wrangler.json",
                "wrangler.toml"
            ]
        );
        assert_eq!(ours, found_by_the_ignore_crate(f.root()));
    }

    #[test]
    fn include_finds_configs_in_ignored_folders_and_exclude_drops_them() {
        let f = fixture(IGNORE_TREE);
        let (settings, errors) = Settings::parse(
            "[files]\ninclude = [\"gen/*.toml\", \"sub/deep/*.toml\"]\nexclude = [\"api/**\"]\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            found(f.root(), &settings),
            vec![
                "gen/wrangler.toml",
                "sub/deep/wrangler.toml",
                "sub/gen/wrangler.toml",
                "wrangler.toml",
                "x/wrangler.toml"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_and_configs_are_not_followed() {
        let f = fixture("//- /real/wrangler.toml\n");
        std::os::unix::fs::symlink(f.path("real"), f.path("link")).unwrap();
        std::os::unix::fs::symlink(f.path("real/wrangler.toml"), f.path("wrangler.toml")).unwrap();
        assert_eq!(
            found(f.root(), &Settings::default()),
            vec!["real/wrangler.toml"]
        );
    }

    /// A symlinked ignore file inside the root is read like the file it names.
    #[cfg(unix)]
    #[test]
    fn a_symlinked_ignore_file_inside_the_root_applies() {
        let f = fixture("//- /patterns\ngen/\n//- /gen/wrangler.toml\n//- /wrangler.toml\n");
        std::os::unix::fs::symlink(f.path("patterns"), f.path(".gitignore")).unwrap();
        assert_eq!(found(f.root(), &Settings::default()), vec!["wrangler.toml"]);
    }

    /// The limit holds while reading, not only by the size the metadata reports: files of
    /// `/proc` say they are empty.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_size_limit_holds_when_the_metadata_says_empty() {
        let root = Path::new("/proc/self").canonicalize().unwrap();
        let file = root.join("status");
        assert_eq!(std::fs::metadata(&file).unwrap().len(), 0);
        assert!(matches!(
            read_confined_bytes(&file, &root, 16),
            Err(SkipReason::TooLarge(n)) if n == 17
        ));
        let all = read_confined_bytes(&file, &root, MAX_SOURCE_BYTES).unwrap();
        assert!(all.len() > 16);
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_sockets_are_refused_without_blocking() {
        let root = Path::new("/dev");
        for dev in ["/dev/zero", "/dev/null", "/dev/urandom"] {
            assert_eq!(
                read_confined_bytes(Path::new(dev), root, MAX_SOURCE_BYTES),
                Err(SkipReason::NotAFile),
                "{dev}"
            );
        }
        let f = fixture("//- /wrangler.toml\n");
        let fifo = f.path("pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let socket = std::os::unix::net::UnixListener::bind(f.path("sock")).unwrap();
        for p in [fifo, f.path("sock")] {
            assert_eq!(
                read_confined_bytes(&p, f.root(), MAX_SOURCE_BYTES),
                Err(SkipReason::NotAFile)
            );
        }
        drop(socket);
    }

    #[test]
    fn open_buffers_obey_the_size_limit_and_the_root() {
        let f = fixture("//- /w/index.ts\nexport {};\n");
        let disk = DiskFs::new(f.root());
        let big: Arc<str> = Arc::from("x".repeat(MAX_SOURCE_BYTES as usize + 1));
        let small: Arc<str> = Arc::from("export const a = 1;\n");
        let outside = Path::new("/elsewhere/index.ts").to_path_buf();
        let overlay: HashMap<PathBuf, Arc<str>> = [
            (f.path("w/big.ts"), big),
            (f.path("w/index.ts"), small.clone()),
            (outside.clone(), small.clone()),
        ]
        .into_iter()
        .collect();
        let fs = OverlayFs {
            disk: &disk,
            overlay: &overlay,
        };
        assert_eq!(
            fs.read_text(&f.path("w/big.ts")),
            Err(SkipReason::TooLarge(MAX_SOURCE_BYTES + 1))
        );
        assert_eq!(fs.read_text(&f.path("w/index.ts")), Ok(small));
        assert_eq!(fs.read_text(&outside), Err(SkipReason::OutsideRoot));
    }

    /// A root `w` whose files are reached through symlinks inside it (`alias.ts`, `linked/`)
    /// and out of it (`src/secret.ts`, `out/`, into the second fixture, kept alive).
    #[cfg(unix)]
    fn symlinked_tree() -> (crate::fixture::Fixture, crate::fixture::Fixture) {
        use std::os::unix::fs::symlink;
        let outside = fixture("//- /secret.ts\nexport const s = 1;\n");
        let f = fixture("//- /w/src/a.ts\nexport const a = 1;\n//- /w/src/lib/b.ts\nexport {};\n");
        symlink(f.path("w/src/a.ts"), f.path("w/src/alias.ts")).unwrap();
        symlink(f.path("w/src"), f.path("w/linked")).unwrap();
        symlink(outside.path("secret.ts"), f.path("w/src/secret.ts")).unwrap();
        symlink(outside.root(), f.path("w/out")).unwrap();
        (f, outside)
    }

    /// A file has a stamp exactly where a read would read it from the disk (symlinks inside
    /// the root, not through one leaving it, not a folder or a missing file, not a buffer),
    /// and a new content of another size gives another stamp.
    #[cfg(unix)]
    #[test]
    fn a_stamp_is_given_where_a_read_reads_the_disk() {
        let (f, _outside) = symlinked_tree();
        let paths = [
            "w/src/a.ts",
            "w/src/lib/b.ts",
            "w/src/alias.ts",
            "w/linked/a.ts",
            "w/src/secret.ts",
            "w/out/secret.ts",
            "w/src/missing.ts",
            "w/src/lib",
        ];
        for fs in [DiskFs::new(&f.path("w")), DiskFs::for_one_run(&f.path("w"))] {
            for p in paths {
                let p = f.path(p);
                assert_eq!(fs.stamp(&p).is_some(), fs.read_raw(&p).is_ok(), "{p:?}");
            }
        }
        let disk = DiskFs::new(&f.path("w"));
        let a = f.path("w/src/a.ts");
        let before = disk.stamp(&a).unwrap();
        assert_eq!(
            disk.stamp(&f.path("w/src/alias.ts")).unwrap().to_bytes(),
            before.to_bytes()
        );
        std::fs::write(&a, "export const a = 12;\n").unwrap();
        assert_ne!(disk.stamp(&a).unwrap().to_bytes(), before.to_bytes());
        let overlay: HashMap<PathBuf, Arc<str>> = [(a.clone(), Arc::from("x"))].into();
        let fs = OverlayFs {
            disk: &disk,
            overlay: &overlay,
        };
        assert!(fs.stamp(&a).is_none());
        assert!(fs.stamp(&f.path("w/src/lib/b.ts")).is_some());
    }

    /// A run's disk resolves each folder once; it reads exactly what a per-file resolution
    /// reads: plain files, symlinks inside the root, nothing through a symlink leaving it.
    #[cfg(unix)]
    #[test]
    fn a_run_reads_what_a_per_file_resolution_reads() {
        let (f, _outside) = symlinked_tree();
        let paths = [
            "w/src/a.ts",
            "w/src/lib/b.ts",
            "w/src/lib/../a.ts",
            "w/src/alias.ts",
            "w/linked/a.ts",
            "w/linked/lib/b.ts",
            "w/src/secret.ts",
            "w/out/secret.ts",
            "w/src/missing.ts",
            "w/src/lib",
        ];
        let each = DiskFs::new(&f.path("w"));
        let run = DiskFs::for_one_run(&f.path("w"));
        // Twice: the second read of each folder comes from the memo.
        for _ in 0..2 {
            for p in paths {
                assert_eq!(run.read_text(&f.path(p)), each.read_text(&f.path(p)), "{p}");
            }
        }
        // Listing folders too, before and after their files are read.
        let folders = [
            "w/src",
            "w/src/lib",
            "w/linked",
            "w/linked/lib",
            "w/out",
            "w/src/../src/lib",
            "w/missing",
            "w/src/a.ts",
        ];
        let fresh = DiskFs::for_one_run(&f.path("w"));
        for _ in 0..2 {
            for d in folders {
                assert_eq!(fresh.list_dir(&f.path(d)), each.list_dir(&f.path(d)), "{d}");
                assert_eq!(run.list_dir(&f.path(d)), each.list_dir(&f.path(d)), "{d}");
            }
            for p in paths {
                assert_eq!(
                    fresh.read_text(&f.path(p)),
                    each.read_text(&f.path(p)),
                    "{p}"
                );
            }
        }
        assert_eq!(run.list_dir(&f.path("w/out")), Err(SkipReason::OutsideRoot));
        assert!(run.read_text(&f.path("w/linked/a.ts")).is_ok());
        assert_eq!(
            run.read_text(&f.path("w/out/secret.ts")),
            Err(SkipReason::OutsideRoot)
        );
        assert_eq!(
            run.read_text(&f.path("w/src/secret.ts")),
            Err(SkipReason::OutsideRoot)
        );
    }

    #[test]
    fn listing_is_confined_to_the_root() {
        let f = fixture("//- /w/wrangler.toml\n");
        let fs = DiskFs::new(&f.path("w"));
        assert_eq!(fs.list_dir(f.root()), Err(SkipReason::OutsideRoot));
        let names: Vec<String> = fs
            .list_dir(&f.path("w"))
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, vec!["wrangler.toml"]);
    }

    /// A run's second walk of a root replays its first without the skipped folders: the
    /// files, in order, of a walk that never enters them.
    #[test]
    fn a_remembered_walk_replayed_with_skips_is_a_walk_that_skips() {
        let f = fixture(
            "//- /.gitignore\nout/\n//- /a.ts\n//- /m/x.ts\n//- /m/deep/y.ts\n//- /m2/z.ts\n//- /n/m/w.ts\n//- /out/o.ts\n//- /n/v.ts\n",
        );
        let skip = |d: &Path| d.ends_with("m") || d.ends_with("deep");
        let paths = |fs: &dyn FileSystem, remembered: bool| {
            let mut out = Vec::new();
            let unreadable = if remembered {
                walk_files_skipping(
                    f.root(),
                    &IgnoresAbove::default(),
                    fs,
                    true,
                    &skip,
                    &mut |e| out.push(relative(f.root(), &e.path)),
                )
            } else {
                walk_unremembered(f.root(), fs, true, &skip, &mut |e| {
                    out.push(relative(f.root(), &e.path))
                })
            };
            (out, unreadable)
        };
        let run = DiskFs::for_one_run(f.root());
        // The first walk (the families') is remembered whole.
        let mut all = Vec::new();
        walk_files(f.root(), &run, true, &mut |e| {
            all.push(relative(f.root(), &e.path))
        });
        assert_eq!(all.len(), 7, "{all:?}");
        let expected = paths(&DiskFs::new(f.root()), false);
        assert_eq!(expected.0, [".gitignore", "a.ts", "m2/z.ts", "n/v.ts"]);
        assert_eq!(paths(&run, true), expected);
    }

    /// The walk on several threads is the walk on one, at every depth where it stops
    /// splitting: the same files in the same order, ignore files of every level applied.
    #[test]
    fn a_walk_in_parallel_is_the_walk_on_one_thread() {
        let f = fixture(concat!(
            "//- /.gitignore\nout/\n*.log\n!keep.log\n",
            "//- /a.ts\n//- /x.log\n//- /keep.log\n//- /out/o.ts\n",
            "//- /p/.gitignore\ngen/\n//- /p/gen/g.ts\n//- /p/src/i.ts\n//- /p/src/deep/d.ts\n",
            "//- /p/src/deep/er/e.ts\n//- /p/src/deep/er/.ignore\ne.ts\n//- /p/src/deep/er/f.ts\n",
            "//- /p-q/w.ts\n//- /node_modules/m/index.js\n//- /z/y/x/w/v.ts\n",
        ));
        let mut one = Vec::new();
        let unreadable = walk_unremembered(
            f.root(),
            &DiskFs::new(f.root()),
            true,
            &|_| false,
            &mut |e| one.push(e.clone()),
        );
        let names: Vec<String> = one.iter().map(|e| relative(f.root(), &e.path)).collect();
        assert_eq!(
            names,
            [
                ".gitignore",
                "a.ts",
                "keep.log",
                "p/.gitignore",
                "p/src/deep/d.ts",
                "p/src/deep/er/.ignore",
                "p/src/deep/er/f.ts",
                "p/src/i.ts",
                "p-q/w.ts",
                "z/y/x/w/v.ts",
            ]
        );
        for depth in [0, 1, 2, 3, PARALLEL_DEPTH] {
            for fs in [DiskFs::new(f.root()), DiskFs::for_one_run(f.root())] {
                let walked = walk_in_parallel(f.root(), &IgnoresAbove::default(), &fs, depth);
                assert_eq!(walked.files, one, "split to depth {depth}");
                assert_eq!(walked.unreadable, unreadable);
            }
        }
    }

    /// The run's memo is keyed by a path's bytes: two spellings of one folder are remembered
    /// apart, and each is answered as the disk would.
    #[test]
    fn a_runs_memo_answers_every_spelling_of_a_folder() {
        let f = fixture("//- /a/b/x.ts\n//- /a/b/y.ts\n");
        let run = DiskFs::for_one_run(f.root());
        let plain = f.path("a/b");
        let dotted = f.root().join("a/./b");
        let names = |dir: &Path| -> Vec<String> {
            run.list_dir(dir)
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect()
        };
        for dir in [&plain, &dotted, &plain, &dotted] {
            assert_eq!(names(dir), ["x.ts", "y.ts"], "{}", dir.display());
            assert!(run.is_file(&dir.join("x.ts")));
            assert!(!run.is_file(&dir.join("z.ts")));
            assert!(run.read_text(&dir.join("y.ts")).is_ok());
        }
    }

    /// A test folder is one of the path's folders, never its file name.
    #[test]
    fn test_folders_are_folders_of_the_path() {
        for rel in [
            "test/a.ts",
            "a/tests/b.ts",
            "x/__tests__/y/z.ts",
            "e2e-tests/a.ts",
            "tests_runtime/a.ts",
            "integration.test/a.ts",
            "a/spec/b.ts",
            "__mocks__/m.ts",
            "test/",
        ] {
            assert!(in_test_dir(rel), "{rel}");
        }
        for rel in [
            "test.ts",
            "a/test.ts",
            "src/index.ts",
            "contest/a.ts",
            "latest/a.ts",
            "a/",
            "",
        ] {
            assert!(!in_test_dir(rel), "{rel}");
        }
    }

    /// A walk gives files in the order of `Path`'s `Ord` (by component: `a/b.ts` before
    /// `a-b/c.ts` before `a.txt`), which is not the order of their bytes, so that the lists
    /// `discover` makes from it are sorted without sorting them.
    #[test]
    fn a_walk_gives_files_in_path_order() {
        let f = fixture(
            "//- /ab.ts\n//- /a.txt\n//- /a-b/c.ts\n//- /a/b.ts\n//- /a/z/y.ts\n//- /a/c.ts\n//- /b.ts\n",
        );
        for fs in [DiskFs::new(f.root()), DiskFs::for_one_run(f.root())] {
            let mut walked = Vec::new();
            walk_files(f.root(), &fs, true, &mut |e| walked.push(e.path.clone()));
            let rel: Vec<String> = walked.iter().map(|p| relative(f.root(), p)).collect();
            assert_eq!(
                rel,
                ["a/b.ts", "a/c.ts", "a/z/y.ts", "a-b/c.ts", "a.txt", "ab.ts", "b.ts"]
            );
            assert!(walked.is_sorted());
            let mut bytewise = rel.clone();
            bytewise.sort();
            assert_ne!(bytewise, rel, "the fixture tells the two orders apart");
        }
        let found = discover(f.root(), &Settings::default(), &[], &DiskFs::new(f.root()));
        assert!(found.ts_configs.is_sorted() && found.tests.is_sorted());
    }

    /// The readers of one run share what they listed, each confined to its own root: a
    /// family's reader does not see the project's folders because the project's reader
    /// listed them first.
    #[test]
    fn readers_of_a_run_share_listings_but_not_confinement() {
        let f = fixture("//- /top.txt\n//- /w/wrangler.toml\n//- /w/src/index.ts\n");
        let project = DiskFs::for_one_run(f.root());
        let names = |fs: &DiskFs, dir: &str| -> Vec<String> {
            fs.list_dir(&f.path(dir))
                .unwrap()
                .into_iter()
                .map(|e| e.name)
                .collect()
        };
        assert_eq!(names(&project, ""), ["top.txt", "w"]);
        assert_eq!(names(&project, "w"), ["src", "wrangler.toml"]);
        let family = DiskFs::in_run(&f.path("w"), &project);
        assert_eq!(family.list_dir(f.root()), Err(SkipReason::OutsideRoot));
        assert_eq!(names(&family, "w"), ["src", "wrangler.toml"]);
        // Remembered for the run: a file created meanwhile is not listed by it, and is by a
        // new run.
        std::fs::write(f.path("w/new.ts"), "").unwrap();
        assert_eq!(names(&family, "w"), ["src", "wrangler.toml"]);
        assert_eq!(
            names(&DiskFs::for_one_run(f.root()), "w"),
            ["new.ts", "src", "wrangler.toml"]
        );
        assert!(!family.is_file(&f.path("w/new.ts")));
        // Paths are those the folder was listed by (a folder listed by another path is
        // listed again).
        let entries = project.list_dir(&f.path("w/src/..")).unwrap();
        assert!(entries
            .iter()
            .all(|e| e.path.starts_with(f.path("w/src/.."))));
        // Whether a file exists is what the run listed; a symlink is followed.
        assert!(family.is_file(&f.path("w/wrangler.toml")));
        assert!(!family.is_file(&f.path("w/src")));
        assert!(!family.is_file(&f.path("w/absent.ts")));
        assert!(DiskFs::new(f.root()).is_file(&f.path("w/new.ts")));
        #[cfg(unix)]
        {
            let run = DiskFs::for_one_run(f.root());
            std::os::unix::fs::symlink(f.path("top.txt"), f.path("w/link.txt")).unwrap();
            std::os::unix::fs::symlink(f.path("w/src"), f.path("w/link-dir")).unwrap();
            run.list_dir(f.root()).unwrap();
            run.list_dir(&f.path("w")).unwrap();
            assert!(run.is_file(&f.path("w/link.txt")));
            assert!(!run.is_file(&f.path("w/link-dir")));
            assert!(
                run.listed_kind(&f.path("w/link.txt")).map(|(k, _)| k)
                    == Some(Some(EntryKind::Symlink))
            );
        }
    }

    #[test]
    fn decode_strips_bom_and_refuses_binary() {
        assert_eq!(&*decode_text(b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        assert_eq!(decode_text(b"a\0b".to_vec()), Err(SkipReason::Binary));
        assert_eq!(decode_text(b"a\xffb".to_vec()), Err(SkipReason::NotUtf8));
    }

    /// The borrowed text of raw bytes is the decoded one, or the same refusal.
    #[test]
    fn the_text_of_raw_bytes_is_their_decoded_text() {
        for bytes in [
            &b"\xEF\xBB\xBFabc"[..],
            b"\xEF\xBB\xBF",
            b"\xEF\xBBabc",
            b"plain",
            b"",
            b"a\0b",
            b"a\xffb",
            "caf\u{e9} \u{2028}".as_bytes(),
        ] {
            let raw = Raw::Bytes(bytes.to_vec());
            assert_eq!(
                raw.text().map(str::to_owned),
                raw.decode().map(|t| t.to_string()),
                "{bytes:?}"
            );
        }
        let text = Raw::Text(Arc::from("x\u{feff}y"));
        assert_eq!(text.text(), Ok("x\u{feff}y"));
    }
}
