//! A campaign's budget changed by a person: checked against what is agreed, audited with who
//! did it, and the openings it held back sent on their way again.

use jiff::Timestamp;
use negotiator_domain::{BudgetStanding, Money, NegotiationState};
use negotiator_store::WriteTx;
use negotiator_store::{
    EventType, NewAuditEntry, StoreError, get_campaign, insert_audit, list_negotiations,
    update_campaign,
};
use serde_json::json;

use super::{restore, tracker};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, queue};

/// What a budget change did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetChange {
    pub campaign_id: String,
    pub from: Money,
    pub to: Money,
    /// The campaign's money after the change.
    pub standing: BudgetStanding,
    /// Openings the old budget held back, queued again.
    pub openings_requeued: usize,
}

/// Sets `campaign_id`'s budget to `to` on `by`'s word. It may not go below what is already
/// agreed. Openings the old budget held back are queued again.
#[tracing::instrument(name = "budget", skip_all, fields(campaign = campaign_id, by = by))]
pub async fn set(
    agent: &Agent,
    campaign_id: &str,
    to: Money,
    by: &str,
) -> Result<BudgetChange, AgentError> {
    if !to.is_positive() {
        return Err(AgentError::Invalid(format!(
            "a budget must be more than $0.00 (got {to})"
        )));
    }
    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    let from = change_in(&mut tx, campaign_id, to, by, now).await?;
    let mut openings_requeued = 0;
    for row in list_negotiations(&mut tx, campaign_id).await? {
        let negotiation = restore(&row)?;
        let held = negotiation.state() == NegotiationState::InitialOffer
            && negotiation.offers().is_empty()
            && !negotiation.human_controlled();
        if held {
            let task = Task::OpenNegotiation {
                negotiation_id: row.negotiation_id,
            };
            let key = JobKey::OpenAfterBudget {
                negotiation_id: row.negotiation_id,
                budget_cents: to.cents(),
            };
            if queue(&mut tx, &task, &key, now).await? {
                openings_requeued += 1;
            }
        }
    }
    let totals = tracker::totals(&mut tx, campaign_id, None).await?;
    tx.commit().await?;
    Ok(BudgetChange {
        campaign_id: campaign_id.to_owned(),
        from,
        to,
        standing: tracker::standing(&totals),
        openings_requeued,
    })
}

/// Raises the budget inside a decision's transaction (a person confirmed an approval past it).
pub(crate) async fn raise_in(
    conn: &mut WriteTx,
    campaign_id: &str,
    to: Money,
    by: &str,
    now: Timestamp,
) -> Result<(), AgentError> {
    change_in(conn, campaign_id, to, by, now).await.map(|_| ())
}

/// Writes the new budget (the column the store enforces and the campaign's own document) and
/// its audit entry; returns the old budget.
async fn change_in(
    conn: &mut WriteTx,
    campaign_id: &str,
    to: Money,
    by: &str,
    now: Timestamp,
) -> Result<Money, AgentError> {
    let mut campaign =
        get_campaign(&mut *conn, campaign_id)
            .await?
            .ok_or(AgentError::NotFound {
                what: "campaign",
                id: campaign_id.to_owned(),
                hint: "; `negotiator negotiations` lists the campaigns",
            })?;
    let from = Money::from_cents(campaign.budget_cents);
    if from == to {
        return Ok(from);
    }
    campaign.budget_cents = to.cents();
    if let Some(spec) = campaign.spec.as_object_mut() {
        spec.insert("budget".to_owned(), json!(to.cents()));
    }
    match update_campaign(&mut *conn, &mut campaign, now).await {
        Err(StoreError::BudgetBelowAgreed) => {
            let totals = tracker::totals(conn, campaign_id, None).await?;
            return Err(AgentError::Invalid(format!(
                "campaign {campaign_id} has already agreed {}; its budget cannot go below that \
                 (asked for {to})",
                Money::from_cents(totals.committed_cents)
            )));
        }
        other => other?,
    }
    let entry = NewAuditEntry::new(now, EventType::BudgetChanged)
        .campaign(campaign_id)
        .rates_used(format!("budget {from} -> {to}"))
        .meta("from", from.to_string())
        .meta("to", to.to_string())
        .meta("by", by);
    insert_audit(&mut *conn, &entry).await?;
    Ok(from)
}
