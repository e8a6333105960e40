//! The Slack Web API client: `chat.postMessage`, `auth.test` and `conversations.info`, each
//! call retried by the shared policy and paced per channel.

use std::sync::Arc;
use std::time::Duration;

use reqwest::RequestBuilder;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::blocks::{Block, Message};
use super::errors::{SERVICE, api_error, reclass};
use super::limits::{fit, validate};
use crate::http::{ErrorKind, HttpClient, RateLimiter, RetryPolicy, VendorError};
use crate::secret::Secret;

/// Slack's Web API root; methods are `{base}/{method}`.
pub const DEFAULT_BASE_URL: &str = "https://slack.com/api";

/// Pointer used when [`SlackClient::post_message`] itself has to cut text.
const CUT_NOTE: &str = "(cut to fit Slack's limits)";

/// Where a posted message landed: keep both to update it or reply in its thread.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PostedMessage {
    pub channel: String,
    pub ts: String,
}

/// Who the token belongs to (`auth.test`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AuthInfo {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub bot_id: Option<String>,
}

/// A channel as `conversations.info` describes it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ChannelInfo {
    pub id: String,
    /// Absent for direct messages.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub is_archived: bool,
    #[serde(default)]
    pub is_private: bool,
    /// Whether the app is in the channel (needed to post unless it has `chat:write.public`).
    #[serde(default)]
    pub is_member: Option<bool>,
}

#[derive(Deserialize)]
struct ChannelAnswer {
    channel: ChannelInfo,
}

/// A Slack Web API client for one bot token. Cloning shares the connection pool and the
/// per-channel pacing.
#[derive(Clone, Debug)]
pub struct SlackClient {
    http: HttpClient,
    base_url: String,
    token: Secret,
    retry: RetryPolicy,
    limiter: Arc<RateLimiter>,
}

impl SlackClient {
    /// A client calling `{base_url}/{method}` (use [`DEFAULT_BASE_URL`]) with the bot token
    /// (`xoxb-…`); each request gives up after `timeout`. Posts are paced at one a second per
    /// channel with bursts of three, Slack's documented rate for `chat.postMessage`.
    pub fn new(
        base_url: impl Into<String>,
        token: Secret,
        timeout: Duration,
    ) -> Result<Self, VendorError> {
        Ok(SlackClient {
            http: HttpClient::new(SERVICE, timeout)?,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            token,
            retry: RetryPolicy::default(),
            limiter: Arc::new(RateLimiter::new(1, Duration::from_secs(1), 3)),
        })
    }

    /// Replaces the retry policy (tests use [`RetryPolicy::immediate`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the per-channel pacing.
    pub fn with_rate_limit(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Arc::new(limiter);
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Posts `text` (the notification fallback) and `blocks` to `channel` (an id such as
    /// `C0123…`, or a name). The message is first [`fit`] into Slack's limits; one that still
    /// breaks them is refused here without calling Slack.
    pub async fn post_message(
        &self,
        channel: &str,
        text: &str,
        blocks: &[Block],
    ) -> Result<PostedMessage, VendorError> {
        self.post(channel, &Message::new(text, blocks.to_vec()))
            .await
    }

    /// [`SlackClient::post_message`] for a built [`Message`].
    pub async fn post(
        &self,
        channel: &str,
        message: &Message,
    ) -> Result<PostedMessage, VendorError> {
        let message = fit(message.clone(), CUT_NOTE);
        if let Err(violations) = validate(&message) {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(VendorError::new(
                SERVICE,
                ErrorKind::Rejected,
                format!("the message breaks Slack's limits: {}", list.join("; ")),
            ));
        }
        let body = json!({
            "channel": channel,
            "text": message.text,
            "blocks": message.blocks,
        });
        let body = serde_json::to_vec(&body)
            .map_err(|e| VendorError::new(SERVICE, ErrorKind::Decode, e.to_string()))?;
        self.call("chat.postMessage", channel, |client, url| {
            client
                .post(url)
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                )
                .body(body.clone())
        })
        .await
    }

    /// Checks the token: who it belongs to (`auth.test`).
    pub async fn auth_test(&self) -> Result<AuthInfo, VendorError> {
        self.call("auth.test", "auth.test", |client, url| client.post(url))
            .await
    }

    /// Looks up a channel by id (`conversations.info`): whether it exists, is archived, and
    /// whether the app is a member.
    pub async fn conversation_info(&self, channel: &str) -> Result<ChannelInfo, VendorError> {
        let answer: ChannelAnswer = self
            .call("conversations.info", "conversations.info", |client, url| {
                client.get(url).query(&[("channel", channel)])
            })
            .await?;
        Ok(answer.channel)
    }

    /// One method call, retried by the policy; each attempt waits for a permit for `key`.
    async fn call<T, B>(&self, method: &'static str, key: &str, build: B) -> Result<T, VendorError>
    where
        T: DeserializeOwned,
        B: Fn(&reqwest::Client, String) -> RequestBuilder,
    {
        self.retry
            .run(SERVICE, || self.attempt(method, key, &build))
            .await
    }

    async fn attempt<T, B>(
        &self,
        method: &'static str,
        key: &str,
        build: &B,
    ) -> Result<T, VendorError>
    where
        T: DeserializeOwned,
        B: Fn(&reqwest::Client, String) -> RequestBuilder,
    {
        self.limiter.acquire(key).await;
        let url = format!("{}/{method}", self.base_url);
        let request = build(self.http.inner(), url).bearer_auth(self.token.expose());
        let response = self
            .http
            .send(request)
            .await
            .map_err(|e| reclass(method, e))?;
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| VendorError::from_reqwest(SERVICE, e))?;
        let answer: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("{method}: unexpected answer: {e}"),
            )
        })?;
        if answer.get("ok").and_then(serde_json::Value::as_bool) != Some(true) {
            let code = answer
                .get("error")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("unknown_error");
            let needed = answer.get("needed").and_then(serde_json::Value::as_str);
            return Err(api_error(method, code, needed, &headers));
        }
        if let Some(warning) = answer.get("warning").and_then(serde_json::Value::as_str) {
            tracing::debug!(method, warning, "Slack answered with a warning");
        }
        serde_json::from_value(answer).map_err(|e| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("{method}: unexpected answer: {e}"),
            )
        })
    }
}
