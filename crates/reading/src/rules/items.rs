//! Prices tied to one deliverable ("$500 per reel", "Story: $300", "the reel for $800") and
//! their total over the planned package.

use std::collections::BTreeMap;

use negotiator_domain::gate::DeliverableMention;
use negotiator_domain::{Deliverable, DeliverableType, Money};

use super::amounts::Amount;

/// How much of a deliverable type a price covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Basis {
    /// One item: "$500 per reel", "$500 each", "the reel for $500".
    Unit,
    /// This many items: "2 reels for $900", "both reels for $900".
    Count(u32),
    /// Every planned item of the type: "$900 for the reels".
    AllOfKind,
    /// A plural with no count or article ("reels are $500"): per item or for all of them.
    Bare,
}

/// A price tied to one deliverable type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ItemPrice {
    pub kind: DeliverableType,
    pub price: Money,
    pub basis: Basis,
    /// Said per item in so many words ("per", "each", "/", "a"), so multiplying it is safe.
    pub explicit: bool,
}

/// The package total from item prices, or why there is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ItemTotal {
    Complete {
        total: Money,
        /// A price said for "the reel" was multiplied by a planned quantity above one.
        multiplied_singular: bool,
        /// They also priced deliverables we did not plan.
        extra: bool,
    },
    /// Some planned deliverable has no price, or its price could mean one item or all.
    Incomplete,
}

const DETERMINERS: [&str; 13] = [
    "the", "a", "an", "one", "my", "your", "each", "every", "both", "all", "those", "these", "per",
];

/// Words allowed between a deliverable and its price: "reel at $500", "the reel would be $500".
const GAP_WORDS: [&str; 33] = [
    "at",
    "is",
    "are",
    "for",
    "would",
    "be",
    "will",
    "cost",
    "costs",
    "run",
    "runs",
    "i",
    "i'd",
    "i'm",
    "i'll",
    "charge",
    "rate",
    "my",
    "usually",
    "normally",
    "typically",
    "go",
    "goes",
    "start",
    "starts",
    "from",
    "just",
    "only",
    "price",
    "priced",
    "fee",
    "it",
    "them",
];

/// Words after an amount that make it the package price.
const PACKAGE_WORDS: [&str; 8] = [
    "total",
    "package",
    "everything",
    "altogether",
    "overall",
    "all",
    "both",
    "bundle",
];

/// For each amount, the deliverable it prices, if it prices one.
pub(super) fn attach(
    text: &str,
    amounts: &[Amount],
    mentions: &[DeliverableMention],
) -> Vec<Option<ItemPrice>> {
    amounts
        .iter()
        .map(|a| {
            after_cue(text, a, mentions)
                .or_else(|| after_for(text, a, mentions))
                .or_else(|| before(text, a, mentions))
        })
        .collect()
}

/// Lowercased words after `at` up to the end of the sentence, with their start offsets.
fn words_from(text: &str, at: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text[at..].char_indices() {
        let pos = at + i;
        if c.is_alphanumeric() || c == '\'' {
            start.get_or_insert(pos);
            continue;
        }
        if let Some(s) = start.take() {
            out.push((text[s..pos].to_lowercase(), s));
        }
        if matches!(c, '.' | '!' | '?' | '\n' | ';') {
            return out;
        }
    }
    if let Some(s) = start {
        out.push((text[s..].to_lowercase(), s));
    }
    out
}

fn same_sentence(text: &str, a: usize, b: usize) -> bool {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    !text[lo..hi].contains(['!', '?', '\n', ';']) && !text[lo..hi].contains(". ")
}

fn is_plural(text: &str, mention: &DeliverableMention) -> bool {
    let noun = text[mention.span.clone()].to_lowercase();
    noun.ends_with('s') && !noun.ends_with("ss")
}

/// "$500 per reel", "$500/reel", "$500 a reel", "$500 each", "$500 apiece".
fn after_cue(text: &str, a: &Amount, mentions: &[DeliverableMention]) -> Option<ItemPrice> {
    let rest = &text[a.span.end..];
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let slash = trimmed.starts_with('/');
    let words = words_from(text, a.span.end);
    let w = |i: usize| words.get(i).map_or("", |(w, _)| w.as_str());
    let priced = |kind| {
        Some(ItemPrice {
            kind,
            price: a.money,
            basis: Basis::Unit,
            explicit: true,
        })
    };
    let named_after = |skip: usize| {
        let from = words.get(skip).map(|(_, s)| *s)?;
        let until = words.get(skip + 2).map_or(text.len(), |(_, s)| *s);
        mentions
            .iter()
            .find(|m| m.span.start >= from && m.span.start < until)
            .map(|m| m.kind)
    };
    if slash {
        return named_after(0).and_then(priced);
    }
    let per_word = match (w(0), w(1)) {
        ("per" | "a" | "an" | "every", _) => Some(1),
        ("for", "each" | "every") => Some(2),
        _ => None,
    };
    if let Some(skip) = per_word
        && let Some(kind) = named_after(skip)
    {
        return priced(kind);
    }
    let each = matches!(w(0), "each" | "apiece" | "ea" | "per")
        || (w(0) == "a" && matches!(w(1), "piece" | "pop"));
    if each {
        return nearest(text, a, mentions).and_then(priced);
    }
    None
}

