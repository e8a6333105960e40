//! The Anthropic classifier and composer end to end, against a fake Messages API on loopback
//! that answers in the documented shapes (tool_use answers, stop reasons, error bodies).

use std::time::Duration;

use negotiator_adapters::classify::anthropic::AnthropicClassifier;
use negotiator_adapters::compose::anthropic::AnthropicComposer;
use negotiator_agent::ports::classifier::{Classifier, ClassifyError, ReplyContext};
use negotiator_agent::ports::composer::{ComposeRequest, Composer};
use negotiator_domain::gate::{self, GatePolicy};
use negotiator_domain::template;
use negotiator_domain::{
    Deliverable, DeliverableType, EmailKind, EmailPlan, Intent, Money, Platform, Sender,
};
use negotiator_vendors::anthropic::AnthropicClient;
use negotiator_vendors::{ErrorKind, RetryPolicy, Secret};
use serde_json::{Value, json};

use fake::{Answer, FakeAnthropic};

const KEY: &str = "sk-ant-api03-test-key-never-shown";
const CLASSIFY_MODEL: &str = "claude-haiku-4-5-20251001";
const COMPOSE_MODEL: &str = "claude-sonnet-4-5-20250929";

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn client(fake: &FakeAnthropic) -> AnthropicClient {
    AnthropicClient::new(fake.url(), Secret::new(KEY), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(3))
}

fn classifier(fake: &FakeAnthropic) -> AnthropicClassifier {
    AnthropicClassifier::new(client(fake), CLASSIFY_MODEL)
}

fn composer(fake: &FakeAnthropic) -> AnthropicComposer {
    AnthropicComposer::new(client(fake), COMPOSE_MODEL)
}

fn planned() -> Vec<Deliverable> {
    let d = |kind: DeliverableType, n| Deliverable::new(Platform::Instagram, kind, n).unwrap();
    vec![
        d(DeliverableType::InstagramReel, 2),
        d(DeliverableType::InstagramStory, 1),
    ]
}

const REPLY: &str = "Hi Sam! Thanks so much for reaching out, I love Glow's products. \
For the 2 reels and the story my rate would be $1,500 total. Also, my manager handles all \
contracts so please loop her in.";

fn reply(text: &str) -> ReplyContext {
    ReplyContext {
        text: text.to_owned(),
        subject: "Re: Collaboration opportunity with Glow Skincare".to_owned(),
        platform: Platform::Instagram,
        our_offer: Some(Money::from_dollars(1_200)),
        deliverables: planned(),
    }
}

/// A reading as the model would record it, with fields overridden by `changes`.
fn reading(changes: Value) -> Value {
    let mut base = json!({
        "intent": "counter",
        "proposed_rate": "1500.00",
        "deliverables": ["instagram_reel", "instagram_story"],
        "confidence": 88,
        "hostile": null,
        "legal": "my manager handles all contracts",
        "unusual_deliverables": null,
        "summary": "They would do the package for $1,500 and want their manager to handle the contract."
    });
    for (key, value) in changes.as_object().unwrap() {
        base[key] = value.clone();
    }
    base
}

fn plan(kind: EmailKind) -> EmailPlan {
    EmailPlan {
        kind,
        influencer_name: "Jane Doe".to_owned(),
        client_name: "Glow Skincare".to_owned(),
        platform: Platform::Instagram,
        deliverables: planned(),
        our_rate: (kind != EmailKind::Decline).then_some(Money::from_cents(131_250)),
        their_rate: Some(Money::from_dollars(1_500)),
        ceiling_rate: Money::from_dollars(1_600),
    }
}

fn sender() -> Sender {
    Sender {
        name: "Sam Rivera".to_owned(),
        team: "AGM Partnerships".to_owned(),
    }
}

fn prose(opening: &[&str], closing: &[&str]) -> Value {
    json!({
        "greeting": "Hi Jane,",
        "opening_paragraphs": opening,
        "closing_paragraphs": closing
    })
}

