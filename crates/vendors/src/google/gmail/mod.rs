//! The Gmail API (`/gmail/v1/users/{user}/...`): send, read, search, history, watch, profile.
//!
//! Every call spends the user's quota units (client-side limiter, per user) and goes through
//! the shared retry policy, except that `send` is retried only on answers that prove Gmail
//! did not take the message (quota, 401): after a timeout or a 5xx the email may have gone
//! out, so the error goes back to the caller, whose recovery searches the sent mail first.

mod codec;
mod types;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

pub use codec::decode_base64url;
pub use types::{
    Added, HistoryPage, HistoryRecord, ListQuery, MessageList, MessageMetadata, MessageRef,
    Profile, RawMessage, Watch,
};

use super::auth::TokenSource;
use super::client::Api;
use crate::http::{ErrorKind, RateLimiter, RetryPolicy, VendorError};

const SERVICE: &str = "Gmail";

/// Quota units per method (Google's table; `messages.get` at the post-2026-05 price).
mod cost {
    pub const SEND: u32 = 100;
    pub const WATCH: u32 = 100;
    pub const HISTORY: u32 = 2;
    pub const LIST: u32 = 5;
    pub const GET: u32 = 20;
    pub const PROFILE: u32 = 1;
}

/// Gmail said the history id we started from is unknown (404): too old, or never valid.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "Gmail has no history from id {start} (too old or unknown); do a full sync with \
         messages.list, then continue from the profile's current historyId"
    )]
    CursorTooOld { start: String },
    #[error(transparent)]
    Vendor(#[from] VendorError),
}

/// A Gmail client for any mailbox the token source may act for.
#[derive(Debug)]
pub struct Gmail {
    api: Api,
    retry: RetryPolicy,
    units: Arc<RateLimiter>,
}

impl Gmail {
    /// A client of the Gmail API at `base_url` (normally [`GMAIL_BASE_URL`](super::GMAIL_BASE_URL)).
    /// The default budget is 90 units a second per user with bursts of 300, under Google's
    /// 6,000 units a minute per user.
    pub fn new(auth: Arc<TokenSource>, base_url: &str) -> Result<Self, VendorError> {
        let hint = match auth.subject() {
            Some(user) => format!(
                "the service account {} needs domain-wide delegation of the Gmail scope for {user}",
                auth.client_email()
            ),
            None => "Gmail needs domain-wide delegation: configure [google] gmail_user".to_owned(),
        };
        Ok(Gmail {
            api: Api::new(SERVICE, auth, base_url, hint)?,
            retry: RetryPolicy::default(),
            units: Arc::new(RateLimiter::new(90, Duration::from_secs(1), 300)),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Budget `units_per_second` quota units per user, with bursts of `burst` units.
    pub fn with_quota(mut self, units_per_second: u32, burst: u32) -> Self {
        self.units = Arc::new(RateLimiter::new(
            units_per_second,
            Duration::from_secs(1),
            burst,
        ));
        self
    }

    /// Sends `raw` (RFC 5322 bytes) from `user`, in `thread_id` when continuing one. Retried
    /// only when Gmail provably did not take it (quota answers, an expired token).
    pub async fn send(
        &self,
        user: &str,
        raw: &[u8],
        thread_id: Option<&str>,
    ) -> Result<MessageRef, VendorError> {
        use base64::Engine;
        let mut body = json!({ "raw": base64::engine::general_purpose::URL_SAFE.encode(raw) });
        if let Some(thread) = thread_id {
            body["threadId"] = json!(thread);
        }
        let url = self
            .api
            .url(&["gmail", "v1", "users", user, "messages", "send"]);
        // Each attempt is one run of the policy with no retries of its own, so metrics and
        // health see every outcome; only a quota answer (Gmail did not take it) is tried again.
        let once = RetryPolicy {
            attempts: 1,
            ..self.retry
        };
        let mut attempt = 1;
        loop {
            let result = once
                .run(SERVICE, || async {
                    self.units.permit(SERVICE, user, cost::SEND).await?;
                    self.api.json(|c| c.post(url.clone()).json(&body)).await
                })
                .await;
            let error = match result {
                Err(e) if e.kind == ErrorKind::RateLimited => e,
                // Sent, or perhaps sent (timeout, 5xx): never resend blindly.
                other => return other,
            };
            let wait = error
                .retry_after
                .unwrap_or_else(|| self.retry.backoff(attempt));
            if attempt >= self.retry.attempts || wait > self.retry.max_wait {
                return Err(error);
            }
            tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "Gmail refused a send for quota; trying again");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The whole message `id` as RFC 5322 bytes (`format=raw`).
    pub async fn get_raw(&self, user: &str, id: &str) -> Result<RawMessage, VendorError> {
        let url = self
            .api
            .url(&["gmail", "v1", "users", user, "messages", id]);
        let wire: types::WireRaw = self
            .call(user, cost::GET, |c| {
                c.get(url.clone()).query(&[("format", "raw")])
            })
            .await?;
        let raw = wire.raw.as_deref().ok_or_else(|| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("message {id} came without its raw body"),
            )
        })?;
        let raw = decode_base64url(raw).ok_or_else(|| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("message {id}: the raw body is not base64url"),
            )
        })?;
        Ok(RawMessage {
            id: wire.id,
            thread_id: wire.thread_id,
            label_ids: wire.label_ids,
            history_id: wire.history_id,
            internal_date_ms: wire.internal_date.and_then(|d| d.trim().parse().ok()),
            raw,
        })
    }

