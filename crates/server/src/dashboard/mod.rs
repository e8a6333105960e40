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

/// What the dashboard keeps between requests: the sign-in attempt counts.
#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    pub(crate) limiter: limiter::Limiter,
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

/// Renders the campaigns page straight from the store, for the bench.
pub async fn render_campaigns(
    pool: &sqlx::SqlitePool,
) -> Result<String, negotiator_store::StoreError> {
    Ok(views::campaigns::body(&data::campaigns(pool, None).await?))
}

/// Renders one campaign's table straight from the store, for the bench.
pub async fn render_campaign(
    pool: &sqlx::SqlitePool,
    id: &str,
) -> Result<String, negotiator_store::StoreError> {
    let views = data::campaigns(pool, Some(id)).await?;
    let lines = data::negotiation_lines(pool, id).await?;
    let query = views::campaign::TableQuery::default();
    let rows = views::campaign::select(&lines, &query);
    Ok(views
        .first()
        .map(|v| views::campaign::table(&rows, &query) + &views::campaigns::money_line(v))
        .unwrap_or_default())
}
