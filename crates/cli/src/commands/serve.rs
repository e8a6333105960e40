//! `negotiator serve`: the long-running service.

use std::sync::Arc;
use std::time::Instant;

use negotiator_agent::ports::roster::warn_about_problems;
use negotiator_server::{Server, shutdown_signal};

use super::context::Context;

pub async fn run(context: &Context) -> anyhow::Result<()> {
    let started = Instant::now();
    let agent = context.acting_agent(true).await?;
    let adapters = agent.adapters.describe();
    let roster = agent.adapters.roster.clone();
    let server = Server::bind(agent, Arc::new(context.config.clone())).await?;
    let addr = server
        .local_addr()
        .map_or_else(|| context.config.server.bind.clone(), |a| a.to_string());
    match &context.config.source {
        Some(path) => tracing::info!(config = %path.display(), "configuration loaded"),
        None => tracing::info!("no negotiator.toml: running with the defaults"),
    }
    for (port, description) in &adapters {
        tracing::info!(port, adapter = %description, "adapter");
    }
    warn_about_problems(roster.as_ref());
    tracing::info!(
        %addr,
        database = %context.db.display(),
        ready_ms = started.elapsed().as_millis() as u64,
        "negotiator is serving: GET /healthz, /readyz, /metrics"
    );
    server.run(shutdown_signal()).await?;
    tracing::info!("stopped cleanly");
    Ok(())
}
