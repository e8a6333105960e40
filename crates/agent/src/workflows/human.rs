//! A person's instruction on one thread (from the CLI or Slack), carried out and audited.

use negotiator_domain::{HumanAction, resolve};
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
    let event = if action == HumanAction::TakeOver {
        EventType::Takeover
    } else {
        EventType::HumanAction
    };
    step.extras.push(Extra::Audit(
        NewAuditEntry::new(now, event)
            .campaign(loaded.row.campaign_id.clone())
            .influencer(loaded.row.influencer_name.clone())
            .negotiation_state(decision.negotiation.state().as_str())
            .meta("action", action.as_str())
            .meta("by", by),
    ));
    if action == HumanAction::TakeOver {
        let about = notices::About {
            campaign: &loaded.campaign,
            negotiation: &decision.negotiation,
            thread_id: loaded.row.thread_id.as_deref(),
            conversation: &[],
            campaign_average: None,
        };
        step.extras.push(Extra::Notify {
            notice: notices::takeover(&about, by),
            key: format!("takeover:{negotiation_id}:{}", now.as_millisecond()),
        });
    }
    commit(agent, &loaded, decision, &flexibility, step)
        .await?
        .ok_or_else(|| AgentError::corrupt("a person's action was taken for a redelivered email"))
}
