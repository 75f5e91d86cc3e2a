//! A persistent cache of module summaries, so that a `check` of an unchanged project and the
//! language server's first index read, hash and look up each module instead of parsing it.
//!
//! One file per project root (family folder) in the user's cache folder, holding the
//! summaries of the modules its last load reached, each keyed by a 128-bit hash of the
//! module's text and grammar. The file starts with a key of the build that wrote it
//! (`build.rs` hashes the summariser's sources and the locked crate versions), so a summary is
//! only ever reused by the code that would make the same one. Nothing is trusted that does not
//! check out: a file with another build's key, a bad checksum or a truncated entry is ignored
//! as a whole (and replaced on the next save), a folder that cannot be written leaves the run
//! uncached, and `--no-cache` (or `WORKERS_LSP_NO_CACHE=1`) turns it off.

use super::dts::env_type_members;
use super::strings::{static_strings, words, StaticString};
use super::{summarize, EnvTypeMember, FileSummary, SourceLang};
use crate::project::{Raw, SkipReason, Stamp};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use xxhash_rust::xxh3::{xxh3_128, xxh3_128_with_seed, xxh3_64};

const MAGIC: &[u8; 8] = b"WLSPSUM1";
/// A cache file larger than this is not read (it is not one this tool wrote for a project).
const MAX_FILE_BYTES: u64 = 1 << 30;
/// How many cache files (one per project root) a cache folder keeps: saving one removes the
/// least recently written beyond this.
const MAX_FILES: usize = 64;
const SUFFIX: &str = ".summaries";
/// The folder of the cache folder the files live in: the tool owns it, whatever folder the
/// user names (`--cache-dir /tmp`, `--cache-dir .`).
const SUBDIR: &str = "summaries-v1";
/// The prefix of temporary files while saving (only these are ever removed as stale).
const TMP_PREFIX: &str = ".wlsp-save-";
/// <https://bford.info/cachedir/>: backup tools skip a folder holding this file.
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by workers-lsp.\n";

type Key = u128;
/// Key -> the byte range of its encoded summary in the file.
type Entries = foldhash::HashMap<Key, (usize, usize)>;

/// Whether and where summaries are cached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CachePolicy {
    /// No cache (library use and tests, `--no-cache`).
    #[default]
    Off,
    /// Cache files in this folder.
    Dir(PathBuf),
}

impl CachePolicy {
    /// The policy of a command-line run or a language server: `WORKERS_LSP_NO_CACHE=1` turns
    /// the cache off, `WORKERS_LSP_CACHE_DIR` names its folder, else the platform's user cache
    /// folder (`$XDG_CACHE_HOME/workers-lsp`, `~/.cache/workers-lsp`,
    /// `~/Library/Caches/workers-lsp`, `%LOCALAPPDATA%\workers-lsp\cache`).
    pub fn from_env() -> CachePolicy {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if var("WORKERS_LSP_NO_CACHE").is_some_and(|v| v != "0") {
            return CachePolicy::Off;
        }
        let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
        if let Some(dir) = var("WORKERS_LSP_CACHE_DIR").and_then(absolute) {
            return CachePolicy::Dir(dir);
        }
        let dir = if cfg!(windows) {
            var("LOCALAPPDATA")
                .and_then(absolute)
                .map(|d| d.join("workers-lsp").join("cache"))
        } else if cfg!(target_os = "macos") {
            var("HOME")
                .and_then(absolute)
                .map(|h| h.join("Library/Caches/workers-lsp"))
        } else {
            var("XDG_CACHE_HOME")
                .and_then(absolute)
                .or_else(|| var("HOME").and_then(absolute).map(|h| h.join(".cache")))
                .map(|d| d.join("workers-lsp"))
        };
        dir.map_or(CachePolicy::Off, CachePolicy::Dir)
    }

    /// The cache of one project root, loaded from its file (empty when there is none or it
    /// cannot be used); `None` when caching is off.
    pub fn open(&self, root: &Path) -> Option<Arc<SummaryCache>> {
        match self {
            CachePolicy::Off => None,
            CachePolicy::Dir(dir) => Some(Arc::new(SummaryCache::open(dir, root))),
        }
    }
}

