//! The composer port: writes an email's text from its plan (the gate checks it afterwards).

use async_trait::async_trait;
use negotiator_domain::{EmailPlan, Sender};

use super::usage::ModelUsage;

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
    /// The service answered, but not with a usable email (worth one more try).
    #[error("the composer's answer could not be used: {0}")]
    Unusable(String),
}

impl ComposeError {
    pub fn is_retryable(&self) -> bool {
        match self {
            ComposeError::Vendor(e) => e.is_retryable(),
            ComposeError::Unusable(_) => true,
        }
    }
}

/// What to write: the plan (every amount and deliverable), who signs, and the campaign's
/// instructions for the writer, which shape the wording and never the numbers (the gate checks
/// every email whatever they say).
#[derive(Clone, Copy, Debug)]
pub struct ComposeRequest<'a> {
    pub plan: &'a EmailPlan,
    pub sender: &'a Sender,
    pub instructions: Option<&'a str>,
}

/// An email's text, and what the model calls behind it cost (none for the templates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub body: String,
    pub usage: Vec<ModelUsage>,
}

impl From<String> for Composed {
    fn from(body: String) -> Self {
        Composed {
            body,
            usage: Vec::new(),
        }
    }
}

#[async_trait]
pub trait Composer: Send + Sync {
    /// The plain-text body for the request's plan, signed by its sender.
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError>;

    fn describe(&self) -> String;
}
