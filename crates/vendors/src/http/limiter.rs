//! Client-side rate limiting, so the agent stays under each vendor's quota instead of
//! collecting 429s: a generic cell-rate limiter per key (a Slack channel, a ClickUp token).
//! Callers never queue up behind a key: one at a time may wait briefly for its permit, and
//! everyone else is told how long until a permit frees up, to come back then (a job worker puts
//! its job back in the queue instead of sleeping).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::error::VendorError;

/// The longest [`RateLimiter::acquire`] sleeps for a permit; a longer wait is handed back.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// At most `rate` permits per `per`, with bursts of up to `burst`, for each key separately.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    tolerance: Duration,
    keys: Mutex<HashMap<String, KeyState>>,
}

#[derive(Clone, Copy, Debug)]
struct KeyState {
    /// The theoretical time the next permit is due.
    due: Instant,
    /// Until when a caller is sleeping for its permit; no second caller waits meanwhile.
    waiter_until: Instant,
}

impl RateLimiter {
    /// `rate` permits every `per` (at least one), allowing `burst` at once.
    pub fn new(rate: u32, per: Duration, burst: u32) -> Self {
        let interval = per / rate.max(1);
        RateLimiter {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a permit for `key` if one is free now. Otherwise takes nothing and returns how
    /// long until one is.
    pub fn try_acquire(&self, key: &str) -> Result<(), Duration> {
        self.reserve(key, 1, Duration::ZERO).map(|_| ())
    }

    /// Takes `units` permits for `key` (a call may cost several quota units), sleeping for
    /// them when they free up within a second and no other caller is already waiting for
    /// this key. Otherwise takes nothing and returns how long until they are free.
    pub async fn acquire(&self, key: &str, units: u32) -> Result<(), Duration> {
        let wait = self.reserve(key, units, MAX_WAIT)?;
        if !wait.is_zero() {
            metrics::counter!("negotiator_rate_limited_waits_total").increment(1);
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }

    /// [`RateLimiter::acquire`] for a call to `service`: a wait too long to sleep becomes a
    /// [`Throttled`](super::ErrorKind::Throttled) error, so the call is made later instead of
    /// holding its caller.
    pub async fn permit(
        &self,
        service: &'static str,
        key: &str,
        units: u32,
    ) -> Result<(), VendorError> {
        self.acquire(key, units)
            .await
            .map_err(|wait| VendorError::throttled(service, wait))
    }

    /// Reserves `units` permits if they are free within `max_wait` (and no one else waits for
    /// `key`), returning the wait; otherwise reserves nothing and returns the wait as the error.
    fn reserve(&self, key: &str, units: u32, max_wait: Duration) -> Result<Duration, Duration> {
        let now = Instant::now();
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        let state = keys.entry(key.to_owned()).or_insert(KeyState {
            due: now,
            waiter_until: now,
        });
        let start = state.due.max(now);
        let last = start + self.interval * units.max(1).saturating_sub(1);
        let wait = (last - now).saturating_sub(self.tolerance);
        if !wait.is_zero() && (wait > max_wait || state.waiter_until > now) {
            return Err(wait);
        }
        state.due = last + self.interval;
        state.waiter_until = now + wait;
        Ok(wait)
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
            limiter.acquire("#deals", 1).await.unwrap();
        }
        // Two at once, then one a second.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let other = Instant::now();
        limiter.acquire("#errors", 1).await.unwrap();
        assert_eq!(other.elapsed(), Duration::ZERO, "keys are independent");
    }

    #[tokio::test(start_paused = true)]
    async fn try_acquire_never_waits_and_takes_nothing_when_refused() {
        let limiter = RateLimiter::new(1, Duration::from_secs(10), 2);
        assert_eq!(limiter.try_acquire("clickup"), Ok(()));
        assert_eq!(limiter.try_acquire("clickup"), Ok(()));
        // The burst is spent: the next permit is due in 10 s, and asking again changes nothing.
        assert_eq!(limiter.try_acquire("clickup"), Err(Duration::from_secs(10)));
        tokio::time::advance(Duration::from_secs(4)).await;
        assert_eq!(limiter.try_acquire("clickup"), Err(Duration::from_secs(6)));
        assert_eq!(limiter.try_acquire("slack"), Ok(()), "keys are independent");
        tokio::time::advance(Duration::from_secs(6)).await;
        assert_eq!(limiter.try_acquire("clickup"), Ok(()));
        assert_eq!(limiter.try_acquire("clickup"), Err(Duration::from_secs(10)));
    }

    #[tokio::test(start_paused = true)]
    async fn acquire_hands_back_long_waits_and_lets_one_caller_wait_at_a_time() {
        let limiter = RateLimiter::new(2, Duration::from_secs(1), 1);
        limiter.acquire("gmail", 1).await.unwrap();
        // The next permit is 500 ms away: one caller may wait for it...
        let waiting = limiter.reserve("gmail", 1, MAX_WAIT);
        assert_eq!(waiting, Ok(Duration::from_millis(500)));
        // ...but a second is told to come back after it, not queued behind it.
        assert_eq!(
            limiter.acquire("gmail", 1).await,
            Err(Duration::from_secs(1))
        );
        // A wait over the maximum is handed back even when no one waits.
        let strict = RateLimiter::new(1, Duration::from_secs(5), 1);
        strict.acquire("sheets", 1).await.unwrap();
        assert_eq!(
            strict.acquire("sheets", 1).await,
            Err(Duration::from_secs(5))
        );
        // Several units are taken together or not at all.
        let units = RateLimiter::new(10, Duration::from_secs(1), 10);
        assert_eq!(units.acquire("u", 10).await, Ok(()));
        assert_eq!(
            units.acquire("u", 15).await,
            Err(Duration::from_millis(1_500))
        );
        assert_eq!(units.acquire("u", 1).await, Ok(()));
    }
}
