//! Properties of the pure domain: pricing, the template against the gate, the state machine,
//! the negotiation's replayable history, the concession schedule and the campaign CPM tracker.

use jiff::Timestamp;
use negotiator_domain::concession::{ConcessionOutcome, ConcessionPolicy, ConcessionSchedule};
use negotiator_domain::email::{EmailKind, EmailPlan};
use negotiator_domain::gate::{self, GatePolicy};
use negotiator_domain::negotiation::{Negotiation, NewNegotiation};
use negotiator_domain::platform::{Deliverable, DeliverableType, Platform};
use negotiator_domain::pricing::{CpmBounds, PricingError, implied_cpm, rate_for};
use negotiator_domain::state::{
    NegotiationEvent, NegotiationState, Position, Refusal, transition, valid_events,
};
use negotiator_domain::template::{Sender, render};
use negotiator_domain::tracker::CampaignCpmTracker;
use negotiator_domain::{Budget, Cpm, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// `numerator / denominator` rounded half up, for a non-negative numerator and a positive
/// denominator, without doubling anything that could overflow.
fn div_half_up(numerator: i128, denominator: i128) -> i128 {
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    quotient + i128::from(remainder >= denominator - remainder)
}

fn any_event() -> impl Strategy<Value = NegotiationEvent> {
    prop::sample::select(NegotiationEvent::ALL.to_vec())
}

/// Events for random walks: the ones that end a negotiation are rarer, so walks get far.
fn walk_event() -> impl Strategy<Value = NegotiationEvent> {
    use NegotiationEvent as E;
    let mut events = NegotiationEvent::ALL.to_vec();
    for _ in 0..3 {
        events.extend([
            E::SendOffer,
            E::ReceiveReply,
            E::SendCounter,
            E::Escalate,
            E::Timeout,
            E::SendFollowUp,
            E::HandBack,
            E::Pause,
            E::Resume,
            E::TakeOver,
            E::Release,
        ]);
    }
    prop::sample::select(events)
}

fn any_state() -> impl Strategy<Value = NegotiationState> {
    prop::sample::select(NegotiationState::ALL.to_vec())
}

/// Every position a negotiation can be in: each non-paused state, and paused from each state
/// that can be paused.
fn every_position() -> Vec<Position> {
    NegotiationState::ALL
        .into_iter()
        .filter_map(|s| Position::at(s).ok())
        .chain(
            NegotiationState::ALL
                .into_iter()
                .filter_map(|s| Position::paused(s).ok()),
        )
        .collect()
}

fn any_position() -> impl Strategy<Value = Position> {
    prop::sample::select(every_position())
}

fn terminal_position() -> impl Strategy<Value = Position> {
    prop::sample::select(
        every_position()
            .into_iter()
            .filter(|p| p.state().is_terminal())
            .collect::<Vec<_>>(),
    )
}

fn start(second: i64) -> Timestamp {
    Timestamp::from_second(1_780_000_000 + second).unwrap()
}

fn new_negotiation() -> Negotiation {
    let reel = Deliverable::new(Platform::Instagram, DeliverableType::InstagramReel, 2).unwrap();
    Negotiation::new(
        NewNegotiation {
            influencer_name: "Jane Doe".to_owned(),
            client_name: "Glow Skincare".to_owned(),
            platform: Platform::Instagram,
            average_views: 50_000,
            engagement_pct: Some(Decimal::new(45, 1)),
            deliverables: vec![reel],
            bounds: CpmBounds::DEFAULT,
        },
        start(0),
    )
    .unwrap()
}

/// A floor rate, a limit rate at or above it, and a policy.
fn any_schedule() -> impl Strategy<Value = ConcessionSchedule> {
    (
        1i64..=10_000_000,
        0i64..=10_000_000,
        0u32..=8,
        0u32..=8,
        prop::option::of(1i64..=100_000),
    )
        .prop_map(|(floor, gap, steps, max_rounds, round_up_to)| {
            let policy = ConcessionPolicy {
                steps,
                max_rounds,
                round_up_to: round_up_to.map(Money::from_cents),
            };
            ConcessionSchedule::new(
                Money::from_cents(floor),
                Money::from_cents(floor + gap),
                policy,
            )
            .unwrap()
        })
}

/// An engagement rate in percent with two decimals, a little outside 0..=100 too.
fn any_engagement() -> impl Strategy<Value = Option<Decimal>> {
    prop::option::of((-1_000i64..=12_000).prop_map(|n| Decimal::new(n, 2)))
}

/// A sound plan: any kind, platform and deliverables of that platform, our rate at or under
/// the ceiling (none for a decline), their rate anywhere, names from the roster's oddities.
fn any_plan() -> impl Strategy<Value = EmailPlan> {
    let kinds = vec![
        EmailKind::Opening,
        EmailKind::Counter,
        EmailKind::Answer,
        EmailKind::Agreement,
        EmailKind::FollowUp,
        EmailKind::Decline,
    ];
    let names = vec![
        ("Jane Doe", "Glow Skincare"),
        ("Story Hartley", "Reel Foods"),
        ("Max", "Exclusive Beauty Co"),
        ("  Ana  María López ", "L'Oréal"),
        ("", ""),
    ];
    (
        prop::sample::select(kinds),
        prop::sample::select(Platform::ALL.to_vec()),
        prop::collection::vec((any::<prop::sample::Index>(), 1u32..=5), 0..4),
        1i64..=100_000_000,
        0i64..=100,
        prop::option::of(1i64..=200_000_000),
        prop::sample::select(names),
    )
        .prop_map(
            |(kind, platform, picks, ceiling, our_share, their, (influencer, client))| {
                let types = platform.deliverable_types();
                let deliverables = picks
                    .into_iter()
                    .map(|(index, quantity)| {
                        Deliverable::new(platform, types[index.index(types.len())], quantity)
                            .unwrap()
                    })
                    .collect();
                let our = (ceiling * our_share / 100).max(1);
                EmailPlan {
                    kind,
                    influencer_name: influencer.to_owned(),
                    client_name: client.to_owned(),
                    platform,
                    deliverables,
                    our_rate: (kind != EmailKind::Decline).then_some(Money::from_cents(our)),
                    their_rate: their.map(Money::from_cents),
                    ceiling_rate: Money::from_cents(ceiling),
                }
            },
        )
}

/// A budget no plan here reaches, so the gate judges the plan alone.
fn roomy() -> Budget {
    Budget {
        total: Money::from_dollars(10_000_000),
        committed: Money::ZERO,
        max_deal: Money::from_dollars(10_000_000),
    }
}

fn sender() -> Sender {
    Sender {
        name: "Sam Rivera".to_owned(),
        team: "AGM Partnerships".to_owned(),
    }
}

proptest! {
    // No failure files: a failing case is printed, and shrinking makes it small.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    // -----------------------------------------------------------------------------------------
    // Pricing
    // -----------------------------------------------------------------------------------------

    #[test]
    fn rate_rounds_half_up_to_the_cent(views in 1u64..=10_000_000_000, cpm in 1i64..=10_000_000) {
        let expected = div_half_up(i128::from(views) * i128::from(cpm), 1_000);
        let rate = rate_for(views, Cpm::from_cents(cpm)).unwrap();
        prop_assert_eq!(i128::from(rate.cents()), expected);
    }

    #[test]
    fn rate_never_overflows_silently(views in any::<u64>(), cpm in 1i64..=i64::MAX) {
        let exact = div_half_up(i128::from(views) * i128::from(cpm), 1_000);
        match rate_for(views, Cpm::from_cents(cpm)) {
            Ok(rate) => prop_assert_eq!(i128::from(rate.cents()), exact),
            Err(PricingError::Overflow) => prop_assert!(exact > i128::from(i64::MAX)),
            Err(other) => prop_assert!(
                views == 0 && other == PricingError::ZeroViews,
                "unexpected error {other:?}"
            ),
        }
    }

    #[test]
    fn rate_grows_with_views(a in 1u64..=1_000_000_000, b in 1u64..=1_000_000_000, cpm in 1i64..=1_000_000) {
        let (low, high) = (a.min(b), a.max(b));
        let cpm = Cpm::from_cents(cpm);
        prop_assert!(rate_for(low, cpm).unwrap() <= rate_for(high, cpm).unwrap());
    }

    #[test]
    fn rate_grows_with_cpm(views in 1u64..=1_000_000_000, a in 1i64..=1_000_000, b in 1i64..=1_000_000) {
        let (low, high) = (a.min(b), a.max(b));
        prop_assert!(
            rate_for(views, Cpm::from_cents(low)).unwrap()
                <= rate_for(views, Cpm::from_cents(high)).unwrap()
        );
    }

    #[test]
    fn implied_cpm_of_a_rate_is_the_cpm_within_rounding(views in 1u64..=1_000_000_000, cpm in 1i64..=1_000_000) {
        let rate = rate_for(views, Cpm::from_cents(cpm)).unwrap();
        let implied = implied_cpm(rate, views).unwrap();
        // The rate is off by at most half a cent, which moves the CPM by 500 / views cents,
        // and the CPM itself is rounded by at most half a cent: |Δ| ≤ 500/views + 1/2.
        let delta = i128::from(implied.cents() - cpm).abs();
        prop_assert!(2 * delta * i128::from(views) <= 1_000 + i128::from(views),
            "rate {rate}, implied {implied}, cpm {cpm}");
        if views >= 1_000 {
            prop_assert!(delta <= 1);
        }
    }

    #[test]
    fn implied_cpm_rounds_half_up(rate in 0i64..=100_000_000, views in 1u64..=10_000_000_000) {
        let expected = div_half_up(i128::from(rate) * 1_000, i128::from(views));
        let cpm = implied_cpm(Money::from_cents(rate), views).unwrap();
        prop_assert_eq!(i128::from(cpm.cents()), expected);
    }

    #[test]
    fn bounds_from_a_target_round_the_ceiling_half_up(target in 1i64..=1_000_000, leniency in 0i64..=50_000) {
        // Leniency in hundredths of a percent: 1250 is 12.5%.
        let bounds = CpmBounds::from_target(Cpm::from_cents(target), Decimal::new(leniency, 2)).unwrap();
        let expected = div_half_up(i128::from(target) * i128::from(10_000 + leniency), 10_000);
        prop_assert_eq!(bounds.floor, Cpm::from_cents(target));
        prop_assert_eq!(i128::from(bounds.ceiling.cents()), expected);
        prop_assert!(bounds.floor <= bounds.ceiling);
    }

    // -----------------------------------------------------------------------------------------
    // The template and the gate
    // -----------------------------------------------------------------------------------------

    #[test]
    fn every_rendered_plan_passes_the_gate(plan in any_plan()) {
        let text = render(&plan, &sender());
        let checked = gate::check(&text, &plan, &roomy(), &GatePolicy::default());
        prop_assert!(checked.is_ok(), "{checked:?}\n{text}");
    }

    #[test]
    fn any_other_amount_in_place_of_ours_fails_the_gate(plan in any_plan(), other in 1i64..=200_000_000) {
        let Some(ours) = plan.our_rate else {
            return Ok(());
        };
        let other = Money::from_cents(other);
        prop_assume!(other != ours);
        let text = render(&plan, &sender()).replace(&ours.to_string(), &other.to_string());
        prop_assert!(gate::check(&text, &plan, &roomy(), &GatePolicy::default()).is_err(), "{text}");
    }

    // -----------------------------------------------------------------------------------------
    // The state machine
    // -----------------------------------------------------------------------------------------

    #[test]
    fn terminal_states_stay_terminal(at in terminal_position(), events in prop::collection::vec(any_event(), 0..20)) {
        // The one way out: the influencer withdrawing from an agreed deal.
        let withdrawable = at.state() == NegotiationState::Agreed;
        for event in events {
            if withdrawable && event == NegotiationEvent::Withdraw {
                prop_assert_eq!(transition(at, event).unwrap().state(), NegotiationState::Escalated);
                continue;
            }
            let refused = transition(at, event).unwrap_err();
            prop_assert_eq!(refused.reason, Refusal::Terminal);
        }
        let expected = if withdrawable { vec![NegotiationEvent::Withdraw] } else { Vec::new() };
        prop_assert_eq!(valid_events(at), expected);
    }

    #[test]
    fn once_terminal_a_walk_never_leaves(start_state in any_state(), events in prop::collection::vec(any_event(), 0..40)) {
        let Ok(mut at) = Position::at(start_state) else {
            return Ok(());
        };
        let mut ended = at.state().is_terminal();
        for event in events {
            if let Ok(next) = transition(at, event) {
                let withdrawn = event == NegotiationEvent::Withdraw;
                prop_assert!(!ended || withdrawn, "{} left terminal {}", event, at.state());
                at = next;
            }
            ended = at.state().is_terminal();
        }
    }

    #[test]
    fn pause_then_resume_returns_to_where_it_was(at in any_position()) {
        if let Ok(paused) = transition(at, NegotiationEvent::Pause) {
            prop_assert_eq!(paused.state(), NegotiationState::Paused);
            prop_assert_eq!(transition(paused, NegotiationEvent::Resume), Ok(at));
        }
    }

    // -----------------------------------------------------------------------------------------
    // The negotiation's history
    // -----------------------------------------------------------------------------------------

    #[test]
    fn applied_events_leave_a_history_that_replays(
        steps in prop::collection::vec((walk_event(), 0i64..=86_400), 0..40),
    ) {
        let mut n = new_negotiation();
        let mut now = start(0);
        for (event, wait) in steps {
            now = now.checked_add(jiff::SignedDuration::from_secs(wait)).unwrap();
            let before = n.clone();
            match n.apply(event, now) {
                Ok(()) => {
                    let last = n.history().last().unwrap();
                    prop_assert_eq!((last.from, last.event, last.to), (before.state(), event, n.state()));
                    prop_assert_eq!(n.history().len(), before.history().len() + 1);
                }
                // A refused event changes nothing.
                Err(_) => prop_assert_eq!(&n, &before),
            }
        }
        let mut snapshot = n.snapshot();
        if n.state() == NegotiationState::Agreed {
            // Only `decide` records the agreed rate; a snapshot of an agreed thread carries one.
            snapshot.agreed_rate = Some(Money::from_dollars(1_250));
        }
        let restored = Negotiation::restore(snapshot.clone());
        prop_assert!(restored.is_ok(), "{:?}", restored);
        prop_assert_eq!(restored.unwrap().snapshot(), snapshot);
        if n.state() != NegotiationState::Agreed {
            prop_assert_eq!(Negotiation::restore(n.snapshot()).unwrap(), n);
        }
    }

    #[test]
    fn a_history_with_a_changed_entry_does_not_restore(
        events in prop::collection::vec(walk_event(), 1..30),
        index in any::<prop::sample::Index>(),
        replacement in any_state(),
    ) {
        let mut n = new_negotiation();
        for (i, event) in events.into_iter().enumerate() {
            let _refused_or_applied = n.apply(event, start(i64::try_from(i).unwrap()));
        }
        if n.history().is_empty() {
            return Ok(());
        }
        let mut snapshot = n.snapshot();
        let entry = index.index(snapshot.history.len());
        prop_assume!(snapshot.history[entry].to != replacement);
        snapshot.history[entry].to = replacement;
        prop_assert!(Negotiation::restore(snapshot).is_err());
    }

    // -----------------------------------------------------------------------------------------
    // The concession schedule
    // -----------------------------------------------------------------------------------------

    #[test]
    fn offers_stay_between_floor_and_limit_and_never_decrease(schedule in any_schedule()) {
        let mut previous = schedule.offer_at(0);
        prop_assert_eq!(previous, schedule.floor_rate());
        for round in 1..=12 {
            let offer = schedule.offer_at(round);
            prop_assert!(offer >= previous, "round {round}: {offer} < {previous}");
            prop_assert!(offer <= schedule.limit_rate());
            previous = offer;
        }
    }

    #[test]
    fn a_response_never_passes_the_limit_or_their_ask(
        schedule in any_schedule(),
        round in 0u32..=10,
        offer_share in 0i64..=200,
        ask_share in 1i64..=300,
    ) {
        let limit = schedule.limit_rate().cents();
        let current = Money::from_cents(limit * offer_share / 100);
        let ask = Money::from_cents((limit * ask_share / 100).max(1));
        match schedule.respond(round, current, ask) {
            ConcessionOutcome::Counter { rate, round: next, .. } => {
                prop_assert!(rate <= schedule.limit_rate(), "counter {rate} above limit");
                prop_assert!(rate < ask, "counter {rate} at or above their ask {ask}");
                prop_assert!(rate >= current, "counter {rate} below our offer {current}");
                prop_assert_eq!(next, round + 1);
            }
            ConcessionOutcome::Accept { rate, .. } => {
                prop_assert_eq!(rate, ask);
                prop_assert!(rate <= schedule.limit_rate(), "accepted {rate} above limit");
            }
            ConcessionOutcome::Escalate { reason } => prop_assert!(!reason.is_empty()),
        }
    }

    #[test]
    fn a_counter_without_an_ask_never_passes_the_limit(
        schedule in any_schedule(),
        round in 0u32..=10,
        offer_share in 0i64..=200,
    ) {
        let current = Money::from_cents(schedule.limit_rate().cents() * offer_share / 100);
        if let ConcessionOutcome::Counter { rate, round: next, .. } = schedule.next_counter(round, current) {
            prop_assert!(rate <= schedule.limit_rate());
            prop_assert!(rate >= current);
            prop_assert_eq!(next, round + 1);
        }
    }

    #[test]
    fn a_whole_negotiation_concedes_upward_and_ends_within_bounds(
        schedule in any_schedule(),
        asks in prop::collection::vec(1i64..=300, 1..12),
    ) {
        let limit = schedule.limit_rate();
        let mut offer = schedule.offer_at(0);
        let mut round = 0;
        for share in asks {
            let ask = Money::from_cents((limit.cents() * share / 100).max(1));
            match schedule.respond(round, offer, ask) {
                ConcessionOutcome::Counter { rate, round: next, .. } => {
                    prop_assert!(rate >= offer);
                    prop_assert!(rate <= limit && rate < ask);
                    offer = rate;
                    round = next;
                }
                ConcessionOutcome::Accept { rate, .. } => {
                    prop_assert!(rate <= ask && rate <= limit);
                    break;
                }
                ConcessionOutcome::Escalate { .. } => break,
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // The campaign CPM tracker
    // -----------------------------------------------------------------------------------------

    #[test]
    fn the_limit_stays_between_the_floor_and_120_percent_of_the_ceiling(
        floor in 1i64..=1_000_000,
        spread in 0i64..=1_000_000,
        total in 0u32..=40,
        deals in prop::collection::vec(1i64..=i64::MAX / 64, 0..40),
        engagement in any_engagement(),
    ) {
        let bounds = CpmBounds::new(Cpm::from_cents(floor), Cpm::from_cents(floor + spread)).unwrap();
        let mut tracker = CampaignCpmTracker::new(bounds, total);
        for cpm in deals {
            tracker.record_agreement(Cpm::from_cents(cpm)).unwrap();
        }
        let limit = tracker.limit_for(engagement).max_allowed_cpm;
        let ceiling = i128::from(bounds.ceiling.cents());
        let cap = div_half_up(ceiling * 120, 100);
        prop_assert!(i128::from(limit.cents()) <= cap, "{limit} above 120% of {}", bounds.ceiling);
        prop_assert!(limit >= bounds.floor, "{limit} below the floor {}", bounds.floor);
    }

    #[test]
    fn the_limit_with_ordinary_deals_stays_in_bounds(
        total in 0u32..=40,
        deals in prop::collection::vec(500i64..=6_000, 0..40),
        engagement in any_engagement(),
    ) {
        let bounds = CpmBounds::DEFAULT;
        let mut tracker = CampaignCpmTracker::new(bounds, total);
        for cpm in deals {
            tracker.record_agreement(Cpm::from_cents(cpm)).unwrap();
        }
        let flexibility = tracker.limit_for(engagement);
        prop_assert!(flexibility.max_allowed_cpm <= Cpm::from_dollars(36));
        prop_assert!(flexibility.max_allowed_cpm >= bounds.floor);
        prop_assert!(flexibility.reason.contains(&flexibility.max_allowed_cpm.to_string()));
    }
}

/// Totality, checked exhaustively (the domain is small): every position and event gives a
/// valid position or a refusal naming that position and event.
#[test]
fn every_position_and_event_is_answered_with_a_valid_position_or_a_typed_refusal() {
    let positions = every_position();
    // 9 non-paused states, and paused from each of the 6 resumable ones.
    assert_eq!(positions.len(), 9 + 6);
    for at in positions {
        for event in NegotiationEvent::ALL {
            match transition(at, event) {
                Ok(next) => {
                    assert_eq!(
                        Position::from_parts(next.state(), next.paused_from()),
                        Ok(next)
                    );
                    assert!(valid_events(at).contains(&event));
                }
                Err(refused) => {
                    assert_eq!((refused.state, refused.event), (at.state(), event));
                    assert!(!valid_events(at).contains(&event));
                    assert!(!refused.reason.explain().is_empty());
                }
            }
        }
    }
}
