//! The validation gate: checks a written email against its `EmailPlan` before anything is sent.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::email::{EmailKind, EmailPlan};
use crate::money::Money;
use crate::platform::{DeliverableType, Platform};

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
    /// The plan has our rate but the email never states it.
    MissingOurRate,
    /// The email makes a commitment we never make; holds the words as written in the email.
    ForbiddenPhrase(String),
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
            Violation::MissingOurRate => f.write_str(
                "the email never states our rate; it must give the planned amount exactly",
            ),
            Violation::ForbiddenPhrase(words) => write!(
                f,
                "the email says {words:?}, a commitment we never make in an email"
            ),
            Violation::UndeclaredDeliverable(kind) => write!(
                f,
                "the email mentions a {} ({kind}), which is not one of the planned deliverables",
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

/// Checks `text` against `plan`: every amount must be ours or theirs and none above the
/// ceiling, our rate must appear (except in a decline), only planned deliverables may be named
/// and with the planned counts, no forbidden phrase, and a sensible length.
pub fn check(text: &str, plan: &EmailPlan, policy: &GatePolicy) -> Result<(), GateFailure> {
    let mut violations = Vec::new();
    let mut push = |v: Violation| {
        if !violations.contains(&v) {
            violations.push(v);
        }
    };
    let masked = mask_names(text, plan);

    let allowed = plan.allowed_amounts();
    let mut our_rate_stated = false;
    for amount in scan_amounts(&masked) {
        let clean = amount.exact && amount.currency == Currency::Usd;
        if clean && Some(amount.money) == plan.our_rate {
            our_rate_stated = true;
        }
        if amount.money > plan.ceiling_rate {
            push(Violation::AboveCeiling {
                found: amount.money,
                ceiling: plan.ceiling_rate,
            });
        } else if !clean || !allowed.contains(&amount.money) {
            push(Violation::UnexpectedAmount {
                found: amount.money,
                text: masked[amount.span].to_owned(),
            });
        }
    }
    if plan.our_rate.is_some() && plan.kind != EmailKind::Decline && !our_rate_stated {
        push(Violation::MissingOurRate);
    }

    for mention in find_deliverables(&masked, plan.platform) {
        let planned: Vec<u32> = plan
            .deliverables
            .iter()
            .filter(|d| d.kind == mention.kind)
            .map(|d| d.quantity)
            .collect();
        if planned.is_empty() {
            push(Violation::UndeclaredDeliverable(mention.kind));
            continue;
        }
        let expected = planned.iter().fold(0u32, |sum, q| sum.saturating_add(*q));
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

/// Replaces the influencer's and the client's names with spaces (same byte length, so spans
/// stay valid): a client called "Reel Foods" must not read as a deliverable. Names holding
/// digits or currency signs are never masked, so they cannot hide an amount.
fn mask_names(text: &str, plan: &EmailPlan) -> String {
    let full = plan.influencer_name.trim();
    let first = full.split_whitespace().next().unwrap_or("");
    let mut names = vec![full, first, plan.client_name.trim()];
    names.retain(|n| {
        n.chars().count() >= 2
            && n.chars().any(char::is_alphabetic)
            && !n.chars().any(|c| c.is_ascii_digit() || CURRENCY_SIGNS.contains(&c))
    });
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = text.to_owned();
    for name in names {
        let mut from = 0;
        while let Some(found) = out[from..].find(name) {
            let start = from + found;
            let end = start + name.len();
            let alnum_before = out[..start].chars().next_back().is_some_and(char::is_alphanumeric);
            let alnum_after = out[end..].chars().next().is_some_and(char::is_alphanumeric);
            if !alnum_before && !alnum_after {
                out.replace_range(start..end, &" ".repeat(name.len()));
            }
            from = end;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

const CURRENCY_SIGNS: [char; 6] = ['$', '€', '£', '¥', '₹', '₩'];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Currency {
    Usd,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Amount {
    money: Money,
    span: Range<usize>,
    currency: Currency,
    /// False when the text is finer than a cent or does not read as one clean number.
    exact: bool,
}

/// Every amount of money in `text`, in order, with the byte range of the words that state it
/// (currency marks included). Reads `$1,250`, `$1,250.00`, `$1250.5`, `1,250 USD`, `USD 1250`,
/// `US$1,250`, `1.25k`, `$1.5k`, `$2M`, `1,250 dollars`, `2 grand`, `fifteen hundred dollars`,
/// the second half of ranges such as `$1,000-1,500`, and bare numbers right after a money word
/// (`our rate is 1500`). Amounts in other currencies (`€500`, `A$500`) are reported too, as
/// if dollars. Dates, times, percentages, counts (`2 reels`), phone numbers and audience sizes
/// (`50k followers`) are not money.
pub fn find_amounts(text: &str) -> Vec<(Money, Range<usize>)> {
    scan_amounts(text)
        .into_iter()
        .map(|a| (a.money, a.span))
        .collect()
}

#[derive(Clone, Debug)]
struct Candidate {
    /// The digits and every mark that belongs to them.
    span: Range<usize>,
    value: Option<Cents>,
    currency: Option<Currency>,
    /// Scaled by k, thousand, million: money without a currency mark unless an audience word
    /// follows.
    scaled: bool,
    audience_follows: bool,
    percent: bool,
    /// Glued to letters (`mp4`, `2nd`), to a time or a fraction (`10:30`, `3/15`), or not one
    /// clean number (`1.2.3`).
    joined: bool,
    /// Hyphenated with other digits: a date or phone number (`2025-03-15`), or a range.
    hyphenated: bool,
    /// The next word is a noun it counts (`2 reels`), not a connector (`1500 for the reel`).
    counts_something: bool,
    money_word_before: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cents {
    cents: i64,
    exact: bool,
}

fn scan_amounts(text: &str) -> Vec<Amount> {
    let mut candidates = numeric_candidates(text);

    // Ranges: "$1,000-1,500", "1,000 to 1,500 dollars", "$900 or 950".
    for i in 1..candidates.len() {
        let (left, right) = candidates.split_at_mut(i);
        let a = &mut left[i - 1];
        let b = &mut right[0];
        if a.span.end > b.span.start || !is_range_connector(&text[a.span.end..b.span.start]) {
            continue;
        }
        let inheritable = |c: &Candidate| c.currency.is_none() && !c.percent && !c.joined;
        if let Some(currency) = a.currency
            && inheritable(b)
            && !b.counts_something
        {
            b.currency = Some(currency);
        } else if let Some(currency) = b.currency
            && inheritable(a)
        {
            a.currency = Some(currency);
        }
    }

    let mut amounts: Vec<Amount> = candidates
        .into_iter()
        .filter_map(|c| {
            let value = c.value?;
            let currency = if let Some(currency) = c.currency {
                currency
            } else if c.percent || c.joined || c.hyphenated {
                return None;
            } else if (c.scaled && !c.audience_follows)
                || (c.money_word_before && !c.counts_something)
            {
                Currency::Usd
            } else {
                return None;
            };
            Some(Amount {
                money: Money::from_cents(value.cents),
                span: c.span,
                currency,
                exact: value.exact,
            })
        })
        .collect();
    amounts.extend(spelled_amounts(text));
    amounts.sort_by_key(|a| a.span.start);
    amounts
}

fn is_range_connector(gap: &str) -> bool {
    let gap = gap.trim();
    matches!(gap, "-" | "–" | "—" | "~")
        || ["to", "or", "and"].iter().any(|w| gap.eq_ignore_ascii_case(w))
}

fn numeric_candidates(text: &str) -> Vec<Candidate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || matches!(bytes[end], b',' | b'.'))
        {
            end += 1;
        }
        i = end;
        // Sentence punctuation after the number is not part of it.
        while end > start && matches!(bytes[end - 1], b',' | b'.') {
            end -= 1;
        }
        out.push(candidate(text, start..end));
    }
    out
}

fn candidate(text: &str, num: Range<usize>) -> Candidate {
    let bytes = text.as_bytes();
    let (value, well_formed) = parse_number(&text[num.clone()]);
    let mut span = num.clone();
    let mut currency = None;

    // Before the digits: "$", "US$", "A$", "€", "USD ", "USD$".
    let mut before = num.start;
    if text[..before].ends_with(|c: char| c == ' ')
        && text[..before - 1].ends_with(|c: char| CURRENCY_SIGNS.contains(&c))
    {
        before -= 1;
    }
    let before_char = text[..before].chars().next_back();
    if let Some(c) = before_char.filter(|c| CURRENCY_SIGNS.contains(c)) {
        before -= c.len_utf8();
        currency = Some(if c == '$' { Currency::Usd } else { Currency::Other });
        if c == '$' {
            let letters = letters_before(text, before);
            if !letters.is_empty() {
                let word = &text[letters.clone()];
                if !word.eq_ignore_ascii_case("us") && !word.eq_ignore_ascii_case("usd") {
                    currency = Some(Currency::Other);
                }
                before = letters.start;
            }
        }
        span.start = before;
    }
    // A currency code before, glued or after one space: "USD 1250", "EUR1250", "USD $1,250".
    let mut probe = span.start;
    if text[..probe].ends_with(' ') {
        probe -= 1;
    }
    let letters = letters_before(text, probe);
    let glued_letters = span.start == num.start && letters.end == num.start && !letters.is_empty();
    if !letters.is_empty()
        && let Some(code) = currency_code(&text[letters.clone()])
    {
        if currency.is_none() || code == Currency::Other {
            currency = Some(code);
        }
        span.start = letters.start;
    }

    // After the digits: k / m / thousand / million / hundred / grand, then a currency word.
    let mut after = num.end;
    let mut multiplier: i64 = 1;
    let mut scaled = false;
    let mut glued_after = false;
    let rest = &text[after..];
    let suffix_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if suffix_len > 0 {
        let suffix = &rest[..suffix_len];
        match suffix {
            "k" | "K" => {
                multiplier = 1_000;
                scaled = true;
                after += 1;
            }
            "m" | "M" | "mm" | "MM" if currency.is_some() => {
                multiplier = 1_000_000;
                scaled = true;
                after += suffix_len;
            }
            _ => {
                if let Some(code) = currency_word(suffix) {
                    currency = Some(code);
                    after += suffix_len;
                } else {
                    glued_after = true;
                }
            }
        }
    }
    if !scaled
        && !glued_after
        && let Some((word, range)) = word_after(text, after)
    {
        let scale = match word.as_str() {
            "hundred" => Some(100),
            "thousand" => Some(1_000),
            "million" => Some(1_000_000),
            "grand" => Some(1_000),
            _ => None,
        };
        if let Some(scale) = scale {
            multiplier = scale;
            scaled = word != "hundred";
            if word == "grand" {
                currency = Some(Currency::Usd);
            }
            after = range.end;
        }
    }
    if text[after..].starts_with('$') {
        currency.get_or_insert(Currency::Usd);
        after += 1;
    } else if let Some((word, range)) = word_after(text, after) {
        if let Some(code) = currency_word(&word) {
            if currency.is_none() || code == Currency::Other {
                currency = Some(code);
            }
            after = range.end;
            // "US dollars"
        } else if word == "us"
            && let Some((next, next_range)) = word_after(text, range.end)
            && matches!(next.as_str(), "dollar" | "dollars")
        {
            currency.get_or_insert(Currency::Usd);
            after = next_range.end;
        }
    }
    span.end = after;

    let rest = text[after..].trim_start_matches([' ', '\t']);
    let next_word = word_after(text, after);
    let percent = rest.starts_with('%')
        || next_word.as_ref().is_some_and(|(w, r)| {
            w == "percent"
                || (w == "per" && word_after(text, r.end).is_some_and(|(n, _)| n == "cent"))
        });
    let next_word = next_word.map(|(w, _)| w);
    let audience_follows = next_word.as_deref().is_some_and(is_audience_word);
    let counts_something = next_word.as_deref().is_some_and(|w| !is_connector_word(w))
        && !rest.starts_with(['.', ',', ';', ':', '!', '?', ')']);

    let prev = num.start.checked_sub(1).map(|p| bytes[p]);
    let next = bytes.get(num.end).copied();
    let prev2 = num.start.checked_sub(2).map(|p| bytes[p]);
    let next2 = bytes.get(num.end + 1).copied();
    let digit_joined = |marks: &[u8]| {
        let is_digit = |b: Option<u8>| b.is_some_and(|d| d.is_ascii_digit());
        (prev.is_some_and(|b| marks.contains(&b)) && is_digit(prev2))
            || (next.is_some_and(|b| marks.contains(&b)) && is_digit(next2))
    };
    let joined = glued_letters || glued_after || digit_joined(b"/:") || !well_formed;
    let hyphenated = digit_joined(b"-");

    Candidate {
        value: value.map(|v| scale_cents(v, multiplier, well_formed)),
        currency,
        scaled,
        audience_follows,
        percent,
        joined,
        hyphenated,
        counts_something,
        money_word_before: money_word_before(text, span.start),
        span,
    }
}

/// A number read as written: digits before and after the point, and whether the text is one
/// clean number (`1,250.00` yes; `1,25`, `1.2.3` no).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Parsed {
    whole: String,
    fraction: String,
}

fn parse_number(raw: &str) -> (Option<Parsed>, bool) {
    let (whole_raw, fraction_raw) = match raw.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (raw, None),
    };
    let mut well_formed = true;
    if whole_raw.contains(',') {
        let mut groups = whole_raw.split(',');
        let first = groups.next().unwrap_or("");
        well_formed &= (1..=3).contains(&first.len());
        well_formed &= groups.all(|g| g.len() == 3);
    }
    let whole: String = whole_raw.chars().filter(char::is_ascii_digit).collect();
    let fraction: String = match fraction_raw {
        Some(f) => {
            well_formed &= !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit());
            f.chars().take_while(char::is_ascii_digit).collect()
        }
        None => String::new(),
    };
    if whole.is_empty() && fraction.is_empty() {
        return (None, false);
    }
    (Some(Parsed { whole, fraction }), well_formed)
}

/// Converts to cents with integer arithmetic, rounding half up; saturates at `i64::MAX` so an
/// absurd amount still reads as far above any ceiling.
fn scale_cents(parsed: Parsed, multiplier: i64, well_formed: bool) -> Cents {
    const SATURATED: Cents = Cents {
        cents: i64::MAX,
        exact: false,
    };
    let whole = parsed.whole.trim_start_matches('0');
    if whole.len() > 20 {
        return SATURATED;
    }
    let mut fraction = parsed.fraction.as_str();
    let mut dropped_nonzero = false;
    if fraction.len() > 18 {
        dropped_nonzero = fraction[18..].bytes().any(|b| b != b'0');
        fraction = &fraction[..18];
    }
    let digits = |s: &str| -> Option<i128> {
        s.bytes().try_fold(0i128, |acc, b| {
            acc.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })
    };
    let computed = (|| {
        let denominator = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        let numerator = digits(whole)?
            .checked_mul(denominator)?
            .checked_add(digits(fraction)?)?
            .checked_mul(i128::from(multiplier))?
            .checked_mul(100)?;
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        let rounded = if remainder * 2 >= denominator && remainder != 0 {
            quotient + 1
        } else {
            quotient
        };
        Some(Cents {
            cents: i64::try_from(rounded).ok()?,
            exact: remainder == 0,
        })
    })();
    match computed {
        Some(c) => Cents {
            cents: c.cents,
            exact: c.exact && well_formed && !dropped_nonzero,
        },
        None => SATURATED,
    }
}

/// The run of ASCII letters ending exactly at `end`.
fn letters_before(text: &str, end: usize) -> Range<usize> {
    let start = text[..end]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    end - start..end
}

/// The next word after `at` (skipping spaces and tabs on the same line), lowercased.
fn word_after(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let rest = &text[at..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let start = at + skipped;
    let len = text[start..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len() - start, |(i, _)| i);
    if len == 0 || !text[start..].starts_with(char::is_alphabetic) {
        return None;
    }
    Some((text[start..start + len].to_lowercase(), start..start + len))
}

fn currency_code(word: &str) -> Option<Currency> {
    match word.to_ascii_lowercase().as_str() {
        "usd" => Some(Currency::Usd),
        "eur" | "gbp" | "cad" | "aud" | "nzd" | "chf" | "jpy" | "inr" | "mxn" | "brl" => {
            Some(Currency::Other)
        }
        _ => None,
    }
}

fn currency_word(word: &str) -> Option<Currency> {
    match word.to_lowercase().as_str() {
        "dollar" | "dollars" | "bucks" | "usd" => Some(Currency::Usd),
        "euro" | "euros" => Some(Currency::Other),
        other => currency_code(other),
    }
}

fn is_audience_word(word: &str) -> bool {
    matches!(
        word,
        "views"
            | "view"
            | "viewers"
            | "followers"
            | "follower"
            | "subscribers"
            | "subs"
            | "likes"
            | "impressions"
            | "reach"
            | "plays"
            | "fans"
            | "comments"
            | "shares"
            | "saves"
            | "engagements"
            | "people"
            | "audience"
            | "members"
            | "downloads"
            | "streams"
            | "watchers"
            | "users"
            | "community"
            | "clicks"
            | "visits"
            | "accounts"
    )
}

/// Words that may follow an amount without it being a count of something.
fn is_connector_word(word: &str) -> bool {
    matches!(
        word,
        "for"
            | "per"
            | "flat"
            | "total"
            | "in"
            | "and"
            | "or"
            | "which"
            | "that"
            | "is"
            | "would"
            | "will"
            | "covers"
            | "covering"
            | "including"
            | "inclusive"
            | "all"
            | "to"
            | "as"
            | "at"
            | "with"
            | "on"
            | "if"
            | "but"
            | "plus"
            | "we"
            | "it"
            | "usd"
            | "dollars"
            | "upfront"
            | "each"
            | "a"
            | "an"
            | "the"
    )
}

/// True when a money word (rate, fee, offer, pay...) comes right before `at` on the same line,
/// perhaps through a few filler words: "our rate is 1500", "a fee of 900", "pay you 750".
fn money_word_before(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind(['\n', '.', '!', '?', ';']).map_or(0, |p| p + 1);
    let words: Vec<String> = text[line_start..at]
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for word in words.iter().rev().take(5) {
        match word.as_str() {
            "rate" | "rates" | "fee" | "fees" | "offer" | "offering" | "offered" | "pay"
            | "paying" | "payment" | "budget" | "price" | "priced" | "pricing" | "compensation"
            | "cost" | "costs" | "amount" | "counter" | "counteroffer" | "ask" | "asking"
            | "quote" | "quoted" | "charge" | "charging" | "invoice" | "sum" | "total" => {
                return true;
            }
            "of" | "is" | "be" | "at" | "to" | "just" | "only" | "a" | "flat" | "would"
            | "will" | "you" | "us" | "was" | "our" | "your" | "can" | "could" => {}
            _ => return false,
        }
    }
    false
}

/// Amounts written in words before a currency word: "fifteen hundred dollars",
/// "two thousand five hundred bucks", "three grand".
fn spelled_amounts(text: &str) -> Vec<Amount> {
    let words = tokenize(text);
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let is_grand = word.text == "grand";
        if !matches!(word.text.as_str(), "dollar" | "dollars" | "bucks") && !is_grand {
            continue;
        }
        let mut first = i;
        while first > 0 {
            let prev = &words[first - 1];
            let gap = &text[prev.span.end..words[first].span.start];
            let joined = gap.chars().all(|c| c == ' ' || c == '-' || c == '\t');
            if !joined || !(number_word(&prev.text).is_some() || prev.text == "and") {
                break;
            }
            first -= 1;
        }
        while first < i && words[first].text == "and" {
            first += 1;
        }
        if first == i {
            continue;
        }
        // Digits right before are read by the numeric scanner ("1.5 thousand dollars").
        if first > 0 {
            let prev = &words[first - 1];
            let gap = &text[prev.span.end..words[first].span.start];
            if prev.text.starts_with(|c: char| c.is_ascii_digit()) && gap.trim().is_empty() {
                continue;
            }
        }
        let Some(mut value) = words_value(words[first..i].iter().map(|w| w.text.as_str())) else {
            continue;
        };
        if is_grand {
            value = value.saturating_mul(1_000);
        }
        let cents = i64::try_from(value).ok().and_then(|v| v.checked_mul(100));
        out.push(Amount {
            money: Money::from_cents(cents.unwrap_or(i64::MAX)),
            span: words[first].span.start..word.span.end,
            currency: Currency::Usd,
            exact: cents.is_some(),
        });
    }
    out
}

fn number_word(word: &str) -> Option<u64> {
    let n = match word {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        _ => return None,
    };
    Some(n)
}

fn words_value<'a>(words: impl Iterator<Item = &'a str>) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    for word in words {
        match word {
            "and" => {}
            "hundred" => current = current.max(1).checked_mul(100)?,
            "thousand" | "million" => {
                let scale = number_word(word)?;
                total = total.checked_add(current.max(1).checked_mul(scale)?)?;
                current = 0;
            }
            other => current = current.checked_add(number_word(other)?)?,
        }
    }
    total.checked_add(current)
}

