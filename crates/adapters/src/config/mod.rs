//! `negotiator.toml` (what to do) plus secrets from the environment (who we are to each
//! service). Every section is optional: with none, everything runs on the local adapters.

mod gmail_push;
mod integrations;
mod knowledge;
mod llm;
mod sending;
mod server;

use std::path::{Path, PathBuf};

use negotiator_vendors::Secret;
use serde::Deserialize;

pub use gmail_push::{GmailPushConfig, PushAuthConfig};
pub use integrations::{AnthropicConfig, ClickUpConfig, GoogleConfig, SlackChannels, SlackConfig};
pub use knowledge::{knowledge, knowledge_check};
pub use llm::{DailyTokens, LlmConfig, OpenAiConfig, Provider, Structured};
pub use sending::SendingConfig;
pub use server::ServerConfig;

use negotiator_agent::settings::Settings;

/// The whole configuration file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Who the agent is, the team, the negotiation policy and the gate.
    pub agent: Settings,
    /// Where the local adapters keep their files.
    pub local: LocalConfig,
    pub server: ServerConfig,
    /// The pace of outbound email.
    pub sending: SendingConfig,
    pub slack: Option<SlackConfig>,
    pub clickup: Option<ClickUpConfig>,
    pub anthropic: Option<AnthropicConfig>,
    /// Which provider reads replies and writes emails, and their daily token budgets.
    pub llm: LlmConfig,
    pub openai: Option<OpenAiConfig>,
    pub google: Option<GoogleConfig>,
    pub gmail_push: Option<GmailPushConfig>,
    /// Set from the environment, never from the file.
    #[serde(skip)]
    pub secrets: Secrets,
    /// The file this came from, if any.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LocalConfig {
    /// Folder of roster.csv, mail/ and notices.jsonl.
    pub data_dir: PathBuf,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            data_dir: PathBuf::from("data"),
        }
    }
}

/// Credentials, from the environment only.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    pub clickup_api_token: Option<Secret>,
    pub clickup_webhook_secret: Option<Secret>,
    pub slack_bot_token: Option<Secret>,
    pub slack_signing_secret: Option<Secret>,
    pub anthropic_api_key: Option<Secret>,
    /// From the variable `[openai] api_key_env` names.
    pub openai_api_key: Option<Secret>,
    /// Path of the Google service-account key file.
    pub google_credentials: Option<PathBuf>,
}

impl Secrets {
    pub fn from_env() -> Self {
        Secrets {
            clickup_api_token: Secret::from_env("CLICKUP_API_TOKEN"),
            clickup_webhook_secret: Secret::from_env("CLICKUP_WEBHOOK_SECRET"),
            slack_bot_token: Secret::from_env("SLACK_BOT_TOKEN"),
            slack_signing_secret: Secret::from_env("SLACK_SIGNING_SECRET"),
            anthropic_api_key: Secret::from_env("ANTHROPIC_API_KEY"),
            openai_api_key: None,
            google_credentials: Secret::from_env("GOOGLE_APPLICATION_CREDENTIALS")
                .map(|s| PathBuf::from(s.expose())),
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid negotiator.toml: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Reads `path` if given (an error if it is missing), else `negotiator.toml` in the
    /// working directory if it exists, else the defaults; then the secrets from the environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let default = Path::new("negotiator.toml");
        let chosen = match path {
            Some(p) => Some(p),
            None => default.exists().then_some(default),
        };
        let mut config = match chosen {
            None => Config::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
                    path: path.to_owned(),
                    source,
                })?;
                let mut config = Config::parse(&text).map_err(|message| ConfigError::Invalid {
                    path: path.to_owned(),
                    message,
                })?;
                config.source = Some(path.to_owned());
                config
            }
        };
        config.secrets = Secrets::from_env();
        config.secrets.openai_api_key = config
            .openai
            .as_ref()
            .and_then(|o| o.api_key_env.as_deref())
            .and_then(Secret::from_env);
        Ok(config)
    }

    /// Parses configuration text (no secrets).
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.sending.pace()?;
        Ok(config)
    }

    /// The agent's settings with the `[sending]` pace in them.
    pub fn settings(&self) -> Settings {
        let mut settings = self.agent.clone();
        // Checked when the file was parsed; the defaults are always sound.
        settings.pace = self.sending.pace().unwrap_or_default();
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_means_every_default() {
        let config = Config::parse("").unwrap();
        assert!(config.slack.is_none() && config.clickup.is_none());
        assert_eq!(config.local.data_dir, PathBuf::from("data"));
        assert_eq!(config.agent, Settings::default());
    }

    #[test]
    fn a_typo_is_named() {
        let error = Config::parse("[agnet]\nagent_address = \"a@b.c\"").unwrap_err();
        assert!(error.contains("agnet"), "{error}");
        let error = Config::parse("[agent]\nagent_adress = \"a@b.c\"").unwrap_err();
        assert!(error.contains("agent_adress"), "{error}");
    }

    #[test]
    fn sections_set_what_they_name() {
        let config = Config::parse(
            r#"
            [agent]
            agent_address = "deals@agency.example"
            team_domains = ["agency.example"]
            [agent.policy.concession]
            round_up_to = "$10"
            [server]
            bind = "0.0.0.0:9000"
            [slack.channels]
            escalation = "C01"
            "#,
        )
        .unwrap();
        assert_eq!(config.agent.agent_address, "deals@agency.example");
        assert_eq!(
            config.agent.policy.concession.round_up_to,
            Some(negotiator_domain::Money::from_dollars(10))
        );
        assert_eq!(config.server.bind, "0.0.0.0:9000");
        assert_eq!(
            config.slack.unwrap().channels.escalation.as_deref(),
            Some("C01")
        );
    }
}
