//! `check`'s run records: a `check` that finds the disk as the last identical `check` saw it
//! prints that check's report again, without walking, reading or analysing anything.
//!
//! A record is kept per invocation (the build, the folder it runs in, the roots, scopes and
//! every option that shapes the report: [`RunKey`]) in the cache folder, beside the summary
//! cache. It holds the report as written, the exit code, and every sight the run took of the
//! disk (see [`crate::project::seen`]): each file it read or stamped, each folder it listed,
//! each path it asked about. It is replayed only when every sight still holds, checked in
//! parallel with one `stat` each; anything else (a changed, added or removed file in a folder
//! the run listed, a file it read, a symlink that leads elsewhere, a record written by another
//! build, a corrupt or truncated file) runs the check as usual, with the summary cache. A run
//! whose sights had not all settled ([`crate::project::Stamp::settled`]) is not recorded:
//! the disk's times cannot tell its files apart from their next version.

use crate::project::seen::Sight;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

const MAGIC: &[u8; 8] = b"WLSPRUN1";
/// The folder of the cache folder run records live in.
const SUBDIR: &str = "runs-v1";
const SUFFIX: &str = ".run";
/// How many records a cache folder keeps (one per invocation: roots, folder and options).
const MAX_FILES: usize = 32;

/// What a record is kept under: everything but the disk that a report depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunKey(u128);

impl RunKey {
    /// The key of an invocation: `parts` are everything it depends on besides the disk, in
    /// a fixed order (the caller's options, folder, roots and scopes). The build is part of
    /// it (the version and the executable's identity: a rebuilt binary is another build);
    /// `None` when the executable cannot be identified.
    pub fn new(parts: &[&[u8]]) -> Option<RunKey> {
        let exe = std::env::current_exe().ok()?;
        let meta = std::fs::metadata(&exe).ok()?;
        let mut bytes = Vec::new();
        let mut part = |p: &[u8]| {
            bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
            bytes.extend_from_slice(p);
        };
        part(MAGIC);
        part(env!("CARGO_PKG_VERSION").as_bytes());
        part(exe.as_os_str().as_encoded_bytes());
        part(format!("{:?}", crate::project::seen::identity_of(&meta)).as_bytes());
        for p in parts {
            part(p);
        }
        Some(RunKey(xxh3_128(&bytes)))
    }
}

/// What a replayed run gives.
#[derive(Debug, PartialEq, Eq)]
pub struct Replayed {
    pub report: Vec<u8>,
    pub exit: i32,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    key: u128,
    exit: i32,
    report: Vec<u8>,
    /// By path (UTF-8: a run that saw another path is not recorded).
    sights: Vec<(String, Sight)>,
}

/// The run records of one cache folder.
pub struct Runs {
    dir: PathBuf,
}

impl Runs {
    pub fn in_cache(cache_dir: &Path) -> Runs {
        Runs {
            dir: cache_dir.join(SUBDIR),
        }
    }

    fn path(&self, key: RunKey) -> PathBuf {
        self.dir.join(format!("{:032x}{SUFFIX}", key.0))
    }

    /// The report of the last run under `key`, if every sight it took still holds.
    pub fn replay(&self, key: RunKey) -> Option<Replayed> {
        let path = self.path(key);
        let data = crate::source::cache::read_limited(&path)?;
        let record = decode(&data)?;
        if record.key != key.0 {
            return None;
        }
        let holds = record
            .sights
            .par_iter()
            .with_min_len(64)
            .all(|(p, sight)| crate::project::seen::still(Path::new(p), sight));
        if !holds {
            return None;
        }
        // Marked used, so that pruning goes by last use.
        let _ = std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()));
        Some(Replayed {
            report: record.report,
            exit: record.exit,
        })
    }

    /// Records a run: its report, exit code and sights (sorted by path, all settled). Says
    /// whether it wrote (not when a sight's path is not UTF-8).
    pub fn record(
        &self,
        key: RunKey,
        sights: Vec<(Vec<u8>, Sight)>,
        exit: i32,
        report: &[u8],
    ) -> std::io::Result<bool> {
        let mut named = Vec::with_capacity(sights.len());
        for (p, s) in sights {
            match String::from_utf8(p) {
                Ok(p) => named.push((p, s)),
                Err(_) => return Ok(false),
            }
        }
        let record = Record {
            key: key.0,
            exit,
            report: report.to_vec(),
            sights: named,
        };
        let Ok(body) = postcard::to_allocvec(&record) else {
            return Ok(false);
        };
        let mut out = Vec::with_capacity(MAGIC.len() + body.len() + 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&body);
        out.extend_from_slice(&xxh3_64(&out).to_le_bytes());
        crate::source::cache::store(&self.path(key), &out, SUFFIX, MAX_FILES)?;
        Ok(true)
    }
}

/// A record file's record, or `None` unless it is whole.
fn decode(data: &[u8]) -> Option<Record> {
    let body_end = data.len().checked_sub(8)?;
    if body_end < MAGIC.len() || &data[..MAGIC.len()] != MAGIC {
        return None;
    }
    let checksum = u64::from_le_bytes(data[body_end..].try_into().ok()?);
    if xxh3_64(&data[..body_end]) != checksum {
        return None;
    }
    postcard::from_bytes(&data[MAGIC.len()..body_end]).ok()
}
