//! Client-side rate limiting, so the agent stays under each vendor's quota instead of
//! collecting 429s: a generic cell-rate limiter per key (a Slack channel, a ClickUp token).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `rate` permits per `per`, with bursts of up to `burst`, for each key separately.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    tolerance: Duration,
    /// Per key: the theoretical time the next permit is due.
    due: Mutex<HashMap<String, Instant>>,
}

impl RateLimiter {
    /// `rate` permits every `per` (at least one), allowing `burst` at once.
    pub fn new(rate: u32, per: Duration, burst: u32) -> Self {
        let interval = per / rate.max(1);
        RateLimiter {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            due: Mutex::new(HashMap::new()),
        }
    }

    /// Waits until a permit for `key` is free, then takes it.
    pub async fn acquire(&self, key: &str) {
        let wait = {
            let now = Instant::now();
            let mut due = self.due.lock().unwrap_or_else(|p| p.into_inner());
            let next = due.entry(key.to_owned()).or_insert(now);
            let start = (*next).max(now);
            *next = start + self.interval;
            (start - now).saturating_sub(self.tolerance)
        };
        if !wait.is_zero() {
            metrics::counter!("negotiator_rate_limited_waits_total").increment(1);
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_calls_per_key_after_the_burst() {
        let limiter = RateLimiter::new(1, Duration::from_secs(1), 2);
        let start = Instant::now();
        for _ in 0..4 {
            limiter.acquire("#deals").await;
        }
        // Two at once, then one a second.
        assert!(
            start.elapsed() >= Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        let other = Instant::now();
        limiter.acquire("#errors").await;
        assert!(
            other.elapsed() < Duration::from_millis(10),
            "keys are independent"
        );
    }
}
