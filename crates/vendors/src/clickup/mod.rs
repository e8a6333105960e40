//! ClickUp API v2: tasks, custom fields, webhooks and their signatures.
//!
//! - [`ClickUpClient`] fetches tasks (`get_task`) and a list's field definitions
//!   (`list_fields`), registers webhooks (`create_webhook`, `ensure_webhook`) and checks the
//!   token (`authorized_user`); every call is rate-limited per token and retried.
//! - [`CustomField::read`] decodes a field's `value` by its type into a [`FieldValue`].
//! - [`verify_signature`] checks a delivery's `X-Signature`; [`WebhookEvent::parse`] reads it.

mod client;
mod errors;
mod event;
mod lenient;
mod signature;
mod task;
mod value;
mod webhook;

pub use client::{
    ClickUpClient, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_TIMEOUT,
    WebhookRegistration,
};
pub use event::{EventError, HistoryItem, HistoryUser, WebhookEvent};
pub use signature::{SIGNATURE_HEADER, SignatureError, sign, verify_signature};
pub use task::{
    CustomField, Field, FieldOption, Location, Tag, Task, TaskStatus, TypeConfig, User,
};
pub use value::{FieldKind, FieldValue, OptionNames, ValueError};
pub use webhook::{CreatedWebhook, Webhook, WebhookHealth};
