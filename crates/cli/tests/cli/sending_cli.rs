//! The sending pace from the command line: the stop switch (`pause --all`, `resume --all`),
//! `doctor` saying sending is paused, and `jobs list --waiting` showing openings held by the
//! daily cap.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

const ROSTER: &str = "\
name,email,platform,handle,average views
Jane Doe,jane@creator.example,instagram,@jane,50000
Raj Patel,raj@creator.example,instagram,@raj,40000
Mia Chen,mia@creator.example,instagram,@mia,60000
";

const CAMPAIGN: &str = "campaign_id = \"glow\"\nclient_name = \"Glow Skincare\"\n\
    budget = \"$20,000\"\nplatform = \"instagram\"\ndeliverables = [\"1 instagram reel\"]\n\
    cpm_target = \"$25\"\ncpm_leniency_pct = \"20\"\nmode = \"auto\"\n\
    influencers = [\"Jane Doe, Raj Patel, Mia Chen\"]\n";

/// A folder with an agent identity, `cap` new conversations a day (0: none), and a window open
/// at every hour so the test does not depend on the wall clock.
fn folder(cap: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("negotiator.toml"),
        format!(
            "[agent]\nagent_address = \"deals@agency.example\"\n\
             sender = {{ name = \"Sam Rivera\", team = \"Brightside Talent\" }}\n\n\
             [local]\ndata_dir = \"data\"\n\n\
             [sending]\ndaily_new_conversations = {cap}\nramp_first_day = 1\nramp_per_day = 0\n\
             window_start = \"00:00\"\nwindow_end = \"00:00\"\n\
             business_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n\
             min_spacing_secs = 0\nmax_spacing_secs = 0\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/roster.csv"), ROSTER).unwrap();
    std::fs::write(dir.path().join("campaign.toml"), CAMPAIGN).unwrap();
    dir
}

fn negotiator(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .args(["--db", "n.db"])
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

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = negotiator(dir, args);
    assert!(output.status.success(), "{args:?}: {}", text(&output));
    text(&output)
}

fn sent(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("data/mail/outbox"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

#[test]
fn pause_all_holds_every_email_until_resume_all() {
    let dir = folder(0);
    let dir = dir.path();
    ok(dir, &["campaign", "import", "campaign.toml"]);
    let paused = ok(dir, &["pause", "--all", "--by", "pat"]);
    assert!(paused.contains("Sending is paused"), "{paused}");
    ok(dir, &["run"]);
    assert_eq!(sent(dir), 0);

    let waiting = ok(dir, &["jobs", "list", "--waiting"]);
    assert_eq!(
        waiting.matches("held: sending is paused").count(),
        3,
        "{waiting}"
    );
    assert!(waiting.contains("3 job(s) are held"), "{waiting}");
    let doctor = text(&negotiator(dir, &["doctor"]));
    assert!(doctor.contains("PAUSED by pat"), "{doctor}");

    // One negotiation still pauses on its own; naming none is a clear error.
    let neither = text(&negotiator(dir, &["pause"]));
    assert!(neither.contains("--all"), "{neither}");

    let resumed = ok(dir, &["resume", "--all", "--by", "sam"]);
    assert!(resumed.contains("3 held job(s)"), "{resumed}");
    ok(dir, &["run"]);
    assert_eq!(sent(dir), 3);
    let audit = ok(
        dir,
        &["audit", "--event-type", "sending_paused", "--format", "csv"],
    );
    assert!(audit.contains("pat"), "{audit}");
    let audit = ok(
        dir,
        &[
            "audit",
            "--event-type",
            "sending_resumed",
            "--format",
            "csv",
        ],
    );
    assert!(audit.contains("sam"), "{audit}");
    let doctor = text(&negotiator(dir, &["doctor"]));
    assert!(!doctor.contains("PAUSED"), "{doctor}");
}

#[test]
fn jobs_list_shows_the_openings_the_daily_cap_holds() {
    let dir = folder(1);
    let dir = dir.path();
    ok(dir, &["campaign", "import", "campaign.toml"]);
    let run = ok(dir, &["run"]);
    assert_eq!(sent(dir), 1);
    // The held openings are named as waiting for their slot, not for a rate limit.
    assert!(run.contains("waits for its send slot"), "{run}");
    assert!(!run.contains("rate limit"), "{run}");
    let waiting = ok(dir, &["jobs", "list", "--waiting"]);
    assert_eq!(waiting.matches("open_negotiation").count(), 2, "{waiting}");
    assert!(
        waiting.contains("goes at") && waiting.contains("UTC"),
        "{waiting}"
    );
    // The plain listing still works, and says when a queued job goes.
    let all = ok(dir, &["jobs", "list", "--status", "queued"]);
    assert!(all.contains("open_negotiation"), "{all}");
}
