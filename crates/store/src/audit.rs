//! The audit trail: typed entries, filtered newest-first queries and the group-commit writer.

use jiff::Timestamp;
use negotiator_domain::string_enum;
use rusqlite::{Connection, OptionalExtension, ToSql};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::db::execute;
use crate::reader::Reading;
use crate::{Db, Store, StoreError, from_json, from_ms, parse_enum, to_ms};

/// The page size used when nobody says otherwise.
pub const DEFAULT_AUDIT_LIMIT: u32 = 50;

/// Entries a stream hands over at a time: one wake-up of the consumer per chunk, not per entry.
const STREAM_CHUNK: usize = 256;

/// Chunks a stream's reader may get ahead of its consumer before it waits. With the chunk being
/// filled and the one being consumed, a stream holds at most `(2 + this) * STREAM_CHUNK` entries.
const STREAM_CHUNKS_AHEAD: usize = 2;

string_enum! {
    /// What an audit entry records.
    pub enum EventType ("event type") {
        /// An email went out.
        EmailSent => "email_sent",
        /// An email came in on a tracked thread.
        EmailReceived => "email_received",
        /// A negotiation changed state.
        StateTransition => "state_transition",
        /// A thread was handed to a human.
        Escalation => "escalation",
        /// A deal was closed.
        Agreement => "agreement",
        /// A human took a thread over.
        Takeover => "takeover",
        /// A campaign was accepted and fanned out.
        CampaignStart => "campaign_start",
        /// An influencer of a campaign was not found in the roster.
        CampaignInfluencerSkip => "campaign_influencer_skip",
        /// A campaign failed validation.
        CampaignRejected => "campaign_rejected",
        /// A draft was stored for review.
        DraftCreated => "draft_created",
        /// A reviewer approved a draft.
        DraftApproved => "draft_approved",
        /// A reviewer discarded a draft.
        DraftDiscarded => "draft_discarded",
        /// A later decision replaced a draft before anyone approved it.
        DraftSuperseded => "draft_superseded",
        /// A person changed a campaign's budget.
        BudgetChanged => "budget_changed",
        /// A follow-up was sent on a silent thread.
        FollowUp => "follow_up",
        /// A person acted through the CLI, Slack or dashboard.
        HumanAction => "human_action",
        /// Something failed.
        Error => "error",
        /// An automatic answer (out of office, vacation, auto-acknowledgement) came in: not
        /// read as a reply and never answered.
        AutoReply => "auto_reply",
        /// A delivery status notification: one of our emails did not arrive.
        Bounce => "bounce",
        /// The influencer asked not to be written to.
        OptOut => "opt_out",
        /// An address went on the suppression list.
        SuppressionAdded => "suppression_added",
        /// A person took an address off the suppression list.
        SuppressionRemoved => "suppression_removed",
        /// A person paused all sending (`negotiator pause --all`, `/sending pause`).
        SendingPaused => "sending_paused",
        /// A person resumed all sending.
        SendingResumed => "sending_resumed",
    }
}

string_enum! {
    /// Which way an email went.
    pub enum Direction ("direction") {
        /// We sent it.
        Sent => "sent",
        /// We received it.
        Received => "received",
    }
}

/// An audit entry to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What happened.
    pub event_type: EventType,
    /// The campaign concerned.
    pub campaign_id: Option<String>,
    /// The influencer concerned (searched case-insensitively).
    pub influencer_name: Option<String>,
    /// The email thread concerned.
    pub thread_id: Option<String>,
    /// For email events, which way it went.
    pub direction: Option<Direction>,
    /// For email events, the body.
    pub email_body: Option<String>,
    /// The negotiation state after the event.
    pub negotiation_state: Option<String>,
    /// The rates in play, as text.
    pub rates_used: Option<String>,
    /// The classified intent of an inbound email.
    pub intent: Option<String>,
    /// Anything else, as a JSON object.
    pub metadata: Map<String, Value>,
}

impl NewAuditEntry {
    /// An entry with every optional field empty.
    pub fn new(occurred_at: Timestamp, event_type: EventType) -> Self {
        NewAuditEntry {
            occurred_at,
            event_type,
            campaign_id: None,
            influencer_name: None,
            thread_id: None,
            direction: None,
            email_body: None,
            negotiation_state: None,
            rates_used: None,
            intent: None,
            metadata: Map::new(),
        }
    }

