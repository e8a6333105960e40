//! A stateful fake of the Gmail API for one mailbox, on loopback: `messages.send` (threaded
//! as Gmail documents), `messages.list` searches, `messages.get` (raw, metadata, minimal,
//! full), `history.list` from a `startHistoryId`, `watch` and `getProfile`; plus [`FakeGmail::deliver`]
//! for mail that arrives. Every call needs a token the fake's token endpoint granted for the
//! mailbox's user.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;
use negotiator_reading::mail::parse_message;
use negotiator_vendors::RetryPolicy;
use negotiator_vendors::google::gmail::decode_base64url;
use negotiator_vendors::google::{Gmail, scopes};
use serde_json::{Value, json};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::google::{GoogleAuth, google_error, not_found};
use super::request::{param, path_after, query};
use super::rfc5322::{field, fields, replace_field};
use super::{lock, ok};

/// What Gmail does with the `Message-ID` header of a message sent through the API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MessageIds {
    /// Keeps the sender's (Gmail adds one only when it is missing).
    #[default]
    Kept,
    /// Replaces it with one of its own making (`<CA…@mail.gmail.com>`).
    Replaced,
}

/// The first history id of a new mailbox; each change moves it on by [`HISTORY_STEP`] (Gmail's
/// ids grow, but not one by one).
const FIRST_HISTORY_ID: u64 = 4_100;
const HISTORY_STEP: u64 = 7;
/// A watch lapses after 7 days.
const WATCH_LIFE_MS: i64 = 7 * 24 * 3600 * 1000;
const SEND_SCOPES: &[&str] = &[
    "https://mail.google.com/",
    scopes::GMAIL,
    "https://www.googleapis.com/auth/gmail.compose",
    "https://www.googleapis.com/auth/gmail.send",
];
const READ_SCOPES: &[&str] = &[
    "https://mail.google.com/",
    scopes::GMAIL,
    "https://www.googleapis.com/auth/gmail.readonly",
];

/// A Gmail mailbox on loopback, with Google's token endpoint beside it.
pub struct FakeGmail {
    server: MockServer,
    user: String,
    state: Arc<Mutex<Mailbox>>,
}

impl FakeGmail {
    /// An empty mailbox for `user`, treating sent Message-IDs as `message_ids` says.
    pub async fn start(user: &str, message_ids: MessageIds) -> Self {
        let server = MockServer::start().await;
        let auth = GoogleAuth::mount(&server).await;
        let state = Arc::new(Mutex::new(Mailbox {
            message_ids,
            watches: Vec::new(),
            watch_life_ms: WATCH_LIFE_MS,
            watch_failures: 0,
            history_id: FIRST_HISTORY_ID,
            messages: Vec::new(),
        }));
        Mock::given(path_regex("^/gmail/v1/users/"))
            .respond_with(GmailApi {
                auth,
                user: user.to_owned(),
                state: Arc::clone(&state),
            })
            .mount(&server)
            .await;
        FakeGmail {
            server,
            user: user.to_owned(),
            state,
        }
    }

    /// Gmail's base URL here (`[google] gmail_base_url`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The token endpoint here (`[google] token_url`).
    pub fn token_url(&self) -> String {
        format!("{}/token", self.server.uri())
    }

    /// A Gmail client acting for the mailbox's user through this fake: retries at once and
    /// spends no real quota time.
    pub fn client(&self) -> Gmail {
        let auth = GoogleAuth::token_source(&self.server, &[scopes::GMAIL], Some(&self.user));
        Gmail::new(auth, &self.server.uri())
            .unwrap()
            .with_retry(RetryPolicy::immediate(3))
            .with_quota(1_000_000, 1_000_000)
    }

