//! The amounts in a reply: the gate's money reader, plus bare per-item prices ("500 each") and
//! numbers that might be money but are not read as such.

use std::ops::Range;

use negotiator_domain::Money;
use negotiator_domain::gate::find_amounts;

/// One amount of money as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Amount {
    pub money: Money,
    pub span: Range<usize>,
    /// Written in another currency (`€500`, `CAD 500`): the reader reports it as dollars.
    pub foreign: bool,
}

/// Everything in the text that is, or might be, money.
#[derive(Clone, Debug, Default)]
pub(super) struct Amounts {
    pub found: Vec<Amount>,
    /// Numbers with no currency mark that could be a rate ("can you do 1500?"): never read
    /// as a rate, but a reason to be unsure.
    pub stray: Vec<(Money, Range<usize>)>,
}

/// Words after a bare number that make it a price per item: "500 each", "500 per reel".
const PER_ITEM: [&str; 5] = ["each", "per", "apiece", "ea", "/"];

/// Words after a bare number that leave it possibly money ("1500 works", "1500 for both").
const MONEY_LIKE_AFTER: [&str; 20] = [
    "for", "total", "flat", "works", "work", "is", "would", "sounds", "minimum", "min", "max",
    "tops", "and", "or", "but", "please", "if", "plus", "all", "upfront",
];

/// Words before a year-like number that make it a date: "in 2026", "by March 2026".
const DATE_BEFORE: [&str; 20] = [
    "in",
    "by",
    "since",
    "until",
    "til",
    "till",
    "before",
    "after",
    "of",
    "year",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
];

impl Amounts {
    pub fn read(text: &str) -> Self {
        let mut found: Vec<Amount> = find_amounts(text)
            .into_iter()
            .filter(|(_, span)| !audience_size(text, span))
            .map(|(money, span)| Amount {
                foreign: is_foreign(&text[span.clone()]),
                money,
                span,
            })
            .collect();
        let mut stray = Vec::new();
        for (span, money) in bare_numbers(text) {
            if found.iter().any(|a| overlaps(&a.span, &span)) {
                continue;
            }
            let after = next_word(text, span.end);
            if PER_ITEM.contains(&after.as_str()) {
                found.push(Amount {
                    money,
                    span,
                    foreign: false,
                });
            } else if could_be_money(text, &span, &after, money) {
                stray.push((money, span));
            }
        }
        found.sort_by_key(|a| a.span.start);
        // Zero is never an ask, and two readings of the same words count once.
        let mut kept: Vec<Amount> = Vec::with_capacity(found.len());
        for a in found {
            let overlaps_kept = kept.last().is_some_and(|k| overlaps(&k.span, &a.span));
            if a.money.is_positive() && !overlaps_kept {
                kept.push(a);
            }
        }
        Amounts { found: kept, stray }
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Runs of digits with `,` and `.` inside, read as whole dollars or dollars and cents.
fn bare_numbers(text: &str) -> Vec<(Range<usize>, Money)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b',' | b'.')) {
            i += 1;
        }
        let mut end = i;
        while end > start && matches!(bytes[end - 1], b',' | b'.') {
            end -= 1;
        }
        let glued_before = start > 0
            && (bytes[start - 1].is_ascii_alphabetic()
                || matches!(bytes[start - 1], b'/' | b':' | b'-' | b'#' | b'+'));
        let glued_after = bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'%' | b':' | b'-'))
            || (bytes.get(end) == Some(&b'/')
                && bytes.get(end + 1).is_some_and(u8::is_ascii_digit));
        if glued_before || glued_after {
            continue;
        }
        if let Ok(money) = text[start..end].parse::<Money>() {
            out.push((start..end, money));
        }
    }
    out
}

/// The lowercased word (or `/`) right after `at`, skipping spaces.
fn next_word(text: &str, at: usize) -> String {
    let rest = text[at..].trim_start_matches([' ', '\t']);
    if rest.starts_with('/') {
        return "/".to_owned();
    }
    rest.chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase()
}

fn previous_word(text: &str, at: usize) -> String {
    let before = text[..at].trim_end_matches([' ', '\t']);
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect();
    word.chars().rev().collect::<String>().to_lowercase()
}

