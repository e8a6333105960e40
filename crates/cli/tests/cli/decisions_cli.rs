//! A person's decisions from the command line, on the demo's database: the budget the status
//! board shows, an approval past the budget that waits for `--yes`, a budget that may not drop
//! below what is agreed, and a run that refuses to write to anyone without an identity.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

const CONFIG: &str = "[agent]\n\
    agent_address = \"avery@northstar.example\"\n\
    team_domains = [\"northstar.example\"]\n\
    sender = { name = \"Avery Quinn\", team = \"Northstar Talent Partnerships\" }\n";

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

/// The id of `name`'s negotiation on the status board.
fn id_of(dir: &Path, name: &str) -> String {
    let board = negotiator(dir, &["negotiations", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&board.stdout).unwrap();
    rows.iter().find(|r| r["influencer_name"] == name).unwrap()["negotiation_id"].to_string()
}

#[test]
fn the_budget_binds_from_the_command_line_too() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert!(
        negotiator(dir, &["demo", "--dir", "demo", "--quiet"])
            .status
            .success()
    );

    // The board shows the campaign's money, and the offers out that could pass it.
    let board = text(&negotiator(dir, &["negotiations"]));
    assert!(
        board.contains(
            "budget $4,100.00 · committed $2,650.00 · outstanding $9,740.00 · remaining $1,450.00"
        ),
        "{board}"
    );
    assert!(
        board.contains("could together pass what is left"),
        "{board}"
    );

    // Without a configuration the agent does not know who it is and writes to nobody.
    let ivy = id_of(dir, "Ivy Chen");
    let refused = negotiator(dir, &["approve", &ivy, "--by", "pat"]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("[agent] sender.name"),
        "{}",
        text(&refused)
    );

    std::fs::write(dir.join("negotiator.toml"), CONFIG).unwrap();
    // Past the budget: the numbers, and nothing done until --yes.
    let asked = negotiator(dir, &["approve", &ivy, "--by", "pat"]);
    assert!(!asked.status.success());
    let said = text(&asked);
    assert!(
        said.contains("raises the campaign's budget from $4,100.00 to $4,900.00")
            && said.contains("--yes"),
        "{said}"
    );
    assert!(text(&negotiator(dir, &["negotiations"])).contains("remaining $1,450.00"));

    let done = negotiator(dir, &["approve", &ivy, "--by", "pat", "--yes"]);
    assert!(done.status.success(), "{}", text(&done));
    assert!(
        text(&done).contains("waits for review as draft"),
        "{}",
        text(&done)
    );
    let board = text(&negotiator(dir, &["negotiations"]));
    assert!(
        board.contains("budget $4,900.00 · committed $4,900.00"),
        "{board}"
    );
    assert!(
        board.contains("draft: agreement at $2,250.00 waits for review"),
        "a state reached by an unsent email says so: {board}"
    );
    let audit = text(&negotiator(
        dir,
        &[
            "audit",
            "--event-type",
            "budget_changed",
            "--format",
            "json",
        ],
    ));
    assert!(audit.contains("\"by\": \"pat\""), "{audit}");

    // The budget may not drop below what is agreed; a bad amount is refused by name.
    let lower = negotiator(dir, &["campaign", "budget", "glow-spring", "1000"]);
    assert!(!lower.status.success());
    assert!(
        text(&lower).contains("already agreed $4,900.00"),
        "{}",
        text(&lower)
    );
    let typo = negotiator(dir, &["campaign", "budget", "glow-spring", "lots"]);
    assert!(!typo.status.success());
    assert!(
        text(&typo).contains("\"lots\" is not an amount of money"),
        "{}",
        text(&typo)
    );
}
