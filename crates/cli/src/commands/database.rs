//! Opening the database for commands that read what the agent has already recorded.

use std::path::Path;

use anyhow::{Context, bail};
use negotiator_store::Store;

/// Opens an existing database; a missing file is an error rather than a new empty database.
pub async fn open_existing(path: &Path) -> anyhow::Result<Store> {
    if !path.exists() {
        bail!(
            "no database at {}; run `negotiator demo` to create one, or point --db (or \
             NEGOTIATOR_DB) at an existing file",
            path.display()
        );
    }
    Store::open(path)
        .await
        .with_context(|| format!("could not open the database at {}", path.display()))
}
