//! A campaign's money and CPM totals, read from the negotiations' indexed columns (kept in the
//! same transaction as each snapshot), so a decision costs the same in any size of campaign.

use serde::Serialize;
use sqlx::SqliteExecutor;

use crate::StoreError;

/// What a decision on one negotiation needs to know about the rest of its campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CampaignTotals {
    /// The campaign's budget.
    pub budget_cents: i64,
    /// Agreed in the campaign's negotiations other than the one being decided.
    pub committed_elsewhere_cents: i64,
    /// Agreed in all of the campaign's negotiations.
    pub committed_cents: i64,
    /// Our latest offers in the campaign's open negotiations.
    pub outstanding_cents: i64,
    /// Deals agreed, and the sum of their CPMs in cents.
    pub agreed_deals: i64,
    /// The sum of the agreed deals' CPMs, in cents.
    pub agreed_cpm_cents: i64,
    /// Negotiations not agreed, rejected or stopped.
    pub open_negotiations: i64,
}

/// The totals of `campaign_id`, leaving `exclude`'s agreed rate out of
/// `committed_elsewhere_cents`; `None` when the campaign is not stored.
pub async fn campaign_totals(
    ex: impl SqliteExecutor<'_>,
    campaign_id: &str,
    exclude: Option<i64>,
) -> Result<Option<CampaignTotals>, StoreError> {
    let row: Option<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT c.budget_cents,
                COALESCE(SUM(CASE WHEN n.negotiation_id IS NOT ?2 THEN n.agreed_cents END), 0),
                COALESCE(SUM(n.agreed_cents), 0),
                COALESCE(SUM(n.offer_cents), 0),
                COUNT(n.agreed_cents),
                COALESCE(SUM(n.agreed_cpm_cents), 0),
                COALESCE(SUM(n.state NOT IN ('agreed', 'rejected', 'stopped')), 0)
         FROM campaigns c LEFT JOIN negotiations n ON n.campaign_id = c.campaign_id
         WHERE c.campaign_id = ?1
         GROUP BY c.campaign_id",
    )
    .bind(campaign_id)
    .bind(exclude)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(
        |(budget, elsewhere, committed, outstanding, deals, cpm, open)| CampaignTotals {
            budget_cents: budget,
            committed_elsewhere_cents: elsewhere,
            committed_cents: committed,
            outstanding_cents: outstanding,
            agreed_deals: deals,
            agreed_cpm_cents: cpm,
            open_negotiations: open,
        },
    ))
}
