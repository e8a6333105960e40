//! Campaign intake: validate, store, and start one negotiation per influencer found in the
//! roster; the team hears about the campaign, about everyone missing, and about bad fields.

use negotiator_domain::{
    Campaign, CampaignDraft, CampaignProblems, CpmBounds, Negotiation, NewNegotiation,
};
use negotiator_store::{
    CampaignMode, EventType, NewAuditEntry, NewCampaign, StoreError, get_campaign, insert_audit,
    insert_campaign, insert_negotiation,
};
use serde_json::json;

use super::commit::audit_and_notify;
use super::notices;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::roster::Influencer;
use crate::tasks::{Task, queue};

/// What intake did with a campaign.
#[derive(Clone, Debug)]
pub struct Ingested {
    pub campaign: Campaign,
    /// Influencers a negotiation was started for, with its id.
    pub started: Vec<(String, i64)>,
    /// Influencers not contacted, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Validates and stores a campaign from `source` (`file`, `clickup`, `demo`) and fans it out.
///
/// An invalid campaign is not stored: the team is told which fields to fix and the audit trail
/// records it, and the error lists the problems. A campaign id seen before is refused, so a
/// repeated delivery never contacts anyone twice.
pub async fn ingest(
    agent: &Agent,
    draft: &CampaignDraft,
    source: &str,
) -> Result<Ingested, AgentError> {
    let now = agent.now();
    let campaign = match draft.validate() {
        Ok(campaign) => campaign,
        Err(problems) => {
            let id = draft
                .campaign_id
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            reject(agent, source, id, &problems).await?;
            return Err(problems.into());
        }
    };
    if get_campaign(agent.store.pool(), &campaign.campaign_id)
        .await?
        .is_some()
    {
        return Err(AgentError::DuplicateCampaign(campaign.campaign_id));
    }

    let bounds = CpmBounds::new(campaign.cpm.floor, campaign.cpm.ceiling)
        .map_err(|e| AgentError::Invalid(format!("campaign CPM range: {e}")))?;
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    for name in &campaign.influencers {
        match agent.adapters.roster.find(name).await? {
            None => skipped.push((name.clone(), "they are not in the roster".to_owned())),
            Some(influencer) => match negotiation_for(&campaign, &influencer, bounds, now) {
                Ok(negotiation) => found.push((influencer, negotiation)),
                Err(reason) => skipped.push((influencer.name.clone(), reason)),
            },
        }
    }

    let mut tx = agent.store.begin_write().await?;
    let stored = NewCampaign {
        campaign_id: campaign.campaign_id.clone(),
        client_name: campaign.client_name.clone(),
        source: source.to_owned(),
        mode: match campaign.mode {
            negotiator_domain::SendingMode::Auto => CampaignMode::Auto,
            negotiator_domain::SendingMode::Review => CampaignMode::Review,
        },
        spec: serde_json::to_value(&campaign).map_err(AgentError::corrupt)?,
        created_at: now,
    };
    match insert_campaign(&mut tx, &stored).await {
        Err(StoreError::AlreadyExists { .. }) => {
            return Err(AgentError::DuplicateCampaign(campaign.campaign_id));
        }
        other => other?,
    }
    let mut started = Vec::new();
    for (influencer, negotiation) in &found {
        let row = insert_negotiation(
            &mut tx,
            &negotiator_store::NewNegotiation {
                campaign_id: campaign.campaign_id.clone(),
                influencer_name: influencer.name.clone(),
                influencer_email: influencer.email.clone(),
                state: negotiation.state().as_str().to_owned(),
                snapshot: serde_json::to_value(negotiation.snapshot())
                    .map_err(AgentError::corrupt)?,
                created_at: now,
            },
        )
        .await?;
        let task = Task::OpenNegotiation {
            negotiation_id: row.negotiation_id,
        };
        queue(&mut tx, &task, &format!("open:{}", row.negotiation_id), now).await?;
        started.push((influencer.name.clone(), row.negotiation_id));
    }
    for (name, reason) in &skipped {
        let entry = NewAuditEntry::new(now, EventType::CampaignInfluencerSkip)
            .campaign(campaign.campaign_id.clone())
            .influencer(name.clone())
            .meta("reason", reason.clone());
        let notice = notices::influencer_missing(&campaign, name, reason);
        let key = format!("skip:{}:{name}", campaign.campaign_id);
        audit_and_notify(&mut tx, entry, notice, &key).await?;
    }
    let names: Vec<String> = started.iter().map(|(name, _)| name.clone()).collect();
    let missing: Vec<String> = skipped.iter().map(|(name, _)| name.clone()).collect();
    let entry = NewAuditEntry::new(now, EventType::CampaignStart)
        .campaign(campaign.campaign_id.clone())
        .meta("source", source)
        .meta("client", campaign.client_name.clone())
        .meta("influencer_count", campaign.influencers.len())
        .meta("found_count", started.len())
        .meta("missing_count", skipped.len())
        .meta("mode", campaign.mode.as_str())
        .meta("cpm", json!({"floor": campaign.cpm.floor.to_string(), "ceiling": campaign.cpm.ceiling.to_string()}));
    insert_audit(&mut tx, &entry).await?;
    let notice = notices::campaign_started(&campaign, &names, &missing);
    let key = format!("started:{}", campaign.campaign_id);
    queue(&mut tx, &Task::Notify { notice }, &key, now).await?;
    tx.commit().await?;

    Ok(Ingested {
        campaign,
        started,
        skipped,
    })
}

/// Records a campaign that cannot start and tells the team which fields to fix.
pub async fn reject(
    agent: &Agent,
    source: &str,
    campaign_id: Option<&str>,
    problems: &CampaignProblems,
) -> Result<(), AgentError> {
    let now = agent.now();
    let mut entry = NewAuditEntry::new(now, EventType::CampaignRejected)
        .meta("source", source)
        .meta(
            "problems",
            serde_json::to_value(&problems.0).map_err(AgentError::corrupt)?,
        );
    if let Some(id) = campaign_id {
        entry = entry.campaign(id);
    }
    let notice = notices::campaign_rejected(source, campaign_id, problems);
    let key = format!(
        "rejected:{source}:{}:{}",
        campaign_id.unwrap_or("-"),
        now.as_millisecond()
    );
    let mut tx = agent.store.begin_write().await?;
    audit_and_notify(&mut tx, entry, notice, &key).await?;
    tx.commit().await?;
    Ok(())
}

/// The negotiation for one roster row, or why this influencer cannot be contacted.
fn negotiation_for(
    campaign: &Campaign,
    influencer: &Influencer,
    bounds: CpmBounds,
    now: jiff::Timestamp,
) -> Result<Negotiation, String> {
    if influencer.platform != campaign.platform {
        return Err(format!(
            "the roster has them on {}, but the campaign is on {}",
            influencer.platform.display_name(),
            campaign.platform.display_name()
        ));
    }
    if influencer.email.trim().is_empty() {
        return Err("the roster has no email address for them".to_owned());
    }
    Negotiation::new(
        NewNegotiation {
            influencer_name: influencer.name.clone(),
            client_name: campaign.client_name.clone(),
            platform: campaign.platform,
            average_views: influencer.average_views,
            engagement_pct: influencer.engagement_pct,
            deliverables: campaign.deliverables.clone(),
            bounds,
        },
        now,
    )
    .map_err(|e| e.to_string())
}
