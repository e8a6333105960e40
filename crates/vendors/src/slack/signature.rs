//! Slack request signing, version `v0`: every slash command and interaction Slack sends is
//! signed with the app's signing secret; anything unsigned, forged or replayed is refused.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// How far a request's timestamp may be from our clock, either way.
pub const REPLAY_WINDOW: Duration = Duration::from_secs(300);

/// Why a request's signature was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Slack signing secret is configured (set SLACK_SIGNING_SECRET)")]
    NoSecret,
    #[error("the X-Slack-Request-Timestamp header is missing")]
    MissingTimestamp,
    #[error("the X-Slack-Request-Timestamp header is not a Unix time in seconds")]
    BadTimestamp,
    #[error("the request was signed {age_secs}s ago, more than 5 minutes: it may be a replay")]
    Stale { age_secs: i64 },
    #[error("the request is dated {ahead_secs}s in the future, more than 5 minutes")]
    FromFuture { ahead_secs: i64 },
    #[error("the X-Slack-Signature header is missing")]
    MissingSignature,
    #[error("the X-Slack-Signature header is not `v0=` and 64 hex digits")]
    BadSignatureFormat,
    #[error("the signature does not match the request")]
    Mismatch,
}

/// Checks a request from Slack: `signature` (the `X-Slack-Signature` header) must be `v0=` and
/// the hex HMAC-SHA256, keyed with the signing secret, of `v0:{timestamp}:{body}`, where
/// `timestamp` is the `X-Slack-Request-Timestamp` header and `body` the raw bytes as received
/// (before any form or JSON parsing). The timestamp must be within [`REPLAY_WINDOW`] of
/// `now`. The comparison takes the same time whichever byte differs.
pub fn verify_signature(
    signing_secret: &Secret,
    timestamp: Option<&str>,
    body: &[u8],
    signature: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(), SignatureError> {
    if signing_secret.expose().is_empty() {
        return Err(SignatureError::NoSecret);
    }
    let timestamp = timestamp
        .map(str::trim)
        .ok_or(SignatureError::MissingTimestamp)?;
    let signature = signature
        .map(str::trim)
        .ok_or(SignatureError::MissingSignature)?;
    let signed_at = parse_timestamp(timestamp)?;
    let age = now.as_second().saturating_sub(signed_at);
    let window = i64::try_from(REPLAY_WINDOW.as_secs()).unwrap_or(i64::MAX);
    if age > window {
        return Err(SignatureError::Stale { age_secs: age });
    }
    if age < -window {
        return Err(SignatureError::FromFuture {
            ahead_secs: age.saturating_neg(),
        });
    }
    let expected = signature
        .strip_prefix("v0=")
        .filter(|hex| hex.len() == 64)
        .and_then(|hex| hex::decode(hex).ok())
        .ok_or(SignatureError::BadSignatureFormat)?;
    mac(signing_secret, timestamp, body)?
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The `X-Slack-Signature` value Slack would send for `body` at `timestamp`: for tests and
/// for fakes that play Slack.
pub fn sign(
    signing_secret: &Secret,
    timestamp: i64,
    body: &[u8],
) -> Result<String, SignatureError> {
    let tag = mac(signing_secret, &timestamp.to_string(), body)?.finalize();
    Ok(format!("v0={}", hex::encode(tag.into_bytes())))
}

fn mac(
    signing_secret: &Secret,
    timestamp: &str,
    body: &[u8],
) -> Result<Hmac<Sha256>, SignatureError> {
    let key = signing_secret.expose().as_bytes();
    if key.is_empty() {
        return Err(SignatureError::NoSecret);
    }
    // HMAC takes keys of any length; the error case does not happen.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| SignatureError::NoSecret)?;
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    Ok(mac)
}

fn parse_timestamp(text: &str) -> Result<i64, SignatureError> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SignatureError::BadTimestamp);
    }
    text.parse().map_err(|_| SignatureError::BadTimestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_slack_does() {
        let secret = Secret::new("8f742231b10e8888abcd99yyyzzz85a5");
        let body = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assert_eq!(
            sign(&secret, 1_531_420_618, body).unwrap(),
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        );
    }

    #[test]
    fn timestamps_must_be_plain_seconds() {
        for bad in [
            "",
            "-1",
            "+1531420618",
            "1531420618.5",
            "abc",
            "9999999999999",
        ] {
            assert_eq!(
                parse_timestamp(bad),
                Err(SignatureError::BadTimestamp),
                "{bad:?}"
            );
        }
        assert_eq!(parse_timestamp("1531420618"), Ok(1_531_420_618));
    }
}
