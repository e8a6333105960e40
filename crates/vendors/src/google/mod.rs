//! Google: service-account auth, Gmail (with push through Pub/Sub) and Sheets.
//!
//! One [`ServiceAccountKey`] (the JSON key file) feeds a [`TokenSource`] per scope set and
//! subject: Gmail needs domain-wide delegation (`sub` = the mailbox), Sheets only needs the
//! sheet shared with the service account's address. Each client takes its base URL, so tests
//! point it at a local fake, and answers in the shared [`VendorError`](crate::VendorError)
//! classes (Google's error body decides between a quota answer and a refusal).

pub mod auth;
mod client;
mod errors;
pub mod gmail;
pub mod push;
pub mod sheets;

pub use auth::{KeyError, ServiceAccountKey, TokenSource};
pub use gmail::{
    Gmail, HistoryError, HistoryPage, HistoryRecord, ListQuery, MessageList, MessageMetadata,
    MessageRef, Profile, RawMessage, Watch,
};
pub use sheets::{Sheets, Tab};

/// Where Gmail lives; paths (`/gmail/v1/users/...`) are added to it.
pub const GMAIL_BASE_URL: &str = "https://gmail.googleapis.com";
/// Where Sheets lives; paths (`/v4/spreadsheets/...`) are added to it.
pub const SHEETS_BASE_URL: &str = "https://sheets.googleapis.com";
/// Google's OAuth 2 token endpoint (also the `aud` of every assertion).
pub const TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

/// The scopes the agent asks for.
pub mod scopes {
    /// Send, read and search the agent's mailbox (`gmail.modify` covers send, get, list,
    /// history and watch without permanent deletion).
    pub const GMAIL: &str = "https://www.googleapis.com/auth/gmail.modify";
    /// Read the roster sheet.
    pub const SHEETS_READONLY: &str = "https://www.googleapis.com/auth/spreadsheets.readonly";
}