/// The deliverable named closest to the amount in its sentence, preferring one before it.
fn nearest(text: &str, a: &Amount, mentions: &[DeliverableMention]) -> Option<DeliverableType> {
    let before = mentions
        .iter()
        .rev()
        .find(|m| m.span.end <= a.span.start && same_sentence(text, m.span.end, a.span.start));
    let after = mentions
        .iter()
        .find(|m| m.span.start >= a.span.end && same_sentence(text, a.span.end, m.span.start));
    before.or(after).map(|m| m.kind)
}

/// "$800 for the reel", "$900 for 2 reels", "$900 for both reels"; not "$1,500 for the reel
/// and the stories" (a package).
fn after_for(text: &str, a: &Amount, mentions: &[DeliverableMention]) -> Option<ItemPrice> {
    let words = words_from(text, a.span.end);
    if words.first().map(|(w, _)| w.as_str()) != Some("for") {
        return None;
    }
    let mut i = 1;
    let mut determiner = None;
    while let Some((w, _)) = words.get(i)
        && DETERMINERS.contains(&w.as_str())
    {
        determiner = Some(w.clone());
        i += 1;
    }
    let (_, noun_start) = words.get(i)?;
    let until = words.get(i + 3).map_or(text.len(), |(_, s)| *s);
    let index = mentions
        .iter()
        .position(|m| m.span.start >= *noun_start && m.span.start < until)?;
    let mention = &mentions[index];
    if starts_a_list(text, mention, mentions.get(index + 1)) {
        return None;
    }
    let basis = basis_for(text, mention, determiner.as_deref());
    Some(ItemPrice {
        kind: mention.kind,
        price: a.money,
        basis,
        explicit: matches!(determiner.as_deref(), Some("each" | "every" | "per")),
    })
}

/// True when only "and", "&", "+", "," and counts separate this mention from the next one:
/// "the reel and 2 stories" is one package.
fn starts_a_list(
    text: &str,
    mention: &DeliverableMention,
    next: Option<&DeliverableMention>,
) -> bool {
    let Some(next) = next else { return false };
    if next.span.start < mention.span.end {
        return false;
    }
    let between = &text[mention.span.end..next.span.start];
    !between.contains('$')
        && between
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| {
                let w = w.to_lowercase();
                matches!(w.as_str(), "and" | "plus" | "with" | "x")
                    || DETERMINERS.contains(&w.as_str())
                    || w.bytes().all(|b| b.is_ascii_digit())
                    || is_number_word(&w)
            })
}

fn is_number_word(w: &str) -> bool {
    matches!(
        w,
        "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine" | "ten"
    )
}

fn basis_for(text: &str, mention: &DeliverableMention, determiner: Option<&str>) -> Basis {
    match (mention.quantity, determiner) {
        (Some(q), _) => Basis::Count(q),
        (None, Some("a" | "an" | "one" | "each" | "every" | "per")) => Basis::Unit,
        (None, Some("both")) => Basis::Count(2),
        _ if !is_plural(text, mention) => Basis::Unit,
        (None, Some("the" | "all" | "those" | "these" | "my" | "your")) => Basis::AllOfKind,
        _ => Basis::Bare,
    }
}

/// "Reel: $500", "2 reels at $500", "the reel would be $800".
fn before(text: &str, a: &Amount, mentions: &[DeliverableMention]) -> Option<ItemPrice> {
    let index = mentions.iter().rposition(|m| m.span.end <= a.span.start)?;
    let mention = &mentions[index];
    let gap = &text[mention.span.end..a.span.start];
    if gap.contains(|c: char| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | '\n' | ';')) {
        return None;
    }
    let gap_words: Vec<String> = gap
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if gap_words.len() > 5 || !gap_words.iter().all(|w| GAP_WORDS.contains(&w.as_str())) {
        return None;
    }
    if index > 0 && starts_a_list(text, &mentions[index - 1], Some(mention)) {
        return None;
    }
    let after: Vec<String> = words_from(text, a.span.end)
        .into_iter()
        .take(3)
        .map(|(w, _)| w)
        .collect();
    if after.iter().any(|w| PACKAGE_WORDS.contains(&w.as_str())) {
        return None;
    }
    let rate_card = gap.contains([':', '-', '=', '–', '—']);
    let unit_word = gap_words.iter().any(|w| w == "at");
    let determiner = previous_word(text, mention.span.start);
    let basis = match basis_for(text, mention, determiner.as_deref()) {
        Basis::Bare if rate_card || unit_word => Basis::Unit,
        Basis::Count(_) if unit_word => Basis::Unit,
        other => other,
    };
    Some(ItemPrice {
        kind: mention.kind,
        price: a.money,
        basis,
        explicit: unit_word,
    })
}

