//! ClickUp's error answers (`{"err": …, "ECODE": …}`) made readable, and its rate-limit
//! reset header turned into a wait.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::Deserialize;

/// The longest wait taken from `X-RateLimit-Reset`; ClickUp's limits are per minute, so a
/// longer one means a clock problem, not a real wait.
const MAX_RESET_WAIT: Duration = Duration::from_secs(120);

#[derive(Debug, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    err: Option<String>,
    #[serde(default, rename = "ECODE")]
    ecode: Option<String>,
}

/// `Token invalid (OAUTH_025)` plus what to do about it, or the raw body when it is not a
/// ClickUp error object.
pub(super) fn error_message(body: &[u8]) -> String {
    let Ok(ErrorBody { err, ecode }) = serde_json::from_slice::<ErrorBody>(body) else {
        return String::from_utf8_lossy(body).trim().to_owned();
    };
    let mut text = err.unwrap_or_default();
    if let Some(code) = ecode.as_deref() {
        text = if text.is_empty() {
            code.to_owned()
        } else {
            format!("{text} ({code})")
        };
        if let Some(hint) = hint(code) {
            text.push_str("; ");
            text.push_str(hint);
        }
    }
    if text.is_empty() {
        String::from_utf8_lossy(body).trim().to_owned()
    } else {
        text
    }
}

/// Whether the error text carries ClickUp's "webhook configuration already exists" code.
pub(super) fn is_duplicate_webhook(message: &str) -> bool {
    message.contains(DUPLICATE_WEBHOOK)
}

const DUPLICATE_WEBHOOK: &str = "OAUTH_171";

fn hint(code: &str) -> Option<&'static str> {
    let number: u32 = code.strip_prefix("OAUTH_")?.parse().ok()?;
    Some(match number {
        17 => "send the API token in the Authorization header",
        19 | 21 | 25 | 77 => {
            "the token is unknown or revoked; set CLICKUP_API_TOKEN to a current personal token"
        }
        23 | 26 | 27 | 29..=45 => {
            "the token's user cannot reach this workspace; check clickup.team_id and the user's access"
        }
        171 => {
            "a webhook with this endpoint and location exists already; list the team's webhooks and reuse it"
        }
        _ => return None,
    })
}

/// The wait until `X-RateLimit-Reset` (Unix seconds), capped; `None` without the header.
pub(super) fn reset_wait(headers: &HeaderMap) -> Option<Duration> {
    let reset: i64 = headers
        .get("x-ratelimit-reset")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let now = jiff::Timestamp::now().as_second();
    let seconds = u64::try_from(reset.saturating_sub(now)).unwrap_or(0);
    // One extra second: the reset is rounded down to the second.
    Some(Duration::from_secs(seconds + 1).min(MAX_RESET_WAIT))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn error_bodies_name_the_code_and_the_next_step() {
        let text = error_message(br#"{"err":"Token invalid","ECODE":"OAUTH_025"}"#);
        assert!(text.starts_with("Token invalid (OAUTH_025); "), "{text}");
        assert!(text.contains("CLICKUP_API_TOKEN"), "{text}");
        let text =
            error_message(br#"{"err":"Webhook configuration already exists","ECODE":"OAUTH_171"}"#);
        assert!(is_duplicate_webhook(&text), "{text}");
        assert_eq!(
            error_message(br#"{"err":"Task not found","ECODE":"ITEM_013"}"#),
            "Task not found (ITEM_013)"
        );
        assert_eq!(
            error_message(b"<html>Bad gateway</html>"),
            "<html>Bad gateway</html>"
        );
    }

    #[test]
    fn the_reset_header_becomes_a_short_wait() {
        let mut headers = HeaderMap::new();
        let in_five = jiff::Timestamp::now().as_second() + 5;
        headers.insert("x-ratelimit-reset", HeaderValue::from(in_five));
        let wait = reset_wait(&headers).unwrap();
        assert!(
            wait >= Duration::from_secs(5) && wait <= Duration::from_secs(7),
            "{wait:?}"
        );
        headers.insert("x-ratelimit-reset", HeaderValue::from(0));
        assert_eq!(reset_wait(&headers), Some(Duration::from_secs(1)));
        headers.insert("x-ratelimit-reset", HeaderValue::from(i64::MAX));
        assert_eq!(reset_wait(&headers), Some(MAX_RESET_WAIT));
        assert_eq!(reset_wait(&HeaderMap::new()), None);
    }
}
