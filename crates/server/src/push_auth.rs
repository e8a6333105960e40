//! How `POST /webhooks/gmail` knows a push is Pub/Sub's: the OIDC token it signs, or the
//! shared-secret token on the push URL, from `[gmail_push]`.

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use negotiator_adapters::config::{GmailPushConfig, PushAuthConfig};
use negotiator_vendors::Secret;
use negotiator_vendors::google::push::{KeyCache, OidcVerifier, TokenRefusal, token_matches};

use crate::signed::Refusal;

/// The configured check.
#[derive(Debug, Clone)]
pub enum PushAuth {
    Oidc(OidcVerifier),
    SharedSecret(Secret),
}

impl PushAuth {
    /// The check `[gmail_push]` asks for; `Ok(None)` without the section; every missing
    /// setting named otherwise.
    pub fn from_config(config: Option<&GmailPushConfig>) -> Result<Option<Self>, String> {
        let Some(config) = config else {
            return Ok(None);
        };
        let auth = config.auth().map_err(|missing| {
            format!(
                "[gmail_push] is configured but push cannot start without {}",
                missing.join(", ")
            )
        })?;
        Ok(Some(match auth {
            PushAuthConfig::Oidc {
                audience,
                email,
                jwks_url,
                leeway_secs,
            } => {
                let keys = KeyCache::new(&jwks_url).map_err(|e| e.to_string())?;
                PushAuth::Oidc(OidcVerifier::new(
                    Arc::new(keys),
                    audience,
                    email,
                    i64::try_from(leeway_secs).unwrap_or(i64::MAX),
                ))
            }
            PushAuthConfig::SharedSecret(secret) => PushAuth::SharedSecret(secret),
        }))
    }

    /// Checks a push's credentials at `now` (Unix seconds), before its body is read.
    pub async fn check(
        &self,
        headers: &HeaderMap,
        query: Option<&str>,
        now: i64,
    ) -> Result<(), Refusal> {
        match self {
            PushAuth::Oidc(verifier) => {
                let token = headers
                    .get(axum::http::header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| {
                        v.strip_prefix("Bearer ")
                            .or_else(|| v.strip_prefix("bearer "))
                    })
                    .ok_or(TokenRefusal::Missing)
                    .map_err(refusal)?;
                verifier.verify(token, now).await.map(drop).map_err(refusal)
            }
            PushAuth::SharedSecret(secret) => {
                let given =
                    query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("token=")));
                match given {
                    None => Err(Refusal {
                        status: StatusCode::UNAUTHORIZED,
                        reason: "missing_token".to_owned(),
                        error: "the push URL carries no token".to_owned(),
                    }),
                    Some(given) if token_matches(secret, given) => Ok(()),
                    Some(_) => Err(Refusal {
                        status: StatusCode::FORBIDDEN,
                        reason: "bad_token".to_owned(),
                        error: "the push URL's token is not the configured one".to_owned(),
                    }),
                }
            }
        }
    }
}

fn refusal(refused: TokenRefusal) -> Refusal {
    Refusal {
        status: StatusCode::from_u16(refused.status()).unwrap_or(StatusCode::FORBIDDEN),
        reason: refused.label().to_owned(),
        error: refused.to_string(),
    }
}
