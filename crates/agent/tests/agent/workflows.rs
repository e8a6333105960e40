//! The workflows end to end through the worker, on the local adapters and a real SQLite file:
//! the emails written, the notices, the states and the audit trail.

use std::sync::Arc;

use async_trait::async_trait;
use negotiator_agent::Adapters;
use negotiator_agent::ports::composer::{ComposeError, ComposeRequest, Composed, Composer};
use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::drafts;
use negotiator_agent::workflows::ingest::{Ingest, ingest};
use negotiator_domain::{Money, NegotiationState as S, template};
use negotiator_store::{EventType, JobStatus, list_campaigns};
use negotiator_testkit::{Harness, campaign};

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

#[tokio::test]
async fn a_campaign_starts_everyone_found_and_flags_everyone_missing() {
    let mut h = Harness::new().await;
    let done = ingest(
        &h.agent,
        &campaign("glow", "auto", "Jane Doe, raj patel, Zed Nobody"),
        "file",
    )
    .await
    .unwrap()
    .started()
    .unwrap();
    assert_eq!(done.started.len(), 2);
    assert_eq!(done.skipped.len(), 1);
    assert_eq!(done.skipped[0].0, "Zed Nobody");
    h.run().await;

    // One opening email each, at $25 CPM: $1,250.00 for 50k views, $1,000.00 for 40k.
    let jane = h.outbox_to("jane@creator.example");
    assert_eq!(jane.len(), 1);
    assert!(jane[0].body.contains("$1,250.00"), "{}", jane[0].body);
    assert!(jane[0].subject.contains("Glow Skincare"));
    let raj = h.outbox_to("raj@creator.example");
    assert_eq!(raj.len(), 1);
    assert!(raj[0].body.contains("$1,000.00"), "{}", raj[0].body);
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);

    let missing = h.notices_of(NoticeKind::InfluencerMissing);
    assert_eq!(missing.len(), 1);
    assert!(missing[0].summary.contains("Zed Nobody"));
    let started = h.notices_of(NoticeKind::CampaignStarted);
    assert_eq!(started.len(), 1);
    assert_eq!(h.audit(EventType::CampaignStart).await.len(), 1);
    let skips = h.audit(EventType::CampaignInfluencerSkip).await;
    assert_eq!(skips[0].influencer_name.as_deref(), Some("Zed Nobody"));
    assert_eq!(h.audit(EventType::EmailSent).await.len(), 2);

    // The same campaign again contacts nobody twice.
    let again = ingest(&h.agent, &campaign("glow", "auto", "Jane Doe"), "file").await;
    assert!(matches!(again, Ok(Ingest::Duplicate(_))));
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
}

#[tokio::test]
async fn a_campaign_with_bad_fields_is_not_started_and_the_team_is_told_which() {
    let mut h = Harness::new().await;
    let mut draft = campaign("glow", "auto", "Jane Doe");
    draft.cpm_target = None;
    draft.budget = Some("lots".to_owned());
    let error = ingest(&h.agent, &draft, "file")
        .await
        .unwrap()
        .rejected()
        .unwrap();
    let text = error.to_string();
    assert!(
        text.contains("cpm_target") && text.contains("budget"),
        "{text}"
    );
    h.run().await;
    assert!(h.outbox().is_empty());
    let rejected = h.notices_of(NoticeKind::CampaignRejected);
    assert_eq!(rejected.len(), 1);
    let fields: Vec<&str> = rejected[0].fields.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        fields.contains(&"cpm_target") && fields.contains(&"budget"),
        "{fields:?}"
    );
    assert_eq!(h.audit(EventType::CampaignRejected).await.len(), 1);
}

#[tokio::test]
async fn a_campaign_listing_10_001_influencers_is_refused_with_the_number_and_nothing_is_stored() {
    let mut h = Harness::new().await;
    let names: Vec<String> = (0..10_001).map(|i| format!("Influencer {i}")).collect();
    let error = ingest(
        &h.agent,
        &campaign("huge", "auto", &names.join(", ")),
        "file",
    )
    .await
    .unwrap()
    .rejected()
    .unwrap();
    let text = error.to_string();
    assert!(
        text.contains("influencers") && text.contains("10,001") && text.contains("500"),
        "{text}"
    );
    h.run().await;
    assert!(list_campaigns(h.agent.store.db()).await.unwrap().is_empty());
    assert!(h.outbox().is_empty());
    assert!(h.audit(EventType::CampaignInfluencerSkip).await.is_empty());
    assert!(h.notices_of(NoticeKind::InfluencerMissing).is_empty());
    let rejected = h.notices_of(NoticeKind::CampaignRejected);
    assert_eq!(rejected.len(), 1);
    let (field, problem) = &rejected[0].fields[0];
    assert_eq!(field, "influencers");
    assert!(problem.contains("10,001"), "{problem}");
}

