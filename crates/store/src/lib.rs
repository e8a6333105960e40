//! SQLite persistence for the negotiator: campaigns, negotiations, messages, audit log, jobs.
//!
//! [`Store::open`] creates the database (WAL, `synchronous=FULL`, foreign keys, 5 s busy timeout)
//! and applies the embedded migrations; [`Store::deferring`] is a handle whose commits do not
//! wait for the disk until [`Store::settle`] (`durability.rs`). Every function takes `impl` [`Db`]: [`Store::db`] to
//! read, or `&mut tx` to write, so that writes join the caller's transaction (transactional
//! outbox):
//!
//! ```no_run
//! # async fn demo(store: &negotiator_store::Store) -> Result<(), negotiator_store::StoreError> {
//! use negotiator_store::{EventType, NewAuditEntry, insert_audit, enqueue};
//! let now = jiff::Timestamp::now();
//! let mut tx = store.begin_write().await?;
//! insert_audit(&mut tx, &NewAuditEntry::new(now, EventType::EmailSent).influencer("Jane")).await?;
//! enqueue(&mut tx, "send_email", "msg-1", &serde_json::json!({"message_id": 1}), now).await?;
//! tx.commit().await?;
//! # Ok(()) }
//! ```
//!
//! A workflow step writes its audit entries in its own transaction, with the state change they
//! describe ([`insert_audits`]). The SQL is not checked at compile time (rusqlite); the store's
//! tests run every statement against a migrated database.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};

use durability::SyncDebt;
use reader::Reader;
use write_tx::WriteGate;

mod audit;
mod campaigns;
mod carried_ids;
mod cursors;
mod db;
mod durability;
mod error;
mod group_commit;
mod intake;
mod jobs;
mod llm_usage;
mod messages;
mod money;
mod named_side;
mod negotiations;
mod pacing;
mod reader;
mod suppressions;
mod team;
mod write_tx;

pub use audit::{
    AuditEntry, AuditFilter, AuditStream, DEFAULT_AUDIT_LIMIT, Direction, EventType, NewAuditEntry,
    insert_audit, insert_audits,
};
pub use campaigns::{
    CampaignMode, CampaignRow, NewCampaign, campaign_revision, get_campaign, insert_campaign,
    list_campaigns, update_campaign,
};
pub use carried_ids::{
    carried_message_ids, last_delivery_at, negotiation_of_carried_id, set_carried_message_id,
};
pub use cursors::{get_cursor, set_cursor};
pub use db::{Connections, Db};
pub use durability::Durability;
pub use error::StoreError;
pub use intake::{DeliveryLog, NewDelivery, NewJob, Stored};
pub use jobs::{Claimed, DEFAULT_MAX_ATTEMPTS, Job, JobStatus, enqueue};
pub use messages::{
    Message, MessageStatus, NewMessage, find_message_by_rfc_id, get_message, insert_message,
    list_drafts, list_messages, list_messages_by_status, supersede_drafts, update_message_status,
};
pub use money::{CampaignTotals, campaign_totals};
pub use named_side::{set_side_emails, side_emails};
pub use negotiations::{
    NegotiationRow, NewNegotiation, find_negotiation_by_thread, find_negotiations_by_influencer,
    get_negotiation, insert_negotiation, list_negotiations, update_negotiation,
};
pub use pacing::{
    HELD_UNTIL, SendSlot, SendingSwitch, book_slot, booked_slots, find_slot, first_opening_at,
    sending_paused, sending_switch, set_sending_paused, set_time_zone, time_zone,
};
pub use suppressions::{
    NewSuppression, Suppression, SuppressionReason, find_suppression, list_suppressions, suppress,
    unsuppress,
};
pub use team::{
    TeamSession, TeamUser, add_team_user, count_team_users, delete_team_session, find_team_session,
    insert_team_session, list_team_users, remove_team_user, team_user_credentials,
};
pub use write_tx::WriteTx;

/// The embedded migrations (`crates/store/migrations`), applied by [`Store::open`].
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

/// How long a connection waits for another's write lock before failing with
/// [`StoreError::Locked`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page cache per connection: 32 MiB (negative = KiB). Only pages actually read use memory.
pub(crate) const CACHE_SIZE: &str = "-32768";
/// WAL pages (4 KiB each) after which a commit checkpoints the WAL into the database.
pub(crate) const WAL_AUTOCHECKPOINT_PAGES: &str = "10000";
/// Bytes the WAL file is truncated to after a checkpoint resets it.
pub(crate) const JOURNAL_SIZE_LIMIT: &str = "67108864";

