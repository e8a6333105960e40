//! Sending a stored email exactly once: its Message-ID was stored before the send, so after a
//! crash the mailbox is asked whether it already went out (by our send header, among the mail
//! to its recipient since it was stored) before it is sent again. The Message-ID the sent
//! email really carries (the provider may replace ours) is recorded beside ours, and later
//! emails cite that one.

use std::collections::HashMap;

use negotiator_domain::{EmailAddress, EmailPlan, Negotiation};
use negotiator_store::{
    Direction, EventType, Message, MessageStatus, NewAuditEntry, Suppression, carried_message_ids,
    find_suppression, get_message, get_negotiation, insert_audit, list_messages,
    set_carried_message_id, update_message_status, update_negotiation,
};

use super::commit::audit_and_notify;
use super::{notices, restore};
use crate::agent::Agent;
use crate::error::AgentError;
use crate::named_side::NamedSide;
use crate::ports::mailbox::{Delivered, OutboundEmail};
use crate::tasks::{JobKey, Task, queue};

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
    /// Not sent, and never will be: its recipient is on the suppression list. The message is
    /// discarded and the team told.
    Withheld { to: String, why: String },
}

/// Sends stored message `message_id` if it is still pending: load it, deliver it (or find it
/// delivered before a crash), and record that it went out.
#[tracing::instrument(name = "send", skip_all, fields(message_id = message_id, campaign = tracing::field::Empty, negotiation = tracing::field::Empty, thread = tracing::field::Empty))]
pub async fn send_message(agent: &Agent, message_id: i64) -> Result<Sent, AgentError> {
    let mut pending = match load(agent, message_id).await? {
        Ok(pending) => pending,
        Err(status) => return Ok(Sent::Skipped(status)),
    };
    if let Some(entry) = suppression(agent, &pending.email.to).await? {
        return withhold(agent, &pending, &entry).await;
    }
    let mut cc = Vec::new();
    for address in std::mem::take(&mut pending.email.cc) {
        if suppression(agent, &address).await?.is_none() {
            cc.push(address);
        }
    }
    pending.email.cc = cc;
    let mailbox = &agent.adapters.mailbox;
    // The email was stored before any attempt, so every attempt is after this.
    let since = pending.message.occurred_at.as_second();
    let (delivered, recovered) = match mailbox.find_sent(&pending.email, since).await? {
        Some(found) => (found, true),
        None => {
            // The decision behind the email must survive a power cut before the email leaves.
            agent.store.settle().await?;
            (mailbox.send(&pending.email).await?, false)
        }
    };
    let thread_id = delivered.thread_id.clone();
    record(agent, &pending, &delivered, recovered).await?;
    Ok(Sent::Sent {
        thread_id,
        to: pending.row.influencer_name.clone(),
        kind: pending
            .plan
            .as_ref()
            .map_or_else(|| "an".to_owned(), |p| p.kind.as_str().replace('_', "-")),
        recovered,
    })
}

/// The suppression entry for `address`, if nobody may write to it.
async fn suppression(
    agent: &Agent,
    address: &EmailAddress,
) -> Result<Option<Suppression>, AgentError> {
    Ok(find_suppression(agent.store.db(), address.as_str()).await?)
}

/// Discards a message whose recipient is suppressed, with an audit entry and a notice, in one
/// transaction.
async fn withhold(
    agent: &Agent,
    pending: &Pending,
    entry: &Suppression,
) -> Result<Sent, AgentError> {
    let Pending { message, row, .. } = pending;
    let why = format!(
        "{} is on the suppression list ({}, since {})",
        entry.address,
        entry.reason.describe(),
        entry.added_at.strftime("%Y-%m-%d")
    );
    let now = agent.now();
    let audit = NewAuditEntry::new(now, EventType::Error)
        .campaign(row.campaign_id.clone())
        .influencer(row.influencer_name.clone())
        .email_body(message.body.clone())
        .meta("error", format!("an email was not sent: {why}"))
        .meta("message_id", message.message_id);
    let notice = notices::withheld(row, &why);
    let key = JobKey::Withheld {
        message_id: message.message_id,
    };
    let mut tx = agent.store.begin_write().await?;
    update_message_status(&mut tx, message.message_id, MessageStatus::Discarded, None).await?;
    audit_and_notify(&mut tx, audit, notice, &key).await?;
    tx.commit().await?;
    Ok(Sent::Withheld {
        to: row.influencer_name.clone(),
        why,
    })
}

/// A message about to go out, with its negotiation and the email the mailbox is given.
struct Pending {
    message: Message,
    row: negotiator_store::NegotiationRow,
    plan: Option<EmailPlan>,
    email: OutboundEmail,
}

/// The message if it is still pending, its status otherwise (a draft, discarded, sent).
async fn load(
    agent: &Agent,
    message_id: i64,
) -> Result<Result<Pending, MessageStatus>, AgentError> {
    let db = agent.store.db();
    let message = get_message(db, message_id)
        .await?
        .ok_or(AgentError::NotFound {
            what: "message",
            id: message_id.to_string(),
            hint: "",
        })?;
    if message.status != MessageStatus::Pending {
        return Ok(Err(message.status));
    }
    let rfc_id = message
        .rfc_message_id
        .clone()
        .ok_or_else(|| AgentError::corrupt(format!("message {message_id} has no Message-ID")))?;
    let row = get_negotiation(db, message.negotiation_id)
        .await?
        .ok_or_else(|| AgentError::corrupt("the message's negotiation disappeared"))?;
    super::in_span(&row);
    let conversation = list_messages(db, message.negotiation_id).await?;
    let carried = carried_message_ids(db, message.negotiation_id).await?;
    let side = NamedSide::of(db, &row).await?;
    let email = outbound(
        agent,
        &row,
        &side,
        (&conversation, &carried),
        &message,
        &rfc_id,
    )?;
    let plan = message
        .metadata
        .get("plan")
        .and_then(|p| serde_json::from_value(p.clone()).ok());
    Ok(Ok(Pending {
        message,
        row,
        plan,
        email,
    }))
}

