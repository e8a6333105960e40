//! Properties of `decide` and its siblings over random negotiations and random sequences of
//! replies, silences and people's actions: every email a decision sends passes the gate, no
//! counter exceeds the limit or their ask, no agreement exceeds their ask unless a person
//! approved it, and every negotiation restores from its own snapshot.

use jiff::{SignedDuration, Timestamp};
use negotiator_domain::{
    Allowance, Budget, ClassifiedReply, Confidence, CpmBounds, Decision, Deliverable,
    DeliverableType, EmailKind, Evidence, Flexibility, GatePolicy, HumanAction, Intent, Money,
    Negotiation, NegotiationPolicy, NewNegotiation, Outcome, Platform, Sender, check_silence,
    decide, gate, open, resolve, template,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
enum Step {
    Reply {
        intent: Intent,
        /// Their ask as a share (percent) of our current offer.
        ask_pct: Option<u32>,
        confidence: u8,
        hostile: bool,
    },
    Silence {
        hours: i64,
    },
    Person(HumanAction),
}

fn intent() -> impl Strategy<Value = Intent> {
    prop_oneof![
        Just(Intent::Accept),
        Just(Intent::Counter),
        Just(Intent::Reject),
        Just(Intent::Question),
        Just(Intent::Unclear),
    ]
}

fn person() -> impl Strategy<Value = HumanAction> {
    prop_oneof![
        (1_i64..500_000).prop_map(|c| HumanAction::Approve {
            rate: Money::from_cents(c)
        }),
        (1_i64..500_000).prop_map(|c| HumanAction::CounterAt {
            rate: Money::from_cents(c)
        }),
        Just(HumanAction::Reject),
        Just(HumanAction::HandBack),
        Just(HumanAction::TakeOver),
        Just(HumanAction::Release),
        Just(HumanAction::Pause),
        Just(HumanAction::Resume),
        Just(HumanAction::Stop),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (intent(), proptest::option::of(10_u32..300), 0_u8..=100, proptest::bool::weighted(0.1))
            .prop_map(|(intent, ask_pct, confidence, hostile)| Step::Reply { intent, ask_pct, confidence, hostile }),
        2 => (1_i64..200).prop_map(|hours| Step::Silence { hours }),
        1 => person().prop_map(Step::Person),
    ]
}

/// A budget that never binds, so these properties are about the CPM alone (the budget's own
/// properties are in `budget.rs`).
fn roomy() -> Budget {
    Budget {
        total: Money::from_dollars(1_000_000_000),
        committed: Money::ZERO,
        max_deal: Money::from_dollars(1_000_000_000),
    }
}

fn negotiation() -> impl Strategy<Value = (Negotiation, Allowance)> {
    (
        1_000_u64..5_000_000,
        500_i64..10_000,
        0_i64..100,
        proptest::option::of(0_i64..120),
        prop_oneof![
            Just(Platform::Instagram),
            Just(Platform::Tiktok),
            Just(Platform::Youtube)
        ],
        proptest::collection::vec((0_usize..3, 1_u32..4), 1..3),
        0_i64..20,
    )
        .prop_map(
            |(views, target, leniency, engagement, platform, items, tighten)| {
                let bounds = CpmBounds::from_target(
                    negotiator_domain::Cpm::from_cents(target),
                    Decimal::from(leniency),
                )
                .unwrap();
                let kinds = platform.deliverable_types();
                let mut deliverables: Vec<Deliverable> = Vec::new();
                for (i, quantity) in items {
                    let kind: DeliverableType = kinds[i % kinds.len()];
                    if !deliverables.iter().any(|d| d.kind == kind) {
                        deliverables.push(Deliverable::new(platform, kind, quantity).unwrap());
                    }
                }
                let n = Negotiation::new(
                    NewNegotiation {
                        influencer_name: "Jane Doe".into(),
                        client_name: "Glow Skincare".into(),
                        platform,
                        average_views: views,
                        engagement_pct: engagement.map(|e| Decimal::new(e, 1)),
                        deliverables,
                        bounds,
                    },
                    Timestamp::from_second(1_790_000_000).unwrap(),
                )
                .unwrap();
                // Anywhere from the floor to 120% of the ceiling, as the tracker may say.
                let span = bounds.ceiling.cents() * 120 / 100 - bounds.floor.cents();
                let max = bounds.floor.cents() + span * (20 - tighten) / 20;
                let flexibility = Flexibility {
                    max_allowed_cpm: negotiator_domain::Cpm::from_cents(
                        max.max(bounds.floor.cents()),
                    ),
                    reason: "test".into(),
                };
                (
                    n,
                    Allowance {
                        flexibility,
                        budget: roomy(),
                    },
                )
            },
        )
}

fn reply(intent: Intent, ask: Option<Money>, confidence: u8, hostile: bool) -> ClassifiedReply {
    ClassifiedReply {
        intent,
        proposed_rate: ask,
        deliverables: Vec::new(),
        confidence: Confidence::from_percent(confidence),
        hostile: hostile.then(|| Evidence {
            quote: "rude".into(),
        }),
        legal: None,
        unusual_deliverables: None,
        summary: "a reply".into(),
        text: "a reply".into(),
    }
}

/// The checks every decision must pass.
fn check(before: &Negotiation, decision: &Decision, their_ask: Option<Money>, by_person: bool) {
    let n = &decision.negotiation;
    assert_eq!(Negotiation::restore(n.snapshot()).as_ref(), Ok(n));
    if let Some(plan) = decision.email() {
        let text = template::render(plan, &Sender::default());
        if let Err(failure) = gate::check(&text, plan, &roomy(), &GatePolicy::default()) {
            panic!("{failure}\n{plan:?}\n---\n{text}");
        }
        if let Some(ours) = plan.our_rate {
            assert!(ours <= plan.ceiling_rate, "{plan:?}");
        }
    }
    if decision.outcome == Outcome::Countered && !by_person {
        let rate = n.current_offer().unwrap();
        assert!(
            rate <= n.limit_rate().unwrap(),
            "counter {rate} above the limit"
        );
        if let Some(ask) = their_ask {
            assert!(rate < ask, "counter {rate} at or above their ask {ask}");
        }
        assert!(
            rate >= before.current_offer().unwrap(),
            "offers never go down"
        );
    }
    if decision.outcome == Outcome::Agreed && !by_person {
        let rate = n.agreed_rate().unwrap();
        if let Some(ask) = their_ask {
            assert!(rate <= ask, "agreed {rate} above their ask {ask}");
        }
        assert!(
            rate <= n.limit_rate().unwrap(),
            "agreed {rate} above the limit"
        );
    }
    let withdrawn = before.agreed_rate().is_some() && n.agreed_rate().is_none();
    if before.state().is_terminal() && !withdrawn {
        assert_eq!(n, before, "a finished negotiation never changes");
    }
    if withdrawn {
        assert_eq!(
            decision.outcome,
            Outcome::Escalated,
            "a withdrawn deal goes to a person"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_decision_keeps_its_promises((start, allowance) in negotiation(), steps in proptest::collection::vec(step(), 0..10)) {
        let policy = NegotiationPolicy::default();
        let mut now = Timestamp::from_second(1_790_000_100).unwrap();
        let opened = open(&start, &allowance, &policy, now);
        check(&start, &opened, None, false);
        prop_assert_eq!(opened.email().map(|p| p.kind), Some(EmailKind::Opening));
        let mut n = opened.negotiation;
        for step in steps {
            now = now.checked_add(SignedDuration::from_hours(1)).unwrap();
            let before = n.clone();
            match step {
                Step::Reply { intent, ask_pct, confidence, hostile } => {
                    let ask = ask_pct.and_then(|pct| {
                        let offer = n.current_offer()?.cents();
                        Some(Money::from_cents((offer * i64::from(pct) / 100).max(1)))
                    });
                    let decision = decide(&n, &reply(intent, ask, confidence, hostile), &allowance, &policy, now);
                    check(&before, &decision, ask, false);
                    n = decision.negotiation;
                }
                Step::Silence { hours } => {
                    now = now.checked_add(SignedDuration::from_hours(hours)).unwrap();
                    let decision = check_silence(&n, &allowance, &policy, now);
                    check(&before, &decision, None, false);
                    n = decision.negotiation;
                }
                Step::Person(action) => {
                    if let Ok(decision) = resolve(&n, action, &allowance, &policy, now) {
                        let hand_back = matches!(action, HumanAction::HandBack);
                        check(&before, &decision, before.their_last_ask().filter(|_| hand_back), !hand_back);
                        n = decision.negotiation;
                    }
                }
            }
        }
    }
}
