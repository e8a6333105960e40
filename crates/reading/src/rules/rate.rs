//! Which amount, if any, is the influencer's ask for the whole package.
//!
//! Every amount gets a role first: our own offer said back ("you offered $1,000", or simply
//! the same amount), a charge on top ("$500 extra", "$200 for travel"), history or context
//! ("I normally charge $2,000"), a price for one deliverable ("$500 per reel"), or a
//! candidate ask. The reading then follows from the roles:
//!
//! * one candidate ask (said once or several times) is their ask; other amounts set aside as
//!   history make it a little less sure, and when the only amount is history ("I normally
//!   get $1,500") it is read as their ask, less surely still;
//! * two candidates joined as a range (`$1,200-1,500`, `between 1.2k and 1.5k`, `3-4k`) are
//!   read as the **high end**: the range is what they asked, and a counter quoting its top
//!   misstates nothing they said, while holding them to the bottom would; a range is still
//!   not one number, so the verdict stays below the escalation threshold and a person decides;
//! * item prices are totalled over the planned quantities only when every planned
//!   deliverable type has exactly one price (see `items::total`); a stated package price
//!   ("or $1,800 for the package") wins over the item prices;
//! * amounts equal to our offer agree with it or object to it, depending on the words;
//! * only an add-on charge is not a package rate at all;
//! * anything else (several unexplained amounts) is no reading.

use negotiator_domain::gate::DeliverableMention;
use negotiator_domain::{Deliverable, Money};

use super::amounts::{Amount, Amounts};
use super::items::{self, ItemPrice, ItemTotal};
use super::lexicon::{ASK_CUES, HISTORY_CUES, OFFER_REFERENCES};
use super::words::Words;

/// What the amounts of a reply add up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Reading {
    /// No amount at all.
    Nothing,
    /// Only our own offer appears: they agree to it, object to it or ask about it.
    OurOffer,
    /// One ask; `set_aside` amounts were history or context ("I normally charge..."); `usual`
    /// when the only amount is itself history ("I normally get $1,500").
    Ask {
        ask: Money,
        set_aside: bool,
        usual: bool,
    },
    /// A range; the ask is its high end.
    Range { low: Money, high: Money },
    /// Per-deliverable prices, totalled over the planned package.
    Items {
        total: Money,
        prices: Vec<ItemPrice>,
        multiplied_singular: bool,
        extra: bool,
    },
    /// Per-deliverable prices that do not cover the planned package.
    PartialItems { prices: Vec<ItemPrice> },
    /// Several amounts and no telling which is the ask.
    Several(Vec<Money>),
    /// A number without a currency mark that may be their rate ("can you do 1500?").
    /// `cued` when asking words come before it ("can you do").
    Unmarked { value: Money, cued: bool },
    /// Only a charge on top of our offer ("whitelisting is $500 extra"): the package they
    /// want is not the one we planned.
    AddOn(Money),
}

/// The reading, plus what should make the reader less sure of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RateRead {
    pub reading: Reading,
    /// An amount in another currency, read as if dollars.
    pub foreign: bool,
    /// An amount they call our offer that is not our offer.
    pub misquoted_offer: bool,
    /// Below $20 or above $1,000,000: more likely a misreading than an ask.
    pub odd_size: bool,
    /// A bare number that may be money besides the amounts read.
    pub unmarked_too: bool,
    /// A charge on top of the package besides the ask.
    pub add_on_too: bool,
    /// They count a planned deliverable differently from the plan ("only for one reel").
    pub other_quantity: bool,
    /// The sentences holding amounts equal to our offer.
    pub our_offer_sentences: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    OurOffer,
    Reference,
    Item(ItemPrice),
    /// Context, not the ask ("I normally charge $2,000"), with the deliverable it prices.
    History {
        item: Option<ItemPrice>,
    },
    /// A charge on top of the package: "$500 extra for whitelisting", "plus $300".
    AddOn,
    Ask {
        cued: bool,
    },
}

