//! Carries out a decision through the transactional outbox: the negotiation row, its audit
//! entries, the messages it writes and the jobs for its side effects commit together or not
//! at all. Emails are composed and checked by the validation gate before the transaction; one
//! that fails the gate is never stored for sending: the negotiation goes to a person instead.

use negotiator_domain::{
    ClassifiedReply, Decision, Effect, EmailKind, EmailPlan, Flexibility, Notification, Outcome,
    gate, refer, template,
};
use negotiator_store::{
    CampaignMode, Direction, EventType, Message, MessageStatus, NewAuditEntry, NewMessage,
    insert_audit, insert_message, list_messages, update_message_status, update_negotiation,
};
use serde_json::json;
use sqlx::SqliteConnection;

use super::notices::{self, About};
use super::{Loaded, tracker};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{Task, queue};

/// Who caused a decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Actor {
    #[default]
    /// The agent, on its own.
    Agent,
    /// A person, named as the audit trail should show them.
    Person(String),
}

impl Actor {
    pub fn name(&self) -> &str {
        match self {
            Actor::Agent => "agent",
            Actor::Person(name) => name,
        }
    }
}

/// The inbound email a decision answers, stored in the same transaction.
#[derive(Clone, Debug)]
pub struct Received {
    pub message: NewMessage,
    pub reply: Option<ClassifiedReply>,
}

/// Something else that belongs to the same step and must commit with it.
#[derive(Clone, Debug)]
pub enum Extra {
    Audit(NewAuditEntry),
    Notify {
        notice: crate::notify::Notice,
        key: String,
    },
    /// A reviewer threw this draft away.
    DiscardDraft(i64),
}

/// Why the decision was taken and what else it carries.
#[derive(Clone, Debug, Default)]
pub struct Step {
    pub actor: Actor,
    pub received: Option<Received>,
    pub extras: Vec<Extra>,
}

impl Step {
    pub fn by(actor: Actor) -> Self {
        Step {
            actor,
            ..Step::default()
        }
    }
}

/// What a commit wrote.
#[derive(Clone, Debug)]
pub struct Committed {
    pub row: negotiator_store::Negotiation,
    pub decision: Decision,
    /// Outbound messages stored, with their status (draft or pending).
    pub emails: Vec<(i64, MessageStatus)>,
}

/// What a job's step came to: a committed decision, or nothing to do (and why).
#[derive(Clone, Debug)]
pub enum Stepped {
    Committed(Box<Committed>),
    Nothing { influencer: String, reason: String },
}

impl Stepped {
    pub fn nothing(loaded: &Loaded, reason: String) -> Self {
        Stepped::Nothing {
            influencer: loaded.row.influencer_name.clone(),
            reason,
        }
    }

    /// A commit's result; `None` (a redelivered email) only arises for inbound mail.
    pub fn from(loaded: &Loaded, committed: Option<Committed>) -> Result<Self, AgentError> {
        Ok(match committed {
            Some(done) => Stepped::Committed(Box::new(done)),
            None => Stepped::nothing(loaded, "already handled".to_owned()),
        })
    }
}

