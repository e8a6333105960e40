//! The mailbox port: send an email, find out whether one was sent, and read what came in.

use async_trait::async_trait;
use negotiator_domain::EmailAddress;
use serde::{Deserialize, Serialize};

/// An email ready to go out. The Message-ID is ours, generated and stored before sending,
/// so a send whose outcome is unknown can be looked up instead of sent twice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundEmail {
    /// Without angle brackets.
    pub message_id: String,
    /// The thread to continue; `None` starts a new one.
    pub thread_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    /// Exactly one parsed address: nothing from outside is ever spliced into To or Cc.
    pub to: EmailAddress,
    pub cc: Vec<EmailAddress>,
    pub subject: String,
    pub body: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Unix seconds for the Date header.
    pub date: i64,
}

/// The header every email we send carries with our Message-ID, so a send is found again even
/// when the provider replaced the Message-ID (Gmail's API may; it keeps other headers).
pub const SEND_ID_HEADER: &str = "X-Negotiator-Send-Id";

/// Where a sent email ended up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    pub thread_id: String,
    /// The Message-ID the sent message really carries (without angle brackets): ours, or one
    /// of the provider's making. `None` when it could not be read back; ours is cited then.
    pub message_id: Option<String>,
}

/// A message that arrived, not yet parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawInbound {
    /// The mailbox's own handle for it, used to acknowledge it.
    pub provider_id: String,
    /// The thread the mailbox filed it under, when it knows.
    pub thread_id: Option<String>,
    pub raw: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    #[error("mail folder {path}: {source}")]
    Folder {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("could not build the email: {0}")]
    Build(String),
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
}

impl MailboxError {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            MailboxError::Folder { .. } => true,
            MailboxError::Build(_) => false,
            MailboxError::Vendor(e) => e.is_retryable(),
        }
    }
}

#[async_trait]
pub trait Mailbox: Send + Sync {
    async fn send(&self, email: &OutboundEmail) -> Result<Delivered, MailboxError>;

    /// Whether `email` already went out (for recovery after a crash): looked up by our own
    /// send header among what was sent to its recipient since `since` (Unix seconds, no later
    /// than the first attempt), never by the Message-ID alone.
    async fn find_sent(
        &self,
        email: &OutboundEmail,
        since: i64,
    ) -> Result<Option<Delivered>, MailboxError>;

    /// Messages that arrived and have not been acknowledged, oldest first.
    async fn fetch_new(&self) -> Result<Vec<RawInbound>, MailboxError>;

    /// Marks a message as taken in; call only after it is stored.
    async fn acknowledge(&self, message: &RawInbound) -> Result<(), MailboxError>;

    fn describe(&self) -> String;

    /// Asks the provider to push news of arriving mail, and says until when (Unix
    /// milliseconds); renew well before then. `None`: this mailbox has no push (it is polled).
    async fn watch(&self) -> Result<Option<i64>, MailboxError> {
        Ok(None)
    }
}