/// The key of the build that writes and reads a cache file: the version, the summariser's
/// sources and locked crates (`build.rs`), and the grammars as linked (a build without the
/// workspace's lock file may resolve other grammar versions).
fn build_key() -> u128 {
    static KEY: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| {
        let mut id = Vec::new();
        for part in [
            env!("CARGO_PKG_VERSION"),
            env!("WORKERS_LSP_SUMMARIZER_HASH"),
            &tree_sitter::LANGUAGE_VERSION.to_string(),
            tree_sitter_typescript::TYPESCRIPT_NODE_TYPES,
            tree_sitter_typescript::TSX_NODE_TYPES,
        ] {
            id.extend_from_slice(part.as_bytes());
            id.push(0);
        }
        xxh3_128(&id)
    })
}

/// The key of a module in a file whose entries are hashed with `seed` (random per file, so
/// that a repository cannot make two of its modules collide).
/// The key domain of declaration files' env members (modules' are their grammar's, 1 and 2).
const DECLARATIONS: u64 = 3;
/// The key domain of static strings, shifted past the grammars' (XORed with the seed with them).
const STATIC_STRINGS: u64 = 1 << 8;
/// The key domain of a text's words ([`words`]).
const WORDS: u64 = 1 << 10;
/// The key domain of a file's stamp ([`Stamp`]): its entry holds the key of the content last
/// read under that stamp.
const STAMPS: u64 = 1 << 9;

fn stamp_key(path: &Path, stamp: &Stamp, seed: u64) -> Key {
    let path = path.as_os_str().as_encoded_bytes();
    let mut bytes = Vec::with_capacity(path.len() + 56);
    bytes.extend_from_slice(&stamp.to_bytes());
    bytes.extend_from_slice(path);
    xxh3_128_with_seed(&bytes, seed ^ STAMPS)
}

fn key_of(text: &str, lang: SourceLang, seed: u64) -> Key {
    let lang = match lang {
        SourceLang::TypeScript => 1,
        SourceLang::Tsx => 2,
    };
    xxh3_128_with_seed(text.as_bytes(), seed ^ lang)
}

fn random_seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::process::id())
}

