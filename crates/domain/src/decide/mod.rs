//! `decide`: one step of a negotiation (opening, a reply, silence) as a `Decision` of data.
//!
//! Every function here is total: whatever the negotiation's state and whatever the reader made
//! of a reply, the answer is a decision, and anything the agent cannot settle on its own
//! becomes an escalation to a person rather than an error.

use jiff::Timestamp;

use crate::budget::{Allowance, Budget};
use crate::concession::{ConcessionOutcome, ConcessionSchedule};
use crate::decision::{Decision, Effect, EscalationFacts, Notification, Outcome};
use crate::email::{EmailKind, EmailPlan};
use crate::money::Money;
use crate::negotiation::{Negotiation, Offer};
use crate::policy::NegotiationPolicy;
use crate::pricing::{Boundary, assess_proposed_rate, implied_cpm, rate_for};
use crate::reply::{ClassifiedReply, Intent};
use crate::state::{NegotiationEvent as E, NegotiationState as S};
use crate::triggers::{self, FiredTrigger};

/// What every step needs besides the negotiation: what the campaign allows, the policy and
/// the time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx<'a> {
    pub allowance: &'a Allowance,
    pub policy: &'a NegotiationPolicy,
    pub now: Timestamp,
}

impl Ctx<'_> {
    fn budget(&self) -> &Budget {
        &self.allowance.budget
    }
}

/// The rates that bound one influencer's negotiation right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    /// The rate at the campaign's CPM target (its floor).
    pub target: Money,
    /// The most the agent may agree to by CPM: the tracker's limit, raised by a person's
    /// approval, and never below an offer already made.
    pub limit: Money,
    /// Our first offer (made or to be made).
    pub opening: Money,
    /// Our latest offer (the opening before anything went out).
    pub current: Money,
    /// The most the budget lets this deal be.
    pub room: Money,
}

impl Rates {
    pub(crate) fn of(n: &Negotiation, ctx: &Ctx<'_>) -> Result<Rates, String> {
        let views = n.average_views;
        let target = rate_for(views, n.bounds.floor).map_err(|e| e.to_string())?;
        let tracker_limit = rate_for(views, ctx.allowance.flexibility.max_allowed_cpm)
            .map_err(|e| e.to_string())?;
        let limit = [Some(tracker_limit), n.human_limit, n.current_offer()]
            .into_iter()
            .flatten()
            .fold(target, Money::max);
        let opening = n
            .offers
            .first()
            .map_or_else(|| ctx.policy.concession.rounded(target, limit), |o| o.rate);
        Ok(Rates {
            target,
            limit,
            opening,
            current: n.current_offer().unwrap_or(opening),
            room: ctx.budget().room(),
        })
    }

    /// The most the schedule may offer or accept: the limit, never past what the budget leaves.
    fn ceiling(&self) -> Money {
        self.limit.min(self.room)
    }

    fn schedule(&self, policy: &NegotiationPolicy) -> Result<ConcessionSchedule, String> {
        ConcessionSchedule::new(self.opening, self.ceiling(), policy.concession)
            .map_err(|e| e.to_string())
    }
}

/// The rates that bound `n` now (its target, limit, opening, current offer and the money the
/// budget leaves), when it can be priced.
pub fn rates(n: &Negotiation, allowance: &Allowance, policy: &NegotiationPolicy) -> Option<Rates> {
    let ctx = Ctx {
        allowance,
        policy,
        now: n.last_activity,
    };
    Rates::of(n, &ctx).ok()
}

/// The email plan for `n`, naming only its own deliverables.
pub(crate) fn plan(
    n: &Negotiation,
    kind: EmailKind,
    our_rate: Option<Money>,
    their_rate: Option<Money>,
    ceiling_rate: Money,
) -> EmailPlan {
    EmailPlan {
        kind,
        influencer_name: n.influencer_name.clone(),
        client_name: n.client_name.clone(),
        platform: n.platform,
        deliverables: n.deliverables.clone(),
        our_rate,
        their_rate: their_rate.filter(|r| *r <= ceiling_rate),
        ceiling_rate,
    }
}

/// Applies an event the caller has already checked; a refusal here is a bug in this module, so
/// it becomes an escalation instead of a panic.
fn step(next: &mut Negotiation, event: E, now: Timestamp) -> Result<(), String> {
    next.apply(event, now).map_err(|e| e.to_string())
}

