//! `POST /slack/interactions` end to end: the buttons on real escalation and draft notices
//! (as the Slack notifier renders them) clicked through the router; the state machine moves,
//! the audit trail names the Slack user, late and repeated clicks are answered politely, the
//! counter modal is opened through a fake Slack's `views.open` and its amount checked, and the
//! fake's `ok:false` answers and 429s are handled. Forged and replayed clicks change nothing.

use negotiator_testkit::campaign;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use negotiator_adapters::config::{Config, SlackConfig};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::mailbox::{PlayedReply, play_reply};
use negotiator_adapters::notify::TerminalNotifier;
use negotiator_adapters::notify::slack::message_for;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::ports::notifier::{Notice, NoticeKind};
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::workflows::restore;
use negotiator_agent::{Agent, Worker};
use negotiator_domain::{Money, NegotiationState};
use negotiator_server::chatops::modal;
use negotiator_store::{
    AuditEntry, AuditFilter, EventType, NegotiationRow, Store, list_negotiations,
};
use negotiator_vendors::Secret;
use negotiator_vendors::slack::{ActionElement, Block, Message, sign, validate};
use serde_json::{Value, json};
use tower::ServiceExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "slack-signing-secret-for-tests";
const TOKEN: &str = "xoxb-test-token-for-views";
const TRIGGER: &str = "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const HOOK: &str = "/actions/T1/4242/ClickResponseSecret";
const ROSTER: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
";

struct Slack {
    _dir: tempfile::TempDir,
    paths: LocalPaths,
    clock: Arc<ManualClock>,
    agent: Agent,
    app: axum::Router,
    secret: Secret,
    /// Slack's Web API and the clicks' response_url.
    fake: MockServer,
}

