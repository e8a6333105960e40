//! Slack Web API: chat.postMessage and friends, Block Kit limits, request signing (v0).
//!
//! - [`SlackClient`] posts messages (`chat.postMessage`) and checks the set-up (`auth.test`,
//!   `conversations.info`). Slack answers most errors as HTTP 200 with `{"ok":false,"error":…}`;
//!   those are classed into [`crate::VendorError`]s like any other failure.
//! - [`Block`] and friends are Block Kit as serde types; [`fit`] bends a message into Slack's
//!   documented limits (cutting long text with a pointer to the full version) and [`validate`]
//!   says what still breaks them.
//! - [`verify_signature`] checks Slack's `v0` request signature on slash commands and
//!   interaction payloads.

mod blocks;
mod client;
mod errors;
pub mod limits;
mod signature;
mod text;

pub use blocks::{ActionElement, Block, Button, ButtonStyle, Confirm, Message, Text};
pub use client::{AuthInfo, ChannelInfo, DEFAULT_BASE_URL, PostedMessage, SlackClient};
pub use errors::class_of;
pub use limits::{Limit, LimitViolation, fit, validate};
pub use signature::{REPLAY_WINDOW, SignatureError, sign, verify_signature};
pub use text::{escape_mrkdwn, split, truncate};
