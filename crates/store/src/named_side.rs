//! A negotiation's named side: the addresses besides the influencer's (a manager, an
//! assistant) that the roster names, kept as a JSON list on the negotiation row.

use negotiator_domain::EmailAddress;

use crate::db::{execute, query_one};
use crate::{Db, StoreError, from_json};

fn no_negotiation(negotiation_id: i64) -> StoreError {
    StoreError::NotFound {
        what: "negotiation",
        id: negotiation_id.to_string(),
        detail: "",
    }
}

/// Replaces the named side of negotiation `negotiation_id` with `emails`.
pub async fn set_side_emails(
    db: impl Db,
    negotiation_id: i64,
    emails: &[EmailAddress],
) -> Result<(), StoreError> {
    let json = serde_json::to_string(emails)?;
    let changed = db.with(|conn| {
        execute(
            conn,
            "UPDATE negotiations SET side_emails = ?1 WHERE negotiation_id = ?2",
            rusqlite::params![json, negotiation_id],
        )
    })?;
    if changed == 0 {
        return Err(no_negotiation(negotiation_id));
    }
    Ok(())
}

/// The named side of negotiation `negotiation_id` (empty when the roster named nobody else).
pub async fn side_emails(
    db: impl Db,
    negotiation_id: i64,
) -> Result<Vec<EmailAddress>, StoreError> {
    let text: String = db
        .with(|conn| {
            query_one(
                conn,
                "SELECT side_emails FROM negotiations WHERE negotiation_id = ?1",
                [negotiation_id],
                |row| Ok(row.get(0)?),
            )
        })?
        .ok_or_else(|| no_negotiation(negotiation_id))?;
    // Each address goes through the parser again on the way in.
    from_json(&text, "negotiations", "side_emails")
}
