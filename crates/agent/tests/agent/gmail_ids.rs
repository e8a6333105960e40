//! The agent on a fake Gmail that keeps our Message-IDs, and on one that replaces them: a send
//! that went out before a crash is found by our send header and recorded, not sent again; the
//! reply that cites Gmail's id is matched; the next email cites the ids the messages carry.

use std::sync::Arc;

use negotiator_adapters::mailbox::gmail::GmailMailbox;
use negotiator_agent::ports::mailbox::OutboundEmail;
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_reading::mail::parse_message;
use negotiator_store::{EventType, MessageStatus, Store, list_messages_by_status};
use negotiator_testkit::Harness;
use negotiator_testkit::fakes::gmail::{FakeGmail, MessageIds};

async fn harness(ids: MessageIds) -> (Harness, FakeGmail, tempfile::TempDir) {
    let user = negotiator_agent::Settings::demo().agent_address;
    let fake = FakeGmail::start(&user, ids).await;
    let dir = tempfile::tempdir().unwrap();
    let cursor_store = Store::open(&dir.path().join("cursor.db")).await.unwrap();
    let client = fake.client();
    let h = Harness::with(move |mut adapters| {
        adapters.mailbox = Arc::new(GmailMailbox::new(client, user, cursor_store));
        adapters
    })
    .await;
    // The first read starts the cursor at the mailbox's present.
    poll_inbox(&h.agent).await.unwrap();
    (h, fake, dir)
}

/// Sends the opening offer as the worker would, then "dies" before recording it.
pub(crate) async fn send_then_crash(h: &mut Harness) {
    h.start_campaign("auto", "Jane Doe").await;
    while list_messages_by_status(h.agent.store.db(), MessageStatus::Pending)
        .await
        .unwrap()
        .is_empty()
    {
        h.worker.turn().await.unwrap();
    }
    let pending = list_messages_by_status(h.agent.store.db(), MessageStatus::Pending)
        .await
        .unwrap();
    let message = &pending[0];
    let email = OutboundEmail {
        message_id: message.rfc_message_id.clone().unwrap(),
        thread_id: None,
        from_name: "Avery".into(),
        from_address: h.agent.settings.agent_address.clone(),
        to: message.to_addr.parse().unwrap(),
        cc: vec![],
        subject: message.subject.clone(),
        body: message.body.clone(),
        in_reply_to: None,
        references: vec![],
        date: h.agent.now().as_second(),
    };
    h.agent.adapters.mailbox.send(&email).await.unwrap();
}

async fn crash_then_reply(ids: MessageIds) {
    let (mut h, fake, _dir) = harness(ids).await;
    send_then_crash(&mut h).await;
    let lines = h.run().await;
    assert!(
        lines.iter().any(|l| l.contains("not resent")),
        "{ids:?}: {lines:?}"
    );
    assert_eq!(fake.sent().len(), 1, "{ids:?}: sent twice");
    assert_eq!(h.audit(EventType::EmailSent).await.len(), 1);

    // The Message-ID the opening really carries, as Jane sees it.
    let opening = parse_message(&fake.sent()[0]).unwrap();
    let carried = opening.message_id.clone().unwrap();
    let ours = list_messages_by_status(h.agent.store.db(), MessageStatus::Sent)
        .await
        .unwrap()[0]
        .rfc_message_id
        .clone()
        .unwrap();
    assert_eq!(
        carried == ours,
        ids == MessageIds::Kept,
        "{ids:?}: set-up: Gmail keeps or replaces our Message-ID"
    );

    // Jane answers from a client that starts a thread of its own in our mailbox: only her
    // In-Reply-To (Gmail's id) ties it to the negotiation.
    let answer = format!(
        "Message-ID: <jane-1@creator.example>\r\nFrom: Jane Doe <jane@creator.example>\r\n\
         To: {}\r\nSubject: Re: {}\r\nIn-Reply-To: <{carried}>\r\nReferences: <{carried}>\r\n\
         Date: Mon, 02 Nov 2026 10:00:00 +0000\r\n\r\nMy rate is $1,450.\r\n",
        h.agent.settings.agent_address, opening.subject
    );
    fake.deliver(answer.as_bytes(), None);
    h.run().await;
    assert_eq!(
        h.audit(EventType::EmailReceived).await.len(),
        1,
        "{ids:?}: Jane's answer is matched"
    );
    let sent = fake.sent();
    assert_eq!(sent.len(), 2, "{ids:?}: one answer to Jane");
    let counter = parse_message(&sent[1]).unwrap();
    assert_eq!(
        counter.in_reply_to.as_deref(),
        Some("jane-1@creator.example")
    );
    assert!(
        counter.references.contains(&carried),
        "{ids:?}: References cite the id the opening carries ({carried}), not ours: {:?}",
        counter.references
    );
}

#[tokio::test]
async fn with_gmail_keeping_our_message_ids_a_crash_sends_nothing_twice_and_threads_hold() {
    crash_then_reply(MessageIds::Kept).await;
}

#[tokio::test]
async fn with_gmail_replacing_our_message_ids_a_crash_sends_nothing_twice_and_threads_hold() {
    crash_then_reply(MessageIds::Replaced).await;
}