    /// Makes `raw` arrive in the inbox, in `thread` (which must exist) or in a new thread;
    /// returns its Gmail id and thread id.
    pub fn deliver(&self, raw: &[u8], thread: Option<&str>) -> (String, String) {
        let mut mailbox = lock(&self.state);
        if let Some(thread) = thread {
            assert!(
                mailbox.messages.iter().any(|m| m.thread_id == thread),
                "the fake Gmail has no thread {thread} to deliver into"
            );
        }
        let stored = mailbox.add(
            raw.to_vec(),
            thread.map(str::to_owned),
            &["INBOX", "UNREAD"],
        );
        (stored.id.clone(), stored.thread_id.clone())
    }

    /// The topic of every `users.watch` call so far, oldest first.
    pub fn watches(&self) -> Vec<String> {
        lock(&self.state).watches.clone()
    }

    /// Makes the next watches last `life_ms` (a test's stand-in for a week passing).
    pub fn set_watch_life_ms(&self, life_ms: i64) {
        lock(&self.state).watch_life_ms = life_ms;
    }

    /// Makes the next `failures` calls of `users.watch` fail with a 503.
    pub fn fail_watches(&self, failures: u32) {
        lock(&self.state).watch_failures = failures;
    }

    /// The mailbox's current history id (what a push notification carries).
    pub fn history_id(&self) -> u64 {
        lock(&self.state).history_id
    }

    /// Every message sent through the API, as Gmail holds it (RFC 5322 bytes), oldest first.
    pub fn sent(&self) -> Vec<Vec<u8>> {
        lock(&self.state)
            .messages
            .iter()
            .filter(|m| m.labels.contains(&"SENT"))
            .map(|m| m.raw.clone())
            .collect()
    }
}

/// One message the mailbox holds.
#[derive(Clone, Debug)]
struct Stored {
    id: String,
    thread_id: String,
    labels: Vec<&'static str>,
    raw: Vec<u8>,
    /// The history record that added it.
    history_id: u64,
    internal_ms: i64,
}

impl Stored {
    fn reference(&self) -> Value {
        json!({"id": self.id, "threadId": self.thread_id})
    }

    fn resource(&self) -> Value {
        let body = parse_message(&self.raw).map(|m| m.body).unwrap_or_default();
        json!({
            "id": self.id,
            "threadId": self.thread_id,
            "labelIds": self.labels,
            "snippet": body.chars().take(100).collect::<String>(),
            "historyId": self.history_id.to_string(),
            "internalDate": self.internal_ms.to_string(),
            "sizeEstimate": self.raw.len(),
        })
    }

    fn rfc822_id(&self) -> Option<String> {
        parse_message(&self.raw).ok().and_then(|m| m.message_id)
    }
}

#[derive(Debug)]
struct Mailbox {
    message_ids: MessageIds,
    /// The topic of every `users.watch` call, oldest first.
    watches: Vec<String>,
    /// How long a watch lasts.
    watch_life_ms: i64,
    /// How many `users.watch` calls still fail with a 503.
    watch_failures: u32,
    history_id: u64,
    /// Oldest first.
    messages: Vec<Stored>,
}

impl Mailbox {
    /// Stores `raw` in `thread` (a new one when `None`: Gmail names it after its first
    /// message) as the next history record.
    fn add(&mut self, raw: Vec<u8>, thread: Option<String>, labels: &[&'static str]) -> &Stored {
        self.history_id += HISTORY_STEP;
        let id = format!(
            "{:016x}",
            0x18c2_f0a9_0000_0000_u64 + self.messages.len() as u64 + 1
        );
        self.messages.push(Stored {
            thread_id: thread.unwrap_or_else(|| id.clone()),
            id,
            labels: labels.to_vec(),
            raw,
            history_id: self.history_id,
            internal_ms: jiff::Timestamp::now().as_millisecond(),
        });
        &self.messages[self.messages.len() - 1]
    }

    fn find(&self, id: &str) -> Option<&Stored> {
        self.messages.iter().find(|m| m.id == id)
    }

    /// `users.messages.send`: `{"raw": base64url, "threadId"?}`.
    fn send(&mut self, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return invalid("Invalid JSON payload received.");
        };
        let Some(raw) = body["raw"].as_str().and_then(decode_base64url) else {
            return invalid(
                "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
            );
        };
        if ["To", "Cc", "Bcc"].iter().all(|h| field(&raw, h).is_none()) {
            return invalid("Recipient address required");
        }
        let thread = match body["threadId"].as_str() {
            Some(thread) if !self.messages.iter().any(|m| m.thread_id == thread) => {
                return not_found();
            }
            // Gmail files it in the thread only if it answers a message there under the same
            // subject; otherwise the send starts a thread of its own.
            Some(thread) if self.continues(thread, &raw) => Some(thread.to_owned()),
            _ => None,
        };
        let raw = match (self.message_ids, field(&raw, "Message-ID")) {
            (MessageIds::Kept, Some(_)) => raw,
            _ => {
                let made = format!(
                    "<CA+fake{:x}{:04}@mail.gmail.com>",
                    self.history_id,
                    self.messages.len()
                );
                replace_field(&raw, "Message-ID", &made)
            }
        };
        let sent = self.add(raw, thread, &["SENT"]);
        ok(json!({"id": sent.id, "threadId": sent.thread_id, "labelIds": sent.labels}))
    }

