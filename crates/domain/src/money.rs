//! Exact money in integer cents, formatted like `$1,250.00`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// An amount of US dollars held as whole cents. Never a float.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// Why a piece of text is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{0:?} is not an amount of money; write it like 1250, 1250.00 or $1,250.00")]
    Invalid(String),
    #[error("{0:?} is too large an amount of money")]
    Overflow(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn from_dollars(dollars: i64) -> Self {
        Money(dollars * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Rounds a decimal dollar amount half-up (away from zero) to the cent.
    pub fn from_decimal(dollars: Decimal) -> Option<Self> {
        let cents = (dollars * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        cents.to_i64().map(Money)
    }

    /// The amount as a decimal number of dollars with two places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Plain form without the currency sign or separators, e.g. `1250.00`.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A whole number with thousands separators: `10001` → `10,001`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

impl fmt::Display for Money {
    /// `$1,250.00`; negative amounts as `-$5.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}${}.{:02}", group_digits(abs / 100), abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Accepts `1250`, `1250.5`, `1,250.00`, `$1,250.00` and `USD 1250`; rounds half-up to the cent.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let without_code = trimmed
            .strip_prefix("USD")
            .or_else(|| trimmed.strip_suffix("USD"))
            .unwrap_or(trimmed)
            .trim();
        let cleaned: String = without_code
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let valid = !cleaned.is_empty()
            && cleaned
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
            && cleaned.chars().any(|c| c.is_ascii_digit());
        if !valid {
            return Err(MoneyError::Invalid(text.to_owned()));
        }
        let dollars =
            Decimal::from_str(&cleaned).map_err(|_| MoneyError::Invalid(text.to_owned()))?;
        Money::from_decimal(dollars).ok_or_else(|| MoneyError::Overflow(text.to_owned()))
    }
}

/// A cost per thousand views, in cents (a `$25.00` CPM is 2,500 cents).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cpm(Money);

impl Cpm {
    pub const fn new(per_thousand: Money) -> Self {
        Cpm(per_thousand)
    }

    pub const fn from_dollars(dollars: i64) -> Self {
        Cpm(Money::from_dollars(dollars))
    }

    pub const fn from_cents(cents: i64) -> Self {
        Cpm(Money::from_cents(cents))
    }

    pub const fn per_thousand(self) -> Money {
        self.0
    }

    pub const fn cents(self) -> i64 {
        self.0.cents()
    }
}

impl fmt::Display for Cpm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Cpm {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Money::from_str(text).map(Cpm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_thousands_separators_and_cents() {
        assert_eq!(Money::from_cents(125_000).to_string(), "$1,250.00");
        assert_eq!(Money::from_cents(2).to_string(), "$0.02");
        assert_eq!(Money::from_cents(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(Money::from_cents(100_000).to_string(), "$1,000.00");
        assert_eq!(Money::from_cents(-500).to_string(), "-$5.00");
        assert_eq!(Money::from_cents(99_999).to_string(), "$999.99");
    }

    #[test]
    fn parses_the_forms_people_write() {
        for (text, cents) in [
            ("1250", 125_000),
            ("$1,250.00", 125_000),
            ("1,250.5", 125_050),
            ("USD 1500", 150_000),
            ("1500 USD", 150_000),
            ("0.005", 1),
            ("19.985", 1_999),
        ] {
            assert_eq!(
                text.parse::<Money>(),
                Ok(Money::from_cents(cents)),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_text_that_is_not_money() {
        for text in ["", "$", "abc", "12a", "1.2.3", "--"] {
            assert!(text.parse::<Money>().is_err(), "{text}");
        }
    }

    #[test]
    fn plain_form_has_no_separators() {
        assert_eq!(Money::from_cents(125_000).plain(), "1250.00");
        assert_eq!(Money::from_cents(-5).plain(), "-0.05");
    }
}
