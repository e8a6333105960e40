//! Inbound mail: taken from the mailbox into the durable queue, then matched to its
//! negotiation and answered: a team member's reply is a takeover, the influencer's is read
//! and decided on.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use negotiator_domain::{ClassifiedReply, Confidence, HumanAction, Intent, decide, resolve};
use negotiator_store::{
    Direction, EventType, MessageStatus, NewAuditEntry, NewMessage, find_message_by_rfc_id,
    find_negotiation_by_thread, find_negotiations_by_influencer, get_negotiation,
};

use super::commit::{Actor, Committed, Received, Step, audit_and_notify, commit};
use super::human::records;
use super::{Loaded, flexibility, notices};
use crate::agent::Agent;
use crate::classify::ReplyContext;
use crate::error::AgentError;
use crate::mail::{InboundEmail, new_text, parse_message};
use crate::tasks::{Task, queue};

/// Moves every new message from the mailbox into the job queue, then acknowledges it. A
/// message is acknowledged only after its job is stored, so a crash in between only means it
/// is queued again (and deduplicated). Returns how many were new.
pub async fn poll_inbox(agent: &Agent) -> Result<usize, AgentError> {
    let mailbox = &agent.adapters.mailbox;
    let mut new = 0;
    for raw in mailbox.fetch_new().await? {
        let key = parse_message(&raw.raw)
            .ok()
            .and_then(|m| m.message_id)
            .unwrap_or_else(|| format!("provider:{}", raw.provider_id));
        let task = Task::HandleInbound {
            provider_id: raw.provider_id.clone(),
            thread_id: raw.thread_id.clone(),
            raw_base64: STANDARD.encode(&raw.raw),
        };
        let mut tx = agent.store.begin_write().await?;
        if queue(&mut tx, &task, &format!("inbound:{key}"), agent.now()).await? {
            new += 1;
        }
        tx.commit().await?;
        mailbox.acknowledge(&raw).await?;
    }
    Ok(new)
}

/// What became of one inbound email.
#[derive(Clone, Debug)]
pub enum Handled {
    /// Read and decided on.
    Decided(Box<Committed>),
    /// A team member wrote in the thread: the agent stepped back.
    TakenOver(Box<Committed>),
    /// The agent's own message (mailboxes list sent mail too).
    OwnMail,
    /// Already handled before.
    Duplicate,
    /// It matches no negotiation; the team was told.
    Unmatched,
    /// It could not be parsed; the team was told.
    Unreadable,
}

