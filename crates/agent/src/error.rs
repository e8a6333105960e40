//! The agent's errors, each saying whether trying again later may help.

use negotiator_domain::{CampaignProblems, GateFailure, TransitionRefused};
use negotiator_store::StoreError;

use crate::classify::ClassifyError;
use crate::compose::ComposeError;
use crate::mailbox::MailboxError;
use crate::notify::NotifyError;
use crate::roster::RosterError;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Mailbox(#[from] MailboxError),
    #[error(transparent)]
    Notify(#[from] NotifyError),
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    #[error(transparent)]
    Compose(#[from] ComposeError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
    #[error(transparent)]
    Campaign(#[from] CampaignProblems),
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    #[error(transparent)]
    Gate(#[from] GateFailure),
    #[error("campaign {0:?} was already imported; give the new campaign its own campaign_id")]
    DuplicateCampaign(String),
    #[error("no {what} {id}{hint}")]
    NotFound {
        what: &'static str,
        id: String,
        hint: &'static str,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
}

impl AgentError {
    /// Whether the same work may succeed later (network trouble, a busy database, a lost race).
    pub fn is_retryable(&self) -> bool {
        match self {
            AgentError::Store(e) => {
                e.is_transient() || matches!(e, StoreError::VersionConflict { .. })
            }
            AgentError::Vendor(e) => e.is_retryable(),
            AgentError::Mailbox(e) => e.is_retryable(),
            AgentError::Notify(e) => e.is_retryable(),
            AgentError::Classify(e) => e.is_retryable(),
            AgentError::Compose(e) => e.is_retryable(),
            AgentError::Roster(RosterError::Vendor(e)) => e.is_retryable(),
            _ => false,
        }
    }

    /// The wait an outside service asked for, when it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            AgentError::Vendor(e)
            | AgentError::Mailbox(MailboxError::Vendor(e))
            | AgentError::Notify(NotifyError::Vendor(e))
            | AgentError::Classify(ClassifyError::Vendor(e))
            | AgentError::Compose(ComposeError::Vendor(e))
            | AgentError::Roster(RosterError::Vendor(e)) => e.retry_after,
            _ => None,
        }
    }

    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        AgentError::Corrupt(what.to_string())
    }
}

impl From<sqlx::Error> for AgentError {
    fn from(error: sqlx::Error) -> Self {
        AgentError::Store(StoreError::from(error))
    }
}
