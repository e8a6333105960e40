//! The work beside the HTTP server: job workers and the scheduler that reads the inbox (slowly
//! while Gmail pushes arrive, at the normal pace when they stop). Both
//! stop taking new work when told to shut down and finish what they hold.

use std::time::Duration;

use negotiator_adapters::config::GmailPushConfig;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::push::{ReadMode, read_mode};
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

/// How often the inbox is read: `every`, or `slow` while Gmail pushes arrive (no push for
/// `fallback_after` puts it back to `every`).
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    every: Duration,
    push: Option<(Duration, jiff::SignedDuration)>,
}

impl Pace {
    pub fn new(poll_interval_secs: u64, push: Option<&GmailPushConfig>) -> Self {
        Pace {
            every: Duration::from_secs(poll_interval_secs.max(1)),
            push: push.map(|p| {
                (
                    Duration::from_secs(p.slow_poll_secs.max(1)),
                    jiff::SignedDuration::from_secs(
                        i64::try_from(p.fallback_after_secs).unwrap_or(i64::MAX),
                    ),
                )
            }),
        }
    }

    /// The wait before the next read; checked after every read, so a push that stops is
    /// noticed within one slow interval.
    async fn next(&self, agent: &Agent) -> Duration {
        let Some((slow, fallback_after)) = self.push else {
            return self.every;
        };
        match read_mode(&agent.store, agent.now(), fallback_after).await {
            Ok(ReadMode::Push { .. }) => slow.min(fallback_after.unsigned_abs()).max(self.every),
            Ok(mode) => {
                tracing::debug!(mode = %mode.describe(), "polling the inbox at the normal pace");
                self.every
            }
            Err(error) => {
                tracing::warn!(%error, "could not tell whether Gmail push is healthy; polling at the normal pace");
                self.every
            }
        }
    }
}

/// Reads the inbox at `pace` until `stop` turns true.
pub async fn schedule(agent: Agent, pace: Pace, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        match poll_inbox(&agent).await {
            Ok(0) => {}
            Ok(new) => tracing::info!(new, "new email in the inbox"),
            Err(error) => tracing::warn!(%error, "could not read the inbox; trying again later"),
        }
        let wait = pace.next(&agent).await;
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => {}
        }
    }
}
