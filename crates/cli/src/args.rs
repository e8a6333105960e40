//! The command-line grammar: global options and one subcommand per capability.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use negotiator_store::{EventType, JobStatus};

use crate::time_args::{Lookback, TimeArg};

/// An email agent that negotiates influencer marketing rates.
#[derive(Debug, Parser)]
#[command(name = "negotiator", version, propagate_version = true)]
pub struct Cli {
    /// The SQLite database file.
    #[arg(
        long,
        global = true,
        env = "NEGOTIATOR_DB",
        default_value = "data/negotiator.db"
    )]
    pub db: PathBuf,

    /// Folder of the local adapters: roster.csv, mail/ (outbox, inbox) and notices.jsonl
    /// (default: [local] data_dir in the config, else `data`).
    #[arg(long, global = true, env = "NEGOTIATOR_DATA")]
    pub data_dir: Option<PathBuf>,

    /// The configuration file (default: negotiator.toml here, if it exists).
    #[arg(long, global = true, env = "NEGOTIATOR_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set a team up: a commented negotiator.toml, a roster, an example campaign and the
    /// default knowledge base (never writes over a file).
    Init(InitArgs),
    /// Run a whole scripted campaign on the local adapters in a few seconds.
    Demo(DemoArgs),
    /// Run the service: webhooks, health and metrics over HTTP, the job worker and the scheduler.
    Serve,
    /// Check the configuration and whether each configured service answers.
    Doctor,
    /// Import campaigns.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Do the due work once: send queued email, read the inbox, answer replies, follow up.
    Run,
    /// ClickUp set-up: list a form's fields, register the webhook.
    #[command(subcommand)]
    Clickup(ClickUpCommand),
    /// Review the emails held for approval.
    #[command(subcommand)]
    Drafts(DraftsCommand),
    /// Show every negotiation and where it stands.
    Negotiations(NegotiationsArgs),
    /// See and replay the durable job queue.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// The suppression list: addresses no campaign writes to (opt-outs, hard bounces, and
    /// addresses added by hand).
    #[command(subcommand)]
    Suppressions(SuppressionsCommand),
    /// Read one email from standard input and show how the agent reads it.
    Classify(ClassifyArgs),
    /// Measure the configured classifier on labelled replies.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Query the audit trail: every email, decision, escalation and agreement.
    Audit(AuditArgs),
    /// Close an escalated negotiation at their ask (or at --rate).
    Approve(ApproveArgs),
    /// Counter an escalated negotiation at a rate of your choosing.
    Counter(CounterArgs),
    /// End an escalated negotiation; a polite decline waits for review.
    Reject(ActArgs),
    /// Give an escalated negotiation back to the agent to answer on its own rules.
    HandBack(ActArgs),
    /// Take a thread over: the agent stops acting on it until it is released.
    Claim(ActArgs),
    /// Give a thread you took over back to the agent.
    Release(ActArgs),
    /// Hold a negotiation (or, with --all, every outbound email) until it is resumed.
    Pause(HoldArgs),
    /// Let a paused negotiation (or, with --all, all sending) carry on.
    Resume(HoldArgs),
    /// End a negotiation for good, without an email.
    Stop(ActArgs),
    /// The team logins of the dashboard `negotiator serve` shows at `/`.
    #[command(subcommand)]
    Users(UsersCommand),
}

#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:\n  negotiator users add pat\n  \
    printf '%s\\n' \"$PASSWORD\" | negotiator users add pat --password-stdin\n  \
    negotiator users list\n  negotiator users remove pat\n\nWith no user the dashboard is off.")]
