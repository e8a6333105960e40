//! Google's published signing keys (`/oauth2/v3/certs`, a JWKS with a Cache-Control max-age)
//! on loopback, and the Pub/Sub side of a push: OIDC tokens signed with those keys (two
//! throwaway test keys) and push bodies. Counts the key fetches; can rotate to a new key id.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::lock;
use crate::fixtures::{TEST_OIDC_KEY_2, TEST_SERVICE_ACCOUNT_KEY};

/// The push subscription's service account in tests.
pub const PUSH_EMAIL: &str = "gmail-push@agency-project.iam.gserviceaccount.com";
/// The audience the push subscription is configured with in tests.
pub const PUSH_AUDIENCE: &str = "https://negotiator.agency.example/webhooks/gmail";
/// The key ids the two test keys are published under.
pub const FIRST_KID: &str = "test-kid-1";
pub const ROTATED_KID: &str = "test-kid-2";
const CERTS_PATH: &str = "/oauth2/v3/certs";

/// A test signing key and its id.
struct Key {
    kid: String,
    pair: RsaKeyPair,
}

/// Google's certs endpoint and a Pub/Sub push signer.
pub struct GoogleCerts {
    server: MockServer,
    published: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicU64>,
    keys: Vec<Key>,
}

impl GoogleCerts {
    /// Publishes the first test key under [`FIRST_KID`], cached for `max_age_secs`.
    pub async fn start(max_age_secs: u64) -> Self {
        let server = MockServer::start().await;
        let keys = vec![
            Key {
                kid: FIRST_KID.to_owned(),
                pair: pem_key(TEST_SERVICE_ACCOUNT_KEY),
            },
            Key {
                kid: ROTATED_KID.to_owned(),
                pair: pem_key(TEST_OIDC_KEY_2),
            },
        ];
        let published = Arc::new(Mutex::new(vec![jwk(&keys[0])]));
        let fetches = Arc::new(AtomicU64::new(0));
        Mock::given(method("GET"))
            .and(path(CERTS_PATH))
            .respond_with(Certs {
                published: Arc::clone(&published),
                fetches: Arc::clone(&fetches),
                max_age_secs,
            })
            .mount(&server)
            .await;
        GoogleCerts {
            server,
            published,
            fetches,
            keys,
        }
    }

    /// `[gmail_push] jwks_url` here.
    pub fn jwks_url(&self) -> String {
        format!("{}{CERTS_PATH}", self.server.uri())
    }

    /// How many times the keys were fetched.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// Google rotates: the second key is published beside the first.
    pub fn rotate(&self) {
        lock(&self.published).push(jwk(&self.keys[1]));
    }

    /// A token as Pub/Sub signs it, with `claims` (see [`GoogleCerts::claims`]), signed by the
    /// key published as `kid`.
    pub fn sign(&self, kid: &str, claims: &Value) -> String {
        let key = self
            .keys
            .iter()
            .find(|k| k.kid == kid)
            .unwrap_or_else(|| panic!("no test key {kid}"));
        let header = json!({"alg": "RS256", "kid": kid, "typ": "JWT"});
        let input = format!("{}.{}", part(&header), part(claims));
        let mut signature = vec![0; key.pair.public().modulus_len()];
        key.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// A valid token's claims: for the test audience and service account, expiring in an hour.
    pub fn claims() -> Value {
        let now = jiff::Timestamp::now().as_second();
        json!({
            "iss": "https://accounts.google.com",
            "aud": PUSH_AUDIENCE,
            "azp": "113774264463038321964",
            "email": PUSH_EMAIL,
            "email_verified": true,
            "sub": "113774264463038321964",
            "iat": now,
            "exp": now + 3600,
        })
    }

    /// A valid token signed with the first key.
    pub fn token(&self) -> String {
        self.sign(FIRST_KID, &Self::claims())
    }

    /// An unsigned token (`alg: none`) with valid claims.
    pub fn unsigned_token() -> String {
        format!(
            "{}.{}.",
            part(&json!({"alg": "none", "typ": "JWT"})),
            part(&Self::claims())
        )
    }
}

/// A Pub/Sub push body announcing `history_id` for `email`, as Pub/Sub message `message_id`.
pub fn push_body(email: &str, history_id: u64, message_id: &str) -> Vec<u8> {
    let data = STANDARD
        .encode(json!({"emailAddress": email, "historyId": history_id.to_string()}).to_string());
    json!({
        "message": {
            "data": data,
            "messageId": message_id,
            "message_id": message_id,
            "publishTime": "2026-12-07T10:00:00.000Z",
        },
        "subscription": "projects/agency-project/subscriptions/gmail-push",
    })
    .to_string()
    .into_bytes()
}

fn part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn pem_key(pem: &str) -> RsaKeyPair {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
}

fn jwk(key: &Key) -> Value {
    let public: RsaPublicKeyComponents<Vec<u8>> = key.pair.public().into();
    json!({
        "kty": "RSA",
        "alg": "RS256",
        "use": "sig",
        "kid": key.kid,
        "n": URL_SAFE_NO_PAD.encode(&public.n),
        "e": URL_SAFE_NO_PAD.encode(&public.e),
    })
}

struct Certs {
    published: Arc<Mutex<Vec<Value>>>,
    fetches: Arc<AtomicU64>,
    max_age_secs: u64,
}

impl Respond for Certs {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        ResponseTemplate::new(200)
            .insert_header(
                "cache-control",
                format!(
                    "public, max-age={}, must-revalidate, no-transform",
                    self.max_age_secs
                )
                .as_str(),
            )
            .set_body_json(json!({"keys": *lock(&self.published)}))
    }
}