pub use negotiator_domain::ParseEnumError;

/// A handle to the database: its connections (reading, and writing in turn), the sqlx pool
/// that migrates it, the webhook intake's group-commit writer and the audit trail's read-only
/// connections. Cheap to clone; clones share everything but how their commits reach the disk
/// ([`Store::deferring`]).
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    db: Connections,
    intake: DeliveryLog,
    reader: Reader,
    writers: WriteGate,
    /// How [`Store::begin_write`] and [`Store::write`] commit.
    durability: Durability,
    debt: Arc<SyncDebt>,
}

impl Store {
    /// Opens (creating the file and its parent directory if needed) the database at `path`,
    /// configures it and applies pending migrations. Must be called inside a tokio runtime: it
    /// starts the webhook intake's writer task.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: path.to_path_buf(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        // No `journal_mode` here: switching to WAL changes the file, so it waits until
        // `check_ours` has accepted the file (a refused foreign database is left untouched).
        // WAL is a property of the file, so connections opened later use it too.
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Per-connection tuning, measured with `benches/audit_store.rs`:
            // * A group commit of a few thousand audit rows dirties a few thousand pages (each
            //   row lands on its own leaf in the influencer and thread indexes). With the 2 MiB
            //   default cache those spill to the WAL before the commit and are read back.
            .pragma("cache_size", CACHE_SIZE)
            // * Checkpoint every ~40 MiB of WAL instead of every 4 MiB: the hot index leaves are
            //   rewritten by every commit, so a larger WAL copies each of them back to the
            //   database once per checkpoint instead of once per commit or two.
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)
            // * ...and truncate the WAL back to this size after a checkpoint resets it.
            .pragma("journal_size_limit", JOURNAL_SIZE_LIMIT)
            // * No memory map here (the audit trail's read-only connections have theirs): a
            //   pooled connection that finds another one wrote since its last read drops its
            //   map and maps the file again, ten times a reply in `campaign_throughput`, each a
            //   TLB flush on every core.
            .pragma("mmap_size", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            // A connection to a local file does not go stale; a ping before every query only
            // doubles the round trips to SQLite's connection thread.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| {
                if error::is_not_a_database(&e) {
                    StoreError::NotADatabase {
                        path: path.to_path_buf(),
                    }
                } else if error::sqlite_code(&e).is_some() {
                    StoreError::from(e)
                } else {
                    open_error(e.to_string())
                }
            })?;

        check_ours(&pool, path).await?;
        set_wal(&pool).await?;
        migrate(&pool).await?;

        let intake = DeliveryLog::start(pool.clone());
        Ok(Store {
            pool,
            db: Connections::new(path),
            intake,
            reader: Reader::new(path),
            writers: WriteGate::default(),
            durability: Durability::Synced,
            debt: Arc::new(SyncDebt::new(path)),
        })
    }

    /// A handle whose writes commit without waiting for the disk ([`Durability::Deferred`]):
    /// for the job worker, whose decisions nobody outside sees until an email, a post or an
    /// acknowledgement carries them, each of which calls [`Store::settle`] first.
    pub fn deferring(&self) -> Store {
        Store {
            durability: Durability::Deferred,
            ..self.clone()
        }
    }

    /// Puts every commit so far on disk, if any of them (on any handle of this store) was
    /// deferred and is not yet: call it before anything that rests on them leaves the process.
    /// One `fdatasync` of the log, or nothing when nothing is owed.
    pub async fn settle(&self) -> Result<(), StoreError> {
        self.debt.settle()
    }

    /// Whether a deferred commit is not yet on disk (for tests of what waits for
    /// [`Store::settle`]).
    pub fn owes_sync(&self) -> bool {
        self.debt.is_owed()
    }

    /// The store's connections, for this crate's functions outside a write transaction
    /// (`get_negotiation(store.db(), id)`).
    pub fn db(&self) -> &Connections {
        &self.db
    }

    /// The sqlx pool that applied the migrations, for queries of your own (tests, metrics).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction with `BEGIN IMMEDIATE`, which takes the write lock up front so
    /// it never fails half-way with SQLITE_BUSY on lock upgrade, once the writers of this process
    /// that asked before have had their turn. Commit it with `tx.commit()`; dropping it rolls
    /// back.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        self.writers
            .begin(&self.db, true, self.durability, &self.debt)
            .await
    }

    /// [`Store::begin_write`] for a write whose loss to a power cut only makes its job run
    /// again and find its work done ([`Durability::Redoable`]): it neither waits for the disk
    /// nor owes a sync.
    pub async fn begin_redoable_write(&self) -> Result<WriteTx, StoreError> {
        self.writers
            .begin(&self.db, true, Durability::Redoable, &self.debt)
            .await
    }

    /// This process's turn at the write lock without a transaction: each statement commits on
    /// its own (`set_cursor(&mut store.write().await?, ...)`). The connections of
    /// [`Store::db`] only read.
    pub async fn write(&self) -> Result<WriteTx, StoreError> {
        self.writers
            .begin(&self.db, false, self.durability, &self.debt)
            .await
    }

    /// [`Store::write`] whose statements are [`Durability::Redoable`].
    pub(crate) async fn redoable_write(&self) -> Result<WriteTx, StoreError> {
        self.writers
            .begin(&self.db, false, Durability::Redoable, &self.debt)
            .await
    }

    /// Whether the database takes writes: takes the write lock and lets it go, changing
    /// nothing (for readiness checks and `negotiator doctor`).
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        self.begin_write().await?.rollback().await?;
        Ok(())
    }

    /// A handle on the group-commit webhook intake writer.
    pub fn deliveries(&self) -> DeliveryLog {
        self.intake.clone()
    }

    /// Puts what is owed on disk and closes the pool, waiting for checked-out connections to
    /// come back. Later calls fail.
    pub async fn close(&self) {
        if let Err(error) = self.settle().await {
            tracing::error!(%error, "closing the store");
        }
        self.reader.close();
        self.db.close();
        self.pool.close().await;
    }
}

