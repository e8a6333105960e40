//! The composer's adapters: the built-in templates, and Anthropic writing prose around the
//! templates' money lines.

pub mod anthropic;
mod template;

pub use template::TemplateComposer;
