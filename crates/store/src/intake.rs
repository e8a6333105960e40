//! Webhook intake with group commit: each delivery and its job are stored together, and
//! concurrent deliveries share one transaction and one fsync, so a burst of webhooks is
//! acknowledged quickly while every acknowledgement still means "durably stored".

use std::collections::HashSet;

use jiff::Timestamp;
use serde_json::Value;
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

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

struct Pending {
    delivery: NewDelivery,
    done: oneshot::Sender<Result<Stored, StoreError>>,
}

/// The group-commit intake writer. Cheap to clone.
#[derive(Debug, Clone)]
pub struct DeliveryLog {
    queue: mpsc::Sender<Pending>,
}

impl DeliveryLog {
    pub(crate) fn start(pool: SqlitePool) -> DeliveryLog {
        let (queue, rx) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(run_writer(pool, rx));
        DeliveryLog { queue }
    }

    /// Stores `delivery` (and queues its job) and returns once both are committed to disk.
    pub async fn record(&self, delivery: NewDelivery) -> Result<Stored, StoreError> {
        let (done, wait) = oneshot::channel();
        self.queue
            .send(Pending { delivery, done })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        wait.await.map_err(|_| StoreError::WriterStopped)?
    }
}

async fn run_writer(pool: SqlitePool, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if pool.is_closed() {
            for pending in batch.drain(..) {
                let _ = pending.done.send(Err(StoreError::WriterStopped));
            }
            return;
        }
        match write_batch(&pool, &batch).await {
            Ok(results) => {
                for (pending, stored) in batch.drain(..).zip(results) {
                    // The sender may have stopped waiting (its request timed out); the delivery
                    // is stored all the same, and a retry finds it.
                    let _ = pending.done.send(Ok(stored));
                }
            }
            Err(error) => {
                tracing::warn!(%error, deliveries = batch.len(), "webhook intake batch failed");
                let reason = error.to_string();
                for pending in batch.drain(..) {
                    let _ = pending.done.send(Err(StoreError::IntakeWrite {
                        reason: reason.clone(),
                    }));
                }
            }
        }
    }
}

/// Every delivery of `batch` and its job in one `BEGIN IMMEDIATE` transaction, written with
/// one statement per table (a statement per row would cost a round trip to SQLite's thread
/// each, which dominated a batch's time).
async fn write_batch(pool: &SqlitePool, batch: &[Pending]) -> Result<Vec<Stored>, StoreError> {
    let deliveries: Vec<_> = batch
        .iter()
        .map(|p| {
            let d = &p.delivery;
            (&d.source, &d.dedupe_key, to_ms(d.received_at), &d.body)
        })
        .collect();
    let jobs = batch
        .iter()
        .filter_map(|p| p.delivery.job.as_ref())
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
        .map(|p| {
            let d = &p.delivery;
            Stored {
                new_delivery: new_deliveries.remove(&(d.source.clone(), d.dedupe_key.clone())),
                new_job: d
                    .job
                    .as_ref()
                    .is_some_and(|j| new_jobs.remove(&(j.kind.clone(), j.dedupe_key.clone()))),
            }
        })
        .collect())
}
