//! `negotiator approve|counter|reject|hand-back|claim|release|pause|resume|stop`: a person's
//! decision on one negotiation, through the same workflow as Slack's buttons.

use anyhow::bail;
use negotiator_agent::workflows::commit::Committed;
use negotiator_agent::workflows::{Loaded, human};
use negotiator_agent::{Agent, AgentError};
use negotiator_domain::HumanAction;
use negotiator_store::MessageStatus;

use super::context::Context;
use super::person;
use crate::args::{ActArgs, Command};

pub async fn run(context: &Context, command: Command) -> anyhow::Result<()> {
    let agent = context.acting_agent(false).await?;
    let (target, action, confirmed) = match command {
        Command::Approve(args) => {
            let loaded = Loaded::by_id(&agent, args.target.id).await?;
            let Some(rate) = args.rate.or(loaded.negotiation.their_last_ask()) else {
                bail!(
                    "{} has not named a rate, so there is nothing to approve; pass --rate, or \
                     use `negotiator counter {} --rate AMOUNT`",
                    loaded.row.influencer_name,
                    args.target.id
                );
            };
            (args.target, HumanAction::Approve { rate }, args.yes)
        }
        Command::Counter(args) => (
            args.target,
            HumanAction::CounterAt { rate: args.rate },
            false,
        ),
        Command::Reject(target) => (target, HumanAction::Reject, false),
        Command::HandBack(target) => (target, HumanAction::HandBack, false),
        Command::Claim(target) => (target, HumanAction::TakeOver, false),
        Command::Release(target) => (target, HumanAction::Release, false),
        Command::Pause(args) => (
            args.one().map_err(anyhow::Error::msg)?,
            HumanAction::Pause,
            false,
        ),
        Command::Resume(args) => (
            args.one().map_err(anyhow::Error::msg)?,
            HumanAction::Resume,
            false,
        ),
        Command::Stop(target) => (target, HumanAction::Stop, false),
        _ => bail!("this command is not a decision on a negotiation; see `negotiator --help`"),
    };
    act(&agent, &target, action, confirmed).await
}

async fn act(
    agent: &Agent,
    target: &ActArgs,
    action: HumanAction,
    confirmed: bool,
) -> anyhow::Result<()> {
    let by = person(target.by.clone());
    match human::act_confirmed(agent, target.id, action, &by, confirmed).await {
        Ok(done) => {
            println!("{}", outcome(&done));
            Ok(())
        }
        Err(AgentError::NeedsConfirmation(check)) => bail!(
            "nothing was approved yet: {} Re-run with --yes to confirm.",
            check.summary()
        ),
        Err(AgentError::Refused(refused)) => bail!(
            "negotiation {} was left as it is: {}",
            target.id,
            refused.explain()
        ),
        Err(other) => Err(other.into()),
    }
}

/// One line on what the action did, and where its email waits.
fn outcome(done: &Committed) -> String {
    let name = &done.row.influencer_name;
    let mut line = format!(
        "{name} (campaign {}): {} — {}.",
        done.row.campaign_id,
        done.decision.outcome.as_str().replace('_', " "),
        done.decision.reason.trim_end_matches('.')
    );
    for (id, status) in &done.emails {
        if *status == MessageStatus::Draft {
            line.push_str(&format!(
                " Its email waits for review as draft {id} (`negotiator drafts show {id}`)."
            ));
        }
    }
    line
}
