//! The Slack Web API client: `chat.postMessage`, `auth.test`, `conversations.info` and
//! `views.open`, each call retried by the shared policy and paced per channel; plus answers
//! through an interaction's `response_url`.

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

/// A `trigger_id` dies three seconds after the click that made it, so `views.open` gets one
/// quick second try and never waits out a `Retry-After`.
const TRIGGER_RETRY: RetryPolicy = RetryPolicy {
    attempts: 2,
    first_backoff: Duration::from_millis(100),
    max_backoff: Duration::from_millis(100),
    max_wait: Duration::from_millis(500),
};

/// How long one `views.open` attempt may take (inside the trigger's three seconds).
const TRIGGER_TIMEOUT: Duration = Duration::from_millis(2_000);

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

#[derive(Deserialize)]
struct ViewAnswer {
    view: OpenedView,
}

#[derive(Deserialize)]
struct OpenedView {
    id: String,
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

    /// Opens a modal (`views.open`) for the person whose click or command made `trigger_id`;
    /// returns the view's id. The trigger expires three seconds after the click, so call this
    /// at once: a refusal such as `expired_trigger_id` comes back as a rejected error, and a
    /// rate limit as a rate-limited one with the wait Slack asked for, without waiting it out.
    pub async fn views_open(
        &self,
        trigger_id: &str,
        view: &serde_json::Value,
    ) -> Result<String, VendorError> {
        if self.token.expose().is_empty() {
            return Err(VendorError::new(
                SERVICE,
                ErrorKind::Unauthorized,
                "views.open needs the bot token: set SLACK_BOT_TOKEN",
            ));
        }
        let body = serde_json::to_vec(&json!({"trigger_id": trigger_id, "view": view}))
            .map_err(|e| VendorError::new(SERVICE, ErrorKind::Decode, e.to_string()))?;
        let answer: ViewAnswer = self
            .call_with(&TRIGGER_RETRY, "views.open", "views.open", |client, url| {
                client
                    .post(url)
                    .timeout(TRIGGER_TIMEOUT)
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/json; charset=utf-8",
                    )
                    .body(body.clone())
            })
            .await?;
        Ok(answer.view.id)
    }

    /// Answers a slash command or an interaction through its `response_url` (Slack accepts
    /// five answers within 30 minutes). `in_channel` shows a new message to everyone in the
    /// channel instead of only to the person; `replace_original` replaces the message whose
    /// button was clicked instead. The message is [`fit`] into Slack's limits first. The URL
    /// is a capability of its own: the bot token is never sent to it, and it never appears in
    /// errors.
    pub async fn respond(
        &self,
        response_url: &str,
        message: &Message,
        in_channel: bool,
        replace_original: bool,
    ) -> Result<(), VendorError> {
        let message = fit(message.clone(), CUT_NOTE);
        if let Err(violations) = validate(&message) {
            let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(VendorError::new(
                SERVICE,
                ErrorKind::Rejected,
                format!("the answer breaks Slack's limits: {}", list.join("; ")),
            ));
        }
        let mut body = json!({
            "text": message.text,
            "blocks": message.blocks,
            "replace_original": replace_original,
        });
        if !replace_original {
            body["response_type"] = json!(if in_channel {
                "in_channel"
            } else {
                "ephemeral"
            });
        }
        let body = serde_json::to_vec(&body)
            .map_err(|e| VendorError::new(SERVICE, ErrorKind::Decode, e.to_string()))?;
        self.retry
            .run(SERVICE, || self.respond_attempt(response_url, &body))
            .await
    }

    async fn respond_attempt(&self, response_url: &str, body: &[u8]) -> Result<(), VendorError> {
        const METHOD: &str = "response_url";
        let request = self
            .http
            .inner()
            .post(response_url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(body.to_vec());
        let reply = self
            .http
            .send(request)
            .await
            .map_err(|e| reclass(METHOD, e))?;
        // Slack answers `{"ok":true}` (older hooks: the text `ok`); only an explicit
        // `ok:false` is a refusal.
        let answer: Option<serde_json::Value> = serde_json::from_slice(&reply.body).ok();
        if let Some(answer) = answer
            && answer.get("ok").and_then(serde_json::Value::as_bool) == Some(false)
        {
            let code = answer
                .get("error")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("unknown_error");
            return Err(api_error(METHOD, code, None, &reply.headers));
        }
        Ok(())
    }

    /// One method call, retried by the policy; each attempt needs a permit for `key` (a
    /// [`ErrorKind::Throttled`] error when none frees up soon).
    async fn call<T, B>(&self, method: &'static str, key: &str, build: B) -> Result<T, VendorError>
    where
        T: DeserializeOwned,
        B: Fn(&reqwest::Client, String) -> RequestBuilder,
    {
        self.call_with(&self.retry, method, key, build).await
    }

    /// [`SlackClient::call`] with another retry policy.
    async fn call_with<T, B>(
        &self,
        retry: &RetryPolicy,
        method: &'static str,
        key: &str,
        build: B,
    ) -> Result<T, VendorError>
    where
        T: DeserializeOwned,
        B: Fn(&reqwest::Client, String) -> RequestBuilder,
    {
        retry
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
        self.limiter.permit(SERVICE, key, 1).await?;
        let url = format!("{}/{method}", self.base_url);
        let request = build(self.http.inner(), url).bearer_auth(self.token.expose());
        let reply = self
            .http
            .send(request)
            .await
            .map_err(|e| reclass(method, e))?;
        let answer: serde_json::Value = serde_json::from_slice(&reply.body).map_err(|e| {
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
            return Err(api_error(method, code, needed, &reply.headers));
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

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use serde_json::Value;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const TOKEN: &str = "xoxb-test-token-123";

    fn client(server: &MockServer) -> SlackClient {
        SlackClient::new(server.uri(), Secret::new(TOKEN), Duration::from_secs(5))
            .unwrap()
            .with_retry(RetryPolicy::immediate(3))
    }

    async fn bodies(server: &MockServer) -> Vec<Value> {
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
            .collect()
    }

    fn modal() -> Value {
        json!({"type": "modal", "title": {"type": "plain_text", "text": "Counter"}, "blocks": []})
    }

    #[tokio::test]
    async fn views_open_sends_the_trigger_and_view_with_the_token() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/views.open"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"ok": true, "view": {"id": "V0123", "type": "modal"}})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let id = client(&server)
            .views_open("12345.98765.abcd", &modal())
            .await
            .unwrap();
        assert_eq!(id, "V0123");
        let sent = &bodies(&server).await[0];
        assert_eq!(sent["trigger_id"], "12345.98765.abcd");
        assert_eq!(sent["view"], modal());
    }

    #[tokio::test]
    async fn views_open_refusals_and_rate_limits_come_back_at_once() {
        let server = MockServer::start().await;
        Mock::given(path("/views.open"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"ok": false, "error": "expired_trigger_id"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let error = client(&server).views_open("t", &modal()).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::Rejected);
        assert!(error.to_string().contains("expired_trigger_id"), "{error}");
        server.verify().await;

        let server = MockServer::start().await;
        Mock::given(path("/views.open"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", "30")
                    .set_body_json(json!({"ok": false, "error": "ratelimited"})),
            )
            .mount(&server)
            .await;
        let started = Instant::now();
        let error = client(&server).views_open("t", &modal()).await.unwrap_err();
        assert_eq!(error.kind, ErrorKind::RateLimited);
        assert_eq!(error.retry_after, Some(Duration::from_secs(30)));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the trigger would be dead"
        );
        assert_eq!(bodies(&server).await.len(), 1);

        let tokenless = SlackClient::new(server.uri(), Secret::new(""), Duration::from_secs(5))
            .unwrap()
            .views_open("t", &modal())
            .await
            .unwrap_err();
        assert_eq!(tokenless.kind, ErrorKind::Unauthorized);
        assert!(tokenless.to_string().contains("SLACK_BOT_TOKEN"));
        assert_eq!(bodies(&server).await.len(), 1, "not called without a token");
    }

    #[tokio::test]
    async fn respond_posts_to_the_url_without_the_token() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/commands/T1/123/secretpart"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .mount(&server)
            .await;
        let url = format!("{}/commands/T1/123/secretpart", server.uri());
        let message = Message::new("Done", vec![Block::section("Done")]);
        let slack = client(&server);
        slack.respond(&url, &message, false, false).await.unwrap();
        slack.respond(&url, &message, true, false).await.unwrap();
        slack.respond(&url, &message, false, true).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert!(
            requests
                .iter()
                .all(|r| !r.headers.contains_key("authorization")),
            "the bot token never goes to a response_url"
        );
        let sent = bodies(&server).await;
        assert_eq!(sent[0]["response_type"], "ephemeral");
        assert_eq!(sent[0]["replace_original"], false);
        assert_eq!(sent[0]["text"], "Done");
        assert_eq!(sent[0]["blocks"][0]["type"], "section");
        assert_eq!(sent[1]["response_type"], "in_channel");
        assert_eq!(sent[2]["replace_original"], true);
        assert!(sent[2].get("response_type").is_none());
    }

    #[tokio::test]
    async fn respond_classes_refusals_and_waits_out_a_short_rate_limit() {
        let server = MockServer::start().await;
        Mock::given(path("/used"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": "used_url"})),
            )
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/old"))
            .respond_with(ResponseTemplate::new(404).set_body_string("expired_url"))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(path("/busy"))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("Retry-After", "1")
                    .set_body_json(json!({"ok": false, "error": "ratelimited"})),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/busy"))
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(&server)
            .await;
        let slack = client(&server);
        let message = Message::new("hi", Vec::new());

        let used = slack
            .respond(&format!("{}/used", server.uri()), &message, false, false)
            .await
            .unwrap_err();
        assert_eq!(used.kind, ErrorKind::Rejected);
        assert!(used.to_string().contains("used_url"), "{used}");
        let old = slack
            .respond(&format!("{}/old", server.uri()), &message, false, false)
            .await
            .unwrap_err();
        assert_eq!(old.status, Some(404));
        assert!(
            !old.to_string().contains("/old"),
            "the URL stays out: {old}"
        );

        let started = Instant::now();
        slack
            .respond(&format!("{}/busy", server.uri()), &message, false, false)
            .await
            .unwrap();
        assert!(started.elapsed() >= Duration::from_secs(1));
        server.verify().await;
    }
}
