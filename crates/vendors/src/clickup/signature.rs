//! ClickUp's webhook signature: `X-Signature` is the lowercase hex HMAC-SHA256 of the raw
//! request body, keyed with the webhook's secret. Verify the bytes as received, then parse.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::secret::Secret;

/// The header ClickUp signs deliveries with.
pub const SIGNATURE_HEADER: &str = "X-Signature";

/// Why a delivery's signature was not accepted. Answer these with 400 or 403, never 401 or
/// 410: ClickUp suspends a webhook at once on those.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error(
        "the delivery has no X-Signature header; only ClickUp webhook deliveries are accepted here"
    )]
    Missing,
    #[error(
        "the X-Signature header is not 64 hex characters (an HMAC-SHA256); the request did not \
         come from ClickUp or was altered on the way"
    )]
    Malformed,
    #[error(
        "the X-Signature does not match the body; check that CLICKUP_WEBHOOK_SECRET is the \
         secret ClickUp returned when this webhook was created, and that nothing between \
         ClickUp and us re-encodes the body"
    )]
    Mismatch,
}

/// Checks `header` (the `X-Signature` value, `None` when absent) against `raw_body` in
/// constant time. Surrounding spaces and upper-case hex are tolerated.
pub fn verify_signature(
    secret: &Secret,
    raw_body: &[u8],
    header: Option<&[u8]>,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let text = std::str::from_utf8(header)
        .map_err(|_| SignatureError::Malformed)?
        .trim();
    if text.is_empty() {
        return Err(SignatureError::Missing);
    }
    let mut expected = [0_u8; 32];
    hex::decode_to_slice(text, &mut expected).map_err(|_| SignatureError::Malformed)?;
    mac(secret, raw_body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The signature ClickUp would send for `raw_body` (lowercase hex), for tests and tools that
/// replay deliveries.
pub fn sign(secret: &Secret, raw_body: &[u8]) -> String {
    hex::encode(mac(secret, raw_body).finalize().into_bytes())
}

fn mac(secret: &Secret, raw_body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length, so this never fails; the fallback keeps it total.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.expose().as_bytes())
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
    mac.update(raw_body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector from the API notes (key `secret`, compact body).
    const BODY: &[u8] =
        br#"{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}"#;
    const SIGNATURE: &str = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c";

    #[test]
    fn signs_and_verifies_the_documented_vector() {
        let secret = Secret::new("secret");
        assert_eq!(sign(&secret, BODY), SIGNATURE);
        assert_eq!(
            verify_signature(&secret, BODY, Some(SIGNATURE.as_bytes())),
            Ok(())
        );
        let upper = SIGNATURE.to_ascii_uppercase();
        assert_eq!(
            verify_signature(&secret, BODY, Some(upper.as_bytes())),
            Ok(())
        );
    }

    #[test]
    fn names_why_a_signature_is_refused() {
        let secret = Secret::new("secret");
        assert_eq!(
            verify_signature(&secret, BODY, None),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify_signature(&secret, BODY, Some(b"  ")),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            verify_signature(&secret, BODY, Some(b"f7bc83f430538424b13298e6aa6")),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify_signature(&secret, BODY, Some(&[0xff, 0xfe])),
            Err(SignatureError::Malformed)
        );
        let other = Secret::new("other");
        assert_eq!(
            verify_signature(&other, BODY, Some(SIGNATURE.as_bytes())),
            Err(SignatureError::Mismatch)
        );
    }
}
