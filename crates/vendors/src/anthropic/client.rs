//! `POST /v1/messages`: the request with its headers, the answer or a classed error.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::errors::{error_message, kind_of};
use super::types::{ErrorBody, MessagesRequest, MessagesResponse};
use crate::http::{Answer, ErrorKind, HttpClient, RetryPolicy, VendorError};
use crate::secret::Secret;

/// The public API; configuration may point elsewhere (a proxy, or a fake in tests).
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The API version every request pins (`anthropic-version`) unless configured otherwise.
pub const API_VERSION: &str = "2023-06-01";
/// Long enough for a slow non-streaming answer of a couple of thousand tokens.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

const SERVICE: &str = "Anthropic";

/// A Messages API client. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct AnthropicClient {
    http: HttpClient,
    /// Without a trailing slash; requests go to `{base_url}/v1/messages`.
    base_url: String,
    api_key: Secret,
    retry: RetryPolicy,
    api_version: String,
}

impl AnthropicClient {
    /// A client for the API at `base_url` (e.g. [`DEFAULT_BASE_URL`]) whose calls give up
    /// after `timeout`. Calls are retried with the default [`RetryPolicy`].
    pub fn new(
        base_url: impl Into<String>,
        api_key: Secret,
        timeout: Duration,
    ) -> Result<Self, VendorError> {
        let base_url: String = base_url.into();
        Ok(AnthropicClient {
            http: HttpClient::new(SERVICE, timeout)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            retry: RetryPolicy::default(),
            api_version: API_VERSION.to_owned(),
        })
    }

    /// The same client with another retry policy (tests use [`RetryPolicy::immediate`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same client pinning another `anthropic-version`.
    pub fn with_api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// One Messages request of a single output token with `temperature` when set: a 400 says
    /// the model id, the API version or the sampling parameter is not accepted (for `doctor`).
    pub async fn check_model(
        &self,
        model: &str,
        temperature: Option<f32>,
    ) -> Result<MessagesResponse, VendorError> {
        let request = MessagesRequest {
            model: model.to_owned(),
            max_tokens: 1,
            system: Vec::new(),
            messages: vec![super::types::Message::user("ping")],
            tools: Vec::new(),
            tool_choice: None,
            temperature,
        };
        self.send_once(&request).await
    }

    /// Sends one Messages request. 429 (after its `retry-after`), 500, 529, timeouts and
    /// broken connections are retried; 400, 401, 403, 404 and 413 are not.
    pub async fn messages(
        &self,
        request: &MessagesRequest,
    ) -> Result<MessagesResponse, VendorError> {
        self.retry.run(SERVICE, || self.send_once(request)).await
    }

    async fn send_once(&self, request: &MessagesRequest) -> Result<MessagesResponse, VendorError> {
        let mut key = HeaderValue::from_str(self.api_key.expose()).map_err(|_| {
            VendorError::new(
                SERVICE,
                ErrorKind::Unauthorized,
                "the API key holds characters a header cannot carry",
            )
        })?;
        key.set_sensitive(true);
        let builder = self
            .http
            .inner()
            .post(format!("{}/v1/messages", self.base_url))
            .header("x-api-key", key)
            .header("anthropic-version", self.api_version.as_str())
            .json(request);
        let Answer {
            status,
            headers,
            body,
        } = self.http.exchange(builder).await?;
        let request_id = header(&headers, "request-id");
        tracing::debug!(
            request_id = request_id.as_deref().unwrap_or("-"),
            status,
            model = %request.model,
            "Anthropic answered"
        );
        if !(200..300).contains(&status) {
            let mut message = error_message(&body, request_id.as_deref(), self.api_key.expose());
            if status == 400 {
                message.push_str(&format!(
                    " [a configuration error, not retried: check the model id {:?}, \
                     anthropic-version {:?} and any sampling setting in [anthropic]; \
                     `negotiator doctor` tries them]",
                    request.model, self.api_version
                ));
            }
            return Err(VendorError::from_status(
                SERVICE, status, &headers, &message,
            ));
        }
        let mut answer: MessagesResponse = serde_json::from_slice(&body).map_err(|e| {
            // A 200 whose body is an error object is classed like the same error by status.
            match serde_json::from_slice::<ErrorBody>(&body) {
                Ok(error) => VendorError::new(
                    SERVICE,
                    kind_of(&error.error.kind),
                    error_message(&body, request_id.as_deref(), self.api_key.expose()),
                ),
                Err(_) => VendorError::new(
                    SERVICE,
                    ErrorKind::Decode,
                    format!("unexpected answer: {e}"),
                ),
            }
        })?;
        tracing::debug!(
            request_id = request_id.as_deref().unwrap_or("-"),
            input_tokens = answer.usage.input_tokens,
            output_tokens = answer.usage.output_tokens,
            cache_write_tokens = answer.usage.cache_creation_input_tokens.unwrap_or(0),
            cache_read_tokens = answer.usage.cache_read_input_tokens.unwrap_or(0),
            stop_reason = answer.stop_reason.map_or("-", |r| r.as_str()),
            "Anthropic usage"
        );
        answer.request_id = request_id;
        Ok(answer)
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}
