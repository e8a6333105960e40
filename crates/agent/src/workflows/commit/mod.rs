//! Carries out a decision through the transactional outbox: the negotiation row, its audit
//! entries, the messages it writes and the jobs for its side effects commit together or not
//! at all. Emails are composed and checked by the validation gate before the transaction; one
//! that fails the gate is never stored for sending: the negotiation goes to a person instead.

mod compose;
mod step;
mod wording;
mod write;

use jiff::Timestamp;
use negotiator_domain::{Allowance, Decision, Negotiation, NegotiationEvent};
use negotiator_store::WriteTx;
use negotiator_store::{
    NewAuditEntry, insert_audit, insert_message, list_messages, update_negotiation,
};

pub use step::{Actor, Committed, Extra, Received, Step, Stepped};

use super::notices::About;
use super::{Loaded, budget, tracker};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, queue};
use compose::compose_and_check;
use wording::{as_message, has_agreement};
use write::Writing;

/// Writes `decision` for `loaded` (the negotiation as read before deciding). Returns `None`
/// when the step's received email turns out to be already stored (a redelivery).
pub async fn commit(
    agent: &Agent,
    loaded: &Loaded,
    decision: Decision,
    allowance: &Allowance,
    step: Step,
) -> Result<Option<Committed>, AgentError> {
    let Step {
        actor,
        received,
        extras,
        raise_budget,
    } = step;
    let now = agent.now();
    let (decision, emails, refused) = compose_and_check(agent, loaded, decision, allowance).await?;

    let mut conversation = list_messages(agent.store.db(), loaded.row.negotiation_id).await?;
    if let Some(r) = &received {
        conversation.push(as_message(&r.message));
    }

    let mut tx = agent.store.begin_write().await?;
    if let Some(r) = &received
        && insert_message(&mut tx, &r.message).await?.is_none()
    {
        return Ok(None);
    }

    if let Some(to) = raise_budget {
        budget::raise_in(&mut tx, &loaded.row.campaign_id, to, actor.name(), now).await?;
    }
    let n = &decision.negotiation;
    let moved = moves_on(loaded, &decision);
    let version_read = loaded.row.version;
    let row = save(&mut tx, loaded, n, moved, now).await?;
    let campaign_average = if has_agreement(&decision) {
        let totals = tracker::totals(&mut tx, &row.campaign_id, None).await?;
        tracker::tracker(&totals, n.bounds()).running_average()
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
        audit: Vec::new(),
    };
    if let Some(r) = &received {
        writing.received(r).await?;
    }
    if moved {
        writing.supersede_drafts().await?;
    }
    writing.transitions().await?;
    if let Some((failure, body)) = &refused {
        writing.refused(failure, body).await?;
    }
    let stored = writing.emails(&emails, &about).await?;
    writing.effects(&about, !emails.is_empty()).await?;
    writing.extras(extras).await?;
    writing.finish().await?;
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

/// Saves the negotiation as the decision left it: its state, snapshot, money columns and step
/// (checked against the version read, so a lost race is retried, never overwritten).
async fn save(
    tx: &mut WriteTx,
    loaded: &Loaded,
    n: &Negotiation,
    moved: bool,
    now: Timestamp,
) -> Result<negotiator_store::NegotiationRow, AgentError> {
    let mut row = loaded.row.clone();
    row.state = n.state().as_str().to_owned();
    row.human_controlled = n.human_controlled();
    row.round = i64::from(n.round());
    row.snapshot = serde_json::to_value(n.snapshot()).map_err(AgentError::corrupt)?;
    tracker::set_money_columns(&mut row, n)?;
    if moved {
        row.step += 1;
    }
    update_negotiation(tx, &mut row, now).await?;
    Ok(row)
}

/// Whether the decision moves the negotiation on, so that drafts written for an earlier step can
/// no longer be approved: any change of state but a pause or a resume (a paused thread's draft
/// waits for it to resume).
fn moves_on(loaded: &Loaded, decision: &Decision) -> bool {
    let earlier = loaded.negotiation.history().len();
    decision
        .negotiation
        .history()
        .get(earlier..)
        .unwrap_or_default()
        .iter()
        .any(|h| !matches!(h.event, NegotiationEvent::Pause | NegotiationEvent::Resume))
}

/// Writes an audit entry and a notice for something that is not a negotiation decision.
pub async fn audit_and_notify(
    conn: &mut WriteTx,
    entry: NewAuditEntry,
    notice: crate::ports::notifier::Notice,
    key: &JobKey,
) -> Result<(), AgentError> {
    let at = entry.occurred_at;
    insert_audit(&mut *conn, &entry).await?;
    queue(conn, &Task::Notify { notice }, key, at).await?;
    Ok(())
}
