//! Anthropic Messages API with forced tool use for structured answers.
