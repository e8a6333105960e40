use jiff::{SignedDuration, Timestamp};
use rust_decimal::Decimal;

use super::*;
use crate::budget::{Allowance, Budget};
use crate::decision::{Effect, Notification, Outcome};
use crate::gate::{self, GatePolicy};
use crate::money::Cpm;
use crate::negotiation::NewNegotiation;
use crate::platform::{Deliverable, DeliverableType, Platform};
use crate::pricing::CpmBounds;
use crate::reply::{Confidence, Evidence};
use crate::template::{self, Sender};
use crate::tracker::{CampaignCpmTracker, Flexibility};

fn t(hours: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + hours * 3600).unwrap()
}

fn d(dollars: i64) -> Money {
    Money::from_dollars(dollars)
}

fn bounds() -> CpmBounds {
    // $25 target, 20% leniency: $25 floor, $30 ceiling.
    CpmBounds::from_target(Cpm::from_dollars(25), Decimal::from(20)).unwrap()
}

fn negotiation(views: u64, engagement: Option<Decimal>) -> Negotiation {
    Negotiation::new(
        NewNegotiation {
            influencer_name: "Jane Doe".into(),
            client_name: "Glow Skincare".into(),
            platform: Platform::Instagram,
            average_views: views,
            engagement_pct: engagement,
            deliverables: vec![
                Deliverable::new(Platform::Instagram, DeliverableType::InstagramReel, 1).unwrap(),
            ],
            bounds: bounds(),
        },
        t(0),
    )
    .unwrap()
}

/// A campaign with plenty of budget left, so only the CPM decides.
fn roomy() -> Budget {
    Budget {
        total: d(100_000),
        committed: Money::ZERO,
        max_deal: d(50_000),
    }
}

fn allowing(flexibility: Flexibility) -> Allowance {
    Allowance {
        flexibility,
        budget: roomy(),
    }
}

fn allow() -> Allowance {
    allowing(Flexibility::at_ceiling(bounds()))
}

/// The campaign's budget with `committed` agreed elsewhere.
fn budget_left(total: i64, committed: i64) -> Allowance {
    Allowance {
        budget: Budget {
            total: d(total),
            committed: d(committed),
            max_deal: d(50_000),
        },
        ..allow()
    }
}

fn policy() -> NegotiationPolicy {
    NegotiationPolicy::default()
}

fn reply(intent: Intent, rate: Option<i64>) -> ClassifiedReply {
    ClassifiedReply {
        intent,
        proposed_rate: rate.map(d),
        deliverables: Vec::new(),
        confidence: Confidence::from_percent(90),
        hostile: None,
        legal: None,
        unusual_deliverables: None,
        summary: "a reply".into(),
        text: "a reply".into(),
    }
}

/// Every email a decision sends must pass the gate when written by the template composer.
fn assert_emails_pass_the_gate(decision: &Decision) {
    if let Some(plan) = decision.email() {
        let text = template::render(plan, &Sender::default());
        if let Err(failure) = gate::check(&text, plan, &roomy(), &GatePolicy::default()) {
            panic!("{failure}\n---\n{text}");
        }
    }
}

/// The negotiation after the decision restores from its own snapshot.
fn assert_restorable(decision: &Decision) {
    let n = &decision.negotiation;
    assert_eq!(Negotiation::restore(n.snapshot()).as_ref(), Ok(n));
}

fn check(decision: Decision) -> Decision {
    assert_emails_pass_the_gate(&decision);
    assert_restorable(&decision);
    decision
}

/// 50,000 views, opened at $1,250 ($25 CPM); limit $1,500 ($30 CPM).
fn opened() -> Negotiation {
    check(open(&negotiation(50_000, None), &allow(), &policy(), t(1))).negotiation
}

