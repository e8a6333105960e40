//! The JSON the page reads (closed like the pages: a session is needed).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::dashboard::data;
use crate::dashboard::numbers::numbers;
use crate::dashboard::session::Member;
use crate::state::AppState;

fn unavailable(error: &dyn std::fmt::Display) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"error": error.to_string()})),
    )
        .into_response()
}

/// Every campaign's figures, and the numbers overall.
pub async fn campaigns(State(state): State<AppState>, _member: Member) -> Response {
    let facts = &state.dashboard.facts;
    match data::campaigns(&state.agent.store, None, Some(facts)).await {
        Ok(views) => {
            let each: Vec<_> = views
                .iter()
                .map(|v| json!({"campaign": v, "numbers": numbers([v])}))
                .collect();
            Json(json!({"overall": numbers(&views), "campaigns": each})).into_response()
        }
        Err(e) => unavailable(&e),
    }
}

/// One campaign's negotiations.
pub async fn negotiations(
    State(state): State<AppState>,
    _member: Member,
    Path(id): Path<String>,
) -> Response {
    match data::negotiation_lines(&state.agent.store, &id).await {
        Ok(lines) => Json(json!({"campaign_id": id, "negotiations": lines})).into_response(),
        Err(e) => unavailable(&e),
    }
}
