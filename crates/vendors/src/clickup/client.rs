//! The ClickUp API v2 client: tasks, list fields, webhooks and the token's user, every call
//! rate-limited per token and retried by the shared policy.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, RequestBuilder, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::errors::{error_message, is_duplicate_webhook, reset_wait};
use super::types::{ClickUpTask, Field, User};
use super::types::{
    CreateWebhookAnswer, CreateWebhookBody, CreatedWebhook, UpdateWebhookBody, Webhook,
    WebhookHealth, WebhooksAnswer, id_value,
};
use crate::http::{ErrorKind, HttpClient, RateLimiter, RetryPolicy, VendorError};
use crate::secret::Secret;

/// The public API host; requests go to `{base}/api/v2/…`.
pub const DEFAULT_BASE_URL: &str = "https://api.clickup.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The limit on Free Forever, Unlimited and Business plans (per token).
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 100;

const SERVICE: &str = "ClickUp";

/// A ClickUp client for one token. Cheap to clone; clones share the connection pool and the
/// rate limiter.
#[derive(Clone, Debug)]
pub struct ClickUpClient {
    http: HttpClient,
    /// Ends in `/api/v2/`.
    base: Url,
    token: Secret,
    retry: RetryPolicy,
    limiter: Arc<RateLimiter>,
    /// The limiter's key: a fingerprint of the token, never the token.
    limiter_key: String,
}

/// How [`ClickUpClient::ensure_webhook`] found the webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookRegistration {
    Created,
    /// One with the same endpoint and list existed and was active or failing.
    Existing,
    /// One existed but was suspended; it was set back to active.
    Reactivated,
}

impl ClickUpClient {
    /// A client for the API at `base_url` (e.g. [`DEFAULT_BASE_URL`]; a trailing `/api/v2` is
    /// accepted too) sending `token` as ClickUp wants it (raw, no `Bearer`). Calls give up after
    /// `timeout`, are retried by the default [`RetryPolicy`] and kept under
    /// [`DEFAULT_REQUESTS_PER_MINUTE`].
    pub fn new(base_url: &str, token: Secret, timeout: Duration) -> Result<Self, VendorError> {
        let base = api_base(base_url)?;
        let limiter_key = format!(
            "clickup:{}",
            &hex::encode(Sha256::digest(token.expose().as_bytes()))[..16]
        );
        Ok(ClickUpClient {
            http: HttpClient::new(SERVICE, timeout)?,
            base,
            token,
            retry: RetryPolicy::default(),
            limiter: Arc::new(per_minute(DEFAULT_REQUESTS_PER_MINUTE)),
            limiter_key,
        })
    }

    /// The same client with another retry policy (tests use [`RetryPolicy::immediate`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same client kept under `requests_per_minute` (Business Plus allows 1,000,
    /// Enterprise 10,000).
    pub fn with_requests_per_minute(mut self, requests_per_minute: u32) -> Self {
        self.limiter = Arc::new(per_minute(requests_per_minute));
        self
    }

