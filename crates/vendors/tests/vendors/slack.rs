//! The Slack client against a local fake that answers as Slack's documentation says: posts,
//! `ok:false` errors, 429 with `Retry-After`, outages, pacing, and the v0 request signature.

use std::time::{Duration, Instant};

use negotiator_vendors::slack::{
    Block, Message, SignatureError, SlackClient, sign, validate, verify_signature,
};
use negotiator_vendors::{ErrorKind, RateLimiter, RetryPolicy, Secret, VendorError};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "xoxb-1234-5678-SuperSecretToken";

fn client(server: &MockServer) -> SlackClient {
    SlackClient::new(server.uri(), Secret::new(TOKEN), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

fn ok_post(channel: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "ok": true,
        "channel": channel,
        "ts": "1503435956.000247",
        "message": {"text": "Here's a message for you", "type": "message", "bot_id": "B123"}
    }))
}

fn slack_error(code: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": code}))
}

async fn requests(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

#[tokio::test]
async fn a_post_carries_the_token_channel_text_and_blocks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat.postMessage"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json; charset=utf-8"))
        .respond_with(ok_post("C0ESCALATE"))
        .expect(1)
        .mount(&server)
        .await;
    let blocks = vec![
        Block::header("Needs a decision: Jane Doe"),
        Block::section("Asked $1,800.00, above the ceiling."),
    ];
    let posted = client(&server)
        .post_message("C0ESCALATE", "Needs a decision: Jane Doe", &blocks)
        .await
        .unwrap();
    assert_eq!(posted.channel, "C0ESCALATE");
    assert_eq!(posted.ts, "1503435956.000247");
    let sent = &requests(&server).await[0];
    assert_eq!(sent["channel"], "C0ESCALATE");
    assert_eq!(sent["text"], "Needs a decision: Jane Doe");
    assert_eq!(sent["blocks"], serde_json::to_value(&blocks).unwrap());
}

#[tokio::test]
async fn a_message_over_the_limits_is_fitted_before_it_is_sent() {
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ok_post("C1"))
        .mount(&server)
        .await;
    let mut blocks = vec![
        Block::header("H".repeat(300)),
        Block::section("a ".repeat(6_000)),
    ];
    blocks.extend((0..60).map(|i| Block::section(format!("part {i}"))));
    client(&server)
        .post_message("C1", &"t".repeat(45_000), &blocks)
        .await
        .unwrap();
    let sent = &requests(&server).await[0];
    let message: Message = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(validate(&message), Ok(()));
    assert_eq!(message.blocks.len(), 50);
    assert!(message.text.chars().count() <= 4_000);
}

#[tokio::test]
async fn ok_false_answers_are_classed_and_refusals_are_not_retried() {
    let cases = [
        ("ratelimited", ErrorKind::RateLimited, 3),
        ("invalid_auth", ErrorKind::Unauthorized, 1),
        ("not_authed", ErrorKind::Unauthorized, 1),
        ("account_inactive", ErrorKind::Unauthorized, 1),
        ("token_revoked", ErrorKind::Unauthorized, 1),
        ("channel_not_found", ErrorKind::Rejected, 1),
        ("not_in_channel", ErrorKind::Rejected, 1),
        ("is_archived", ErrorKind::Rejected, 1),
        ("msg_too_long", ErrorKind::Rejected, 1),
        ("invalid_blocks", ErrorKind::Rejected, 1),
        ("internal_error", ErrorKind::Unavailable, 3),
        ("fatal_error", ErrorKind::Unavailable, 3),
        ("service_unavailable", ErrorKind::Unavailable, 3),
        ("request_timeout", ErrorKind::Unavailable, 3),
    ];
    for (code, kind, calls) in cases {
        let server = MockServer::start().await;
        Mock::given(path("/chat.postMessage"))
            .respond_with(slack_error(code))
            .expect(calls)
            .mount(&server)
            .await;
        let error = client(&server)
            .post_message("C1", "hello", &[Block::section("hello")])
            .await
            .unwrap_err();
        assert_eq!(error.kind, kind, "{code}");
        assert_eq!(error.service, "Slack");
        assert!(error.to_string().contains(code), "{error}");
        server.verify().await;
    }
}

