//! The workflows: campaign intake, outreach, replies, silence, drafts and people's actions.
//! Each carries out a domain decision through the transactional outbox (`commit`).

pub mod clickup;
pub mod commit;
pub mod drafts;
pub mod human;
pub mod inbound;
pub mod ingest;
pub mod notices;
pub mod outreach;
pub mod send;
pub mod silence;
pub mod tracker;

use negotiator_domain::{Campaign, Flexibility, Negotiation};
use negotiator_store::{CampaignMode, get_campaign, get_negotiation};

use crate::agent::Agent;
use crate::error::AgentError;

/// A negotiation as stored, with its domain aggregate and its campaign.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub row: negotiator_store::Negotiation,
    pub negotiation: Negotiation,
    pub campaign: Campaign,
    pub mode: CampaignMode,
}

impl Loaded {
    pub async fn by_id(agent: &Agent, negotiation_id: i64) -> Result<Loaded, AgentError> {
        let row = get_negotiation(agent.store.pool(), negotiation_id)
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
        row: negotiator_store::Negotiation,
    ) -> Result<Loaded, AgentError> {
        let negotiation = restore(&row)?;
        let stored = get_campaign(agent.store.pool(), &row.campaign_id)
            .await?
            .ok_or_else(|| {
                AgentError::corrupt(format!(
                    "negotiation {} names campaign {:?}, which is not stored",
                    row.negotiation_id, row.campaign_id
                ))
            })?;
        let campaign: Campaign = serde_json::from_value(stored.spec).map_err(|e| {
            AgentError::corrupt(format!("campaign {:?} spec: {e}", row.campaign_id))
        })?;
        Ok(Loaded {
            row,
            negotiation,
            campaign,
            mode: stored.mode,
        })
    }
}

/// The domain aggregate of a stored negotiation, validated.
pub fn restore(row: &negotiator_store::Negotiation) -> Result<Negotiation, AgentError> {
    let snapshot = serde_json::from_value(row.snapshot.clone()).map_err(|e| {
        AgentError::corrupt(format!("negotiation {} snapshot: {e}", row.negotiation_id))
    })?;
    Negotiation::restore(snapshot).map_err(|e| {
        AgentError::corrupt(format!("negotiation {} snapshot: {e}", row.negotiation_id))
    })
}

/// How far the agent may go with this negotiation now (the campaign's CPM tracker).
pub async fn flexibility(agent: &Agent, loaded: &Loaded) -> Result<Flexibility, AgentError> {
    let mut conn = agent.store.pool().acquire().await?;
    tracker::flexibility_for(&mut conn, &loaded.row.campaign_id, &loaded.negotiation).await
}
