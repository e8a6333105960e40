//! Webhook registrations: what `POST/GET /team/{id}/webhook` and `PUT /webhook/{id}` send and
//! answer.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;
use crate::secret::Secret;

/// A registered webhook as ClickUp lists it. The secret is present (ClickUp returns it on
/// create and on list) and never printed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Webhook {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub endpoint: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub events: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub list_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub folder_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub space_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub task_id: Option<String>,
    #[serde(default)]
    pub health: Option<WebhookHealth>,
    #[serde(default, deserialize_with = "secret")]
    pub secret: Option<Secret>,
}

/// `active`, `failing` or `suspended`, with the count of failed deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct WebhookHealth {
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub status: String,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub fail_count: Option<i64>,
}

impl Webhook {
    /// Suspended webhooks deliver nothing until re-activated (`update_webhook` with
    /// `active`).
    pub fn is_suspended(&self) -> bool {
        self.health
            .as_ref()
            .is_some_and(|h| h.status.eq_ignore_ascii_case("suspended"))
    }
}

/// A webhook just created: its id and the secret its deliveries are signed with.
#[derive(Clone, Debug, PartialEq)]
pub struct CreatedWebhook {
    pub id: String,
    pub secret: Secret,
    pub webhook: Webhook,
}

#[derive(Debug, Serialize)]
pub(in crate::clickup) struct CreateWebhookBody<'a> {
    pub endpoint: &'a str,
    pub events: &'a [&'a str],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_id: Option<Value>,
}

#[derive(Debug, Serialize)]
pub(in crate::clickup) struct UpdateWebhookBody<'a> {
    pub endpoint: &'a str,
    pub events: &'a [&'a str],
    pub status: &'a str,
}

#[derive(Debug, Deserialize)]
pub(in crate::clickup) struct CreateWebhookAnswer {
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<String>,
    pub webhook: Webhook,
}

#[derive(Debug, Deserialize)]
pub(in crate::clickup) struct WebhooksAnswer {
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub webhooks: Vec<Webhook>,
}

/// A list id goes out as a number when it is one (the API's type), else as given.
pub(in crate::clickup) fn id_value(id: &str) -> Value {
    id.trim()
        .parse::<u64>()
        .map_or_else(|_| Value::String(id.to_owned()), Value::from)
}

fn secret<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?
        .filter(|s| !s.is_empty())
        .map(Secret::new))
}
