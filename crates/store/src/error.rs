//! The store's error type, with messages that say what to do about each failure.

use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file or its directory could not be created or opened.
    #[error(
        "cannot open the database at {path}: {reason}; check that the directory exists or can be \
         created and that this user may write to it"
    )]
    Open {
        /// The path that was being opened.
        path: PathBuf,
        /// What failed.
        reason: String,
    },

    /// The file exists but is not an SQLite database.
    #[error(
        "{path} is not an SQLite database; point --db at a negotiator database or at a path where \
         a new one may be created"
    )]
    NotADatabase {
        /// The offending file.
        path: PathBuf,
    },

    /// The file is an SQLite database that negotiator did not create.
    #[error(
        "{path} is an SQLite database but not a negotiator database (it has tables but no \
         migration history; perhaps the old Python audit.db); use a new file, or import the old \
         data instead of opening it directly"
    )]
    ForeignDatabase {
        /// The offending file.
        path: PathBuf,
    },

    /// The database was migrated by a newer release.
    #[error(
        "the database was created by a newer negotiator (it has migration {version}, which this \
         build does not know); upgrade negotiator"
    )]
    NewerSchema {
        /// The unknown migration version.
        version: i64,
    },

    /// A migration failed to apply.
    #[error(
        "database migration failed: {reason}; the failed migration was rolled back and the \
         database is unchanged; restore from a backup if the file was edited by hand, otherwise \
         report this as a bug"
    )]
    Migration {
        /// What failed.
        reason: String,
    },

    /// The write lock was held by someone else for longer than the busy timeout.
    #[error(
        "the database is locked: another connection held the write lock for longer than the 5 s \
         busy timeout; stop other negotiator processes using this file, or retry"
    )]
    Locked,

    /// The database or its directory is read-only.
    #[error(
        "the database is read-only; check the permissions of the file, its -wal and -shm files \
         and its directory"
    )]
    ReadOnly,

    /// The disk is full.
    #[error("the disk holding the database is full; free some space and retry")]
    DiskFull,

    /// SQLite reports the file as corrupt.
    #[error(
        "the database file is corrupt ({reason}); restore it from a backup (`sqlite3 FILE \
         .recover` may salvage data)"
    )]
    Corrupt {
        /// SQLite's message.
        reason: String,
    },

    /// Optimistic concurrency: the row changed since it was read.
    #[error(
        "negotiation {negotiation_id} was changed by someone else (expected version {expected}); \
         reload it and apply the change again"
    )]
    VersionConflict {
        /// The negotiation that was being updated.
        negotiation_id: i64,
        /// The version the caller had read.
        expected: i64,
    },

    /// The write would take a campaign's agreed total past its budget (another deal closed
    /// since the decision was taken).
    #[error(
        "the campaign's agreed total would exceed its budget; reload the campaign and decide \
         again (a person may raise the budget)"
    )]
    OverBudget,

    /// A budget below what the campaign has already agreed.
    #[error(
        "the budget cannot go below what the campaign has already agreed; choose a larger amount"
    )]
    BudgetBelowAgreed,

    /// A row that the caller named does not exist (or is not in the required state).
    #[error("{what} {id} not found{detail}")]
    NotFound {
        /// The kind of row ("job", "negotiation", ...).
        what: &'static str,
        /// Its key.
        id: String,
        /// Extra context, starting with a separator (may be empty).
        detail: &'static str,
    },

    /// A uniqueness constraint rejected an insert.
    #[error("{what} already exists: {detail}")]
    AlreadyExists {
        /// The kind of row.
        what: &'static str,
        /// SQLite's description of the clash.
        detail: String,
    },

    /// A stored value could not be decoded.
    #[error(
        "invalid stored value in {table}.{column}: {reason}; the database may have been edited by \
         hand or written by an incompatible version"
    )]
    CorruptValue {
        /// Table of the value.
        table: &'static str,
        /// Column of the value.
        column: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// A value could not be encoded as JSON.
    #[error("cannot encode a value as JSON: {0}")]
    Json(#[from] serde_json::Error),

    /// The audit writer task is gone.
    #[error(
        "the audit writer has stopped (the store was closed or its runtime shut down); reopen the \
         store"
    )]
    WriterStopped,

    /// A batch of audit entries failed; every entry of the batch gets this error.
    #[error("writing audit entries failed: {reason}")]
    AuditWrite {
        /// The underlying failure.
        reason: String,
    },

    /// A batch of webhook deliveries failed; every delivery of the batch gets this error.
    #[error("storing webhook deliveries failed: {reason}; the sender should retry")]
    IntakeWrite {
        /// The underlying failure.
        reason: String,
    },

    /// The store was closed.
    #[error("the store was closed; reopen it")]
    Closed,

    /// The write-ahead log (or, without one, the database) could not be synced to disk, so what
    /// was committed since the last sync may not survive a power cut; nothing that rests on it
    /// was let out.
    #[error(
        "could not sync {path} to disk: {source}; check the disk (space, errors in the system \
         log); the work is retried"
    )]
    Sync {
        /// The file that would not sync.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },

    /// A read stopped without an answer (its thread panicked or the runtime shut down).
    #[error(
        "a database read stopped without an answer: {reason}; retry, and report it if it recurs"
    )]
    ReadFailed {
        /// What happened to it.
        reason: String,
    },

    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),

    /// Any other error of the store's own connections.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

