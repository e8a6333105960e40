//! The ClickUp client against a local fake answering as ClickUp's API documentation says:
//! tasks, fields, webhooks, rate limits and errors; webhook signatures and delivery bodies.

use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use negotiator_vendors::clickup::{
    ClickUpClient, ClickUpTask, FieldKind, FieldValue, SignatureError, WebhookEvent,
    WebhookRegistration, sign, verify_signature,
};
use negotiator_vendors::{ErrorKind, RetryPolicy, Secret};
use serde_json::{Value, json};
use sha2::Sha256;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pk_4242_ZX9Y8W7V6U5T4S3R2Q1P";

fn client(server: &MockServer) -> ClickUpClient {
    ClickUpClient::new(&server.uri(), Secret::new(TOKEN), Duration::from_secs(5)).unwrap()
}

/// A task as `GET /api/v2/task/{id}` documents it (trimmed to a few fields).
fn task_json() -> Value {
    json!({
        "id": "86b2x7k1q",
        "custom_id": null,
        "name": "Glow Skincare - Spring Launch",
        "status": {"id": "p1", "status": "to do", "color": "#d3d3d3", "orderindex": 0, "type": "open"},
        "orderindex": "1.0000",
        "date_created": "1792510200000",
        "date_updated": "1792510201234",
        "archived": false,
        "creator": {"id": 183, "username": "Form Bot", "color": "#7b68ee", "email": "f@x.example", "profilePicture": null},
        "assignees": [], "watchers": [], "checklists": [], "tags": null,
        "custom_fields": [
            {"id": "f-1", "name": "Client Name", "type": "short_text", "type_config": {},
             "date_created": "1700000000000", "hide_from_guests": false, "value": "Glow Skincare", "required": true},
            {"id": "f-2", "name": "Notes", "type": "text", "type_config": {},
             "date_created": "1700000000000", "hide_from_guests": false, "value": 0},
            {"id": "f-3", "name": "Platform", "type": "drop_down",
             "type_config": {"default": 0, "placeholder": null, "new_drop_down": true, "options": [
                 {"id": "o-ig", "name": "Instagram", "color": "#E1306C", "orderindex": "0"},
                 {"id": "o-tt", "name": "TikTok", "color": "#000000", "orderindex": "1"}]},
             "date_created": "1700000000000", "hide_from_guests": false, "value": 1},
            {"id": "f-4", "name": "Tags", "type": "labels",
             "type_config": {"options": [{"id": "l-1", "label": "Beauty", "color": "#fff"},
                                         {"id": "l-2", "label": "Spring", "color": "#fff"}]},
             "date_created": "1700000000000", "hide_from_guests": false, "value": ["l-2", "l-1"]},
            {"id": "f-5", "name": "Budget", "type": "currency",
             "type_config": {"precision": 2, "currency_type": "USD", "default": null},
             "date_created": "1700000000000", "hide_from_guests": false},
            {"id": "f-6", "name": "Influencer count", "type": "number", "type_config": {}, "value": "8"},
            {"id": "f-7", "name": "Go live", "type": "date", "type_config": {}, "value": "1793610000000"},
            {"id": "f-8", "name": "Rush", "type": "checkbox", "type_config": {}, "value": "true"},
            {"id": "f-9", "name": "Score", "type": "votes", "type_config": {}, "value": {"count": 3}},
            {"id": "f-10", "name": "Website", "type": "url", "type_config": null, "value": null}
        ],
        "team_id": 9011234567_i64,
        "url": "https://app.clickup.com/t/86b2x7k1q",
        "list": {"id": 901100200300_i64, "name": "Campaign intake", "access": true},
        "folder": {"id": "90110001", "name": "hidden", "hidden": true, "access": true},
        "space": {"id": "90110002"}
    })
}

