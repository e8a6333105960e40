//! A real inbox, through the worker: out-of-office and other automatic answers, bounces and
//! opt-outs are recognised before anyone reads an intent, and the suppression list binds.

use negotiator_agent::ports::notifier::NoticeKind;
use negotiator_agent::workflows::{ingest::ingest, suppressions};
use negotiator_domain::{EmailAddress, NegotiationState as S};
use negotiator_store::{
    Direction, EventType, MessageStatus, SuppressionReason, find_suppression, list_messages,
};
use negotiator_testkit::{Harness, campaign};

/// Jane and Raj, openings sent (the clock starts on Monday 2026-11-02, 09:00 UTC).
async fn opened() -> Harness {
    let mut h = Harness::new().await;
    h.start_campaign("auto", "Jane Doe, Raj Patel").await;
    h.run().await;
    assert_eq!(h.outbox().len(), 2);
    h
}

/// The Message-ID and subject of the latest email we sent `influencer`.
async fn latest_sent(h: &Harness, influencer: &str) -> (String, String) {
    let loaded = h.negotiation(influencer).await;
    let sent = list_messages(h.agent.store.db(), loaded.row.negotiation_id)
        .await
        .unwrap()
        .into_iter()
        .rfind(|m| m.direction == Direction::Sent && m.status == MessageStatus::Sent)
        .expect("we wrote to them");
    (sent.rfc_message_id.unwrap(), sent.subject)
}

/// An email from `from` answering our latest email to `influencer`, with extra `headers`.
async fn answer(h: &Harness, influencer: &str, from: &str, headers: &str, body: &str) {
    let (id, subject) = latest_sent(h, influencer).await;
    let n = h.lines.len();
    let raw = format!(
        "From: {from}\r\nTo: avery@northstar.example\r\nSubject: {subject}\r\n\
         Message-ID: <auto-{n}-{}@creator.example>\r\nIn-Reply-To: <{id}>\r\n\
         References: <{id}>\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\n{headers}\r\n{body}\r\n",
        h.agent.now().as_second()
    );
    h.drop_raw(
        &format!("auto-{n}-{}.eml", h.agent.now().as_second()),
        raw.as_bytes(),
    );
}

/// A Gmail-style delivery status notification for our latest email to `influencer`.
async fn bounce(h: &Harness, influencer: &str, recipient: &str, action: &str, status: &str) {
    let (id, subject) = latest_sent(h, influencer).await;
    let raw = format!(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n\
         To: avery@northstar.example\r\n\
         Subject: Delivery Status Notification (Failure)\r\n\
         Message-ID: <dsn-{status}-{}@mx.google.com>\r\n\
         Date: Mon, 02 Nov 2026 09:05:00 +0000\r\nMIME-Version: 1.0\r\n\
         Auto-Submitted: auto-replied\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n\
         Your message wasn't delivered to {recipient}.\r\n\r\n\
         --b1\r\nContent-Type: message/delivery-status\r\n\r\n\
         Reporting-MTA: dns; googlemail.com\r\n\r\n\
         Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} The email account that you tried to reach does not exist.\r\n\r\n\
         --b1\r\nContent-Type: text/rfc822-headers\r\n\r\n\
         Message-ID: <{id}>\r\nSubject: {subject}\r\nFrom: avery@northstar.example\r\nTo: {recipient}\r\n\r\n\
         --b1--\r\n",
        h.agent.now().as_second()
    );
    h.drop_raw(
        &format!("dsn-{status}-{}.eml", h.agent.now().as_second()),
        raw.as_bytes(),
    );
}

fn address(text: &str) -> EmailAddress {
    EmailAddress::parse(text).unwrap()
}

#[tokio::test]
async fn an_out_of_office_is_never_answered_and_holds_the_follow_up_until_they_are_back() {
    let mut h = opened().await;
    answer(
        &h,
        "Jane Doe",
        "Jane Doe <jane@creator.example>",
        "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n",
        "Thank you for your email. I am out of the office until November 16 with no access \
         to email. I will reply when I return.",
    )
    .await;
    h.run().await;

    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::AwaitingReply, "not read as a reply");
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        1,
        "never answered"
    );
    assert!(
        h.notices_of(NoticeKind::Escalation).is_empty(),
        "nobody is bothered"
    );
    let filed = h.audit(EventType::AutoReply).await;
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0].metadata["returns_on"], "2026-11-16");

    // The usual follow-up would go out on Thursday: it waits.
    h.advance(24 * 4);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    // Back on Monday the 16th: the follow-up goes on the next business day, Tuesday.
    h.advance(24 * 10);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    h.advance(24);
    h.run().await;
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        2,
        "{:#?}",
        h.lines
    );
}

