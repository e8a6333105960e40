//! Sending a stored email exactly once: its Message-ID was stored before the send, so after a
//! crash the mailbox is asked whether it already went out before it is sent again.

use negotiator_domain::{EmailPlan, Negotiation};
use negotiator_store::{
    Direction, EventType, Message, MessageStatus, NewAuditEntry, get_message, get_negotiation,
    insert_audit, list_messages, update_message_status, update_negotiation,
};

use super::{Loaded, restore};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::mailbox::OutboundEmail;
use crate::tasks::{Task, queue};

/// What became of a send job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// It went out now, or (`recovered`) had already gone out before a crash and is now
    /// recorded.
    Sent {
        thread_id: String,
        to: String,
        kind: String,
        recovered: bool,
    },
    /// Nothing to do: it is a draft, was discarded, or was sent before.
    Skipped(MessageStatus),
}

pub async fn send_message(agent: &Agent, message_id: i64) -> Result<Sent, AgentError> {
    let message =
        get_message(agent.store.pool(), message_id)
            .await?
            .ok_or(AgentError::NotFound {
                what: "message",
                id: message_id.to_string(),
                hint: "",
            })?;
    if message.status != MessageStatus::Pending {
        return Ok(Sent::Skipped(message.status));
    }
    let rfc_id = message
        .rfc_message_id
        .clone()
        .ok_or_else(|| AgentError::corrupt(format!("message {message_id} has no Message-ID")))?;
    let loaded = Loaded::by_id(agent, message.negotiation_id).await?;
    let conversation = list_messages(agent.store.pool(), message.negotiation_id).await?;
    let email = outbound(agent, &loaded, &conversation, &message, &rfc_id);

    let mailbox = &agent.adapters.mailbox;
    let (thread_id, recovered) = match mailbox.find_sent(&rfc_id).await? {
        Some(found) => (found.thread_id, true),
        None => (mailbox.send(&email).await?.thread_id, false),
    };

    let now = agent.now();
    let mut tx = agent.store.begin_write().await?;
    update_message_status(&mut tx, message_id, MessageStatus::Sent, Some(&thread_id)).await?;
    let mut row = get_negotiation(&mut *tx, message.negotiation_id)
        .await?
        .ok_or_else(|| AgentError::corrupt("the message's negotiation disappeared"))?;
    if row.thread_id.is_none() {
        row.thread_id = Some(thread_id.clone());
    }
    row.last_message_id = Some(rfc_id.clone());
    update_negotiation(&mut tx, &mut row, now).await?;

    let negotiation: Negotiation = restore(&row)?;
    let plan: Option<EmailPlan> = message
        .metadata
        .get("plan")
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    let mut entry = NewAuditEntry::new(now, EventType::EmailSent)
        .campaign(row.campaign_id.clone())
        .influencer(row.influencer_name.clone())
        .thread(thread_id.clone())
        .direction(Direction::Sent)
        .email_body(message.body.clone())
        .negotiation_state(negotiation.state().as_str())
        .meta("message_id", rfc_id.clone())
        .meta("to", message.to_addr.clone())
        .meta("subject", message.subject.clone());
    if let Some(plan) = &plan {
        entry = entry.meta("kind", plan.kind.as_str());
        if let Some(ours) = plan.our_rate {
            entry = entry.rates_used(format!("ours {ours}"));
        }
    }
    if recovered {
        entry = entry.meta(
            "recovered",
            "found already sent after a restart; not sent again",
        );
    }
    insert_audit(&mut tx, &entry).await?;

    if let Some(after) = message
        .metadata
        .get("follow_up_after_secs")
        .and_then(serde_json::Value::as_i64)
    {
        let run_at = now
            .checked_add(jiff::SignedDuration::from_secs(after))
            .unwrap_or(now);
        let task = Task::CheckSilence {
            negotiation_id: row.negotiation_id,
        };
        let key = format!("silence:{}:after:{message_id}", row.negotiation_id);
        queue(&mut tx, &task, &key, run_at).await?;
    }
    tx.commit().await?;
    tracing::info!(
        campaign_id = %row.campaign_id,
        influencer = %row.influencer_name,
        thread_id = %thread_id,
        message_id = %rfc_id,
        recovered,
        "email sent"
    );
    tracing::debug!(influencer = %row.influencer_name, body = %message.body, "email body");
    let to = row.influencer_name.clone();
    let kind = plan.map_or_else(|| "an".to_owned(), |p| p.kind.as_str().replace('_', "-"));
    Ok(Sent::Sent {
        thread_id,
        to,
        kind,
        recovered,
    })
}

/// The email as the mailbox sends it: to the influencer, copying anyone else from their side
/// who wrote in the thread, threaded on every earlier message.
fn outbound(
    agent: &Agent,
    loaded: &Loaded,
    conversation: &[Message],
    message: &Message,
    rfc_id: &str,
) -> OutboundEmail {
    let settings = &agent.settings;
    let earlier: Vec<&Message> = conversation
        .iter()
        .filter(|m| m.message_id != message.message_id)
        .filter(|m| matches!(m.status, MessageStatus::Sent | MessageStatus::Received))
        .collect();
    let references: Vec<String> = earlier
        .iter()
        .filter_map(|m| m.rfc_message_id.clone())
        .collect();
    let to = message.to_addr.clone();
    let mut cc: Vec<String> = Vec::new();
    for m in earlier
        .iter()
        .filter(|m| m.direction == Direction::Received)
    {
        let from = m.from_addr.trim().to_ascii_lowercase();
        if !from.is_empty()
            && !from.eq_ignore_ascii_case(&to)
            && !settings.is_agent(&from)
            && !settings.is_team_member(&from)
            && !cc.contains(&from)
        {
            cc.push(from);
        }
    }
    OutboundEmail {
        message_id: rfc_id.to_owned(),
        thread_id: loaded.row.thread_id.clone(),
        from_name: settings.sender.name.clone(),
        from_address: settings.agent_address.clone(),
        to,
        cc,
        subject: message.subject.clone(),
        body: message.body.clone(),
        in_reply_to: references.last().cloned(),
        references,
        date: agent.now().as_second(),
    }
}
