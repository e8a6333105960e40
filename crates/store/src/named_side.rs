//! A negotiation's named side: the addresses besides the influencer's (a manager, an
//! assistant) that the roster names, kept as a JSON list on the negotiation row.

use negotiator_domain::EmailAddress;
use sqlx::{Row, SqliteConnection, SqliteExecutor};

use crate::{StoreError, from_json};

/// Replaces the named side of negotiation `negotiation_id` with `emails`.
pub async fn set_side_emails(
    conn: &mut SqliteConnection,
    negotiation_id: i64,
    emails: &[EmailAddress],
) -> Result<(), StoreError> {
    let json = serde_json::to_string(emails)?;
    let done = sqlx::query("UPDATE negotiations SET side_emails = ?1 WHERE negotiation_id = ?2")
        .bind(json)
        .bind(negotiation_id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            what: "negotiation",
            id: negotiation_id.to_string(),
            detail: "",
        });
    }
    Ok(())
}

/// The named side of negotiation `negotiation_id` (empty when the roster named nobody else).
pub async fn side_emails(
    ex: impl SqliteExecutor<'_>,
    negotiation_id: i64,
) -> Result<Vec<EmailAddress>, StoreError> {
    let row = sqlx::query("SELECT side_emails FROM negotiations WHERE negotiation_id = ?1")
        .bind(negotiation_id)
        .fetch_optional(ex)
        .await?
        .ok_or_else(|| StoreError::NotFound {
            what: "negotiation",
            id: negotiation_id.to_string(),
            detail: "",
        })?;
    let text: String = row.try_get("side_emails")?;
    // Each address goes through the parser again on the way in.
    from_json(&text, "negotiations", "side_emails")
}
