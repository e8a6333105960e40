//! `negotiator init` sets a folder up that `doctor`, `campaign import` and `run` work on as
//! written, and never writes over a file.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

fn negotiator(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("NEGOTIATOR_DB")
        .env_remove("NEGOTIATOR_DATA")
        .env_remove("NEGOTIATOR_CONFIG")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("CLICKUP_API_TOKEN")
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn init_writes_a_team_folder_that_runs_as_written() {
    let root = tempfile::tempdir().unwrap();
    let init = negotiator(root.path(), &["init", "team"]);
    assert!(init.status.success(), "{init:?}");
    let said = stdout(&init);
    for wanted in [
        "negotiator.toml",
        "data/roster.csv",
        "campaigns/example-campaign.toml",
        "kb/playbook.md",
        "kb/stages/opening.md",
        "What to edit next",
        "sender and agent_address",
    ] {
        assert!(said.contains(wanted), "{wanted}: {said}");
    }
    let dir = root.path().join("team");

    let doctor = negotiator(&dir, &["doctor"]);
    let report = stdout(&doctor);
    assert!(doctor.status.success(), "{report}\n{doctor:?}");
    assert!(report.contains("1 usable influencer(s)"), "{report}");
    assert!(
        report.contains("kb (14 files in use)") || report.contains("kb ("),
        "{report}"
    );

    // The template sends in working hours only; the test opens the window to every hour of
    // every day so that it does not depend on when it runs (the window has its own tests).
    let config = dir.join("negotiator.toml");
    let written = std::fs::read_to_string(&config).unwrap();
    let always_open = open_the_sending_window(&written);
    assert_ne!(always_open, written, "the template has a [sending] window");
    std::fs::write(&config, always_open).unwrap();

    let import = negotiator(
        &dir,
        &["campaign", "import", "campaigns/example-campaign.toml"],
    );
    assert!(import.status.success(), "{import:?}");
    let run = negotiator(&dir, &["run"]);
    assert!(run.status.success(), "{run:?}");
    let drafts = negotiator(&dir, &["drafts", "list"]);
    let listed = stdout(&drafts);
    assert!(drafts.status.success(), "{drafts:?}");
    assert!(listed.contains("Jane Example"), "{listed}");

    // The draft reads as a person writes: the deliverables as the campaign says them, and
    // the article agreeing with the client's name.
    let db = negotiator_store_body(&dir);
    assert!(
        db.contains("1 Instagram reel and 2 Instagram stories"),
        "{db}"
    );
    assert!(db.contains("an Acme Skincare campaign"), "{db}");
}

/// The configuration with the sending window open at every hour of every day.
fn open_the_sending_window(config: &str) -> String {
    config
        .lines()
        .map(|line| match line.split('=').next().map(str::trim) {
            Some("window_start") => "window_start = \"00:00\"".to_owned(),
            Some("window_end") => "window_end = \"00:00\"".to_owned(),
            Some("business_days") => {
                "business_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]"
                    .to_owned()
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The drafts with their text, as JSON.
fn negotiator_store_body(dir: &Path) -> String {
    stdout(&negotiator(dir, &["drafts", "list", "--format", "json"]))
}

#[test]
fn init_never_writes_over_a_file_and_names_what_it_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("negotiator.toml"), "# mine\n").unwrap();
    std::fs::create_dir_all(dir.path().join("kb")).unwrap();
    std::fs::write(dir.path().join("kb/playbook.md"), "# my playbook\n").unwrap();
    let init = negotiator(dir.path(), &["init"]);
    assert!(init.status.success(), "{init:?}");
    let said = stdout(&init);
    assert!(
        said.contains("Left as they are (2 already there)"),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("negotiator.toml")).unwrap(),
        "# mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kb/playbook.md")).unwrap(),
        "# my playbook\n"
    );
    assert!(dir.path().join("data/roster.csv").exists());
    let again = negotiator(dir.path(), &["init"]);
    assert!(
        stdout(&again).contains("Nothing written: every file is already there."),
        "{again:?}"
    );
}
