//! Google's error answers (`{"error":{"code","message","errors":[{"reason"}],"status"}}`)
//! classed by what to do next: quota answers wait and retry, refusals do not.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::http::{ErrorKind, VendorError};

#[derive(Deserialize)]
struct Body {
    error: Detail,
}

#[derive(Deserialize)]
struct Detail {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<Reason>,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize)]
struct Reason {
    #[serde(default)]
    reason: String,
}

/// Reasons that mean "too fast": the same call works after a wait.
const RATE_REASONS: [&str; 3] = [
    "userRateLimitExceeded",
    "rateLimitExceeded",
    "quotaExceeded",
];
/// The daily cap resets within a day; hand the wait to the job queue.
const DAILY_WAIT: Duration = Duration::from_secs(3600);

/// Classes a non-2xx answer from a Google API (§3.6 of the API notes): 429 and 403 quota
/// reasons are rate limits, other 403s and 401 are refusals of our credentials, 5xx are
/// outages, the rest are rejected requests.
pub(crate) fn classify(
    service: &'static str,
    status: u16,
    headers: &HeaderMap,
    body: &str,
    hint_403: &str,
) -> VendorError {
    let detail = serde_json::from_str::<Body>(body).ok().map(|b| b.error);
    let reason = detail
        .as_ref()
        .and_then(|d| {
            d.errors
                .iter()
                .map(|r| r.reason.as_str())
                .find(|r| !r.is_empty())
        })
        .unwrap_or("")
        .to_owned();
    let api_status = detail
        .as_ref()
        .map(|d| d.status.clone())
        .unwrap_or_default();
    let mut message = match &detail {
        Some(d) => {
            let label = if reason.is_empty() {
                &api_status
            } else {
                &reason
            };
            if label.is_empty() {
                d.message.clone()
            } else {
                format!("{} ({label})", d.message)
            }
        }
        None => body.to_owned(),
    };
    let rate_limited = status == 429
        || (status == 403
            && (RATE_REASONS.contains(&reason.as_str()) || api_status == "RESOURCE_EXHAUSTED"));
    let daily = status == 403 && reason == "dailyLimitExceeded";
    if status == 403 && !rate_limited && !daily && !hint_403.is_empty() {
        message = format!("{message}; {hint_403}");
    }
    let mut error = VendorError::from_status(service, status, headers, &message);
    if rate_limited {
        error.kind = ErrorKind::RateLimited;
    } else if daily {
        error.kind = ErrorKind::RateLimited;
        error.retry_after = error.retry_after.or(Some(DAILY_WAIT));
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: u16, reason: &str, status: &str) -> String {
        serde_json::json!({"error": {"code": code, "message": "m", "errors": [{"reason": reason, "domain": "global", "message": "m"}], "status": status}}).to_string()
    }

    #[test]
    fn quota_answers_are_retryable_refusals_are_not() {
        let h = HeaderMap::new();
        let class =
            |status, reason, api| classify("Gmail", status, &h, &body(status, reason, api), "");
        assert_eq!(
            class(429, "rateLimitExceeded", "RESOURCE_EXHAUSTED").kind,
            ErrorKind::RateLimited
        );
        assert_eq!(
            class(403, "userRateLimitExceeded", "PERMISSION_DENIED").kind,
            ErrorKind::RateLimited
        );
        assert_eq!(
            class(403, "rateLimitExceeded", "PERMISSION_DENIED").kind,
            ErrorKind::RateLimited
        );
        let daily = class(403, "dailyLimitExceeded", "PERMISSION_DENIED");
        assert_eq!(
            (daily.kind, daily.retry_after),
            (ErrorKind::RateLimited, Some(DAILY_WAIT))
        );
        let denied = class(403, "insufficientPermissions", "PERMISSION_DENIED");
        assert_eq!(denied.kind, ErrorKind::Unauthorized);
        assert!(!denied.is_retryable());
        assert!(
            denied.message.contains("insufficientPermissions"),
            "{}",
            denied.message
        );
        assert_eq!(
            class(401, "authError", "UNAUTHENTICATED").kind,
            ErrorKind::Unauthorized
        );
        assert_eq!(
            class(500, "backendError", "INTERNAL").kind,
            ErrorKind::Unavailable
        );
        assert_eq!(
            class(404, "notFound", "NOT_FOUND").kind,
            ErrorKind::Rejected
        );
        assert_eq!(
            classify("Gmail", 502, &h, "<html>bad gateway</html>", "").kind,
            ErrorKind::Unavailable
        );
    }
}