pub(super) fn read(
    words: &Words<'_>,
    amounts: &Amounts,
    mentions: &[DeliverableMention],
    our_offer: Option<Money>,
    planned: &[Deliverable],
) -> RateRead {
    let text = words.text;
    let found = &amounts.found;
    let attached = items::attach(text, found, mentions);
    let roles: Vec<Role> = found
        .iter()
        .zip(&attached)
        .map(|(a, item)| role(words, a, *item, our_offer))
        .collect();

    let mut read = RateRead {
        reading: Reading::Nothing,
        foreign: found.iter().any(|a| a.foreign),
        misquoted_offer: found
            .iter()
            .zip(&roles)
            .any(|(a, r)| *r == Role::Reference && Some(a.money) != our_offer),
        odd_size: found
            .iter()
            .zip(&roles)
            .filter(|(_, r)| !matches!(r, Role::OurOffer | Role::Reference))
            .any(|(a, _)| {
                a.money < Money::from_dollars(20) || a.money > Money::from_dollars(1_000_000)
            }),
        unmarked_too: false,
        add_on_too: false,
        other_quantity: mentions.iter().any(|m| {
            // Only where money is discussed, and not history ("her last three reels").
            let sentence = words.sentence_at(m.span.start);
            let history = words
                .words_before(m.span.start, 3)
                .iter()
                .any(|w| matches!(*w, "last" | "previous" | "past" | "recent" | "earlier"));
            let priced = found
                .iter()
                .map(|a| &a.span)
                .chain(amounts.stray.iter().map(|(_, span)| span))
                .any(|span| words.sentence_at(span.start) == sentence);
            let planned_quantity: u32 = planned
                .iter()
                .filter(|d| d.kind == m.kind)
                .map(|d| d.quantity)
                .sum();
            priced
                && !history
                && planned_quantity > 0
                && m.quantity.is_some_and(|q| q != planned_quantity)
        }),
        our_offer_sentences: found
            .iter()
            .zip(&roles)
            .filter(|(_, r)| **r == Role::OurOffer)
            .map(|(a, _)| words.sentence_at(a.span.start))
            .collect(),
    };
    let unmarked: Vec<(Money, bool)> = amounts
        .stray
        .iter()
        .filter(|(money, _)| Some(*money) != our_offer)
        .map(|(money, span)| {
            let before = words.words_before(span.start, 3);
            (*money, before.iter().any(|w| ASK_CUES.contains(w)))
        })
        .collect();
    for (money, span) in &amounts.stray {
        if Some(*money) == our_offer {
            read.our_offer_sentences.push(words.sentence_at(span.start));
        }
    }

    read.reading = reading(text, found, &roles, planned);
    let add_on = found
        .iter()
        .zip(&roles)
        .find(|(_, r)| **r == Role::AddOn)
        .map(|(a, _)| a.money);
    if let Some(extra) = add_on {
        match read.reading {
            Reading::Nothing | Reading::OurOffer => read.reading = Reading::AddOn(extra),
            _ => read.add_on_too = true,
        }
    }
    if let Some((value, cued)) = unmarked.first() {
        match read.reading {
            Reading::Nothing | Reading::OurOffer => {
                read.reading = Reading::Unmarked {
                    value: *value,
                    cued: *cued,
                }
            }
            _ => read.unmarked_too = true,
        }
    } else if read.reading == Reading::Nothing && !read.our_offer_sentences.is_empty() {
        read.reading = Reading::OurOffer;
    }
    read
}

fn role(words: &Words<'_>, a: &Amount, item: Option<ItemPrice>, our_offer: Option<Money>) -> Role {
    let before = words.words_before(a.span.start, 6);
    let said_ours = OFFER_REFERENCES.iter().any(|phrase| {
        let parts: Vec<&str> = phrase.split(' ').rev().collect();
        (0..3).any(|skip| {
            parts.len() + skip <= before.len()
                && parts
                    .iter()
                    .enumerate()
                    .all(|(k, p)| before[skip + k] == *p)
        })
    });
    if said_ours {
        return Role::Reference;
    }
    if Some(a.money) == our_offer {
        return Role::OurOffer;
    }
    let after = words.words_after(a.span.end, 2);
    let add_on = after
        .iter()
        .any(|w| matches!(*w, "extra" | "additional" | "more" | "surcharge" | "addon"))
        || after.starts_with(&["on", "top"])
        || before
            .iter()
            .take(2)
            .any(|w| matches!(*w, "plus" | "extra" | "additional" | "another" | "add"))
        || words.text[..a.span.start].trim_end().ends_with('+')
        || for_something_else(words, a);
    if add_on {
        return Role::AddOn;
    }
    let near: Vec<&str> = before.iter().take(4).copied().collect();
    if before.iter().any(|w| HISTORY_CUES.contains(w)) && !near.contains(&"but") {
        return Role::History { item };
    }
    if let Some(item) = item {
        return Role::Item(item);
    }
    Role::Ask {
        cued: near.iter().any(|w| ASK_CUES.contains(w)),
    }
}

