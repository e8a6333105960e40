//! `negotiator doctor` on the configured models (a fake model server speaking both protocols
//! on loopback), and `negotiator audit` showing what each model call cost.

use std::path::Path;
use std::process::{Command, Output};

use negotiator_store::{EventType, NewAuditEntry, Store, insert_audit};
use negotiator_testkit::fakes::llm::{FakeLlm, Scripted};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

fn negotiator(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("ANTHROPIC_API_KEY", "sk-ant-api03-cli-test")
        .env("LOCAL_LLM_KEY", "local-key-never-shown")
        .args(["--db", "n.db"])
        .args(args)
        .output()
        .unwrap()
}

fn config(dir: &Path, fake: &FakeLlm) {
    std::fs::write(
        dir.join("negotiator.toml"),
        format!(
            "[llm]\nclassify = \"openai\"\ncompose = \"anthropic\"\n\
             [anthropic]\nbase_url = \"{}\"\n\
             [openai]\nbase_url = \"{}\"\nmodel = \"qwen2.5:7b-instruct\"\napi_key_env = \"LOCAL_LLM_KEY\"\n",
            fake.url(),
            fake.openai_url()
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_checks_each_configured_model_and_names_a_bad_request_as_configuration() {
    let fake = FakeLlm::start().await;
    fake.models(&["qwen2.5:7b-instruct", "llama3.2:3b"]);
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &fake);

    let out = negotiator(dir.path(), &["doctor"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("LLM providers"), "{report}");
    assert!(
        report.contains(
            "replies are read by an OpenAI-compatible server, emails written by Anthropic"
        ),
        "{report}"
    );
    assert!(report.contains("lists qwen2.5:7b-instruct"), "{report}");
    assert!(
        report.contains("claude-sonnet-4-5-20250929 answers"),
        "{report}"
    );
    let requests = fake.requests();
    let chat = requests
        .iter()
        .find(|r| r.path == "/v1/chat/completions")
        .unwrap();
    assert_eq!(
        chat.header("authorization"),
        Some("Bearer local-key-never-shown")
    );
    assert!(chat.body.get("temperature").is_none());
    let messages = requests.iter().find(|r| r.path == "/v1/messages").unwrap();
    assert_eq!(messages.header("anthropic-version"), Some("2023-06-01"));

    // A model id the server does not list, then a request the API refuses.
    fake.models(&["llama3.2:3b"]);
    fake.script([Scripted::Status {
        status: 400,
        retry_after: None,
    }]);
    let out = negotiator(dir.path(), &["doctor"]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("does not list \"qwen2.5:7b-instruct\""),
        "{report}"
    );
    assert!(report.contains("configuration error"), "{report}");
    assert!(!report.contains("local-key-never-shown"), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_names_the_missing_provider_settings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("negotiator.toml"),
        "[llm]\nclassify = \"openai\"\n[openai]\nmodel = \"m\"\n",
    )
    .unwrap();
    let out = negotiator(dir.path(), &["doctor"]);
    assert!(!out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("[openai] base_url"), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_shows_each_model_calls_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let usage = json!([{
        "provider": "anthropic", "model": "claude-haiku-4-5-20251001", "purpose": "classify",
        "input_tokens": 690, "output_tokens": 96, "cache_write_tokens": 0, "cache_read_tokens": 1072
    }]);
    let mut tx = store.begin_write().await.unwrap();
    let entry = NewAuditEntry::new(jiff::Timestamp::now(), EventType::EmailReceived)
        .influencer("Jane Doe")
        .meta("llm_usage", usage);
    insert_audit(&mut tx, &entry).await.unwrap();
    tx.commit().await.unwrap();
    store.close().await;

    let out = negotiator(dir.path(), &["audit", "--influencer", "Jane Doe"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("llm classify: 690 in, 96 out, 1072 cache read"),
        "{table}"
    );
    let csv = negotiator(dir.path(), &["audit", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(csv.contains("claude-haiku-4-5-20251001"), "{csv}");
}
