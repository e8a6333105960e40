//! `POST /slack/commands` end to end: Slack's documented signing example, forged and
//! replayed requests refused before anything runs, `/claim`, `/resume`, `/audit` and
//! `/negotiations` on real negotiations (names with spaces and quotes, ambiguous and unknown
//! names, usage messages), every answer within Block Kit's limits, and a command that outruns
//! Slack's three seconds answered through a fake Slack's `response_url`.

use negotiator_testkit::campaign;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use jiff::Timestamp;
use negotiator_adapters::config::{Config, SlackConfig};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::mailbox::{PlayedReply, play_reply};
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::{Agent, Worker};
use negotiator_reading::mail::parse_message;
use negotiator_store::{AuditFilter, EventType, NegotiationRow, Store, list_negotiations};
use negotiator_vendors::Secret;
use negotiator_vendors::slack::{Message, sign, validate};
use serde_json::{Value, json};
use tower::ServiceExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "slack-signing-secret-for-tests";
const ROSTER: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
\"Zoë \"\"Z\"\" O'Neil\",zoe@creator.example,instagram,@zoe,60000,,,1.5%
";
const ZOE: &str = "Zoë \"Z\" O'Neil";

struct Slack {
    _dir: tempfile::TempDir,
    paths: LocalPaths,
    clock: Arc<ManualClock>,
    agent: Agent,
    app: axum::Router,
    secret: Option<Secret>,
    hooks: MockServer,
}

const START: &str = "2026-11-02T09:00:00Z";

async fn setup() -> Slack {
    setup_with(Some(Secret::new(SECRET)), START.parse().unwrap()).await
}

/// An app whose clock starts at `start` (it never goes back).
async fn setup_with(secret: Option<Secret>, start: Timestamp) -> Slack {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(&paths.roster, ROSTER).unwrap();
    let hooks = MockServer::start().await;
    let mut config = Config {
        agent: negotiator_agent::Settings::demo(),
        ..Config::default()
    };
    config.server.bind = "127.0.0.1:0".to_owned();
    config.local.data_dir = dir.path().to_owned();
    config.slack = Some(SlackConfig {
        base_url: Some(hooks.uri()),
        ..SlackConfig::default()
    });
    config.secrets.slack_signing_secret = secret.clone();
    config.secrets.slack_bot_token = Some(Secret::new("xoxb-test-token"));
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let adapters = paths.adapters(false).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let agent = Agent::new(store, adapters, config.agent.clone(), clock.clone());
    let server = negotiator_server::Server::bind(agent.clone(), Arc::new(config))
        .await
        .unwrap();
    let app = negotiator_server::router(server.state().clone());
    Slack {
        _dir: dir,
        paths,
        clock,
        agent,
        app,
        secret,
        hooks,
    }
}

/// Percent-encodes a form value as Slack does.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Every answer must be a message within Slack's limits.
fn assert_fits(body: &Value) -> Message {
    let message: Message = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(validate(&message), Ok(()), "{body:#}");
    message
}

fn text_of(body: &Value) -> String {
    serde_json::to_string(&body["blocks"]).unwrap()
}

impl Slack {
    fn form(&self, command: &str, text: &str) -> String {
        format!(
            "token=legacy-verification-token&team_id=T1&team_domain=agency&channel_id=C1&\
             channel_name=deals&user_id=U2CERLKJA&user_name=pat&command={}&text={}&\
             response_url={}&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
            encode(command),
            encode(text),
            encode(&format!(
                "{}/commands/T1/397700885554/96rGlfmibIGlgcZR",
                self.hooks.uri()
            ))
        )
    }

