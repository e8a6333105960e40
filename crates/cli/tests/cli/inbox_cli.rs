//! The real inbox from the command line: the demo's bounce on the suppression list, people
//! managing the list (audited, with clear errors), and `classify` telling an out-of-office
//! from a reply.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

fn negotiator(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .args(["--db", "demo.db", "--data-dir", "demo"])
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn people_manage_the_suppression_list_and_the_bounce_is_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert!(
        negotiator(dir, &["demo", "--dir", "demo", "--quiet"])
            .status
            .success()
    );

    let list = text(&negotiator(dir, &["suppressions", "list"]));
    assert!(list.contains("kai@kaibrooks.example"), "{list}");
    assert!(list.contains("mail to it bounced"), "{list}");

    let added = negotiator(
        dir,
        &[
            "suppressions",
            "add",
            "Jane@JaneDoe.example",
            "--note",
            "asked by phone",
            "--by",
            "pat",
        ],
    );
    assert!(added.status.success(), "{}", text(&added));
    assert!(
        text(&added).contains("The roster lists it for Jane Doe"),
        "{}",
        text(&added)
    );
    let again = text(&negotiator(
        dir,
        &["suppressions", "add", "jane@janedoe.example"],
    ));
    assert!(again.contains("already on the suppression list"), "{again}");
    let stranger = text(&negotiator(
        dir,
        &["suppressions", "add", "who@nowhere.example"],
    ));
    assert!(stranger.contains("the roster lists nobody"), "{stranger}");

    let json = negotiator(dir, &["suppressions", "list", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows.len(), 3);
    let audit = text(&negotiator(
        dir,
        &[
            "audit",
            "--event-type",
            "suppression_added",
            "--format",
            "json",
        ],
    ));
    assert!(audit.contains("\"pat\""), "{audit}");

    let bad = negotiator(dir, &["suppressions", "add", "jane at example"]);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("plain address"), "{}", text(&bad));
    let missing = negotiator(dir, &["suppressions", "remove", "nobody@else.example"]);
    assert!(!missing.status.success());
    assert!(
        text(&missing).contains("not on the suppression list"),
        "{}",
        text(&missing)
    );
    let removed = negotiator(
        dir,
        &[
            "suppressions",
            "remove",
            "jane@janedoe.example",
            "--by",
            "pat",
        ],
    );
    assert!(removed.status.success(), "{}", text(&removed));
    let audit = text(&negotiator(
        dir,
        &[
            "audit",
            "--event-type",
            "suppression_removed",
            "--format",
            "json",
        ],
    ));
    assert!(audit.contains("jane@janedoe.example"), "{audit}");
}

fn classify(input: &str) -> serde_json::Value {
    let mut child = Command::new(BIN)
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn classify_tells_an_out_of_office_and_an_opt_out_from_a_reply() {
    let away = classify(
        "From: Jane <jane@example.com>\nSubject: Automatic reply: Collaboration\n\
         Auto-Submitted: auto-replied\n\nI am out of the office until January 5.\n",
    );
    assert_eq!(away["message_kind"]["kind"], "auto_reply");
    assert!(away["classification"].is_null(), "{away}");

    let stop = classify("Please remove me from your list.");
    assert_eq!(stop["message_kind"]["kind"], "reply");
    assert!(stop["opt_out"]["phrase"].is_string(), "{stop}");
    assert!(stop["classification"].is_null());

    let counter = classify("Could you do $1,500 instead?");
    assert_eq!(counter["classification"]["intent"], "counter");
}