#[tokio::test]
async fn http_429_is_retried_after_the_wait_slack_asks_for() {
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ok_post("C1"))
        .mount(&server)
        .await;
    let client =
        SlackClient::new(server.uri(), Secret::new(TOKEN), Duration::from_secs(5)).unwrap();
    let started = Instant::now();
    let posted = client.post_message("C1", "hello", &[]).await.unwrap();
    assert_eq!(posted.channel, "C1");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_ok_false_ratelimited_answer_keeps_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(slack_error("ratelimited").insert_header("Retry-After", "120"))
        .mount(&server)
        .await;
    // 120 s is longer than the policy waits in place: the error goes back with the wait, for
    // the job queue to reschedule.
    let client =
        SlackClient::new(server.uri(), Secret::new(TOKEN), Duration::from_secs(5)).unwrap();
    let error = client.post_message("C1", "hello", &[]).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn two_outages_then_success_takes_three_calls() {
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500).set_body_string("oops"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ok_post("C1"))
        .mount(&server)
        .await;
    let posted = client(&server)
        .post_message("C1", "hello", &[])
        .await
        .unwrap();
    assert_eq!(posted.ts, "1503435956.000247");
    assert_eq!(requests(&server).await.len(), 3);

    // Three outages: the third is the answer.
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client(&server)
        .post_message("C1", "hello", &[])
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert_eq!(error.status, Some(503));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn posts_are_paced_per_channel() {
    let server = MockServer::start().await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ok_post("C1"))
        .mount(&server)
        .await;
    let client =
        client(&server).with_rate_limit(RateLimiter::new(1, Duration::from_millis(300), 1));
    let started = Instant::now();
    for _ in 0..3 {
        client.post_message("C1", "hello", &[]).await.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    let other = Instant::now();
    client.post_message("C2", "hello", &[]).await.unwrap();
    assert!(
        other.elapsed() < Duration::from_millis(250),
        "{:?}",
        other.elapsed()
    );
}

#[tokio::test]
async fn doctor_checks_the_token_and_the_channel() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth.test"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "url": "https://agency.slack.com/", "team": "Agency",
            "user": "negotiator", "team_id": "T123", "user_id": "U123", "bot_id": "B123"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/conversations.info"))
        .and(query_param("channel", "C0DEALS"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true,
            "channel": {"id": "C0DEALS", "name": "deals", "is_channel": true, "is_archived": false,
                        "is_private": false, "is_member": true, "created": 1449252889}
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/conversations.info"))
        .and(query_param("channel", "C0GONE"))
        .respond_with(slack_error("channel_not_found"))
        .mount(&server)
        .await;
    let client = client(&server);
    let me = client.auth_test().await.unwrap();
    assert_eq!((me.team.as_str(), me.user_id.as_str()), ("Agency", "U123"));
    assert_eq!(me.bot_id.as_deref(), Some("B123"));
    let deals = client.conversation_info("C0DEALS").await.unwrap();
    assert_eq!(deals.name.as_deref(), Some("deals"));
    assert_eq!(deals.is_member, Some(true));
    assert!(!deals.is_archived);
    let gone = client.conversation_info("C0GONE").await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::Rejected);
    assert!(gone.to_string().contains("channel_not_found"), "{gone}");
}

#[tokio::test]
async fn the_token_never_shows_in_errors_or_debug_output() {
    let server = MockServer::start().await;
    Mock::given(path("/auth.test"))
        .respond_with(slack_error("invalid_auth"))
        .mount(&server)
        .await;
    Mock::given(path("/chat.postMessage"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream broke"))
        .mount(&server)
        .await;
    Mock::given(path("/conversations.info"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = SlackClient::new(server.uri(), Secret::new(TOKEN), Duration::from_millis(300))
        .unwrap()
        .with_retry(RetryPolicy::immediate(1));
    let mut errors: Vec<VendorError> = vec![
        client.auth_test().await.unwrap_err(),
        client.post_message("C1", "hi", &[]).await.unwrap_err(),
        client.conversation_info("C1").await.unwrap_err(),
    ];
    let unreachable = SlackClient::new(
        "http://127.0.0.1:9",
        Secret::new(TOKEN),
        Duration::from_secs(1),
    )
    .unwrap()
    .with_retry(RetryPolicy::immediate(1));
    errors.push(unreachable.auth_test().await.unwrap_err());
    let kinds: Vec<ErrorKind> = errors.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::Unauthorized,
            ErrorKind::Unavailable,
            ErrorKind::Timeout,
            ErrorKind::Connection
        ]
    );
    for error in &errors {
        for shown in [format!("{error}"), format!("{error:?}")] {
            assert!(
                !shown.contains(TOKEN) && !shown.contains("SuperSecret"),
                "{shown}"
            );
        }
    }
    let shown = format!("{client:?}");
    assert!(!shown.contains("SuperSecret"), "{shown}");
}

// Slack's documented example: https://api.slack.com/docs/verifying-requests-from-slack
const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP: &str = "1531420618";
const BODY: &[u8] = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const SIGNATURE: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

fn at(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(seconds).unwrap()
}

fn check(
    timestamp: Option<&str>,
    body: &[u8],
    signature: Option<&str>,
    now: i64,
) -> Result<(), SignatureError> {
    verify_signature(&Secret::new(SECRET), timestamp, body, signature, at(now))
}

#[test]
fn slacks_documented_signature_verifies() {
    assert_eq!(BODY.len(), 362);
    let signed = 1_531_420_618;
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed + 30),
        Ok(())
    );
    // The window is five minutes either way, inclusive.
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed + 300),
        Ok(())
    );
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed - 300),
        Ok(())
    );
    // Headers as they arrive, with stray spaces.
    assert_eq!(
        check(
            Some(" 1531420618 "),
            BODY,
            Some(&format!(" {SIGNATURE} ")),
            signed
        ),
        Ok(())
    );
    assert_eq!(sign(&Secret::new(SECRET), signed, BODY).unwrap(), SIGNATURE);
}

