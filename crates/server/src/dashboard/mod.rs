//! The team's dashboard at `/`: campaigns, negotiations, timelines, drafts and the controls a
//! person has, behind a team sign-in (`negotiator users add NAME`). Server-rendered HTML with
//! SVG charts; its CSS and script are served from the binary.

mod assets;
mod charts;
pub mod data;
mod handlers;
mod limiter;
pub mod numbers;
pub mod passwords;
mod session;
pub mod users;
mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// What the dashboard keeps between requests: the sign-in attempt counts, and the figures
/// read from the audit trail for the campaigns page.
#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    pub(crate) limiter: limiter::Limiter,
    pub(crate) facts: data::FactsCache,
}

/// The dashboard's routes.
pub fn routes() -> Router<AppState> {
    use handlers::{actions, api, login, pages};
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(login::show).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route("/campaigns/{id}", get(pages::campaign))
        .route("/campaigns/{id}/negotiations.csv", get(pages::campaign_csv))
        .route("/campaigns/{id}/budget", post(actions::raise_budget))
        .route("/negotiations/{id}", get(pages::negotiation))
        .route("/negotiations/{id}/act", post(actions::act))
        .route("/drafts", get(pages::drafts_page))
        .route("/drafts/{id}/{verb}", post(actions::draft))
        .route("/api/campaigns", get(api::campaigns))
        .route("/api/campaigns/{id}/negotiations", get(api::negotiations))
        .route("/assets/dashboard.css", get(assets::css))
        .route("/assets/dashboard.js", get(assets::js))
}