/// Charges for things beyond the package: "$200 for travel", "usage rights are $300".
const EXTRA_NOUNS: [&str; 18] = [
    "travel",
    "shipping",
    "expenses",
    "expense",
    "flights",
    "flight",
    "hotel",
    "accommodation",
    "props",
    "whitelisting",
    "usage",
    "rights",
    "exclusivity",
    "licensing",
    "licence",
    "license",
    "boosting",
    "rush",
];

/// The amount's clause names something beyond the package, and does not say it is included.
fn for_something_else(words: &Words<'_>, a: &Amount) -> bool {
    let Some(clause) = words
        .tokens
        .iter()
        .find(|t| t.span.start >= a.span.start)
        .map(|t| t.clause)
    else {
        return false;
    };
    let clause_words: Vec<&str> = words
        .tokens
        .iter()
        .filter(|t| t.clause == clause)
        .map(|t| t.text.as_str())
        .collect();
    clause_words.iter().any(|w| EXTRA_NOUNS.contains(w))
        && !clause_words.iter().any(|w| {
            matches!(
                *w,
                "including" | "includes" | "included" | "inclusive" | "incl" | "with"
            )
        })
}

fn reading(text: &str, found: &[Amount], roles: &[Role], planned: &[Deliverable]) -> Reading {
    let mut prices: Vec<ItemPrice> = roles
        .iter()
        .filter_map(|r| match r {
            Role::Item(p) => Some(*p),
            _ => None,
        })
        .collect();
    let only_history = roles
        .iter()
        .all(|r| matches!(r, Role::History { .. } | Role::Reference | Role::AddOn));
    if only_history {
        // "I usually charge $500 per reel" is their price when nothing else is named.
        prices.extend(roles.iter().filter_map(|r| match r {
            Role::History { item } => *item,
            _ => None,
        }));
    }
    let asks: Vec<(usize, bool)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Role::Ask { cued } => Some((i, *cued)),
            _ => None,
        })
        .collect();
    let history: Vec<usize> = roles
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Role::History { .. }))
        .map(|(i, _)| i)
        .collect();

    if !prices.is_empty() {
        return match items::total(&prices, planned) {
            ItemTotal::Complete {
                total,
                multiplied_singular,
                extra,
            } => {
                let stated: Vec<Money> = distinct(asks.iter().map(|(i, _)| found[*i].money));
                let package = asks
                    .iter()
                    .filter(|(i, _)| package_price(text, &found[*i]))
                    .map(|(i, _)| found[*i].money)
                    .collect::<Vec<_>>();
                if let [ask] = distinct(package.into_iter()).as_slice()
                    && stated.len() == 1
                {
                    // "$500 per reel, or $900 for the package": the package is the ask.
                    return Reading::Ask {
                        ask: *ask,
                        set_aside: true,
                        usual: false,
                    };
                }
                if stated.iter().all(|s| *s == total) {
                    Reading::Items {
                        total,
                        prices,
                        multiplied_singular,
                        extra,
                    }
                } else {
                    let mut all = stated;
                    all.push(total);
                    Reading::Several(distinct(all.into_iter()))
                }
            }
            ItemTotal::Incomplete => Reading::PartialItems { prices },
        };
    }

    let candidates: Vec<usize> = roles
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Role::Ask { .. } | Role::OurOffer | Role::History { .. }))
        .map(|(i, _)| i)
        .collect();
    let range = range(text, found, &candidates).or_else(|| {
        // "3-4k": the gate reads only the high end.
        let ask = candidates
            .iter()
            .find(|i| !matches!(roles[**i], Role::OurOffer))?;
        let high = &found[*ask];
        let low = unread_low_end(text, high)?;
        Some((low.min(high.money), high.money))
    });
    if let Some((low, high)) = range {
        let others = distinct(
            asks.iter()
                .map(|(i, _)| found[*i].money)
                .filter(|m| *m != low && *m != high),
        );
        return if others.is_empty() {
            Reading::Range { low, high }
        } else {
            Reading::Several(distinct([low, high].into_iter().chain(others)))
        };
    }

    let ask_values = distinct(asks.iter().map(|(i, _)| found[*i].money));
    match ask_values.len() {
        0 => {
            let history_values = if roles.contains(&Role::OurOffer) {
                // "I usually charge $2,500, but happy to accept $1,000": the history is context.
                Vec::new()
            } else {
                distinct(history.iter().map(|i| found[*i].money))
            };
            match history_values.as_slice() {
                // "My usual rate is $1,500" is still their rate when nothing else is named.
                // "I normally get $1,500": their usual rate, likely but not surely this ask.
                [only] => Reading::Ask {
                    ask: *only,
                    set_aside: true,
                    usual: true,
                },
                [] => Reading::Nothing,
                _ => Reading::Several(history_values),
            }
        }
        1 => Reading::Ask {
            ask: ask_values[0],
            set_aside: !history.is_empty(),
            usual: false,
        },
        _ => {
            let cued = distinct(
                asks.iter()
                    .filter(|(_, c)| *c)
                    .map(|(i, _)| found[*i].money),
            );
            match cued.as_slice() {
                [only] => Reading::Ask {
                    ask: *only,
                    set_aside: true,
                    usual: false,
                },
                _ => Reading::Several(ask_values),
            }
        }
    }
}

