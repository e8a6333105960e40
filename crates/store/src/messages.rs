//! Email messages: drafts awaiting review, outbound sends (Message-ID stored first) and replies.

use jiff::Timestamp;
use negotiator_domain::string_enum;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::{Direction, StoreError, from_json, from_ms, parse_enum, to_ms};

string_enum! {
    /// Where a message is in its life.
    pub enum MessageStatus ("message status") {
        /// Waiting for a reviewer.
        Draft => "draft",
        /// Approved or automatic, about to be sent (outcome unknown after a crash).
        Pending => "pending",
        /// Accepted by the mail provider.
        Sent => "sent",
        /// Came in from the influencer.
        Received => "received",
        /// A reviewer threw the draft away.
        Discarded => "discarded",
        /// A later decision on the negotiation replaced the draft; it can never be sent.
        Superseded => "superseded",
    }
}

/// A message to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// The negotiation it belongs to.
    pub negotiation_id: i64,
    /// Outbound or inbound.
    pub direction: Direction,
    /// The RFC 5322 Message-ID (ours for outbound, generated before sending).
    pub rfc_message_id: Option<String>,
    /// The provider's thread id, when known.
    pub thread_id: Option<String>,
    /// Sender address.
    pub from_addr: String,
    /// Recipient address(es).
    pub to_addr: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Initial status.
    pub status: MessageStatus,
    /// Extra data, e.g. a draft's decision and reasoning.
    pub metadata: Map<String, Value>,
    /// When it was written or received.
    pub occurred_at: Timestamp,
    /// For a draft: the negotiation's step it was written for.
    pub for_step: Option<i64>,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Its key.
    pub message_id: i64,
    /// The negotiation it belongs to.
    pub negotiation_id: i64,
    /// Outbound or inbound.
    pub direction: Direction,
    /// The RFC 5322 Message-ID.
    pub rfc_message_id: Option<String>,
    /// The provider's thread id.
    pub thread_id: Option<String>,
    /// Sender address.
    pub from_addr: String,
    /// Recipient address(es).
    pub to_addr: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Current status.
    pub status: MessageStatus,
    /// Extra data.
    pub metadata: Map<String, Value>,
    /// When it was written or received.
    pub occurred_at: Timestamp,
    /// For a draft: the negotiation's step it was written for.
    pub for_step: Option<i64>,
}

struct MessageRow {
    message_id: i64,
    negotiation_id: i64,
    direction: String,
    rfc_message_id: Option<String>,
    thread_id: Option<String>,
    from_addr: String,
    to_addr: String,
    subject: String,
    body: String,
    status: String,
    metadata: String,
    occurred_at: i64,
    for_step: Option<i64>,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;

    fn try_from(row: MessageRow) -> Result<Self, StoreError> {
        Ok(Message {
            message_id: row.message_id,
            negotiation_id: row.negotiation_id,
            direction: parse_enum(&row.direction, "messages", "direction")?,
            rfc_message_id: row.rfc_message_id,
            thread_id: row.thread_id,
            from_addr: row.from_addr,
            to_addr: row.to_addr,
            subject: row.subject,
            body: row.body,
            status: parse_enum(&row.status, "messages", "status")?,
            metadata: from_json(&row.metadata, "messages", "metadata")?,
            occurred_at: from_ms(row.occurred_at, "messages", "occurred_at")?,
            for_step: row.for_step,
        })
    }
}

/// Stores a message and returns its id, or `None` if a message with the same
/// `rfc_message_id` is already stored (a redelivered reply, a replayed send).
pub async fn insert_message(
    conn: &mut SqliteConnection,
    message: &NewMessage,
) -> Result<Option<i64>, StoreError> {
    let direction = message.direction.as_str();
    let status = message.status.as_str();
    let metadata = serde_json::to_string(&message.metadata)?;
    let at = to_ms(message.occurred_at);
    let done = sqlx::query!(
        "INSERT INTO messages (negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                               to_addr, subject, body, status, metadata, occurred_at, for_step)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rfc_message_id) DO NOTHING",
        message.negotiation_id,
        direction,
        message.rfc_message_id,
        message.thread_id,
        message.from_addr,
        message.to_addr,
        message.subject,
        message.body,
        status,
        metadata,
        at,
        message.for_step
    )
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then(|| done.last_insert_rowid()))
}

