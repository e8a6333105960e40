//! The job worker: claims due jobs from the durable queue, runs them, retries what may succeed
//! later with backoff, and parks the rest as failed with the team told once per outage. A job
//! our own rate limit holds back is put back in the queue instead of holding the worker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use negotiator_store::{EventType, Job, JobStatus, NewAuditEntry};

use crate::agent::Agent;
use crate::error::AgentError;
use crate::ports::notifier::{Notice, NoticeKind};
use crate::tasks::{JobKey, Task, queue};
use crate::workflows::commit::{Committed, Stepped};
use crate::workflows::inbound::{Handled, handle_inbound, poll_inbox};
use crate::workflows::ingest::Ingest;
use crate::workflows::pacing::{self, Gate};
use crate::workflows::send::{Sent, send_message};
use crate::workflows::{intake, outreach, push, silence};

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
    /// Our own rate limit for a service the job calls is spent: the job waits in the queue
    /// until `until`, without using an attempt.
    Deferred { job_id: i64, until: Timestamp },
    /// The sending pace (window, daily cap, spacing) or the stop switch holds the job until
    /// `until`, without using an attempt.
    Waiting { job_id: i64, until: Timestamp },
}

/// How often expired leases (jobs a dead worker held) are put back in the queue: well inside
/// the lease, and not a write on every turn.
const RELEASE_EVERY: SignedDuration = SignedDuration::from_secs(30);

/// Runs jobs. Clones share which kinds of job are held back by a rate limit, so one worker's
/// deferral spares the others from claiming the same kind only to defer it too; and the jobs
/// finished but not yet marked done, which the next claim marks in the same write.
///
/// The worker's commits do not wait for the disk ([`negotiator_store::Store::deferring`]):
/// what they decide is put on disk before anything carries it out of the process (an email,
/// a post to the team, a mailbox acknowledgement) and whenever the queue runs dry.
#[derive(Clone, Debug)]
pub struct Worker {
    agent: Agent,
    /// Kinds not to claim until the time given: their last job found a rate limit spent.
    held_back: Arc<Mutex<HashMap<String, Timestamp>>>,
    /// Jobs finished, to be marked done with the next claim.
    finished: Arc<Mutex<Vec<i64>>>,
    /// When expired leases were last released.
    released_at: Arc<Mutex<Option<Timestamp>>>,
}

impl Worker {
    pub fn new(mut agent: Agent) -> Self {
        agent.store = agent.store.deferring();
        Worker {
            agent,
            held_back: Arc::default(),
            finished: Arc::default(),
            released_at: Arc::default(),
        }
    }

    pub fn agent(&self) -> &Agent {
        &self.agent
    }

    /// Marks the jobs finished so far done and claims and runs one due job. Every line the job
    /// logs carries its id and kind (and, from its workflow, the negotiation it works on).
    #[tracing::instrument(name = "job", skip_all, fields(job_id = tracing::field::Empty, kind = tracing::field::Empty))]
    pub async fn turn(&self) -> Result<Turn, AgentError> {
        let store = &self.agent.store;
        let now = self.agent.now();
        self.release_expired_leases(now).await?;
        let held_back = self.held_back_kinds(now);
        let done = std::mem::take(&mut *lock(&self.finished));
        let claimed = match store
            .complete_and_claim(&done, now, LEASE, &held_back)
            .await
        {
            Ok(claimed) => claimed,
            Err(error) => {
                lock(&self.finished).extend(done);
                return Err(error.into());
            }
        };
        for job_id in done.iter().filter(|id| !claimed.completed.contains(id)) {
            tracing::warn!(
                job_id,
                "a finished job was no longer running when marked done (its lease had expired); \
                 it may run again"
            );
        }
        let Some(job) = claimed.next else {
            store.settle().await?;
            return Ok(Turn::Idle);
        };
        let span = tracing::Span::current();
        span.record("job_id", job.job_id);
        span.record("kind", job.kind.as_str());
        let outcome = match Task::from_job(&job) {
            Ok(task) => match pacing::gate(&self.agent, &task).await {
                Ok(Gate::Go) => self.run(&task).await,
                Ok(Gate::Wait(until)) => return self.wait(&job, until).await,
                Err(error) => Err(error),
            },
            Err(error) => Err(error),
        };
        let turn = self.finish(&job, outcome).await;
        if let Ok(turn) = &turn {
            let outcome = match turn {
                Turn::Done { .. } | Turn::Idle => "done",
                Turn::Retrying { .. } => "retrying",
                Turn::Parked { .. } => "parked",
                Turn::Deferred { .. } => "deferred",
                Turn::Waiting { .. } => "waiting",
            };
            metrics::counter!("negotiator_jobs_total", "kind" => job.kind.clone(), "outcome" => outcome)
                .increment(1);
        }
        turn
    }

    async fn finish(
        &self,
        job: &Job,
        outcome: Result<Report, AgentError>,
    ) -> Result<Turn, AgentError> {
        match outcome {
            Ok(Report { line, notable }) => {
                lock(&self.finished).push(job.job_id);
                Ok(Turn::Done {
                    job_id: job.job_id,
                    line,
                    notable,
                })
            }
            Err(error) => match error.throttled_for() {
                Some(wait) => self.defer(job, wait).await,
                None => self.failed(job, &error).await,
            },
        }
    }