pub enum UsersCommand {
    /// Add a login; the password is asked for (never given as an argument).
    Add {
        name: String,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a login; its sessions end at once.
    Remove { name: String },
    /// Every login.
    List,
}

/// Where `negotiator init` writes.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  negotiator init my-team && cd my-team && negotiator doctor")]
pub struct InitArgs {
    /// The folder to set up (default: here); created if missing.
    pub dir: Option<PathBuf>,
}

/// One negotiation and who acts on it.
#[derive(Debug, Args)]
#[command(after_help = "`negotiator negotiations` shows each negotiation's id.")]
pub struct ActArgs {
    /// The negotiation's id.
    pub id: i64,
    /// Who acts, for the audit trail (default: $USER).
    #[arg(long)]
    pub by: Option<String>,
}

/// One negotiation, or all sending, and who acts.
#[derive(Debug, Args)]
#[command(
    group = clap::ArgGroup::new("what").required(true),
    after_help = "Examples:\n  negotiator pause 7\n  negotiator pause --all --by pat    # the stop \
    switch: every outbound email waits\n  negotiator resume --all --by pat   # they go, in order"
)]
pub struct HoldArgs {
    /// The negotiation's id (`negotiator negotiations` shows it).
    #[arg(group = "what")]
    pub id: Option<i64>,
    /// Every outbound email of every campaign, held durably until `resume --all`.
    #[arg(long, group = "what")]
    pub all: bool,
    /// Who acts, for the audit trail (default: $USER).
    #[arg(long)]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  negotiator approve 12\n  negotiator approve 12 --rate 1800 \
    --yes --by pat\n\nAn approval far above the influencer's limit, or past the campaign's \
    budget, shows the numbers and waits for --yes; past the budget, --yes also raises the budget \
    as far as the approval needs (recorded with who did it)."
)]
pub struct ApproveArgs {
    #[command(flatten)]
    pub target: ActArgs,
    /// The rate to agree (default: the rate they asked for), e.g. 1800 or $1,800.00.
    #[arg(long, value_parser = parse_amount)]
    pub rate: Option<negotiator_domain::Money>,
    /// Confirm an approval far above the limit or past the budget.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  negotiator counter 12 --rate 1500 --by pat")]
pub struct CounterArgs {
    #[command(flatten)]
    pub target: ActArgs,
    /// Our counter, e.g. 1500 or $1,500.00.
    #[arg(long, value_parser = parse_amount)]
    pub rate: negotiator_domain::Money,
}

impl HoldArgs {
    /// The one negotiation named.
    pub fn one(self) -> Result<ActArgs, String> {
        match self.id {
            Some(id) => Ok(ActArgs { id, by: self.by }),
            None => Err("name a negotiation's id, or pass --all for all sending".to_owned()),
        }
    }
}

/// One plain email address, as a person writes it.
fn parse_address(text: &str) -> Result<negotiator_domain::EmailAddress, String> {
    negotiator_domain::EmailAddress::parse(text.trim())
        .map_err(|e| format!("{e}; give one plain address such as jane@example.com"))
}

/// An amount of money above $0.00, as a person writes it.
fn parse_amount(text: &str) -> Result<negotiator_domain::Money, String> {
    let amount: negotiator_domain::Money = text.parse().map_err(|e| format!("{e}"))?;
    if amount.is_positive() {
        Ok(amount)
    } else {
        Err(format!("{text:?} must be more than $0.00"))
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  negotiator demo\n  negotiator demo --resume\n  \
    negotiator --db /tmp/demo.db demo --dir /tmp/demo"
)]
pub struct DemoArgs {
    /// Folder for the demo's roster, mail folder and notices.
    #[arg(long, default_value = "data/demo")]
    pub dir: PathBuf,

    /// Carry on with a demo that was interrupted instead of starting again.
    #[arg(long)]
    pub resume: bool,

