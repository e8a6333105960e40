//! The validation gate: checks a written email against its `EmailPlan` before anything is sent.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::budget::Budget;
use crate::email::{EmailKind, EmailPlan};
use crate::money::Money;
use crate::platform::DeliverableType;

mod amounts;
mod deliverables;

pub use amounts::find_amounts;
use amounts::{CURRENCY_SIGNS, Currency, is_inline_space, is_money_related, scan_amounts};
use deliverables::is_their_own_content;
pub use deliverables::{DeliverableMention, find_deliverables};

/// What the gate refuses besides wrong numbers.
///
/// A forbidden phrase is matched case-insensitively on whole words, so `exclusive` does not
/// match `inclusive`; a word ending in `*` matches any word starting with it (`guarante*`
/// matches guarantee, guaranteed, guarantees). Words of a phrase may be separated by any
/// spacing or punctuation in the email (`usage-rights` matches `usage rights`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GatePolicy {
    pub forbidden_phrases: Vec<String>,
    /// The trimmed body must have at least this many characters.
    pub min_length: usize,
}

impl Default for GatePolicy {
    /// Commitments we never make in an email: exclusivity, usage rights, guarantees and
    /// promises of future work.
    fn default() -> Self {
        let phrases = [
            "exclusiv*",
            "non-compete*",
            "usage right*",
            "right* extension*",
            "extended right*",
            "content right*",
            "in perpetuity",
            "perpetual",
            "whitelist*",
            "paid usage",
            "first refusal",
            "guarante*",
            "future deal*",
            "future campaign*",
            "future partnership*",
            "future collaboration*",
            "future project*",
            "long-term partnership*",
            "ongoing partnership*",
        ];
        GatePolicy {
            forbidden_phrases: phrases.iter().map(|p| (*p).to_owned()).collect(),
            min_length: 50,
        }
    }
}

/// One thing wrong with an email. The `Display` text goes to a person (Slack escalation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "violation", content = "detail", rename_all = "snake_case")]
pub enum Violation {
    /// An amount that is neither our rate nor their quoted rate (or one in another currency,
    /// or one finer than a cent, or one whose digits do not read as a single amount).
    UnexpectedAmount { found: Money, text: String },
    /// An amount above the most we may pay.
    AboveCeiling { found: Money, ceiling: Money },
    /// An amount the campaign's budget (or the limit for any one deal) does not allow,
    /// whatever the plan says.
    OverBudget { found: Money, room: Money },
    /// The plan has our rate but the email never states it.
    MissingOurRate,
    /// The email makes a commitment we never make; holds the words as written in the email.
    ForbiddenPhrase(String),
    /// The email prices a single deliverable ("$1,250 per reel", "$1,250 each") although the
    /// planned amount covers several together.
    PerUnitAmount { found: Money, text: String },
    /// The email names a deliverable type the plan does not contain.
    UndeclaredDeliverable(DeliverableType),
    /// The email gives a count of a planned deliverable that differs from the plan.
    QuantityMismatch {
        kind: DeliverableType,
        found: u32,
        expected: u32,
    },
    /// The body is shorter than the policy's minimum.
    TooShort,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::UnexpectedAmount { found, text } => write!(
                f,
                "the email states {text:?} (read as {found}), which is neither our rate nor \
                 the rate they asked for"
            ),
            Violation::AboveCeiling { found, ceiling } => write!(
                f,
                "the email states {found}, above our ceiling of {ceiling} for this influencer"
            ),
            Violation::OverBudget { found, room } => write!(
                f,
                "the email states {found}, more than the {room} the campaign's budget (and the \
                 limit for any one deal) leaves for this influencer"
            ),
            Violation::PerUnitAmount { found, text } => write!(
                f,
                "the email states {text:?}, pricing {found} per deliverable, but the planned \
                 amount is for all the deliverables together"
            ),
            Violation::MissingOurRate => f.write_str(
                "the email never states our rate; it must give the planned amount exactly",
            ),
            Violation::ForbiddenPhrase(words) => write!(
                f,
                "the email says {words:?}, a commitment we never make in an email"
            ),
            Violation::UndeclaredDeliverable(kind) => write!(
                f,
                "the email mentions {} {} ({kind}), which is not one of the planned deliverables",
                crate::wording::indefinite_article(kind.label()),
                kind.label()
            ),
            Violation::QuantityMismatch {
                kind,
                found,
                expected,
            } => write!(
                f,
                "the email asks for {found} x {} but the plan has {expected}",
                kind.label()
            ),
            Violation::TooShort => f.write_str("the email is too short to send"),
        }
    }
}

