//! The classifier's adapters: the built-in rules (no LLM), Anthropic and OpenAI-compatible
//! servers.

pub mod anthropic;
mod openai;
mod rules;

pub use openai::OpenAiClassifier;
pub use rules::RulesClassifier;
