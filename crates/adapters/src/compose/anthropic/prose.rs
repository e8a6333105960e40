//! The model's prose, read and checked: it may hold no number at all (money and counts come
//! only from the plan), no placeholder, and no signature of its own.

use negotiator_domain::EmailPlan;
use negotiator_domain::gate::find_amounts;
use serde::Deserialize;
use serde_json::Value;

use super::assemble::{default_greeting, first_name};

/// Longest prose accepted, all paragraphs together.
const MAX_PROSE_CHARS: usize = 3_000;
/// Longest greeting line.
const MAX_GREETING_CHARS: usize = 80;

/// How much of a rejected paragraph a log line quotes.
const SNIPPET_CHARS: usize = 120;

/// Lines that start a sign-off, which we write ourselves.
const SIGN_OFFS: &[&str] = &[
    "best",
    "best regards",
    "best wishes",
    "kind regards",
    "warm regards",
    "warmly",
    "regards",
    "cheers",
    "sincerely",
    "thanks",
    "thank you",
    "all the best",
];

/// What the model wrote, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Prose {
    pub greeting: String,
    /// Before the scope of work block.
    pub opening: Vec<String>,
    /// After it.
    pub closing: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(default)]
    greeting: String,
    #[serde(default)]
    opening_paragraphs: Vec<String>,
    #[serde(default)]
    closing_paragraphs: Vec<String>,
}

/// Reads the tool input. An unusable greeting is replaced by "Hi <first name>,"; a trailing
/// sign-off is dropped; any number, amount or placeholder makes the prose unusable (the
/// reason is returned).
pub(super) fn read(input: Value, plan: &EmailPlan) -> Result<Prose, String> {
    let raw: Raw =
        serde_json::from_value(input).map_err(|e| format!("the prose has the wrong shape: {e}"))?;
    let opening = paragraphs(raw.opening_paragraphs);
    let mut closing = paragraphs(raw.closing_paragraphs);
    while closing.last().is_some_and(|p| is_sign_off(p)) {
        closing.pop();
    }
    if opening.is_empty() && closing.is_empty() {
        return Err("the prose has no paragraphs".to_owned());
    }
    let total: usize = opening
        .iter()
        .chain(&closing)
        .map(|p| p.chars().count())
        .sum();
    if total > MAX_PROSE_CHARS {
        return Err(format!("the prose is too long ({total} characters)"));
    }
    for paragraph in opening.iter().chain(&closing) {
        check(paragraph)?;
    }
    Ok(Prose {
        greeting: greeting(&raw.greeting, plan),
        opening,
        closing,
    })
}

/// Trimmed, blank ones left out.
fn paragraphs(raw: Vec<String>) -> Vec<String> {
    raw.into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The model's greeting when it is one short line with the creator's first name.
fn greeting(raw: &str, plan: &EmailPlan) -> String {
    let line = raw.trim();
    let name = first_name(plan);
    let usable = !line.is_empty()
        && !line.contains('\n')
        && line.chars().count() <= MAX_GREETING_CHARS
        && (plan.influencer_name.trim().is_empty() || line.contains(&name))
        && check(line).is_ok();
    if usable {
        line.to_owned()
    } else {
        default_greeting(plan)
    }
}

/// No digit, currency sign, amount written in words, or placeholder.
fn check(text: &str) -> Result<(), String> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_ascii_digit() || matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩'))
    {
        return Err(format!(
            "the prose writes a number or amount ({c:?}) in {:?}",
            snippet(text)
        ));
    }
    if let Some((money, _)) = find_amounts(text).first() {
        return Err(format!(
            "the prose states an amount ({money}) in {:?}",
            snippet(text)
        ));
    }
    if text.contains(['{', '}', '[', ']']) {
        return Err(format!(
            "the prose holds a placeholder in {:?}",
            snippet(text)
        ));
    }
    Ok(())
}

/// The start of a paragraph, for a log line.
fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// "Best,", "Warm regards,\nSam": a paragraph that is only a sign-off.
fn is_sign_off(paragraph: &str) -> bool {
    let first = paragraph.lines().next().unwrap_or("");
    let words = first
        .trim()
        .trim_end_matches([',', '!', '.'])
        .to_lowercase();
    SIGN_OFFS.contains(&words.as_str()) && paragraph.lines().count() <= 3
}
