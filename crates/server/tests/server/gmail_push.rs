//! Gmail push end to end: Pub/Sub deliveries to the router, their OIDC tokens checked against a
//! fake of Google's published keys, the read job reading a fake Gmail from the stored cursor;
//! duplicates, forged and expired tokens, key rotation, the shared-secret alternative, watch
//! renewal, and polling's fallback when pushes stop.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::SignedDuration;
use negotiator_adapters::config::{Config, GmailPushConfig};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::mailbox::gmail::GmailMailbox;
use negotiator_adapters::notify::TerminalNotifier;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::push::{ReadMode, read_mode, start_watch};
use negotiator_agent::{Agent, Worker};
use negotiator_server::Server;
use negotiator_server::push_auth::PushAuth;
use negotiator_store::{JobStatus, Store};
use negotiator_testkit::fakes::gmail::{FakeGmail, MessageIds};
use negotiator_testkit::fakes::google_certs::{
    FIRST_KID, GoogleCerts, PUSH_AUDIENCE, PUSH_EMAIL, ROTATED_KID, push_body,
};
use negotiator_vendors::Secret;
use serde_json::{Value, json};
use tower::ServiceExt;

const TOPIC: &str = "projects/agency-project/topics/gmail-push";
const FALLBACK_SECS: u64 = 1800;

struct PushApp {
    _dir: tempfile::TempDir,
    paths: LocalPaths,
    clock: Arc<ManualClock>,
    agent: Agent,
    app: axum::Router,
    gmail: FakeGmail,
    certs: GoogleCerts,
    user: String,
}

fn push_config(certs: &GoogleCerts) -> GmailPushConfig {
    GmailPushConfig {
        topic: Some(TOPIC.to_owned()),
        audience: Some(PUSH_AUDIENCE.to_owned()),
        service_account_email: Some(PUSH_EMAIL.to_owned()),
        jwks_url: certs.jwks_url(),
        fallback_after_secs: FALLBACK_SECS,
        ..GmailPushConfig::default()
    }
}

async fn setup() -> PushApp {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(&paths.roster, negotiator_testkit::fixtures::ROSTER).unwrap();
    let certs = GoogleCerts::start(3600).await;
    let mut config = Config {
        agent: negotiator_agent::Settings::demo(),
        ..Config::default()
    };
    let user = config.agent.agent_address.clone();
    let gmail = FakeGmail::start(&user, MessageIds::Replaced).await;
    config.server.bind = "127.0.0.1:0".to_owned();
    config.local.data_dir = dir.path().to_owned();
    config.gmail_push = Some(push_config(&certs));
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let mut adapters = paths.adapters(false).unwrap();
    adapters.mailbox = Arc::new(
        GmailMailbox::new(gmail.client(), user.clone(), store.clone()).with_push_topic(TOPIC),
    );
    let clock = Arc::new(ManualClock::new("2026-11-02T09:00:00Z".parse().unwrap()));
    let agent = Agent::new(store, adapters, config.agent.clone(), clock.clone());
    let server = Server::bind(agent.clone(), Arc::new(config)).await.unwrap();
    let app = negotiator_server::router(server.state().clone());
    PushApp {
        _dir: dir,
        paths,
        clock,
        agent,
        app,
        gmail,
        certs,
        user,
    }
}

fn reply(id: &str) -> Vec<u8> {
    format!(
        "Message-ID: <{id}>\r\nFrom: Someone <someone@elsewhere.example>\r\nTo: agent\r\n\
         Subject: Hello\r\nDate: Mon, 02 Nov 2026 09:00:00 +0000\r\n\r\nHi there.\r\n"
    )
    .into_bytes()
}

impl PushApp {
    async fn post(&self, uri: &str, token: Option<&str>, body: Vec<u8>) -> (StatusCode, Value) {
        post(&self.app, uri, token, body).await
    }

    async fn push(&self, token: Option<&str>, message_id: &str) -> (StatusCode, Value) {
        let body = push_body(&self.user, self.gmail.history_id(), message_id);
        self.post("/webhooks/gmail", token, body).await
    }

    async fn jobs(&self, kind: &str) -> Vec<negotiator_store::Job> {
        self.agent
            .store
            .list_jobs(None, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|j| j.kind == kind)
            .collect()
    }

    async fn deliveries(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE source = 'gmail'")
            .fetch_one(self.agent.store.pool())
            .await
            .unwrap()
    }

    async fn work(&self) {
        Worker::new(self.agent.clone())
            .run_until_idle(|_| {})
            .await
            .unwrap();
    }