#[test]
fn replayed_and_future_requests_are_refused() {
    let signed = 1_531_420_618;
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed + 301),
        Err(SignatureError::Stale { age_secs: 301 })
    );
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed + 86_400),
        Err(SignatureError::Stale { age_secs: 86_400 })
    );
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(SIGNATURE), signed - 301),
        Err(SignatureError::FromFuture { ahead_secs: 301 })
    );
    // Re-signing an old body with a fresh timestamp needs the secret: the old signature no
    // longer matches.
    assert_eq!(
        check(Some("1531420900"), BODY, Some(SIGNATURE), 1_531_420_900),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn forged_requests_are_refused() {
    let now = 1_531_420_618 + 30;
    let tampered = String::from_utf8(BODY.to_vec())
        .unwrap()
        .replace("text=", "text=approve");
    assert_eq!(
        check(Some(TIMESTAMP), tampered.as_bytes(), Some(SIGNATURE), now),
        Err(SignatureError::Mismatch)
    );
    let mut wrong = SIGNATURE.to_owned();
    wrong.replace_range(wrong.len() - 1.., "4");
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(&wrong), now),
        Err(SignatureError::Mismatch)
    );
    let other_secret = verify_signature(
        &Secret::new("another-secret"),
        Some(TIMESTAMP),
        BODY,
        Some(SIGNATURE),
        at(now),
    );
    assert_eq!(other_secret, Err(SignatureError::Mismatch));
    let upper = format!("v0={}", SIGNATURE[3..].to_uppercase());
    assert_eq!(
        check(Some(TIMESTAMP), BODY, Some(&upper), now),
        Ok(()),
        "hex digits in either case"
    );
}

#[test]
fn missing_and_garbled_headers_are_refused_with_a_reason() {
    let now = 1_531_420_618 + 30;
    assert_eq!(
        check(None, BODY, Some(SIGNATURE), now),
        Err(SignatureError::MissingTimestamp)
    );
    assert_eq!(
        check(Some(TIMESTAMP), BODY, None, now),
        Err(SignatureError::MissingSignature)
    );
    for garbled in ["", "soon", "1531420618.0", "-1531420618", "1e9"] {
        assert_eq!(
            check(Some(garbled), BODY, Some(SIGNATURE), now),
            Err(SignatureError::BadTimestamp),
            "{garbled:?}"
        );
    }
    let no_prefix = &SIGNATURE[3..];
    let v1 = format!("v1={no_prefix}");
    let short = &SIGNATURE[..40];
    let not_hex = format!("v0={}", "z".repeat(64));
    for garbled in ["", no_prefix, v1.as_str(), short, not_hex.as_str()] {
        assert_eq!(
            check(Some(TIMESTAMP), BODY, Some(garbled), now),
            Err(SignatureError::BadSignatureFormat),
            "{garbled:?}"
        );
    }
    assert_eq!(
        verify_signature(
            &Secret::new(""),
            Some(TIMESTAMP),
            BODY,
            Some(SIGNATURE),
            at(now)
        ),
        Err(SignatureError::NoSecret)
    );
    assert!(
        SignatureError::Stale { age_secs: 301 }
            .to_string()
            .contains("replay")
    );
}
