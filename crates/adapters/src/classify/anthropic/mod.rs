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
use negotiator_domain::ClassifiedReply;
use negotiator_vendors::anthropic::ToolCallError;
use negotiator_vendors::anthropic::{AnthropicClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, ToolCall};
use negotiator_vendors::{Secret, VendorError};
use serde_json::Value;

use crate::config::AnthropicConfig;
use crate::llm::usage;
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
    /// Sent only when configured: newer models refuse sampling parameters with a 400.
    temperature: Option<f32>,
}

impl AnthropicClassifier {
    pub fn new(client: AnthropicClient, model: impl Into<String>) -> Self {
        AnthropicClassifier {
            client,
            model: model.into(),
            temperature: None,
        }
    }

    /// From `[anthropic]`: its `base_url`, `api_version`, `classify_model` and
    /// `classify_temperature`, else the public API, 2023-06-01, [`DEFAULT_MODEL`] and no
    /// sampling parameter.
    pub fn from_config(config: &AnthropicConfig, api_key: Secret) -> Result<Self, VendorError> {
        let base_url = config.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let mut client = AnthropicClient::new(base_url, api_key, DEFAULT_TIMEOUT)?;
        if let Some(version) = &config.api_version {
            client = client.with_api_version(version.clone());
        }
        let model = config.classify_model.as_deref().unwrap_or(DEFAULT_MODEL);
        let mut classifier = AnthropicClassifier::new(client, model);
        classifier.temperature = config.classify_temperature;
        Ok(classifier)
    }

    pub fn model(&self) -> &str {
        &self.model
    }
}

/// The forced call that reads `reply`: the same rules, reply and schema for every provider.
pub(crate) fn tool_call(model: &str, reply: &ReplyContext, temperature: Option<f32>) -> ToolCall {
    ToolCall {
        model: model.to_owned(),
        system: prompt::system(),
        prompt: prompt::user(reply),
        tool: schema::tool(),
        max_tokens: MAX_TOKENS,
        temperature,
    }
}

/// The model's answer checked and read (shared with the OpenAI-compatible classifier).
pub(crate) fn read_answer(
    input: Value,
    reply: &ReplyContext,
) -> Result<ClassifiedReply, ClassifyError> {
    reading::read(input, reply)
}

#[async_trait]
impl Classifier for AnthropicClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError> {
        let answer = self
            .client
            .call_tool(&tool_call(&self.model, reply, self.temperature))
            .await
            .map_err(|e| match e {
                ToolCallError::Vendor(e) => ClassifyError::Vendor(e),
                other => ClassifyError::Unusable(other.to_string()),
            })?;
        let spent = usage::anthropic(&answer.usage, &self.model, usage::CLASSIFY);
        let reading = reading::read(answer.input, reply)?;
        tracing::debug!(
            request_id = answer.request_id.as_deref().unwrap_or("-"),
            intent = reading.intent.as_str(),
            confidence = reading.confidence.percent(),
            "Anthropic read a reply"
        );
        Ok(Classified {
            reply: reading,
            usage: vec![spent],
        })
    }

    fn describe(&self) -> String {
        format!("Anthropic {}", self.model)
    }
}
