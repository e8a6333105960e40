//! The buttons on escalation and draft notices: each click reloads the negotiation or draft
//! as it is now, acts only if it still waits for that decision, and says what came of it
//! (replacing the buttons) or, politely, why nothing was done.

use std::str::FromStr;

use negotiator_domain::{HumanAction, Money, Negotiation as Domain, NegotiationState};
use negotiator_store::{MessageStatus, NegotiationRow};
use negotiator_vendors::slack::{Block, Message, escape_mrkdwn};
use serde_json::Value;

use super::control::{emails, refusal};
use super::format::{code, standing, who};
use super::payload::ClickedMessage;
use super::reply::{Reply, Visibility};
use super::resolve::{self, Found};
use super::{approve, counter};
use negotiator_adapters::notify::slack::{ActionValue, SlackAction};
use negotiator_agent::Agent;
use negotiator_agent::AgentError;
use negotiator_agent::workflows::{Loaded, allowance, drafts, human, restore};

/// A click, as the interactions endpoint received it.
#[derive(Clone, Copy, Debug)]
pub struct Click<'a> {
    pub action_id: &'a str,
    pub value: Option<&'a str>,
    /// The Slack user name, for the audit trail.
    pub by: &'a str,
    /// The message the button is on.
    pub message: Option<&'a ClickedMessage>,
    pub response_url: Option<&'a str>,
}

/// What to do about a click.
#[derive(Clone, Debug)]
pub enum Pressed {
    /// Tell the person (or replace the notice).
    Reply(Reply),
    /// Counter: open this modal with the click's `trigger_id` to ask for the amount.
    OpenModal(Value),
}

/// Handles one click.
pub async fn press(agent: &Agent, click: &Click<'_>) -> Result<Pressed, AgentError> {
    let Some(action) = SlackAction::from_action_id(click.action_id) else {
        return Ok(note(format!(
            "This button ({}) is not one this app knows.",
            code(click.action_id)
        )));
    };
    let Some(value) = click.value.and_then(|v| ActionValue::parse(v).ok()) else {
        return Ok(note(
            "This button's data could not be read. Use `/claim`, `/resume` or the CLI instead."
                .to_owned(),
        ));
    };
    match action {
        SlackAction::DraftSend | SlackAction::DraftDiscard => draft(agent, action, &value, click)
            .await
            .map(Pressed::Reply),
        _ => escalation(agent, action, &value, click).await,
    }
}

fn note(text: String) -> Pressed {
    Pressed::Reply(Reply::note(text))
}

async fn escalation(
    agent: &Agent,
    action: SlackAction,
    value: &ActionValue,
    click: &Click<'_>,
) -> Result<Pressed, AgentError> {
    let row = match resolve::by_value(agent, value).await? {
        Found::One(row) => *row,
        Found::Several(_) | Found::Nothing { .. } => {
            let named = value.influencer.as_deref().unwrap_or("this thread");
            return Ok(note(format!(
                "Could not tell which negotiation this notice is about ({}). Use `/negotiations` \
                 to find it, then `/claim` it.",
                escape_mrkdwn(named)
            )));
        }
    };
    let negotiation = restore(&row)?;
    let name = who(&row);
    if let Some(answer) = stale(action, &row, &negotiation, click) {
        return Ok(note(answer));
    }
    let by = click.by;
    let (human_action, verb) = match action {
        SlackAction::EscalationApprove => match negotiation.their_last_ask() {
            Some(rate) => {
                let loaded = Loaded::from_row(agent, row.clone()).await?;
                let allowance = allowance(agent, &loaded).await?;
                let check = human::approval_check(agent, &loaded, &allowance, rate);
                if check.possible() && check.needs_confirming() {
                    return approve::form(&row, &check, click.response_url).map(Pressed::OpenModal);
                }
                (HumanAction::Approve { rate }, "approve")
            }
            None => {
                return Ok(note(format!(
                    "{name} has not named a rate, so there is nothing to approve; use Counter."
                )));
            }
        },
        SlackAction::EscalationCounter => {
            return counter::form(&row, &negotiation, click.response_url).map(Pressed::OpenModal);
        }
        SlackAction::EscalationReject => (HumanAction::Reject, "reject"),
        _ => (HumanAction::TakeOver, "take over"),
    };
    let done = match human::act(agent, row.negotiation_id, human_action, by).await {
        Ok(done) => done,
        Err(AgentError::Refused(refused)) => {
            return Ok(Pressed::Reply(refusal(verb, &name, &refused)));
        }
        Err(other) => return Err(other),
    };
    let by = escape_mrkdwn(by);
    let outcome = match human_action {
        HumanAction::Approve { rate } => format!(
            ":white_check_mark: {by} approved {name} at *{rate}*.{}",
            emails(&done)
        ),
        HumanAction::Reject => format!(
            ":no_entry: {by} ended the negotiation with {name}.{}",
            emails(&done)
        ),
        _ => format!(
            ":raising_hand: {by} took {name} over; the agent stops on this thread. {} gives it \
             back.",
            code(&format!("/resume {}", row.influencer_name))
        ),
    };
    Ok(Pressed::Reply(resolved(click.message, outcome)))
}

