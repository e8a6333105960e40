//! The campaign budget as a limit: what is agreed, what is offered, what is left, and what one
//! deal may take.

use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::policy::NegotiationPolicy;
use crate::tracker::Flexibility;

/// The money one negotiation may commit: the campaign's budget less what its other
/// negotiations have agreed, and never more than the sanity limit for any one deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// The campaign's budget (raised only by a person, and recorded when it is).
    pub total: Money,
    /// The agreed rates of the campaign's other negotiations.
    pub committed: Money,
    /// The most any one deal may be, whatever the budget (`[agent.policy] max_deal`).
    pub max_deal: Money,
}

impl Budget {
    /// A budget that allows exactly up to `ceiling`, for a check that judges an email against
    /// its plan alone (a composer checking its own draft); the workflow checks every email
    /// against the campaign's real budget before it is stored.
    pub fn plan_only(ceiling: Money) -> Self {
        Budget {
            total: ceiling,
            committed: Money::ZERO,
            max_deal: ceiling,
        }
    }

    /// What the campaign has left before this deal: the budget less what is agreed (never below
    /// zero).
    pub fn left(&self) -> Money {
        self.total
            .checked_sub(self.committed)
            .unwrap_or(Money::ZERO)
            .max(Money::ZERO)
    }

    /// The most this deal may be: what is left, capped at the limit for any one deal.
    pub fn room(&self) -> Money {
        self.left().min(self.max_deal)
    }

    /// Whether `rate` may be offered or agreed.
    pub fn allows(&self, rate: Money) -> bool {
        rate <= self.room()
    }

    /// The numbers a person needs, with `this_deal` as the amount in question.
    pub fn facts(&self, this_deal: Option<Money>) -> BudgetFacts {
        BudgetFacts {
            budget: self.total,
            agreed_so_far: self.committed,
            left: self.left(),
            this_deal,
            max_deal: self.max_deal,
        }
    }

    /// Why `rate` does not fit, in one sentence; `what` names the amount ("their ask").
    pub fn refusal(&self, what: &str, rate: Money) -> String {
        if rate > self.max_deal && self.max_deal < self.left() {
            return format!(
                "{what} of {rate} is above {}, the most any one deal may be ([agent.policy] \
                 max_deal)",
                self.max_deal
            );
        }
        let total = self.committed.checked_add(rate).unwrap_or(Money::ZERO);
        format!(
            "{what} of {rate} would take the campaign's agreed total to {total}, past its {} \
             budget ({} agreed so far, {} left)",
            self.total,
            self.committed,
            self.left()
        )
    }

    /// The budget a person's approval of `rate` needs: unchanged when it fits, otherwise just
    /// enough for the agreed total to include it.
    pub fn raised_for(&self, rate: Money) -> Money {
        let needed = self.committed.checked_add(rate).unwrap_or(self.total);
        self.total.max(needed)
    }
}

/// The budget's numbers as shown to a person deciding an escalation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetFacts {
    pub budget: Money,
    /// Agreed in the campaign's other negotiations.
    pub agreed_so_far: Money,
    pub left: Money,
    /// The amount in question (their ask, our offer), when there is one.
    pub this_deal: Option<Money>,
    pub max_deal: Money,
}

/// A campaign's money as a whole: agreed, offered and left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetStanding {
    pub budget: Money,
    /// The sum of agreed rates.
    pub committed: Money,
    /// The sum of our latest offers still out in open negotiations.
    pub outstanding: Money,
}

impl BudgetStanding {
    /// The budget less what is agreed.
    pub fn remaining(&self) -> Money {
        self.budget
            .checked_sub(self.committed)
            .unwrap_or(Money::ZERO)
    }

    /// How far the offers out could, if all were accepted, go past what is left.
    pub fn shortfall(&self) -> Option<Money> {
        self.outstanding
            .checked_sub(self.remaining())
            .filter(|over| over.is_positive())
    }
}

/// What the campaign allows one negotiation right now: how far its CPM may go (the tracker)
/// and how much money is left (the budget).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowance {
    pub flexibility: Flexibility,
    pub budget: Budget,
}

/// A person's approval of a rate, weighed before it is carried out: the rate against the
/// influencer's limit and the campaign's budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalCheck {
    pub rate: Money,
    /// The most the agent could agree to on its own for this influencer.
    pub limit: Money,
    pub budget: BudgetFacts,
    /// The rate is past `[agent.policy] confirm_above_limit_pct` of the limit.
    pub far_above_limit: bool,
    /// The rate fits what the budget leaves (and the limit for any one deal).
    pub fits_budget: bool,
    /// When it does not fit: the budget that would allow it (`None` when no budget would,
    /// because it is past the limit for any one deal).
    pub raise_to: Option<Money>,
}

impl ApprovalCheck {
    pub fn new(rate: Money, limit: Money, budget: &Budget, policy: &NegotiationPolicy) -> Self {
        let fits_budget = budget.allows(rate);
        ApprovalCheck {
            rate,
            limit,
            budget: budget.facts(Some(rate)),
            far_above_limit: policy.approval_needs_confirming(rate, limit),
            fits_budget,
            raise_to: (!fits_budget && rate <= policy.max_deal).then(|| budget.raised_for(rate)),
        }
    }

    /// Whether a person must confirm before it is carried out.
    pub fn needs_confirming(&self) -> bool {
        self.far_above_limit || !self.fits_budget
    }

