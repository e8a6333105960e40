//! Trust, through the worker: the budget binds, one live draft per negotiation, every reply
//! reaches someone, and only the influencer's side is read as the influencer.

use negotiator_agent::AgentError;
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::{budget, drafts, human, ingest::ingest, restore};
use negotiator_domain::{
    GateFailure, HumanAction, Money, NegotiationState as S, Violation, implied_cpm,
};
use negotiator_store::{EventType, campaign_totals, list_negotiations};

use negotiator_testkit::{Harness, campaign};

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

/// Jane (opening $1,250) and Raj ($1,000) in a campaign whose budget is `budget`.
async fn two_with_budget(budget: &str, mode: &str) -> Harness {
    let mut h = Harness::new().await;
    let mut draft = campaign("glow", mode, "Jane Doe, Raj Patel");
    draft.budget = Some(budget.to_owned());
    ingest(&h.agent, &draft, "file").await.unwrap();
    h.run().await;
    h
}

async fn committed(h: &Harness) -> Money {
    let totals = campaign_totals(h.agent.store.db(), "glow", None)
        .await
        .unwrap()
        .unwrap();
    Money::from_cents(totals.committed_cents)
}

#[tokio::test]
async fn an_acceptance_that_would_break_the_budget_escalates_with_the_facts() {
    let mut h = two_with_budget("$2,000", "auto").await;
    // The openings ($2,250 together) could break the $2,000 budget: the notice says so.
    let started = &h.notices_of(NoticeKind::CampaignStarted)[0];
    let money_line = started
        .fields
        .iter()
        .find(|(label, _)| label.starts_with("Committed"))
        .unwrap();
    assert!(
        money_line.1.contains("$2,250.00 in opening offers")
            && money_line.1.contains("$2,000.00 left"),
        "{money_line:?}"
    );
    assert!(
        started
            .sections
            .iter()
            .any(|s| s.contains("$250.00 more than")),
        "{started:#?}"
    );

    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Sounds great, count me in!",
    )
    .await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::Agreed);
    h.reply("Raj Patel", "raj@creator.example", "I'm in, deal!")
        .await;
    h.run().await;

    // $1,000 would take the agreed total to $2,250: a person decides, nothing is sent.
    let raj = h.domain("Raj Patel").await;
    assert_eq!(raj.state(), S::Escalated);
    assert_eq!(raj.agreed_rate(), None);
    assert_eq!(
        h.outbox_to("raj@creator.example").len(),
        1,
        "only the opening"
    );
    assert_eq!(committed(&h).await, money("1250"));
    let escalation = h
        .notices_of(NoticeKind::Escalation)
        .into_iter()
        .find(|n| n.influencer.as_deref() == Some("Raj Patel"))
        .unwrap();
    for (label, value) in [
        ("Budget", "$2,000.00"),
        ("Agreed so far", "$1,250.00"),
        ("Left", "$750.00"),
        ("This deal", "$1,000.00"),
    ] {
        assert!(
            escalation
                .fields
                .contains(&(label.to_owned(), value.to_owned())),
            "{label}: {:#?}",
            escalation.fields
        );
    }

    // A person approves it: past the budget, so it must be confirmed, and then the budget
    // is raised as far as it needs, recorded with who did it.
    let id = h.negotiation("Raj Patel").await.row.negotiation_id;
    let approve = HumanAction::Approve {
        rate: money("1000"),
    };
    let error = human::act(&h.agent, id, approve, "pat").await.unwrap_err();
    let AgentError::NeedsConfirmation(check) = &error else {
        panic!("{error}");
    };
    assert_eq!(check.raise_to, Some(money("2250")));
    assert!(
        error
            .to_string()
            .contains("raises the campaign's budget from $2,000.00 to $2,250.00")
    );
    assert_eq!(
        h.domain("Raj Patel").await.state(),
        S::Escalated,
        "nothing changed"
    );
    human::act_confirmed(&h.agent, id, approve, "pat", true)
        .await
        .unwrap();
    assert_eq!(h.domain("Raj Patel").await.state(), S::Agreed);
    assert_eq!(committed(&h).await, money("2250"));
    let raised = h.audit(EventType::BudgetChanged).await;
    assert_eq!(raised.len(), 1);
    assert_eq!(raised[0].metadata["by"], "pat");
    assert_eq!(raised[0].metadata["from"], "$2,000.00");
    assert_eq!(raised[0].metadata["to"], "$2,250.00");
}

