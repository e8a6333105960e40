//! The one retry policy for every outside call: three attempts, exponential backoff with
//! jitter, and the service's own `Retry-After` honoured.

use std::future::Future;
use std::time::Duration;

use super::error::{ErrorKind, VendorError};

/// How a call is retried. The default: 3 attempts, backoff from 500 ms doubling up to 8 s with
/// up to 25% jitter, and any `Retry-After` up to 30 s waited out in place. A longer wait is
/// returned as the error (with its `retry_after`) so the durable job queue reschedules the work
/// instead of a worker sleeping. A call our own rate limiter held back ([`ErrorKind::Throttled`])
/// is handed back at once for the same reason; it never reached the service, so it is neither
/// counted as a call nor recorded in the service's health.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No waiting between attempts (for tests that count attempts).
    pub fn immediate(attempts: u32) -> Self {
        RetryPolicy {
            attempts,
            first_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            max_wait: Duration::from_secs(30),
        }
    }

    /// Runs `call` until it succeeds, fails in a way retrying cannot fix, or runs out of
    /// attempts. Every outcome and retry is counted per service for `/metrics`.
    pub async fn run<T, F, Fut>(&self, service: &'static str, mut call: F) -> Result<T, VendorError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, VendorError>>,
    {
        let mut attempt = 1;
        loop {
            let error = match call().await {
                Ok(value) => {
                    super::health::record(service, Ok(()));
                    metrics::counter!("negotiator_external_calls_total", "service" => service, "outcome" => "ok")
                        .increment(1);
                    return Ok(value);
                }
                Err(error) if error.kind == ErrorKind::Throttled => return Err(error),
                Err(error) => error,
            };
            let wait = error.retry_after.unwrap_or_else(|| self.backoff(attempt));
            if !error.is_retryable() || attempt >= self.attempts || wait > self.max_wait {
                super::health::record(service, Err(&error));
                metrics::counter!("negotiator_external_calls_total", "service" => service, "outcome" => outcome(&error))
                    .increment(1);
                return Err(error);
            }
            metrics::counter!("negotiator_external_retries_total", "service" => service)
                .increment(1);
            tracing::warn!(service, attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying an outside call");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The wait before attempt `attempt + 1`: doubling from `first_backoff`, capped, plus jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .first_backoff
            .saturating_mul(1_u32 << attempt.saturating_sub(1).min(16));
        let base = doubled.min(self.max_backoff);
        base + base.mul_f64(jitter() * 0.25)
    }
}

fn outcome(error: &VendorError) -> &'static str {
    use ErrorKind::*;
    match error.kind {
        Timeout => "timeout",
        Connection => "connection",
        RateLimited => "rate_limited",
        Throttled => "throttled",
        Unavailable => "unavailable",
        Rejected => "rejected",
        Unauthorized => "unauthorized",
        Decode => "decode",
    }
}

/// A number in [0, 1) from the standard library's per-process random hash keys.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1_u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn failing(kind: ErrorKind) -> VendorError {
        VendorError::new("test", kind, "boom")
    }

    #[tokio::test]
    async fn retries_what_may_succeed_then_gives_up_after_three_attempts() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = RetryPolicy::immediate(3)
            .run("test", || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(failing(ErrorKind::Unavailable))
            })
            .await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn never_retries_a_refusal() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = RetryPolicy::immediate(3)
            .run("test", || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(failing(ErrorKind::Rejected))
            })
            .await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn hands_a_throttled_call_back_at_once() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let error = RetryPolicy::default()
            .run("test", || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err::<(), _>(VendorError::throttled("test", Duration::from_secs(2)))
            })
            .await
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Throttled);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(started.elapsed(), Duration::ZERO, "no sleeping in place");
    }

    #[tokio::test(start_paused = true)]
    async fn honours_retry_after_and_hands_long_waits_to_the_queue() {
        let calls = AtomicU32::new(0);
        let started = tokio::time::Instant::now();
        let value = RetryPolicy::default()
            .run("test", || async {
                if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                    let mut e = failing(ErrorKind::RateLimited);
                    e.retry_after = Some(Duration::from_secs(7));
                    Err(e)
                } else {
                    Ok(42)
                }
            })
            .await
            .unwrap();
        assert_eq!(value, 42);
        assert!(started.elapsed() >= Duration::from_secs(7));

        let long = RetryPolicy::default()
            .run("test", || async {
                let mut e = failing(ErrorKind::RateLimited);
                e.retry_after = Some(Duration::from_secs(600));
                Err::<(), _>(e)
            })
            .await
            .unwrap_err();
        assert_eq!(long.retry_after, Some(Duration::from_secs(600)));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let policy = RetryPolicy::default();
        let first = policy.backoff(1);
        assert!(first >= Duration::from_millis(500) && first <= Duration::from_millis(625));
        let second = policy.backoff(2);
        assert!(second >= Duration::from_secs(1) && second <= Duration::from_millis(1250));
        assert!(policy.backoff(30) <= Duration::from_secs(10));
    }
}
