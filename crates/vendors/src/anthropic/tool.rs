//! Structured answers through one forced tool call: the model must call the tool, and an
//! answer that was cut short, refused or never called it is a failure, not something to parse.

use serde_json::Value;

use super::client::AnthropicClient;
use super::types::{Message, MessagesRequest, StopReason, SystemBlock, Tool, ToolChoice, Usage};
use crate::http::VendorError;

/// One forced call of `tool`: the system prompt, the user's message and the tool to fill in.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolCall {
    /// A model id from configuration.
    pub model: String,
    pub system: String,
    pub prompt: String,
    pub tool: Tool,
    pub max_tokens: u32,
    pub temperature: Option<f32>,
}

impl ToolCall {
    /// The Messages request: the tool as the only one offered, forced by `tool_choice`, and
    /// no extended thinking (the API refuses thinking with a forced tool). The tool and the
    /// system prompt are the same for every call of a purpose, so they are marked as the
    /// cached prefix; only the user's message is new each time.
    pub fn request(&self) -> MessagesRequest {
        MessagesRequest {
            model: self.model.clone(),
            max_tokens: self.max_tokens,
            system: vec![SystemBlock::text(self.system.clone()).cached()],
            messages: vec![Message::user(self.prompt.clone())],
            tools: vec![self.tool.clone()],
            tool_choice: Some(ToolChoice::Tool {
                name: self.tool.name.clone(),
            }),
            temperature: self.temperature,
        }
    }
}

/// What the model put into the tool call.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolAnswer {
    /// The tool's `input` object, not yet validated against the schema.
    pub input: Value,
    pub request_id: Option<String>,
    pub usage: Usage,
}

/// Why a forced tool call gave nothing usable.
#[derive(Debug, thiserror::Error)]
pub enum ToolCallError {
    /// The call itself failed (classed: retryable or not).
    #[error(transparent)]
    Vendor(#[from] VendorError),
    /// The model stopped early (`max_tokens`, `refusal`, …): the input may be truncated.
    #[error("Anthropic stopped early ({}), so its answer was not used", .0.as_str())]
    Incomplete(StopReason),
    /// The answer holds no call of the forced tool.
    #[error("Anthropic answered without calling the {0} tool")]
    NoToolCall(String),
}

impl AnthropicClient {
    /// Runs `call` and returns the tool's input. Stop reasons `max_tokens`, `refusal`,
    /// `pause_turn` and `model_context_window_exceeded` are failures even when a tool block
    /// is present, because its input may be cut short.
    pub async fn call_tool(&self, call: &ToolCall) -> Result<ToolAnswer, ToolCallError> {
        let answer = self.messages(&call.request()).await?;
        if let Some(reason) = answer.stop_reason
            && reason.is_incomplete()
        {
            tracing::warn!(
                request_id = answer.request_id.as_deref().unwrap_or("-"),
                stop_reason = reason.as_str(),
                tool = %call.tool.name,
                "Anthropic stopped early; the answer is not used"
            );
            return Err(ToolCallError::Incomplete(reason));
        }
        let input = answer
            .tool_input(&call.tool.name)
            .cloned()
            .ok_or_else(|| ToolCallError::NoToolCall(call.tool.name.clone()))?;
        Ok(ToolAnswer {
            input,
            request_id: answer.request_id,
            usage: answer.usage,
        })
    }
}
