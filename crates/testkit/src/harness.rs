//! A whole agent on the local adapters in a temp folder, driven through the worker with a
//! clock that lets days pass.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::mailbox::{PlayedReply, play_reply};
use negotiator_adapters::notify::TerminalNotifier;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::ports::notifier::{Notice, NoticeKind};
use negotiator_agent::workflows::inbound::poll_inbox;
use negotiator_agent::workflows::ingest::ingest;
use negotiator_agent::workflows::{Loaded, restore};
use negotiator_agent::{Adapters, Agent, Settings, Turn, Worker};
use negotiator_domain::{CampaignDraft, Negotiation};
use negotiator_reading::mail::{InboundEmail, parse_message};
use negotiator_store::{AuditEntry, AuditFilter, EventType, Store, list_negotiations};

pub use crate::fixtures::ROSTER;

pub fn campaign(id: &str, mode: &str, names: &str) -> CampaignDraft {
    CampaignDraft {
        campaign_id: Some(id.to_owned()),
        client_name: Some("Glow Skincare".to_owned()),
        budget: Some("$20,000".to_owned()),
        platform: Some("instagram".to_owned()),
        deliverables: vec!["1 instagram reel".to_owned()],
        cpm_target: Some("$25".to_owned()),
        cpm_leniency_pct: Some("20".to_owned()),
        influencers: vec![names.to_owned()],
        mode: Some(mode.to_owned()),
        ..CampaignDraft::default()
    }
}

/// Numbers replies so every one has its own Message-ID.
static REPLIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub paths: LocalPaths,
    pub clock: Arc<ManualClock>,
    pub agent: Agent,
    pub worker: Worker,
    pub lines: Vec<String>,
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(|adapters| adapters).await
    }

    /// A harness whose adapters can be swapped (e.g. a composer that misbehaves).
    pub async fn with(change: impl FnOnce(Adapters) -> Adapters) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let paths = LocalPaths::under(dir.path());
        std::fs::write(&paths.roster, ROSTER).unwrap();
        let store = Store::open(&dir.path().join("negotiator.db"))
            .await
            .unwrap();
        let clock = Arc::new(ManualClock::new("2026-11-02T09:00:00Z".parse().unwrap()));
        let adapters = change(paths.adapters(false).unwrap());
        let agent = Agent::new(store, adapters, Settings::demo(), clock.clone());
        let worker = Worker::new(agent.clone());
        Harness {
            dir,
            paths,
            clock,
            agent,
            worker,
            lines: Vec::new(),
        }
    }

    /// Starts campaign `glow` ([`campaign`]) in `mode` with `names`, as a campaign file is
    /// imported; its openings wait in the queue.
    pub async fn start_campaign(&self, mode: &str, names: &str) {
        ingest(&self.agent, &campaign("glow", mode, names), "file")
            .await
            .unwrap();
    }

    /// Reads the inbox and runs every due job; returns the turns' lines.
    pub async fn run(&mut self) -> Vec<String> {
        poll_inbox(&self.agent).await.unwrap();
        let mut lines = Vec::new();
        self.worker
            .run_until_idle(|turn| match turn {
                Turn::Done { line, .. } => lines.push(line.clone()),
                other => lines.push(format!("{other:?}")),
            })
            .await
            .unwrap();
        self.lines.extend(lines.clone());
        lines
    }

    pub fn advance(&self, hours: i64) -> Timestamp {
        self.clock.advance(SignedDuration::from_hours(hours))
    }

    pub async fn negotiation(&self, influencer: &str) -> Loaded {
        let rows = list_negotiations(self.agent.store.db(), "glow")
            .await
            .unwrap();
        let row = rows
            .into_iter()
            .find(|r| r.influencer_name == influencer)
            .unwrap_or_else(|| panic!("no negotiation with {influencer}"));
        Loaded::from_row(&self.agent, row).await.unwrap()
    }

    pub async fn domain(&self, influencer: &str) -> Negotiation {
        restore(&self.negotiation(influencer).await.row).unwrap()
    }

    /// Every email in the outbox, parsed, oldest first.
    pub fn outbox(&self) -> Vec<InboundEmail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.paths.mail.join("outbox"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        let mut emails: Vec<InboundEmail> = files
            .iter()
            .map(|p| parse_message(&std::fs::read(p).unwrap()).unwrap())
            .collect();
        emails.sort_by_key(|e| e.date);
        emails
    }

    pub fn outbox_to(&self, address: &str) -> Vec<InboundEmail> {
        self.outbox()
            .into_iter()
            .filter(|e| e.to.iter().any(|m| m.address == address))
            .collect()
    }

    pub fn notices(&self) -> Vec<Notice> {
        TerminalNotifier::read_all(&self.paths.notices).unwrap()
    }

    pub fn notices_of(&self, kind: NoticeKind) -> Vec<Notice> {
        self.notices()
            .into_iter()
            .filter(|n| n.kind == kind)
            .collect()
    }

    pub async fn audit(&self, event: EventType) -> Vec<AuditEntry> {
        let filter = AuditFilter {
            event_type: Some(event),
            limit: 1_000,
            ..AuditFilter::default()
        };
        self.agent.store.audit_entries(&filter).await.unwrap()
    }

    /// Drops a reply from `from` into the inbox, answering the latest email we sent `influencer`.
    pub async fn reply(&self, influencer: &str, from: &str, body: &str) -> String {
        let loaded = self.negotiation(influencer).await;
        let n = REPLIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let message_id = format!("reply-{n}-{}@creator.example", self.agent.now().as_second());
        let reply = PlayedReply {
            message_id: message_id.clone(),
            from_name: influencer,
            from_address: from,
            body,
            date: self.agent.now().as_second(),
            automatic: false,
        };
        play_reply(
            &self.agent,
            &self.paths.mail,
            loaded.row.negotiation_id,
            &reply,
        )
        .await
        .expect("we sent them something");
        message_id
    }

    /// Writes raw bytes into the inbox as a file.
    pub fn drop_raw(&self, name: &str, raw: &[u8]) {
        std::fs::write(self.paths.mail.join("inbox").join(name), raw).unwrap();
    }
}