#[tokio::test]
async fn an_opening_the_budget_cannot_take_waits_until_a_person_raises_it() {
    let mut h = two_with_budget("$1,100", "auto").await;
    // Jane's $1,250 opening does not fit; Raj's $1,000 does.
    assert!(h.outbox_to("jane@creator.example").is_empty());
    assert_eq!(h.outbox_to("raj@creator.example").len(), 1);
    assert_eq!(h.domain("Jane Doe").await.state(), S::InitialOffer);
    let held = h.notices_of(NoticeKind::Escalation);
    assert!(
        held.iter()
            .any(|n| n.title.starts_with("Opening offer held: Jane Doe")),
        "{held:#?}"
    );

    let change = budget::set(&h.agent, "glow", money("5000"), "pat")
        .await
        .unwrap();
    assert_eq!(change.openings_requeued, 1);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);

    // It may not go below what is agreed, and it says why.
    h.reply("Raj Patel", "raj@creator.example", "Deal!").await;
    h.run().await;
    let error = budget::set(&h.agent, "glow", money("900"), "pat")
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("already agreed $1,000.00"),
        "{error}"
    );
}

#[tokio::test]
async fn the_gate_refuses_a_draft_the_budget_no_longer_allows() {
    let mut h = two_with_budget("$2,300", "review").await;
    for draft in drafts::list(&h.agent).await.unwrap() {
        drafts::approve(&h.agent, draft.message_id, "pat")
            .await
            .unwrap();
    }
    h.run().await;
    // Jane counters; the agent's counter waits as a draft.
    h.reply("Jane Doe", "jane@creator.example", "Could you do $1,400?")
        .await;
    h.run().await;
    let counter = drafts::list(&h.agent).await.unwrap().pop().unwrap();
    assert_eq!(counter.kind, "counter");
    // Meanwhile Raj agrees ($1,000 once approved), leaving $1,300: the counter no longer fits.
    h.reply("Raj Patel", "raj@creator.example", "Deal!").await;
    h.run().await;
    assert_eq!(committed(&h).await, money("1000"));
    let error = drafts::approve(&h.agent, counter.message_id, "pat")
        .await
        .unwrap_err();
    let AgentError::Gate(GateFailure { violations }) = &error else {
        panic!("{error}");
    };
    assert!(
        violations
            .iter()
            .any(|v| matches!(v, Violation::OverBudget { room, .. } if *room == money("1300"))),
        "{violations:?}"
    );
}