pub async fn handle_inbound(
    agent: &Agent,
    provider_id: &str,
    thread_id: Option<&str>,
    raw_base64: &str,
) -> Result<Handled, AgentError> {
    let now = agent.now();
    let raw = STANDARD.decode(raw_base64).map_err(AgentError::corrupt)?;
    let parsed = parse_message(&raw)
        .map_err(|e| e.to_string())
        .and_then(
            |email| match email.from.as_ref().map(|m| m.address.clone()) {
                Some(from) if !from.is_empty() => Ok((email, from)),
                _ => Err("it has no sender address".to_owned()),
            },
        );
    let (email, from) = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => {
            let entry = NewAuditEntry::new(now, EventType::Error)
                .email_body(
                    String::from_utf8_lossy(&raw)
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
                &format!(
                    "An inbound email could not be read ({problem}); it is kept in the mailbox."
                ),
            );
            let mut tx = agent.store.begin_write().await?;
            audit_and_notify(&mut tx, entry, notice, &format!("unreadable:{provider_id}")).await?;
            tx.commit().await?;
            return Ok(Handled::Unreadable);
        }
    };
    if agent.settings.is_agent(&from) {
        return Ok(Handled::OwnMail);
    }
    let rfc_id = email
        .message_id
        .clone()
        .unwrap_or_else(|| format!("{provider_id}@inbound.invalid"));
    if find_message_by_rfc_id(agent.store.pool(), &rfc_id)
        .await?
        .is_some()
    {
        return Ok(Handled::Duplicate);
    }
    let Some(row) = match_negotiation(agent, thread_id, &email, &from).await? else {
        let entry = NewAuditEntry::new(now, EventType::EmailReceived)
            .direction(Direction::Received)
            .email_body(email.body.clone())
            .meta("from", from.clone())
            .meta("subject", email.subject.clone())
            .meta("message_id", rfc_id.clone())
            .meta("matched", false);
        let notice = notices::unmatched_email(
            &from,
            &email.subject,
            "It is not a reply in any thread the agent started, and its sender is not in exactly \
             one open negotiation.",
        );
        let mut tx = agent.store.begin_write().await?;
        audit_and_notify(&mut tx, entry, notice, &format!("unmatched:{rfc_id}")).await?;
        tx.commit().await?;
        return Ok(Handled::Unmatched);
    };
    let loaded = Loaded::from_row(agent, row).await?;
    // What they wrote themselves; a reply that only quotes us is kept whole for the record.
    let fresh = new_text(&email.body);
    let text = fresh
        .clone()
        .unwrap_or_else(|| email.body.trim().to_owned());
    let message = NewMessage {
        negotiation_id: loaded.row.negotiation_id,
        direction: Direction::Received,
        rfc_message_id: Some(rfc_id),
        thread_id: loaded.row.thread_id.clone(),
        from_addr: from.clone(),
        to_addr: email
            .to
            .iter()
            .map(|m| m.address.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        subject: email.subject.clone(),
        body: text.clone(),
        status: MessageStatus::Received,
        metadata: serde_json::Map::new(),
        occurred_at: now,
    };
    let flexibility = flexibility(agent, &loaded).await?;
    let policy = &agent.settings.policy;

    if agent.settings.is_team_member(&from) {
        let mut step = Step::by(Actor::Person(from.clone()));
        let decision = if loaded.negotiation.human_controlled() {
            negotiator_domain::Decision::ignored(
                &loaded.negotiation,
                "a person already holds the thread",
            )
        } else {
            let decision = resolve(
                &loaded.negotiation,
                HumanAction::TakeOver,
                &flexibility,
                policy,
                now,
            )?;
            step.extras = records(
                &loaded,
                &decision,
                HumanAction::TakeOver,
                &from,
                Some("replied in the thread"),
                now,
            );
            decision
        };
        step.received = Some(Received {
            message,
            reply: None,
        });
        return Ok(
            match commit(agent, &loaded, decision, &flexibility, step).await? {
                Some(done) => Handled::TakenOver(Box::new(done)),
                None => Handled::Duplicate,
            },
        );
    }

    let reply = match fresh {
        Some(text) => {
            let context = ReplyContext {
                text,
                subject: email.subject.clone(),
                platform: loaded.negotiation.platform(),
                our_offer: loaded.negotiation.current_offer(),
                deliverables: loaded.negotiation.deliverables().to_vec(),
            };
            agent.adapters.classifier.classify(&context).await?
        }
        // Nothing of their own: a person looks rather than the agent reading our quoted offer.
        None => ClassifiedReply {
            intent: Intent::Unclear,
            proposed_rate: None,
            deliverables: Vec::new(),
            confidence: Confidence::from_percent(0),
            hostile: None,
            legal: None,
            unusual_deliverables: None,
            summary: "the reply has no text of its own, only quoted material".to_owned(),
            text,
        },
    };
    let decision = decide(&loaded.negotiation, &reply, &flexibility, policy, now);
    let step = Step {
        actor: Actor::Agent,
        received: Some(Received {
            message,
            reply: Some(reply),
        }),
        extras: Vec::new(),
    };
    Ok(
        match commit(agent, &loaded, decision, &flexibility, step).await? {
            Some(done) => Handled::Decided(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}

/// The negotiation an email belongs to: by the mailbox's thread, then by the messages it
/// answers, then by its sender when exactly one open negotiation has that address.
async fn match_negotiation(
    agent: &Agent,
    thread_id: Option<&str>,
    email: &InboundEmail,
    from: &str,
) -> Result<Option<negotiator_store::Negotiation>, AgentError> {
    let pool = agent.store.pool();
    if let Some(thread) = thread_id
        && let Some(row) = find_negotiation_by_thread(pool, thread).await?
    {
        return Ok(Some(row));
    }
    let answered = email
        .in_reply_to
        .iter()
        .chain(email.references.iter().rev());
    for id in answered {
        if let Some(message) = find_message_by_rfc_id(pool, id).await? {
            return Ok(get_negotiation(pool, message.negotiation_id).await?);
        }
    }
    let open: Vec<_> = find_negotiations_by_influencer(pool, from)
        .await?
        .into_iter()
        .filter(|row| {
            row.state
                .parse::<negotiator_domain::NegotiationState>()
                .is_ok_and(|s| !s.is_terminal())
        })
        .collect();
    Ok(match <[_; 1]>::try_from(open) {
        Ok([only]) => Some(only),
        Err(_) => None,
    })
}