/// A number of 100 or more, not followed by a word it counts ("500 followers"), not a year,
/// with nothing after it but the end of a sentence or a money-like word.
fn could_be_money(text: &str, span: &Range<usize>, after: &str, money: Money) -> bool {
    if money < Money::from_dollars(100) {
        return false;
    }
    if !after.is_empty() && !MONEY_LIKE_AFTER.contains(&after) {
        return false;
    }
    let yearish = (Money::from_dollars(1990)..=Money::from_dollars(2100)).contains(&money)
        && !text[span.clone()].contains([',', '.']);
    let before = previous_word(text, span.start);
    let date = yearish
        && (DATE_BEFORE.contains(&before.as_str())
            || matches!(before.as_str(), "november" | "december"));
    let label = matches!(before.as_str(), "number" | "no" | "ref");
    !date && !label
}

/// Words around a number that make it an audience size, not money: "my views are 40k avg".
const AUDIENCE: [&str; 16] = [
    "views",
    "view",
    "viewers",
    "followers",
    "follower",
    "subscribers",
    "subs",
    "reach",
    "impressions",
    "avg",
    "average",
    "audience",
    "plays",
    "likes",
    "following",
    "averaging",
];

/// An amount with no currency mark ("40k") next to audience words.
fn audience_size(text: &str, span: &Range<usize>) -> bool {
    let written = text[span.clone()].to_lowercase();
    let marked = written.contains(['$', '€', '£', '¥', '₹', '₩'])
        || written
            .split(|c: char| !c.is_alphabetic())
            .any(|w| w.len() > 1 && w != "k");
    if marked {
        return false;
    }
    let clause_start = text[..span.start]
        .rfind([',', ';', '!', '?', '\n', '(', ')'])
        .map_or(0, |i| i + 1);
    let before: Vec<String> = text[clause_start..span.start]
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_lowercase)
        .collect();
    let after = next_word(text, span.end);
    before.iter().any(|w| AUDIENCE.contains(&w.as_str())) || AUDIENCE.contains(&after.as_str())
}

/// Whether the words of an amount name a currency other than US dollars.
fn is_foreign(written: &str) -> bool {
    let lower = written.to_lowercase();
    if lower.contains(['€', '£', '¥', '₹', '₩']) {
        return true;
    }
    let letters_before_dollar = lower
        .split('$')
        .next()
        .filter(|_| lower.contains('$'))
        .map(|b| {
            b.trim()
                .trim_start_matches(|c: char| !c.is_alphabetic())
                .to_owned()
        })
        .unwrap_or_default();
    if !letters_before_dollar.is_empty() && !matches!(letters_before_dollar.as_str(), "us" | "usd")
    {
        return true;
    }
    lower.split(|c: char| !c.is_alphabetic()).any(|w| {
        matches!(
            w,
            "eur"
                | "gbp"
                | "cad"
                | "aud"
                | "nzd"
                | "chf"
                | "jpy"
                | "inr"
                | "mxn"
                | "brl"
                | "euro"
                | "euros"
                | "pounds"
                | "quid"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dollars(d: i64) -> Money {
        Money::from_dollars(d)
    }

    #[test]
    fn bare_per_item_prices_are_read() {
        let a = Amounts::read("reels are 500 each and stories 300/story");
        let read: Vec<Money> = a.found.iter().map(|a| a.money).collect();
        assert_eq!(read, [dollars(500), dollars(300)]);
        assert!(a.stray.is_empty());
    }

    #[test]
    fn bare_numbers_that_might_be_money_are_kept_apart() {
        let a = Amounts::read("can you do 1500? I have 20000 followers, booked until 2027.");
        assert!(a.found.is_empty());
        let stray: Vec<Money> = a.stray.iter().map(|s| s.0).collect();
        assert_eq!(stray, [dollars(1500)]);
    }

    #[test]
    fn audience_sizes_are_not_money() {
        let a = Amounts::read("My views are 40k avg, and I charge 1.5k");
        let read: Vec<Money> = a.found.iter().map(|a| a.money).collect();
        assert_eq!(read, [dollars(1_500)]);
    }

    #[test]
    fn other_currencies_are_marked() {
        let a = Amounts::read("€500 or CAD 700 or US$800 or $900");
        let foreign: Vec<bool> = a.found.iter().map(|a| a.foreign).collect();
        assert_eq!(foreign, [true, true, false, false]);
    }
}
