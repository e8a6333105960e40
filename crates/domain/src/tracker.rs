//! Per-campaign CPM tracker: agreed CPMs so far, and how far the next influencer may go.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cpm, Money};
use crate::pricing::CpmBounds;

/// Why the tracker refused an agreement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackerError {
    #[error("an agreed CPM must be above $0.00 (got {0}); record the CPM the deal implies")]
    NonPositiveCpm(Cpm),
}

/// How far this influencer's CPM may go, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flexibility {
    pub max_allowed_cpm: Cpm,
    pub reason: String,
}

impl Flexibility {
    /// No flexibility at all: the limit is the campaign's ceiling.
    pub fn at_ceiling(bounds: CpmBounds) -> Self {
        Flexibility {
            max_allowed_cpm: bounds.ceiling,
            reason: format!("the campaign ceiling ({})", bounds.ceiling),
        }
    }
}

/// The campaign's CPM budget as deals close. Built from totals the store keeps beside each
/// negotiation, so a decision costs the same in a campaign of ten or of two thousand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCpmTracker {
    pub bounds: CpmBounds,
    /// Negotiations still open (not agreed, rejected or stopped), the one being decided
    /// included: the campaign's headroom is spread over these.
    pub open_negotiations: u32,
    /// Deals agreed so far.
    pub agreed_deals: u32,
    /// The sum of their CPMs, in cents.
    pub agreed_cpm_cents: i64,
}

/// `value × numerator / denominator`, rounded half away from zero; `denominator` must be positive.
fn scale_half_up(value: i128, numerator: i128, denominator: i128) -> i128 {
    let product = value * numerator;
    let rounded = (product.abs() * 2 + denominator) / (denominator * 2);
    if product < 0 { -rounded } else { rounded }
}

fn cpm_from(cents: i128) -> Cpm {
    // Every value built here is bounded by i64 inputs times small factors and then clamped
    // to [floor, 120% of ceiling], so saturating is only a guard.
    Cpm::from_cents(i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX }))
}

fn signed(cents: i128) -> String {
    let money = Money::from_cents(i64::try_from(cents.abs()).unwrap_or(i64::MAX));
    if cents < 0 {
        format!("-{money}")
    } else {
        format!("+{money}")
    }
}

/// `6` → `6.0`, `5.25` → `5.25`: at least one decimal place, no trailing zeros beyond it.
fn percent(value: Decimal) -> String {
    let mut v = value.normalize();
    if v.scale() == 0 {
        v.rescale(1);
    }
    v.to_string()
}

impl CampaignCpmTracker {
    /// A tracker with no agreements yet and `open_negotiations` still open.
    pub fn new(bounds: CpmBounds, open_negotiations: u32) -> Self {
        CampaignCpmTracker {
            bounds,
            open_negotiations,
            agreed_deals: 0,
            agreed_cpm_cents: 0,
        }
    }

    /// Adds a closed deal (which the caller no longer counts as open).
    pub fn record_agreement(&mut self, cpm: Cpm) -> Result<(), TrackerError> {
        if cpm.cents() <= 0 {
            return Err(TrackerError::NonPositiveCpm(cpm));
        }
        self.agreed_deals = self.agreed_deals.saturating_add(1);
        self.agreed_cpm_cents = self.agreed_cpm_cents.saturating_add(cpm.cents());
        Ok(())
    }

    /// The mean agreed CPM, rounded half-up to the cent; `None` before the first deal.
    pub fn running_average(&self) -> Option<Cpm> {
        let count = i128::from(self.agreed_deals);
        if count == 0 {
            return None;
        }
        Some(cpm_from(scale_half_up(
            i128::from(self.agreed_cpm_cents),
            1,
            count,
        )))
    }

    /// Ceiling minus the running average: negative when the campaign runs over its ceiling.
    pub fn headroom(&self) -> Option<Cpm> {
        self.running_average().map(|average| {
            cpm_from(i128::from(self.bounds.ceiling.cents()) - i128::from(average.cents()))
        })
    }

