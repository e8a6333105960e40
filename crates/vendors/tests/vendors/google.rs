//! The Google clients against a local fake that answers as Google documents: the JWT
//! exchange, token caching, Gmail send/get/list/history/watch/profile, Sheets tabs and
//! values, and the error classes (quota answers retried, refusals not).

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use negotiator_vendors::google::{
    Gmail, HistoryError, KeyError, ListQuery, ServiceAccountKey, Sheets, TokenSource, scopes,
};
use negotiator_vendors::{ErrorKind, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A throwaway RSA key made for these tests only (`openssl genpkey -algorithm RSA`); it
/// guards nothing.
const TEST_KEY_PEM: &str = include_str!("../../../testkit/fixtures/test_service_account_key.pem");

const ACCOUNT: &str = "negotiator@agency-project.iam.gserviceaccount.com";
const USER: &str = "agent@northstar.example";
const GOOGLE_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

fn key_json() -> String {
    json!({
        "type": "service_account",
        "project_id": "agency-project",
        "private_key_id": "key-1",
        "private_key": TEST_KEY_PEM,
        "client_email": ACCOUNT,
        "client_id": "1234567890",
        "token_uri": GOOGLE_TOKEN_URI,
    })
    .to_string()
}

fn key() -> ServiceAccountKey {
    ServiceAccountKey::from_json(&key_json(), "test key").unwrap()
}

fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(
        json!({"access_token": token, "expires_in": expires_in, "token_type": "Bearer"}),
    )
}

async fn mount_token(server: &MockServer, token: &str, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(token_answer(token, expires_in))
        .mount(server)
        .await;
}

fn auth(server: &MockServer, scope: &str, subject: Option<&str>) -> Arc<TokenSource> {
    Arc::new(
        TokenSource::new(key(), &[scope], subject)
            .unwrap()
            .with_token_url(format!("{}/token", server.uri())),
    )
}

