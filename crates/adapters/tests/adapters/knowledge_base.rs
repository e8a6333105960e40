//! The knowledge base as the composers use it: the LLM's system prompt carries the playbook
//! and the email's platform and stage files (and the campaign's instructions go in the
//! message, marked as the team's), a folder edit is picked up without a restart, and the
//! templates write the folder's words. The Messages API is faked on loopback.

use std::time::Duration;

use negotiator_adapters::compose::TemplateComposer;
use negotiator_adapters::compose::anthropic::AnthropicComposer;
use negotiator_adapters::config::{self, Config, knowledge_check};
use negotiator_adapters::knowledge::{self as kb, Knowledge};
use negotiator_agent::ports::composer::{ComposeRequest, Composer};
use negotiator_domain::{
    Deliverable, DeliverableType, EmailKind, EmailPlan, GatePolicy, Money, Platform, Sender,
};
use negotiator_vendors::anthropic::AnthropicClient;
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn plan(kind: EmailKind, platform: Platform) -> EmailPlan {
    let kind_of = match platform {
        Platform::Instagram => DeliverableType::InstagramReel,
        Platform::Tiktok => DeliverableType::TiktokVideo,
        Platform::Youtube => DeliverableType::YoutubeIntegration,
    };
    EmailPlan {
        kind,
        influencer_name: "Jane Doe".to_owned(),
        client_name: "Acme".to_owned(),
        platform,
        deliverables: vec![Deliverable::new(platform, kind_of, 1).unwrap()],
        our_rate: Some(Money::from_dollars(1_250)),
        their_rate: None,
        ceiling_rate: Money::from_dollars(1_500),
    }
}

fn sender() -> Sender {
    Sender {
        name: "Sam Rivera".to_owned(),
        team: "Brightside Talent".to_owned(),
    }
}

fn prose_answer() -> Value {
    json!({
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": [{
            "type": "tool_use",
            "id": "toolu_01A09q90qw90lq917835lq9",
            "name": "write_email_prose",
            "input": {
                "greeting": "Hi Jane,",
                "opening_paragraphs": ["We'd love to work with you on this Acme collaboration; the details are below."],
                "closing_paragraphs": ["Just reply here if it sounds good!"]
            }
        }],
        "stop_reason": "tool_use",
        "stop_sequence": null,
        "usage": {"input_tokens": 1021, "output_tokens": 164}
    })
}

async fn fake() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(prose_answer()))
        .mount(&server)
        .await;
    server
}

fn composer(server: &MockServer, knowledge: Knowledge) -> AnthropicComposer {
    let client = AnthropicClient::new(
        server.uri(),
        Secret::new("sk-ant-test"),
        Duration::from_secs(5),
    )
    .unwrap()
    .with_retry(RetryPolicy::immediate(1));
    AnthropicComposer::new(client, "claude-test").with_knowledge(knowledge)
}

