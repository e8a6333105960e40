//! ClickUp form submissions end to end: a signed `taskCreated` delivery to the router, the job
//! fetching the task from a fake ClickUp (every custom-field type), and the opening offers in
//! the local mailbox; plus duplicates, forged deliveries, missing fields and an outage.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::SignedDuration;
use negotiator_adapters::campaign_source::ClickUpSource;
use negotiator_adapters::config::{ClickUpConfig, Config};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::notify::TerminalNotifier;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::{Agent, Worker};
use negotiator_server::Server;
use negotiator_store::{AuditFilter, EventType, JobStatus, Store, list_campaigns};
use negotiator_vendors::clickup::{ClickUpClient, sign};
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::{Value, json};
use tower::ServiceExt;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FORM_TASK: &str = negotiator_testkit::fixtures::CLICKUP_FORM_TASK;
const TASK_ID: &str = "86b2x7k1q";
const ROSTER: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
";

fn mapping() -> std::collections::BTreeMap<String, String> {
    [
        ("Client Name", "client_name"),
        ("Campaign Budget", "budget"),
        ("Primary Platform", "platform"),
        (
            "Target Deliverables per Influencer (select all that apply)",
            "deliverables",
        ),
        ("CPM Target - Numerical value ($20-$50)", "cpm_target"),
        (
            "CPM Leniency - Numerical value (0-100%)",
            "cpm_leniency_pct",
        ),
        ("Influencers to contact", "influencers"),
        ("Content goes live", "timeline"),
        ("Sending mode", "mode"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// The form task in auto mode (the fixture asks for review), optionally without some fields.
fn task(without: &[&str]) -> Value {
    let text = FORM_TASK.replace(
        "\"value\": \"77aa0001-0000-4000-8000-00000000000b\"",
        "\"value\": \"77aa0001-0000-4000-8000-00000000000a\"",
    );
    let mut task: Value = serde_json::from_str(&text).unwrap();
    let fields = task["custom_fields"].as_array_mut().unwrap();
    fields.retain(|f| !without.contains(&f["name"].as_str().unwrap()));
    task
}

struct Setup {
    _dir: tempfile::TempDir,
    paths: LocalPaths,
    clickup: MockServer,
    clock: Arc<ManualClock>,
    agent: Agent,
    app: axum::Router,
    secret: Secret,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(&paths.roster, ROSTER).unwrap();
    let clickup = MockServer::start().await;
    let secret = Secret::new("whsec-test-0123456789");
    let mut config = Config {
        agent: negotiator_agent::Settings::demo(),
        ..Config::default()
    };
    config.server.bind = "127.0.0.1:0".to_owned();
    config.local.data_dir = dir.path().to_owned();
    config.clickup = Some(ClickUpConfig {
        field_mapping: mapping(),
        base_url: Some(clickup.uri()),
        ..ClickUpConfig::default()
    });
    config.secrets.clickup_webhook_secret = Some(secret.clone());
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let mut adapters = paths.adapters(false).unwrap();
    let client = ClickUpClient::new(
        &clickup.uri(),
        Secret::new("pk_test_token"),
        std::time::Duration::from_secs(5),
    )
    .unwrap()
    .with_retry(RetryPolicy::immediate(3));
    adapters.campaign_source = Some(Arc::new(ClickUpSource {
        client,
        field_mapping: mapping(),
    }));
    let clock = Arc::new(ManualClock::new("2026-11-02T09:00:00Z".parse().unwrap()));
    let agent = Agent::new(store, adapters, config.agent.clone(), clock.clone());
    let server = Server::bind(agent.clone(), Arc::new(config)).await.unwrap();
    let app = negotiator_server::router(server.state().clone());
    Setup {
        _dir: dir,
        paths,
        clickup,
        clock,
        agent,
        app,
        secret,
    }
}

fn delivery(task_id: &str, history_id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "event": "taskCreated",
        "task_id": task_id,
        "webhook_id": "7fa3ec74-69a8-4530-a251-8a13730bd204",
        "history_items": [{"id": history_id, "type": 1, "date": "1642734631523",
                           "field": "status", "parent_id": "901100200300",
                           "user": {"id": 183, "username": "Form Bot"}}]
    }))
    .unwrap()
}

