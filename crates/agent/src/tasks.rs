//! The durable jobs the agent runs, and how they are written to (and read from) the queue.

use jiff::Timestamp;
use negotiator_store::{Job, StoreError, enqueue};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::error::AgentError;
use crate::notify::Notice;

/// One unit of work; its JSON form is the job's payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Task {
    /// Price and send (or draft) the opening offer of a new negotiation.
    OpenNegotiation { negotiation_id: i64 },
    /// Send a stored outbound message (checking first whether it already went out).
    SendEmail { message_id: i64 },
    /// Tell the team something.
    Notify { notice: Notice },
    /// Read one inbound email: match it to its negotiation, classify it, decide.
    HandleInbound {
        /// The mailbox's own id for the message.
        provider_id: String,
        thread_id: Option<String>,
        /// The raw RFC 5322 bytes, base64.
        raw_base64: String,
    },
    /// See whether a thread has gone silent; follow up if so.
    CheckSilence { negotiation_id: i64 },
    /// Fetch a ClickUp task (a form submission) and start its campaign.
    IngestClickUp { task_id: String },
}

impl Task {
    /// The job kind stored with it (for listing and metrics).
    pub fn kind(&self) -> &'static str {
        match self {
            Task::OpenNegotiation { .. } => "open_negotiation",
            Task::SendEmail { .. } => "send_email",
            Task::Notify { .. } => "notify",
            Task::HandleInbound { .. } => "handle_inbound",
            Task::CheckSilence { .. } => "check_silence",
            Task::IngestClickUp { .. } => "ingest_clickup",
        }
    }

    /// Reads a claimed job back.
    pub fn from_job(job: &Job) -> Result<Task, AgentError> {
        serde_json::from_value(job.payload.clone()).map_err(|e| {
            AgentError::corrupt(format!(
                "job {} ({}) has an unreadable payload: {e}",
                job.job_id, job.kind
            ))
        })
    }
}

/// Queues `task` in the caller's transaction; the same `dedupe_key` for the same kind is queued
/// only once. Returns whether it was new.
pub async fn queue(
    conn: &mut SqliteConnection,
    task: &Task,
    dedupe_key: &str,
    run_at: Timestamp,
) -> Result<bool, StoreError> {
    let payload = serde_json::to_value(task)?;
    Ok(enqueue(conn, task.kind(), dedupe_key, &payload, run_at)
        .await?
        .is_some())
}