#[tokio::test]
async fn an_out_of_office_without_a_date_holds_the_follow_up_for_a_week() {
    let mut h = opened().await;
    answer(
        &h,
        "Jane Doe",
        "jane@creator.example",
        "",
        "Automatic reply: I'm currently out of the office with limited access to email.",
    )
    .await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
    assert_eq!(h.audit(EventType::AutoReply).await.len(), 1);
    h.advance(24 * 6);
    h.run().await;
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        1,
        "held for 7 days"
    );
    h.advance(24 * 2);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 2);
}

#[tokio::test]
async fn a_person_mentioning_their_holiday_is_still_read() {
    let mut h = opened().await;
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "I'll be out of office next week, but $1,400 works for me if you can do it.",
    )
    .await;
    h.run().await;
    assert!(h.audit(EventType::AutoReply).await.is_empty());
    assert_ne!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
}

#[tokio::test]
async fn a_permanent_bounce_suppresses_the_address_and_goes_to_a_person() {
    let mut h = opened().await;
    bounce(&h, "Jane Doe", "jane@creator.example", "failed", "5.1.1").await;
    h.run().await;

    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::Escalated);
    let told = h.notices_of(NoticeKind::Escalation);
    assert_eq!(told.len(), 1);
    assert!(told[0].title.contains("bounced"), "{:#?}", told[0]);
    assert!(told[0].summary.contains("roster"), "{:#?}", told[0]);
    let entry = find_suppression(h.agent.store.db(), "jane@creator.example")
        .await
        .unwrap()
        .expect("suppressed");
    assert_eq!(entry.reason, SuppressionReason::Bounce);
    let filed = h.audit(EventType::Bounce).await;
    assert_eq!(filed[0].metadata["status"], "5.1.1");
    assert_eq!(h.audit(EventType::SuppressionAdded).await.len(), 1);

    // Nothing goes to that address again: not the follow-up, not a new campaign.
    h.advance(24 * 10);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    let started = ingest(&h.agent, &campaign("glow-2", "auto", "Jane Doe"), "file")
        .await
        .unwrap()
        .started()
        .unwrap();
    assert!(started.started.is_empty());
    assert!(
        started.skipped[0].1.contains("suppression list"),
        "{:?}",
        started.skipped
    );
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    // Raj's thread carries on untouched: his follow-ups went out.
    assert!(h.outbox_to("raj@creator.example").len() > 1);
}

#[tokio::test]
async fn a_temporary_bounce_is_filed_and_the_thread_carries_on() {
    let mut h = opened().await;
    bounce(&h, "Jane Doe", "jane@creator.example", "delayed", "4.2.2").await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
    let filed = h.audit(EventType::Bounce).await;
    assert_eq!(filed[0].metadata["severity"], "temporary");
    assert!(
        find_suppression(h.agent.store.db(), "jane@creator.example")
            .await
            .unwrap()
            .is_none()
    );
    assert!(h.notices_of(NoticeKind::Escalation).is_empty());
    // The follow-up still goes out when it is due.
    h.advance(24 * 4);
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 2);
}

#[tokio::test]
async fn a_bounce_for_an_address_we_never_wrote_to_suppresses_nothing() {
    let mut h = opened().await;
    // Names our email to Jane, but someone else's address: forged or stray.
    bounce(&h, "Jane Doe", "ceo@brand.example", "failed", "5.1.1").await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
    for who in ["ceo@brand.example", "jane@creator.example"] {
        assert!(
            find_suppression(h.agent.store.db(), who)
                .await
                .unwrap()
                .is_none()
        );
    }
    assert_eq!(
        h.notices_of(NoticeKind::Error).len(),
        1,
        "the team hears of it"
    );
}

#[tokio::test]
async fn an_opt_out_ends_the_negotiation_silently_and_binds_every_later_campaign() {
    let mut h = opened().await;
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Hi, thanks but please remove me from your list.",
    )
    .await;
    h.run().await;
    let jane = h.domain("Jane Doe").await;
    assert_eq!(jane.state(), S::Rejected);
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        1,
        "no decline email"
    );
    assert_eq!(h.audit(EventType::OptOut).await.len(), 1);
    let entry = find_suppression(h.agent.store.db(), "jane@creator.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.reason, SuppressionReason::OptOut);
    assert_eq!(h.notices_of(NoticeKind::Rejected).len(), 1);

    let next = ingest(
        &h.agent,
        &campaign("glow-2", "auto", "Jane Doe, Mia Chen"),
        "file",
    )
    .await
    .unwrap()
    .started()
    .unwrap();
    assert_eq!(next.started.len(), 1, "only Mia");
    assert!(next.skipped[0].1.contains("asked not to be written to"));
}