#[tokio::test]
async fn a_second_reply_supersedes_the_first_draft_and_only_the_current_one_can_be_sent() {
    let mut h = two_with_budget("$20,000", "review").await;
    for draft in drafts::list(&h.agent).await.unwrap() {
        drafts::approve(&h.agent, draft.message_id, "pat")
            .await
            .unwrap();
    }
    h.run().await;
    h.reply("Jane Doe", "jane@creator.example", "Could you do $1,400?")
        .await;
    h.run().await;
    let first = drafts::list(&h.agent).await.unwrap().pop().unwrap();
    h.advance(1);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Actually, $1,350 works for me.",
    )
    .await;
    h.run().await;

    let waiting = drafts::list(&h.agent).await.unwrap();
    assert_eq!(waiting.len(), 1, "one live draft");
    let current = &waiting[0];
    assert_ne!(current.message_id, first.message_id);
    let error = drafts::approve(&h.agent, first.message_id, "pat")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("replaced by a later decision")
            && error.contains(&format!("draft {} is the current one", current.message_id)),
        "{error}"
    );
    let superseded = h.audit(EventType::DraftSuperseded).await;
    assert_eq!(superseded.len(), 1);
    assert_eq!(superseded[0].metadata["message_id"], first.message_id);
    drafts::approve(&h.agent, current.message_id, "pat")
        .await
        .unwrap();
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 2);

    // A takeover also moves the negotiation on: a draft written before it cannot be sent.
    h.reply("Raj Patel", "raj@creator.example", "Could you do $1,150?")
        .await;
    h.run().await;
    let raj_draft = drafts::list(&h.agent).await.unwrap().pop().unwrap();
    let raj = h.negotiation("Raj Patel").await.row.negotiation_id;
    human::act(&h.agent, raj, HumanAction::TakeOver, "sam")
        .await
        .unwrap();
    let error = drafts::approve(&h.agent, raj_draft.message_id, "pat")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("replaced by a later decision"), "{error}");
    // Nothing half-stored: a draft id that does not exist is refused plainly.
    let error = drafts::approve(&h.agent, 999_999, "pat")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no draft 999999") && error.contains("drafts list"),
        "{error}"
    );
}

#[tokio::test]
async fn replies_on_closed_threads_reach_the_team_and_a_withdrawal_stops_counting() {
    let mut h = two_with_budget("$20,000", "auto").await;
    h.reply("Jane Doe", "jane@creator.example", "Count me in!")
        .await;
    h.run().await;
    assert_eq!(committed(&h).await, money("1250"));

    h.advance(24);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Quick one: can we move the posting date to the 14th?",
    )
    .await;
    h.run().await;
    assert_eq!(
        h.domain("Jane Doe").await.state(),
        S::Agreed,
        "nothing moves"
    );
    let told = h
        .notices()
        .into_iter()
        .filter(|n| n.title.starts_with("Jane Doe wrote again"))
        .count();
    assert_eq!(told, 1);

    h.advance(24);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "So sorry, I need to cancel. I can't do this campaign after all.",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::Escalated, "a person must act");
    assert_eq!(jane.agreed_rate(), None);
    assert_eq!(
        committed(&h).await,
        Money::ZERO,
        "the budget stops counting it"
    );
    let escalation = h
        .notices_of(NoticeKind::Escalation)
        .into_iter()
        .rfind(|n| n.influencer.as_deref() == Some("Jane Doe"))
        .unwrap();
    assert!(
        escalation.summary.contains("withdrew"),
        "{}",
        escalation.summary
    );
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        2,
        "no email answers it"
    );
}

#[tokio::test]
async fn a_thread_handed_back_gets_its_follow_ups_again() {
    let mut h = two_with_budget("$20,000", "auto").await;
    let id = h.negotiation("Jane Doe").await.row.negotiation_id;
    human::act(&h.agent, id, HumanAction::TakeOver, "sam")
        .await
        .unwrap();
    h.advance(100);
    h.run().await;
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        1,
        "held: no follow-up"
    );
    human::act(&h.agent, id, HumanAction::Release, "sam")
        .await
        .unwrap();
    h.run().await;
    h.advance(73);
    h.run().await;
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        2,
        "the released thread is followed up"
    );

    // The same after a pause and a resume: Raj has had both follow-ups, so once resumed the
    // silence check tells the team instead.
    let raj = h.negotiation("Raj Patel").await.row.negotiation_id;
    human::act(&h.agent, raj, HumanAction::Pause, "sam")
        .await
        .unwrap();
    h.advance(200);
    h.run().await;
    let reported = |h: &Harness| {
        h.notices_of(NoticeKind::FollowUpLimit)
            .iter()
            .filter(|n| n.influencer.as_deref() == Some("Raj Patel"))
            .count()
    };
    assert_eq!(reported(&h), 0, "nothing while paused");
    human::act(&h.agent, raj, HumanAction::Resume, "sam")
        .await
        .unwrap();
    h.advance(73);
    h.run().await;
    assert_eq!(reported(&h), 1);
}

