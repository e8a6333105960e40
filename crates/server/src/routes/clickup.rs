//! `POST /webhooks/clickup`: verify the signature over the raw body, then hand the delivery to
//! the intake workflow, which stores it with its job before the answer goes out. Never 401 or 410 (ClickUp suspends a
//! webhook at once on those): a bad signature gets 403, a malformed body 400.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use negotiator_agent::workflows::intake::{self, Accepted};
use negotiator_vendors::clickup::{SIGNATURE_HEADER, WebhookEvent, verify_signature};
use serde_json::{Value, json};

use crate::error::HttpError;
use crate::signed::{Refusal, Signed, Signer, reason_label};
use crate::state::AppState;

/// `POST /webhooks/clickup`, signed by ClickUp (`X-Signature`, HMAC-SHA256 of the body). A
/// bad signature gets 403, never 401, which would suspend the webhook.
#[derive(Debug)]
pub struct ClickUpWebhook;

impl Signer for ClickUpWebhook {
    const SOURCE: &'static str = "clickup";

    fn verify(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
        let Some(secret) = &state.config.secrets.clickup_webhook_secret else {
            return Err(Refusal {
                status: StatusCode::SERVICE_UNAVAILABLE,
                reason: "no_secret".to_owned(),
                error: "ClickUp intake is not configured here: set CLICKUP_WEBHOOK_SECRET"
                    .to_owned(),
            });
        };
        let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
        verify_signature(secret, body, signature).map_err(|refused| Refusal {
            status: StatusCode::FORBIDDEN,
            reason: reason_label(&refused),
            error: refused.to_string(),
        })
    }
}

fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

pub async fn clickup(
    State(state): State<AppState>,
    Signed(body, ..): Signed<ClickUpWebhook>,
) -> Response {
    let event = match WebhookEvent::parse(&body) {
        Ok(event) => event,
        Err(error) => return HttpError::bad_request(error.to_string()).into_response(),
    };
    if !event.is_task_created() {
        return answer(
            StatusCode::OK,
            json!({"status": "ignored", "event": event.event}),
        );
    }
    let Some(task_id) = event.task_id.clone() else {
        return HttpError::bad_request("a taskCreated delivery must name its task_id")
            .into_response();
    };
    match intake::accept_clickup_task(&state.agent, event.delivery_key(), &task_id, &body).await {
        Ok(Accepted::Queued) => {
            tracing::info!(task_id = %task_id, "ClickUp task queued");
            answer(
                StatusCode::OK,
                json!({"status": "accepted", "task_id": task_id}),
            )
        }
        Ok(Accepted::Duplicate) => answer(
            StatusCode::OK,
            json!({"status": "duplicate", "task_id": task_id}),
        ),
        Err(error) => {
            // ClickUp retries a 5xx, so nothing is lost by refusing while the database is busy.
            tracing::error!(%error, task_id = %task_id, "could not store a ClickUp delivery");
            HttpError::unavailable("the delivery could not be stored; ClickUp will retry")
                .into_response()
        }
    }
}
