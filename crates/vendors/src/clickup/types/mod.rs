//! ClickUp's wire types: a task and its custom fields with their typed values, a webhook and
//! the events it delivers.

mod event;
mod lenient;
mod task;
mod value;
mod webhook;

pub use event::{EventError, HistoryItem, HistoryUser, WebhookEvent};
pub(super) use lenient::null_as_default;
pub use task::{
    ClickUpTask, CustomField, Field, FieldOption, Location, Tag, TaskStatus, TypeConfig, User,
};
pub use value::{FieldKind, FieldValue, OptionNames, ValueError};
pub(super) use webhook::{
    CreateWebhookAnswer, CreateWebhookBody, UpdateWebhookBody, WebhooksAnswer, id_value,
};
pub use webhook::{CreatedWebhook, Webhook, WebhookHealth};
