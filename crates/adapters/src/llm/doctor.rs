//! `negotiator doctor` on the models: the provider settings, and whether each configured model
//! takes the request as configured (a 400 is a configuration error to fix, named here).

use negotiator_vendors::anthropic::{AnthropicClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT};

use super::openai;
use super::usage::{CLASSIFY, COMPOSE};
use super::wire::{problems, providers};
use crate::config::{Config, Provider};

/// `(what, found or what to fix)` for the providers and each model in use.
pub async fn checks(config: &Config) -> Vec<(String, Result<String, String>)> {
    let (classify, compose) = providers(config);
    let found = problems(config);
    let mut checks = vec![(
        "LLM providers".to_owned(),
        if found.is_empty() {
            Ok(format!(
                "replies are read by {}, emails written by {}{}",
                describe(classify),
                describe(compose),
                budgets(config)
            ))
        } else {
            Err(found.join("; "))
        },
    )];
    if config.anthropic.is_some() && config.secrets.anthropic_api_key.is_none() {
        checks.push((
            "Anthropic".to_owned(),
            Err("[anthropic] is configured but ANTHROPIC_API_KEY is not set".into()),
        ));
    }
    if checks[0].1.is_err() {
        return checks;
    }
    for (purpose, provider) in [(CLASSIFY, classify), (COMPOSE, compose)] {
        match provider {
            Provider::Anthropic => checks.push((
                format!("Anthropic ({purpose})"),
                anthropic_check(config, purpose).await,
            )),
            Provider::Openai => checks.push((
                format!("OpenAI-compatible ({purpose})"),
                openai_check(config, purpose).await,
            )),
            Provider::Rules | Provider::Template => {}
        }
    }
    checks
}

fn describe(provider: Provider) -> &'static str {
    match provider {
        Provider::Anthropic => "Anthropic",
        Provider::Openai => "an OpenAI-compatible server",
        Provider::Rules => "the built-in rules",
        Provider::Template => "the built-in templates",
    }
}

fn budgets(config: &Config) -> String {
    let limits = config.llm.daily_tokens;
    match (limits.classify, limits.compose) {
        (None, None) => "; no daily token budget".to_owned(),
        (classify, compose) => format!(
            "; daily token budget: classify {}, compose {}",
            classify.map_or("none".to_owned(), |n| n.to_string()),
            compose.map_or("none".to_owned(), |n| n.to_string())
        ),
    }
}

/// One single-token request with the model, version and sampling setting as configured.
async fn anthropic_check(config: &Config, purpose: &str) -> Result<String, String> {
    let default = Default::default();
    let settings = config.anthropic.as_ref().unwrap_or(&default);
    let key = config
        .secrets
        .anthropic_api_key
        .clone()
        .ok_or("ANTHROPIC_API_KEY is not set")?;
    let base = settings.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
    let mut client = AnthropicClient::new(base, key, DEFAULT_TIMEOUT).map_err(|e| e.to_string())?;
    if let Some(version) = &settings.api_version {
        client = client.with_api_version(version.clone());
    }
    let (model, temperature) = if purpose == CLASSIFY {
        (
            settings
                .classify_model
                .as_deref()
                .unwrap_or(crate::classify::anthropic::DEFAULT_MODEL),
            settings.classify_temperature,
        )
    } else {
        (
            settings
                .compose_model
                .as_deref()
                .unwrap_or(crate::compose::anthropic::DEFAULT_MODEL),
            settings.compose_temperature,
        )
    };
    client
        .check_model(model, temperature)
        .await
        .map(|answer| format!("{model} answers ({})", answer.model))
        .map_err(|e| e.to_string())
}

/// The server's model list holds the model, and a single-token request as configured passes.
async fn openai_check(config: &Config, purpose: &str) -> Result<String, String> {
    let default = Default::default();
    let settings = config.openai.as_ref().unwrap_or(&default);
    let client = openai::client(settings, config.secrets.openai_api_key.clone())
        .map_err(|e| e.to_string())?;
    let (model, temperature) = if purpose == CLASSIFY {
        (settings.classify_model(), settings.classify_temperature)
    } else {
        (settings.compose_model(), settings.compose_temperature)
    };
    let model = model.unwrap_or_default();
    let listed = match client.models().await {
        Ok(models) if models.is_empty() || models.iter().any(|m| m == model) => {
            format!("{} lists {model}", client.base_url())
        }
        Ok(models) => {
            return Err(format!(
                "{} does not list {model:?}; it offers {}. Set [openai] {purpose}_model or model \
                 to one of them",
                client.base_url(),
                models.join(", ")
            ));
        }
        // Some servers have no model list; the request below still says whether it answers.
        Err(e) if e.status == Some(404) => format!("{} has no model list", client.base_url()),
        Err(e) => {
            return Err(format!(
                "{e}; is [openai] base_url right and the server up?"
            ));
        }
    };
    client
        .check_model(model, temperature)
        .await
        .map(|()| format!("{listed}; a request as configured passes"))
        .map_err(|e| e.to_string())
}