fn notifications(decision: &Decision) -> Vec<&Notification> {
    decision
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

#[test]
fn the_opening_offer_is_priced_at_the_target_and_waits_for_a_reply() {
    let decision = check(open(&negotiation(50_000, None), &allow(), &policy(), t(1)));
    assert_eq!(decision.outcome, Outcome::Opened);
    let plan = decision.email().unwrap();
    assert_eq!(plan.kind, EmailKind::Opening);
    assert_eq!(plan.our_rate, Some(d(1_250)));
    assert_eq!(plan.ceiling_rate, d(1_500));
    assert_eq!(decision.negotiation.state(), S::AwaitingReply);
    assert_eq!(decision.negotiation.current_offer(), Some(d(1_250)));
    assert!(decision.effects.contains(&Effect::ScheduleFollowUp {
        after: SignedDuration::from_hours(72)
    }));
    // A second opening does nothing.
    assert_eq!(
        open(&decision.negotiation, &allow(), &policy(), t(2)).outcome,
        Outcome::Ignored
    );
}

#[test]
fn the_opening_offer_rounds_up_to_the_step_but_never_past_the_limit() {
    let mut p = policy();
    p.concession.round_up_to = Some(d(10));
    // 33,333 views at $25 is $833.33: rounded up to $840.
    let decision = check(open(&negotiation(33_333, None), &allow(), &p, t(1)));
    assert_eq!(decision.email().unwrap().our_rate, Some(d(840)));
    // With a $1,000 step the rounding would pass the $999.99 limit: capped there.
    p.concession.round_up_to = Some(d(1_000));
    let decision = check(open(&negotiation(33_333, None), &allow(), &p, t(1)));
    assert_eq!(
        decision.email().unwrap().our_rate,
        Some(Money::from_cents(99_999))
    );
}

#[test]
fn accepting_the_opening_offer_closes_at_that_offer() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Agreed);
    assert_eq!(decision.negotiation.state(), S::Agreed);
    assert_eq!(decision.negotiation.agreed_rate(), Some(d(1_250)));
    let plan = decision.email().unwrap();
    assert_eq!(plan.kind, EmailKind::Agreement);
    assert_eq!(plan.our_rate, Some(d(1_250)));
    assert!(decision.effects.contains(&Effect::RecordAgreement {
        rate: d(1_250),
        cpm: Cpm::from_dollars(25),
        engagement_pct: None,
    }));
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::Agreement { rate, warning: None, .. }] if *rate == d(1_250)
    ));
}

#[test]
fn a_counter_inside_the_range_gets_the_next_step_and_quotes_their_ask() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_450)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(decision.negotiation.state(), S::CounterSent);
    assert_eq!(decision.negotiation.round(), 1);
    let plan = decision.email().unwrap();
    // $1,250 → $1,500 in four steps: $1,312.50.
    assert_eq!(plan.our_rate, Some(Money::from_cents(131_250)));
    assert_eq!(plan.their_rate, Some(d(1_450)));
    assert_eq!(decision.negotiation.their_last_ask(), Some(d(1_450)));
}

#[test]
fn an_ask_the_next_step_would_reach_is_accepted_at_their_number() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_300)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Agreed);
    assert_eq!(decision.negotiation.agreed_rate(), Some(d(1_300)));
}

#[test]
fn an_ask_below_our_offer_is_accepted_at_their_lower_number() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_100)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Agreed);
    assert_eq!(decision.negotiation.agreed_rate(), Some(d(1_100)));
}

#[test]
fn an_accept_that_names_a_higher_rate_is_a_counter() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Accept, Some(1_450)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Countered);
}

#[test]
fn an_ask_above_the_limit_escalates_with_the_numbers() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(2_000)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert_eq!(decision.negotiation.state(), S::Escalated);
    assert!(decision.email().is_none());
    let [Notification::Escalation(facts)] = notifications(&decision)[..] else {
        panic!("expected one escalation: {:?}", decision.effects);
    };
    assert_eq!(facts.their_ask, Some(d(2_000)));
    assert_eq!(facts.their_cpm, Some(Cpm::from_dollars(40)));
    assert_eq!(facts.our_offer, Some(d(1_250)));
    assert_eq!(facts.target_rate, Some(d(1_250)));
    assert_eq!(facts.limit_rate, Some(d(1_500)));
    assert!(facts.reason.contains("above our limit"), "{}", facts.reason);
}

#[test]
fn a_highly_engaged_influencer_may_go_past_the_ceiling_when_the_campaign_has_room() {
    let n = check(open(
        &negotiation(50_000, Some(Decimal::from(6))),
        &allow(),
        &policy(),
        t(1),
    ))
    .negotiation;
    let tracker = CampaignCpmTracker::new(bounds(), 5);
    let engaged = allowing(tracker.limit_for(Some(Decimal::from(6))));
    // $30 ceiling + 15% = $34.50 CPM: $1,725 on 50k views.
    let decision = check(decide(
        &n,
        &reply(Intent::Counter, Some(1_700)),
        &engaged,
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(decision.email().unwrap().ceiling_rate, d(1_725));
}

#[test]
fn a_campaign_running_hot_tightens_the_limit() {
    let mut tracker = CampaignCpmTracker::new(bounds(), 2);
    tracker.record_agreement(Cpm::from_dollars(34)).unwrap();
    tracker.record_agreement(Cpm::from_dollars(34)).unwrap();
    let hot = allowing(tracker.limit_for(None));
    // $30 − $4 = $26 CPM: $1,300 on 50k views, so $1,450 is now over the limit.
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_450)),
        &hot,
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
}