// ---------------------------------------------------------------------------------------------
// Words, phrases and deliverables
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

/// Where the phrase occurs as whole words (a trailing `*` on a word matches any ending).
fn find_phrase(words: &[Word], phrase: &str) -> Vec<Range<usize>> {
    let pattern: Vec<String> = tokenize_pattern(phrase);
    if pattern.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    'start: for i in 0..words.len() {
        if i + pattern.len() > words.len() {
            break;
        }
        for (k, p) in pattern.iter().enumerate() {
            let word = &words[i + k].text;
            let matches = match p.strip_suffix('*') {
                Some(prefix) => word.starts_with(prefix),
                None => word == p,
            };
            if !matches {
                continue 'start;
            }
        }
        found.push(words[i].span.start..words[i + pattern.len() - 1].span.end);
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

/// A deliverable named in an email, with the count written next to it if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliverableMention {
    pub kind: DeliverableType,
    /// `2` in "2 Instagram reels", "2 x reel", "reel x 2", "two reels".
    pub quantity: Option<u32>,
    pub span: Range<usize>,
}

/// Every deliverable `text` names: labels ("Instagram reel", "YouTube dedicated video") and
/// common words ("reels", "stories", "shorts", "integration", "post"). Words used on several
/// platforms ("story", "post", "video") are read for `platform`; "reel" is always Instagram
/// and "short" / "integration" / "dedicated video" always YouTube.
pub fn find_deliverables(text: &str, platform: Platform) -> Vec<DeliverableMention> {
    use DeliverableType::*;
    let words = tokenize(text);
    let w = |i: usize| words.get(i).map_or("", |word| word.text.as_str());
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let start = i;
        // Platform name, possibly in two words ("tik tok", "you tube").
        let (named, after_name) = match (w(i), w(i + 1)) {
            ("instagram" | "ig" | "insta", _) => (Some(Platform::Instagram), i + 1),
            ("tiktok", _) => (Some(Platform::Tiktok), i + 1),
            ("tik", "tok") => (Some(Platform::Tiktok), i + 2),
            ("youtube" | "yt", _) => (Some(Platform::Youtube), i + 1),
            ("you", "tube") => (Some(Platform::Youtube), i + 2),
            _ => (None, i),
        };
        let j = after_name;
        let noun = w(j);
        let found: Option<(DeliverableType, usize)> = match (named, noun) {
            (Some(Platform::Instagram), "post" | "posts") => Some((InstagramPost, j)),
            (Some(Platform::Instagram), "reel" | "reels") => Some((InstagramReel, j)),
            (Some(Platform::Instagram), "story" | "stories" | "storys") => {
                Some((InstagramStory, j))
            }
            (Some(Platform::Tiktok), "video" | "videos" | "post" | "posts") => {
                Some((TiktokVideo, j))
            }
            (Some(Platform::Tiktok), "story" | "stories" | "storys") => Some((TiktokStory, j)),
            (Some(Platform::Youtube), "short" | "shorts") => Some((YoutubeShort, j)),
            (Some(Platform::Youtube), "integration" | "integrations") => {
                Some((YoutubeIntegration, j))
            }
            (Some(Platform::Youtube), "dedicated") if is_video(w(j + 1)) => {
                Some((YoutubeDedicated, j + 1))
            }
            (Some(_), _) => None,
            (None, "reel" | "reels") => Some((InstagramReel, j)),
            (None, "shorts") => Some((YoutubeShort, j)),
            (None, "short") if short_is_a_noun(text, &words, j) => Some((YoutubeShort, j)),
            (None, "integration" | "integrations") => Some((YoutubeIntegration, j)),
            (None, "dedicated") if is_video(w(j + 1)) => Some((YoutubeDedicated, j + 1)),
            (None, "dedicated") if matches!(w(j + 1), "youtube" | "yt") && is_video(w(j + 2)) => {
                Some((YoutubeDedicated, j + 2))
            }
            (None, "story" | "stories" | "storys") => match platform {
                Platform::Instagram => Some((InstagramStory, j)),
                Platform::Tiktok => Some((TiktokStory, j)),
                Platform::Youtube => None,
            },
            (None, "post" | "posts") if post_is_a_noun(text, &words, j) => match platform {
                Platform::Instagram => Some((InstagramPost, j)),
                Platform::Tiktok => Some((TiktokVideo, j)),
                Platform::Youtube => None,
            },
            (None, "video" | "videos") if platform == Platform::Tiktok => Some((TiktokVideo, j)),
            _ => None,
        };
        match found {
            Some((kind, last)) => {
                let quantity = quantity_before(text, &words, start)
                    .or_else(|| quantity_after(text, &words, last));
                out.push(DeliverableMention {
                    kind,
                    quantity,
                    span: words[start].span.start..words[last].span.end,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

fn is_video(word: &str) -> bool {
    matches!(word, "video" | "videos")
}

fn gap<'a>(text: &'a str, words: &[Word], left: usize, right: usize) -> &'a str {
    &text[words[left].span.end..words[right].span.start]
}

/// "short" is a deliverable after a count ("1 short", "a short for $500"), not as an adjective
/// ("a short note").
fn short_is_a_noun(text: &str, words: &[Word], j: usize) -> bool {
    let counted = j > 0
        && gap(text, words, j - 1, j).trim().is_empty()
        && (count_word(&words[j - 1].text).is_some() || words[j - 1].text == "a");
    let next_is_noun = words.get(j + 1).is_some_and(|next| {
        gap(text, words, j, j + 1).trim().is_empty() && !is_connector_word(&next.text)
    });
    counted && !next_is_noun
}

/// "post" is a verb after a subject or modal ("once you post", "we'll post").
fn post_is_a_noun(text: &str, words: &[Word], j: usize) -> bool {
    if words[j].text == "post" {
        if text[words[j].span.end..].starts_with('-') {
            return false;
        }
        if j > 0
            && matches!(
                words[j - 1].text.as_str(),
                "to" | "you"
                    | "we"
                    | "they"
                    | "i"
                    | "will"
                    | "ll"
                    | "can"
                    | "could"
                    | "would"
                    | "should"
                    | "please"
                    | "then"
                    | "once"
                    | "when"
                    | "may"
                    | "might"
                    | "must"
                    | "not"
                    | "t"
                    | "d"
            )
        {
            return false;
        }
    }
    true
}

fn count_word(word: &str) -> Option<u32> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    match number_word(word)? {
        n @ 1..=20 => u32::try_from(n).ok(),
        _ => None,
    }
}

/// "2 Instagram reels", "2 x reel", "2x reels", "2 × reels", "two reels".
fn quantity_before(text: &str, words: &[Word], start: usize) -> Option<u32> {
    if start == 0 {
        return None;
    }
    let prev = &words[start - 1];
    let between = gap(text, words, start - 1, start);
    let is_amount = |w: &Word| {
        text[..w.span.start]
            .chars()
            .next_back()
            .is_some_and(|c| CURRENCY_SIGNS.contains(&c) || c == '.' || c == ',')
    };
    if matches!(between.trim(), "" | "×") {
        if let Some(n) = count_word(&prev.text)
            && !is_amount(prev)
        {
            return Some(n);
        }
        if let Some(digits) = prev.text.strip_suffix('x')
            && let Some(n) = count_word(digits)
        {
            return Some(n);
        }
        if prev.text == "x" && start >= 2 && gap(text, words, start - 2, start - 1).trim().is_empty()
        {
            return count_word(&words[start - 2].text).filter(|_| !is_amount(&words[start - 2]));
        }
    }
    None
}

/// "Instagram reel x 2", "reels ×2", "reels (2)".
fn quantity_after(text: &str, words: &[Word], last: usize) -> Option<u32> {
    let next = words.get(last + 1)?;
    let between = gap(text, words, last, last + 1).trim();
    if next.text == "x" && between.is_empty() {
        let number = words.get(last + 2)?;
        if gap(text, words, last + 1, last + 2).trim().is_empty() {
            return count_word(&number.text).filter(|_| number.text.bytes().all(|b| b.is_ascii_digit()));
        }
        return None;
    }
    if let Some(digits) = next.text.strip_prefix('x')
        && between.is_empty()
    {
        return count_word(digits).filter(|_| digits.bytes().all(|b| b.is_ascii_digit()));
    }
    if matches!(between, "×" | "(") && next.text.bytes().all(|b| b.is_ascii_digit()) {
        return count_word(&next.text);
    }
    None
}