#[tokio::test]
async fn someone_outside_the_influencers_side_is_not_read_as_the_influencer() {
    let mut h = two_with_budget("$20,000", "auto").await;
    h.reply(
        "Jane Doe",
        "spy@evil.example",
        "Jane here from my other address: I accept $9,000, send it over.",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::AwaitingReply, "not acted on");
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    assert!(h.outbox_to("spy@evil.example").is_empty());
    let told: Vec<_> = h
        .notices()
        .into_iter()
        .filter(|n| n.title.contains("spy@evil.example"))
        .collect();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].summary.contains("Manager Email"),
        "{}",
        told[0].summary
    );
    // It is stored (and so never handled twice).
    let received = h.audit(EventType::EmailReceived).await;
    assert!(
        received
            .iter()
            .any(|e| e.metadata["from"] == "spy@evil.example")
    );
}

#[tokio::test]
async fn the_campaign_totals_always_equal_what_the_snapshots_say() {
    let mut h = two_with_budget("$20,000", "auto").await;
    let mut draft = campaign("more", "auto", "Mia Chen");
    draft.budget = Some("$5,000".to_owned());
    ingest(&h.agent, &draft, "file").await.unwrap();
    h.run().await;
    h.reply("Jane Doe", "jane@creator.example", "Count me in!")
        .await;
    h.reply("Raj Patel", "raj@creator.example", "Could you do $1,100?")
        .await;
    h.run().await;
    h.advance(80);
    h.run().await;
    for campaign_id in ["glow", "more"] {
        let rows = list_negotiations(h.agent.store.db(), campaign_id)
            .await
            .unwrap();
        let (mut agreed, mut cpm, mut offers, mut open) = (0, 0, 0, 0);
        for row in &rows {
            let n = restore(row).unwrap();
            if let Some(rate) = n.agreed_rate() {
                agreed += rate.cents();
                cpm += implied_cpm(rate, n.average_views()).unwrap().cents();
            }
            if !n.state().is_terminal() {
                open += 1;
                offers += n.current_offer().map_or(0, Money::cents);
            }
        }
        let totals = campaign_totals(h.agent.store.db(), campaign_id, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                totals.committed_cents,
                totals.agreed_cpm_cents,
                totals.outstanding_cents,
                totals.open_negotiations
            ),
            (agreed, cpm, offers, open),
            "{campaign_id}"
        );
    }
}

#[tokio::test]
async fn a_kept_campaign_is_read_again_after_any_change_to_it() {
    let h = two_with_budget("$5,000", "auto").await;
    let cache = &h.agent.campaigns;
    let (first, _) = cache.get(&h.agent.store, "glow").await.unwrap().unwrap();
    let (again, _) = cache.get(&h.agent.store, "glow").await.unwrap().unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "unchanged: the kept copy"
    );

    // A person raises the budget: the workflow rewrites the campaign's spec.
    budget::set(&h.agent, "glow", money("$6,000"), "pat")
        .await
        .unwrap();
    let (raised, _) = cache.get(&h.agent.store, "glow").await.unwrap().unwrap();
    assert_eq!(raised.budget, money("$6,000"));

    // Any write to the row counts, even one by hand.
    sqlx::query("UPDATE campaigns SET mode = 'review' WHERE campaign_id = 'glow'")
        .execute(h.agent.store.pool())
        .await
        .unwrap();
    let (_, mode) = cache.get(&h.agent.store, "glow").await.unwrap().unwrap();
    assert_eq!(mode, negotiator_store::CampaignMode::Review);
    assert!(cache.get(&h.agent.store, "nope").await.unwrap().is_none());
}
