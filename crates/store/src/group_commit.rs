//! Group commit: concurrent callers queue their items, one writer task commits whatever is
//! queued together (one transaction, one fsync) and answers each caller once its item is
//! durable. Throughput grows with concurrency while each caller still waits for its own write.

use std::future::Future;

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::StoreError;

/// What one kind of batch writes, and how.
pub(crate) trait BatchWrite: 'static {
    type Item: Send + 'static;
    /// What each caller learns about its item.
    type Done: Send + 'static;
    /// Most items one commit writes.
    const MAX_BATCH: usize;
    /// Items that may wait for the writer before callers are slowed down.
    const QUEUE_CAPACITY: usize;
    /// For the logs: "audit", "webhook intake".
    const WHAT: &'static str;

    /// The error each item of a failed batch gets (but the first, which gets the cause).
    fn failed(reason: String) -> StoreError;

    /// Writes `items` durably in one commit; one answer per item, in order.
    fn write(
        pool: &SqlitePool,
        items: &[Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Done>, StoreError>> + Send;
}

struct Pending<W: BatchWrite> {
    item: W::Item,
    done: oneshot::Sender<Result<W::Done, StoreError>>,
}

/// A handle on one group-commit writer. Cheap to clone.
pub(crate) struct GroupCommit<W: BatchWrite> {
    queue: mpsc::Sender<Pending<W>>,
}

impl<W: BatchWrite> Clone for GroupCommit<W> {
    fn clone(&self) -> Self {
        GroupCommit {
            queue: self.queue.clone(),
        }
    }
}

impl<W: BatchWrite> std::fmt::Debug for GroupCommit<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit")
            .field("what", &W::WHAT)
            .finish()
    }
}

impl<W: BatchWrite> GroupCommit<W> {
    /// Starts the writer task on the current tokio runtime. It runs until every handle is
    /// dropped, after draining what was queued.
    pub(crate) fn start(pool: SqlitePool) -> Self {
        let (queue, rx) = mpsc::channel(W::QUEUE_CAPACITY);
        tokio::spawn(run::<W>(pool, rx));
        GroupCommit { queue }
    }

    /// Queues `item` and returns once the commit holding it is on disk.
    pub(crate) async fn submit(&self, item: W::Item) -> Result<W::Done, StoreError> {
        let (done, wait) = oneshot::channel();
        self.queue
            .send(Pending { item, done })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        wait.await.map_err(|_| StoreError::WriterStopped)?
    }
}

/// The writer loop: take everything queued (up to `MAX_BATCH`), commit it, answer.
async fn run<W: BatchWrite>(pool: SqlitePool, mut rx: mpsc::Receiver<Pending<W>>) {
    let mut batch: Vec<Pending<W>> = Vec::with_capacity(W::MAX_BATCH);
    while rx.recv_many(&mut batch, W::MAX_BATCH).await > 0 {
        if pool.is_closed() {
            // `Store::close` was called: fail what is queued and stop, so that later calls
            // fail at once with `WriterStopped` (dropping `rx` closes the queue).
            for pending in batch.drain(..) {
                let _ = pending.done.send(Err(StoreError::WriterStopped));
            }
            return;
        }
        let (items, answers): (Vec<W::Item>, Vec<_>) =
            batch.drain(..).map(|p| (p.item, p.done)).unzip();
        match W::write(&pool, &items).await {
            Ok(results) => {
                for (done, result) in answers.into_iter().zip(results) {
                    // The caller may have stopped waiting; its item is written all the same.
                    let _ = done.send(Ok(result));
                }
            }
            Err(error) if items.len() == 1 || error.is_transient() => {
                tracing::warn!(%error, items = items.len(), "{} batch failed", W::WHAT);
                let reason = error.to_string();
                let mut error = Some(error);
                for done in answers {
                    let e = error.take().unwrap_or_else(|| W::failed(reason.clone()));
                    let _ = done.send(Err(e));
                }
            }
            Err(error) => {
                // One bad item must not fail its neighbours: write them one by one.
                tracing::warn!(%error, items = items.len(), "{} batch failed; retrying singly", W::WHAT);
                for (item, done) in items.into_iter().zip(answers) {
                    let result = W::write(&pool, std::slice::from_ref(&item))
                        .await
                        .and_then(|mut one| one.pop().ok_or_else(|| W::failed("no answer".into())));
                    let _ = done.send(result);
                }
            }
        }
    }
}