fn gmail(server: &MockServer) -> Gmail {
    Gmail::new(auth(server, scopes::GMAIL, Some(USER)), &server.uri())
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

fn sheets(server: &MockServer) -> Sheets {
    Sheets::new(auth(server, scopes::SHEETS_READONLY, None), &server.uri())
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

/// Google's documented error body.
fn google_error(code: u16, reason: &str, status: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({
        "error": {
            "code": code,
            "message": message,
            "errors": [{"domain": "global", "reason": reason, "message": message}],
            "status": status,
        }
    }))
}

fn gmail_path(rest: &str) -> String {
    format!("/gmail/v1/users/{USER}/{rest}")
}

fn decode_part(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

fn form(request: &Request) -> Vec<(String, String)> {
    let body = String::from_utf8(request.body.clone()).unwrap();
    reqwest::Url::parse(&format!("http://form/?{body}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn profile_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"emailAddress": USER, "messagesTotal": 12, "threadsTotal": 5, "historyId": "4242"}),
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_token_exchange_posts_a_signed_rs256_assertion_for_the_delegated_user() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.first", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .and(header("authorization", "Bearer ya29.first"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"emailAddress": USER, "messagesTotal": 12, "threadsTotal": 5, "historyId": "4242"}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let profile = gmail(&server).profile(USER).await.unwrap();
    assert_eq!(
        (profile.email_address.as_str(), profile.history_id.as_str()),
        (USER, "4242")
    );

    let requests = server.received_requests().await.unwrap();
    let exchange = requests.iter().find(|r| r.url.path() == "/token").unwrap();
    assert_eq!(
        exchange.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    let fields = form(exchange);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(
        field("grant_type"),
        "urn:ietf:params:oauth:grant-type:jwt-bearer"
    );
    let assertion = field("assertion");
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3, "{assertion}");

    assert_eq!(
        decode_part(parts[0]),
        json!({"alg": "RS256", "typ": "JWT", "kid": "key-1"})
    );
    let claims = decode_part(parts[1]);
    assert_eq!(claims["iss"], ACCOUNT);
    assert_eq!(claims["scope"], scopes::GMAIL);
    assert_eq!(claims["sub"], USER);
    // The audience is Google's token endpoint even when the exchange goes to a fake.
    assert_eq!(claims["aud"], GOOGLE_TOKEN_URI);
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    assert!((iat - jiff::Timestamp::now().as_second()).abs() < 60);

    // The signature verifies with the key's public half.
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            TEST_KEY_PEM
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        pair.public().as_ref().to_vec(),
    );
    let signed = format!("{}.{}", parts[0], parts[1]);
    public
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(parts[2]).unwrap(),
        )
        .unwrap();
}

#[tokio::test]
async fn the_sheets_assertion_has_no_subject_and_asks_read_only() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.sheets", 3599).await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"sheets": []})))
        .mount(&server)
        .await;
    sheets(&server).tab_titles("sheet-1").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let fields = form(&requests[0]);
    let assertion = &fields.iter().find(|(k, _)| k == "assertion").unwrap().1;
    let claims = decode_part(assertion.split('.').nth(1).unwrap());
    assert_eq!(claims["scope"], scopes::SHEETS_READONLY);
    assert!(claims.get("sub").is_none(), "{claims}");
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(token_answer("ya29.long", 3599))
        .expect(1)
        .mount(&server)
        .await;
    profile_ok(&server).await;
    let client = gmail(&server);
    for _ in 0..3 {
        client.profile(USER).await.unwrap();
    }
    server.verify().await;

    // A token that is (nearly) expired on arrival is fetched again next time.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(token_answer("ya29.short", 0))
        .expect(2)
        .mount(&server)
        .await;
    profile_ok(&server).await;
    let client = gmail(&server);
    client.profile(USER).await.unwrap();
    client.profile(USER).await.unwrap();
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_then_reports_unauthorized() {
    let server = MockServer::start().await;
    let issued = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            token_answer(&format!("ya29.token-{n}"), 3599)
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .and(header("authorization", "Bearer ya29.token-1"))
        .respond_with(google_error(
            401,
            "authError",
            "UNAUTHENTICATED",
            "Invalid Credentials",
        ))
        .mount(&server)
        .await;
    profile_ok(&server).await;
    let client = gmail(&server);
    assert_eq!(client.profile(USER).await.unwrap().history_id, "4242");
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 2);

    // Refused again with the fresh token: the credentials are wrong, and the error says so
    // without showing either token.
    let server = MockServer::start().await;
    mount_token(&server, "ya29.revoked", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .respond_with(google_error(
            401,
            "authError",
            "UNAUTHENTICATED",
            "Invalid Credentials",
        ))
        .expect(2)
        .mount(&server)
        .await;
    let error = gmail(&server).profile(USER).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert!(!error.is_retryable());
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("ya29"), "{shown}");
    assert!(shown.contains("Invalid Credentials"), "{shown}");
}

#[tokio::test]
async fn a_refused_grant_is_unauthorized_and_says_what_to_check() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "unauthorized_client", "error_description": "Client is unauthorized to retrieve access tokens using this method."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = gmail(&server).profile(USER).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    let text = error.to_string();
    assert!(
        text.contains("unauthorized_client") && text.contains("domain-wide delegation"),
        "{text}"
    );
    assert!(
        !text.contains("PRIVATE KEY") && !text.contains("eyJ"),
        "{text}"
    );
}