    /// Sets the campaign.
    #[must_use]
    pub fn campaign(mut self, campaign_id: impl Into<String>) -> Self {
        self.campaign_id = Some(campaign_id.into());
        self
    }

    /// Sets the influencer.
    #[must_use]
    pub fn influencer(mut self, name: impl Into<String>) -> Self {
        self.influencer_name = Some(name.into());
        self
    }

    /// Sets the thread.
    #[must_use]
    pub fn thread(mut self, thread_id: impl Into<String>) -> Self {
        self.thread_id = Some(thread_id.into());
        self
    }

    /// Sets the direction.
    #[must_use]
    pub fn direction(mut self, direction: Direction) -> Self {
        self.direction = Some(direction);
        self
    }

    /// Sets the email body.
    #[must_use]
    pub fn email_body(mut self, body: impl Into<String>) -> Self {
        self.email_body = Some(body.into());
        self
    }

    /// Sets the negotiation state.
    #[must_use]
    pub fn negotiation_state(mut self, state: impl Into<String>) -> Self {
        self.negotiation_state = Some(state.into());
        self
    }

    /// Sets the rates used.
    #[must_use]
    pub fn rates_used(mut self, rates: impl Into<String>) -> Self {
        self.rates_used = Some(rates.into());
        self
    }

    /// Sets the intent.
    #[must_use]
    pub fn intent(mut self, intent: impl Into<String>) -> Self {
        self.intent = Some(intent.into());
        self
    }

    /// Adds one metadata key.
    #[must_use]
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Its key; higher is later for equal timestamps.
    pub audit_id: i64,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What happened.
    pub event_type: EventType,
    /// The campaign concerned.
    pub campaign_id: Option<String>,
    /// The influencer concerned.
    pub influencer_name: Option<String>,
    /// The email thread concerned.
    pub thread_id: Option<String>,
    /// For email events, which way it went.
    pub direction: Option<Direction>,
    /// For email events, the body.
    pub email_body: Option<String>,
    /// The negotiation state after the event.
    pub negotiation_state: Option<String>,
    /// The rates in play.
    pub rates_used: Option<String>,
    /// The classified intent.
    pub intent: Option<String>,
    /// Anything else.
    pub metadata: Map<String, Value>,
}

/// Which audit entries to return. All given filters must match. The default returns the
/// newest [`DEFAULT_AUDIT_LIMIT`] entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exact influencer name, compared case-insensitively.
    pub influencer: Option<String>,
    /// Exact campaign id.
    pub campaign: Option<String>,
    /// Exact thread id.
    pub thread: Option<String>,
    /// One event type.
    pub event_type: Option<EventType>,
    /// Earliest time, inclusive.
    pub from: Option<Timestamp>,
    /// Latest time, **exclusive**. A date-only bound such as `--to 2026-03-01` means the end of
    /// that day, so pass the start of the *next* day (the CLI does this).
    pub to: Option<Timestamp>,
    /// Most entries to return (ignored by counting).
    pub limit: u32,
}

impl Default for AuditFilter {
    fn default() -> Self {
        AuditFilter {
            influencer: None,
            campaign: None,
            thread: None,
            event_type: None,
            from: None,
            to: None,
            limit: DEFAULT_AUDIT_LIMIT,
        }
    }
}

