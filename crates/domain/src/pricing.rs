//! Rates from views and CPM, CPM bounds, and how a proposed rate sits against them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cpm, Money};

/// Why a price could not be worked out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("average views must be above zero to price a deliverable; check the roster row")]
    ZeroViews,
    #[error("a CPM of {0} is not usable; a CPM must be above $0.00")]
    NonPositiveCpm(Cpm),
    #[error("a rate of {0} is not usable; a rate must not be negative")]
    NegativeRate(Money),
    #[error("the CPM target must be above $0.00 (got {0}); set the campaign's CPM target")]
    NonPositiveTarget(Cpm),
    #[error("the CPM leniency must not be negative (got {0}%); use 0 for no leniency")]
    NegativeLeniency(Decimal),
    #[error(
        "the CPM floor {floor} is above the ceiling {ceiling}; the floor must not exceed the ceiling"
    )]
    FloorAboveCeiling { floor: Cpm, ceiling: Cpm },
    #[error("the amount is too large to represent in cents; check the views and CPM")]
    Overflow,
}

/// Divides a non-negative numerator by a positive denominator, rounding half-up.
fn div_half_up(numerator: i128, denominator: i128) -> i128 {
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    // Compared as `remainder >= denominator - remainder` so nothing is doubled and overflows.
    if remainder >= denominator - remainder {
        quotient + 1
    } else {
        quotient
    }
}

fn to_cents(value: i128) -> Result<i64, PricingError> {
    i64::try_from(value).map_err(|_| PricingError::Overflow)
}

/// The rate for `views` at `cpm`: views / 1000 × CPM, rounded half-up to the cent.
pub fn rate_for(views: u64, cpm: Cpm) -> Result<Money, PricingError> {
    if views == 0 {
        return Err(PricingError::ZeroViews);
    }
    if cpm.cents() <= 0 {
        return Err(PricingError::NonPositiveCpm(cpm));
    }
    let cents = div_half_up(i128::from(views) * i128::from(cpm.cents()), 1000);
    to_cents(cents).map(Money::from_cents)
}

/// The CPM a rate implies for `views`: rate / (views / 1000), rounded half-up to the cent.
pub fn implied_cpm(rate: Money, views: u64) -> Result<Cpm, PricingError> {
    if views == 0 {
        return Err(PricingError::ZeroViews);
    }
    if rate.cents() < 0 {
        return Err(PricingError::NegativeRate(rate));
    }
    let cents = div_half_up(i128::from(rate.cents()) * 1000, i128::from(views));
    to_cents(cents).map(Cpm::from_cents)
}

/// The campaign's CPM range: open at the floor, never go past the ceiling without a reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawBounds")]
pub struct CpmBounds {
    pub floor: Cpm,
    pub ceiling: Cpm,
}

#[derive(Deserialize)]
struct RawBounds {
    floor: Cpm,
    ceiling: Cpm,
}

impl TryFrom<RawBounds> for CpmBounds {
    type Error = PricingError;

    fn try_from(raw: RawBounds) -> Result<Self, Self::Error> {
        CpmBounds::new(raw.floor, raw.ceiling)
    }
}

impl CpmBounds {
    /// The bounds when a campaign names no CPM target: $20 floor, $30 ceiling.
    pub const DEFAULT: CpmBounds = CpmBounds {
        floor: Cpm::from_dollars(20),
        ceiling: Cpm::from_dollars(30),
    };

    /// Bounds with a positive floor no higher than the ceiling.
    pub fn new(floor: Cpm, ceiling: Cpm) -> Result<Self, PricingError> {
        if floor.cents() <= 0 {
            return Err(PricingError::NonPositiveTarget(floor));
        }
        if floor > ceiling {
            return Err(PricingError::FloorAboveCeiling { floor, ceiling });
        }
        Ok(CpmBounds { floor, ceiling })
    }

