//! The agent's errors, each saying whether trying again later may help.

use negotiator_domain::{ActionRefused, ApprovalCheck, GateFailure, TransitionRefused};
use negotiator_store::StoreError;

use crate::ports::classifier::ClassifyError;
use crate::ports::composer::ComposeError;
use crate::ports::mailbox::MailboxError;
use crate::ports::notifier::NotifyError;
use crate::ports::roster::RosterError;

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
    Refused(#[from] ActionRefused),
    /// A person's approval that must be confirmed first (far above the limit, or past the
    /// budget); nothing was changed.
    #[error("{}", .0.summary())]
    NeedsConfirmation(Box<ApprovalCheck>),
    #[error(transparent)]
    Gate(#[from] GateFailure),
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

impl From<TransitionRefused> for AgentError {
    fn from(refused: TransitionRefused) -> Self {
        AgentError::Refused(refused.into())
    }
}

impl AgentError {
    /// Whether the same work may succeed later (network trouble, a busy database, a lost race).
    pub fn is_retryable(&self) -> bool {
        match self {
            // A lost race: another decision changed the row or closed a deal first; deciding
            // again sees it.
            AgentError::Store(e) => {
                e.is_transient()
                    || matches!(
                        e,
                        StoreError::VersionConflict { .. } | StoreError::OverBudget
                    )
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
        self.vendor().and_then(|e| e.retry_after)
    }

    /// When our own rate limit for a service held a call back (nothing was sent): how long
    /// until it may go. The work is not failing; it just has to wait its turn.
    pub fn throttled_for(&self) -> Option<std::time::Duration> {
        self.vendor()
            .filter(|e| e.kind == negotiator_vendors::ErrorKind::Throttled)
            .and_then(|e| e.retry_after)
    }

    /// The outside call that failed, when one did.
    fn vendor(&self) -> Option<&negotiator_vendors::VendorError> {
        match self {
            AgentError::Vendor(e)
            | AgentError::Mailbox(MailboxError::Vendor(e))
            | AgentError::Notify(NotifyError::Vendor(e))
            | AgentError::Classify(ClassifyError::Vendor(e))
            | AgentError::Compose(ComposeError::Vendor(e))
            | AgentError::Roster(RosterError::Vendor(e)) => Some(e),
            _ => None,
        }
    }

    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        AgentError::Corrupt(what.to_string())
    }
}
