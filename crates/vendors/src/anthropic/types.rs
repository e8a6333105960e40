//! The Messages API request and response as serde types (only the fields the agent uses).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `POST /v1/messages` body. Built by the caller; the client adds nothing to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessagesRequest {
    /// A model id from configuration, e.g. `claude-haiku-4-5-20251001`.
    pub model: String,
    /// Required by the API: the most tokens the answer may use.
    pub max_tokens: u32,
    /// The instructions, as text blocks; the last one may mark the end of the cached prefix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub system: Vec<SystemBlock>,
    pub messages: Vec<Message>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Sampling temperature (0 to 1); the API's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
}

/// One block of the system prompt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SystemBlock {
    /// Always `text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
    /// Set on the last block of the static prefix: the tools and the system prompt up to here
    /// are cached, and later calls with the same prefix read them at a tenth of the price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
}

impl SystemBlock {
    pub fn text(text: impl Into<String>) -> Self {
        SystemBlock {
            kind: "text",
            text: text.into(),
            cache_control: None,
        }
    }

    /// The same block, ending the cached prefix.
    pub fn cached(mut self) -> Self {
        self.cache_control = Some(CacheControl::ephemeral());
        self
    }
}

/// `{"type":"ephemeral"}`: the prompt cache's default five-minute lifetime.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CacheControl {
    #[serde(rename = "type")]
    pub kind: &'static str,
}

impl CacheControl {
    pub fn ephemeral() -> Self {
        CacheControl { kind: "ephemeral" }
    }
}

/// One turn of the conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    /// Plain text (the API also takes content blocks; the agent only sends text).
    pub content: String,
}

impl Message {
    pub fn user(content: impl Into<String>) -> Self {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// A tool the model may call; `input_schema` is a JSON Schema with `type: "object"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tool {
    pub name: String,
    pub description: String,
    pub input_schema: Value,
}

/// Which tool the model must (or may) call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToolChoice {
    /// The model decides.
    Auto,
    /// Some tool, the model picks which.
    Any,
    /// Exactly this tool: structured output that works on every model (never with thinking).
    Tool {
        name: String,
    },
    None,
}

/// The answer to `POST /v1/messages`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessagesResponse {
    pub id: String,
    pub model: String,
    pub content: Vec<ContentBlock>,
    pub stop_reason: Option<StopReason>,
    #[serde(default)]
    pub usage: Usage,
    /// The `request-id` header, for support tickets and logs (not part of the body).
    #[serde(skip)]
    pub request_id: Option<String>,
}

impl MessagesResponse {
    /// The input of the first call to tool `name`, if the model made one.
    pub fn tool_input(&self, name: &str) -> Option<&Value> {
        self.content.iter().find_map(|block| match block {
            ContentBlock::ToolUse {
                name: called,
                input,
                ..
            } if called == name => Some(input),
            _ => None,
        })
    }

    /// All text blocks joined, for answers that are plain text.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                ContentBlock::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("")
    }
}

/// One block of the answer. Kinds the agent does not use (thinking, server tools) are `Other`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentBlock {
    Text {
        text: String,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    #[serde(other)]
    Other,
}

/// Why the model stopped. Unknown future values read as `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    EndTurn,
    MaxTokens,
    StopSequence,
    ToolUse,
    PauseTurn,
    Refusal,
    ModelContextWindowExceeded,
    #[serde(other)]
    Other,
}

impl StopReason {
    /// True when the answer is cut short or withheld, so nothing in it may be trusted.
    pub fn is_incomplete(self) -> bool {
        matches!(
            self,
            StopReason::MaxTokens
                | StopReason::Refusal
                | StopReason::PauseTurn
                | StopReason::ModelContextWindowExceeded
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::EndTurn => "end_turn",
            StopReason::MaxTokens => "max_tokens",
            StopReason::StopSequence => "stop_sequence",
            StopReason::ToolUse => "tool_use",
            StopReason::PauseTurn => "pause_turn",
            StopReason::Refusal => "refusal",
            StopReason::ModelContextWindowExceeded => "model_context_window_exceeded",
            StopReason::Other => "other",
        }
    }
}

/// Tokens billed for the call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_input_tokens: Option<u64>,
    pub cache_read_input_tokens: Option<u64>,
}

/// The error body: `{"type":"error","error":{"type":"…","message":"…"},"request_id":"req_…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(super) struct ErrorBody {
    pub error: ErrorDetail,
    #[serde(default)]
    pub request_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub(super) struct ErrorDetail {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub message: String,
}
