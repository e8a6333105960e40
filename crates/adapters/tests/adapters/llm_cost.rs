//! What the models cost, through the real worker: every call's tokens kept in the audit entry
//! of the reading or email it produced, the daily token budget handing over to the rules and
//! templates (the team told once, the count kept across a restart), and the provider settings
//! checked at start.

use negotiator_adapters::config::Config;
use negotiator_adapters::knowledge::Knowledge;
use negotiator_adapters::llm::{LlmPorts, ports};
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_store::EventType;
use negotiator_testkit::Harness;
use negotiator_testkit::contract::llm::{CLASSIFY_TOOL, COMPOSE_TOOL, prose};
use negotiator_testkit::fakes::llm::FakeLlm;
use negotiator_testkit::llm::{config, harness, rewire};
use serde_json::{Value, json};

const ANTHROPIC: &str = "[anthropic]\nbase_url = \"{anthropic}\"\n";

fn counter_at_1450() -> Value {
    json!({
        "intent": "counter", "proposed_rate": "1450.00", "deliverables": ["instagram_reel"],
        "confidence": 90, "hostile": null, "legal": null, "unusual_deliverables": null,
        "summary": "They ask $1,450 for the reel."
    })
}

const COUNTER: &str = "Thanks for thinking of me! For the reel my rate is $1,450.";

async fn started(fake: &FakeLlm, toml: &str) -> Harness {
    fake.record(COMPOSE_TOOL, [prose()]);
    fake.record(CLASSIFY_TOOL, [counter_at_1450()]);
    let mut h = harness(fake, toml).await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h
}

fn calls(entry: &negotiator_store::AuditEntry) -> Vec<Value> {
    entry
        .metadata
        .get("llm_usage")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn each_calls_tokens_are_kept_with_the_reading_or_email_they_produced() {
    let fake = FakeLlm::start().await;
    let mut h = started(&fake, ANTHROPIC).await;
    let opening = h.audit(EventType::EmailSent).await;
    assert_eq!(opening.len(), 1, "{:?}", h.lines);
    let found = calls(&opening[0]);
    let [call] = &found[..] else {
        panic!("one compose call on the opening: {:?}", opening[0].metadata);
    };
    assert_eq!(call["provider"], "anthropic");
    assert_eq!(call["purpose"], "compose");
    assert_eq!(call["model"], "claude-sonnet-4-5-20250929");
    assert!(call["input_tokens"].as_u64().unwrap() > 0);

    h.reply("Jane Doe", "jane@creator.example", COUNTER).await;
    h.run().await;
    let received = h.audit(EventType::EmailReceived).await;
    let found = calls(&received[0]);
    let [call] = &found[..] else {
        panic!("one classify call on the reply: {:?}", received[0].metadata);
    };
    assert_eq!(call["purpose"], "classify");
    assert_eq!(call["model"], "claude-haiku-4-5-20251001");
    assert!(call["output_tokens"].as_u64().unwrap() > 0);
    let sent = h.audit(EventType::EmailSent).await;
    assert_eq!(sent.len(), 2, "our answer went out: {:?}", h.lines);
    assert!(sent.iter().all(|e| calls(e).len() == 1));

    // Every request marked its static prefix for the cache and sent no sampling parameter.
    for request in fake.requests() {
        assert_eq!(
            request.body["system"][0]["cache_control"]["type"],
            "ephemeral"
        );
        assert!(request.body.get("temperature").is_none());
    }
}

#[tokio::test]
async fn past_the_daily_budget_the_rules_and_templates_take_over_and_the_team_is_told_once() {
    let fake = FakeLlm::start().await;
    // The opening alone spends more than the compose budget.
    let toml = format!("{ANTHROPIC}[llm.daily_tokens]\ncompose = 100\nclassify = 100\n");
    let mut h = started(&fake, &toml).await;
    assert_eq!(fake.requests().len(), 1);

    h.reply("Jane Doe", "jane@creator.example", COUNTER).await;
    h.run().await;
    // The reply was read by the model (its budget was not spent yet); our answer was not
    // written by it.
    let tools: Vec<String> = fake.requests().iter().filter_map(|r| r.tool()).collect();
    assert_eq!(tools, [COMPOSE_TOOL, CLASSIFY_TOOL], "{:?}", h.lines);
    let sent = h.audit(EventType::EmailSent).await;
    assert_eq!(sent.len(), 2, "{:?}", h.lines);
    let by_model = sent.iter().filter(|e| !calls(e).is_empty()).count();
    assert_eq!(
        by_model, 1,
        "the opening by the model, the answer by the template"
    );
    let told = h.notices_of(NoticeKind::Error);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].title.contains("writing emails"), "{:?}", told[0]);

    // After a restart (new adapters on the same store) the count still holds: no model call,
    // and no second notice that day.
    let config = config(&fake, &toml);
    rewire(&mut h, &config);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Could you do $1,550 then?",
    )
    .await;
    h.run().await;
    assert_eq!(fake.requests().len(), 2, "{:?}", h.lines);
    assert_eq!(
        h.notices_of(NoticeKind::Error).len(),
        2,
        "classify told once too"
    );
    let read = h.audit(EventType::EmailReceived).await;
    assert_eq!(read.len(), 2);
    let by_model = read.iter().filter(|e| !calls(e).is_empty()).count();
    assert_eq!(by_model, 1, "the second reply was read by the rules");
}

#[tokio::test]
async fn a_provider_missing_a_setting_refuses_to_start_and_names_it() {
    let store_dir = tempfile::tempdir().unwrap();
    let store = negotiator_store::Store::open(&store_dir.path().join("n.db"))
        .await
        .unwrap();
    let local = negotiator_adapters::local::LocalPaths::under(store_dir.path());
    let adapters = local.adapters(false).unwrap();
    let fallback = || LlmPorts {
        classifier: adapters.classifier.clone(),
        composer: adapters.composer.clone(),
    };
    for (toml, named) in [
        ("[llm]\nclassify = \"openai\"\n", "[openai] section"),
        (
            "[llm]\ncompose = \"openai\"\n[openai]\nmodel = \"m\"\n",
            "[openai] base_url",
        ),
        (
            "[llm]\nclassify = \"openai\"\n[openai]\nbase_url = \"http://localhost:11434/v1\"\n",
            "[openai] model",
        ),
        ("[llm]\nclassify = \"anthropic\"\n", "ANTHROPIC_API_KEY"),
        ("[llm]\ncompose = \"rules\"\n", "\"template\""),
    ] {
        let config = Config::parse(toml).unwrap();
        let error = ports(
            &config,
            &store,
            adapters.notifier.clone(),
            fallback(),
            &Knowledge::builtin(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains(named), "{toml}: {error}");
    }
    let config = Config::parse(
        "[llm]\nclassify = \"openai\"\ncompose = \"template\"\n[openai]\n\
         base_url = \"http://localhost:11434/v1\"\nmodel = \"qwen2.5:7b\"\n",
    )
    .unwrap();
    let wired = ports(
        &config,
        &store,
        adapters.notifier.clone(),
        fallback(),
        &Knowledge::builtin(),
    )
    .unwrap();
    assert!(wired.classifier.describe().contains("qwen2.5:7b"));
    assert_eq!(wired.composer.describe(), "built-in templates");
}
