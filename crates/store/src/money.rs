//! A campaign's money and CPM totals: the negotiations' money columns (written in the same
//! transaction as each snapshot) summed into one row per campaign by triggers
//! (`migrations/0010_campaign_totals.sql`), so a decision costs the same in any size of campaign.

use serde::Serialize;

use crate::db::query_one;
use crate::{Db, StoreError};

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
    db: impl Db,
    campaign_id: &str,
    exclude: Option<i64>,
) -> Result<Option<CampaignTotals>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT c.budget_cents,
                    t.committed_cents - COALESCE(
                        (SELECT agreed_cents FROM negotiations
                         WHERE negotiation_id = ?2 AND campaign_id = ?1), 0),
                    t.committed_cents, t.outstanding_cents, t.agreed_deals, t.agreed_cpm_cents,
                    t.open_negotiations
             FROM campaigns c JOIN campaign_totals t ON t.campaign_id = c.campaign_id
             WHERE c.campaign_id = ?1",
            rusqlite::params![campaign_id, exclude],
            |row| {
                Ok(CampaignTotals {
                    budget_cents: row.get(0)?,
                    committed_elsewhere_cents: row.get(1)?,
                    committed_cents: row.get(2)?,
                    outstanding_cents: row.get(3)?,
                    agreed_deals: row.get(4)?,
                    agreed_cpm_cents: row.get(5)?,
                    open_negotiations: row.get(6)?,
                })
            },
        )
    })
}
