//! The classifier and composer `[llm]` asks for, each under its daily token budget, with
//! errors that name the missing settings.

use std::sync::Arc;

use negotiator_agent::AgentError;
use negotiator_agent::ports::classifier::Classifier;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_agent::ports::composer::Composer;
use negotiator_agent::ports::notifier::Notifier;
use negotiator_store::Store;

use super::budget::{BudgetedClassifier, BudgetedComposer, DailyBudget};
use super::{openai, usage};
use crate::classify::OpenAiClassifier;
use crate::classify::anthropic::AnthropicClassifier;
use crate::compose::OpenAiComposer;
use crate::compose::anthropic::AnthropicComposer;
use crate::config::{Config, Provider};
use crate::knowledge::Knowledge;

/// The two ports a model may serve.
pub struct LlmPorts {
    pub classifier: Arc<dyn Classifier>,
    pub composer: Arc<dyn Composer>,
}

impl std::fmt::Debug for LlmPorts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmPorts")
            .field("classifier", &self.classifier.describe())
            .field("composer", &self.composer.describe())
            .finish()
    }
}

/// The provider for each purpose: `[llm]`'s choice, else Anthropic when `[anthropic]` and its
/// key are both present, else none.
pub fn providers(config: &Config) -> (Provider, Provider) {
    let anthropic = config.anthropic.is_some() && config.secrets.anthropic_api_key.is_some();
    let classify = config.llm.classify.unwrap_or(if anthropic {
        Provider::Anthropic
    } else {
        Provider::Rules
    });
    let compose = config.llm.compose.unwrap_or(if anthropic {
        Provider::Anthropic
    } else {
        Provider::Template
    });
    (classify, compose)
}

/// What a provider choice is missing, each problem naming the setting to add.
pub fn problems(config: &Config) -> Vec<String> {
    let (classify, compose) = providers(config);
    let mut found = Vec::new();
    for (purpose, provider) in [(usage::CLASSIFY, classify), (usage::COMPOSE, compose)] {
        match provider {
            Provider::Anthropic => {
                if config.secrets.anthropic_api_key.is_none() {
                    found.push(format!(
                        "[llm] {purpose} = \"anthropic\" needs ANTHROPIC_API_KEY in the environment"
                    ));
                }
            }
            Provider::Openai => {
                let Some(openai) = &config.openai else {
                    found.push(format!(
                        "[llm] {purpose} = \"openai\" needs an [openai] section with base_url and model"
                    ));
                    continue;
                };
                if openai
                    .base_url
                    .as_deref()
                    .is_none_or(|u| u.trim().is_empty())
                {
                    found.push(format!(
                        "[llm] {purpose} = \"openai\" needs [openai] base_url (e.g. \"http://localhost:11434/v1\")"
                    ));
                }
                let model = if purpose == usage::CLASSIFY {
                    openai.classify_model()
                } else {
                    openai.compose_model()
                };
                if model.is_none_or(|m| m.trim().is_empty()) {
                    found.push(format!(
                        "[llm] {purpose} = \"openai\" needs [openai] model (or {purpose}_model)"
                    ));
                }
                if let Some(name) = &openai.api_key_env
                    && config.secrets.openai_api_key.is_none()
                {
                    found.push(format!(
                        "[openai] api_key_env names {name}, which is not set in the environment"
                    ));
                }
            }
            Provider::Rules if purpose == usage::COMPOSE => found.push(
                "[llm] compose = \"rules\": the composer without a model is \"template\"".into(),
            ),
            Provider::Template if purpose == usage::CLASSIFY => found.push(
                "[llm] classify = \"template\": the classifier without a model is \"rules\"".into(),
            ),
            Provider::Rules | Provider::Template => {}
        }
    }
    found.dedup();
    found
}

/// The classifier and composer for `config`, with `fallback` below the model ones; `None`
/// for a purpose served without a model. Refuses to start on a provider missing a setting.
pub fn ports(
    config: &Config,
    store: &Store,
    notifier: Arc<dyn Notifier>,
    fallback: LlmPorts,
    knowledge: &Knowledge,
) -> Result<LlmPorts, AgentError> {
    // Checks the configuration for both purposes first: a problem refuses the start.
    let model_classifier = model_classifier(config)?;
    let (_, compose) = providers(config);
    let anthropic = config.anthropic.clone().unwrap_or_default();
    let open = config.openai.clone().unwrap_or_default();
    let budget = |purpose: &'static str, limit: Option<u64>| {
        DailyBudget::new(
            store.clone(),
            purpose,
            limit,
            notifier.clone(),
            Arc::new(SystemClock),
        )
    };
    let gate = config.agent.gate.clone();
    let model_composer: Option<Arc<dyn Composer>> = match compose {
        Provider::Anthropic => Some(Arc::new(
            AnthropicComposer::from_config(&anthropic, anthropic_key(config))?
                .with_gate_policy(gate)
                .with_knowledge(knowledge.clone()),
        )),
        Provider::Openai => Some(Arc::new(
            OpenAiComposer::new(
                openai::client(&open, config.secrets.openai_api_key.clone())?,
                open.compose_model().unwrap_or_default(),
                open.structured,
                open.compose_temperature,
            )
            .with_gate_policy(gate)
            .with_knowledge(knowledge.clone()),
        )),
        Provider::Rules | Provider::Template => None,
    };
    let limits = config.llm.daily_tokens;
    Ok(LlmPorts {
        classifier: match model_classifier {
            Some(llm) => Arc::new(BudgetedClassifier {
                llm,
                fallback: fallback.classifier.clone(),
                budget: budget(usage::CLASSIFY, limits.classify),
            }),
            None => fallback.classifier,
        },
        composer: match model_composer {
            Some(llm) => Arc::new(BudgetedComposer {
                llm,
                fallback: fallback.composer.clone(),
                budget: budget(usage::COMPOSE, limits.compose),
            }),
            None => fallback.composer,
        },
    })
}

/// The model classifier `[llm] classify` chooses (without its daily budget), or `None` when
/// replies are read by the rules. Refuses a provider missing a setting.
pub fn model_classifier(config: &Config) -> Result<Option<Arc<dyn Classifier>>, AgentError> {
    let found = problems(config);
    if !found.is_empty() {
        return Err(AgentError::Invalid(found.join("; ")));
    }
    let (classify, _) = providers(config);
    let anthropic = config.anthropic.clone().unwrap_or_default();
    let open = config.openai.clone().unwrap_or_default();
    Ok(match classify {
        Provider::Anthropic => Some(Arc::new(AnthropicClassifier::from_config(
            &anthropic,
            anthropic_key(config),
        )?)),
        Provider::Openai => Some(Arc::new(OpenAiClassifier::new(
            openai::client(&open, config.secrets.openai_api_key.clone())?,
            open.classify_model().unwrap_or_default(),
            open.structured,
            open.classify_temperature,
        ))),
        Provider::Rules | Provider::Template => None,
    })
}

/// The Anthropic key (present whenever a purpose uses Anthropic: `problems` refuses it missing).
fn anthropic_key(config: &Config) -> negotiator_vendors::Secret {
    config
        .secrets
        .anthropic_api_key
        .clone()
        .unwrap_or_else(|| negotiator_vendors::Secret::new(""))
}
