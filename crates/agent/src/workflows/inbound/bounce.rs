//! Delivery failures of our emails. A bounce counts only when it names one of our messages
//! (by its Message-ID, the thread, or the ids it answers) and an address we wrote to in that
//! negotiation, so a forged or stray notice can neither suppress an address nor move a deal.
//! A permanent failure suppresses the address and puts the negotiation in a person's hands; a
//! temporary one is filed (the mail system keeps trying, and the follow-up goes out as planned).

use negotiator_domain::{Decision, EmailAddress, Undelivered, bounced};
use negotiator_reading::kind::{Bounce, BounceSeverity};
use negotiator_store::{
    Direction, EventType, NewAuditEntry, SuppressionReason, find_message_by_rfc_id, get_negotiation,
};
use serde_json::{Map, Value};

use super::read::{Arrived, Read};
use super::{Handled, route};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::named_side::NamedSide;
use crate::tasks::JobKey;
use crate::workflows::commit::{Actor, Extra, Received, Step, audit_and_notify, commit};
use crate::workflows::{Loaded, allowance, notices};

/// Acts on a delivery status notification.
pub(super) async fn bounce(
    agent: &Agent,
    thread_id: Option<&str>,
    email: Read,
    bounce: &Bounce,
) -> Result<Handled, AgentError> {
    let Some(row) = negotiation_of(agent, thread_id, &email, bounce).await? else {
        return unmatched(agent, &email, bounce, "it names none of the agent's emails").await;
    };
    let loaded = Loaded::from_row(agent, row).await?;
    let side = NamedSide::of(agent.store.db(), &loaded.row).await?;
    let recipient = match &bounce.recipient {
        Some(text) => EmailAddress::parse(text).ok(),
        None => Some(side.influencer().clone()),
    };
    let Some(recipient) = recipient.filter(|r| side.is_their_side(r)) else {
        let why = format!(
            "it is in the thread with {}, but names an address the agent did not write to ({})",
            loaded.row.influencer_name,
            bounce.recipient.as_deref().unwrap_or("none")
        );
        return unmatched(agent, &email, bounce, &why).await;
    };
    let now = agent.now();
    let allowance = allowance(agent, &loaded).await?;
    let mut extras = Vec::new();
    let decision = match bounce.severity {
        BounceSeverity::Temporary => Decision::ignored(
            &loaded.negotiation,
            format!(
                "delivery to {recipient} is delayed{}; the mail system keeps trying and the \
                 follow-up goes out as planned",
                status(bounce)
            ),
        ),
        BounceSeverity::Permanent => {
            extras.push(Extra::Suppress {
                address: recipient.clone(),
                reason: SuppressionReason::Bounce,
                detail: [bounce.status.as_deref(), bounce.diagnostic.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            });
            if recipient == *side.influencer() {
                let undelivered = Undelivered {
                    address: recipient.to_string(),
                    status: bounce.status.clone(),
                    diagnostic: bounce.diagnostic.clone(),
                };
                bounced(
                    &loaded.negotiation,
                    &undelivered,
                    &allowance,
                    &agent.settings.policy,
                    now,
                )
            } else {
                Decision::ignored(
                    &loaded.negotiation,
                    format!(
                        "mail to {recipient}, copied for {}, bounced{}; nobody will copy that \
                         address again",
                        loaded.row.influencer_name,
                        status(bounce)
                    ),
                )
            }
        }
    };
    let arrived = Arrived::new(&loaded, email, now);
    let step = Step {
        received: Some(Received::filed(
            arrived.message,
            EventType::Bounce,
            details(bounce),
        )),
        extras,
        ..Step::by(Actor::Agent)
    };
    Ok(
        match commit(agent, &loaded, decision, &allowance, step).await? {
            Some(done) => Handled::Decided(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}

/// The negotiation whose email bounced: by the bounced Message-ID (ours), then as any reply
/// is matched (thread, then the ids it answers). Never by sender: a mailer daemon is nobody.
async fn negotiation_of(
    agent: &Agent,
    thread_id: Option<&str>,
    email: &Read,
    bounce: &Bounce,
) -> Result<Option<negotiator_store::NegotiationRow>, AgentError> {
    let db = agent.store.db();
    if let Some(id) = &bounce.original_message_id
        && let Some(message) = find_message_by_rfc_id(db, id).await?
        && message.direction == Direction::Sent
    {
        return Ok(get_negotiation(db, message.negotiation_id).await?);
    }
    route::by_thread(agent, thread_id, email).await
}

/// A bounce the agent cannot tie to one of its emails: filed and told to the team, nothing
/// suppressed.
async fn unmatched(
    agent: &Agent,
    email: &Read,
    bounce: &Bounce,
    why: &str,
) -> Result<Handled, AgentError> {
    let mut entry = NewAuditEntry::new(agent.now(), EventType::Bounce)
        .direction(Direction::Received)
        .email_body(email.parsed.body.chars().take(4_000).collect::<String>())
        .meta("from", email.from.clone())
        .meta("subject", email.parsed.subject.clone())
        .meta("message_id", email.rfc_id.clone())
        .meta("matched", false);
    for (key, value) in details(bounce) {
        entry = entry.meta(key, value);
    }
    let notice = notices::unmatched_email(
        &email.from,
        &email.parsed.subject,
        &format!(
            "A delivery failure notice{} was not acted on: {why}. Nothing was suppressed.",
            bounce
                .recipient
                .as_deref()
                .map(|r| format!(" for {r}"))
                .unwrap_or_default()
        ),
    );
    let key = JobKey::Unmatched {
        message_id: email.rfc_id.clone(),
    };
    let mut tx = agent.store.begin_write().await?;
    audit_and_notify(&mut tx, entry, notice, &key).await?;
    tx.commit().await?;
    Ok(Handled::Unmatched)
}

fn status(bounce: &Bounce) -> String {
    bounce
        .status
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default()
}

/// The report's facts, for the audit trail.
fn details(bounce: &Bounce) -> Map<String, Value> {
    let mut details = Map::new();
    let severity = match bounce.severity {
        BounceSeverity::Permanent => "permanent",
        BounceSeverity::Temporary => "temporary",
    };
    details.insert("severity".into(), severity.into());
    for (key, value) in [
        ("status", &bounce.status),
        ("recipient", &bounce.recipient),
        ("diagnostic", &bounce.diagnostic),
        ("original_message_id", &bounce.original_message_id),
    ] {
        if let Some(value) = value {
            details.insert(key.into(), value.clone().into());
        }
    }
    details
}
