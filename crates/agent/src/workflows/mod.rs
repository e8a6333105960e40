//! The workflows: campaign intake, outreach, replies, silence, drafts and people's actions.
//! Each carries out a domain decision through the transactional outbox (`commit`).

pub mod budget;
pub mod commit;
pub mod drafts;
pub mod human;
pub mod inbound;
pub mod ingest;
pub mod intake;
pub mod notices;
pub mod outreach;
pub mod pacing;
pub mod push;
pub mod send;
pub mod silence;
pub mod suppressions;
pub mod tracker;
pub mod usage;

use std::sync::Arc;

use negotiator_domain::{Allowance, Campaign, Negotiation};
use negotiator_store::{CampaignMode, get_negotiation};

use crate::agent::Agent;
use crate::error::AgentError;

/// A negotiation as stored, with its domain aggregate and its campaign.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub row: negotiator_store::NegotiationRow,
    pub negotiation: Negotiation,
    pub campaign: Arc<Campaign>,
    pub mode: CampaignMode,
}

impl Loaded {
    pub async fn by_id(agent: &Agent, negotiation_id: i64) -> Result<Loaded, AgentError> {
        let row = get_negotiation(agent.store.db(), negotiation_id)
            .await?
            .ok_or(AgentError::NotFound {
                what: "negotiation",
                id: negotiation_id.to_string(),
                hint: "",
            })?;
        Loaded::from_row(agent, row).await
    }

    pub async fn from_row(
        agent: &Agent,
        row: negotiator_store::NegotiationRow,
    ) -> Result<Loaded, AgentError> {
        in_span(&row);
        let negotiation = restore(&row)?;
        let (campaign, mode) = agent
            .campaigns
            .get(&agent.store, &row.campaign_id)
            .await?
            .ok_or_else(|| {
                AgentError::corrupt(format!(
                    "negotiation {} names campaign {:?}, which is not stored",
                    row.negotiation_id, row.campaign_id
                ))
            })?;
        Ok(Loaded {
            row,
            negotiation,
            campaign,
            mode,
        })
    }
}

/// Names the negotiation in the current workflow's span, so every line of the job that works on
/// it can be found by campaign, negotiation or thread in the logs.
pub(crate) fn in_span(row: &negotiator_store::NegotiationRow) {
    let span = tracing::Span::current();
    span.record("campaign", row.campaign_id.as_str());
    span.record("negotiation", row.negotiation_id);
    if let Some(thread) = &row.thread_id {
        span.record("thread", thread.as_str());
    }
}

/// The domain aggregate of a stored negotiation, validated.
pub fn restore(row: &negotiator_store::NegotiationRow) -> Result<Negotiation, AgentError> {
    let snapshot = serde_json::from_value(row.snapshot.clone()).map_err(|e| {
        AgentError::corrupt(format!("negotiation {} snapshot: {e}", row.negotiation_id))
    })?;
    Negotiation::restore(snapshot).map_err(|e| {
        AgentError::corrupt(format!("negotiation {} snapshot: {e}", row.negotiation_id))
    })
}

/// What the campaign allows this negotiation now: how far its CPM may go (the campaign's CPM
/// tracker) and the money its budget leaves.
pub async fn allowance(agent: &Agent, loaded: &Loaded) -> Result<Allowance, AgentError> {
    tracker::allowance_for(
        agent.store.db(),
        &loaded.row,
        &loaded.negotiation,
        &agent.settings.policy,
    )
    .await
}
