//! Read-only connections that answer the audit trail's queries on tokio's blocking pool.
//!
//! Not sqlx: sqlx-sqlite steps each statement on a thread of its own and hands the rows to the
//! calling task one at a time, which more than doubled the time of a page of 50 entries (the
//! 7-day page of `benches/audit_store.rs`: p50 0.37 ms through the sqlx pool, 0.14 ms here).
//! A read here is one closure on one blocking thread that steps the statement and decodes the
//! rows. Both libraries link the same bundled SQLite. A long scan (an export) gets a connection
//! of its own, tuned so that its memory stays flat however many rows it reads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::task::JoinHandle;

use crate::{BUSY_TIMEOUT, CACHE_SIZE, StoreError};

/// Bytes of the database file read through a memory map (address space, not memory): a page of
/// 50 audit entries by influencer touches ~50 table pages spread over the file.
const MMAP_SIZE: &str = "1073741824";

/// Connections kept open between reads; more are opened while reads overlap.
const MAX_IDLE: usize = 4;

/// Page cache of a scan's connection: 2 MiB (negative = KiB). A scan reads each page about
/// once, so a larger cache would only hold pages that are not read again.
const SCAN_CACHE_SIZE: &str = "-2048";

/// A small pool of read-only connections to one database file. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Reader {
    /// A reader of the database at `path`, which must already exist (connections open lazily).
    pub(crate) fn new(path: &Path) -> Reader {
        Reader {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                idle: Mutex::new(Vec::new()),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// Runs `read` on a connection, on the blocking pool so the async runtime never waits on
    /// SQLite.
    pub(crate) async fn run<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        Reading(tokio::task::spawn_blocking(move || {
            inner.with_connection(read)
        }))
        .finish()
        .await
    }

    /// Starts `scan` on the blocking pool, on a connection of its own that is closed afterwards,
    /// and returns at once; `scan` hands its rows over through what it captured (a bounded
    /// channel). The connection maps no memory and keeps a small page cache: through the
    /// pooled connections' 1 GiB memory map, every page of the file a scan reads stays resident
    /// in this process (a CSV export of the bench's 1M-row trail peaked at 651 MiB that way,
    /// 15 MiB this way).
    pub(crate) fn spawn_scan<T, F>(&self, scan: F) -> Reading<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        Reading(tokio::task::spawn_blocking(move || {
            if inner.closed.load(Ordering::Acquire) {
                return Err(StoreError::Closed);
            }
            let conn = inner.open(SCAN_CACHE_SIZE, "0")?;
            scan(&conn)
        }))
    }

    /// Closes the idle connections; later reads fail with [`StoreError::Closed`].
    pub(crate) fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        if let Ok(mut idle) = self.inner.idle.lock() {
            idle.clear();
        }
    }
}

impl Inner {
    fn with_connection<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Closed);
        }
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            // The same tuning as the sqlx connections (see `Store::open`).
            None => self.open(CACHE_SIZE, MMAP_SIZE)?,
        };
        let result = read(&conn);
        if !self.closed.load(Ordering::Acquire)
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(conn);
        }
        result
    }

    /// Opens a read-only connection with this page cache (`PRAGMA cache_size`) and memory map
    /// (`PRAGMA mmap_size`, bytes).
    fn open(&self, cache_size: &str, mmap_size: &str) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.execute_batch(&format!(
            "PRAGMA cache_size = {cache_size}; PRAGMA mmap_size = {mmap_size};"
        ))?;
        Ok(conn)
    }
}

/// A read running on the blocking pool.
#[derive(Debug)]
pub(crate) struct Reading<T>(JoinHandle<Result<T, StoreError>>);

impl<T> Reading<T> {
    /// Waits for the read's own result.
    pub(crate) async fn finish(self) -> Result<T, StoreError> {
        self.0.await.map_err(|e| StoreError::ReadFailed {
            reason: e.to_string(),
        })?
    }
}
