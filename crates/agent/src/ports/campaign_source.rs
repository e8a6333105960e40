//! The campaign source port: where a campaign comes from (a ClickUp form submission, a
//! campaign file), read into a draft for intake to validate.

use async_trait::async_trait;
use negotiator_domain::{CampaignDraft, CampaignProblems};

/// What a source holds under one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// A draft, to be validated like any other.
    Draft(Box<CampaignDraft>),
    /// The source's fields could not be read into a draft at all; every problem at once.
    Unusable(CampaignProblems),
}

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The service failed or refused; see [`negotiator_vendors::VendorError::is_retryable`].
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
    /// The source is set up wrongly (a field mapping, a missing file); the message says what to
    /// fix, and trying again will not help until someone does.
    #[error("{0}")]
    Misconfigured(String),
}

#[async_trait]
pub trait CampaignSource: Send + Sync {
    /// The campaign `reference` names: a ClickUp task id, a file path.
    async fn fetch(&self, reference: &str) -> Result<Fetched, SourceError>;

    /// The name campaigns from it are stored and audited with (`clickup`, `file`).
    fn name(&self) -> &'static str;

    /// Human-readable description (for start-up messages).
    fn describe(&self) -> String;
}
