//! The Google adapters against a local fake answering as Google documents: the Gmail mailbox
//! (threaded send, find by Message-ID, the history cursor across pages, acknowledgements and
//! crashes, the 404 resync) and the Sheets roster (tab case, messy cells, bad rows, cache).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use negotiator_adapters::config::GoogleConfig;
use negotiator_adapters::mailbox::gmail::GmailMailbox;
use negotiator_adapters::roster::sheets::SheetsRoster;
use negotiator_agent::ports::mailbox::{Mailbox, OutboundEmail, RawInbound};
use negotiator_agent::ports::roster::{Lookup, Roster};
use negotiator_domain::{EmailAddress, Money, Platform};
use negotiator_store::{Store, get_cursor, set_cursor};
use negotiator_vendors::google::{Gmail, ServiceAccountKey, Sheets, TokenSource, scopes};
use negotiator_vendors::{ErrorKind, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A throwaway RSA key made for these tests only; it guards nothing.
const TEST_KEY_PEM: &str = negotiator_testkit::fixtures::TEST_SERVICE_ACCOUNT_KEY;

const USER: &str = "agent@northstar.example";
const ACCESS_TOKEN: &str = "ya29.adapter-test-token";
const HISTORY_CURSOR: &str = "gmail:agent@northstar.example:history_id";
const AS_OF_CURSOR: &str = "gmail:agent@northstar.example:history_as_of";

fn key() -> ServiceAccountKey {
    let json = json!({
        "type": "service_account",
        "private_key_id": "key-1",
        "private_key": TEST_KEY_PEM,
        "client_email": "negotiator@agency.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token",
    });
    ServiceAccountKey::from_json(&json.to_string(), "test key").unwrap()
}

/// A fake Google with a token endpoint.
async fn google() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ok(
            json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}),
        ))
        .mount(&server)
        .await;
    server
}

fn auth(server: &MockServer, scope: &str, subject: Option<&str>) -> Arc<TokenSource> {
    Arc::new(
        TokenSource::new(key(), &[scope], subject)
            .unwrap()
            .with_token_url(format!("{}/token", server.uri())),
    )
}

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("negotiator.db"))
        .await
        .unwrap();
    (dir, store)
}

fn mailbox(server: &MockServer, store: &Store) -> GmailMailbox {
    let gmail = Gmail::new(auth(server, scopes::GMAIL, Some(USER)), &server.uri())
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
        // The real budget would pace the 60-message backlog test over seconds.
        .with_quota(1_000_000, 1_000_000);
    GmailMailbox::new(gmail, USER, store.clone())
}

fn gpath(rest: &str) -> String {
    format!("/gmail/v1/users/{USER}/{rest}")
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn google_error(code: u16, reason: &str, status: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({"error": {
        "code": code, "message": message, "status": status,
        "errors": [{"domain": "global", "reason": reason, "message": message}],
    }}))
}

fn reply(id: &str) -> Vec<u8> {
    format!(
        "Message-ID: <{id}@influencer.example>\r\nFrom: Jane Doe <jane@example.com>\r\n\
         To: {USER}\r\nSubject: Re: Collaboration\r\n\r\nReply {id}: can you do $1,500?\r\n"
    )
    .into_bytes()
}

/// `messages.get?format=raw` for `id`, in `thread`.
async fn mount_message(server: &MockServer, id: &str, thread: &str) {
    Mock::given(method("GET"))
        .and(path(gpath(&format!("messages/{id}"))))
        .and(query_param("format", "raw"))
        .respond_with(ok(json!({
            "id": id, "threadId": thread, "labelIds": ["INBOX"],
            "internalDate": "1764000000000", "raw": URL_SAFE_NO_PAD.encode(reply(id)),
        })))
        .mount(server)
        .await;
}

fn added(id: &str, thread: &str, labels: &[&str]) -> Value {
    json!({"message": {"id": id, "threadId": thread, "labelIds": labels}})
}

async fn cursor(store: &Store) -> Option<String> {
    get_cursor(store.db(), HISTORY_CURSOR).await.unwrap()
}

