//! Campaign rows: what arrived from ClickUp, a file or the demo, and whether it runs in review mode.

use jiff::Timestamp;
use negotiator_domain::string_enum;
use serde::Serialize;
use serde_json::Value;
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::{StoreError, from_json, from_ms, parse_enum, to_ms};

string_enum! {
    /// Whether outbound email goes out on its own or waits for a person.
    pub enum CampaignMode ("campaign mode") {
        /// Emails are sent without review (escalation-related ones still wait).
        Auto => "auto",
        /// Every outbound email is stored as a draft for approval.
        Review => "review",
    }
}

/// A campaign to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCampaign {
    /// The campaign's id (the ClickUp task id, or one given in the import file).
    pub campaign_id: String,
    /// The client the campaign is for.
    pub client_name: String,
    /// Where it came from (`clickup`, `file`, `demo`, ...).
    pub source: String,
    /// Auto or review.
    pub mode: CampaignMode,
    /// The budget in cents: the agreed total may never exceed it.
    pub budget_cents: i64,
    /// The validated campaign document.
    pub spec: Value,
    /// When it was stored.
    pub created_at: Timestamp,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignRow {
    /// The campaign's id.
    pub campaign_id: String,
    /// The client the campaign is for.
    pub client_name: String,
    /// Where it came from.
    pub source: String,
    /// Auto or review.
    pub mode: CampaignMode,
    /// The budget in cents: the agreed total may never exceed it.
    pub budget_cents: i64,
    /// The validated campaign document.
    pub spec: Value,
    /// When it was stored.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

struct CampaignRecord {
    campaign_id: String,
    client_name: String,
    source: String,
    mode: String,
    budget_cents: i64,
    spec: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CampaignRecord> for CampaignRow {
    type Error = StoreError;

    fn try_from(row: CampaignRecord) -> Result<Self, StoreError> {
        Ok(CampaignRow {
            campaign_id: row.campaign_id,
            client_name: row.client_name,
            source: row.source,
            mode: parse_enum(&row.mode, "campaigns", "mode")?,
            budget_cents: row.budget_cents,
            spec: from_json(&row.spec, "campaigns", "spec")?,
            created_at: from_ms(row.created_at, "campaigns", "created_at")?,
            updated_at: from_ms(row.updated_at, "campaigns", "updated_at")?,
        })
    }
}

/// Stores a new campaign. Fails with [`StoreError::AlreadyExists`] if its id is taken.
pub async fn insert_campaign(
    conn: &mut SqliteConnection,
    campaign: &NewCampaign,
) -> Result<(), StoreError> {
    let mode = campaign.mode.as_str();
    let spec = serde_json::to_string(&campaign.spec)?;
    let at = to_ms(campaign.created_at);
    sqlx::query!(
        "INSERT INTO campaigns
             (campaign_id, client_name, source, mode, spec, created_at, updated_at, budget_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        campaign.campaign_id,
        campaign.client_name,
        campaign.source,
        mode,
        spec,
        at,
        campaign.budget_cents
    )
    .execute(conn)
    .await
    .map_err(|e| StoreError::from_insert(e, "campaign"))?;
    Ok(())
}

/// The campaign with this id, if any.
pub async fn get_campaign(
    ex: impl SqliteExecutor<'_>,
    campaign_id: &str,
) -> Result<Option<CampaignRow>, StoreError> {
    sqlx::query_as!(
        CampaignRecord,
        "SELECT campaign_id, client_name, source, mode, budget_cents, spec, created_at, updated_at
         FROM campaigns WHERE campaign_id = ?",
        campaign_id
    )
    .fetch_optional(ex)
    .await?
    .map(CampaignRow::try_from)
    .transpose()
}

/// Every campaign, newest first.
pub async fn list_campaigns(ex: impl SqliteExecutor<'_>) -> Result<Vec<CampaignRow>, StoreError> {
    sqlx::query_as!(
        CampaignRecord,
        "SELECT campaign_id, client_name, source, mode, budget_cents, spec, created_at, updated_at
         FROM campaigns ORDER BY created_at DESC, campaign_id"
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(CampaignRow::try_from)
    .collect()
}

/// Saves the client name, mode, budget and spec of `campaign` and sets its `updated_at` to `at`.
/// Fails with [`StoreError::NotFound`] if it was never stored, and with
/// [`StoreError::BudgetBelowAgreed`] if the budget is below what its negotiations agreed.
pub async fn update_campaign(
    conn: &mut SqliteConnection,
    campaign: &mut CampaignRow,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mode = campaign.mode.as_str();
    let spec = serde_json::to_string(&campaign.spec)?;
    let at_ms = to_ms(at);
    let done = sqlx::query!(
        "UPDATE campaigns SET client_name = ?, mode = ?, spec = ?, updated_at = ?, budget_cents = ?
         WHERE campaign_id = ?",
        campaign.client_name,
        mode,
        spec,
        at_ms,
        campaign.budget_cents,
        campaign.campaign_id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "campaign",
            id: campaign.campaign_id.clone(),
            detail: "",
        });
    }
    campaign.updated_at = at;
    Ok(())
}