#[tokio::test]
async fn get_task_sends_the_raw_token_and_reads_the_documented_shape() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/86b2x7k1q"))
        .and(header("Authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(task_json()))
        .expect(1)
        .mount(&server)
        .await;
    let task = client(&server).get_task("86b2x7k1q").await.unwrap();
    assert_eq!(task.id, "86b2x7k1q");
    assert_eq!(task.name, "Glow Skincare - Spring Launch");
    assert_eq!(task.team_id.as_deref(), Some("9011234567"));
    assert_eq!(task.list.as_ref().unwrap().id, "901100200300");
    assert_eq!(task.date_created, Some(1_792_510_200_000));
    assert!(task.tags.is_empty());

    let read = |id: &str| task.field_by_id(id).unwrap().read().unwrap();
    assert_eq!(read("f-1"), Some(FieldValue::Text("Glow Skincare".into())));
    assert_eq!(read("f-2"), None, "0 is ClickUp's empty text");
    assert_eq!(read("f-3"), Some(FieldValue::Choice("TikTok".into())));
    assert_eq!(
        read("f-4"),
        Some(FieldValue::Choices(vec!["Spring".into(), "Beauty".into()]))
    );
    assert_eq!(read("f-5"), None, "no value key means unset");
    assert_eq!(read("f-6"), Some(FieldValue::Number("8".into())));
    assert_eq!(read("f-7").unwrap().to_text(), "2026-11-02");
    assert_eq!(read("f-8"), Some(FieldValue::Checkbox(true)));
    assert_eq!(read("f-9"), Some(FieldValue::Other(json!({"count": 3}))));
    assert_eq!(
        task.field_by_id("f-9").unwrap().kind(),
        FieldKind::Other("votes".into())
    );
    assert_eq!(read("f-10"), None);

    let requests = server.received_requests().await.unwrap();
    let auth = requests[0].headers.get("authorization").unwrap();
    assert_eq!(auth.to_str().unwrap(), TOKEN, "no Bearer prefix");
}

#[tokio::test]
async fn a_rate_limit_answer_is_waited_out_then_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"err": "Rate limit reached", "ECODE": "APP_002"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    let started = Instant::now();
    let task = client(&server).get_task("t1").await.unwrap();
    assert_eq!(task.id, "t1");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn clickups_own_reset_header_sets_the_wait_when_there_is_no_retry_after() {
    let server = MockServer::start().await;
    let reset = jiff::Timestamp::now().as_second();
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t2"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "100")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", reset.to_string().as_str()),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t2"})))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server).get_task("t2").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    // A reset far away is handed back to the job queue with the wait, not slept on.
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t3"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Reset", (reset + 90).to_string().as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server).get_task("t3").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert!(
        error.retry_after.unwrap() >= Duration::from_secs(85),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_outage_is_retried_and_a_refused_token_is_not() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t1"))
        .respond_with(ResponseTemplate::new(500).set_body_string("Internal Server Error"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t1"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t2"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"err": "Token invalid", "ECODE": "OAUTH_025"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).with_retry(RetryPolicy::immediate(3));
    assert_eq!(client.get_task("t1").await.unwrap().id, "t1");

    let error = client.get_task("t2").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert_eq!(error.status, Some(401));
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(text.contains("Token invalid (OAUTH_025)"), "{text}");
    assert!(text.contains("CLICKUP_API_TOKEN"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn the_token_never_appears_in_errors_even_when_echoed_back() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t1"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"err": format!("bad header {TOKEN}"), "ECODE": "OAUTH_017"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/task/t2"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("not json {TOKEN}")))
        .mount(&server)
        .await;
    let client = client(&server);
    let rejected = client.get_task("t1").await.unwrap_err();
    assert_eq!(rejected.kind, ErrorKind::Rejected);
    let undecodable = client.get_task("t2").await.unwrap_err();
    assert_eq!(undecodable.kind, ErrorKind::Decode);
    for error in [rejected, undecodable] {
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!text.contains("ZX9Y8W7V6U5T4S3R2Q1P"), "{text}");
        }
    }
    let unreachable = ClickUpClient::new(
        "http://127.0.0.1:9",
        Secret::new(TOKEN),
        Duration::from_secs(1),
    )
    .unwrap()
    .with_retry(RetryPolicy::immediate(1))
    .get_task("t1")
    .await
    .unwrap_err();
    assert_eq!(unreachable.kind, ErrorKind::Connection);
    assert!(!format!("{unreachable} {unreachable:?}").contains(TOKEN));
}