/// Whether words next to the amount make it the price of the whole package.
fn package_price(text: &str, a: &Amount) -> bool {
    let near = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "package" | "total" | "bundle" | "everything" | "altogether" | "overall"
        )
    };
    let after = text[a.span.end..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .any(near);
    let before = text[..a.span.start]
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .any(near);
    after || before
}

/// Two candidate asks written as a range: `$1,200-1,500`, `1.2k to 1.5k`, `between $1,200
/// and $1,500`, `$900 or $950`. Returns (low, high).
fn range(text: &str, found: &[Amount], candidates: &[usize]) -> Option<(Money, Money)> {
    candidates.windows(2).find_map(|pair| {
        let (a, b) = (&found[pair[0]], &found[pair[1]]);
        if pair[1] != pair[0] + 1 || a.span.end > b.span.start {
            return None;
        }
        let gap = text[a.span.end..b.span.start].trim().to_lowercase();
        let between_before = text[..a.span.start]
            .trim_end()
            .trim_end_matches('$')
            .trim_end()
            .to_lowercase()
            .ends_with("between");
        let joined = matches!(gap.as_str(), "-" | "–" | "—" | "~" | "to" | "or")
            || (gap == "and" && between_before);
        joined.then(|| (a.money.min(b.money), a.money.max(b.money)))
    })
}

/// The low end of a range the gate did not read as money: "3" in "3-4k", "1200" in
/// "1200-$1,500". Takes the high end's scale (`k`) when the low end has none.
fn unread_low_end(text: &str, high: &Amount) -> Option<Money> {
    let before = text[..high.span.start].trim_end();
    let before = before
        .strip_suffix(['-', '–', '—', '~'])
        .or_else(|| before.strip_suffix(" to"))?
        .trim_end();
    let digits_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let digits = &before[digits_start..];
    if digits.is_empty() || before[..digits_start].ends_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let low: Money = digits.parse().ok()?;
    let written = text[high.span.clone()].to_lowercase();
    let scaled = written.ends_with('k') && !digits.ends_with(['k', 'K']);
    Some(if scaled {
        Money::from_cents(low.cents().checked_mul(1_000)?)
    } else {
        low
    })
}

fn distinct(values: impl Iterator<Item = Money>) -> Vec<Money> {
    let mut out: Vec<Money> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}