async fn setup() -> Slack {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(&paths.roster, ROSTER).unwrap();
    let fake = MockServer::start().await;
    let secret = Secret::new(SECRET);
    let mut config = Config {
        agent: negotiator_agent::Settings::demo(),
        ..Config::default()
    };
    config.server.bind = "127.0.0.1:0".to_owned();
    config.local.data_dir = dir.path().to_owned();
    config.slack = Some(SlackConfig {
        base_url: Some(fake.uri()),
        ..SlackConfig::default()
    });
    config.secrets.slack_signing_secret = Some(secret.clone());
    config.secrets.slack_bot_token = Some(Secret::new(TOKEN));
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let adapters = paths.adapters(false).unwrap();
    let clock = Arc::new(ManualClock::new("2026-11-02T09:00:00Z".parse().unwrap()));
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
        fake,
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Blocks as Slack echoes them in a click: ids added, `verbatim` on `mrkdwn` text.
fn echoed(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> =
                map.iter().map(|(k, v)| (k.clone(), echoed(v))).collect();
            if out.get("type") == Some(&json!("mrkdwn")) {
                out.insert("verbatim".into(), json!(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(echoed).collect()),
        other => other.clone(),
    }
}

/// The `value` of the button `action_id` on `message`.
fn button_value(message: &Message, action_id: &str) -> String {
    message
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Actions { elements, .. } => {
                elements.iter().find_map(|ActionElement::Button(button)| {
                    (button.action_id == action_id).then(|| button.value.clone().unwrap())
                })
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {action_id} button on {message:#?}"))
}

/// A `block_actions` payload for a click on `action_id` of `message` by `user`.
fn click(message: &Message, action_id: &str, user: &str, hook: &str) -> Value {
    let blocks: Vec<Value> = message
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let mut v = echoed(&serde_json::to_value(b).unwrap());
            if v.get("block_id").is_none() {
                v["block_id"] = json!(format!("b{i}x"));
            }
            v
        })
        .collect();
    json!({
        "type": "block_actions",
        "user": {"id": "U2CERLKJA", "username": user, "name": user, "team_id": "T1"},
        "api_app_id": "A0APP",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C0ESC", "is_ephemeral": false},
        "trigger_id": TRIGGER,
        "team": {"id": "T1", "domain": "agency"},
        "channel": {"id": "C0ESC", "name": "escalations"},
        "message": {"type": "message", "text": message.text, "ts": "1700000000.000100", "blocks": blocks},
        "response_url": hook,
        "actions": [{
            "action_id": action_id,
            "block_id": "escalation_actions",
            "text": {"type": "plain_text", "text": "x"},
            "value": button_value(message, action_id),
            "type": "button",
            "action_ts": "1700000001.000200"
        }]
    })
}

/// A counter modal submitted with `amount`.
fn submission(view: &Value, amount: &str) -> Value {
    json!({
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U2CERLKJA", "username": "pat", "name": "pat"},
        "api_app_id": "A0APP",
        "token": "legacy-verification-token",
        "trigger_id": "111.222.333",
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "blocks": view["blocks"],
            "state": {"values": {"rate": {"amount": {"type": "plain_text_input", "value": amount}}}},
            "hash": "156772938.1827394"
        },
        "response_urls": []
    })
}

impl Slack {
    fn hook(&self) -> String {
        format!("{}{HOOK}", self.fake.uri())
    }

    fn now(&self) -> i64 {
        self.agent.now().as_second()
    }

    async fn post_raw(
        &self,
        body: String,
        timestamp: i64,
        signature: String,
    ) -> (StatusCode, String) {
        let request = Request::post("/slack/interactions")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("X-Slack-Request-Timestamp", timestamp.to_string())
            .header("X-Slack-Signature", signature)
            .body(Body::from(body))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// Posts `payload` as Slack does, signed now.
    async fn send(&self, payload: &Value) -> (StatusCode, String) {
        let body = format!("payload={}", encode(&payload.to_string()));
        let signature = sign(&self.secret, self.now(), body.as_bytes()).unwrap();
        self.post_raw(body, self.now(), signature).await
    }

    async fn answer_hooks(&self) {
        Mock::given(method("POST"))
            .and(path(HOOK))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .mount(&self.fake)
            .await;
    }

    /// What the app sent to the clicks' response_url, in order; each fits Slack's limits.
    async fn hooked(&self) -> Vec<Value> {
        let bodies: Vec<Value> = self
            .fake
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == HOOK)
            .map(|r| {
                assert!(
                    !r.headers.contains_key("authorization"),
                    "no token to a response_url"
                );
                serde_json::from_slice(&r.body).unwrap()
            })
            .collect();
        for body in &bodies {
            let message: Message = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(validate(&message), Ok(()), "{body:#}");
        }
        bodies
    }

    /// Waits (up to 10 s) until the response_url has had `count` answers.
    async fn hooked_at_least(&self, count: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let bodies = self.hooked().await;
            if bodies.len() >= count || Instant::now() > deadline {
                return bodies;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn start(&self, mode: &str, names: &str) {
        ingest(&self.agent, &campaign("glow", mode, names), "file")
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

    async fn negotiation(&self, name: &str) -> NegotiationRow {
        list_negotiations(self.agent.store.db(), "glow")
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.influencer_name == name)
            .unwrap()
    }

    async fn state(&self, name: &str) -> NegotiationState {
        restore(&self.negotiation(name).await).unwrap().state()
    }

    /// A reply from `name` asking `body`, answering our latest email.
    async fn reply(&self, name: &str, from: &str, body: &str) {
        let row = self.negotiation(name).await;
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
        play_reply(&self.agent, &self.paths.mail, row.negotiation_id, &reply)
            .await
            .unwrap();
        self.clock.advance(jiff::SignedDuration::from_mins(5));
        self.work().await;
    }

    /// The Slack message of the latest notice of `kind` about `name`.
    fn notice(&self, kind: NoticeKind, name: &str) -> Message {
        let notices: Vec<Notice> = TerminalNotifier::read_all(&self.paths.notices)
            .unwrap()
            .into_iter()
            .filter(|n| n.kind == kind && n.influencer.as_deref() == Some(name))
            .collect();
        message_for(
            notices
                .last()
                .unwrap_or_else(|| panic!("no {kind:?} notice for {name}")),
        )
    }

    /// Escalates `name` with an ask of $3,000 and returns the escalation notice.
    async fn escalate(&self, name: &str, from: &str) -> Message {
        self.escalate_at(name, from, "$3,000").await
    }

    /// Escalates `name` with an ask of `ask` (above their limit) and returns the notice.
    async fn escalate_at(&self, name: &str, from: &str, ask: &str) -> Message {
        self.reply(name, from, &format!("My rate for this is {ask}."))
            .await;
        assert_eq!(self.state(name).await, NegotiationState::Escalated);
        self.notice(NoticeKind::Escalation, name)
    }

    async fn audit(&self, event: EventType) -> Vec<AuditEntry> {
        let filter = AuditFilter {
            event_type: Some(event),
            limit: 100,
            ..AuditFilter::default()
        };
        self.agent.store.audit_entries(&filter).await.unwrap()
    }

    fn outbox_to(&self, address: &str) -> usize {
        std::fs::read_dir(self.paths.mail.join("outbox"))
            .unwrap()
            .filter(|e| {
                std::fs::read_to_string(e.as_ref().unwrap().path())
                    .unwrap()
                    .contains(address)
            })
            .count()
    }
}

fn blocks_text(body: &Value) -> String {
    serde_json::to_string(&body["blocks"]).unwrap()
}

#[tokio::test]
async fn forged_and_replayed_clicks_change_nothing() {
    let s = setup().await;
    s.answer_hooks().await;
    s.start("auto", "Jane Doe").await;
    let notice = s.escalate("Jane Doe", "jane@creator.example").await;
    let body = format!(
        "payload={}",
        encode(&click(&notice, "escalation_approve", "mallory", &s.hook()).to_string())
    );
    let now = s.now();
    let forged = sign(&Secret::new("guessed"), now, body.as_bytes()).unwrap();
    let (status, answer) = s.post_raw(body.clone(), now, forged).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
    assert!(answer.contains("does not match"), "{answer}");
    let stale = sign(&s.secret, now - 301, body.as_bytes()).unwrap();
    let (status, answer) = s.post_raw(body.clone(), now - 301, stale).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(answer.contains("replay"), "{answer}");
    let other_body = sign(&s.secret, now, b"payload=%7B%7D").unwrap();
    assert_eq!(
        s.post_raw(body, now, other_body).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);
    assert!(s.audit(EventType::HumanAction).await.is_empty());
    assert!(s.hooked().await.is_empty());
}

#[tokio::test]
async fn approving_their_rate_closes_the_deal_and_a_second_click_is_told_so() {
    let s = setup().await;
    s.answer_hooks().await;
    s.start("auto", "Jane Doe").await;
    // $2,000 is above Jane's $1,500 limit, but not so far that it needs confirming.
    let notice = s
        .escalate_at("Jane Doe", "jane@creator.example", "$2,000")
        .await;

    let (status, body) = s
        .send(&click(&notice, "escalation_approve", "pat", &s.hook()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.is_empty(),
        "a click is acknowledged with an empty 200: {body}"
    );
    let jane = restore(&s.negotiation("Jane Doe").await).unwrap();
    assert_eq!(jane.state(), NegotiationState::Agreed);
    assert_eq!(jane.agreed_rate(), Some(Money::from_dollars(2_000)));
    let actions = s.audit(EventType::HumanAction).await;
    assert_eq!(actions[0].metadata["action"], "approve");
    assert_eq!(actions[0].metadata["by"], "pat", "the Slack user name");

    let answers = s.hooked().await;
    assert_eq!(answers.len(), 1);
    let replaced = &answers[0];
    assert_eq!(replaced["replace_original"], true);
    let text = blocks_text(replaced);
    assert!(
        !text.contains("\"actions\""),
        "the buttons are gone: {text}"
    );
    assert!(
        text.contains("Needs a decision: Jane Doe"),
        "the notice stays: {text}"
    );
    assert!(text.contains("pat approved *Jane Doe*"), "{text}");
    assert!(
        text.contains("$2,000.00") && text.contains("waits for review as draft"),
        "{text}"
    );

    // The same button again, later: nothing happens, and the person is told why.
    let (status, _) = s
        .send(&click(&notice, "escalation_approve", "sam", &s.hook()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let answers = s.hooked().await;
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[1]["response_type"], "ephemeral");
    assert_eq!(answers[1]["replace_original"], false);
    assert!(
        blocks_text(&answers[1]).contains("already agreed at $2,000.00"),
        "{}",
        answers[1]
    );
    assert_eq!(s.audit(EventType::HumanAction).await.len(), 1);
}

#[tokio::test]
async fn an_approval_far_above_the_limit_is_confirmed_in_a_modal_first() {
    let s = setup().await;
    s.answer_hooks().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "view": {"id": "V0MODAL"}})),
        )
        .mount(&s.fake)
        .await;
    s.start("auto", "Jane Doe").await;
    // $3,000 is twice Jane's $1,500 limit: one click must not agree to it.
    let notice = s.escalate("Jane Doe", "jane@creator.example").await;
    s.send(&click(&notice, "escalation_approve", "pat", &s.hook()))
        .await;
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);
    assert!(s.audit(EventType::HumanAction).await.is_empty());
    let opened: Vec<Value> = s
        .fake
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/views.open")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(opened.len(), 1);
    let view = &opened[0]["view"];
    assert_eq!(modal::check(view), Ok(()));
    assert_eq!(view["callback_id"], "escalation_approve_confirm");
    let text = blocks_text(view);
    assert!(
        text.contains("$3,000.00 is 2.0× the agent's limit of $1,500.00")
            && text.contains("of the campaign's $20,000.00 budget"),
        "the amount against the limit and the budget: {text}"
    );

    let (status, body) = s.send(&submission(view, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty(), "the modal closes: {body}");
    let jane = restore(&s.negotiation("Jane Doe").await).unwrap();
    assert_eq!(jane.state(), NegotiationState::Agreed);
    assert_eq!(jane.agreed_rate(), Some(Money::from_dollars(3_000)));
    let actions = s.audit(EventType::HumanAction).await;
    assert_eq!(actions[0].metadata["by"], "pat");
    let told = s.hooked_at_least(1).await;
    assert!(
        blocks_text(&told[0]).contains("pat approved *Jane Doe*")
            && blocks_text(&told[0]).contains("after confirming"),
        "{told:?}"
    );

    // The same confirmation again: the negotiation moved on, nothing else happens.
    let (_, body) = s.send(&submission(view, "")).await;
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["response_action"], "update");
    assert!(
        answer
            .to_string()
            .contains("changed since this form opened"),
        "{answer}"
    );
    assert_eq!(s.audit(EventType::HumanAction).await.len(), 1);
}

