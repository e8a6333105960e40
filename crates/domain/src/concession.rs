//! The concession schedule: open at the floor, step toward the limit, never past it or their ask.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// How fast and how far the agent concedes on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConcessionPolicy {
    /// Counters needed to go from the floor rate to the limit rate in equal steps (at least 1).
    pub steps: u32,
    /// Counters the agent may send before a human must decide.
    pub max_rounds: u32,
    /// Round each counter up to a multiple of this (e.g. `"$10"`), never past the limit.
    #[serde(with = "crate::policy::dollars::option_money")]
    pub round_up_to: Option<Money>,
}

impl Default for ConcessionPolicy {
    fn default() -> Self {
        ConcessionPolicy {
            steps: 4,
            max_rounds: 5,
            round_up_to: None,
        }
    }
}

impl ConcessionPolicy {
    /// `rate` rounded up to a multiple of `round_up_to` (when set), but never above `limit`
    /// (and never below `rate` when `rate` is already above the limit).
    pub fn rounded(&self, rate: Money, limit: Money) -> Money {
        let Some(step) = self.round_up_to.filter(|s| s.is_positive()) else {
            return rate;
        };
        let (cents, step) = (i128::from(rate.cents()), i128::from(step.cents()));
        let up = (cents + step - 1).div_euclid(step) * step;
        let capped = up.min(i128::from(limit.cents())).max(cents);
        Money::from_cents(i64::try_from(capped).unwrap_or(rate.cents()))
    }
}

/// Why a schedule could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConcessionError {
    #[error(
        "the opening rate is {0}; an offer must be above $0.00 (check the views and CPM floor)"
    )]
    NonPositiveFloor(Money),
    #[error(
        "the limit rate {limit} is below the opening rate {floor}; the limit must be at least the floor rate"
    )]
    LimitBelowFloor { floor: Money, limit: Money },
}

/// What to do about their ask.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ConcessionOutcome {
    /// Take the deal at `rate`, which is their ask: never more than they asked.
    Accept { rate: Money, reason: String },
    /// Counter at `rate` in round `round`: below their ask and within the limit.
    Counter {
        rate: Money,
        round: u32,
        reason: String,
    },
    /// A human must decide (over the limit, or out of rounds).
    Escalate { reason: String },
}

impl ConcessionOutcome {
    /// The human-readable reason.
    pub fn reason(&self) -> &str {
        match self {
            ConcessionOutcome::Accept { reason, .. }
            | ConcessionOutcome::Counter { reason, .. }
            | ConcessionOutcome::Escalate { reason } => reason,
        }
    }
}

/// One influencer's schedule: the opening (floor) rate, the limit rate, and the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConcessionSchedule {
    floor_rate: Money,
    limit_rate: Money,
    policy: ConcessionPolicy,
}

impl ConcessionSchedule {
    /// A schedule from a positive opening rate up to a limit no lower than it.
    pub fn new(
        floor_rate: Money,
        limit_rate: Money,
        policy: ConcessionPolicy,
    ) -> Result<Self, ConcessionError> {
        if !floor_rate.is_positive() {
            return Err(ConcessionError::NonPositiveFloor(floor_rate));
        }
        if limit_rate < floor_rate {
            return Err(ConcessionError::LimitBelowFloor {
                floor: floor_rate,
                limit: limit_rate,
            });
        }
        Ok(ConcessionSchedule {
            floor_rate,
            limit_rate,
            policy,
        })
    }

    pub fn floor_rate(&self) -> Money {
        self.floor_rate
    }

    pub fn limit_rate(&self) -> Money {
        self.limit_rate
    }

    /// Our offer in `round`: the floor at round 0, the limit from round `steps` on, equal steps
    /// between (rounded half-up to the cent, then up to `round_up_to`, capped at the limit).
    pub fn offer_at(&self, round: u32) -> Money {
        if round == 0 {
            return self.floor_rate;
        }
        let steps = i128::from(self.policy.steps.max(1));
        let taken = i128::from(round).min(steps);
        let gap = i128::from(self.limit_rate.cents()) - i128::from(self.floor_rate.cents());
        // Half-up division of a non-negative amount; the result lies between floor and limit.
        let moved = (gap * taken * 2 + steps) / (steps * 2);
        let cents = i128::from(self.floor_rate.cents()) + moved;
        // `cents` lies between the floor and the limit, both i64 cents.
        let step = Money::from_cents(i64::try_from(cents).unwrap_or(self.limit_rate.cents()));
        self.policy.rounded(step, self.limit_rate)
    }

