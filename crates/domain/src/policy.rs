//! The negotiation policy: concession, triggers, thresholds and silence, with defaults.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::concession::ConcessionPolicy;
use crate::money::{Cpm, Money};
use crate::triggers::TriggerPolicy;

/// How the agent negotiates. Every field has a default, so a config may name only what it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NegotiationPolicy {
    pub concession: ConcessionPolicy,
    pub triggers: TriggerPolicy,
    /// Asks below this CPM are accepted but flagged as possibly misread. Default $15.00.
    #[serde(with = "dollars")]
    pub suspicious_below: Cpm,
    /// Silence after which a thread goes stale and gets a follow-up. Default 72 hours.
    pub stale_after: SignedDuration,
    /// Follow-ups sent before the team is told instead. Default 2.
    pub max_follow_ups: u32,
    /// How long an out-of-office that names no return date holds the follow-up. Default
    /// 7 days. One that names a date holds it until the next business day after that date.
    pub auto_reply_hold: SignedDuration,
    /// The most any one deal may be, whatever the budget: no offer or agreement above it is
    /// ever made or sent. Default $50,000.00.
    #[serde(with = "dollars::money")]
    pub max_deal: Money,
    /// A person's approval above this percentage of the influencer's limit asks them to
    /// confirm first (Slack shows a dialog, the CLI wants `--yes`). Default 150.
    pub confirm_above_limit_pct: u32,
}

impl Default for NegotiationPolicy {
    fn default() -> Self {
        NegotiationPolicy {
            concession: ConcessionPolicy::default(),
            triggers: TriggerPolicy::default(),
            suspicious_below: Cpm::from_dollars(15),
            stale_after: SignedDuration::from_hours(72),
            max_follow_ups: 2,
            auto_reply_hold: SignedDuration::from_hours(7 * 24),
            max_deal: Money::from_dollars(50_000),
            confirm_above_limit_pct: 150,
        }
    }
}

impl NegotiationPolicy {
    /// Whether approving `rate` against an influencer's `limit` needs a person to confirm.
    pub fn approval_needs_confirming(&self, rate: Money, limit: Money) -> bool {
        let rate = i128::from(rate.cents()) * 100;
        let bar = i128::from(limit.cents()) * i128::from(self.confirm_above_limit_pct);
        rate > bar
    }
}

/// Amounts in configuration are written as text, `"$30.00"` or `"30"`, never as bare numbers,
/// so a `30` can never be mistaken for 30 cents.
pub(crate) mod dollars {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::money::{Cpm, Money};

    pub(crate) fn serialize<S: Serializer>(cpm: &Cpm, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(cpm)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Cpm, D::Error> {
        let text = String::deserialize(d)?;
        text.parse::<Cpm>().map_err(serde::de::Error::custom)
    }

    /// The same for an amount of money.
    pub(crate) mod money {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(m)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
            let text = String::deserialize(d)?;
            match text.parse::<Money>() {
                Ok(m) if m.is_positive() => Ok(m),
                Ok(m) => Err(serde::de::Error::custom(format!(
                    "{m} must be more than $0.00"
                ))),
                Err(e) => Err(serde::de::Error::custom(e)),
            }
        }
    }

    /// The same for an optional amount of money.
    pub(crate) mod option_money {
        use super::*;

        pub(crate) fn serialize<S: Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
            match m {
                Some(m) => s.collect_str(m),
                None => s.serialize_none(),
            }
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Money>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|text| text.parse::<Money>().map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    #[test]
    fn defaults_match_the_documented_policy() {
        let p = NegotiationPolicy::default();
        assert_eq!(p.concession.steps, 4);
        assert_eq!(p.concession.max_rounds, 5);
        assert_eq!(p.triggers.low_confidence.threshold.percent(), 70);
        assert_eq!(p.suspicious_below, Cpm::from_dollars(15));
        assert_eq!(p.stale_after, SignedDuration::from_hours(72));
        assert_eq!(p.max_follow_ups, 2);
        assert_eq!(p.max_deal, Money::from_dollars(50_000));
        assert!(
            p.approval_needs_confirming(Money::from_cents(150_001), Money::from_dollars(1_000))
        );
        assert!(
            !p.approval_needs_confirming(Money::from_dollars(1_500), Money::from_dollars(1_000))
        );
        assert!(!p.triggers.cpm_over_threshold.enabled);
        assert!(p.triggers.low_confidence.enabled);
    }

    #[test]
    fn a_partial_config_keeps_the_other_defaults_and_reads_dollars_as_text() {
        let p: NegotiationPolicy = serde_json::from_str(
            r#"{
                "suspicious_below": "$12.50",
                "stale_after": "PT48H",
                "concession": {"steps": 3, "round_up_to": "$10"},
                "triggers": {"cpm_over_threshold": {"enabled": true, "threshold": "$45"}}
            }"#,
        )
        .unwrap();
        assert_eq!(p.suspicious_below, Cpm::from_cents(1_250));
        assert_eq!(p.stale_after, SignedDuration::from_hours(48));
        assert_eq!(p.concession.steps, 3);
        assert_eq!(p.concession.max_rounds, 5);
        assert_eq!(p.concession.round_up_to, Some(Money::from_dollars(10)));
        assert_eq!(
            p.triggers.cpm_over_threshold.threshold,
            Cpm::from_dollars(45)
        );
        assert_eq!(p.max_follow_ups, 2);
    }

    #[test]
    fn bare_numbers_for_amounts_are_refused() {
        let err = serde_json::from_str::<NegotiationPolicy>(r#"{"suspicious_below": 15}"#);
        assert!(err.is_err());
    }

    #[test]
    fn round_trips_through_serde() {
        let p = NegotiationPolicy::default();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<NegotiationPolicy>(&json).unwrap(), p);
    }
}
