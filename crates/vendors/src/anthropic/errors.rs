//! Anthropic's error answers (`{"type":"error","error":{"type","message"}}`) turned into a
//! readable message and an error class.

use super::types::ErrorBody;
use crate::http::ErrorKind;

/// `overloaded_error: Overloaded (request req_…)` from an error body, or the raw body
/// when it is not one; never the key, even if a proxy echoes it back.
pub(super) fn error_message(body: &[u8], request_id: Option<&str>, key: &str) -> String {
    let text = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(error) => {
            let id = error.request_id.as_deref().or(request_id);
            let mut text = format!("{}: {}", error.error.kind, error.error.message);
            if let Some(id) = id {
                text.push_str(&format!(" (request {id})"));
            }
            text
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    if key.is_empty() {
        text
    } else {
        text.replace(key, "[redacted]")
    }
}

/// How an error type found in a 200 body is handled (statuses are classed by `from_status`).
pub(super) fn kind_of(error_type: &str) -> ErrorKind {
    match error_type {
        "rate_limit_error" => ErrorKind::RateLimited,
        "overloaded_error" | "api_error" => ErrorKind::Unavailable,
        "authentication_error" | "permission_error" => ErrorKind::Unauthorized,
        _ => ErrorKind::Rejected,
    }
}
