//! Access tokens for a service account: one JWT exchange, then the token is reused until
//! shortly before it expires.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::jwt;
use super::key::ServiceAccountKey;
use crate::http::{ErrorKind, HttpClient, VendorError};
use crate::secret::Secret;

const SERVICE: &str = "Google auth";
/// A token is replaced this long before it expires (or half-way through a shorter life).
const EARLY_REFRESH: Duration = Duration::from_secs(300);

/// Hands out bearer tokens for one set of scopes (and one delegated user, if any).
/// Concurrent callers share one exchange. `Debug` never shows the key or a token.
pub struct TokenSource {
    key: ServiceAccountKey,
    scopes: Vec<String>,
    subject: Option<String>,
    token_url: String,
    http: HttpClient,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    token: Secret,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct TokenRefusal {
    error: Option<String>,
    error_description: Option<String>,
}

impl TokenSource {
    /// Tokens for `scopes`, acting as `subject` (domain-wide delegation; Gmail needs the
    /// mailbox's address here) or as the service account itself when `None`.
    pub fn new(
        key: ServiceAccountKey,
        scopes: &[&str],
        subject: Option<&str>,
    ) -> Result<Self, VendorError> {
        Ok(TokenSource {
            token_url: key.token_uri().to_owned(),
            key,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            subject: subject.map(str::to_owned),
            http: HttpClient::new(SERVICE, Duration::from_secs(30))?,
            cached: Mutex::new(None),
        })
    }

    /// Sends the exchange to `url` instead of the key file's `token_uri` (a test fake or a
    /// proxy). The assertions' audience stays the key file's `token_uri`.
    pub fn with_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// The service account's address.
    pub fn client_email(&self) -> &str {
        self.key.client_email()
    }

    /// The delegated user, if any.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    /// A token that is valid now: the cached one, or a fresh one.
    pub async fn token(&self) -> Result<Secret, VendorError> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref()
            && Instant::now() < c.refresh_at
        {
            return Ok(c.token.clone());
        }
        let fresh = self.exchange().await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// After a 401 for `rejected`: forgets it (unless another caller already replaced it)
    /// and returns a valid token.
    pub async fn refresh(&self, rejected: &Secret) -> Result<Secret, VendorError> {
        {
            let mut cached = self.cached.lock().await;
            if cached.as_ref().is_some_and(|c| &c.token == rejected) {
                *cached = None;
            }
        }
        self.token().await
    }

    async fn exchange(&self) -> Result<Cached, VendorError> {
        let now = jiff::Timestamp::now().as_second();
        let assertion = jwt::assertion(&self.key, &self.scopes, self.subject.as_deref(), now)
            .map_err(|problem| VendorError::new(SERVICE, ErrorKind::Rejected, problem))?;
        let request = self.http.inner().post(&self.token_url).form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ]);
        let started = Instant::now();
        let reply = self.http.exchange(request).await?;
        if !reply.is_success() {
            return Err(refusal(reply.status, &reply.headers, &reply.body));
        }
        let answer: TokenAnswer = serde_json::from_slice(&reply.body).map_err(|_| {
            VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                "the token endpoint's answer has no access_token",
            )
        })?;
        let lifetime = Duration::from_secs(lifetime_secs(answer.expires_in.as_ref()));
        let early = EARLY_REFRESH.min(lifetime / 2);
        tracing::debug!(
            account = self.key.client_email(),
            lifetime_s = lifetime.as_secs(),
            "fetched a Google access token"
        );
        Ok(Cached {
            token: Secret::new(answer.access_token),
            refresh_at: started + lifetime - early,
        })
    }
}

/// `expires_in` as a number or numeric string; an hour when missing, as Google issues them.
fn lifetime_secs(value: Option<&serde_json::Value>) -> u64 {
    match value {
        Some(serde_json::Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(serde_json::Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => jwt::LIFETIME_SECS.unsigned_abs(),
    }
}

/// A refused exchange, classed and explained (the body names the OAuth error, never the
/// assertion).
fn refusal(status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]) -> VendorError {
    let parsed: Option<TokenRefusal> = serde_json::from_slice(body).ok();
    let code = parsed
        .as_ref()
        .and_then(|r| r.error.clone())
        .unwrap_or_default();
    let description = parsed.and_then(|r| r.error_description).unwrap_or_default();
    let hint = match code.as_str() {
        "invalid_grant" => {
            "check that the key is still active and that this machine's clock is right"
        }
        "unauthorized_client" | "access_denied" => {
            "the service account is not allowed these scopes for this user: grant domain-wide \
             delegation in the Workspace admin console (Security > API controls)"
        }
        "invalid_scope" => "a requested scope is not valid",
        _ => "",
    };
    let message = [code.as_str(), description.as_str(), hint]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let mut error = VendorError::from_status(SERVICE, status, headers, &message);
    if status == 400 {
        // OAuth answers a refused grant with 400: the credentials, not the request, are wrong.
        error.kind = ErrorKind::Unauthorized;
    }
    error
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("account", &self.key.client_email())
            .field("scopes", &self.scopes)
            .field("subject", &self.subject)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}