/// Records that the message went out, in one transaction: its status and thread, the
/// negotiation's thread and latest Message-ID, the audit entry, and the silence check. Redoable:
/// lost to a power cut, the send job runs again and finds the email in the mailbox.
async fn record(
    agent: &Agent,
    pending: &Pending,
    delivered: &Delivered,
    recovered: bool,
) -> Result<(), AgentError> {
    let Pending {
        message,
        plan,
        email,
        ..
    } = pending;
    let thread_id = delivered.thread_id.as_str();
    // What the recipient sees, and so what their reply and our next email cite.
    let rfc_id = delivered.message_id.as_ref().unwrap_or(&email.message_id);
    let now = agent.now();
    let mut tx = agent.store.begin_redoable_write().await?;
    update_message_status(
        &mut tx,
        message.message_id,
        MessageStatus::Sent,
        Some(thread_id),
    )
    .await?;
    set_carried_message_id(&mut tx, message.message_id, rfc_id).await?;
    let mut row = get_negotiation(&mut tx, message.negotiation_id)
        .await?
        .ok_or_else(|| AgentError::corrupt("the message's negotiation disappeared"))?;
    if row.thread_id.is_none() {
        row.thread_id = Some(thread_id.to_owned());
    }
    row.last_message_id = Some(rfc_id.clone());
    update_negotiation(&mut tx, &mut row, now).await?;

    let negotiation: Negotiation = restore(&row)?;
    let mut entry = NewAuditEntry::new(now, EventType::EmailSent)
        .campaign(row.campaign_id.clone())
        .influencer(row.influencer_name.clone())
        .thread(thread_id)
        .direction(Direction::Sent)
        .email_body(message.body.clone())
        .negotiation_state(negotiation.state().as_str())
        .meta("message_id", rfc_id.clone())
        .meta("our_message_id", email.message_id.clone())
        .meta("to", message.to_addr.clone())
        .meta("subject", message.subject.clone());
    if let Some(spent) = message.metadata.get(crate::workflows::usage::KEY) {
        entry = entry.meta(crate::workflows::usage::KEY, spent.clone());
    }
    if let Some(plan) = plan {
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
        let due = now
            .checked_add(jiff::SignedDuration::from_secs(after))
            .unwrap_or(now);
        let task = Task::CheckSilence {
            negotiation_id: row.negotiation_id,
        };
        let key = JobKey::Silence {
            negotiation_id: row.negotiation_id,
            due,
        };
        queue(&mut tx, &task, &key, due).await?;
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
    Ok(())
}

/// The email as the mailbox sends it: to the influencer, copying those of their named side (a
/// manager or an assistant the roster names) who wrote in the thread, threaded on every earlier
/// message. Every recipient is a parsed address on the named side, checked here before the
/// mailbox sees it; anyone else who wrote in the thread is never copied.
fn outbound(
    agent: &Agent,
    row: &negotiator_store::NegotiationRow,
    side: &NamedSide,
    (conversation, carried): (&[Message], &HashMap<i64, String>),
    message: &Message,
    rfc_id: &str,
) -> Result<OutboundEmail, AgentError> {
    let settings = &agent.settings;
    let refused = |why: String| {
        AgentError::Invalid(format!(
            "email {} to {} was not sent: {why}",
            message.message_id, row.influencer_name
        ))
    };
    let to = EmailAddress::parse(message.to_addr.trim())
        .map_err(|e| refused(format!("the recipient {e}")))?;
    if !side.is_their_side(&to) {
        return Err(refused(format!(
            "it is addressed to {to}, who is not on the influencer's side in the roster"
        )));
    }
    let earlier: Vec<&Message> = conversation
        .iter()
        .filter(|m| m.message_id != message.message_id)
        .filter(|m| matches!(m.status, MessageStatus::Sent | MessageStatus::Received))
        .collect();
    // The ids the messages really carry: Gmail may have replaced ours on what we sent.
    let references: Vec<String> = earlier
        .iter()
        .filter_map(|m| {
            carried
                .get(&m.message_id)
                .or(m.rfc_message_id.as_ref())
                .cloned()
        })
        .collect();
    let mut cc: Vec<EmailAddress> = Vec::new();
    let writers = earlier
        .iter()
        .filter(|m| m.direction == Direction::Received)
        .filter_map(|m| EmailAddress::parse(m.from_addr.trim()).ok());
    for from in writers {
        if from != to
            && side.is_their_side(&from)
            && !settings.is_agent(from.as_str())
            && !settings.is_team_member(from.as_str())
            && !cc.contains(&from)
        {
            cc.push(from);
        }
    }
    Ok(OutboundEmail {
        message_id: rfc_id.to_owned(),
        thread_id: row.thread_id.clone(),
        from_name: settings.sender.name.clone(),
        from_address: settings.agent_address.clone(),
        to,
        cc,
        subject: message.subject.clone(),
        body: message.body.clone(),
        in_reply_to: references.last().cloned(),
        references,
        date: agent.now().as_second(),
    })
}
