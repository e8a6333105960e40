//! Outreach: the opening offer of a new negotiation.

use negotiator_domain::{Outcome, open};

use super::commit::{Step, Stepped, commit};
use super::{Loaded, allowance};
use crate::agent::Agent;
use crate::error::AgentError;

/// Prices the opening offer and sends (or drafts) it. Nothing happens when it was made before.
#[tracing::instrument(name = "open", skip_all, fields(negotiation_id = negotiation_id, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn open_negotiation(agent: &Agent, negotiation_id: i64) -> Result<Stepped, AgentError> {
    let loaded = Loaded::by_id(agent, negotiation_id).await?;
    let allowance = allowance(agent, &loaded).await?;
    let decision = open(
        &loaded.negotiation,
        &allowance,
        &agent.settings.policy,
        agent.now(),
    );
    if decision.outcome == Outcome::Ignored {
        return Ok(Stepped::nothing(&loaded, decision.reason));
    }
    Stepped::from(
        &loaded,
        commit(agent, &loaded, decision, &allowance, Step::default()).await?,
    )
}
