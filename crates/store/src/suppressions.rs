//! The suppression list: addresses no campaign may write to again (opt-outs, hard bounces, and
//! addresses a person added), checked before anyone is contacted and before every send.

use jiff::Timestamp;
use negotiator_domain::{EmailAddress, string_enum};
use serde::Serialize;
use sqlx::{Row, SqliteConnection, SqliteExecutor};

use crate::{StoreError, from_ms, parse_enum, to_ms};

string_enum! {
    /// Why an address is suppressed.
    pub enum SuppressionReason ("suppression reason") {
        /// They asked not to be written to.
        OptOut => "opt_out",
        /// Mail to it failed for good.
        Bounce => "bounce",
        /// A person added it.
        Manual => "manual",
    }
}

impl SuppressionReason {
    /// In words, for notices and tables.
    pub fn describe(self) -> &'static str {
        match self {
            SuppressionReason::OptOut => "they asked not to be written to",
            SuppressionReason::Bounce => "mail to it bounced",
            SuppressionReason::Manual => "added by a person",
        }
    }
}

/// One suppressed address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub address: String,
    pub reason: SuppressionReason,
    /// What they wrote, the bounce's status, or the note a person gave.
    pub detail: String,
    /// Who added it: `agent`, or the person.
    pub added_by: String,
    /// The negotiation it came from, if any.
    pub negotiation_id: Option<i64>,
    pub added_at: Timestamp,
}

/// What to suppress.
#[derive(Clone, Debug)]
pub struct NewSuppression<'a> {
    pub address: &'a EmailAddress,
    pub reason: SuppressionReason,
    pub detail: &'a str,
    pub added_by: &'a str,
    pub negotiation_id: Option<i64>,
    pub at: Timestamp,
}

/// Adds an address to the list; `false` when it was already there (the first reason stays).
pub async fn suppress(
    conn: &mut SqliteConnection,
    new: &NewSuppression<'_>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO suppressions (address, reason, detail, added_by, negotiation_id, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (address) DO NOTHING",
    )
    .bind(new.address.as_str())
    .bind(new.reason.as_str())
    .bind(new.detail)
    .bind(new.added_by)
    .bind(new.negotiation_id)
    .bind(to_ms(new.at))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes an address off the list; the entry it removed, or `None` when it was not there.
pub async fn unsuppress(
    conn: &mut SqliteConnection,
    address: &EmailAddress,
) -> Result<Option<Suppression>, StoreError> {
    let found = find_suppression(&mut *conn, address.as_str()).await?;
    if found.is_some() {
        sqlx::query("DELETE FROM suppressions WHERE address = ?1")
            .bind(address.as_str())
            .execute(conn)
            .await?;
    }
    Ok(found)
}

/// The entry for `address` (compared without case), if it is suppressed.
pub async fn find_suppression(
    ex: impl SqliteExecutor<'_>,
    address: &str,
) -> Result<Option<Suppression>, StoreError> {
    let row = sqlx::query(
        "SELECT address, reason, detail, added_by, negotiation_id, added_at
         FROM suppressions WHERE address = ?1",
    )
    .bind(address.trim())
    .fetch_optional(ex)
    .await?;
    row.map(|row| decode(&row)).transpose()
}

/// Every suppressed address, newest first.
pub async fn list_suppressions(
    ex: impl SqliteExecutor<'_>,
) -> Result<Vec<Suppression>, StoreError> {
    let rows = sqlx::query(
        "SELECT address, reason, detail, added_by, negotiation_id, added_at
         FROM suppressions ORDER BY added_at DESC, address",
    )
    .fetch_all(ex)
    .await?;
    rows.iter().map(decode).collect()
}

fn decode(row: &sqlx::sqlite::SqliteRow) -> Result<Suppression, StoreError> {
    let reason: String = row.try_get("reason")?;
    Ok(Suppression {
        address: row.try_get("address")?,
        reason: parse_enum(&reason, "suppressions", "reason")?,
        detail: row.try_get("detail")?,
        added_by: row.try_get("added_by")?,
        negotiation_id: row.try_get("negotiation_id")?,
        added_at: from_ms(row.try_get("added_at")?, "suppressions", "added_at")?,
    })
}
