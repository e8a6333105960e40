//! `negotiator eval classify FILE.jsonl`: the configured classifier's scores on labelled
//! replies, as tables.

mod render;

use std::sync::Arc;

use anyhow::{Context as _, bail};
use negotiator_adapters::classify::RulesClassifier;
use negotiator_adapters::config::Config;
use negotiator_adapters::llm::model_classifier;
use negotiator_agent::ports::classifier::Classifier;
use negotiator_domain::ClassifiedReply;
use negotiator_reading::eval::{Labelled, parse_labelled, score};

use super::context::Context;
use crate::args::EvalCommand;

pub async fn run(context: &Context, command: EvalCommand) -> anyhow::Result<()> {
    let EvalCommand::Classify {
        file,
        split,
        misses,
    } = command;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let set = match parse_labelled(&text) {
        Ok(set) => set,
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            bail!(
                "{} has {} unusable line(s); fix them and run again:\n  {}",
                file.display(),
                errors.len(),
                lines.join("\n  ")
            );
        }
    };
    let set: Vec<Labelled> = match &split {
        Some(wanted) => set
            .into_iter()
            .filter(|l| l.split.as_deref() == Some(wanted.as_str()))
            .collect(),
        None => set,
    };
    if set.is_empty() {
        bail!(
            "{} has no line in split {:?}; the splits are `tuning` and `held_out`",
            file.display(),
            split.unwrap_or_default()
        );
    }
    let classifier = configured_classifier(&context.config)?;
    let mut readings = Vec::with_capacity(set.len());
    let mut failures = Vec::new();
    for labelled in &set {
        match classifier.classify(&labelled.context).await {
            Ok(classified) => readings.push(classified.reply),
            Err(error) => {
                // One failed call is scored as no reading and listed; the rest still count.
                failures.push(format!("line {}: {error}", labelled.line));
                readings.push(no_reading(labelled));
            }
        }
    }
    let scores = score(&set, &readings);
    println!(
        "{} labelled replies from {}{}, read by {}\n",
        scores.replies,
        file.display(),
        split.map(|s| format!(" (split {s})")).unwrap_or_default(),
        classifier.describe()
    );
    print!("{}", render::report(&scores, misses));
    if !failures.is_empty() {
        println!(
            "\n{} call(s) failed and count as no reading:",
            failures.len()
        );
        for failure in failures {
            println!("  {failure}");
        }
    }
    Ok(())
}

/// The classifier `negotiator.toml` configures, as the agent's wiring chooses it (`[llm]
/// classify`, else Anthropic where its section and key are present), the rules otherwise.
pub fn configured_classifier(config: &Config) -> anyhow::Result<Arc<dyn Classifier>> {
    let model = model_classifier(config).context("could not set up the configured classifier")?;
    Ok(model.unwrap_or_else(|| Arc::new(RulesClassifier)))
}

fn no_reading(labelled: &Labelled) -> ClassifiedReply {
    ClassifiedReply::unread("the classifier failed", labelled.context.text.clone())
}