    fn notices(&self, kind: NoticeKind) -> Vec<negotiator_agent::ports::notifier::Notice> {
        TerminalNotifier::read_all(&self.paths.notices)
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect()
    }

    async fn get(&self, uri: &str) -> String {
        let response = self
            .app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    async fn readyz(&self) -> Value {
        serde_json::from_str(&self.get("/readyz").await).unwrap()
    }

    async fn mode(&self) -> ReadMode {
        read_mode(
            &self.agent.store,
            self.agent.now(),
            SignedDuration::from_secs(FALLBACK_SECS as i64),
        )
        .await
        .unwrap()
    }
}

async fn post(
    app: &axum::Router,
    uri: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = Request::post(uri).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_push_delivered_twice_is_stored_once_and_its_mail_read_once() {
    let app = setup().await;
    // The first read starts the cursor at the mailbox's present.
    poll_inbox(&app.agent).await.unwrap();
    app.gmail.deliver(&reply("hello-1@elsewhere.example"), None);

    let token = app.certs.token();
    let (status, body) = app.push(Some(&token), "2070443601311540").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");
    let (status, body) = app.push(Some(&token), "2070443601311540").await;
    assert_eq!(status, StatusCode::OK, "a redelivery is acknowledged too");
    assert_eq!(body["status"], "duplicate");
    assert_eq!(app.deliveries().await, 1);
    assert_eq!(app.jobs("read_mailbox").await.len(), 1);

    app.work().await;
    let inbound = app.jobs("handle_inbound").await;
    assert_eq!(inbound.len(), 1, "the new email is taken in once");
    assert!(
        inbound.iter().all(|j| j.status == JobStatus::Done),
        "{inbound:?}"
    );
    // The keys were fetched once for both pushes.
    assert_eq!(app.certs.fetches(), 1);
}

#[tokio::test]
async fn forged_expired_and_misaddressed_tokens_are_refused_and_store_nothing() {
    let app = setup().await;
    let now = jiff::Timestamp::now().as_second();
    let with = |change: &dyn Fn(&mut Value)| {
        let mut claims = GoogleCerts::claims();
        change(&mut claims);
        app.certs.sign(FIRST_KID, &claims)
    };
    let hs256 = {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.{}",
            b64.encode(json!({"alg": "HS256", "kid": FIRST_KID}).to_string()),
            b64.encode(GoogleCerts::claims().to_string()),
            b64.encode(b"not-a-real-mac")
        )
    };
    let tampered = {
        let token = app.certs.token();
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        parts[1] = with(&|c| c["email"] = json!("attacker@evil.example"))
            .split('.')
            .nth(1)
            .unwrap()
            .to_owned();
        parts.join(".")
    };
    let cases: Vec<(&str, Option<String>, StatusCode, &str)> = vec![
        ("no token", None, StatusCode::UNAUTHORIZED, "Authorization"),
        (
            "expired",
            Some(with(&|c| c["exp"] = json!(now - 600))),
            StatusCode::FORBIDDEN,
            "expired",
        ),
        (
            "wrong audience",
            Some(with(&|c| {
                c["aud"] = json!("https://elsewhere.example/push")
            })),
            StatusCode::FORBIDDEN,
            "audience",
        ),
        (
            "wrong email",
            Some(with(&|c| {
                c["email"] = json!("someone@else.iam.gserviceaccount.com")
            })),
            StatusCode::FORBIDDEN,
            "service account",
        ),
        (
            "unverified email",
            Some(with(&|c| c["email_verified"] = json!(false))),
            StatusCode::FORBIDDEN,
            "not verified",
        ),
        (
            "wrong issuer",
            Some(with(&|c| c["iss"] = json!("https://evil.example"))),
            StatusCode::FORBIDDEN,
            "issued by",
        ),
        (
            "alg none",
            Some(GoogleCerts::unsigned_token()),
            StatusCode::FORBIDDEN,
            "RS256",
        ),
        ("HS256", Some(hs256), StatusCode::FORBIDDEN, "RS256"),
        (
            "claims changed after signing",
            Some(tampered),
            StatusCode::FORBIDDEN,
            "signature",
        ),
        (
            "garbage",
            Some("not.a.jwt".to_owned()),
            StatusCode::FORBIDDEN,
            "JWT",
        ),
    ];
    for (what, token, status, says) in cases {
        let (got, body) = app.push(token.as_deref(), &format!("m-{what}")).await;
        assert_eq!(got, status, "{what}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{what}: {error}");
    }
    assert_eq!(app.deliveries().await, 0, "a refused push stores nothing");
    assert!(app.jobs("read_mailbox").await.is_empty());
    // Within the leeway, a just-expired token still passes.
    let (status, _) = app
        .push(Some(&with(&|c| c["exp"] = json!(now - 5))), "m-leeway")
        .await;
    assert_eq!(status, StatusCode::OK);
    let metrics = app.get("/metrics").await;
    assert!(
        metrics.contains("negotiator_webhooks_refused_total{source=\"gmail\",reason=\"expired\"}"),
        "refusals are counted"
    );
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_and_forged_key_ids_do_not_refetch() {
    let app = setup().await;
    assert_eq!(
        app.push(Some(&app.certs.token()), "m-1").await.0,
        StatusCode::OK
    );
    assert_eq!(app.certs.fetches(), 1);
    app.certs.rotate();
    let rotated = app.certs.sign(ROTATED_KID, &GoogleCerts::claims());
    let (status, body) = app.push(Some(&rotated), "m-2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        app.certs.fetches(),
        2,
        "an unknown kid fetched the keys again"
    );
    // A made-up kid right after: refused without another fetch.
    let forged = {
        let token = app.certs.token();
        let (_, rest) = token.split_once('.').unwrap();
        use base64::Engine;
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"alg": "RS256", "kid": "made-up"}).to_string());
        format!("{header}.{rest}")
    };
    assert_eq!(
        app.push(Some(&forged), "m-3").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.push(Some(&app.certs.token()), "m-4").await.0,
        StatusCode::OK
    );
    assert_eq!(app.certs.fetches(), 2, "never a fetch per request");
}

