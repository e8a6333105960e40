//! Negotiation rows: the domain aggregate as a JSON snapshot, with optimistic versioning.

use jiff::Timestamp;
use rusqlite::{Row, params};
use serde::Serialize;
use serde_json::Value;

use crate::db::{query_all, query_one};
use crate::{Db, StoreError, from_json, from_ms, to_ms};

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

/// The columns [`NegotiationRow::from_row`] reads, in its order.
macro_rules! columns {
    () => {
        "negotiation_id, campaign_id, influencer_name, influencer_email, state, \
         human_controlled, round, thread_id, last_message_id, snapshot, agreed_cents, \
         agreed_cpm_cents, offer_cents, step, version, created_at, updated_at"
    };
}

impl NegotiationRow {
    /// Decodes a row selected as `columns!`.
    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let snapshot: String = row.get(9)?;
        Ok(NegotiationRow {
            negotiation_id: row.get(0)?,
            campaign_id: row.get(1)?,
            influencer_name: row.get(2)?,
            influencer_email: row.get(3)?,
            state: row.get(4)?,
            human_controlled: row.get(5)?,
            round: row.get(6)?,
            thread_id: row.get(7)?,
            last_message_id: row.get(8)?,
            snapshot: from_json(&snapshot, "negotiations", "snapshot")?,
            agreed_cents: row.get(10)?,
            agreed_cpm_cents: row.get(11)?,
            offer_cents: row.get(12)?,
            step: row.get(13)?,
            version: row.get(14)?,
            created_at: from_ms(row.get(15)?, "negotiations", "created_at")?,
            updated_at: from_ms(row.get(16)?, "negotiations", "updated_at")?,
        })
    }
}

/// Stores a new negotiation (version 1, round 0, not human-controlled) and returns it.
/// Fails with [`StoreError::AlreadyExists`] if the campaign already has this influencer.
pub async fn insert_negotiation(
    db: impl Db,
    new: &NewNegotiation,
) -> Result<NegotiationRow, StoreError> {
    let snapshot = serde_json::to_string(&new.snapshot)?;
    let at = to_ms(new.created_at);
    let negotiation_id = db.with(|conn| {
        conn.prepare_cached(
            "INSERT INTO negotiations
                 (campaign_id, influencer_name, influencer_email, state, snapshot, created_at,
                  updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![
            new.campaign_id,
            new.influencer_name,
            new.influencer_email,
            new.state,
            snapshot,
            at
        ])
        .map_err(|e| StoreError::on_insert(e, "negotiation"))?;
        Ok(conn.last_insert_rowid())
    })?;
    Ok(NegotiationRow {
        negotiation_id,
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
    db: impl Db,
    negotiation: &mut NegotiationRow,
    at: Timestamp,
) -> Result<(), StoreError> {
    let snapshot = serde_json::to_string(&negotiation.snapshot)?;
    let n = &*negotiation;
    let changed = db.with(|conn| {
        conn.prepare_cached(
            "UPDATE negotiations
             SET influencer_email = ?1, state = ?2, human_controlled = ?3, round = ?4,
                 thread_id = ?5, last_message_id = ?6, snapshot = ?7, updated_at = ?8,
                 agreed_cents = ?11, agreed_cpm_cents = ?12, offer_cents = ?13, step = ?14,
                 version = version + 1
             WHERE negotiation_id = ?9 AND version = ?10",
        )?
        .execute(params![
            n.influencer_email,
            n.state,
            n.human_controlled,
            n.round,
            n.thread_id,
            n.last_message_id,
            snapshot,
            to_ms(at),
            n.negotiation_id,
            n.version,
            n.agreed_cents,
            n.agreed_cpm_cents,
            n.offer_cents,
            n.step
        ])
        .map_err(|e| StoreError::on_insert(e, "negotiation thread"))
    })?;
    if changed == 0 {
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
    db: impl Db,
    negotiation_id: i64,
) -> Result<Option<NegotiationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM negotiations WHERE negotiation_id = ?"
    );
    db.with(|conn| query_one(conn, sql, [negotiation_id], NegotiationRow::from_row))
}

/// The negotiations of a campaign, by influencer name.
pub async fn list_negotiations(
    db: impl Db,
    campaign_id: &str,
) -> Result<Vec<NegotiationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM negotiations WHERE campaign_id = ?
         ORDER BY influencer_name COLLATE NOCASE"
    );
    db.with(|conn| query_all(conn, sql, [campaign_id], NegotiationRow::from_row))
}

/// The negotiation running in this email thread, if any.
pub async fn find_negotiation_by_thread(
    db: impl Db,
    thread_id: &str,
) -> Result<Option<NegotiationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM negotiations WHERE thread_id = ?"
    );
    db.with(|conn| query_one(conn, sql, [thread_id], NegotiationRow::from_row))
}

/// Every negotiation (across campaigns) whose influencer name or email equals `name_or_email`,
/// case-insensitively; newest first.
pub async fn find_negotiations_by_influencer(
    db: impl Db,
    name_or_email: &str,
) -> Result<Vec<NegotiationRow>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM negotiations
         WHERE influencer_name = ?1 COLLATE NOCASE OR influencer_email = ?1 COLLATE NOCASE
         ORDER BY created_at DESC, negotiation_id DESC"
    );
    db.with(|conn| query_all(conn, sql, [name_or_email], NegotiationRow::from_row))
}
