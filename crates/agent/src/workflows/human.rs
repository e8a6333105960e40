//! A person's instruction on one thread (from the CLI or Slack), carried out and audited.

use jiff::Timestamp;
use negotiator_domain::{Decision, HumanAction, resolve};
use negotiator_store::{EventType, NewAuditEntry};

use super::commit::{Actor, Committed, Extra, Step, commit};
use super::{Loaded, flexibility, notices};
use crate::agent::Agent;
use crate::error::AgentError;

/// Resolves an escalation, takes a thread over, hands it back, pauses, resumes or stops it.
/// `by` names the person in the audit trail. A refused action says why (`AgentError::Refused`).
pub async fn act(
    agent: &Agent,
    negotiation_id: i64,
    action: HumanAction,
    by: &str,
) -> Result<Committed, AgentError> {
    let loaded = Loaded::by_id(agent, negotiation_id).await?;
    let flexibility = flexibility(agent, &loaded).await?;
    let now = agent.now();
    let decision = resolve(
        &loaded.negotiation,
        action,
        &flexibility,
        &agent.settings.policy,
        now,
    )?;
    let mut step = Step::by(Actor::Person(by.to_owned()));
    step.extras = records(&loaded, &decision, action, by, None, now);
    commit(agent, &loaded, decision, &flexibility, step)
        .await?
        .ok_or_else(|| AgentError::corrupt("a person's action was taken for a redelivered email"))
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
            key: format!(
                "takeover:{}:{}",
                loaded.row.negotiation_id,
                now.as_millisecond()
            ),
        });
    }
    extras
}
