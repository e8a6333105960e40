//! The signed-body extractor every webhook shares: the raw body is checked against its
//! sender's signature before anything reads it; a refusal is counted and logged (its reason
//! and size, never the body) and answered with the sender's status for it.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode};

use crate::error::HttpError;
use crate::state::AppState;

/// Why a signed request was refused.
#[derive(Debug)]
pub struct Refusal {
    /// The status the sender expects for it.
    pub status: StatusCode,
    /// A short label for the refused-requests metric (`bad_signature`, `no_secret`, ...).
    pub reason: String,
    /// What to tell the sender.
    pub error: String,
}

/// A sender that signs its requests, and how to check one.
pub trait Signer {
    /// The label of its refusals in metrics and logs.
    const SOURCE: &'static str;

    fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal>;
}

/// A raw body whose signature `S` accepted.
#[derive(Debug)]
pub struct Signed<S>(pub Bytes, pub std::marker::PhantomData<S>);

impl<S: Signer> FromRequest<AppState> for Signed<S> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| HttpError::new(e.status(), e.body_text()))?;
        match S::verify(state, &headers, &body) {
            Ok(()) => Ok(Signed(body, std::marker::PhantomData)),
            Err(refusal) => {
                metrics::counter!(
                    "negotiator_webhooks_refused_total",
                    "source" => S::SOURCE,
                    "reason" => refusal.reason.clone()
                )
                .increment(1);
                tracing::warn!(
                    source = S::SOURCE,
                    reason = %refusal.error,
                    bytes = body.len(),
                    "refused a signed request"
                );
                Err(HttpError::new(refusal.status, refusal.error))
            }
        }
    }
}

/// The metric label for a refusal: its variant's name in snake case (`BadSignature` →
/// `badsignature`, as the refusals have always been counted).
pub fn reason_label(refused: &impl std::fmt::Debug) -> String {
    format!("{refused:?}")
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}
