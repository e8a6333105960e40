//! The suppression list: addresses no campaign may write to again (opt-outs, hard bounces, and
//! addresses a person added), checked before anyone is contacted and before every send.

use jiff::Timestamp;
use negotiator_domain::{EmailAddress, string_enum};
use rusqlite::{Row, params};
use serde::Serialize;

use crate::db::{execute, query_all, query_one};
use crate::{Db, StoreError, from_ms, parse_enum, to_ms};

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

/// The columns [`decode`] reads, in its order.
macro_rules! columns {
    () => {
        "address, reason, detail, added_by, negotiation_id, added_at"
    };
}

/// Adds an address to the list; `false` when it was already there (the first reason stays).
pub async fn suppress(db: impl Db, new: &NewSuppression<'_>) -> Result<bool, StoreError> {
    let at = to_ms(new.at);
    let changed = db.with(|conn| {
        execute(
            conn,
            "INSERT INTO suppressions (address, reason, detail, added_by, negotiation_id, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (address) DO NOTHING",
            params![
                new.address.as_str(),
                new.reason.as_str(),
                new.detail,
                new.added_by,
                new.negotiation_id,
                at
            ],
        )
    })?;
    Ok(changed == 1)
}

/// Takes an address off the list; the entry it removed, or `None` when it was not there.
pub async fn unsuppress(
    db: impl Db,
    address: &EmailAddress,
) -> Result<Option<Suppression>, StoreError> {
    let sql = concat!(
        "DELETE FROM suppressions WHERE address = ?1 RETURNING ",
        columns!()
    );
    db.with(|conn| query_one(conn, sql, [address.as_str().trim()], decode))
}

/// The entry for `address` (compared without case), if it is suppressed.
pub async fn find_suppression(
    db: impl Db,
    address: &str,
) -> Result<Option<Suppression>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM suppressions WHERE address = ?1"
    );
    db.with(|conn| query_one(conn, sql, [address.trim()], decode))
}

/// Every suppressed address, newest first.
pub async fn list_suppressions(db: impl Db) -> Result<Vec<Suppression>, StoreError> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM suppressions ORDER BY added_at DESC, address"
    );
    db.with(|conn| query_all(conn, sql, [], decode))
}

/// Decodes a row selected as `columns!`.
fn decode(row: &Row<'_>) -> Result<Suppression, StoreError> {
    let reason: String = row.get(1)?;
    Ok(Suppression {
        address: row.get(0)?,
        reason: parse_enum(&reason, "suppressions", "reason")?,
        detail: row.get(2)?,
        added_by: row.get(3)?,
        negotiation_id: row.get(4)?,
        added_at: from_ms(row.get(5)?, "suppressions", "added_at")?,
    })
}
