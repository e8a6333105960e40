//! Gmail as it behaves: the Message-IDs sent emails really carry (the provider may replace
//! ours), and when its last push arrived.

use std::collections::HashMap;

use crate::db::{execute, query_all, query_one};
use crate::{Db, StoreError};

/// Records that message `message_id` went out carrying the Message-ID `carried`.
pub async fn set_carried_message_id(
    db: impl Db,
    message_id: i64,
    carried: &str,
) -> Result<(), StoreError> {
    db.with(|conn| {
        execute(
            conn,
            "UPDATE messages SET carried_message_id = ?1 WHERE message_id = ?2",
            rusqlite::params![carried, message_id],
        )
    })?;
    Ok(())
}

/// The carried Message-IDs of a negotiation's messages, by message id (only those recorded).
pub async fn carried_message_ids(
    db: impl Db,
    negotiation_id: i64,
) -> Result<HashMap<i64, String>, StoreError> {
    let rows = db.with(|conn| {
        query_all(
            conn,
            "SELECT message_id, carried_message_id FROM messages
             WHERE negotiation_id = ? AND carried_message_id IS NOT NULL",
            [negotiation_id],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
    })?;
    Ok(rows.into_iter().collect())
}

/// The negotiation of the sent message that carries Message-ID `carried`, if any.
pub async fn negotiation_of_carried_id(
    db: impl Db,
    carried: &str,
) -> Result<Option<i64>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT negotiation_id FROM messages WHERE carried_message_id = ? LIMIT 1",
            [carried],
            |row| Ok(row.get(0)?),
        )
    })
}

/// When the newest delivery from webhook `source` arrived, if one ever did.
pub async fn last_delivery_at(
    db: impl Db,
    source: &str,
) -> Result<Option<jiff::Timestamp>, StoreError> {
    let newest: Option<i64> = db
        .with(|conn| {
            query_one(
                conn,
                "SELECT MAX(received_at) FROM webhook_deliveries WHERE source = ?",
                [source],
                |row| Ok(row.get(0)?),
            )
        })?
        .flatten();
    newest
        .map(|ms| crate::from_ms(ms, "webhook_deliveries", "received_at"))
        .transpose()
}
