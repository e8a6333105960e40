//! The campaign budget binds: for any sequence of replies, silences and people's actions across
//! a campaign's influencers, the agreed total never exceeds the budget, unless a person's
//! approval raised it (and then only as far as that approval needed).

use jiff::{SignedDuration, Timestamp};
use negotiator_domain::{
    ActionRefused, Allowance, Budget, CampaignCpmTracker, ClassifiedReply, Confidence, CpmBounds,
    Decision, Deliverable, DeliverableType, GatePolicy, HumanAction, Intent, Money, Negotiation,
    NegotiationPolicy, NewNegotiation, Platform, Sender, check_silence, decide, gate, implied_cpm,
    open, resolve, template,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
enum Step {
    Reply {
        who: usize,
        intent: Intent,
        /// Their ask as a share (percent) of our current offer.
        ask_pct: Option<u32>,
    },
    Silence {
        who: usize,
        hours: i64,
    },
    /// A person approves their ask (raising the budget when it asks them to).
    Approve {
        who: usize,
        raise: bool,
    },
    HandBack {
        who: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let intent = prop_oneof![
        4 => Just(Intent::Accept),
        4 => Just(Intent::Counter),
        1 => Just(Intent::Reject),
        1 => Just(Intent::Question),
    ];
    prop_oneof![
        8 => (0_usize..8, intent, proptest::option::of(50_u32..200))
            .prop_map(|(who, intent, ask_pct)| Step::Reply { who, intent, ask_pct }),
        2 => (0_usize..8, 1_i64..200).prop_map(|(who, hours)| Step::Silence { who, hours }),
        2 => (0_usize..8, any::<bool>()).prop_map(|(who, raise)| Step::Approve { who, raise }),
        1 => (0_usize..8).prop_map(|who| Step::HandBack { who }),
    ]
}

fn negotiation(views: u64) -> Negotiation {
    Negotiation::new(
        NewNegotiation {
            influencer_name: "Jane Doe".into(),
            client_name: "Glow Skincare".into(),
            platform: Platform::Instagram,
            average_views: views,
            engagement_pct: None,
            deliverables: vec![
                Deliverable::new(Platform::Instagram, DeliverableType::InstagramReel, 1).unwrap(),
            ],
            bounds: bounds(),
        },
        Timestamp::from_second(1_790_000_000).unwrap(),
    )
    .unwrap()
}

fn bounds() -> CpmBounds {
    CpmBounds::from_target(negotiator_domain::Cpm::from_dollars(25), Decimal::from(20)).unwrap()
}

fn reply(intent: Intent, ask: Option<Money>) -> ClassifiedReply {
    ClassifiedReply {
        intent,
        proposed_rate: ask,
        deliverables: Vec::new(),
        confidence: Confidence::from_percent(90),
        hostile: None,
        legal: None,
        unusual_deliverables: None,
        summary: "a reply".into(),
        text: "a reply".into(),
    }
}

/// The campaign as the workflows see it: its negotiations and its budget.
struct Campaign {
    negotiations: Vec<Negotiation>,
    total: Money,
    /// The budget only moves when a person approves past it.
    raised_by_people: bool,
}

impl Campaign {
    fn agreed(&self) -> Money {
        self.negotiations
            .iter()
            .filter_map(Negotiation::agreed_rate)
            .fold(Money::ZERO, |sum, rate| sum.checked_add(rate).unwrap())
    }

    /// What the campaign allows negotiation `who`: as `workflows::allowance` builds it.
    fn allowance(&self, who: usize, policy: &NegotiationPolicy) -> Allowance {
        let others = |pick: fn(&Negotiation) -> Option<Money>| {
            self.negotiations
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != who)
                .filter_map(|(_, n)| pick(n))
                .fold(Money::ZERO, |sum, rate| sum.checked_add(rate).unwrap())
        };
        let mut tracker = CampaignCpmTracker::new(
            bounds(),
            u32::try_from(
                self.negotiations
                    .iter()
                    .filter(|n| !n.state().is_terminal())
                    .count(),
            )
            .unwrap(),
        );
        for n in &self.negotiations {
            if let Some(rate) = n.agreed_rate() {
                tracker
                    .record_agreement(implied_cpm(rate, n.average_views()).unwrap())
                    .unwrap();
            }
        }
        Allowance {
            flexibility: tracker.limit_for(self.negotiations[who].engagement_pct()),
            budget: Budget {
                total: self.total,
                committed: others(Negotiation::agreed_rate),
                max_deal: policy.max_deal,
            },
        }
    }

    fn apply(&mut self, who: usize, decision: Decision, allowance: &Allowance) {
        if let Some(plan) = decision.email() {
            let text = template::render(plan, &Sender::default());
            if let Err(failure) =
                gate::check(&text, plan, &allowance.budget, &GatePolicy::default())
            {
                panic!("{failure}\n{plan:?}");
            }
        }
        self.negotiations[who] = decision.negotiation;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_agreed_total_never_exceeds_the_budget(
        views in proptest::collection::vec(10_000_u64..200_000, 2..8),
        budget_dollars in 500_i64..20_000,
        steps in proptest::collection::vec(step(), 0..60),
    ) {
        let policy = NegotiationPolicy::default();
        let mut now = Timestamp::from_second(1_790_000_100).unwrap();
        let mut campaign = Campaign {
            negotiations: views.iter().map(|v| negotiation(*v)).collect(),
            total: Money::from_dollars(budget_dollars),
            raised_by_people: false,
        };
        for who in 0..campaign.negotiations.len() {
            let allowance = campaign.allowance(who, &policy);
            let decision = open(&campaign.negotiations[who], &allowance, &policy, now);
            campaign.apply(who, decision, &allowance);
        }
        for step in steps {
            now = now.checked_add(SignedDuration::from_hours(1)).unwrap();
            let count = campaign.negotiations.len();
            let budget_before = campaign.total;
            match step {
                Step::Reply { who, intent, ask_pct } => {
                    let who = who % count;
                    let n = &campaign.negotiations[who];
                    let ask = ask_pct.and_then(|pct| {
                        let offer = n.current_offer()?.cents();
                        Some(Money::from_cents((offer * i64::from(pct) / 100).max(1)))
                    });
                    let allowance = campaign.allowance(who, &policy);
                    let decision = decide(n, &reply(intent, ask), &allowance, &policy, now);
                    campaign.apply(who, decision, &allowance);
                }
                Step::Silence { who, hours } => {
                    let who = who % count;
                    now = now.checked_add(SignedDuration::from_hours(hours)).unwrap();
                    let allowance = campaign.allowance(who, &policy);
                    let decision = check_silence(&campaign.negotiations[who], &allowance, &policy, now);
                    campaign.apply(who, decision, &allowance);
                }
                Step::Approve { who, raise } => {
                    let who = who % count;
                    let Some(rate) = campaign.negotiations[who].their_last_ask() else { continue };
                    let action = HumanAction::Approve { rate };
                    let allowance = campaign.allowance(who, &policy);
                    match resolve(&campaign.negotiations[who], action, &allowance, &policy, now) {
                        Ok(decision) => campaign.apply(who, decision, &allowance),
                        Err(ActionRefused::OverBudget { raise_to: Some(to), .. }) if raise => {
                            // The person confirms the raise; it is recorded with them.
                            campaign.total = to;
                            campaign.raised_by_people = true;
                            let allowance = campaign.allowance(who, &policy);
                            let decision = resolve(&campaign.negotiations[who], action, &allowance, &policy, now).unwrap();
                            prop_assert_eq!(decision.negotiation.agreed_rate(), Some(rate));
                            campaign.apply(who, decision, &allowance);
                            prop_assert_eq!(campaign.agreed(), to, "a raise goes only as far as the approval needs");
                        }
                        Err(_) => {}
                    }
                }
                Step::HandBack { who } => {
                    let who = who % count;
                    let allowance = campaign.allowance(who, &policy);
                    if let Ok(decision) = resolve(&campaign.negotiations[who], HumanAction::HandBack, &allowance, &policy, now) {
                        campaign.apply(who, decision, &allowance);
                    }
                }
            }
            prop_assert!(
                campaign.agreed() <= campaign.total,
                "agreed {} past the budget {}", campaign.agreed(), campaign.total
            );
            prop_assert!(campaign.total == budget_before || campaign.raised_by_people);
            for n in &campaign.negotiations {
                if let Some(rate) = n.agreed_rate() {
                    prop_assert!(rate <= policy.max_deal);
                }
            }
        }
    }
}
