//! Google's public signing keys (a JWKS), fetched from a configurable URL and cached for as
//! long as its `Cache-Control: max-age` says; fetched again for a key id it does not hold (a
//! rotation), but such refetches at most once per [`REFETCH_GAP`], so forged key ids cannot
//! make every request a fetch.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::CACHE_CONTROL;
use ring::signature::RsaPublicKeyComponents;
use serde::Deserialize;

use crate::http::{ErrorKind, HttpClient, VendorError};

/// Where Google publishes the keys that sign its OIDC tokens (JWK form).
pub const GOOGLE_CERTS_URL: &str = "https://www.googleapis.com/oauth2/v3/certs";
const SERVICE: &str = "Google certs";
/// Keys kept when the answer names no max-age.
const DEFAULT_MAX_AGE: Duration = Duration::from_secs(3600);
/// The least time between two fetches for an unknown key id.
pub const REFETCH_GAP: Duration = Duration::from_secs(30);

/// One RSA public key.
pub(super) type PublicKey = RsaPublicKeyComponents<Vec<u8>>;

#[derive(Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Deserialize)]
struct Jwk {
    kid: Option<String>,
    kty: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

struct Held {
    keys: HashMap<String, Arc<PublicKey>>,
    fetched: Instant,
    max_age: Duration,
    /// When a key id it lacked last caused a fetch.
    unknown_refetch: Option<Instant>,
}

/// The cached key set. Cheap to share.
#[derive(Debug)]
pub struct KeyCache {
    http: HttpClient,
    url: String,
    held: tokio::sync::Mutex<Option<Held>>,
    fetches: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Held")
            .field("kids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl KeyCache {
    /// Keys from `url` (normally [`GOOGLE_CERTS_URL`]).
    pub fn new(url: &str) -> Result<Self, VendorError> {
        Ok(KeyCache {
            http: HttpClient::new(SERVICE, Duration::from_secs(10))?,
            url: url.to_owned(),
            held: tokio::sync::Mutex::new(None),
            fetches: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// How many times the key set was fetched (for `/metrics` and tests).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The key `kid`, fetching the set when the cached one is stale or lacks it (the latter at
    /// most once per [`REFETCH_GAP`]). `Ok(None)`: Google has no such key.
    pub(super) async fn key(&self, kid: &str) -> Result<Option<Arc<PublicKey>>, VendorError> {
        let mut held = self.held.lock().await;
        let mut unknown_refetch = None;
        let fetch = match held.as_ref() {
            None => true,
            Some(h) if h.fetched.elapsed() >= h.max_age => true,
            Some(h) if !h.keys.contains_key(kid) => {
                let allowed = h
                    .unknown_refetch
                    .is_none_or(|at| at.elapsed() >= REFETCH_GAP);
                unknown_refetch = allowed.then(Instant::now);
                allowed
            }
            Some(_) => false,
        };
        if fetch {
            match self.fetch().await {
                Ok(mut fresh) => {
                    fresh.unknown_refetch =
                        unknown_refetch.or_else(|| held.as_ref().and_then(|h| h.unknown_refetch));
                    *held = Some(fresh);
                }
                // Stale keys still verify until Google answers again.
                Err(error) if held.is_some() => {
                    tracing::warn!(%error, "could not refresh Google's signing keys; using the cached ones");
                }
                Err(error) => return Err(error),
            }
        }
        Ok(held.as_ref().and_then(|h| h.keys.get(kid).cloned()))
    }

    async fn fetch(&self) -> Result<Held, VendorError> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let answer = self.http.send(self.http.inner().get(&self.url)).await?;
        let max_age = answer
            .headers
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .and_then(max_age)
            .unwrap_or(DEFAULT_MAX_AGE);
        let jwks: Jwks = self.http.decode(&answer.body)?;
        let mut keys = HashMap::new();
        for jwk in jwks.keys {
            if jwk.kty.as_deref().is_some_and(|k| k != "RSA") {
                continue;
            }
            let (Some(kid), Some(n), Some(e)) = (jwk.kid, jwk.n, jwk.e) else {
                continue;
            };
            let (Ok(n), Ok(e)) = (
                URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')),
                URL_SAFE_NO_PAD.decode(e.trim_end_matches('=')),
            ) else {
                continue;
            };
            keys.insert(kid, Arc::new(RsaPublicKeyComponents { n, e }));
        }
        if keys.is_empty() {
            return Err(VendorError::new(
                SERVICE,
                ErrorKind::Decode,
                format!("{} holds no usable RSA key", self.url),
            ));
        }
        Ok(Held {
            keys,
            fetched: Instant::now(),
            max_age,
            unknown_refetch: None,
        })
    }
}

/// `max-age=N` of a Cache-Control value.
fn max_age(value: &str) -> Option<Duration> {
    value.split(',').find_map(|part| {
        let (name, seconds) = part.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| seconds.trim().parse().ok().map(Duration::from_secs))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(
            max_age("public, max-age=23055, must-revalidate, no-transform"),
            Some(Duration::from_secs(23055))
        );
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }
}
