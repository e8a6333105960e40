//! The routes, one module per surface.

mod clickup;
mod gmail;
mod health;
mod metrics;
mod slack;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/webhooks/clickup", post(clickup::clickup))
        .route("/webhooks/gmail", post(gmail::gmail))
        .route("/slack/commands", post(slack::commands))
        .route("/slack/interactions", post(slack::interactions))
        .merge(crate::dashboard::routes())
}