#[tokio::test]
async fn send_posts_base64url_raw_in_the_thread() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.send", 3599).await;
    let raw = b"From: agent@northstar.example\r\nSubject: Re: Collab?\r\n\r\n\xc3\xa9 $1,000.00 ok?>>\r\n";
    Mock::given(method("POST"))
        .and(path(gmail_path("messages/send")))
        .and(body_json(
            json!({"raw": URL_SAFE.encode(raw), "threadId": "thread-7"}),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"id": "msg-2", "threadId": "thread-7", "labelIds": ["SENT"]}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sent = gmail(&server)
        .send(USER, raw, Some("thread-7"))
        .await
        .unwrap();
    assert_eq!(
        (sent.id.as_str(), sent.thread_id.as_str()),
        ("msg-2", "thread-7")
    );
    assert_eq!(sent.label_ids, ["SENT"]);

    // A new thread: no threadId at all.
    let server = MockServer::start().await;
    mount_token(&server, "ya29.send", 3599).await;
    Mock::given(method("POST"))
        .and(path(gmail_path("messages/send")))
        .and(body_json(json!({"raw": URL_SAFE.encode(raw)})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "msg-1", "threadId": "new-thread"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let sent = gmail(&server).send(USER, raw, None).await.unwrap();
    assert_eq!(sent.thread_id, "new-thread");
}

#[tokio::test]
async fn send_is_retried_after_a_quota_answer_but_never_after_a_possible_delivery() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.send", 3599).await;
    Mock::given(method("POST"))
        .and(path(gmail_path("messages/send")))
        .respond_with(google_error(
            429,
            "rateLimitExceeded",
            "RESOURCE_EXHAUSTED",
            "Too many concurrent requests for user",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(gmail_path("messages/send")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "m", "threadId": "t"})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(gmail(&server).send(USER, b"x", None).await.unwrap().id, "m");
    server.verify().await;

    // A 503 may have come after Gmail took the message: one attempt, a retryable error back
    // to the caller, whose recovery looks the Message-ID up before sending again.
    let server = MockServer::start().await;
    mount_token(&server, "ya29.send", 3599).await;
    Mock::given(method("POST"))
        .and(path(gmail_path("messages/send")))
        .respond_with(google_error(
            503,
            "backendError",
            "UNAVAILABLE",
            "Backend Error",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = gmail(&server).send(USER, b"x", None).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable);
    assert!(error.is_retryable());
}

#[tokio::test]
async fn get_raw_decodes_unpadded_base64url() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.get", 3599).await;
    let raw =
        b"Message-ID: <r1@influencer.example>\r\nSubject: Re: hi\r\n\r\nCan you do $1,500??>\r\n";
    Mock::given(method("GET"))
        .and(path(gmail_path("messages/m-9")))
        .and(query_param("format", "raw"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "m-9", "threadId": "t-1", "labelIds": ["INBOX", "UNREAD"],
            "historyId": "5001", "internalDate": "1764000000123",
            "sizeEstimate": 120, "raw": URL_SAFE_NO_PAD.encode(raw),
        })))
        .mount(&server)
        .await;
    let message = gmail(&server).get_raw(USER, "m-9").await.unwrap();
    assert_eq!(message.raw, raw);
    assert_eq!(message.thread_id, "t-1");
    assert_eq!(message.internal_date_ms, Some(1_764_000_000_123));
    assert_eq!(message.history_id.as_deref(), Some("5001"));
}

#[tokio::test]
async fn list_searches_by_rfc822msgid_and_metadata_reads_headers() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.list", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("messages")))
        .and(query_param("q", "rfc822msgid:n1.42@negotiator.local"))
        .and(query_param("includeSpamTrash", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messages": [{"id": "m-1", "threadId": "t-1"}], "resultSizeEstimate": 1
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("messages")))
        .and(query_param("q", "rfc822msgid:never@negotiator.local"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"resultSizeEstimate": 0})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("messages/m-1")))
        .and(query_param("format", "metadata"))
        .and(query_param("metadataHeaders", "Message-ID"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "m-1", "threadId": "t-1", "labelIds": ["SENT"],
            "payload": {"mimeType": "text/plain", "headers": [{"name": "Message-Id", "value": "<n1.42@negotiator.local>"}]}
        })))
        .mount(&server)
        .await;
    let client = gmail(&server);
    let query = |q| ListQuery {
        q: Some(q),
        include_spam_trash: true,
        ..ListQuery::default()
    };
    let found = client
        .list(USER, &query("rfc822msgid:n1.42@negotiator.local"), None)
        .await
        .unwrap();
    assert_eq!(found.messages[0].thread_id, "t-1");
    let none = client
        .list(USER, &query("rfc822msgid:never@negotiator.local"), None)
        .await
        .unwrap();
    assert!(none.messages.is_empty() && none.next_page_token.is_none());
    let meta = client
        .get_metadata(USER, "m-1", &["Message-ID"])
        .await
        .unwrap();
    assert_eq!(meta.header("message-id"), Some("<n1.42@negotiator.local>"));
}

