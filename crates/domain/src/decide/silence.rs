//! Silence: a thread that has waited too long gets a follow-up, and the team hears when
//! every follow-up went unanswered.

use jiff::Timestamp;

use super::{Ctx, Rates, escalate_on_error, over_budget, plan, step};
use crate::budget::Allowance;
use crate::decision::{Decision, Effect, Notification, Outcome};
use crate::email::EmailKind;
use crate::negotiation::Negotiation;
use crate::policy::NegotiationPolicy;
use crate::state::{NegotiationEvent as E, NegotiationState as S};

/// What to do about a thread that may have gone quiet, checked at `now`.
///
/// Too early: nothing, with a note of when to look again. Silent long enough: a follow-up
/// restating our current offer (up to the policy's number of follow-ups), then a single
/// message to the team. An offer the budget can no longer take is not restated: a person
/// decides instead.
pub fn check_silence(
    n: &Negotiation,
    allowance: &Allowance,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Decision {
    let ctx = Ctx {
        allowance,
        policy,
        now,
    };
    if n.human_controlled {
        return Decision::ignored(
            n,
            "a person has taken this thread over; no follow-ups from the agent",
        );
    }
    if !matches!(n.state, S::AwaitingReply | S::CounterSent | S::Stale) {
        return Decision::ignored(
            n,
            format!("the negotiation is {}; nobody is waiting on them", n.state),
        );
    }
    let due = n
        .last_activity
        .checked_add(policy.stale_after)
        .unwrap_or(Timestamp::MAX)
        .max(n.quiet_until.unwrap_or(Timestamp::MIN));
    if now < due {
        let mut decision = Decision::ignored(
            n,
            format!(
                "not silent long enough; look again at {}",
                due.strftime("%Y-%m-%d %H:%M UTC")
            ),
        );
        decision.effects.push(Effect::ScheduleFollowUp {
            after: due.duration_since(now),
        });
        return decision;
    }
    let mut next = n.clone();
    if next.state != S::Stale
        && let Err(problem) = step(&mut next, E::Timeout, now)
    {
        return escalate_on_error(n, &problem, &ctx);
    }
    if next.follow_ups_sent < policy.max_follow_ups {
        let rates = match Rates::of(&next, &ctx) {
            Ok(rates) => rates,
            Err(problem) => return escalate_on_error(n, &problem, &ctx),
        };
        if rates.current > rates.room {
            return over_budget(next, "our offer on the table", rates.current, rates, &ctx);
        }
        if let Err(problem) = step(&mut next, E::SendFollowUp, now) {
            return escalate_on_error(n, &problem, &ctx);
        }
        next.follow_ups_sent += 1;
        next.last_activity = now;
        let email = plan(
            &next,
            EmailKind::FollowUp,
            Some(rates.current),
            None,
            rates.limit,
        );
        return Decision {
            reason: format!(
                "no reply since {}; follow-up {} of {} restating our offer of {}",
                n.last_activity.strftime("%Y-%m-%d %H:%M UTC"),
                next.follow_ups_sent,
                policy.max_follow_ups,
                rates.current
            ),
            negotiation: next,
            outcome: Outcome::FollowedUp,
            effects: vec![
                Effect::SendEmail(email),
                Effect::ScheduleFollowUp {
                    after: policy.stale_after,
                },
            ],
        };
    }
    if next.silence_reported {
        return Decision::ignored(n, "the team already knows this influencer went silent");
    }
    next.silence_reported = true;
    Decision {
        reason: format!(
            "no reply after {} follow-ups; the team decides whether to chase or close",
            next.follow_ups_sent
        ),
        effects: vec![Effect::Notify(Notification::SilenceLimit {
            follow_ups_sent: next.follow_ups_sent,
        })],
        negotiation: next,
        outcome: Outcome::SilenceReported,
    }
}
