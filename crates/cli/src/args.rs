//! The command-line grammar: global options and one subcommand per capability.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use negotiator_store::EventType;

use crate::time_args::{Lookback, TimeArg};

/// An email agent that negotiates influencer marketing rates.
#[derive(Debug, Parser)]
#[command(name = "negotiator", version, about, propagate_version = true)]
pub struct Cli {
    /// The SQLite database file.
    #[arg(
        long,
        global = true,
        env = "NEGOTIATOR_DB",
        default_value = "data/negotiator.db"
    )]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Query the audit trail: every email, decision, escalation and agreement.
    Audit(AuditArgs),
}

/// Filters for `negotiator audit`; all of them combine (AND).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  negotiator audit --influencer \"Jane Doe\" --last 7d\n  \
    negotiator audit --campaign cmp-42 --event-type escalation --format csv\n  \
    negotiator audit --from 2026-11-01 --to 2026-11-15 --format json"
)]
pub struct AuditArgs {
    /// Influencer name (case-insensitive, exact).
    #[arg(long, value_name = "NAME")]
    pub influencer: Option<String>,

    /// Campaign id.
    #[arg(long, value_name = "ID")]
    pub campaign: Option<String>,

    /// Email thread id.
    #[arg(long, value_name = "ID")]
    pub thread: Option<String>,

    /// Only this kind of event.
    #[arg(long, value_name = "TYPE", value_parser = parse_event_type)]
    pub event_type: Option<EventType>,

    /// Entries at or after this UTC date or time (2026-11-01 or 2026-11-01T09:30:00Z).
    #[arg(long, value_name = "WHEN", conflicts_with = "last")]
    pub from: Option<TimeArg>,

    /// Entries up to this UTC date (the whole day is included) or before this time.
    #[arg(long, value_name = "WHEN")]
    pub to: Option<TimeArg>,

    /// Only the most recent period, such as 24h, 7d or 2w.
    #[arg(long, value_name = "PERIOD")]
    pub last: Option<Lookback>,

    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,

    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

fn parse_event_type(text: &str) -> Result<EventType, String> {
    text.parse::<EventType>().map_err(|error| error.to_string())
}