    /// Whether `raw` answers a message of `thread` (In-Reply-To or References) with the
    /// thread's subject, as Gmail requires to keep a sent message in the thread.
    fn continues(&self, thread: &str, raw: &[u8]) -> bool {
        let Ok(reply) = parse_message(raw) else {
            return false;
        };
        let in_thread: Vec<&Stored> = self
            .messages
            .iter()
            .filter(|m| m.thread_id == thread)
            .collect();
        let answers = reply
            .in_reply_to
            .iter()
            .chain(&reply.references)
            .any(|id| in_thread.iter().any(|m| m.rfc822_id().as_ref() == Some(id)));
        let first_subject = in_thread
            .first()
            .and_then(|m| parse_message(&m.raw).ok())
            .map(|m| m.subject)
            .unwrap_or_default();
        answers && bare_subject(&reply.subject) == bare_subject(&first_subject)
    }

    /// `users.messages.list`: newest first, searched by `q` and `labelIds`.
    fn list(&self, query: &[(String, String)]) -> ResponseTemplate {
        let mut filters = Vec::new();
        for term in param(query, "q").unwrap_or("").split_whitespace() {
            match Filter::parse(term) {
                Some(filter) => filters.push(filter),
                None => {
                    return invalid(&format!(
                        "the fake Gmail does not understand the search term {term:?}"
                    ));
                }
            }
        }
        filters.extend(
            query
                .iter()
                .filter(|(name, _)| name == "labelIds")
                .map(|(_, label)| Filter::Label(label.to_uppercase())),
        );
        let matching: Vec<&Stored> = self
            .messages
            .iter()
            .rev()
            .filter(|m| filters.iter().all(|f| f.matches(m)))
            .collect();
        let mut answer = page(query, &matching, Stored::reference, "messages");
        answer["resultSizeEstimate"] = json!(matching.len());
        ok(answer)
    }

    /// `users.messages.get` in the `format` asked for (`full` by default, here one text/plain
    /// part).
    fn get(&self, id: &str, query: &[(String, String)]) -> ResponseTemplate {
        let Some(message) = self.find(id) else {
            return not_found();
        };
        let mut answer = message.resource();
        let headers = |keep: &dyn Fn(&str) -> bool| -> Value {
            fields(&message.raw)
                .into_iter()
                .filter(|(name, _)| keep(name))
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect()
        };
        match param(query, "format").unwrap_or("full") {
            "raw" => answer["raw"] = json!(URL_SAFE.encode(&message.raw)),
            "metadata" => {
                let wanted: Vec<&str> = query
                    .iter()
                    .filter(|(name, _)| name == "metadataHeaders")
                    .map(|(_, value)| value.as_str())
                    .collect();
                let keep = |name: &str| {
                    wanted.is_empty() || wanted.iter().any(|w| w.eq_ignore_ascii_case(name))
                };
                answer["payload"] = json!({"mimeType": "text/plain", "headers": headers(&keep)});
            }
            "minimal" => {}
            "full" => {
                let body = parse_message(&message.raw)
                    .map(|m| m.body)
                    .unwrap_or_default();
                answer["payload"] = json!({
                    "mimeType": "text/plain",
                    "headers": headers(&|_| true),
                    "body": {"size": body.len(), "data": URL_SAFE.encode(body.as_bytes())},
                });
            }
            other => return invalid(&format!("Invalid value at 'format' ({other:?})")),
        }
        ok(answer)
    }

