//! The worker's commits do not wait for the disk, but nothing leaves the process resting on a
//! commit the disk could still lose: every email, post to the team and inbox acknowledgement
//! happens with the store owing no sync.

use std::sync::{Arc, Mutex, OnceLock};

use async_trait::async_trait;
use negotiator_agent::Turn;
use negotiator_agent::ports::mailbox::{
    Delivered, Mailbox, MailboxError, OutboundEmail, RawInbound,
};
use negotiator_agent::ports::notifier::{Notice, Notifier, NotifyError};
use negotiator_agent::workflows::push::{Push, accept_push};
use negotiator_store::Store;
use negotiator_testkit::Harness;

/// Notes, at each call that reaches outside, whether the store still owed a sync.
#[derive(Default)]
struct Probe {
    store: OnceLock<Store>,
    seen: Mutex<Vec<(&'static str, bool)>>,
}

impl Probe {
    fn see(&self, what: &'static str) {
        let owed = self.store.get().is_some_and(Store::owes_sync);
        self.seen.lock().unwrap().push((what, owed));
    }

    fn seen(&self) -> Vec<(&'static str, bool)> {
        self.seen.lock().unwrap().clone()
    }
}

struct ProbedMailbox(Arc<dyn Mailbox>, Arc<Probe>);

#[async_trait]
impl Mailbox for ProbedMailbox {
    async fn send(&self, email: &OutboundEmail) -> Result<Delivered, MailboxError> {
        self.1.see("send");
        self.0.send(email).await
    }

    async fn find_sent(
        &self,
        email: &OutboundEmail,
        since: i64,
    ) -> Result<Option<Delivered>, MailboxError> {
        self.0.find_sent(email, since).await
    }

    async fn fetch_new(&self) -> Result<Vec<RawInbound>, MailboxError> {
        self.0.fetch_new().await
    }

    async fn acknowledge(&self, message: &RawInbound) -> Result<(), MailboxError> {
        self.1.see("acknowledge");
        self.0.acknowledge(message).await
    }

    fn describe(&self) -> String {
        self.0.describe()
    }
}

struct ProbedNotifier(Arc<dyn Notifier>, Arc<Probe>);

#[async_trait]
impl Notifier for ProbedNotifier {
    async fn notify(&self, notice: &Notice) -> Result<(), NotifyError> {
        self.1.see("notify");
        self.0.notify(notice).await
    }

    fn describe(&self) -> String {
        self.0.describe()
    }
}

async fn probed() -> (Harness, Arc<Probe>) {
    let probe = Arc::new(Probe::default());
    let p = Arc::clone(&probe);
    let h = Harness::with(move |mut adapters| {
        adapters.mailbox = Arc::new(ProbedMailbox(adapters.mailbox, Arc::clone(&p)));
        adapters.notifier = Arc::new(ProbedNotifier(adapters.notifier, p));
        adapters
    })
    .await;
    assert!(probe.store.set(h.agent.store.clone()).is_ok());
    (h, probe)
}

#[tokio::test]
async fn nothing_leaves_the_process_before_the_decision_behind_it_is_on_disk() {
    let (mut h, probe) = probed().await;
    h.start_campaign("auto", "Jane Doe, Raj Patel").await;
    assert!(
        !h.agent.store.owes_sync(),
        "an import outside the worker syncs"
    );

    // The first job opens a negotiation: its decision and email are committed, not synced.
    let first = h.worker.turn().await.unwrap();
    assert!(matches!(first, Turn::Done { .. }), "{first:?}");
    assert!(
        h.agent.store.owes_sync(),
        "the worker's decision should not have waited for the disk"
    );
    assert!(h.outbox().is_empty());

    h.run().await;
    assert_eq!(h.outbox().len(), 2);
    assert!(!h.agent.store.owes_sync(), "an idle worker has synced");

    // A reply read by the worker's own job (as a Gmail push queues it), a counter sent back,
    // and a deal the team is told about.
    h.advance(5);
    h.reply(
        "Jane Doe",
        "jane@creator.example",
        "Thanks! My rate for the reel is $1,450.",
    )
    .await;
    let push = Push {
        message_id: "push-1",
        email_address: "avery@northstar.example",
        history_id: 1,
        body: b"{}",
    };
    accept_push(&h.agent, &push).await.unwrap();
    let mut lines = Vec::new();
    h.worker
        .run_until_idle(|turn| lines.push(format!("{turn:?}")))
        .await
        .unwrap();
    h.advance(5);
    h.reply("Jane Doe", "jane@creator.example", "Deal, let's do it!")
        .await;
    h.run().await;

    let seen = probe.seen();
    for what in ["send", "acknowledge", "notify"] {
        assert!(
            seen.iter().any(|(w, _)| *w == what),
            "expected a {what} in {seen:?}"
        );
    }
    assert!(
        seen.iter().all(|(_, owed)| !owed),
        "something left the process before the work it rests on was on disk: {seen:?}"
    );
    assert_eq!(
        h.outbox_to("jane@creator.example").len(),
        3,
        "{lines:?} {:?}",
        h.lines
    );
}
