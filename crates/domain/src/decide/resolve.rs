//! What a person does to a thread: resolve an escalation, take over, pause, resume or stop.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Countered, Ctx, Rates, agree, answer_ask, counter, counter_without_ask, plan};
use crate::budget::{Allowance, BudgetFacts};
use crate::decision::{Decision, Effect, Notification, Outcome};
use crate::email::EmailKind;
use crate::money::Money;
use crate::negotiation::Negotiation;
use crate::policy::NegotiationPolicy;
use crate::state::{NegotiationEvent as E, NegotiationState as S, Refusal, TransitionRefused};

/// A person's instruction for one thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum HumanAction {
    /// Close the deal at this rate (usually their ask, which may be above the agent's limit).
    Approve {
        rate: Money,
    },
    /// Counter at this rate; it becomes this thread's limit.
    CounterAt {
        rate: Money,
    },
    /// End the negotiation and tell the influencer politely.
    Reject,
    /// Give the escalated thread back: the agent answers their last message on its schedule.
    HandBack,
    /// The person handles the thread from now on; the agent does nothing on it.
    TakeOver,
    /// Give a taken-over thread back to the agent.
    Release,
    Pause,
    Resume,
    Stop,
}

impl HumanAction {
    pub fn as_str(self) -> &'static str {
        match self {
            HumanAction::Approve { .. } => "approve",
            HumanAction::CounterAt { .. } => "counter_at",
            HumanAction::Reject => "reject",
            HumanAction::HandBack => "hand_back",
            HumanAction::TakeOver => "take_over",
            HumanAction::Release => "release",
            HumanAction::Pause => "pause",
            HumanAction::Resume => "resume",
            HumanAction::Stop => "stop",
        }
    }
}

/// Why a person's instruction was not carried out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ActionRefused {
    /// The negotiation is not where the instruction applies.
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    /// The amount does not fit the campaign's budget (or the limit for any one deal).
    #[error("{reason}; {}", match .raise_to {
        Some(budget) => format!("raise the campaign's budget to at least {budget} to allow it, or choose a lower amount"),
        None => "no budget raise allows it; choose a lower amount".to_owned(),
    })]
    OverBudget {
        reason: String,
        budget: BudgetFacts,
        /// The budget that would allow it; `None` when the limit for any one deal stands in
        /// the way.
        raise_to: Option<Money>,
    },
}

impl ActionRefused {
    /// What is wrong and what to do instead, for a person.
    pub fn explain(&self) -> String {
        match self {
            ActionRefused::Transition(refused) => refused.reason.explain().to_owned(),
            other => other.to_string(),
        }
    }
}

/// Carries out a person's instruction, or says why it does not apply.
pub fn resolve(
    n: &Negotiation,
    action: HumanAction,
    allowance: &Allowance,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Result<Decision, ActionRefused> {
    let ctx = Ctx {
        allowance,
        policy,
        now,
    };
    let budget = &allowance.budget;
    let fits = |rate: Money, what: &str| -> Result<(), ActionRefused> {
        if budget.allows(rate) {
            return Ok(());
        }
        Err(ActionRefused::OverBudget {
            reason: budget.refusal(what, rate),
            budget: budget.facts(Some(rate)),
            raise_to: (rate <= policy.max_deal).then(|| budget.raised_for(rate)),
        })
    };
    let mut next = n.clone();
    next.last_activity = now;
    let rates = Rates::of(n, &ctx).ok();
    let limit_with = |rate: Money| rates.map_or(rate, |r| r.limit).max(rate);
    match action {
        HumanAction::Approve { rate } => {
            n.clone().apply(E::HumanApprove, now)?;
            fits(rate, "approving")?;
            next.human_limit = Some(next.human_limit.map_or(rate, |h| h.max(rate)));
            let reason = format!("a person approved {rate}");
            Ok(agree(
                next,
                rate,
                E::HumanApprove,
                &reason,
                limit_with(rate),
                &ctx,
            ))
        }
        HumanAction::CounterAt { rate } => {
            match n.state {
                S::Escalated => next.apply(E::HandBack, now)?,
                S::CounterReceived if rate.is_positive() => {}
                state => {
                    return Err(TransitionRefused {
                        state,
                        event: E::SendCounter,
                        reason: Refusal::NoReplyToAnswer,
                    }
                    .into());
                }
            }
            fits(rate, "a counter")?;
            next.human_limit = Some(next.human_limit.map_or(rate, |h| h.max(rate)));
            if let Some(ask) = n.their_last_ask.filter(|ask| *ask <= rate) {
                let reason = format!("a person would counter at {rate}, at or above their ask");
                return Ok(agree(next, ask, E::Accept, &reason, limit_with(rate), &ctx));
            }
            let reason = format!("a person countered at {rate}");
            let round = next.round + 1;
            Ok(counter(
                next,
                Countered {
                    rate,
                    round,
                    their_ask: n.their_last_ask,
                    ceiling: limit_with(rate),
                },
                &reason,
                &ctx,
            ))
        }
        HumanAction::Reject => {
            next.apply(E::HumanReject, now)?;
            let ceiling = rates.map_or(Money::ZERO, |r| r.limit);
            let email = plan(&next, EmailKind::Decline, None, None, ceiling);
            let reason = "a person ended the negotiation".to_owned();
            Ok(Decision {
                negotiation: next,
                outcome: Outcome::Rejected,
                effects: vec![
                    Effect::SendEmail(email),
                    Effect::Notify(Notification::Rejected {
                        reason: reason.clone(),
                    }),
                ],
                reason,
            })
        }
        HumanAction::HandBack => {
            next.apply(E::HandBack, now)?;
            Ok(match Rates::of(&next, &ctx) {
                Err(problem) => super::escalate_on_error(&next, &problem, &ctx),
                Ok(rates) => match next.their_last_ask {
                    Some(ask) => answer_ask(next, ask, rates, &ctx),
                    None => counter_without_ask(next, rates, &ctx),
                },
            })
        }
        HumanAction::TakeOver
        | HumanAction::Release
        | HumanAction::Pause
        | HumanAction::Resume
        | HumanAction::Stop => {
            let event = match action {
                HumanAction::TakeOver => E::TakeOver,
                HumanAction::Release => E::Release,
                HumanAction::Pause => E::Pause,
                HumanAction::Resume => E::Resume,
                _ => E::Stop,
            };
            next.apply(event, now)?;
            // A thread handed back to the agent while it waits on them gets its silence
            // checks again, counted from now.
            let waiting = matches!(next.state, S::AwaitingReply | S::CounterSent | S::Stale);
            let effects = if waiting
                && !next.human_controlled
                && matches!(action, HumanAction::Release | HumanAction::Resume)
            {
                vec![Effect::ScheduleFollowUp {
                    after: policy.stale_after,
                }]
            } else {
                Vec::new()
            };
            Ok(Decision {
                reason: format!("a person chose to {}", action.as_str().replace('_', " ")),
                negotiation: next,
                outcome: Outcome::Controlled,
                effects,
            })
        }
    }
}
