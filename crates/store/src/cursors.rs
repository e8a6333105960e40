//! Named cursors into external streams (e.g. the Gmail history id), so restarts resume in place.

use jiff::Timestamp;
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::{StoreError, to_ms};

/// The stored value of cursor `name`, if it was ever set.
pub async fn get_cursor(
    ex: impl SqliteExecutor<'_>,
    name: &str,
) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar!("SELECT value FROM cursors WHERE name = ?", name)
            .fetch_optional(ex)
            .await?,
    )
}

/// Sets cursor `name` to `value`. Run it in the transaction that processed what the cursor now
/// points past, so the two cannot disagree after a crash.
pub async fn set_cursor(
    conn: &mut SqliteConnection,
    name: &str,
    value: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let at = to_ms(at);
    sqlx::query!(
        "INSERT INTO cursors (name, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        name,
        value,
        at
    )
    .execute(conn)
    .await?;
    Ok(())
}
