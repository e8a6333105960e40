//! The rules classifier on the shipped labelled set (`eval/labelled_replies.jsonl`): its scores
//! on the held-out part may not fall below the floor, so a regression fails.

use negotiator_reading::eval::{Labelled, Scores, parse_labelled, score};
use negotiator_reading::rules;

fn set() -> Vec<Labelled> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../eval/labelled_replies.jsonl"
    );
    parse_labelled(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn scores_of(split: &str) -> Scores {
    let part: Vec<Labelled> = set()
        .into_iter()
        .filter(|l| l.split.as_deref() == Some(split))
        .collect();
    let readings: Vec<_> = part.iter().map(|l| rules::read(&l.context)).collect();
    let scores = score(&part, &readings);
    for miss in &scores.misses {
        println!("{split} {} (line {}): {}", miss.id, miss.line, miss.what);
    }
    println!(
        "{split}: {} replies, intent {:.3}, rate {:.3}, flags {:.3}",
        scores.replies,
        scores.intent.ratio(),
        scores.rate.ratio(),
        scores.flag_recall.ratio()
    );
    scores
}

#[test]
fn the_set_covers_every_intent_flag_and_split() {
    let set = set();
    assert!(set.len() >= 80, "{}", set.len());
    let all = score(
        &set,
        &set.iter()
            .map(|l| rules::read(&l.context))
            .collect::<Vec<_>>(),
    );
    for intent in &all.intents {
        assert!(
            intent.recall.total >= 3,
            "{} has too few replies",
            intent.intent
        );
    }
    for flag in &all.flags {
        assert!(
            flag.recall.total >= 3,
            "{} has too few replies",
            flag.flag.as_str()
        );
    }
    let held_out = set
        .iter()
        .filter(|l| l.split.as_deref() == Some("held_out"));
    assert!(held_out.count() >= 40);
}

#[test]
fn the_rules_classifier_holds_its_floor_on_replies_it_was_not_tuned_on() {
    let tuning = scores_of("tuning");
    let held_out = scores_of("held_out");
    assert!(
        held_out.intent.ratio() >= 0.9,
        "intent {:?}",
        held_out.intent
    );
    assert!(held_out.rate.ratio() >= 0.9, "rate {:?}", held_out.rate);
    assert!(
        held_out.flag_recall.ratio() >= 1.0,
        "flags {:?}",
        held_out.flag_recall
    );
    assert!(tuning.intent.ratio() >= 0.9, "intent {:?}", tuning.intent);
    assert!(tuning.rate.ratio() >= 0.9, "rate {:?}", tuning.rate);
    assert!(
        tuning.flag_recall.ratio() >= 1.0,
        "flags {:?}",
        tuning.flag_recall
    );
}
