//! One module per subcommand; `run` dispatches.

mod audit;
mod database;

use crate::args::{Cli, Command};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Audit(args) => audit::run(&cli.db, args).await,
    }
}