    /// Floor = target; ceiling = target × (1 + leniency / 100), rounded half-up to the cent.
    pub fn from_target(target: Cpm, leniency_pct: Decimal) -> Result<Self, PricingError> {
        if target.cents() <= 0 {
            return Err(PricingError::NonPositiveTarget(target));
        }
        if leniency_pct.is_sign_negative() && !leniency_pct.is_zero() {
            return Err(PricingError::NegativeLeniency(leniency_pct));
        }
        let factor = leniency_pct
            .checked_div(Decimal::ONE_HUNDRED)
            .and_then(|l| l.checked_add(Decimal::ONE))
            .ok_or(PricingError::Overflow)?;
        let ceiling = target
            .per_thousand()
            .to_decimal()
            .checked_mul(factor)
            .and_then(Money::from_decimal)
            .ok_or(PricingError::Overflow)?;
        CpmBounds::new(target, Cpm::new(ceiling))
    }
}

impl Default for CpmBounds {
    fn default() -> Self {
        CpmBounds::DEFAULT
    }
}

/// Where a proposed rate's CPM falls against the campaign's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    ExceedsCeiling,
    SuspiciouslyLow,
    BelowFloor,
    WithinRange,
}

/// A proposed rate, its implied CPM, and what that means for the negotiation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateAssessment {
    pub rate: Money,
    pub cpm: Cpm,
    pub boundary: Boundary,
    /// True only above the ceiling: a human must approve that.
    pub should_escalate: bool,
    pub warning: Option<String>,
}

