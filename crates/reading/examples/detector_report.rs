//! Precision and recall of the message-kind detectors (auto-reply, bounce with its severity,
//! status and recipient, return dates) and of the opt-out detector, on the labelled fixtures.
//!
//! ```sh
//! cargo run -p negotiator-reading --example detector_report            # the tables
//! cargo run -p negotiator-reading --example detector_report -- --misses # and every miss
//! NEGOTIATOR_NON_REPLY_FIXTURES=/path/to/non-replies cargo run -p negotiator-reading --example detector_report
//! ```
//!
//! The fixtures and their labels are described in `tests/reading/fixture_labels.rs`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/reading/fixture_labels.rs"]
mod fixture_labels;

use fixture_labels::{
    DateCheck, Fixture, Kind, OptOutCase, describe, inbound, judge, judge_opt_out,
    message_fixtures, opt_out_cases, raw_message,
};
use negotiator_reading::kind::{MessageKind, opt_out};
use negotiator_reading::mail::new_text;

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let fixtures = message_fixtures();
    let opt_outs = opt_out_cases();
    match fixture_labels::real_world_root() {
        Some(root) => println!("real-world sets: {}", root.display()),
        None => println!(
            "real-world sets: not found (set NEGOTIATOR_NON_REPLY_FIXTURES or add ../shared/fixtures/non-replies); hand-written and shared sets only"
        ),
    }
    let scores = score(&fixtures, &opt_outs);
    println!(
        "{} message fixtures ({} auto-replies, {} bounces, {} replies), {} opt-out cases\n",
        scores.fixtures,
        count(&fixtures, Kind::AutoReply),
        count(&fixtures, Kind::Bounce),
        count(&fixtures, Kind::Reply),
        opt_outs.len(),
    );
    println!(
        "{:<12} {:>5} {:>5} {:>5} {:>6} {:>10} {:>8}",
        "detector", "TP", "FP", "FN", "TN", "precision", "recall"
    );
    for (name, tally) in [
        ("auto-reply", scores.auto_reply),
        ("bounce", scores.bounce),
        ("opt-out", scores.opt_out),
    ] {
        print_tally(name, tally);
    }
    println!(
        "\n{:<22} {:>7} {:>8} {:>9}",
        "field (true positives)", "right", "checked", "accuracy"
    );
    for (name, accuracy) in [
        ("bounce severity", scores.severity),
        ("bounce status", scores.status),
        ("bounce recipient", scores.recipient),
        ("auto-reply return date", scores.returns_on),
    ] {
        print_accuracy(name, accuracy);
    }
    if show_misses {
        println!("\nmisses:");
        for fixture in &fixtures {
            let verdict = judge(fixture);
            if !verdict.problems.is_empty() {
                let known = fixture
                    .known_miss
                    .as_deref()
                    .map_or(String::new(), |r| format!(" [known: {r}]"));
                println!(
                    "  {}: {} (read as {}){known}",
                    fixture.name,
                    verdict.problems.join("; "),
                    describe(&verdict.got)
                );
            }
        }
        for fixture in fixtures.iter().filter(|f| f.kind == Kind::Reply) {
            let text = reply_new_text(fixture).unwrap_or_default();
            if let Some(found) = opt_out(&text) {
                println!("  {}: opt-out {:?} in a reply", fixture.name, found.phrase);
            }
        }
        for case in &opt_outs {
            let (got, right) = judge_opt_out(case);
            if !right {
                let known = case
                    .known_miss
                    .as_deref()
                    .map_or(String::new(), |r| format!(" [known: {r}]"));
                println!(
                    "  {}: got {got:?}, want {:?}: {:?}{known}",
                    case.name, case.phrase, case.text
                );
            }
        }
    }
}

fn count(fixtures: &[Fixture], kind: fixture_labels::Kind) -> usize {
    fixtures.iter().filter(|f| f.kind == kind).count()
}

fn print_tally(name: &str, t: Tally) {
    println!(
        "{name:<12} {:>5} {:>5} {:>5} {:>6} {:>10.3} {:>8.3}",
        t.tp,
        t.fp,
        t.fn_,
        t.tn,
        t.precision(),
        t.recall()
    );
}

fn print_accuracy(name: &str, a: Accuracy) {
    println!(
        "{name:<22} {:>7} {:>8} {:>9.3}",
        a.right,
        a.checked,
        a.rate()
    );
}

/// The new text of a reply fixture, for the opt-out detector's negatives.
fn reply_new_text(fixture: &Fixture) -> Option<String> {
    let email = inbound(&raw_message(fixture));
    new_text(&email.body)
}

/// Counts for one detector.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Tally {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

/// Right answers out of those checked.
#[derive(Debug, Default, Clone, Copy)]
struct Accuracy {
    right: usize,
    checked: usize,
}

impl Accuracy {
    fn add(&mut self, right: bool) {
        self.checked += 1;
        if right {
            self.right += 1;
        }
    }

    fn rate(&self) -> f64 {
        ratio(self.right, self.checked)
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Every figure the detector report prints.
#[derive(Debug, Default)]
struct Scores {
    fixtures: usize,
    auto_reply: Tally,
    bounce: Tally,
    opt_out: Tally,
    severity: Accuracy,
    status: Accuracy,
    recipient: Accuracy,
    returns_on: Accuracy,
}

/// Runs every detector over every fixture. Known misses count as they come out: the figures
/// are what the detectors do, not what the labels excuse.
fn score(fixtures: &[Fixture], opt_outs: &[OptOutCase]) -> Scores {
    let mut scores = Scores {
        fixtures: fixtures.len(),
        ..Scores::default()
    };
    for fixture in fixtures {
        let verdict = judge(fixture);
        let auto = matches!(verdict.got, MessageKind::AutoReply(_));
        let bounce = matches!(verdict.got, MessageKind::Bounce(_));
        scores.auto_reply.add(auto, fixture.kind == Kind::AutoReply);
        scores.bounce.add(bounce, fixture.kind == Kind::Bounce);
        if let MessageKind::Bounce(b) = &verdict.got
            && fixture.kind == Kind::Bounce
        {
            if let Some(want) = fixture.severity {
                scores.severity.add(b.severity == want);
            }
            if let Some(want) = &fixture.status {
                scores.status.add(b.status.as_ref() == Some(want));
            }
            if let Some(want) = &fixture.recipient {
                scores.recipient.add(b.recipient.as_ref() == Some(want));
            }
        }
        if let MessageKind::AutoReply(a) = &verdict.got {
            match fixture.returns_on {
                DateCheck::Unchecked => {}
                DateCheck::Absent => scores.returns_on.add(a.returns_on.is_none()),
                DateCheck::On(want) => scores.returns_on.add(a.returns_on == Some(want)),
            }
        }
        if fixture.kind == Kind::Reply
            && let Some(text) = reply_new_text(fixture)
        {
            scores.opt_out.add(opt_out(&text).is_some(), false);
        }
    }
    for case in opt_outs {
        let (got, _) = judge_opt_out(case);
        scores.opt_out.add(got.is_some(), case.phrase.is_some());
    }
    scores
}
