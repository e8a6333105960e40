//! What the campaign allows one negotiation (its CPM tracker and its budget), built from the
//! totals the store keeps beside each negotiation, and the columns those totals are made of.

use negotiator_domain::{
    Allowance, Budget, BudgetStanding, CampaignCpmTracker, CpmBounds, Money, Negotiation,
    NegotiationPolicy, implied_cpm,
};
use negotiator_store::{CampaignTotals, Db, campaign_totals};

use crate::error::AgentError;

/// The campaign's totals, leaving `negotiation_id`'s own agreed rate out of what is committed
/// elsewhere.
pub async fn totals(
    db: impl Db,
    campaign_id: &str,
    negotiation_id: Option<i64>,
) -> Result<CampaignTotals, AgentError> {
    campaign_totals(db, campaign_id, negotiation_id)
        .await?
        .ok_or_else(|| AgentError::corrupt(format!("campaign {campaign_id:?} is not stored")))
}

/// The campaign's CPM tracker: its agreed deals and the negotiations still open.
pub fn tracker(totals: &CampaignTotals, bounds: CpmBounds) -> CampaignCpmTracker {
    CampaignCpmTracker {
        bounds,
        open_negotiations: u32::try_from(totals.open_negotiations).unwrap_or(u32::MAX),
        agreed_deals: u32::try_from(totals.agreed_deals).unwrap_or(u32::MAX),
        agreed_cpm_cents: totals.agreed_cpm_cents,
    }
}

/// The campaign's money as a whole: agreed, offered and left.
pub fn standing(totals: &CampaignTotals) -> BudgetStanding {
    BudgetStanding {
        budget: Money::from_cents(totals.budget_cents),
        committed: Money::from_cents(totals.committed_cents),
        outstanding: Money::from_cents(totals.outstanding_cents),
    }
}

/// What the campaign allows `negotiation` now: how far its CPM may go and the money left.
pub async fn allowance_for(
    db: impl Db,
    row: &negotiator_store::NegotiationRow,
    negotiation: &Negotiation,
    policy: &NegotiationPolicy,
) -> Result<Allowance, AgentError> {
    let totals = totals(db, &row.campaign_id, Some(row.negotiation_id)).await?;
    Ok(Allowance {
        flexibility: tracker(&totals, negotiation.bounds()).limit_for(negotiation.engagement_pct()),
        budget: Budget {
            total: Money::from_cents(totals.budget_cents),
            committed: Money::from_cents(totals.committed_elsewhere_cents),
            max_deal: policy.max_deal,
        },
    })
}

/// Writes the money columns of `row` from its negotiation (the agreed rate and its CPM, and our
/// latest offer while it is open), so the campaign's totals always match the snapshots.
pub fn set_money_columns(
    row: &mut negotiator_store::NegotiationRow,
    negotiation: &Negotiation,
) -> Result<(), AgentError> {
    let agreed = negotiation.agreed_rate();
    row.agreed_cents = agreed.map(Money::cents);
    row.agreed_cpm_cents = match agreed {
        Some(rate) => Some(
            implied_cpm(rate, negotiation.average_views())
                .map_err(|e| {
                    AgentError::corrupt(format!("agreed rate of {}: {e}", row.influencer_name))
                })?
                .cents(),
        ),
        None => None,
    };
    row.offer_cents = negotiation
        .current_offer()
        .filter(|_| !negotiation.state().is_terminal())
        .map(Money::cents);
    Ok(())
}
