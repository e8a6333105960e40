//! The built-in rules classifier as the classifier port: `negotiator_reading::rules::read`.

use async_trait::async_trait;
use negotiator_agent::ports::classifier::{Classified, Classifier, ClassifyError, ReplyContext};

/// Deterministic reader used when no LLM is configured.
#[derive(Clone, Copy, Debug, Default)]
pub struct RulesClassifier;

#[async_trait]
impl Classifier for RulesClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError> {
        Ok(negotiator_reading::rules::read(reply).into())
    }

    fn describe(&self) -> String {
        "built-in rules (no LLM)".to_owned()
    }
}
