//! The chat completions request and response as serde types (only the fields the agent uses).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /chat/completions` body. Sampling parameters are sent only when set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
    /// Accepted by llama.cpp, vLLM and Ollama alike (OpenAI also takes
    /// `max_completion_tokens`).
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<Value>,
}

/// One message: `system` or `user` from us, `assistant` back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: &str, content: impl Into<String>) -> Self {
        ChatMessage {
            role: role.to_owned(),
            content: content.into(),
        }
    }
}

/// The answer.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ChatResponse {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Usage,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Choice {
    #[serde(default)]
    pub message: AnswerMessage,
    /// `stop`, `length`, `tool_calls`, `content_filter`, …
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct AnswerMessage {
    #[serde(default)]
    pub content: Option<String>,
    /// Set instead of content when the model declined (OpenAI's structured outputs).
    #[serde(default)]
    pub refusal: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<ToolCallOut>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ToolCallOut {
    pub function: FunctionOut,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct FunctionOut {
    pub name: String,
    /// A JSON object as a string.
    #[serde(default)]
    pub arguments: String,
}

/// Tokens billed (or counted) for the call. Servers that cache prompts report the share served
/// from cache in `prompt_tokens_details.cached_tokens`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub prompt_tokens_details: Option<PromptDetails>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PromptDetails {
    pub cached_tokens: u64,
}

impl Usage {
    pub fn cached_tokens(&self) -> u64 {
        self.prompt_tokens_details.map_or(0, |d| d.cached_tokens)
    }
}

/// `GET /models`: `{"data":[{"id":"…"}]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub(super) struct ModelList {
    #[serde(default)]
    pub data: Vec<ModelEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(super) struct ModelEntry {
    pub id: String,
}
