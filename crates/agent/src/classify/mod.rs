//! The classifier port: what an influencer's reply means (intent, rate, deliverables, flags).

pub mod anthropic;
mod rules;

use async_trait::async_trait;
use negotiator_domain::{ClassifiedReply, Deliverable, Money, Platform};
use serde::{Deserialize, Serialize};

pub use rules::RulesClassifier;

/// A reply to read, with what it answers: the reader needs our current offer to know what
/// "that works for me" agrees to, and the planned deliverables to total per-item prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContext {
    /// The new text of the reply (quotes and signature already removed).
    pub text: String,
    pub subject: String,
    pub platform: Platform,
    /// Our latest offer in this thread, if one went out.
    pub our_offer: Option<Money>,
    /// What we asked for: per-deliverable prices are totalled over these.
    pub deliverables: Vec<Deliverable>,
}

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

#[async_trait]
pub trait Classifier: Send + Sync {
    async fn classify(&self, reply: &ReplyContext) -> Result<ClassifiedReply, ClassifyError>;

    /// Human-readable description (for start-up messages and `negotiator classify`).
    fn describe(&self) -> String;
}