/// Writes `decision` for `loaded` (the negotiation as read before deciding). Returns `None`
/// when the step's received email turns out to be already stored (a redelivery).
pub async fn commit(
    agent: &Agent,
    loaded: &Loaded,
    decision: Decision,
    flexibility: &Flexibility,
    step: Step,
) -> Result<Option<Committed>, AgentError> {
    let Step {
        actor,
        received,
        extras,
    } = step;
    let actor = &actor;
    let now = agent.now();
    let settings = &agent.settings;
    let (decision, emails, refused) =
        compose_and_check(agent, loaded, decision, flexibility).await?;

    let mut conversation = list_messages(agent.store.pool(), loaded.row.negotiation_id).await?;
    if let Some(r) = &received {
        conversation.push(as_message(&r.message));
    }

    let mut tx = agent.store.begin_write().await?;
    if let Some(r) = &received
        && insert_message(&mut tx, &r.message).await?.is_none()
    {
        return Ok(None);
    }

    let n = &decision.negotiation;
    let mut row = loaded.row.clone();
    row.state = n.state().as_str().to_owned();
    row.human_controlled = n.human_controlled();
    row.round = i64::from(n.round());
    row.snapshot = serde_json::to_value(n.snapshot()).map_err(AgentError::corrupt)?;
    let version_read = row.version;
    update_negotiation(&mut tx, &mut row, now).await?;

    let audit = |event: EventType| {
        let mut entry = NewAuditEntry::new(now, event)
            .campaign(row.campaign_id.clone())
            .influencer(row.influencer_name.clone())
            .negotiation_state(n.state().as_str());
        if let Some(thread) = &row.thread_id {
            entry = entry.thread(thread.clone());
        }
        entry
    };

    if let Some(r) = &received {
        let mut entry = audit(EventType::EmailReceived)
            .direction(Direction::Received)
            .email_body(r.message.body.clone())
            .meta("from", r.message.from_addr.clone())
            .meta("subject", r.message.subject.clone());
        if let Some(id) = &r.message.rfc_message_id {
            entry = entry.meta("message_id", id.clone());
        }
        if let Some(reply) = &r.reply {
            entry = entry
                .intent(reply.intent.as_str())
                .meta("confidence", reply.confidence.percent())
                .meta("summary", reply.summary.clone());
            if let Some(rate) = reply.proposed_rate {
                entry = entry.rates_used(format!("theirs {rate}"));
            }
        }
        insert_audit(&mut tx, &entry).await?;
    }

    let earlier = loaded.negotiation.history().len();
    let new_steps = n.history().get(earlier..).unwrap_or_default();
    for (i, step) in new_steps.iter().enumerate() {
        let mut entry = audit(EventType::StateTransition)
            .negotiation_state(step.to.as_str())
            .meta("from", step.from.as_str())
            .meta("to", step.to.as_str())
            .meta("event", step.event.as_str())
            .meta("by", actor.name());
        if i + 1 == new_steps.len() {
            entry = entry.meta("reason", decision.reason.clone());
        }
        insert_audit(&mut tx, &entry).await?;
    }

    if let Some((failure, body)) = &refused {
        let entry = audit(EventType::Error)
            .email_body(body.clone())
            .meta("error", failure.clone())
            .meta(
                "action",
                "the email was held back and the negotiation escalated",
            );
        insert_audit(&mut tx, &entry).await?;
    }

    let about_average = if has_agreement(&decision) {
        tracker::campaign_tracker(&mut tx, &row.campaign_id, n.bounds())
            .await?
            .running_average()
    } else {
        None
    };
    let about = About {
        campaign: &loaded.campaign,
        negotiation: n,
        thread_id: row.thread_id.as_deref(),
        conversation: &conversation,
        campaign_average: about_average,
    };

    let follow_up_after = decision.effects.iter().find_map(|e| match e {
        Effect::ScheduleFollowUp { after } => Some(*after),
        _ => None,
    });
    let mut stored = Vec::new();
    for (plan, body) in &emails {
        let hold = loaded.mode == CampaignMode::Review
            || *actor != Actor::Agent
            || plan.kind == EmailKind::Decline;
        let status = if hold {
            MessageStatus::Draft
        } else {
            MessageStatus::Pending
        };
        let rfc_id = format!(
            "{}.{}.{}.{}@{}",
            plan.kind.as_str().replace('_', "-"),
            row.negotiation_id,
            version_read,
            now.as_millisecond(),
            settings.message_id_domain()
        );
        let mut metadata = serde_json::Map::new();
        metadata.insert("kind".into(), json!(plan.kind.as_str()));
        metadata.insert(
            "plan".into(),
            serde_json::to_value(plan).map_err(AgentError::corrupt)?,
        );
        metadata.insert("outcome".into(), json!(decision.outcome.as_str()));
        metadata.insert("reason".into(), json!(decision.reason));
        metadata.insert("by".into(), json!(actor.name()));
        if let Some(after) = follow_up_after {
            metadata.insert("follow_up_after_secs".into(), json!(after.as_secs()));
        }
        let message = NewMessage {
            negotiation_id: row.negotiation_id,
            direction: Direction::Sent,
            rfc_message_id: Some(rfc_id.clone()),
            thread_id: row.thread_id.clone(),
            from_addr: settings.agent_address.clone(),
            to_addr: row.influencer_email.clone(),
            subject: subject(&conversation, &loaded.campaign.client_name),
            body: body.clone(),
            status,
            metadata,
            occurred_at: now,
        };
        let message_id = insert_message(&mut tx, &message).await?.ok_or_else(|| {
            AgentError::corrupt(format!("generated Message-ID {rfc_id} is already stored"))
        })?;
        if hold {
            let entry = audit(EventType::DraftCreated)
                .email_body(body.clone())
                .rates_used(rates(plan))
                .meta("message_id", message_id)
                .meta("kind", plan.kind.as_str())
                .meta("reason", decision.reason.clone());
            insert_audit(&mut tx, &entry).await?;
            let notice = notices::draft_waiting(&about, message_id, &decision.reason, body);
            queue(
                &mut tx,
                &Task::Notify { notice },
                &format!("draft:{message_id}"),
                now,
            )
            .await?;
        } else {
            queue(
                &mut tx,
                &Task::SendEmail { message_id },
                &format!("message:{message_id}"),
                now,
            )
            .await?;
        }
        stored.push((message_id, status));
    }

    for (index, effect) in decision.effects.iter().enumerate() {
        let key = format!("negotiation:{}:v{version_read}:{index}", row.negotiation_id);
        match effect {
            Effect::SendEmail(_) => {}
            Effect::Notify(notification) => {
                if let Notification::Escalation(facts) = notification {
                    let mut entry = audit(EventType::Escalation)
                        .meta("reason", facts.reason.clone())
                        .meta("by", actor.name());
                    entry = entry.rates_used(escalation_rates(facts));
                    if !facts.triggers.is_empty() {
                        entry = entry.meta(
                            "triggers",
                            serde_json::to_value(&facts.triggers).map_err(AgentError::corrupt)?,
                        );
                    }
                    insert_audit(&mut tx, &entry).await?;
                }
                let notice = notices::for_notification(&about, notification);
                queue(&mut tx, &Task::Notify { notice }, &key, now).await?;
            }
            Effect::RecordAgreement {
                rate,
                cpm,
                engagement_pct,
            } => {
                let mut entry = audit(EventType::Agreement)
                    .rates_used(format!("agreed {rate}"))
                    .meta("cpm", cpm.to_string())
                    .meta("by", actor.name());
                if let Some(e) = engagement_pct {
                    entry = entry.meta("engagement_pct", e.to_string());
                }
                insert_audit(&mut tx, &entry).await?;
            }
            Effect::ScheduleFollowUp { after } if emails.is_empty() => {
                let run_at = now.checked_add(*after).unwrap_or(now);
                let task = Task::CheckSilence {
                    negotiation_id: row.negotiation_id,
                };
                let key = format!("silence:{}:{}", row.negotiation_id, run_at.as_millisecond());
                queue(&mut tx, &task, &key, run_at).await?;
            }
            Effect::ScheduleFollowUp { .. } => {}
        }
    }
    for extra in extras {
        match extra {
            Extra::Audit(entry) => {
                insert_audit(&mut tx, &entry).await?;
            }
            Extra::Notify { notice, key } => {
                queue(&mut tx, &Task::Notify { notice }, &key, now).await?;
            }
            Extra::DiscardDraft(message_id) => {
                update_message_status(&mut tx, message_id, MessageStatus::Discarded, None).await?;
            }
        }
    }
    if decision.outcome == Outcome::FollowedUp {
        let entry = audit(EventType::FollowUp)
            .meta("follow_ups_sent", n.follow_ups_sent())
            .meta("reason", decision.reason.clone());
        insert_audit(&mut tx, &entry).await?;
    }

    tx.commit().await?;
    tracing::info!(
        campaign_id = %row.campaign_id,
        influencer = %row.influencer_name,
        thread_id = row.thread_id.as_deref().unwrap_or(""),
        state = n.state().as_str(),
        outcome = decision.outcome.as_str(),
        reason = %decision.reason,
        by = actor.name(),
        "decision"
    );
    Ok(Some(Committed {
        row,
        decision,
        emails: stored,
    }))
}

