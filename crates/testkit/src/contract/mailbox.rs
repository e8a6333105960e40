//! The mailbox contract: a sent email is found again by its Message-ID, in its thread; a reply
//! continues the thread; mail that arrives is handed out, oldest first, until it is
//! acknowledged, and never after.

use std::future::Future;

use async_trait::async_trait;
use negotiator_agent::ports::mailbox::{
    Delivered, Mailbox, OutboundEmail, RawInbound, SEND_ID_HEADER,
};
use negotiator_domain::EmailAddress;
use negotiator_reading::mail::parse_message;

use super::runner::{Case, run_cases};

/// A mailbox to hold to the contract, and its provider's side.
pub struct MailboxSubject {
    pub mailbox: Box<dyn Mailbox>,
    pub provider: Box<dyn MailProvider>,
    pub caps: MailboxCaps,
}

/// Where mailboxes legitimately differ.
#[derive(Clone, Copy, Debug)]
pub struct MailboxCaps {
    /// The provider files arriving mail under a thread and the mailbox says which
    /// (`RawInbound::thread_id`); otherwise it is `None`.
    pub files_inbound_by_thread: bool,
    /// `fetch_new` also hands out what the mailbox itself sent (Gmail's history holds the
    /// agent's own sends; the inbound workflow skips them).
    pub hands_out_own_sends: bool,
}

/// The provider behind a mailbox, as a test sees it.
#[async_trait]
pub trait MailProvider: Send + Sync {
    /// Makes `raw` arrive, filed in `thread` where the provider keeps threads.
    async fn deliver(&self, raw: &[u8], thread: Option<&str>);

    /// Every message the mailbox sent, as the provider holds it (RFC 5322 bytes).
    async fn sent(&self) -> Vec<Vec<u8>>;
}

/// Runs every case, each on a fresh subject from `make`.
pub async fn run<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = MailboxSubject>,
{
    let cases: &[Case<MailboxSubject>] = &[
        Case {
            name: "describe says what the mailbox is",
            run: |s| Box::pin(describe_is_not_empty(s)),
        },
        Case {
            name: "a sent email is found by its Message-ID, in its thread",
            run: |s| Box::pin(a_sent_email_is_found_by_its_message_id(s)),
        },
        Case {
            name: "an unknown Message-ID is not found",
            run: |s| Box::pin(an_unknown_message_id_is_not_found(s)),
        },
        Case {
            name: "a reply sent into the thread continues it",
            run: |s| Box::pin(a_reply_continues_the_thread(s)),
        },
        Case {
            name: "nothing is handed out before mail arrives",
            run: |s| Box::pin(nothing_is_handed_out_before_mail_arrives(s)),
        },
        Case {
            name: "arrived mail is handed out until acknowledged, never after",
            run: |s| Box::pin(arrived_mail_is_handed_out_until_acknowledged(s)),
        },
        Case {
            name: "arrivals come oldest first and are acknowledged one by one",
            run: |s| Box::pin(arrivals_come_oldest_first(s)),
        },
        Case {
            name: "a reply in our thread is handed out with that thread",
            run: |s| Box::pin(a_reply_in_our_thread_is_filed_under_it(s)),
        },
    ];
    run_cases("Mailbox", cases, make, |s| s.mailbox.describe()).await;
}

const AGENT: &str = "agent@northstar.example";
const FIRST_ID: &str = "contract-1.1@negotiator.local";
const REPLY_ID: &str = "contract-2.1@negotiator.local";
const SUBJECT: &str = "Collaboration with Glow Skincare";

/// Our email, new (`parent: None`) or answering `parent` = (thread id, its Message-ID).
fn outbound(message_id: &str, parent: Option<(&str, &str)>) -> OutboundEmail {
    OutboundEmail {
        message_id: message_id.to_owned(),
        thread_id: parent.map(|(thread, _)| thread.to_owned()),
        from_name: "Avery at Northstar".to_owned(),
        from_address: AGENT.to_owned(),
        to: EmailAddress::parse("jane@creator.example").unwrap(),
        cc: vec![],
        subject: match parent {
            Some(_) => format!("Re: {SUBJECT}"),
            None => SUBJECT.to_owned(),
        },
        body: "Hi Jane,\n\nWe would love to work with you: $1,250.00 for one reel.\n".to_owned(),
        in_reply_to: parent.map(|(_, id)| id.to_owned()),
        references: parent
            .map(|(_, id)| vec![id.to_owned()])
            .unwrap_or_default(),
        date: 1_764_000_000,
    }
}

/// An influencer's email, as it arrives.
fn inbound(message_id: &str, answering: Option<&str>) -> Vec<u8> {
    let threading = answering
        .map(|id| format!("In-Reply-To: <{id}>\r\nReferences: <{id}>\r\n"))
        .unwrap_or_default();
    format!(
        "Message-ID: <{message_id}>\r\nFrom: Jane Doe <jane@creator.example>\r\nTo: {AGENT}\r\n\
         Subject: Re: {SUBJECT}\r\nDate: Tue, 25 Nov 2025 10:00:00 +0000\r\n{threading}\r\n\
         Thanks! Could you do $1,500 instead? ({message_id})\r\n"
    )
    .into_bytes()
}