    /// The highest CPM the next influencer may get.
    ///
    /// Starts at the ceiling; spreads the campaign's headroom (or its overspend) over the
    /// negotiations still open (not over rejected or stopped ones); adds 15% of the ceiling for engagement above 5%, 8% above
    /// 3%; then clamps to [floor, 120% of the ceiling].
    pub fn limit_for(&self, engagement_pct: Option<Decimal>) -> Flexibility {
        let ceiling = i128::from(self.bounds.ceiling.cents());
        let floor = i128::from(self.bounds.floor.cents());
        let mut parts = vec![format!("ceiling {}", self.bounds.ceiling)];

        let agreed = i128::from(self.agreed_deals);
        let remaining = i128::from(self.open_negotiations);
        let mut budget = 0;
        if let (Some(average), Some(headroom)) = (self.running_average(), self.headroom()) {
            let headroom_cents = i128::from(headroom.cents());
            if remaining > 0 {
                budget = scale_half_up(headroom_cents, agreed, remaining);
                let standing = if headroom_cents >= 0 {
                    format!("leaves {headroom} headroom")
                } else {
                    format!(
                        "is {} over the ceiling",
                        Cpm::from_cents(headroom.cents().saturating_neg())
                    )
                };
                parts.push(format!(
                    "campaign average {average} {standing}: {}",
                    signed(budget)
                ));
            } else {
                parts.push(format!(
                    "campaign average {average}, no open negotiations left to balance against"
                ));
            }
        }

        let mut premium = 0;
        if let Some(pct) = engagement_pct {
            let (share, label, bar) = if pct > Decimal::from(5) {
                (15, "high", 5)
            } else if pct > Decimal::from(3) {
                (8, "moderate", 3)
            } else {
                (0, "", 0)
            };
            if share > 0 {
                premium = scale_half_up(ceiling, share, 100);
                parts.push(format!(
                    "{label} engagement ({}% > {bar}%): {}",
                    percent(pct),
                    signed(premium)
                ));
            }
        }

        let cap = scale_half_up(ceiling, 120, 100);
        let raw = ceiling + budget + premium;
        let limited = if raw > cap {
            parts.push(format!("capped at 120% of the ceiling ({})", cpm_from(cap)));
            cap
        } else {
            raw
        };
        let result = if limited < floor {
            parts.push(format!("held at the floor ({})", self.bounds.floor));
            floor
        } else {
            limited
        };
        let max_allowed_cpm = cpm_from(result);
        parts.push(format!("max allowed {max_allowed_cpm}"));
        Flexibility {
            max_allowed_cpm,
            reason: parts.join("; "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(open: u32) -> CampaignCpmTracker {
        CampaignCpmTracker::new(
            CpmBounds::new(Cpm::from_dollars(20), Cpm::from_dollars(30)).unwrap(),
            open,
        )
    }

    fn pct(value: i64, scale: u32) -> Option<Decimal> {
        Some(Decimal::new(value, scale))
    }

    #[test]
    fn high_engagement_adds_fifteen_percent_of_the_ceiling() {
        let flex = tracker(5).limit_for(pct(60, 1));
        assert_eq!(flex.max_allowed_cpm, Cpm::from_cents(3_450));
        assert!(
            flex.reason.contains("high engagement (6.0% > 5%): +$4.50"),
            "{}",
            flex.reason
        );
    }

    #[test]
    fn moderate_engagement_adds_eight_percent() {
        assert_eq!(
            tracker(5).limit_for(pct(4, 0)).max_allowed_cpm,
            Cpm::from_cents(3_240)
        );
    }

    #[test]
    fn engagement_boundaries_are_strict() {
        assert_eq!(
            tracker(5).limit_for(pct(5, 0)).max_allowed_cpm,
            Cpm::from_cents(3_240)
        );
        assert_eq!(
            tracker(5).limit_for(pct(3, 0)).max_allowed_cpm,
            Cpm::from_dollars(30)
        );
        assert_eq!(
            tracker(5).limit_for(None).max_allowed_cpm,
            Cpm::from_dollars(30)
        );
    }

    #[test]
    fn cheap_agreements_make_room_but_are_capped_at_120_percent() {
        // Three deals at $10.00, two negotiations still open.
        let mut t = tracker(2);
        for _ in 0..3 {
            t.record_agreement(Cpm::from_dollars(10)).unwrap();
        }
        assert_eq!(t.running_average(), Some(Cpm::from_dollars(10)));
        assert_eq!(t.headroom(), Some(Cpm::from_dollars(20)));
        let flex = t.limit_for(None);
        assert_eq!(flex.max_allowed_cpm, Cpm::from_dollars(36));
        assert!(
            flex.reason
                .contains("campaign average $10.00 leaves $20.00 headroom: +$30.00"),
            "{}",
            flex.reason
        );
        assert!(
            flex.reason
                .contains("capped at 120% of the ceiling ($36.00)"),
            "{}",
            flex.reason
        );
    }

    #[test]
    fn small_headroom_is_shared_among_the_rest() {
        // Two deals averaging $28.00 leave $2.00; two negotiations are open: +$2.00 each.
        let mut t = tracker(2);
        t.record_agreement(Cpm::from_dollars(27)).unwrap();
        t.record_agreement(Cpm::from_dollars(29)).unwrap();
        assert_eq!(t.limit_for(None).max_allowed_cpm, Cpm::from_dollars(32));
    }

    #[test]
    fn an_average_at_or_over_the_ceiling_gives_no_room() {
        let mut t = tracker(4);
        t.record_agreement(Cpm::from_dollars(30)).unwrap();
        assert!(t.limit_for(None).max_allowed_cpm <= Cpm::from_dollars(30));
    }

    #[test]
    fn running_hot_tightens_the_limit_for_the_rest_but_not_below_the_floor() {
        let mut t = tracker(2);
        t.record_agreement(Cpm::from_dollars(34)).unwrap();
        t.record_agreement(Cpm::from_dollars(34)).unwrap();
        // $4.00 over the ceiling across two deals, two to go: -$4.00 each.
        let flex = t.limit_for(None);
        assert_eq!(flex.max_allowed_cpm, Cpm::from_dollars(26));
        assert!(
            flex.reason
                .contains("campaign average $34.00 is $4.00 over the ceiling: -$4.00"),
            "{}",
            flex.reason
        );

        let mut hot = tracker(1);
        for _ in 0..3 {
            hot.record_agreement(Cpm::from_dollars(36)).unwrap();
        }
        // -$18.00 would take it to $12.00: held at the $20.00 floor.
        let flex = hot.limit_for(None);
        assert_eq!(flex.max_allowed_cpm, Cpm::from_dollars(20));
        assert!(flex.reason.contains("held at the floor"), "{}", flex.reason);
    }

    #[test]
    fn closed_negotiations_take_no_share_of_the_headroom() {
        // Two deals at $20.00 leave $10.00 of headroom. With one negotiation open it gets all
        // of the room ($20.00, capped at $36.00); rejected or stopped ones are not counted.
        let mut t = tracker(1);
        t.record_agreement(Cpm::from_dollars(20)).unwrap();
        t.record_agreement(Cpm::from_dollars(20)).unwrap();
        assert_eq!(t.limit_for(None).max_allowed_cpm, Cpm::from_dollars(36));
        let mut spread = tracker(4);
        spread.record_agreement(Cpm::from_dollars(20)).unwrap();
        spread.record_agreement(Cpm::from_dollars(20)).unwrap();
        assert_eq!(
            spread.limit_for(None).max_allowed_cpm,
            Cpm::from_dollars(35)
        );
    }

    #[test]
    fn refuses_a_zero_cpm_and_round_trips_through_serde() {
        let mut t = tracker(3);
        assert!(t.record_agreement(Cpm::from_cents(0)).is_err());
        t.record_agreement(Cpm::from_dollars(25)).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let back: CampaignCpmTracker = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
    }
}
