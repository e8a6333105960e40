//! The dashboard's request handlers: pages, changes, sign-in and the JSON the page reads.

pub mod actions;
pub mod api;
pub mod login;
pub mod pages;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use negotiator_store::{NegotiationRow, get_negotiation};

use super::session::Member;
use super::views::page;

/// A page that says what went wrong, with a way back.
pub fn problem(status: StatusCode, member: &Member, text: &str, back: &str) -> Response {
    let body = format!(
        "{}<p><a href=\"{}\">Back</a></p>",
        page::notice(text),
        super::views::html::esc(back)
    );
    (status, page::page("Nothing was changed", member, &body)).into_response()
}

/// The store or a workflow failed.
pub fn failed(member: &Member, error: &dyn std::fmt::Display) -> Response {
    tracing::warn!(%error, "a dashboard request failed");
    problem(
        StatusCode::SERVICE_UNAVAILABLE,
        member,
        &format!("That did not work: {error}"),
        "/",
    )
}

/// The negotiation `id` as stored, or the page that says there is none (or that the read failed).
pub async fn negotiation_or_problem(
    state: &crate::state::AppState,
    member: &Member,
    id: i64,
) -> Result<NegotiationRow, Response> {
    match get_negotiation(state.agent.store.db(), id).await {
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(problem(
            StatusCode::NOT_FOUND,
            member,
            &format!("There is no negotiation {id}."),
            "/",
        )),
        Err(e) => Err(failed(member, &e)),
    }
}