#[tokio::test]
async fn history_pages_follow_the_next_page_token() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.history", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("history")))
        .and(query_param("startHistoryId", "1000"))
        .and(query_param("historyTypes", "messageAdded"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "history": [
                {"id": "1001", "messages": [{"id": "a", "threadId": "t"}],
                 "messagesAdded": [{"message": {"id": "a", "threadId": "t", "labelIds": ["INBOX"]}}]},
            ],
            "nextPageToken": "page-2",
            "historyId": "1010"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("history")))
        .and(query_param("startHistoryId", "1000"))
        .and(query_param("pageToken", "page-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "history": [{"id": "1005", "messagesAdded": [{"message": {"id": "b", "threadId": "u"}}]}],
            "historyId": "1010"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("history")))
        .and(query_param("startHistoryId", "1010"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"historyId": "1010"})))
        .mount(&server)
        .await;
    let client = gmail(&server);
    let first = client.history(USER, "1000", None).await.unwrap();
    assert_eq!(first.records[0].messages_added[0].message.id, "a");
    assert_eq!(first.next_page_token.as_deref(), Some("page-2"));
    let second = client.history(USER, "1000", Some("page-2")).await.unwrap();
    assert_eq!(second.records[0].id, "1005");
    assert_eq!(second.next_page_token, None);
    // No changes: Gmail leaves `history` out.
    let quiet = client.history(USER, "1010", None).await.unwrap();
    assert!(quiet.records.is_empty());
    assert_eq!(quiet.history_id, "1010");
}

#[tokio::test]
async fn an_unknown_history_id_is_a_typed_resync_signal() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.history", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("history")))
        .respond_with(google_error(
            404,
            "notFound",
            "NOT_FOUND",
            "Requested entity was not found.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    match gmail(&server).history(USER, "12", None).await {
        Err(HistoryError::CursorTooOld { start }) => assert_eq!(start, "12"),
        other => panic!("expected CursorTooOld, got {other:?}"),
    }
}

#[tokio::test]
async fn quota_answers_are_retried_and_refusals_are_not() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.q", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .respond_with(google_error(
            429,
            "rateLimitExceeded",
            "RESOURCE_EXHAUSTED",
            "Too many concurrent requests for user",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .respond_with(google_error(
            403,
            "userRateLimitExceeded",
            "PERMISSION_DENIED",
            "User-rate limit exceeded",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    profile_ok(&server).await;
    assert_eq!(
        gmail(&server).profile(USER).await.unwrap().history_id,
        "4242"
    );
    server.verify().await;

    let server = MockServer::start().await;
    mount_token(&server, "ya29.q", 3599).await;
    Mock::given(method("GET"))
        .and(path(gmail_path("profile")))
        .respond_with(google_error(
            403,
            "insufficientPermissions",
            "PERMISSION_DENIED",
            "Request had insufficient authentication scopes.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = gmail(&server).profile(USER).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(
        text.contains("insufficientPermissions") && text.contains("domain-wide delegation"),
        "{text}"
    );
    assert!(text.contains(ACCOUNT), "{text}");
}

#[tokio::test]
async fn watch_asks_for_inbox_changes_on_the_topic() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.w", 3599).await;
    Mock::given(method("POST"))
        .and(path(gmail_path("watch")))
        .and(body_json(json!({
            "topicName": "projects/agency/topics/gmail",
            "labelIds": ["INBOX"],
            "labelFilterBehavior": "INCLUDE",
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"historyId": "777", "expiration": "1764604800000"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let watch = gmail(&server)
        .watch(USER, "projects/agency/topics/gmail")
        .await
        .unwrap();
    assert_eq!(
        (watch.history_id.as_str(), watch.expiration.as_str()),
        ("777", "1764604800000")
    );
}

#[tokio::test]
async fn sheets_finds_the_tab_ignoring_case_and_reads_cells_as_shown() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.sheets", 3599).await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1"))
        .and(query_param("fields", "sheets.properties.title"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sheets": [{"properties": {"title": "Rates"}}, {"properties": {"title": "Test Client"}}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1/values/'Test%20Client'"))
        .and(query_param("valueRenderOption", "FORMATTED_VALUE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "range": "'Test Client'!A1:Z1000",
            "majorDimension": "ROWS",
            "values": [
                ["Name", "Email", "Platform", "Average Views"],
                ["Jane Doe", "jane@example.com", "YouTube", "50000.0", "", "2.5%"],
                [],
                ["Raj", "raj@example.com", "instagram", 12000, true],
            ]
        })))
        .mount(&server)
        .await;
    let tab = sheets(&server)
        .read_tab("sheet-1", Some("  test client "))
        .await
        .unwrap();
    assert_eq!(tab.title, "Test Client");
    assert_eq!(tab.rows.len(), 4);
    assert_eq!(
        tab.rows[1],
        [
            "Jane Doe",
            "jane@example.com",
            "YouTube",
            "50000.0",
            "",
            "2.5%"
        ]
    );
    assert!(tab.rows[2].is_empty());
    assert_eq!(
        tab.rows[3],
        ["Raj", "raj@example.com", "instagram", "12000", "true"]
    );
}

