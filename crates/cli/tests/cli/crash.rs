//! Kill `negotiator demo` at random points (SIGKILL, no chance to clean up), resume it until it
//! finishes, and check the outcome equals an uninterrupted run: every influencer got exactly
//! one opening email, no email went out twice, and every reply was taken in.
//!
//! `CRASH_KILLS` sets the number of interrupted runs (default 12; the figure reported in the
//! project notes comes from a longer run of this same test).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_negotiator");

fn demo(dir: &Path, resume: bool) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--db")
        .arg(dir.join("negotiator.db"))
        .arg("demo")
        .arg("--dir")
        .arg(dir.join("demo"))
        .arg("--quiet")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if resume {
        command.arg("--resume");
    }
    command
}

/// What a finished demo left behind, in a form two runs can be compared by.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// Influencer → (state, round).
    states: BTreeMap<String, (String, i64)>,
    /// Recipient → kinds of email sent to them, in Message-ID order.
    sent: BTreeMap<String, Vec<String>>,
    /// Emails taken in, by Message-ID.
    received: usize,
}

fn outcome(dir: &Path) -> Outcome {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(dir.join("negotiator.db"))
        .args(["negotiations", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let states = rows
        .iter()
        .map(|r| {
            (
                r["influencer_name"].as_str().unwrap().to_owned(),
                (
                    r["state"].as_str().unwrap().to_owned(),
                    r["round"].as_i64().unwrap(),
                ),
            )
        })
        .collect();
    let mut sent: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("demo/mail/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".eml"),
            "a half-written email was left behind: {name}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let to = text
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap()
            .trim()
            .to_owned();
        let kind = name.split('.').next().unwrap().to_owned();
        sent.entry(to).or_default().push(kind);
    }
    let received = std::fs::read_dir(dir.join("demo/mail/inbox/read"))
        .unwrap()
        .count();
    Outcome {
        states,
        sent,
        received,
    }
}

/// A small deterministic generator, so a failing sequence of kill times can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

#[test]
fn killing_the_demo_anywhere_loses_nothing_and_sends_nothing_twice() {
    let reference_dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let status = demo(reference_dir.path(), false).status().unwrap();
    assert!(status.success());
    let full_run = started.elapsed();
    let reference = outcome(reference_dir.path());
    assert_eq!(reference.states.len(), 9);
    for (to, kinds) in &reference.sent {
        assert_eq!(
            kinds.iter().filter(|k| *k == "opening").count(),
            1,
            "{to}: {kinds:?}"
        );
    }

    let kills: u64 = std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Lcg(seed);
    let window = u64::try_from(full_run.as_micros())
        .unwrap_or(u64::MAX)
        .max(1_000);
    let mut interrupted = 0;
    for attempt in 0..kills {
        let dir = tempfile::tempdir().unwrap();
        let mut child = demo(dir.path(), false).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        // Resume, killing again now and then, until a run finishes.
        let mut rounds = 0;
        loop {
            rounds += 1;
            let mut child = demo(dir.path(), true).spawn().unwrap();
            if rounds < 3 && rng.below(2) == 0 {
                std::thread::sleep(Duration::from_micros(rng.below(window)));
                child.kill().ok();
            }
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                break;
            }
            assert!(
                out.status.code().is_none(),
                "attempt {attempt} (seed {seed}): a resumed demo failed on its own: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let got = outcome(dir.path());
        assert_eq!(
            got, reference,
            "attempt {attempt} (seed {seed}) differs from the clean run"
        );
    }
    eprintln!(
        "{kills} kill points tried ({interrupted} landed mid-run), each resumed to the same outcome"
    );
}