#[tokio::test]
async fn an_approval_past_the_budget_says_so_and_raises_it_only_when_confirmed() {
    let s = setup().await;
    s.answer_hooks().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "view": {"id": "V0MODAL"}})),
        )
        .mount(&s.fake)
        .await;
    s.start("auto", "Jane Doe").await;
    let notice = s
        .escalate_at("Jane Doe", "jane@creator.example", "$25,000")
        .await;
    s.send(&click(&notice, "escalation_approve", "pat", &s.hook()))
        .await;
    let view = s
        .fake
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/views.open")
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .next_back()
        .unwrap()["view"]
        .clone();
    assert!(
        blocks_text(&view).contains("raises the campaign's budget from $20,000.00 to $25,000.00"),
        "{view}"
    );
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);
    s.send(&submission(&view, "")).await;
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Agreed);
    let raised = s.audit(EventType::BudgetChanged).await;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].metadata["by"], "pat");
    assert_eq!(raised[0].metadata["to"], "$25,000.00");
}

#[tokio::test]
async fn an_ask_that_changed_since_the_notice_is_not_approved_blindly() {
    let s = setup().await;
    s.answer_hooks().await;
    s.start("auto", "Jane Doe").await;
    let mut notice = s.escalate("Jane Doe", "jane@creator.example").await;
    for block in &mut notice.blocks {
        if let Block::Section { fields, .. } = block {
            for field in fields.iter_mut() {
                if field.as_str().starts_with("*Their ask*") {
                    *field = negotiator_vendors::slack::Text::mrkdwn("*Their ask*\n$2,500.00");
                }
            }
        }
    }
    s.send(&click(&notice, "escalation_approve", "pat", &s.hook()))
        .await;
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);
    let answers = s.hooked().await;
    let text = blocks_text(&answers[0]);
    assert!(
        text.contains("now asks *$3,000.00*, not the $2,500.00"),
        "{text}"
    );
}

