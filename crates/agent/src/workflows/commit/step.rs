//! What a decision is committed with: who took it, the email it answers, the extra writes
//! that belong to it, and what came of it.

use negotiator_domain::{ClassifiedReply, Decision, Money};
use negotiator_store::{EventType, MessageStatus, NewAuditEntry, NewMessage};

use crate::error::AgentError;
use crate::workflows::Loaded;

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
    /// How its audit entry is filed: `email_received`, or what it was instead of a reply
    /// (`auto_reply`, `bounce`, `opt_out`) with what showed it.
    pub filed_as: EventType,
    pub details: serde_json::Map<String, serde_json::Value>,
    /// What reading it cost (model calls), kept in its audit entry.
    pub usage: Vec<crate::ports::usage::ModelUsage>,
}

impl Received {
    /// An email from them, read (`reply`) or not.
    pub fn email(message: NewMessage, reply: Option<ClassifiedReply>) -> Self {
        Received {
            message,
            reply,
            filed_as: EventType::EmailReceived,
            details: serde_json::Map::new(),
            usage: Vec::new(),
        }
    }

    /// An email that is not a reply to read, filed as `event` with `details`.
    pub fn filed(
        message: NewMessage,
        event: EventType,
        details: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        Received {
            message,
            reply: None,
            filed_as: event,
            details,
            usage: Vec::new(),
        }
    }
}

/// Something else that belongs to the same step and must commit with it.
#[derive(Clone, Debug)]
pub enum Extra {
    Audit(NewAuditEntry),
    Notify {
        notice: crate::ports::notifier::Notice,
        key: crate::tasks::JobKey,
    },
    /// A reviewer threw this draft away.
    DiscardDraft(i64),
    /// Nobody may write to this address again (audited when it is new on the list).
    Suppress {
        address: negotiator_domain::EmailAddress,
        reason: negotiator_store::SuppressionReason,
        detail: String,
    },
}

/// Why the decision was taken and what else it carries.
#[derive(Clone, Debug, Default)]
pub struct Step {
    pub actor: Actor,
    pub received: Option<Received>,
    pub extras: Vec<Extra>,
    /// A person confirmed raising the campaign's budget to this amount for this decision;
    /// written before the decision, in the same transaction.
    pub raise_budget: Option<Money>,
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
    pub row: negotiator_store::NegotiationRow,
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
