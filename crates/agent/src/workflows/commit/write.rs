//! The writes of one committed step, each inside the step's transaction: the email answered,
//! the state changes, a refused email, the outbound messages, the effects and the extras.

use jiff::Timestamp;
use negotiator_domain::{Decision, Effect, EmailKind, Notification, Outcome};
use negotiator_store::WriteTx;
use negotiator_store::{
    CampaignMode, Direction, EventType, MessageStatus, NewAuditEntry, NewMessage, NewSuppression,
    insert_audits, insert_message, supersede_drafts, suppress, update_message_status,
};
use serde_json::json;

use super::compose::Written;
use super::step::{Actor, Extra, Received};
use super::wording::{escalation_rates, rates, subject};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, queue};
use crate::workflows::Loaded;
use crate::workflows::notices::{self, About};
use crate::workflows::usage;

/// One step being written: the transaction and what every write needs to know.
pub(super) struct Writing<'a> {
    pub tx: &'a mut WriteTx,
    pub agent: &'a Agent,
    pub loaded: &'a Loaded,
    /// The negotiation row as saved by this step.
    pub row: &'a negotiator_store::NegotiationRow,
    pub decision: &'a Decision,
    pub actor: &'a Actor,
    pub now: Timestamp,
    /// The row's version before this step (unique per step, so it keys the step's jobs).
    pub version_read: i64,
    /// The step's audit entries, written together by [`Writing::finish`].
    pub audit: Vec<NewAuditEntry>,
}