/// Why an email may not be sent: every violation found, in the order checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct GateFailure {
    pub violations: Vec<Violation>,
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the email failed the validation gate: ")?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// Checks `text` against `plan` and the campaign's `budget`: every amount must be ours or
/// theirs, none above the plan's ceiling nor above what the budget leaves (whatever produced
/// the plan), our rate must appear (except in a decline), an amount for several deliverables
/// must not be priced per deliverable, only planned deliverables may be named and with the
/// planned counts, no forbidden phrase, and a sensible length.
pub fn check(
    text: &str,
    plan: &EmailPlan,
    budget: &Budget,
    policy: &GatePolicy,
) -> Result<(), GateFailure> {
    let mut violations = Vec::new();
    let mut push = |v: Violation| {
        if !violations.contains(&v) {
            violations.push(v);
        }
    };
    let masked = mask_names(text, plan);

    let allowed = plan.allowed_amounts();
    let planned_units = plan
        .deliverables
        .iter()
        .fold(0u32, |sum, d| sum.saturating_add(d.quantity));
    let mut our_rate_stated = false;
    for amount in scan_amounts(&masked) {
        let clean = amount.exact && amount.currency == Currency::Usd;
        let stated = || masked[amount.span.clone()].to_owned();
        // Our rate counts as stated only when written unmistakably as money.
        if clean && amount.certain && Some(amount.money) == plan.our_rate {
            our_rate_stated = true;
        }
        if !budget.allows(amount.money) {
            push(Violation::OverBudget {
                found: amount.money,
                room: budget.room(),
            });
        } else if amount.money > plan.ceiling_rate {
            push(Violation::AboveCeiling {
                found: amount.money,
                ceiling: plan.ceiling_rate,
            });
        } else if !clean || !allowed.contains(&amount.money) {
            push(Violation::UnexpectedAmount {
                found: amount.money,
                text: stated(),
            });
        } else if planned_units > 1 && priced_per_unit(&masked, amount.span.end) {
            push(Violation::PerUnitAmount {
                found: amount.money,
                text: stated(),
            });
        }
    }
    if plan.our_rate.is_some() && plan.kind != EmailKind::Decline && !our_rate_stated {
        push(Violation::MissingOurRate);
    }

    for mention in find_deliverables(&masked, plan.platform) {
        if is_their_own_content(&masked, &mention) {
            continue;
        }
        let planned = plan.deliverables.iter().filter(|d| d.kind == mention.kind);
        if planned.clone().next().is_none() {
            push(Violation::UndeclaredDeliverable(mention.kind));
            continue;
        }
        let expected = planned.fold(0u32, |sum, d| sum.saturating_add(d.quantity));
        if let Some(found) = mention.quantity
            && found != expected
        {
            push(Violation::QuantityMismatch {
                kind: mention.kind,
                found,
                expected,
            });
        }
    }

    let words = tokenize(&masked);
    for phrase in &policy.forbidden_phrases {
        for span in find_phrase(&words, phrase) {
            push(Violation::ForbiddenPhrase(masked[span].to_owned()));
        }
    }

    if text.trim().chars().count() < policy.min_length {
        push(Violation::TooShort);
    }

    if violations.is_empty() {
        Ok(())
    } else {
        Err(GateFailure { violations })
    }
}

/// True when the words after an amount price one deliverable: "$1,250 per reel", "$1,250/video",
/// "$1,250 each", "$1,250 for each Instagram story".
fn priced_per_unit(text: &str, end: usize) -> bool {
    let line = text[end..].lines().next().unwrap_or("");
    let rest = line.trim_start_matches(is_inline_space);
    let words: Vec<String> = tokenize(rest).into_iter().take(4).map(|w| w.text).collect();
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    let mut noun = match (w(0), w(1)) {
        _ if rest.starts_with('/') => 0,
        ("each" | "apiece", _) => return true,
        ("per" | "a", _) => 1,
        ("for", "each" | "every") => 2,
        _ => return false,
    };
    if matches!(
        w(noun),
        "instagram" | "ig" | "insta" | "tiktok" | "youtube" | "yt" | "dedicated"
    ) {
        noun += 1;
    }
    matches!(
        w(noun),
        "reel"
            | "post"
            | "story"
            | "video"
            | "short"
            | "integration"
            | "deliverable"
            | "piece"
            | "item"
    )
}

