//! One module per subcommand; `run` dispatches.

mod act;
mod audit;
mod campaign;
mod classify;
mod clickup;
mod context;
mod database;
mod demo;
mod doctor;
mod drafts;
mod eval;
mod init;
mod jobs;
mod mail_push;
mod negotiations;
mod run;
mod sending;
mod serve;
mod suppressions;
mod users;

use crate::args::{Cli, Command};
use context::Context;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Init(args) => init::run(args),
        Command::Demo(args) => demo::run(&cli.db, args).await,
        Command::Audit(args) => audit::run(&cli.db, args).await,
        Command::Negotiations(args) => negotiations::run(&cli.db, args).await,
        Command::Jobs(command) => jobs::run(&cli.db, command).await,
        Command::Users(command) => users::run(&cli.db, command).await,
        command => {
            let context = Context::new(cli.db, cli.data_dir, cli.config.as_deref())?;
            match command {
                Command::Serve => serve::run(&context).await,
                Command::Doctor => doctor::run(&context).await,
                Command::Classify(args) => classify::run(&context, args).await,
                Command::Eval(command) => eval::run(&context, command).await,
                Command::Clickup(command) => clickup::run(&context, command).await,
                Command::Campaign(command) => campaign::run(&context, command).await,
                Command::Run => run::run(&context).await,
                Command::Drafts(command) => drafts::run(&context, command).await,
                Command::Suppressions(command) => suppressions::run(&context, command).await,
                Command::Pause(args) if args.all => sending::run(&context, true, args.by).await,
                Command::Resume(args) if args.all => sending::run(&context, false, args.by).await,
                command @ (Command::Approve(_)
                | Command::Counter(_)
                | Command::Reject(_)
                | Command::HandBack(_)
                | Command::Claim(_)
                | Command::Release(_)
                | Command::Pause(_)
                | Command::Resume(_)
                | Command::Stop(_)) => act::run(&context, command).await,
                _ => unreachable_command(),
            }
        }
    }
}

/// Every command is dispatched above; this keeps the match total without a panic.
fn unreachable_command() -> anyhow::Result<()> {
    anyhow::bail!("this command is not available here; see `negotiator --help`")
}

/// Who is acting, for the audit trail: `--by`, else the login name.
fn person(by: Option<String>) -> String {
    by.or_else(|| std::env::var("USER").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "cli".to_owned())
}

/// One field of a CSV line, quoted when it must be.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