/// Sets a message's status, and its thread id when one is given (a first send learns it).
/// Fails with [`StoreError::NotFound`] for an unknown id.
pub async fn update_message_status(
    conn: &mut SqliteConnection,
    message_id: i64,
    status: MessageStatus,
    thread_id: Option<&str>,
) -> Result<(), StoreError> {
    let status = status.as_str();
    let done = sqlx::query!(
        "UPDATE messages SET status = ?, thread_id = COALESCE(?, thread_id) WHERE message_id = ?",
        status,
        thread_id,
        message_id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "message",
            id: message_id.to_string(),
            detail: "",
        });
    }
    Ok(())
}

/// The message with this id, if any.
pub async fn get_message(
    ex: impl SqliteExecutor<'_>,
    message_id: i64,
) -> Result<Option<Message>, StoreError> {
    sqlx::query_as!(
        MessageRow,
        "SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                to_addr, subject, body, status, metadata, occurred_at, for_step
         FROM messages WHERE message_id = ?",
        message_id
    )
    .fetch_optional(ex)
    .await?
    .map(Message::try_from)
    .transpose()
}

/// The message with this RFC 5322 Message-ID, if any.
pub async fn find_message_by_rfc_id(
    ex: impl SqliteExecutor<'_>,
    rfc_message_id: &str,
) -> Result<Option<Message>, StoreError> {
    sqlx::query_as!(
        MessageRow,
        "SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                to_addr, subject, body, status, metadata, occurred_at, for_step
         FROM messages WHERE rfc_message_id = ?",
        rfc_message_id
    )
    .fetch_optional(ex)
    .await?
    .map(Message::try_from)
    .transpose()
}

/// The messages of a negotiation, oldest first.
pub async fn list_messages(
    ex: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<Vec<Message>, StoreError> {
    sqlx::query_as!(
        MessageRow,
        "SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                to_addr, subject, body, status, metadata, occurred_at, for_step
         FROM messages WHERE negotiation_id = ? ORDER BY occurred_at, message_id",
        negotiation_id
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(Message::try_from)
    .collect()
}

/// Every message with this status, oldest first: drafts awaiting review, pending sends to check
/// after a crash.
pub async fn list_messages_by_status(
    ex: impl SqliteExecutor<'_>,
    status: MessageStatus,
) -> Result<Vec<Message>, StoreError> {
    let status = status.as_str();
    sqlx::query_as!(
        MessageRow,
        "SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                to_addr, subject, body, status, metadata, occurred_at, for_step
         FROM messages WHERE status = ? ORDER BY occurred_at, message_id",
        status
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(Message::try_from)
    .collect()
}

/// Marks every draft of a negotiation written for a step before `step` as superseded, and
/// returns their ids: a later decision replaced them, and they can never be sent.
pub async fn supersede_drafts(
    conn: &mut SqliteConnection,
    negotiation_id: i64,
    step: i64,
) -> Result<Vec<i64>, StoreError> {
    let ids = sqlx::query_scalar!(
        "UPDATE messages SET status = 'superseded'
         WHERE negotiation_id = ? AND status = 'draft' AND COALESCE(for_step, -1) < ?
         RETURNING message_id",
        negotiation_id,
        step
    )
    .fetch_all(conn)
    .await?;
    Ok(ids)
}

/// The drafts of a negotiation still waiting for review, oldest first.
pub async fn list_drafts(
    ex: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<Vec<Message>, StoreError> {
    sqlx::query_as!(
        MessageRow,
        "SELECT message_id, negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                to_addr, subject, body, status, metadata, occurred_at, for_step
         FROM messages WHERE negotiation_id = ? AND status = 'draft'
         ORDER BY occurred_at, message_id",
        negotiation_id
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(Message::try_from)
    .collect()
}