#[tokio::test]
async fn counter_asks_for_the_amount_in_a_modal_and_checks_it() {
    let s = setup().await;
    s.answer_hooks().await;
    Mock::given(method("POST"))
        .and(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": true, "view": {"id": "V0MODAL"}})),
        )
        .mount(&s.fake)
        .await;
    s.start("auto", "Jane Doe").await;
    let notice = s.escalate("Jane Doe", "jane@creator.example").await;

    let (status, _) = s
        .send(&click(&notice, "escalation_counter", "pat", &s.hook()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let opened: Vec<Value> = s
        .fake
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/views.open")
        .map(|r| {
            assert_eq!(
                r.headers.get("authorization").unwrap().to_str().unwrap(),
                format!("Bearer {TOKEN}")
            );
            serde_json::from_slice(&r.body).unwrap()
        })
        .collect();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["trigger_id"], TRIGGER);
    let view = &opened[0]["view"];
    assert_eq!(modal::check(view), Ok(()));
    assert_eq!(view["callback_id"], "escalation_counter");
    assert!(blocks_text(view).contains("They ask *$3,000.00*"), "{view}");
    assert!(view["private_metadata"].as_str().unwrap().contains(HOOK));
    assert_eq!(
        s.state("Jane Doe").await,
        NegotiationState::Escalated,
        "nothing yet"
    );

    for (typed, problem) in [
        ("abc", "is not an amount of money"),
        ("", "Type the amount"),
        ("0", "more than $0.00"),
        ("-5", "more than $0.00"),
    ] {
        let (status, body) = s.send(&submission(view, typed)).await;
        assert_eq!(status, StatusCode::OK);
        let answer: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["response_action"], "errors", "{typed:?}");
        let message = answer["errors"]["rate"].as_str().unwrap();
        assert!(message.contains(problem), "{typed:?}: {message}");
    }
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);

    let (status, body) = s.send(&submission(view, "$2,000")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty(), "the modal closes: {body}");
    let jane = restore(&s.negotiation("Jane Doe").await).unwrap();
    assert_eq!(jane.state(), NegotiationState::CounterSent);
    assert_eq!(jane.current_offer(), Some(Money::from_dollars(2_000)));
    let actions = s.audit(EventType::HumanAction).await;
    assert_eq!(actions[0].metadata["action"], "counter_at");
    assert_eq!(actions[0].metadata["by"], "pat");
    let told = s.hooked_at_least(1).await;
    assert_eq!(told[0]["response_type"], "in_channel");
    let text = blocks_text(&told[0]);
    assert!(
        text.contains("pat countered *Jane Doe*") && text.contains("*$2,000.00*"),
        "{text}"
    );
    assert!(text.contains("waits for review as draft"), "{text}");

    // The same form submitted again: the escalation is settled.
    let (_, body) = s.send(&submission(view, "2100")).await;
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert!(
        answer["errors"]["rate"]
            .as_str()
            .unwrap()
            .contains("no longer waiting for a decision"),
        "{answer}"
    );
    // And the Counter button on the old notice no longer opens a form.
    s.send(&click(&notice, "escalation_counter", "pat", &s.hook()))
        .await;
    let told = s.hooked().await;
    assert!(
        blocks_text(told.last().unwrap()).contains("no longer waiting for a decision"),
        "{told:?}"
    );
}