    /// `users.history.list`: the records after `startHistoryId`, oldest first.
    fn history(&self, query: &[(String, String)]) -> ResponseTemplate {
        let Some(start) = param(query, "startHistoryId").and_then(|s| s.trim().parse::<u64>().ok())
        else {
            return invalid("Invalid startHistoryId");
        };
        // Before the mailbox existed: an id Gmail does not know (as a too-old one).
        if start < FIRST_HISTORY_ID {
            return not_found();
        }
        let types: Vec<&str> = query
            .iter()
            .filter(|(name, _)| name == "historyTypes")
            .map(|(_, value)| value.as_str())
            .collect();
        let label = param(query, "labelId");
        let added_wanted = types.is_empty() || types.contains(&"messageAdded");
        let records: Vec<&Stored> = self
            .messages
            .iter()
            .filter(|m| added_wanted && m.history_id > start)
            .filter(|m| {
                label.is_none_or(|l| m.labels.iter().any(|have| have.eq_ignore_ascii_case(l)))
            })
            .collect();
        let record = |m: &Stored| {
            json!({
                "id": m.history_id.to_string(),
                "messages": [m.reference()],
                "messagesAdded": [{"message": {"id": m.id, "threadId": m.thread_id, "labelIds": m.labels}}],
            })
        };
        let mut answer = page(query, &records, record, "history");
        answer["historyId"] = json!(self.history_id.to_string());
        ok(answer)
    }

    /// `users.watch`: `{"historyId", "expiration"}` (epoch ms as a string), lasting
    /// [`Mailbox::watch_life_ms`] (Google's 7 days unless a test shortens it).
    fn watch(&mut self, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return invalid("Invalid JSON payload received.");
        };
        let Some(topic) = body["topicName"].as_str() else {
            return invalid("Invalid topicName does not match projects/*/topics/*");
        };
        if !topic.starts_with("projects/") || !topic.contains("/topics/") {
            return invalid("Invalid topicName does not match projects/*/topics/*");
        }
        if self.watch_failures > 0 {
            self.watch_failures -= 1;
            return google_error(503, "backendError", "UNAVAILABLE", "Backend Error");
        }
        let expiration = jiff::Timestamp::now().as_millisecond() + self.watch_life_ms;
        self.watches.push(topic.to_owned());
        ok(json!({
            "historyId": self.history_id.to_string(),
            "expiration": expiration.to_string(),
        }))
    }

    fn profile(&self, user: &str) -> ResponseTemplate {
        let mut threads: Vec<&str> = self.messages.iter().map(|m| m.thread_id.as_str()).collect();
        threads.sort_unstable();
        threads.dedup();
        ok(json!({
            "emailAddress": user,
            "messagesTotal": self.messages.len(),
            "threadsTotal": threads.len(),
            "historyId": self.history_id.to_string(),
        }))
    }
}

/// One term of a Gmail search the fake understands.
enum Filter {
    MessageId(String),
    /// `to:` an address among To and Cc.
    To(String),
    After(i64),
    Before(i64),
    Label(String),
}

impl Filter {
    fn parse(term: &str) -> Option<Filter> {
        let (operator, value) = term.split_once(':')?;
        let seconds = || value.parse::<i64>().ok();
        match operator.to_ascii_lowercase().as_str() {
            "rfc822msgid" => Some(Filter::MessageId(
                value
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned(),
            )),
            "to" => Some(Filter::To(value.to_ascii_lowercase())),
            "after" => seconds().map(Filter::After),
            "before" => seconds().map(Filter::Before),
            "in" | "label" => Some(Filter::Label(value.to_uppercase())),
            _ => None,
        }
    }

