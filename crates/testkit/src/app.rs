//! The service as its routes see it: the agent on local adapters in a temp folder, the router
//! of `negotiator serve`, and one loopback fake for whichever vendor the test talks to.

use std::sync::Arc;

use jiff::Timestamp;
use negotiator_adapters::config::Config;
use negotiator_adapters::local::LocalPaths;
use negotiator_agent::ports::clock::ManualClock;
use negotiator_agent::{Adapters, Agent, Settings};
use negotiator_server::Server;
use negotiator_store::Store;
use wiremock::MockServer;

use crate::fixtures::ROSTER;

/// When every test app's clock starts (it only moves forward).
pub const START: &str = "2026-11-02T09:00:00Z";

/// A running app: send requests to `router`, look at `agent` and the files under `paths`.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub paths: LocalPaths,
    pub clock: Arc<ManualClock>,
    pub agent: Agent,
    pub router: axum::Router,
    /// The vendor's fake (Slack's Web API, ClickUp's API, ...), on loopback.
    pub fake: MockServer,
}

/// How a test sets up its app: the configuration (demo persona, local data, a free port) and
/// the adapters (local ones) before the agent starts.
pub struct Setup<'a> {
    pub config: &'a mut Config,
    pub adapters: &'a mut Adapters,
    pub fake: &'a MockServer,
}

/// An app with the demo's persona, the shared roster, its clock at [`START`], and `setup`'s
/// changes.
pub async fn spawn_app(setup: impl FnOnce(Setup<'_>)) -> TestApp {
    spawn_app_at(START.parse().unwrap_or(Timestamp::UNIX_EPOCH), setup).await
}

/// The same with the clock starting at `start`.
pub async fn spawn_app_at(start: Timestamp, setup: impl FnOnce(Setup<'_>)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let paths = LocalPaths::under(dir.path());
    std::fs::write(&paths.roster, ROSTER).unwrap();
    let fake = MockServer::start().await;
    let mut config = Config {
        agent: Settings::demo(),
        ..Config::default()
    };
    config.server.bind = "127.0.0.1:0".to_owned();
    config.local.data_dir = dir.path().to_owned();
    let store = Store::open(&dir.path().join("n.db")).await.unwrap();
    let mut adapters = paths.adapters(false).unwrap();
    setup(Setup {
        config: &mut config,
        adapters: &mut adapters,
        fake: &fake,
    });
    let clock = Arc::new(ManualClock::new(start));
    let agent = Agent::new(store, adapters, config.agent.clone(), clock.clone());
    let server = Server::bind(agent.clone(), Arc::new(config)).await.unwrap();
    let router = negotiator_server::router(server.state().clone());
    TestApp {
        dir,
        paths,
        clock,
        agent,
        router,
        fake,
    }
}
