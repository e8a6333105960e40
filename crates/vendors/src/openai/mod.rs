//! OpenAI-compatible chat completions: what llama.cpp's server, vLLM, Ollama and hosted
//! OpenAI-style APIs expose.
//!
//! - [`OpenAiClient::chat`] sends one `POST {base_url}/chat/completions` (the base URL
//!   includes `/v1`), with `Authorization: Bearer` only when a key is configured. 429 (after
//!   its `retry-after`), 5xx, timeouts and broken connections are retried by the shared
//!   [`crate::RetryPolicy`]; 400, 401, 403 and 404 are not, and a 400 names the settings to check.
//! - [`OpenAiClient::call_structured`] asks for one JSON object matching a schema, either
//!   through `response_format: {type: json_schema}` or, for servers without it, one forced
//!   function call. A `length` or `content_filter` finish, a refusal, or an answer with no
//!   object is a failure, never something to parse.
//! - [`OpenAiClient::models`] lists `GET {base_url}/models`, for `doctor`.

mod client;
mod structured;
mod types;

pub use client::{DEFAULT_TIMEOUT, OpenAiClient};
pub use structured::{StructuredAnswer, StructuredCall, StructuredError, StructuredMode};
pub use types::{ChatRequest, ChatResponse, Usage};
