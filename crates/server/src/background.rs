//! The work beside the HTTP server: job workers and the scheduler that reads the inbox. Both
//! stop taking new work when told to shut down and finish what they hold.

use std::time::Duration;

use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::{Agent, Turn, Worker};
use tokio::sync::watch;

/// How long an idle worker waits before looking for due jobs again.
const IDLE: Duration = Duration::from_millis(500);

/// Works due jobs until `stop` turns true; the job in hand is always finished first.
pub async fn work(worker: Worker, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match worker.turn().await {
            Ok(Turn::Idle) => {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE) => {}
                    _ = stop.changed() => {}
                }
            }
            Ok(turn) => tracing::debug!(?turn, "job"),
            Err(error) => {
                tracing::error!(%error, "the worker could not run a job; trying again shortly");
                tokio::select! {
                    _ = tokio::time::sleep(IDLE * 4) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
    if let Err(error) = worker.flush().await {
        tracing::warn!(%error, "could not mark the last finished jobs done; they may run again");
    }
}

/// Reads the inbox every `every` until `stop` turns true.
pub async fn schedule(agent: Agent, every: Duration, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match poll_inbox(&agent).await {
            Ok(0) => {}
            Ok(new) => tracing::info!(new, "new email in the inbox"),
            Err(error) => tracing::warn!(%error, "could not read the inbox; trying again later"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}
