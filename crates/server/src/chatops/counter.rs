//! "Counter at a given rate": the modal that asks a person for the amount (opened with the
//! click's `trigger_id`), and its submission, read with `Money::from_str` and carried out
//! through the human-action workflow.

use std::str::FromStr;

use negotiator_domain::{HumanAction, Money, Negotiation as Domain, NegotiationState};
use negotiator_store::{NegotiationRow, get_negotiation};
use negotiator_vendors::slack::{Block, escape_mrkdwn};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::control::emails;
use super::format::{money, standing, who};
use super::modal;
use super::payload::SubmittedView;
use super::reply::Reply;
use negotiator_agent::Agent;
use negotiator_agent::AgentError;
use negotiator_agent::workflows::{human, restore};

/// The modal's `callback_id`.
pub const CALLBACK_ID: &str = "escalation_counter";
/// The input's block id: where `response_action: errors` puts a message.
pub const RATE_BLOCK: &str = "rate";
/// The input's action id.
pub const RATE_INPUT: &str = "amount";

/// What the modal carries from the click to the submission (its `private_metadata`). Slack
/// signs the submission, so it comes back as it was sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterContext {
    pub negotiation_id: i64,
    pub influencer: String,
    pub campaign_id: String,
    /// Where to tell the channel what came of it (the clicked message's `response_url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_url: Option<String>,
}

/// The modal asking for the counter, for an escalated negotiation.
pub fn form(
    row: &NegotiationRow,
    negotiation: &Domain,
    response_url: Option<&str>,
) -> Result<Value, AgentError> {
    let mut context = CounterContext {
        negotiation_id: row.negotiation_id,
        influencer: row.influencer_name.clone(),
        campaign_id: row.campaign_id.clone(),
        response_url: response_url.map(str::to_owned),
    };
    let mut metadata = serde_json::to_string(&context).unwrap_or_default();
    if metadata.chars().count() > modal::PRIVATE_METADATA {
        // Without the URL the outcome is still told to the person in the modal itself.
        context.response_url = None;
        metadata = serde_json::to_string(&context).unwrap_or_default();
    }
    let mut facts = format!(
        "Counter {}. They ask *{}*; our last offer was *{}*.",
        who(row),
        money(negotiation.their_last_ask()),
        money(negotiation.current_offer()),
    );
    if let Some(limit) = negotiation.limit_rate() {
        facts.push_str(&format!(" The agent's limit was {limit}."));
    }
    let view = json!({
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Counter offer"},
        "submit": {"type": "plain_text", "text": "Counter"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": metadata,
        "blocks": [
            Block::section(facts),
            {
                "type": "input",
                "block_id": RATE_BLOCK,
                "label": {"type": "plain_text", "text": "Your counter, in US dollars"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": RATE_INPUT,
                    "placeholder": {"type": "plain_text", "text": "e.g. 1,800 or $1,800.00"}
                },
                "hint": {
                    "type": "plain_text",
                    "text": "At or above their ask, the agent agrees to their ask instead. \
                             The email waits for review before it goes out."
                }
            }
        ]
    });
    modal::check(&view).map_err(|problems| {
        AgentError::Invalid(format!(
            "the counter form breaks Slack's limits: {}",
            problems.join("; ")
        ))
    })?;
    Ok(view)
}

/// The answer to a submission Slack should show on the form's amount input instead of
/// closing it.
pub fn field_error(message: &str) -> Value {
    json!({"response_action": "errors", "errors": {RATE_BLOCK: message}})
}

/// The submitted form: what it was about and the amount, or the message for the input.
pub fn read(view: &SubmittedView) -> Result<(CounterContext, Money), String> {
    let context: CounterContext = serde_json::from_str(&view.private_metadata).map_err(|_| {
        "This form could not be read; close it and click Counter on the notice again.".to_owned()
    })?;
    let typed = view
        .state
        .text(RATE_BLOCK, RATE_INPUT)
        .map(str::trim)
        .unwrap_or_default();
    if typed.is_empty() {
        return Err("Type the amount to counter at, like 1,800 or $1,800.00.".to_owned());
    }
    let rate = Money::from_str(typed).map_err(|e| format!("{}.", capitalise(&e.to_string())))?;
    if !rate.is_positive() {
        return Err(format!("A counter must be more than $0.00, not {rate}."));
    }
    Ok((context, rate))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What a counter came to.
#[derive(Clone, Debug)]
pub enum Countered {
    /// Done: the message for the channel.
    Done(Reply),
    /// Not done, and why (plain text, shown on the form's input or to the person).
    Refused(String),
}

/// Counters at `rate` for `by`, if the negotiation still waits for a person's decision.
pub async fn counter(
    agent: &Agent,
    context: &CounterContext,
    rate: Money,
    by: &str,
) -> Result<Countered, AgentError> {
    let Some(row) = get_negotiation(agent.store.db(), context.negotiation_id).await? else {
        return Ok(Countered::Refused(format!(
            "The negotiation with {} no longer exists.",
            context.influencer
        )));
    };
    let negotiation = restore(&row)?;
    let plain_name = format!("{} (campaign {})", row.influencer_name, row.campaign_id);
    if negotiation.state() != NegotiationState::Escalated {
        return Ok(Countered::Refused(format!(
            "{plain_name} is no longer waiting for a decision: it is {}.",
            standing(&negotiation)
        )));
    }
    let done = match human::act(
        agent,
        row.negotiation_id,
        HumanAction::CounterAt { rate },
        by,
    )
    .await
    {
        Ok(done) => done,
        Err(AgentError::Refused(refused)) => {
            return Ok(Countered::Refused(format!(
                "Could not counter {plain_name}: {}.",
                refused.explain().trim_end_matches('.')
            )));
        }
        Err(other) => return Err(other),
    };
    let text = format!(
        "{} countered {} at *{rate}*: {}.{}",
        escape_mrkdwn(by),
        who(&row),
        escape_mrkdwn(done.decision.reason.trim_end_matches('.')),
        emails(&done)
    );
    Ok(Countered::Done(Reply::note(text).to_channel()))
}
