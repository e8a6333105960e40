//! The built-in rules classifier: reads a reply with no LLM. (Being written; see the helper.)

use async_trait::async_trait;
use negotiator_domain::{ClassifiedReply, Confidence, Intent};

use super::{Classifier, ClassifyError, ReplyContext};

/// Deterministic reader used when no LLM is configured.
#[derive(Clone, Debug, Default)]
pub struct RulesClassifier;

impl RulesClassifier {
    /// Reads one reply.
    pub fn read(&self, reply: &ReplyContext) -> ClassifiedReply {
        ClassifiedReply {
            intent: Intent::Unclear,
            proposed_rate: None,
            deliverables: Vec::new(),
            confidence: Confidence::from_percent(0),
            hostile: None,
            legal: None,
            unusual_deliverables: None,
            summary: String::new(),
            text: reply.text.clone(),
        }
    }
}

#[async_trait]
impl Classifier for RulesClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<ClassifiedReply, ClassifyError> {
        Ok(self.read(reply))
    }

    fn describe(&self) -> String {
        "built-in rules (no LLM)".to_owned()
    }
}
