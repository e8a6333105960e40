//! The classifier port: what an influencer's reply means (intent, rate, deliverables, flags).

use async_trait::async_trait;
use negotiator_domain::ClassifiedReply;
pub use negotiator_reading::ReplyContext;

use super::usage::ModelUsage;

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error(transparent)]
    Vendor(#[from] negotiator_vendors::VendorError),
    /// The service answered, but not with a usable reading (worth one more try).
    #[error("the classifier's answer could not be used: {0}")]
    Unusable(String),
}

impl ClassifyError {
    pub fn is_retryable(&self) -> bool {
        match self {
            ClassifyError::Vendor(e) => e.is_retryable(),
            ClassifyError::Unusable(_) => true,
        }
    }
}

/// A reading of a reply, and what the model calls behind it cost (none for the rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    pub reply: ClassifiedReply,
    pub usage: Vec<ModelUsage>,
}

impl From<ClassifiedReply> for Classified {
    fn from(reply: ClassifiedReply) -> Self {
        Classified {
            reply,
            usage: Vec::new(),
        }
    }
}

#[async_trait]
pub trait Classifier: Send + Sync {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError>;

    /// Human-readable description (for start-up messages and `negotiator classify`).
    fn describe(&self) -> String;
}
