//! The composer port: writes an email's text from its plan (the gate checks it afterwards).

pub mod anthropic;

use async_trait::async_trait;
use negotiator_domain::{EmailPlan, Sender, template};

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

#[async_trait]
pub trait Composer: Send + Sync {
    /// The plain-text body for `plan`, signed by `sender`.
    async fn compose(&self, plan: &EmailPlan, sender: &Sender) -> Result<String, ComposeError>;

    fn describe(&self) -> String;
}

/// The built-in templates: every amount and deliverable comes straight from the plan.
#[derive(Clone, Copy, Debug, Default)]
pub struct TemplateComposer;

#[async_trait]
impl Composer for TemplateComposer {
    async fn compose(&self, plan: &EmailPlan, sender: &Sender) -> Result<String, ComposeError> {
        Ok(template::render(plan, sender))
    }

    fn describe(&self) -> String {
        "built-in templates".to_owned()
    }
}