/// The opening offer: priced at the campaign's CPM target (rounded up to the policy's step,
/// never past the limit), sent as a new thread. An opening the budget cannot take is held,
/// and the team is told.
pub fn open(
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
            "a person has taken this thread over; the agent leaves it to them",
        );
    }
    if n.state != S::InitialOffer || !n.offers.is_empty() {
        return Decision::ignored(n, "the opening offer has already been made");
    }
    let rates = match Rates::of(n, &ctx) {
        Ok(rates) => rates,
        Err(problem) => return escalate_on_error(n, &problem, &ctx),
    };
    if !ctx.budget().allows(rates.opening) {
        let reason = format!(
            "{}; the offer is not sent until a person raises the budget",
            ctx.budget().refusal("the opening offer", rates.opening)
        );
        return Decision {
            negotiation: n.clone(),
            outcome: Outcome::Held,
            effects: vec![Effect::Notify(Notification::OpeningHeld {
                opening: rates.opening,
                reason: reason.clone(),
                budget: ctx.budget().facts(Some(rates.opening)),
            })],
            reason,
        };
    }
    let mut next = n.clone();
    if let Err(problem) = step(&mut next, E::SendOffer, now) {
        return escalate_on_error(n, &problem, &ctx);
    }
    next.offers.push(Offer {
        round: 0,
        rate: rates.opening,
        at: now,
    });
    next.limit_rate = Some(rates.limit);
    next.last_activity = now;
    let email = plan(
        &next,
        EmailKind::Opening,
        Some(rates.opening),
        None,
        rates.ceiling(),
    );
    Decision {
        reason: format!(
            "opening offer of {} at the {} CPM target",
            rates.opening, n.bounds.floor
        ),
        negotiation: next,
        outcome: Outcome::Opened,
        effects: vec![
            Effect::SendEmail(email),
            Effect::ScheduleFollowUp {
                after: policy.stale_after,
            },
        ],
    }
}

/// Answers one classified reply from the influencer.
///
/// In order: a reply on a thread a person holds, or on one that is paused or finished, goes to
/// the team (and an influencer backing out of an agreed deal puts it back in a person's hands);
/// a reply to an escalated thread is passed on to the team; any trigger that fires escalates;
/// then the intent decides: a rejection ends the negotiation, a question or an unclear reply
/// goes to a person, and an acceptance or a counter goes through the concession schedule
/// against this influencer's limit (which the campaign's CPM tracker sets) and the money the
/// budget leaves.
pub fn decide(
    n: &Negotiation,
    reply: &ClassifiedReply,
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
        return reply_for_team(n, reply, "a person holds this thread");
    }
    match n.state {
        S::Escalated => {
            let mut next = n.clone();
            next.last_activity = now;
            if let Some(ask) = reply.proposed_rate {
                next.their_last_ask = Some(ask);
            }
            return Decision {
                negotiation: next,
                outcome: Outcome::Held,
                reason: "the influencer wrote again while the thread waits for a person".to_owned(),
                effects: vec![Effect::Notify(Notification::ReplyWhileEscalated {
                    summary: reply.summary.clone(),
                })],
            };
        }
        S::Agreed if reply.intent == Intent::Reject => return withdraw(n, reply, &ctx),
        S::InitialOffer => {
            return Decision::ignored(n, "no offer has gone out yet; the reply is only recorded");
        }
        state if !state.can_take_reply() => {
            let why = format!("the negotiation is {state}");
            return reply_for_team(n, reply, &why);
        }
        _ => {}
    }

    let mut next = n.clone();
    if let Err(problem) = step(&mut next, E::ReceiveReply, now) {
        return escalate_on_error(n, &problem, &ctx);
    }
    next.last_activity = now;
    next.follow_ups_sent = 0;
    next.silence_reported = false;
    next.quiet_until = None;
    if let Some(ask) = reply.proposed_rate {
        next.their_last_ask = Some(ask);
    }
    let rates = match Rates::of(&next, &ctx) {
        Ok(rates) => rates,
        Err(problem) => return escalate(next, &problem, Vec::new(), None, &ctx),
    };
    next.limit_rate = Some(rates.limit);

    let their_cpm = reply
        .proposed_rate
        .and_then(|ask| implied_cpm(ask, n.average_views).ok());
    let fired = triggers::evaluate(reply, their_cpm, &policy.triggers);
    if !fired.is_empty() {
        let reason = fired
            .iter()
            .map(|f| f.reason.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        return escalate(next, &reason, fired, Some(rates), &ctx);
    }

    match reply.intent {
        Intent::Reject => reject(next, reply, now),
        Intent::Question => {
            let reason = format!(
                "they asked a question a person should answer: {}",
                summary_or_text(reply)
            );
            escalate(next, &reason, Vec::new(), Some(rates), &ctx)
        }
        Intent::Unclear => {
            let reason = format!(
                "the reply is unclear ({}% sure): {}",
                reply.confidence.percent(),
                summary_or_text(reply)
            );
            escalate(next, &reason, Vec::new(), Some(rates), &ctx)
        }
        Intent::Accept | Intent::Counter => match reply.proposed_rate {
            Some(ask) => answer_ask(next, ask, rates, &ctx),
            None if reply.intent == Intent::Accept && rates.current > rates.room => {
                // They accepted our offer: that is what a person would be approving.
                next.their_last_ask = Some(rates.current);
                over_budget(next, "accepting our offer", rates.current, rates, &ctx)
            }
            None if reply.intent == Intent::Accept => {
                let reason = format!("they accepted our offer of {}", rates.current);
                agree(
                    next,
                    rates.current,
                    E::Accept,
                    &reason,
                    rates.ceiling(),
                    &ctx,
                )
            }
            None => counter_without_ask(next, rates, &ctx),
        },
    }
}

