//! A webhook delivery's body (`event`, `task_id`, `webhook_id`, `history_items`), read
//! after its signature is checked. Extra fields are ignored.

use serde::Deserialize;

use super::lenient;

/// One ClickUp webhook delivery.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct WebhookEvent {
    /// `taskCreated`, `taskUpdated`, `taskStatusUpdated`, …
    pub event: String,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub task_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub webhook_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    pub history_items: Vec<HistoryItem>,
}

/// One change the delivery reports.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct HistoryItem {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    /// What changed: `status`, `task_creation`, a custom field id, …
    #[serde(default)]
    pub field: Option<String>,
    /// For `taskCreated`, the list id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub parent_id: Option<String>,
    /// Milliseconds since the epoch.
    #[serde(default, deserialize_with = "lenient::opt_millis")]
    pub date: Option<i64>,
    #[serde(default)]
    pub user: Option<HistoryUser>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct HistoryUser {
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// A delivery body that is not a ClickUp webhook event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the delivery is not a ClickUp webhook event ({0}); expected JSON with at least an `event` field"
)]
pub struct EventError(String);

impl WebhookEvent {
    /// Reads a delivery body (after [`super::verify_signature`] accepted it).
    pub fn parse(raw_body: &[u8]) -> Result<WebhookEvent, EventError> {
        serde_json::from_slice(raw_body).map_err(|e| EventError(e.to_string()))
    }

    /// A new task (a form submission, in an intake list).
    pub fn is_task_created(&self) -> bool {
        self.event == "taskCreated"
    }

    /// The list a created task went into, from its history.
    pub fn list_id(&self) -> Option<&str> {
        self.history_items
            .iter()
            .find_map(|item| item.parent_id.as_deref())
    }

    /// A key that is the same for every retry of this delivery and different for other
    /// deliveries: `{webhook_id}:{event}:{history_item_id}` (ClickUp advises webhook id plus
    /// history item id; the event is added because creating a task sends `taskCreated` and
    /// `taskStatusUpdated` with the same history item). Without history items it falls back
    /// to `{webhook_id}:{event}:task:{task_id}`.
    pub fn delivery_key(&self) -> String {
        let webhook = self.webhook_id.as_deref().unwrap_or("-");
        match self.history_items.first() {
            Some(item) => format!("{webhook}:{}:{}", self.event, item.id),
            None => format!(
                "{webhook}:{}:task:{}",
                self.event,
                self.task_id.as_deref().unwrap_or("-")
            ),
        }
    }
}
