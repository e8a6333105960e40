//! The LLM classifier: Anthropic reads a reply through a forced tool call.
//!
//! The model sees the reply, its subject, the platform, our current offer and the planned
//! deliverables, and never our limits or budgets. Its answer is checked before anyone acts on
//! it (`reading`): the rate is parsed from a string as exact money, a flag stands only with a
//! quote found in the reply, and confidence is clamped to 0-100.

mod evidence;
mod prompt;
mod reading;
mod schema;

use async_trait::async_trait;
use negotiator_vendors::anthropic::ToolCallError;
use negotiator_vendors::anthropic::{AnthropicClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, ToolCall};
use negotiator_vendors::{Secret, VendorError};

use crate::config::AnthropicConfig;
use negotiator_agent::ports::classifier::{Classified, Classifier, ClassifyError, ReplyContext};

/// The model used when `[anthropic] classify_model` is not set: Claude Haiku 4.5, pinned to
/// its dated snapshot so a reading does not change under us; fast and cheap enough for every
/// reply, and it supports forced tool use.
pub const DEFAULT_MODEL: &str = "claude-haiku-4-5-20251001";

/// Room for the reading (a few hundred tokens) with a wide margin; an answer cut short is
/// refused, never parsed.
const MAX_TOKENS: u32 = 1024;

/// Reads replies with an Anthropic model.
#[derive(Clone, Debug)]
pub struct AnthropicClassifier {
    client: AnthropicClient,
    model: String,
}

impl AnthropicClassifier {
    pub fn new(client: AnthropicClient, model: impl Into<String>) -> Self {
        AnthropicClassifier {
            client,
            model: model.into(),
        }
    }

    /// From `[anthropic]`: its `base_url` and `classify_model`, else the public API and
    /// [`DEFAULT_MODEL`].
    pub fn from_config(config: &AnthropicConfig, api_key: Secret) -> Result<Self, VendorError> {
        let base_url = config.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let client = AnthropicClient::new(base_url, api_key, DEFAULT_TIMEOUT)?;
        let model = config.classify_model.as_deref().unwrap_or(DEFAULT_MODEL);
        Ok(AnthropicClassifier::new(client, model))
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    fn call(&self, reply: &ReplyContext) -> ToolCall {
        ToolCall {
            model: self.model.clone(),
            system: prompt::system(),
            prompt: prompt::user(reply),
            tool: schema::tool(),
            max_tokens: MAX_TOKENS,
            // The same reply should read the same way every time.
            temperature: Some(0.0),
        }
    }
}

#[async_trait]
impl Classifier for AnthropicClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError> {
        let answer = self
            .client
            .call_tool(&self.call(reply))
            .await
            .map_err(|e| match e {
                ToolCallError::Vendor(e) => ClassifyError::Vendor(e),
                other => ClassifyError::Unusable(other.to_string()),
            })?;
        let reading = reading::read(answer.input, reply)?;
        tracing::debug!(
            request_id = answer.request_id.as_deref().unwrap_or("-"),
            intent = reading.intent.as_str(),
            confidence = reading.confidence.percent(),
            "Anthropic read a reply"
        );
        Ok(reading.into())
    }

    fn describe(&self) -> String {
        format!("Anthropic {}", self.model)
    }
}
