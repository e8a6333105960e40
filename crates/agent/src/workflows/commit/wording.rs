//! How a commit words what it stores: the thread's subject, the rates of an audit entry.

use negotiator_domain::{Decision, Effect, EmailPlan, EscalationFacts, Notification, template};
use negotiator_store::{Direction, Message, MessageStatus, NewMessage};

pub(super) fn has_agreement(decision: &Decision) -> bool {
    decision
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Notify(Notification::Agreement { .. })))
}

/// The thread's subject: the first email's, with "Re: ", or a new one for the first email.
pub(super) fn subject(conversation: &[Message], client_name: &str) -> String {
    match conversation.iter().find(|m| {
        m.direction == Direction::Sent
            && !matches!(
                m.status,
                MessageStatus::Discarded | MessageStatus::Superseded
            )
    }) {
        Some(first) if first.subject.to_ascii_lowercase().starts_with("re:") => {
            first.subject.clone()
        }
        Some(first) => format!("Re: {}", first.subject),
        None => template::subject_for(client_name),
    }
}

pub(super) fn rates(plan: &EmailPlan) -> String {
    let mut parts = Vec::new();
    if let Some(ours) = plan.our_rate {
        parts.push(format!("ours {ours}"));
    }
    if let Some(theirs) = plan.their_rate {
        parts.push(format!("theirs {theirs}"));
    }
    parts.push(format!("limit {}", plan.ceiling_rate));
    parts.join("; ")
}

pub(super) fn escalation_rates(facts: &EscalationFacts) -> String {
    let mut parts = Vec::new();
    if let Some(theirs) = facts.their_ask {
        parts.push(format!("theirs {theirs}"));
    }
    if let Some(ours) = facts.our_offer {
        parts.push(format!("ours {ours}"));
    }
    if let Some(limit) = facts.limit_rate {
        parts.push(format!("limit {limit}"));
    }
    if let Some(budget) = &facts.budget {
        parts.push(format!("budget left {}", budget.left));
    }
    parts.join("; ")
}

/// A message about to be stored, in its stored shape (for notices written in the same step).
pub(super) fn as_message(message: &NewMessage) -> Message {
    Message {
        message_id: 0,
        negotiation_id: message.negotiation_id,
        direction: message.direction,
        rfc_message_id: message.rfc_message_id.clone(),
        thread_id: message.thread_id.clone(),
        from_addr: message.from_addr.clone(),
        to_addr: message.to_addr.clone(),
        subject: message.subject.clone(),
        body: message.body.clone(),
        status: message.status,
        metadata: message.metadata.clone(),
        occurred_at: message.occurred_at,
        for_step: message.for_step,
    }
}