fn summary_or_text(reply: &ClassifiedReply) -> String {
    let text = if reply.summary.trim().is_empty() {
        reply.text.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        reply.summary.trim().to_owned()
    };
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(199).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A reply the agent does not act on (a person holds the thread, or it is paused or finished):
/// nothing moves, and the team is told what it says.
fn reply_for_team(n: &Negotiation, reply: &ClassifiedReply, why: &str) -> Decision {
    Decision {
        negotiation: n.clone(),
        outcome: Outcome::Held,
        reason: format!("{why}; the agent does not answer, and the team is told what they wrote"),
        effects: vec![Effect::Notify(Notification::ReplyForTeam {
            state: n.state,
            held_by_person: n.human_controlled,
            intent: reply.intent,
            summary: summary_or_text(reply),
        })],
    }
}

/// The influencer backs out of an agreed deal: it stops counting toward the campaign's CPM and
/// budget, and a person decides what happens next.
fn withdraw(n: &Negotiation, reply: &ClassifiedReply, ctx: &Ctx<'_>) -> Decision {
    let mut next = n.clone();
    if let Err(problem) = step(&mut next, E::Withdraw, ctx.now) {
        return escalate_on_error(n, &problem, ctx);
    }
    let agreed = next.agreed_rate.take();
    next.last_activity = ctx.now;
    let reason = match agreed {
        Some(rate) => format!(
            "they withdrew from the deal agreed at {rate}: {}; it no longer counts toward the              campaign's budget",
            summary_or_text(reply)
        ),
        None => format!("they withdrew from the deal: {}", summary_or_text(reply)),
    };
    let rates = Rates::of(&next, ctx).ok();
    escalate(next, &reason, Vec::new(), rates, ctx)
}

/// An escalation because `rate` does not fit the budget.
fn over_budget(
    next: Negotiation,
    what: &str,
    rate: Money,
    rates: Rates,
    ctx: &Ctx<'_>,
) -> Decision {
    let reason = ctx.budget().refusal(what, rate);
    escalate(next, &reason, Vec::new(), Some(rates), ctx)
}

/// Their named rate against our schedule: accept it, counter below it, or escalate.
pub(crate) fn answer_ask(next: Negotiation, ask: Money, rates: Rates, ctx: &Ctx<'_>) -> Decision {
    let policy = ctx.policy;
    let assessment = match assess_proposed_rate(
        ask,
        next.average_views,
        next.bounds,
        policy.suspicious_below,
    ) {
        Ok(assessment) => assessment,
        Err(problem) => {
            let reason = format!("their ask of {ask} cannot be priced: {problem}");
            return escalate(next, &reason, Vec::new(), Some(rates), ctx);
        }
    };
    if assessment.boundary == Boundary::SuspiciouslyLow {
        let reason = format!(
            "their ask of {ask} implies only a {} CPM, below {}: a person should check it was \
             read correctly before we agree to it",
            assessment.cpm, policy.suspicious_below
        );
        return escalate(next, &reason, Vec::new(), Some(rates), ctx);
    }
    if rates.current > rates.room {
        // Deals agreed since our offer left less than it; only a lower ask that fits can close.
        if ask <= rates.room {
            let reason = format!(
                "their ask of {ask} is below our offer of {} and fits what the budget leaves",
                rates.current
            );
            return agree(next, ask, E::Accept, &reason, rates.room, ctx);
        }
        return over_budget(next, "their ask", ask, rates, ctx);
    }
    if ask > rates.room && ask <= rates.limit {
        return over_budget(next, "their ask", ask, rates, ctx);
    }
    let schedule = match rates.schedule(policy) {
        Ok(schedule) => schedule,
        Err(problem) => return escalate(next, &problem, Vec::new(), Some(rates), ctx),
    };
    match schedule.respond(next.round, rates.current, ask) {
        ConcessionOutcome::Accept { rate, reason } => {
            agree(next, rate, E::Accept, &reason, rates.ceiling(), ctx)
        }
        ConcessionOutcome::Counter {
            rate,
            round,
            reason,
        } => counter(
            next,
            Countered {
                rate,
                round,
                their_ask: Some(ask),
                ceiling: rates.ceiling(),
            },
            &reason,
            ctx,
        ),
        ConcessionOutcome::Escalate { reason } => {
            escalate(next, &reason, Vec::new(), Some(rates), ctx)
        }
    }
}

/// They pushed back without naming a rate: the next step of the schedule, or a person.
pub(crate) fn counter_without_ask(next: Negotiation, rates: Rates, ctx: &Ctx<'_>) -> Decision {
    if rates.current > rates.room {
        return over_budget(next, "our offer on the table", rates.current, rates, ctx);
    }
    let schedule = match rates.schedule(ctx.policy) {
        Ok(schedule) => schedule,
        Err(problem) => return escalate(next, &problem, Vec::new(), Some(rates), ctx),
    };
    match schedule.next_counter(next.round, rates.current) {
        ConcessionOutcome::Counter {
            rate,
            round,
            reason,
        } => counter(
            next,
            Countered {
                rate,
                round,
                their_ask: None,
                ceiling: rates.ceiling(),
            },
            &reason,
            ctx,
        ),
        ConcessionOutcome::Accept { reason, .. } | ConcessionOutcome::Escalate { reason } => {
            escalate(next, &reason, Vec::new(), Some(rates), ctx)
        }
    }
}

/// A counter about to be made: our rate, its round, their ask to quote, and the email's ceiling.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Countered {
    pub rate: Money,
    pub round: u32,
    pub their_ask: Option<Money>,
    pub ceiling: Money,
}