    /// Print only the final table.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Validate a campaign file (JSON or TOML), store it and contact every influencer found in
    /// the roster.
    #[command(
        after_help = "The file names: campaign_id, client_name, budget, platform, \
        deliverables, cpm_target and cpm_leniency_pct (or cpm_min and cpm_max), influencers, \
        timeline, mode (auto or review).\n\nExample:\n  negotiator campaign import glow.toml\n  \
        negotiator run"
    )]
    Import {
        /// The campaign file.
        file: PathBuf,
    },
    /// Set a campaign's budget (never below what it has already agreed); openings it held
    /// back go out on the next run.
    #[command(after_help = "Example:\n  negotiator campaign budget glow-spring 30000 --by pat")]
    Budget {
        /// The campaign's id.
        campaign: String,
        /// The new budget, e.g. 30000 or $30,000.00.
        #[arg(value_parser = parse_amount)]
        amount: negotiator_domain::Money,
        /// Who changes it, for the audit trail (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClickUpCommand {
    /// The custom fields of a list (name, type, id, options) and what the mapping does with
    /// each, to write `[clickup] field_mapping`.
    #[command(
        after_help = "Example:\n  CLICKUP_API_TOKEN=pk_... negotiator clickup fields --list 901100200300"
    )]
    Fields {
        /// The list the intake form creates tasks in (default: [clickup] list_id).
        #[arg(long, value_name = "LIST_ID")]
        list: Option<String>,
    },
    /// Create (or re-activate) the webhook that sends new tasks of the list to this service.
    #[command(
        after_help = "Example:\n  negotiator clickup register-webhook --endpoint \
        https://agent.example.com/webhooks/clickup"
    )]
    RegisterWebhook {
        /// The public URL of this service's /webhooks/clickup.
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// The workspace (default: [clickup] team_id).
        #[arg(long, value_name = "TEAM_ID")]
        team: Option<String>,
        /// Only tasks of this list (default: [clickup] list_id).
        #[arg(long, value_name = "LIST_ID")]
        list: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DraftsCommand {
    /// The drafts waiting for review.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One draft in full, with the decision behind it.
    Show { id: i64 },
    /// Send a draft (it passes the validation gate again first).
    Approve {
        id: i64,
        /// Who approves, for the audit trail (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Throw a draft away; the negotiation then waits for a person.
    Discard {
        id: i64,
        /// Who discards, for the audit trail (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct NegotiationsArgs {
    /// Only this campaign.
    #[arg(long, value_name = "ID")]
    pub campaign: Option<String>,

    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:\n  negotiator suppressions list\n  \
    negotiator suppressions add jane@creator.example --note \"asked by phone\" --by pat\n  \
    negotiator suppressions remove jane@creator.example --by pat")]
pub enum SuppressionsCommand {
    /// Every suppressed address, newest first.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Add an address: no campaign will write to it again.
    Add {
        #[arg(value_parser = parse_address)]
        address: negotiator_domain::EmailAddress,
        /// Why, for the audit trail and the list.
        #[arg(long, default_value = "")]
        note: String,
        /// Who adds it, for the audit trail (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Take an address off the list, so campaigns may write to it again.
    Remove {
        #[arg(value_parser = parse_address)]
        address: negotiator_domain::EmailAddress,
        /// Who removes it, for the audit trail (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Jobs, most recently changed first.
    List {
        /// Only jobs with this status (queued, running, done, failed).
        #[arg(long, value_parser = parse_job_status)]
        status: Option<JobStatus>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Only jobs waiting for a later time (openings over the day's cap, sends outside the
        /// window, email held while sending is paused), soonest first, with when each goes.
        #[arg(long, conflicts_with = "status")]
        waiting: bool,
    },
    /// Queue failed jobs again.
    #[command(group = clap::ArgGroup::new("which").required(true))]
    Retry {
        /// The failed job to retry.
        #[arg(group = "which")]
        id: Option<i64>,
        /// Every failed job.
        #[arg(long, group = "which")]
        all_failed: bool,
    },
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  negotiator classify < reply.eml\n  \
    echo 'Could you do $1,500?' | negotiator classify --offer 1250\n  \
    echo '$600 per reel' | negotiator classify --offer 1000 --deliverables '2 instagram reels'")]
pub struct ClassifyArgs {
    /// The platform the email is about.
    #[arg(long, default_value = "instagram")]
    pub platform: String,

    /// Our current offer, so "that works" reads as accepting it (e.g. 1250 or $1,250.00).
    #[arg(long)]
    pub offer: Option<String>,

    /// The planned deliverables, so per-item prices add up (e.g. "2 instagram reels, 1
    /// instagram story"); without them a single item's price is their rate.
    #[arg(long, value_delimiter = ',')]
    pub deliverables: Vec<String>,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  negotiator eval classify eval/labelled_replies.jsonl\n  \
    negotiator eval classify eval/labelled_replies.jsonl --split held_out --misses"
)]
pub enum EvalCommand {
    /// Score the configured classifier (the rules when no LLM is set up) on a JSON Lines file
    /// of labelled replies: per-intent precision and recall, rate accuracy, flag recall and a
    /// confusion table.
    Classify {
        /// One labelled reply per line (see eval/labelled_replies.jsonl).
        file: PathBuf,
        /// Only the lines of this split (`tuning` or `held_out`).
        #[arg(long)]
        split: Option<String>,
        /// List every reply read wrongly, and how.
        #[arg(long)]
        misses: bool,
    },
}

/// Filters for `negotiator audit`; all of them combine (AND).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  negotiator audit --influencer \"Jane Doe\" --last 7d\n  \
    negotiator audit --campaign cmp-42 --event-type escalation --format csv\n  \
    negotiator audit --from 2026-11-01 --to 2026-11-15 --format json\n  \
    negotiator audit --format csv > audit.csv    # the whole trail"
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

    /// At most this many entries, newest first. The table shows 50 unless told; CSV and JSON
    /// export every matching entry unless told.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,

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

fn parse_job_status(text: &str) -> Result<JobStatus, String> {
    text.parse::<JobStatus>().map_err(|error| error.to_string())
}
