//! Drafts held for review: list, show, approve (through the gate again, then the outbox) or
//! discard (the negotiation then waits for a person).

use jiff::Timestamp;
use negotiator_domain::{
    EmailPlan, HistoryEntry, Money, NegotiationEvent, NegotiationState, gate, refer,
};
use negotiator_store::{
    EventType, Message, MessageStatus, NewAuditEntry, get_message, get_negotiation, insert_audit,
    list_drafts, list_messages_by_status, update_message_status,
};
use serde::Serialize;

use super::commit::{Actor, Extra, Step, commit};
use super::{Loaded, allowance};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, queue};

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
    /// The negotiation's step it was written for.
    pub for_step: Option<i64>,
    #[serde(skip)]
    plan: Option<EmailPlan>,
    /// How long the negotiation's history was when it was written.
    #[serde(skip)]
    history_len: Option<usize>,
}

async fn draft_of(agent: &Agent, message: Message) -> Result<Draft, AgentError> {
    let row = get_negotiation(agent.store.db(), message.negotiation_id)
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
        for_step: message.for_step,
        history_len: message
            .metadata
            .get("history_len")
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| usize::try_from(n).ok()),
        plan,
    })
}

/// Every draft waiting for review, oldest first.
pub async fn list(agent: &Agent) -> Result<Vec<Draft>, AgentError> {
    let mut drafts = Vec::new();
    for message in list_messages_by_status(agent.store.db(), MessageStatus::Draft).await? {
        drafts.push(draft_of(agent, message).await?);
    }
    Ok(drafts)
}

/// One outbound message by id (a draft, or what became of it).
pub async fn show(agent: &Agent, message_id: i64) -> Result<Draft, AgentError> {
    let message = get_message(agent.store.db(), message_id)
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
    match draft.status {
        MessageStatus::Draft => Ok(draft),
        MessageStatus::Superseded => {
            let current = current_draft(agent, draft.negotiation_id).await?;
            Err(AgentError::Invalid(format!(
                "draft {message_id} to {} was replaced by a later decision and can never be \
                 sent; {current}",
                draft.influencer
            )))
        }
        status => Err(AgentError::Invalid(format!(
            "message {message_id} is not waiting for review (it is {status}); `negotiator drafts \
             list` shows the drafts that are"
        ))),
    }
}

/// Which draft of a negotiation waits for review now, in words.
async fn current_draft(agent: &Agent, negotiation_id: i64) -> Result<String, AgentError> {
    Ok(
        match list_drafts(agent.store.db(), negotiation_id).await?.last() {
            Some(current) => format!(
                "draft {} is the current one (`negotiator drafts show {}`)",
                current.message_id, current.message_id
            ),
            None => "no draft of theirs waits for review now".to_owned(),
        },
    )
}

/// What happened to a negotiation since a draft was written, in words.
fn changes(since: &[HistoryEntry]) -> String {
    let mut said: Vec<&str> = Vec::new();
    for entry in since {
        let what = match entry.event {
            NegotiationEvent::ReceiveReply => "the influencer replied again",
            NegotiationEvent::TakeOver => "a person took the thread over",
            NegotiationEvent::Release => "a person handed it back",
            NegotiationEvent::Escalate => "it was escalated to a person",
            NegotiationEvent::Accept | NegotiationEvent::HumanApprove => "the deal was agreed",
            NegotiationEvent::Reject | NegotiationEvent::HumanReject => "the negotiation ended",
            NegotiationEvent::Stop => "it was stopped",
            NegotiationEvent::Withdraw => "the influencer withdrew",
            _ => "it moved on",
        };
        if !said.contains(&what) {
            said.push(what);
        }
    }
    if said.is_empty() {
        "it moved on".to_owned()
    } else {
        said.join(", then ")
    }
}

/// Refuses a draft the negotiation has moved on from (another reply, a takeover, the thread
/// closed), or that cannot go out while a person holds the thread or it is paused.
async fn still_current(agent: &Agent, draft: &Draft, loaded: &Loaded) -> Result<(), AgentError> {
    let id = draft.message_id;
    let name = &draft.influencer;
    if draft.for_step.is_some_and(|step| step != loaded.row.step) {
        let history = loaded.negotiation.history();
        let since = draft
            .history_len
            .and_then(|len| history.get(len..))
            .unwrap_or_default();
        let current = current_draft(agent, draft.negotiation_id).await?;
        return Err(AgentError::Invalid(format!(
            "the negotiation with {name} moved on after draft {id} was written ({}; it is now \
             {}), so it can no longer be sent; {current}",
            changes(since),
            loaded.negotiation.state()
        )));
    }
    if loaded.negotiation.human_controlled() {
        return Err(AgentError::Invalid(format!(
            "a person holds the thread with {name}, so draft {id} cannot be sent; hand it back \
             to the agent first (`/resume {name}`)"
        )));
    }
    if loaded.negotiation.state() == NegotiationState::Paused {
        return Err(AgentError::Invalid(format!(
            "the negotiation with {name} is paused, so draft {id} waits; resume it first"
        )));
    }
    Ok(())
}

/// Sends a draft: it must still be the negotiation's current one, it passes the validation
/// gate again (against the budget as it is now), then goes out through the outbox.
#[tracing::instrument(name = "approve_draft", skip_all, fields(message_id = message_id, by = by, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn approve(agent: &Agent, message_id: i64, by: &str) -> Result<Draft, AgentError> {
    let draft = waiting(agent, message_id).await?;
    let plan = draft.plan.as_ref().ok_or_else(|| {
        AgentError::corrupt(format!(
            "draft {message_id} has no plan to check it against"
        ))
    })?;
    let loaded = Loaded::by_id(agent, draft.negotiation_id).await?;
    still_current(agent, &draft, &loaded).await?;
    let allowance = allowance(agent, &loaded).await?;
    gate::check(&draft.body, plan, &allowance.budget, &agent.settings.gate)?;
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    // Checked again under the write lock: a decision committed since the checks above wins.
    let row = get_negotiation(&mut tx, draft.negotiation_id).await?;
    let message = get_message(&mut tx, message_id).await?;
    let unchanged = row.is_some_and(|row| row.version == loaded.row.version)
        && message.is_some_and(|m| m.status == MessageStatus::Draft);
    if !unchanged {
        return Err(AgentError::Invalid(format!(
            "the negotiation with {} changed while draft {message_id} was being approved; \
             look at it again (`negotiator drafts show {message_id}`)",
            draft.influencer
        )));
    }
    update_message_status(&mut tx, message_id, MessageStatus::Pending, None).await?;
    queue(
        &mut tx,
        &Task::SendEmail { message_id },
        &JobKey::Send { message_id },
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
#[tracing::instrument(name = "discard_draft", skip_all, fields(message_id = message_id, by = by, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn discard(agent: &Agent, message_id: i64, by: &str) -> Result<Draft, AgentError> {
    let draft = waiting(agent, message_id).await?;
    let loaded = Loaded::by_id(agent, draft.negotiation_id).await?;
    let allowance = allowance(agent, &loaded).await?;
    let now = agent.now();
    let reason = format!(
        "{by} discarded the {} email; a person decides what to send instead",
        draft.kind.replace('_', " ")
    );
    let decision = refer(
        &loaded.negotiation,
        None,
        &reason,
        &allowance,
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
    commit(agent, &loaded, decision, &allowance, step).await?;
    Ok(Draft {
        status: MessageStatus::Discarded,
        ..draft
    })
}
