//! Stateful fakes of the vendors' HTTP APIs on loopback (wiremock with a responder that keeps
//! state), answering as each vendor documents, for the contract suites and any other test.

pub mod clickup;
pub mod gmail;
pub mod google;
pub mod google_certs;
pub mod llm;
mod request;
mod rfc5322;
pub mod sheets;
pub mod slack;

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;
use wiremock::ResponseTemplate;

/// Locks a fake's state; a panic in one request must not hide the state from the next.
fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A 200 answer with `body` as JSON.
fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}
