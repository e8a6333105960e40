//! ChatOps: the team's Slack slash commands and notice buttons, read, resolved to
//! negotiations, carried out through the workflows and answered in Block Kit; free of HTTP.
//!
//! - [`parse`] reads `/audit`, `/claim`, `/resume`, `/negotiations` and `/sending`; [`run`] carries one
//!   out for a person and always comes back with a [`Reply`] (a usage message, the candidates
//!   for an ambiguous name, a polite refusal, or the answer).
//! - [`press`] handles a click on an escalation or draft notice; Counter asks for its amount
//!   in a modal ([`counter::form`]), whose submission is read by [`counter::read`] and
//!   carried out by [`counter::counter`]; an approval far above the influencer's limit or past
//!   the budget asks for confirmation in a modal ([`approve::form`], [`approve::confirm`]).
//! - [`Interaction`] is what Slack posts to the interactions endpoint.
//!
//! Every answer is fitted into Slack's Block Kit limits before it leaves this module.

pub mod approve;
mod audit;
mod board;
mod buttons;
mod choices;
mod control;
pub mod counter;
mod format;
mod grammar;
pub mod modal;
mod payload;
mod reply;
mod resolve;
mod sending;
mod text;
mod usage;

pub use audit::{SHOWN as AUDIT_SHOWN, cli_command as audit_cli_command};
pub use buttons::{Click, Pressed, press};
pub use grammar::{
    AuditQuery, Command, CommandName, Period, SendingAction, Target, UsageError, parse,
};
pub use payload::{
    Action, BlockActions, ClickedMessage, InputValue, Interaction, SubmittedView, User, ViewState,
    ViewSubmission,
};
pub use reply::{Reply, Visibility};
pub use resolve::{Found, find};
pub use usage::{reply as usage_reply, usage};

use negotiator_vendors::slack::escape_mrkdwn;

use negotiator_agent::Agent;
use negotiator_agent::AgentError;

/// Carries out `command` for `by` (the Slack user name, as the audit trail records it).
pub async fn run(agent: &Agent, command: &Command, by: &str) -> Reply {
    let result = match command {
        Command::Audit(query) => audit::audit(agent, query).await,
        Command::Claim(target) => control::claim(agent, target, by).await,
        Command::Resume(target) => control::resume(agent, target, by).await,
        Command::Negotiations { campaign } => board::board(agent, campaign.as_deref()).await,
        Command::Sending(action) => sending::sending(agent, *action, by).await,
    };
    result.unwrap_or_else(|error| failure(&error))
}

/// The answer when a command or click could not be carried out for a reason other than the
/// person's: what went wrong, and what to do.
pub fn failure(error: &AgentError) -> Reply {
    tracing::error!(%error, "a Slack command or click failed");
    let next = if error.is_retryable() {
        "Try again in a moment."
    } else {
        "`negotiator doctor` checks the set-up, and the CLI can do the same."
    };
    Reply::note(format!(
        "That did not work: {}. {next}",
        escape_mrkdwn(error.to_string().trim_end_matches('.'))
    ))
}
