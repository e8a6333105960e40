//! A person's instruction on one thread (from the CLI or Slack), carried out and audited.

use jiff::Timestamp;
use negotiator_domain::{Allowance, ApprovalCheck, Decision, HumanAction, Money, rates, resolve};
use negotiator_store::{EventType, NewAuditEntry};

use super::commit::{Actor, Committed, Extra, Step, commit};
use super::{Loaded, allowance, notices};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::JobKey;

/// Resolves an escalation, takes a thread over, hands it back, pauses, resumes or stops it.
/// `by` names the person in the audit trail. A refused action says why (`AgentError::Refused`);
/// an approval far above the influencer's limit or past the budget is not carried out until
/// confirmed (`AgentError::NeedsConfirmation`, see [`act_confirmed`]).
pub async fn act(
    agent: &Agent,
    negotiation_id: i64,
    action: HumanAction,
    by: &str,
) -> Result<Committed, AgentError> {
    act_confirmed(agent, negotiation_id, action, by, false).await
}

/// The same, with `confirmed` saying the person has seen the approval's numbers and confirmed
/// it; an approval past the budget then raises the budget as far as it needs, recorded with them.
#[tracing::instrument(name = "human", skip_all, fields(negotiation_id = negotiation_id, action = action.as_str(), by = by, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn act_confirmed(
    agent: &Agent,
    negotiation_id: i64,
    action: HumanAction,
    by: &str,
    confirmed: bool,
) -> Result<Committed, AgentError> {
    let loaded = Loaded::by_id(agent, negotiation_id).await?;
    let mut allowance = allowance(agent, &loaded).await?;
    let now = agent.now();
    let mut step = Step::by(Actor::Person(by.to_owned()));
    if let HumanAction::Approve { rate } = action {
        let check = approval_check(agent, &loaded, &allowance, rate);
        if check.possible() && check.needs_confirming() && !confirmed {
            return Err(AgentError::NeedsConfirmation(Box::new(check)));
        }
        if let Some(to) = check.raise_to.filter(|_| !check.fits_budget) {
            allowance.budget.total = to;
            step.raise_budget = Some(to);
        }
    }
    let decision = resolve(
        &loaded.negotiation,
        action,
        &allowance,
        &agent.settings.policy,
        now,
    )?;
    step.extras = records(&loaded, &decision, action, by, None, now);
    commit(agent, &loaded, decision, &allowance, step)
        .await?
        .ok_or_else(|| AgentError::corrupt("a person's action was taken for a redelivered email"))
}

/// An approval of `rate` weighed against the influencer's limit and the campaign's budget.
pub fn approval_check(
    agent: &Agent,
    loaded: &Loaded,
    allowance: &Allowance,
    rate: Money,
) -> ApprovalCheck {
    let policy = &agent.settings.policy;
    let limit = rates(&loaded.negotiation, allowance, policy).map_or(Money::ZERO, |r| r.limit);
    ApprovalCheck::new(rate, limit, &allowance.budget, policy)
}

/// The audit entry for a person's action (a takeover gets its own event type), and for a
/// takeover the team's notice. `how` says how it happened when not through a command.
pub(crate) fn records(
    loaded: &Loaded,
    decision: &Decision,
    action: HumanAction,
    by: &str,
    how: Option<&str>,
    now: Timestamp,
) -> Vec<Extra> {
    let event = if action == HumanAction::TakeOver {
        EventType::Takeover
    } else {
        EventType::HumanAction
    };
    let mut entry = NewAuditEntry::new(now, event)
        .campaign(loaded.row.campaign_id.clone())
        .influencer(loaded.row.influencer_name.clone())
        .negotiation_state(decision.negotiation.state().as_str())
        .meta("action", action.as_str())
        .meta("by", by);
    if let Some(how) = how {
        entry = entry.meta("how", how);
    }
    let mut extras = vec![Extra::Audit(entry)];
    if action == HumanAction::TakeOver {
        let about = notices::About {
            campaign: &loaded.campaign,
            negotiation: &decision.negotiation,
            thread_id: loaded.row.thread_id.as_deref(),
            conversation: &[],
            campaign_average: None,
        };
        extras.push(Extra::Notify {
            notice: notices::takeover(&about, by),
            key: JobKey::Takeover {
                negotiation_id: loaded.row.negotiation_id,
                at: now,
            },
        });
    }
    extras
}
