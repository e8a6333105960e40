//! `POST /v1/messages`: the request with its headers, the answer or a classed error.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::errors::{error_message, kind_of};
use super::types::{ErrorBody, MessagesRequest, MessagesResponse};
use crate::http::{Answer, ErrorKind, HttpClient, RetryPolicy, VendorError};
use crate::secret::Secret;

/// The public API; configuration may point elsewhere (a proxy, or a fake in tests).
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The API version every request pins (`anthropic-version`).
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
        })
    }

    /// The same client with another retry policy (tests use [`RetryPolicy::immediate`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
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
            .header("anthropic-version", API_VERSION)
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
            let message = error_message(&body, request_id.as_deref(), self.api_key.expose());
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