async fn set_position(store: &Store, history_id: &str, as_of: i64) {
    let mut tx = store.begin_write().await.unwrap();
    let now = jiff::Timestamp::now();
    set_cursor(&mut tx, HISTORY_CURSOR, history_id, now)
        .await
        .unwrap();
    set_cursor(&mut tx, AS_OF_CURSOR, &as_of.to_string(), now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn ids(messages: &[RawInbound]) -> Vec<&str> {
    messages.iter().map(|m| m.provider_id.as_str()).collect()
}

fn outbound(message_id: &str, thread_id: Option<&str>) -> OutboundEmail {
    OutboundEmail {
        message_id: message_id.to_owned(),
        thread_id: thread_id.map(str::to_owned),
        from_name: "Avery at Northstar".to_owned(),
        from_address: USER.to_owned(),
        to: EmailAddress::parse("jane@example.com").unwrap(),
        cc: vec![],
        subject: "Re: Collaboration".to_owned(),
        body: "Hi Jane,\n\nWe can do $1,250.00 for the reel.\n".to_owned(),
        in_reply_to: thread_id.map(|_| "reply-1@influencer.example".to_owned()),
        references: thread_id
            .map(|_| vec!["reply-1@influencer.example".to_owned()])
            .unwrap_or_default(),
        date: 1_764_000_000,
    }
}

#[tokio::test]
async fn send_continues_the_gmail_thread_and_find_sent_searches_by_our_send_header() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("POST"))
        .and(path(gpath("messages/send")))
        .respond_with(ok(
            json!({"id": "m-out", "threadId": "t-77", "labelIds": ["SENT"]}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    // Gmail replaced our Message-ID and kept our send header.
    Mock::given(method("GET"))
        .and(path(gpath("messages/m-out")))
        .and(query_param("format", "metadata"))
        .respond_with(ok(json!({
            "id": "m-out", "threadId": "t-77", "labelIds": ["SENT"],
            "payload": {"headers": [
                {"name": "Message-Id", "value": "<CA+x1@mail.gmail.com>"},
                {"name": "X-Negotiator-Send-Id", "value": "n1.1@negotiator.local"},
            ]},
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("messages")))
        .and(query_param(
            "q",
            "in:sent to:jane@example.com after:1763996400",
        ))
        .respond_with(ok(
            json!({"messages": [{"id": "m-out", "threadId": "t-77"}], "resultSizeEstimate": 1}),
        ))
        .mount(&server)
        .await;
    let mailbox = mailbox(&server, &store);
    assert_eq!(mailbox.describe(), "Gmail (agent@northstar.example)");

    let delivered = mailbox
        .send(&outbound("n1.1@negotiator.local", Some("t-77")))
        .await
        .unwrap();
    assert_eq!(delivered.thread_id, "t-77");
    assert_eq!(
        delivered.message_id.as_deref(),
        Some("CA+x1@mail.gmail.com"),
        "the Message-ID Gmail gave it, read back"
    );
    mailbox
        .send(&outbound("n3.1@negotiator.local", None))
        .await
        .unwrap();

    let sends: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("/messages/send"))
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(sends[0]["threadId"], "t-77");
    let raw =
        String::from_utf8(URL_SAFE.decode(sends[0]["raw"].as_str().unwrap()).unwrap()).unwrap();
    assert!(raw.contains("Message-ID: <n1.1@negotiator.local>"), "{raw}");
    assert!(
        raw.contains("X-Negotiator-Send-Id: n1.1@negotiator.local"),
        "{raw}"
    );
    assert!(
        raw.contains("In-Reply-To: <reply-1@influencer.example>"),
        "{raw}"
    );
    assert!(raw.contains("$1,250.00"), "{raw}");
    assert!(
        sends[1].get("threadId").is_none(),
        "a new thread has no threadId: {}",
        sends[1]
    );

    let since = 1_764_000_000;
    let found = mailbox
        .find_sent(&outbound("<n1.1@negotiator.local>", None), since)
        .await
        .unwrap();
    assert_eq!(
        found.map(|d| (d.thread_id, d.message_id)),
        Some(("t-77".to_owned(), Some("CA+x1@mail.gmail.com".to_owned())))
    );
    assert_eq!(
        mailbox
            .find_sent(&outbound("n2.1@negotiator.local", None), since)
            .await
            .unwrap(),
        None
    );
    // A clean miss does not read the sent folder.
    assert!(
        !server.received_requests().await.unwrap().iter().any(|r| r
            .url
            .query()
            .unwrap_or("")
            .contains("labelIds=SENT"))
    );
}

#[tokio::test]
async fn after_a_send_with_no_clear_answer_the_sent_folder_is_checked_by_header() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("POST"))
        .and(path(gpath("messages/send")))
        .respond_with(google_error(
            503,
            "backendError",
            "UNAVAILABLE",
            "Backend Error",
        ))
        .expect(1)
        .mount(&server)
        .await;
    // Search has not indexed it yet.
    Mock::given(method("GET"))
        .and(path(gpath("messages")))
        .and(query_param(
            "q",
            "in:sent to:jane@example.com after:1763996400",
        ))
        .respond_with(ok(json!({"resultSizeEstimate": 0})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("messages")))
        .and(query_param("labelIds", "SENT"))
        .respond_with(ok(json!({"messages": [{"id": "s-2", "threadId": "t-2"}, {"id": "s-1", "threadId": "t-1"}]})))
        .mount(&server)
        .await;
    for (id, send_id) in [
        ("s-2", "other@negotiator.local"),
        ("s-1", "n5.1@negotiator.local"),
    ] {
        Mock::given(method("GET"))
            .and(path(gpath(&format!("messages/{id}"))))
            .and(query_param("format", "metadata"))
            .respond_with(ok(json!({
                "id": id, "threadId": if id == "s-1" { "t-1" } else { "t-2" }, "labelIds": ["SENT"],
                "payload": {"headers": [
                    {"name": "Message-ID", "value": format!("<CA+{id}@mail.gmail.com>")},
                    {"name": "X-Negotiator-Send-Id", "value": send_id},
                ]},
            })))
            .mount(&server)
            .await;
    }
    let mailbox = mailbox(&server, &store);
    let error = mailbox
        .send(&outbound("n5.1@negotiator.local", None))
        .await
        .unwrap_err();
    assert!(error.is_retryable(), "{error}");
    let found = mailbox
        .find_sent(&outbound("n5.1@negotiator.local", None), 1_764_000_000)
        .await
        .unwrap();
    assert_eq!(
        found.map(|d| (d.thread_id, d.message_id)),
        Some(("t-1".to_owned(), Some("CA+s-1@mail.gmail.com".to_owned())))
    );
}

#[tokio::test]
async fn the_first_run_starts_from_now_and_imports_no_old_mail() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("GET"))
        .and(path(gpath("profile")))
        .respond_with(ok(
            json!({"emailAddress": USER, "messagesTotal": 4000, "historyId": "500"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .respond_with(ok(json!({"historyId": "500"})))
        .expect(1)
        .mount(&server)
        .await;
    let mailbox = mailbox(&server, &store);
    assert!(mailbox.fetch_new().await.unwrap().is_empty());
    assert_eq!(cursor(&store).await.as_deref(), Some("500"));
    // The second poll reads the history from there.
    assert!(mailbox.fetch_new().await.unwrap().is_empty());
}

/// History from 500: two pages; a draft, a repeat and a message deleted before it was read.
async fn mount_two_pages(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "500"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ok(json!({
            "history": [
                {"id": "501", "messages": [{"id": "m1", "threadId": "t1"}],
                 "messagesAdded": [added("m1", "t1", &["INBOX", "UNREAD"])]},
                {"id": "503", "messagesAdded": [added("d1", "t9", &["DRAFT"]), added("m2", "t2", &["SENT"])]},
            ],
            "nextPageToken": "page-2",
            "historyId": "510",
        })))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "500"))
        .and(query_param("pageToken", "page-2"))
        .respond_with(ok(json!({
            "history": [
                {"id": "505", "messagesAdded": [added("m3", "t3", &["INBOX"]), added("m1", "t1", &["INBOX"])]},
                {"id": "506", "messagesAdded": [added("gone", "t4", &["INBOX"])]},
            ],
            "historyId": "512",
        })))
        .expect(1)
        .mount(server)
        .await;
    // The first read of m2 meets Gmail's concurrency limit.
    Mock::given(method("GET"))
        .and(path(gpath("messages/m2")))
        .respond_with(google_error(
            429,
            "rateLimitExceeded",
            "RESOURCE_EXHAUSTED",
            "Too many concurrent requests for user",
        ))
        .up_to_n_times(1)
        .mount(server)
        .await;
    for (id, thread) in [("m1", "t1"), ("m2", "t2"), ("m3", "t3")] {
        mount_message(server, id, thread).await;
    }
    Mock::given(method("GET"))
        .and(path(gpath("messages/gone")))
        .respond_with(google_error(
            404,
            "notFound",
            "NOT_FOUND",
            "Requested entity was not found.",
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn history_pages_are_read_in_order_and_the_cursor_moves_only_past_acknowledged_mail() {
    let server = google().await;
    let (_dir, store) = store().await;
    mount_two_pages(&server).await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "510"))
        .respond_with(ok(json!({"historyId": "512"})))
        .expect(1)
        .mount(&server)
        .await;
    set_position(&store, "500", 1_764_000_000).await;
    let mailbox = mailbox(&server, &store);

    let new = mailbox.fetch_new().await.unwrap();
    assert_eq!(ids(&new), ["m1", "m2", "m3"]);
    assert_eq!(new[1].thread_id.as_deref(), Some("t2"));
    assert_eq!(new[0].raw, reply("m1"));
    assert_eq!(
        cursor(&store).await.as_deref(),
        Some("500"),
        "nothing acknowledged yet"
    );

    mailbox.acknowledge(&new[0]).await.unwrap();
    assert_eq!(
        cursor(&store).await.as_deref(),
        Some("502"),
        "up to just before m2's record"
    );
    mailbox.acknowledge(&new[2]).await.unwrap();
    assert_eq!(
        cursor(&store).await.as_deref(),
        Some("502"),
        "m2 still holds it"
    );
    mailbox.acknowledge(&new[1]).await.unwrap();
    // All done: the listing's first page id (mail that came in while paging is read again).
    assert_eq!(cursor(&store).await.as_deref(), Some("510"));

    assert!(mailbox.fetch_new().await.unwrap().is_empty());
    assert_eq!(cursor(&store).await.as_deref(), Some("512"));
}

#[tokio::test]
async fn a_crash_before_acknowledging_hands_the_mail_out_again() {
    let server = google().await;
    let (_dir, store) = store().await;
    mount_two_pages(&server).await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "502"))
        .respond_with(ok(json!({
            "history": [
                {"id": "503", "messagesAdded": [added("m2", "t2", &["SENT"])]},
                {"id": "505", "messagesAdded": [added("m3", "t3", &["INBOX"])]},
            ],
            "historyId": "512",
        })))
        .expect(1)
        .mount(&server)
        .await;
    set_position(&store, "500", 1_764_000_000).await;

    let first = mailbox(&server, &store);
    let new = first.fetch_new().await.unwrap();
    first.acknowledge(&new[0]).await.unwrap();
    drop(first); // killed before m2 and m3 were stored

    let restarted = mailbox(&server, &store);
    let again = restarted.fetch_new().await.unwrap();
    assert_eq!(ids(&again), ["m2", "m3"]);
    // Acknowledging something from before the restart is harmless.
    restarted.acknowledge(&new[0]).await.unwrap();
    assert_eq!(cursor(&store).await.as_deref(), Some("502"));
}

