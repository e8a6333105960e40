//! The store's connections, on which each statement runs on the calling thread.
//!
//! Not sqlx: sqlx-sqlite runs every connection on a thread of its own and each statement is a
//! round trip to it (a command, then each row and the result back), two thread wake-ups at
//! least. A reply through the whole local path runs about thirty statements, and on two cores
//! those wake-ups cost more than SQLite's own work (`benches/campaign_throughput.rs` in the CLI
//! crate; the profile is in `docs/architecture.md`). Here a statement is a function call: a few
//! microseconds of SQLite work on the task that asked; a commit also waits there for its
//! `fdatasync` (0.1–0.2 ms on the development VM). Both libraries link the same bundled SQLite;
//! sqlx keeps only the migrations and the webhook intake's group commit.
//!
//! Idle connections are reused last-in first-out: the one used last is the one whose page
//! cache is most likely still valid, so serial work keeps using one warm connection of each
//! kind instead of rereading pages on each of a rotating set.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, Row};

use crate::{BUSY_TIMEOUT, CACHE_SIZE, JOURNAL_SIZE_LIMIT, StoreError, WAL_AUTOCHECKPOINT_PAGES};

/// Connections of each kind kept open between uses; more are opened while uses overlap.
const MAX_IDLE: usize = 8;

/// Prepared statements kept per connection (the store has about seventy).
const STATEMENT_CACHE: usize = 128;

/// Where a store function runs its statements: the store's connections ([`crate::Store::db`])
/// or a write transaction ([`crate::WriteTx`]).
pub trait Db: Send {
    /// Runs `work` on a connection.
    fn with<T>(
        self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError>;
}

/// The connections of one database file: read-only ones for [`crate::Store::db`], and the
/// ones writers get with their turn (`write_tx.rs`). A write through `Store::db` fails at once
/// (SQLITE_READONLY) instead of waiting in SQLite's busy handler, on the thread of the task that
/// holds the lock. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Connections {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    writers: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Connections {
    /// Connections to the database at `path`, which must already exist (they open lazily).
    pub(crate) fn new(path: &Path) -> Connections {
        Connections {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                readers: Mutex::new(Vec::new()),
                writers: Mutex::new(Vec::new()),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// A connection that may write, its own until the result is dropped.
    pub(crate) fn writer(&self) -> Result<Pooled, StoreError> {
        self.take(true)
    }

    fn take(&self, writes: bool) -> Result<Pooled, StoreError> {
        if self.inner.closed.load(Ordering::Acquire) {
            return Err(StoreError::Closed);
        }
        let idle = self
            .inner
            .idle(writes)
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => self.inner.open(writes)?,
        };
        Ok(Pooled {
            conn: Some(conn),
            home: Arc::clone(&self.inner),
            writes,
            reuse: true,
        })
    }

    /// Closes the idle connections; later uses fail with [`StoreError::Closed`].
    pub(crate) fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        for idle in [&self.inner.readers, &self.inner.writers] {
            if let Ok(mut idle) = idle.lock() {
                idle.clear();
            }
        }
    }
}

impl Db for &Connections {
    fn with<T>(
        self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.take(false)?;
        work(pooled.connection())
    }
}

impl Inner {
    fn idle(&self, writes: bool) -> &Mutex<Vec<Connection>> {
        if writes { &self.writers } else { &self.readers }
    }

    /// Opens a connection tuned as the store's (see `Store::open` for why each setting).
    fn open(&self, writes: bool) -> Result<Connection, StoreError> {
        let mode = if writes {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } else {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        };
        let conn = Connection::open_with_flags(&self.path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| StoreError::Open {
                path: self.path.clone(),
                reason: e.to_string(),
            })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; \
             PRAGMA cache_size = {CACHE_SIZE}; \
             PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}; \
             PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}; PRAGMA mmap_size = 0;"
        ))?;
        Ok(conn)
    }
}

/// A connection taken from [`Connections`]; it goes back when dropped.
#[derive(Debug)]
pub(crate) struct Pooled {
    conn: Option<Connection>,
    home: Arc<Inner>,
    writes: bool,
    /// False once its state is not known: it is closed instead of given back.
    reuse: bool,
}

impl Pooled {
    pub(crate) fn connection(&self) -> &Connection {
        // Only `drop` takes it out.
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }

    /// Closes the connection when dropped instead of giving it back (its state is not known).
    pub(crate) fn discard(&mut self) {
        self.reuse = false;
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        // A connection left inside a transaction (a panic mid-way) is not reused.
        if !self.reuse || !conn.is_autocommit() || self.home.closed.load(Ordering::Acquire) {
            return;
        }
        if let Ok(mut idle) = self.home.idle(self.writes).lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(conn);
        }
    }
}

/// The first row `sql` returns with `params`, decoded by `decode`; `None` when there is none.
pub(crate) fn query_one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    decode: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    rows.next()?.map(decode).transpose()
}

/// Every row `sql` returns with `params`, each decoded by `decode`.
pub(crate) fn query_all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    mut decode: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(decode(row)?);
    }
    Ok(found)
}

/// Runs `sql` with `params`; returns how many rows it changed.
pub(crate) fn execute(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(sql)?.execute(params)?)
}
