//! Carries out a decision through the transactional outbox: the negotiation row, its audit
//! entries, the messages it writes and the jobs for its side effects commit together or not
//! at all. Emails are composed and checked by the validation gate before the transaction; one
//! that fails the gate is never stored for sending: the negotiation goes to a person instead.

mod compose;
mod step;
mod wording;
mod write;

use negotiator_domain::{Decision, Flexibility};
use negotiator_store::{
    NewAuditEntry, insert_audit, insert_message, list_messages, update_negotiation,
};
use sqlx::SqliteConnection;

pub use step::{Actor, Committed, Extra, Received, Step, Stepped};

use super::notices::About;
use super::{Loaded, tracker};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{Task, queue};
use compose::compose_and_check;
use wording::{as_message, has_agreement};
use write::Writing;

/// Writes `decision` for `loaded` (the negotiation as read before deciding). Returns `None`
/// when the step's received email turns out to be already stored (a redelivery).
pub async fn commit(
    agent: &Agent,
    loaded: &Loaded,
    decision: Decision,
    flexibility: &Flexibility,
    step: Step,
) -> Result<Option<Committed>, AgentError> {
    let Step {
        actor,
        received,
        extras,
    } = step;
    let now = agent.now();
    let (decision, emails, refused) =
        compose_and_check(agent, loaded, decision, flexibility).await?;

    let mut conversation = list_messages(agent.store.pool(), loaded.row.negotiation_id).await?;
    if let Some(r) = &received {
        conversation.push(as_message(&r.message));
    }

    let mut tx = agent.store.begin_write().await?;
    if let Some(r) = &received
        && insert_message(&mut tx, &r.message).await?.is_none()
    {
        return Ok(None);
    }

    let n = &decision.negotiation;
    let mut row = loaded.row.clone();
    row.state = n.state().as_str().to_owned();
    row.human_controlled = n.human_controlled();
    row.round = i64::from(n.round());
    row.snapshot = serde_json::to_value(n.snapshot()).map_err(AgentError::corrupt)?;
    let version_read = row.version;
    update_negotiation(&mut tx, &mut row, now).await?;

    let campaign_average = if has_agreement(&decision) {
        tracker::campaign_tracker(&mut tx, &row.campaign_id, n.bounds())
            .await?
            .running_average()
    } else {
        None
    };
    let about = About {
        campaign: &loaded.campaign,
        negotiation: n,
        thread_id: row.thread_id.as_deref(),
        conversation: &conversation,
        campaign_average,
    };
    let mut writing = Writing {
        tx: &mut tx,
        agent,
        loaded,
        row: &row,
        decision: &decision,
        actor: &actor,
        now,
        version_read,
    };
    if let Some(r) = &received {
        writing.received(r).await?;
    }
    writing.transitions().await?;
    if let Some((failure, body)) = &refused {
        writing.refused(failure, body).await?;
    }
    let stored = writing.emails(&emails, &about).await?;
    writing.effects(&about, !emails.is_empty()).await?;
    writing.extras(extras).await?;
    tx.commit().await?;

    tracing::info!(
        campaign_id = %row.campaign_id,
        influencer = %row.influencer_name,
        thread_id = row.thread_id.as_deref().unwrap_or(""),
        state = n.state().as_str(),
        outcome = decision.outcome.as_str(),
        reason = %decision.reason,
        by = actor.name(),
        "decision"
    );
    Ok(Some(Committed {
        row,
        decision,
        emails: stored,
    }))
}

/// Writes an audit entry and a notice for something that is not a negotiation decision.
pub async fn audit_and_notify(
    conn: &mut SqliteConnection,
    entry: NewAuditEntry,
    notice: crate::notify::Notice,
    dedupe_key: &str,
) -> Result<(), AgentError> {
    let at = entry.occurred_at;
    insert_audit(&mut *conn, &entry).await?;
    queue(conn, &Task::Notify { notice }, dedupe_key, at).await?;
    Ok(())
}