#[test]
fn a_suspiciously_low_ask_goes_to_a_person_instead_of_being_agreed() {
    // $100 on 50k views is a $2 CPM.
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(100)),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert!(
        decision.reason.contains("read correctly"),
        "{}",
        decision.reason
    );
}

#[test]
fn triggers_escalate_before_anything_else_even_an_accept() {
    let mut r = reply(Intent::Accept, None);
    r.legal = Some(Evidence {
        quote: "our lawyer will send a contract".into(),
    });
    let decision = check(decide(&opened(), &r, &allow(), &policy(), t(5)));
    assert_eq!(decision.outcome, Outcome::Escalated);
    let [Notification::Escalation(facts)] = notifications(&decision)[..] else {
        panic!("expected an escalation");
    };
    assert_eq!(facts.triggers.len(), 1);
    assert!(facts.reason.contains("legal language"), "{}", facts.reason);
}

#[test]
fn low_confidence_questions_and_unclear_replies_go_to_a_person() {
    let mut unsure = reply(Intent::Counter, Some(1_300));
    unsure.confidence = Confidence::from_percent(40);
    for r in [
        unsure,
        reply(Intent::Question, None),
        reply(Intent::Unclear, None),
    ] {
        let decision = check(decide(&opened(), &r, &allow(), &policy(), t(5)));
        assert_eq!(decision.outcome, Outcome::Escalated, "{r:?}");
        assert!(decision.email().is_none());
    }
}

#[test]
fn a_rejection_ends_the_negotiation_and_tells_the_team() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Reject, None),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Rejected);
    assert_eq!(decision.negotiation.state(), S::Rejected);
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::Rejected { .. }]
    ));
}

#[test]
fn out_of_rounds_escalates() {
    let mut p = policy();
    p.concession.max_rounds = 1;
    let first = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_490)),
        &allow(),
        &p,
        t(5),
    ));
    assert_eq!(first.outcome, Outcome::Countered);
    let second = check(decide(
        &first.negotiation,
        &reply(Intent::Counter, Some(1_480)),
        &allow(),
        &p,
        t(9),
    ));
    assert_eq!(second.outcome, Outcome::Escalated);
    assert!(second.reason.contains("counters sent"), "{}", second.reason);
}

#[test]
fn pushback_without_a_rate_moves_one_step() {
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, None),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(
        decision.email().unwrap().our_rate,
        Some(Money::from_cents(131_250))
    );
    assert_eq!(decision.email().unwrap().their_rate, None);
}

#[test]
fn a_thread_a_person_holds_is_left_to_them_and_they_hear_of_replies() {
    let n = check(resolve(&opened(), HumanAction::TakeOver, &allow(), &policy(), t(2)).unwrap())
        .negotiation;
    assert!(n.human_controlled());
    let silence = check_silence(&n, &allow(), &policy(), t(500));
    assert_eq!(silence.outcome, Outcome::Ignored);
    assert!(silence.effects.is_empty());
    let replied = check(decide(
        &n,
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(5),
    ));
    assert_eq!(replied.outcome, Outcome::Held);
    assert_eq!(replied.negotiation.state(), n.state());
    assert!(replied.email().is_none());
    assert!(matches!(
        notifications(&replied)[..],
        [Notification::ReplyForTeam {
            held_by_person: true,
            ..
        }]
    ));
    let released = resolve(&n, HumanAction::Release, &allow(), &policy(), t(6)).unwrap();
    assert!(!released.negotiation.human_controlled());
    assert!(
        released.effects.contains(&Effect::ScheduleFollowUp {
            after: policy().stale_after
        }),
        "a released thread gets its silence checks again"
    );
    assert_eq!(
        decide(
            &released.negotiation,
            &reply(Intent::Accept, None),
            &allow(),
            &policy(),
            t(7)
        )
        .outcome,
        Outcome::Agreed
    );
}

