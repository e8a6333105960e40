//! `negotiator audit`: exports hold every matching entry, the table pages and says what it left
//! out, and the filters apply to both.

use std::path::Path;
use std::process::{Command, Output};

use jiff::{Timestamp, ToSpan};
use negotiator_store::{EventType, NewAuditEntry, Store, insert_audit};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

/// More entries than the table's default page of 50.
const ENTRIES: i64 = 120;

/// Entry `i` (audit id `i + 1`) happened `i` minutes after 2026-03-01T00:00:00Z; every third is
/// Bob Stone's, the rest Jane Doe's; even ones are sent emails, odd ones follow-ups.
async fn trail(dir: &Path) {
    let store = Store::open(&dir.join("n.db")).await.unwrap();
    let start: Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let mut tx = store.begin_write().await.unwrap();
    for i in 0..ENTRIES {
        let (who, event) = (
            if i % 3 == 0 { "Bob Stone" } else { "Jane Doe" },
            if i % 2 == 0 {
                EventType::EmailSent
            } else {
                EventType::FollowUp
            },
        );
        let entry = NewAuditEntry::new(start + i.minutes(), event)
            .influencer(who)
            .campaign("glow-spring")
            .email_body(format!("Hi {who}, \"offer\" {i}, as discussed"));
        insert_audit(&mut tx, &entry).await.unwrap();
    }
    tx.commit().await.unwrap();
    store.close().await;
}

fn negotiator(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["--db", "n.db", "audit"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The CSV rows under the header (no field of this trail holds a line break).
fn csv_rows(out: &Output) -> Vec<String> {
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let mut lines = text.lines().map(str::to_owned);
    assert_eq!(
        lines.next().unwrap(),
        "audit_id,occurred_at,event_type,campaign_id,influencer_name,thread_id,direction,\
         negotiation_state,rates_used,intent,metadata,email_body"
    );
    lines.collect()
}

fn json_entries(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_hold_every_entry_unless_a_limit_is_given() {
    let dir = tempfile::tempdir().unwrap();
    trail(dir.path()).await;

    let rows = csv_rows(&negotiator(dir.path(), &["--format", "csv"]));
    assert_eq!(rows.len(), ENTRIES as usize);
    // Newest first; a field with a comma or a quote is quoted, its quotes doubled.
    assert!(
        rows[0].starts_with("120,2026-03-01T01:59:00Z,"),
        "{}",
        rows[0]
    );
    assert!(
        rows[0].ends_with(",\"Hi Jane Doe, \"\"offer\"\" 119, as discussed\""),
        "{}",
        rows[0]
    );
    assert!(rows[119].starts_with("1,"), "{}", rows[119]);

    let entries = json_entries(&negotiator(dir.path(), &["--format", "json"]));
    assert_eq!(entries.len(), ENTRIES as usize);
    assert_eq!(entries[0]["audit_id"], 120);
    assert_eq!(entries[119]["audit_id"], 1);

    let capped = csv_rows(&negotiator(
        dir.path(),
        &["--format", "csv", "--limit", "7"],
    ));
    assert_eq!(capped.len(), 7);
    assert!(capped[6].starts_with("114,"), "{}", capped[6]);
    let capped = json_entries(&negotiator(
        dir.path(),
        &["--format", "json", "--limit", "7"],
    ));
    assert_eq!(capped.len(), 7);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_shows_a_page_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    trail(dir.path()).await;

    let page = negotiator(dir.path(), &[]);
    let text = String::from_utf8_lossy(&page.stdout);
    assert!(
        text.contains("Showing the newest 50 of 120 entries (70 left out)."),
        "{text}"
    );
    assert!(text.contains("`--limit 120` shows them all here"), "{text}");
    assert!(text.contains("`--format csv` exports them all"), "{text}");

    let whole = negotiator(dir.path(), &["--limit", "200"]);
    let text = String::from_utf8_lossy(&whole.stdout);
    assert!(text.contains("120 entries."), "{text}");
    assert!(!text.contains("left out"), "{text}");

    let too_many = Command::new(BIN)
        .current_dir(dir.path())
        .args(["--db", "n.db", "audit", "--limit", "200000"])
        .output()
        .unwrap();
    assert!(!too_many.status.success());
    let error = String::from_utf8_lossy(&too_many.stderr);
    assert!(error.contains("--format csv"), "{error}");
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_apply_to_exports() {
    let dir = tempfile::tempdir().unwrap();
    trail(dir.path()).await;

    // Bob's sent emails: i divisible by 3 and by 2.
    let bob = csv_rows(&negotiator(
        dir.path(),
        &[
            "--format",
            "csv",
            "--influencer",
            "bob stone",
            "--event-type",
            "email_sent",
        ],
    ));
    assert_eq!(bob.len(), 20);
    assert!(
        bob.iter()
            .all(|row| row.contains(",email_sent,glow-spring,Bob Stone,")),
        "{bob:?}"
    );

    // From 01:00 up to (not including) 01:30: i in 60..90.
    let range = json_entries(&negotiator(
        dir.path(),
        &[
            "--format",
            "json",
            "--from",
            "2026-03-01T01:00:00Z",
            "--to",
            "2026-03-01T01:30:00Z",
        ],
    ));
    let ids: Vec<i64> = range
        .iter()
        .map(|e| e["audit_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, (61..=90).rev().collect::<Vec<_>>());

    let other = negotiator(
        dir.path(),
        &["--format", "json", "--campaign", "someone-else"],
    );
    assert_eq!(String::from_utf8_lossy(&other.stdout).trim(), "[]");
    let other = csv_rows(&negotiator(
        dir.path(),
        &["--format", "csv", "--campaign", "someone-else"],
    ));
    assert!(other.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_export_shows_progress_on_a_terminal_and_nothing_extra_when_piped() {
    let dir = tempfile::tempdir().unwrap();
    trail(dir.path()).await;

    let piped = negotiator(dir.path(), &["--format", "csv"]);
    assert!(piped.stderr.is_empty(), "{:?}", piped.stderr);

    // `script` gives the command a terminal for its standard error; standard output goes to
    // a file, as in `negotiator audit --format csv > trail.csv`.
    let shell = format!("{BIN} --db n.db audit --format csv > trail.csv");
    let on_terminal = Command::new("script")
        .current_dir(dir.path())
        .args(["-qec", &shell, "/dev/null"])
        .output()
        .unwrap();
    assert!(on_terminal.status.success(), "{on_terminal:?}");
    let screen = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(screen.contains("entries ["), "{screen}");
    assert!(screen.contains(&format!("/{ENTRIES}")), "{screen}");
    let file = std::fs::read_to_string(dir.path().join("trail.csv")).unwrap();
    assert_eq!(
        file.lines().count(),
        ENTRIES as usize + 1,
        "only the CSV: {file}"
    );
}