/// Why an escalation button no longer applies, if it does not: the decision was made (here,
/// in the CLI or by another click), or the ask changed since the notice was posted.
fn stale(
    action: SlackAction,
    row: &NegotiationRow,
    negotiation: &Domain,
    click: &Click<'_>,
) -> Option<String> {
    let name = who(row);
    if negotiation.state().is_terminal() {
        return Some(format!(
            "{name} is already {}; nothing more to decide.",
            standing(negotiation)
        ));
    }
    if action == SlackAction::EscalationTakeOver {
        return negotiation.human_controlled().then(|| {
            format!(
                "{name} is already held by a person; {} gives it back to the agent.",
                code(&format!("/resume {}", row.influencer_name))
            )
        });
    }
    if negotiation.state() != NegotiationState::Escalated {
        return Some(format!(
            "{name} is no longer waiting for a decision: it is {}.",
            standing(negotiation)
        ));
    }
    let shown = click.message.and_then(shown_ask);
    match (action, shown, negotiation.their_last_ask()) {
        (SlackAction::EscalationApprove, Some(shown), Some(now)) if shown != now => Some(format!(
            "{name} now asks *{now}*, not the {shown} on this notice; read the newer notice (or \
             {}) before approving.",
            code(&format!("/audit influencer:\"{}\"", row.influencer_name))
        )),
        _ => None,
    }
}

/// The ask an escalation notice shows in its "Their ask" field (`$3,000.00 ($60.00 CPM)`).
fn shown_ask(message: &ClickedMessage) -> Option<Money> {
    message.blocks.iter().find_map(|block| {
        block.get("fields")?.as_array()?.iter().find_map(|field| {
            let text = field.get("text")?.as_str()?;
            let value = text.strip_prefix("*Their ask*\n")?;
            let amount = value.split(" (").next()?;
            Money::from_str(amount).ok()
        })
    })
}

