//! `negotiator serve`, `run` and `doctor` on a roster with bad rows: the service starts and
//! answers on the good rows, and every bad row is named by row and column.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

const MIXED: &str = "\
name,email,platform,handle,average views,min rate,max rate,engagement rate
Jane Doe,jane@creator.example,instagram,@jane,50000,,,2.0%
Spy Row,\"x@creator.example>,<spy@evil.example\",instagram,@spy,50000,,,
Big Numbers,big@creator.example,instagram,@big,\"10,000,000,000,000\",,,
Raj Patel,raj@creator.example,instagram,@raj,40000,,,2.5%
";

/// A folder with a configuration that listens on a free port and this roster.
fn folder(roster: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("negotiator.toml"),
        "[agent]\nagent_address = \"deals@agency.example\"\nsender = { name = \"Sam Rivera\", team = \"Brightside Talent\" }\n\n[server]\nbind = \"127.0.0.1:0\"\nworkers = 0\n\n[local]\ndata_dir = \"data\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/roster.csv"), roster).unwrap();
    dir
}

fn negotiator(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .args(["--db", "n.db"])
        .args(args);
    command
}

/// Starts `negotiator serve`, returns its log lines (JSON, as stderr is not a terminal) up
/// to "serving", and whether `/healthz` then answered 200.
fn serve_until_ready(dir: &Path) -> (Vec<serde_json::Value>, bool) {
    let mut child = negotiator(dir, &["serve"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut logged = Vec::new();
    let mut address = None;
    while let Ok(line) = received.recv_timeout(Duration::from_secs(30)) {
        let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if let Some(addr) = entry["fields"]["addr"].as_str() {
            address = Some(addr.to_owned());
        }
        logged.push(entry);
        if address.is_some() {
            break;
        }
    }
    let healthy = address.is_some_and(|addr| {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer.starts_with("HTTP/1.1 200")
    });
    child.kill().unwrap();
    child.wait().unwrap();
    (logged, healthy)
}

fn warnings(logged: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    logged.iter().filter(|e| e["level"] == "WARN").collect()
}

#[test]
fn serve_starts_on_a_roster_with_bad_rows_and_warns_about_each() {
    let dir = folder(MIXED);
    let (logged, healthy) = serve_until_ready(dir.path());
    assert!(healthy, "{logged:#?}");
    let skipped: Vec<(u64, &str)> = warnings(&logged)
        .iter()
        .map(|w| {
            (
                w["fields"]["row"].as_u64().unwrap(),
                w["fields"]["column"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(skipped, [(3, "email"), (4, "average views")], "{logged:#?}");
}

#[test]
fn serve_starts_on_a_roster_missing_a_column_and_says_so() {
    let dir = folder("Name,Email\nJane,jane@x.com\n");
    let (logged, healthy) = serve_until_ready(dir.path());
    assert!(healthy, "{logged:#?}");
    let said = warnings(&logged)
        .iter()
        .filter_map(|w| w["fields"]["problem"].as_str())
        .any(|problem| problem.contains("\"platform\""));
    assert!(said, "{logged:#?}");
}

#[test]
fn run_warns_and_doctor_lists_every_bad_row() {
    let dir = folder(MIXED);
    let run = negotiator(dir.path(), &["run"]).output().unwrap();
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        stderr.matches("skipping a roster row").count(),
        2,
        "{stderr}"
    );

    let doctor = negotiator(dir.path(), &["doctor"]).output().unwrap();
    assert!(!doctor.status.success());
    let report = String::from_utf8_lossy(&doctor.stdout);
    for wanted in [
        "2 usable influencer(s)",
        "row 3",
        "\"email\"",
        "row 4",
        "\"average views\"",
    ] {
        assert!(report.contains(wanted), "{wanted}: {report}");
    }
}
