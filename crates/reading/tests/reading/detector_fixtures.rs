//! The message-kind and opt-out detectors against every labelled fixture
//! (see `fixture_labels.rs` for the roots and the label format).

use crate::fixture_labels::{
    describe, judge, judge_opt_out, message_fixtures, opt_out_cases, real_world_root,
};

#[test]
fn every_labelled_message_is_read_as_labelled() {
    if real_world_root().is_none() {
        eprintln!(
            "note: the real-world non-reply sets are absent (NEGOTIATOR_NON_REPLY_FIXTURES or \
             ../shared/fixtures/non-replies); checking hand-written and shared sets only"
        );
    }
    let fixtures = message_fixtures();
    assert!(
        fixtures.len() > 100,
        "only {} fixtures found",
        fixtures.len()
    );
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let verdict = judge(fixture);
        match (&fixture.known_miss, verdict.problems.is_empty()) {
            (None, false) => failures.push(format!(
                "{}: {} (read as {})",
                fixture.name,
                verdict.problems.join("; "),
                describe(&verdict.got)
            )),
            (Some(reason), true) => failures.push(format!(
                "{}: listed as a known miss ({reason}) but now read right: update its label",
                fixture.name
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_opt_out_case_is_read_as_labelled() {
    let cases = opt_out_cases();
    assert!(cases.len() > 50, "only {} opt-out cases found", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let (got, right) = judge_opt_out(case);
            (right == case.known_miss.is_some()).then(|| {
                format!(
                    "{}: got {got:?}, want {:?}: {:?}",
                    case.name, case.phrase, case.text
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
