//! Which negotiation an inbound email belongs to, and what happens to one that belongs to none.

use negotiator_domain::NegotiationState;
use negotiator_store::{
    Direction, EventType, NewAuditEntry, find_message_by_rfc_id, find_negotiation_by_thread,
    find_negotiations_by_influencer, get_negotiation, negotiation_of_carried_id,
};

use super::Handled;
use super::read::Read;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::JobKey;
use crate::workflows::commit::audit_and_notify;
use crate::workflows::notices;

/// The negotiation an email belongs to: by the mailbox's thread, then by the messages it
/// answers, then by its sender when exactly one open negotiation has that address.
pub(super) async fn negotiation_of(
    agent: &Agent,
    thread_id: Option<&str>,
    email: &Read,
) -> Result<Option<negotiator_store::NegotiationRow>, AgentError> {
    if let Some(row) = by_thread(agent, thread_id, email).await? {
        return Ok(Some(row));
    }
    let open: Vec<_> = find_negotiations_by_influencer(agent.store.db(), &email.from)
        .await?
        .into_iter()
        .filter(|row| {
            row.state
                .parse::<NegotiationState>()
                .is_ok_and(|s| !s.is_terminal())
        })
        .collect();
    Ok(match <[_; 1]>::try_from(open) {
        Ok([only]) => Some(only),
        Err(_) => None,
    })
}

/// The negotiation of the mailbox's thread, else of the first of our messages the email
/// answers.
pub(super) async fn by_thread(
    agent: &Agent,
    thread_id: Option<&str>,
    email: &Read,
) -> Result<Option<negotiator_store::NegotiationRow>, AgentError> {
    let db = agent.store.db();
    if let Some(thread) = thread_id
        && let Some(row) = find_negotiation_by_thread(db, thread).await?
    {
        return Ok(Some(row));
    }
    let answered = email
        .parsed
        .in_reply_to
        .iter()
        .chain(email.parsed.references.iter().rev());
    for id in answered {
        if let Some(message) = find_message_by_rfc_id(db, id).await? {
            return Ok(get_negotiation(db, message.negotiation_id).await?);
        }
        // Our send as the provider renamed it (Gmail may replace the Message-ID we wrote).
        if let Some(negotiation_id) = negotiation_of_carried_id(db, id).await? {
            return Ok(get_negotiation(db, negotiation_id).await?);
        }
    }
    Ok(None)
}

/// Keeps an email that matches no negotiation in the audit trail and tells the team.
pub(super) async fn unmatched(agent: &Agent, email: &Read) -> Result<Handled, AgentError> {
    let entry = NewAuditEntry::new(agent.now(), EventType::EmailReceived)
        .direction(Direction::Received)
        .email_body(email.parsed.body.clone())
        .meta("from", email.from.clone())
        .meta("subject", email.parsed.subject.clone())
        .meta("message_id", email.rfc_id.clone())
        .meta("matched", false);
    let notice = notices::unmatched_email(
        &email.from,
        &email.parsed.subject,
        "It is not a reply in any thread the agent started, and its sender is not in exactly \
         one open negotiation.",
    );
    let key = JobKey::Unmatched {
        message_id: email.rfc_id.clone(),
    };
    let mut tx = agent.store.begin_write().await?;
    audit_and_notify(&mut tx, entry, notice, &key).await?;
    tx.commit().await?;
    Ok(Handled::Unmatched)
}
