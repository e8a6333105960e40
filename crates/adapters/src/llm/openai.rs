//! The providers' shared request (a forced tool call) asked of an OpenAI-compatible server,
//! and the client built from `[openai]`.

use std::time::Duration;

use negotiator_vendors::anthropic::ToolCall;
use negotiator_vendors::openai::{self, OpenAiClient, StructuredCall, StructuredMode};
use negotiator_vendors::{Secret, VendorError};

use crate::config::{OpenAiConfig, Structured};

/// The same instructions, message and schema as the Anthropic call, as chat completions.
pub fn structured(call: &ToolCall, mode: Structured) -> StructuredCall {
    StructuredCall {
        model: call.model.clone(),
        system: call.system.clone(),
        prompt: call.prompt.clone(),
        name: call.tool.name.clone(),
        description: call.tool.description.clone(),
        schema: call.tool.input_schema.clone(),
        max_tokens: call.max_tokens,
        temperature: call.temperature,
        mode: match mode {
            Structured::JsonSchema => StructuredMode::JsonSchema,
            Structured::Tools => StructuredMode::Tools,
        },
    }
}

/// The client for `[openai] base_url`, with the key from `api_key_env` when one is set.
pub fn client(config: &OpenAiConfig, key: Option<Secret>) -> Result<OpenAiClient, VendorError> {
    let base_url = config.base_url.as_deref().unwrap_or_default();
    let timeout = config
        .timeout_secs
        .map_or(openai::DEFAULT_TIMEOUT, Duration::from_secs);
    OpenAiClient::new(base_url, key, timeout)
}