    /// Message `id`'s labels and the named headers (`format=metadata`).
    pub async fn get_metadata(
        &self,
        user: &str,
        id: &str,
        headers: &[&str],
    ) -> Result<MessageMetadata, VendorError> {
        let url = self
            .api
            .url(&["gmail", "v1", "users", user, "messages", id]);
        let mut query = vec![("format", "metadata")];
        query.extend(headers.iter().map(|h| ("metadataHeaders", *h)));
        let wire: types::WireMetadata = self
            .call(user, cost::GET, |c| c.get(url.clone()).query(&query))
            .await?;
        Ok(MessageMetadata {
            id: wire.id,
            thread_id: wire.thread_id,
            label_ids: wire.label_ids,
            headers: wire
                .payload
                .map(|p| p.headers.into_iter().map(|h| (h.name, h.value)).collect())
                .unwrap_or_default(),
        })
    }

    /// Messages added since `start_history_id`, a page at a time (up to 500 records).
    /// A 404 is [`HistoryError::CursorTooOld`]: resynchronise instead of retrying.
    pub async fn history(
        &self,
        user: &str,
        start_history_id: &str,
        page_token: Option<&str>,
    ) -> Result<HistoryPage, HistoryError> {
        let url = self.api.url(&["gmail", "v1", "users", user, "history"]);
        let mut query = vec![
            ("startHistoryId", start_history_id),
            ("historyTypes", "messageAdded"),
            ("maxResults", "500"),
        ];
        if let Some(token) = page_token {
            query.push(("pageToken", token));
        }
        self.call(user, cost::HISTORY, |c| c.get(url.clone()).query(&query))
            .await
            .map_err(|e| {
                if e.status == Some(404) {
                    HistoryError::CursorTooOld {
                        start: start_history_id.to_owned(),
                    }
                } else {
                    HistoryError::Vendor(e)
                }
            })
    }

    /// One page of messages matching `query`, newest first.
    pub async fn list(
        &self,
        user: &str,
        query: &ListQuery<'_>,
        page_token: Option<&str>,
    ) -> Result<MessageList, VendorError> {
        let url = self.api.url(&["gmail", "v1", "users", user, "messages"]);
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(q) = query.q {
            params.push(("q", q.to_owned()));
        }
        params.extend(
            query
                .label_ids
                .iter()
                .map(|l| ("labelIds", (*l).to_owned())),
        );
        if query.include_spam_trash {
            params.push(("includeSpamTrash", "true".to_owned()));
        }
        if let Some(max) = query.max_results {
            params.push(("maxResults", max.to_string()));
        }
        if let Some(token) = page_token {
            params.push(("pageToken", token.to_owned()));
        }
        self.call(user, cost::LIST, |c| c.get(url.clone()).query(&params))
            .await
    }

    /// Asks Gmail to publish `user`'s inbox changes to the Pub/Sub `topic`
    /// (`projects/<project>/topics/<topic>`). Renew daily; it lapses after 7 days.
    pub async fn watch(&self, user: &str, topic: &str) -> Result<Watch, VendorError> {
        let url = self.api.url(&["gmail", "v1", "users", user, "watch"]);
        let body = json!({
            "topicName": topic,
            "labelIds": ["INBOX"],
            "labelFilterBehavior": "INCLUDE",
        });
        self.call(user, cost::WATCH, |c| c.post(url.clone()).json(&body))
            .await
    }

    /// The mailbox's address and current history id (also a cheap credentials check).
    pub async fn profile(&self, user: &str) -> Result<Profile, VendorError> {
        let url = self.api.url(&["gmail", "v1", "users", user, "profile"]);
        self.call(user, cost::PROFILE, |c| c.get(url.clone())).await
    }

    /// An idempotent call: spend its units, send it, retry by the policy.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        user: &str,
        units: u32,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<T, VendorError> {
        self.retry
            .run(SERVICE, || async {
                self.units.permit(SERVICE, user, units).await?;
                self.api.json(&build).await
            })
            .await
    }
}
