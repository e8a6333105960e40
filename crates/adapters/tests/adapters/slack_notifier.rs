//! The Slack notifier: every kind of notice, built by the real notice builders from realistic
//! (and oversized) negotiations, becomes a Block Kit message within Slack's limits, goes to
//! the channel for its kind, and carries buttons the interactions handler can read.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use negotiator_adapters::config::{SlackChannels, SlackConfig};
use negotiator_adapters::notify::slack::{
    ActionValue, SECTIONS_BUDGET, SlackAction, SlackNotifier, message_for,
};
use negotiator_agent::ports::notifier::{Notice, NoticeKind, Notifier, NotifyError};
use negotiator_agent::workflows::notices::{self, About};
use negotiator_domain::{
    Campaign, CampaignDraft, Cpm, CpmBounds, EscalationFacts, Evidence, FiredTrigger, Money,
    Negotiation, NewNegotiation, Notification, TriggerKind,
};
use negotiator_store::{Direction, Message, MessageStatus};
use negotiator_vendors::slack::{
    ActionElement, Block, Message as SlackMessage, SlackClient, validate,
};
use negotiator_vendors::{ErrorKind, RetryPolicy, Secret};
use serde_json::{Value, json};

const TOKEN: &str = "xoxb-111-222-NotifierSecretToken";
const THREAD: &str = "18c2f0a9b7e6d5c4";

// ---- realistic notices, from the real builders ----

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

fn campaign() -> Campaign {
    CampaignDraft {
        campaign_id: Some("glow-spring".to_owned()),
        client_name: Some("Glow Skincare".to_owned()),
        budget: Some("$20,000".to_owned()),
        platform: Some("instagram".to_owned()),
        deliverables: vec![
            "1 instagram reel".to_owned(),
            "2 instagram stories".to_owned(),
        ],
        cpm_target: Some("$25".to_owned()),
        cpm_leniency_pct: Some("20".to_owned()),
        influencers: vec!["Jane Doe, Raj Patel, Mia Chen".to_owned()],
        mode: Some("review".to_owned()),
        ..CampaignDraft::default()
    }
    .validate()
    .unwrap()
}

fn negotiation(campaign: &Campaign) -> Negotiation {
    Negotiation::new(
        NewNegotiation {
            influencer_name: "Jane Doe".to_owned(),
            client_name: campaign.client_name.clone(),
            platform: campaign.platform,
            average_views: 50_000,
            engagement_pct: Some("2.5".parse().unwrap()),
            deliverables: campaign.deliverables.clone(),
            bounds: CpmBounds {
                floor: campaign.cpm.floor,
                ceiling: campaign.cpm.ceiling,
            },
        },
        Timestamp::from_second(1_767_000_000).unwrap(),
    )
    .unwrap()
}

/// `count` emails back and forth, each a few paragraphs long, with the odd `<` and `&`.
fn conversation(count: usize) -> Vec<Message> {
    (0..count)
        .map(|i| {
            let sent = i % 2 == 0;
            let body = if sent {
                format!(
                    "Hi Jane,\n\nThanks for getting back to us. For Glow Skincare's spring launch we \
                     can offer ${},250.00 for 1 Instagram reel & 2 stories, live within two weeks of \
                     the brief. Usage rights: 30 days organic.\n\nBest,\nAlex <alex@agency.example>",
                    1 + i / 10
                )
            } else {
                format!(
                    "Hey Alex!\n\nLove the brand. My usual rate for a reel + 2 stories is $1,800, \
                     and that's already < my media-kit price. I'd also want whitelisting for 60 \
                     days & a product bundle.\n\n> On Mon, Alex wrote:\n> quoted text {i}\n\nxx Jane"
                )
            };
            Message {
                message_id: i as i64 + 1,
                negotiation_id: 7,
                direction: if sent { Direction::Sent } else { Direction::Received },
                rfc_message_id: Some(format!("<m{i}@agency.example>")),
                thread_id: Some(THREAD.to_owned()),
                from_addr: if sent { "alex@agency.example" } else { "jane@creator.example" }.to_owned(),
                to_addr: if sent { "jane@creator.example" } else { "alex@agency.example" }.to_owned(),
                subject: "Glow Skincare x Jane Doe".to_owned(),
                body,
                status: if sent { MessageStatus::Sent } else { MessageStatus::Received },
                metadata: serde_json::Map::new(),
                occurred_at: Timestamp::from_second(1_767_000_000 + i as i64 * 3_600).unwrap(),
                for_step: None,
            }
        })
        .collect()
}