/// Rates a proposed rate against the campaign's own bounds; the first matching rule wins:
/// above the ceiling, below `suspicious_below`, below the floor, else within range.
pub fn assess_proposed_rate(
    rate: Money,
    views: u64,
    bounds: CpmBounds,
    suspicious_below: Cpm,
) -> Result<RateAssessment, PricingError> {
    let cpm = implied_cpm(rate, views)?;
    let (boundary, should_escalate, warning) = if cpm > bounds.ceiling {
        (
            Boundary::ExceedsCeiling,
            true,
            Some(format!(
                "{rate} implies a {cpm} CPM, which exceeds the {} ceiling",
                bounds.ceiling
            )),
        )
    } else if cpm < suspicious_below {
        (
            Boundary::SuspiciouslyLow,
            false,
            Some(format!(
                "{rate} implies a {cpm} CPM, suspiciously below {suspicious_below}; check the rate was read correctly"
            )),
        )
    } else if cpm < bounds.floor {
        (Boundary::BelowFloor, false, None)
    } else {
        (Boundary::WithinRange, false, None)
    };
    Ok(RateAssessment {
        rate,
        cpm,
        boundary,
        should_escalate,
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dollars(d: i64) -> Cpm {
        Cpm::from_dollars(d)
    }

    #[test]
    fn worked_rate_examples() {
        assert_eq!(
            rate_for(50_000, dollars(20)),
            Ok(Money::from_cents(100_000))
        );
        assert_eq!(
            rate_for(50_000, dollars(25)),
            Ok(Money::from_cents(125_000))
        );
        assert_eq!(
            rate_for(50_000, dollars(30)),
            Ok(Money::from_cents(150_000))
        );
        assert_eq!(rate_for(999, dollars(20)), Ok(Money::from_cents(1_998)));
        assert_eq!(rate_for(1, dollars(20)), Ok(Money::from_cents(2)));
    }

    #[test]
    fn rate_rounds_half_up_to_the_cent() {
        // 1 view at $25.00 is 2.5 cents, 1 view at $24.99 is 2.499 cents.
        assert_eq!(rate_for(1, dollars(25)), Ok(Money::from_cents(3)));
        assert_eq!(
            rate_for(1, Cpm::from_cents(2_499)),
            Ok(Money::from_cents(2))
        );
    }

    #[test]
    fn zero_views_and_non_positive_cpm_are_errors() {
        assert_eq!(rate_for(0, dollars(20)), Err(PricingError::ZeroViews));
        assert_eq!(
            rate_for(10, Cpm::from_cents(0)),
            Err(PricingError::NonPositiveCpm(Cpm::from_cents(0)))
        );
        assert_eq!(
            implied_cpm(Money::from_dollars(5), 0),
            Err(PricingError::ZeroViews)
        );
    }

    #[test]
    fn huge_inputs_overflow_instead_of_wrapping() {
        assert_eq!(
            rate_for(u64::MAX, Cpm::from_cents(i64::MAX)),
            Err(PricingError::Overflow)
        );
    }

    #[test]
    fn implied_cpm_worked_example() {
        assert_eq!(
            implied_cpm(Money::from_dollars(1_750), 50_000),
            Ok(dollars(35))
        );
        // $10.00 on 3 views is $3,333.333... CPM.
        assert_eq!(
            implied_cpm(Money::from_dollars(10), 3),
            Ok(Cpm::from_cents(333_333))
        );
        // $0.01 on 2,000 views is $0.005 CPM: half rounds up.
        assert_eq!(
            implied_cpm(Money::from_cents(1), 2_000),
            Ok(Cpm::from_cents(1))
        );
    }

    #[test]
    fn bounds_from_target_worked_examples() {
        let check = |target: i64, leniency: i64, floor: i64, ceiling: i64| {
            let bounds = CpmBounds::from_target(dollars(target), Decimal::from(leniency)).unwrap();
            assert_eq!(
                bounds,
                CpmBounds::new(dollars(floor), dollars(ceiling)).unwrap()
            );
        };
        check(25, 20, 25, 30);
        check(30, 0, 30, 30);
        check(25, 100, 25, 50);
    }

    #[test]
    fn bounds_ceiling_rounds_half_up() {
        // $25.01 × 1.125 = $28.13625 → $28.14.
        let bounds = CpmBounds::from_target(Cpm::from_cents(2_501), Decimal::new(125, 1)).unwrap();
        assert_eq!(bounds.ceiling, Cpm::from_cents(2_814));
    }

    #[test]
    fn bad_targets_are_refused() {
        assert_eq!(
            CpmBounds::from_target(dollars(0), Decimal::ZERO),
            Err(PricingError::NonPositiveTarget(dollars(0)))
        );
        assert_eq!(
            CpmBounds::from_target(dollars(25), Decimal::from(-5)),
            Err(PricingError::NegativeLeniency(Decimal::from(-5)))
        );
        assert!(CpmBounds::new(dollars(30), dollars(20)).is_err());
        assert_eq!(CpmBounds::DEFAULT.floor, dollars(20));
        assert_eq!(CpmBounds::DEFAULT.ceiling, dollars(30));
    }

    #[test]
    fn bounds_deserialisation_validates() {
        let ok: CpmBounds = serde_json::from_str(r#"{"floor":2000,"ceiling":3000}"#).unwrap();
        assert_eq!(ok, CpmBounds::DEFAULT);
        assert!(serde_json::from_str::<CpmBounds>(r#"{"floor":3000,"ceiling":2000}"#).is_err());
        assert!(serde_json::from_str::<CpmBounds>(r#"{"floor":0,"ceiling":2000}"#).is_err());
    }

    #[test]
    fn assessment_applies_the_first_matching_rule_with_campaign_bounds() {
        let bounds = CpmBounds::new(dollars(40), dollars(48)).unwrap();
        let assess = |rate: i64| {
            assess_proposed_rate(Money::from_dollars(rate), 50_000, bounds, dollars(15)).unwrap()
        };
        // $2,100 on 50k is a $42 CPM: over the default $30 ceiling but inside this campaign's.
        let within = assess(2_100);
        assert_eq!(within.boundary, Boundary::WithinRange);
        assert!(!within.should_escalate);
        assert_eq!(within.cpm, dollars(42));

        let over = assess(2_500);
        assert_eq!(over.boundary, Boundary::ExceedsCeiling);
        assert!(over.should_escalate);
        let warning = over.warning.unwrap();
        assert!(warning.contains("$50.00 CPM"), "{warning}");
        assert!(warning.contains("$48.00 ceiling"), "{warning}");

        let below = assess(1_500);
        assert_eq!(below.boundary, Boundary::BelowFloor);
        assert!(!below.should_escalate);

        let low = assess(500);
        assert_eq!(low.boundary, Boundary::SuspiciouslyLow);
        assert!(!low.should_escalate);
        assert!(low.warning.is_some());
    }
}
