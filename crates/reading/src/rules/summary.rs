//! The one-sentence summary of a read reply, for people (escalations, the audit trail).

use negotiator_domain::Money;

use super::items::{Basis, ItemPrice};
use super::signals::Signals;
use super::verdict::Gist;
use super::words::Words;

/// One sentence: what they said, then any flags in brackets.
pub(super) fn summarize(
    gist: &Gist,
    words: &Words<'_>,
    signals: &Signals,
    our_offer: Option<Money>,
    flags: &[&str],
) -> String {
    let offer = our_offer.map_or_else(String::new, |o| format!(" of {o}"));
    let mut line = match gist {
        Gist::Empty => "The reply has no readable words".to_owned(),
        Gist::Nothing => {
            "The reply neither accepts, counters, declines nor asks anything clearly".to_owned()
        }
        Gist::Accept => format!("They accept our offer{offer}"),
        Gist::AcceptAndAsks => format!(
            "They accept our offer{offer} but also ask {}",
            question(words, signals)
        ),
        Gist::AcceptOnCondition => format!(
            "They accept our offer{offer} on a condition a person should check: {}",
            condition(words, signals)
        ),
        Gist::AcceptButNames(amount) => format!(
            "They seem to accept our offer{offer} but also name {amount}, perhaps their usual rate"
        ),
        Gist::Mixed => {
            "The reply both agrees and declines or objects, so its intent is unclear".to_owned()
        }
        Gist::Defer => "They have not decided yet and say they will come back to us".to_owned(),
        Gist::Ask(ask) => format!("They counter at {ask}"),
        Gist::Range { low, high } => {
            format!("They ask for a range of {low} to {high}, read as the top of the range, {high}")
        }
        Gist::Items { total, prices } => format!(
            "They price per deliverable ({}), {total} for the planned package",
            list(prices)
        ),
        Gist::PartialItems { prices } => format!(
            "They price deliverables one by one ({}) without covering the planned package",
            list(prices)
        ),
        Gist::Several(values) => format!(
            "They name several amounts ({}) and it is unclear which one is their ask",
            values
                .iter()
                .map(Money::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Gist::Unmarked(value) => format!(
            "They mention {}, which may be a rate but has no currency mark",
            value.plain().trim_end_matches(".00")
        ),
        Gist::AddOn(extra) => {
            format!("They ask {extra} on top of our offer for something beyond the plan")
        }
        Gist::WantsMore => "They want a higher rate but name no figure".to_owned(),
        Gist::Declines => "They decline the offer".to_owned(),
        Gist::Question => format!(
            "They ask {} without naming a rate",
            question(words, signals)
        ),
        Gist::Disagrees => {
            "They say the offer does not work for them but neither decline nor name a rate"
                .to_owned()
        }
    };
    if !flags.is_empty() {
        line.push_str(&format!(" (flags: {})", flags.join(", ")));
    }
    line.push('.');
    line
}

/// The first real question they ask, quoted and cut to about 100 characters.
fn question(words: &Words<'_>, signals: &Signals) -> String {
    let Some(first) = signals.real_questions().next() else {
        return "a question".to_owned();
    };
    let text = words
        .sentences
        .get(first)
        .map(|r| {
            words.text[r.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let cut: String = text.chars().take(100).collect();
    if cut.len() < text.len() {
        format!("\u{201c}{cut}…\u{201d}")
    } else {
        format!("\u{201c}{cut}\u{201d}")
    }
}

/// The sentence holding their first condition, quoted.
fn condition(words: &Words<'_>, signals: &Signals) -> String {
    signals.conditions.first().map_or_else(
        || "a condition".to_owned(),
        |m| format!("\u{201c}{}\u{201d}", words.quote(*m)),
    )
}

fn list(prices: &[ItemPrice]) -> String {
    prices
        .iter()
        .map(|p| {
            let label = p.kind.label();
            match p.basis {
                Basis::Unit => format!("{} per {label}", p.price),
                Basis::Count(n) => format!("{} for {n} x {label}", p.price),
                Basis::AllOfKind | Basis::Bare => format!("{} for the {label}s", p.price),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