    /// The same client sharing `limiter` with other clients of the same token.
    pub fn with_limiter(mut self, limiter: Arc<RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// `GET /task/{task_id}`: the task with its custom fields.
    pub async fn get_task(&self, task_id: &str) -> Result<ClickUpTask, VendorError> {
        let url = self.url(&["task", task_id])?;
        self.call(Method::GET, url, None).await
    }

    /// `GET /list/{list_id}/field`: the custom fields a list's tasks can carry.
    pub async fn list_fields(&self, list_id: &str) -> Result<Vec<Field>, VendorError> {
        #[derive(Deserialize)]
        struct Answer {
            #[serde(default, deserialize_with = "super::types::null_as_default")]
            fields: Vec<Field>,
        }
        let url = self.url(&["list", list_id, "field"])?;
        let answer: Answer = self.call(Method::GET, url, None).await?;
        Ok(answer.fields)
    }

    /// `GET /user`: the token's user. A cheap check that the token works.
    pub async fn authorized_user(&self) -> Result<User, VendorError> {
        #[derive(Deserialize)]
        struct Answer {
            user: User,
        }
        let url = self.url(&["user"])?;
        let answer: Answer = self.call(Method::GET, url, None).await?;
        Ok(answer.user)
    }

    /// `POST /team/{team_id}/webhook`: a webhook for `events` (`"*"` for all) on `list_id`
    /// (or the whole workspace), answering with the secret its deliveries are signed with.
    /// ClickUp refuses a second identical webhook (`OAUTH_171`); [`Self::ensure_webhook`]
    /// reuses one instead.
    pub async fn create_webhook(
        &self,
        team_id: &str,
        endpoint: &str,
        events: &[&str],
        list_id: Option<&str>,
    ) -> Result<CreatedWebhook, VendorError> {
        let url = self.url(&["team", team_id, "webhook"])?;
        let body = serde_json::to_value(CreateWebhookBody {
            endpoint,
            events,
            list_id: list_id.map(id_value),
        })
        .map_err(|e| VendorError::new(SERVICE, ErrorKind::Rejected, e.to_string()))?;
        let answer: CreateWebhookAnswer = self.call(Method::POST, url, Some(body)).await?;
        let secret = answer.webhook.secret.clone().ok_or_else(|| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                "the new webhook came without its secret; list the team's webhooks to read it",
            )
        })?;
        Ok(CreatedWebhook {
            id: answer.id.unwrap_or_else(|| answer.webhook.id.clone()),
            secret,
            webhook: answer.webhook,
        })
    }

    /// `GET /team/{team_id}/webhook`: the webhooks this token's user created, with their
    /// health and secrets.
    pub async fn list_webhooks(&self, team_id: &str) -> Result<Vec<Webhook>, VendorError> {
        let url = self.url(&["team", team_id, "webhook"])?;
        let answer: WebhooksAnswer = self.call(Method::GET, url, None).await?;
        Ok(answer.webhooks)
    }

    /// `PUT /webhook/{webhook_id}`: changes a webhook; `status` `active` re-activates a
    /// suspended one.
    pub async fn update_webhook(
        &self,
        webhook_id: &str,
        endpoint: &str,
        events: &[&str],
        status: &str,
    ) -> Result<(), VendorError> {
        let url = self.url(&["webhook", webhook_id])?;
        let body = serde_json::to_value(UpdateWebhookBody {
            endpoint,
            events,
            status,
        })
        .map_err(|e| VendorError::new(SERVICE, ErrorKind::Rejected, e.to_string()))?;
        let _: serde_json::Value = self.call(Method::PUT, url, Some(body)).await?;
        Ok(())
    }

    /// The webhook for `endpoint` on `list_id`, created only if none exists (ClickUp refuses
    /// duplicates), and re-activated if ClickUp suspended it. Safe to run on every start.
    pub async fn ensure_webhook(
        &self,
        team_id: &str,
        endpoint: &str,
        events: &[&str],
        list_id: Option<&str>,
    ) -> Result<(Webhook, WebhookRegistration), VendorError> {
        if let Some(mut found) = self.find_webhook(team_id, endpoint, list_id).await? {
            if found.is_suspended() {
                self.update_webhook(&found.id, endpoint, events, "active")
                    .await?;
                found.health = Some(WebhookHealth {
                    status: "active".to_owned(),
                    fail_count: Some(0),
                });
                return Ok((found, WebhookRegistration::Reactivated));
            }
            return Ok((found, WebhookRegistration::Existing));
        }
        match self
            .create_webhook(team_id, endpoint, events, list_id)
            .await
        {
            Ok(created) => Ok((created.webhook, WebhookRegistration::Created)),
            // A retried create whose first attempt went through, or a race with another
            // process: the webhook exists now.
            Err(error) if is_duplicate_webhook(&error.message) => {
                match self.find_webhook(team_id, endpoint, list_id).await? {
                    Some(found) => Ok((found, WebhookRegistration::Existing)),
                    None => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }

    async fn find_webhook(
        &self,
        team_id: &str,
        endpoint: &str,
        list_id: Option<&str>,
    ) -> Result<Option<Webhook>, VendorError> {
        let same_endpoint = |a: &str| a.trim_end_matches('/') == endpoint.trim_end_matches('/');
        Ok(self
            .list_webhooks(team_id)
            .await?
            .into_iter()
            .find(|w| same_endpoint(&w.endpoint) && w.list_id.as_deref() == list_id))
    }

    /// `{base}/api/v2/{segments…}`, each segment escaped.
    fn url(&self, segments: &[&str]) -> Result<Url, VendorError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| bad_base(self.base.as_str()))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// One call under the rate limit, retried by the policy. When the limit is spent for longer
    /// than the limiter waits, the call is not made and a [`ErrorKind::Throttled`] error says
    /// when it may be.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<serde_json::Value>,
    ) -> Result<T, VendorError> {
        self.retry
            .run(SERVICE, || {
                let request = self.http.inner().request(method.clone(), url.clone());
                let request = match &body {
                    Some(body) => request.json(body),
                    None => request,
                };
                self.send_once(request)
            })
            .await
    }

    async fn send_once<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, VendorError> {
        let mut token = HeaderValue::from_str(self.token.expose()).map_err(|_| {
            VendorError::new(
                SERVICE,
                ErrorKind::Unauthorized,
                "CLICKUP_API_TOKEN holds characters a header cannot carry; copy the token again",
            )
        })?;
        token.set_sensitive(true);
        self.limiter.permit(SERVICE, &self.limiter_key, 1).await?;
        let answer = self
            .http
            .exchange(
                request
                    .header(AUTHORIZATION, token)
                    .header(CONTENT_TYPE, "application/json"),
            )
            .await?;
        if !answer.is_success() {
            let message = self.redact(error_message(&answer.body));
            let mut error =
                VendorError::from_status(SERVICE, answer.status, &answer.headers, &message);
            if error.kind == ErrorKind::RateLimited && error.retry_after.is_none() {
                error.retry_after = reset_wait(&answer.headers);
            }
            return Err(error);
        }
        serde_json::from_slice(&answer.body).map_err(|e| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                self.redact(format!("unexpected answer: {e}")),
            )
        })
    }

    /// Never let the token into an error, even if a proxy echoes it back.
    fn redact(&self, text: String) -> String {
        let token = self.token.expose();
        if token.len() >= 4 && text.contains(token) {
            text.replace(token, "[redacted]")
        } else {
            text
        }
    }
}

