//! Email messages: drafts awaiting review, outbound sends (Message-ID stored first) and replies.

use jiff::Timestamp;
use negotiator_domain::string_enum;
use rusqlite::{Row, params};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::db::{execute, query_all, query_one};
use crate::{Db, Direction, StoreError, from_json, from_ms, parse_enum, to_ms};

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

/// The columns [`Message::from_row`] reads, in its order.
macro_rules! columns {
    () => {
        "message_id, negotiation_id, direction, rfc_message_id, thread_id, \
         from_addr, to_addr, subject, body, status, metadata, occurred_at, for_step"
    };
}

impl Message {
    /// Decodes a row selected as `columns!`.
    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let direction: String = row.get(2)?;
        let status: String = row.get(9)?;
        let metadata: String = row.get(10)?;
        Ok(Message {
            message_id: row.get(0)?,
            negotiation_id: row.get(1)?,
            direction: parse_enum(&direction, "messages", "direction")?,
            rfc_message_id: row.get(3)?,
            thread_id: row.get(4)?,
            from_addr: row.get(5)?,
            to_addr: row.get(6)?,
            subject: row.get(7)?,
            body: row.get(8)?,
            status: parse_enum(&status, "messages", "status")?,
            metadata: from_json(&metadata, "messages", "metadata")?,
            occurred_at: from_ms(row.get(11)?, "messages", "occurred_at")?,
            for_step: row.get(12)?,
        })
    }
}

/// Stores a message and returns its id, or `None` if a message with the same
/// `rfc_message_id` is already stored (a redelivered reply, a replayed send).
pub async fn insert_message(db: impl Db, message: &NewMessage) -> Result<Option<i64>, StoreError> {
    let direction = message.direction.as_str();
    let status = message.status.as_str();
    let metadata = serde_json::to_string(&message.metadata)?;
    let at = to_ms(message.occurred_at);
    db.with(|conn| {
        let changed = execute(
            conn,
            "INSERT INTO messages (negotiation_id, direction, rfc_message_id, thread_id, from_addr,
                                   to_addr, subject, body, status, metadata, occurred_at, for_step)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (rfc_message_id) DO NOTHING",
            params![
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
            ],
        )?;
        Ok((changed == 1).then(|| conn.last_insert_rowid()))
    })
}

/// Sets a message's status, and its thread id when one is given (a first send learns it).
/// Fails with [`StoreError::NotFound`] for an unknown id.
pub async fn update_message_status(
    db: impl Db,
    message_id: i64,
    status: MessageStatus,
    thread_id: Option<&str>,
) -> Result<(), StoreError> {
    let status = status.as_str();
    let changed = db.with(|conn| {
        execute(
            conn,
            "UPDATE messages SET status = ?, thread_id = COALESCE(?, thread_id) WHERE message_id = ?",
            params![status, thread_id, message_id],
        )
    })?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "message",
            id: message_id.to_string(),
            detail: "",
        });
    }
    Ok(())
}

/// The message with this id, if any.
pub async fn get_message(db: impl Db, message_id: i64) -> Result<Option<Message>, StoreError> {
    let sql = concat!("SELECT ", columns!(), " FROM messages WHERE message_id = ?");
    db.with(|conn| query_one(conn, sql, [message_id], Message::from_row))
}

/// The message with this RFC 5322 Message-ID, if any.
pub async fn find_message_by_rfc_id(
    db: impl Db,
    rfc_message_id: &str,
) -> Result<Option<Message>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM messages WHERE rfc_message_id = ?"
    );
    db.with(|conn| query_one(conn, sql, [rfc_message_id], Message::from_row))
}

/// The messages of a negotiation, oldest first.
pub async fn list_messages(db: impl Db, negotiation_id: i64) -> Result<Vec<Message>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM messages WHERE negotiation_id = ? ORDER BY occurred_at, message_id"
    );
    db.with(|conn| query_all(conn, sql, [negotiation_id], Message::from_row))
}

/// Every message with this status, oldest first: drafts awaiting review, pending sends to check
/// after a crash.
pub async fn list_messages_by_status(
    db: impl Db,
    status: MessageStatus,
) -> Result<Vec<Message>, StoreError> {
    let status = status.as_str();
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM messages WHERE status = ? ORDER BY occurred_at, message_id"
    );
    db.with(|conn| query_all(conn, sql, [status], Message::from_row))
}

/// Marks every draft of a negotiation written for a step before `step` as superseded, and
/// returns their ids: a later decision replaced them, and they can never be sent.
pub async fn supersede_drafts(
    db: impl Db,
    negotiation_id: i64,
    step: i64,
) -> Result<Vec<i64>, StoreError> {
    db.with(|conn| {
        query_all(
            conn,
            "UPDATE messages SET status = 'superseded'
             WHERE negotiation_id = ? AND status = 'draft' AND COALESCE(for_step, -1) < ?
             RETURNING message_id",
            params![negotiation_id, step],
            |row| Ok(row.get::<_, i64>(0)?),
        )
    })
}

/// The drafts of a negotiation still waiting for review, oldest first.
pub async fn list_drafts(db: impl Db, negotiation_id: i64) -> Result<Vec<Message>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM messages WHERE negotiation_id = ? AND status = 'draft'
         ORDER BY occurred_at, message_id"
    );
    db.with(|conn| query_all(conn, sql, [negotiation_id], Message::from_row))
}