    async fn post(
        &self,
        body: &str,
        timestamp: Option<i64>,
        signature: Option<String>,
    ) -> (StatusCode, Value) {
        let mut request = Request::post("/slack/commands")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(timestamp) = timestamp {
            request = request.header("X-Slack-Request-Timestamp", timestamp.to_string());
        }
        if let Some(signature) = signature {
            request = request.header("X-Slack-Signature", signature);
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(Body::from(body.to_owned())).unwrap())
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

    fn now(&self) -> i64 {
        self.agent.now().as_second()
    }

    /// A command as Slack sends it, signed now; the answer must fit Slack's limits.
    async fn command(&self, command: &str, text: &str) -> Value {
        let body = self.form(command, text);
        let secret = self.secret.as_ref().unwrap();
        let signature = sign(secret, self.now(), body.as_bytes()).unwrap();
        let (status, answer) = self.post(&body, Some(self.now()), Some(signature)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_fits(&answer);
        answer
    }

    async fn start(&self, id: &str, names: &str) {
        ingest(&self.agent, &campaign(id, "auto", names), "file")
            .await
            .unwrap();
        self.work().await;
    }

    async fn work(&self) {
        poll_inbox(&self.agent).await.unwrap();
        Worker::new(self.agent.clone())
            .run_until_idle(|_| {})
            .await
            .unwrap();
    }

    async fn negotiation(&self, campaign: &str, name: &str) -> NegotiationRow {
        list_negotiations(self.agent.store.db(), campaign)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.influencer_name == name)
            .unwrap()
    }

    /// Drops a reply from `name` into the inbox, answering our latest email, and runs it.
    async fn reply(&self, campaign: &str, name: &str, from: &str, body: &str) {
        let row = self.negotiation(campaign, name).await;
        let reply = PlayedReply {
            message_id: format!(
                "reply-{}-{}@creator.example",
                row.negotiation_id,
                self.now()
            ),
            from_name: name,
            from_address: from,
            body,
            date: self.now(),
            automatic: false,
        };
        let path = play_reply(&self.agent, &self.paths.mail, row.negotiation_id, &reply)
            .await
            .unwrap();
        assert!(parse_message(&std::fs::read(path).unwrap()).is_ok());
        self.clock.advance(jiff::SignedDuration::from_mins(5));
        self.work().await;
    }

    async fn audit(&self, event: EventType) -> Vec<negotiator_store::AuditEntry> {
        let filter = AuditFilter {
            event_type: Some(event),
            limit: 100,
            ..AuditFilter::default()
        };
        self.agent.store.audit_entries(&filter).await.unwrap()
    }

    async fn response_url_bodies(&self) -> Vec<Value> {
        self.hooks
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path().starts_with("/commands/"))
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }
}

// Slack's documented example: https://api.slack.com/docs/verifying-requests-from-slack
const DOCUMENTED_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DOCUMENTED_TIMESTAMP: i64 = 1_531_420_618;
const DOCUMENTED_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOCUMENTED_SIGNATURE: &str =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

