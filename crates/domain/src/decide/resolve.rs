//! What a person does to a thread: resolve an escalation, take over, pause, resume or stop.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Rates, agree, answer_ask, counter, counter_without_ask, plan};
use crate::decision::{Decision, Effect, Notification, Outcome};
use crate::email::EmailKind;
use crate::money::Money;
use crate::negotiation::Negotiation;
use crate::policy::NegotiationPolicy;
use crate::state::{NegotiationEvent as E, NegotiationState as S, Refusal, TransitionRefused};
use crate::tracker::Flexibility;

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

/// Carries out a person's instruction, or says why it does not apply.
pub fn resolve(
    n: &Negotiation,
    action: HumanAction,
    flexibility: &Flexibility,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Result<Decision, TransitionRefused> {
    let mut next = n.clone();
    next.last_activity = now;
    let rates = Rates::of(n, flexibility, policy).ok();
    let limit_with = |rate: Money| rates.map_or(rate, |r| r.limit).max(rate);
    match action {
        HumanAction::Approve { rate } => {
            n.clone().apply(E::HumanApprove, now)?;
            next.human_limit = Some(next.human_limit.map_or(rate, |h| h.max(rate)));
            let reason = format!("a person approved {rate}");
            Ok(agree(
                next,
                rate,
                E::HumanApprove,
                &reason,
                limit_with(rate),
                now,
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
                    });
                }
            }
            next.human_limit = Some(next.human_limit.map_or(rate, |h| h.max(rate)));
            if let Some(ask) = n.their_last_ask.filter(|ask| *ask <= rate) {
                let reason = format!("a person would counter at {rate}, at or above their ask");
                return Ok(agree(next, ask, E::Accept, &reason, limit_with(rate), now));
            }
            let round = next.round + 1;
            let reason = format!("a person countered at {rate}");
            let ask = n.their_last_ask;
            Ok(counter(
                next,
                rate,
                round,
                ask,
                &reason,
                limit_with(rate),
                policy,
                now,
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
            Ok(match Rates::of(&next, flexibility, policy) {
                Err(problem) => super::escalate_on_error(&next, &problem, now),
                Ok(rates) => match next.their_last_ask {
                    Some(ask) => answer_ask(next, ask, rates, flexibility, policy, now),
                    None => counter_without_ask(next, rates, flexibility, policy, now),
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
            Ok(Decision {
                reason: format!("a person chose to {}", action.as_str().replace('_', " ")),
                negotiation: next,
                outcome: Outcome::Controlled,
                effects: Vec::new(),
            })
        }
    }
}
