//! The Gmail mailbox: send, find a send again by our own header, and read new mail from the
//! history.
//!
//! **Message-IDs.** Gmail's API may give a sent message a Message-ID of its own making. Every
//! send carries ours twice: as the Message-ID and in `X-Negotiator-Send-Id`, which Gmail keeps.
//! After a send the Message-ID the message really carries is read back and reported, so the
//! agent threads later emails on it; `find_sent` looks a send up by the send header among the
//! mail sent to the recipient since the first attempt (`in:sent to:… after:…`).
//!
//! **The cursor.** Gmail numbers every change in a mailbox with a growing history id. The
//! stored cursor (`gmail:{user}:history_id`, with `…:history_as_of`, a time no later than the
//! arrival of any message after it) says how far mail has been taken in. It moves only
//! forward and only past messages that were acknowledged, i.e. durably queued:
//!
//! - `fetch_new` lists the history from the stored cursor, all pages, and keeps the result in
//!   memory as a *batch*: the added messages in history order, each with the history record
//!   that added it, and a target (the first page's `historyId`, the mailbox's state when the
//!   listing began). It hands out up to [`CHUNK`] messages not yet acknowledged; the next call
//!   continues the batch (handing out again any message still unacknowledged) before listing
//!   anew.
//! - `acknowledge` marks a message done and moves the stored cursor to just before the
//!   history record of the oldest message still pending (or to the target once none is).
//!   Messages that cannot be taken in for good (deleted since, drafts) count as done.
//! - A crash loses only the in-memory batch: the next run lists again from the stored cursor,
//!   so unacknowledged mail comes back (the job queue drops what it already has, by
//!   Message-ID). Nothing is ever skipped; at worst something is handed out twice.
//! - An unknown or too-old cursor (404) means a full resync: note the profile's current
//!   history id, list every message since the cursor's as-of time (less a day), hand them out
//!   oldest first, and move the cursor to the noted id only when all are acknowledged.
//! - First run (no cursor): start from the profile's current history id; old mail is not
//!   imported.
//!
//! The history includes the agent's own sent messages; the inbound workflow skips them.

mod batch;
mod cursor;

use std::collections::HashSet;
use std::sync::Mutex;

use async_trait::async_trait;
use jiff::Timestamp;
use negotiator_store::Store;
use negotiator_vendors::google::{
    GMAIL_BASE_URL, Gmail, HistoryError, ListQuery, MessageRef, ServiceAccountKey, TokenSource,
    scopes,
};
use negotiator_vendors::{ErrorKind, VendorError};

use self::batch::{Batch, Entry, Position};
use self::cursor::{Cursor, RESYNC_MARGIN_SECS};
use negotiator_agent::ports::mailbox::{
    Delivered, Mailbox, MailboxError, OutboundEmail, RawInbound, SEND_ID_HEADER,
};

use super::build_message;
use crate::config::GoogleConfig;

/// Most messages one `fetch_new` downloads; the rest come with the next call.
pub const CHUNK: usize = 50;
/// How many recent sent messages `find_sent` checks by header after a send whose outcome was
/// unknown (search may not have indexed it yet).
const RECENT_SENT: u32 = 25;
/// Most sent messages to one recipient since an attempt that `find_sent` reads headers of.
const SENT_SEARCH_MAX: u32 = 50;
/// Gmail's `after:` is compared with the Date header, which may run behind Gmail's clock.
const SEND_SEARCH_MARGIN_SECS: i64 = 3600;
const DRAFT: &str = "DRAFT";

/// The agent's Gmail mailbox (one user, through domain-wide delegation).
#[derive(Debug)]
pub struct GmailMailbox {
    gmail: Gmail,
    user: String,
    cursor: Cursor,
    batch: tokio::sync::Mutex<Option<Batch>>,
    /// Message-IDs whose send ended without a clear answer (timeout, 5xx) in this process.
    uncertain: Mutex<HashSet<String>>,
    /// The Pub/Sub topic Gmail pushes to (`projects/<p>/topics/<t>`); `None`: polled only.
    push_topic: Option<String>,
}