impl Store {
    /// The entries matching `filter`, newest first (ties: latest written first), at most
    /// `filter.limit`.
    ///
    /// The most selective index serves: the influencer's (also for a thread, through the
    /// negotiation that owns it), else the campaign's, else the time range's; the other filters
    /// are checked on the rows it yields. Each shape reads its page straight off its index,
    /// without sorting. A thread no negotiation owns is looked for through the time index.
    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let filter = filter.clone();
        self.reader
            .run(move |conn| {
                let bound = Bound::new(conn, &filter)?;
                let query = bound.query();
                let limit = i64::from(filter.limit);
                let mut params = query.params;
                params.push(&limit);
                let mut statement = conn.prepare_cached(query.page)?;
                let entries = statement.query_and_then(params.as_slice(), audit_entry)?;
                entries.collect()
            })
            .await
    }

    /// Every entry matching `filter`, newest first (ties: latest written first), read as the
    /// stream is consumed: at most `limit` when given (`filter.limit`, the page size of
    /// [`Store::audit_entries`], is ignored). For exports of any size.
    ///
    /// The same statement as [`Store::audit_entries`] is stepped on a blocking thread that hands
    /// the entries over in chunks through a bounded channel, so memory stays flat however many
    /// entries match, and the whole stream reads one snapshot of the database (until it ends,
    /// checkpoints cannot move the WAL past that snapshot). The reader stops when the stream is
    /// dropped. Call it inside a tokio runtime: the reader starts on its blocking pool.
    pub fn audit_stream(&self, filter: &AuditFilter, limit: Option<u32>) -> AuditStream {
        let filter = filter.clone();
        let (sender, chunks) = mpsc::channel(STREAM_CHUNKS_AHEAD);
        let reading = self.reader.spawn_scan(move |conn| {
            let bound = Bound::new(conn, &filter)?;
            let query = bound.query();
            let limit = limit.map_or(-1, i64::from);
            let mut params = query.params;
            params.push(&limit);
            let mut statement = conn.prepare(query.page)?;
            let mut rows = statement.query_and_then(params.as_slice(), audit_entry)?;
            let mut chunk = Vec::with_capacity(STREAM_CHUNK);
            let ended = loop {
                match rows.next() {
                    Some(Ok(entry)) => chunk.push(entry),
                    Some(Err(error)) => break Err(error),
                    None => break Ok(()),
                }
                if chunk.len() == STREAM_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(STREAM_CHUNK));
                    if sender.blocking_send(full).is_err() {
                        // The stream was dropped: nobody wants the rest.
                        return Ok(());
                    }
                }
            };
            // What was read before the end (or the error) goes first. A failed send means the
            // stream was dropped, and there is nothing left to stop.
            if !chunk.is_empty() {
                let _ = sender.blocking_send(chunk);
            }
            ended
        });
        AuditStream {
            chunks,
            current: Vec::new().into_iter(),
            reading: Some(reading),
        }
    }

    /// How many entries match `filter` (its `limit` is ignored).
    pub async fn count_audit_entries(&self, filter: &AuditFilter) -> Result<u64, StoreError> {
        let filter = filter.clone();
        self.reader
            .run(move |conn| {
                let bound = Bound::new(conn, &filter)?;
                let query = bound.query();
                let mut statement = conn.prepare_cached(query.count)?;
                let count: i64 = statement.query_row(query.params.as_slice(), |row| row.get(0))?;
                // COUNT(*) is never negative.
                Ok(u64::try_from(count).unwrap_or_default())
            })
            .await
    }
}

/// The entries of [`Store::audit_stream`], in order.
#[derive(Debug)]
pub struct AuditStream {
    chunks: mpsc::Receiver<Vec<AuditEntry>>,
    current: std::vec::IntoIter<AuditEntry>,
    /// The reader, until its result has been taken.
    reading: Option<Reading<()>>,
}

impl AuditStream {
    /// The next entry, or `None` once every matching entry has been handed over. After an
    /// error (a failed read or an undecodable row) the stream ends.
    pub async fn next(&mut self) -> Option<Result<AuditEntry, StoreError>> {
        loop {
            if let Some(entry) = self.current.next() {
                return Some(Ok(entry));
            }
            match self.chunks.recv().await {
                Some(chunk) => self.current = chunk.into_iter(),
                // The reader is done: it either read everything or says why not.
                None => return self.reading.take()?.finish().await.err().map(Err),
            }
        }
    }
}

// The page and count statements of each index. Not checked by sqlx's macros: the store tests run
// every shape against a migrated database.
const PAGE_BY_INFLUENCER: &str = include_str!("../queries/audit_page_by_influencer.sql");
const COUNT_BY_INFLUENCER: &str = include_str!("../queries/audit_count_by_influencer.sql");
const PAGE_BY_CAMPAIGN: &str = include_str!("../queries/audit_page_by_campaign.sql");
const COUNT_BY_CAMPAIGN: &str = include_str!("../queries/audit_count_by_campaign.sql");
const PAGE_BY_TIME: &str = include_str!("../queries/audit_page_by_time.sql");
const COUNT_BY_TIME: &str = include_str!("../queries/audit_count_by_time.sql");

/// The bound form of a filter: the time range is always bound (open ends become the extremes)
/// so that every query shape can range-scan its index.
struct Bound<'a> {
    from: i64,
    to: i64,
    influencer: Option<String>,
    campaign: Option<&'a str>,
    thread: Option<&'a str>,
    event_type: Option<&'static str>,
}

/// The statements that serve a bound filter. `params` are the count's; the page's limit
/// follows them (a negative limit is no limit).
struct Query<'b> {
    page: &'static str,
    count: &'static str,
    params: Vec<&'b dyn ToSql>,
}

