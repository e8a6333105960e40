//! Webhook intake with group commit: each delivery and its job are stored together, and
//! concurrent deliveries share one transaction and one fsync, so a burst of webhooks is
//! acknowledged quickly while every acknowledgement still means "durably stored".

use std::collections::HashSet;

use jiff::Timestamp;
use serde_json::Value;
use sqlx::SqlitePool;

use crate::group_commit::{BatchWrite, GroupCommit};
use crate::{StoreError, to_ms};

/// Most deliveries one commit writes.
const MAX_BATCH: usize = 512;
/// Deliveries that may wait for the writer before senders are slowed down.
const QUEUE_CAPACITY: usize = 4_096;

/// A job to queue with a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub kind: String,
    /// Queued once per `(kind, dedupe_key)`.
    pub dedupe_key: String,
    pub payload: Value,
    pub run_at: Timestamp,
}

/// One webhook delivery to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub source: String,
    /// Stored once per `(source, dedupe_key)`.
    pub dedupe_key: String,
    pub body: String,
    pub received_at: Timestamp,
    pub job: Option<NewJob>,
}

/// What storing a delivery found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    /// False for a delivery stored before (a retry of the same delivery).
    pub new_delivery: bool,
    /// False when the job was queued before (another delivery of the same work).
    pub new_job: bool,
}

/// The group-commit intake writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    writer: GroupCommit<IntakeBatch>,
}

impl DeliveryLog {
    pub(crate) fn start(pool: SqlitePool) -> DeliveryLog {
        DeliveryLog {
            writer: GroupCommit::start(pool),
        }
    }

    /// Stores `delivery` (and queues its job) and returns once both are committed to disk.
    /// A sender that stops waiting (its request timed out) leaves the delivery stored all the
    /// same, and its retry finds it.
    pub async fn record(&self, delivery: NewDelivery) -> Result<Stored, StoreError> {
        self.writer.submit(delivery).await
    }
}

struct IntakeBatch;

impl BatchWrite for IntakeBatch {
    type Item = NewDelivery;
    type Done = Stored;
    const MAX_BATCH: usize = MAX_BATCH;
    const QUEUE_CAPACITY: usize = QUEUE_CAPACITY;
    const WHAT: &'static str = "webhook intake";

    fn failed(reason: String) -> StoreError {
        StoreError::IntakeWrite { reason }
    }

    async fn write(pool: &SqlitePool, items: &[NewDelivery]) -> Result<Vec<Stored>, StoreError> {
        write_batch(pool, items).await
    }
}

/// Every delivery of `batch` and its job in one `BEGIN IMMEDIATE` transaction, written with
/// one statement per table (a statement per row would cost a round trip to SQLite's thread
/// each, which dominated a batch's time).
async fn write_batch(pool: &SqlitePool, batch: &[NewDelivery]) -> Result<Vec<Stored>, StoreError> {
    let deliveries: Vec<_> = batch
        .iter()
        .map(|d| (&d.source, &d.dedupe_key, to_ms(d.received_at), &d.body))
        .collect();
    let jobs = batch
        .iter()
        .filter_map(|d| d.job.as_ref())
        .map(|j| {
            Ok((
                &j.kind,
                &j.dedupe_key,
                serde_json::to_string(&j.payload)?,
                to_ms(j.run_at),
            ))
        })
        .collect::<Result<Vec<_>, serde_json::Error>>()?;
    let deliveries = serde_json::to_string(&deliveries)?;
    let jobs = serde_json::to_string(&jobs)?;
    let now = to_ms(Timestamp::now());

    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut new_deliveries: HashSet<(String, String)> =
        sqlx::query_file!("queries/intake_deliveries.sql", deliveries)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.source, r.dedupe_key))
            .collect();
    let mut new_jobs: HashSet<(String, String)> =
        sqlx::query_file!("queries/intake_jobs.sql", jobs, now)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.kind, r.dedupe_key))
            .collect();
    tx.commit().await?;

    // The first of two equal deliveries in one batch is the new one; taking its key out of the
    // set leaves the second a repeat.
    Ok(batch
        .iter()
        .map(|d| Stored {
            new_delivery: new_deliveries.remove(&(d.source.clone(), d.dedupe_key.clone())),
            new_job: d
                .job
                .as_ref()
                .is_some_and(|j| new_jobs.remove(&(j.kind.clone(), j.dedupe_key.clone()))),
        })
        .collect())
}
