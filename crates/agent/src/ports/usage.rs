//! What one call to a language model cost: tokens in and out, and those written to or read
//! from the provider's prompt cache. Ports that may call a model report it with their answer.

use serde::{Deserialize, Serialize};

/// The usage of one model call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelUsage {
    /// Who served it (`anthropic`, `openai-compatible`).
    pub provider: String,
    pub model: String,
    /// What the call was for (`classify`, `compose`).
    pub purpose: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Input tokens written to the prompt cache.
    pub cache_write_tokens: u64,
    /// Input tokens served from the prompt cache.
    pub cache_read_tokens: u64,
}
