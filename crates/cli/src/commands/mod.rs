//! One module per subcommand; `run` dispatches.

mod audit;
mod campaign;
mod classify;
mod database;
mod demo;
mod drafts;
mod jobs;
mod local;
mod negotiations;
mod run;

use crate::args::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(&cli.db, args).await,
        Command::Campaign(command) => campaign::run(&cli.db, &cli.data_dir, command).await,
        Command::Run => run::run(&cli.db, &cli.data_dir).await,
        Command::Drafts(command) => drafts::run(&cli.db, &cli.data_dir, command).await,
        Command::Negotiations(args) => negotiations::run(&cli.db, args).await,
        Command::Jobs(command) => jobs::run(&cli.db, command).await,
        Command::Classify(args) => classify::run(args).await,
        Command::Audit(args) => audit::run(&cli.db, args).await,
    }
}

/// Who is acting, for the audit trail: `--by`, else the login name.
fn person(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "cli".to_owned())
}