impl<'a> Bound<'a> {
    /// Binds `filter`. A thread with no influencer named is read through the influencer index
    /// of the negotiation that owns the thread: there is no thread index, because it doubled
    /// the cost of every audit write (`migrations/0002_no_thread_index.sql`).
    fn new(conn: &Connection, filter: &'a AuditFilter) -> Result<Bound<'a>, StoreError> {
        let mut influencer = filter.influencer.clone();
        if influencer.is_none()
            && let Some(thread) = filter.thread.as_deref()
        {
            influencer = conn
                .prepare_cached("SELECT influencer_name FROM negotiations WHERE thread_id = ?1")?
                .query_row([thread], |row| row.get(0))
                .optional()?;
        }
        Ok(Bound {
            from: filter.from.map_or(i64::MIN, to_ms),
            to: filter.to.map_or(i64::MAX, to_ms),
            influencer,
            campaign: filter.campaign.as_deref(),
            thread: filter.thread.as_deref(),
            event_type: filter.event_type.map(EventType::as_str),
        })
    }

    fn query(&self) -> Query<'_> {
        if let Some(influencer) = &self.influencer {
            Query {
                page: PAGE_BY_INFLUENCER,
                count: COUNT_BY_INFLUENCER,
                params: vec![
                    influencer,
                    &self.from,
                    &self.to,
                    &self.campaign,
                    &self.thread,
                    &self.event_type,
                ],
            }
        } else if let Some(campaign) = &self.campaign {
            Query {
                page: PAGE_BY_CAMPAIGN,
                count: COUNT_BY_CAMPAIGN,
                params: vec![
                    campaign,
                    &self.from,
                    &self.to,
                    &self.thread,
                    &self.event_type,
                ],
            }
        } else {
            Query {
                page: PAGE_BY_TIME,
                count: COUNT_BY_TIME,
                params: vec![&self.from, &self.to, &self.thread, &self.event_type],
            }
        }
    }
}

/// One row of any page statement (they all select the same columns in the same order).
fn audit_entry(row: &rusqlite::Row<'_>) -> Result<AuditEntry, StoreError> {
    let text = |i: usize| row.get::<_, String>(i);
    let direction: Option<String> = row.get(6)?;
    Ok(AuditEntry {
        audit_id: row.get(0)?,
        occurred_at: from_ms(row.get(1)?, "audit_log", "occurred_at")?,
        event_type: parse_enum(&text(2)?, "audit_log", "event_type")?,
        campaign_id: row.get(3)?,
        influencer_name: row.get(4)?,
        thread_id: row.get(5)?,
        direction: direction
            .map(|d| parse_enum(&d, "audit_log", "direction"))
            .transpose()?,
        email_body: row.get(7)?,
        negotiation_state: row.get(8)?,
        rates_used: row.get(9)?,
        intent: row.get(10)?,
        metadata: from_json(&text(11)?, "audit_log", "metadata")?,
    })
}

/// Writes one audit entry, typically inside the caller's transaction so that the entry commits
/// (or rolls back) together with the state change it describes. Returns its `audit_id`.
pub async fn insert_audit(db: impl Db, entry: &NewAuditEntry) -> Result<i64, StoreError> {
    db.with(|conn| {
        write_entry(conn, entry)?;
        Ok(conn.last_insert_rowid())
    })
}

/// Writes several audit entries inside the caller's transaction (a workflow step's entries
/// commit with its state change). In insertion order.
pub async fn insert_audits(db: impl Db, entries: &[NewAuditEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    db.with(|conn| {
        for entry in entries {
            write_entry(conn, entry)?;
        }
        Ok(())
    })
}

fn write_entry(conn: &Connection, entry: &NewAuditEntry) -> Result<(), StoreError> {
    let metadata = serde_json::to_string(&entry.metadata)?;
    execute(
        conn,
        "INSERT INTO audit_log (
             occurred_at, event_type, campaign_id, influencer_name, thread_id, direction,
             email_body, negotiation_state, rates_used, intent, metadata
         ) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![
            to_ms(entry.occurred_at),
            entry.event_type.as_str(),
            entry.campaign_id,
            entry.influencer_name,
            entry.thread_id,
            entry.direction.map(Direction::as_str),
            entry.email_body,
            entry.negotiation_state,
            entry.rates_used,
            entry.intent,
            metadata
        ],
    )?;
    Ok(())
}
