//! Silence: follow-ups for threads that went quiet, and a word to the team when they stay quiet.

use negotiator_domain::{Outcome, check_silence};

use super::commit::{Step, Stepped, commit};
use super::{Loaded, allowance};
use crate::agent::Agent;
use crate::error::AgentError;

/// Checks one negotiation for silence now, and acts on what the domain decides.
#[tracing::instrument(name = "silence", skip_all, fields(negotiation_id = negotiation_id, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn check_negotiation(agent: &Agent, negotiation_id: i64) -> Result<Stepped, AgentError> {
    let loaded = Loaded::by_id(agent, negotiation_id).await?;
    let allowance = allowance(agent, &loaded).await?;
    let decision = check_silence(
        &loaded.negotiation,
        &allowance,
        &agent.settings.policy,
        agent.now(),
    );
    if decision.outcome == Outcome::Ignored && decision.effects.is_empty() {
        return Ok(Stepped::nothing(&loaded, decision.reason));
    }
    Stepped::from(
        &loaded,
        commit(agent, &loaded, decision, &allowance, Step::default()).await?,
    )
}