/// The summaries of one project root's last load, and those made since.
pub struct SummaryCache {
    path: PathBuf,
    /// The seed of the entries' keys (from the file, or new).
    seed: u64,
    /// The cache file as read (validated), or empty.
    data: Vec<u8>,
    /// Key -> the byte range of its encoded summary in `data`.
    entries: Entries,
    /// Entries of `data` looked up in this run (the ones a save keeps).
    used: Mutex<foldhash::HashSet<Key>>,
    /// Summaries made in this run, encoded.
    fresh: Mutex<Vec<(Key, Vec<u8>)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl std::fmt::Debug for SummaryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SummaryCache")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .field("hits", &self.hits())
            .field("misses", &self.misses())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SummaryCache {
    /// Loads the cache file of `root` in `dir`. Never fails: an unusable file is an empty cache.
    pub fn open(dir: &Path, root: &Path) -> SummaryCache {
        let name = format!(
            "{:016x}{SUFFIX}",
            xxh3_64(root.as_os_str().as_encoded_bytes())
        );
        let path = dir.join(SUBDIR).join(name);
        let data = read_limited(&path).unwrap_or_default();
        let (data, seed, entries) = match parse(&data) {
            Some((seed, entries)) => (data, seed, entries),
            None => (Vec::new(), random_seed(), foldhash::HashMap::default()),
        };
        SummaryCache {
            path,
            seed,
            data,
            entries,
            used: Mutex::new(foldhash::HashSet::default()),
            fresh: Mutex::new(Vec::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// The summary of a module: the cached one for the same text and grammar, else a new one
    /// (remembered for the next save).
    pub fn summarize(&self, text: &str, lang: SourceLang) -> FileSummary {
        self.cached(key_of(text, lang, self.seed), || summarize(text, lang))
    }

    /// The env type members a declaration file declares ([`env_type_members`]): the cached
    /// ones for the same text, else new ones. A `wrangler types` file is half a megabyte
    /// searched for a few interfaces.
    pub fn declared_members(&self, text: &str) -> Vec<EnvTypeMember> {
        let key = xxh3_128_with_seed(text.as_bytes(), self.seed ^ DECLARATIONS);
        self.cached(key, || env_type_members(text))
    }

    /// [`SummaryCache::declared_members`] of a file's content as read: decoded only when
    /// the cache does not hold it (half a megabyte of `wrangler types` output is hashed, not
    /// checked and copied, on a warm run). `None` when it cannot be decoded.
    pub fn declared_members_raw(&self, raw: Raw) -> Option<Vec<EnvTypeMember>> {
        self.keyed_members_raw(raw).map(|(_, members)| members)
    }

    /// [`SummaryCache::declared_members_raw`] and the key of the content.
    fn keyed_members_raw(&self, raw: Raw) -> Option<(Key, Vec<EnvTypeMember>)> {
        // The key of the text the bytes decode to: the same as `declared_members`'.
        let key = xxh3_128_with_seed(raw.text_bytes(), self.seed ^ DECLARATIONS);
        if let Some(value) = self.lookup(key) {
            return Some((key, value));
        }
        let text = raw.text().ok()?;
        Some((key, self.cached(key, || env_type_members(text))))
    }

    /// [`SummaryCache::declared_members_raw`] of the file at `path`, not read at all when its
    /// stamp is the one a previous run read the same path under, the file having settled
    /// then ([`Stamp::settled`]): `wrangler types` files are half a megabyte each, and a
    /// repository of templates holds dozens. `stamp` is the file system's for `path`, taken
    /// before `read` reads it.
    pub fn declared_members_at(
        &self,
        path: &Path,
        stamp: Option<Stamp>,
        read: impl FnOnce() -> Result<Raw, SkipReason>,
    ) -> Option<Vec<EnvTypeMember>> {
        let stamp = stamp.map(|s| (stamp_key(path, &s, self.seed), s));
        if let Some((at, _)) = &stamp {
            let content = self
                .entry(*at)
                .and_then(|b| postcard::from_bytes::<Key>(b).ok());
            if let Some(value) = content.and_then(|k| self.lookup(k)) {
                lock(&self.used).insert(*at);
                return Some(value);
            }
        }
        let (key, value) = self.keyed_members_raw(read().ok()?)?;
        // Remembered only under a settled stamp: a file written again within its stamp's
        // tick would keep the stamp and change its content.
        if let Some((at, _)) = stamp.filter(|(_, s)| s.settled()) {
            if let Ok(bytes) = postcard::to_allocvec(&key) {
                lock(&self.fresh).push((at, bytes));
            }
        }
        Some(value)
    }

    /// The string literals of a module's object literals ([`static_strings`]: what a vite or
    /// vitest config says), the cached ones for the same text and grammar, else new ones.
    pub fn static_strings(&self, text: &str, lang: SourceLang) -> Vec<StaticString> {
        let key = key_of(text, lang, self.seed ^ STATIC_STRINGS);
        self.cached(key, || static_strings(text, lang))
    }

    /// The value under `key` if the file holds one that decodes, else `make()`'s (remembered
    /// for the next save).
    fn cached<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        key: Key,
        make: impl FnOnce() -> T,
    ) -> T {
        if let Some(value) = self.lookup(key) {
            return value;
        }
        let value = make();
        self.misses.fetch_add(1, Ordering::Relaxed);
        if let Ok(bytes) = postcard::to_allocvec(&value) {
            lock(&self.fresh).push((key, bytes));
        }
        value
    }

    /// The bytes under `key` in the file, not marked used.
    fn entry(&self, key: Key) -> Option<&[u8]> {
        let &(start, end) = self.entries.get(&key)?;
        Some(&self.data[start..end])
    }

    /// The value under `key` if the file holds one that decodes (counted as a hit).
    fn lookup<T: serde::de::DeserializeOwned>(&self, key: Key) -> Option<T> {
        let &(start, end) = self.entries.get(&key)?;
        let value = postcard::from_bytes::<T>(&self.data[start..end]).ok()?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        lock(&self.used).insert(key);
        Some(value)
    }

    /// Summaries taken from the file in this run.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Summaries made in this run.
    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the summaries looked up or made in this run (and no others: the file holds one
    /// load's modules, not every version ever seen), atomically (a temporary file renamed over
    /// the old one), unless nothing changed. Says whether it wrote.
    pub fn save(&self) -> std::io::Result<bool> {
        let used = lock(&self.used);
        let fresh = lock(&self.fresh);
        if fresh.is_empty() && used.len() == self.entries.len() {
            // Unchanged: mark it used, so pruning goes by last use.
            let _ = std::fs::File::options()
                .write(true)
                .open(&self.path)
                .and_then(|f| f.set_modified(std::time::SystemTime::now()));
            return Ok(false);
        }
        let mut kept: Vec<(Key, &[u8])> = used
            .iter()
            .filter_map(|k| self.entries.get(k).map(|&(s, e)| (*k, &self.data[s..e])))
            .chain(fresh.iter().map(|(k, b)| (*k, b.as_slice())))
            .collect();
        kept.sort_unstable_by_key(|(k, _)| *k);
        kept.dedup_by_key(|(k, _)| *k);
        let mut out =
            Vec::with_capacity(36 + 8 + kept.iter().map(|(_, b)| 20 + b.len()).sum::<usize>());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&build_key().to_le_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (key, bytes) in &kept {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        let checksum = xxh3_64(&out);
        out.extend_from_slice(&checksum.to_le_bytes());
        drop((used, fresh));
        store(&self.path, &out, SUFFIX, MAX_FILES)?;
        Ok(true)
    }
}

/// Writes a cache file atomically (a temporary file renamed over the old one) in a folder
/// the tool owns (tagged for backup tools), then prunes its siblings named `*{suffix}` to
/// `max` files.
pub(crate) fn store(path: &Path, bytes: &[u8], suffix: &str, max: usize) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Never through a symlink, never over an existing file.
    if let Ok(mut tag) = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(dir.join("CACHEDIR.TAG"))
    {
        let _ = tag.write_all(CACHEDIR_TAG.as_bytes());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    prune(dir, path, suffix, max);
    Ok(())
}

/// The env type members of a declaration file's content as read, through `cache` when there
/// is one (see [`SummaryCache::declared_members_raw`]); `None` when it cannot be decoded.
pub fn declared_members_raw(cache: Option<&SummaryCache>, raw: Raw) -> Option<Vec<EnvTypeMember>> {
    match cache {
        Some(cache) => cache.declared_members_raw(raw),
        None => Some(env_type_members(raw.text().ok()?)),
    }
}

/// The env type members of the declaration file at `path`, through `cache` when there is
/// one (see [`SummaryCache::declared_members_at`]): read from `fs` unless its stamp answers.
/// `None` when it cannot be read or decoded.
pub fn declared_members_of(
    cache: Option<&SummaryCache>,
    path: &Path,
    fs: &dyn crate::project::FileSystem,
) -> Option<Vec<EnvTypeMember>> {
    match cache {
        Some(cache) => cache.declared_members_at(path, fs.stamp(path), || fs.read_raw(path)),
        None => declared_members_raw(None, fs.read_raw(path).ok()?),
    }
}

/// The words of a text ([`words`]: a test module's), through `cache` when there is one.
pub fn words_with(cache: Option<&SummaryCache>, text: &str) -> Vec<String> {
    match cache {
        Some(cache) => {
            let key = xxh3_128_with_seed(text.as_bytes(), cache.seed ^ WORDS);
            cache.cached(key, || words(text))
        }
        None => words(text),
    }
}

/// The static strings of a module, through `cache` when there is one.
pub fn static_strings_with(
    cache: Option<&SummaryCache>,
    text: &str,
    lang: SourceLang,
) -> Vec<StaticString> {
    match cache {
        Some(cache) => cache.static_strings(text, lang),
        None => static_strings(text, lang),
    }
}

/// The summary of a module, through `cache` when there is one.
pub fn summarize_with(cache: Option<&SummaryCache>, text: &str, lang: SourceLang) -> FileSummary {
    match cache {
        Some(cache) => cache.summarize(text, lang),
        None => summarize(text, lang),
    }
}

/// Reads a cache file, refusing one that is not a regular file or is too large.
pub(crate) fn read_limited(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    std::fs::read(path).ok()
}

/// The entries of a cache file, or `None` unless it is whole and was written by this build.
fn parse(data: &[u8]) -> Option<(u64, Entries)> {
    const HEAD: usize = 8 + 16 + 8 + 4;
    if data.len() < HEAD + 8 || &data[..8] != MAGIC {
        return None;
    }
    if u128::from_le_bytes(data[8..24].try_into().ok()?) != build_key() {
        return None;
    }
    let body = data.len() - 8;
    if xxh3_64(&data[..body]) != u64::from_le_bytes(data[body..].try_into().ok()?) {
        return None;
    }
    let seed = u64::from_le_bytes(data[24..32].try_into().ok()?);
    let count = u32::from_le_bytes(data[32..36].try_into().ok()?) as usize;
    let mut entries = foldhash::HashMap::default();
    entries.reserve(count.min(body / 20));
    let mut at = HEAD;
    for _ in 0..count {
        let head = data.get(at..at + 20)?;
        let key = u128::from_le_bytes(head[..16].try_into().ok()?);
        let len = u32::from_le_bytes(head[16..].try_into().ok()?) as usize;
        let start = at + 20;
        let end = start.checked_add(len).filter(|&e| e <= body)?;
        entries.insert(key, (start, end));
        at = end;
    }
    (at == body).then_some((seed, entries))
}

/// Removes the least recently written files named `*{suffix}` beyond `max` (never `keep`),
/// and temporary files more than an hour old (left by a process killed while saving).
fn prune(dir: &Path, keep: &Path, suffix: &str, max: usize) {
    let Ok(list) = std::fs::read_dir(dir) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for entry in list.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(modified) = entry.metadata().ok().and_then(|m| m.modified().ok()) else {
            continue;
        };
        if name.ends_with(suffix) && entry.path() != keep {
            files.push((modified, entry.path()));
        } else if name.starts_with(TMP_PREFIX) && modified < hour_ago {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    if files.len() < max {
        return;
    }
    files.sort();
    for (_, p) in &files[..files.len() + 1 - max] {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "import { x } from './x';\nexport class Api extends WorkerEntrypoint {\n  \
                     ping(n: number) { return this.env.KV.get(String(n)); }\n}\n";
    const B: &str = "export const b = 1;\n";

    fn open(dir: &Path) -> SummaryCache {
        SummaryCache::open(dir, Path::new("/project/root"))
    }

    #[test]
    fn a_saved_summary_is_reused_and_equal_to_a_fresh_one() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        assert_eq!(
            first.summarize(A, SourceLang::TypeScript),
            summarize(A, SourceLang::TypeScript)
        );
        first.summarize(B, SourceLang::Tsx);
        assert_eq!((first.hits(), first.misses()), (0, 2));
        assert!(first.save().unwrap());
        let second = open(dir.path());
        assert_eq!(
            second.summarize(A, SourceLang::TypeScript),
            summarize(A, SourceLang::TypeScript)
        );
        assert_eq!(
            second.summarize(B, SourceLang::Tsx),
            summarize(B, SourceLang::Tsx)
        );
        assert_eq!((second.hits(), second.misses()), (2, 0));
        // Nothing changed: no write.
        assert!(!second.save().unwrap());
        // The same text in the other grammar is another entry.
        let third = open(dir.path());
        third.summarize(B, SourceLang::TypeScript);
        assert_eq!((third.hits(), third.misses()), (0, 1));
    }

    /// A declaration file's env members are cached apart from a module of the same text.
    #[test]
    fn declared_members_are_reused_and_kept_apart_from_summaries() {
        const D: &str = "interface Env {\n  KV: KVNamespace;\n  MODE?: string;\n}\n";
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        assert_eq!(first.declared_members(D), env_type_members(D));
        assert_eq!(first.declared_members(D).len(), 2);
        assert!(first.save().unwrap());
        let second = open(dir.path());
        assert_eq!(second.declared_members(D), env_type_members(D));
        assert_eq!((second.hits(), second.misses()), (1, 0));
        // The same text as a module is another entry, with its own summary.
        assert_eq!(
            second.summarize(D, SourceLang::TypeScript),
            summarize(D, SourceLang::TypeScript)
        );
        assert_eq!((second.hits(), second.misses()), (1, 1));
    }

    /// A declaration file whose stamp is the one a previous run read it under, settled, is
    /// not read again; a changed file, another path or a cache without the entry reads it.
    #[test]
    fn a_settled_stamp_answers_without_reading_the_file() {
        use crate::project::{DiskFs, FileSystem};
        const D: &str = "interface Env {\n  KV: KVNamespace;\n}\n";
        const E: &str = "interface Env {\n  KV: KVNamespace;\n  DB: D1Database;\n}\n";
        let root = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (d, other) = (root.path().join("a.d.ts"), root.path().join("b.d.ts"));
        std::fs::write(&d, D).unwrap();
        std::fs::write(&other, D).unwrap();
        let fs = DiskFs::new(root.path());
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        let stamp = |p: &Path| fs.stamp(p).map(|s| s.taken_at(later));
        let first = open(dir.path());
        let got = first.declared_members_at(&d, stamp(&d), || fs.read_raw(&d));
        assert_eq!(got, Some(env_type_members(D)));
        assert!(first.save().unwrap());
        let second = open(dir.path());
        let unread = || -> Result<Raw, SkipReason> { panic!("read a file its stamp answers") };
        assert_eq!(
            second.declared_members_at(&d, stamp(&d), unread),
            Some(env_type_members(D))
        );
        // Another path with the same content and times is read (and then found by content).
        let reads = std::cell::Cell::new(0);
        let counted = |p: &Path| {
            reads.set(reads.get() + 1);
            fs.read_raw(p)
        };
        assert_eq!(
            second.declared_members_at(&other, stamp(&other), || counted(&other)),
            Some(env_type_members(D))
        );
        assert_eq!(reads.get(), 1);
        assert!(second.save().unwrap());
        // A new content gives a new stamp: read.
        std::fs::write(&d, E).unwrap();
        let third = open(dir.path());
        assert_eq!(
            third.declared_members_at(&d, stamp(&d), || counted(&d)),
            Some(env_type_members(E))
        );
        assert_eq!(reads.get(), 2);
        // No stamp: read.
        assert_eq!(
            third.declared_members_at(&other, None, || counted(&other)),
            Some(env_type_members(D))
        );
        assert_eq!(reads.get(), 3);
    }

    /// A test module's words are reused, apart from a module summary of the same text.
    #[test]
    fn words_are_reused_and_kept_apart_from_summaries() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        assert_eq!(words_with(Some(&first), A), words(A));
        assert!(first.save().unwrap());
        let second = open(dir.path());
        assert_eq!(words_with(Some(&second), A), words(A));
        assert_eq!((second.hits(), second.misses()), (1, 0));
        second.summarize(A, SourceLang::TypeScript);
        assert_eq!((second.hits(), second.misses()), (1, 1));
    }

    /// A file that changed within [`crate::project`]'s settling time of its stamp is read
    /// again on the next run: the stamp is not remembered.
    #[test]
    fn an_unsettled_stamp_is_not_remembered() {
        use crate::project::{DiskFs, FileSystem};
        const D: &str = "interface Env {\n  KV: KVNamespace;\n}\n";
        let root = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let d = root.path().join("a.d.ts");
        std::fs::write(&d, D).unwrap();
        let fs = DiskFs::new(root.path());
        // Just written: its change time is now.
        let stamp = fs.stamp(&d).unwrap();
        assert!(!stamp.settled());
        let first = open(dir.path());
        first.declared_members_at(&d, Some(stamp), || fs.read_raw(&d));
        assert!(first.save().unwrap());
        let reads = std::cell::Cell::new(0);
        let second = open(dir.path());
        let got = second.declared_members_at(&d, Some(stamp), || {
            reads.set(reads.get() + 1);
            fs.read_raw(&d)
        });
        assert_eq!((got, reads.get()), (Some(env_type_members(D)), 1));
        // Found by its content.
        assert_eq!((second.hits(), second.misses()), (1, 0));
    }

    /// A declaration file read as bytes is looked up by the text they decode to (a BOM is
    /// not part of it), and decoded only when the cache does not hold it: bytes that do not
    /// decode are nothing, and are not remembered.
    #[test]
    fn declared_members_of_raw_bytes_share_the_texts_entry() {
        const D: &str = "interface Env {\n  KV: KVNamespace;\n}\n";
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], D.as_bytes()].concat();
        assert_eq!(
            first.declared_members_raw(Raw::Bytes(with_bom.clone())),
            Some(env_type_members(D))
        );
        assert_eq!((first.hits(), first.misses()), (0, 1));
        assert_eq!(
            first.declared_members_raw(Raw::Bytes(b"\xff\xfe".to_vec())),
            None
        );
        assert_eq!(
            first.declared_members_raw(Raw::Bytes(b"a\0b".to_vec())),
            None
        );
        assert_eq!((first.hits(), first.misses()), (0, 1));
        assert!(first.save().unwrap());
        let second = open(dir.path());
        assert_eq!(second.declared_members(D), env_type_members(D));
        assert_eq!(
            second.declared_members_raw(Raw::Bytes(with_bom)),
            Some(env_type_members(D))
        );
        assert_eq!(
            second.declared_members_raw(Raw::Text(D.into())),
            Some(env_type_members(D))
        );
        assert_eq!((second.hits(), second.misses()), (3, 0));
    }

    /// A vite or vitest config's strings are cached apart from its summary.
    #[test]
    fn static_strings_are_reused_and_kept_apart_from_summaries() {
        const V: &str = "export default defineConfig({ plugins: [cloudflare({ configPath: './w.jsonc' })] });\n";
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        let strings = first.static_strings(V, SourceLang::TypeScript);
        assert_eq!(strings, static_strings(V, SourceLang::TypeScript));
        assert_eq!(strings.len(), 1);
        assert!(first.save().unwrap());
        let second = open(dir.path());
        assert_eq!(second.static_strings(V, SourceLang::TypeScript), strings);
        assert_eq!((second.hits(), second.misses()), (1, 0));
        second.summarize(V, SourceLang::TypeScript);
        second.static_strings(V, SourceLang::Tsx);
        assert_eq!((second.hits(), second.misses()), (1, 2));
    }

    #[test]
    fn a_run_that_only_reads_marks_the_file_used() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        first.summarize(A, SourceLang::TypeScript);
        first.save().unwrap();
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(3600);
        let file = std::fs::File::options()
            .write(true)
            .open(first.path())
            .unwrap();
        file.set_modified(long_ago).unwrap();
        let second = open(dir.path());
        second.summarize(A, SourceLang::TypeScript);
        assert!(!second.save().unwrap(), "nothing to write");
        let used = std::fs::metadata(second.path())
            .unwrap()
            .modified()
            .unwrap();
        assert!(used > long_ago, "pruning goes by last use");
    }

    #[test]
    fn a_save_keeps_only_the_summaries_of_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        first.summarize(A, SourceLang::TypeScript);
        first.summarize(B, SourceLang::TypeScript);
        first.save().unwrap();
        let second = open(dir.path());
        second.summarize(B, SourceLang::TypeScript);
        assert!(second.save().unwrap(), "A was dropped");
        let third = open(dir.path());
        assert_eq!(third.entries.len(), 1);
        third.summarize(A, SourceLang::TypeScript);
        assert_eq!(third.misses(), 1);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let first = open(dir.path());
        first.summarize(A, SourceLang::TypeScript);
        first.save().unwrap();
        let path = first.path().to_path_buf();
        let good = std::fs::read(&path).unwrap();
        let mut damaged: Vec<Vec<u8>> = Vec::new();
        // Every single flipped byte, a truncation, another build's key, nothing at all.
        for i in 0..good.len() {
            let mut d = good.clone();
            d[i] ^= 0x20;
            damaged.push(d);
        }
        damaged.push(good[..good.len() - 1].to_vec());
        let mut foreign = good.clone();
        foreign[8..24].copy_from_slice(&0u128.to_le_bytes());
        damaged.push(foreign);
        damaged.push(Vec::new());
        for d in damaged {
            std::fs::write(&path, &d).unwrap();
            let cache = open(dir.path());
            assert_eq!(
                cache.summarize(A, SourceLang::TypeScript),
                summarize(A, SourceLang::TypeScript)
            );
            assert_eq!((cache.hits(), cache.misses()), (0, 1));
        }
        // The next save replaces the damaged file with a good one.
        let cache = open(dir.path());
        cache.summarize(A, SourceLang::TypeScript);
        cache.save().unwrap();
        let replaced = std::fs::read(&path).unwrap();
        assert_eq!(replaced.len(), good.len());
        assert_eq!(parse(&replaced).map(|(_, e)| e.len()), Some(1));
        let after = open(dir.path());
        after.summarize(A, SourceLang::TypeScript);
        assert_eq!((after.hits(), after.misses()), (1, 0));
    }

    #[test]
    fn an_unwritable_folder_leaves_the_run_uncached() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "not a folder").unwrap();
        // A cache folder below a regular file can never be made, whoever runs the test.
        let cache = open(&blocker.join("cache"));
        assert_eq!(
            cache.summarize(A, SourceLang::TypeScript),
            summarize(A, SourceLang::TypeScript)
        );
        assert!(cache.save().is_err());
    }

    #[test]
    fn roots_have_their_own_files_and_old_ones_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..MAX_FILES + 5 {
            let cache = SummaryCache::open(dir.path(), Path::new(&format!("/root/{i}")));
            cache.summarize(B, SourceLang::TypeScript);
            cache.save().unwrap();
        }
        let files = std::fs::read_dir(dir.path().join(SUBDIR))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(SUFFIX)
            })
            .count();
        assert_eq!(files, MAX_FILES);
        assert!(dir.path().join(SUBDIR).join("CACHEDIR.TAG").is_file());
        // The last one written is kept.
        let last = SummaryCache::open(dir.path(), Path::new(&format!("/root/{}", MAX_FILES + 4)));
        assert_eq!(last.entries.len(), 1);
    }

    #[test]
    fn every_bundled_source_comes_back_from_the_cache_as_summarised() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../test-workspaces");
        let dir = tempfile::tempdir().unwrap();
        let mut sources = Vec::new();
        for entry in ignore::WalkBuilder::new(&root)
            .hidden(false)
            .build()
            .flatten()
        {
            let path = entry.path();
            let (Some(lang), Ok(text)) =
                (SourceLang::from_path(path), std::fs::read_to_string(path))
            else {
                continue;
            };
            sources.push((path.to_path_buf(), lang, text));
        }
        assert!(sources.len() > 50, "{} sources", sources.len());
        let first = open(dir.path());
        for (_, lang, text) in &sources {
            first.summarize(text, *lang);
        }
        first.save().unwrap();
        let second = open(dir.path());
        for (path, lang, text) in &sources {
            pretty_assertions::assert_eq!(
                second.summarize(text, *lang),
                summarize(text, *lang),
                "{}",
                path.display()
            );
        }
        assert_eq!(second.misses(), 0);
    }
}
