//! Auto-replies, bounces and opt-outs.

use jiff::civil::date;

use super::*;
use crate::decide::{Undelivered, auto_reply, bounced, opted_out};

/// Opened at t(1): the silence check is due at t(73).
fn waiting() -> Negotiation {
    opened()
}

fn follow_up_after(decision: &Decision) -> Option<SignedDuration> {
    decision.effects.iter().find_map(|e| match e {
        Effect::ScheduleFollowUp { after } => Some(*after),
        _ => None,
    })
}

#[test]
fn an_out_of_office_with_a_date_holds_the_follow_up_until_the_next_business_day() {
    let n = waiting();
    let now = t(2);
    // t(0) is 2026-09-21 (a Monday) 14:13 UTC. Back on Friday 2026-10-02: the next business day
    // is Monday 2026-10-05.
    let decision = check(auto_reply(&n, Some(date(2026, 10, 2)), &policy(), now));
    assert_eq!(decision.outcome, Outcome::AutoReplied);
    assert_eq!(decision.negotiation.state(), S::AwaitingReply);
    assert!(decision.email().is_none());
    assert!(notifications(&decision).is_empty());
    let monday: Timestamp = "2026-10-05T00:00:00Z".parse().unwrap();
    assert_eq!(decision.negotiation.quiet_until(), Some(monday));
    assert_eq!(follow_up_after(&decision), Some(monday.duration_since(now)));

    // The silence check that was already queued for t(73) does nothing yet.
    let early = check_silence(&decision.negotiation, &allow(), &policy(), t(73));
    assert_eq!(early.outcome, Outcome::Ignored);
    // On the Monday, the follow-up goes out.
    let due = check_silence(&decision.negotiation, &allow(), &policy(), monday);
    assert_eq!(due.outcome, Outcome::FollowedUp);
}

#[test]
fn an_out_of_office_never_brings_the_follow_up_forward() {
    let n = waiting();
    // Back tomorrow: the usual 72 hours still apply.
    let decision = check(auto_reply(&n, Some(date(2026, 9, 22)), &policy(), t(2)));
    assert_eq!(follow_up_after(&decision), Some(t(73).duration_since(t(2))));
}

#[test]
fn an_out_of_office_without_a_date_holds_for_the_configured_time() {
    let n = waiting();
    let mut p = policy();
    p.auto_reply_hold = SignedDuration::from_hours(24 * 10);
    let decision = check(auto_reply(&n, None, &p, t(2)));
    assert_eq!(decision.negotiation.quiet_until(), Some(t(2 + 240)));
    assert_eq!(
        follow_up_after(&decision),
        Some(SignedDuration::from_hours(240))
    );
}

#[test]
fn an_auto_reply_while_nobody_waits_on_them_changes_nothing() {
    let escalated = check(decide(
        &waiting(),
        &reply(Intent::Question, None),
        &allow(),
        &policy(),
        t(3),
    ))
    .negotiation;
    let decision = auto_reply(&escalated, None, &policy(), t(4));
    assert_eq!(decision.outcome, Outcome::Ignored);
    assert_eq!(decision.negotiation, escalated);
}

#[test]
fn a_real_reply_ends_the_hold() {
    let held = auto_reply(&waiting(), None, &policy(), t(2)).negotiation;
    let decision = check(decide(
        &held,
        &reply(Intent::Counter, Some(1_400)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.negotiation.quiet_until(), None);
}

fn undelivered() -> Undelivered {
    Undelivered {
        address: "jane@creator.example".into(),
        status: Some("5.1.1".into()),
        diagnostic: Some("550 5.1.1 The email account does not exist".into()),
    }
}

#[test]
fn a_permanent_bounce_puts_an_open_negotiation_in_a_persons_hands() {
    let decision = check(bounced(
        &waiting(),
        &undelivered(),
        &allow(),
        &policy(),
        t(2),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert_eq!(decision.negotiation.state(), S::Escalated);
    assert!(decision.email().is_none());
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::Undeliverable { address, status: Some(status), .. }]
            if address == "jane@creator.example" && status == "5.1.1"
    ));
}

#[test]
fn a_bounce_on_a_finished_thread_only_tells_the_team() {
    let rejected = check(decide(
        &waiting(),
        &reply(Intent::Reject, None),
        &allow(),
        &policy(),
        t(3),
    ))
    .negotiation;
    let decision = bounced(&rejected, &undelivered(), &allow(), &policy(), t(4));
    assert_eq!(decision.outcome, Outcome::Held);
    assert_eq!(decision.negotiation, rejected);
    assert_eq!(notifications(&decision).len(), 1);
}

#[test]
fn an_opt_out_ends_an_open_negotiation_without_a_word_to_them() {
    let decision = check(opted_out(
        &waiting(),
        "jane@creator.example",
        "please remove me from your list",
        &allow(),
        &policy(),
        t(3),
    ));
    assert_eq!(decision.outcome, Outcome::Rejected);
    assert_eq!(decision.negotiation.state(), S::Rejected);
    assert!(decision.email().is_none());
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::OptedOut { phrase, .. }] if phrase == "please remove me from your list"
    ));
}

#[test]
fn an_opt_out_after_agreeing_goes_to_a_person_and_the_deal_stops_counting() {
    let agreed = check(decide(
        &waiting(),
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(3),
    ))
    .negotiation;
    assert_eq!(agreed.state(), S::Agreed);
    let decision = check(opted_out(
        &agreed,
        "jane@creator.example",
        "stop emailing me",
        &allow(),
        &policy(),
        t(4),
    ));
    assert_eq!(decision.negotiation.state(), S::Escalated);
    assert_eq!(decision.negotiation.agreed_rate(), None);
    assert!(decision.email().is_none());
}

#[test]
fn an_opt_out_on_a_held_thread_is_told_and_nothing_moves() {
    let mut held = waiting();
    held.human_controlled = true;
    let decision = opted_out(
        &held,
        "jane@creator.example",
        "unsubscribe",
        &allow(),
        &policy(),
        t(3),
    );
    assert_eq!(decision.outcome, Outcome::Held);
    assert_eq!(decision.negotiation, held);
    assert!(decision.email().is_none());
}
