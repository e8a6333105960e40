//! Mail push: a verified push delivery is stored with its read job before it is acknowledged
//! (deduplicated on the Pub/Sub message id); the job reads the mailbox from the stored cursor
//! exactly as the poller does. The provider's watch is renewed by a job that queues the next
//! renewal well before the watch lapses. Polling stays on as the fallback, slow while pushes
//! arrive and at its normal pace when they stop.

use jiff::{SignedDuration, Timestamp};
use negotiator_store::{NewDelivery, Store, get_cursor, last_delivery_at, set_cursor};

use super::intake::Accepted;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, intake_job, queue};

/// The webhook source name push deliveries are stored under.
pub const SOURCE: &str = "gmail";
/// When the current watch lapses (Unix ms), and when it was last renewed (Unix ms).
const WATCH_EXPIRES: &str = "gmail_push:watch_expires_ms";
const WATCH_RENEWED: &str = "gmail_push:watch_renewed_ms";
/// Renewed at least this often (Google recommends daily; a watch lasts 7 days).
const RENEW_EVERY: SignedDuration = SignedDuration::from_hours(24);

/// A verified push: `message_id` is Pub/Sub's id (the same on every redelivery), `body` what
/// came, stored as it came.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Push<'a> {
    pub message_id: &'a str,
    pub email_address: &'a str,
    pub history_id: u64,
    pub body: &'a [u8],
}

/// Stores the push and queues its read job in one group commit, before the push is
/// acknowledged; a redelivery (same message id) stores and queues nothing.
pub async fn accept_push(agent: &Agent, push: &Push<'_>) -> Result<Accepted, AgentError> {
    let now = agent.now();
    let task = Task::ReadMailbox {
        push_id: push.message_id.to_owned(),
    };
    let stored = agent
        .store
        .deliveries()
        .record(NewDelivery {
            source: SOURCE.to_owned(),
            dedupe_key: push.message_id.to_owned(),
            body: String::from_utf8_lossy(push.body).into_owned(),
            received_at: now,
            job: Some(intake_job(
                &task,
                &JobKey::Push {
                    message_id: push.message_id.to_owned(),
                },
                now,
            )?),
        })
        .await?;
    Ok(if stored.new_delivery && stored.new_job {
        Accepted::Queued
    } else {
        Accepted::Duplicate
    })
}

/// Queues a watch renewal now (at start); a renewal already queued for this instant is not
/// queued twice.
pub async fn start_watch(agent: &Agent) -> Result<(), AgentError> {
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    queue(&mut tx, &Task::RenewWatch, &JobKey::Watch { due: now }, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Renews the mailbox's watch and queues the next renewal: daily, or at half the remaining
/// life of a watch that lapses sooner. A failure is retried and then parked and reported by
/// the worker like any job.
pub async fn renew_watch(agent: &Agent) -> Result<String, AgentError> {
    let Some(expires_ms) = agent.adapters.mailbox.watch().await? else {
        return Ok("the mailbox has no push; nothing to renew".to_owned());
    };
    let now = agent.now();
    let expires = Timestamp::from_millisecond(expires_ms).map_err(|e| {
        AgentError::corrupt(format!(
            "the watch's expiration {expires_ms} is not a time: {e}"
        ))
    })?;
    let half_life = SignedDuration::from_millis((expires_ms - now.as_millisecond()).max(0) / 2);
    let next = now.checked_add(RENEW_EVERY.min(half_life)).unwrap_or(now);
    let mut tx = agent.store.begin_write().await?;
    set_cursor(&mut tx, WATCH_EXPIRES, &expires_ms.to_string(), now).await?;
    set_cursor(
        &mut tx,
        WATCH_RENEWED,
        &now.as_millisecond().to_string(),
        now,
    )
    .await?;
    queue(
        &mut tx,
        &Task::RenewWatch,
        &JobKey::Watch { due: next },
        next,
    )
    .await?;
    tx.commit().await?;
    Ok(format!(
        "mail push renewed until {expires}; next renewal at {next}"
    ))
}

/// How new mail is being noticed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadMode {
    /// Pushes arrive (or the watch was just set up): polling runs at its slow pace.
    Push { last: Timestamp },
    /// No push for longer than allowed (or none ever): polling at its normal pace.
    Polling { last: Option<Timestamp> },
}

impl ReadMode {
    /// `push` or `polling`, for `/readyz` and `doctor`.
    pub fn name(&self) -> &'static str {
        match self {
            ReadMode::Push { .. } => "push",
            ReadMode::Polling { .. } => "polling",
        }
    }

    /// One line for people.
    pub fn describe(&self) -> String {
        match self {
            ReadMode::Push { last } => {
                format!("push (last push or watch renewal at {last}); polling slowly as a fallback")
            }
            ReadMode::Polling { last: Some(last) } => {
                format!("polling at the normal pace: no push since {last}, longer than allowed")
            }
            ReadMode::Polling { last: None } => {
                "polling at the normal pace: no push has arrived and no watch is set".to_owned()
            }
        }
    }
}

/// Push while a push arrived, or the watch was renewed, within `fallback_after` of now;
/// polling otherwise.
pub async fn read_mode(
    store: &Store,
    now: Timestamp,
    fallback_after: SignedDuration,
) -> Result<ReadMode, AgentError> {
    let db = store.db();
    let pushed = last_delivery_at(db, SOURCE).await?;
    let renewed = get_cursor(db, WATCH_RENEWED)
        .await?
        .and_then(|v| v.trim().parse::<i64>().ok())
        .and_then(|ms| Timestamp::from_millisecond(ms).ok());
    let last = pushed.max(renewed);
    Ok(match last {
        Some(last) if now.duration_since(last) <= fallback_after => ReadMode::Push { last },
        last => ReadMode::Polling { last },
    })
}
