//! Slack waits three seconds for an answer. Work runs in its own task; if it is done within
//! the budget its result is the answer, otherwise the caller acknowledges at once and the
//! task carries on (its result then goes through the `response_url`).

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;

/// What is left of Slack's three seconds once the network has had its share.
pub const BUDGET: Duration = Duration::from_millis(2_500);

/// Work that finished in time, or is still running.
#[derive(Debug)]
pub enum InTime<T> {
    Done(T),
    Late(JoinHandle<T>),
    /// The work panicked (already logged by the runtime's hook).
    Panicked,
}

/// Runs `work` in its own task and waits for it at most [`BUDGET`].
pub async fn within<T, F>(work: F) -> InTime<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let mut task = tokio::spawn(work);
    match tokio::time::timeout(BUDGET, &mut task).await {
        Ok(Ok(value)) => InTime::Done(value),
        Ok(Err(error)) => {
            tracing::error!(%error, "Slack work failed");
            InTime::Panicked
        }
        Err(_) => InTime::Late(task),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Work that outruns the budget is covered end to end in `tests/slack_commands.rs`.
    #[tokio::test]
    async fn quick_work_is_the_answer_and_a_panic_is_reported() {
        assert!(matches!(within(async { 7 }).await, InTime::Done(7)));
        let broken = within(async {
            if BUDGET > Duration::ZERO {
                panic!("boom");
            }
        })
        .await;
        assert!(matches!(broken, InTime::Panicked));
    }
}