    /// Marks the jobs finished so far done (the next turn would; a stopping worker calls this).
    pub async fn flush(&self) -> Result<(), AgentError> {
        let done = std::mem::take(&mut *lock(&self.finished));
        for job_id in done {
            self.agent.store.complete(job_id).await?;
        }
        Ok(())
    }

    /// Puts jobs whose worker died back in the queue, at most every [`RELEASE_EVERY`].
    async fn release_expired_leases(&self, now: Timestamp) -> Result<(), AgentError> {
        let due = lock(&self.released_at)
            .is_none_or(|at| at.checked_add(RELEASE_EVERY).is_ok_and(|next| next <= now));
        if due {
            self.agent.store.release_expired_leases(now).await?;
            *lock(&self.released_at) = Some(now);
        }
        Ok(())
    }

    /// The kinds still held back at `now` (forgetting those whose time has come).
    fn held_back_kinds(&self, now: Timestamp) -> Vec<String> {
        let mut held_back = lock(&self.held_back);
        held_back.retain(|_, until| *until > now);
        held_back.keys().cloned().collect()
    }

    /// Puts a job our own rate limit held back in the queue again for when the limit allows
    /// it, without using an attempt, and passes over its kind until then: the jobs behind it
    /// would only find the same limit.
    async fn defer(&self, job: &Job, wait: Duration) -> Result<Turn, AgentError> {
        let now = self.agent.now();
        let until = SignedDuration::try_from(wait)
            .ok()
            .and_then(|wait| now.checked_add(wait).ok())
            .unwrap_or(now);
        self.agent.store.defer(job.job_id, until).await?;
        lock(&self.held_back).insert(job.kind.clone(), until);
        tracing::debug!(job_id = job.job_id, kind = %job.kind, %until, "a rate limit holds the job back; it waits in the queue");
        Ok(Turn::Deferred {
            job_id: job.job_id,
            until,
        })
    }

    /// Puts a job the sending pace (or the stop switch) holds back in the queue for its slot,
    /// without using an attempt; unlike a rate limit, the jobs of its kind behind it still run.
    async fn wait(&self, job: &Job, until: Timestamp) -> Result<Turn, AgentError> {
        self.agent.store.defer(job.job_id, until).await?;
        tracing::debug!(job_id = job.job_id, kind = %job.kind, %until, "waits for its send slot");
        metrics::counter!("negotiator_jobs_total", "kind" => job.kind.clone(), "outcome" => "waiting")
            .increment(1);
        Ok(Turn::Waiting {
            job_id: job.job_id,
            until,
        })
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

    /// Carries out one task through its workflow; returns a line about it for people watching.
    async fn run(&self, task: &Task) -> Result<Report, AgentError> {
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
                    Sent::Withheld { to, why } => format!("{to}: not sent, {why}"),
                },
            )),
            Task::Notify { notice } => {
                agent.store.settle().await?;
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
                    Handled::Outsider => {
                        "an email came in a thread from someone who does not speak for the \
                         influencer; told the team"
                            .to_owned()
                    }
                    Handled::Unreadable => "an email could not be read; told the team".to_owned(),
                    Handled::Noted(what) => what,
                },
            )),
            Task::IngestClickUp { task_id } => {
                let Some(source) = &agent.adapters.campaign_source else {
                    return Err(AgentError::Invalid(
                        "a ClickUp task is queued but ClickUp is not configured ([clickup] and \
                         CLICKUP_API_TOKEN); configure it, then `negotiator jobs retry`"
                            .to_owned(),
                    ));
                };
                Ok(Report::notable(
                    match intake::take(agent, source.as_ref(), task_id).await? {
                        Ingest::Started(done) => format!(
                            "ClickUp task {task_id}: campaign {} started with {} negotiation(s)",
                            done.campaign.campaign_id,
                            done.started.len()
                        ),
                        Ingest::Rejected(problems) => format!(
                            "ClickUp task {task_id}: not started, {} field problem(s) sent to the team",
                            problems.0.len()
                        ),
                        Ingest::Duplicate(_) => {
                            format!("ClickUp task {task_id}: its campaign was already started")
                        }
                    },
                ))
            }
            Task::CheckSilence { negotiation_id } => Ok(stepped(
                &silence::check_negotiation(agent, *negotiation_id).await?,
            )),
            Task::ReadMailbox { .. } => Ok(Report::routine(match poll_inbox(agent).await? {
                0 => "a push came; no new email".to_owned(),
                new => format!("a push came; {new} new email(s) queued"),
            })),
            Task::RenewWatch => Ok(Report::routine(push::renew_watch(agent).await?)),
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
            let key = JobKey::JobFailed {
                kind: job.kind.clone(),
                class: error_class(error).to_owned(),
                hour,
            };
            queue(&mut tx, &Task::Notify { notice }, &key, now).await?;
        }
        tx.commit().await?;
        Ok(Turn::Parked {
            job_id: job.job_id,
            error: text,
        })
    }
}

/// The value behind a worker's lock, even if a thread panicked holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
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