#[test]
fn a_reply_while_escalated_is_passed_on_and_nothing_moves() {
    let escalated = decide(
        &opened(),
        &reply(Intent::Question, None),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    let decision = check(decide(
        &escalated,
        &reply(Intent::Counter, Some(1_400)),
        &allow(),
        &policy(),
        t(6),
    ));
    assert_eq!(decision.outcome, Outcome::Held);
    assert_eq!(decision.negotiation.state(), S::Escalated);
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::ReplyWhileEscalated { .. }]
    ));
}

#[test]
fn replies_on_finished_and_paused_threads_go_to_the_team() {
    let agreed = decide(
        &opened(),
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(5),
    );
    let paused = resolve(&opened(), HumanAction::Pause, &allow(), &policy(), t(5)).unwrap();
    let rejected = decide(
        &opened(),
        &reply(Intent::Reject, None),
        &allow(),
        &policy(),
        t(5),
    );
    for n in [agreed.negotiation, paused.negotiation, rejected.negotiation] {
        let decision = check(decide(
            &n,
            &reply(Intent::Question, None),
            &allow(),
            &policy(),
            t(6),
        ));
        assert_eq!(decision.outcome, Outcome::Held, "{}", n.state());
        assert_eq!(decision.negotiation.state(), n.state());
        assert_eq!(decision.negotiation.agreed_rate(), n.agreed_rate());
        assert!(decision.email().is_none());
        assert!(
            matches!(
                notifications(&decision)[..],
                [Notification::ReplyForTeam { state, held_by_person: false, .. }] if *state == n.state()
            ),
            "{:?}",
            decision.effects
        );
    }
}

