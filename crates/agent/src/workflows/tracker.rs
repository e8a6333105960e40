//! The campaign's CPM tracker, derived from its agreed negotiations whenever it is needed.

use negotiator_domain::{CampaignCpmTracker, CpmBounds, Flexibility, Negotiation, implied_cpm};
use negotiator_store::list_negotiations;
use sqlx::SqliteConnection;

use super::restore;
use crate::error::AgentError;

/// The tracker for `campaign_id`: one slot per negotiation, one agreement per agreed deal.
pub async fn campaign_tracker(
    conn: &mut SqliteConnection,
    campaign_id: &str,
    bounds: CpmBounds,
) -> Result<CampaignCpmTracker, AgentError> {
    let rows = list_negotiations(&mut *conn, campaign_id).await?;
    let total = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let mut tracker = CampaignCpmTracker::new(bounds, total);
    for row in &rows {
        let negotiation = restore(row)?;
        if let Some(rate) = negotiation.agreed_rate() {
            let cpm = implied_cpm(rate, negotiation.average_views()).map_err(|e| {
                AgentError::corrupt(format!("agreed rate of {}: {e}", row.influencer_name))
            })?;
            tracker
                .record_agreement(cpm, negotiation.engagement_pct())
                .map_err(|e| {
                    AgentError::corrupt(format!("agreed rate of {}: {e}", row.influencer_name))
                })?;
        }
    }
    Ok(tracker)
}

/// How far the agent may go with `negotiation`, given its campaign's deals so far.
pub async fn flexibility_for(
    conn: &mut SqliteConnection,
    campaign_id: &str,
    negotiation: &Negotiation,
) -> Result<Flexibility, AgentError> {
    let tracker = campaign_tracker(conn, campaign_id, negotiation.bounds()).await?;
    Ok(tracker.limit_for(negotiation.engagement_pct()))
}
