//! What a decision is committed with: who took it, the email it answers, the extra writes
//! that belong to it, and what came of it.

use negotiator_domain::{ClassifiedReply, Decision};
use negotiator_store::{MessageStatus, NewAuditEntry, NewMessage};

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
