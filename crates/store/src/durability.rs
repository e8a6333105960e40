//! When a commit reaches the disk: at once, or before anything that depends on it leaves the
//! process.
//!
//! A synced commit waits for `fdatasync` of the write-ahead log. The job worker's decisions do
//! not need to: nobody outside has seen them yet, and SQLite's log is replayed in order, so a
//! power cut only ever loses the latest commits, whose jobs then run again. What must not
//! happen is an email, a Slack post or a mailbox acknowledgement that rests on a commit the
//! disk could still lose (after a power cut the decision would be made again, perhaps
//! differently, and its email sent twice). So the worker's commits are [`Durability::Deferred`]
//! and owe a sync, and whatever reaches outside calls [`crate::Store::settle`] first, which pays
//! it with one `fdatasync` for every commit since the last. A run of a thousand replies syncs
//! once before its first email instead of twice per reply.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::StoreError;

/// How a write transaction's commit reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// The commit returns once the log is on disk (`synchronous = FULL`).
    Synced,
    /// The commit is in the log but not yet synced; the store owes a sync that
    /// [`crate::Store::settle`] pays before anything built on it leaves the process.
    Deferred,
    /// Not synced and owing nothing: its loss to a power cut only means the job that wrote it
    /// runs again and finds its own work done (a claim, a done mark, the record of an email
    /// the mailbox can be asked about).
    Redoable,
}

/// Whether deferred commits are not yet on disk, and the files that hold them.
#[derive(Debug)]
pub(crate) struct SyncDebt {
    owed: AtomicBool,
    /// The database file, as SQLite names it: absolute, links resolved.
    database: PathBuf,
    /// Its write-ahead log (`<database>-wal`).
    wal: PathBuf,
}

impl SyncDebt {
    /// For the database at `path`, which exists. SQLite follows symbolic links to the file and
    /// keeps its log beside the file, not beside the link.
    pub(crate) fn new(path: &Path) -> SyncDebt {
        let database = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        SyncDebt {
            owed: AtomicBool::new(false),
            database,
            wal: PathBuf::from(wal),
        }
    }

    /// A deferred commit has been written to the log.
    pub(crate) fn owe(&self) {
        self.owed.store(true, Ordering::Release);
    }

    pub(crate) fn is_owed(&self) -> bool {
        self.owed.load(Ordering::Acquire)
    }

    /// Syncs the log if a deferred commit is not on disk yet. The flag is cleared before the
    /// sync, so a commit that lands meanwhile is owed again rather than forgotten. Syncing
    /// through a descriptor of our own is safe: `fdatasync` flushes the file, not the
    /// descriptor, and SQLite takes no locks on the log file (they are on `-shm`), so closing
    /// ours releases none of SQLite's.
    pub(crate) fn settle(&self) -> Result<(), StoreError> {
        if !self.owed.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        // An open store always has a connection open, so SQLite has not removed the log; a
        // file without one (SQLite refused WAL mode) keeps its commits in the database itself.
        sync(&self.wal)
            .or_else(|error| match &error {
                StoreError::Sync { source, .. }
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    sync(&self.database)
                }
                _ => Err(error),
            })
            .inspect_err(|_| self.owe())
    }
}

fn sync(file: &Path) -> Result<(), StoreError> {
    std::fs::File::open(file)
        .and_then(|file| file.sync_data())
        .map_err(|source| StoreError::Sync {
            path: file.to_path_buf(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_log_is_looked_for_beside_the_file_a_link_points_to() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.db");
        std::fs::write(&real, b"").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let debt = SyncDebt::new(&link);
        assert_eq!(
            debt.wal,
            std::fs::canonicalize(&real)
                .unwrap()
                .with_file_name("real.db-wal")
        );

        // No log (WAL refused): the database file itself is synced.
        debt.owe();
        debt.settle().unwrap();
        assert!(!debt.is_owed());
    }

    #[test]
    fn a_sync_that_fails_stays_owed() {
        let dir = tempfile::tempdir().unwrap();
        let debt = SyncDebt::new(&dir.path().join("gone.db"));
        debt.owe();
        let error = debt.settle().unwrap_err();
        assert!(matches!(error, StoreError::Sync { .. }), "{error}");
        assert!(error.is_transient());
        assert!(debt.is_owed(), "the next settle tries again");
    }
}
