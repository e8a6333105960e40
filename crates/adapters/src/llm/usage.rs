//! A provider's `usage` turned into the port's [`ModelUsage`], and counted on `/metrics`.

use negotiator_agent::ports::usage::ModelUsage;
use negotiator_vendors::{anthropic, openai};

pub const CLASSIFY: &str = "classify";
pub const COMPOSE: &str = "compose";

pub const ANTHROPIC: &str = "anthropic";
pub const OPENAI: &str = "openai-compatible";

/// Anthropic counts cache writes and reads apart from `input_tokens` (the uncached rest).
pub fn anthropic(usage: &anthropic::Usage, model: &str, purpose: &str) -> ModelUsage {
    ModelUsage {
        provider: ANTHROPIC.to_owned(),
        model: model.to_owned(),
        purpose: purpose.to_owned(),
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cache_write_tokens: usage.cache_creation_input_tokens.unwrap_or(0),
        cache_read_tokens: usage.cache_read_input_tokens.unwrap_or(0),
    }
}

/// OpenAI's `prompt_tokens` include the cached ones; they are split out so both providers
/// read the same way (input = uncached input).
pub fn openai(usage: &openai::Usage, model: &str, purpose: &str) -> ModelUsage {
    let cached = usage.cached_tokens().min(usage.prompt_tokens);
    ModelUsage {
        provider: OPENAI.to_owned(),
        model: model.to_owned(),
        purpose: purpose.to_owned(),
        input_tokens: usage.prompt_tokens - cached,
        output_tokens: usage.completion_tokens,
        cache_write_tokens: 0,
        cache_read_tokens: cached,
    }
}

/// Every token the call was billed or counted for: what the daily budget counts.
pub fn total(usage: &ModelUsage) -> u64 {
    usage
        .input_tokens
        .saturating_add(usage.output_tokens)
        .saturating_add(usage.cache_write_tokens)
        .saturating_add(usage.cache_read_tokens)
}

/// `negotiator_llm_calls_total` and `negotiator_llm_tokens_total{kind}` by provider, model
/// and purpose.
pub fn count(usage: &ModelUsage) {
    metrics::counter!(
        "negotiator_llm_calls_total",
        "provider" => usage.provider.clone(),
        "model" => usage.model.clone(),
        "purpose" => usage.purpose.clone()
    )
    .increment(1);
    for (kind, tokens) in [
        ("input", usage.input_tokens),
        ("output", usage.output_tokens),
        ("cache_write", usage.cache_write_tokens),
        ("cache_read", usage.cache_read_tokens),
    ] {
        metrics::counter!(
            "negotiator_llm_tokens_total",
            "provider" => usage.provider.clone(),
            "model" => usage.model.clone(),
            "purpose" => usage.purpose.clone(),
            "kind" => kind
        )
        .increment(tokens);
    }
}
