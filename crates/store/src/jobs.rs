//! The durable job queue (transactional outbox): enqueue in a transaction, claim with a lease.

use negotiator_domain::string_enum;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Row, params};
use serde::Serialize;
use serde_json::Value;

use crate::db::{execute, query_all, query_one};
use crate::{Db, Store, StoreError, from_json, from_ms, from_ms_opt, parse_enum, to_ms};

/// Attempts a job gets before it is parked as failed: the first run plus three retries.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 4;

string_enum! {
    /// Where a job is in its life.
    pub enum JobStatus ("job status") {
        /// Waiting for its `run_at`.
        Queued => "queued",
        /// Claimed by a worker until its lease ends.
        Running => "running",
        /// Finished.
        Done => "done",
        /// Parked after its last attempt failed; `negotiator jobs retry` brings it back.
        Failed => "failed",
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    /// Its key.
    pub job_id: i64,
    /// What to do (the worker dispatches on it).
    pub kind: String,
    /// Identifies the work within its kind; enqueueing the same pair twice is a no-op.
    pub dedupe_key: String,
    /// The job's arguments.
    pub payload: Value,
    /// Where it is in its life.
    pub status: JobStatus,
    /// How many times it was claimed.
    pub attempts: i64,
    /// How many claims it gets before it is parked.
    pub max_attempts: i64,
    /// Not to be claimed before this.
    pub run_at: Timestamp,
    /// While running: when the claim expires.
    pub lease_until: Option<Timestamp>,
    /// The error of the latest failed attempt.
    pub last_error: Option<String>,
    /// When it was enqueued.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// The columns [`Job::from_row`] reads, in its order.
macro_rules! job_columns {
    () => {
        "job_id, kind, dedupe_key, payload, status, attempts, \
         max_attempts, run_at, lease_until, last_error, created_at, updated_at"
    };
}
pub(crate) use job_columns;

impl Job {
    /// Decodes a row selected as `job_columns!`.
    pub(crate) fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let payload: String = row.get(3)?;
        let status: String = row.get(4)?;
        Ok(Job {
            job_id: row.get(0)?,
            kind: row.get(1)?,
            dedupe_key: row.get(2)?,
            payload: from_json(&payload, "jobs", "payload")?,
            status: parse_enum(&status, "jobs", "status")?,
            attempts: row.get(5)?,
            max_attempts: row.get(6)?,
            run_at: from_ms(row.get(7)?, "jobs", "run_at")?,
            lease_until: from_ms_opt(row.get(8)?, "jobs", "lease_until")?,
            last_error: row.get(9)?,
            created_at: from_ms(row.get(10)?, "jobs", "created_at")?,
            updated_at: from_ms(row.get(11)?, "jobs", "updated_at")?,
        })
    }
}

/// Enqueues a job to run at or after `run_at`, in the caller's transaction. Returns its id, or
/// `None` if a job with the same `(kind, dedupe_key)` was enqueued before (whatever its status).
pub async fn enqueue(
    db: impl Db,
    kind: &str,
    dedupe_key: &str,
    payload: &Value,
    run_at: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let payload = serde_json::to_string(payload)?;
    let run_at = to_ms(run_at);
    // created_at is the enqueue time as the caller sees it; run_at may be in the future.
    let now = to_ms(Timestamp::now());
    db.with(|conn| {
        let inserted = execute(
            conn,
            "INSERT INTO jobs (kind, dedupe_key, payload, run_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (kind, dedupe_key) DO NOTHING",
            params![kind, dedupe_key, payload, run_at, now],
        )?;
        Ok((inserted == 1).then(|| conn.last_insert_rowid()))
    })
}

/// What [`Store::complete_and_claim`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    /// The job claimed, if one was due.
    pub next: Option<Job>,
    /// The jobs marked done (those of `done` that were still running).
    pub completed: Vec<i64>,
}

fn not_running(job_id: i64) -> StoreError {
    StoreError::NotFound {
        what: "running job",
        id: job_id.to_string(),
        detail: " (it finished, was never claimed, or its lease expired and it was released)",
    }
}

impl Store {
    /// Claims the oldest due queued job: marks it running until `now + lease`, counts the
    /// attempt and returns it. `None` if nothing is due. Safe to call from many workers: the
    /// claim is one atomic statement.
    pub async fn claim_next(
        &self,
        now: Timestamp,
        lease: Duration,
    ) -> Result<Option<Job>, StoreError> {
        self.claim_next_except(now, lease, &[]).await
    }