#[tokio::test]
async fn a_missing_tab_lists_the_tabs_and_a_refusal_names_the_account_to_share_with() {
    let server = MockServer::start().await;
    mount_token(&server, "ya29.sheets", 3599).await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sheets": [{"properties": {"title": "Rates"}}, {"properties": {"title": "Glow Spring"}}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/private"))
        .respond_with(google_error(
            403,
            "forbidden",
            "PERMISSION_DENIED",
            "The caller does not have permission",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/busy"))
        .respond_with(google_error(
            429,
            "rateLimitExceeded",
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Read requests'",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = sheets(&server);
    let missing = client
        .read_tab("sheet-1", Some("Summer"))
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::Rejected);
    let text = missing.to_string();
    assert!(
        text.contains("\"Summer\"") && text.contains("\"Rates\", \"Glow Spring\""),
        "{text}"
    );

    let denied = client.read_tab("private", None).await.unwrap_err();
    assert_eq!(denied.kind, ErrorKind::Unauthorized);
    assert!(
        denied
            .to_string()
            .contains(&format!("share the sheet with {ACCOUNT}")),
        "{denied}"
    );

    let busy = client.tab_titles("busy").await.unwrap_err();
    assert_eq!(busy.kind, ErrorKind::RateLimited);
}

#[test]
fn keys_and_tokens_never_show_in_debug_output_or_errors() {
    let key = key();
    let secret_line = TEST_KEY_PEM.lines().nth(1).unwrap();
    let shown = format!("{key:?}");
    assert!(
        shown.contains(ACCOUNT) && !shown.contains(secret_line) && !shown.contains("PRIVATE"),
        "{shown}"
    );
    let source = TokenSource::new(key, &[scopes::GMAIL], Some(USER)).unwrap();
    let shown = format!("{source:?}");
    assert!(
        !shown.contains(secret_line) && !shown.contains("PRIVATE"),
        "{shown}"
    );

    // A damaged key: the error names the file and the problem, never the key's text.
    let damaged = key_json().replace(secret_line, "AAAA");
    let error = ServiceAccountKey::from_json(&damaged, "/etc/negotiator/key.json").unwrap_err();
    assert!(matches!(error, KeyError::BadPrivateKey { .. }), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.contains("/etc/negotiator/key.json"), "{text}");
    assert!(!text.contains("MII") && !text.contains("AAAA"), "{text}");
}

#[test]
fn only_service_account_keys_are_accepted() {
    let user_credentials = json!({"type": "authorized_user", "client_id": "x", "client_secret": "s3cr3t", "refresh_token": "1//r"}).to_string();
    let error = ServiceAccountKey::from_json(&user_credentials, "creds.json").unwrap_err();
    assert!(matches!(error, KeyError::WrongKind { .. }), "{error:?}");
    assert!(!error.to_string().contains("s3cr3t"));
    let error =
        ServiceAccountKey::from_json("{\"type\": \"service_account\"", "k.json").unwrap_err();
    assert!(matches!(error, KeyError::Format { .. }), "{error:?}");
    let no_email = json!({"type": "service_account", "private_key": TEST_KEY_PEM}).to_string();
    assert!(
        ServiceAccountKey::from_json(&no_email, "k.json")
            .unwrap_err()
            .to_string()
            .contains("client_email")
    );
    // Escaped newlines (a key pasted through an environment variable) still parse.
    let escaped = json!({"type": "service_account", "client_email": ACCOUNT, "private_key": TEST_KEY_PEM.replace('\n', "\\n")}).to_string();
    let key = ServiceAccountKey::from_json(&escaped, "k.json").unwrap();
    assert_eq!(key.token_uri(), GOOGLE_TOKEN_URI);
    let missing =
        ServiceAccountKey::from_file(std::path::Path::new("/nonexistent/key.json")).unwrap_err();
    assert!(
        missing
            .to_string()
            .contains("GOOGLE_APPLICATION_CREDENTIALS"),
        "{missing}"
    );
}
