//! A write transaction that waits its turn: the process's writers queue in order for the write
//! lock instead of polling SQLite's.
//!
//! SQLite's busy handler sleeps and retries (1, 2, 5, ... up to 100 ms apart), and a writer
//! that finds the lock free takes it whoever has waited longest. With several workers writing
//! back to back, one of them could miss the lock at every retry for the whole busy timeout and
//! fail with "database is locked" (the audit bench's four writers did, in one fill of four).
//! A FIFO gate in front of `BEGIN IMMEDIATE` gives each in-process writer its turn; SQLite's
//! handler still covers other processes (a CLI command beside `serve`).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{BUSY_TIMEOUT, StoreError};

/// Hands out the process's turns at the write lock, in the order they were asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct WriteGate(Arc<Mutex<()>>);

impl WriteGate {
    /// Waits for this writer's turn (at most the busy timeout, so that a writer that already
    /// holds a transaction and asks for another fails as SQLite would, instead of hanging),
    /// then starts the transaction with `BEGIN IMMEDIATE`.
    pub(crate) async fn begin(&self, pool: &SqlitePool) -> Result<WriteTx, StoreError> {
        let turn = tokio::time::timeout(BUSY_TIMEOUT, self.0.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Locked)?;
        let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx { tx, _turn: turn })
    }
}

/// A write transaction holding the process's turn at the write lock until it commits, rolls
/// back or is dropped (which rolls back). Use it as the connection it writes on.
#[derive(Debug)]
pub struct WriteTx {
    // Declared first so that on drop the transaction is let go before the turn passes on.
    tx: Transaction<'static, Sqlite>,
    _turn: OwnedMutexGuard<()>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit().await?)
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        Ok(self.tx.rollback().await?)
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}
