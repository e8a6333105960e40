//! A write transaction that waits its turn: the process's writers queue in order for the write
//! lock instead of polling SQLite's.
//!
//! SQLite's busy handler sleeps and retries (1, 2, 5, ... up to 100 ms apart), and a writer
//! that finds the lock free takes it whoever has waited longest. With several workers writing
//! back to back, one of them could miss the lock at every retry for the whole busy timeout and
//! fail with "database is locked" (the audit bench's four writers did, in one fill of four).
//! A FIFO gate in front of `BEGIN IMMEDIATE` gives each in-process writer its turn; SQLite's
//! handler still covers other processes (a CLI command beside `serve`). Every write of the
//! process goes through the gate: the store's other connections only read (`db.rs`).

use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::db::{Connections, Db, Pooled, execute};
use crate::durability::{Durability, SyncDebt};
use crate::{BUSY_TIMEOUT, StoreError};

/// Hands out the process's turns at the write lock, in the order they were asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// Waits for this writer's turn (at most the busy timeout, so that a writer that already
    /// holds a transaction and asks for another fails as SQLite would, instead of hanging),
    /// takes a connection that may write and, with `transaction`, starts one with
    /// `BEGIN IMMEDIATE`. Its commits reach the disk as `durability` says.
    pub(crate) async fn begin(
        &self,
        connections: &Connections,
        transaction: bool,
        durability: Durability,
        debt: &Arc<SyncDebt>,
    ) -> Result<WriteTx, StoreError> {
        let turn = tokio::time::timeout(BUSY_TIMEOUT, self.0.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Locked)?;
        let mut tx = WriteTx {
            conn: connections.writer()?,
            open: false,
            durability,
            debt: Arc::clone(debt),
            _turn: turn,
        };
        // SQLite takes the level only outside a transaction; `drop` puts FULL back.
        if durability != Durability::Synced {
            execute(tx.conn.connection(), "PRAGMA synchronous = NORMAL", [])?;
        }
        if transaction {
            execute(tx.conn.connection(), "BEGIN IMMEDIATE", [])?;
            tx.open = true;
        }
        Ok(tx)
    }
}

/// The process's turn at the write lock, with a connection that may write: a transaction from
/// [`crate::Store::begin_write`], which commits, rolls back or is rolled back when dropped; or
/// single statements that each commit on their own, from [`crate::Store::write`]. Pass
/// `&mut tx` to the store's functions.
#[derive(Debug)]
pub struct WriteTx {
    // Declared first so that on drop the connection is let go before the turn passes on.
    conn: Pooled,
    /// Inside `BEGIN IMMEDIATE`.
    open: bool,
    durability: Durability,
    debt: Arc<SyncDebt>,
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
        if !std::mem::replace(&mut self.open, false) {
            return Ok(());
        }
        let conn = self.conn.connection();
        execute(conn, how, [])
            .inspect_err(|_| {
                // A failed COMMIT (SQLITE_BUSY, a full disk) leaves the transaction open.
                if !conn.is_autocommit() {
                    let _ = execute(conn, "ROLLBACK", []);
                }
            })
            .map(|_| ())
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if self.finish("ROLLBACK").is_err() {
            self.conn.discard();
        }
        if self.durability == Durability::Synced {
            return;
        }
        if self.durability == Durability::Deferred {
            // Whatever was written (a commit, statements that committed on their own) is owed.
            self.debt.owe();
        }
        // Never hand on a connection whose commits would not wait for the disk.
        if execute(self.conn.connection(), "PRAGMA synchronous = FULL", []).is_err() {
            self.conn.discard();
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
