//! `/healthz` (the process answers) and `/readyz` (the database takes writes; the last known
//! state of each configured integration).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use negotiator_vendors::http::health;
use serde_json::{Value, json};

use crate::state::AppState;

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
        })),
    )
}