#[tokio::test]
async fn several_missing_influencers_make_one_notice_naming_each_with_its_reason() {
    let mut h = Harness::new().await;
    let done = ingest(
        &h.agent,
        &campaign("glow", "auto", "Jane Doe, Zed Nobody, Ann Other, Bo Gone"),
        "file",
    )
    .await
    .unwrap()
    .started()
    .unwrap();
    assert_eq!((done.started.len(), done.skipped.len()), (1, 3));
    h.run().await;

    let skipped = h.notices_of(NoticeKind::InfluencerMissing);
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    let notice = &skipped[0];
    assert_eq!(notice.campaign_id.as_deref(), Some("glow"));
    assert!(notice.title.contains('3'), "{}", notice.title);
    for name in ["Zed Nobody", "Ann Other", "Bo Gone"] {
        assert!(notice.summary.contains(name), "{}", notice.summary);
        assert!(
            notice.sections[0].contains(&format!("{name}: they are not in the roster")),
            "{}",
            notice.sections[0]
        );
    }
    // The audit trail keeps one entry per influencer.
    assert_eq!(h.audit(EventType::CampaignInfluencerSkip).await.len(), 3);
}

#[tokio::test]
async fn accepting_the_opening_offer_closes_the_deal_with_a_confirmation() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.advance(5);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Sounds great, count me in!",
    )
    .await;
    h.run().await;

    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::Agreed);
    assert_eq!(jane.agreed_rate(), Some(money("1250")));
    let emails = h.outbox_to("jane@creator.example");
    assert_eq!(emails.len(), 2);
    let confirmation = &emails[1];
    assert!(
        confirmation.body.contains("$1,250.00"),
        "{}",
        confirmation.body
    );
    assert!(confirmation.subject.starts_with("Re: "));
    assert_eq!(
        confirmation
            .in_reply_to
            .as_deref()
            .map(|s| s.contains("reply-")),
        Some(true)
    );

    let agreements = h.notices_of(NoticeKind::Agreement);
    assert_eq!(agreements.len(), 1);
    let fields = &agreements[0].fields;
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "Agreed rate" && v == "$1,250.00"),
        "{fields:?}"
    );
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "CPM achieved" && v.starts_with("$25.00")),
        "{fields:?}"
    );
    let audit = h.audit(EventType::Agreement).await;
    assert_eq!(audit.len(), 1, "one agreement entry, not two");
    assert_eq!(audit[0].rates_used.as_deref(), Some("agreed $1,250.00"));
    assert_eq!(
        h.audit(EventType::EmailReceived).await[0].intent.as_deref(),
        Some("accept")
    );
}

#[tokio::test]
async fn a_counter_inside_the_range_is_countered_then_agreed() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.advance(5);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Thanks! My rate for a reel is $1,450.",
    )
    .await;
    h.run().await;

    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::CounterSent);
    // $1,250 → $1,500 limit in four steps: $1,312.50, quoting their $1,450.00.
    let counter = &h.outbox_to("jane@creator.example")[1];
    assert!(counter.body.contains("$1,312.50"), "{}", counter.body);
    assert!(counter.body.contains("$1,450.00"), "{}", counter.body);
    assert_eq!(
        counter.references.len(),
        2,
        "threads on our opening and their reply"
    );

    h.advance(5);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "That works for me, deal!",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::Agreed);
    assert_eq!(jane.agreed_rate(), Some(money("1312.50")));
}

#[tokio::test]
async fn an_ask_above_the_ceiling_escalates_with_full_context_and_sends_nothing() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "My rate for this is $3,000.",
    )
    .await;
    h.run().await;

    assert_eq!(h.domain("Jane Doe").await.state(), S::Escalated);
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        1,
        "no email after the escalation"
    );
    let escalations = h.notices_of(NoticeKind::Escalation);
    assert_eq!(escalations.len(), 1);
    let notice = &escalations[0];
    let field = |name: &str| {
        notice
            .fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(field("Their ask"), "$3,000.00 ($60.00 CPM)");
    assert_eq!(field("Our offer"), "$1,250.00");
    assert!(
        field("Agent's limit").starts_with("$1,500.00"),
        "{}",
        field("Agent's limit")
    );
    assert!(
        notice.sections[0].contains("My rate for this is $3,000."),
        "{:?}",
        notice.sections
    );
    let audit = h.audit(EventType::Escalation).await;
    assert_eq!(audit.len(), 1, "one escalation entry, not two");
    assert_eq!(audit[0].negotiation_state.as_deref(), Some("escalated"));
}

