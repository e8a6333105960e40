//! The job worker: claims due jobs from the durable queue, runs them, retries what may succeed
//! later with backoff, and parks the rest as failed with the team told once per outage.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use negotiator_store::{EventType, Job, JobStatus, NewAuditEntry};

use crate::agent::Agent;
use crate::error::AgentError;
use crate::notify::{Notice, NoticeKind};
use crate::tasks::{Task, queue};
use crate::workflows::clickup::{Taken, take_task};
use crate::workflows::commit::{Committed, Stepped};
use crate::workflows::inbound::{Handled, handle_inbound};
use crate::workflows::send::{Sent, send_message};
use crate::workflows::{outreach, silence};

/// How long a claimed job is ours before another worker may take it.
const LEASE: Duration = Duration::from_secs(120);
/// The first retry waits this long; each later one twice as long.
const FIRST_BACKOFF: SignedDuration = SignedDuration::from_secs(2);
const MAX_BACKOFF: SignedDuration = SignedDuration::from_secs(300);

/// What one turn of the worker did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Turn {
    /// No job was due.
    Idle,
    /// A job finished; `line` says what happened, for people watching. `notable` is false
    /// for routine lines (nothing to do, a notice the notifier already shows).
    Done {
        job_id: i64,
        line: String,
        notable: bool,
    },
    /// A job failed and will be tried again at `at`.
    Retrying {
        job_id: i64,
        error: String,
        at: Timestamp,
    },
    /// A job failed for good and is parked; `negotiator jobs retry` brings it back.
    Parked { job_id: i64, error: String },
}

#[derive(Clone, Debug)]
pub struct Worker {
    agent: Agent,
}

impl Worker {
    pub fn new(agent: Agent) -> Self {
        Worker { agent }
    }

    pub fn agent(&self) -> &Agent {
        &self.agent
    }

    /// Claims and runs one due job.
    pub async fn turn(&self) -> Result<Turn, AgentError> {
        let store = &self.agent.store;
        let now = self.agent.now();
        store.release_expired_leases(now).await?;
        let Some(job) = store.claim_next(now, LEASE).await? else {
            return Ok(Turn::Idle);
        };
        let outcome = match Task::from_job(&job) {
            Ok(task) => self.run(&task).await,
            Err(error) => Err(error),
        };
        let turn = self.finish(&job, outcome).await;
        if let Ok(turn) = &turn {
            let outcome = match turn {
                Turn::Done { .. } | Turn::Idle => "done",
                Turn::Retrying { .. } => "retrying",
                Turn::Parked { .. } => "parked",
            };
            metrics::counter!("negotiator_jobs_total", "kind" => job.kind.clone(), "outcome" => outcome)
                .increment(1);
        }
        turn
    }

    async fn finish(
        &self,
        job: &Job,
        outcome: Result<(String, bool), AgentError>,
    ) -> Result<Turn, AgentError> {
        let store = &self.agent.store;
        match outcome {
            Ok((line, notable)) => {
                store.complete(job.job_id).await?;
                Ok(Turn::Done {
                    job_id: job.job_id,
                    line,
                    notable,
                })
            }
            Err(error) => self.failed(job, &error).await,
        }
    }

    /// Runs due jobs until none is left; `watch` sees every turn.
    pub async fn run_until_idle(&self, mut watch: impl FnMut(&Turn)) -> Result<usize, AgentError> {
        let mut turns = 0;
        loop {
            let turn = self.turn().await?;
            if turn == Turn::Idle {
                return Ok(turns);
            }
            turns += 1;
            watch(&turn);
        }
    }

    /// Runs one task; returns a line about it and whether the line is worth showing.
    async fn run(&self, task: &Task) -> Result<(String, bool), AgentError> {
        let report = self.run_task(task).await?;
        Ok((report.line, report.notable))
    }

    async fn run_task(&self, task: &Task) -> Result<Report, AgentError> {
        let agent = &self.agent;
        match task {
            Task::OpenNegotiation { negotiation_id } => Ok(stepped(
                &outreach::open_negotiation(agent, *negotiation_id).await?,
            )),
            Task::SendEmail { message_id } => Ok(Report::notable(
                match send_message(agent, *message_id).await? {
                    Sent::Sent {
                        to,
                        kind,
                        recovered: false,
                        ..
                    } => format!("{to}: {kind} email sent"),
                    Sent::Sent { to, kind, .. } => format!(
                        "{to}: {kind} email had already gone out before a restart; recorded, not resent"
                    ),
                    Sent::Skipped(status) => format!("message {message_id} is {status}; not sent"),
                },
            )),
            Task::Notify { notice } => {
                agent.adapters.notifier.notify(notice).await?;
                // The notifier shows the notice itself.
                Ok(Report::routine(format!("told the team: {}", notice.title)))
            }
            Task::HandleInbound {
                provider_id,
                thread_id,
                raw_base64,
            } => Ok(Report::notable(
                match handle_inbound(agent, provider_id, thread_id.as_deref(), raw_base64).await? {
                    Handled::Decided(done) => describe(&done),
                    Handled::TakenOver(done) => format!(
                        "{}: a team member replied, so the agent stepped back",
                        done.row.influencer_name
                    ),
                    Handled::OwnMail => "skipped the agent's own email".to_owned(),
                    Handled::Duplicate => "skipped an email already handled".to_owned(),
                    Handled::Unmatched => {
                        "an email matched no negotiation; told the team".to_owned()
                    }
                    Handled::Unreadable => "an email could not be read; told the team".to_owned(),
                },
            )),
            Task::IngestClickUp { task_id } => {
                let Some(intake) = &agent.adapters.clickup else {
                    return Err(AgentError::Invalid(
                        "a ClickUp task is queued but ClickUp is not configured ([clickup] and \
                         CLICKUP_API_TOKEN); configure it, then `negotiator jobs retry`"
                            .to_owned(),
                    ));
                };
                Ok(Report::notable(
                    match take_task(agent, intake, task_id).await? {
                        Taken::Started(done) => format!(
                            "ClickUp task {task_id}: campaign {} started with {} negotiation(s)",
                            done.campaign.campaign_id,
                            done.started.len()
                        ),
                        Taken::Rejected(count) => format!(
                            "ClickUp task {task_id}: not started, {count} field problem(s) sent to the team"
                        ),
                        Taken::AlreadyStarted => {
                            format!("ClickUp task {task_id}: its campaign was already started")
                        }
                    },
                ))
            }
            Task::CheckSilence { negotiation_id } => Ok(stepped(
                &silence::check_negotiation(agent, *negotiation_id).await?,
            )),
        }
    }

