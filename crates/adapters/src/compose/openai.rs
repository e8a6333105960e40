//! The LLM composer on an OpenAI-compatible server: the same prompt, checks, gate and
//! template fallback as the Anthropic composer.

use async_trait::async_trait;
use negotiator_domain::gate::GatePolicy;
use negotiator_vendors::openai::{OpenAiClient, StructuredError};

use super::anthropic::{fallback, finish, tool_call};
use crate::config::Structured;
use crate::knowledge::Knowledge;
use crate::llm::{openai, usage};
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};

/// Writes emails with a model behind OpenAI's chat completions API, falling back to the
/// template.
#[derive(Clone, Debug)]
pub struct OpenAiComposer {
    client: OpenAiClient,
    model: String,
    mode: Structured,
    temperature: Option<f32>,
    gate: GatePolicy,
    knowledge: Knowledge,
}

impl OpenAiComposer {
    pub fn new(
        client: OpenAiClient,
        model: impl Into<String>,
        mode: Structured,
        temperature: Option<f32>,
    ) -> Self {
        OpenAiComposer {
            client,
            model: model.into(),
            mode,
            temperature,
            gate: GatePolicy::default(),
            knowledge: Knowledge::builtin(),
        }
    }

    /// The same composer checking its emails with `gate` (the one the workflow sends with).
    pub fn with_gate_policy(mut self, gate: GatePolicy) -> Self {
        self.gate = gate;
        self
    }

    /// The same composer writing with `knowledge` (see the Anthropic composer).
    pub fn with_knowledge(mut self, knowledge: Knowledge) -> Self {
        self.knowledge = knowledge;
        self
    }
}

#[async_trait]
impl Composer for OpenAiComposer {
    /// Fails only on a request the server refuses (a configuration error); any other problem
    /// sends the template's email.
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        let ComposeRequest {
            plan,
            sender,
            instructions,
        } = *request;
        let knowledge = self.knowledge.snapshot().await;
        let guidance = knowledge.guidance(plan.platform, plan.kind);
        let call = openai::structured(
            &tool_call(
                &self.model,
                plan,
                sender,
                &guidance,
                instructions,
                self.temperature,
            ),
            self.mode,
        );
        let fall_back = |why: &dyn std::fmt::Display, spent| {
            fallback(plan, sender, knowledge.wording(), &self.model, why, spent)
        };
        let answer = match self.client.call_structured(&call).await {
            Ok(answer) => answer,
            Err(StructuredError::Vendor(e)) if crate::llm::is_configuration_error(&e) => {
                return Err(ComposeError::Vendor(e));
            }
            Err(why) => {
                let spent = why
                    .usage()
                    .map(|u| usage::openai(&u, &self.model, usage::COMPOSE))
                    .into_iter()
                    .collect();
                return Ok(fall_back(&why, spent));
            }
        };
        let spent = vec![usage::openai(&answer.usage, &self.model, usage::COMPOSE)];
        match finish(answer.input, plan, sender, &self.gate) {
            Ok(body) => Ok(Composed { body, usage: spent }),
            Err(why) => Ok(fall_back(&why, spent)),
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} at {} (OpenAI-compatible; built-in templates as fallback)",
            self.model,
            self.client.base_url()
        )
    }
}
