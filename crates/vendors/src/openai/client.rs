//! `POST /chat/completions` and `GET /models` with an optional bearer key.

use std::time::Duration;

use reqwest::RequestBuilder;
use reqwest::header::HeaderValue;

use super::types::{ChatRequest, ChatResponse, ModelList};
use crate::http::{Answer, ErrorKind, HttpClient, RetryPolicy, VendorError};
use crate::secret::Secret;

/// Local models can be slow to answer on a CPU; a little more room than a hosted API needs.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

const SERVICE: &str = "OpenAI-compatible server";

/// A chat completions client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct OpenAiClient {
    http: HttpClient,
    /// Without a trailing slash, including `/v1` (e.g. `http://localhost:11434/v1`).
    base_url: String,
    api_key: Option<Secret>,
    retry: RetryPolicy,
}

impl OpenAiClient {
    pub fn new(
        base_url: impl Into<String>,
        api_key: Option<Secret>,
        timeout: Duration,
    ) -> Result<Self, VendorError> {
        let base_url: String = base_url.into();
        Ok(OpenAiClient {
            http: HttpClient::new(SERVICE, timeout)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key: api_key.filter(|k| !k.expose().is_empty()),
            retry: RetryPolicy::default(),
        })
    }

    /// The same client with another retry policy (tests use [`RetryPolicy::immediate`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends one chat completion, retrying what may pass later.
    pub async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, VendorError> {
        self.retry.run(SERVICE, || self.chat_once(request)).await
    }

    /// The ids of the models the server offers.
    pub async fn models(&self) -> Result<Vec<String>, VendorError> {
        let builder =
            self.authorized(self.http.inner().get(format!("{}/models", self.base_url)))?;
        let body = self.answer(builder, None).await?;
        let list: ModelList = self.http.decode(&body)?;
        Ok(list.data.into_iter().map(|m| m.id).collect())
    }

    async fn chat_once(&self, request: &ChatRequest) -> Result<ChatResponse, VendorError> {
        let builder = self
            .authorized(
                self.http
                    .inner()
                    .post(format!("{}/chat/completions", self.base_url)),
            )?
            .json(request);
        let body = self.answer(builder, Some(&request.model)).await?;
        let answer: ChatResponse = serde_json::from_slice(&body).map_err(|e| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("unexpected answer: {e}"),
            )
        })?;
        tracing::debug!(
            model = %request.model,
            input_tokens = answer.usage.prompt_tokens,
            output_tokens = answer.usage.completion_tokens,
            cache_read_tokens = answer.usage.cached_tokens(),
            "OpenAI-compatible usage"
        );
        Ok(answer)
    }

    fn authorized(&self, builder: RequestBuilder) -> Result<RequestBuilder, VendorError> {
        let Some(key) = &self.api_key else {
            return Ok(builder);
        };
        let mut value =
            HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                VendorError::new(
                    SERVICE,
                    ErrorKind::Unauthorized,
                    "the API key holds characters a header cannot carry",
                )
            })?;
        value.set_sensitive(true);
        Ok(builder.header("authorization", value))
    }

    /// The body of a 2xx answer, or the classed error (the key never in its message).
    async fn answer(
        &self,
        builder: RequestBuilder,
        model: Option<&str>,
    ) -> Result<Vec<u8>, VendorError> {
        let Answer {
            status,
            headers,
            body,
        } = self.http.exchange(builder).await?;
        if (200..300).contains(&status) {
            return Ok(body.to_vec());
        }
        let mut message: String = String::from_utf8_lossy(&body).chars().take(500).collect();
        if let Some(key) = &self.api_key {
            message = message.replace(key.expose(), "[redacted]");
        }
        if status == 400 {
            message.push_str(&format!(
                " [a configuration error, not retried: check [openai] base_url, the model id \
                 {:?}, `structured` and any sampling setting; `negotiator doctor` checks them]",
                model.unwrap_or("-")
            ));
        }
        Err(VendorError::from_status(
            SERVICE, status, &headers, &message,
        ))
    }
}

impl OpenAiClient {
    /// A one-token completion with `temperature` when set, not retried: a 400 says the
    /// model id or sampling parameter is not accepted (for `doctor`).
    pub async fn check_model(
        &self,
        model: &str,
        temperature: Option<f32>,
    ) -> Result<(), VendorError> {
        let request = ChatRequest {
            model: model.to_owned(),
            messages: vec![super::types::ChatMessage::new("user", "ping")],
            max_tokens: 1,
            temperature,
            response_format: None,
            tools: Vec::new(),
            tool_choice: None,
        };
        self.chat_once(&request).await.map(|_| ())
    }
}