fn passes_gate(text: &str, plan: &EmailPlan) -> bool {
    gate::check(
        text,
        plan,
        &negotiator_domain::Budget::plan_only(plan.ceiling_rate),
        &GatePolicy::default(),
    )
    .is_ok()
}

// ---------------------------------------------------------------------------------------------
// Classifier
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_realistic_answer_is_read_end_to_end() {
    let fake = FakeAnthropic::start(vec![Answer::tool(
        "record_reply_reading",
        reading(json!({})),
    )]);

    let read = classifier(&fake)
        .classify(&reply(REPLY))
        .await
        .unwrap()
        .reply;

    assert_eq!(read.intent, Intent::Counter);
    assert_eq!(read.proposed_rate, Some(Money::from_dollars(1_500)));
    assert_eq!(
        read.deliverables,
        vec![
            DeliverableType::InstagramReel,
            DeliverableType::InstagramStory
        ]
    );
    assert_eq!(read.confidence.percent(), 88);
    assert_eq!(
        read.legal.unwrap().quote,
        "my manager handles all contracts"
    );
    assert!(read.hostile.is_none() && read.unusual_deliverables.is_none());
    assert!(read.summary.starts_with("They would do the package"));
    assert_eq!(read.text, REPLY);

    let request = fake.only_request();
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
    let body = &request.body;
    assert_eq!(body["model"], CLASSIFY_MODEL);
    assert_eq!(
        body["tool_choice"],
        json!({"type": "tool", "name": "record_reply_reading"})
    );
    assert_eq!(body["tools"][0]["name"], "record_reply_reading");
    assert_eq!(
        body["tools"][0]["input_schema"]["properties"]["proposed_rate"]["type"][0],
        "string"
    );
    let prompt = body["messages"][0]["content"].as_str().unwrap();
    assert!(prompt.contains(REPLY), "{prompt}");
    assert!(prompt.contains("$1,200.00"), "our offer is given: {prompt}");
    assert!(prompt.contains("2 x instagram_reel"), "{prompt}");
    let system = body["system"][0]["text"].as_str().unwrap();
    assert_eq!(
        body["system"][0]["cache_control"],
        json!({"type": "ephemeral"}),
        "the static prefix is cached"
    );
    assert!(
        body.get("temperature").is_none(),
        "no sampling parameter unless configured"
    );
    let everything = format!("{system} {prompt}").to_lowercase();
    for internal in ["ceiling", "budget", "limit", "1,600", "1600"] {
        assert!(
            !everything.contains(internal),
            "the prompt leaks {internal:?}"
        );
    }
}

#[tokio::test]
async fn rates_written_as_strings_are_read_as_exact_money() {
    for (written, cents) in [
        ("$1,500", 150_000),
        ("1500.00", 150_000),
        ("1,250.50", 125_050),
        ("USD 999.99", 99_999),
    ] {
        let answer = reading(json!({"proposed_rate": written}));
        let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);
        let read = classifier(&fake)
            .classify(&reply(REPLY))
            .await
            .unwrap()
            .reply;
        assert_eq!(
            read.proposed_rate,
            Some(Money::from_cents(cents)),
            "{written}"
        );
    }
    let none = reading(json!({"intent": "accept", "proposed_rate": null}));
    let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", none)]);
    let read = classifier(&fake)
        .classify(&reply("Sounds great, let's do it!"))
        .await
        .unwrap()
        .reply;
    assert_eq!((read.intent, read.proposed_rate), (Intent::Accept, None));
}

#[tokio::test]
async fn a_rate_that_is_not_an_amount_makes_the_reading_unusable() {
    for rate in [
        json!("about fifteen hundred"),
        json!("1.5k"),
        json!(1500.5),
        json!("-200"),
        json!("0"),
    ] {
        let answer = reading(json!({ "proposed_rate": rate.clone() }));
        let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);
        let failure = classifier(&fake).classify(&reply(REPLY)).await.unwrap_err();
        assert!(
            matches!(failure, ClassifyError::Unusable(_)),
            "{rate}: {failure:?}"
        );
        assert!(failure.is_retryable());
    }
}

