//! `/healthz` (the process answers) and `/readyz` (the database takes writes; the last known
//! state of each configured integration, and whether mail is read by push or polling).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use negotiator_agent::workflows::push::read_mode;
use negotiator_vendors::http::health;
use serde_json::{Value, json};

use crate::state::AppState;

/// Whether new mail is noticed by Gmail push or by polling right now.
async fn mail_reading(state: &AppState) -> Value {
    let Some(push) = &state.config.gmail_push else {
        return json!({"reading": "polling", "detail": "Gmail push is not configured"});
    };
    let fallback = jiff::SignedDuration::from_secs(
        i64::try_from(push.fallback_after_secs).unwrap_or(i64::MAX),
    );
    match read_mode(&state.agent.store, state.agent.now(), fallback).await {
        Ok(mode) => json!({"reading": mode.name(), "detail": mode.describe()}),
        Err(error) => json!({"reading": "polling", "detail": format!("error: {error}")}),
    }
}

pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = match state.agent.store.check_writable().await {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("error: {e}"),
    };
    let last = health::last_calls();
    let mut integrations = serde_json::Map::new();
    for (port, description) in state.agent.adapters.describe() {
        integrations.insert(port.to_owned(), json!({ "adapter": description }));
    }
    for (service, call) in last {
        integrations.insert(
            service.to_ascii_lowercase(),
            json!({
                "last_call": if call.ok { "ok" } else { "failed" },
                "at": call.at.to_string(),
                "error": call.error,
            }),
        );
    }
    let mail = mail_reading(&state).await;
    let ready = database == "ok";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "not_ready" },
            "database": database,
            "integrations": integrations,
            "mail": mail,
        })),
    )
}