pub(crate) fn counter(
    mut next: Negotiation,
    countered: Countered,
    reason: &str,
    ctx: &Ctx<'_>,
) -> Decision {
    let Countered {
        rate,
        round,
        their_ask,
        ceiling,
    } = countered;
    if !ctx.budget().allows(rate) {
        let reason = ctx.budget().refusal("a counter", rate);
        let rates = Rates::of(&next, ctx).ok();
        return escalate(next, &reason, Vec::new(), rates, ctx);
    }
    if let Err(problem) = step(&mut next, E::SendCounter, ctx.now) {
        return escalate_on_error(&next, &problem, ctx);
    }
    next.round = round;
    next.offers.push(Offer {
        round,
        rate,
        at: ctx.now,
    });
    let email = plan(&next, EmailKind::Counter, Some(rate), their_ask, ceiling);
    Decision {
        negotiation: next,
        outcome: Outcome::Countered,
        reason: reason.to_owned(),
        effects: vec![
            Effect::SendEmail(email),
            Effect::ScheduleFollowUp {
                after: ctx.policy.stale_after,
            },
        ],
    }
}

/// Closes the deal at `rate` (by `event`: the influencer's accept or a person's approval),
/// unless the budget cannot take it.
pub(crate) fn agree(
    mut next: Negotiation,
    rate: Money,
    event: E,
    reason: &str,
    ceiling: Money,
    ctx: &Ctx<'_>,
) -> Decision {
    if !ctx.budget().allows(rate) {
        let reason = ctx.budget().refusal("a deal", rate);
        let rates = Rates::of(&next, ctx).ok();
        return escalate(next, &reason, Vec::new(), rates, ctx);
    }
    if let Err(problem) = step(&mut next, event, ctx.now) {
        return escalate_on_error(&next, &problem, ctx);
    }
    next.agreed_rate = Some(rate);
    let cpm = match implied_cpm(rate, next.average_views) {
        Ok(cpm) => cpm,
        // Views are validated positive and the rate is positive, so this cannot happen; a
        // zero CPM would still be refused by the tracker rather than recorded.
        Err(_) => crate::money::Cpm::from_cents(0),
    };
    let warning = (cpm > next.bounds.ceiling).then(|| {
        format!(
            "{cpm} CPM is above the campaign ceiling of {} (approved or within this influencer's \
             engagement and budget allowance)",
            next.bounds.ceiling
        )
    });
    let email = plan(
        &next,
        EmailKind::Agreement,
        Some(rate),
        None,
        ceiling.max(rate),
    );
    let engagement_pct = next.engagement_pct;
    Decision {
        negotiation: next,
        outcome: Outcome::Agreed,
        reason: reason.to_owned(),
        effects: vec![
            Effect::SendEmail(email),
            Effect::Notify(Notification::Agreement { rate, cpm, warning }),
            Effect::RecordAgreement {
                rate,
                cpm,
                engagement_pct,
            },
        ],
    }
}