fn previous_word(text: &str, at: usize) -> Option<String> {
    let before = text[..at].trim_end();
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let word: String = word.chars().rev().collect::<String>().to_lowercase();
    DETERMINERS.contains(&word.as_str()).then_some(word)
}

/// The package total: every planned deliverable type priced once, per item times the planned
/// quantity, or a price for exactly the planned count.
pub(super) fn total(prices: &[ItemPrice], planned: &[Deliverable]) -> ItemTotal {
    let mut quantities: BTreeMap<DeliverableType, u32> = BTreeMap::new();
    for d in planned {
        let q = quantities.entry(d.kind).or_insert(0);
        *q = q.saturating_add(d.quantity);
    }
    if quantities.is_empty() {
        // No plan in play (`negotiator classify` without `--deliverables`): a single item's
        // price is their rate; several prices cannot be totalled.
        return match prices.first() {
            Some(first)
                if prices
                    .iter()
                    .all(|p| p.kind == first.kind && p.price == first.price) =>
            {
                ItemTotal::Complete {
                    total: first.price,
                    multiplied_singular: false,
                    extra: false,
                }
            }
            _ => ItemTotal::Incomplete,
        };
    }
    let mut sum = Money::from_cents(0);
    let mut multiplied_singular = false;
    for (kind, quantity) in &quantities {
        let mut cost: Option<Money> = None;
        for p in prices.iter().filter(|p| p.kind == *kind) {
            let this = match p.basis {
                Basis::Unit => {
                    multiplied_singular |= !p.explicit && *quantity > 1;
                    Money::from_cents(p.price.cents().saturating_mul(i64::from(*quantity)))
                }
                Basis::Count(n) if n == *quantity => p.price,
                Basis::AllOfKind => p.price,
                Basis::Bare if *quantity == 1 => p.price,
                Basis::Count(_) | Basis::Bare => return ItemTotal::Incomplete,
            };
            if cost.is_some_and(|c| c != this) {
                return ItemTotal::Incomplete;
            }
            cost = Some(this);
        }
        let Some(cost) = cost else {
            return ItemTotal::Incomplete;
        };
        sum = match sum.checked_add(cost) {
            Some(s) => s,
            None => return ItemTotal::Incomplete,
        };
    }
    ItemTotal::Complete {
        total: sum,
        multiplied_singular,
        extra: prices.iter().any(|p| !quantities.contains_key(&p.kind)),
    }
}

#[cfg(test)]
mod tests {
    use negotiator_domain::Platform;
    use negotiator_domain::gate::find_deliverables;

    use super::super::amounts::Amounts;
    use super::*;

    fn prices(text: &str) -> Vec<Option<(DeliverableType, i64, Basis)>> {
        let amounts = Amounts::read(text).found;
        let mentions = find_deliverables(text, Platform::Instagram);
        attach(text, &amounts, &mentions)
            .into_iter()
            .map(|p| p.map(|p| (p.kind, p.price.cents() / 100, p.basis)))
            .collect()
    }

    use DeliverableType::{InstagramReel as Reel, InstagramStory as Story};

    #[test]
    fn per_item_cues_after_the_amount() {
        assert_eq!(
            prices("$500 per reel and $300/story"),
            [
                Some((Reel, 500, Basis::Unit)),
                Some((Story, 300, Basis::Unit))
            ]
        );
        assert_eq!(
            prices("reels are 500 each"),
            [Some((Reel, 500, Basis::Unit))]
        );
    }

    #[test]
    fn prices_before_and_after_a_named_deliverable() {
        assert_eq!(
            prices("Reel: $500\nStory - $300"),
            [
                Some((Reel, 500, Basis::Unit)),
                Some((Story, 300, Basis::Unit))
            ]
        );
        assert_eq!(
            prices("$900 for 2 reels"),
            [Some((Reel, 900, Basis::Count(2)))]
        );
        assert_eq!(
            prices("the reels for $900"),
            [Some((Reel, 900, Basis::AllOfKind))]
        );
    }

    #[test]
    fn a_list_of_deliverables_with_one_price_is_a_package() {
        assert_eq!(prices("2 reels and 3 stories for $2,000"), [None]);
        assert_eq!(prices("$2,000 for the reel and 3 stories"), [None]);
        assert_eq!(prices("$2,000 total for the reels"), [None]);
    }

    #[test]
    fn totals_over_the_planned_quantities() {
        let planned = [
            Deliverable {
                kind: Reel,
                quantity: 2,
            },
            Deliverable {
                kind: Story,
                quantity: 3,
            },
        ];
        let unit = |kind, dollars, explicit| ItemPrice {
            kind,
            price: Money::from_dollars(dollars),
            basis: Basis::Unit,
            explicit,
        };
        assert_eq!(
            total(&[unit(Reel, 500, true), unit(Story, 300, true)], &planned),
            ItemTotal::Complete {
                total: Money::from_dollars(1_900),
                multiplied_singular: false,
                extra: false
            }
        );
        assert_eq!(
            total(&[unit(Reel, 500, true)], &planned),
            ItemTotal::Incomplete
        );
    }
}