/// Composes every email of the decision and checks it. If one fails the gate, the decision is
/// replaced by a referral to a person (no email at all), with the failure and the text kept.
async fn compose_and_check(
    agent: &Agent,
    loaded: &Loaded,
    decision: Decision,
    flexibility: &Flexibility,
) -> Result<(Decision, Vec<(EmailPlan, String)>, Option<(String, String)>), AgentError> {
    let settings = &agent.settings;
    let mut emails = Vec::new();
    for plan in decision.effects.iter().filter_map(|e| match e {
        Effect::SendEmail(plan) => Some(plan),
        _ => None,
    }) {
        let body = agent
            .adapters
            .composer
            .compose(plan, &settings.sender)
            .await?;
        if let Err(failure) = gate::check(&body, plan, &settings.gate) {
            tracing::warn!(
                negotiation_id = loaded.row.negotiation_id,
                influencer = %loaded.row.influencer_name,
                error = %failure,
                "an email failed the validation gate; escalating instead of sending"
            );
            let reason = format!("{failure}; the email was not sent");
            let referred = refer(
                &loaded.negotiation,
                decision.negotiation.their_last_ask(),
                &reason,
                flexibility,
                &settings.policy,
                agent.now(),
            );
            return Ok((referred, Vec::new(), Some((failure.to_string(), body))));
        }
        emails.push((plan.clone(), body));
    }
    Ok((decision, emails, None))
}

