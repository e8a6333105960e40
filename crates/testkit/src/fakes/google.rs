//! What every Google API fake shares: the OAuth 2 token endpoint (`POST /token`) for
//! service-account assertions, the bearer-token check before each answer, Google's error body.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use negotiator_vendors::google::{ServiceAccountKey, TOKEN_URL, TokenSource};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::lock;
use super::request::{form_pairs, param};
use crate::fixtures::TEST_SERVICE_ACCOUNT_KEY;

/// The test service account's address.
pub const CLIENT_EMAIL: &str = "negotiator@agency.iam.gserviceaccount.com";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The test service account's key file (its key guards nothing).
pub fn service_account_key() -> ServiceAccountKey {
    let json = json!({
        "type": "service_account",
        "private_key_id": "key-1",
        "private_key": TEST_SERVICE_ACCOUNT_KEY,
        "client_email": CLIENT_EMAIL,
        "token_uri": TOKEN_URL,
    });
    ServiceAccountKey::from_json(&json.to_string(), "the test kit's key").unwrap()
}

/// What one access token was granted for.
#[derive(Clone, Debug)]
struct Grant {
    token: String,
    scopes: Vec<String>,
    subject: Option<String>,
}

/// The token endpoint's grants, shared with the API fakes on the same server.
#[derive(Clone, Debug, Default)]
pub struct GoogleAuth {
    grants: Arc<Mutex<Vec<Grant>>>,
}

impl GoogleAuth {
    /// Mounts the token endpoint (`POST /token`) on `server`.
    pub async fn mount(server: &MockServer) -> Self {
        let auth = GoogleAuth::default();
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(TokenEndpoint(auth.clone()))
            .mount(server)
            .await;
        auth
    }

    /// A token source for `scopes`, acting for `subject` when given (domain-wide delegation),
    /// that asks `server`'s token endpoint.
    pub fn token_source(
        server: &MockServer,
        scopes: &[&str],
        subject: Option<&str>,
    ) -> Arc<TokenSource> {
        Arc::new(
            TokenSource::new(service_account_key(), scopes, subject)
                .unwrap()
                .with_token_url(format!("{}/token", server.uri())),
        )
    }

    /// `None` when the request's bearer token was granted one of `scopes` (and, when
    /// `subject` is given, for that user); otherwise Google's refusal.
    pub(super) fn refusal(
        &self,
        request: &Request,
        scopes: &[&str],
        subject: Option<&str>,
    ) -> Option<ResponseTemplate> {
        let bearer = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = bearer else {
            return Some(google_error(
                401,
                "required",
                "UNAUTHENTICATED",
                "Request is missing required authentication credential.",
            ));
        };
        let grants = lock(&self.grants);
        let Some(grant) = grants.iter().find(|g| g.token == token) else {
            return Some(google_error(
                401,
                "authError",
                "UNAUTHENTICATED",
                "Invalid Credentials",
            ));
        };
        if !grant.scopes.iter().any(|s| scopes.contains(&s.as_str())) {
            return Some(google_error(
                403,
                "insufficientPermissions",
                "PERMISSION_DENIED",
                "Request had insufficient authentication scopes.",
            ));
        }
        match subject {
            Some(user) if grant.subject.as_deref() != Some(user) => Some(google_error(
                403,
                "forbidden",
                "PERMISSION_DENIED",
                &format!("Delegation denied for {user}"),
            )),
            _ => None,
        }
    }
}

/// Google's 404 for an id it does not know.
pub(super) fn not_found() -> ResponseTemplate {
    google_error(
        404,
        "notFound",
        "NOT_FOUND",
        "Requested entity was not found.",
    )
}

/// Google's error body: `{"error": {"code", "message", "errors": [{"reason", ...}], "status"}}`.
pub(super) fn google_error(
    code: u16,
    reason: &str,
    status: &str,
    message: &str,
) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({"error": {
        "code": code,
        "message": message,
        "errors": [{"domain": "global", "reason": reason, "message": message}],
        "status": status,
    }}))
}

struct TokenEndpoint(GoogleAuth);

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form = form_pairs(&String::from_utf8_lossy(&request.body));
        let field = |name: &str| param(&form, name);
        if field("grant_type") != Some(JWT_BEARER) {
            return oauth_error(
                "unsupported_grant_type",
                &format!("Invalid grant_type: {}", field("grant_type").unwrap_or("")),
            );
        }
        let claims = match field("assertion").map(claims_of) {
            Some(Ok(claims)) => claims,
            Some(Err(problem)) => return oauth_error("invalid_grant", &problem),
            None => return oauth_error("invalid_request", "Missing required parameter: assertion"),
        };
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        let time = |name: &str| claims.get(name).and_then(Value::as_i64).unwrap_or(0);
        if text("iss") != Some(CLIENT_EMAIL) {
            return oauth_error("invalid_grant", "Invalid JWT Signature.");
        }
        if text("aud") != Some(TOKEN_URL) {
            return oauth_error(
                "invalid_grant",
                "Invalid JWT: audience is not the token URL",
            );
        }
        let lifetime = time("exp") - time("iat");
        if !(1..=3600).contains(&lifetime) {
            return oauth_error(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
            );
        }
        let scopes: Vec<String> = text("scope")
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if scopes.is_empty() {
            return oauth_error("invalid_scope", "Empty or missing scope not allowed.");
        }
        let mut grants = lock(&self.0.grants);
        let token = format!("ya29.fake-google-token-{}", grants.len() + 1);
        grants.push(Grant {
            token: token.clone(),
            scopes,
            subject: text("sub").map(str::to_owned),
        });
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token,
            "expires_in": 3599,
            "token_type": "Bearer",
        }))
    }
}

/// A signed JWT's claims (the signature is not checked: the fake has no public key).
fn claims_of(assertion: &str) -> Result<Value, String> {
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, _signature] = parts.as_slice() else {
        return Err("Invalid JWT: not three segments".to_owned());
    };
    let decode = |part: &str| -> Result<Value, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| format!("Invalid JWT: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("Invalid JWT: {e}"))
    };
    if decode(header)?.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err("Invalid JWT: the algorithm must be RS256".to_owned());
    }
    decode(claims)
}

/// The token endpoint's error body (OAuth 2's, not the APIs').
fn oauth_error(error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(json!({"error": error, "error_description": description}))
}