    /// Answers their `ask` given our `current_offer`, made in `round` (0 = the opening).
    ///
    /// Over the limit → escalate. At or below our current offer → accept at their ask. Out of
    /// rounds → escalate. Otherwise the next step: if it reaches their ask, accept at their ask
    /// (countering with their own number would only delay the deal), else counter at it.
    pub fn respond(&self, round: u32, current_offer: Money, ask: Money) -> ConcessionOutcome {
        if ask > self.limit_rate {
            return ConcessionOutcome::Escalate {
                reason: format!(
                    "their ask of {ask} is above our limit of {} for this influencer",
                    self.limit_rate
                ),
            };
        }
        if ask <= current_offer {
            return ConcessionOutcome::Accept {
                rate: ask,
                reason: format!(
                    "their ask of {ask} is at or below our current offer of {current_offer}"
                ),
            };
        }
        if round >= self.policy.max_rounds {
            return ConcessionOutcome::Escalate {
                reason: format!(
                    "{round} counters sent, the most the agent may send on its own ({}); their ask is {ask}, our offer {current_offer}",
                    self.policy.max_rounds
                ),
            };
        }
        let next_round = round + 1;
        let next = self.offer_at(next_round).max(current_offer);
        if next >= ask {
            return ConcessionOutcome::Accept {
                rate: ask,
                reason: format!(
                    "our next step ({next}) would reach their ask of {ask}, so we accept their ask"
                ),
            };
        }
        ConcessionOutcome::Counter {
            rate: next,
            round: next_round,
            reason: format!(
                "their ask of {ask} is above our offer of {current_offer}; counter at step {} of {} ({next}), limit {}",
                next_round.min(self.policy.steps.max(1)),
                self.policy.steps.max(1),
                self.limit_rate
            ),
        }
    }