// SQLite primary result codes (the low byte of an extended code).
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_FULL: i32 = 13;
const SQLITE_NOTADB: i32 = 26;

/// The primary SQLite result code of a database error, if it is one.
pub(crate) fn sqlite_code(err: &sqlx::Error) -> Option<i32> {
    let db = err.as_database_error()?;
    let code: i32 = db.code()?.parse().ok()?;
    Some(code & 0xff)
}

/// True if the error means "the file is not a database".
pub(crate) fn is_not_a_database(err: &sqlx::Error) -> bool {
    sqlite_code(err) == Some(SQLITE_NOTADB)
}

/// The messages the schema's triggers raise (`migrations/0003_budget_and_drafts.sql`).
const OVER_BUDGET: &str = "negotiator: over budget";
const BUDGET_BELOW_AGREED: &str = "negotiator: budget below agreed";

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        let raised = err.as_database_error().map(|db| db.message().to_owned());
        match raised.as_deref() {
            Some(OVER_BUDGET) => return StoreError::OverBudget,
            Some(BUDGET_BELOW_AGREED) => return StoreError::BudgetBelowAgreed,
            _ => {}
        }
        match sqlite_code(&err) {
            Some(SQLITE_BUSY | SQLITE_LOCKED) => StoreError::Locked,
            Some(SQLITE_READONLY) => StoreError::ReadOnly,
            Some(SQLITE_FULL) => StoreError::DiskFull,
            Some(SQLITE_CORRUPT | SQLITE_NOTADB) => StoreError::Corrupt {
                reason: err.to_string(),
            },
            _ => StoreError::Database(err),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(_, Some(message)) = &err {
            match message.as_str() {
                OVER_BUDGET => return StoreError::OverBudget,
                BUDGET_BELOW_AGREED => return StoreError::BudgetBelowAgreed,
                _ => {}
            }
        }
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                reason: err.to_string(),
            },
            _ => StoreError::Sqlite(err),
        }
    }
}

impl StoreError {
    /// Map a unique-constraint violation to [`StoreError::AlreadyExists`], anything else as usual.
    pub(crate) fn on_insert(err: rusqlite::Error, what: &'static str) -> Self {
        // SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
        const UNIQUE: [i32; 2] = [2067, 1555];
        match &err {
            rusqlite::Error::SqliteFailure(failure, message)
                if UNIQUE.contains(&failure.extended_code) =>
            {
                StoreError::AlreadyExists {
                    what,
                    detail: message.clone().unwrap_or_else(|| failure.to_string()),
                }
            }
            _ => StoreError::from(err),
        }
    }

    /// A stored value that failed to decode.
    pub(crate) fn corrupt(
        table: &'static str,
        column: &'static str,
        reason: impl std::fmt::Display,
    ) -> Self {
        StoreError::CorruptValue {
            table,
            column,
            reason: reason.to_string(),
        }
    }

    /// True for errors worth retrying later (lock contention, a log that could not be synced).
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Locked | StoreError::Sync { .. })
    }
}
