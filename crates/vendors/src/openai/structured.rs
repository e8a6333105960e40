//! One JSON object matching a schema: through `response_format` (JSON-schema structured
//! output) or, where the server lacks it, one forced function call.

use serde_json::{Value, json};

use super::client::OpenAiClient;
use super::types::{ChatMessage, ChatRequest, ChatResponse, Usage};
use crate::http::VendorError;

/// How the server is asked for structured output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StructuredMode {
    /// `response_format: {type: "json_schema", json_schema: {name, schema, strict: true}}`
    /// (OpenAI, vLLM, llama.cpp's server, Ollama ≥ 0.5).
    #[default]
    JsonSchema,
    /// One function in `tools`, forced by `tool_choice`.
    Tools,
}

/// What to ask: the instructions, the message, and the object's name and schema.
#[derive(Clone, Debug, PartialEq)]
pub struct StructuredCall {
    pub model: String,
    pub system: String,
    pub prompt: String,
    /// A name of letters, digits, `_` and `-`.
    pub name: String,
    pub description: String,
    pub schema: Value,
    pub max_tokens: u32,
    pub temperature: Option<f32>,
    pub mode: StructuredMode,
}

impl StructuredCall {
    pub fn request(&self) -> ChatRequest {
        let mut request = ChatRequest {
            model: self.model.clone(),
            messages: vec![
                ChatMessage::new("system", self.system.clone()),
                ChatMessage::new("user", self.prompt.clone()),
            ],
            max_tokens: self.max_tokens,
            temperature: self.temperature,
            response_format: None,
            tools: Vec::new(),
            tool_choice: None,
        };
        match self.mode {
            StructuredMode::JsonSchema => {
                request.response_format = Some(json!({
                    "type": "json_schema",
                    "json_schema": {
                        "name": self.name,
                        "description": self.description,
                        "schema": self.schema,
                        "strict": true
                    }
                }));
            }
            StructuredMode::Tools => {
                request.tools = vec![json!({
                    "type": "function",
                    "function": {
                        "name": self.name,
                        "description": self.description,
                        "parameters": self.schema
                    }
                })];
                request.tool_choice = Some(json!({
                    "type": "function",
                    "function": {"name": self.name}
                }));
            }
        }
        request
    }
}

/// The object the model wrote, not yet validated, and what the call cost.
#[derive(Clone, Debug, PartialEq)]
pub struct StructuredAnswer {
    pub input: Value,
    /// The model that answered, as the server names it.
    pub model: String,
    pub usage: Usage,
}

/// Why a structured call gave nothing usable. Usage is kept: the tokens were spent.
#[derive(Debug, thiserror::Error)]
pub enum StructuredError {
    #[error(transparent)]
    Vendor(#[from] VendorError),
    /// `length` (cut short) or `content_filter`: the object may be partial or withheld.
    #[error("the model stopped early ({0}), so its answer was not used")]
    Incomplete(String, Usage),
    #[error("the model refused: {0}")]
    Refused(String, Usage),
    /// No object where one was asked for, or one that is not JSON.
    #[error("the model's answer holds no usable JSON object: {0}")]
    NoObject(String, Usage),
}

impl StructuredError {
    /// The tokens the failed call still cost.
    pub fn usage(&self) -> Option<Usage> {
        match self {
            StructuredError::Vendor(_) => None,
            StructuredError::Incomplete(_, u)
            | StructuredError::Refused(_, u)
            | StructuredError::NoObject(_, u) => Some(*u),
        }
    }
}

impl OpenAiClient {
    /// Runs `call` and returns the object the model wrote.
    pub async fn call_structured(
        &self,
        call: &StructuredCall,
    ) -> Result<StructuredAnswer, StructuredError> {
        let answer = self.chat(&call.request()).await?;
        object(answer, call)
    }
}

fn object(
    answer: ChatResponse,
    call: &StructuredCall,
) -> Result<StructuredAnswer, StructuredError> {
    let usage = answer.usage;
    let Some(choice) = answer.choices.into_iter().next() else {
        return Err(StructuredError::NoObject("no choices".into(), usage));
    };
    if let Some(refusal) = choice.message.refusal.filter(|r| !r.trim().is_empty()) {
        return Err(StructuredError::Refused(refusal, usage));
    }
    if let Some(reason @ ("length" | "content_filter")) = choice.finish_reason.as_deref() {
        return Err(StructuredError::Incomplete(reason.to_owned(), usage));
    }
    let text = match call.mode {
        StructuredMode::Tools => choice
            .message
            .tool_calls
            .into_iter()
            .find(|c| c.function.name == call.name)
            .map(|c| c.function.arguments)
            .ok_or_else(|| StructuredError::NoObject(format!("no call of {}", call.name), usage))?,
        StructuredMode::JsonSchema => choice.message.content.unwrap_or_default(),
    };
    let input: Value = serde_json::from_str(strip_fence(&text))
        .map_err(|e| StructuredError::NoObject(e.to_string(), usage))?;
    if !input.is_object() {
        return Err(StructuredError::NoObject("not an object".into(), usage));
    }
    Ok(StructuredAnswer {
        input,
        model: if answer.model.is_empty() {
            call.model.clone()
        } else {
            answer.model
        },
        usage,
    })
}

/// Some local models wrap JSON in a Markdown fence even when asked for a schema.
fn strip_fence(text: &str) -> &str {
    let trimmed = text.trim();
    trimmed
        .strip_prefix("```json")
        .or_else(|| trimmed.strip_prefix("```"))
        .and_then(|rest| rest.strip_suffix("```"))
        .map_or(trimmed, str::trim)
}
