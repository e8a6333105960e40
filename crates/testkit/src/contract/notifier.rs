//! The notifier contract: each notice is delivered once per call with its title, summary and
//! fields; outside text that would ping a channel arrives as text, never as a ping; a very
//! long notice is still delivered (cut within the channel's limits where it has them).

use std::future::Future;

use async_trait::async_trait;
use negotiator_agent::ports::notifier::{Notice, NoticeKind, Notifier};

use super::runner::{Case, run_cases};

/// A notifier to hold to the contract, and the channel its notices reach.
pub struct NotifierSubject {
    pub notifier: Box<dyn Notifier>,
    pub channel: Box<dyn NoticeChannel>,
    pub caps: NotifierCaps,
}

/// Where notifiers legitimately differ.
#[derive(Clone, Copy, Debug)]
pub struct NotifierCaps {
    pub long_text: LongText,
}

/// What becomes of a notice's long sections.
#[derive(Clone, Copy, Debug)]
pub enum LongText {
    /// Delivered whole (a file).
    Whole,
    /// Cut within the channel's limits, saying where the rest is (`rest_at` appears).
    Cut { rest_at: &'static str },
}

/// One delivered notice, as the team reads it.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// Everything a person sees, as text.
    pub visible: String,
    /// What notifies people on delivery (`@channel`-style mentions); none in a file.
    pub mentions: Vec<String>,
}

/// Where the notices go, as a test sees it.
#[async_trait]
pub trait NoticeChannel: Send + Sync {
    /// Every delivery so far, oldest first.
    async fn delivered(&self) -> Vec<Delivery>;
}

/// Runs every case, each on a fresh subject from `make`.
pub async fn run<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = NotifierSubject>,
{
    let cases: &[Case<NotifierSubject>] = &[
        Case {
            name: "each notice is delivered once, with its title, summary and fields",
            run: |s| Box::pin(each_notice_is_delivered_once_with_its_facts(s)),
        },
        Case {
            name: "outside text that would ping a channel is delivered as text",
            run: |s| Box::pin(outside_text_never_pings(s)),
        },
        Case {
            name: "a very long notice is delivered",
            run: |s| Box::pin(a_very_long_notice_is_delivered(s)),
        },
        Case {
            name: "describe says where notices go",
            run: |s| Box::pin(describe_is_not_empty(s)),
        },
    ];
    run_cases("Notifier", cases, make, |s| s.notifier.describe()).await;
}

async fn notify(s: &NotifierSubject, notice: &Notice) {
    s.notifier
        .notify(notice)
        .await
        .unwrap_or_else(|e| panic!("notify({:?}) failed: {e}", notice.title));
}

fn assert_shows(delivery: &Delivery, texts: &[&str]) {
    for text in texts {
        assert!(
            delivery.visible.contains(text),
            "{} is not in what was delivered:\n{}",
            clip(text),
            clip(&delivery.visible)
        );
    }
}

/// `text` short enough for a failure message.
fn clip(text: &str) -> String {
    const SHOWN: usize = 1_500;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}… ({} characters)", &text[..cut], text.chars().count()),
        None => format!("{text:?}"),
    }
}

pub async fn each_notice_is_delivered_once_with_its_facts(s: NotifierSubject) {
    let escalation = Notice::new(
        NoticeKind::Escalation,
        "Jane Doe asks above the limit",
        "Asked $1,800.00; the limit is $1,500.00",
    )
    .field("Their ask", "$1,800.00 ($36.00 CPM)")
    .field("Our offer", "$1,250.00");
    notify(&s, &escalation).await;
    let delivered = s.channel.delivered().await;
    assert_eq!(delivered.len(), 1, "one notify, one delivery");
    assert_shows(
        &delivered[0],
        &[
            "Jane Doe asks above the limit",
            "Asked $1,800.00; the limit is $1,500.00",
            "Their ask",
            "$1,800.00 ($36.00 CPM)",
            "Our offer",
            "$1,250.00",
        ],
    );

    notify(
        &s,
        &Notice::new(
            NoticeKind::Agreement,
            "Raj Patel agreed",
            "$900.00 for one reel",
        ),
    )
    .await;
    let delivered = s.channel.delivered().await;
    assert_eq!(delivered.len(), 2, "a second notify, a second delivery");
    assert_shows(&delivered[1], &["Raj Patel agreed", "$900.00 for one reel"]);
    assert!(
        !delivered[1].visible.contains("Jane Doe asks"),
        "the second delivery repeats the first notice:\n{}",
        delivered[1].visible
    );
}

/// Text from an email or a form lands in notices; none of it may notify a channel.
pub async fn outside_text_never_pings(s: NotifierSubject) {
    let notice = Notice::new(
        NoticeKind::Escalation,
        "Reply from <!channel> Jane",
        "She wrote: @here look <@U024BE7LH> & <!subteam^S0614TZR7>",
    )
    .field("Their words", "<!everyone> pay me @channel")
    .section("Them (Nov 3 10:00):\n<!here|here> I want <https://evil.example|a link> & more");
    notify(&s, &notice).await;
    let delivered = s.channel.delivered().await;
    assert_eq!(delivered.len(), 1, "one notify, one delivery");
    assert_eq!(
        delivered[0].mentions,
        Vec::<String>::new(),
        "outside text pinged people"
    );
    assert_shows(
        &delivered[0],
        &[
            "Reply from <!channel> Jane",
            "@here look <@U024BE7LH> & <!subteam^S0614TZR7>",
            "<!everyone> pay me @channel",
            "<!here|here> I want <https://evil.example|a link> & more",
        ],
    );
}

pub async fn a_very_long_notice_is_delivered(s: NotifierSubject) {
    let conversation: String = (0..1_500)
        .map(|i| {
            format!(
                "Message {i}: I can do the reel & 2 stories for ${},{:03}.\n",
                1 + i / 1000,
                i % 1000
            )
        })
        .collect();
    let mut notice = Notice::new(
        NoticeKind::Escalation,
        "A long negotiation with Jane Doe",
        "Thirty rounds and counting",
    )
    .section(conversation.clone());
    notice.thread_id = Some("18c2f0a9b7e6d5c4".to_owned());
    for i in 0..25 {
        notice = notice.field(format!("Fact {i}"), format!("value {i}"));
    }
    notify(&s, &notice).await;
    let delivered = s.channel.delivered().await;
    assert_eq!(delivered.len(), 1, "one notify, one delivery");
    let shown = &delivered[0];
    assert_shows(
        shown,
        &[
            "A long negotiation with Jane Doe",
            "Message 0: I can do the reel & 2 stories for $1,000.",
            "Fact 24",
            "value 24",
        ],
    );
    match s.caps.long_text {
        LongText::Whole => assert_shows(shown, &[conversation.trim_end()]),
        LongText::Cut { rest_at } => {
            assert!(
                !shown.visible.contains("Message 1499:"),
                "the whole {}-character section was delivered uncut",
                conversation.len()
            );
            assert_shows(shown, &[rest_at]);
        }
    }
}

pub async fn describe_is_not_empty(s: NotifierSubject) {
    assert!(
        !s.notifier.describe().trim().is_empty(),
        "describe() is empty"
    );
}
