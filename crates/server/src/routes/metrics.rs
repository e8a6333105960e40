//! `/metrics` in the Prometheus text format: requests, jobs, outside calls, retries, and
//! negotiations by state (counted from the database at each scrape).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

use crate::state::AppState;

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let counts: Result<Vec<(String, i64)>, _> =
        sqlx::query_as("SELECT state, COUNT(*) FROM negotiations GROUP BY state")
            .fetch_all(state.agent.store.pool())
            .await;
    match counts {
        Ok(counts) => {
            for (negotiation_state, count) in counts {
                metrics::gauge!("negotiator_negotiations", "state" => negotiation_state)
                    .set(count as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "could not count negotiations for /metrics"),
    }
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
