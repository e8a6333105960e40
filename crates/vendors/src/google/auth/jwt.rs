//! The signed JWT (RS256) a service account trades for an access token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::RSA_PKCS1_SHA256;
use serde::Serialize;

use super::key::ServiceAccountKey;

/// Longest life Google accepts for an assertion.
pub(super) const LIFETIME_SECS: i64 = 3600;

#[derive(Serialize)]
struct Header<'a> {
    alg: &'static str,
    typ: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: String,
    aud: &'a str,
    iat: i64,
    exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<&'a str>,
}

/// `header.claims.signature`, each part base64url without padding. `now` is Unix seconds.
pub(super) fn assertion(
    key: &ServiceAccountKey,
    scopes: &[String],
    subject: Option<&str>,
    now: i64,
) -> Result<String, String> {
    let header = Header {
        alg: "RS256",
        typ: "JWT",
        kid: key.key_id(),
    };
    let claims = Claims {
        iss: key.client_email(),
        scope: scopes.join(" "),
        aud: key.token_uri(),
        iat: now,
        exp: now + LIFETIME_SECS,
        sub: subject,
    };
    let signing_input = format!("{}.{}", part(&header)?, part(&claims)?);
    let signer = key.signer();
    let mut signature = vec![0; signer.public().modulus_len()];
    signer
        .sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .map_err(|_| "the key could not sign the assertion".to_owned())?;
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    ))
}

fn part(value: &impl Serialize) -> Result<String, String> {
    serde_json::to_vec(value)
        .map(|json| URL_SAFE_NO_PAD.encode(json))
        .map_err(|e| e.to_string())
}
