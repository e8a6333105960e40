//! The model's tool input checked and turned into a `ClassifiedReply`: the rate parsed from
//! text as exact money, unknown deliverables left out, confidence clamped, and flags kept only
//! with a quote found in the reply.

use std::str::FromStr;

use negotiator_domain::gate::find_amounts;
use negotiator_domain::{ClassifiedReply, Confidence, DeliverableType, Intent, Money};
use serde::Deserialize;
use serde_json::{Number, Value};

use super::evidence::grounded;
use negotiator_agent::ports::classifier::{ClassifyError, ReplyContext};

/// The most confidence left to a reading whose rate the reply cannot have asked for: below
/// the default escalation threshold (70), so a person reads the reply.
const DOUBTFUL: u8 = 50;

/// Longest summary kept.
const MAX_SUMMARY_CHARS: usize = 300;

/// The tool input as the model wrote it, before any checks.
#[derive(Debug, Deserialize)]
struct Raw {
    intent: String,
    #[serde(default)]
    proposed_rate: Value,
    #[serde(default)]
    deliverables: Vec<String>,
    confidence: Number,
    #[serde(default)]
    hostile: Option<String>,
    #[serde(default)]
    legal: Option<String>,
    #[serde(default)]
    unusual_deliverables: Option<String>,
    #[serde(default)]
    summary: String,
}

/// Reads the tool input for `reply`. A missing field, an unknown intent or a rate that is not
/// an amount makes the whole reading unusable; quotes not in the reply are dropped.
pub(super) fn read(input: Value, reply: &ReplyContext) -> Result<ClassifiedReply, ClassifyError> {
    let raw: Raw = serde_json::from_value(input)
        .map_err(|e| ClassifyError::Unusable(format!("the reading has the wrong shape: {e}")))?;
    let intent = intent(&raw.intent)?;
    let (proposed_rate, confidence) = plausible(
        intent,
        rate(&raw.proposed_rate)?,
        confidence(&raw.confidence),
        reply,
    );
    let mut deliverables = Vec::new();
    for id in &raw.deliverables {
        match DeliverableType::from_str(id) {
            Ok(kind) if !deliverables.contains(&kind) => deliverables.push(kind),
            Ok(_) => {}
            Err(_) => tracing::debug!(id = %id, "the classifier named an unknown deliverable"),
        }
    }
    let flag = |name: &str, quote: Option<&str>| {
        let evidence = grounded(quote, &reply.text);
        if evidence.is_none() && quote.is_some_and(|q| !q.trim().is_empty()) {
            tracing::warn!(
                flag = name,
                "dropped a flag whose quote is not in the reply"
            );
        }
        evidence
    };
    Ok(ClassifiedReply {
        intent,
        proposed_rate,
        deliverables,
        confidence,
        hostile: flag("hostile", raw.hostile.as_deref()),
        legal: flag("legal", raw.legal.as_deref()),
        unusual_deliverables: flag("unusual_deliverables", raw.unusual_deliverables.as_deref()),
        summary: summary(&raw.summary, intent),
        text: reply.text.clone(),
    })
}

fn intent(text: &str) -> Result<Intent, ClassifyError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "accept" => Ok(Intent::Accept),
        "counter" => Ok(Intent::Counter),
        "reject" => Ok(Intent::Reject),
        "question" => Ok(Intent::Question),
        "unclear" => Ok(Intent::Unclear),
        other => Err(ClassifyError::Unusable(format!("unknown intent {other:?}"))),
    }
}

/// Their rate from a string ("1500.00", "$1,500") or a whole number, never through a float.
fn rate(value: &Value) -> Result<Option<Money>, ClassifyError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(text) => text.trim().to_owned(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        other => {
            return Err(ClassifyError::Unusable(format!(
                "the rate {other} is not an exact amount"
            )));
        }
    };
    if text.is_empty() || ["null", "none", "n/a"].contains(&text.to_ascii_lowercase().as_str()) {
        return Ok(None);
    }
    let money = Money::from_str(&text)
        .map_err(|e| ClassifyError::Unusable(format!("the rate could not be read: {e}")))?;
    if !money.is_positive() {
        return Err(ClassifyError::Unusable(format!(
            "the rate {text:?} is not a positive amount"
        )));
    }
    Ok(Some(money))
}

/// Drops a rate the reply cannot have asked for. Our own offer said back is no ask of theirs
/// (and a counter at exactly our offer contradicts itself, so it is marked doubtful); an
/// amount in a reply that names no number at all is invented, and marked doubtful too.
fn plausible(
    intent: Intent,
    rate: Option<Money>,
    confidence: Confidence,
    reply: &ReplyContext,
) -> (Option<Money>, Confidence) {
    let Some(ask) = rate else {
        return (None, confidence);
    };
    let doubtful = || {
        let capped = Confidence::from_percent(confidence.percent().min(DOUBTFUL));
        (None, capped)
    };
    if Some(ask) == reply.our_offer {
        if intent == Intent::Counter {
            tracing::warn!(
                "the classifier read our own offer as their counter; a person will look"
            );
            return doubtful();
        }
        return (None, confidence);
    }
    let names_a_number =
        reply.text.chars().any(|c| c.is_ascii_digit()) || !find_amounts(&reply.text).is_empty();
    if !names_a_number {
        tracing::warn!(
            "the classifier found a rate in a reply that names no number; a person will look"
        );
        return doubtful();
    }
    (Some(ask), confidence)
}

/// Whole percent, clamped to 0..=100. A fraction such as 0.85 is read as 1 percent, which
/// sends the reply to a person rather than trusting it.
fn confidence(number: &Number) -> Confidence {
    let percent = if let Some(whole) = number.as_i64() {
        whole.clamp(0, 100)
    } else if number.is_u64() {
        100
    } else {
        // Not money: a confidence written with a fraction, rounded to whole percent.
        number
            .as_f64()
            .map_or(0, |f| f.round().clamp(0.0, 100.0) as i64)
    };
    Confidence::from_percent(u8::try_from(percent).unwrap_or(0))
}

fn summary(text: &str, intent: Intent) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return format!("The reply reads as {}.", intent.as_str());
    }
    if line.chars().count() > MAX_SUMMARY_CHARS {
        let cut: String = line.chars().take(MAX_SUMMARY_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        line
    }
}
