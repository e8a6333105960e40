//! "Approve their rate" when it needs confirming (far above the influencer's limit, or past the
//! campaign's budget): a modal that shows the amount against the limit and the budget, and its
//! submission, carried out only if the negotiation still waits for that same decision.

use negotiator_domain::{ApprovalCheck, HumanAction, Money, NegotiationState};
use negotiator_store::{NegotiationRow, get_negotiation};
use negotiator_vendors::slack::{Block, escape_mrkdwn};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::control::emails;
use super::format::{standing, who};
use super::modal;
use super::payload::SubmittedView;
use super::reply::Reply;
use negotiator_agent::Agent;
use negotiator_agent::AgentError;
use negotiator_agent::workflows::{human, restore};

/// The modal's `callback_id`.
pub const CALLBACK_ID: &str = "escalation_approve_confirm";

/// What the modal carries from the click to the submission (its `private_metadata`, which
/// Slack signs with the submission).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApproveContext {
    pub negotiation_id: i64,
    pub influencer: String,
    pub campaign_id: String,
    /// The rate shown and confirmed, in cents.
    pub rate_cents: i64,
    /// The negotiation's version when the modal opened: any change since refuses the approval.
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_url: Option<String>,
}

/// The confirmation modal for approving `check.rate` on `row`.
pub fn form(
    row: &NegotiationRow,
    check: &ApprovalCheck,
    response_url: Option<&str>,
) -> Result<Value, AgentError> {
    let mut context = ApproveContext {
        negotiation_id: row.negotiation_id,
        influencer: row.influencer_name.clone(),
        campaign_id: row.campaign_id.clone(),
        rate_cents: check.rate.cents(),
        version: row.version,
        response_url: response_url.map(str::to_owned),
    };
    let mut metadata = serde_json::to_string(&context).unwrap_or_default();
    if metadata.chars().count() > modal::PRIVATE_METADATA {
        context.response_url = None;
        metadata = serde_json::to_string(&context).unwrap_or_default();
    }
    let view = json!({
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Confirm approval"},
        "submit": {"type": "plain_text", "text": "Approve"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": metadata,
        "blocks": [
            Block::section(format!("Approve {} at *{}*?", who(row), check.rate)),
            Block::section(escape_mrkdwn(&check.summary())),
            Block::context("The agreement email waits for review before it goes out."),
        ]
    });
    modal::check(&view).map_err(|problems| {
        AgentError::Invalid(format!(
            "the approval form breaks Slack's limits: {}",
            problems.join("; ")
        ))
    })?;
    Ok(view)
}

/// The submitted confirmation: what it approves, or why it cannot be read.
pub fn read(view: &SubmittedView) -> Result<ApproveContext, String> {
    serde_json::from_str(&view.private_metadata).map_err(|_| {
        "This form could not be read; close it and click Approve on the notice again.".to_owned()
    })
}

/// The modal's answer when the approval was not carried out: the form is replaced by why.
pub fn not_done(message: &str) -> Value {
    json!({
        "response_action": "update",
        "view": {
            "type": "modal",
            "title": {"type": "plain_text", "text": "Not approved"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [Block::section(escape_mrkdwn(message))]
        }
    })
}

/// What a confirmed approval came to.
#[derive(Clone, Debug)]
pub enum Approved {
    /// Done: the message for the channel.
    Done(Reply),
    /// Not done, and why (plain text).
    Refused(String),
}

/// Approves the confirmed rate for `by`, if the negotiation has not moved since the form was
/// shown (a reply, another click, the CLI).
pub async fn confirm(
    agent: &Agent,
    context: &ApproveContext,
    by: &str,
) -> Result<Approved, AgentError> {
    let Some(row) = get_negotiation(agent.store.db(), context.negotiation_id).await? else {
        return Ok(Approved::Refused(format!(
            "The negotiation with {} no longer exists.",
            context.influencer
        )));
    };
    let negotiation = restore(&row)?;
    let plain = format!("{} (campaign {})", row.influencer_name, row.campaign_id);
    let rate = Money::from_cents(context.rate_cents);
    if negotiation.state() != NegotiationState::Escalated || row.version != context.version {
        return Ok(Approved::Refused(format!(
            "{plain} changed since this form opened (it is {} now); nothing was approved. Read \
             the newer notice first.",
            standing(&negotiation)
        )));
    }
    match human::act_confirmed(
        agent,
        row.negotiation_id,
        HumanAction::Approve { rate },
        by,
        true,
    )
    .await
    {
        Ok(done) => Ok(Approved::Done(
            Reply::note(format!(
                ":white_check_mark: {} approved {} at *{rate}* after confirming.{}",
                escape_mrkdwn(by),
                who(&row),
                emails(&done)
            ))
            .to_channel(),
        )),
        Err(AgentError::Refused(refused)) => Ok(Approved::Refused(format!(
            "Could not approve {plain}: {}.",
            refused.explain().trim_end_matches('.')
        ))),
        Err(other) => Err(other),
    }
}
