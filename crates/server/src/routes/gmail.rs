//! `POST /webhooks/gmail`: a Pub/Sub push of a Gmail notification. Its credentials (the OIDC
//! token, or the shared-secret URL token) are checked before the body is even read; a refusal
//! is counted and stores nothing. An accepted push is stored with its read job before the 2xx
//! (Pub/Sub's acknowledgement), deduplicated on the Pub/Sub message id.

use axum::Json;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use negotiator_agent::workflows::intake::Accepted;
use negotiator_agent::workflows::push::{Push, accept_push};
use negotiator_vendors::google::push::Notification;
use serde_json::json;

use crate::error::HttpError;
use crate::signed::Refusal;
use crate::state::AppState;

const SOURCE: &str = "gmail";

pub async fn gmail(State(state): State<AppState>, request: Request) -> Response {
    let Some(auth) = &state.push else {
        return refused(Refusal {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: "not_configured".to_owned(),
            error: "Gmail push is not configured here: add [gmail_push]".to_owned(),
        });
    };
    let (parts, body) = request.into_parts();
    let now = jiff::Timestamp::now().as_second();
    if let Err(refusal) = auth.check(&parts.headers, parts.uri.query(), now).await {
        return refused(refusal);
    }
    let Ok(body) = to_bytes(body, state.config.server.body_limit_bytes).await else {
        return HttpError::new(StatusCode::PAYLOAD_TOO_LARGE, "the push body is too large")
            .into_response();
    };
    let notification = match Notification::parse(&body) {
        Ok(notification) => notification,
        Err(error) => return HttpError::bad_request(error.to_string()).into_response(),
    };
    let ours = &state.agent.settings.agent_address;
    if !notification.email_address.eq_ignore_ascii_case(ours.trim()) {
        // Acknowledged so Pub/Sub stops; another mailbox's news is nothing to us.
        metrics::counter!("negotiator_gmail_pushes_total", "outcome" => "other_mailbox")
            .increment(1);
        tracing::warn!(message_id = %notification.message_id, "a Gmail push for another mailbox; ignored");
        return answer("ignored", &notification.message_id);
    }
    let push = Push {
        message_id: &notification.message_id,
        email_address: &notification.email_address,
        history_id: notification.history_id,
        body: &body,
    };
    match accept_push(&state.agent, &push).await {
        Ok(Accepted::Queued) => {
            metrics::counter!("negotiator_gmail_pushes_total", "outcome" => "queued").increment(1);
            answer("accepted", &notification.message_id)
        }
        Ok(Accepted::Duplicate) => {
            metrics::counter!("negotiator_gmail_pushes_total", "outcome" => "duplicate")
                .increment(1);
            answer("duplicate", &notification.message_id)
        }
        Err(error) => {
            tracing::error!(%error, message_id = %notification.message_id, "could not store a Gmail push");
            HttpError::unavailable("the push could not be stored; Pub/Sub will redeliver it")
                .into_response()
        }
    }
}

fn answer(status: &str, message_id: &str) -> Response {
    (
        StatusCode::OK,
        Json(json!({"status": status, "message_id": message_id})),
    )
        .into_response()
}

/// Counts and logs a refusal (its reason, never the token) and answers it.
fn refused(refusal: Refusal) -> Response {
    metrics::counter!(
        "negotiator_webhooks_refused_total",
        "source" => SOURCE,
        "reason" => refusal.reason.clone()
    )
    .increment(1);
    tracing::warn!(source = SOURCE, reason = %refusal.error, "refused a Gmail push");
    HttpError::new(refusal.status, refusal.error).into_response()
}
