//! What Gmail answers, as typed values (ids are strings, as Gmail sends them).

use serde::{Deserialize, Deserializer};

/// A message as lists and history name it: its id and thread (labels when Gmail says).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRef {
    pub id: String,
    #[serde(default)]
    pub thread_id: String,
    #[serde(default)]
    pub label_ids: Vec<String>,
}

/// A whole message (`format=raw`), its RFC 5322 bytes decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawMessage {
    pub id: String,
    pub thread_id: String,
    pub label_ids: Vec<String>,
    pub history_id: Option<String>,
    /// When Google accepted it, in Unix milliseconds.
    pub internal_date_ms: Option<i64>,
    pub raw: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireRaw {
    pub id: String,
    #[serde(default)]
    pub thread_id: String,
    #[serde(default)]
    pub label_ids: Vec<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub history_id: Option<String>,
    #[serde(default, deserialize_with = "opt_id")]
    pub internal_date: Option<String>,
    #[serde(default)]
    pub raw: Option<String>,
}

/// A message's headers (`format=metadata`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageMetadata {
    pub id: String,
    pub thread_id: String,
    pub label_ids: Vec<String>,
    /// `(name, value)` in the order Gmail gave them.
    pub headers: Vec<(String, String)>,
}

impl MessageMetadata {
    /// The first header called `name`, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireMetadata {
    pub id: String,
    #[serde(default)]
    pub thread_id: String,
    #[serde(default)]
    pub label_ids: Vec<String>,
    #[serde(default)]
    pub payload: Option<WirePayload>,
}

#[derive(Deserialize)]
pub(super) struct WirePayload {
    #[serde(default)]
    pub headers: Vec<WireHeader>,
}

#[derive(Deserialize)]
pub(super) struct WireHeader {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// One page of `history.list`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPage {
    /// Absent in Gmail's answer when nothing changed; empty here then.
    #[serde(default, rename = "history")]
    pub records: Vec<HistoryRecord>,
    #[serde(default)]
    pub next_page_token: Option<String>,
    /// The mailbox's current history id when this page was made.
    #[serde(deserialize_with = "id")]
    pub history_id: String,
}

/// One change in the mailbox; only added messages are asked for.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecord {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub messages_added: Vec<Added>,
}

/// `messagesAdded[]` wraps each message.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Added {
    pub message: MessageRef,
}

/// One page of `messages.list`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageList {
    /// Absent in Gmail's answer when nothing matched; empty here then. Newest first.
    #[serde(default)]
    pub messages: Vec<MessageRef>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// What `messages.list` looks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListQuery<'a> {
    /// Gmail search syntax, e.g. `rfc822msgid:abc@example.com` or `after:1767225600`.
    pub q: Option<&'a str>,
    pub label_ids: &'a [&'a str],
    pub include_spam_trash: bool,
    /// Up to 500 per page.
    pub max_results: Option<u32>,
}

/// `users.watch`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Watch {
    #[serde(deserialize_with = "id")]
    pub history_id: String,
    /// When the watch ends, in Unix milliseconds (renew before then; daily is recommended).
    #[serde(deserialize_with = "id")]
    pub expiration: String,
}

/// `users.getProfile`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    #[serde(default)]
    pub email_address: String,
    /// The mailbox's current history id.
    #[serde(deserialize_with = "id")]
    pub history_id: String,
    #[serde(default)]
    pub messages_total: Option<u64>,
}

/// Gmail sends ids and epoch times as strings; some answers have carried numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    S(String),
    N(u64),
}

impl From<StringOrNumber> for String {
    fn from(value: StringOrNumber) -> String {
        match value {
            StringOrNumber::S(s) => s,
            StringOrNumber::N(n) => n.to_string(),
        }
    }
}

fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    StringOrNumber::deserialize(d).map(String::from)
}

fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<StringOrNumber>::deserialize(d).map(|v| v.map(String::from))
}