fn message_id_of(raw: &[u8]) -> Option<String> {
    parse_message(raw).ok().and_then(|m| m.message_id)
}

/// Whether `raw` is our send `message_id`: its Message-ID, or (where the provider replaced
/// that) our send header.
fn is_send(raw: &[u8], message_id: &str) -> bool {
    message_id_of(raw).as_deref() == Some(message_id)
        || send_header(raw).as_deref() == Some(message_id)
}

fn send_header(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case(SEND_ID_HEADER)
            .then(|| value.trim().to_owned())
    })
}

/// The Message-ID a send really carries, as the send reported it (ours if it did not say).
fn carried(delivered: &Delivered, ours: &str) -> String {
    delivered
        .message_id
        .clone()
        .unwrap_or_else(|| ours.to_owned())
}

/// The Message-IDs of what `fetch_new` handed out, in order.
fn ids(handed_out: &[RawInbound]) -> Vec<String> {
    handed_out
        .iter()
        .map(|m| {
            message_id_of(&m.raw).unwrap_or_else(|| format!("(no Message-ID: {})", m.provider_id))
        })
        .collect()
}

async fn fetch(s: &MailboxSubject) -> Vec<RawInbound> {
    s.mailbox
        .fetch_new()
        .await
        .unwrap_or_else(|e| panic!("fetch_new failed: {e}"))
}

async fn send(s: &MailboxSubject, email: &OutboundEmail) -> Delivered {
    s.mailbox
        .send(email)
        .await
        .unwrap_or_else(|e| panic!("sending {} failed: {e}", email.message_id))
}

/// Looks our send `message_id` (to Jane) up as recovery does, since the start of time.
async fn find_sent(s: &MailboxSubject, message_id: &str) -> Option<Delivered> {
    s.mailbox
        .find_sent(&outbound(message_id, None), 0)
        .await
        .unwrap_or_else(|e| panic!("find_sent({message_id}) failed: {e}"))
}

async fn acknowledge(s: &MailboxSubject, message: &RawInbound) {
    s.mailbox
        .acknowledge(message)
        .await
        .unwrap_or_else(|e| panic!("acknowledging {} failed: {e}", message.provider_id));
}

/// What the provider holds of our send `message_id`.
async fn sent_copy(s: &MailboxSubject, message_id: &str) -> Vec<u8> {
    let sent = s.provider.sent().await;
    sent.iter()
        .find(|raw| is_send(raw, message_id))
        .cloned()
        .unwrap_or_else(|| {
            let held: Vec<Option<String>> = sent.iter().map(|raw| message_id_of(raw)).collect();
            panic!(
                "the provider holds no sent message with Message-ID {message_id}; it holds {held:?}"
            )
        })
}

pub async fn describe_is_not_empty(s: MailboxSubject) {
    assert!(
        !s.mailbox.describe().trim().is_empty(),
        "describe() is empty"
    );
}

/// What went out carries our Message-ID (the key of exactly-once sending) and is found again
/// by it, in the thread the send reported.
pub async fn a_sent_email_is_found_by_its_message_id(s: MailboxSubject) {
    let delivered = send(&s, &outbound(FIRST_ID, None)).await;
    assert!(
        !delivered.thread_id.trim().is_empty(),
        "the send reported an empty thread id"
    );
    let copy = parse_message(&sent_copy(&s, FIRST_ID).await).unwrap();
    assert_eq!(
        copy.message_id, delivered.message_id,
        "the send must report the Message-ID the sent message carries"
    );
    assert_eq!(copy.subject, SUBJECT, "the sent message's subject");
    assert_eq!(
        copy.to.first().map(|t| t.address.as_str()),
        Some("jane@creator.example"),
        "the sent message's To"
    );
    assert_eq!(
        find_sent(&s, FIRST_ID).await,
        Some(delivered),
        "find_sent must find the send in the thread the send reported"
    );
}

pub async fn an_unknown_message_id_is_not_found(s: MailboxSubject) {
    send(&s, &outbound(FIRST_ID, None)).await;
    assert_eq!(
        find_sent(&s, "never-sent.1@negotiator.local").await,
        None,
        "find_sent found a Message-ID that was never sent"
    );
}

