//! What acting commands share: the database path, the configuration, and the agent built
//! from them (production adapters where configured, local ones otherwise).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use negotiator_adapters::config::Config;
use negotiator_adapters::wiring;
use negotiator_agent::Agent;
use negotiator_agent::ports::clock::SystemClock;
use negotiator_store::Store;

#[derive(Debug)]
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
}

impl Context {
    /// Loads the configuration; `--data-dir` overrides `[local] data_dir`.
    pub fn new(
        db: PathBuf,
        data_dir: Option<PathBuf>,
        config: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let mut config = Config::load(config)?;
        if let Some(dir) = data_dir {
            config.local.data_dir = dir;
        }
        Ok(Context { db, config })
    }

    pub async fn store(&self) -> anyhow::Result<Store> {
        Store::open(&self.db)
            .await
            .with_context(|| format!("could not open the database at {}", self.db.display()))
    }

    /// The agent for work that writes to people (sends, drafts, decisions): refused, naming
    /// the keys to set, while the configuration does not say who the agent is.
    pub async fn acting_agent(&self, print_notices: bool) -> anyhow::Result<Agent> {
        if let Some(error) = self.config.agent.identity_error() {
            anyhow::bail!("{error}");
        }
        self.agent(print_notices).await
    }

    /// The agent; `print_notices` shows local notices on standard output.
    pub async fn agent(&self, print_notices: bool) -> anyhow::Result<Agent> {
        let store = self.store().await?;
        let adapters = wiring::adapters(&self.config, &store, print_notices)
            .context("could not set up the adapters")?;
        Ok(Agent::new(
            store,
            adapters,
            self.config.settings(),
            Arc::new(SystemClock),
        ))
    }
}
