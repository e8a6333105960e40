//! Who is signed in: the session cookie, the extractor every dashboard page and JSON endpoint
//! goes through, and the checks every change must pass (CSRF token and same origin).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use negotiator_store::{TeamSession, count_team_users, find_team_session};
use subtle::ConstantTimeEq;

use super::passwords::token_hash;
use super::views::page;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "negotiator_session";
/// How long a sign-in lasts.
pub const SESSION_HOURS: i64 = 12;

/// A signed-in team member.
#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub csrf: String,
    token_hash: String,
}

impl Member {
    /// The hash of this session's token (to end it).
    pub fn token_hash(&self) -> &str {
        &self.token_hash
    }

    /// Refuses a change that does not carry this session's CSRF token, or that comes from
    /// another site.
    pub fn check_change(&self, headers: &HeaderMap, csrf: &str) -> Result<(), Refused> {
        if !same_origin(headers) {
            return Err(Refused(
                "This request came from another site, so it was refused. Use the dashboard's \
                 own buttons.",
            ));
        }
        if !bool::from(self.csrf.as_bytes().ct_eq(csrf.as_bytes())) {
            return Err(Refused(
                "This form is out of date or was not sent by the dashboard (its security token \
                 does not match your sign-in), so nothing was changed. Reload the page and try \
                 again.",
            ));
        }
        Ok(())
    }
}

/// A change refused before anything was done: it came from another site or without the token.
#[derive(Debug)]
pub struct Refused(&'static str);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (
            StatusCode::FORBIDDEN,
            page::bare("Refused", &page::notice(self.0)),
        )
            .into_response()
    }
}

/// True when the request's `Origin` (or, without one, its `Referer`) is this server.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let ours = |url: &str| {
        ["http://", "https://"].iter().any(|scheme| {
            url.strip_prefix(scheme)
                .and_then(|rest| rest.strip_prefix(host))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin.to_str().is_ok_and(|o| o != "null" && ours(o));
    }
    headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .is_some_and(ours)
}

/// The session token the request's cookie carries.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Behind a TLS-terminating proxy (it says `X-Forwarded-Proto: https`) the cookie is Secure.
fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value that starts a session.
pub fn set_cookie(token: &str, headers: &HeaderMap) -> Option<HeaderValue> {
    let secure = if behind_tls(headers) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_HOURS * 3600
    ))
    .ok()
}

/// The `Set-Cookie` value that ends one.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("negotiator_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Why there is no member: the dashboard is off, nobody is signed in, or the store failed.
#[derive(Debug)]
pub enum NotSignedIn {
    Off,
    SignIn { api: bool },
    Failed(String),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Off => (
                StatusCode::NOT_FOUND,
                page::bare("Dashboard off", &page::off()),
            )
                .into_response(),
            NotSignedIn::SignIn { api: true } => (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"error": "sign in to the dashboard first"})),
            )
                .into_response(),
            NotSignedIn::SignIn { api: false } => Redirect::to("/login").into_response(),
            NotSignedIn::Failed(error) => (
                StatusCode::SERVICE_UNAVAILABLE,
                page::bare("Unavailable", &page::notice(&error)),
            )
                .into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = NotSignedIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let api = parts.uri.path().starts_with("/api/");
        let db = state.agent.store.db();
        let Some(token) = cookie_token(&parts.headers) else {
            return Err(match count_team_users(db).await {
                Ok(0) => NotSignedIn::Off,
                Ok(_) => NotSignedIn::SignIn { api },
                Err(e) => NotSignedIn::Failed(e.to_string()),
            });
        };
        let hash = token_hash(&token);
        match find_team_session(db, &hash, Timestamp::now()).await {
            Ok(Some(TeamSession {
                user_name,
                csrf_token,
                ..
            })) => Ok(Member {
                name: user_name,
                csrf: csrf_token,
                token_hash: hash,
            }),
            Ok(None) => Err(NotSignedIn::SignIn { api }),
            Err(e) => Err(NotSignedIn::Failed(e.to_string())),
        }
    }
}
