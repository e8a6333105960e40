//! ClickUp API v2: tasks, custom fields, webhooks and their signatures.
//!
//! - [`ClickUpClient`] fetches tasks (`get_task`) and a list's field definitions
//!   (`list_fields`), registers webhooks (`create_webhook`, `ensure_webhook`) and checks the
//!   token (`authorized_user`); every call is rate-limited per token and retried.
//! - [`CustomField::read`] decodes a field's `value` by its type into a [`FieldValue`].
//! - [`verify_signature`] checks a delivery's `X-Signature`; [`WebhookEvent::parse`] reads it.

mod client;
mod errors;
mod signature;
mod types;

pub use client::{
    ClickUpClient, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_TIMEOUT,
    WebhookRegistration,
};
pub use signature::{SIGNATURE_HEADER, SignatureError, sign, verify_signature};
pub use types::{
    ClickUpTask, CreatedWebhook, CustomField, EventError, Field, FieldKind, FieldOption,
    FieldValue, HistoryItem, HistoryUser, Location, OptionNames, Tag, TaskStatus, TypeConfig, User,
    ValueError, Webhook, WebhookEvent, WebhookHealth,
};