#[tokio::test]
async fn slacks_documented_example_is_accepted_and_the_same_request_later_is_a_replay() {
    let s = setup_with(
        Some(Secret::new(DOCUMENTED_SECRET)),
        Timestamp::from_second(DOCUMENTED_TIMESTAMP + 30).unwrap(),
    )
    .await;
    let (status, answer) = s
        .post(
            DOCUMENTED_BODY,
            Some(DOCUMENTED_TIMESTAMP),
            Some(DOCUMENTED_SIGNATURE.to_owned()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // `/webhook-collect` is not one of ours: the usage message lists the commands.
    assert_fits(&answer);
    assert_eq!(answer["response_type"], "ephemeral");
    let text = text_of(&answer);
    assert!(
        text.contains("/webhook-collect") && text.contains("/audit"),
        "{text}"
    );

    s.clock
        .set(Timestamp::from_second(DOCUMENTED_TIMESTAMP + 301).unwrap());
    let (status, refused) = s
        .post(
            DOCUMENTED_BODY,
            Some(DOCUMENTED_TIMESTAMP),
            Some(DOCUMENTED_SIGNATURE.to_owned()),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        refused["error"].as_str().unwrap().contains("replay"),
        "{refused}"
    );
}

#[tokio::test]
async fn forged_replayed_and_unsigned_commands_are_refused_before_anything_runs() {
    let s = setup().await;
    s.start("glow", "Jane Doe").await;
    let body = s.form("/claim", "Jane Doe");
    let now = s.now();
    let forged = sign(&Secret::new("not-the-secret"), now, body.as_bytes()).unwrap();
    let stale = sign(s.secret.as_ref().unwrap(), now - 301, body.as_bytes()).unwrap();
    let ahead = sign(s.secret.as_ref().unwrap(), now + 301, body.as_bytes()).unwrap();
    let tampered = sign(s.secret.as_ref().unwrap(), now, b"command=%2Fnegotiations").unwrap();
    let cases = [
        (Some(now), Some(forged), "does not match"),
        (Some(now - 301), Some(stale), "replay"),
        (Some(now + 301), Some(ahead), "future"),
        (Some(now), Some(tampered), "does not match"),
        (None, Some("v0=00".to_owned()), "X-Slack-Request-Timestamp"),
        (Some(now), None, "X-Slack-Signature"),
        (Some(now), Some("v1=abc".to_owned()), "v0="),
    ];
    for (timestamp, signature, why) in cases {
        let (status, refused) = s.post(&body, timestamp, signature).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}");
        let error = refused["error"].as_str().unwrap();
        assert!(error.contains(why), "{why}: {error}");
        assert!(!error.contains(SECRET));
    }
    assert!(!s.negotiation("glow", "Jane Doe").await.human_controlled);
    assert!(s.audit(EventType::Takeover).await.is_empty());

    let unconfigured = setup_with(None, START.parse().unwrap()).await;
    let (status, answer) = unconfigured.post(&body, Some(now), None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("SLACK_SIGNING_SECRET")
    );
}

#[tokio::test]
async fn claim_and_resume_take_a_name_an_email_or_a_thread() {
    let s = setup().await;
    s.start("glow", "Jane Doe, Raj Patel").await;

    let answer = s.command("/claim", "Jane Doe").await;
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(text_of(&answer).contains("You have *Jane Doe*"), "{answer}");
    assert!(s.negotiation("glow", "Jane Doe").await.human_controlled);
    let takeovers = s.audit(EventType::Takeover).await;
    assert_eq!(takeovers.len(), 1);
    assert_eq!(takeovers[0].metadata["by"], "pat", "the Slack user name");

    let again = s.command("/claim", "jane doe").await;
    assert!(
        text_of(&again).contains("already held by a person"),
        "{again}"
    );

    let back = s.command("/resume", "jane@creator.example").await;
    assert!(
        text_of(&back).contains("The agent has *Jane Doe* (campaign `glow`) again"),
        "{back}"
    );
    assert!(!s.negotiation("glow", "Jane Doe").await.human_controlled);
    let actions = s.audit(EventType::HumanAction).await;
    assert_eq!(actions[0].metadata["action"], "release");
    assert_eq!(actions[0].metadata["by"], "pat");

    let idle = s.command("/resume", "Jane Doe").await;
    assert!(text_of(&idle).contains("already with the agent"), "{idle}");

    let thread = s.negotiation("glow", "Raj Patel").await.thread_id.unwrap();
    let by_thread = s.command("/claim", &thread).await;
    assert!(text_of(&by_thread).contains("*Raj Patel*"), "{by_thread}");
    assert!(s.negotiation("glow", "Raj Patel").await.human_controlled);
}

#[tokio::test]
async fn resume_hands_an_escalation_back_to_the_agent() {
    let s = setup().await;
    s.start("glow", "Jane Doe").await;
    s.reply(
        "glow",
        "Jane Doe",
        "jane@creator.example",
        "My rate for this is $3,000.",
    )
    .await;
    assert_eq!(s.negotiation("glow", "Jane Doe").await.state, "escalated");
    let answer = s.command("/resume", "\"Jane Doe\"").await;
    assert!(
        text_of(&answer).contains("is back with the agent"),
        "{answer}"
    );
    let actions = s.audit(EventType::HumanAction).await;
    assert_eq!(actions[0].metadata["action"], "hand_back");
}

#[tokio::test]
async fn names_with_spaces_and_quotes_are_found() {
    let s = setup().await;
    s.start("glow", &format!("Jane Doe, {ZOE}")).await;

    let claimed = s.command("/claim", ZOE).await;
    assert!(text_of(&claimed).contains("You have"), "{claimed}");
    assert!(s.negotiation("glow", ZOE).await.human_controlled);

    let quoted = s
        .command("/audit", r#"influencer:"Zoë \"Z\" O'Neil" last:7d"#)
        .await;
    let text = text_of(&quoted);
    assert!(text.contains("takeover"), "{text}");
    assert!(
        text.contains(r#"negotiator audit --influencer 'Zoë \"Z\" O'\\''Neil' --last 7d"#),
        "{text}"
    );
    let unquoted = s
        .command("/audit", r#"influencer:Zoë "Z" O'Neil type:takeover"#)
        .await;
    assert!(text_of(&unquoted).contains("Showing 1 of 1"), "{unquoted}");

    let curly = s.command("/resume", "“Zoë \"Z\" O'Neil”").await;
    assert!(text_of(&curly).contains("again"), "{curly}");
}

#[tokio::test]
async fn ambiguous_and_unknown_names_are_answered_with_the_candidates() {
    let s = setup().await;
    s.start("glow", "Jane Doe, Raj Patel").await;
    s.start("spring", "Jane Doe").await;

    let both = s.command("/claim", "Jane Doe").await;
    let text = text_of(&both);
    assert!(text.contains("matches 2 negotiations"), "{text}");
    assert!(
        text.contains("`glow`") && text.contains("`spring`"),
        "{text}"
    );
    let thread = s.negotiation("spring", "Jane Doe").await.thread_id.unwrap();
    assert!(text.contains(&format!("/claim {thread}")), "{text}");
    assert!(!s.negotiation("glow", "Jane Doe").await.human_controlled);

    let narrowed = s.command("/claim", "Jane Doe campaign:spring").await;
    assert!(text_of(&narrowed).contains("You have"), "{narrowed}");
    assert!(s.negotiation("spring", "Jane Doe").await.human_controlled);
    assert!(!s.negotiation("glow", "Jane Doe").await.human_controlled);

    let near = s.command("/claim", "jane").await;
    let text = text_of(&near);
    assert!(
        text.contains("No negotiation matches") && text.contains("Did you mean"),
        "{text}"
    );
    assert!(text.contains("Jane Doe"), "{text}");
    let none = s.command("/resume", "Nobody Here").await;
    assert!(text_of(&none).contains("/negotiations"), "{none}");
}

#[tokio::test]
async fn audit_shows_the_ten_latest_and_points_to_the_cli_for_the_rest() {
    let s = setup().await;
    s.start("glow", "Jane Doe, Raj Patel").await;
    for _ in 0..4 {
        s.command("/claim", "Jane Doe").await;
        s.command("/resume", "Jane Doe").await;
    }
    let answer = s.command("/audit", "influencer:\"Jane Doe\" last:7d").await;
    let message = assert_fits(&answer);
    let entries = message
        .blocks
        .iter()
        .filter(|b| matches!(b, negotiator_vendors::slack::Block::Section { .. }))
        .count();
    assert_eq!(entries, 10);
    let filter = AuditFilter {
        influencer: Some("Jane Doe".into()),
        ..AuditFilter::default()
    };
    let total = s.agent.store.count_audit_entries(&filter).await.unwrap();
    assert!(total > 10);
    let text = text_of(&answer);
    assert!(text.contains(&format!("Showing 10 of {total}")), "{text}");
    assert!(
        text.contains(r#"negotiator audit --influencer \"Jane Doe\" --last 7d"#),
        "{text}"
    );
    assert!(text.contains("by pat"), "{text}");

    let sent = s.command("/audit", "campaign:glow type:email_sent").await;
    let text = text_of(&sent);
    assert!(text.contains("Showing 2 of 2"), "{text}");
    assert!(
        text.contains("--campaign glow --event-type email_sent"),
        "{text}"
    );

    // A bare /audit shows the ten newest entries of the whole trail.
    let bare = s.command("/audit", "").await;
    let text = text_of(&bare);
    assert_eq!(
        assert_fits(&bare)
            .blocks
            .iter()
            .filter(|b| matches!(b, negotiator_vendors::slack::Block::Section { .. }))
            .count(),
        10,
        "{text}"
    );
    assert!(text.contains("the whole trail"), "{text}");
    assert!(
        text.contains("Use the CLI for more: `negotiator audit`"),
        "{text}"
    );

    let by_email = s.command("/audit", "influencer:raj@creator.example").await;
    assert!(text_of(&by_email).contains("Raj Patel"), "{by_email}");

    let old = s.command("/audit", "influencer:Jane Doe last:30m").await;
    // The clock has not moved since the campaign started; nothing older than 30 minutes.
    assert!(text_of(&old).contains("Showing"), "{old}");
    s.clock.advance(jiff::SignedDuration::from_hours(2));
    let empty = s.command("/audit", "influencer:Jane Doe last:30m").await;
    assert!(
        text_of(&empty).contains("No audit entries match"),
        "{empty}"
    );
    let typo = s.command("/audit", "influencer:Jane Do").await;
    assert!(text_of(&typo).contains("Did you mean *Jane Doe*"), "{typo}");
}

#[tokio::test]
async fn the_board_shows_every_thread_or_one_campaign() {
    let s = setup().await;
    s.start("glow", "Jane Doe, Raj Patel").await;
    s.start("spring", "Jane Doe").await;
    s.reply(
        "glow",
        "Raj Patel",
        "raj@creator.example",
        "My rate for this is $3,000.",
    )
    .await;
    let board = s.command("/negotiations", "").await;
    let text = text_of(&board);
    assert!(
        text.contains("`glow`") && text.contains("`spring`"),
        "{text}"
    );
    assert!(text.contains("1 escalated"), "{text}");
    assert!(text.contains("theirs $3,000.00"), "{text}");
    // The thread that needs a person comes first.
    assert!(
        text.find("Raj Patel").unwrap() < text.find("Jane Doe").unwrap(),
        "{text}"
    );

    let one = s.command("/negotiations", "campaign:spring").await;
    let text = text_of(&one);
    assert!(
        text.contains("`spring`") && !text.contains("`glow`"),
        "{text}"
    );
    assert!(
        text.contains("negotiator negotiations --campaign spring"),
        "{text}"
    );
    let unknown = s.command("/negotiations", "campaign:nope").await;
    let text = text_of(&unknown);
    assert!(
        text.contains("No campaign `nope`") && text.contains("`spring`"),
        "{text}"
    );
}

#[tokio::test]
async fn a_board_too_big_for_one_message_is_cut_with_a_pointer_to_the_cli() {
    let s = setup().await;
    for n in 0..12 {
        s.start(
            &format!("campaign-{n:02}"),
            &format!("Jane Doe, Raj Patel, {ZOE}"),
        )
        .await;
    }
    let board = s.command("/negotiations", "").await;
    let message = assert_fits(&board);
    assert!(message.blocks.len() <= 50);
    let text = text_of(&board);
    assert!(text.contains("2 older campaign(s) not shown"), "{text}");
    assert!(text.contains("`negotiator negotiations`"), "{text}");
}

#[tokio::test]
async fn unknown_syntax_gets_the_usage() {
    let s = setup().await;
    let cases = [
        ("/audit", "Jane Doe", "influencer:\\\"Jane Doe\\\""),
        ("/audit", "influencer:Jane last:soon", "30m, 24h, 7d"),
        ("/audit", "campaign:glow type:nonsense", "email_sent"),
        ("/claim", "", "whose thread"),
        ("/negotiations", "glow", "campaign:ID"),
        ("/frobnicate", "now", "/negotiations"),
    ];
    for (command, text, expected) in cases {
        let answer = s.command(command, text).await;
        let shown = text_of(&answer);
        assert!(shown.contains(expected), "{command} {text}: {shown}");
        assert_eq!(answer["response_type"], "ephemeral");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_outruns_slacks_three_seconds_is_answered_through_the_response_url() {
    let s = setup().await;
    s.start("glow", "Jane Doe").await;
    // Slack's hook is busy once, then takes the answer.
    Mock::given(method("POST"))
        .and(path("/commands/T1/397700885554/96rGlfmibIGlgcZR"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .up_to_n_times(1)
        .mount(&s.hooks)
        .await;
    Mock::given(method("POST"))
        .and(path("/commands/T1/397700885554/96rGlfmibIGlgcZR"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&s.hooks)
        .await;
    // Someone else holds the database's write lock for 3.5 s, so the takeover waits.
    let lock = s.agent.store.begin_write().await.unwrap();
    let holder = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(3_500)).await;
        drop(lock);
    });
    let started = Instant::now();
    let ack = s.command("/claim", "Jane Doe").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(text_of(&ack).contains("Working on it"), "{ack}");

    holder.await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let answers = loop {
        let answers: Vec<Value> = s
            .response_url_bodies()
            .await
            .into_iter()
            .filter(|b| b["text"].is_string())
            .collect();
        if answers.len() >= 2 || Instant::now() > deadline {
            break answers;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(answers.len(), 2, "one 429, then delivered: {answers:?}");
    let answer = &answers[1];
    assert_fits(answer);
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(text_of(answer).contains("You have *Jane Doe*"), "{answer}");
    assert!(s.negotiation("glow", "Jane Doe").await.human_controlled);
    let requests = s.hooks.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| !r.headers.contains_key("authorization")),
        "the bot token never goes to a response_url"
    );
}

#[tokio::test]
async fn sending_pause_holds_every_email_and_resume_lets_them_go_in_order() {
    let slack = setup().await;
    let paused = slack.command("/sending", "pause").await;
    assert!(text_of(&paused).contains("paused all sending"), "{paused}");
    assert_eq!(paused["response_type"], "in_channel");
    assert!(text_of(&slack.command("/sending", "pause").await).contains("already paused"));

    slack.start("glow", "Jane Doe, Raj Patel").await;
    assert!(slack.audit(EventType::EmailSent).await.is_empty());
    let board = slack.command("/negotiations", "").await;
    assert!(text_of(&board).contains("Sending is paused"), "{board}");
    assert!(text_of(&board).contains("by pat"), "{board}");

    let resumed = slack.command("/sending", "resume").await;
    assert!(text_of(&resumed).contains("2 held job(s)"), "{resumed}");
    slack.work().await;
    let sent: Vec<String> = slack
        .audit(EventType::EmailSent)
        .await
        .into_iter()
        .rev()
        .map(|e| e.influencer_name.unwrap())
        .collect();
    assert_eq!(sent, ["Jane Doe", "Raj Patel"]);
    assert_eq!(
        slack.audit(EventType::SendingPaused).await[0].metadata["by"],
        "pat"
    );
    let board = slack.command("/negotiations", "").await;
    assert!(!text_of(&board).contains("Sending is paused"), "{board}");
    let usage = slack.command("/sending", "later").await;
    assert!(
        text_of(&usage).contains("/sending pause|resume|status"),
        "{usage}"
    );
}