    /// Whether confirming can carry it out at all.
    pub fn possible(&self) -> bool {
        self.fits_budget || self.raise_to.is_some()
    }

    /// The facts in a sentence or two, for the confirmation a person sees.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} is {} the agent's limit of {} for this influencer, and {} of the campaign's {} \
             budget ({} agreed so far, {} left).",
            self.rate,
            times(self.rate, self.limit),
            self.limit,
            share(self.rate, self.budget.budget),
            self.budget.budget,
            self.budget.agreed_so_far,
            self.budget.left
        );
        match (self.fits_budget, self.raise_to) {
            (true, _) => {}
            (false, Some(to)) => text.push_str(&format!(
                " It does not fit what is left: approving it raises the campaign's budget from \
                 {} to {to}.",
                self.budget.budget
            )),
            (false, None) => text.push_str(&format!(
                " It is above {}, the most any one deal may be, so it cannot be approved.",
                self.budget.max_deal
            )),
        }
        text
    }
}

/// `rate` as a multiple of `limit`, one decimal: `9.0×`.
fn times(rate: Money, limit: Money) -> String {
    if !limit.is_positive() {
        return "above".to_owned();
    }
    let tenths =
        (i128::from(rate.cents()) * 10 + i128::from(limit.cents()) / 2) / i128::from(limit.cents());
    format!("{}.{}×", tenths / 10, tenths % 10)
}

/// `part` as a whole percentage of `whole`: `54%`.
fn share(part: Money, whole: Money) -> String {
    if !whole.is_positive() {
        return "all".to_owned();
    }
    let pct = (i128::from(part.cents()) * 100 + i128::from(whole.cents()) / 2)
        / i128::from(whole.cents());
    format!("{pct}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(total: i64, committed: i64) -> Budget {
        Budget {
            total: Money::from_dollars(total),
            committed: Money::from_dollars(committed),
            max_deal: Money::from_dollars(50_000),
        }
    }

    #[test]
    fn room_is_what_is_left_capped_at_the_deal_limit() {
        assert_eq!(budget(10_000, 7_500).room(), Money::from_dollars(2_500));
        assert_eq!(budget(1_000_000, 0).room(), Money::from_dollars(50_000));
        assert_eq!(budget(1_000, 2_000).room(), Money::ZERO);
        assert!(budget(10_000, 7_500).allows(Money::from_dollars(2_500)));
        assert!(!budget(10_000, 7_500).allows(Money::from_cents(250_001)));
    }

    #[test]
    fn a_refusal_names_the_numbers() {
        let text = budget(10_000, 9_000).refusal("their ask", Money::from_dollars(1_450));
        assert_eq!(
            text,
            "their ask of $1,450.00 would take the campaign's agreed total to $10,450.00, past \
             its $10,000.00 budget ($9,000.00 agreed so far, $1,000.00 left)"
        );
        let text = budget(1_000_000, 0).refusal("the opening offer", Money::from_dollars(60_000));
        assert!(text.contains("the most any one deal may be"), "{text}");
    }

    #[test]
    fn an_approval_raises_the_budget_only_as_far_as_it_needs() {
        assert_eq!(
            budget(10_000, 9_000).raised_for(Money::from_dollars(1_450)),
            Money::from_dollars(10_450)
        );
        assert_eq!(
            budget(10_000, 1_000).raised_for(Money::from_dollars(1_450)),
            Money::from_dollars(10_000)
        );
    }

    #[test]
    fn the_standing_says_when_offers_out_could_break_the_budget() {
        let standing = BudgetStanding {
            budget: Money::from_dollars(10_000),
            committed: Money::from_dollars(4_000),
            outstanding: Money::from_dollars(7_000),
        };
        assert_eq!(standing.remaining(), Money::from_dollars(6_000));
        assert_eq!(standing.shortfall(), Some(Money::from_dollars(1_000)));
        let fine = BudgetStanding {
            outstanding: Money::from_dollars(6_000),
            ..standing
        };
        assert_eq!(fine.shortfall(), None);
    }
}

#[cfg(test)]
mod approval_tests {
    use super::*;

    #[test]
    fn an_approval_far_above_the_limit_asks_for_confirmation_with_the_numbers() {
        let budget = Budget {
            total: Money::from_dollars(25_000),
            committed: Money::from_dollars(5_000),
            max_deal: Money::from_dollars(50_000),
        };
        let policy = NegotiationPolicy::default();
        let check = ApprovalCheck::new(
            Money::from_dollars(13_500),
            Money::from_dollars(1_500),
            &budget,
            &policy,
        );
        assert!(check.needs_confirming() && check.possible() && check.fits_budget);
        assert_eq!(
            check.summary(),
            "$13,500.00 is 9.0× the agent's limit of $1,500.00 for this influencer, and 54% of \
             the campaign's $25,000.00 budget ($5,000.00 agreed so far, $20,000.00 left)."
        );
        let near = ApprovalCheck::new(
            Money::from_dollars(1_600),
            Money::from_dollars(1_500),
            &budget,
            &policy,
        );
        assert!(!near.needs_confirming());
        let over = ApprovalCheck::new(
            Money::from_dollars(21_000),
            Money::from_dollars(20_000),
            &budget,
            &policy,
        );
        assert!(over.needs_confirming() && !over.fits_budget);
        assert_eq!(over.raise_to, Some(Money::from_dollars(26_000)));
        assert!(
            over.summary()
                .contains("raises the campaign's budget from $25,000.00 to $26,000.00")
        );
    }
}
