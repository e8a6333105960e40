//! A write transaction that waits its turn: the process's writers queue in order for the write
//! lock instead of polling SQLite's.
//!
//! SQLite's busy handler sleeps and retries (1, 2, 5, ... up to 100 ms apart), and a writer
//! that finds the lock free takes it whoever has waited longest. With several workers writing
//! back to back, one of them could miss the lock at every retry for the whole busy timeout and
//! fail with "database is locked" (the audit bench's four writers did, in one fill of four).
//! A FIFO gate in front of `BEGIN IMMEDIATE` gives each in-process writer its turn; SQLite's
//! handler still covers other processes (a CLI command beside `serve`).

use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::db::{Connections, Db, Pooled};
use crate::{BUSY_TIMEOUT, StoreError};

/// Hands out the process's turns at the write lock, in the order they were asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// Waits for this writer's turn (at most the busy timeout, so that a writer that already
    /// holds a transaction and asks for another fails as SQLite would, instead of hanging),
    /// then starts the transaction with `BEGIN IMMEDIATE`.
    pub(crate) async fn begin(&self, connections: &Connections) -> Result<WriteTx, StoreError> {
        let turn = tokio::time::timeout(BUSY_TIMEOUT, self.0.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Locked)?;
        let conn = connections.take()?;
        conn.connection().execute_batch("BEGIN IMMEDIATE")?;
        Ok(WriteTx {
            conn,
            open: true,
            _turn: turn,
        })
    }
}

/// A write transaction holding the process's turn at the write lock until it commits, rolls
/// back or is dropped (which rolls back). Pass `&mut tx` to the store's functions.
#[derive(Debug)]
pub struct WriteTx {
    // Declared first so that on drop the transaction is let go before the turn passes on.
    conn: Pooled,
    open: bool,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<(), StoreError> {
        self.finish("COMMIT")
    }

    pub async fn rollback(mut self) -> Result<(), StoreError> {
        self.finish("ROLLBACK")
    }

    fn finish(&mut self, how: &str) -> Result<(), StoreError> {
        self.open = false;
        let conn = self.conn.connection();
        match conn.execute_batch(how) {
            Ok(()) => Ok(()),
            Err(error) => {
                // A failed COMMIT (SQLITE_BUSY, a full disk) leaves the transaction open.
                if !conn.is_autocommit() {
                    let _ = conn.execute_batch("ROLLBACK");
                }
                Err(error.into())
            }
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.connection().execute_batch("ROLLBACK");
        }
    }
}

impl Db for &mut WriteTx {
    fn with<T>(
        self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        work(self.conn.connection())
    }
}
