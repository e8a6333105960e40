//! Drafts held for review: list, show, approve (through the gate again, then the outbox) or
//! discard (the negotiation then waits for a person).

use jiff::Timestamp;
use negotiator_domain::{EmailPlan, Money, gate, refer};
use negotiator_store::{
    EventType, Message, MessageStatus, NewAuditEntry, get_message, get_negotiation, insert_audit,
    list_messages_by_status, update_message_status,
};
use serde::Serialize;

use super::commit::{Actor, Extra, Step, commit};
use super::{Loaded, flexibility};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{Task, queue};

/// A draft as a reviewer sees it.
#[derive(Clone, Debug, Serialize)]
pub struct Draft {
    pub message_id: i64,
    pub negotiation_id: i64,
    pub campaign_id: String,
    pub influencer: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: MessageStatus,
    /// opening, counter, agreement, follow_up, decline.
    pub kind: String,
    /// Why the agent wrote it.
    pub reason: String,
    pub our_rate: Option<Money>,
    pub their_rate: Option<Money>,
    pub created_at: Timestamp,
    #[serde(skip)]
    plan: Option<EmailPlan>,
}

async fn draft_of(agent: &Agent, message: Message) -> Result<Draft, AgentError> {
    let row = get_negotiation(agent.store.pool(), message.negotiation_id)
        .await?
        .ok_or_else(|| AgentError::corrupt("a draft's negotiation is missing"))?;
    let text = |key: &str| {
        message
            .metadata
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let plan: Option<EmailPlan> = message
        .metadata
        .get("plan")
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    Ok(Draft {
        message_id: message.message_id,
        negotiation_id: message.negotiation_id,
        campaign_id: row.campaign_id,
        influencer: row.influencer_name,
        to: message.to_addr.clone(),
        subject: message.subject.clone(),
        kind: text("kind"),
        reason: text("reason"),
        our_rate: plan.as_ref().and_then(|p| p.our_rate),
        their_rate: plan.as_ref().and_then(|p| p.their_rate),
        body: message.body,
        status: message.status,
        created_at: message.occurred_at,
        plan,
    })
}

/// Every draft waiting for review, oldest first.
pub async fn list(agent: &Agent) -> Result<Vec<Draft>, AgentError> {
    let mut drafts = Vec::new();
    for message in list_messages_by_status(agent.store.pool(), MessageStatus::Draft).await? {
        drafts.push(draft_of(agent, message).await?);
    }
    Ok(drafts)
}

/// One outbound message by id (a draft, or what became of it).
pub async fn show(agent: &Agent, message_id: i64) -> Result<Draft, AgentError> {
    let message = get_message(agent.store.pool(), message_id)
        .await?
        .filter(|m| m.direction == negotiator_store::Direction::Sent)
        .ok_or(AgentError::NotFound {
            what: "draft",
            id: message_id.to_string(),
            hint: "; `negotiator drafts list` shows the drafts waiting for review",
        })?;
    draft_of(agent, message).await
}

async fn waiting(agent: &Agent, message_id: i64) -> Result<Draft, AgentError> {
    let draft = show(agent, message_id).await?;
    if draft.status != MessageStatus::Draft {
        return Err(AgentError::Invalid(format!(
            "message {message_id} is not waiting for review (it is {}); `negotiator drafts \
             list` shows the drafts that are",
            draft.status
        )));
    }
    Ok(draft)
}

/// Sends a draft: it passes the validation gate again, then goes out through the outbox.
pub async fn approve(agent: &Agent, message_id: i64, by: &str) -> Result<Draft, AgentError> {
    let draft = waiting(agent, message_id).await?;
    let plan = draft.plan.as_ref().ok_or_else(|| {
        AgentError::corrupt(format!(
            "draft {message_id} has no plan to check it against"
        ))
    })?;
    gate::check(&draft.body, plan, &agent.settings.gate)?;
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    update_message_status(&mut tx, message_id, MessageStatus::Pending, None).await?;
    queue(
        &mut tx,
        &Task::SendEmail { message_id },
        &format!("message:{message_id}"),
        now,
    )
    .await?;
    let entry = NewAuditEntry::new(now, EventType::DraftApproved)
        .campaign(draft.campaign_id.clone())
        .influencer(draft.influencer.clone())
        .email_body(draft.body.clone())
        .meta("message_id", message_id)
        .meta("kind", draft.kind.clone())
        .meta("by", by);
    insert_audit(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Draft {
        status: MessageStatus::Pending,
        ..draft
    })
}

/// Throws a draft away. The negotiation then waits for a person (unless it is finished), who
/// decides what to send instead.
pub async fn discard(agent: &Agent, message_id: i64, by: &str) -> Result<Draft, AgentError> {
    let draft = waiting(agent, message_id).await?;
    let loaded = Loaded::by_id(agent, draft.negotiation_id).await?;
    let flexibility = flexibility(agent, &loaded).await?;
    let now = agent.now();
    let reason = format!(
        "{by} discarded the {} email; a person decides what to send instead",
        draft.kind.replace('_', " ")
    );
    let decision = refer(
        &loaded.negotiation,
        None,
        &reason,
        &flexibility,
        &agent.settings.policy,
        now,
    );
    let mut step = Step::by(Actor::Person(by.to_owned()));
    step.extras.push(Extra::DiscardDraft(message_id));
    step.extras.push(Extra::Audit(
        NewAuditEntry::new(now, EventType::DraftDiscarded)
            .campaign(draft.campaign_id.clone())
            .influencer(draft.influencer.clone())
            .email_body(draft.body.clone())
            .meta("message_id", message_id)
            .meta("kind", draft.kind.clone())
            .meta("by", by),
    ));
    commit(agent, &loaded, decision, &flexibility, step).await?;
    Ok(Draft {
        status: MessageStatus::Discarded,
        ..draft
    })
}
