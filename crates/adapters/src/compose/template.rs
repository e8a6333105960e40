//! The built-in templates as the composer port, in the knowledge base's words.

use async_trait::async_trait;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_domain::template;

use crate::knowledge::Knowledge;

/// The built-in templates: every amount and deliverable comes straight from the plan; the
/// greeting, compliment, transitions and closing come from the knowledge base (the shipped
/// one unless a folder is configured).
#[derive(Clone, Debug, Default)]
pub struct TemplateComposer {
    knowledge: Knowledge,
}

impl TemplateComposer {
    pub fn new(knowledge: Knowledge) -> Self {
        TemplateComposer { knowledge }
    }
}

#[async_trait]
impl Composer for TemplateComposer {
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        let knowledge = self.knowledge.snapshot().await;
        Ok(template::render_with(request.plan, request.sender, knowledge.wording()).into())
    }

    fn describe(&self) -> String {
        match self.knowledge.dir() {
            Some(dir) => format!("built-in templates (words from {})", dir.display()),
            None => "built-in templates".to_owned(),
        }
    }
}
