//! Gmail as it behaves: the Message-IDs sent emails really carry (the provider may replace
//! ours), and when its last push arrived.

use std::collections::HashMap;

use sqlx::{SqliteConnection, SqliteExecutor};

use crate::StoreError;

/// Records that message `message_id` went out carrying the Message-ID `carried`.
pub async fn set_carried_message_id(
    conn: &mut SqliteConnection,
    message_id: i64,
    carried: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE messages SET carried_message_id = ? WHERE message_id = ?")
        .bind(carried)
        .bind(message_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The carried Message-IDs of a negotiation's messages, by message id (only those recorded).
pub async fn carried_message_ids(
    ex: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT message_id, carried_message_id FROM messages
         WHERE negotiation_id = ? AND carried_message_id IS NOT NULL",
    )
    .bind(negotiation_id)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The negotiation of the sent message that carries Message-ID `carried`, if any.
pub async fn negotiation_of_carried_id(
    ex: impl SqliteExecutor<'_>,
    carried: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT negotiation_id FROM messages WHERE carried_message_id = ? LIMIT 1",
    )
    .bind(carried)
    .fetch_optional(ex)
    .await?)
}

/// When the newest delivery from webhook `source` arrived, if one ever did.
pub async fn last_delivery_at(
    ex: impl SqliteExecutor<'_>,
    source: &str,
) -> Result<Option<jiff::Timestamp>, StoreError> {
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(received_at) FROM webhook_deliveries WHERE source = ?")
            .bind(source)
            .fetch_one(ex)
            .await?;
    newest
        .map(|ms| crate::from_ms(ms, "webhook_deliveries", "received_at"))
        .transpose()
}
