//! The LLM composer: Anthropic writes the prose; the money lines come from the plan.
//!
//! The model is given no amount and writes only a greeting and the paragraphs around the scope
//! of work (`prompt`, `prose`). The scope block with our rate, an agreement's next steps and
//! the signature are written from the plan (`assemble`). The whole text then goes through the
//! validation gate here; whenever the model's email cannot be used (the call failed, the
//! answer was unusable, or the gate refused the text) the built-in template is returned
//! instead, with the reason logged, so the LLM never blocks or breaks an email.

mod assemble;
mod prompt;
mod prose;

use async_trait::async_trait;
use negotiator_domain::gate::{self, GateFailure, GatePolicy};
use negotiator_domain::wording::Wording;
use negotiator_domain::{Budget, EmailPlan, Sender, template};
use negotiator_vendors::anthropic::{
    AnthropicClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, ToolCall, ToolCallError,
};
use negotiator_vendors::{Secret, VendorError};

use crate::config::AnthropicConfig;
use crate::knowledge::{Knowledge, Snapshot};
use crate::llm::usage;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_agent::ports::usage::ModelUsage;

/// The model used when `[anthropic] compose_model` is not set: Claude Sonnet 4.5, pinned to
/// its dated snapshot so the tone does not shift under us; its prose is better than Haiku's,
/// and an email is written far less often than a reply is read.
pub const DEFAULT_MODEL: &str = "claude-sonnet-4-5-20250929";

/// A short email's prose with a wide margin; an answer cut short is not used.
const MAX_TOKENS: u32 = 2048;

/// Writes emails with an Anthropic model, falling back to the template.
#[derive(Clone, Debug)]
pub struct AnthropicComposer {
    client: AnthropicClient,
    model: String,
    gate: GatePolicy,
    /// Sent only when configured.
    temperature: Option<f32>,
    knowledge: Knowledge,
}

/// Why the model's email was not used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Unused {
    #[error(transparent)]
    Call(#[from] ToolCallError),
    #[error("{0}")]
    Prose(String),
    #[error(transparent)]
    Gate(#[from] GateFailure),
}

impl AnthropicComposer {
    /// Checks its emails with the default gate policy.
    pub fn new(client: AnthropicClient, model: impl Into<String>) -> Self {
        AnthropicComposer {
            client,
            model: model.into(),
            gate: GatePolicy::default(),
            temperature: None,
            knowledge: Knowledge::builtin(),
        }
    }

    /// From `[anthropic]`: its `base_url`, `api_version`, `compose_model` and
    /// `compose_temperature`, else the public API, 2023-06-01, [`DEFAULT_MODEL`] and no
    /// sampling parameter.
    pub fn from_config(config: &AnthropicConfig, api_key: Secret) -> Result<Self, VendorError> {
        let base_url = config.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let mut client = AnthropicClient::new(base_url, api_key, DEFAULT_TIMEOUT)?;
        if let Some(version) = &config.api_version {
            client = client.with_api_version(version.clone());
        }
        let model = config.compose_model.as_deref().unwrap_or(DEFAULT_MODEL);
        let mut composer = AnthropicComposer::new(client, model);
        composer.temperature = config.compose_temperature;
        Ok(composer)
    }

    /// The same composer checking its emails with `gate` (the one the workflow sends with).
    pub fn with_gate_policy(mut self, gate: GatePolicy) -> Self {
        self.gate = gate;
        self
    }

    /// The same composer writing with `knowledge` (the team's playbook, platform and stage
    /// files, and its fallback template's words).
    pub fn with_knowledge(mut self, knowledge: Knowledge) -> Self {
        self.knowledge = knowledge;
        self
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// The model's email, or why it cannot be used, and what the call cost.
    async fn draft(
        &self,
        plan: &EmailPlan,
        sender: &Sender,
        instructions: Option<&str>,
        knowledge: &Snapshot,
        spent: &mut Vec<ModelUsage>,
    ) -> Result<String, Unused> {
        let guidance = knowledge.guidance(plan.platform, plan.kind);
        let call = tool_call(
            &self.model,
            plan,
            sender,
            &guidance,
            instructions,
            self.temperature,
        );
        let answer = self.client.call_tool(&call).await?;
        spent.push(usage::anthropic(&answer.usage, &self.model, usage::COMPOSE));
        let text = finish(answer.input, plan, sender, &self.gate)?;
        tracing::debug!(
            request_id = answer.request_id.as_deref().unwrap_or("-"),
            kind = plan.kind.as_str(),
            "Anthropic wrote an email that passed the gate"
        );
        Ok(text)
    }
}

/// The forced call that writes `plan`'s prose (the same for every provider): the knowledge
/// base's `guidance` for its platform and stage in the system prompt, the campaign's
/// `instructions` in the user message.
pub(crate) fn tool_call(
    model: &str,
    plan: &EmailPlan,
    sender: &Sender,
    guidance: &str,
    instructions: Option<&str>,
    temperature: Option<f32>,
) -> ToolCall {
    ToolCall {
        model: model.to_owned(),
        system: prompt::system(guidance),
        prompt: prompt::user(plan, sender, instructions),
        tool: prompt::tool(),
        max_tokens: MAX_TOKENS,
        temperature,
    }
}

/// The model's prose checked, put together with the plan's lines and passed through the gate.
pub(crate) fn finish(
    input: serde_json::Value,
    plan: &EmailPlan,
    sender: &Sender,
    policy: &GatePolicy,
) -> Result<String, Unused> {
    let prose = prose::read(input, plan).map_err(Unused::Prose)?;
    let text = assemble::assemble(plan, sender, &prose);
    gate::check(&text, plan, &Budget::plan_only(plan.ceiling_rate), policy)?;
    Ok(text)
}

/// The template's email when the model's cannot be used, with the reason logged.
pub(crate) fn fallback(
    plan: &EmailPlan,
    sender: &Sender,
    wording: &Wording,
    model: &str,
    why: &dyn std::fmt::Display,
    usage: Vec<ModelUsage>,
) -> Composed {
    tracing::warn!(
        kind = plan.kind.as_str(),
        model = %model,
        reason = %why,
        "the LLM's email was not used; sending the built-in template instead"
    );
    Composed {
        body: template::render_with(plan, sender, wording),
        usage,
    }
}

#[async_trait]
impl Composer for AnthropicComposer {
    /// Never fails: when the model's email cannot be used, the template's is returned.
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        let ComposeRequest {
            plan,
            sender,
            instructions,
        } = *request;
        let mut spent = Vec::new();
        let knowledge = self.knowledge.snapshot().await;
        match self
            .draft(plan, sender, instructions, &knowledge, &mut spent)
            .await
        {
            Ok(body) => Ok(Composed { body, usage: spent }),
            // A request the API refuses is a configuration error: a template would hide it.
            Err(Unused::Call(ToolCallError::Vendor(e)))
                if crate::llm::is_configuration_error(&e) =>
            {
                Err(ComposeError::Vendor(e))
            }
            Err(why) => Ok(fallback(
                plan,
                sender,
                knowledge.wording(),
                &self.model,
                &why,
                spent,
            )),
        }
    }

    fn describe(&self) -> String {
        format!("Anthropic {} (built-in templates as fallback)", self.model)
    }
}