#[tokio::test]
async fn when_slack_will_not_open_the_modal_the_person_is_told() {
    let s = setup().await;
    s.answer_hooks().await;
    Mock::given(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"ok": false, "error": "expired_trigger_id"})),
        )
        .up_to_n_times(1)
        .mount(&s.fake)
        .await;
    Mock::given(path("/views.open"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(json!({"ok": false, "error": "ratelimited"})),
        )
        .mount(&s.fake)
        .await;
    s.start("auto", "Jane Doe").await;
    let notice = s.escalate("Jane Doe", "jane@creator.example").await;

    s.send(&click(&notice, "escalation_counter", "pat", &s.hook()))
        .await;
    let started = Instant::now();
    s.send(&click(&notice, "escalation_counter", "pat", &s.hook()))
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "no waiting out a 30 s Retry-After"
    );
    let told = s.hooked().await;
    assert_eq!(told.len(), 2);
    assert_eq!(told[0]["response_type"], "ephemeral");
    assert!(
        blocks_text(&told[0]).contains("expired_trigger_id"),
        "{}",
        told[0]
    );
    assert!(
        blocks_text(&told[1]).contains("again in 30 s"),
        "{}",
        told[1]
    );
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Escalated);
}

#[tokio::test]
async fn reject_and_take_over_resolve_the_escalation() {
    let s = setup().await;
    s.answer_hooks().await;
    s.start("auto", "Jane Doe, Raj Patel").await;
    let jane = s.escalate("Jane Doe", "jane@creator.example").await;
    let raj = s.escalate("Raj Patel", "raj@creator.example").await;

    s.send(&click(&jane, "escalation_reject", "pat", &s.hook()))
        .await;
    assert_eq!(s.state("Jane Doe").await, NegotiationState::Rejected);
    let told = s.hooked().await;
    assert!(blocks_text(&told[0]).contains("pat ended the negotiation with *Jane Doe*"));
    assert!(
        blocks_text(&told[0]).contains("draft"),
        "the decline waits for review"
    );

    s.send(&click(&raj, "escalation_take_over", "sam", &s.hook()))
        .await;
    assert!(s.negotiation("Raj Patel").await.human_controlled);
    let takeovers = s.audit(EventType::Takeover).await;
    assert_eq!(takeovers[0].metadata["by"], "sam");
    assert!(blocks_text(&s.hooked().await[1]).contains("sam took *Raj Patel*"));

    s.send(&click(&raj, "escalation_take_over", "pat", &s.hook()))
        .await;
    let told = s.hooked().await;
    assert!(
        blocks_text(&told[2]).contains("already held by a person"),
        "{}",
        told[2]
    );
    s.send(&click(&jane, "escalation_take_over", "pat", &s.hook()))
        .await;
    let told = s.hooked().await;
    assert!(
        blocks_text(&told[3]).contains("already rejected"),
        "{}",
        told[3]
    );
    assert_eq!(s.audit(EventType::Takeover).await.len(), 1);
}

