//! One authorised call to a Google API: the bearer token attached, a 401 answered by one token
//! refresh, and the answer read as JSON or classed as an error.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{RequestBuilder, Url};
use serde::de::DeserializeOwned;

use super::auth::TokenSource;
use super::errors::classify;
use crate::http::{ErrorKind, HttpClient, VendorError};

/// What Gmail and Sheets share: the HTTP client, the token source and the base URL.
#[derive(Debug)]
pub(crate) struct Api {
    service: &'static str,
    http: HttpClient,
    auth: Arc<TokenSource>,
    base: Url,
    hint_403: String,
}

impl Api {
    /// `hint_403` is added to refusals (not quota answers) to say what to fix.
    pub(crate) fn new(
        service: &'static str,
        auth: Arc<TokenSource>,
        base_url: &str,
        hint_403: String,
    ) -> Result<Self, VendorError> {
        let base = Url::parse(base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && !u.cannot_be_a_base())
            .ok_or_else(|| {
                VendorError::new(
                    service,
                    ErrorKind::Rejected,
                    format!("{base_url:?} is not an http(s) base URL; fix it in negotiator.toml [google]"),
                )
            })?;
        Ok(Api {
            service,
            http: HttpClient::new(service, Duration::from_secs(30))?,
            auth,
            base,
            hint_403,
        })
    }

    pub(crate) fn service(&self) -> &'static str {
        self.service
    }

    pub(crate) fn auth(&self) -> &TokenSource {
        &self.auth
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// Sends the request `build` makes, with a bearer token; reads a JSON answer.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        build: impl Fn(&reqwest::Client) -> RequestBuilder,
    ) -> Result<T, VendorError> {
        let mut token = self.auth.token().await?;
        let mut refreshed = false;
        loop {
            let answer = self
                .http
                .exchange(build(self.http.inner()).bearer_auth(token.expose()))
                .await?;
            if answer.is_success() {
                return self.http.decode(&answer.body);
            }
            if answer.status == 401 && !refreshed {
                // The token expired early or was revoked: one fresh token, one more try.
                refreshed = true;
                token = self.auth.refresh(&token).await?;
                continue;
            }
            let body = String::from_utf8_lossy(&answer.body);
            return Err(classify(
                self.service,
                answer.status,
                &answer.headers,
                &body,
                &self.hint_403,
            ));
        }
    }
}