    fn matches(&self, message: &Stored) -> bool {
        match self {
            Filter::MessageId(id) => message.rfc822_id().as_deref() == Some(id.as_str()),
            Filter::To(address) => ["To", "Cc"].iter().any(|h| {
                field(&message.raw, h).is_some_and(|v| v.to_ascii_lowercase().contains(address))
            }),
            Filter::After(seconds) => message.internal_ms / 1000 > *seconds,
            Filter::Before(seconds) => message.internal_ms / 1000 < *seconds,
            Filter::Label(label) => message.labels.iter().any(|l| l == label),
        }
    }
}

/// One page of `items` under `key` (left out when empty, as Gmail does), by `maxResults`
/// (100 by default, at most 500) and the `pageToken` of the page before.
fn page<T>(query: &[(String, String)], items: &[T], show: impl Fn(T) -> Value, key: &str) -> Value
where
    T: Copy,
{
    let size = param(query, "maxResults")
        .and_then(|m| m.parse::<usize>().ok())
        .unwrap_or(100)
        .clamp(1, 500);
    let from = param(query, "pageToken")
        .and_then(|t| t.strip_prefix("page-"))
        .and_then(|t| t.parse::<usize>().ok())
        .unwrap_or(0);
    let shown: Vec<Value> = items
        .iter()
        .skip(from)
        .take(size)
        .map(|i| show(*i))
        .collect();
    let mut answer = json!({});
    if !shown.is_empty() {
        answer[key] = Value::Array(shown);
    }
    if from + size < items.len() {
        answer["nextPageToken"] = json!(format!("page-{}", from + size));
    }
    answer
}

/// A subject without its `Re:`/`Fwd:` prefixes, for comparing a reply with its thread.
fn bare_subject(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(prefix) = ["re:", "fwd:", "fw:"]
            .into_iter()
            .find(|p| lower.starts_with(p))
        else {
            return rest.to_lowercase();
        };
        rest = rest[prefix.len()..].trim_start();
    }
}

fn invalid(message: &str) -> ResponseTemplate {
    google_error(400, "invalidArgument", "INVALID_ARGUMENT", message)
}

struct GmailApi {
    auth: GoogleAuth,
    user: String,
    state: Arc<Mutex<Mailbox>>,
}

impl Respond for GmailApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(path) = path_after(request, &["gmail", "v1", "users"]) else {
            return not_found();
        };
        let Some((user, rest)) = path.split_first() else {
            return not_found();
        };
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let sending = rest == ["messages", "send"];
        let scopes = if sending { SEND_SCOPES } else { READ_SCOPES };
        if let Some(refusal) = self.auth.refusal(request, scopes, Some(&self.user)) {
            return refusal;
        }
        if user != "me" && *user != self.user {
            return google_error(
                403,
                "forbidden",
                "PERMISSION_DENIED",
                &format!("Delegation denied for {user}"),
            );
        }
        let query = query(request);
        let mut mailbox = lock(&self.state);
        match (request.method.as_str(), rest.as_slice()) {
            ("POST", ["messages", "send"]) => mailbox.send(&request.body),
            ("GET", ["messages"]) => mailbox.list(&query),
            ("GET", ["messages", id]) => mailbox.get(id, &query),
            ("GET", ["history"]) => mailbox.history(&query),
            ("GET", ["profile"]) => mailbox.profile(&self.user),
            ("POST", ["watch"]) => mailbox.watch(&request.body),
            _ => not_found(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_compare_without_reply_prefixes() {
        assert_eq!(bare_subject("Re: RE:  Fwd: Glow x Jane"), "glow x jane");
        assert_eq!(bare_subject("Glow x Jane"), "glow x jane");
        assert_ne!(bare_subject("Re: Other"), bare_subject("Glow x Jane"));
    }
}
