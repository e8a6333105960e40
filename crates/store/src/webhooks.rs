//! Raw webhook deliveries, stored (and deduplicated) before the webhook is acknowledged.

use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::{StoreError, to_ms};

/// Stores a delivery unless one with the same `(source, dedupe_key)` is already stored.
/// Returns `true` if it is new, `false` for a redelivery. Call it in the transaction that
/// enqueues the delivery's job, and commit before answering the sender.
pub async fn record_delivery(
    conn: &mut SqliteConnection,
    source: &str,
    dedupe_key: &str,
    body: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let at = to_ms(at);
    let done = sqlx::query!(
        "INSERT INTO webhook_deliveries (source, dedupe_key, received_at, body)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (source, dedupe_key) DO NOTHING",
        source,
        dedupe_key,
        at,
        body
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
