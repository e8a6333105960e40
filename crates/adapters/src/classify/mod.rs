//! The classifier's adapters: the built-in rules (no LLM) and Anthropic.

pub mod anthropic;
mod rules;

pub use rules::RulesClassifier;