#[tokio::test]
async fn list_fields_and_the_token_check() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/list/901100200300/field"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"fields": [
            {"id": "f-3", "name": "Platform", "type": "drop_down",
             "type_config": {"options": [{"id": "o-ig", "name": "Instagram", "color": null, "orderindex": 0}]},
             "date_created": "1700000000000", "hide_from_guests": false, "required": true},
            {"id": "f-1", "name": "Client Name", "type": "short_text", "type_config": {},
             "date_created": "1700000000000", "hide_from_guests": false}
        ]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"user": {
            "id": 183, "username": "Agency Bot", "email": "bot@agency.example", "color": "#000",
            "profilePicture": null, "initials": "AB", "week_start_day": 0, "global_font_support": false,
            "timezone": "America/New_York"}})))
        .mount(&server)
        .await;
    let client = client(&server);
    let fields = client.list_fields("901100200300").await.unwrap();
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0].kind(), FieldKind::DropDown);
    assert_eq!(fields[0].type_config.options[0].display_name(), "Instagram");
    assert_eq!(fields[0].value, None);
    let user = client.authorized_user().await.unwrap();
    assert_eq!(user.id, "183");
    assert_eq!(user.username.as_deref(), Some("Agency Bot"));
}

fn webhook_json(id: &str, status: &str) -> Value {
    json!({
        "id": id, "userid": 183, "team_id": 9011234567_i64,
        "endpoint": "https://agent.example/webhooks/clickup", "client_id": "QVOQP06ZXC6CMGVFKB0ZT7J9Y7APOYGO",
        "events": ["taskCreated"], "task_id": null, "list_id": 901100200300_i64, "folder_id": null, "space_id": null,
        "health": {"status": status, "fail_count": if status == "active" { 0 } else { 100 }},
        "secret": "O94IM25S7PXBPYTMNXLLET230SRP0S89COR7B1YOJ2ZIE8WQNK5UUKRF4P3CTUM"
    })
}

#[tokio::test]
async fn create_webhook_sends_the_documented_body_and_returns_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/team/9011234567/webhook"))
        .and(header("Authorization", TOKEN))
        .and(body_json(json!({
            "endpoint": "https://agent.example/webhooks/clickup",
            "events": ["taskCreated"],
            "list_id": 901100200300_i64
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "4b67ac88-e506-4a29-9d42-26e504e3435e",
            "webhook": webhook_json("4b67ac88-e506-4a29-9d42-26e504e3435e", "active")
        })))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_webhook(
            "9011234567",
            "https://agent.example/webhooks/clickup",
            &["taskCreated"],
            Some("901100200300"),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "4b67ac88-e506-4a29-9d42-26e504e3435e");
    assert!(created.secret.expose().starts_with("O94IM25S"));
    assert_eq!(created.webhook.list_id.as_deref(), Some("901100200300"));
    assert!(
        !format!("{created:?}").contains("O94IM25S"),
        "the secret is redacted"
    );
}