    /// Schedules a retry, or parks the job and tells the team (once per kind of failure per
    /// hour, so one outage is one message).
    async fn failed(&self, job: &Job, error: &AgentError) -> Result<Turn, AgentError> {
        let store = &self.agent.store;
        let now = self.agent.now();
        let text = error.to_string();
        if error.is_retryable() && job.attempts < job.max_attempts {
            let wait = error
                .retry_after()
                .and_then(|d| SignedDuration::try_from(d).ok())
                .map_or_else(|| backoff(job), |asked| asked.max(backoff(job)));
            let at = now.checked_add(wait).unwrap_or(now);
            let status = store.fail(job.job_id, &text, Some(at)).await?;
            if status == JobStatus::Queued {
                tracing::warn!(job_id = job.job_id, kind = %job.kind, attempt = job.attempts, error = %text, "job failed; will retry");
                return Ok(Turn::Retrying {
                    job_id: job.job_id,
                    error: text,
                    at,
                });
            }
        } else {
            store.fail(job.job_id, &text, None).await?;
        }
        tracing::error!(job_id = job.job_id, kind = %job.kind, error = %text, "job failed; parked");
        let mut tx = store.begin_write().await?;
        let entry = NewAuditEntry::new(now, EventType::Error)
            .meta("job_id", job.job_id)
            .meta("job_kind", job.kind.clone())
            .meta("attempts", job.attempts)
            .meta("error", text.clone());
        negotiator_store::insert_audit(&mut tx, &entry).await?;
        // A failing notifier cannot report its own failure; the audit entry and the parked
        // job are the record.
        if job.kind != "notify" {
            let notice = Notice::new(
                NoticeKind::Error,
                format!("A {} job failed", job.kind.replace('_', " ")),
                format!(
                    "It was tried {} time(s) and is parked: {text}. Fix the cause, then run \
                     `negotiator jobs retry {}` (or --all-failed).",
                    job.attempts, job.job_id
                ),
            );
            let hour = now.as_second() / 3600;
            let key = format!("error:{}:{}:{hour}", job.kind, error_class(error));
            queue(&mut tx, &Task::Notify { notice }, &key, now).await?;
        }
        tx.commit().await?;
        Ok(Turn::Parked {
            job_id: job.job_id,
            error: text,
        })
    }
}

/// 2 s, 4 s, 8 s, ... up to 5 minutes, with up to a quarter added so retries spread out.
fn backoff(job: &Job) -> SignedDuration {
    let exponent = u32::try_from(job.attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let base = FIRST_BACKOFF
        .checked_mul(2_i32.saturating_pow(exponent))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    // Spread from the job id and attempt: no random source needed, and still different per job.
    let spread = (job.job_id.unsigned_abs() * 7_919 + job.attempts.unsigned_abs() * 104_729) % 250;
    let jitter_ms = i64::try_from(i128::from(spread) * base.as_millis() / 1_000).unwrap_or(0);
    base.checked_add(SignedDuration::from_millis(jitter_ms))
        .unwrap_or(base)
}

/// A coarse name for the failure, so one outage is reported once rather than per job.
fn error_class(error: &AgentError) -> &'static str {
    match error {
        AgentError::Store(_) => "store",
        AgentError::Mailbox(_) => "mailbox",
        AgentError::Notify(_) => "notifier",
        AgentError::Classify(_) => "classifier",
        AgentError::Compose(_) => "composer",
        AgentError::Roster(_) => "roster",
        AgentError::Vendor(e) => e.service,
        _ => "other",
    }
}

/// A line about a finished job, and whether people watching want to see it.
struct Report {
    line: String,
    notable: bool,
}

impl Report {
    fn notable(line: String) -> Self {
        Report {
            line,
            notable: true,
        }
    }

    fn routine(line: String) -> Self {
        Report {
            line,
            notable: false,
        }
    }
}

fn stepped(step: &Stepped) -> Report {
    match step {
        Stepped::Committed(done) => Report::notable(describe(done)),
        Stepped::Nothing { influencer, reason } => {
            Report::routine(format!("{influencer}: nothing to do ({reason})"))
        }
    }
}

/// One line about a committed decision.
fn describe(done: &Committed) -> String {
    let name = &done.row.influencer_name;
    let decision = &done.decision;
    let email = decision
        .email()
        .map(|plan| {
            let amount = plan
                .our_rate
                .map(|r| format!(" at {r}"))
                .unwrap_or_default();
            let held = if done
                .emails
                .iter()
                .any(|(_, status)| *status == negotiator_store::MessageStatus::Draft)
            {
                " (held as a draft for review)"
            } else {
                ""
            };
            format!(
                "; {} email{amount}{held}",
                plan.kind.as_str().replace('_', "-")
            )
        })
        .unwrap_or_default();
    format!(
        "{name}: {} ({}){email}",
        decision.outcome.as_str().replace('_', " "),
        decision.reason
    )
}