/// A limiter that keeps any 60 s window at or under `limit` requests: a burst of a tenth of
/// the limit, then an even pace.
fn per_minute(limit: u32) -> RateLimiter {
    let limit = limit.max(2);
    let burst = (limit / 10).max(1);
    RateLimiter::new(limit - burst, Duration::from_secs(60), burst)
}

/// `https://api.clickup.com`, `…/api/v2` or `…/api/v2/` → `…/api/v2/`.
fn api_base(base_url: &str) -> Result<Url, VendorError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix("/api/v2").unwrap_or(trimmed);
    let url = Url::parse(&format!("{trimmed}/api/v2/")).map_err(|_| bad_base(base_url))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(bad_base(base_url));
    }
    Ok(url)
}

fn bad_base(base_url: &str) -> VendorError {
    VendorError::new(
        SERVICE,
        ErrorKind::Rejected,
        format!(
            "the base URL {base_url:?} is not an http(s) URL; set clickup.base_url to \
             {DEFAULT_BASE_URL} or remove it"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_and_paths_escaped() {
        let client =
            |base: &str| ClickUpClient::new(base, Secret::new("pk_1"), DEFAULT_TIMEOUT).unwrap();
        for base in [
            "https://api.clickup.com",
            "https://api.clickup.com/",
            "https://api.clickup.com/api/v2",
            "https://api.clickup.com/api/v2/",
        ] {
            let url = client(base).url(&["task", "abc 1/2"]).unwrap();
            assert_eq!(
                url.as_str(),
                "https://api.clickup.com/api/v2/task/abc%201%2F2",
                "{base}"
            );
        }
        let proxied = client("http://127.0.0.1:9/clickup").url(&["user"]).unwrap();
        assert_eq!(proxied.as_str(), "http://127.0.0.1:9/clickup/api/v2/user");
        let error = ClickUpClient::new("api.clickup.com", Secret::new("pk_1"), DEFAULT_TIMEOUT)
            .unwrap_err();
        assert!(error.to_string().contains("clickup.base_url"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn the_limiter_keeps_any_minute_under_the_plan_limit() {
        let limiter = per_minute(DEFAULT_REQUESTS_PER_MINUTE);
        let start = tokio::time::Instant::now();
        let mut times = Vec::new();
        for _ in 0..250 {
            limiter.acquire("clickup:token", 1).await.unwrap();
            times.push(start.elapsed());
        }
        for (i, at) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|t| **t < *at + Duration::from_secs(60))
                .count();
            assert!(
                in_window <= 100,
                "{in_window} calls in the minute from {at:?}"
            );
        }
        // The first burst is not delayed.
        assert_eq!(times[9], Duration::ZERO);
    }

    #[test]
    fn the_token_never_shows_in_debug_output() {
        let client = ClickUpClient::new(
            DEFAULT_BASE_URL,
            Secret::new("pk_123_SECRETTOKEN"),
            DEFAULT_TIMEOUT,
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("SECRETTOKEN"));
    }
}