#[tokio::test]
async fn a_too_old_cursor_resyncs_from_its_time_and_moves_only_when_all_are_taken_in() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "100"))
        .respond_with(google_error(
            404,
            "notFound",
            "NOT_FOUND",
            "Requested entity was not found.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("profile")))
        .respond_with(ok(json!({"emailAddress": USER, "historyId": "900"})))
        .mount(&server)
        .await;
    // A day before the cursor's time.
    let q = "after:1763913600";
    Mock::given(method("GET"))
        .and(path(gpath("messages")))
        .and(query_param("q", q))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ok(json!({
            "messages": [{"id": "n3", "threadId": "t3"}, {"id": "n2", "threadId": "t2"}],
            "nextPageToken": "more",
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(gpath("messages")))
        .and(query_param("q", q))
        .and(query_param("pageToken", "more"))
        .respond_with(ok(json!({"messages": [{"id": "n1", "threadId": "t1"}]})))
        .expect(1)
        .mount(&server)
        .await;
    for (id, thread) in [("n1", "t1"), ("n2", "t2"), ("n3", "t3")] {
        mount_message(&server, id, thread).await;
    }
    set_position(&store, "100", 1_764_000_000).await;
    let mailbox = mailbox(&server, &store);

    let new = mailbox.fetch_new().await.unwrap();
    assert_eq!(ids(&new), ["n1", "n2", "n3"], "oldest first");
    mailbox.acknowledge(&new[0]).await.unwrap();
    mailbox.acknowledge(&new[1]).await.unwrap();
    assert_eq!(cursor(&store).await.as_deref(), Some("100"));
    mailbox.acknowledge(&new[2]).await.unwrap();
    assert_eq!(cursor(&store).await.as_deref(), Some("900"));
    let as_of: i64 = get_cursor(store.db(), AS_OF_CURSOR)
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!((as_of - jiff::Timestamp::now().as_second()).abs() < 60);
}

#[tokio::test]
async fn a_long_backlog_is_handed_out_in_chunks_from_one_listing() {
    let server = google().await;
    let (_dir, store) = store().await;
    let count = negotiator_adapters::mailbox::gmail::CHUNK + 10;
    let records: Vec<Value> = (0..count)
        .map(|i| json!({"id": (1001 + i).to_string(), "messagesAdded": [added(&format!("b{i}"), "t", &["INBOX"])]}))
        .collect();
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .and(query_param("startHistoryId", "1000"))
        .respond_with(ok(json!({"history": records, "historyId": "2000"})))
        .expect(1)
        .mount(&server)
        .await;
    for i in 0..count {
        mount_message(&server, &format!("b{i}"), "t").await;
    }
    set_position(&store, "1000", 1_764_000_000).await;
    let mailbox = mailbox(&server, &store);
    let first = mailbox.fetch_new().await.unwrap();
    assert_eq!(first.len(), negotiator_adapters::mailbox::gmail::CHUNK);
    for message in &first {
        mailbox.acknowledge(message).await.unwrap();
    }
    let expected = (1001 + negotiator_adapters::mailbox::gmail::CHUNK - 1).to_string();
    assert_eq!(cursor(&store).await, Some(expected));
    let rest = mailbox.fetch_new().await.unwrap();
    assert_eq!(rest.len(), 10);
    for message in &rest {
        mailbox.acknowledge(message).await.unwrap();
    }
    assert_eq!(cursor(&store).await.as_deref(), Some("2000"));
}

#[tokio::test]
async fn a_refused_mailbox_is_reported_not_retried() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("GET"))
        .and(path(gpath("history")))
        .respond_with(google_error(
            403,
            "insufficientPermissions",
            "PERMISSION_DENIED",
            "Request had insufficient authentication scopes.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    set_position(&store, "500", 1_764_000_000).await;
    let mailbox = mailbox(&server, &store);
    let error = mailbox.fetch_new().await.unwrap_err();
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(
        text.contains("domain-wide delegation") && !text.contains(ACCESS_TOKEN),
        "{text}"
    );
    assert_eq!(cursor(&store).await.as_deref(), Some("500"));
}

/// The team's sheet: the tab's name in another case, and the cells people really type.
async fn mount_sheet(server: &MockServer, reads: u64) {
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1"))
        .and(query_param("fields", "sheets.properties.title"))
        .respond_with(ok(json!({"sheets": [
            {"properties": {"title": "Rates"}}, {"properties": {"title": "Test Client"}},
        ]})))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v4/spreadsheets/sheet-1/values/'Test%20Client'"))
        .respond_with(ok(json!({
            "range": "'Test Client'!A1:Z1000",
            "majorDimension": "ROWS",
            "values": [
                ["Name", "Email", "Platform", "Handle", "Average Views", "Min Rate", "Max Rate", "Engagement Rate"],
                ["Jane Doe", "Jane@Example.com", "YouTube", "@jane", "50,000", "$1,500", "$2,000.00", "2.5%"],
                ["Raj Patel", "raj@example.com", "instagram", "", "50000.0"],
                [],
                ["Bad Views", "bad@example.com", "TikTok", "@bad", "n/a", "", "", ""],
                ["Mia Chen", "mia@example.com", "TIKTOK", "@mia", "120000", "", "", ""],
            ],
        })))
        .expect(reads)
        .mount(server)
        .await;
}

fn sheets(server: &MockServer) -> Sheets {
    Sheets::new(auth(server, scopes::SHEETS_READONLY, None), &server.uri())
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

#[tokio::test]
async fn the_sheet_roster_reads_messy_cells_skips_bad_rows_and_caches() {
    let server = google().await;
    mount_sheet(&server, 1).await;
    let roster = SheetsRoster::new(sheets(&server), "sheet-1", Some("test client".to_owned()));
    assert_eq!(
        roster.describe(),
        "Google Sheet sheet-1 (tab \"test client\")"
    );

    let jane = roster.find("  JANE   doe ").await.unwrap().found().unwrap();
    assert_eq!(
        (jane.platform, jane.average_views),
        (Platform::Youtube, 50_000)
    );
    assert_eq!(jane.email.as_str(), "jane@example.com");
    assert_eq!(jane.min_rate, Some(Money::from_dollars(1_500)));
    assert_eq!(jane.max_rate, Some(Money::from_dollars(2_000)));
    assert_eq!(jane.engagement_pct, Some(rust_decimal::Decimal::new(25, 1)));
    let raj = roster.find("raj patel").await.unwrap().found().unwrap();
    assert_eq!(
        (
            raj.platform,
            raj.average_views,
            raj.min_rate,
            raj.engagement_pct
        ),
        (Platform::Instagram, 50_000, None, None)
    );
    match roster.find("Bad Views").await.unwrap() {
        Lookup::Unusable(problem) => assert_eq!(
            (problem.row, problem.column),
            (5, "average views"),
            "the bad row is skipped, and its lookup says why"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        roster
            .find("Mia Chen")
            .await
            .unwrap()
            .found()
            .unwrap()
            .platform,
        Platform::Tiktok
    );
    assert_eq!(roster.find("Nobody").await.unwrap(), Lookup::NotInRoster);
    assert_eq!(roster.rows().await.unwrap().influencers().len(), 3);
    assert_eq!(roster.problems().len(), 1);
    // Read once: the rest came from the cache (the mock expects exactly one read).
    server.verify().await;

    let shown = format!("{roster:?}");
    assert!(
        !shown.contains(ACCESS_TOKEN) && !shown.contains("PRIVATE KEY"),
        "{shown}"
    );
}

#[tokio::test]
async fn without_a_cache_every_lookup_reads_the_sheet_and_a_wrong_tab_lists_the_tabs() {
    let server = google().await;
    mount_sheet(&server, 2).await;
    let roster = SheetsRoster::new(sheets(&server), "sheet-1", Some("Test Client".to_owned()))
        .with_cache_ttl(Duration::ZERO);
    roster.find("Jane Doe").await.unwrap().found().unwrap();
    roster.find("Jane Doe").await.unwrap().found().unwrap();

    let wrong = SheetsRoster::new(sheets(&server), "sheet-1", Some("Summer".to_owned()));
    let error = wrong.find("Jane Doe").await.unwrap_err().to_string();
    assert!(
        error.contains("\"Summer\"") && error.contains("\"Rates\", \"Test Client\""),
        "{error}"
    );
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output_and_errors() {
    let server = google().await;
    let (_dir, store) = store().await;
    Mock::given(method("GET"))
        .and(path(gpath("profile")))
        .respond_with(google_error(
            401,
            "authError",
            "UNAUTHENTICATED",
            "Invalid Credentials",
        ))
        .mount(&server)
        .await;
    let mailbox = mailbox(&server, &store);
    let error = mailbox.fetch_new().await.unwrap_err();
    assert!(
        matches!(&error, negotiator_agent::ports::mailbox::MailboxError::Vendor(e) if e.kind == ErrorKind::Unauthorized)
    );
    let secret_line = TEST_KEY_PEM.lines().nth(1).unwrap();
    for shown in [format!("{error} {error:?}"), format!("{mailbox:?}")] {
        assert!(!shown.contains(ACCESS_TOKEN), "{shown}");
        assert!(
            !shown.contains(secret_line) && !shown.contains("PRIVATE KEY"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn the_wiring_builds_both_adapters_from_the_google_section() {
    let server = google().await;
    let (_dir, store) = store().await;
    mount_sheet(&server, 1).await;
    Mock::given(method("GET"))
        .and(path(gpath("profile")))
        .respond_with(ok(json!({"emailAddress": USER, "historyId": "77"})))
        .expect(1)
        .mount(&server)
        .await;
    let config = GoogleConfig {
        sheet_id: Some("sheet-1".to_owned()),
        sheet_tab: Some("TEST CLIENT".to_owned()),
        gmail_user: Some(USER.to_owned()),
        gmail_base_url: Some(server.uri()),
        sheets_base_url: Some(server.uri()),
        token_url: Some(format!("{}/token", server.uri())),
    };
    let mailbox = GmailMailbox::from_config(&config, &key(), store.clone()).unwrap();
    assert!(mailbox.fetch_new().await.unwrap().is_empty());
    assert_eq!(cursor(&store).await.as_deref(), Some("77"));
    let roster = SheetsRoster::from_config(&config, &key()).unwrap();
    assert!(roster.find("Jane Doe").await.unwrap().found().is_some());

    let missing = GoogleConfig::default();
    let error = GmailMailbox::from_config(&missing, &key(), store.clone()).unwrap_err();
    assert!(error.to_string().contains("gmail_user"), "{error}");
    let error = SheetsRoster::from_config(&missing, &key()).unwrap_err();
    assert!(error.to_string().contains("sheet_id"), "{error}");
}