/// Long text: the full conversation, as someone might paste it into a notice.
fn full_conversation(messages: &[Message]) -> String {
    messages
        .iter()
        .map(|m| format!("{} ({}):\n{}", m.from_addr, m.occurred_at, m.body))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn escalation_facts() -> EscalationFacts {
    EscalationFacts {
        reason: "their ask is above the agent's limit and they mention legal terms".to_owned(),
        triggers: vec![
            FiredTrigger {
                kind: TriggerKind::LegalLanguage,
                reason: "mentions a contract clause".to_owned(),
                evidence: Some(Evidence {
                    quote: "my lawyer will review the whitelisting clause".to_owned(),
                }),
            },
            FiredTrigger {
                kind: TriggerKind::CpmOverThreshold,
                reason: "CPM over the ceiling".to_owned(),
                evidence: None,
            },
        ],
        their_ask: Some(money("1800")),
        their_cpm: Some("36".parse::<Cpm>().unwrap()),
        our_offer: Some(money("1250")),
        target_rate: Some(money("1250")),
        limit_rate: Some(money("1500")),
        limit_reason: "campaign average $27.10 leaves room up to $30.00 CPM".to_owned(),
        budget: Some(negotiator_domain::BudgetFacts {
            budget: Money::from_dollars(25_000),
            agreed_so_far: Money::from_dollars(9_000),
            left: Money::from_dollars(16_000),
            this_deal: Some(Money::from_dollars(1_800)),
            max_deal: Money::from_dollars(50_000),
        }),
    }
}

/// One or more notices of every kind, some far larger than the builders usually make.
fn realistic_notices() -> Vec<Notice> {
    let campaign = campaign();
    let negotiation = negotiation(&campaign);
    let thirty = conversation(30);
    let about = About {
        campaign: &campaign,
        negotiation: &negotiation,
        thread_id: Some(THREAD),
        conversation: &thirty,
        campaign_average: Some("27.10".parse().unwrap()),
    };
    let mut all = vec![
        notices::for_notification(&about, &Notification::Escalation(escalation_facts())),
        notices::for_notification(
            &about,
            &Notification::ReplyWhileEscalated {
                summary: "asks again for $1,800 & whitelisting".to_owned(),
            },
        ),
        notices::for_notification(
            &about,
            &Notification::Agreement {
                rate: money("1400"),
                cpm: "28".parse().unwrap(),
                warning: Some("above the target CPM; within the ceiling".to_owned()),
            },
        ),
        notices::for_notification(
            &about,
            &Notification::Rejected {
                reason: "they only work with skincare brands they already use".to_owned(),
            },
        ),
        notices::for_notification(&about, &Notification::SilenceLimit { follow_ups_sent: 3 }),
        notices::campaign_started(
            &campaign,
            &(0..40)
                .map(|i| format!("Influencer Number {i}"))
                .collect::<Vec<_>>(),
            &["Zed Nobody".to_owned(), "Ann <script>".to_owned()],
            &negotiator_domain::BudgetStanding {
                budget: Money::from_dollars(25_000),
                committed: Money::ZERO,
                outstanding: Money::from_dollars(30_000),
            },
        ),
        notices::influencers_skipped(
            &campaign,
            &(0..400)
                .map(|i| {
                    (
                        format!("Influencer <!channel> {i}"),
                        "they are not in the roster".to_owned(),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        notices::takeover(&about, "sam@agency.example"),
        notices::draft_waiting(
            &about,
            42,
            "the campaign runs in review mode",
            &"Hi Jane, here is our offer. ".repeat(600),
        ),
        notices::unmatched_email(
            "stranger@example.com",
            "Re: <your offer>",
            "No thread or subject matches.",
        ),
        Notice::new(
            NoticeKind::Error,
            "A send email job failed",
            format!(
                "It was tried 3 time(s) and is parked: {}. Fix the cause, then run `negotiator jobs retry 9`.",
                "Gmail is unavailable (HTTP 503): backend error ".repeat(60)
            ),
        ),
    ];
    let bad = CampaignDraft {
        budget: Some("$0".to_owned()),
        ..CampaignDraft::default()
    };
    let problems = bad.validate().unwrap_err();
    all.push(notices::campaign_rejected(
        "ClickUp",
        Some("task-86b1"),
        &problems,
    ));

    // Stress: 15 fields, a 10,000-character section and the whole 30-message conversation.
    let mut big = notices::for_notification(&about, &Notification::Escalation(escalation_facts()));
    for i in big.fields.len()..15 {
        big = big.field(format!("Extra fact {i}"), format!("value {i} ").repeat(30));
    }
    big = big
        .section("x".repeat(10_000))
        .section(full_conversation(&thirty));
    all.push(big);
    let mut rejected = notices::campaign_rejected("ClickUp", None, &problems);
    for i in 0..15 {
        rejected = rejected.field(
            format!("field_{i}"),
            "missing; fill it in the form".to_owned(),
        );
    }
    all.push(rejected.section("y ".repeat(5_000)));
    all
}

fn buttons(message: &SlackMessage) -> Vec<(String, Option<String>)> {
    message
        .blocks
        .iter()
        .flat_map(|b| match b {
            Block::Actions { elements, .. } => elements
                .iter()
                .map(|ActionElement::Button(b)| (b.action_id.clone(), b.value.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn section_texts(message: &SlackMessage) -> Vec<&str> {
    message
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Section { text: Some(t), .. } => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_kind_of_notice_fits_slacks_limits() {
    let notices = realistic_notices();
    let kinds: BTreeSet<&str> = notices.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds.len(), 10, "every kind is covered: {kinds:?}");
    for notice in &notices {
        let message = message_for(notice);
        assert_eq!(
            validate(&message),
            Ok(()),
            "{}: {:#?}",
            notice.title,
            message
        );
        assert!(
            matches!(&message.blocks[0], Block::Header { text, .. } if text.as_str() == notice.title.trim())
        );
        assert!(
            message
                .text
                .starts_with(&notice.title.replace('<', "&lt;")[..10]),
            "{}",
            message.text
        );
        let shown: usize = section_texts(&message)
            .iter()
            .map(|t| t.chars().count())
            .sum();
        assert!(
            shown <= SECTIONS_BUDGET + 4_000,
            "{shown} characters of sections"
        );
        // Every field is kept, ten to a section.
        let fields: usize = message
            .blocks
            .iter()
            .map(|b| match b {
                Block::Section { fields, .. } => fields.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(fields, notice.fields.len(), "{}", notice.title);
    }
}

#[test]
fn long_notices_are_cut_with_a_pointer_to_the_full_text() {
    let notices = realistic_notices();
    let big = notices
        .iter()
        .rev()
        .find(|n| n.kind == NoticeKind::Escalation)
        .unwrap();
    let message = message_for(big);
    let sections = section_texts(&message);
    assert!(
        sections
            .iter()
            .any(|s| s.starts_with("Conversation (6 of 30 messages)")),
        "{sections:?}"
    );
    let pointer = format!("full text: `negotiator audit --thread {THREAD}`");
    assert!(
        sections.iter().any(|s| s.contains(&pointer)),
        "{sections:?}"
    );
    assert!(sections.iter().all(|s| s.chars().count() <= 3_000));

    let draft = notices
        .iter()
        .find(|n| n.kind == NoticeKind::DraftWaiting)
        .unwrap();
    let message = message_for(draft);
    assert!(
        section_texts(&message)
            .iter()
            .any(|s| s.contains("`negotiator drafts show 42`")),
        "a 16,800-character draft is cut with a pointer to the draft"
    );
    // Outside text is escaped, never markup.
    let started = notices
        .iter()
        .find(|n| n.kind == NoticeKind::CampaignStarted)
        .unwrap();
    let json = serde_json::to_string(&message_for(started).blocks).unwrap();
    assert!(
        json.contains("Ann &lt;script&gt;") && !json.contains("<script>"),
        "{json}"
    );
}

#[test]
fn escalations_and_drafts_carry_buttons_the_handler_can_read() {
    let notices = realistic_notices();
    let escalation = notices
        .iter()
        .find(|n| n.kind == NoticeKind::Escalation)
        .unwrap();
    let message = message_for(escalation);
    let found = buttons(&message);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "escalation_approve",
            "escalation_counter",
            "escalation_reject",
            "escalation_take_over"
        ]
    );
    for (id, value) in &found {
        let action = SlackAction::from_action_id(id).unwrap();
        let value = ActionValue::parse(value.as_deref().unwrap()).unwrap();
        assert_eq!(value.thread_id.as_deref(), Some(THREAD), "{action:?}");
        assert_eq!(value.campaign_id.as_deref(), Some("glow-spring"));
        assert_eq!(value.influencer.as_deref(), Some("Jane Doe"));
        assert_eq!(value.draft_id, None);
    }
    let json = serde_json::to_value(&message.blocks).unwrap();
    let approve = &json.as_array().unwrap().last().unwrap()["elements"][0];
    assert_eq!(approve["style"], "primary");
    assert!(
        approve["confirm"]["text"]["text"]
            .as_str()
            .unwrap()
            .contains("$1,800.00"),
        "{approve}"
    );

    let draft = notices
        .iter()
        .find(|n| n.kind == NoticeKind::DraftWaiting)
        .unwrap();
    let found = buttons(&message_for(draft));
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, "draft_send");
    assert_eq!(found[1].0, "draft_discard");
    let value = ActionValue::parse(found[0].1.as_deref().unwrap()).unwrap();
    assert_eq!(value.draft_id, Some(42));
    assert_eq!(value.thread_id.as_deref(), Some(THREAD));

    // Nothing to act on, nothing to click.
    let bare = Notice::new(
        NoticeKind::Escalation,
        "Needs a decision",
        "No thread known.",
    );
    assert!(buttons(&message_for(&bare)).is_empty());
    let no_ask = Notice {
        thread_id: Some(THREAD.into()),
        ..bare
    }
    .field("Their ask", "not named");
    let ids: Vec<String> = buttons(&message_for(&no_ask))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        ids,
        [
            "escalation_counter",
            "escalation_reject",
            "escalation_take_over"
        ]
    );
    for notice in notices
        .iter()
        .filter(|n| !matches!(n.kind, NoticeKind::Escalation | NoticeKind::DraftWaiting))
    {
        assert!(buttons(&message_for(notice)).is_empty(), "{}", notice.title);
    }
}

// ---- a loopback fake of the Slack Web API ----

#[derive(Clone, Debug)]
struct Recorded {
    path: String,
    authorization: Option<String>,
    body: Value,
}

struct FakeSlack {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

type Answer = (u16, Vec<(&'static str, String)>, Value);

impl FakeSlack {
    /// Answers every request with `answer(request, how many came before)`.
    fn start(answer: impl Fn(&Recorded, usize) -> Answer + Send + 'static) -> FakeSlack {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                let (mut length, mut authorization) = (0, None);
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    let (name, value) = header.split_once(':').unwrap();
                    match name.to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap(),
                        "authorization" => authorization = Some(value.trim().to_owned()),
                        _ => {}
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let request = Recorded {
                    path,
                    authorization,
                    body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                };
                let before = {
                    let mut all = seen.lock().unwrap();
                    all.push(request.clone());
                    all.len() - 1
                };
                let (status, headers, body) = answer(&request, before);
                let body = body.to_string();
                let mut response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    response.push_str(&format!("{name}: {value}\r\n"));
                }
                response.push_str("\r\n");
                response.push_str(&body);
                let _ = stream.write_all(response.as_bytes());
            }
        });
        FakeSlack { url, requests }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn posted(request: &Recorded, _: usize) -> Answer {
    let channel = request.body["channel"].clone();
    (
        200,
        vec![],
        json!({"ok": true, "channel": channel, "ts": "1767000000.000100"}),
    )
}

fn channels() -> SlackChannels {
    SlackChannels {
        default: Some("C0GENERAL".into()),
        escalation: Some("C0ESCALATE".into()),
        agreement: Some("C0DEALS".into()),
        campaign: Some("C0CAMPAIGNS".into()),
        drafts: Some("C0DRAFTS".into()),
        errors: Some("C0ERRORS".into()),
    }
}

fn notifier(fake: &FakeSlack, channels: SlackChannels) -> SlackNotifier {
    let client = SlackClient::new(&fake.url, Secret::new(TOKEN), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(3));
    SlackNotifier::new(client, channels)
}

#[tokio::test]
async fn every_notice_is_posted_to_the_channel_for_its_kind() {
    let fake = FakeSlack::start(posted);
    let slack = notifier(&fake, channels());
    let notices = realistic_notices();
    for notice in &notices {
        slack.notify(notice).await.unwrap();
    }
    let requests = fake.requests();
    assert_eq!(requests.len(), notices.len());
    for (notice, request) in notices.iter().zip(&requests) {
        assert_eq!(request.path, "/chat.postMessage");
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        let expected = match notice.kind {
            NoticeKind::Escalation => "C0ESCALATE",
            NoticeKind::Agreement => "C0DEALS",
            NoticeKind::CampaignStarted
            | NoticeKind::CampaignRejected
            | NoticeKind::InfluencerMissing => "C0CAMPAIGNS",
            NoticeKind::DraftWaiting => "C0DRAFTS",
            NoticeKind::Error => "C0ERRORS",
            NoticeKind::Rejected | NoticeKind::Takeover | NoticeKind::FollowUpLimit => "C0GENERAL",
        };
        assert_eq!(request.body["channel"], expected, "{}", notice.title);
        let sent: SlackMessage = serde_json::from_value(request.body.clone()).unwrap();
        assert_eq!(validate(&sent), Ok(()));
        assert_eq!(sent, message_for(notice));
    }
}

#[tokio::test]
async fn a_kind_without_a_channel_fails_naming_the_key_to_set() {
    let fake = FakeSlack::start(posted);
    let only_escalations = SlackChannels {
        escalation: Some("C0ESCALATE".into()),
        ..SlackChannels::default()
    };
    let slack = notifier(&fake, only_escalations);
    let agreement = Notice::new(NoticeKind::Agreement, "Deal agreed", "Jane agreed.");
    let error = slack.notify(&agreement).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("agreement notices") && text.contains("set `agreement` (or `default`)"),
        "{text}"
    );
    assert!(!error.is_retryable());
    let takeover = Notice::new(NoticeKind::Takeover, "Sam took over", "…");
    let text = slack.notify(&takeover).await.unwrap_err().to_string();
    assert!(
        text.contains("set `default` under [slack.channels]"),
        "{text}"
    );
    assert!(fake.requests().is_empty(), "nothing was posted");
    assert_eq!(slack.unrouted_kinds().len(), 9);
    assert_eq!(notifier(&fake, channels()).unrouted_kinds(), vec![]);
}

#[tokio::test]
async fn slack_failures_come_back_classed_without_the_token() {
    let fake =
        FakeSlack::start(
            |request, before| match (request.body["channel"].as_str(), before) {
                (Some("C0ESCALATE"), _) => {
                    (200, vec![], json!({"ok": false, "error": "not_in_channel"}))
                }
                (_, 0) => (
                    429,
                    vec![("Retry-After", "1".to_owned())],
                    json!({"ok": false, "error": "ratelimited"}),
                ),
                _ => posted(request, before),
            },
        );
    let slack = notifier(&fake, channels());
    // Rate-limited once, then posted after the wait.
    let started = std::time::Instant::now();
    slack
        .notify(&Notice::new(
            NoticeKind::Agreement,
            "Deal agreed",
            "Jane agreed.",
        ))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(fake.requests().len(), 2);
    // A refusal is not retried, says what to do, and never shows the token.
    let error = slack
        .notify(&Notice::new(
            NoticeKind::Escalation,
            "Needs a decision",
            "Over the limit.",
        ))
        .await
        .unwrap_err();
    assert_eq!(fake.requests().len(), 3);
    let NotifyError::Vendor(vendor) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(vendor.kind, ErrorKind::Rejected);
    assert!(!error.is_retryable());
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{slack:?}"),
        slack.describe(),
    ] {
        assert!(!shown.contains("NotifierSecretToken"), "{shown}");
    }
    assert!(error.to_string().contains("not_in_channel"), "{error}");
}

#[test]
fn describe_names_the_channels() {
    let config = SlackConfig {
        channels: SlackChannels {
            errors: None,
            ..channels()
        },
        base_url: Some("http://127.0.0.1:9".into()),
    };
    let slack = SlackNotifier::from_config(&config, Secret::new(TOKEN)).unwrap();
    assert_eq!(
        slack.describe(),
        "Slack (escalation → C0ESCALATE, agreement → C0DEALS, campaign → C0CAMPAIGNS, \
         drafts → C0DRAFTS, errors → default, everything else → C0GENERAL)"
    );
    assert_eq!(slack.client().base_url(), "http://127.0.0.1:9");
    assert_eq!(slack.channels().len(), 5);
}
