//! The one shape of a refused request: a status and `{"error": "..."}` saying what was wrong.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An answer that refuses a request, with what a person (or the sender's logs) should read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpError {
    pub status: StatusCode,
    pub error: String,
}

impl HttpError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        HttpError {
            status,
            error: error.into(),
        }
    }

    pub fn bad_request(error: impl Into<String>) -> Self {
        HttpError::new(StatusCode::BAD_REQUEST, error)
    }

    pub fn unavailable(error: impl Into<String>) -> Self {
        HttpError::new(StatusCode::SERVICE_UNAVAILABLE, error)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({"error": self.error}))).into_response()
    }
}
