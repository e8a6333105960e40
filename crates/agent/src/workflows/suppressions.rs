//! The suppression list as people manage it: add an address (nobody is written to there again),
//! take one off, list them; each change audited with who made it.

use negotiator_domain::EmailAddress;
use negotiator_store::{
    EventType, NewAuditEntry, NewSuppression, Suppression, SuppressionReason,
    find_negotiations_by_influencer, insert_audit, list_suppressions, suppress, unsuppress,
};

use crate::agent::Agent;
use crate::error::AgentError;

/// What adding an address did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// False when it was on the list already (the first entry stays).
    pub new: bool,
    /// Who the roster lists at that address (themselves or as a manager or assistant).
    pub in_roster: Vec<String>,
    /// Open negotiations with that address, which will send nothing more to it.
    pub open_negotiations: Vec<i64>,
}

/// Suppresses `address` on `by`'s word, with `note` as the reason given. An address the
/// roster does not know is suppressed too, and the audit entry says so.
pub async fn add(
    agent: &Agent,
    address: &EmailAddress,
    note: &str,
    by: &str,
) -> Result<Added, AgentError> {
    let in_roster: Vec<String> = agent
        .adapters
        .roster
        .find_by_email(address)
        .await?
        .into_iter()
        .map(|influencer| influencer.name)
        .collect();
    let open_negotiations: Vec<i64> =
        find_negotiations_by_influencer(agent.store.db(), address.as_str())
            .await?
            .into_iter()
            .filter(|row| {
                row.state
                    .parse::<negotiator_domain::NegotiationState>()
                    .is_ok_and(|state| !state.is_terminal())
            })
            .map(|row| row.negotiation_id)
            .collect();
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    let new = suppress(
        &mut tx,
        &NewSuppression {
            address,
            reason: SuppressionReason::Manual,
            detail: note,
            added_by: by,
            negotiation_id: None,
            at: now,
        },
    )
    .await?;
    if new {
        let roster = if in_roster.is_empty() {
            "not in the roster".to_owned()
        } else {
            format!("the roster lists it for {}", in_roster.join(", "))
        };
        let entry = NewAuditEntry::new(now, EventType::SuppressionAdded)
            .meta("address", address.as_str())
            .meta("reason", SuppressionReason::Manual.as_str())
            .meta("note", note)
            .meta("by", by)
            .meta("roster", roster);
        insert_audit(&mut tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(Added {
        new,
        in_roster,
        open_negotiations,
    })
}

/// Takes `address` off the list on `by`'s word; the entry removed, or `None` if it was not
/// there.
pub async fn remove(
    agent: &Agent,
    address: &EmailAddress,
    by: &str,
) -> Result<Option<Suppression>, AgentError> {
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    let removed = unsuppress(&mut tx, address).await?;
    if let Some(entry) = &removed {
        let audit = NewAuditEntry::new(now, EventType::SuppressionRemoved)
            .meta("address", address.as_str())
            .meta("was", entry.reason.as_str())
            .meta("added_by", entry.added_by.clone())
            .meta("by", by);
        insert_audit(&mut tx, &audit).await?;
    }
    tx.commit().await?;
    Ok(removed)
}

/// Every suppressed address, newest first.
pub async fn list(agent: &Agent) -> Result<Vec<Suppression>, AgentError> {
    Ok(list_suppressions(agent.store.db()).await?)
}