    /// [`Store::claim_next`], passing over jobs of the given kinds (ones a worker knows must
    /// wait, such as kinds held back by a rate limit).
    pub async fn claim_next_except(
        &self,
        now: Timestamp,
        lease: Duration,
        skip_kinds: &[String],
    ) -> Result<Option<Job>, StoreError> {
        Ok(self
            .complete_and_claim(&[], now, lease, skip_kinds)
            .await?
            .next)
    }

    /// Marks the running jobs `done` done and claims the oldest due queued job (passing over
    /// `skip_kinds`), in one statement: a worker's turn costs one write, not two. A job is
    /// only ever finished before it is completed, so a crash between the two runs it again,
    /// as it would between a separate completion and its claim.
    pub async fn complete_and_claim(
        &self,
        done: &[i64],
        now: Timestamp,
        lease: Duration,
        skip_kinds: &[String],
    ) -> Result<Claimed, StoreError> {
        let now = to_ms(now);
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let lease_until = now.saturating_add(lease_ms);
        let skip_kinds = serde_json::to_string(skip_kinds)?;
        let done_ids = serde_json::to_string(done)?;
        let sql = concat!(
            "UPDATE jobs
             SET status = CASE WHEN status = 'running' THEN 'done' ELSE 'running' END,
                 attempts = CASE WHEN status = 'running' THEN attempts ELSE attempts + 1 END,
                 lease_until = CASE WHEN status = 'running' THEN NULL ELSE ?1 END,
                 updated_at = ?2
             WHERE (status = 'running' AND job_id IN (SELECT value FROM json_each(?4)))
                OR job_id = (SELECT job_id FROM jobs
                             WHERE status = 'queued' AND run_at <= ?2
                               AND kind NOT IN (SELECT value FROM json_each(?3))
                             ORDER BY run_at, job_id LIMIT 1)
             RETURNING ",
            job_columns!()
        );
        // A claim or a done mark lost to a power cut only runs those jobs again, as a crash
        // between a job's work and its done mark always could.
        let jobs = (&mut self.redoable_write().await?).with(|conn| {
            query_all(
                conn,
                sql,
                params![lease_until, now, skip_kinds, done_ids],
                Job::from_row,
            )
        })?;
        let mut claimed = Claimed {
            next: None,
            completed: Vec::new(),
        };
        for job in jobs {
            if job.status == JobStatus::Running {
                claimed.next = Some(job);
            } else {
                claimed.completed.push(job.job_id);
            }
        }
        Ok(claimed)
    }

    /// Marks a running job done. Fails with [`StoreError::NotFound`] if it is not running.
    pub async fn complete(&self, job_id: i64) -> Result<(), StoreError> {
        let now = to_ms(Timestamp::now());
        let done = (&mut self.redoable_write().await?).with(|conn| {
            execute(
                conn,
                "UPDATE jobs SET status = 'done', lease_until = NULL, updated_at = ?
                 WHERE job_id = ? AND status = 'running'",
                params![now, job_id],
            )
        })?;
        if done == 0 {
            return Err(not_running(job_id));
        }
        Ok(())
    }

