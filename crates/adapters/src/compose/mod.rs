//! The composer's adapters: the built-in templates, and Anthropic writing prose around the
//! templates' money lines (or an OpenAI-compatible server doing the same).

pub mod anthropic;
mod openai;
mod template;

pub use openai::OpenAiComposer;
pub use template::TemplateComposer;
