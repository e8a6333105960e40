//! The HTTP surface: health and metrics, connections, the ClickUp and Gmail push webhooks, Slack commands and buttons, and faults.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_debug_implementations
)]

mod clickup_webhook;
mod connections;
mod dashboard;
mod fault_rig;
mod faults;
mod gmail_push;
mod http;
mod slack_commands;
mod slack_interactions;
