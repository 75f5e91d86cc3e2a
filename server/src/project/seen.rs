//! What one run saw of the disk: every file it read or stamped, every folder it listed and
//! every path it asked about, with what it found there. A later run that finds every one of
//! them as it was would read the same bytes, list the same names and get the same answers,
//! so it may replay the first run's result instead of making it again (`check`'s run
//! record, `cli/replay.rs`).
//!
//! A sight is taken by following symlinks from the path as it was asked (`stat`, not
//! `lstat`), so that a symlink anywhere on the way that now leads elsewhere leads to another
//! inode and does not match. A file's sight is its identity and times (see [`Stamp`]): a
//! write changes its modification and change times, a replacement its inode. A folder's is
//! the same: creating, removing or renaming an entry changes the folder's times. What lies
//! deeper is seen by its own sight. A sight is only worth keeping when what it saw had
//! settled (see [`Stamp::settled`]): a write within the same tick as the sight would leave
//! the times as they were.

use super::{EntryKind, Stamp};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a path held when it was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sight {
    /// Nothing could be found there (not found, or a component is not a folder).
    Absent,
    /// Something of this kind: only its kind was asked.
    Is(Kind),
    /// A file or folder whose content was read or listed: its kind, identity and times.
    Stamped(Kind, Identity),
}

/// A [`Stamp`] without the time it was taken: size, modification and change times (in
/// nanoseconds), device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity(u64, u128, u128, u64, u64);

impl Identity {
    fn of(stamp: &Stamp) -> Identity {
        Identity(
            stamp.len,
            stamp.modified,
            stamp.changed,
            stamp.device,
            stamp.inode,
        )
    }
}

/// What a path leads to, symlinks followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    File,
    Dir,
    /// A FIFO, socket or device.
    Other,
}

impl Kind {
    pub(super) fn of(meta: &std::fs::Metadata) -> Kind {
        if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        }
    }

    /// The kind a folder listing names (`None` for a symlink, which it does not follow).
    pub(super) fn listed(kind: EntryKind) -> Option<Kind> {
        match kind {
            EntryKind::File => Some(Kind::File),
            EntryKind::Dir => Some(Kind::Dir),
            EntryKind::Other => Some(Kind::Other),
            EntryKind::Symlink => None,
        }
    }
}

/// The identity and times of a file by its metadata.
pub fn identity_of(meta: &std::fs::Metadata) -> Identity {
    Identity::of(&Stamp::of(meta, std::time::SystemTime::now()))
}

/// What the disk shows at `path` now, as a sight of the same depth as `like` (a kind is
/// compared with a kind, a stamp with a stamp).
fn sight_now(path: &Path, like: &Sight) -> Sight {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Sight::Absent,
    };
    match like {
        Sight::Stamped(..) => Sight::Stamped(Kind::of(&meta), identity_of(&meta)),
        _ => Sight::Is(Kind::of(&meta)),
    }
}

/// Whether `path` still shows what `sight` saw.
pub fn still(path: &Path, sight: &Sight) -> bool {
    sight_now(path, sight) == *sight
}

/// The sights of one run, by path (the first sight of a path is the one kept: a run over a
/// tree that changes meanwhile sees it change at the next run's check).
pub struct Seen {
    sights: dashmap::DashMap<Vec<u8>, Sight, foldhash::fast::RandomState>,
    /// Set when a stamped sight had not settled (or could not be taken): the run's result
    /// must not be replayed.
    unsettled: AtomicBool,
    /// The clock sights are taken by (tests move it).
    clock: fn() -> std::time::SystemTime,
}

impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seen")
            .field("sights", &self.sights.len())
            .field("unsettled", &self.unsettled.load(Ordering::Relaxed))
            .finish()
    }
}

impl Default for Seen {
    fn default() -> Seen {
        Seen::with_clock(std::time::SystemTime::now)
    }
}

impl Seen {
    pub fn with_clock(clock: fn() -> std::time::SystemTime) -> Seen {
        Seen {
            sights: Default::default(),
            unsettled: AtomicBool::new(false),
            clock,
        }
    }

    /// Whether `path` was seen with a stamp already.
    fn has_stamp(&self, path: &Path) -> bool {
        self.sights
            .get(path.as_os_str().as_encoded_bytes())
            .is_some_and(|s| matches!(*s, Sight::Stamped(..)))
    }

    /// Keeps a sight of `path`. A stamp replaces a sight of the same kind (the content was
    /// read after its kind was asked); any other second sight that differs from the first
    /// means the tree changed during the run, which is then not replayed.
    fn keep(&self, path: &Path, sight: Sight) {
        use dashmap::mapref::entry::Entry;
        match self
            .sights
            .entry(path.as_os_str().as_encoded_bytes().to_vec())
        {
            Entry::Vacant(v) => {
                v.insert(sight);
            }
            Entry::Occupied(mut o) => match (*o.get(), sight) {
                (old, new) if old == new => {}
                (Sight::Is(k), Sight::Stamped(k2, _)) if k == k2 => {
                    o.insert(sight);
                }
                (Sight::Stamped(k, _), Sight::Is(k2)) if k == k2 => {}
                _ => self.spoil(),
            },
        }
    }