#[tokio::test]
async fn a_fabricated_evidence_quote_is_dropped_with_its_flag() {
    let answer = reading(json!({
        "hostile": "you people are scammers",
        "unusual_deliverables": "I'd also need you to fly me to the launch event"
    }));
    let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);

    let read = classifier(&fake)
        .classify(&reply(REPLY))
        .await
        .unwrap()
        .reply;

    assert!(read.hostile.is_none(), "{:?}", read.hostile);
    assert!(read.unusual_deliverables.is_none());
    assert!(read.legal.is_some(), "a real quote is kept");
}

#[tokio::test]
async fn a_rate_the_reply_cannot_have_asked_for_is_dropped_and_a_person_looks() {
    for (text, intent, rate, expected_confidence) in [
        // Our offer quoted back and read as their counter: contradictory.
        (
            "You offered $1,200 but I'd need more for two reels.",
            "counter",
            "1200.00",
            50,
        ),
        // Our offer agreed to: no ask of theirs, the reading stands.
        ("Yes, $1,200 works for me!", "accept", "$1,200", 90),
        // No number anywhere in the reply: the amount is invented.
        (
            "I'd want a bit more than that, honestly.",
            "counter",
            "1800.00",
            50,
        ),
    ] {
        let answer = reading(json!({
            "intent": intent, "proposed_rate": rate, "confidence": 90, "legal": null
        }));
        let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);
        let read = classifier(&fake)
            .classify(&reply(text))
            .await
            .unwrap()
            .reply;
        assert_eq!(read.proposed_rate, None, "{text}");
        assert_eq!(read.confidence.percent(), expected_confidence, "{text}");
        assert_eq!(read.intent.as_str(), intent);
    }
}

#[tokio::test]
async fn confidence_is_clamped_and_unknown_deliverables_left_out() {
    for (given, expected) in [(json!(140), 100), (json!(-5), 0), (json!(72.6), 73)] {
        let answer = reading(json!({
            "confidence": given.clone(),
            "deliverables": ["instagram_reel", "instagram_live", "instagram_reel"]
        }));
        let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);
        let read = classifier(&fake)
            .classify(&reply(REPLY))
            .await
            .unwrap()
            .reply;
        assert_eq!(read.confidence.percent(), expected, "{given}");
        assert_eq!(read.deliverables, vec![DeliverableType::InstagramReel]);
    }
}

#[tokio::test]
async fn a_truncated_answer_is_unusable_and_never_parsed() {
    let fake = FakeAnthropic::start(vec![Answer::stopped(
        "record_reply_reading",
        json!({"intent": "counter", "proposed_rate": "15"}),
        "max_tokens",
    )]);
    let failure = classifier(&fake).classify(&reply(REPLY)).await.unwrap_err();
    assert!(
        matches!(&failure, ClassifyError::Unusable(why) if why.contains("max_tokens")),
        "{failure:?}"
    );

    let fake = FakeAnthropic::start(vec![Answer::text("I can't help with that.", "refusal")]);
    let failure = classifier(&fake).classify(&reply(REPLY)).await.unwrap_err();
    assert!(matches!(failure, ClassifyError::Unusable(_)), "{failure:?}");
}

#[tokio::test]
async fn an_answer_missing_a_field_is_unusable() {
    let mut answer = reading(json!({}));
    answer.as_object_mut().unwrap().remove("intent");
    let fake = FakeAnthropic::start(vec![Answer::tool("record_reply_reading", answer)]);
    let failure = classifier(&fake).classify(&reply(REPLY)).await.unwrap_err();
    assert!(matches!(failure, ClassifyError::Unusable(_)), "{failure:?}");
}

#[tokio::test]
async fn an_overloaded_service_is_retried_and_the_next_answer_used() {
    let fake = FakeAnthropic::start(vec![
        Answer::error(529, "overloaded_error", "Overloaded"),
        Answer::tool("record_reply_reading", reading(json!({}))),
    ]);
    let read = classifier(&fake)
        .classify(&reply(REPLY))
        .await
        .unwrap()
        .reply;
    assert_eq!(read.intent, Intent::Counter);
    assert_eq!(fake.requests().len(), 2);
}

