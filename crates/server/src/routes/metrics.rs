//! `/metrics` in the Prometheus text format: requests, jobs, outside calls, retries, and
//! negotiations by state (counted from the database at each scrape).

use std::collections::BTreeMap;
use std::fmt::Write;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use negotiator_domain::NegotiationState;

use crate::state::AppState;

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    match negotiations_by_state(&state).await {
        Ok(counts) => write_negotiations(&mut text, &counts),
        Err(error) => tracing::warn!(%error, "could not count negotiations for /metrics"),
    }
    ([(CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// How many negotiations are in each state right now: every state, those with none at 0.
///
/// Written into each scrape rather than kept in a gauge of the process-wide recorder, which
/// would go on reporting the last count of a state no row is in any more.
async fn negotiations_by_state(state: &AppState) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM negotiations GROUP BY state")
            .fetch_all(state.agent.store.pool())
            .await?;
    let mut counts: BTreeMap<String, i64> = NegotiationState::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    counts.extend(rows);
    Ok(counts)
}

fn write_negotiations(text: &mut String, counts: &BTreeMap<String, i64>) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# HELP negotiator_negotiations Negotiations by state, counted at this scrape.\n\
         # TYPE negotiator_negotiations gauge\n",
    );
    for (negotiation_state, count) in counts {
        let label = negotiation_state
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n");
        // Writing to a String cannot fail.
        let _ = writeln!(text, "negotiator_negotiations{{state=\"{label}\"}} {count}");
    }
}
