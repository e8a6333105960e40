//! A failed call to an outside service, classed so callers know whether to try again.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;

/// What went wrong, by how a caller should react.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// No answer in time.
    Timeout,
    /// Could not connect, or the connection broke.
    Connection,
    /// 429 or a vendor's rate-limit answer.
    RateLimited,
    /// Held back by our own client-side rate limit: nothing was sent, and `retry_after` says
    /// when a permit frees up.
    Throttled,
    /// 5xx, Anthropic's 529, or a vendor's "try later" answer.
    Unavailable,
    /// The request was refused (other 4xx, or an `ok:false` that retrying cannot fix).
    Rejected,
    /// The credentials were refused (401/403, `invalid_auth`).
    Unauthorized,
    /// The answer could not be read.
    Decode,
}

/// A failed call: which service, what happened, and when (if ever) to try again.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct VendorError {
    pub service: &'static str,
    pub kind: ErrorKind,
    /// The HTTP status, when there was one.
    pub status: Option<u16>,
    /// What the service said (never a credential; bodies are cut short).
    pub message: String,
    /// The wait the service asked for (`Retry-After`, rate-limit reset headers).
    pub retry_after: Option<Duration>,
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Timeout => "did not answer in time",
            ErrorKind::Connection => "could not be reached",
            ErrorKind::RateLimited => "is rate-limiting us",
            ErrorKind::Throttled => "was not called yet: our own rate limit for it is spent",
            ErrorKind::Unavailable => "is unavailable",
            ErrorKind::Rejected => "refused the request",
            ErrorKind::Unauthorized => "refused our credentials",
            ErrorKind::Decode => "sent an answer we could not read",
        };
        write!(f, "{} {what}", self.service)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        match (self.retry_after, &self.kind) {
            (Some(wait), ErrorKind::Throttled) => {
                write!(f, "; the next call may go in {} ms", wait.as_millis())?;
            }
            (Some(wait), _) => write!(f, "; it asked us to wait {}s", wait.as_secs())?,
            (None, _) => {}
        }
        if self.kind == ErrorKind::Unauthorized {
            write!(
                f,
                "; check the credentials (`negotiator doctor` tests them)"
            )?;
        }
        Ok(())
    }
}

/// Longest answer text kept in an error.
const MESSAGE_CHARS: usize = 300;

impl VendorError {
    pub fn new(service: &'static str, kind: ErrorKind, message: impl Into<String>) -> Self {
        let message: String = message.into();
        VendorError {
            service,
            kind,
            status: None,
            message: message.chars().take(MESSAGE_CHARS).collect(),
            retry_after: None,
        }
    }

    /// A call our own rate limit for `service` held back; it may go after `wait`.
    pub fn throttled(service: &'static str, wait: Duration) -> Self {
        VendorError {
            retry_after: Some(wait),
            ..VendorError::new(service, ErrorKind::Throttled, "")
        }
    }

    /// Timeouts, broken connections, rate limits and outages: the same call may work later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Timeout
                | ErrorKind::Connection
                | ErrorKind::RateLimited
                | ErrorKind::Throttled
                | ErrorKind::Unavailable
        )
    }

    /// Classes an HTTP error status: 429 rate-limited, 5xx and 529 unavailable, 401/403
    /// unauthorized, other 4xx rejected.
    pub fn from_status(
        service: &'static str,
        status: u16,
        headers: &HeaderMap,
        body: &str,
    ) -> Self {
        let kind = match status {
            429 => ErrorKind::RateLimited,
            401 | 403 => ErrorKind::Unauthorized,
            500..=599 => ErrorKind::Unavailable,
            _ => ErrorKind::Rejected,
        };
        VendorError {
            status: Some(status),
            retry_after: retry_after_from(headers),
            ..VendorError::new(service, kind, body.trim())
        }
    }

    /// Classes a transport error (no HTTP answer, or an unreadable one).
    pub fn from_reqwest(service: &'static str, error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            ErrorKind::Timeout
        } else if error.is_connect() || error.is_request() {
            ErrorKind::Connection
        } else if error.is_decode() || error.is_body() {
            ErrorKind::Decode
        } else {
            ErrorKind::Connection
        };
        // reqwest's message names the URL, never a header, so no credential leaks into it.
        VendorError::new(service, kind, error.without_url().to_string())
    }
}

/// `Retry-After` in seconds (or an HTTP date), if the service sent one.
pub fn retry_after_from(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>()
        && seconds.is_finite()
        && seconds >= 0.0
    {
        return Some(Duration::from_millis((seconds * 1000.0) as u64));
    }
    let when = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = when.duration_since(jiff::Timestamp::now());
    Some(Duration::from_secs(
        u64::try_from(wait.as_secs()).unwrap_or(0),
    ))
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    #[test]
    fn statuses_are_classed_by_what_to_do_next() {
        let none = HeaderMap::new();
        let class = |s| VendorError::from_status("Slack", s, &none, "").kind;
        assert_eq!(class(429), ErrorKind::RateLimited);
        assert_eq!(class(500), ErrorKind::Unavailable);
        assert_eq!(class(503), ErrorKind::Unavailable);
        assert_eq!(class(529), ErrorKind::Unavailable);
        assert_eq!(class(401), ErrorKind::Unauthorized);
        assert_eq!(class(404), ErrorKind::Rejected);
        assert_eq!(class(400), ErrorKind::Rejected);
        for s in [429, 500, 503, 529] {
            assert!(
                VendorError::from_status("x", s, &none, "").is_retryable(),
                "{s}"
            );
        }
        for s in [400, 401, 403, 404, 413] {
            assert!(
                !VendorError::from_status("x", s, &none, "").is_retryable(),
                "{s}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(
            retry_after_from(&headers("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after_from(&headers("1.5")),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after_from(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after_from(&headers("soon")), None);
        assert_eq!(retry_after_from(&HeaderMap::new()), None);
    }

    #[test]
    fn messages_say_what_happened_and_are_cut_short() {
        let long = "x".repeat(1_000);
        let error = VendorError::from_status("ClickUp", 401, &HeaderMap::new(), &long);
        let text = error.to_string();
        assert!(
            text.starts_with("ClickUp refused our credentials (HTTP 401)"),
            "{text}"
        );
        assert!(text.contains("negotiator doctor"), "{text}");
        assert!(text.len() < 500);

        let throttled = VendorError::throttled("ClickUp", Duration::from_millis(1_500));
        assert!(throttled.is_retryable());
        assert_eq!(
            throttled.to_string(),
            "ClickUp was not called yet: our own rate limit for it is spent; the next call may \
             go in 1500 ms"
        );
    }
}