fn has_agreement(decision: &Decision) -> bool {
    decision
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Notify(Notification::Agreement { .. })))
}

/// The thread's subject: the first email's, with "Re: ", or a new one for the first email.
fn subject(conversation: &[Message], client_name: &str) -> String {
    match conversation
        .iter()
        .find(|m| m.direction == Direction::Sent && m.status != MessageStatus::Discarded)
    {
        Some(first) if first.subject.to_ascii_lowercase().starts_with("re:") => {
            first.subject.clone()
        }
        Some(first) => format!("Re: {}", first.subject),
        None => template::subject_for(client_name),
    }
}

fn rates(plan: &EmailPlan) -> String {
    let mut parts = Vec::new();
    if let Some(ours) = plan.our_rate {
        parts.push(format!("ours {ours}"));
    }
    if let Some(theirs) = plan.their_rate {
        parts.push(format!("theirs {theirs}"));
    }
    parts.push(format!("limit {}", plan.ceiling_rate));
    parts.join("; ")
}

fn escalation_rates(facts: &negotiator_domain::EscalationFacts) -> String {
    let mut parts = Vec::new();
    if let Some(theirs) = facts.their_ask {
        parts.push(format!("theirs {theirs}"));
    }
    if let Some(ours) = facts.our_offer {
        parts.push(format!("ours {ours}"));
    }
    if let Some(limit) = facts.limit_rate {
        parts.push(format!("limit {limit}"));
    }
    parts.join("; ")
}

/// A message about to be stored, in its stored shape (for notices written in the same step).
fn as_message(message: &NewMessage) -> Message {
    Message {
        message_id: 0,
        negotiation_id: message.negotiation_id,
        direction: message.direction,
        rfc_message_id: message.rfc_message_id.clone(),
        thread_id: message.thread_id.clone(),
        from_addr: message.from_addr.clone(),
        to_addr: message.to_addr.clone(),
        subject: message.subject.clone(),
        body: message.body.clone(),
        status: message.status,
        metadata: message.metadata.clone(),
        occurred_at: message.occurred_at,
    }
}

/// Writes an audit entry and a notice for something that is not a negotiation decision.
pub async fn audit_and_notify(
    conn: &mut SqliteConnection,
    entry: NewAuditEntry,
    notice: crate::notify::Notice,
    dedupe_key: &str,
) -> Result<(), AgentError> {
    let at = entry.occurred_at;
    insert_audit(&mut *conn, &entry).await?;
    queue(conn, &Task::Notify { notice }, dedupe_key, at).await?;
    Ok(())
}