#[tokio::test]
async fn send_and_discard_do_what_the_cli_does_and_name_who_clicked() {
    let s = setup().await;
    s.answer_hooks().await;
    s.start("review", "Jane Doe, Raj Patel").await;
    assert_eq!(s.outbox_to("jane@creator.example"), 0);
    let jane = s.notice(NoticeKind::DraftWaiting, "Jane Doe");
    let raj = s.notice(NoticeKind::DraftWaiting, "Raj Patel");

    s.send(&click(&jane, "draft_send", "pat", &s.hook())).await;
    let approved = s.audit(EventType::DraftApproved).await;
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0].metadata["by"], "pat");
    s.work().await;
    assert_eq!(s.outbox_to("jane@creator.example"), 1);
    let told = s.hooked().await;
    assert_eq!(told[0]["replace_original"], true);
    assert!(
        blocks_text(&told[0]).contains("pat approved draft"),
        "{}",
        told[0]
    );

    s.send(&click(&jane, "draft_send", "sam", &s.hook())).await;
    assert!(blocks_text(&s.hooked().await[1]).contains("sent already"));
    s.work().await;
    assert_eq!(s.outbox_to("jane@creator.example"), 1, "never twice");

    s.send(&click(&raj, "draft_discard", "sam", &s.hook()))
        .await;
    let discarded = s.audit(EventType::DraftDiscarded).await;
    assert_eq!(discarded[0].metadata["by"], "sam");
    assert_eq!(s.state("Raj Patel").await, NegotiationState::Escalated);
    s.work().await;
    assert_eq!(s.outbox_to("raj@creator.example"), 0);
    assert!(blocks_text(&s.hooked().await[2]).contains("sam discarded draft"));
}

