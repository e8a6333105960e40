//! The last known state of each outside service, for `/readyz` and `negotiator doctor`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use jiff::Timestamp;
use serde::Serialize;

use super::error::VendorError;

/// How the latest call to a service ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastCall {
    pub ok: bool,
    pub at: Timestamp,
    /// What went wrong, when it did.
    pub error: Option<String>,
}

static LAST: Mutex<BTreeMap<&'static str, LastCall>> = Mutex::new(BTreeMap::new());

/// Records how a call to `service` ended (after its retries).
pub fn record(service: &'static str, outcome: Result<(), &VendorError>) {
    let call = LastCall {
        ok: outcome.is_ok(),
        at: Timestamp::now(),
        error: outcome.err().map(ToString::to_string),
    };
    LAST.lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(service, call);
}

/// The latest call to each service that has been called since start-up.
pub fn last_calls() -> BTreeMap<&'static str, LastCall> {
    LAST.lock().unwrap_or_else(|p| p.into_inner()).clone()
}