#[tokio::test]
async fn a_suppressed_address_gets_nothing_even_from_a_thread_in_progress() {
    let mut h = opened().await;
    let added = suppressions::add(
        &h.agent,
        &address("jane@creator.example"),
        "asked by phone",
        "pat",
    )
    .await
    .unwrap();
    assert!(added.new);
    assert_eq!(added.in_roster, ["Jane Doe"]);
    let entries = h.audit(EventType::SuppressionAdded).await;
    assert_eq!(entries[0].metadata["by"], "pat");

    // Her counter would be answered; the answer is discarded instead, and the team told.
    h.reply("Jane Doe", "jane@creator.example", "Could you do $1,400?")
        .await;
    h.run().await;
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
    let withheld = h.notices_of(NoticeKind::Error);
    assert!(
        withheld
            .iter()
            .any(|n| n.summary.contains("suppression list")),
        "{withheld:#?}"
    );

    // Taken off the list, she can be written to again (audited with who).
    let removed = suppressions::remove(&h.agent, &address("jane@creator.example"), "pat")
        .await
        .unwrap();
    assert!(removed.is_some());
    assert_eq!(h.audit(EventType::SuppressionRemoved).await.len(), 1);
    // Suppressing an address nobody knows is allowed and says so.
    let stranger = suppressions::add(&h.agent, &address("nobody@else.example"), "", "pat")
        .await
        .unwrap();
    assert!(stranger.in_roster.is_empty());
    let entries = h.audit(EventType::SuppressionAdded).await;
    assert!(
        entries
            .iter()
            .any(|e| e.metadata["roster"] == "not in the roster")
    );
}

#[tokio::test]
async fn an_auto_reply_without_a_body_is_filed_and_nothing_is_sent() {
    let mut h = opened().await;
    answer(
        &h,
        "Jane Doe",
        "jane@creator.example",
        "Auto-Submitted: auto-replied\r\n",
        "",
    )
    .await;
    h.run().await;
    assert_eq!(h.domain("Jane Doe").await.state(), S::AwaitingReply);
    assert_eq!(h.audit(EventType::AutoReply).await.len(), 1);
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
}

#[tokio::test]
async fn a_garbled_bounce_of_our_email_still_counts_and_nothing_is_dropped() {
    let mut h = opened().await;
    let (id, subject) = latest_sent(&h, "Jane Doe").await;
    let raw = format!(
        "From: MAILER-DAEMON@mx.creator.example\r\nTo: avery@northstar.example\r\n\
         Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <garbled-1@mx>\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n\r\n\
         --x\r\nContent-Type: message/delivery-status\r\n\r\n\u{0}\u{1}garbage ; ; Status:\r\n\
         --x\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{id}>\r\nSubject: {subject}\r\n\
         \r\n--x"
    );
    h.drop_raw("garbled.eml", raw.as_bytes());
    h.run().await;
    let filed = h.audit(EventType::Bounce).await;
    assert_eq!(filed.len(), 1, "{:#?}", h.lines);
    // Tied to our email to Jane, it is acted on; either way nothing more goes to her address
    // unless the report said the failure was only temporary.
    let jane = h.domain("Jane Doe").await;
    if filed[0].metadata["severity"] == "permanent" {
        assert_eq!(jane.state(), S::Escalated);
    } else {
        assert_eq!(jane.state(), S::AwaitingReply);
    }
    assert_eq!(h.outbox_to("jane@creator.example").len(), 1);
}

#[tokio::test]
async fn a_reply_in_a_language_we_do_not_read_goes_to_a_person_and_nothing_is_sent() {
    let mut h = opened().await;
    let sent_before = h.outbox().len();
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "ありがとうございます。料金についてはマネージャーと相談してから改めてご連絡します。",
    )
    .await;
    h.run().await;
    assert_eq!(h.outbox().len(), sent_before, "nothing is sent on a guess");
    assert!(h.audit(EventType::AutoReply).await.is_empty());
    assert_eq!(h.domain("Jane Doe").await.state(), S::Escalated);
    let received = h.audit(EventType::EmailReceived).await;
    assert!(
        received.iter().any(|e| e
            .email_body
            .as_deref()
            .is_some_and(|b| b.contains("ありがとう"))),
        "{received:#?}"
    );
    assert_eq!(h.notices_of(NoticeKind::Escalation).len(), 1);
}
