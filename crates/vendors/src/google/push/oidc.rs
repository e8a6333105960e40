//! The OIDC token Pub/Sub puts on a push (`Authorization: Bearer <JWT>`): RS256 only, signed
//! by one of Google's keys, issued by Google, for our audience, on behalf of the configured
//! push service account with a verified email, and not expired (a small leeway for clocks).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::RSA_PKCS1_2048_8192_SHA256;
use serde::Deserialize;

use super::jwks::KeyCache;
use crate::http::VendorError;

/// The issuers Google's OIDC tokens name.
const ISSUERS: [&str; 2] = ["accounts.google.com", "https://accounts.google.com"];

/// Why a token was refused. Never carries the token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenRefusal {
    #[error("the push has no Authorization: Bearer token")]
    Missing,
    #[error("the bearer token is not a JWT (header.claims.signature, base64url JSON)")]
    Malformed,
    #[error("the token is signed with {alg:?}; only RS256 tokens from Google are accepted")]
    Algorithm { alg: String },
    #[error("the token names no key id (kid)")]
    NoKeyId,
    #[error("Google publishes no key {kid:?}")]
    UnknownKey { kid: String },
    #[error("the token's signature does not verify with Google's key")]
    BadSignature,
    #[error("the token was issued by {iss:?}, not accounts.google.com")]
    Issuer { iss: String },
    #[error("the token is for audience {aud:?}, not the one configured")]
    Audience { aud: String },
    #[error("the token is for {email:?}, not the configured push service account")]
    Email { email: String },
    #[error("the token's email is not verified")]
    EmailUnverified,
    #[error("the token expired at {exp} (now {now})")]
    Expired { exp: i64, now: i64 },
    #[error("Google's keys could not be fetched: {0}")]
    Keys(String),
}

impl TokenRefusal {
    /// A short label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            TokenRefusal::Missing => "missing_token",
            TokenRefusal::Malformed => "malformed_token",
            TokenRefusal::Algorithm { .. } => "bad_algorithm",
            TokenRefusal::NoKeyId => "no_kid",
            TokenRefusal::UnknownKey { .. } => "unknown_kid",
            TokenRefusal::BadSignature => "bad_signature",
            TokenRefusal::Issuer { .. } => "bad_issuer",
            TokenRefusal::Audience { .. } => "bad_audience",
            TokenRefusal::Email { .. } => "bad_email",
            TokenRefusal::EmailUnverified => "email_unverified",
            TokenRefusal::Expired { .. } => "expired",
            TokenRefusal::Keys(_) => "keys_unavailable",
        }
    }

    /// 401 when no credentials came, 503 when we could not check them (Pub/Sub retries),
    /// 403 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            TokenRefusal::Missing => 401,
            TokenRefusal::Keys(_) => 503,
            _ => 403,
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

/// The claims that were checked.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct PushClaims {
    pub iss: String,
    pub aud: String,
    pub email: String,
    #[serde(default)]
    pub email_verified: bool,
    pub exp: i64,
    #[serde(default)]
    pub iat: Option<i64>,
}

/// Checks push tokens for one audience and one service account.
#[derive(Debug, Clone)]
pub struct OidcVerifier {
    keys: Arc<KeyCache>,
    audience: String,
    email: String,
    leeway_secs: i64,
}

impl OidcVerifier {
    pub fn new(
        keys: Arc<KeyCache>,
        audience: impl Into<String>,
        email: impl Into<String>,
        leeway_secs: i64,
    ) -> Self {
        OidcVerifier {
            keys,
            audience: audience.into(),
            email: email.into(),
            leeway_secs,
        }
    }

    pub fn keys(&self) -> &KeyCache {
        &self.keys
    }

    /// Verifies `token` at `now` (Unix seconds): the header and signature first, then the
    /// claims.
    pub async fn verify(&self, token: &str, now: i64) -> Result<PushClaims, TokenRefusal> {
        let mut parts = token.trim().split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenRefusal::Malformed);
        };
        let header: Header = json_part(header)?;
        let alg = header.alg.unwrap_or_default();
        if alg != "RS256" {
            return Err(TokenRefusal::Algorithm { alg });
        }
        let kid = header.kid.ok_or(TokenRefusal::NoKeyId)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenRefusal::Malformed)?;
        let key = self
            .keys
            .key(&kid)
            .await
            .map_err(|e: VendorError| TokenRefusal::Keys(e.to_string()))?
            .ok_or_else(|| TokenRefusal::UnknownKey { kid: kid.clone() })?;
        let signed = &token.trim()[..header_and_claims_len(token.trim())];
        key.verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
            .map_err(|_| TokenRefusal::BadSignature)?;
        let claims: PushClaims = json_part(claims)?;
        if !ISSUERS.contains(&claims.iss.as_str()) {
            return Err(TokenRefusal::Issuer { iss: claims.iss });
        }
        if claims.aud != self.audience {
            return Err(TokenRefusal::Audience { aud: claims.aud });
        }
        if !claims.email.eq_ignore_ascii_case(&self.email) {
            return Err(TokenRefusal::Email {
                email: claims.email,
            });
        }
        if !claims.email_verified {
            return Err(TokenRefusal::EmailUnverified);
        }
        if claims.exp + self.leeway_secs < now {
            return Err(TokenRefusal::Expired {
                exp: claims.exp,
                now,
            });
        }
        Ok(claims)
    }
}

/// The length of `header.claims`, the signed part.
fn header_and_claims_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

fn json_part<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, TokenRefusal> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| TokenRefusal::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| TokenRefusal::Malformed)
}
