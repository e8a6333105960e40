//! The dashboard's request handlers: pages, changes, sign-in and the JSON the page reads.

pub mod actions;
pub mod api;
pub mod login;
pub mod pages;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
