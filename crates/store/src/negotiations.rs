//! Negotiation rows: the domain aggregate as a JSON snapshot, with optimistic versioning.

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;
use sqlx::{SqliteConnection, SqliteExecutor};

use crate::{StoreError, from_json, from_ms, to_ms};

/// A negotiation to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNegotiation {
    /// The campaign it belongs to (must exist).
    pub campaign_id: String,
    /// The influencer's name as in the roster; unique per campaign, case-insensitively.
    pub influencer_name: String,
    /// Where to email them.
    pub influencer_email: String,
    /// The initial state machine state.
    pub state: String,
    /// The serialised domain aggregate (history, offers, ...).
    pub snapshot: Value,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A stored negotiation. Change the public fields, then save with [`update_negotiation`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegotiationRow {
    /// Its key.
    pub negotiation_id: i64,
    /// The campaign it belongs to.
    pub campaign_id: String,
    /// The influencer's name.
    pub influencer_name: String,
    /// Where to email them.
    pub influencer_email: String,
    /// The state machine state.
    pub state: String,
    /// True while a person has taken the thread over.
    pub human_controlled: bool,
    /// Negotiation round (counters exchanged).
    pub round: i64,
    /// The email thread, once the first email is sent.
    pub thread_id: Option<String>,
    /// The Message-ID of the latest message in the thread.
    pub last_message_id: Option<String>,
    /// The serialised domain aggregate.
    pub snapshot: Value,
    /// The agreed rate in cents, while agreed (written from `snapshot` by the caller).
    pub agreed_cents: Option<i64>,
    /// The CPM the agreed rate implies, in cents, while agreed.
    pub agreed_cpm_cents: Option<i64>,
    /// Our latest offer in cents while the negotiation is open (offers out count against the
    /// budget's remaining money).
    pub offer_cents: Option<i64>,
    /// How many decisions have been taken on it; a draft records the step it was written for.
    pub step: i64,
    /// The version read; [`update_negotiation`] checks and bumps it.
    pub version: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

struct NegotiationRecord {
    negotiation_id: i64,
    campaign_id: String,
    influencer_name: String,
    influencer_email: String,
    state: String,
    human_controlled: bool,
    round: i64,
    thread_id: Option<String>,
    last_message_id: Option<String>,
    snapshot: String,
    agreed_cents: Option<i64>,
    agreed_cpm_cents: Option<i64>,
    offer_cents: Option<i64>,
    step: i64,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<NegotiationRecord> for NegotiationRow {
    type Error = StoreError;

    fn try_from(row: NegotiationRecord) -> Result<Self, StoreError> {
        Ok(NegotiationRow {
            negotiation_id: row.negotiation_id,
            campaign_id: row.campaign_id,
            influencer_name: row.influencer_name,
            influencer_email: row.influencer_email,
            state: row.state,
            human_controlled: row.human_controlled,
            round: row.round,
            thread_id: row.thread_id,
            last_message_id: row.last_message_id,
            snapshot: from_json(&row.snapshot, "negotiations", "snapshot")?,
            agreed_cents: row.agreed_cents,
            agreed_cpm_cents: row.agreed_cpm_cents,
            offer_cents: row.offer_cents,
            step: row.step,
            version: row.version,
            created_at: from_ms(row.created_at, "negotiations", "created_at")?,
            updated_at: from_ms(row.updated_at, "negotiations", "updated_at")?,
        })
    }
}

/// Stores a new negotiation (version 1, round 0, not human-controlled) and returns it.
/// Fails with [`StoreError::AlreadyExists`] if the campaign already has this influencer.
pub async fn insert_negotiation(
    conn: &mut SqliteConnection,
    new: &NewNegotiation,
) -> Result<NegotiationRow, StoreError> {
    let snapshot = serde_json::to_string(&new.snapshot)?;
    let at = to_ms(new.created_at);
    let done = sqlx::query!(
        "INSERT INTO negotiations
             (campaign_id, influencer_name, influencer_email, state, snapshot, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        new.campaign_id,
        new.influencer_name,
        new.influencer_email,
        new.state,
        snapshot,
        at
    )
    .execute(conn)
    .await
    .map_err(|e| StoreError::from_insert(e, "negotiation"))?;
    Ok(NegotiationRow {
        negotiation_id: done.last_insert_rowid(),
        campaign_id: new.campaign_id.clone(),
        influencer_name: new.influencer_name.clone(),
        influencer_email: new.influencer_email.clone(),
        state: new.state.clone(),
        human_controlled: false,
        round: 0,
        thread_id: None,
        last_message_id: None,
        snapshot: new.snapshot.clone(),
        agreed_cents: None,
        agreed_cpm_cents: None,
        offer_cents: None,
        step: 0,
        version: 1,
        created_at: new.created_at,
        updated_at: new.created_at,
    })
}

/// Saves every mutable field of `negotiation` if nobody changed the row since it was read
/// (same `version`); then bumps `negotiation.version` and sets `updated_at` to `at`.
/// Fails with [`StoreError::VersionConflict`] otherwise: reload, redo the change, retry; and
/// with [`StoreError::OverBudget`] if its agreed rate would take the campaign past its budget.
pub async fn update_negotiation(
    conn: &mut SqliteConnection,
    negotiation: &mut NegotiationRow,
    at: Timestamp,
) -> Result<(), StoreError> {
    let snapshot = serde_json::to_string(&negotiation.snapshot)?;
    let at_ms = to_ms(at);
    let done = sqlx::query!(
        "UPDATE negotiations
         SET influencer_email = ?1, state = ?2, human_controlled = ?3, round = ?4, thread_id = ?5,
             last_message_id = ?6, snapshot = ?7, updated_at = ?8, agreed_cents = ?11,
             agreed_cpm_cents = ?12, offer_cents = ?13, step = ?14, version = version + 1
         WHERE negotiation_id = ?9 AND version = ?10",
        negotiation.influencer_email,
        negotiation.state,
        negotiation.human_controlled,
        negotiation.round,
        negotiation.thread_id,
        negotiation.last_message_id,
        snapshot,
        at_ms,
        negotiation.negotiation_id,
        negotiation.version,
        negotiation.agreed_cents,
        negotiation.agreed_cpm_cents,
        negotiation.offer_cents,
        negotiation.step
    )
    .execute(conn)
    .await
    .map_err(|e| StoreError::from_insert(e, "negotiation thread"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::VersionConflict {
            negotiation_id: negotiation.negotiation_id,
            expected: negotiation.version,
        });
    }
    negotiation.version += 1;
    negotiation.updated_at = at;
    Ok(())
}

/// The negotiation with this id, if any.
pub async fn get_negotiation(
    ex: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<Option<NegotiationRow>, StoreError> {
    sqlx::query_as!(
        NegotiationRecord,
        r#"SELECT negotiation_id, campaign_id, influencer_name, influencer_email, state,
                  human_controlled AS "human_controlled: bool", round, thread_id, last_message_id,
                  snapshot, agreed_cents, agreed_cpm_cents, offer_cents, step, version,
                  created_at, updated_at
           FROM negotiations WHERE negotiation_id = ?"#,
        negotiation_id
    )
    .fetch_optional(ex)
    .await?
    .map(NegotiationRow::try_from)
    .transpose()
}

/// The negotiations of a campaign, by influencer name.
pub async fn list_negotiations(
    ex: impl SqliteExecutor<'_>,
    campaign_id: &str,
) -> Result<Vec<NegotiationRow>, StoreError> {
    sqlx::query_as!(
        NegotiationRecord,
        r#"SELECT negotiation_id, campaign_id, influencer_name, influencer_email, state,
                  human_controlled AS "human_controlled: bool", round, thread_id, last_message_id,
                  snapshot, agreed_cents, agreed_cpm_cents, offer_cents, step, version,
                  created_at, updated_at
           FROM negotiations WHERE campaign_id = ?
           ORDER BY influencer_name COLLATE NOCASE"#,
        campaign_id
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(NegotiationRow::try_from)
    .collect()
}

/// The negotiation running in this email thread, if any.
pub async fn find_negotiation_by_thread(
    ex: impl SqliteExecutor<'_>,
    thread_id: &str,
) -> Result<Option<NegotiationRow>, StoreError> {
    sqlx::query_as!(
        NegotiationRecord,
        r#"SELECT negotiation_id, campaign_id, influencer_name, influencer_email, state,
                  human_controlled AS "human_controlled: bool", round, thread_id, last_message_id,
                  snapshot, agreed_cents, agreed_cpm_cents, offer_cents, step, version,
                  created_at, updated_at
           FROM negotiations WHERE thread_id = ?"#,
        thread_id
    )
    .fetch_optional(ex)
    .await?
    .map(NegotiationRow::try_from)
    .transpose()
}

/// Every negotiation (across campaigns) whose influencer name or email equals `name_or_email`,
/// case-insensitively; newest first.
pub async fn find_negotiations_by_influencer(
    ex: impl SqliteExecutor<'_>,
    name_or_email: &str,
) -> Result<Vec<NegotiationRow>, StoreError> {
    sqlx::query_as!(
        NegotiationRecord,
        r#"SELECT negotiation_id, campaign_id, influencer_name, influencer_email, state,
                  human_controlled AS "human_controlled: bool", round, thread_id, last_message_id,
                  snapshot, agreed_cents, agreed_cpm_cents, offer_cents, step, version,
                  created_at, updated_at
           FROM negotiations
           WHERE influencer_name = ?1 COLLATE NOCASE OR influencer_email = ?1 COLLATE NOCASE
           ORDER BY created_at DESC, negotiation_id DESC"#,
        name_or_email
    )
    .fetch_all(ex)
    .await?
    .into_iter()
    .map(NegotiationRow::try_from)
    .collect()
}
