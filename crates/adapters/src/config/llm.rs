//! `[llm]` (which provider reads replies and which writes emails, and their daily token
//! budgets) and `[openai]` (an OpenAI-compatible server: llama.cpp, vLLM, Ollama, …).

use serde::Deserialize;

/// Who does a purpose's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Anthropic,
    /// Any server with OpenAI's chat completions API, set in `[openai]`.
    Openai,
    /// No model: the built-in rules classifier.
    Rules,
    /// No model: the built-in templates.
    Template,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Anthropic => "anthropic",
            Provider::Openai => "openai",
            Provider::Rules => "rules",
            Provider::Template => "template",
        }
    }
}

/// `[llm]`. Unset providers keep the old behaviour: Anthropic when `[anthropic]` and
/// `ANTHROPIC_API_KEY` are both present, else no model.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// `anthropic`, `openai` or `rules`.
    pub classify: Option<Provider>,
    /// `anthropic`, `openai` or `template`.
    pub compose: Option<Provider>,
    /// Most tokens (in + out, cache reads included) per UTC day and purpose; past it the rules
    /// or templates take over until midnight UTC and the team is told once.
    pub daily_tokens: DailyTokens,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DailyTokens {
    pub classify: Option<u64>,
    pub compose: Option<u64>,
}

/// How the server is asked for a JSON answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Structured {
    /// `response_format: {type: "json_schema"}` (vLLM, llama.cpp's server, Ollama ≥ 0.5).
    #[default]
    JsonSchema,
    /// One forced function call, for servers without JSON-schema output.
    Tools,
}

/// `[openai]`: an OpenAI-compatible chat completions server.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenAiConfig {
    /// Including `/v1`, e.g. `http://localhost:11434/v1` (Ollama), `http://localhost:8080/v1`
    /// (llama.cpp), `http://localhost:8000/v1` (vLLM).
    pub base_url: Option<String>,
    /// The model for both purposes unless `classify_model` / `compose_model` say otherwise.
    pub model: Option<String>,
    pub classify_model: Option<String>,
    pub compose_model: Option<String>,
    /// The environment variable holding the API key; none is sent when unset (local servers).
    pub api_key_env: Option<String>,
    pub structured: Structured,
    /// Sent only when set: many models take none, some refuse it.
    pub classify_temperature: Option<f32>,
    pub compose_temperature: Option<f32>,
    /// Seconds to wait for an answer (120 by default; a CPU-bound local model is slow).
    pub timeout_secs: Option<u64>,
}

impl OpenAiConfig {
    pub fn classify_model(&self) -> Option<&str> {
        self.classify_model.as_deref().or(self.model.as_deref())
    }

    pub fn compose_model(&self) -> Option<&str> {
        self.compose_model.as_deref().or(self.model.as_deref())
    }
}