#[tokio::test]
async fn a_response_url_that_refuses_is_logged_not_retried() {
    let s = setup().await;
    Mock::given(method("POST"))
        .and(path(HOOK))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"ok": false, "error": "used_url"})),
        )
        .mount(&s.fake)
        .await;
    s.start("auto", "Jane Doe").await;
    let notice = s.escalate("Jane Doe", "jane@creator.example").await;
    let (status, _) = s
        .send(&click(&notice, "escalation_take_over", "pat", &s.hook()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        s.negotiation("Jane Doe").await.human_controlled,
        "the click still counts"
    );
    assert_eq!(s.hooked().await.len(), 1, "a refusal is not retried");
}

#[tokio::test]
async fn odd_payloads_are_acknowledged_or_refused_plainly() {
    let s = setup().await;
    s.answer_hooks().await;
    let (status, _) = s.send(&json!({"type": "view_closed", "view": {}})).await;
    assert_eq!(status, StatusCode::OK);
    let other_modal = json!({"type": "view_submission", "user": {"id": "U1"},
        "view": {"callback_id": "something_else", "private_metadata": ""}});
    let (status, body) = s.send(&other_modal).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));

    let body = "text=hello".to_owned();
    let signature = sign(&s.secret, s.now(), body.as_bytes()).unwrap();
    let (status, answer) = s.post_raw(body, s.now(), signature).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer.contains("payload"), "{answer}");
    let body = "payload=%7Bnot+json".to_owned();
    let signature = sign(&s.secret, s.now(), body.as_bytes()).unwrap();
    assert_eq!(
        s.post_raw(body, s.now(), signature).await.0,
        StatusCode::BAD_REQUEST
    );

    let stranger = json!({"type": "block_actions", "user": {"id": "U1", "username": "pat"},
        "response_url": s.hook(), "actions": [{"action_id": "launch_rockets", "value": "{}"}]});
    assert_eq!(s.send(&stranger).await.0, StatusCode::OK);
    let garbled = json!({"type": "block_actions", "user": {"id": "U1", "username": "pat"},
        "response_url": s.hook(), "actions": [{"action_id": "escalation_reject", "value": "not json"}]});
    assert_eq!(s.send(&garbled).await.0, StatusCode::OK);
    let told = s.hooked().await;
    assert!(
        blocks_text(&told[0]).contains("not one this app knows"),
        "{}",
        told[0]
    );
    assert!(
        blocks_text(&told[1]).contains("could not be read"),
        "{}",
        told[1]
    );
}
