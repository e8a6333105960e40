//! `/claim` (a person takes the thread; the agent stops on it) and `/resume` (the agent takes
//! it back, or gets the escalation handed back), through the human-action workflow.

use negotiator_domain::{ActionRefused, HumanAction, NegotiationState};
use negotiator_store::{MessageStatus, NegotiationRow};
use negotiator_vendors::slack::escape_mrkdwn;

use super::choices;
use super::format::{code, standing, state, who};
use super::grammar::Target;
use super::reply::Reply;
use super::resolve::{self, Found};
use negotiator_agent::Agent;
use negotiator_agent::AgentError;
use negotiator_agent::workflows::commit::Committed;
use negotiator_agent::workflows::{human, restore};

/// The one negotiation `target` names, or the answer that asks which (or says none).
async fn target_row(
    agent: &Agent,
    target: &Target,
    command: &str,
) -> Result<Result<NegotiationRow, Reply>, AgentError> {
    let campaign = target.campaign.as_deref();
    Ok(match resolve::find(agent, &target.who, campaign).await? {
        Found::One(row) => Ok(*row),
        Found::Several(rows) => Err(choices::several(&target.who, &rows, command)),
        Found::Nothing { near } => Err(choices::nothing(&target.who, campaign, &near, command)),
    })
}

/// `/claim`: `by` takes the thread over.
pub async fn claim(agent: &Agent, target: &Target, by: &str) -> Result<Reply, AgentError> {
    let row = match target_row(agent, target, "/claim").await? {
        Ok(row) => row,
        Err(answer) => return Ok(answer),
    };
    let negotiation = restore(&row)?;
    let name = who(&row);
    if negotiation.state().is_terminal() {
        return Ok(Reply::note(format!(
            "{name} is already {}; there is nothing to take over.",
            standing(&negotiation)
        )));
    }
    if negotiation.human_controlled() {
        return Ok(Reply::note(format!(
            "{name} is already held by a person; {} gives it back to the agent.",
            code(&format!("/resume {}", row.influencer_name))
        )));
    }
    match human::act(agent, row.negotiation_id, HumanAction::TakeOver, by).await {
        Ok(_) => Ok(Reply::note(format!(
            "You have {name} now. The agent stops on this thread: answer them from the team \
             mailbox. {} gives it back.",
            code(&format!("/resume {}", row.influencer_name))
        ))),
        Err(AgentError::Refused(refused)) => Ok(refusal("take over", &name, &refused)),
        Err(other) => Err(other),
    }
}

/// `/resume`: a thread a person holds goes back to the agent; a paused one runs again; an
/// escalated one is handed back for the agent to answer on its own rules.
pub async fn resume(agent: &Agent, target: &Target, by: &str) -> Result<Reply, AgentError> {
    let row = match target_row(agent, target, "/resume").await? {
        Ok(row) => row,
        Err(answer) => return Ok(answer),
    };
    let negotiation = restore(&row)?;
    let name = who(&row);
    let action = if negotiation.state().is_terminal() {
        return Ok(Reply::note(format!(
            "{name} is already {}; there is nothing to resume.",
            standing(&negotiation)
        )));
    } else if negotiation.human_controlled() {
        HumanAction::Release
    } else if negotiation.state() == NegotiationState::Paused {
        HumanAction::Resume
    } else if negotiation.state() == NegotiationState::Escalated {
        HumanAction::HandBack
    } else {
        return Ok(Reply::note(format!(
            "{name} is already with the agent ({}); there is nothing to resume.",
            standing(&negotiation)
        )));
    };
    let done = match human::act(agent, row.negotiation_id, action, by).await {
        Ok(done) => done,
        Err(AgentError::Refused(refused)) => return Ok(refusal("resume", &name, &refused)),
        Err(other) => return Err(other),
    };
    let now = state(&done.row.state);
    let mut text = match action {
        HumanAction::Release if done.row.state == NegotiationState::Escalated.as_str() => format!(
            "The agent has {name} again, but it is still escalated: decide with the buttons on \
             its notice, or {} again to hand the decision to the agent.",
            code(&format!("/resume {}", row.influencer_name))
        ),
        HumanAction::Release => format!("The agent has {name} again ({now})."),
        HumanAction::Resume => format!("{name} is running again ({now})."),
        _ => format!(
            "The escalation on {name} is back with the agent: {}.",
            super::format::plain(done.decision.reason.trim_end_matches('.'), 500)
        ),
    };
    text.push_str(&emails(&done));
    Ok(Reply::note(text))
}

/// What became of the emails a step wrote: drafts waiting for review, or queued to send.
pub fn emails(done: &Committed) -> String {
    let mut text = String::new();
    for (id, status) in &done.emails {
        match status {
            MessageStatus::Draft => text.push_str(&format!(
                " Its email waits for review as draft {id} (Send or Discard on its notice, or {}).",
                code(&format!("negotiator drafts show {id}"))
            )),
            MessageStatus::Pending => text.push_str(" Its email is on its way."),
            _ => {}
        }
    }
    text
}

/// A step the state machine refused, said politely.
pub fn refusal(verb: &str, name: &str, refused: &ActionRefused) -> Reply {
    Reply::note(format!(
        "Could not {verb} {name}: {}.",
        escape_mrkdwn(refused.explain().trim_end_matches('.'))
    ))
}
