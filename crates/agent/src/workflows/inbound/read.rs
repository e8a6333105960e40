//! Reading an inbound email: its sender and Message-ID, the text they wrote themselves, and
//! what is stored of it; an email that cannot be read is kept and told to the team.

use jiff::Timestamp;
use negotiator_reading::mail::{InboundEmail, new_text, parse_message};
use negotiator_store::{Direction, EventType, MessageStatus, NewAuditEntry, NewMessage};

use super::Handled;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::JobKey;
use crate::workflows::commit::audit_and_notify;
use crate::workflows::{Loaded, notices};

/// An email with a sender, read.
#[derive(Clone, Debug)]
pub(super) struct Read {
    pub parsed: InboundEmail,
    /// The sender's address.
    pub from: String,
    /// Its Message-ID, or one made from the mailbox's id when it has none.
    pub rfc_id: String,
}

/// Parses `raw`; an email without a sender cannot be answered, so it counts as unreadable.
pub(super) fn read(raw: &[u8], provider_id: &str) -> Result<Read, String> {
    let parsed = parse_message(raw).map_err(|e| e.to_string())?;
    let from = parsed
        .from
        .as_ref()
        .map(|m| m.address.clone())
        .filter(|from| !from.is_empty())
        .ok_or_else(|| "it has no sender address".to_owned())?;
    let rfc_id = parsed
        .message_id
        .clone()
        .unwrap_or_else(|| format!("{provider_id}@inbound.invalid"));
    Ok(Read {
        parsed,
        from,
        rfc_id,
    })
}

/// Keeps an unreadable email in the audit trail and tells the team; it stays in the mailbox.
pub(super) async fn unreadable(
    agent: &Agent,
    provider_id: &str,
    raw: &[u8],
    problem: &str,
) -> Result<Handled, AgentError> {
    let entry = NewAuditEntry::new(agent.now(), EventType::Error)
        .email_body(
            String::from_utf8_lossy(raw)
                .chars()
                .take(4_000)
                .collect::<String>(),
        )
        .meta(
            "error",
            format!("an inbound email could not be read: {problem}"),
        )
        .meta("provider_id", provider_id);
    let notice = notices::unmatched_email(
        provider_id,
        "",
        &format!("An inbound email could not be read ({problem}); it is kept in the mailbox."),
    );
    let key = JobKey::Unreadable {
        provider_id: provider_id.to_owned(),
    };
    let mut tx = agent.store.begin_write().await?;
    audit_and_notify(&mut tx, entry, notice, &key).await?;
    tx.commit().await?;
    Ok(Handled::Unreadable)
}

/// An email matched to its negotiation: what they wrote themselves, and the message to store.
#[derive(Clone, Debug)]
pub(super) struct Arrived {
    pub email: Read,
    /// The text they wrote, without quotes and signature; `None` when it only quotes us.
    pub fresh: Option<String>,
    /// As stored: their own text, or the whole body when it has none of its own.
    pub message: NewMessage,
}

impl Arrived {
    pub fn new(loaded: &Loaded, email: Read, now: Timestamp) -> Self {
        let fresh = new_text(&email.parsed.body);
        let text = fresh
            .clone()
            .unwrap_or_else(|| email.parsed.body.trim().to_owned());
        let message = NewMessage {
            negotiation_id: loaded.row.negotiation_id,
            direction: Direction::Received,
            rfc_message_id: Some(email.rfc_id.clone()),
            thread_id: loaded.row.thread_id.clone(),
            from_addr: email.from.clone(),
            to_addr: email
                .parsed
                .to
                .iter()
                .map(|m| m.address.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            subject: email.parsed.subject.clone(),
            body: text,
            status: MessageStatus::Received,
            metadata: serde_json::Map::new(),
            occurred_at: now,
            for_step: None,
        };
        Arrived {
            email,
            fresh,
            message,
        }
    }
}
