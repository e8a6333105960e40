//! An influencer (or someone who speaks for them) asks not to be written to again: their
//! address and the writer's go on the suppression list, and the negotiation ends without a
//! decline email.

use negotiator_domain::{EmailAddress, opted_out};
use negotiator_reading::kind::OptOut;
use negotiator_store::{EventType, SuppressionReason};
use serde_json::Map;

use super::Handled;
use super::read::Arrived;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::workflows::commit::{Actor, Extra, Received, Step, commit};
use crate::workflows::{Loaded, allowance};

pub(super) async fn opt_out(
    agent: &Agent,
    loaded: &Loaded,
    arrived: Arrived,
    found: &OptOut,
) -> Result<Handled, AgentError> {
    let from = arrived.email.from.clone();
    let allowance = allowance(agent, loaded).await?;
    let decision = opted_out(
        &loaded.negotiation,
        &from,
        &found.phrase,
        &allowance,
        &agent.settings.policy,
        agent.now(),
    );
    let mut addresses: Vec<EmailAddress> = Vec::new();
    for text in [&loaded.row.influencer_email, &from] {
        if let Ok(address) = EmailAddress::parse(text)
            && !addresses.contains(&address)
        {
            addresses.push(address);
        }
    }
    let extras = addresses
        .into_iter()
        .map(|address| Extra::Suppress {
            address,
            reason: SuppressionReason::OptOut,
            detail: found.phrase.clone(),
        })
        .collect();
    let mut details = Map::new();
    details.insert("phrase".into(), found.phrase.clone().into());
    let step = Step {
        received: Some(Received::filed(arrived.message, EventType::OptOut, details)),
        extras,
        ..Step::by(Actor::Agent)
    };
    Ok(
        match commit(agent, loaded, decision, &allowance, step).await? {
            Some(done) => Handled::Decided(Box::new(done)),
            None => Handled::Duplicate,
        },
    )
}
