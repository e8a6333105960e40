//! Every port's contract suite (`negotiator_testkit::contract`) against both of its adapters:
//! the local one on real files in a temp dir, the production one on a stateful fake of its
//! vendor (`negotiator_testkit::fakes`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use negotiator_adapters::campaign_source::{ClickUpSource, FileSource};
use negotiator_adapters::config::SlackChannels;
use negotiator_adapters::mailbox::FolderMailbox;
use negotiator_adapters::mailbox::gmail::GmailMailbox;
use negotiator_adapters::notify::TerminalNotifier;
use negotiator_adapters::notify::slack::SlackNotifier;
use negotiator_adapters::roster::CsvRoster;
use negotiator_adapters::roster::sheets::SheetsRoster;
use negotiator_store::Store;
use negotiator_testkit::contract::campaign_source::{
    self, CampaignShelf, Named, Required, SourceCaps, SourceSubject, Unreachable,
};
use negotiator_testkit::contract::mailbox::{self, MailProvider, MailboxCaps, MailboxSubject};
use negotiator_testkit::contract::notifier::{
    self, Delivery, LongText, NoticeChannel, NotifierCaps, NotifierSubject,
};
use negotiator_testkit::contract::roster::{self, RosterCaps, RosterSubject};
use negotiator_testkit::fakes::clickup::{FakeClickUp, form_mapping, form_task};
use negotiator_testkit::fakes::gmail::{FakeGmail, MessageIds};
use negotiator_testkit::fakes::sheets::FakeSheets;
use negotiator_testkit::fakes::slack::FakeSlack;
use serde_json::{Value, json};
use tempfile::TempDir;

// ---- Mailbox: a folder of .eml files, and Gmail ----

const GMAIL_USER: &str = "agent@northstar.example";

/// The folder mailbox's inbox and outbox, as a test feeds and reads them.
struct MailFolder {
    _dir: TempDir,
    inbox: PathBuf,
    outbox: PathBuf,
    arrivals: AtomicUsize,
}

#[async_trait]
impl MailProvider for MailFolder {
    async fn deliver(&self, raw: &[u8], _thread: Option<&str>) {
        let n = self.arrivals.fetch_add(1, Ordering::SeqCst);
        std::fs::write(self.inbox.join(format!("{n:04}.eml")), raw).unwrap();
    }

    async fn sent(&self) -> Vec<Vec<u8>> {
        std::fs::read_dir(&self.outbox)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "eml"))
            .map(|path| std::fs::read(path).unwrap())
            .collect()
    }
}

async fn folder_mailbox() -> MailboxSubject {
    let dir = tempfile::tempdir().unwrap();
    let mailbox = FolderMailbox::open(dir.path()).unwrap();
    let provider = MailFolder {
        inbox: mailbox.inbox(),
        outbox: mailbox.outbox(),
        _dir: dir,
        arrivals: AtomicUsize::new(0),
    };
    MailboxSubject {
        mailbox: Box::new(mailbox),
        provider: Box::new(provider),
        caps: MailboxCaps {
            files_inbound_by_thread: false,
            hands_out_own_sends: false,
        },
    }
}

/// The fake Gmail, and the store holding the mailbox's history cursor.
struct GmailProvider {
    fake: FakeGmail,
    _store: TempDir,
}

#[async_trait]
impl MailProvider for GmailProvider {
    async fn deliver(&self, raw: &[u8], thread: Option<&str>) {
        self.fake.deliver(raw, thread);
    }

    async fn sent(&self) -> Vec<Vec<u8>> {
        self.fake.sent()
    }
}

async fn gmail_mailbox(message_ids: MessageIds) -> MailboxSubject {
    let fake = FakeGmail::start(GMAIL_USER, message_ids).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("negotiator.db"))
        .await
        .unwrap();
    let mailbox = GmailMailbox::new(fake.client(), GMAIL_USER, store);
    MailboxSubject {
        mailbox: Box::new(mailbox),
        provider: Box::new(GmailProvider { fake, _store: dir }),
        caps: MailboxCaps {
            files_inbound_by_thread: true,
            hands_out_own_sends: true,
        },
    }
}

#[tokio::test]
async fn the_folder_mailbox_keeps_the_mailbox_contract() {
    mailbox::run(folder_mailbox).await;
}

#[tokio::test]
async fn gmail_keeps_the_mailbox_contract() {
    mailbox::run(|| gmail_mailbox(MessageIds::Kept)).await;
}

