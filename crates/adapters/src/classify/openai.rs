//! The LLM classifier on an OpenAI-compatible server (llama.cpp, vLLM, Ollama, …): the same
//! rules, reply and schema as the Anthropic classifier, and the same checks on the answer.

use async_trait::async_trait;
use negotiator_vendors::openai::{OpenAiClient, StructuredError};

use super::anthropic::{read_answer, tool_call};
use crate::config::Structured;
use crate::llm::{openai, usage};
use negotiator_agent::ports::classifier::{Classified, Classifier, ClassifyError, ReplyContext};

/// Reads replies with a model behind OpenAI's chat completions API.
#[derive(Clone, Debug)]
pub struct OpenAiClassifier {
    client: OpenAiClient,
    model: String,
    mode: Structured,
    temperature: Option<f32>,
}

impl OpenAiClassifier {
    pub fn new(
        client: OpenAiClient,
        model: impl Into<String>,
        mode: Structured,
        temperature: Option<f32>,
    ) -> Self {
        OpenAiClassifier {
            client,
            model: model.into(),
            mode,
            temperature,
        }
    }
}

#[async_trait]
impl Classifier for OpenAiClassifier {
    async fn classify(&self, reply: &ReplyContext) -> Result<Classified, ClassifyError> {
        let call = openai::structured(&tool_call(&self.model, reply, self.temperature), self.mode);
        let answer = self
            .client
            .call_structured(&call)
            .await
            .map_err(|e| match e {
                StructuredError::Vendor(e) => ClassifyError::Vendor(e),
                other => ClassifyError::Unusable(other.to_string()),
            })?;
        let spent = usage::openai(&answer.usage, &self.model, usage::CLASSIFY);
        let reading = read_answer(answer.input, reply)?;
        Ok(Classified {
            reply: reading,
            usage: vec![spent],
        })
    }

    fn describe(&self) -> String {
        format!(
            "{} at {} (OpenAI-compatible)",
            self.model,
            self.client.base_url()
        )
    }
}
