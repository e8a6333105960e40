//! The durable jobs the agent runs, and how they are written to (and read from) the queue.

use jiff::Timestamp;
use negotiator_store::WriteTx;
use negotiator_store::{Job, NewJob, StoreError, enqueue};
use serde::{Deserialize, Serialize};

use crate::error::AgentError;
use crate::ports::notifier::Notice;

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
    /// Read the mailbox's new mail from the stored cursor, as the poller does, because a push
    /// said something changed (`push_id`: the Pub/Sub message id).
    ReadMailbox { push_id: String },
    /// Ask the mailbox's provider to keep pushing (Gmail's `users.watch`), and queue the next
    /// renewal.
    RenewWatch,
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
            Task::ReadMailbox { .. } => "read_mailbox",
            Task::RenewWatch => "renew_watch",
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

/// What makes a job one of a kind: the same key for the same kind of task is queued once, so
/// a redelivery, a retry or a crash in between never does the same work twice. Every key is
/// written here and nowhere else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobKey {
    /// A negotiation's opening offer.
    Open { negotiation_id: i64 },
    /// An opening the budget held back, tried again once the budget became `budget_cents`.
    OpenAfterBudget {
        negotiation_id: i64,
        budget_cents: i64,
    },
    /// Sending one stored message.
    Send { message_id: i64 },
    /// One inbound email, by its Message-ID (or, without one, the mailbox's id).
    Inbound { id: String },
    /// A silence check due at `due`.
    Silence { negotiation_id: i64, due: Timestamp },
    /// Taking in a ClickUp task.
    ClickUpTask { task_id: String },
    /// Reading the mailbox after one push (its Pub/Sub message id).
    Push { message_id: String },
    /// The mail-push renewal due at `due`.
    Watch { due: Timestamp },
    /// The notice that a draft waits for review.
    DraftWaiting { message_id: i64 },
    /// The notice that a message was not sent because its recipient is suppressed.
    Withheld { message_id: i64 },
    /// Notice `index` of the decision taken on `negotiation_id` at row version `version`.
    DecisionNotice {
        negotiation_id: i64,
        version: i64,
        index: usize,
    },
    /// A team member took a thread over at `at`.
    Takeover { negotiation_id: i64, at: Timestamp },
    /// An email in a thread from someone outside the influencer's side.
    Outsider { message_id: String },
    /// An inbound email that could not be read.
    Unreadable { provider_id: String },
    /// An inbound email that matches no negotiation.
    Unmatched { message_id: String },
    /// A campaign started.
    CampaignStarted { campaign_id: String },
    /// A campaign's influencers that were not contacted.
    CampaignSkipped { campaign_id: String },
    /// A campaign refused for its fields, from `source`, at `at`.
    CampaignRejected {
        source: String,
        campaign_id: Option<String>,
        at: Timestamp,
    },
    /// A kind of job failing for a kind of reason, once per hour.
    JobFailed {
        kind: String,
        class: String,
        hour: i64,
    },
}

impl std::fmt::Display for JobKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobKey::Open { negotiation_id } => write!(f, "open:{negotiation_id}"),
            JobKey::OpenAfterBudget {
                negotiation_id,
                budget_cents,
            } => write!(f, "open:{negotiation_id}:budget:{budget_cents}"),
            JobKey::Send { message_id } => write!(f, "message:{message_id}"),
            JobKey::Inbound { id } => write!(f, "inbound:{id}"),
            JobKey::Silence {
                negotiation_id,
                due,
            } => write!(f, "silence:{negotiation_id}:{}", due.as_millisecond()),
            JobKey::ClickUpTask { task_id } => write!(f, "clickup:{task_id}"),
            JobKey::Push { message_id } => write!(f, "push:{message_id}"),
            JobKey::Watch { due } => write!(f, "watch:{}", due.as_millisecond()),
            JobKey::DraftWaiting { message_id } => write!(f, "draft:{message_id}"),
            JobKey::Withheld { message_id } => write!(f, "withheld:{message_id}"),
            JobKey::DecisionNotice {
                negotiation_id,
                version,
                index,
            } => write!(f, "negotiation:{negotiation_id}:v{version}:{index}"),
            JobKey::Takeover { negotiation_id, at } => {
                write!(f, "takeover:{negotiation_id}:{}", at.as_millisecond())
            }
            JobKey::Outsider { message_id } => write!(f, "outside:{message_id}"),
            JobKey::Unreadable { provider_id } => write!(f, "unreadable:{provider_id}"),
            JobKey::Unmatched { message_id } => write!(f, "unmatched:{message_id}"),
            JobKey::CampaignStarted { campaign_id } => write!(f, "started:{campaign_id}"),
            JobKey::CampaignSkipped { campaign_id } => write!(f, "skipped:{campaign_id}"),
            JobKey::CampaignRejected {
                source,
                campaign_id,
                at,
            } => write!(
                f,
                "rejected:{source}:{}:{}",
                campaign_id.as_deref().unwrap_or("-"),
                at.as_millisecond()
            ),
            JobKey::JobFailed { kind, class, hour } => write!(f, "error:{kind}:{class}:{hour}"),
        }
    }
}

/// `task` as the job a webhook delivery is stored with (the intake writer queues it in the
/// delivery's own commit).
pub fn intake_job(task: &Task, key: &JobKey, run_at: Timestamp) -> Result<NewJob, AgentError> {
    Ok(NewJob {
        kind: task.kind().to_owned(),
        dedupe_key: key.to_string(),
        payload: serde_json::to_value(task).map_err(AgentError::corrupt)?,
        run_at,
    })
}

/// Queues `task` in the caller's transaction; the same key for the same kind is queued only
/// once. Returns whether it was new.
pub async fn queue(
    conn: &mut WriteTx,
    task: &Task,
    key: &JobKey,
    run_at: Timestamp,
) -> Result<bool, StoreError> {
    let payload = serde_json::to_value(task)?;
    Ok(
        enqueue(conn, task.kind(), &key.to_string(), &payload, run_at)
            .await?
            .is_some(),
    )
}
