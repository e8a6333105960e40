//! Amounts of money as people write them in emails, and what is not money.

use std::ops::Range;

use super::tokenize;
use crate::money::Money;

pub(super) const CURRENCY_SIGNS: [char; 6] = ['$', '€', '£', '¥', '₹', '₩'];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Currency {
    Usd,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Amount {
    pub(super) money: Money,
    pub(super) span: Range<usize>,
    pub(super) currency: Currency,
    /// False when the text is finer than a cent, negative, or does not read as one clean number.
    pub(super) exact: bool,
    /// False when the number is only suspected to be money: bare, but written like money
    /// (`1,250`), before a pricing word (`1500 for the reel`) or after a bargaining verb (`we
    /// can do 1500`). The gate checks these too; `find_amounts` leaves them out.
    pub(super) certain: bool,
}

/// Every amount of money in `text`, in order, with the byte range of the words that state it
/// (currency marks included). Reads `$1,250`, `$1,250.00`, `$1250.5`, `$.50`, `1,250 USD`,
/// `USD 1250`, `US$1,250`, `500 €`, `1.25k`, `$1.5k`, `$2M`, `1,250 dollars`, `50 cents`,
/// `2 grand`, `fifteen hundred dollars`, both ends of ranges such as `$1,000-1,500`, and bare
/// numbers right after a money word (`our rate is 1500`, `a fee of fifteen hundred`). Amounts
/// in other currencies (`€500`, `A$500`) are reported too, as if dollars. Dates, times,
/// percentages, counts (`2 reels`), phone numbers and audience sizes (`50k followers`, `45K
/// avg views`) are not money, and neither are bare numbers that only might be (`can you do
/// 1500?`, `1,250 works`): the gate checks those too, but a reader must not take them as rates.
pub fn find_amounts(text: &str) -> Vec<(Money, Range<usize>)> {
    scan_amounts(text)
        .into_iter()
        .filter(|a| a.certain)
        .map(|a| (a.money, a.span))
        .collect()
}

#[derive(Clone, Debug)]
struct Candidate {
    /// The digits and every mark that belongs to them.
    span: Range<usize>,
    value: Option<Cents>,
    currency: Option<Currency>,
    /// Scaled by k, thousand, million or grand: money without a currency mark unless it
    /// counts an audience.
    scaled: bool,
    /// Written like money without a mark: thousands separators (`1,250`) or cents (`1250.00`).
    money_shaped: bool,
    /// An audience size: `50k followers`, `45K avg views`, `50k+ people`, `50k-strong`.
    audience: bool,
    percent: bool,
    /// Glued to letters (`mp4`, `2nd`), to a time or a fraction (`10:30`, `3/15`), or not one
    /// clean number (`1.2.3`).
    joined: bool,
    /// Hyphenated with other digits: a date or phone number (`2025-03-15`), or a range.
    hyphenated: bool,
    /// The next word is a noun it counts (`2 reels`), not a connector (`1500 for the reel`).
    counts_something: bool,
    money_word_before: bool,
    /// After a bargaining verb: "we can do 1500", "meet you at 1400".
    bargaining_before: bool,
    /// At least three digits and then a pricing word: "1500 for the reel", "1500 flat".
    priced_after: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cents {
    cents: i64,
    exact: bool,
}

pub(super) fn scan_amounts(text: &str) -> Vec<Amount> {
    let mut candidates = numeric_candidates(text);

    // Ranges: "$1,000-1,500", "1,000 to 1,500 dollars", "$900 or 950", "50k-100k followers".
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
        } else if a.currency.is_none() {
            // What the second end counts, the first counts too.
            a.audience |= b.audience;
            a.counts_something |= b.counts_something;
        }
    }

    let mut amounts: Vec<Amount> = candidates
        .into_iter()
        .filter_map(|c| {
            let value = c.value?;
            let (currency, certain) = match c.currency {
                Some(currency) => (currency, true),
                None if c.percent || c.joined || c.audience => return None,
                None if c.scaled => (Currency::Usd, true),
                // Hyphenated digits are a date or a phone number, unless written like money
                // ("1,000-1,500").
                None if (c.hyphenated && !c.money_shaped) || c.counts_something => return None,
                None if c.money_word_before => (Currency::Usd, true),
                None if c.money_shaped || c.priced_after || c.bargaining_before => {
                    (Currency::Usd, false)
                }
                None => return None,
            };
            Some(Amount {
                money: Money::from_cents(value.cents),
                span: c.span,
                currency,
                exact: value.exact,
                certain,
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
        || ["to", "or", "and"]
            .iter()
            .any(|w| gap.eq_ignore_ascii_case(w))
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
        // A leading point belongs to the number after a currency sign or a space: "$.50".
        let leading_point = i > 0
            && bytes[i - 1] == b'.'
            && (i == 1
                || text[..i - 1]
                    .ends_with(|c: char| is_inline_space(c) || CURRENCY_SIGNS.contains(&c)));
        let start = if leading_point { i - 1 } else { i };
        let mut end = i;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit() || matches!(bytes[end], b',' | b'.'))
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
    let (parsed, well_formed) = parse_number(&text[num.clone()]);
    let mut span = num.clone();
    let mut currency = None;
    let mut negative = false;

    // Before the digits: "$", "US$", "A$", "€", "$ 1,250", "$-500".
    let mut before = num.start;
    let space = space_before(text, before);
    let minus = usize::from(space == 0 && text[..before].ends_with('-'));
    if space + minus > 0 && text[..before - space - minus].ends_with(CURRENCY_SIGNS) {
        negative = minus > 0;
        before -= space + minus;
    }
    if let Some(sign) = text[..before]
        .chars()
        .next_back()
        .filter(|c| CURRENCY_SIGNS.contains(c))
    {
        before -= sign.len_utf8();
        currency = Some(if sign == '$' {
            Currency::Usd
        } else {
            Currency::Other
        });
        let letters = letters_before(text, before);
        if sign == '$' && !letters.is_empty() {
            let word = &text[letters.clone()];
            if !word.eq_ignore_ascii_case("us") && !word.eq_ignore_ascii_case("usd") {
                currency = Some(Currency::Other);
            }
            before = letters.start;
        }
        span.start = before;
    }
    // A currency code before, glued or after one space: "USD 1250", "EUR1250", "USD $1,250".
    let probe = span.start - space_before(text, span.start);
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

    // After the digits: k / m / hundred / thousand / million / grand, then a currency mark.
    let mut after = num.end;
    let mut cents_per_unit: i64 = 100;
    let mut scaled = false;
    let mut glued_after = false;
    let suffix_len = text[after..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if suffix_len > 0 {
        let suffix = &text[after..after + suffix_len];
        if suffix.eq_ignore_ascii_case("k") {
            cents_per_unit = 100_000;
            scaled = true;
        } else if matches!(suffix, "m" | "M" | "mm" | "MM") {
            // Without a currency mark or a money word, `2M` is an audience or a length.
            cents_per_unit = 100_000_000;
            scaled = currency.is_some();
        } else if let Some(code) = currency_word(suffix) {
            currency = Some(code);
        } else if is_cents_word(suffix) {
            cents_per_unit = 1;
            currency = Some(Currency::Usd);
        } else {
            glued_after = true;
        }
        if !glued_after {
            after += suffix_len;
        }
    }
    if suffix_len == 0
        && let Some((word, range)) = word_after(text, after)
    {
        let scale = match word.as_str() {
            "hundred" => Some(10_000),
            "thousand" | "grand" => Some(100_000),
            "million" => Some(100_000_000),
            _ => None,
        };
        if let Some(scale) = scale {
            cents_per_unit = scale;
            scaled = word != "hundred";
            if word == "grand" {
                currency = Some(Currency::Usd);
            }
            after = range.end;
        }
    }
    let gap = space_after(text, after);
    if let Some(sign) = text[after + gap..]
        .chars()
        .next()
        .filter(|c| CURRENCY_SIGNS.contains(c))
        && !text[after + gap + sign.len_utf8()..]
            .trim_start_matches(is_inline_space)
            .starts_with(|c: char| c.is_ascii_digit())
    {
        // A sign after the number: "1250$", "500 €" (but not "500 $600").
        if currency.is_none() || sign != '$' {
            currency = Some(if sign == '$' {
                Currency::Usd
            } else {
                Currency::Other
            });
        }
        after += gap + sign.len_utf8();
    } else if let Some((word, range)) = word_after(text, after) {
        if let Some(code) = currency_word(&word) {
            if currency.is_none() || code == Currency::Other {
                currency = Some(code);
            }
            after = range.end;
        } else if is_cents_word(&word) && currency.is_none() {
            cents_per_unit /= 100;
            currency = Some(Currency::Usd);
            after = range.end;
        } else if word == "us"
            && let Some((next, next_range)) = word_after(text, range.end)
            && matches!(next.as_str(), "dollar" | "dollars")
        {
            currency.get_or_insert(Currency::Usd);
            after = next_range.end;
        }
    }
    span.end = after;

    // What follows: a percent sign, a noun it counts, an audience. "50k+ followers" and
    // "a 50k-strong community" count too.
    let plus = usize::from(text[after..].starts_with('+'));
    let compound = text[after + plus..].starts_with('-')
        && text[after + plus + 1..].starts_with(char::is_alphabetic);
    let next_at = after + plus + usize::from(compound);
    let rest = text[next_at..].trim_start_matches(is_inline_space);
    let next_word = word_after(text, next_at);
    let percent = rest.starts_with('%')
        || next_word.as_ref().is_some_and(|(w, r)| {
            w == "percent"
                || (w == "per" && word_after(text, r.end).is_some_and(|(n, _)| n == "cent"))
        });
    let counts_something = compound
        || next_word
            .as_ref()
            .is_some_and(|(w, _)| !is_connector_word(w));
    let audience = next_word.is_some_and(|(w, range)| {
        is_audience_word(&w)
            || (compound && w == "strong")
            || (is_audience_filler(&w) && audience_follows(text, range.end))
            // "40k avg." is an average audience.
            || (matches!(w.as_str(), "avg" | "average") && word_after(text, range.end).is_none())
    }) || audience_before(text, span.start);

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
    let whole_digits = parsed
        .as_ref()
        .map_or(0, |p| p.whole.trim_start_matches('0').len());
    let money_shaped = well_formed
        && parsed
            .as_ref()
            .is_some_and(|p| p.grouped || (p.fraction.len() == 2 && whole_digits >= 3));
    let priced_after = whole_digits >= 3
        && word_after(text, after).is_some_and(|(w, _)| is_pricing_word_after(&w))
        && !(parsed.as_ref().is_some_and(is_year) && date_word_before(text, span.start));

    Candidate {
        value: parsed.map(|p| {
            let cents = scale_cents(&p, cents_per_unit);
            Cents {
                cents: cents.cents,
                exact: cents.exact && well_formed && !negative,
            }
        }),
        currency,
        scaled,
        money_shaped,
        audience,
        percent,
        joined,
        hyphenated,
        counts_something,
        money_word_before: money_word_before(text, span.start),
        bargaining_before: bargaining_verb_before(text, span.start),
        priced_after,
        span,
    }
}

/// Words after a number that make it a price: "1500 for the reel", "1500 per video".
fn is_pricing_word_after(word: &str) -> bool {
    matches!(
        word,
        "for" | "per" | "each" | "flat" | "total" | "upfront" | "apiece"
    )
}

/// Four digits that could be a year (1900 to 2100), written without separators or cents.
fn is_year(parsed: &Parsed) -> bool {
    !parsed.grouped
        && parsed.fraction.is_empty()
        && parsed.whole.len() == 4
        && ("1900".."2101").contains(&parsed.whole.as_str())
}

/// A word that puts the next number in time: "in 2026", "March 2026", "since 2019".
fn date_word_before(text: &str, at: usize) -> bool {
    words_before(text, at).last().is_some_and(|w| {
        matches!(
            w.as_str(),
            "in" | "since"
                | "from"
                | "until"
                | "till"
                | "by"
                | "of"
                | "early"
                | "late"
                | "mid"
                | "during"
                | "before"
                | "after"
                | "spring"
                | "summer"
                | "fall"
                | "autumn"
                | "winter"
                | "q1"
                | "q2"
                | "q3"
                | "q4"
                | "jan"
                | "january"
                | "feb"
                | "february"
                | "mar"
                | "march"
                | "apr"
                | "april"
                | "may"
                | "jun"
                | "june"
                | "jul"
                | "july"
                | "aug"
                | "august"
                | "sep"
                | "sept"
                | "september"
                | "oct"
                | "october"
                | "nov"
                | "november"
                | "dec"
                | "december"
        )
    })
}

/// A number read as written: digits before and after the point.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Parsed {
    whole: String,
    fraction: String,
    /// Written with thousands separators.
    grouped: bool,
}

/// The number and whether the text is one clean number (`1,250.00` yes; `1,25`, `1.2.3` no).
fn parse_number(raw: &str) -> (Option<Parsed>, bool) {
    let (whole_raw, fraction_raw) = match raw.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (raw, None),
    };
    let mut well_formed = true;
    let grouped = whole_raw.contains(',');
    if grouped {
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
    let parsed = Parsed {
        whole,
        fraction,
        grouped,
    };
    (Some(parsed), well_formed)
}

/// `parsed` units of `cents_per_unit` cents each, with integer arithmetic, rounded half up
/// (`exact` is false when rounding changed it). Saturates at `i64::MAX` so an absurd amount
/// still reads as far above any ceiling.
fn scale_cents(parsed: &Parsed, cents_per_unit: i64) -> Cents {
    const SATURATED: Cents = Cents {
        cents: i64::MAX,
        exact: false,
    };
    let digits = |s: &str| -> Option<i128> {
        s.bytes().try_fold(0i128, |acc, b| {
            acc.checked_mul(10)?.checked_add(i128::from(b - b'0'))
        })
    };
    // Zeros beyond the 18th decimal change nothing; anything else there is not a cent amount.
    let fraction = parsed.fraction.trim_end_matches('0');
    if fraction.len() > 18 {
        return Cents {
            exact: false,
            ..scale_cents(
                &Parsed {
                    fraction: fraction[..18].to_owned(),
                    ..parsed.clone()
                },
                cents_per_unit,
            )
        };
    }
    let computed = (|| {
        let denominator = 10i128.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        let numerator = digits(parsed.whole.trim_start_matches('0'))?
            .checked_mul(denominator)?
            .checked_add(digits(fraction)?)?
            .checked_mul(i128::from(cents_per_unit))?;
        let (quotient, remainder) = (numerator / denominator, numerator % denominator);
        let rounded = quotient + i128::from(remainder * 2 >= denominator);
        Some(Cents {
            cents: i64::try_from(rounded).ok()?,
            exact: remainder == 0,
        })
    })();
    computed.unwrap_or(SATURATED)
}

/// Whitespace within a line, including no-break and thin spaces.
pub(super) fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// The byte length of the one inline space right before `at`, or 0.
fn space_before(text: &str, at: usize) -> usize {
    text[..at]
        .chars()
        .next_back()
        .filter(|c| is_inline_space(*c))
        .map_or(0, char::len_utf8)
}

/// The byte length of the one inline space right after `at`, or 0.
fn space_after(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .filter(|c| is_inline_space(*c))
        .map_or(0, char::len_utf8)
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

/// The next word after `at` (skipping spaces on the same line), lowercased.
fn word_after(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let rest = &text[at..];
    let skipped = rest.len() - rest.trim_start_matches(is_inline_space).len();
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
        "euro" | "euros" | "pound" | "pounds" => Some(Currency::Other),
        other => currency_code(other),
    }
}

fn is_cents_word(word: &str) -> bool {
    matches!(word.to_lowercase().as_str(), "cent" | "cents")
}

fn is_audience_word(word: &str) -> bool {
    matches!(
        word,
        "views"
            | "view"
            | "viewers"
            | "followers"
            | "follower"
            | "following"
            | "subscribers"
            | "subscriber"
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
            | "listeners"
            | "watchers"
            | "users"
            | "community"
            | "clicks"
            | "visits"
            | "accounts"
    )
}

/// Words between a number and the audience it counts: "45K avg views", "50k Instagram
/// followers", "10k monthly listeners".
fn is_audience_filler(word: &str) -> bool {
    matches!(
        word,
        "avg"
            | "average"
            | "monthly"
            | "weekly"
            | "daily"
            | "organic"
            | "active"
            | "engaged"
            | "loyal"
            | "real"
            | "unique"
            | "new"
            | "more"
            | "instagram"
            | "ig"
            | "insta"
            | "tiktok"
            | "youtube"
            | "yt"
    )
}

/// An audience word after `at`, perhaps through one more filler.
fn audience_follows(text: &str, at: usize) -> bool {
    match word_after(text, at) {
        Some((word, _)) if is_audience_word(&word) => true,
        Some((word, range)) if is_audience_filler(&word) => {
            word_after(text, range.end).is_some_and(|(w, _)| is_audience_word(&w))
        }
        _ => false,
    }
}

/// An audience measure right before `at` on the same line: "averaging 45k", "a reach of 50k",
/// "followers: 50k".
fn audience_before(text: &str, at: usize) -> bool {
    for word in words_before(text, at).iter().rev().take(4) {
        match word.as_str() {
            w if is_audience_word(w) => return true,
            "average" | "averages" | "averaging" | "averaged" | "reaching" | "reached" => {
                return true;
            }
            "of" | "is" | "at" | "around" | "about" | "over" | "nearly" | "roughly" | "almost"
            | "than" | "a" | "an" | "the" | "your" | "with" | "total" => {}
            _ => return false,
        }
    }
    false
}

/// The words from the start of the sentence or line up to `at`, lowercased.
fn words_before(text: &str, at: usize) -> Vec<String> {
    let line_start = text[..at]
        .rfind(['\n', '.', '!', '?', ';'])
        .map_or(0, |p| p + 1);
    text[line_start..at]
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words that may follow an amount without it being a count of something.
pub(super) fn is_connector_word(word: &str) -> bool {
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

fn is_money_word(word: &str) -> bool {
    matches!(
        word,
        "rate"
            | "rates"
            | "fee"
            | "fees"
            | "offer"
            | "offering"
            | "offered"
            | "pay"
            | "paying"
            | "payment"
            | "budget"
            | "price"
            | "priced"
            | "pricing"
            | "compensation"
            | "cost"
            | "costs"
            | "amount"
            | "counter"
            | "counteroffer"
            | "ask"
            | "asking"
            | "quote"
            | "quoted"
            | "charge"
            | "charging"
            | "invoice"
            | "sum"
            | "total"
    )
}

/// A word that helps state an amount: a number, a scale, a currency or a money word. Text
/// holding one must never be hidden from the amount scanner.
pub(super) fn is_money_related(word: &str) -> bool {
    number_word(word).is_some()
        || matches!(word, "k" | "m" | "grand")
        || currency_word(word).is_some()
        || is_cents_word(word)
        || is_money_word(word)
}

/// True when a money word (rate, fee, offer, pay...) comes right before `at` on the same line,
/// perhaps through a few filler words: "our rate is 1500", "a fee of 900", "pay you 750".
fn money_word_before(text: &str, at: usize) -> bool {
    first_word_before(text, at).is_some_and(|w| is_money_word(&w))
}

/// True when a bargaining verb comes right before `at`, perhaps through a few filler words:
/// "we can do 1500", "meet you at 1400", "go up to 1500".
fn bargaining_verb_before(text: &str, at: usize) -> bool {
    first_word_before(text, at).is_some_and(|w| {
        matches!(
            w.as_str(),
            "do" | "meet" | "settle" | "land" | "match" | "stretch" | "go"
        )
    })
}

/// The nearest word before `at` on the same line that is not a filler ("of", "is", "to", "our",
/// "can"...), looking back at most five words.
fn first_word_before(text: &str, at: usize) -> Option<String> {
    words_before(text, at).into_iter().rev().take(5).find(|w| {
        !matches!(
            w.as_str(),
            "of" | "is"
                | "be"
                | "at"
                | "to"
                | "up"
                | "on"
                | "just"
                | "only"
                | "a"
                | "flat"
                | "would"
                | "will"
                | "you"
                | "us"
                | "was"
                | "our"
                | "your"
                | "can"
                | "could"
        )
    })
}

/// Amounts written in words: before a currency word ("fifteen hundred dollars", "two
/// thousand five hundred bucks", "three grand", "fifty cents") or, with a hundred, thousand or
/// million in them, right after a money word or before a pricing word ("our rate is fifteen
/// hundred", "two thousand for both reels").
fn spelled_amounts(text: &str) -> Vec<Amount> {
    let words = tokenize(text);
    let joined_to_next = |i: usize| {
        words.get(i + 1).is_some_and(|next| {
            text[words[i].span.end..next.span.start]
                .chars()
                .all(|c| c == '-' || is_inline_space(c))
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if number_word(&words[i].text).is_none() {
            i += 1;
            continue;
        }
        // The run of number words (with "and" inside): "two thousand and fifty".
        let first = i;
        let mut last = i;
        while joined_to_next(last) {
            let next = &words[last + 1].text;
            let continues = number_word(next).is_some()
                || (next == "and"
                    && joined_to_next(last + 1)
                    && number_word(&words[last + 2].text).is_some());
            if !continues {
                break;
            }
            last += 1;
        }
        i = last + 1;
        // Digits right before are read by the numeric scanner ("1.5 thousand dollars").
        let after_digits = first > 0
            && words[first - 1]
                .text
                .starts_with(|c: char| c.is_ascii_digit())
            && text[words[first - 1].span.end..words[first].span.start]
                .trim()
                .is_empty();
        if after_digits {
            continue;
        }
        let run = &words[first..=last];
        let Some(value) = words_value(run.iter().map(|w| w.text.as_str())) else {
            continue;
        };
        let unit = words.get(last + 1).filter(|_| joined_to_next(last));
        let (cents_per_unit, end, certain) = match unit.map(|w| w.text.as_str()) {
            Some("dollar" | "dollars" | "bucks") => (100, last + 1, true),
            Some("grand") => (100_000, last + 1, true),
            Some("cent" | "cents") => (1, last + 1, true),
            next => {
                let scaled = run
                    .iter()
                    .any(|w| matches!(w.text.as_str(), "hundred" | "thousand" | "million"));
                let counts = next.is_some_and(|w| !is_connector_word(w));
                if !scaled || counts {
                    continue;
                }
                if money_word_before(text, run[0].span.start) {
                    (100, last, true)
                } else if next.is_some_and(is_pricing_word_after) {
                    (100, last, false)
                } else {
                    continue;
                }
            }
        };
        let cents = i64::try_from(value)
            .ok()
            .and_then(|v| v.checked_mul(cents_per_unit));
        out.push(Amount {
            money: Money::from_cents(cents.unwrap_or(i64::MAX)),
            span: words[first].span.start..words[end].span.end,
            currency: Currency::Usd,
            exact: cents.is_some(),
            certain,
        });
    }
    out
}

pub(super) fn number_word(word: &str) -> Option<u64> {
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
