//! A worker with a Slack notifier and (optionally) a ClickUp intake, both on fakes.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use negotiator_adapters::campaign_source::ClickUpSource;
use negotiator_adapters::config::{Config, SlackChannels};
use negotiator_adapters::local::LocalPaths;
use negotiator_adapters::notify::slack::SlackNotifier;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::tasks::{JobKey, Task, queue};
use negotiator_agent::{Adapters, Agent, Worker};
use negotiator_server::Server;
use negotiator_store::Store;
use negotiator_vendors::clickup::ClickUpClient;
use negotiator_vendors::slack::SlackClient;
use negotiator_vendors::{RetryPolicy, Secret};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

pub const FORM_TASK: &str = negotiator_testkit::fixtures::CLICKUP_FORM_TASK;

pub struct Rig {
    _dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub agent: Agent,
    pub server: Server,
}

pub async fn rig(slack: &MockServer, retry: RetryPolicy, clickup: Option<&MockServer>) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(
        &paths.roster,
        "name,email,platform,average views\nJane Doe,jane@creator.example,instagram,50000\n",
    )
    .unwrap();
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let client = SlackClient::new(
        slack.uri(),
        Secret::new("xoxb-test"),
        Duration::from_secs(5),
    )
    .unwrap()
    .with_retry(retry);
    let channels = SlackChannels {
        default: Some("C-DEFAULT".into()),
        errors: Some("C-ERRORS".into()),
        ..SlackChannels::default()
    };
    let mut adapters: Adapters = paths.adapters(false).unwrap();
    adapters.notifier = Arc::new(SlackNotifier::new(client, channels));
    if let Some(clickup) = clickup {
        let mapping = [
            ("Client Name", "client_name"),
            ("Campaign Budget", "budget"),
            ("Primary Platform", "platform"),
            (
                "Target Deliverables per Influencer (select all that apply)",
                "deliverables",
            ),
            ("CPM Target - Numerical value ($20-$50)", "cpm_target"),
            ("Influencers to contact", "influencers"),
            ("Sending mode", "mode"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let client = ClickUpClient::new(&clickup.uri(), Secret::new("pk"), Duration::from_secs(5))
            .unwrap()
            .with_retry(RetryPolicy::immediate(3))
            .with_requests_per_minute(100_000);
        adapters.campaign_source = Some(Arc::new(ClickUpSource {
            client,
            field_mapping: mapping,
        }));
    }
    let clock = Arc::new(ManualClock::new("2026-11-02T09:00:00Z".parse().unwrap()));
    let agent = Agent::new(
        store,
        adapters,
        negotiator_agent::Settings::demo(),
        clock.clone(),
    );
    let mut config = Config::default();
    config.server.bind = "127.0.0.1:0".into();
    let server = Server::bind(agent.clone(), Arc::new(config)).await.unwrap();
    Rig {
        _dir: dir,
        clock,
        agent,
        server,
    }
}

impl Rig {
    pub async fn queue(&self, task: Task, key: JobKey) {
        let mut tx = self.agent.store.begin_write().await.unwrap();
        queue(&mut tx, &task, &key, self.agent.now()).await.unwrap();
        tx.commit().await.unwrap();
    }

    pub async fn work(&self) {
        Worker::new(self.agent.clone())
            .run_until_idle(|_| {})
            .await
            .unwrap();
    }

    pub fn metric(&self, line_start: &str) -> Option<f64> {
        let text = self.server.state().metrics.render();
        text.lines()
            .find(|l| l.starts_with(line_start))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    }
}

pub fn ok_post() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"ok": true, "channel": "C-DEFAULT", "ts": "1.1"}))
}
