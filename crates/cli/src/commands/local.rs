//! The agent on the local adapters, for commands that act (import, run, drafts).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use negotiator_agent::clock::SystemClock;
use negotiator_agent::local::LocalPaths;
use negotiator_agent::{Agent, Settings};
use negotiator_store::Store;

/// Opens (creating if needed) the database and the local adapters under `data_dir`.
pub async fn open_agent(db: &Path, data_dir: &Path, print_notices: bool) -> anyhow::Result<Agent> {
    let store = Store::open(db)
        .await
        .with_context(|| format!("could not open the database at {}", db.display()))?;
    let adapters = LocalPaths::under(data_dir)
        .adapters(print_notices)
        .with_context(|| format!("could not set up the local adapters in {}", data_dir.display()))?;
    Ok(Agent::new(store, adapters, Settings::default(), Arc::new(SystemClock)))
}