    /// The clock's time now: taken before the disk is asked, for [`Seen::stamped`].
    pub(super) fn now(&self) -> std::time::SystemTime {
        (self.clock)()
    }

    /// A file or folder whose content was read or listed, by its metadata (symlinks
    /// followed), asked at `taken`.
    pub(super) fn stamped(
        &self,
        path: &Path,
        meta: &std::fs::Metadata,
        taken: std::time::SystemTime,
    ) {
        let stamp = Stamp::of(meta, taken);
        if !stamp.settled() {
            self.unsettled.store(true, Ordering::Relaxed);
        }
        self.keep(path, Sight::Stamped(Kind::of(meta), Identity::of(&stamp)));
    }

    /// A path whose content was read or listed when the reader did not keep its metadata, or
    /// failed: asked again now.
    pub fn stamp_now(&self, path: &Path) {
        if self.has_stamp(path) {
            return;
        }
        let taken = self.now();
        match std::fs::metadata(path) {
            Ok(meta) => self.stamped(path, &meta, taken),
            Err(_) => self.keep(path, Sight::Absent),
        }
    }

    /// A path only the kind of which was asked: `None` when nothing is there.
    pub(super) fn kind(&self, path: &Path, kind: Option<Kind>) {
        self.keep(path, kind.map_or(Sight::Absent, Sight::Is));
    }

    /// What a path is now, symlinks followed, remembered as a sight of its kind.
    pub(super) fn ask_kind(&self, path: &Path) -> Option<Kind> {
        let kind = std::fs::metadata(path).ok().map(|m| Kind::of(&m));
        self.kind(path, kind);
        kind
    }

    /// A sight that could not be taken faithfully: the run is not replayed.
    pub fn spoil(&self) {
        self.unsettled.store(true, Ordering::Relaxed);
    }

    /// Every sight, sorted by path; `None` when one had not settled.
    pub fn settled_sights(&self) -> Option<Vec<(Vec<u8>, Sight)>> {
        if self.unsettled.load(Ordering::Relaxed) {
            return None;
        }
        let mut all: Vec<(Vec<u8>, Sight)> = self
            .sights
            .iter()
            .map(|e| (e.key().clone(), *e.value()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Some(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(60)
    }

    #[test]
    fn a_sight_holds_until_the_disk_changes_there() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ts");
        std::fs::write(&file, "one").unwrap();
        let seen = Seen::with_clock(later);
        seen.stamp_now(&file);
        seen.stamp_now(dir.path());
        seen.kind(&dir.path().join("gone.ts"), None);
        let sights = seen.settled_sights().expect("settled by the later clock");
        assert_eq!(sights.len(), 3);
        let holds = || {
            sights
                .iter()
                .all(|(p, s)| still(Path::new(std::str::from_utf8(p).unwrap()), s))
        };
        assert!(holds());
        std::thread::sleep(Duration::from_millis(20));
        // Same length, new times.
        std::fs::write(&file, "two").unwrap();
        assert!(!still(
            &file,
            &sights.iter().find(|(p, _)| p.ends_with(b"a.ts")).unwrap().1
        ));
        // The folder's times did not change with a file's content.
        let of_dir = |sights: &[(Vec<u8>, Sight)]| {
            sights
                .iter()
                .find(|(p, _)| p.as_slice() == dir.path().as_os_str().as_encoded_bytes())
                .unwrap()
                .1
        };
        assert!(still(dir.path(), &of_dir(&sights)));
        std::fs::write(dir.path().join("gone.ts"), "").unwrap();
        assert!(!still(&dir.path().join("gone.ts"), &Sight::Absent));
        assert!(!still(dir.path(), &of_dir(&sights)), "a new entry");
        assert!(still(&dir.path().join("gone.ts"), &Sight::Is(Kind::File)));
        assert!(!still(&dir.path().join("gone.ts"), &Sight::Is(Kind::Dir)));
    }

    #[test]
    fn a_stamp_replaces_a_kind_and_two_sights_that_differ_spoil_the_run() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ts");
        std::fs::write(&file, "one").unwrap();
        let seen = Seen::with_clock(later);
        seen.kind(&file, Some(Kind::File));
        seen.stamp_now(&file);
        seen.kind(&file, Some(Kind::File));
        let sights = seen.settled_sights().unwrap();
        assert!(
            matches!(sights[..], [(_, Sight::Stamped(Kind::File, _))]),
            "{sights:?}"
        );

        let seen = Seen::with_clock(later);
        seen.kind(&file, None);
        seen.stamp_now(&file);
        assert_eq!(seen.settled_sights(), None, "absent, then there");

        // Not settled by the real clock: written a moment ago.
        let seen = Seen::default();
        seen.stamp_now(&file);
        assert_eq!(seen.settled_sights(), None);
        // Nothing there is settled whatever the clock.
        let seen = Seen::default();
        seen.stamp_now(&dir.path().join("none"));
        assert!(seen.settled_sights().is_some());
    }
}