#[tokio::test]
async fn the_shared_secret_token_on_the_push_url_is_the_alternative() {
    let app = setup().await;
    let config: Arc<Config> = Arc::new(Config {
        agent: negotiator_agent::Settings::demo(),
        ..Config::default()
    });
    let server = Server::bind(app.agent.clone(), config).await.unwrap();
    let mut state = server.state().clone();
    state.push = Some(Arc::new(PushAuth::SharedSecret(Secret::new(
        "push-token-0123456789",
    ))));
    let router = negotiator_server::router(state);
    let body = || push_body(&app.user, 5000, "s-1");
    let (status, _) = post(&router, "/webhooks/gmail", None, body()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(
        &router,
        "/webhooks/gmail?token=push-token-012345678X",
        None,
        body(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post(
        &router,
        "/webhooks/gmail?token=push-token-0123456789",
        None,
        body(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.deliveries().await, 1);
}

#[tokio::test]
async fn the_watch_is_renewed_before_it_lapses_and_a_failed_renewal_is_reported() {
    let app = setup().await;
    start_watch(&app.agent).await.unwrap();
    app.work().await;
    assert_eq!(
        app.gmail.watches(),
        [TOPIC],
        "users.watch was called at start"
    );
    let next = app.jobs("renew_watch").await;
    assert!(
        next.iter().any(|j| j.status == JobStatus::Queued),
        "the next renewal is queued: {next:?}"
    );
    // A day later (the watch lasts seven): renewed.
    app.clock.advance(SignedDuration::from_hours(25));
    app.work().await;
    assert_eq!(app.gmail.watches().len(), 2);

    // Gmail refuses every renewal: retried, then parked and reported.
    app.gmail.fail_watches(100);
    for _ in 0..12 {
        app.clock.advance(SignedDuration::from_hours(25));
        app.work().await;
    }
    let parked = app
        .jobs("renew_watch")
        .await
        .into_iter()
        .filter(|j| j.status == JobStatus::Failed)
        .count();
    assert!(parked >= 1, "a failing renewal is parked");
    let notices = app.notices(NoticeKind::Error);
    assert!(
        notices.iter().any(|n| n.title.contains("renew watch")),
        "{notices:?}"
    );
}

#[tokio::test]
async fn push_silence_falls_back_to_polling_and_readyz_says_which() {
    let app = setup().await;
    assert!(matches!(app.mode().await, ReadMode::Polling { last: None }));
    let readyz = app.readyz().await;
    assert_eq!(readyz["mail"]["reading"], "polling", "{readyz}");

    assert_eq!(
        app.push(Some(&app.certs.token()), "m-1").await.0,
        StatusCode::OK
    );
    assert!(matches!(app.mode().await, ReadMode::Push { .. }));
    let readyz = app.readyz().await;
    assert_eq!(readyz["mail"]["reading"], "push", "{readyz}");

    app.clock
        .advance(SignedDuration::from_secs(FALLBACK_SECS as i64 + 1));
    assert!(matches!(
        app.mode().await,
        ReadMode::Polling { last: Some(_) }
    ));
    let readyz = app.readyz().await;
    assert_eq!(readyz["mail"]["reading"], "polling", "{readyz}");
}