fn reject(mut next: Negotiation, reply: &ClassifiedReply, now: Timestamp) -> Decision {
    if let Err(problem) = step(&mut next, E::Reject, now) {
        return Decision::ignored(&next, problem);
    }
    let reason = format!("they declined: {}", summary_or_text(reply));
    Decision {
        negotiation: next,
        outcome: Outcome::Rejected,
        effects: vec![Effect::Notify(Notification::Rejected {
            reason: reason.clone(),
        })],
        reason,
    }
}

/// Hands the thread to a person with every number they need.
pub(crate) fn escalate(
    mut next: Negotiation,
    reason: &str,
    triggers: Vec<FiredTrigger>,
    rates: Option<Rates>,
    ctx: &Ctx<'_>,
) -> Decision {
    if next.state != S::Escalated
        && let Err(problem) = step(&mut next, E::Escalate, ctx.now)
    {
        // Only reachable from a paused or finished negotiation, which callers filter out.
        return Decision::ignored(
            &next,
            format!("{reason} (and it could not be escalated: {problem})"),
        );
    }
    let their_ask = next.their_last_ask;
    let facts = EscalationFacts {
        reason: reason.to_owned(),
        triggers,
        their_ask,
        their_cpm: their_ask.and_then(|ask| implied_cpm(ask, next.average_views).ok()),
        our_offer: next.current_offer(),
        target_rate: rates.map(|r| r.target),
        limit_rate: rates.map(|r| r.limit),
        limit_reason: ctx.allowance.flexibility.reason.clone(),
        budget: Some(ctx.budget().facts(their_ask.or(next.current_offer()))),
    };
    Decision {
        negotiation: next,
        outcome: Outcome::Escalated,
        reason: reason.to_owned(),
        effects: vec![Effect::Notify(Notification::Escalation(facts))],
    }
}

/// Hands a negotiation to a person for a reason outside the influencer's reply: an email that
/// failed the validation gate, a draft a reviewer threw away. `their_ask` is a rate they named
/// in the reply being answered, if any, so the person sees it.
pub fn refer(
    n: &Negotiation,
    their_ask: Option<Money>,
    reason: &str,
    allowance: &Allowance,
    policy: &NegotiationPolicy,
    now: Timestamp,
) -> Decision {
    let ctx = Ctx {
        allowance,
        policy,
        now,
    };
    let mut next = n.clone();
    next.last_activity = now;
    if let Some(ask) = their_ask {
        next.their_last_ask = Some(ask);
    }
    let rates = Rates::of(&next, &ctx).ok();
    escalate(next, reason, Vec::new(), rates, &ctx)
}

fn escalate_on_error(n: &Negotiation, problem: &str, ctx: &Ctx<'_>) -> Decision {
    let reason = format!("the agent could not work out its next step: {problem}");
    escalate(n.clone(), &reason, Vec::new(), None, ctx)
}

mod not_a_reply;
mod resolve;
mod silence;

pub use not_a_reply::{Undelivered, auto_reply, bounced, opted_out};
pub use resolve::{ActionRefused, HumanAction, resolve};
pub use silence::check_silence;

#[cfg(test)]
mod tests;
