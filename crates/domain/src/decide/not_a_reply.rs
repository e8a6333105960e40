//! Mail that is not an answer to weigh: an automatic reply (the follow-up waits until they are
//! back), a permanent bounce (a person fixes the address) and an opt-out (the negotiation ends
//! without another word to them).

use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, tz::TimeZone};

use super::{Ctx, Rates, escalate, escalate_on_error, step};
use crate::budget::Allowance;
use crate::decision::{Decision, Effect, Notification, Outcome};
use crate::negotiation::Negotiation;
use crate::policy::NegotiationPolicy;
use crate::state::{NegotiationEvent as E, NegotiationState as S};

/// An automatic answer came in at `now`. Nothing is answered. While we wait on them, the
/// follow-up waits until the next business day after `returns_on`, or for the policy's
/// `auto_reply_hold` when it names no date, and never comes sooner than it would have.
pub fn auto_reply(
    n: &Negotiation,
    returns_on: Option<Date>,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Decision {
    if n.human_controlled || !matches!(n.state, S::AwaitingReply | S::CounterSent | S::Stale) {
        return Decision::ignored(
            n,
            format!(
                "an automatic reply; nothing waits on it while the negotiation is {}",
                n.state
            ),
        );
    }
    let back = match returns_on.and_then(|date| next_business_day(date).ok()) {
        Some(day) => day,
        None => now.checked_add(policy.auto_reply_hold).unwrap_or(now),
    };
    let due = n
        .last_activity
        .checked_add(policy.stale_after)
        .unwrap_or(Timestamp::MAX)
        .max(back);
    let mut next = n.clone();
    next.quiet_until = Some(back.max(n.quiet_until.unwrap_or(back)));
    let when = due.strftime("%Y-%m-%d");
    let reason = match returns_on {
        Some(date) => format!(
            "an automatic reply says they are back on {date}; no answer, and the follow-up waits until {when}"
        ),
        None => format!(
            "an automatic reply with no return date; no answer, and the follow-up waits until {when}"
        ),
    };
    Decision {
        negotiation: next,
        outcome: Outcome::AutoReplied,
        reason,
        effects: vec![Effect::ScheduleFollowUp {
            after: due.duration_since(now),
        }],
    }
}

/// The start (00:00 UTC) of the first Monday-to-Friday day after `date`.
fn next_business_day(date: Date) -> Result<Timestamp, jiff::Error> {
    let mut day = date.tomorrow()?;
    while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
        day = day.tomorrow()?;
    }
    Ok(day.to_zoned(TimeZone::UTC)?.timestamp())
}

/// What a permanent delivery failure said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undelivered {
    /// The address that failed.
    pub address: String,
    /// The delivery status (`5.1.1`), when given.
    pub status: Option<String>,
    /// What the receiving server said.
    pub diagnostic: Option<String>,
}

/// Our email to them bounced for good. An open negotiation goes to a person (the address must
/// be fixed); one a person holds or that is finished only tells the team.
pub fn bounced(
    n: &Negotiation,
    undelivered: &Undelivered,
    allowance: &Allowance,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Decision {
    let notice = Notification::Undeliverable {
        address: undelivered.address.clone(),
        status: undelivered.status.clone(),
        diagnostic: undelivered.diagnostic.clone(),
    };
    let what = format!(
        "our email to {} could not be delivered{}",
        undelivered.address,
        undelivered
            .status
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default()
    );
    if n.human_controlled || n.state.is_terminal() || n.state == S::Paused {
        return told(n, format!("{what}; the team is told"), notice);
    }
    let ctx = Ctx {
        allowance,
        policy,
        now,
    };
    let mut next = n.clone();
    next.last_activity = now;
    let rates = Rates::of(&next, &ctx).ok();
    let reason = format!("{what}; fix their address in the roster");
    let mut decision = escalate(next, &reason, Vec::new(), rates, &ctx);
    decision.effects = vec![Effect::Notify(notice)];
    decision
}

/// They asked not to be written to again. An open negotiation ends without a decline email;
/// an agreed deal goes back to a person (they may be backing out); otherwise the team is told.
pub fn opted_out(
    n: &Negotiation,
    address: &str,
    phrase: &str,
    allowance: &Allowance,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Decision {
    let notice = Notification::OptedOut {
        address: address.to_owned(),
        phrase: phrase.to_owned(),
    };
    let what = format!("{address} asked not to be written to (\u{201c}{phrase}\u{201d})");
    if n.human_controlled || !(n.state.can_take_reply() || n.state == S::Agreed) {
        return told(
            n,
            format!("{what}; nobody will write to them again, and the team is told"),
            notice,
        );
    }
    let mut next = n.clone();
    next.last_activity = now;
    if n.state == S::Agreed {
        let ctx = Ctx {
            allowance,
            policy,
            now,
        };
        if let Err(problem) = step(&mut next, E::Withdraw, now) {
            return escalate_on_error(n, &problem, &ctx);
        }
        next.agreed_rate = None;
        let reason = format!(
            "{what} after agreeing; the deal no longer counts toward the budget and a person decides"
        );
        let rates = Rates::of(&next, &ctx).ok();
        let mut decision = escalate(next, &reason, Vec::new(), rates, &ctx);
        decision.effects = vec![Effect::Notify(notice)];
        return decision;
    }
    if let Err(problem) = step(&mut next, E::Reject, now) {
        return Decision::ignored(n, problem);
    }
    Decision {
        negotiation: next,
        outcome: Outcome::Rejected,
        reason: format!("{what}; the negotiation ends with no decline email"),
        effects: vec![Effect::Notify(notice)],
    }
}

/// Nothing moves; the team hears `notice`.
fn told(n: &Negotiation, reason: String, notice: Notification) -> Decision {
    Decision {
        negotiation: n.clone(),
        outcome: Outcome::Held,
        reason,
        effects: vec![Effect::Notify(notice)],
    }
}
