//! Campaign rows: what arrived from ClickUp, a file or the demo, and whether it runs in review mode.

use jiff::Timestamp;
use negotiator_domain::string_enum;
use rusqlite::{Row, params};
use serde::Serialize;
use serde_json::Value;

use crate::db::{execute, query_all, query_one};
use crate::{Db, StoreError, from_json, from_ms, parse_enum, to_ms};

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

/// The columns [`CampaignRow::from_row`] reads, in its order.
macro_rules! columns {
    () => {
        "campaign_id, client_name, source, mode, budget_cents, spec, created_at, updated_at"
    };
}

impl CampaignRow {
    /// Decodes a row selected as `columns!`.
    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let mode: String = row.get(3)?;
        let spec: String = row.get(5)?;
        Ok(CampaignRow {
            campaign_id: row.get(0)?,
            client_name: row.get(1)?,
            source: row.get(2)?,
            mode: parse_enum(&mode, "campaigns", "mode")?,
            budget_cents: row.get(4)?,
            spec: from_json(&spec, "campaigns", "spec")?,
            created_at: from_ms(row.get(6)?, "campaigns", "created_at")?,
            updated_at: from_ms(row.get(7)?, "campaigns", "updated_at")?,
        })
    }
}

/// Stores a new campaign. Fails with [`StoreError::AlreadyExists`] if its id is taken.
pub async fn insert_campaign(db: impl Db, campaign: &NewCampaign) -> Result<(), StoreError> {
    let mode = campaign.mode.as_str();
    let spec = serde_json::to_string(&campaign.spec)?;
    let at = to_ms(campaign.created_at);
    db.with(|conn| {
        conn.prepare_cached(
            "INSERT INTO campaigns
                 (campaign_id, client_name, source, mode, spec, created_at, updated_at, budget_cents)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        )?
        .execute(params![
            campaign.campaign_id,
            campaign.client_name,
            campaign.source,
            mode,
            spec,
            at,
            campaign.budget_cents
        ])
        .map_err(|e| StoreError::on_insert(e, "campaign"))?;
        Ok(())
    })
}

/// The campaign with this id, if any.
pub async fn get_campaign(
    db: impl Db,
    campaign_id: &str,
) -> Result<Option<CampaignRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM campaigns WHERE campaign_id = ?"
    );
    db.with(|conn| query_one(conn, sql, [campaign_id], CampaignRow::from_row))
}

/// Every campaign, newest first.
pub async fn list_campaigns(db: impl Db) -> Result<Vec<CampaignRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM campaigns ORDER BY created_at DESC, campaign_id"
    );
    db.with(|conn| query_all(conn, sql, [], CampaignRow::from_row))
}

/// Saves the client name, mode, budget and spec of `campaign` and sets its `updated_at` to `at`.
/// Fails with [`StoreError::NotFound`] if it was never stored, and with
/// [`StoreError::BudgetBelowAgreed`] if the budget is below what its negotiations agreed.
pub async fn update_campaign(
    db: impl Db,
    campaign: &mut CampaignRow,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mode = campaign.mode.as_str();
    let spec = serde_json::to_string(&campaign.spec)?;
    let at_ms = to_ms(at);
    let c = &*campaign;
    let changed = db.with(|conn| {
        execute(
            conn,
            "UPDATE campaigns SET client_name = ?, mode = ?, spec = ?, updated_at = ?, budget_cents = ?
             WHERE campaign_id = ?",
            params![c.client_name, mode, spec, at_ms, c.budget_cents, c.campaign_id],
        )
    })?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "campaign",
            id: campaign.campaign_id.clone(),
            detail: "",
        });
    }
    campaign.updated_at = at;
    Ok(())
}

/// The campaign's revision, which every change to it bumps; `None` when it is not stored.
pub async fn campaign_revision(db: impl Db, campaign_id: &str) -> Result<Option<i64>, StoreError> {
    db.with(|conn| {
        query_one(
            conn,
            "SELECT revision FROM campaigns WHERE campaign_id = ?",
            [campaign_id],
            |row| Ok(row.get(0)?),
        )
    })
}
