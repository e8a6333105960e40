//! Signing in and out. Attempts are limited per name and per address; a wrong name and a wrong
//! password get the same answer in the same time.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use jiff::{Timestamp, ToSpan};
use negotiator_store::{
    count_team_users, delete_team_session, insert_team_session, team_user_credentials,
};
use serde::Deserialize;

use crate::dashboard::passwords::{decoy_hash, new_token, token_hash, verify_password};
use crate::dashboard::session::{Member, SESSION_HOURS, clear_cookie, same_origin, set_cookie};
use crate::dashboard::views::{login, page};
use crate::state::AppState;

fn form_page(status: StatusCode, problem: Option<&str>, name: &str) -> Response {
    (status, page::bare("Sign in", &login::body(problem, name))).into_response()
}

pub async fn show(State(state): State<AppState>) -> Response {
    match count_team_users(state.agent.store.db()).await {
        Ok(0) => (
            StatusCode::NOT_FOUND,
            page::bare("Dashboard off", &page::off()),
        )
            .into_response(),
        Ok(_) => form_page(StatusCode::OK, None, ""),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            page::bare("Unavailable", &page::notice(&e.to_string())),
        )
            .into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Response {
    if !same_origin(&headers) {
        return form_page(
            StatusCode::FORBIDDEN,
            Some("This sign-in came from another site, so it was refused."),
            "",
        );
    }
    let address = peer.map(|Extension(ConnectInfo(a))| a.ip());
    let limiter = &state.dashboard.limiter;
    let name = form.name.trim().to_owned();
    if let Some(wait) = limiter.blocked(&name, address, Instant::now()) {
        return form_page(
            StatusCode::TOO_MANY_REQUESTS,
            Some(&format!(
                "Too many failed sign-ins; try again in {} minutes.",
                wait.as_secs().div_ceil(60)
            )),
            &name,
        );
    }
    let db = state.agent.store.db();
    let found = match team_user_credentials(db, &name).await {
        Ok(found) => found,
        Err(e) => return form_page(StatusCode::SERVICE_UNAVAILABLE, Some(&e.to_string()), &name),
    };
    let hash = found
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |(_, _, h)| h.clone());
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some((user_id, _, _)) = found.filter(|_| matches) else {
        limiter.failed(&name, address, Instant::now());
        return form_page(
            StatusCode::UNAUTHORIZED,
            Some("That name and password do not match a team login."),
            &name,
        );
    };
    limiter.succeeded(&name);
    let (Ok(token), Ok(csrf)) = (new_token(), new_token()) else {
        return form_page(
            StatusCode::SERVICE_UNAVAILABLE,
            Some("The server could not make a session token; try again."),
            &name,
        );
    };
    let now = Timestamp::now();
    let expires = now
        .checked_add(SESSION_HOURS.hours())
        .unwrap_or(Timestamp::MAX);
    let store = &state.agent.store;
    let session = &token_hash(&token);
    let stored = async {
        insert_team_session(
            &mut store.write().await?,
            session,
            user_id,
            &csrf,
            now,
            expires,
        )
        .await
    };
    if let Err(e) = stored.await {
        return form_page(StatusCode::SERVICE_UNAVAILABLE, Some(&e.to_string()), &name);
    }
    let mut response = Redirect::to("/").into_response();
    if let Some(cookie) = set_cookie(&token, &headers) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct SignOut {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    if let Err(refused) = member.check_change(&headers, &form.csrf) {
        return refused.into_response();
    }
    let store = &state.agent.store;
    let ended = async {
        delete_team_session(
            &mut store.write().await?,
            member.token_hash(),
            Timestamp::now(),
        )
        .await
    };
    if let Err(e) = ended.await {
        tracing::warn!(error = %e, "could not end a dashboard session");
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie());
    response
}