#[tokio::test]
async fn hostile_and_legal_replies_go_to_a_person() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe, Raj Patel").await;
    h.run().await;
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "This offer is insulting. Stop wasting my time.",
    )
    .await;
    h.reply(
        "Raj Patel",
        "raj@creator.example",
        "Happy to talk, but my lawyer must review the contract and the exclusivity clause first.",
    )
    .await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::Escalated);
    assert_eq!(h.domain("Raj Patel").await.state(), S::Escalated);
    let reasons: Vec<String> = h
        .notices_of(NoticeKind::Escalation)
        .iter()
        .map(|n| n.summary.clone())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("Hostile tone")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("Legal language")),
        "{reasons:?}"
    );
    assert_eq!(h.outbox().len(), 2, "only the two openings");
}

#[tokio::test]
async fn a_team_member_replying_in_the_thread_takes_it_over() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.reply(
        "Jane Doe",
        "sam@northstar.example",
        "Hi Jane, I'll handle this one personally.",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert!(jane.human_controlled());
    assert_eq!(h.notices_of(NoticeKind::Takeover).len(), 1);
    let takeover = h.audit(EventType::Takeover).await;
    assert_eq!(takeover.len(), 1);
    assert_eq!(takeover[0].metadata["by"], "sam@northstar.example");

    // The influencer's answer is recorded, but the agent does nothing with it.
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Sounds great, count me in!",
    )
    .await;
    h.run().await;
    assert!(h.domain("Jane Doe").await.human_controlled());
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
    assert_eq!(h.outbox().len(), 1);
    assert_eq!(h.audit(EventType::EmailReceived).await.len(), 2);
}

#[tokio::test]
async fn silence_brings_follow_ups_then_a_word_to_the_team() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.advance(71);
    h.run().await;
    assert_eq!(h.outbox().len(), 1, "not yet");
    h.advance(2);
    h.run().await;
    let emails = h.outbox_to("jane@creator.example");
    assert_eq!(emails.len(), 2);
    assert!(
        emails[1].body.contains("$1,250.00"),
        "restates the offer: {}",
        emails[1].body
    );
    assert_eq!(h.domain("Jane Doe").await.state(), S::Stale);
    h.advance(73);
    h.run().await;
    assert_eq!(h.outbox().len(), 3);
    h.advance(73);
    h.run().await;
    assert_eq!(h.outbox().len(), 3, "two follow-ups at most");
    assert_eq!(h.notices_of(NoticeKind::FollowUpLimit).len(), 1);
    assert_eq!(h.audit(EventType::FollowUp).await.len(), 2);

    // A late reply is still answered.
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Sorry for the delay, count me in!",
    )
    .await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::Agreed);
}

#[tokio::test]
async fn in_review_mode_every_email_waits_for_approval() {
    let mut h = Harness::new().await;
    h.start_campaign("review", "Jane Doe, Raj Patel").await;
    h.run().await;
    assert!(
        h.outbox().is_empty(),
        "nothing leaves before a person approves"
    );
    let waiting = drafts::list(&h.agent).await.unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!(h.notices_of(NoticeKind::DraftWaiting).len(), 2);
    let jane = waiting.iter().find(|d| d.influencer == "Jane Doe").unwrap();
    assert_eq!(jane.kind, "opening");
    assert_eq!(jane.our_rate, Some(money("1250")));
    assert!(jane.reason.contains("opening offer"), "{}", jane.reason);

    drafts::approve(&h.agent, jane.message_id, "pat")
        .await
        .unwrap();
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    let approved = h.audit(EventType::DraftApproved).await;
    assert_eq!(approved[0].metadata["by"], "pat");
    // Approving twice is refused with a reason.
    let again = drafts::approve(&h.agent, jane.message_id, "pat")
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("not waiting for review"),
        "{again}"
    );

    let raj = waiting
        .iter()
        .find(|d| d.influencer == "Raj Patel")
        .unwrap();
    drafts::discard(&h.agent, raj.message_id, "pat")
        .await
        .unwrap();
    h.run().await;
    assert!(h.outbox_to("raj@creator.example").is_empty());
    assert_eq!(h.domain("Raj Patel").await.state(), S::Escalated);
    assert_eq!(h.audit(EventType::DraftDiscarded).await.len(), 1);
}

