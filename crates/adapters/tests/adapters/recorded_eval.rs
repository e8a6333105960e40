//! The shipped labelled set read by the Anthropic classifier against a fake Messages API that
//! plays back recorded tool answers: every email reaches the model as escaped, quoted data, and
//! `negotiator_reading::eval` scores what came back exactly as it scores the rules.

use std::time::Duration;

use negotiator_adapters::classify::anthropic::AnthropicClassifier;
use negotiator_agent::ports::classifier::Classifier;
use negotiator_reading::eval::{Labelled, parse_labelled, score};
use negotiator_vendors::anthropic::AnthropicClient;
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::Value;

use super::anthropic_adapters::fake::{Answer, FakeAnthropic};

fn eval_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../eval/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[tokio::test]
async fn a_recorded_model_is_scored_on_the_labelled_set() {
    let set: Vec<Labelled> = parse_labelled(&eval_file("labelled_replies.jsonl")).unwrap();
    let recorded: Vec<Value> = eval_file("recorded_anthropic.jsonl")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(recorded.len(), set.len());
    let script = set
        .iter()
        .zip(&recorded)
        .map(|(labelled, answer)| {
            assert_eq!(answer["id"], labelled.id.as_str());
            Answer::tool("record_reply_reading", answer["tool_input"].clone())
        })
        .collect();
    let fake = FakeAnthropic::start(script);
    let client = AnthropicClient::new(fake.url(), Secret::new("sk-test"), Duration::from_secs(5))
        .unwrap()
        .with_retry(RetryPolicy::immediate(1));
    let classifier = AnthropicClassifier::new(client, "claude-haiku-4-5-20251001");

    let mut readings = Vec::new();
    for labelled in &set {
        readings.push(classifier.classify(&labelled.context).await.unwrap().reply);
    }
    let scores = score(&set, &readings);
    for miss in &scores.misses {
        println!("{} (line {}): {}", miss.id, miss.line, miss.what);
    }

    // Three answers are recorded wrong (t08's rate, h06's intent and rate, h33's intent). And
    // the adapter drops h25's right answer ($4,000 for "I can do it for four thousand"): it
    // keeps no rate from a reply in which the amount scanner finds no number.
    assert_eq!(scores.replies, 94);
    assert_eq!((scores.intent.hits, scores.intent.total), (92, 94));
    assert_eq!((scores.rate.hits, scores.rate.total), (91, 94));
    assert_eq!(scores.flag_recall.hits, scores.flag_recall.total);
    let missed: Vec<&str> = scores.misses.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(missed, ["t08", "h06", "h25", "h33"]);

    // Each email went to the model inside its one escaped data block.
    let requests = fake.requests();
    assert_eq!(requests.len(), set.len());
    for (request, labelled) in requests.iter().zip(&set) {
        let prompt = request.body["messages"][0]["content"].as_str().unwrap();
        let block = prompt.split_once("<creator_email>").unwrap().1;
        let escaped = labelled
            .context
            .text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(block.contains(escaped.trim()), "{prompt}");
        assert!(block.ends_with("</creator_email>"), "{prompt}");
    }
}
