//! `negotiator eval classify` on the shipped labelled set and on a broken file, and
//! `negotiator classify` with the plan in play.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");
const SET: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../eval/labelled_replies.jsonl"
);

fn negotiator(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("ANTHROPIC_API_KEY")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn eval_scores_the_rules_on_the_held_out_replies_as_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = negotiator(
        dir.path(),
        &["eval", "classify", SET, "--split", "held_out", "--misses"],
        "",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("44 labelled replies"), "{text}");
    assert!(text.contains("built-in rules"), "{text}");
    for heading in [
        "Intent accuracy",
        "precision",
        "read exactly",
        "raised without reason",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    assert!(
        text.contains("labelled \\ read as"),
        "the confusion table: {text}"
    );
    assert!(text.contains("flag recall 1.00 (11/11)"), "{text}");
}

#[test]
fn a_broken_set_names_every_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("set.jsonl");
    std::fs::write(
        &file,
        "{\"text\":\"ok\",\"platform\":\"instagram\",\"intent\":\"accept\"}\n\
         {\"text\":\"x\",\"platform\":\"myspace\",\"intent\":\"accept\"}\n\
         not json\n",
    )
    .unwrap();
    let out = negotiator(dir.path(), &["eval", "classify", "set.jsonl"], "");
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(error.contains("2 unusable line(s)"), "{error}");
    assert!(error.contains("line 2: \"platform\""), "{error}");
    assert!(error.contains("line 3: not a labelled reply"), "{error}");
}

#[test]
fn classify_totals_item_prices_over_the_plan_and_takes_one_price_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let read = |args: &[&str]| {
        let out = negotiator(dir.path(), args, "I charge $600 per reel.");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let planned = read(&[
        "classify",
        "--offer",
        "1000",
        "--deliverables",
        "2 instagram reels",
    ]);
    assert_eq!(planned["classification"]["proposed_rate"], 120_000);
    let unplanned = read(&["classify", "--offer", "1000"]);
    assert_eq!(unplanned["classification"]["proposed_rate"], 60_000);

    let out = negotiator(
        dir.path(),
        &["classify", "--deliverables", "2 youtube shorts"],
        "ok",
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--deliverables"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
