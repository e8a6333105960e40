//! Anthropic Messages API with forced tool use for structured answers.
//!
//! - [`AnthropicClient::messages`] sends one `POST /v1/messages` with `x-api-key` and
//!   `anthropic-version` (2023-06-01 unless configured), logs the answer's `request-id` at debug, and classes
//!   failures: 429 (honouring `retry-after`), 500, 529 and connection errors are retried by the
//!   shared [`crate::RetryPolicy`]; 400, 401, 403, 404 and 413 are not.
//! - [`AnthropicClient::call_tool`] forces one tool (`tool_choice {type:"tool"}`) and returns
//!   its input, treating a `max_tokens` or `refusal` stop, or a missing `tool_use` block, as a
//!   failure rather than something to parse. Its tool and system prompt are marked as the
//!   cached prefix (`cache_control`), and the answer's `usage` counts cache writes and reads.
//! - A 400 is the request's fault (a model id, API version or sampling parameter the API does
//!   not take): never retried, and its message says which settings to check.
//!
//! Model ids are the caller's configuration; this module names none.

mod client;
mod errors;
mod tool;
mod types;

pub use client::{API_VERSION, AnthropicClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};
pub use tool::{ToolAnswer, ToolCall, ToolCallError};
pub use types::{
    CacheControl, ContentBlock, Message, MessagesRequest, MessagesResponse, Role, StopReason,
    SystemBlock, Tool, ToolChoice, Usage,
};
