//! What the language models cost and who serves them: usage turned into counters, the daily
//! token budget, the OpenAI-compatible requests, and the choice of provider per purpose.

pub mod budget;
pub mod doctor;
pub mod openai;
pub mod usage;
mod wire;

pub use wire::{LlmPorts, model_classifier, ports};

use negotiator_vendors::{ErrorKind, VendorError};

/// A 400: the model id, API version or a sampling parameter is not accepted. Retrying cannot
/// help and the reply is not the problem, so the job parks with what to fix.
pub fn is_configuration_error(error: &VendorError) -> bool {
    error.kind == ErrorKind::Rejected && error.status == Some(400)
}
