//! `negotiator clickup fields` and `register-webhook` against a fake ClickUp.

use std::process::Command;

use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

fn negotiator(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(dir)
        .env("CLICKUP_API_TOKEN", "pk_test_token")
        .args(["--db", "n.db"])
        .args(args)
        .output()
        .unwrap()
}

fn config(dir: &std::path::Path, base: &str) {
    std::fs::write(
        dir.join("negotiator.toml"),
        format!(
            "[clickup]\nbase_url = \"{base}\"\nteam_id = \"9011\"\nlist_id = \"9001\"\n\
             [clickup.field_mapping]\n\"Client Name\" = \"client_name\"\n\"Budjet\" = \"budget\"\n"
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_lists_the_form_and_flags_mapping_typos() {
    let clickup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/list/9001/field"))
        .and(header("authorization", "pk_test_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"fields": [
            {"id": "f1", "name": "Client Name", "type": "short_text", "type_config": {}},
            {"id": "f2", "name": "Primary Platform", "type": "drop_down", "type_config": {"options": [
                {"id": "o1", "name": "Instagram", "orderindex": 0},
                {"id": "o2", "name": "TikTok", "orderindex": 1}]}}
        ]})))
        .mount(&clickup)
        .await;
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &clickup.uri());
    let out = negotiator(dir.path(), &["clickup", "fields"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Client Name") && stdout.contains("client_name"),
        "{stdout}"
    );
    assert!(stdout.contains("0 Instagram, 1 TikTok"), "{stdout}");
    assert!(
        stdout.contains("\"Budjet\""),
        "the typo is pointed out: {stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn register_webhook_creates_it_and_says_where_the_secret_goes() {
    let clickup = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/team/9011/webhook"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"webhooks": []})))
        .mount(&clickup)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/team/9011/webhook"))
        .and(body_partial_json(json!({"endpoint": "https://agent.example/webhooks/clickup",
                                      "events": ["taskCreated"], "list_id": 9001})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "4b67ac88",
            "webhook": {"id": "4b67ac88", "userid": 183, "team_id": 9011,
                        "endpoint": "https://agent.example/webhooks/clickup",
                        "client_id": "C", "events": ["taskCreated"], "task_id": null,
                        "list_id": 9001, "folder_id": null, "space_id": null,
                        "health": {"status": "active", "fail_count": 0},
                        "secret": "O94IM25S7PXBPYTMNXLLET230SRP0S89COR7B1YOJ2ZIE8WQNK5UUKEF26W0Z5GA"}
        })))
        .mount(&clickup)
        .await;
    let dir = tempfile::tempdir().unwrap();
    config(dir.path(), &clickup.uri());
    let out = negotiator(
        dir.path(),
        &[
            "clickup",
            "register-webhook",
            "--endpoint",
            "https://agent.example/webhooks/clickup",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("created"), "{stdout}");
    assert!(
        stdout.contains("CLICKUP_WEBHOOK_SECRET=O94IM25S7PXBPYTMNXLLET230SRP0S89"),
        "{stdout}"
    );
}

#[test]
fn without_a_token_it_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env_remove("CLICKUP_API_TOKEN")
        .args(["--db", "n.db", "clickup", "fields", "--list", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CLICKUP_API_TOKEN"));
}