#[tokio::test]
async fn ensure_webhook_reuses_and_reactivates_instead_of_duplicating() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/team/9011234567/webhook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "webhooks": [webhook_json("w-1", "suspended")]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v2/webhook/w-1"))
        .and(body_json(json!({
            "endpoint": "https://agent.example/webhooks/clickup/",
            "events": ["taskCreated"],
            "status": "active"
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "w-1", "webhook": webhook_json("w-1", "active")})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let (webhook, how) = client(&server)
        .ensure_webhook(
            "9011234567",
            "https://agent.example/webhooks/clickup/",
            &["taskCreated"],
            Some("901100200300"),
        )
        .await
        .unwrap();
    assert_eq!(how, WebhookRegistration::Reactivated);
    assert_eq!(webhook.id, "w-1");
    assert!(webhook.secret.is_some());
}

#[tokio::test]
async fn ensure_webhook_creates_one_when_none_matches_and_survives_a_duplicate_answer() {
    let server = MockServer::start().await;
    // First listing: nothing for this list. After the create: the webhook exists.
    Mock::given(method("GET"))
        .and(path("/api/v2/team/1/webhook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"webhooks": []})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/team/1/webhook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "webhooks": [webhook_json("w-2", "active")]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/team/1/webhook"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "err": "Webhook configuration already exists", "ECODE": "OAUTH_171"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (webhook, how) = client(&server)
        .ensure_webhook(
            "1",
            "https://agent.example/webhooks/clickup",
            &["taskCreated"],
            Some("901100200300"),
        )
        .await
        .unwrap();
    assert_eq!(how, WebhookRegistration::Existing);
    assert_eq!(webhook.id, "w-2");
}

// --- Signatures -------------------------------------------------------------------------

/// The documented `taskCreated` delivery, compact, as ClickUp sends it.
const DELIVERY: &str = r#"{"event":"taskCreated","history_items":[{"id":"2800763136700363640","type":1,"date":"1642734631523","field":"task_creation","parent_id":"162641062","data":{},"source":null,"user":{"id":183,"username":"John"},"before":null,"after":null}],"task_id":"1vj37mc","webhook_id":"7fa3ec74-69a8-4530-a251-8a13730bd204"}"#;
const DELIVERY_SECRET: &str = "Z3XJ7CBF0KQ2WSRD9LH1";
/// HMAC-SHA256(DELIVERY_SECRET, DELIVERY), computed once with Python's `hmac` module.
const DELIVERY_SIGNATURE: &str = "22f5d5e765b252c375e567da2aca7cff384838695640c2294e2c5fb3cede554e";

/// The same computation, done here with the `hmac` and `sha2` crates directly.
fn independent_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn signatures_match_an_independent_computation_and_written_down_vectors() {
    let secret = Secret::new(DELIVERY_SECRET);
    let body = DELIVERY.as_bytes();
    assert_eq!(independent_hmac(DELIVERY_SECRET, body), DELIVERY_SIGNATURE);
    assert_eq!(sign(&secret, body), DELIVERY_SIGNATURE);
    assert_eq!(
        verify_signature(&secret, body, Some(DELIVERY_SIGNATURE.as_bytes())),
        Ok(())
    );

    // The vector from the API notes (key `secret`), and the same body re-serialized with
    // spaces, which is a different signature: verification must use the raw bytes.
    let notes = Secret::new("secret");
    let compact = br#"{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}"#;
    let spaced = br#"{"webhook_id": "7689a169-a000-4985-8676-6902b96d6627", "event": "taskCreated", "task_id": "c0j"}"#;
    let compact_signature = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c";
    assert_eq!(
        verify_signature(&notes, compact, Some(compact_signature.as_bytes())),
        Ok(())
    );
    assert_eq!(
        sign(&notes, spaced),
        "8841dcb362edbfab793d4e78006395ed40242c9e990ce09fa533e6ab59d98152"
    );
    assert_eq!(
        verify_signature(&notes, spaced, Some(compact_signature.as_bytes())),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn a_bad_signature_says_why() {
    let secret = Secret::new(DELIVERY_SECRET);
    let body = DELIVERY.as_bytes();
    assert_eq!(
        verify_signature(&secret, body, None),
        Err(SignatureError::Missing)
    );
    assert_eq!(
        verify_signature(&secret, body, Some(b"")),
        Err(SignatureError::Missing)
    );
    // The docs' sample header is 27 hex characters: a placeholder, not a signature.
    assert_eq!(
        verify_signature(&secret, body, Some(b"f7bc83f430538424b13298e6aa6")),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verify_signature(
            &secret,
            body,
            Some(format!("sha256={DELIVERY_SIGNATURE}").as_bytes())
        ),
        Err(SignatureError::Malformed)
    );
    let mut tampered = DELIVERY.to_owned().into_bytes();
    tampered[30] ^= 1;
    assert_eq!(
        verify_signature(&secret, &tampered, Some(DELIVERY_SIGNATURE.as_bytes())),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify_signature(
            &Secret::new("another secret"),
            body,
            Some(DELIVERY_SIGNATURE.as_bytes())
        ),
        Err(SignatureError::Mismatch)
    );
    let advice = SignatureError::Mismatch.to_string();
    assert!(advice.contains("CLICKUP_WEBHOOK_SECRET"), "{advice}");
    assert!(!advice.contains(DELIVERY_SECRET));
}

// --- Delivery bodies --------------------------------------------------------------------

#[test]
fn the_documented_task_created_delivery_parses() {
    let documented = json!({
        "event": "taskCreated",
        "history_items": [
            {"id": "2800763136717140857", "type": 1, "date": "1642734631523", "field": "status",
             "parent_id": "162641062", "data": {"status_type": "open"}, "source": null,
             "user": {"id": 183, "username": "John", "email": "john@x.example", "color": "#7b68ee", "initials": "J", "profilePicture": null},
             "before": {"status": null, "color": "#000000", "type": "removed", "orderindex": -1},
             "after": {"status": "to do", "color": "#f9d900", "orderindex": 0, "type": "open"}},
            {"id": "2800763136700363640", "type": 1, "date": "1642734631523", "field": "task_creation",
             "parent_id": "162641062", "data": {}, "source": null, "user": {"id": 183},
             "before": null, "after": null}
        ],
        "task_id": "1vj37mc",
        "webhook_id": "7fa3ec74-69a8-4530-a251-8a13730bd204",
        "something_new": {"nested": [1, 2, 3]}
    });
    let event = WebhookEvent::parse(documented.to_string().as_bytes()).unwrap();
    assert!(event.is_task_created());
    assert_eq!(event.task_id.as_deref(), Some("1vj37mc"));
    assert_eq!(
        event.webhook_id.as_deref(),
        Some("7fa3ec74-69a8-4530-a251-8a13730bd204")
    );
    assert_eq!(event.history_items.len(), 2);
    assert_eq!(event.history_items[0].date, Some(1_642_734_631_523));
    assert_eq!(
        event.history_items[1].user.as_ref().unwrap().id.as_deref(),
        Some("183")
    );
    assert_eq!(event.list_id(), Some("162641062"));
    assert_eq!(
        event.delivery_key(),
        "7fa3ec74-69a8-4530-a251-8a13730bd204:taskCreated:2800763136717140857"
    );
    // The taskStatusUpdated sent for the same creation carries the same history item but
    // gets its own key.
    let mut status = documented.clone();
    status["event"] = json!("taskStatusUpdated");
    let status = WebhookEvent::parse(status.to_string().as_bytes()).unwrap();
    assert!(!status.is_task_created());
    assert_ne!(status.delivery_key(), event.delivery_key());
}

#[test]
fn sparse_and_odd_deliveries_parse_or_say_what_is_wrong() {
    let sparse =
        WebhookEvent::parse(br#"{"event":"taskCreated","task_id":"task_abc123"}"#).unwrap();
    assert_eq!(sparse.webhook_id, None);
    assert!(sparse.history_items.is_empty());
    assert_eq!(sparse.delivery_key(), "-:taskCreated:task:task_abc123");
    let numeric = WebhookEvent::parse(
        br#"{"event":"taskUpdated","task_id":12345,"webhook_id":"w","history_items":null}"#,
    )
    .unwrap();
    assert_eq!(numeric.task_id.as_deref(), Some("12345"));
    let error = WebhookEvent::parse(br#"{"task_id":"x"}"#).unwrap_err();
    assert!(error.to_string().contains("`event`"), "{error}");
    assert!(WebhookEvent::parse(b"not json").is_err());
}

#[test]
fn a_task_with_nulls_where_lists_are_documented_still_reads() {
    let task: ClickUpTask = serde_json::from_value(json!({
        "id": "x", "name": null, "custom_fields": null, "tags": null, "team_id": null
    }))
    .unwrap();
    assert!(task.custom_fields.is_empty());
    assert_eq!(task.team_id, None);
}
