//! Slack's `v0` request signature, checked over the raw body before anything else is read.
//! A refused request is counted and logged (the reason and size, never the body) and
//! answered 401; with no signing secret configured the route answers 503.

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use negotiator_vendors::slack::verify_signature;
use serde_json::json;

use crate::state::AppState;

const TIMESTAMP: &str = "x-slack-request-timestamp";
const SIGNATURE: &str = "x-slack-signature";

/// A request refused before it was read: the status and the reason to send back.
#[derive(Debug)]
pub struct Refused {
    status: StatusCode,
    error: String,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": self.error}))).into_response()
    }
}

/// Passes a request Slack signed within the last five minutes; anything else is refused.
pub fn verify(
    state: &AppState,
    route: &'static str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refused> {
    let Some(secret) = &state.config.secrets.slack_signing_secret else {
        metrics::counter!("negotiator_webhooks_refused_total", "source" => route, "reason" => "no_secret")
            .increment(1);
        return Err(Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: "Slack commands are not configured here: set SLACK_SIGNING_SECRET".to_owned(),
        });
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    verify_signature(
        secret,
        header(TIMESTAMP),
        body,
        header(SIGNATURE),
        state.agent.now(),
    )
    .map_err(|refused| {
        let reason = format!("{refused:?}")
            .split([' ', '{'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        metrics::counter!("negotiator_webhooks_refused_total", "source" => route, "reason" => reason)
            .increment(1);
        tracing::warn!(route, reason = %refused, bytes = body.len(), "refused a request claiming to be from Slack");
        Refused {
            status: StatusCode::UNAUTHORIZED,
            error: refused.to_string(),
        }
    })
}
