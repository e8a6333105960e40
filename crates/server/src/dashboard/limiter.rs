//! Sign-in attempts, limited per name and per address: after too many failures in a window,
//! further attempts are refused until it passes, whatever the password.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failures one name may have in a window.
pub const PER_NAME: u32 = 5;
/// Failures one address may have in a window (several people may share an office address).
pub const PER_ADDRESS: u32 = 20;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Counts failed sign-ins. Cheap to clone; the clones share the counts.
#[derive(Clone, Debug, Default)]
pub struct Limiter {
    failures: Arc<Mutex<HashMap<Key, (u32, Instant)>>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Name(String),
    Address(IpAddr),
}

impl Limiter {
    fn keys(name: &str, address: Option<IpAddr>) -> Vec<(Key, u32)> {
        let mut keys = vec![(Key::Name(name.trim().to_lowercase()), PER_NAME)];
        if let Some(ip) = address {
            keys.push((Key::Address(ip), PER_ADDRESS));
        }
        keys
    }

    /// When attempts for `name` from `address` may resume, if they are held back now.
    pub fn blocked(&self, name: &str, address: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        Self::keys(name, address)
            .into_iter()
            .filter_map(|(key, limit)| {
                let (count, since) = failures.get(&key)?;
                let ends = *since + WINDOW;
                (*count >= limit && ends > now).then(|| ends - now)
            })
            .max()
    }

    /// Counts a failure.
    pub fn failed(&self, name: &str, address: Option<IpAddr>, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget windows that have passed, so the map stays small.
        failures.retain(|_, (_, since)| *since + WINDOW > now);
        for (key, _) in Self::keys(name, address) {
            let entry = failures.entry(key).or_insert((0, now));
            entry.0 += 1;
        }
    }

    /// A success clears the name's count (not the address's).
    pub fn succeeded(&self, name: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(&Key::Name(name.trim().to_lowercase()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_held_back_after_its_failures_and_others_are_not() {
        let limiter = Limiter::default();
        let now = Instant::now();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..PER_NAME {
            assert!(limiter.blocked("pat", Some(ip), now).is_none());
            limiter.failed("Pat", Some(ip), now);
        }
        assert!(limiter.blocked("pat", Some(ip), now).is_some());
        assert!(limiter.blocked("sam", Some(ip), now).is_none());
        assert!(limiter.blocked("pat", Some(ip), now + WINDOW).is_none());
    }

    #[test]
    fn an_address_is_held_back_after_its_failures_across_names() {
        let limiter = Limiter::default();
        let now = Instant::now();
        let ip: IpAddr = [10, 0, 0, 9].into();
        for i in 0..PER_ADDRESS {
            limiter.failed(&format!("user{i}"), Some(ip), now);
        }
        assert!(limiter.blocked("someone-new", Some(ip), now).is_some());
        assert!(limiter.blocked("someone-new", None, now).is_none());
    }
}
