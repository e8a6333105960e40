//! The LLM classifier: Anthropic reads a reply through a forced tool call.