impl GmailMailbox {
    /// The mailbox `user` (the address the agent sends from), its history cursor kept in
    /// `store`.
    pub fn new(gmail: Gmail, user: impl Into<String>, store: Store) -> Self {
        let user = user.into();
        GmailMailbox {
            cursor: Cursor::new(store, &user),
            gmail,
            user,
            batch: tokio::sync::Mutex::new(None),
            uncertain: Mutex::new(HashSet::new()),
            push_topic: None,
        }
    }

    /// Has Gmail push news of the inbox to Pub/Sub `topic` (renewed by [`Mailbox::watch`]).
    pub fn with_push_topic(mut self, topic: impl Into<String>) -> Self {
        self.push_topic = Some(topic.into());
        self
    }

    /// The mailbox `[google] gmail_user`, acting for it with the service account's
    /// domain-wide delegation (`gmail_base_url` and `token_url` override Google's addresses).
    pub fn from_config(
        config: &GoogleConfig,
        key: &ServiceAccountKey,
        store: Store,
    ) -> Result<Self, VendorError> {
        let user = config
            .gmail_user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                VendorError::new(
                    "Gmail",
                    ErrorKind::Rejected,
                    "set [google] gmail_user to the address the agent sends from",
                )
            })?;
        let mut auth = TokenSource::new(key.clone(), &[scopes::GMAIL], Some(user))?;
        if let Some(url) = &config.token_url {
            auth = auth.with_token_url(url);
        }
        let base = config.gmail_base_url.as_deref().unwrap_or(GMAIL_BASE_URL);
        let gmail = Gmail::new(std::sync::Arc::new(auth), base)?;
        Ok(GmailMailbox::new(gmail, user, store))
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// The client, for the watch renewal and the credentials check.
    pub fn gmail(&self) -> &Gmail {
        &self.gmail
    }

    fn uncertain(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.uncertain.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Lists the history from `start` (all pages) as a batch.
    async fn read_history(&self, start: Position, now: i64) -> Result<Batch, HistoryError> {
        let from = start.history_id.to_string();
        let mut entries = Vec::new();
        let mut seen = HashSet::new();
        let mut target = None;
        let mut page_token: Option<String> = None;
        loop {
            let page = self
                .gmail
                .history(&self.user, &from, page_token.as_deref())
                .await?;
            // The first page's id: every record up to it is in this listing.
            target.get_or_insert(page.history_id.clone());
            for record in page.records {
                let at = record.id.parse::<u64>().ok();
                for added in record.messages_added {
                    if let Some(entry) = entry(added.message, at, &mut seen) {
                        entries.push(entry);
                    }
                }
            }
            page_token = page.next_page_token;
            if page_token.is_none() {
                break;
            }
        }
        let target = history_id(target.as_deref().unwrap_or_default())?.max(start.history_id);
        Ok(Batch::new(
            entries,
            Position {
                history_id: target,
                as_of: now,
            },
            start.as_of,
        ))
    }

    /// A full resync after the cursor at `start` became unknown to Gmail.
    async fn resync(&self, start: Position, now: i64) -> Result<Batch, MailboxError> {
        let profile = self.gmail.profile(&self.user).await?;
        let target = history_id(&profile.history_id)?;
        let since = start.as_of - RESYNC_MARGIN_SECS;
        tracing::warn!(
            user = %self.user,
            cursor = start.history_id,
            since,
            "Gmail no longer has the history from our cursor; reading all mail since then instead"
        );
        let q = format!("after:{since}");
        let query = ListQuery {
            q: Some(&q),
            include_spam_trash: true,
            max_results: Some(500),
            ..ListQuery::default()
        };
        let mut newest_first = Vec::new();
        let mut page_token: Option<String> = None;
        loop {
            let page = self
                .gmail
                .list(&self.user, &query, page_token.as_deref())
                .await?;
            newest_first.extend(page.messages);
            page_token = page.next_page_token;
            if page_token.is_none() {
                break;
            }
        }
        let mut seen = HashSet::new();
        let entries = newest_first
            .into_iter()
            .rev()
            .filter_map(|m| entry(m, None, &mut seen))
            .collect();
        Ok(Batch::new(
            entries,
            Position {
                history_id: target,
                as_of: now,
            },
            start.as_of,
        ))
    }

    /// Downloads the batch's next pending messages; drops those gone for good.
    async fn hand_out(&self, batch: &mut Batch) -> Result<Vec<RawInbound>, MailboxError> {
        let mut out = Vec::new();
        for (id, thread_id) in batch.pending(CHUNK) {
            match self.gmail.get_raw(&self.user, &id).await {
                Ok(message) if message.label_ids.iter().any(|l| l == DRAFT) => {
                    batch.mark_done(&id);
                }
                Ok(message) => out.push(RawInbound {
                    provider_id: message.id,
                    thread_id: Some(if message.thread_id.is_empty() {
                        thread_id
                    } else {
                        message.thread_id
                    }),
                    raw: message.raw,
                }),
                Err(error) if error.status == Some(404) => {
                    tracing::warn!(user = %self.user, message = %id, "a new Gmail message was deleted before it could be read; skipping it");
                    batch.mark_done(&id);
                }
                Err(error) => return Err(error.into()),
            }
        }
        Ok(out)
    }

    /// Stores the batch's safe position if it moved forward.
    async fn save(&self, batch: &Batch) -> Result<(), MailboxError> {
        if let Some(position) = batch.safe_position()
            && self.cursor.advance(position).await?
        {
            tracing::debug!(user = %self.user, history_id = position.history_id, "Gmail cursor moved");
        }
        Ok(())
    }

    /// Sent message `id`, if it is our send `send_id`: the Delivered it stands for, with the
    /// Message-ID it really carries.
    async fn ours(&self, id: &str, send_id: &str) -> Result<Option<Delivered>, MailboxError> {
        let meta = self
            .gmail
            .get_metadata(&self.user, id, &[SEND_ID_HEADER, "Message-ID"])
            .await?;
        let carried = meta.header("Message-ID").map(bare_id);
        let is_ours =
            meta.header(SEND_ID_HEADER).map(str::trim) == Some(send_id) || carried == Some(send_id);
        Ok(is_ours.then(|| Delivered {
            thread_id: meta.thread_id.clone(),
            message_id: carried.map(str::to_owned),
        }))
    }

    /// Looks our send up, header by header, among the sent messages `query` lists.
    async fn search_sent(
        &self,
        query: &ListQuery<'_>,
        send_id: &str,
    ) -> Result<Option<Delivered>, MailboxError> {
        let listed = self.gmail.list(&self.user, query, None).await?;
        for message in listed.messages {
            if let Some(found) = self.ours(&message.id, send_id).await? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The Message-ID Gmail gave sent message `id` (ours, or one of its making); `None` (and a
    /// warning) if it cannot be read now: the send stands, and ours is cited instead.
    async fn carried_id(&self, id: &str) -> Option<String> {
        match self
            .gmail
            .get_metadata(&self.user, id, &["Message-ID"])
            .await
        {
            Ok(meta) => meta.header("Message-ID").map(|h| bare_id(h).to_owned()),
            Err(error) => {
                tracing::warn!(user = %self.user, message = %id, %error, "could not read back the Message-ID Gmail gave a sent email; citing ours");
                None
            }
        }
    }
}

#[async_trait]
impl Mailbox for GmailMailbox {
    async fn send(&self, email: &OutboundEmail) -> Result<Delivered, MailboxError> {
        let raw = build_message(email)?;
        let id = bare_id(&email.message_id).to_owned();
        match self
            .gmail
            .send(&self.user, &raw, email.thread_id.as_deref())
            .await
        {
            Ok(sent) => {
                self.uncertain().remove(&id);
                let thread_id = if sent.thread_id.is_empty() {
                    email.thread_id.clone().unwrap_or_else(|| sent.id.clone())
                } else {
                    sent.thread_id
                };
                // Gmail may have replaced our Message-ID: what the recipient sees is what
                // later replies must cite.
                let message_id = self.carried_id(&sent.id).await;
                Ok(Delivered {
                    thread_id,
                    message_id,
                })
            }
            Err(error) => {
                if may_have_been_sent(&error) {
                    self.uncertain().insert(id);
                }
                Err(error.into())
            }
        }
    }

    async fn find_sent(
        &self,
        email: &OutboundEmail,
        since: i64,
    ) -> Result<Option<Delivered>, MailboxError> {
        let id = bare_id(&email.message_id);
        // Our send header survives whatever Gmail does to the Message-ID; search narrows the
        // sent mail down to the recipient and the time since the first attempt.
        let q = format!(
            "in:sent to:{} after:{}",
            email.to.as_str(),
            since - SEND_SEARCH_MARGIN_SECS
        );
        let query = ListQuery {
            q: Some(&q),
            include_spam_trash: true,
            max_results: Some(SENT_SEARCH_MAX),
            ..ListQuery::default()
        };
        if let Some(found) = self.search_sent(&query, id).await? {
            return Ok(Some(found));
        }
        // Search can lag a send by a little; when this process saw a send end unclear,
        // read the newest sent messages' headers too.
        let unclear = self.uncertain().contains(id);
        if unclear {
            let recent = ListQuery {
                label_ids: &["SENT"],
                max_results: Some(RECENT_SENT),
                ..ListQuery::default()
            };
            return self.search_sent(&recent, id).await;
        }
        Ok(None)
    }

    async fn fetch_new(&self) -> Result<Vec<RawInbound>, MailboxError> {
        let mut guard = self.batch.lock().await;
        if let Some(batch) = guard.as_mut()
            && !batch.is_finished()
        {
            let out = self.hand_out(batch).await?;
            self.save(batch).await?;
            return Ok(out);
        }
        *guard = None;
        let now = Timestamp::now().as_second();
        let Some(start) = self.cursor.load().await? else {
            let profile = self.gmail.profile(&self.user).await?;
            let position = Position {
                history_id: history_id(&profile.history_id)?,
                as_of: now,
            };
            self.cursor.advance(position).await?;
            tracing::info!(user = %self.user, history_id = position.history_id, "reading Gmail from now on (earlier mail is not imported)");
            return Ok(Vec::new());
        };
        let mut batch = match self.read_history(start, now).await {
            Ok(batch) => batch,
            Err(HistoryError::CursorTooOld { .. }) => self.resync(start, now).await?,
            Err(HistoryError::Vendor(error)) => return Err(error.into()),
        };
        let out = self.hand_out(&mut batch).await;
        // Progress over skipped messages is kept even when a download failed.
        self.save(&batch).await?;
        if !batch.is_finished() {
            *guard = Some(batch);
        }
        out
    }

    async fn acknowledge(&self, message: &RawInbound) -> Result<(), MailboxError> {
        let mut guard = self.batch.lock().await;
        let Some(batch) = guard.as_mut() else {
            // Not from the current batch (e.g. handed out before a restart): the cursor has
            // not passed it, so it will simply come again and be dropped as a duplicate.
            return Ok(());
        };
        if batch.mark_done(&message.provider_id) {
            self.save(batch).await?;
            if batch.is_finished() {
                *guard = None;
            }
        }
        Ok(())
    }

    fn describe(&self) -> String {
        match &self.push_topic {
            Some(topic) => format!("Gmail ({}, push through {topic})", self.user),
            None => format!("Gmail ({})", self.user),
        }
    }

    async fn watch(&self) -> Result<Option<i64>, MailboxError> {
        let Some(topic) = &self.push_topic else {
            return Ok(None);
        };
        let watch = self.gmail.watch(&self.user, topic).await?;
        let expiration = watch.expiration.trim().parse::<i64>().map_err(|_| {
            VendorError::new(
                "Gmail",
                ErrorKind::Decode,
                format!(
                    "users.watch gave {:?} as its expiration, not epoch milliseconds",
                    watch.expiration
                ),
            )
        })?;
        Ok(Some(expiration))
    }
}

/// A history or list entry to take in, unless it is a draft or already listed.
fn entry(message: MessageRef, record: Option<u64>, seen: &mut HashSet<String>) -> Option<Entry> {
    if message.label_ids.iter().any(|l| l == DRAFT) || !seen.insert(message.id.clone()) {
        return None;
    }
    Some(Entry {
        id: message.id,
        thread_id: message.thread_id,
        record,
        done: false,
    })
}

fn history_id(text: &str) -> Result<u64, VendorError> {
    text.trim().parse().map_err(|_| {
        VendorError::new(
            "Gmail",
            ErrorKind::Decode,
            format!("{text:?} is not a history id"),
        )
    })
}

/// A Message-ID without its angle brackets.
fn bare_id(message_id: &str) -> &str {
    message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
}

/// An error after which Gmail may nonetheless have sent the message.
fn may_have_been_sent(error: &VendorError) -> bool {
    matches!(
        error.kind,
        ErrorKind::Timeout | ErrorKind::Connection | ErrorKind::Unavailable | ErrorKind::Decode
    )
}