    /// The next counter when they pushed back without naming a rate, or an escalation when
    /// no rounds (or no room) are left.
    pub fn next_counter(&self, round: u32, current_offer: Money) -> ConcessionOutcome {
        if round >= self.policy.max_rounds {
            return ConcessionOutcome::Escalate {
                reason: format!(
                    "{round} counters sent, the most the agent may send on its own ({})",
                    self.policy.max_rounds
                ),
            };
        }
        if current_offer >= self.limit_rate {
            return ConcessionOutcome::Escalate {
                reason: format!(
                    "our offer of {current_offer} is already at our limit ({}) and they want more",
                    self.limit_rate
                ),
            };
        }
        let next_round = round + 1;
        let next = self.offer_at(next_round).max(current_offer);
        ConcessionOutcome::Counter {
            rate: next,
            round: next_round,
            reason: format!(
                "they pushed back without naming a rate; counter at the next step ({next}), limit {}",
                self.limit_rate
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(dollars: i64) -> Money {
        Money::from_dollars(dollars)
    }

    fn schedule(floor: i64, limit: i64) -> ConcessionSchedule {
        ConcessionSchedule::new(d(floor), d(limit), ConcessionPolicy::default()).unwrap()
    }

    #[test]
    fn steps_move_evenly_from_floor_to_limit() {
        let s = schedule(1_000, 1_500);
        let offers: Vec<Money> = (0..=6).map(|r| s.offer_at(r)).collect();
        assert_eq!(
            offers,
            vec![
                d(1_000),
                d(1_125),
                d(1_250),
                d(1_375),
                d(1_500),
                d(1_500),
                d(1_500)
            ]
        );
    }

    #[test]
    fn uneven_steps_round_half_up_to_the_cent() {
        // A $1.00 gap in 3 steps: 33.33 cents, 66.67 cents, then the limit.
        let policy = ConcessionPolicy {
            steps: 3,
            ..ConcessionPolicy::default()
        };
        let s = ConcessionSchedule::new(d(10), d(11), policy).unwrap();
        assert_eq!(s.offer_at(1), Money::from_cents(1_033));
        assert_eq!(s.offer_at(2), Money::from_cents(1_067));
        assert_eq!(s.offer_at(3), d(11));
    }

    #[test]
    fn rounding_up_never_passes_the_limit() {
        let policy = ConcessionPolicy {
            round_up_to: Some(d(10)),
            ..ConcessionPolicy::default()
        };
        let s = ConcessionSchedule::new(d(1_000), Money::from_cents(150_450), policy).unwrap();
        assert_eq!(s.offer_at(0), d(1_000));
        // 1,000 + 504.50 / 4 = 1,126.125 → 1,126.13 → rounded up to 1,130.
        assert_eq!(s.offer_at(1), d(1_130));
        // 1,504.50 would round up to 1,510, past the limit: capped.
        assert_eq!(s.offer_at(4), Money::from_cents(150_450));
    }

    #[test]
    fn zero_steps_means_straight_to_the_limit() {
        let policy = ConcessionPolicy {
            steps: 0,
            ..ConcessionPolicy::default()
        };
        let s = ConcessionSchedule::new(d(100), d(200), policy).unwrap();
        assert_eq!(s.offer_at(1), d(200));
    }

    #[test]
    fn accepts_their_ask_when_it_is_at_or_below_our_offer() {
        let s = schedule(1_000, 1_500);
        let outcome = s.respond(0, d(1_000), d(900));
        assert!(matches!(outcome, ConcessionOutcome::Accept { rate, .. } if rate == d(900)));
        let outcome = s.respond(0, d(1_000), d(1_000));
        assert!(matches!(outcome, ConcessionOutcome::Accept { rate, .. } if rate == d(1_000)));
    }

    #[test]
    fn counters_at_the_next_step_below_their_ask() {
        let s = schedule(1_000, 1_500);
        match s.respond(0, d(1_000), d(1_400)) {
            ConcessionOutcome::Counter {
                rate,
                round,
                reason,
            } => {
                assert_eq!(rate, d(1_125));
                assert_eq!(round, 1);
                assert!(reason.contains("$1,125.00"), "{reason}");
            }
            other => panic!("expected a counter, got {other:?}"),
        }
    }

    #[test]
    fn accepts_their_ask_when_the_next_step_would_reach_it() {
        let s = schedule(1_000, 1_500);
        let outcome = s.respond(0, d(1_000), d(1_100));
        assert!(matches!(outcome, ConcessionOutcome::Accept { rate, .. } if rate == d(1_100)));
    }

    #[test]
    fn escalates_over_the_limit_and_out_of_rounds() {
        let s = schedule(1_000, 1_500);
        let over = s.respond(0, d(1_000), Money::from_cents(150_001));
        assert!(matches!(over, ConcessionOutcome::Escalate { .. }));
        assert!(over.reason().contains("above our limit"));
        let tired = s.respond(5, d(1_450), d(1_490));
        assert!(matches!(tired, ConcessionOutcome::Escalate { .. }));
        // Out of rounds but their ask is at our offer: still a deal.
        let fine = s.respond(5, d(1_450), d(1_450));
        assert!(matches!(fine, ConcessionOutcome::Accept { .. }));
    }

    #[test]
    fn counters_without_an_ask_until_the_limit() {
        let s = schedule(1_000, 1_500);
        assert!(matches!(
            s.next_counter(0, d(1_000)),
            ConcessionOutcome::Counter { rate, round: 1, .. } if rate == d(1_125)
        ));
        assert!(matches!(
            s.next_counter(4, d(1_500)),
            ConcessionOutcome::Escalate { .. }
        ));
    }

    #[test]
    fn refuses_a_zero_floor_or_a_limit_below_it() {
        assert!(ConcessionSchedule::new(Money::ZERO, d(1), ConcessionPolicy::default()).is_err());
        assert!(ConcessionSchedule::new(d(2), d(1), ConcessionPolicy::default()).is_err());
    }
}