/// Refuses a database that has tables but no sqlx migration history (not created by us).
async fn check_ours(pool: &SqlitePool, path: &Path) -> Result<(), StoreError> {
    let row = sqlx::query!(
        r#"SELECT
             EXISTS (SELECT 1 FROM sqlite_schema
                     WHERE type = 'table' AND name = '_sqlx_migrations') AS "has_history!: bool",
             EXISTS (SELECT 1 FROM sqlite_schema
                     WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\')
               AS "has_tables!: bool""#
    )
    .fetch_one(pool)
    .await
    .map_err(|e| {
        // Connecting does not read the file; this is the first statement that does.
        if error::is_not_a_database(&e) {
            StoreError::NotADatabase {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::from(e)
        }
    })?;
    if row.has_tables && !row.has_history {
        return Err(StoreError::ForeignDatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Switches the file to write-ahead logging (persistent; a no-op when it already is).
async fn set_wal(pool: &SqlitePool) -> Result<(), StoreError> {
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode = WAL")
        .fetch_one(pool)
        .await?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(journal_mode = %mode, "SQLite refused WAL mode; continuing without it");
    }
    Ok(())
}

async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    use sqlx::migrate::MigrateError;
    MIGRATOR.run(pool).await.map_err(|e| match e {
        MigrateError::VersionMissing(version) => StoreError::NewerSchema { version },
        MigrateError::Execute(err) if error::sqlite_code(&err).is_some() => {
            match StoreError::from(err) {
                StoreError::Database(err) => StoreError::Migration {
                    reason: err.to_string(),
                },
                other => other,
            }
        }
        other => StoreError::Migration {
            reason: other.to_string(),
        },
    })
}

/// Milliseconds since the Unix epoch, the storage form of every `*_at` column.
pub(crate) fn to_ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// Decodes a stored `*_at` value.
pub(crate) fn from_ms(
    ms: i64,
    table: &'static str,
    column: &'static str,
) -> Result<Timestamp, StoreError> {
    // Not `Timestamp::from_millisecond`: it refuses the last 999 ms of jiff's range, which
    // `as_millisecond` of a valid timestamp (e.g. `Timestamp::MAX`) produces.
    let nanos = i32::try_from(ms.rem_euclid(1_000) * 1_000_000)
        .map_err(|e| StoreError::corrupt(table, column, e))?;
    Timestamp::new(ms.div_euclid(1_000), nanos).map_err(|e| StoreError::corrupt(table, column, e))
}

/// Decodes an optional stored `*_at` value.
pub(crate) fn from_ms_opt(
    ms: Option<i64>,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Timestamp>, StoreError> {
    ms.map(|ms| from_ms(ms, table, column)).transpose()
}

/// Decodes a stored JSON document.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(table, column, e))
}

/// Decodes a stored enum name.
pub(crate) fn parse_enum<T: std::str::FromStr<Err = ParseEnumError>>(
    text: &str,
    table: &'static str,
    column: &'static str,
) -> Result<T, StoreError> {
    text.parse()
        .map_err(|e| StoreError::corrupt(table, column, e))
}