#[tokio::test]
async fn a_bad_request_is_not_retried_and_says_so() {
    let fake = FakeAnthropic::start(vec![Answer::error(
        400,
        "invalid_request_error",
        "messages: text content blocks must be non-empty",
    )]);
    let failure = classifier(&fake).classify(&reply(REPLY)).await.unwrap_err();
    let ClassifyError::Vendor(error) = &failure else {
        panic!("expected a vendor error, got {failure:?}");
    };
    assert_eq!(error.kind, ErrorKind::Rejected);
    assert!(!failure.is_retryable());
    assert_eq!(fake.requests().len(), 1);
}

#[tokio::test]
async fn the_key_never_appears_in_errors_or_debug_output() {
    let fake = FakeAnthropic::start(vec![Answer::error(
        401,
        "authentication_error",
        &format!("invalid x-api-key: {KEY}"),
    )]);
    let classifier = classifier(&fake);
    let composer = composer(&fake);
    assert!(!format!("{classifier:?} {composer:?}").contains(KEY));
    let failure = classifier.classify(&reply(REPLY)).await.unwrap_err();
    let shown = format!("{failure} {failure:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(matches!(failure, ClassifyError::Vendor(e) if e.kind == ErrorKind::Unauthorized));
}

#[tokio::test]
async fn describe_names_the_model() {
    let fake = FakeAnthropic::start(vec![]);
    assert!(classifier(&fake).describe().contains(CLASSIFY_MODEL));
    assert!(composer(&fake).describe().contains(COMPOSE_MODEL));
}

// ---------------------------------------------------------------------------------------------
// Composer
// ---------------------------------------------------------------------------------------------

const OPENING: &str = "Thank you so much for getting back to us, and for being open about \
what you had in mind. We really appreciate it.";
const MIDDLE: &str = "We've taken a careful look on our side, and what you see below is the \
best we can offer for this collaboration with Glow Skincare. We'd be excited to make it work.";
const CLOSING: &str = "Let us know if this works for you, and we'll get everything moving!";

#[tokio::test]
async fn the_models_prose_goes_around_the_plans_scope_block_and_passes_the_gate() {
    let fake = FakeAnthropic::start(vec![Answer::tool(
        "write_email_prose",
        prose(&[OPENING, MIDDLE], &[CLOSING, "Best,\nSam"]),
    )]);
    let plan = plan(EmailKind::Counter);

    let text = composer(&fake)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;

    assert!(passes_gate(&text, &plan), "{text}");
    assert_ne!(
        text,
        template::render(&plan, &sender()),
        "the model's email was used"
    );
    assert!(text.starts_with("Hi Jane,\n\n"), "{text}");
    assert!(text.contains(MIDDLE) && text.contains(CLOSING), "{text}");
    assert_eq!(text.matches("$1,312.50").count(), 1, "{text}");
    let scope = text
        .split("\n\n")
        .find(|p| p.starts_with("Scope of work:"))
        .unwrap();
    assert_eq!(
        scope,
        "Scope of work:\n- 2 Instagram reels\n- 1 Instagram story\n\
         - Rate: $1,312.50 for everything above\n\
         - Payment: within 30 days of the content going live"
    );
    assert!(text.find(MIDDLE).unwrap() < text.find("Scope of work:").unwrap());
    assert!(text.find("Scope of work:").unwrap() < text.find(CLOSING).unwrap());
    assert!(
        text.ends_with(&format!(
            "{CLOSING}\n\nBest regards,\nSam Rivera\nAGM Partnerships\n"
        )),
        "the model's own sign-off is dropped and ours added: {text}"
    );

    // The model is told no amount at all, and never our ceiling.
    let request = fake.only_request();
    assert_eq!(request.body["model"], COMPOSE_MODEL);
    assert_eq!(
        request.body["tool_choice"],
        json!({"type": "tool", "name": "write_email_prose"})
    );
    let prompt = request.body["messages"][0]["content"].as_str().unwrap();
    assert!(
        !prompt.contains('$') && !prompt.chars().any(|c| c.is_ascii_digit()),
        "{prompt}"
    );
    assert!(prompt.contains("Jane"), "{prompt}");
}

#[tokio::test]
async fn a_made_up_amount_in_the_prose_falls_back_to_the_template() {
    for made_up in [
        "We can go to $9,000 if that helps.",
        "We could stretch to nine thousand dollars.",
    ] {
        let fake = FakeAnthropic::start(vec![Answer::tool(
            "write_email_prose",
            prose(&[OPENING, made_up], &[CLOSING]),
        )]);
        let plan = plan(EmailKind::Counter);

        let text = composer(&fake)
            .compose(&ComposeRequest {
                plan: &plan,
                sender: &sender(),
                instructions: None,
            })
            .await
            .unwrap()
            .body;

        assert_eq!(text, template::render(&plan, &sender()), "{made_up}");
        assert!(!text.contains("9,000") && !text.contains("nine thousand"));
        assert!(passes_gate(&text, &plan), "{text}");
    }
}

#[tokio::test]
async fn a_promise_the_gate_refuses_falls_back_to_the_template() {
    let fake = FakeAnthropic::start(vec![Answer::tool(
        "write_email_prose",
        prose(
            &[
                OPENING,
                "This would be an exclusive partnership, and we guarantee future campaigns.",
            ],
            &[CLOSING],
        ),
    )]);
    let plan = plan(EmailKind::Opening);
    let text = composer(&fake)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert_eq!(text, template::render(&plan, &sender()));
    assert!(passes_gate(&text, &plan));
}

#[tokio::test]
async fn an_unavailable_or_truncated_model_never_blocks_the_email() {
    let down = FakeAnthropic::start(vec![Answer::error(
        500,
        "api_error",
        "Internal server error",
    )]);
    let plan = plan(EmailKind::FollowUp);
    let text = composer(&down)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert_eq!(text, template::render(&plan, &sender()));
    assert_eq!(down.requests().len(), 3, "retried before falling back");

    let cut = FakeAnthropic::start(vec![Answer::stopped(
        "write_email_prose",
        prose(&[OPENING], &[]),
        "max_tokens",
    )]);
    let text = composer(&cut)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert_eq!(text, template::render(&plan, &sender()));
}

#[tokio::test]
async fn a_decline_has_no_scope_block_and_no_amount() {
    let fake = FakeAnthropic::start(vec![Answer::tool(
        "write_email_prose",
        prose(
            &[
                "Thank you for taking the time to talk with us about this campaign.",
                "After looking at everything carefully, we aren't able to move forward with \
                 this collaboration at this time.",
            ],
            &["We wish you all the best with your content!"],
        ),
    )]);
    let plan = plan(EmailKind::Decline);
    let text = composer(&fake)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert_ne!(text, template::render(&plan, &sender()));
    assert!(
        !text.contains("Scope of work") && !text.contains('$'),
        "{text}"
    );
    assert!(passes_gate(&text, &plan), "{text}");
}

#[tokio::test]
async fn an_agreement_carries_the_next_steps_and_a_greeting_without_the_name_is_replaced() {
    let fake = FakeAnthropic::start(vec![Answer::tool(
        "write_email_prose",
        json!({
            "greeting": "Hello there,",
            "opening_paragraphs": ["Wonderful news: we're thrilled to be working with you!"],
            "closing_paragraphs": ["We can't wait to see what you create."]
        }),
    )]);
    let plan = plan(EmailKind::Agreement);
    let text = composer(&fake)
        .compose(&ComposeRequest {
            plan: &plan,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert!(text.starts_with("Hi Jane,\n\nWonderful news"), "{text}");
    assert!(
        text.contains("Next steps:\n1. We'll send over the contract"),
        "{text}"
    );
    assert_eq!(text.matches("$1,312.50").count(), 1, "{text}");
    assert!(passes_gate(&text, &plan), "{text}");
}

// ---------------------------------------------------------------------------------------------
// A fake Messages API
// ---------------------------------------------------------------------------------------------

/// A minimal HTTP/1.1 server on loopback that answers `POST /v1/messages` from a script (the
/// last answer repeats) and records every request. Plain std threads: no extra dependencies.
pub(crate) mod fake {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};

    use serde_json::{Value, json};

    /// One scripted answer.
    #[derive(Clone, Debug)]
    pub struct Answer {
        status: u16,
        body: Value,
    }

    impl Answer {
        /// A forced tool call answered with `input`.
        pub fn tool(name: &str, input: Value) -> Self {
            Answer::stopped(name, input, "tool_use")
        }

        /// A tool call that ended with `stop_reason`.
        pub fn stopped(name: &str, input: Value, stop_reason: &str) -> Self {
            let content = json!([{
                "type": "tool_use",
                "id": "toolu_01A09q90qw90lq917835lq9",
                "name": name,
                "input": input
            }]);
            Answer::message(content, stop_reason)
        }

        /// A text-only answer.
        pub fn text(text: &str, stop_reason: &str) -> Self {
            Answer::message(json!([{"type": "text", "text": text}]), stop_reason)
        }

        /// The documented error body.
        pub fn error(status: u16, kind: &str, message: &str) -> Self {
            Answer {
                status,
                body: json!({
                    "type": "error",
                    "error": {"type": kind, "message": message},
                    "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"
                }),
            }
        }

        fn message(content: Value, stop_reason: &str) -> Self {
            Answer {
                status: 200,
                body: json!({
                    "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
                    "type": "message",
                    "role": "assistant",
                    "model": "claude-test",
                    "content": content,
                    "stop_reason": stop_reason,
                    "stop_sequence": null,
                    "usage": {"input_tokens": 1021, "output_tokens": 164}
                }),
            }
        }
    }

    /// A request as received: lowercased header names, and the JSON body.
    #[derive(Clone, Debug)]
    pub struct Recorded {
        pub headers: Vec<(String, String)>,
        pub body: Value,
    }

    impl Recorded {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }
    }

    #[derive(Debug)]
    pub struct FakeAnthropic {
        url: String,
        requests: Arc<Mutex<Vec<Recorded>>>,
    }

    impl FakeAnthropic {
        pub fn start(script: Vec<Answer>) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let requests = Arc::new(Mutex::new(Vec::new()));
            let recorded = Arc::clone(&requests);
            std::thread::spawn(move || {
                let mut script = script.into_iter().peekable();
                let mut last = None;
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { break };
                    let answer = match script.next() {
                        Some(answer) => {
                            last = Some(answer.clone());
                            answer
                        }
                        None => last.clone().unwrap_or_else(|| {
                            Answer::error(500, "api_error", "the fake has no answer")
                        }),
                    };
                    serve(stream, &answer, &recorded);
                }
            });
            FakeAnthropic { url, requests }
        }

        pub fn url(&self) -> String {
            self.url.clone()
        }

        pub fn requests(&self) -> Vec<Recorded> {
            self.requests.lock().unwrap().clone()
        }

        pub fn only_request(&self) -> Recorded {
            let requests = self.requests();
            assert_eq!(requests.len(), 1, "{requests:?}");
            requests.into_iter().next().unwrap()
        }
    }

    /// Reads one request, records it, then writes `answer` and closes the connection.
    fn serve(stream: TcpStream, answer: &Answer, recorded: &Mutex<Vec<Recorded>>) -> Option<()> {
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).ok()?;
        assert!(
            request_line.starts_with("POST /v1/messages "),
            "{request_line}"
        );
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        recorded.lock().unwrap().push(Recorded {
            headers,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        });
        let payload = answer.body.to_string();
        let response = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\n\
             request-id: req_018EeWyXxfu5pfWkrYcMdjWG\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{payload}",
            answer.status,
            payload.len()
        );
        let mut stream = stream;
        stream.write_all(response.as_bytes()).ok()?;
        stream.flush().ok()
    }
}