/// Replaces the influencer's and the client's names with spaces (same byte length, so spans
/// stay valid): a client called "Reel Foods" must not read as a deliverable, nor "Exclusive
/// Brands" as a commitment. A name of several words matches in any case and across any
/// whitespace. Names holding digits, currency signs or money words ("Grand", "Price") are never
/// masked, so they cannot hide an amount.
fn mask_names(text: &str, plan: &EmailPlan) -> String {
    let full: Vec<&str> = plan.influencer_name.split_whitespace().collect();
    let client: Vec<&str> = plan.client_name.split_whitespace().collect();
    let mut names = vec![full.clone(), full.into_iter().take(1).collect(), client];
    names.retain(|parts| {
        let joined = parts.join(" ");
        joined.chars().count() >= 2
            && joined.chars().any(char::is_alphabetic)
            && !joined
                .chars()
                .any(|c| c.is_ascii_digit() || CURRENCY_SIGNS.contains(&c))
            && !tokenize(&joined).iter().any(|w| is_money_related(&w.text))
    });
    names.sort_by_key(|parts| std::cmp::Reverse(parts.iter().map(|p| p.len()).sum::<usize>()));
    let mut out = text.to_owned();
    for parts in names {
        for span in name_spans(&out, &parts) {
            let blank = " ".repeat(span.len());
            out.replace_range(span, &blank);
        }
    }
    out
}

/// Where the name made of `parts` stands as whole words in `text`.
fn name_spans(text: &str, parts: &[&str]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for (start, _) in text.char_indices() {
        if spans.last().is_some_and(|s| start < s.end) {
            continue;
        }
        let alnum_before = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        if let Some(end) = match_name(text, start, parts)
            && !alnum_before
            && !text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            spans.push(start..end);
        }
    }
    spans
}

/// The end of the name made of `parts` when it starts exactly at `start`. A one-word name must
/// match its case; the parts of a longer name match in any case, separated by any whitespace.
fn match_name(text: &str, start: usize, parts: &[&str]) -> Option<usize> {
    let mut at = start;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            let rest = &text[at..];
            let spaces = rest.len() - rest.trim_start().len();
            if spaces == 0 {
                return None;
            }
            at += spaces;
        }
        let found = text.as_bytes().get(at..at + part.len())?;
        let same = if parts.len() == 1 {
            found == part.as_bytes()
        } else {
            found.eq_ignore_ascii_case(part.as_bytes())
        };
        if !same {
            return None;
        }
        at += part.len();
    }
    Some(at)
}

// ---------------------------------------------------------------------------------------------
// Words and phrases
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Word {
    /// Lowercased.
    text: String,
    span: Range<usize>,
}

/// Maximal runs of letters and digits, lowercased, with their byte ranges.
fn tokenize(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(Word {
                    text: text[s..i].to_lowercase(),
                    span: s..i,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(Word {
            text: text[s..].to_lowercase(),
            span: s..text.len(),
        });
    }
    words
}

/// Where the phrase occurs as whole words (a trailing `*` on a word matches any ending). A
/// phrase of several words also matches them written as one word ("noncompete").
fn find_phrase(words: &[Word], phrase: &str) -> Vec<Range<usize>> {
    let pattern: Vec<String> = tokenize_pattern(phrase);
    if pattern.is_empty() {
        return Vec::new();
    }
    let matches = |word: &str, p: &str| match p.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == p,
    };
    let (head, last) = pattern.split_at(pattern.len() - 1);
    let closed = head.concat();
    let as_one_word = (pattern.len() > 1 && !closed.contains('*')).then(|| closed + &last[0]);
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let whole = words
            .get(i..i + pattern.len())
            .filter(|run| run.iter().zip(&pattern).all(|(w, p)| matches(&w.text, p)));
        if let Some(run) = whole {
            found.push(word.span.start..run[run.len() - 1].span.end);
        } else if as_one_word
            .as_deref()
            .is_some_and(|p| matches(&word.text, p))
        {
            found.push(word.span.clone());
        }
    }
    found
}

fn tokenize_pattern(phrase: &str) -> Vec<String> {
    phrase
        .split(|c: char| !c.is_alphanumeric() && c != '*')
        .filter(|w| !w.is_empty() && *w != "*")
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
