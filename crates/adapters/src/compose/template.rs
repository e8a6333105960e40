//! The built-in templates as the composer port.

use async_trait::async_trait;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_domain::template;

/// The built-in templates: every amount and deliverable comes straight from the plan.
#[derive(Clone, Copy, Debug, Default)]
pub struct TemplateComposer;

#[async_trait]
impl Composer for TemplateComposer {
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        Ok(template::render(request.plan, request.sender).into())
    }

    fn describe(&self) -> String {
        "built-in templates".to_owned()
    }
}