/// Every request body the fake received, as JSON.
async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// The system prompt's text, whether sent as a string or as blocks.
fn system_text(body: &Value) -> String {
    match &body["system"] {
        Value::String(text) => text.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| b["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn user_text(body: &Value) -> String {
    body["messages"].to_string()
}

#[tokio::test]
async fn the_prompt_carries_the_playbook_platform_stage_and_instructions_and_takes_an_edit() {
    let server = fake().await;
    let dir = tempfile::tempdir().unwrap();
    kb::write_default(dir.path()).unwrap();
    std::fs::write(
        dir.path().join("platforms/tiktok.md"),
        "# TikTok\n\nOur TikTok creators love the word zesty.\n",
    )
    .unwrap();
    let composer = composer(&server, Knowledge::open(dir.path(), GatePolicy::default()));
    let counter = plan(EmailKind::Counter, Platform::Tiktok);
    let text = composer
        .compose(&ComposeRequest {
            plan: &counter,
            sender: &sender(),
            instructions: Some("Mention the fragrance-free spring range."),
        })
        .await
        .unwrap()
        .body;
    assert!(
        text.contains("Acme collaboration"),
        "the model's prose was used: {text}"
    );

    // A team edit between two emails: no restart.
    std::fs::write(
        dir.path().join("platforms/tiktok.md"),
        "# TikTok\n\nOur TikTok creators now love the word breezy.\n",
    )
    .unwrap();
    composer
        .compose(&ComposeRequest {
            plan: &counter,
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap();

    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    let first = system_text(&sent[0]);
    for wanted in [
        "<knowledge_base>",
        "<file name=\"playbook.md\">",
        "<file name=\"platforms/tiktok.md\">",
        "zesty",
        "<file name=\"stages/counter.md\">",
        "<file name=\"examples/counter-tiktok.md\">",
        "the hard rules win",
    ] {
        assert!(first.contains(wanted), "{wanted}: {first}");
    }
    for unwanted in [
        "platforms/instagram.md",
        "stages/opening.md",
        "fragrance-free",
    ] {
        assert!(!first.contains(unwanted), "{unwanted} in the system prompt");
    }
    assert!(
        first.find("Hard rules").unwrap() < first.find("<knowledge_base>").unwrap(),
        "the fixed rules come first"
    );
    let message = user_text(&sent[0]);
    assert!(
        message.contains("<campaign_instructions>")
            && message.contains("Mention the fragrance-free spring range."),
        "{message}"
    );
    assert!(
        !message.contains("1,250"),
        "the model is given no amount: {message}"
    );
    let second = system_text(&sent[1]);
    assert!(
        second.contains("breezy") && !second.contains("zesty"),
        "{second}"
    );
    assert!(!user_text(&sent[1]).contains("campaign_instructions"));
}

#[tokio::test]
async fn the_templates_write_the_folders_words_and_keep_the_last_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    kb::write_default(dir.path()).unwrap();
    let stage = dir.path().join("stages/opening.md");
    std::fs::write(
        &stage,
        "# Opening\n\n## Openers\n\n- Greetings from {team}!\n\n## Compliments\n\n- We adore your {platform} feed.\n",
    )
    .unwrap();
    let knowledge = Knowledge::open(dir.path(), GatePolicy::default());
    let templates = TemplateComposer::new(knowledge.clone());
    let opening = plan(EmailKind::Opening, Platform::Youtube);
    let request = ComposeRequest {
        plan: &opening,
        sender: &sender(),
        instructions: None,
    };
    let text = templates.compose(&request).await.unwrap().body;
    assert!(text.contains("Greetings from Brightside Talent!"), "{text}");
    assert!(text.contains("We adore your YouTube feed."), "{text}");
    assert!(text.contains("an Acme campaign on YouTube"), "{text}");
    assert!(text.contains("For 1 YouTube integration, we'd like to offer $1,250.00."));

    // A phrase with an amount: refused by name, the last good words stay.
    std::fs::write(
        &stage,
        "# Opening\n\n## Openers\n\n- We can go to $2,000 if you like!\n",
    )
    .unwrap();
    let again = templates.compose(&request).await.unwrap().body;
    assert_eq!(again, text, "the same words, chosen the same way");
    let problems = knowledge.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].path.ends_with("stages/opening.md"));
    assert!(
        problems[0].problem.contains("line 5") && problems[0].problem.contains("$2,000"),
        "{}",
        problems[0].problem
    );

    // doctor says the same, by name.
    let mut config = Config::default();
    config.agent.knowledge_base = Some(dir.path().to_owned());
    let check = knowledge_check(&config).unwrap_err();
    assert!(check.contains("stages/opening.md"), "{check}");
    assert!(config::knowledge(&config).dir().is_some());

    // Fixed: in use again.
    std::fs::write(&stage, "# Opening\n\n## Openers\n\n- Hello again!\n").unwrap();
    let fixed = templates.compose(&request).await.unwrap().body;
    assert!(fixed.contains("Hello again!"), "{fixed}");
    assert!(knowledge.problems().is_empty());
}

#[tokio::test]
async fn a_missing_folder_is_named_and_the_shipped_knowledge_base_is_used() {
    let missing = std::env::temp_dir().join("negotiator-no-such-kb-folder");
    let knowledge = Knowledge::open(&missing, GatePolicy::default());
    let problems = knowledge.problems();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].problem.contains("negotiator init"),
        "{problems:?}"
    );
    let text = TemplateComposer::new(knowledge)
        .compose(&ComposeRequest {
            plan: &plan(EmailKind::FollowUp, Platform::Instagram),
            sender: &sender(),
            instructions: None,
        })
        .await
        .unwrap()
        .body;
    assert_eq!(
        text,
        negotiator_domain::template::render(
            &plan(EmailKind::FollowUp, Platform::Instagram),
            &sender()
        )
    );
}