/// A reply with the thread, In-Reply-To, References and `Re:` subject stays in the thread, at
/// the provider too.
pub async fn a_reply_continues_the_thread(s: MailboxSubject) {
    let first = send(&s, &outbound(FIRST_ID, None)).await;
    // The reply cites the Message-ID the first email really carries.
    let cited = carried(&first, FIRST_ID);
    let reply = send(&s, &outbound(REPLY_ID, Some((&first.thread_id, &cited)))).await;
    assert_eq!(
        reply.thread_id, first.thread_id,
        "the reply left the thread"
    );
    assert_eq!(
        find_sent(&s, REPLY_ID).await.map(|d| d.thread_id),
        Some(first.thread_id),
        "find_sent must find the reply in the thread"
    );
    let copy = parse_message(&sent_copy(&s, REPLY_ID).await).unwrap();
    assert_eq!(
        copy.in_reply_to.as_deref(),
        Some(cited.as_str()),
        "the reply's In-Reply-To"
    );
    assert_eq!(copy.references, [cited], "the reply's References");
}

pub async fn nothing_is_handed_out_before_mail_arrives(s: MailboxSubject) {
    assert_eq!(
        ids(&fetch(&s).await),
        Vec::<String>::new(),
        "first fetch_new"
    );
    assert_eq!(
        ids(&fetch(&s).await),
        Vec::<String>::new(),
        "second fetch_new"
    );
}

/// Handed out once it is there, again while not acknowledged, never after; acknowledging
/// twice (a crash before the first was recorded) is harmless.
pub async fn arrived_mail_is_handed_out_until_acknowledged(s: MailboxSubject) {
    // A mailbox may start reading from "now": open it before anything arrives.
    fetch(&s).await;
    let raw = inbound("reply-1@creator.example", None);
    s.provider.deliver(&raw, None).await;

    let first = fetch(&s).await;
    assert_eq!(ids(&first), ["reply-1@creator.example"], "after it arrived");
    assert_eq!(
        first[0].raw, raw,
        "the message must be handed out byte for byte"
    );
    let again = fetch(&s).await;
    assert_eq!(
        again.first().map(|m| (&m.provider_id, &m.raw)),
        Some((&first[0].provider_id, &raw)),
        "not acknowledged: handed out again, the same"
    );

    acknowledge(&s, &first[0]).await;
    assert_eq!(
        ids(&fetch(&s).await),
        Vec::<String>::new(),
        "after acknowledge"
    );
    // Again, as after a crash before the first was recorded: harmless.
    acknowledge(&s, &first[0]).await;
    assert_eq!(
        ids(&fetch(&s).await),
        Vec::<String>::new(),
        "after acknowledging twice"
    );
}

/// Acknowledging the newer of two leaves the older one to be handed out, and vice versa.
pub async fn arrivals_come_oldest_first(s: MailboxSubject) {
    fetch(&s).await;
    s.provider
        .deliver(&inbound("older@creator.example", None), None)
        .await;
    s.provider
        .deliver(&inbound("newer@creator.example", None), None)
        .await;
    let both = fetch(&s).await;
    assert_eq!(
        ids(&both),
        ["older@creator.example", "newer@creator.example"],
        "oldest first"
    );

    acknowledge(&s, &both[1]).await;
    assert_eq!(
        ids(&fetch(&s).await),
        ["older@creator.example"],
        "the newer one acknowledged: the older one is still handed out"
    );
    acknowledge(&s, &both[0]).await;
    assert_eq!(
        ids(&fetch(&s).await),
        Vec::<String>::new(),
        "both acknowledged"
    );
}

/// The influencer's answer to our email comes back with the thread the provider filed it in.
pub async fn a_reply_in_our_thread_is_filed_under_it(s: MailboxSubject) {
    fetch(&s).await;
    let ours = send(&s, &outbound(FIRST_ID, None)).await;
    let cited = carried(&ours, FIRST_ID);
    let raw = inbound("reply-1@creator.example", Some(&cited));
    s.provider.deliver(&raw, Some(&ours.thread_id)).await;

    let handed_out = fetch(&s).await;
    let expected: Vec<&str> = if s.caps.hands_out_own_sends {
        vec![&cited, "reply-1@creator.example"]
    } else {
        vec!["reply-1@creator.example"]
    };
    assert_eq!(ids(&handed_out), expected, "what fetch_new handed out");
    let reply = handed_out.iter().find(|m| m.raw == raw).unwrap();
    let expected_thread = s.caps.files_inbound_by_thread.then_some(ours.thread_id);
    assert_eq!(reply.thread_id, expected_thread, "the reply's thread");
}

/// For providers that may replace the Message-ID we wrote (Gmail): a send is still found by
/// our Message-ID, or a crash between sending and recording it would send it twice.
pub async fn a_send_whose_message_id_the_provider_replaced_is_found(s: MailboxSubject) {
    let delivered = send(&s, &outbound(FIRST_ID, None)).await;
    let held: Vec<Option<String>> = s
        .provider
        .sent()
        .await
        .iter()
        .map(|r| message_id_of(r))
        .collect();
    assert!(
        held.len() == 1 && held[0].as_deref() != Some(FIRST_ID),
        "set-up: the provider was to replace the Message-ID, and holds {held:?}"
    );
    assert_eq!(
        find_sent(&s, FIRST_ID).await,
        Some(delivered),
        "a send whose Message-ID the provider replaced ({:?}) is not found by ours",
        held[0]
    );
}