impl Setup {
    async fn post(&self, body: Vec<u8>, signature: Option<String>) -> (StatusCode, Value) {
        let mut request =
            Request::post("/webhooks/clickup").header("content-type", "application/json");
        if let Some(signature) = signature {
            request = request.header("X-Signature", signature);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn deliver(&self, task_id: &str, history_id: &str) -> (StatusCode, Value) {
        let body = delivery(task_id, history_id);
        let signature = sign(&self.secret, &body);
        self.post(body, Some(signature)).await
    }

    async fn serve_task(&self, task: Value) {
        Mock::given(method("GET"))
            .and(path(format!("/api/v2/task/{TASK_ID}")))
            .and(header("authorization", "pk_test_token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(task))
            .mount(&self.clickup)
            .await;
    }

    async fn work(&self) {
        Worker::new(self.agent.clone())
            .run_until_idle(|_| {})
            .await
            .unwrap();
    }

    fn outbox(&self) -> Vec<String> {
        std::fs::read_dir(self.paths.mail.join("outbox"))
            .map(|d| {
                d.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn notices(&self, kind: NoticeKind) -> Vec<negotiator_agent::ports::notifier::Notice> {
        TerminalNotifier::read_all(&self.paths.notices)
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect()
    }
}

#[tokio::test]
async fn a_signed_form_submission_starts_its_campaign_and_the_offers_go_out() {
    let s = setup().await;
    s.serve_task(task(&[])).await;
    let (status, body) = s.deliver(TASK_ID, "2800763136717140857").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "accepted");
    s.work().await;

    let campaigns = list_campaigns(s.agent.store.db()).await.unwrap();
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0].campaign_id, TASK_ID);
    assert_eq!(campaigns[0].source, "clickup");
    let outbox = s.outbox();
    // Jane and Raj are in the roster; Mia Chen is not, and the team hears about her.
    assert_eq!(outbox.len(), 2, "{outbox:?}");
    // $30 CPM target on 50k views: $1,500.00.
    assert!(
        outbox
            .iter()
            .any(|e| e.contains("jane@creator.example") && e.contains("$1,500.00"))
    );
    let missing = s.notices(NoticeKind::InfluencerMissing);
    assert_eq!(missing.len(), 1);
    assert!(missing[0].summary.contains("Mia Chen"));
    assert_eq!(s.notices(NoticeKind::CampaignStarted).len(), 1);
}

#[tokio::test]
async fn repeated_deliveries_never_start_a_campaign_twice() {
    let s = setup().await;
    s.serve_task(task(&[])).await;
    assert_eq!(s.deliver(TASK_ID, "1").await.1["status"], "accepted");
    // The same delivery retried, and a second delivery for the same task.
    assert_eq!(s.deliver(TASK_ID, "1").await.1["status"], "duplicate");
    assert_eq!(s.deliver(TASK_ID, "2").await.1["status"], "duplicate");
    s.work().await;
    assert_eq!(s.outbox().len(), 2);
    assert_eq!(list_campaigns(s.agent.store.db()).await.unwrap().len(), 1);
    assert_eq!(
        s.clickup.received_requests().await.unwrap().len(),
        1,
        "fetched once"
    );
}

#[tokio::test]
async fn forged_and_malformed_deliveries_are_refused_and_nothing_is_queued() {
    let s = setup().await;
    let body = delivery(TASK_ID, "1");
    let (status, refused) = s.post(body.clone(), None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "never 401: ClickUp suspends the webhook on it"
    );
    assert!(refused["error"].as_str().unwrap().contains("X-Signature"));
    let forged = sign(&Secret::new("someone-else"), &body);
    assert_eq!(
        s.post(body.clone(), Some(forged)).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.post(body, Some("zz".into())).await.0,
        StatusCode::FORBIDDEN
    );

    let garbage = b"{not json".to_vec();
    let signature = sign(&s.secret, &garbage);
    let (status, body) = s.post(garbage, Some(signature)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("not a ClickUp webhook event")
    );

    let other = serde_json::to_vec(&json!({"event": "taskUpdated", "task_id": TASK_ID})).unwrap();
    let signature = sign(&s.secret, &other);
    let (status, body) = s.post(other, Some(signature)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ignored");

    let jobs = s.agent.store.list_jobs(None, 10).await.unwrap();
    assert!(jobs.is_empty(), "{jobs:?}");
}

#[tokio::test]
async fn a_campaign_missing_its_cpm_target_is_not_started_and_the_team_is_told_why() {
    let s = setup().await;
    s.serve_task(task(&["CPM Target - Numerical value ($20-$50)"]))
        .await;
    assert_eq!(s.deliver(TASK_ID, "1").await.0, StatusCode::OK);
    s.work().await;
    assert!(s.outbox().is_empty(), "nothing is sent at $0");
    assert!(list_campaigns(s.agent.store.db()).await.unwrap().is_empty());
    let rejected = s.notices(NoticeKind::CampaignRejected);
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0].fields.iter().any(|(f, _)| f == "cpm_target"),
        "{:?}",
        rejected[0].fields
    );
    let filter = AuditFilter {
        event_type: Some(EventType::CampaignRejected),
        ..AuditFilter::default()
    };
    let audit = s.agent.store.audit_entries(&filter).await.unwrap();
    assert_eq!(audit[0].campaign_id.as_deref(), Some(TASK_ID));
}

#[tokio::test]
async fn a_clickup_outage_is_retried_then_parked_and_replayed_once_it_recovers() {
    let s = setup().await;
    // Every attempt fails while ClickUp is down...
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/task/{TASK_ID}")))
        .respond_with(ResponseTemplate::new(503).set_body_string("{\"err\":\"down\"}"))
        .up_to_n_times(12)
        .with_priority(1)
        .mount(&s.clickup)
        .await;
    // ...and once it is back, the task is there.
    s.serve_task(task(&[])).await;
    assert_eq!(s.deliver(TASK_ID, "1").await.0, StatusCode::OK);
    for _ in 0..6 {
        s.work().await;
        s.clock.advance(SignedDuration::from_mins(10));
    }
    let failed = s
        .agent
        .store
        .list_jobs(Some(JobStatus::Failed), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 1, "parked, not dropped");
    assert_eq!(failed[0].kind, "ingest_clickup");
    assert!(
        failed[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("ClickUp is unavailable")
    );
    assert_eq!(
        s.clickup.received_requests().await.unwrap().len(),
        12,
        "4 attempts × 3 calls"
    );
    assert!(s.outbox().is_empty());
    let errors = s.notices(NoticeKind::Error);
    assert_eq!(errors.len(), 1, "one message for the outage");
    assert!(
        errors[0].summary.contains("jobs retry"),
        "{}",
        errors[0].summary
    );

    // `negotiator jobs retry` after the outage: the campaign starts.
    s.agent.store.retry(failed[0].job_id).await.unwrap();
    // The retry is queued for the wall-clock now; let the test's clock catch up with it.
    s.clock.set(
        jiff::Timestamp::now()
            .checked_add(SignedDuration::from_secs(1))
            .unwrap(),
    );
    s.work().await;
    assert_eq!(s.outbox().len(), 2);
}