impl Writing<'_> {
    /// An audit entry about this negotiation, in its new state.
    fn audit(&self, event: EventType) -> NewAuditEntry {
        let mut entry = NewAuditEntry::new(self.now, event)
            .campaign(self.row.campaign_id.clone())
            .influencer(self.row.influencer_name.clone())
            .negotiation_state(self.decision.negotiation.state().as_str());
        if let Some(thread) = &self.row.thread_id {
            entry = entry.thread(thread.clone());
        }
        entry
    }

    /// Keeps an audit entry for this step; [`Writing::finish`] writes them all at once.
    fn record(&mut self, entry: NewAuditEntry) {
        self.audit.push(entry);
    }

    /// Writes the step's audit entries, in order, with one statement.
    pub async fn finish(self) -> Result<(), AgentError> {
        insert_audits(&mut *self.tx, &self.audit).await?;
        Ok(())
    }

    async fn queue(&mut self, task: &Task, key: &JobKey, at: Timestamp) -> Result<(), AgentError> {
        queue(&mut *self.tx, task, key, at).await?;
        Ok(())
    }

    /// The email this step answers, with what the reader made of it.
    pub async fn received(&mut self, received: &Received) -> Result<(), AgentError> {
        let message = &received.message;
        let mut entry = self
            .audit(received.filed_as)
            .direction(Direction::Received)
            .email_body(message.body.clone())
            .meta("from", message.from_addr.clone())
            .meta("subject", message.subject.clone());
        if let Some(id) = &message.rfc_message_id {
            entry = entry.meta("message_id", id.clone());
        }
        for (key, value) in &received.details {
            entry = entry.meta(key.clone(), value.clone());
        }
        if let Some(reply) = &received.reply {
            entry = entry
                .intent(reply.intent.as_str())
                .meta("confidence", reply.confidence.percent())
                .meta("summary", reply.summary.clone());
            if let Some(rate) = reply.proposed_rate {
                entry = entry.rates_used(format!("theirs {rate}"));
            }
        }
        self.record(usage::with_usage(entry, &received.usage));
        Ok(())
    }

    /// Drafts written for an earlier step can never be sent now: each is marked superseded and
    /// audited.
    pub async fn supersede_drafts(&mut self) -> Result<(), AgentError> {
        let replaced =
            supersede_drafts(&mut *self.tx, self.row.negotiation_id, self.row.step).await?;
        for message_id in replaced {
            let entry = self
                .audit(EventType::DraftSuperseded)
                .meta("message_id", message_id)
                .meta("reason", self.decision.reason.clone())
                .meta("by", self.actor.name());
            self.record(entry);
        }
        Ok(())
    }

    /// One entry per state change of this step; the last carries the decision's reason.
    pub async fn transitions(&mut self) -> Result<(), AgentError> {
        let earlier = self.loaded.negotiation.history().len();
        let history = self.decision.negotiation.history();
        let steps = history.get(earlier..).unwrap_or_default();
        for (i, step) in steps.iter().enumerate() {
            let mut entry = self
                .audit(EventType::StateTransition)
                .negotiation_state(step.to.as_str())
                .meta("from", step.from.as_str())
                .meta("to", step.to.as_str())
                .meta("event", step.event.as_str())
                .meta("by", self.actor.name());
            if i + 1 == steps.len() {
                entry = entry.meta("reason", self.decision.reason.clone());
            }
            self.record(entry);
        }
        if self.decision.outcome == Outcome::FollowedUp {
            let entry = self
                .audit(EventType::FollowUp)
                .meta(
                    "follow_ups_sent",
                    self.decision.negotiation.follow_ups_sent(),
                )
                .meta("reason", self.decision.reason.clone());
            self.record(entry);
        }
        Ok(())
    }

    /// An email the gate refused: kept, with why, for the person who now decides.
    pub async fn refused(&mut self, failure: &str, body: &str) -> Result<(), AgentError> {
        let entry = self
            .audit(EventType::Error)
            .email_body(body.to_owned())
            .meta("error", failure.to_owned())
            .meta(
                "action",
                "the email was held back and the negotiation escalated",
            );
        self.record(entry);
        Ok(())
    }

    /// Stores each outbound email with its Message-ID: as a draft for review (review mode, a
    /// person's decision, a decline), or pending with its send job.
    pub async fn emails(
        &mut self,
        emails: &[Written],
        about: &About<'_>,
    ) -> Result<Vec<(i64, MessageStatus)>, AgentError> {
        let settings = &self.agent.settings;
        let decision = self.decision;
        let follow_up_after = decision.effects.iter().find_map(|e| match e {
            Effect::ScheduleFollowUp { after } => Some(*after),
            _ => None,
        });
        let mut stored = Vec::new();
        for Written { plan, body, usage } in emails {
            let hold = self.loaded.mode == CampaignMode::Review
                || *self.actor != Actor::Agent
                || plan.kind == EmailKind::Decline;
            let status = if hold {
                MessageStatus::Draft
            } else {
                MessageStatus::Pending
            };
            let rfc_id = format!(
                "{}.{}.{}.{}@{}",
                plan.kind.as_str().replace('_', "-"),
                self.row.negotiation_id,
                self.version_read,
                self.now.as_millisecond(),
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
            metadata.insert("by".into(), json!(self.actor.name()));
            if let Some(after) = follow_up_after {
                metadata.insert("follow_up_after_secs".into(), json!(after.as_secs()));
            }
            if let Some(spent) = usage::value(usage) {
                metadata.insert(usage::KEY.into(), spent);
            }
            // What a reviewer is told changed if the negotiation moves on before approval.
            metadata.insert(
                "history_len".into(),
                json!(decision.negotiation.history().len()),
            );
            let message = NewMessage {
                negotiation_id: self.row.negotiation_id,
                direction: Direction::Sent,
                rfc_message_id: Some(rfc_id.clone()),
                thread_id: self.row.thread_id.clone(),
                from_addr: settings.agent_address.clone(),
                to_addr: self.row.influencer_email.clone(),
                subject: subject(about.conversation, &self.loaded.campaign.client_name),
                body: body.clone(),
                status,
                metadata,
                occurred_at: self.now,
                for_step: hold.then_some(self.row.step),
            };
            let message_id = insert_message(&mut *self.tx, &message)
                .await?
                .ok_or_else(|| {
                    AgentError::corrupt(format!("generated Message-ID {rfc_id} is already stored"))
                })?;
            if hold {
                let entry = self
                    .audit(EventType::DraftCreated)
                    .email_body(body.clone())
                    .rates_used(rates(plan))
                    .meta("message_id", message_id)
                    .meta("kind", plan.kind.as_str())
                    .meta("reason", decision.reason.clone());
                self.record(usage::with_usage(entry, usage));
                let notice = notices::draft_waiting(about, message_id, &decision.reason, body);
                let key = JobKey::DraftWaiting { message_id };
                self.queue(&Task::Notify { notice }, &key, self.now).await?;
            } else {
                let key = JobKey::Send { message_id };
                self.queue(&Task::SendEmail { message_id }, &key, self.now)
                    .await?;
            }
            stored.push((message_id, status));
        }
        Ok(stored)
    }

    /// The notices (escalations and agreements audited once each), and a silence check when
    /// no email will schedule one.
    pub async fn effects(
        &mut self,
        about: &About<'_>,
        sends_email: bool,
    ) -> Result<(), AgentError> {
        let decision = self.decision;
        let negotiation_id = self.row.negotiation_id;
        for (index, effect) in decision.effects.iter().enumerate() {
            match effect {
                Effect::SendEmail(_) => {}
                // The email's send job schedules the check once the email has gone out.
                Effect::ScheduleFollowUp { .. } if sends_email => {}
                Effect::Notify(notification) => {
                    if let Notification::Escalation(facts) = notification {
                        let mut entry = self
                            .audit(EventType::Escalation)
                            .rates_used(escalation_rates(facts))
                            .meta("reason", facts.reason.clone())
                            .meta("by", self.actor.name());
                        if !facts.triggers.is_empty() {
                            let triggers = serde_json::to_value(&facts.triggers)
                                .map_err(AgentError::corrupt)?;
                            entry = entry.meta("triggers", triggers);
                        }
                        self.record(entry);
                    }
                    let notice = notices::for_notification(about, notification);
                    let key = JobKey::DecisionNotice {
                        negotiation_id,
                        version: self.version_read,
                        index,
                    };
                    self.queue(&Task::Notify { notice }, &key, self.now).await?;
                }
                Effect::RecordAgreement {
                    rate,
                    cpm,
                    engagement_pct,
                } => {
                    let mut entry = self
                        .audit(EventType::Agreement)
                        .rates_used(format!("agreed {rate}"))
                        .meta("cpm", cpm.to_string())
                        .meta("by", self.actor.name());
                    if let Some(e) = engagement_pct {
                        entry = entry.meta("engagement_pct", e.to_string());
                    }
                    self.record(entry);
                }
                Effect::ScheduleFollowUp { after } => {
                    let run_at = self.now.checked_add(*after).unwrap_or(self.now);
                    let task = Task::CheckSilence { negotiation_id };
                    let key = JobKey::Silence {
                        negotiation_id,
                        due: run_at,
                    };
                    self.queue(&task, &key, run_at).await?;
                }
            }
        }
        Ok(())
    }

    /// Writes that belong to the step but are not the decision's own.
    pub async fn extras(&mut self, extras: Vec<Extra>) -> Result<(), AgentError> {
        for extra in extras {
            match extra {
                Extra::Audit(entry) => self.record(entry),
                Extra::Notify { notice, key } => {
                    self.queue(&Task::Notify { notice }, &key, self.now).await?;
                }
                Extra::Suppress {
                    address,
                    reason,
                    detail,
                } => {
                    let new = suppress(
                        &mut *self.tx,
                        &NewSuppression {
                            address: &address,
                            reason,
                            detail: &detail,
                            added_by: self.actor.name(),
                            negotiation_id: Some(self.row.negotiation_id),
                            at: self.now,
                        },
                    )
                    .await?;
                    if new {
                        let entry = self
                            .audit(EventType::SuppressionAdded)
                            .meta("address", address.as_str())
                            .meta("reason", reason.as_str())
                            .meta("detail", detail);
                        self.record(entry);
                    }
                }
                Extra::DiscardDraft(message_id) => {
                    update_message_status(
                        &mut *self.tx,
                        message_id,
                        MessageStatus::Discarded,
                        None,
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