#[tokio::test]
async fn gmail_keeps_the_mailbox_contract_when_it_replaces_our_message_ids() {
    mailbox::run(|| gmail_mailbox(MessageIds::Replaced)).await;
}

#[tokio::test]
async fn gmail_finds_a_send_whose_message_id_gmail_replaced() {
    mailbox::a_send_whose_message_id_the_provider_replaced_is_found(
        gmail_mailbox(MessageIds::Replaced).await,
    )
    .await;
}

// ---- Roster: a CSV file, and a Google Sheet ----

fn csv_text(rows: &[&[&str]]) -> String {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn owned(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

async fn csv_roster(rows: &'static [&'static [&'static str]]) -> RosterSubject {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, csv_text(rows)).unwrap();
    RosterSubject {
        roster: Box::new(CsvRoster::load(&path).unwrap()),
        caps: RosterCaps {
            reads_on_demand: false,
        },
        keep: Box::new(dir),
    }
}

async fn sheets_roster(rows: &'static [&'static [&'static str]]) -> RosterSubject {
    let fake = FakeSheets::start("sheet-1").await;
    fake.put_tab("Rates", owned(&[&["Tier", "Rate"], &["A", "$1,000"]]));
    fake.put_tab("Test Client", owned(rows));
    let roster = SheetsRoster::new(fake.client(), "sheet-1", Some("test client".to_owned()));
    RosterSubject {
        roster: Box::new(roster),
        caps: RosterCaps {
            reads_on_demand: true,
        },
        keep: Box::new(fake),
    }
}

#[tokio::test]
async fn the_csv_roster_keeps_the_roster_contract() {
    roster::run(csv_roster).await;
}

#[tokio::test]
async fn the_sheets_roster_keeps_the_roster_contract() {
    roster::run(sheets_roster).await;
}

// ---- Notifier: the terminal's notices file, and Slack ----

/// The terminal notifier's JSON-lines file, read back as a person would read each notice.
struct NoticesFile {
    _dir: TempDir,
    path: PathBuf,
}

#[async_trait]
impl NoticeChannel for NoticesFile {
    async fn delivered(&self) -> Vec<Delivery> {
        TerminalNotifier::read_all(&self.path)
            .unwrap()
            .into_iter()
            .map(|notice| {
                let mut lines = vec![notice.title, notice.summary];
                lines.extend(notice.fields.iter().map(|(l, v)| format!("{l}: {v}")));
                lines.extend(notice.sections);
                Delivery {
                    visible: lines.join("\n"),
                    mentions: Vec::new(),
                }
            })
            .collect()
    }
}

struct SlackWorkspace(FakeSlack);

#[async_trait]
impl NoticeChannel for SlackWorkspace {
    async fn delivered(&self) -> Vec<Delivery> {
        self.0
            .posts()
            .iter()
            .map(|post| Delivery {
                visible: post.visible_text(),
                mentions: post.mentions(),
            })
            .collect()
    }
}

async fn terminal_notifier() -> NotifierSubject {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notices.jsonl");
    NotifierSubject {
        notifier: Box::new(TerminalNotifier::new(&path, false)),
        channel: Box::new(NoticesFile { _dir: dir, path }),
        caps: NotifierCaps {
            long_text: LongText::Whole,
        },
    }
}

async fn slack_notifier() -> NotifierSubject {
    let fake = FakeSlack::start("xoxb-111-222-ContractSuiteToken").await;
    let channels = SlackChannels {
        default: Some("C0GENERAL".into()),
        escalation: Some("C0ESCALATE".into()),
        ..SlackChannels::default()
    };
    NotifierSubject {
        notifier: Box::new(SlackNotifier::new(fake.client(), channels)),
        channel: Box::new(SlackWorkspace(fake)),
        caps: NotifierCaps {
            long_text: LongText::Cut {
                rest_at: "full text: `negotiator audit --thread 18c2f0a9b7e6d5c4`",
            },
        },
    }
}

#[tokio::test]
async fn the_terminal_notifier_keeps_the_notifier_contract() {
    notifier::run(terminal_notifier).await;
}

#[tokio::test]
async fn slack_keeps_the_notifier_contract() {
    notifier::run(slack_notifier).await;
}

// ---- Campaign source: campaign files, and ClickUp ----

/// Campaign files in a temp dir; the reference is the file's path.
struct CampaignFiles(TempDir);

impl CampaignFiles {
    /// The campaign the suite expects, as a person writes the file.
    fn campaign() -> Value {
        json!({
            "campaign_id": "glow-spring",
            "client_name": "Glow Skincare",
            "budget": "$25,000",
            "platform": "Instagram",
            "deliverables": ["1 instagram reel", "1 instagram story"],
            "cpm_target": 30,
            "cpm_leniency_pct": "50%",
            "influencers": ["Jane Doe", "Raj Patel", "Mia Chen"],
            "mode": "review",
        })
    }

    fn write(&self, name: &str, campaign: &Value) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, campaign.to_string()).unwrap();
        path.display().to_string()
    }
}

#[async_trait]
impl CampaignShelf for CampaignFiles {
    async fn complete(&self) -> String {
        self.write("complete.json", &Self::campaign())
    }

    async fn without(&self, field: Required) -> String {
        let mut campaign = Self::campaign();
        campaign.as_object_mut().unwrap().remove(field.name());
        self.write(&format!("without-{}.json", field.name()), &campaign)
    }

    async fn with_bad(&self, field: Required) -> String {
        let mut campaign = Self::campaign();
        campaign[field.name()] = json!(match field {
            Required::Budget => "lots of money",
            Required::Platform => "myspace",
        });
        self.write(&format!("bad-{}.json", field.name()), &campaign)
    }

    async fn unreachable(&self) -> String {
        self.0.path().join("gone.json").display().to_string()
    }
}

/// The intake form's task on the fake ClickUp, changed per case; the reference is a task id.
struct ClickUpTasks(FakeClickUp);

impl ClickUpTasks {
    /// Serves the form task as `id`, with `change` made to its custom field called `field`.
    fn put(&self, id: &str, field: &str, change: impl FnOnce(&mut Value)) -> String {
        let mut task = form_task();
        task["id"] = json!(id);
        let custom = task["custom_fields"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|f| f["name"] == field)
            .unwrap();
        change(custom);
        self.0.put_task(task);
        id.to_owned()
    }
}

fn form_field(field: Required) -> &'static str {
    match field {
        Required::Budget => "Campaign Budget",
        Required::Platform => "Primary Platform",
    }
}

#[async_trait]
impl CampaignShelf for ClickUpTasks {
    async fn complete(&self) -> String {
        self.put("86b2x7k1q", "Client Name", |_| {})
    }

    /// As ClickUp sends an unset field: without a `value` key.
    async fn without(&self, field: Required) -> String {
        let id = format!("without-{}", field.name());
        self.put(&id, form_field(field), |f| {
            f.as_object_mut().unwrap().remove("value");
        })
    }

    /// A budget in euros; a drop-down index no option has.
    async fn with_bad(&self, field: Required) -> String {
        let id = format!("bad-{}", field.name());
        self.put(&id, form_field(field), |f| match field {
            Required::Budget => f["type_config"]["currency_type"] = json!("EUR"),
            Required::Platform => f["value"] = json!(7),
        })
    }

    async fn unreachable(&self) -> String {
        let id = self.complete().await;
        self.0.fail_with(500);
        id
    }
}

async fn file_source() -> SourceSubject {
    SourceSubject {
        source: Box::new(FileSource),
        shelf: Box::new(CampaignFiles(tempfile::tempdir().unwrap())),
        caps: SourceCaps {
            missing_field: Named::InvalidDraft,
            bad_field: Named::InvalidDraft,
            unreachable: Unreachable::Misconfigured,
        },
    }
}

async fn clickup_source() -> SourceSubject {
    let fake = FakeClickUp::start("pk_111_ContractSuiteToken").await;
    let source = ClickUpSource {
        client: fake.client(),
        field_mapping: form_mapping(),
    };
    SourceSubject {
        source: Box::new(source),
        shelf: Box::new(ClickUpTasks(fake)),
        caps: SourceCaps {
            missing_field: Named::InvalidDraft,
            bad_field: Named::Unusable,
            unreachable: Unreachable::RetryableVendorError,
        },
    }
}

#[tokio::test]
async fn the_file_source_keeps_the_campaign_source_contract() {
    campaign_source::run(file_source).await;
}

#[tokio::test]
async fn clickup_keeps_the_campaign_source_contract() {
    campaign_source::run(clickup_source).await;
}
