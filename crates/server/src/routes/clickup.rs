//! `POST /webhooks/clickup`: verify the signature over the raw body, then persist the delivery
//! and queue its job in one transaction before answering. Never 401 or 410 (ClickUp suspends a
//! webhook at once on those): a bad signature gets 403, a malformed body 400.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use negotiator_agent::tasks::Task;
use negotiator_store::{NewDelivery, NewJob};
use negotiator_vendors::clickup::{SIGNATURE_HEADER, WebhookEvent, verify_signature};
use serde_json::{Value, json};

use crate::state::AppState;

type Answer = (StatusCode, Json<Value>);

fn answer(status: StatusCode, body: Value) -> Answer {
    (status, Json(body))
}

pub async fn clickup(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    let Some(secret) = &state.config.secrets.clickup_webhook_secret else {
        return answer(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": "ClickUp intake is not configured here: set CLICKUP_WEBHOOK_SECRET"}),
        );
    };
    let signature = headers.get(SIGNATURE_HEADER).map(|v| v.as_bytes());
    if let Err(refused) = verify_signature(secret, &body, signature) {
        let reason = format!("{refused:?}").to_ascii_lowercase();
        metrics::counter!("negotiator_webhooks_refused_total", "source" => "clickup", "reason" => reason)
            .increment(1);
        tracing::warn!(reason = %refused, bytes = body.len(), "refused a ClickUp delivery");
        return answer(StatusCode::FORBIDDEN, json!({"error": refused.to_string()}));
    }
    let event = match WebhookEvent::parse(&body) {
        Ok(event) => event,
        Err(error) => return answer(StatusCode::BAD_REQUEST, json!({"error": error.to_string()})),
    };
    if !event.is_task_created() {
        return answer(
            StatusCode::OK,
            json!({"status": "ignored", "event": event.event}),
        );
    }
    let Some(task_id) = event.task_id.clone() else {
        return answer(
            StatusCode::BAD_REQUEST,
            json!({"error": "a taskCreated delivery must name its task_id"}),
        );
    };
    match persist(&state, &event, &task_id, &body).await {
        Ok(true) => {
            tracing::info!(task_id = %task_id, "ClickUp task queued");
            answer(
                StatusCode::OK,
                json!({"status": "accepted", "task_id": task_id}),
            )
        }
        Ok(false) => answer(
            StatusCode::OK,
            json!({"status": "duplicate", "task_id": task_id}),
        ),
        Err(error) => {
            // ClickUp retries a 5xx, so nothing is lost by refusing while the database is busy.
            tracing::error!(%error, task_id = %task_id, "could not store a ClickUp delivery");
            answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "the delivery could not be stored; ClickUp will retry"}),
            )
        }
    }
}

/// Stores the delivery (deduplicated on webhook + event + history item) and queues the task's
/// job (deduplicated on the task id) in one group-committed transaction. `false` for a repeat
/// of either.
async fn persist(
    state: &AppState,
    event: &WebhookEvent,
    task_id: &str,
    body: &[u8],
) -> Result<bool, negotiator_agent::AgentError> {
    let agent = &state.agent;
    let now = agent.now();
    let task = Task::IngestClickUp {
        task_id: task_id.to_owned(),
    };
    let stored = agent
        .store
        .deliveries()
        .record(NewDelivery {
            source: "clickup".to_owned(),
            dedupe_key: event.delivery_key(),
            body: String::from_utf8_lossy(body).into_owned(),
            received_at: now,
            job: Some(NewJob {
                kind: task.kind().to_owned(),
                dedupe_key: format!("clickup:{task_id}"),
                payload: serde_json::to_value(&task)
                    .map_err(negotiator_agent::AgentError::corrupt)?,
                run_at: now,
            }),
        })
        .await?;
    Ok(stored.new_delivery && stored.new_job)
}
