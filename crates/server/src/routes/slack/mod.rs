//! Slack's two endpoints: `POST /slack/commands` (slash commands) and
//! `POST /slack/interactions` (notice buttons and the counter modal). Each checks Slack's
//! `v0` signature over the raw body before reading anything, answers within Slack's three
//! seconds, and sends anything slower through the request's `response_url`.

mod commands;
mod deadline;
mod form;
mod interactions;
mod outbound;
mod signature;

pub use commands::commands;
pub use interactions::interactions;