#[tokio::test]
async fn a_send_that_went_out_before_a_crash_is_recorded_not_repeated() {
    let mut h = Harness::new().await;
    // The opening is stored as pending with its Message-ID; the mailbox sends it, then the
    // process "dies" before recording that.
    crate::gmail_ids::send_then_crash(&mut h).await;
    let lines = h.run().await;
    assert!(lines.iter().any(|l| l.contains("not resent")), "{lines:?}");
    assert_eq!(h.outbox().len(), 1);
    assert_eq!(h.audit(EventType::EmailSent).await.len(), 1);
}

#[tokio::test]
async fn the_same_reply_delivered_twice_is_handled_once() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    let id = h
        .reply("Jane Doe", "jane@creator.example", "My rate is $1,450.")
        .await;
    let raw = std::fs::read(h.paths.mail.join("inbox").join(format!("{id}.eml"))).unwrap();
    h.run().await;
    h.drop_raw("again.eml", &raw);
    h.run().await;
    assert_eq!(h.audit(EventType::EmailReceived).await.len(), 1);
    assert_eq!(h.outbox().len(), 2, "one opening, one counter");
}

#[tokio::test]
async fn unreadable_and_unmatched_mail_is_reported_not_lost() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.drop_raw("garbled.eml", b"\x00\x01\x02 not an email");
    h.drop_raw(
        "stranger.eml",
        b"From: someone@elsewhere.example\r\nSubject: hello\r\nMessage-ID: <x1@elsewhere>\r\n\r\nHi!",
    );
    h.run().await;
    let errors = h.notices_of(NoticeKind::Error);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(!h.audit(EventType::Error).await.is_empty());
    let unmatched = h.audit(EventType::EmailReceived).await;
    assert_eq!(unmatched[0].metadata["matched"], false);
    // Both files stay in the mailbox's read folder.
    assert_eq!(
        std::fs::read_dir(h.paths.mail.join("inbox").join("read"))
            .unwrap()
            .count(),
        2
    );
}

/// Writes the template's email, then changes our rate in it: what a misbehaving composer
/// (an LLM inventing a number) would do.
#[derive(Debug)]
struct TamperingComposer;

#[async_trait]
impl Composer for TamperingComposer {
    async fn compose(&self, request: &ComposeRequest<'_>) -> Result<Composed, ComposeError> {
        let text = template::render(request.plan, request.sender);
        Ok(match request.plan.our_rate {
            Some(rate) => text.replace(&rate.to_string(), "$9,999.00"),
            None => text,
        }
        .into())
    }

    fn describe(&self) -> String {
        "tampering".into()
    }
}

#[tokio::test]
async fn an_email_that_fails_the_gate_is_never_sent_and_a_person_is_asked() {
    let mut h = Harness::with(|adapters| Adapters {
        composer: Arc::new(TamperingComposer),
        ..adapters
    })
    .await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    assert!(h.outbox().is_empty());
    assert_eq!(h.domain("Jane Doe").await.state(), S::Escalated);
    let escalation = &h.notices_of(NoticeKind::Escalation)[0];
    assert!(
        escalation.summary.contains("validation gate"),
        "{}",
        escalation.summary
    );
    let errors = h.audit(EventType::Error).await;
    assert!(
        errors[0]
            .email_body
            .as_deref()
            .unwrap()
            .contains("$9,999.00")
    );
    // Nothing was parked: the escalation is the outcome, not a failure.
    let failed = h
        .agent
        .store
        .list_jobs(Some(JobStatus::Failed), 10)
        .await
        .unwrap();
    assert!(failed.is_empty());
}

#[tokio::test]
async fn a_reply_that_only_quotes_our_offer_goes_to_a_person() {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe").await;
    h.run().await;
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "On Mon, Nov 2, 2026 at 9:00 AM Avery <avery@northstar.example> wrote:\n\
         > For 1 Instagram reel, we'd like to offer $1,250.00.\n",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert_eq!(
        jane.state(),
        S::Escalated,
        "our own quoted offer is not their acceptance"
    );
    assert_eq!(jane.agreed_rate(), None);
}
