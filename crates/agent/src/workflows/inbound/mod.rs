//! Inbound mail: taken from the mailbox into the durable queue (`poll_inbox`), then read
//! (`read`) and sorted before anyone reads its intent: a bounce (`bounce`) and an automatic
//! answer (`automatic`) are never classified or answered. The rest is matched to its
//! negotiation (`route`) and acted on by who wrote it (`who`): a team member's reply is a
//! takeover, someone outside the influencer's side is told to the team, a request to stop
//! writing is honoured (`opt_out`), and the influencer's reply is classified and decided on
//! (`answer`).

mod answer;
mod automatic;
mod bounce;
mod opt_out;
mod read;
mod route;
mod who;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::tz::TimeZone;
use negotiator_reading::kind::{self, MessageKind};
use negotiator_reading::mail::parse_message;
use negotiator_store::find_message_by_rfc_id;

use super::Loaded;
use super::commit::Committed;
use crate::agent::Agent;
use crate::error::AgentError;
use crate::tasks::{JobKey, Task, queue};
use read::Arrived;

/// Moves every new message from the mailbox into the job queue (one transaction for the
/// batch), then acknowledges them. A message is acknowledged only after its job is stored, so
/// a crash in between only means it is queued again (and deduplicated). Returns how many were
/// new.
pub async fn poll_inbox(agent: &Agent) -> Result<usize, AgentError> {
    let mailbox = &agent.adapters.mailbox;
    let fetched = mailbox.fetch_new().await?;
    if fetched.is_empty() {
        return Ok(0);
    }
    let mut new = 0;
    let mut tx = agent.store.begin_write().await?;
    for raw in &fetched {
        let key = parse_message(&raw.raw)
            .ok()
            .and_then(|m| m.message_id)
            .unwrap_or_else(|| format!("provider:{}", raw.provider_id));
        let task = Task::HandleInbound {
            provider_id: raw.provider_id.clone(),
            thread_id: raw.thread_id.clone(),
            raw_base64: STANDARD.encode(&raw.raw),
        };
        if queue(&mut tx, &task, &JobKey::Inbound { id: key }, agent.now()).await? {
            new += 1;
        }
    }
    tx.commit().await?;
    agent.store.settle().await?;
    for raw in &fetched {
        mailbox.acknowledge(raw).await?;
    }
    Ok(new)
}

/// What became of one inbound email.
#[derive(Clone, Debug)]
pub enum Handled {
    /// Read and decided on.
    Decided(Box<Committed>),
    /// A team member wrote in the thread: the agent stepped back.
    TakenOver(Box<Committed>),
    /// The agent's own message (mailboxes list sent mail too).
    OwnMail,
    /// Already handled before.
    Duplicate,
    /// It matches no negotiation; the team was told.
    Unmatched,
    /// It came in a negotiation's thread from someone who does not speak for the influencer;
    /// stored, not acted on, and the team was told.
    Outsider,
    /// It could not be parsed; the team was told.
    Unreadable,
    /// Filed in the audit trail and nothing else (an automatic answer nobody waits on).
    Noted(String),
}

/// Reads one inbound email and acts on it, by who wrote it.
#[tracing::instrument(name = "inbound", skip_all, fields(provider_id = provider_id, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn handle_inbound(
    agent: &Agent,
    provider_id: &str,
    thread_id: Option<&str>,
    raw_base64: &str,
) -> Result<Handled, AgentError> {
    let raw = STANDARD.decode(raw_base64).map_err(AgentError::corrupt)?;
    let email = match read::read(&raw, provider_id) {
        Ok(email) => email,
        Err(problem) => return read::unreadable(agent, provider_id, &raw, &problem).await,
    };
    if agent.settings.is_agent(&email.from) {
        return Ok(Handled::OwnMail);
    }
    if find_message_by_rfc_id(agent.store.db(), &email.rfc_id)
        .await?
        .is_some()
    {
        return Ok(Handled::Duplicate);
    }
    let today = agent.now().to_zoned(TimeZone::UTC).date();
    let auto = match kind::message_kind(&raw, &email.parsed, today) {
        MessageKind::Bounce(report) => {
            return bounce::bounce(agent, thread_id, email, &report).await;
        }
        MessageKind::AutoReply(auto) => Some(auto),
        MessageKind::Reply => None,
    };
    let Some(row) = route::negotiation_of(agent, thread_id, &email).await? else {
        return match &auto {
            Some(auto) => automatic::unmatched(agent, &email, auto).await,
            None => route::unmatched(agent, &email).await,
        };
    };
    let loaded = Loaded::from_row(agent, row).await?;
    let arrived = Arrived::new(&loaded, email, agent.now());
    let their_side = who::their_side(agent, &loaded, &arrived).await?;
    if let Some(auto) = &auto {
        return automatic::in_thread(agent, &loaded, arrived, auto, their_side).await;
    }
    if agent.settings.is_team_member(&arrived.email.from) {
        return who::team_member(agent, &loaded, arrived).await;
    }
    if !their_side {
        return who::outsider(agent, &loaded, arrived).await;
    }
    if let Some(found) = arrived.fresh.as_deref().and_then(kind::opt_out) {
        return opt_out::opt_out(agent, &loaded, arrived, &found).await;
    }
    answer::answer(agent, &loaded, arrived).await
}