    /// Records a failed attempt of a running job. With `retry_at`, the job is queued again for
    /// then, unless it has used all its attempts; without, or when it has, it is parked as
    /// failed. Returns the new status, so the caller knows whether to alert a person.
    pub async fn fail(
        &self,
        job_id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<JobStatus, StoreError> {
        let now = to_ms(Timestamp::now());
        let retry_at = retry_at.map(to_ms);
        let status = (&mut self.write().await?)
            .with(|conn| {
                query_one(
                    conn,
                    "UPDATE jobs
                     SET status = CASE WHEN ?1 IS NOT NULL AND attempts < max_attempts
                                       THEN 'queued' ELSE 'failed' END,
                         run_at = COALESCE(?1, run_at), lease_until = NULL, last_error = ?2,
                         updated_at = ?3
                     WHERE job_id = ?4 AND status = 'running'
                     RETURNING status",
                    params![retry_at, error, now, job_id],
                    |row| Ok(row.get::<_, String>(0)?),
                )
            })?
            .ok_or_else(|| not_running(job_id))?;
        parse_enum(&status, "jobs", "status")
    }

    /// Puts a running job back in the queue for `run_at` without counting the attempt or
    /// recording an error: it did not really run (a client-side rate limit held it back).
    /// Fails with [`StoreError::NotFound`] if it is not running.
    pub async fn defer(&self, job_id: i64, run_at: Timestamp) -> Result<(), StoreError> {
        let run_at = to_ms(run_at);
        let now = to_ms(Timestamp::now());
        let done = (&mut self.write().await?).with(|conn| {
            execute(
                conn,
                "UPDATE jobs
                 SET status = 'queued', attempts = MAX(attempts - 1, 0), run_at = ?1,
                     lease_until = NULL, updated_at = ?2
                 WHERE job_id = ?3 AND status = 'running'",
                params![run_at, now, job_id],
            )
        })?;
        if done == 0 {
            return Err(not_running(job_id));
        }
        Ok(())
    }

    /// Puts running jobs whose lease ended before `now` back in the queue (their worker died),
    /// or parks them as failed if that was their last attempt. Returns how many were released.
    pub async fn release_expired_leases(&self, now: Timestamp) -> Result<u64, StoreError> {
        let now = to_ms(now);
        let done = (&mut self.write().await?).with(|conn| {
            execute(
                conn,
                "UPDATE jobs
                 SET status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                     last_error = CASE WHEN attempts < max_attempts THEN last_error
                                  ELSE 'lease expired during the last attempt (worker stopped?)'
                                  END,
                     lease_until = NULL, updated_at = ?1
                 WHERE status = 'running' AND lease_until <= ?1",
                [now],
            )
        })?;
        Ok(u64::try_from(done).unwrap_or(u64::MAX))
    }

    /// How many queued jobs are due at `now` (what a `run` has ahead of it).
    pub async fn count_due_jobs(&self, now: Timestamp) -> Result<u64, StoreError> {
        let now = to_ms(now);
        let due = self
            .db()
            .with(|conn| {
                query_one(
                    conn,
                    "SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND run_at <= ?1",
                    [now],
                    |row| Ok(row.get::<_, i64>(0)?),
                )
            })?
            .unwrap_or(0);
        Ok(u64::try_from(due).unwrap_or(0))
    }

    /// Jobs with the given status (all when `None`), most recently changed first, at most
    /// `limit`.
    pub async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        let status = status.map(JobStatus::as_str);
        let limit = i64::from(limit);
        let sql = concat!(
            "SELECT ",
            job_columns!(),
            "
             FROM jobs
             WHERE (?1 IS NULL OR status = ?1)
             ORDER BY updated_at DESC, job_id DESC
             LIMIT ?2"
        );
        self.db()
            .with(|conn| query_all(conn, sql, params![status, limit], Job::from_row))
    }

    /// The job with this id, if any.
    pub async fn job(&self, job_id: i64) -> Result<Option<Job>, StoreError> {
        let sql = concat!("SELECT ", job_columns!(), " FROM jobs WHERE job_id = ?");
        self.db()
            .with(|conn| query_one(conn, sql, [job_id], Job::from_row))
    }

    /// Queues a failed job again, now, with a fresh set of attempts (its last error is kept).
    /// Fails with [`StoreError::NotFound`] if there is no failed job with this id.
    pub async fn retry(&self, job_id: i64) -> Result<(), StoreError> {
        let now = to_ms(Timestamp::now());
        let done = (&mut self.write().await?).with(|conn| {
            execute(
                conn,
                "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?1, updated_at = ?1
                 WHERE job_id = ?2 AND status = 'failed'",
                params![now, job_id],
            )
        })?;
        if done == 0 {
            return Err(StoreError::NotFound {
                what: "failed job",
                id: job_id.to_string(),
                detail: "",
            });
        }
        Ok(())
    }

    /// Queues every failed job again (see [`Store::retry`]); returns how many.
    pub async fn retry_all_failed(&self) -> Result<u64, StoreError> {
        let now = to_ms(Timestamp::now());
        let done = (&mut self.write().await?).with(|conn| {
            execute(
                conn,
                "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?1, updated_at = ?1
                 WHERE status = 'failed'",
                [now],
            )
        })?;
        Ok(u64::try_from(done).unwrap_or(u64::MAX))
    }
}