#[test]
fn an_influencer_backing_out_of_an_agreed_deal_puts_it_in_a_persons_hands() {
    let agreed = decide(
        &opened(),
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    assert_eq!(agreed.agreed_rate(), Some(d(1_250)));
    let decision = check(decide(
        &agreed,
        &reply(Intent::Reject, None),
        &allow(),
        &policy(),
        t(30),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert_eq!(decision.negotiation.state(), S::Escalated);
    assert_eq!(
        decision.negotiation.agreed_rate(),
        None,
        "it no longer counts"
    );
    assert!(
        decision
            .reason
            .contains("withdrew from the deal agreed at $1,250.00")
    );
    // The person can close it again, or end it.
    let again = resolve(
        &decision.negotiation,
        HumanAction::Approve { rate: d(1_250) },
        &allow(),
        &policy(),
        t(31),
    )
    .unwrap();
    assert_eq!(again.negotiation.state(), S::Agreed);
}

#[test]
fn silence_gets_follow_ups_then_one_message_to_the_team() {
    let n = opened();
    let early = check_silence(&n, &allow(), &policy(), t(10));
    assert_eq!(early.outcome, Outcome::Ignored);
    // Opened at hour 1, stale after 72 hours: look again at hour 73.
    assert_eq!(
        early.effects,
        vec![Effect::ScheduleFollowUp {
            after: SignedDuration::from_hours(63)
        }]
    );

    let first = check(check_silence(&n, &allow(), &policy(), t(73)));
    assert_eq!(first.outcome, Outcome::FollowedUp);
    assert_eq!(first.negotiation.state(), S::Stale);
    let plan = first.email().unwrap();
    assert_eq!(
        (plan.kind, plan.our_rate),
        (EmailKind::FollowUp, Some(d(1_250)))
    );

    let too_soon = check_silence(&first.negotiation, &allow(), &policy(), t(100));
    assert_eq!(too_soon.outcome, Outcome::Ignored);
    let second = check(check_silence(
        &first.negotiation,
        &allow(),
        &policy(),
        t(145),
    ));
    assert_eq!(second.outcome, Outcome::FollowedUp);
    let reported = check(check_silence(
        &second.negotiation,
        &allow(),
        &policy(),
        t(217),
    ));
    assert_eq!(reported.outcome, Outcome::SilenceReported);
    assert!(matches!(
        notifications(&reported)[..],
        [Notification::SilenceLimit { follow_ups_sent: 2 }]
    ));
    let later = check_silence(&reported.negotiation, &allow(), &policy(), t(400));
    assert_eq!(later.outcome, Outcome::Ignored);

    // A late reply still lands and resets the count.
    let revived = check(decide(
        &reported.negotiation,
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(401),
    ));
    assert_eq!(revived.outcome, Outcome::Agreed);
}

#[test]
fn a_person_can_approve_their_ask_above_the_limit() {
    let escalated = decide(
        &opened(),
        &reply(Intent::Counter, Some(2_000)),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    let decision = check(
        resolve(
            &escalated,
            HumanAction::Approve { rate: d(2_000) },
            &allow(),
            &policy(),
            t(6),
        )
        .unwrap(),
    );
    assert_eq!(decision.outcome, Outcome::Agreed);
    assert_eq!(decision.negotiation.agreed_rate(), Some(d(2_000)));
    let plan = decision.email().unwrap();
    assert_eq!(plan.ceiling_rate, d(2_000));
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::Agreement {
            warning: Some(_),
            ..
        }]
    ));
}

#[test]
fn a_person_can_counter_at_a_rate_and_the_agent_carries_on_from_there() {
    let escalated = decide(
        &opened(),
        &reply(Intent::Counter, Some(2_000)),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    let decision = check(
        resolve(
            &escalated,
            HumanAction::CounterAt { rate: d(1_600) },
            &allow(),
            &policy(),
            t(6),
        )
        .unwrap(),
    );
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(decision.email().unwrap().our_rate, Some(d(1_600)));
    assert_eq!(decision.negotiation.human_limit(), Some(d(1_600)));
    // Their answer at our number is accepted by the agent on its own.
    let done = check(decide(
        &decision.negotiation,
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(9),
    ));
    assert_eq!(done.negotiation.agreed_rate(), Some(d(1_600)));
}

#[test]
fn a_person_can_reject_and_the_influencer_gets_a_polite_decline() {
    let escalated = decide(
        &opened(),
        &reply(Intent::Counter, Some(5_000)),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    let decision =
        check(resolve(&escalated, HumanAction::Reject, &allow(), &policy(), t(6)).unwrap());
    assert_eq!(decision.negotiation.state(), S::Rejected);
    assert_eq!(decision.email().unwrap().kind, EmailKind::Decline);
}

#[test]
fn handing_back_lets_the_agent_answer_the_last_ask() {
    let mut hostile = reply(Intent::Counter, Some(1_450));
    hostile.hostile = Some(Evidence {
        quote: "this is insulting".into(),
    });
    let escalated = decide(&opened(), &hostile, &allow(), &policy(), t(5)).negotiation;
    assert_eq!(escalated.state(), S::Escalated);
    let decision =
        check(resolve(&escalated, HumanAction::HandBack, &allow(), &policy(), t(6)).unwrap());
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(decision.email().unwrap().their_rate, Some(d(1_450)));
}

#[test]
fn refused_human_actions_say_why() {
    let agreed = decide(
        &opened(),
        &reply(Intent::Accept, None),
        &allow(),
        &policy(),
        t(5),
    );
    let error = resolve(
        &agreed.negotiation,
        HumanAction::Pause,
        &allow(),
        &policy(),
        t(6),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("finished"), "{error}");
    let error = resolve(&opened(), HumanAction::HandBack, &allow(), &policy(), t(6))
        .unwrap_err()
        .to_string();
    assert!(error.contains("escalated"), "{error}");
}

#[test]
fn stale_threads_take_replies() {
    let stale = check_silence(&opened(), &allow(), &policy(), t(80)).negotiation;
    assert_eq!(stale.state(), S::Stale);
    let decision = check(decide(
        &stale,
        &reply(Intent::Counter, Some(1_450)),
        &allow(),
        &policy(),
        t(81),
    ));
    assert_eq!(decision.outcome, Outcome::Countered);
    assert_eq!(decision.negotiation.follow_ups_sent(), 0);
}

#[test]
fn an_acceptance_past_the_budget_escalates_with_the_numbers() {
    // Our $1,250 opening is accepted, but only $1,000 of the $10,000 budget is left.
    let decision = check(decide(
        &opened(),
        &reply(Intent::Accept, None),
        &budget_left(10_000, 9_000),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert_eq!(decision.negotiation.agreed_rate(), None);
    assert!(decision.email().is_none());
    let [Notification::Escalation(facts)] = notifications(&decision)[..] else {
        panic!("{:?}", decision.effects);
    };
    let budget = facts.budget.unwrap();
    assert_eq!(
        (budget.budget, budget.agreed_so_far, budget.left),
        (d(10_000), d(9_000), d(1_000))
    );
    assert!(
        facts
            .reason
            .contains("past its $10,000.00 budget ($9,000.00 agreed so far, $1,000.00 left)"),
        "{}",
        facts.reason
    );
}

#[test]
fn counters_never_go_past_what_the_budget_leaves() {
    // The CPM limit is $1,500 but only $1,300 is left: pushback moves toward $1,300 at most.
    let mut n = opened();
    for hour in 5..9 {
        let decision = check(decide(
            &n,
            &reply(Intent::Counter, None),
            &budget_left(10_000, 8_700),
            &policy(),
            t(hour),
        ));
        let Some(plan) = decision.email() else {
            assert_eq!(decision.outcome, Outcome::Escalated);
            break;
        };
        assert!(plan.our_rate.unwrap() <= d(1_300), "{plan:?}");
        assert!(plan.ceiling_rate <= d(1_300));
        n = decision.negotiation;
    }
    // An ask that fits the CPM limit but not the budget goes to a person.
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(1_400)),
        &budget_left(10_000, 9_000),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert!(
        decision.reason.contains("their ask of $1,400.00"),
        "{}",
        decision.reason
    );
    // A lower ask that fits is agreed even when our offer on the table no longer would.
    let decision = check(decide(
        &opened(),
        &reply(Intent::Counter, Some(900)),
        &budget_left(10_000, 9_000),
        &policy(),
        t(5),
    ));
    assert_eq!(decision.outcome, Outcome::Agreed);
    assert_eq!(decision.negotiation.agreed_rate(), Some(d(900)));
}

#[test]
fn an_opening_the_budget_cannot_take_is_held_and_the_team_told() {
    let decision = check(open(
        &negotiation(50_000, None),
        &budget_left(10_000, 9_000),
        &policy(),
        t(1),
    ));
    assert_eq!(decision.outcome, Outcome::Held);
    assert_eq!(decision.negotiation.state(), S::InitialOffer);
    assert!(decision.email().is_none());
    assert!(matches!(
        notifications(&decision)[..],
        [Notification::OpeningHeld { opening, .. }] if *opening == d(1_250)
    ));
    // Absurd views cannot produce an absurd offer: the limit for any one deal holds.
    let decision = open(
        &negotiation(10_000_000_000_000, None),
        &allow(),
        &policy(),
        t(1),
    );
    assert_eq!(decision.outcome, Outcome::Held);
    assert!(decision.email().is_none());
}

#[test]
fn a_person_cannot_approve_past_the_budget_without_raising_it() {
    let escalated = decide(
        &opened(),
        &reply(Intent::Counter, Some(3_000)),
        &allow(),
        &policy(),
        t(5),
    )
    .negotiation;
    let refused = resolve(
        &escalated,
        HumanAction::Approve { rate: d(3_000) },
        &budget_left(10_000, 8_000),
        &policy(),
        t(6),
    )
    .unwrap_err();
    let ActionRefused::OverBudget { raise_to, .. } = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(*raise_to, Some(d(11_000)));
    assert!(
        refused
            .to_string()
            .contains("raise the campaign's budget to at least $11,000.00")
    );
    let refused = resolve(
        &escalated,
        HumanAction::CounterAt { rate: d(2_500) },
        &budget_left(10_000, 8_000),
        &policy(),
        t(6),
    )
    .unwrap_err();
    assert!(matches!(refused, ActionRefused::OverBudget { .. }));
    // With the budget raised (as the workflow does when the person confirms), it goes through.
    let approved = check(
        resolve(
            &escalated,
            HumanAction::Approve { rate: d(3_000) },
            &budget_left(11_000, 8_000),
            &policy(),
            t(6),
        )
        .unwrap(),
    );
    assert_eq!(approved.negotiation.agreed_rate(), Some(d(3_000)));
    // No budget raise gets past the limit for any one deal.
    let refused = resolve(
        &escalated,
        HumanAction::Approve { rate: d(60_000) },
        &allow(),
        &policy(),
        t(6),
    )
    .unwrap_err();
    assert!(matches!(
        refused,
        ActionRefused::OverBudget { raise_to: None, .. }
    ));
}

#[test]
fn a_follow_up_never_restates_an_offer_the_budget_no_longer_allows() {
    let decision = check(check_silence(
        &opened(),
        &budget_left(10_000, 9_000),
        &policy(),
        t(80),
    ));
    assert_eq!(decision.outcome, Outcome::Escalated);
    assert!(decision.email().is_none());
}

mod not_a_reply;
