//! Named cursors into external streams (e.g. the Gmail history id), so restarts resume in place.

use jiff::Timestamp;

use crate::db::{execute, query_one};
use crate::{Db, StoreError, to_ms};

/// The stored value of cursor `name`, if it was ever set.
pub async fn get_cursor(db: impl Db, name: &str) -> Result<Option<String>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT value FROM cursors WHERE name = ?",
            [name],
            |row| Ok(row.get(0)?),
        )
    })
}

/// Sets cursor `name` to `value`. Run it in the transaction that processed what the cursor now
/// points past, so the two cannot disagree after a crash.
pub async fn set_cursor(
    db: impl Db,
    name: &str,
    value: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let at = to_ms(at);
    db.with(|conn| {
        execute(
            conn,
            "INSERT INTO cursors (name, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE
             SET value = excluded.value, updated_at = excluded.updated_at",
            rusqlite::params![name, value, at],
        )
    })?;
    Ok(())
}
