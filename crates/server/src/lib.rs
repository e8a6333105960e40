//! The HTTP surface of `negotiator serve`: health, readiness, metrics and the webhooks, with
//! request limits; plus the background worker and scheduler that run beside it.

mod background;
pub mod chatops;
mod connections;
pub mod dashboard;
mod error;
mod http_metrics;
pub mod push_auth;
mod routes;
mod run;
mod signed;
mod state;

pub use run::{ServeError, Server, shutdown_signal};
pub use state::AppState;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Headers that must never appear in logs.
const SENSITIVE: [axum::http::HeaderName; 4] = [
    axum::http::header::AUTHORIZATION,
    axum::http::HeaderName::from_static("x-signature"),
    axum::http::HeaderName::from_static("x-slack-signature"),
    axum::http::header::COOKIE,
];

/// The whole router with its layers: body size cap (413), request timeout (408), panics
/// answered 500, sensitive headers kept out of the logs, request metrics.
pub fn router(state: AppState) -> Router {
    let limits = &state.config.server;
    let body_limit = limits.body_limit_bytes;
    let timeout = Duration::from_secs(limits.request_timeout_secs.max(1));
    routes::routes()
        .layer(axum::middleware::from_fn(http_metrics::count))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .layer(SetSensitiveRequestHeadersLayer::new(SENSITIVE))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}