async fn draft(
    agent: &Agent,
    action: SlackAction,
    value: &ActionValue,
    click: &Click<'_>,
) -> Result<Reply, AgentError> {
    let Some(id) = value.draft_id else {
        return Ok(Reply::note(
            "This button names no draft; `negotiator drafts list` shows the drafts waiting."
                .to_owned(),
        ));
    };
    let current = match drafts::show(agent, id).await {
        Ok(current) => current,
        Err(AgentError::NotFound { .. }) => {
            return Ok(Reply::note(format!("Draft {id} no longer exists.")));
        }
        Err(other) => return Err(other),
    };
    if current.status != MessageStatus::Draft {
        let what = match current.status {
            MessageStatus::Pending => "approved already and is on its way",
            MessageStatus::Sent => "sent already",
            MessageStatus::Discarded => "discarded already",
            _ => "not waiting for review",
        };
        return Ok(Reply::note(format!("Draft {id} was {what}.")));
    }
    let by = click.by;
    let result = if action == SlackAction::DraftSend {
        drafts::approve(agent, id, by).await
    } else {
        drafts::discard(agent, id, by).await
    };
    let name = escape_mrkdwn(&current.influencer);
    let by = escape_mrkdwn(by);
    match result {
        Ok(_) if action == SlackAction::DraftSend => Ok(resolved(
            click.message,
            format!(
                ":outbox_tray: {by} approved draft {id}: it passed the validation gate again \
                 and is on its way to {name}."
            ),
        )),
        Ok(_) => Ok(resolved(
            click.message,
            format!(
                ":wastebasket: {by} discarded draft {id}; the negotiation with {name} now waits \
                 for a person."
            ),
        )),
        Err(AgentError::Gate(failure)) => Ok(Reply::note(format!(
            "Draft {id} was not sent: {}. See {}.",
            escape_mrkdwn(&failure.to_string()),
            code(&format!("negotiator drafts show {id}"))
        ))),
        Err(AgentError::Invalid(reason)) => Ok(Reply::note(escape_mrkdwn(&reason))),
        Err(AgentError::Refused(refused)) => Ok(refusal("discard", &name, &refused)),
        Err(other) => Err(other),
    }
}

/// The notice with its buttons replaced by what came of the click, when the notice can be
/// read back; otherwise a new message to the channel.
fn resolved(message: Option<&ClickedMessage>, outcome: String) -> Reply {
    let blocks: Option<Vec<Block>> = message
        .filter(|m| !m.blocks.is_empty())
        .and_then(|m| serde_json::from_value(Value::Array(m.blocks.clone())).ok());
    match (message, blocks) {
        (Some(message), Some(mut blocks)) => {
            blocks.retain(|b| !matches!(b, Block::Actions { .. }));
            blocks.push(Block::context(outcome));
            Reply::new(
                Message::new(message.text.clone(), blocks),
                Visibility::ReplaceOriginal,
                "",
            )
        }
        _ => Reply::note(outcome).to_channel(),
    }
}

#[cfg(test)]
mod tests {
    use negotiator_vendors::slack::{Button, validate};
    use serde_json::json;

    use super::*;

    fn notice() -> ClickedMessage {
        let blocks = [
            Block::header("Needs a decision: Jane Doe"),
            Block::fields([
                "*Their ask*\n$3,000.00 ($60.00 CPM)".to_owned(),
                "*Our offer*\n$1,250.00".to_owned(),
            ]),
            Block::actions([Button::new("Approve their rate", "escalation_approve")]),
        ];
        ClickedMessage {
            text: "Needs a decision: Jane Doe".into(),
            blocks: blocks
                .iter()
                .map(|b| {
                    // Slack echoes blocks with ids and flags of its own.
                    let mut v = serde_json::to_value(b).unwrap();
                    v["block_id"] = json!("Xy1");
                    v
                })
                .collect(),
        }
    }

    #[test]
    fn the_ask_on_the_notice_is_read() {
        assert_eq!(shown_ask(&notice()), Some(Money::from_dollars(3_000)));
        assert_eq!(shown_ask(&ClickedMessage::default()), None);
    }

    #[test]
    fn a_resolved_notice_loses_its_buttons_and_says_what_happened() {
        let message = notice();
        let reply = resolved(Some(&message), "pat approved".into());
        assert_eq!(reply.visibility, Visibility::ReplaceOriginal);
        assert_eq!(validate(&reply.message), Ok(()));
        assert!(
            !reply
                .message
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Actions { .. }))
        );
        assert_eq!(
            reply.message.blocks.last(),
            Some(&Block::context("pat approved"))
        );
        let unknown = ClickedMessage {
            text: "x".into(),
            blocks: vec![json!({"type": "rich_text", "elements": []})],
        };
        let fallback = resolved(Some(&unknown), "pat approved".into());
        assert_eq!(fallback.visibility, Visibility::InChannel);
        assert_eq!(resolved(None, "x".into()).visibility, Visibility::InChannel);
    }
}
